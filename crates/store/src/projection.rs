//! The `tickets` projection: a cache of each ticket's fold, refreshed when its events change
//! and rebuildable from the log at any time.

use crate::log::ticket_events;
use crate::rules::Rules;
use crate::search;
use crate::{storage_err, Store};
use rusqlite::{params, Connection};
use streetdesk_core::error::ApiResult;
use streetdesk_core::ticket::{fold, Ticket};
use streetdesk_core::wire::wire_name as enum_str;

/// Re-folds one ticket's events into its projection row.
pub(crate) fn refresh(conn: &Connection, rules: &Rules, ticket: &str) -> ApiResult<()> {
    let events = ticket_events(conn, ticket)?;
    match fold(&events) {
        Some(t) => upsert(conn, rules, &t),
        // Events arrived before the registration (possible with sync): nothing to show yet.
        None => Ok(()),
    }
}

fn upsert(conn: &Connection, rules: &Rules, t: &Ticket) -> ApiResult<()> {
    let due = rules.policies.deadline(
        t.received_at,
        t.urgency,
        t.printed_deadline,
        t.extended_to(),
        &rules.calendar,
    );
    let callback = t
        .callback
        .map(|c| serde_json::to_string(&c))
        .transpose()
        .map_err(storage_err)?;
    // An upsert, not INSERT OR REPLACE: the row keeps its rowid, which keys the search index.
    let rowid: i64 = conn
        .prepare_cached(
            "INSERT INTO tickets(id, hotline_no, kind, source, category, content, address,
                community_id, caller_name, caller_phone, received_ms, status, assignee, reply,
                callback, created_hlc, updated_hlc, conflicts, urgency, due_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                ?18, ?19, ?20)
             ON CONFLICT(id) DO UPDATE SET hotline_no = excluded.hotline_no,
                kind = excluded.kind, source = excluded.source, category = excluded.category,
                content = excluded.content, address = excluded.address,
                community_id = excluded.community_id, caller_name = excluded.caller_name,
                caller_phone = excluded.caller_phone, received_ms = excluded.received_ms,
                status = excluded.status, assignee = excluded.assignee, reply = excluded.reply,
                callback = excluded.callback, created_hlc = excluded.created_hlc,
                updated_hlc = excluded.updated_hlc, conflicts = excluded.conflicts,
                urgency = excluded.urgency, due_ms = excluded.due_ms
             RETURNING rowid",
        )
        .and_then(|mut stmt| {
            stmt.query_row(
                params![
                    t.id.0,
                    t.hotline_no,
                    enum_str(&t.kind),
                    enum_str(&t.source),
                    t.category,
                    t.content,
                    t.address,
                    t.community_id,
                    t.caller_name.expose(),
                    t.caller_phone.expose(),
                    t.received_at.timestamp_millis(),
                    t.status.as_str(),
                    t.assignee,
                    t.reply,
                    callback,
                    t.created.0,
                    t.updated.0,
                    t.conflicts.len() as i64,
                    enum_str(&t.urgency),
                    due.timestamp_millis(),
                ],
                |r| r.get(0),
            )
        })
        .map_err(storage_err)?;
    search::index(conn, rowid, t)
}

impl Store {
    /// Drops every projection row and rebuilds it from the event log.
    pub fn rebuild_projections(&mut self) -> ApiResult<()> {
        let tx = self.conn.transaction().map_err(storage_err)?;
        tx.execute_batch("DELETE FROM tickets; DELETE FROM tickets_fts;")
            .map_err(storage_err)?;
        let ids: Vec<String> = {
            let mut stmt = tx
                .prepare("SELECT DISTINCT ticket_id FROM events")
                .map_err(storage_err)?;
            let rows = stmt
                .query_map([], |r| r.get(0))
                .map_err(storage_err)?
                .collect::<Result<_, _>>()
                .map_err(storage_err)?;
            rows
        };
        for id in ids {
            refresh(&tx, &self.rules, &id)?;
        }
        tx.commit().map_err(storage_err)
    }

    /// Every projection row as text, ordered by id; lets tests compare a projection with a
    /// fresh rebuild.
    pub fn projection_snapshot(&self) -> ApiResult<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT json_array(id, hotline_no, kind, source, category, content, address,
                    community_id, caller_name, caller_phone, received_ms, status, assignee, reply,
                    callback, created_hlc, updated_hlc, conflicts, urgency, due_ms)
                 FROM tickets ORDER BY id",
            )
            .map_err(storage_err)?;
        let rows = stmt
            .query_map([], |r| r.get(0))
            .map_err(storage_err)?
            .collect::<Result<_, _>>()
            .map_err(storage_err);
        rows
    }
}
