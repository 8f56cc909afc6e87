//! `streetdesk-cli bench-sync`: catch-up of a large backlog through a real hub process on
//! loopback, next to the raw limits measured in the same run (the same bytes over plain
//! loopback HTTP, the same events as plain SQLite inserts), and the time a change takes to
//! reach another waiting device. Benchmarks report; they assert nothing.

mod hub;
mod memory;
mod propagation;
mod raw;

use crate::bench::{io_err, Stats};
use crate::commands::Output;
use hub::HubProcess;
use serde_json::json;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use streetdesk_core::dto::SyncLinkForm;
use streetdesk_core::error::ApiResult;
use streetdesk_core::time::now_beijing;
use streetdesk_demo::DemoOptions;
use streetdesk_store::{Store, DB_FILE};
use streetdesk_sync::client::HubClient;
use streetdesk_sync::cycle::sync_once;
use streetdesk_sync::protocol::MAX_BATCH;

/// Options of the sync benchmark.
#[derive(clap::Args, Debug)]
pub struct SyncBenchArgs {
    /// Directory for the databases (kept afterwards); a temporary one when absent.
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Size of the backlog, in events (a demo street of about a tenth as many tickets).
    #[arg(long, default_value_t = 200_000)]
    pub events: usize,
    /// Events per push and per pull page.
    #[arg(long, default_value_t = MAX_BATCH)]
    pub page: usize,
    /// Changes timed from one device to another for the propagation figure.
    #[arg(long, default_value_t = 100)]
    pub samples: usize,
    /// The hub binary; by default `streetdesk-hub` beside this program.
    #[arg(long)]
    pub hub: Option<PathBuf>,
}

fn rate(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64()
}

/// A store with the street's directory, shared as the app shares it.
fn open_store(path: &std::path::Path) -> ApiResult<Arc<Mutex<Store>>> {
    let mut store = Store::open(path)?;
    if store.communities()?.is_empty() {
        store.upsert_directory(
            &streetdesk_demo::communities(),
            &streetdesk_demo::departments(),
        )?;
    }
    Ok(Arc::new(Mutex::new(store)))
}

/// Runs the benchmark and reports every figure.
pub fn run(a: &SyncBenchArgs) -> ApiResult<Output> {
    let temp;
    let dir = match &a.dir {
        Some(d) => {
            let _ = std::fs::remove_dir_all(d);
            std::fs::create_dir_all(d).map_err(io_err)?;
            d.clone()
        }
        None => {
            temp = tempfile::tempdir().map_err(io_err)?;
            temp.path().to_owned()
        }
    };
    let runtime = tokio::runtime::Runtime::new().map_err(io_err)?;
    let page = a.page.clamp(1, MAX_BATCH);

    eprintln!(
        "source device: a demo street of about {} events …",
        a.events
    );
    let source = open_store(&device_db(&dir, "source")?)?;
    {
        let mut s = source.lock().expect("fresh lock");
        s.set_bulk_mode(true)?;
        let opts = DemoOptions {
            tickets: (a.events * 10 / 92).max(1),
            days: 365,
            seed: 2026,
        };
        streetdesk_demo::populate_until(&mut s, opts, now_beijing())?;
        s.set_bulk_mode(false)?;
    }
    let events = source.lock().expect("fresh lock").pending_count()? as usize;

    let hub = HubProcess::start(a.hub.as_deref(), &dir.join("hub.sqlite3"))?;
    let link = |store: &Mutex<Store>, name: &str| -> ApiResult<HubClient> {
        let form = SyncLinkForm {
            hub_url: hub.url.clone(),
            code: hub.code(name)?,
            device_name: name.to_owned(),
            certificate_pem: String::new(),
        };
        let link = runtime.block_on(streetdesk_sync::link::link(store, &form))?;
        HubClient::for_link(&link)
    };
    let source_client = link(&source, "source")?;
    let target = open_store(&device_db(&dir, "target")?)?;
    let target_client = link(&target, "target")?;

    eprintln!("push: {events} events from the source device through the hub …");
    let me = std::process::id();
    memory::reset_peak(me);
    memory::reset_peak(hub.pid());
    let push_client_base = memory::resident_kb(me);
    let started = Instant::now();
    let pushed = runtime.block_on(sync_once(&source, &source_client, page))?;
    let push_time = started.elapsed();
    let push_client_kb = memory::peak_kb(me);
    let push_hub_kb = memory::peak_kb(hub.pid());

    eprintln!("catch-up: a second device pulls the backlog …");
    memory::reset_peak(me);
    memory::reset_peak(hub.pid());
    let pull_client_base = memory::resident_kb(me);
    let started = Instant::now();
    let pulled = runtime.block_on(sync_once(&target, &target_client, page))?;
    let pull_time = started.elapsed();
    let pull_client_kb = memory::peak_kb(me);
    let pull_hub_kb = memory::peak_kb(hub.pid());

    eprintln!("raw: the same bytes over plain loopback HTTP, the same events into plain SQLite …");
    let all = source.lock().expect("lock").all_log_events()?;
    let raw_http = runtime.block_on(raw::http(&all, page))?;
    let raw_sqlite = raw::sqlite(&dir.join("raw.sqlite3"), &all, page)?;

    eprintln!(
        "propagation: {} changes from one waiting device to another …",
        a.samples
    );
    let samples = runtime.block_on(propagation::measure(
        source.clone(),
        target.clone(),
        a.samples,
    ))?;
    let propagation = Stats::of(&samples);
    hub.stop();

    let push_eps = rate(pushed.accepted, push_time);
    let pull_eps = rate(pulled.pulled, pull_time);
    let catch_up_eps = rate(pulled.pulled, push_time + pull_time);
    let raw_push_eps = rate(all.len(), raw_http.push);
    let raw_pull_eps = rate(all.len(), raw_http.pull);
    let raw_sqlite_eps = rate(all.len(), raw_sqlite);
    let pct = |x: f64, of: f64| 100.0 * x / of;
    let mb = |kb: u64| kb as f64 / 1024.0;
    let lines = [
        format!("StreetDesk sync benchmark: {events} events, pages of {page}, hub on loopback"),
        format!(
            "push   {} events in {:.2} s: {push_eps:.0} ev/s; raw loopback HTTP {raw_push_eps:.0} ev/s → {:.1} %; plain SQLite inserts {raw_sqlite_eps:.0} ev/s → {:.0} %",
            pushed.accepted,
            push_time.as_secs_f64(),
            pct(push_eps, raw_push_eps),
            pct(push_eps, raw_sqlite_eps)
        ),
        format!(
            "pull   {} events in {:.2} s: {pull_eps:.0} ev/s; raw loopback HTTP {raw_pull_eps:.0} ev/s → {:.1} %; plain SQLite inserts {raw_sqlite_eps:.0} ev/s → {:.0} %",
            pulled.pulled,
            pull_time.as_secs_f64(),
            pct(pull_eps, raw_pull_eps),
            pct(pull_eps, raw_sqlite_eps)
        ),
        format!(
            "catch-up end to end (push + pull): {catch_up_eps:.0} ev/s"
        ),
        format!(
            "bytes per event: push {:.0}, pull {:.0} (JSON, uncompressed)",
            raw_http.push_bytes as f64 / all.len() as f64,
            raw_http.pull_bytes as f64 / all.len() as f64
        ),
        format!(
            "peak memory: client {:.0} MB push (+{:.0} MB over its start) / {:.0} MB pull (+{:.0} MB); hub {:.0} MB push / {:.0} MB pull",
            mb(push_client_kb),
            mb(push_client_kb.saturating_sub(push_client_base)),
            mb(pull_client_kb),
            mb(pull_client_kb.saturating_sub(pull_client_base)),
            mb(push_hub_kb),
            mb(pull_hub_kb)
        ),
        format!(
            "propagation to a waiting device: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms ({} changes)",
            propagation.p50, propagation.p95, propagation.max, propagation.n
        ),
    ];
    let report = json!({
        "events": events,
        "page": page,
        "push": {"events": pushed.accepted, "seconds": push_time.as_secs_f64(), "events_per_s": push_eps,
                 "raw_http_events_per_s": raw_push_eps, "bytes_per_event": raw_http.push_bytes as f64 / all.len() as f64},
        "pull": {"events": pulled.pulled, "seconds": pull_time.as_secs_f64(), "events_per_s": pull_eps,
                 "raw_http_events_per_s": raw_pull_eps, "raw_sqlite_events_per_s": raw_sqlite_eps,
                 "bytes_per_event": raw_http.pull_bytes as f64 / all.len() as f64},
        "catch_up_events_per_s": catch_up_eps,
        "peak_memory_kb": {"client_push": push_client_kb, "client_pull": pull_client_kb,
                           "client_push_start": push_client_base, "client_pull_start": pull_client_base,
                           "hub_push": push_hub_kb, "hub_pull": pull_hub_kb},
        "propagation": {"samples": propagation.n, "p50_ms": propagation.p50,
                        "p95_ms": propagation.p95, "max_ms": propagation.max},
    });
    Ok(Output {
        text: lines.join("\n"),
        json: report,
    })
}

/// `dir/name/streetdesk.sqlite3`, its directory created.
fn device_db(dir: &std::path::Path, name: &str) -> ApiResult<PathBuf> {
    let device = dir.join(name);
    std::fs::create_dir_all(&device).map_err(io_err)?;
    Ok(device.join(DB_FILE))
}
