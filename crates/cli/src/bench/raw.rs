//! The raw limit: the same events, already serialised, written with one prepared INSERT in one
//! transaction. Two tables: a bare one (rowid only) and one with the log's keys (unique id,
//! index by ticket) — what any idempotent event log must at least pay.

use super::io_err;
use rusqlite::{params, Connection};
use std::path::Path;
use std::time::{Duration, Instant};
use streetdesk_core::error::ApiResult;
use streetdesk_core::wire::wire_name;
use streetdesk_core::DeviceId;
use streetdesk_demo::DemoOptions;

/// File of the bare table.
pub(crate) const BARE_FILE: &str = "raw-bare.sqlite3";
/// File of the table with the log's keys.
pub(crate) const LOG_FILE: &str = "raw-log.sqlite3";

/// Events written and the time spent writing them, per table.
pub(crate) struct RawIngest {
    pub(crate) events: u64,
    pub(crate) bare: Duration,
    pub(crate) log: Duration,
}

fn open(path: &Path, keys: &str) -> ApiResult<Connection> {
    let conn = Connection::open(path).map_err(io_err)?;
    conn.execute_batch(&format!(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-262144;
         CREATE TABLE events (seq INTEGER PRIMARY KEY, id TEXT NOT NULL {keys},
            ticket_id TEXT NOT NULL, hlc INTEGER NOT NULL, device TEXT NOT NULL,
            actor TEXT NOT NULL, type TEXT NOT NULL, heads TEXT NOT NULL, event TEXT NOT NULL)
            STRICT;"
    ))
    .map_err(io_err)?;
    Ok(conn)
}

type Row = (String, String, i64, String, String, String, String, String);

fn insert(conn: &Connection, rows: &[Row]) -> ApiResult<Duration> {
    let t = Instant::now();
    let mut stmt = conn
        .prepare_cached(
            "INSERT INTO events(id, ticket_id, hlc, device, actor, type, heads, event)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .map_err(io_err)?;
    for r in rows {
        stmt.execute(params![r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7])
            .map_err(io_err)?;
    }
    Ok(t.elapsed())
}

fn timed(conn: &Connection, sql: &str) -> ApiResult<Duration> {
    let t = Instant::now();
    conn.execute_batch(sql).map_err(io_err)?;
    Ok(t.elapsed())
}

/// Generates the demo stream and writes it raw to both tables, timing only the writes.
pub(crate) fn ingest(
    dir: &Path,
    opts: DemoOptions,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> ApiResult<RawIngest> {
    let bare = open(&dir.join(BARE_FILE), "")?;
    let log = open(&dir.join(LOG_FILE), "UNIQUE")?;
    log.execute_batch("CREATE INDEX events_by_ticket ON events(ticket_id);")
        .map_err(io_err)?;
    let mut out = RawIngest {
        events: 0,
        bare: timed(&bare, "BEGIN")?,
        log: timed(&log, "BEGIN")?,
    };
    streetdesk_demo::generate(opts, now, DeviceId::new(), |window| {
        let rows = window
            .iter()
            .map(|e| {
                Ok((
                    e.id.0.clone(),
                    e.ticket_id.0.clone(),
                    e.hlc.0,
                    e.device.0.clone(),
                    e.actor.clone(),
                    wire_name(&e.body.event_type()),
                    serde_json::to_string(&e.heads).map_err(io_err)?,
                    serde_json::to_string(&e.body).map_err(io_err)?,
                ))
            })
            .collect::<ApiResult<Vec<Row>>>()?;
        out.events += rows.len() as u64;
        out.bare += insert(&bare, &rows)?;
        out.log += insert(&log, &rows)?;
        Ok(())
    })?;
    out.bare += timed(&bare, "COMMIT")?;
    out.log += timed(&log, "COMMIT")?;
    Ok(out)
}
