//! `streetdesk-cli bench`: the engine at scale, next to the raw limit of the same machine.
//!
//! Ingest feeds one generated event stream to plain SQLite (prepared inserts in one
//! transaction) and to the store (event log + projection + search and tag indexes), timing only
//! the writes. Queries time backlog pages, searches and facet counts on the result, and a raw
//! indexed SELECT for scale. Benchmarks report; they assert nothing.

mod import;
mod queries;
mod raw;
mod stats;

use crate::commands::Output;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_core::time::now_beijing;
use streetdesk_core::DeviceId;
use streetdesk_demo::DemoOptions;
use streetdesk_store::{Store, DB_FILE};

/// Options of the benchmark.
#[derive(clap::Args, Debug)]
pub struct BenchArgs {
    /// Directory for the databases (kept afterwards); a temporary one when absent.
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Number of tickets.
    #[arg(long, default_value_t = 1_000_000)]
    pub tickets: usize,
    /// Days of history they spread over.
    #[arg(long, default_value_t = 3650)]
    pub days: i64,
    /// Events per ingest transaction.
    #[arg(long, default_value_t = 200_000)]
    pub batch: usize,
    /// Random seed of the demo street.
    #[arg(long, default_value_t = 12345)]
    pub seed: u64,
    /// Query an existing database in `--dir` instead of ingesting again.
    #[arg(long)]
    pub reuse: bool,
    /// Rows of the 12345 export the import phase writes and imports (0: no import phase).
    #[arg(long, default_value_t = 100_000)]
    pub import_rows: usize,
}

/// Percentiles of a set of durations, in milliseconds.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Stats {
    pub(crate) n: usize,
    pub(crate) p50: f64,
    pub(crate) p95: f64,
    pub(crate) max: f64,
}

impl Stats {
    pub(crate) fn of(samples: &[Duration]) -> Stats {
        let mut ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1e3).collect();
        ms.sort_by(f64::total_cmp);
        let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
        Stats {
            n: ms.len(),
            p50: at(0.5),
            p95: at(0.95),
            max: at(1.0),
        }
    }

    fn json(self) -> serde_json::Value {
        json!({"samples": self.n, "p50_ms": self.p50, "p95_ms": self.p95, "max_ms": self.max})
    }
}

pub(crate) fn io_err(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::Internal, format!("bench: {e}"))
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// Runs the benchmark and reports every figure.
pub fn run(a: &BenchArgs) -> ApiResult<Output> {
    let temp;
    let dir = match &a.dir {
        Some(d) => {
            std::fs::create_dir_all(d).map_err(io_err)?;
            d.clone()
        }
        None => {
            temp = tempfile::tempdir().map_err(io_err)?;
            temp.path().to_owned()
        }
    };
    let db = dir.join(DB_FILE);
    let opts = DemoOptions {
        tickets: a.tickets,
        days: a.days,
        seed: a.seed,
    };
    let now = now_beijing();
    let mut lines = vec![format!(
        "StreetDesk benchmark: {} tickets over {} days, batches of {} events",
        a.tickets, a.days, a.batch
    )];
    let mut report = json!({"tickets": a.tickets, "days": a.days, "batch": a.batch});

    if !a.reuse {
        for f in [DB_FILE, raw::BARE_FILE, raw::LOG_FILE] {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(dir.join(format!("{f}{suffix}")));
            }
        }
        eprintln!("raw: plain prepared inserts …");
        let raw = raw::ingest(&dir, opts, now)?;
        eprintln!("engine: store.append …");
        let mut store = Store::open(&db)?;
        let device = store.device().clone();
        let engine = engine_ingest(&mut store, opts, now, a.batch, device)?;
        let optimize_started = Instant::now();
        store.optimize()?;
        let optimize = optimize_started.elapsed();
        let rate = |n: u64, d: Duration| n as f64 / d.as_secs_f64();
        let (bare, log, ours) = (
            rate(raw.events, raw.bare),
            rate(raw.events, raw.log),
            rate(engine.events, engine.time),
        );
        lines.push(format!(
            "ingest  {} events: engine {:.0}/s ({:.1} s) · raw bare table {:.0}/s · raw \
             log table (same keys) {:.0}/s · engine/raw bare {:.0}% · engine/raw log {:.0}% \
             (the budget's measure: ≥ 40 %) · then ANALYZE {:.1} s",
            engine.events,
            ours,
            engine.time.as_secs_f64(),
            bare,
            log,
            100.0 * ours / bare,
            100.0 * ours / log,
            optimize.as_secs_f64()
        ));
        report["ingest"] = json!({
            "events": engine.events, "engine_events_per_s": ours, "engine_s": engine.time.as_secs_f64(),
            "raw_bare_events_per_s": bare, "raw_log_events_per_s": log,
            "ratio_vs_raw_bare": ours / bare, "ratio_vs_raw_log": ours / log,
            "analyze_s": optimize.as_secs_f64(),
        });
    }

    let cache_dropped = queries::drop_os_cache();
    let started = Instant::now();
    let store = Store::open(&db)?;
    queries::first_page(&store)?;
    let cold = started.elapsed();
    let started = Instant::now();
    let total = queries::first_counts(&store)?;
    let counts = started.elapsed();
    lines.push(format!(
        "open    {:.0} ms to open the database and show the first page (OS cache {}); its \
         filter counts {:.0} ms later",
        cold.as_secs_f64() * 1e3,
        if cache_dropped {
            "dropped"
        } else {
            "not dropped: no permission"
        },
        counts.as_secs_f64() * 1e3
    ));
    report["cold_open"] = json!({
        "ms": cold.as_secs_f64() * 1e3, "os_cache_dropped": cache_dropped,
        "first_counts_ms": counts.as_secs_f64() * 1e3, "total": total,
    });

    let results = queries::measure(&store, &db)?;
    for (name, stats, raw) in &results {
        let ratio = raw.map(|r: Stats| {
            format!(
                " · raw {:.2} ms · ratio {:.1}×",
                r.p50,
                stats.p50 / r.p50.max(1e-6)
            )
        });
        lines.push(format!(
            "{name:<7} p50 {:.2} ms · p95 {:.2} ms · max {:.2} ms ({} samples){}",
            stats.p50,
            stats.p95,
            stats.max,
            stats.n,
            ratio.unwrap_or_default()
        ));
        report[*name] = stats.json();
        if let Some(r) = raw {
            report[*name]["raw_p50_ms"] = json!(r.p50);
        }
    }
    let s = stats::measure(&store, &db)?;
    lines.push(format!(
        "stats   the year {} – {} ({} tickets): dashboard p50 {:.1} ms · p95 {:.1} ms (budget ≤ 300 ms) · \
         plain SQL aggregate p50 {:.1} ms · ratio {:.1}×",
        s.from,
        s.to,
        s.tickets,
        s.dashboard.p50,
        s.dashboard.p95,
        s.raw.p50,
        s.dashboard.p50 / s.raw.p50.max(1e-6)
    ));
    let charts: Vec<String> = s
        .charts
        .iter()
        .map(|(kind, c)| format!("{kind:?} {:.2} ms", c.p50))
        .collect();
    lines.push(format!(
        "charts  one chart to SVG, p50 (budget ≤ 30 ms): {}",
        charts.join(" · ")
    ));
    report["stats"] = json!({
        "from": s.from, "to": s.to, "tickets": s.tickets,
        "dashboard": s.dashboard.json(), "raw_aggregate": s.raw.json(),
        "ratio": s.dashboard.p50 / s.raw.p50.max(1e-6),
        "charts": s.charts.iter().map(|(k, c)| json!({"kind": k, "ms": c.json()})).collect::<Vec<_>>(),
    });
    drop(store);
    if a.import_rows > 0 {
        eprintln!("import: a 12345 export of {} rows …", a.import_rows);
        let i = import::measure(&dir, a.import_rows, a.seed)?;
        let secs = |d: Duration| d.as_secs_f64();
        lines.push(format!(
            "import  {} rows of a 12345 xlsx into an empty street ({} new, {} events): read {:.1} s · \
             check {:.1} s · write {:.1} s · total {:.1} s ({:.0} rows/s) · again, all unchanged, \
             {:.1} s · raw: the same read {:.1} s + plain inserts {:.2} s = {:.1} s · ratio {:.1}×",
            i.rows,
            i.outcome.counts.new,
            i.outcome.events,
            secs(i.read),
            secs(i.preview),
            secs(i.commit),
            secs(i.total()),
            i.rows as f64 / secs(i.total()),
            secs(i.again),
            secs(i.raw_read),
            secs(i.raw_insert),
            secs(i.raw_total()),
            secs(i.total()) / secs(i.raw_total()).max(1e-9)
        ));
        report["import"] = json!({
            "rows": i.rows, "new": i.outcome.counts.new, "events": i.outcome.events,
            "read_s": secs(i.read), "check_s": secs(i.preview), "write_s": secs(i.commit),
            "total_s": secs(i.total()), "again_s": secs(i.again),
            "raw_read_s": secs(i.raw_read), "raw_insert_s": secs(i.raw_insert),
            "raw_total_s": secs(i.raw_total()),
            "ratio": secs(i.total()) / secs(i.raw_total()).max(1e-9),
        });
    }
    let size = file_size(&db) + file_size(&dir.join(format!("{DB_FILE}-wal")));
    let raw_size = file_size(&dir.join(raw::LOG_FILE));
    lines.push(format!(
        "size    {:.0} MB database ({:.0} MB for the raw log table alone)",
        size as f64 / 1e6,
        raw_size as f64 / 1e6
    ));
    report["db_bytes"] = json!(size);
    report["raw_log_bytes"] = json!(raw_size);
    Ok(Output {
        text: lines.join("\n"),
        json: report,
    })
}

struct Ingested {
    events: u64,
    time: Duration,
}

/// Feeds the demo stream to the store in batches, timing only `append`.
fn engine_ingest(
    store: &mut Store,
    opts: DemoOptions,
    now: chrono::DateTime<chrono::FixedOffset>,
    batch: usize,
    device: DeviceId,
) -> ApiResult<Ingested> {
    store.set_street_name(streetdesk_demo::STREET_NAME)?;
    store.upsert_directory(
        &streetdesk_demo::communities(),
        &streetdesk_demo::departments(),
    )?;
    let mut events = 0u64;
    let mut buffer = Vec::new();
    let t = Instant::now();
    store.set_bulk_mode(true)?;
    let mut time = t.elapsed();
    let mut write = |store: &mut Store, chunk: &[streetdesk_core::Event]| -> ApiResult<()> {
        let t = Instant::now();
        events += store.append(chunk)? as u64;
        time += t.elapsed();
        Ok(())
    };
    streetdesk_demo::generate(opts, now, device, |window| {
        buffer.extend(window);
        while buffer.len() >= batch {
            let rest = buffer.split_off(batch);
            write(store, &buffer)?;
            buffer = rest;
        }
        Ok(())
    })?;
    write(store, &buffer)?;
    // The last checkpoint is part of the ingest, as the raw tables' is part of their COMMIT.
    let t = Instant::now();
    store.set_bulk_mode(false)?;
    time += t.elapsed();
    Ok(Ingested { events, time })
}
