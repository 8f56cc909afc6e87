//! The real `streetdesk-cli` binary on a real database file.

use serde_json::Value;
use std::process::{Command, Output};

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_streetdesk-cli"))
        .args(args)
        .env_remove("STREETDESK_DB")
        .output()
        .expect("run streetdesk-cli")
}

fn stdout(o: &Output) -> String {
    assert!(
        o.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn deadline_counts_working_days_over_the_spring_festival() {
    let o = cli(&[
        "deadline",
        "--from",
        "2026-02-13T10:00:00+08:00",
        "--limit",
        "7wd",
    ]);
    assert_eq!(stdout(&o).trim(), "2026-03-03T00:00:00+08:00");
    let o = cli(&[
        "deadline",
        "--from",
        "2026-02-13T10:00:00+08:00",
        "--limit",
        "24h",
        "--json",
    ]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["due"], "2026-02-14T10:00:00+08:00");
    assert_eq!(v["limit"], "24h");
}

#[test]
fn bad_arguments_fail_with_a_coded_error() {
    let o = cli(&[
        "deadline",
        "--from",
        "2026-02-13T10:00:00+08:00",
        "--limit",
        "7 weeks",
        "--json",
    ]);
    assert!(!o.status.success());
    let err: Value = serde_json::from_slice(&o.stderr).unwrap();
    assert_eq!(err["code"], "invalid_argument");
    assert!(err["message"].as_str().unwrap().contains("7 weeks"));
    let o = cli(&["deadline", "--from", "yesterday", "--limit", "7d"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("--from"));
}

#[test]
fn demo_list_show_check_on_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("street.sqlite3");
    let db = db.to_str().unwrap();
    let v: Value = serde_json::from_str(&stdout(&cli(&[
        "demo",
        "--db",
        db,
        "--tickets",
        "400",
        "--json",
    ])))
    .unwrap();
    assert_eq!(v["tickets"], 400);
    // A second demo into the same file is refused and adds nothing.
    assert!(!cli(&["demo", "--db", db, "--tickets", "5"])
        .status
        .success());

    let page: Value = serde_json::from_str(&stdout(&cli(&[
        "list", "--db", db, "--status", "archived", "--limit", "5", "--json",
    ])))
    .unwrap();
    let rows = page["rows"].as_array().unwrap();
    assert!(!rows.is_empty() && rows.len() <= 5);
    assert!(rows.iter().all(|r| r["status"] == "archived"));
    assert!(page["total"].as_u64().unwrap() >= rows.len() as u64);
    let id = rows[0]["id"].as_str().unwrap();

    let text = stdout(&cli(&["show", "--db", db, id]));
    assert!(
        text.contains("registered") && text.contains("archived"),
        "{text}"
    );
    let detail: Value =
        serde_json::from_str(&stdout(&cli(&["show", "--db", db, id, "--json"]))).unwrap();
    assert_eq!(detail["row"]["id"], id);
    assert!(detail["row"]["callerPhoneMasked"]
        .as_str()
        .unwrap()
        .contains("****"));

    // Record a callback on a ticket that awaits one; a second one is refused by the workflow.
    let waiting: Value = serde_json::from_str(&stdout(&cli(&[
        "list",
        "--db",
        db,
        "--status",
        "awaiting_callback",
        "--limit",
        "1",
        "--json",
    ])))
    .unwrap();
    let wid = waiting["rows"][0]["id"]
        .as_str()
        .expect("a demo ticket awaits callback");
    let args = [
        "--contacted",
        "yes",
        "--resolution",
        "partly",
        "--satisfaction",
        "basically",
        "--json",
    ];
    let mut cmd = vec!["callback", "--db", db, wid];
    cmd.extend(args);
    let after: Value = serde_json::from_str(&stdout(&cli(&cmd))).unwrap();
    assert_eq!(after["row"]["status"], "callback_recorded");
    assert_eq!(after["callback"]["resolution"], "partly");
    let again = cli(&cmd);
    let err: Value = serde_json::from_slice(&again.stderr).unwrap();
    assert_eq!(err["code"], "ticket.action.not_allowed");
    let mut bad = vec![
        "callback",
        "--db",
        db,
        wid,
        "--contacted",
        "yes",
        "--resolution",
        "fixed",
    ];
    bad.extend(["--satisfaction", "basically"]);
    assert!(!cli(&bad).status.success());

    let check: Value =
        serde_json::from_str(&stdout(&cli(&["check", "--db", db, "--json"]))).unwrap();
    assert_eq!(check["integrity"], "ok");
    assert_eq!(check["projectionsMatch"], true);

    let o = cli(&["show", "--db", db, "no-such-id", "--json"]);
    let err: Value = serde_json::from_slice(&o.stderr).unwrap();
    assert_eq!(err["code"], "ticket.not_found");
    assert!(!cli(&["list", "--db", db, "--status", "lost"])
        .status
        .success());
}

/// The benchmark's machinery at a toy size: every figure is reported, with its raw baseline.
/// (Timings are not asserted: a benchmark reports, a test checks behaviour.)
#[test]
fn bench_reports_every_figure_next_to_the_raw_limit() {
    let dir = tempfile::tempdir().unwrap();
    let dir_arg = dir.path().to_str().unwrap();
    let o = cli(&[
        "bench",
        "--dir",
        dir_arg,
        "--tickets",
        "400",
        "--days",
        "60",
        "--batch",
        "500",
        "--import-rows",
        "300",
        "--json",
    ]);
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let ingest = &report["ingest"];
    let events = ingest["events"].as_u64().unwrap();
    assert!(events > 2000, "{report}");
    for key in [
        "engine_events_per_s",
        "raw_bare_events_per_s",
        "raw_log_events_per_s",
    ] {
        assert!(ingest[key].as_f64().unwrap() > 0.0, "{key}: {report}");
    }
    for part in ["page", "search", "facets"] {
        assert!(
            report[part]["samples"].as_u64().unwrap() >= 10,
            "{part}: {report}"
        );
        assert!(
            report[part]["p95_ms"].as_f64().unwrap() >= report[part]["p50_ms"].as_f64().unwrap()
        );
    }
    assert!(report["page"]["raw_p50_ms"].as_f64().is_some());
    let stats = &report["stats"];
    assert!(stats["tickets"].as_u64().unwrap() > 0, "{stats}");
    assert!(stats["dashboard"]["p50_ms"].as_f64().unwrap() > 0.0);
    assert!(stats["raw_aggregate"]["p50_ms"].as_f64().unwrap() > 0.0);
    assert_eq!(stats["charts"].as_array().unwrap().len(), 4);
    assert_eq!(report["cold_open"]["total"].as_u64(), Some(400));
    let import = &report["import"];
    assert_eq!(import["rows"].as_u64(), Some(300), "{import}");
    assert_eq!(import["new"].as_u64(), Some(300), "{import}");
    for key in [
        "read_s",
        "check_s",
        "write_s",
        "again_s",
        "raw_read_s",
        "raw_insert_s",
        "ratio",
    ] {
        assert!(import[key].as_f64().unwrap() > 0.0, "{key}: {import}");
    }
    assert!(report["db_bytes"].as_u64().unwrap() > 0);
    // The database it measured is a sound StreetDesk database.
    let db = dir.path().join("streetdesk.sqlite3");
    let check = cli(&["check", "--db", db.to_str().unwrap(), "--json"]);
    let check: Value = serde_json::from_str(&stdout(&check)).unwrap();
    assert_eq!(check["tickets"].as_u64(), Some(400));
    assert_eq!(check["projectionsMatch"], Value::Bool(true));
}

/// The hub binary, built if this test run did not build it already (it lives in another
/// package, so Cargo does not build it for this one's tests).
fn hub_binary() -> std::path::PathBuf {
    let built = std::process::Command::new(env!("CARGO"))
        .args(["build", "--quiet", "-p", "streetdesk-hub"])
        .status()
        .unwrap();
    assert!(built.success());
    std::path::Path::new(env!("CARGO_BIN_EXE_streetdesk-cli"))
        .with_file_name(format!("streetdesk-hub{}", std::env::consts::EXE_SUFFIX))
}

/// The sync benchmark's machinery at a toy size, through a real hub: every event goes up and
/// comes down, and every figure is reported with its raw baselines.
#[test]
fn bench_sync_moves_every_event_and_reports_every_figure() {
    let hub = hub_binary();
    let dir = tempfile::tempdir().unwrap();
    let o = cli(&[
        "bench-sync",
        "--dir",
        dir.path().to_str().unwrap(),
        "--events",
        "2000",
        "--samples",
        "5",
        "--hub",
        hub.to_str().unwrap(),
        "--json",
    ]);
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let events = report["events"].as_u64().unwrap();
    assert!(events > 1500, "{report}");
    assert_eq!(report["push"]["events"].as_u64(), Some(events), "{report}");
    assert_eq!(report["pull"]["events"].as_u64(), Some(events), "{report}");
    for key in [
        "push.events_per_s",
        "push.raw_http_events_per_s",
        "push.bytes_per_event",
        "pull.events_per_s",
        "pull.raw_http_events_per_s",
        "pull.raw_sqlite_events_per_s",
        "propagation.p95_ms",
    ] {
        let (part, figure) = key.split_once('.').unwrap();
        assert!(
            report[part][figure].as_f64().unwrap() > 0.0,
            "{key}: {report}"
        );
    }
    assert_eq!(report["propagation"]["samples"].as_u64(), Some(5));
    if cfg!(target_os = "linux") {
        for phase in ["client_push", "client_pull", "hub_push", "hub_pull"] {
            assert!(
                report["peak_memory_kb"][phase].as_u64().unwrap() > 0,
                "{phase}"
            );
        }
    }
}

/// `stats` groups a period's tickets; its months add up to the tickets the street answers
/// for, and a bad grouping or day is refused with the argument named.
#[test]
fn stats_groups_a_period_and_refuses_bad_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("street.sqlite3");
    let db = db.to_str().unwrap();
    assert!(
        cli(&["demo", "--db", db, "--tickets", "300", "--days", "60"])
            .status
            .success()
    );
    let o = cli(&[
        "stats",
        "--db",
        db,
        "--from",
        "2000-01-01",
        "--to",
        "2100-12-31",
        "--by",
        "month",
        "--json",
    ]);
    let months: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let months = months.as_array().unwrap();
    assert!(months.len() >= 2, "{months:?}");
    let counted: u64 = months.iter().map(|m| m["tickets"].as_u64().unwrap()).sum();
    // A few demo tickets are merged duplicates or redispatched away; the rest count once.
    assert!((280..=300).contains(&counted), "{counted}");
    for m in months {
        let composite = m["rates"]["composite"].as_f64().unwrap();
        assert!((0.0..=100.0).contains(&composite), "{m}");
    }
    let ranked = cli(&[
        "stats",
        "--db",
        db,
        "--from",
        "2000-01-01",
        "--to",
        "2100-12-31",
    ]);
    assert!(stdout(&ranked)
        .lines()
        .next()
        .unwrap()
        .trim_start()
        .starts_with("1 "));
    let bad = cli(&[
        "stats",
        "--db",
        db,
        "--from",
        "2026-13-01",
        "--to",
        "2026-12-31",
    ]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--from"));
    let bad = cli(&[
        "stats",
        "--db",
        db,
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--by",
        "weather",
    ]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--by"));
}
