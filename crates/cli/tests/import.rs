//! `streetdesk-cli import` and `export` on real files: a 12345 export in, the backlog out and
//! back in unchanged, a mapping given on the command line, and a kill mid-import that leaves
//! the database as it was or fully imported, never in between.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use streetdesk_core::dto::ImportField as F;
use streetdesk_core::time::now_beijing;

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_streetdesk-cli"))
        .args(args)
        .env_remove("STREETDESK_DB")
        .output()
        .expect("run streetdesk-cli")
}

fn json(o: Output) -> Value {
    assert!(
        o.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

fn quoted(v: &str) -> String {
    format!("\"{}\"", v.replace('"', "\"\""))
}

/// A 12345 export of `n` tickets as UTF-8 CSV, with the given headers for the fields.
fn export_csv(dir: &Path, name: &str, n: usize, seed: u64, headers: &[(F, &str)]) -> PathBuf {
    let rows = streetdesk_demo::hotline_export(n, 30, seed, now_beijing());
    let mut text = String::from("\u{feff}");
    text.push_str(
        &headers
            .iter()
            .map(|(_, h)| quoted(h))
            .collect::<Vec<_>>()
            .join(","),
    );
    text.push('\n');
    for r in &rows {
        let line: Vec<String> = headers
            .iter()
            .map(|(f, _)| quoted(r.get(f).map_or("", String::as_str)))
            .collect();
        text.push_str(&line.join(","));
        text.push('\n');
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn standard_headers() -> Vec<(F, &'static str)> {
    F::ALL
        .iter()
        .map(|f| (*f, streetdesk_intake::hotline::aliases(*f)[0]))
        .collect()
}

fn demo(dir: &Path) -> PathBuf {
    let db = dir.join("street.sqlite3");
    json(cli(&[
        "--json",
        "demo",
        "--db",
        db.to_str().unwrap(),
        "--tickets",
        "300",
    ]));
    db
}

fn count(db: &Path) -> u64 {
    json(cli(&[
        "--json",
        "list",
        "--db",
        db.to_str().unwrap(),
        "--limit",
        "1",
    ]))["total"]
        .as_u64()
        .unwrap()
}

#[test]
fn an_export_imports_and_the_backlog_exports_and_reads_back_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let dbs = db.to_str().unwrap();
    let before = count(&db);
    let file = export_csv(dir.path(), "12345.csv", 400, 3, &standard_headers());
    let files = file.to_str().unwrap();

    let dry = json(cli(&["--json", "import", "--db", dbs, files, "--dry-run"]));
    assert_eq!(dry["preview"]["counts"]["new"], 400);
    assert_eq!(count(&db), before);

    let done = json(cli(&["--json", "import", "--db", dbs, files]));
    assert_eq!(done["outcome"]["counts"]["new"], 400);
    assert!(done["outcome"]["events"].as_u64().unwrap() > 400);
    assert_eq!(count(&db), before + 400);
    let again = json(cli(&["--json", "import", "--db", dbs, files]));
    assert_eq!(again["outcome"]["counts"]["unchanged"], 400);
    assert_eq!(again["outcome"]["events"], 0);

    // The whole hotline backlog out, and back in: nothing changes.
    let out = dir.path().join("backlog.xlsx");
    let written = json(cli(&[
        "--json",
        "export",
        "--db",
        dbs,
        "--source",
        "hotline",
        "--out",
        out.to_str().unwrap(),
    ]));
    let n = written["tickets"].as_u64().unwrap();
    let hotline = json(cli(&[
        "--json", "list", "--db", dbs, "--source", "hotline", "--limit", "1",
    ]))["total"]
        .as_u64()
        .unwrap();
    assert_eq!(n, hotline);
    let back = json(cli(&[
        "--json",
        "import",
        "--db",
        dbs,
        out.to_str().unwrap(),
    ]));
    assert_eq!(
        back["outcome"]["counts"]["unchanged"].as_u64(),
        Some(n),
        "{back}"
    );
    assert_eq!(back["outcome"]["events"], 0);
    let check = cli(&["check", "--db", dbs]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn columns_are_mapped_on_the_command_line_and_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let dbs = db.to_str().unwrap();
    let headers = [
        (F::HotlineNo, "单据号"),
        (F::ReceivedAt, "登记日期"),
        (F::Kind, "工单类型"),
        (F::Category, "问题分类"),
        (F::Content, "情况说明"),
        (F::Community, "社区"),
    ];
    let file = export_csv(dir.path(), "district.csv", 50, 4, &headers);
    let refused = cli(&["--json", "import", "--db", dbs, file.to_str().unwrap()]);
    assert!(!refused.status.success());
    let err: Value = serde_json::from_slice(&refused.stderr).unwrap();
    assert_eq!(err["code"], "import.column.missing");
    assert!(err["message"].as_str().unwrap().contains("单据号"));

    let done = json(cli(&[
        "--json",
        "import",
        "--db",
        dbs,
        file.to_str().unwrap(),
        "--map",
        "hotline_no=单据号",
        "--map",
        "received_at=登记日期",
        "--map",
        "kind=工单类型",
        "--map",
        "category=问题分类",
        "--map",
        "content=情况说明",
        "--map",
        "community=社区",
        "--remember",
        "区网格化平台",
    ]));
    assert_eq!(done["outcome"]["counts"]["new"], 50);
    let next = export_csv(dir.path(), "district-2.csv", 20, 5, &headers);
    let done = json(cli(&[
        "--json",
        "import",
        "--db",
        dbs,
        next.to_str().unwrap(),
    ]));
    assert_eq!(done["preview"]["source"], "区网格化平台");
    assert_eq!(done["outcome"]["counts"]["new"], 20);

    let bad = cli(&[
        "--json",
        "import",
        "--db",
        dbs,
        file.to_str().unwrap(),
        "--map",
        "nonsense",
    ]);
    assert!(!bad.status.success());
}

#[test]
fn a_file_with_a_bad_row_is_refused_unless_it_is_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let dbs = db.to_str().unwrap();
    let file = export_csv(dir.path(), "bad.csv", 30, 6, &standard_headers());
    let text = std::fs::read_to_string(&file).unwrap();
    let broken = text.replacen(",\"投诉\",", ",\"抱怨\",", 1);
    assert_ne!(broken, text);
    std::fs::write(&file, broken).unwrap();
    let before = count(&db);
    let refused = cli(&["--json", "import", "--db", dbs, file.to_str().unwrap()]);
    assert!(!refused.status.success());
    let err: Value = serde_json::from_slice(&refused.stderr).unwrap();
    assert_eq!(err["code"], "import.rows.rejected");
    assert!(
        err["message"].as_str().unwrap().contains("工单类型"),
        "{err}"
    );
    assert_eq!(count(&db), before);
    let done = json(cli(&[
        "--json",
        "import",
        "--db",
        dbs,
        file.to_str().unwrap(),
        "--skip-rejected",
    ]));
    assert_eq!(done["outcome"]["counts"]["new"], 29);
    assert_eq!(done["outcome"]["counts"]["rejected"], 1);
}

#[test]
fn a_kill_mid_import_leaves_nothing_and_a_finished_one_everything() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let dbs = db.to_str().unwrap();
    let file = export_csv(dir.path(), "big.csv", 20_000, 7, &standard_headers());
    let before = count(&db);
    // Killed once the second batch is being written, inside the import's transaction.
    let mut child = Command::new(env!("CARGO_BIN_EXE_streetdesk-cli"))
        .args(["import", "--db", dbs, file.to_str().unwrap()])
        .env("STREETDESK_PROGRESS", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut writing = false;
    for line in stderr.lines().map_while(Result::ok) {
        if line.starts_with("Writing 10000/") {
            writing = true;
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(writing, "the import never reported writing");
    assert_eq!(count(&db), before);
    let check = cli(&["check", "--db", dbs]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    // Run to the end, it is all there.
    let done = json(cli(&[
        "--json",
        "import",
        "--db",
        dbs,
        file.to_str().unwrap(),
    ]));
    assert_eq!(done["outcome"]["counts"]["new"], 20_000);
    assert_eq!(count(&db), before + 20_000);
}
