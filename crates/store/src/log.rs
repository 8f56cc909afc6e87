//! The append-only event log.

use crate::facet_index::FacetEntry;
use crate::log_codec::{heads_from, heads_value, id_text, id_value, StoredId};
use crate::projection::{self, Prepared, Refold};
use crate::rules::Rules;
use crate::{storage_err, Store, MAX_CLOCK_LEAD_MS};
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use std::collections::{BTreeMap, HashSet};
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_core::whistle::{WhistleEvent, WhistleRecord};
use streetdesk_core::wire::wire_name;
use streetdesk_core::{DeviceId, Event, EventId, Hlc, TicketEvent, TicketId, WhistleId};

/// The newest HLC in the log, kept in `meta` by every append so that neither opening a large
/// log nor appending to it scans it. A log from before that is scanned once, here.
pub(crate) fn max_hlc(conn: &Connection) -> ApiResult<Hlc> {
    if let Some(kept) = kept_hlc(conn)? {
        return Ok(kept);
    }
    let max = conn
        .query_row("SELECT COALESCE(MAX(hlc), 0) FROM events", [], |r| {
            r.get::<_, i64>(0)
        })
        .map(Hlc)
        .map_err(storage_err)?;
    put_hlc(conn, max)?;
    Ok(max)
}

fn kept_hlc(conn: &Connection) -> ApiResult<Option<Hlc>> {
    let kept: Option<String> = conn
        .prepare_cached("SELECT value FROM meta WHERE key = 'hlc_high'")
        .and_then(|mut s| s.query_row([], |r| r.get(0)).optional())
        .map_err(storage_err)?;
    Ok(kept.and_then(|v| v.parse::<i64>().ok()).map(Hlc))
}

fn put_hlc(conn: &Connection, hlc: Hlc) -> ApiResult<()> {
    conn.prepare_cached(
        "INSERT INTO meta(key, value) VALUES ('hlc_high', ?1)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )
    .and_then(|mut s| s.execute([hlc.0.to_string()]))
    .map(|_| ())
    .map_err(storage_err)
}

/// Raises the kept newest HLC to the newest of `hlcs`.
pub(crate) fn keep_max_hlc(tx: &Transaction<'_>, hlcs: impl Iterator<Item = Hlc>) -> ApiResult<()> {
    let Some(newest) = hlcs.max() else {
        return Ok(());
    };
    // The store wrote the mark when it opened, so it is there.
    if kept_hlc(tx)?.is_none_or(|kept| newest > kept) {
        put_hlc(tx, newest)?;
    }
    Ok(())
}

/// One row of an event log (tickets' or whistles'), its body decoded.
pub(crate) struct LogRow<B> {
    pub(crate) id: EventId,
    /// The ticket or whistle the event belongs to.
    pub(crate) stream: String,
    pub(crate) hlc: Hlc,
    pub(crate) device: DeviceId,
    pub(crate) actor: String,
    pub(crate) heads: Vec<EventId>,
    pub(crate) body: B,
}

impl LogRow<TicketEvent> {
    /// The row as a ticket event.
    pub(crate) fn into_event(self) -> Event {
        Event {
            id: self.id,
            ticket_id: TicketId(self.stream),
            hlc: self.hlc,
            device: self.device,
            actor: self.actor,
            heads: self.heads,
            body: self.body,
        }
    }
}

impl LogRow<WhistleEvent> {
    /// The row as a whistle event.
    pub(crate) fn into_record(self) -> WhistleRecord {
        WhistleRecord {
            id: self.id,
            whistle_id: WhistleId(self.stream),
            hlc: self.hlc,
            device: self.device,
            actor: self.actor,
            heads: self.heads,
            body: self.body,
        }
    }
}

type RawRow = (
    (String, String, i64),
    (String, String),
    (Vec<EventId>, String),
);

/// Reads id, stream, hlc, device, actor, heads and event from columns `at..at + 7`.
fn raw_row(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<RawRow> {
    Ok((
        (
            id_text(r.get_ref(at)?)?,
            id_text(r.get_ref(at + 1)?)?,
            r.get(at + 2)?,
        ),
        (id_text(r.get_ref(at + 3)?)?, r.get(at + 4)?),
        (heads_from(r.get_ref(at + 5)?)?, r.get(at + 6)?),
    ))
}

fn decode<B: serde::de::DeserializeOwned>(row: RawRow) -> ApiResult<LogRow<B>> {
    let ((id, stream, hlc), (device, actor), (heads, body)) = row;
    Ok(LogRow {
        id: EventId(id),
        stream,
        hlc: Hlc(hlc),
        device: DeviceId(device),
        actor,
        heads,
        body: serde_json::from_str(&body).map_err(storage_err)?,
    })
}

/// Reads a log's rows for one stream; `sql` selects id, stream, hlc, device, actor, heads and
/// event, in that order, for the stream bound to `?1`.
pub(crate) fn read_log<B: serde::de::DeserializeOwned>(
    conn: &Connection,
    sql: &str,
    stream: &str,
) -> ApiResult<Vec<LogRow<B>>> {
    let mut stmt = conn.prepare_cached(sql).map_err(storage_err)?;
    let rows = stmt
        .query_map([StoredId(stream)], |r| raw_row(r, 0))
        .map_err(storage_err)?;
    rows.map(|row| decode(row.map_err(storage_err)?)).collect()
}

/// Reads up to `limit` rows of a log after local sequence number `after`; `sql` selects seq,
/// then the columns [`read_log`] reads, for `?1` = after and `?2` = limit.
pub(crate) fn read_log_after<B: serde::de::DeserializeOwned>(
    conn: &Connection,
    sql: &str,
    after: i64,
    limit: usize,
) -> ApiResult<Vec<(i64, LogRow<B>)>> {
    let mut stmt = conn.prepare_cached(sql).map_err(storage_err)?;
    let rows = stmt
        .query_map(params![after, limit as i64], |r| {
            Ok((r.get(0)?, raw_row(r, 1)?))
        })
        .map_err(storage_err)?;
    rows.map(|row| {
        let (seq, raw) = row.map_err(storage_err)?;
        Ok((seq, decode(raw)?))
    })
    .collect()
}

/// The distinct streams (tickets or whistles) of a log, for rebuilds.
pub(crate) fn stream_ids(conn: &Connection, table: &str, stream: &str) -> ApiResult<Vec<String>> {
    let mut stmt = conn
        .prepare(&format!("SELECT DISTINCT {stream} FROM {table}"))
        .map_err(storage_err)?;
    let ids = stmt
        .query_map([], |r| Ok(id_text(r.get_ref(0)?)?))
        .map_err(storage_err)?
        .collect::<Result<_, _>>()
        .map_err(storage_err);
    ids
}

/// Every event of one ticket, in the order the log holds them.
pub(crate) fn ticket_events(conn: &Connection, ticket: &str) -> ApiResult<Vec<Event>> {
    let rows = read_log(
        conn,
        "SELECT id, ticket_id, hlc, device, actor, heads, event FROM events
         WHERE ticket_id = ?1 ORDER BY hlc, device, id",
        ticket,
    )?;
    Ok(rows.into_iter().map(LogRow::into_event).collect())
}

/// The ticket's frontier: events no other event of the ticket names as a head.
pub(crate) fn heads(events: &[Event]) -> Vec<EventId> {
    frontier(events.iter().map(|e| (&e.id, e.heads.as_slice())))
}

/// The frontier of a history given as (event id, its heads): ids no event names as a head.
pub(crate) fn frontier<'a>(
    events: impl Iterator<Item = (&'a EventId, &'a [EventId])> + Clone,
) -> Vec<EventId> {
    let referenced: HashSet<&EventId> = events.clone().flat_map(|(_, h)| h).collect();
    events
        .filter(|(id, _)| !referenced.contains(id))
        .map(|(id, _)| id.clone())
        .collect()
}

/// A log row's encoded parts (all but the HLC and the actor, which bind as they are).
struct Serialised {
    id: Value,
    ticket: Value,
    device: Value,
    ty: String,
    heads: Value,
    body: String,
}

fn serialise(events: &[Event]) -> ApiResult<Vec<Serialised>> {
    events
        .iter()
        .map(|e| {
            Ok(Serialised {
                id: id_value(&e.id.0),
                ticket: id_value(&e.ticket_id.0),
                device: id_value(&e.device.0),
                ty: wire_name(&e.body.event_type()),
                heads: heads_value(&e.heads),
                body: serde_json::to_string(&e.body).map_err(storage_err)?,
            })
        })
        .collect()
}

/// Events serialised per hand-over to the inserting thread.
const SERIALISE_CHUNK: usize = 1024;

/// Batches from this size on spread their CPU work over a second and third thread.
const PARALLEL_FROM: usize = 2 * SERIALISE_CHUNK;

/// Inserts events (ignoring ids already present) and refreshes the projection of every ticket
/// they touch, in one transaction. Returns how many events were new, and the touched tickets'
/// facet entries, for the facet index once the transaction commits.
///
/// SQLite writes on one thread. For a large batch, two helpers keep it fed: one serialises the
/// events ahead of the inserts, the other folds the tickets new to the log (and splits their
/// search grams) from the batch itself, which needs no read of the log.
pub(crate) fn append_in(
    tx: &Transaction<'_>,
    rules: &Rules,
    events: &[Event],
) -> ApiResult<(usize, Vec<FacetEntry>)> {
    let mut by_ticket: BTreeMap<&str, Vec<&Event>> = BTreeMap::new();
    for e in events {
        by_ticket.entry(&e.ticket_id.0).or_default().push(e);
    }
    // Tickets the log already holds are re-read once this batch is in; the others fold from
    // the batch alone.
    let mut logged = HashSet::new();
    let mut fresh = Vec::new();
    {
        let mut known = tx
            .prepare_cached("SELECT 1 FROM events WHERE ticket_id = ?1 LIMIT 1")
            .map_err(storage_err)?;
        for (ticket, batch) in by_ticket {
            if known.exists([StoredId(ticket)]).map_err(storage_err)? {
                logged.insert(ticket);
            } else {
                fresh.push(batch);
            }
        }
    }
    let fold_fresh =
        || -> Vec<Prepared> { fresh.iter().filter_map(|b| Prepared::fold(b)).collect() };
    let (inserted, changed, prepared) = if events.len() < PARALLEL_FROM {
        let (inserted, changed) = insert_all(tx, events, std::iter::once(serialise(events)))?;
        (inserted, changed, fold_fresh())
    } else {
        std::thread::scope(|scope| {
            let folding = scope.spawn(fold_fresh);
            let (send, receive) = std::sync::mpsc::sync_channel(4);
            scope.spawn(move || {
                for chunk in events.chunks(SERIALISE_CHUNK) {
                    // A closed channel means the inserts failed: stop.
                    if send.send(serialise(chunk)).is_err() {
                        break;
                    }
                }
            });
            let (inserted, changed) = insert_all(tx, events, receive.into_iter())?;
            let prepared = folding.join().map_err(|_| {
                ApiError::new(ErrorCode::Internal, "folding the new tickets failed")
            })?;
            Ok::<_, ApiError>((inserted, changed, prepared))
        })?
    };
    keep_max_hlc(tx, events.iter().map(|e| e.hlc))?;
    let refolds = logged
        .into_iter()
        .filter(|t| changed.contains(t))
        .map(Refold::Logged)
        .chain(prepared.into_iter().map(|p| Refold::Folded(Box::new(p))));
    let entries = projection::refresh_all(tx, rules, refolds)?;
    Ok((inserted, entries))
}

/// Inserts `events`, whose serialised rows arrive in order from `rows`; returns how many were
/// new and the tickets they belong to.
fn insert_all<'e>(
    tx: &Transaction<'_>,
    events: &'e [Event],
    rows: impl Iterator<Item = ApiResult<Vec<Serialised>>>,
) -> ApiResult<(usize, HashSet<&'e str>)> {
    let mut insert = tx
        .prepare_cached(
            "INSERT INTO events(id, ticket_id, hlc, device, actor, type, heads, event)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(id) DO NOTHING",
        )
        .map_err(storage_err)?;
    let mut inserted = 0;
    let mut changed = HashSet::new();
    let mut pending = events.iter();
    for chunk in rows {
        for (row, e) in chunk?.into_iter().zip(pending.by_ref()) {
            let n = insert
                .execute(params![
                    row.id, row.ticket, e.hlc.0, row.device, e.actor, row.ty, row.heads, row.body
                ])
                .map_err(storage_err)?;
            if n > 0 {
                inserted += 1;
                changed.insert(e.ticket_id.0.as_str());
            }
        }
    }
    if pending.next().is_some() {
        return Err(ApiError::new(
            ErrorCode::Internal,
            "serialising the events stopped early",
        ));
    }
    Ok((inserted, changed))
}

impl Store {
    /// Appends events durably (idempotent by id) and updates projections. When this returns
    /// `Ok`, the events are on disk.
    pub fn append(&mut self, events: &[Event]) -> ApiResult<usize> {
        for e in events {
            self.observe(e.hlc);
        }
        let tx = self.conn.transaction().map_err(storage_err)?;
        let (n, entries) = append_in(&tx, &self.rules, events)?;
        tx.commit().map_err(storage_err)?;
        self.after_ticket_write(&entries);
        Ok(n)
    }

    /// Keeps counts in step with committed ticket rows.
    pub(crate) fn after_ticket_write(&mut self, entries: &[FacetEntry]) {
        self.generation += 1;
        if let Some(index) = self.facet_index.get_mut().as_mut() {
            index.put_all(entries);
        }
    }

    /// Merges the HLC of an event from another device into this device's clock, unless it is
    /// further ahead of our wall clock than [`MAX_CLOCK_LEAD_MS`]: a laptop days fast must not
    /// drag every other device's clock along. Its events are kept all the same, and local
    /// events still order after the ones they follow (see [`after_all`]).
    pub(crate) fn observe(&mut self, remote: Hlc) {
        let now = now_ms();
        if remote.physical_ms() <= now + MAX_CLOCK_LEAD_MS {
            self.clock.observe(remote, now);
        }
    }

    /// Stamps a new local event for `ticket`, naming the ticket's current heads.
    pub fn stamp(&mut self, ticket: &TicketId, body: TicketEvent) -> ApiResult<Event> {
        let events = ticket_events(&self.conn, &ticket.0)?;
        let actor = self.actor.clone();
        let mut e = self.stamp_with_heads(ticket, body, heads(&events), now_ms(), &actor);
        e.hlc = after_all(e.hlc, events.iter().map(|e| e.hlc));
        Ok(e)
    }

    /// Stamps an event at a given wall time, with given heads and actor (bulk loaders and
    /// importers know all three).
    pub fn stamp_with_heads(
        &mut self,
        ticket: &TicketId,
        body: TicketEvent,
        heads: Vec<EventId>,
        wall_ms: i64,
        actor: &str,
    ) -> Event {
        Event {
            id: EventId::new(),
            ticket_id: ticket.clone(),
            hlc: self.clock.tick(wall_ms),
            device: self.device.clone(),
            actor: actor.to_owned(),
            heads,
            body,
        }
    }

    /// Every event of one ticket, in fold order (for exchange between stores and for tests).
    pub fn events_of(&self, ticket: &str) -> ApiResult<Vec<Event>> {
        ticket_events(&self.conn, ticket)
    }

    /// Whether the log holds an event with this id.
    pub fn has_event(&self, id: &str) -> ApiResult<bool> {
        self.conn
            .prepare_cached("SELECT 1 FROM events WHERE id = ?1")
            .and_then(|mut s| s.exists([StoredId(id)]))
            .map_err(storage_err)
    }

    /// The id of every event in both logs, sorted (for comparing replicas).
    pub fn event_ids(&self) -> ApiResult<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM events UNION ALL SELECT id FROM whistle_events")
            .map_err(storage_err)?;
        let mut ids: Vec<String> = stmt
            .query_map([], |r| Ok(id_text(r.get_ref(0)?)?))
            .map_err(storage_err)?
            .collect::<Result<_, _>>()
            .map_err(storage_err)?;
        ids.sort();
        Ok(ids)
    }

    /// Number of events in the log.
    pub fn event_count(&self) -> ApiResult<u64> {
        self.conn
            .query_row("SELECT COUNT(*) FROM events", [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(storage_err)
    }
}

/// `hlc`, or just after the newest of `seen` if that is later: an event must order after the
/// events it follows even when one of them came from a clock far ahead, which the device
/// clock does not follow.
pub(crate) fn after_all(hlc: Hlc, seen: impl Iterator<Item = Hlc>) -> Hlc {
    match seen.max() {
        Some(newest) if newest >= hlc => Hlc(newest.0 + 1),
        _ => hlc,
    }
}

pub(crate) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[cfg(test)]
mod tests {
    use super::*;
    use streetdesk_core::TicketId;

    #[test]
    fn the_newest_hlc_is_kept_without_scanning_the_log() {
        let mut s = Store::open_in_memory().unwrap();
        let t = TicketId::new();
        for wall in [5_000, 9_000, 7_000] {
            let e = s.stamp_with_heads(&t, TicketEvent::SignedFor, vec![], wall, "a");
            s.append(&[e]).unwrap();
        }
        let scanned: i64 = s
            .conn
            .query_row("SELECT MAX(hlc) FROM events", [], |r| r.get(0))
            .unwrap();
        assert_eq!(kept_hlc(&s.conn).unwrap(), Some(Hlc(scanned)));
        // An event from another device with an older clock leaves the mark alone.
        let old = Event {
            hlc: Hlc::new(1_000, 0),
            ..s.stamp_with_heads(&t, TicketEvent::Archived, vec![], 1_000, "b")
        };
        s.append(&[old]).unwrap();
        assert_eq!(kept_hlc(&s.conn).unwrap(), Some(Hlc(scanned)));
    }
}
