//! The raw limits: the benchmark's own bytes over plain loopback HTTP (a server that only
//! reads the body, or only returns bytes prepared beforehand), and its events as plain SQLite
//! inserts (one prepared INSERT per event, one transaction per page).

use crate::bench::io_err;
use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::routing::{get, post};
use rusqlite::{params, Connection};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use streetdesk_core::error::ApiResult;
use streetdesk_core::LogEvent;
use streetdesk_sync::protocol::PullPage;

/// Time and bytes of moving every event over plain HTTP, each way.
pub(super) struct RawHttp {
    pub(super) push: Duration,
    pub(super) pull: Duration,
    pub(super) push_bytes: u64,
    pub(super) pull_bytes: u64,
}

/// The bodies the hub protocol would carry for these events, in pages.
fn bodies(events: &[LogEvent], page: usize) -> ApiResult<(Vec<Bytes>, Vec<Bytes>)> {
    let mut push = Vec::new();
    let mut pull = Vec::new();
    let mut cursor = 0;
    for chunk in events.chunks(page) {
        let body = serde_json::to_vec(&serde_json::json!({ "events": chunk })).map_err(io_err)?;
        push.push(Bytes::from(body));
        cursor += chunk.len() as u64;
        let answer = PullPage {
            events: chunk.to_vec(),
            cursor,
            cursor_id: chunk.last().map(|e| e.id().0.clone()),
            more: cursor < events.len() as u64,
            high: events.len() as u64,
        };
        pull.push(Bytes::from(serde_json::to_vec(&answer).map_err(io_err)?));
    }
    Ok((push, pull))
}

/// Sends every push body to a server that reads it and answers a few bytes, then fetches
/// every pull body from a server that has it ready.
pub(super) async fn http(events: &[LogEvent], page: usize) -> ApiResult<RawHttp> {
    let (push, pull) = bodies(events, page)?;
    let ready = Arc::new(pull.clone());
    let app = axum::Router::new()
        .route(
            "/push",
            post(|body: Bytes| async move { format!("{{\"n\":{}}}", body.len()) }),
        )
        .route(
            "/pull/{i}",
            get(
                |State(pages): State<Arc<Vec<Bytes>>>, UrlPath(i): UrlPath<usize>| async move {
                    pages[i].clone()
                },
            ),
        )
        .with_state(ready)
        .layer(axum::extract::DefaultBodyLimit::disable());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(io_err)?;
    let base = format!("http://{}", listener.local_addr().map_err(io_err)?);
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let client = reqwest::Client::new();

    let started = Instant::now();
    for body in &push {
        client
            .post(format!("{base}/push"))
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await
            .map_err(io_err)?
            .bytes()
            .await
            .map_err(io_err)?;
    }
    let push_time = started.elapsed();
    let started = Instant::now();
    for i in 0..pull.len() {
        client
            .get(format!("{base}/pull/{i}"))
            .send()
            .await
            .map_err(io_err)?
            .bytes()
            .await
            .map_err(io_err)?;
    }
    let pull_time = started.elapsed();
    server.abort();
    Ok(RawHttp {
        push: push_time,
        pull: pull_time,
        push_bytes: push.iter().map(|b| b.len() as u64).sum(),
        pull_bytes: pull.iter().map(|b| b.len() as u64).sum(),
    })
}

/// Inserts every event, already serialised, into a keyed table with the store's durability
/// settings; one transaction per page, as a pull applies them.
pub(super) fn sqlite(path: &Path, events: &[LogEvent], page: usize) -> ApiResult<Duration> {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let rows: Vec<(String, String)> = events
        .iter()
        .map(|e| Ok((e.id().0.clone(), serde_json::to_string(e).map_err(io_err)?)))
        .collect::<ApiResult<_>>()?;
    let mut conn = Connection::open(path).map_err(io_err)?;
    conn.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-262144;
         CREATE TABLE events (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
                              event TEXT NOT NULL) STRICT;",
    )
    .map_err(io_err)?;
    let started = Instant::now();
    for chunk in rows.chunks(page) {
        let tx = conn.transaction().map_err(io_err)?;
        {
            let mut insert = tx
                .prepare_cached("INSERT INTO events(id, event) VALUES (?1, ?2)")
                .map_err(io_err)?;
            for (id, event) in chunk {
                insert.execute(params![id, event]).map_err(io_err)?;
            }
        }
        tx.commit().map_err(io_err)?;
    }
    Ok(started.elapsed())
}
