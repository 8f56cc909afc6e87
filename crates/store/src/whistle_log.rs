//! The whistles' event log and its projections (`whistles`, `summons`, `whistle_tickets`).

use crate::log::{keep_max_hlc, read_log, LogRow};
use crate::log_codec::{heads_value, id_value};
use crate::storage_err;
use rusqlite::{params, Connection, Transaction};
use std::collections::BTreeSet;
use streetdesk_core::error::ApiResult;
use streetdesk_core::whistle::{fold, Whistle, WhistleRecord};
use streetdesk_core::wire::wire_name;

/// Every event of one whistle, in the order the log holds them.
pub(crate) fn whistle_events(conn: &Connection, whistle: &str) -> ApiResult<Vec<WhistleRecord>> {
    let rows = read_log(
        conn,
        "SELECT id, whistle_id, hlc, device, actor, heads, event FROM whistle_events
         WHERE whistle_id = ?1 ORDER BY hlc, device, id",
        whistle,
    )?;
    Ok(rows.into_iter().map(LogRow::into_record).collect())
}

/// Inserts whistle events (ignoring ids already present) and re-folds every whistle they
/// touch, in the caller's transaction. Returns how many were new.
pub(crate) fn append_whistles_in(
    tx: &Transaction<'_>,
    records: &[WhistleRecord],
) -> ApiResult<usize> {
    let mut touched = BTreeSet::new();
    let mut inserted = 0;
    {
        let mut insert = tx
            .prepare_cached(
                "INSERT INTO whistle_events(id, whistle_id, hlc, device, actor, type, heads, event)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(id) DO NOTHING",
            )
            .map_err(storage_err)?;
        for e in records {
            let n = insert
                .execute(params![
                    id_value(&e.id.0),
                    id_value(&e.whistle_id.0),
                    e.hlc.0,
                    id_value(&e.device.0),
                    e.actor,
                    wire_name(&e.body.event_type()),
                    heads_value(&e.heads),
                    serde_json::to_string(&e.body).map_err(storage_err)?,
                ])
                .map_err(storage_err)?;
            if n > 0 {
                inserted += 1;
                touched.insert(e.whistle_id.0.as_str());
            }
        }
    }
    keep_max_hlc(tx, records.iter().map(|e| e.hlc))?;
    for id in touched {
        refresh(tx, id)?;
    }
    Ok(inserted)
}

/// Re-folds one whistle into its projection rows.
pub(crate) fn refresh(conn: &Connection, id: &str) -> ApiResult<()> {
    conn.prepare_cached("DELETE FROM summons WHERE whistle_id = ?1")
        .and_then(|mut s| s.execute([id]))
        .map_err(storage_err)?;
    conn.prepare_cached("DELETE FROM whistle_tickets WHERE whistle_id = ?1")
        .and_then(|mut s| s.execute([id]))
        .map_err(storage_err)?;
    // None: events arrived before the one that blew the whistle (possible with sync).
    let Some(w) = fold(&whistle_events(conn, id)?) else {
        return Ok(());
    };
    write(conn, &w)
}

fn ms(t: chrono::DateTime<chrono::FixedOffset>) -> i64 {
    t.timestamp_millis()
}

fn write(conn: &Connection, w: &Whistle) -> ApiResult<()> {
    conn.prepare_cached(
        "INSERT INTO whistles(id, reason, matter, place, community_id, report_limit_min,
            blown_ms, status, closed_ms, updated_hlc, conflicts)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT(id) DO UPDATE SET status = excluded.status, closed_ms = excluded.closed_ms,
            updated_hlc = excluded.updated_hlc, conflicts = excluded.conflicts",
    )
    .and_then(|mut s| {
        s.execute(params![
            w.id.0,
            wire_name(&w.reason),
            w.matter,
            w.place,
            w.community_id,
            w.report_limit_min,
            ms(w.blown_at),
            wire_name(&w.status),
            w.closed_at.map(ms),
            w.updated.0,
            w.conflicts.len() as i64,
        ])
    })
    .map_err(storage_err)?;
    let mut summons = conn
        .prepare_cached(
            "INSERT INTO summons(whistle_id, department_id, position, stage, summoned_ms, due_ms,
                reported_ms, on_site_ms, finished_ms, release_reason, escalated_ms,
                effectiveness, comment)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )
        .map_err(storage_err)?;
    for (i, s) in w.summons.iter().enumerate() {
        summons
            .execute(params![
                w.id.0,
                s.department,
                i as i64,
                wire_name(&s.stage),
                ms(s.summoned_at),
                ms(s.report_due),
                s.reported_at.map(ms),
                s.on_site_at.map(ms),
                s.finished_at.map(ms),
                s.release_reason,
                s.escalated_at.map(ms),
                s.rating.as_ref().map(|r| r.effectiveness),
                s.rating.as_ref().map(|r| r.comment.clone()),
            ])
            .map_err(storage_err)?;
    }
    let mut link = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO whistle_tickets(ticket_id, whistle_id) VALUES (?1, ?2)",
        )
        .map_err(storage_err)?;
    for t in &w.tickets {
        link.execute([&t.0, &w.id.0]).map_err(storage_err)?;
    }
    Ok(())
}

/// Drops the whistle projections and rebuilds them from the whistle log.
pub(crate) fn rebuild(tx: &Transaction<'_>) -> ApiResult<()> {
    tx.execute_batch("DELETE FROM whistles; DELETE FROM summons; DELETE FROM whistle_tickets;")
        .map_err(storage_err)?;
    for id in crate::log::stream_ids(tx, "whistle_events", "whistle_id")? {
        refresh(tx, &id)?;
    }
    Ok(())
}
