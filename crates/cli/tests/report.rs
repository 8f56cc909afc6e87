//! `streetdesk-cli report` and `chart` on a real demo database: the monthly report holds the
//! numbers the statistics view computes for that month, and bad arguments change nothing.

use calamine::{Data, Reader, Xlsx};
use std::path::Path;
use std::process::{Command, Output};
use streetdesk_core::dashboard::month_period;
use streetdesk_core::kpi::Figures;
use streetdesk_store::Store;

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_streetdesk-cli"))
        .args(args)
        .env_remove("STREETDESK_DB")
        .output()
        .expect("run streetdesk-cli")
}

fn ok(o: Output) -> String {
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "failed: {err}");
    String::from_utf8(o.stdout).unwrap()
}

fn numbers(f: &Figures) -> Vec<Option<f64>> {
    vec![
        Some(f64::from(f.tickets)),
        Some(f64::from(f.rates.rated)),
        f.rates.response,
        f.rates.resolution,
        f.rates.satisfaction,
        f.rates.composite,
        f.on_time.rate,
        f.to_sign.median_h,
        f.to_sign.p90_h,
        f.to_contact.median_h,
        f.to_reply.median_h,
        f.to_reply.p90_h,
        f.to_close.median_h,
    ]
}

fn cell(c: Option<&Data>) -> Option<f64> {
    match c {
        Some(Data::Float(x)) => Some(*x),
        Some(Data::Int(n)) => Some(*n as f64),
        None | Some(Data::Empty) => None,
        Some(other) => panic!("not a number: {other:?}"),
    }
}

/// A demo street of `tickets` over `days` in a fresh directory.
fn demo(tickets: &str, days: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("street.sqlite3");
    let db_s = db.to_str().unwrap();
    ok(cli(&[
        "demo",
        "--db",
        db_s,
        "--tickets",
        tickets,
        "--days",
        days,
    ]));
    (dir, db)
}

/// The demo's busiest month, YYYY-MM.
fn busiest_month(db: &Path) -> String {
    let store = Store::open(db).unwrap();
    let d = store.dashboard("2000-01-01", "2100-12-31").unwrap();
    let best = d.months.iter().max_by_key(|m| m.tickets).unwrap();
    best.key.clone()
}

#[test]
fn the_monthly_report_equals_the_dashboard_of_its_month() {
    let (dir, db) = demo("1500", "75");
    let db_s = db.to_str().unwrap();
    let month = busiest_month(&db);
    let xlsx = dir.path().join("月报.xlsx");
    let csv = dir.path().join("report.csv");
    ok(cli(&[
        "report",
        "--db",
        db_s,
        "--month",
        &month,
        "--out",
        xlsx.to_str().unwrap(),
    ]));
    ok(cli(&[
        "report",
        "--db",
        db_s,
        "--month",
        &month,
        "--out",
        csv.to_str().unwrap(),
        "--lang",
        "en",
    ]));

    let (from, to) = month_period(&month).unwrap();
    let d = Store::open(&db).unwrap().dashboard(&from, &to).unwrap();
    assert!(d.street.tickets > 100, "{} tickets", d.street.tickets);

    let mut book: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let summary = book.worksheet_range("概要").unwrap();
    let values: Vec<Option<f64>> = (3..16).map(|r| cell(summary.get_value((r, 1)))).collect();
    assert_eq!(values, numbers(&d.street));
    let ranking = book.worksheet_range("社区排名").unwrap();
    for (i, g) in d.communities.iter().enumerate() {
        let r = i as u32 + 1;
        assert_eq!(
            ranking.get_value((r, 1)),
            Some(&Data::String(g.label.clone()))
        );
        let row: Vec<Option<f64>> = (2..15).map(|c| cell(ranking.get_value((r, c)))).collect();
        assert_eq!(row, numbers(&g.figures), "{}", g.label);
    }

    let text = std::fs::read_to_string(&csv).unwrap();
    let street_line = text.lines().last().unwrap();
    let cells: Vec<&str> = street_line.split(',').collect();
    assert_eq!(cells[1], "Whole street");
    assert_eq!(cells[2], d.street.tickets.to_string());
    let composite: f64 = cells[7].parse().unwrap();
    assert_eq!(Some(composite), d.street.rates.composite);
}

#[test]
fn charts_are_written_as_svg_and_png() {
    let (dir, db) = demo("300", "40");
    let db_s = db.to_str().unwrap();
    let svg = dir.path().join("trend.svg");
    let png = dir.path().join("heat.png");
    let range = ["--from", "2000-01-01", "--to", "2100-12-31"];
    let svg_s = svg.to_str().unwrap();
    ok(cli(&[
        &["chart", "--db", db_s, "--kind", "trend", "--out", svg_s][..],
        &range,
    ]
    .concat()));
    let png_s = png.to_str().unwrap();
    ok(cli(&[
        &["chart", "--db", db_s, "--kind", "heat", "--out", png_s][..],
        &range,
    ]
    .concat()));
    let svg = std::fs::read_to_string(&svg).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("三率月度走势"));
    let png = std::fs::read(&png).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
}

#[test]
fn a_bad_month_or_an_unwritable_file_is_refused_and_writes_nothing() {
    let (dir, db) = demo("50", "10");
    let db_s = db.to_str().unwrap();
    let out = dir.path().join("r.xlsx");
    let out_s = out.to_str().unwrap();
    let o = cli(&[
        "report", "--db", db_s, "--month", "2026-13", "--out", out_s, "--json",
    ]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("stats.period.invalid"));
    assert!(!out.exists());
    let nowhere = dir.path().join("missing-dir/r.xlsx");
    let o = cli(&[
        "report",
        "--db",
        db_s,
        "--month",
        "2026-11",
        "--out",
        nowhere.to_str().unwrap(),
        "--json",
    ]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("export.write_failed"));
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "only the database: {left:?}");
}
