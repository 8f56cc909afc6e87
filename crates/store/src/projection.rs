//! The `tickets` projection: a cache of each ticket's fold, refreshed when its events change
//! and rebuildable from the log at any time.

use crate::log::ticket_events;
use crate::rules::Rules;
use crate::{search, tags};
use crate::{storage_err, Store};
use rusqlite::{params, Connection, OptionalExtension};
use streetdesk_core::error::ApiResult;
use streetdesk_core::policy;
use streetdesk_core::ticket::{fold, Ticket};
use streetdesk_core::wire::wire_name as enum_str;
use streetdesk_core::Event;

/// Re-folds one ticket's events into its projection row.
pub(crate) fn refresh(conn: &Connection, rules: &Rules, ticket: &str) -> ApiResult<()> {
    let events = ticket_events(conn, ticket)?;
    match fold(&events) {
        Some(t) => upsert(conn, rules, &t),
        // Events arrived before the registration (possible with sync): nothing to show yet.
        None => Ok(()),
    }
}

/// The grid's code in the projection: community id and grid number, e.g. `c03-02`.
pub(crate) fn grid_code(community_id: &str, grid: u32) -> String {
    format!("{community_id}-{grid:02}")
}

/// What the previous projection row held of the parts kept in side indexes.
struct Indexed {
    text: [String; 4],
    tags: String,
}

fn indexed_text(t: &Ticket) -> [String; 4] {
    [
        t.content.clone(),
        t.address.clone(),
        t.reply.clone().unwrap_or_default(),
        t.hotline_no.clone().unwrap_or_default(),
    ]
}

/// Folds a ticket from the given events alone (all it has) into its projection row.
pub(crate) fn refresh_from(conn: &Connection, rules: &Rules, events: Vec<&Event>) -> ApiResult<()> {
    match fold(events) {
        Some(t) => upsert(conn, rules, &t),
        None => Ok(()),
    }
}

fn upsert(conn: &Connection, rules: &Rules, t: &Ticket) -> ApiResult<()> {
    let previous = conn
        .prepare_cached(
            "SELECT content, address, COALESCE(reply, ''), COALESCE(hotline_no, ''), tags
             FROM tickets WHERE id = ?1",
        )
        .and_then(|mut s| {
            s.query_row([&t.id.0], |r| {
                Ok(Indexed {
                    text: [r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?],
                    tags: r.get(4)?,
                })
            })
            .optional()
        })
        .map_err(storage_err)?;
    let due = rules
        .policies
        .deadline(
            t.received_at,
            t.urgency,
            t.printed_deadline,
            t.extended_to(),
            &rules.calendar,
        )
        .timestamp_millis();
    let received = t.received_at.timestamp_millis();
    let (open_due, open_yellow) = if t.status.clock_running() {
        let yellow = policy::yellow_from(received, due, rules.policies.yellow_at);
        (Some(due), Some(yellow))
    } else {
        (None, None)
    };
    let callback = t
        .callback
        .map(|c| serde_json::to_string(&c))
        .transpose()
        .map_err(storage_err)?;
    let tags = serde_json::to_string(&t.tags).map_err(storage_err)?;
    // An upsert, not INSERT OR REPLACE: the row keeps its rowid, which keys the side indexes.
    let rowid: i64 = conn
        .prepare_cached(
            "INSERT INTO tickets(id, hotline_no, kind, source, category, content, address,
                community_id, caller_name, caller_phone, received_ms, status, assignee, reply,
                callback, created_hlc, updated_hlc, conflicts, urgency, due_ms, grid, supervised,
                tags, open_due_ms, open_yellow_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)
             ON CONFLICT(id) DO UPDATE SET hotline_no = excluded.hotline_no,
                kind = excluded.kind, source = excluded.source, category = excluded.category,
                content = excluded.content, address = excluded.address,
                community_id = excluded.community_id, caller_name = excluded.caller_name,
                caller_phone = excluded.caller_phone, received_ms = excluded.received_ms,
                status = excluded.status, assignee = excluded.assignee, reply = excluded.reply,
                callback = excluded.callback, created_hlc = excluded.created_hlc,
                updated_hlc = excluded.updated_hlc, conflicts = excluded.conflicts,
                urgency = excluded.urgency, due_ms = excluded.due_ms, grid = excluded.grid,
                supervised = excluded.supervised, tags = excluded.tags,
                open_due_ms = excluded.open_due_ms, open_yellow_ms = excluded.open_yellow_ms
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
                    received,
                    t.status.as_str(),
                    t.assignee,
                    t.reply,
                    callback,
                    t.created.0,
                    t.updated.0,
                    t.conflicts.len() as i64,
                    enum_str(&t.urgency),
                    due,
                    t.grid.map(|g| grid_code(&t.community_id, g)),
                    t.supervised,
                    tags,
                    open_due,
                    open_yellow,
                ],
                |r| r.get(0),
            )
        })
        .map_err(storage_err)?;
    // Most events change neither the searchable text nor the tags: skip the side indexes then.
    let text = indexed_text(t);
    match &previous {
        Some(p) if p.text == text => {}
        _ => search::index(conn, rowid, previous.is_some(), &text)?,
    }
    let old_tags: Vec<String> = match &previous {
        Some(p) if p.tags == tags => return Ok(()),
        Some(p) => serde_json::from_str(&p.tags).map_err(storage_err)?,
        None => Vec::new(),
    };
    tags::replace(conn, rowid, &old_tags, &t.tags)
}

impl Store {
    /// Drops every projection row and rebuilds it from the event log.
    pub fn rebuild_projections(&mut self) -> ApiResult<()> {
        let tx = self.conn.transaction().map_err(storage_err)?;
        tx.execute_batch("DELETE FROM tickets; DELETE FROM tickets_fts; DELETE FROM ticket_tags;")
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
                    callback, created_hlc, updated_hlc, conflicts, urgency, due_ms, grid,
                    supervised, tags, open_due_ms, open_yellow_ms,
                    (SELECT json_group_array(tag) FROM
                        (SELECT tag FROM ticket_tags WHERE ticket = tickets.rowid ORDER BY tag)))
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
