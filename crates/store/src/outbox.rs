//! What sync needs of the store: the outbox (events the hub has not acknowledged), the pull
//! cursor, and applying what the hub sends.
//!
//! The outbox is a mark per log: every row whose local sequence number is above it is still
//! to push. Pushing never deletes anything, and the mark moves only once the hub has answered
//! for every event up to it, so an answer lost on the way means the same page is pushed again,
//! which the hub takes as duplicates. Events that arrive from the hub are not pushed back:
//! when nothing local was pending as they were applied, the marks move past them.

use crate::log::{append_in, read_log_after};
use crate::whistle_log::append_whistles_in;
use crate::{meta_get, meta_set, storage_err, Store};
use rusqlite::Connection;
use streetdesk_core::error::ApiResult;
use streetdesk_core::whistle::{WhistleEvent, WhistleRecord};
use streetdesk_core::{Event, LogEvent, TicketEvent};

const TICKETS_PUSHED: &str = "sync_tickets_pushed";
const WHISTLES_PUSHED: &str = "sync_whistles_pushed";
const CURSOR: &str = "sync_cursor";
/// The id of the event at the cursor, as pulled.
const CURSOR_ID: &str = "sync_cursor_id";
/// The newest event the hub acknowledged holding.
const ANCHOR: &str = "sync_anchor";
const HUB: &str = "sync_hub";

/// A page of the outbox, and the marks that acknowledge it.
#[derive(Debug, Default)]
pub struct OutboxPage {
    /// The events, tickets' first, each log in the order it was written here.
    pub events: Vec<LogEvent>,
    tickets_through: i64,
    whistles_through: i64,
}

fn mark(conn: &Connection, key: &str) -> ApiResult<i64> {
    Ok(meta_get(conn, key)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

fn newest_seq(conn: &Connection, table: &str) -> ApiResult<i64> {
    conn.query_row(
        &format!("SELECT COALESCE(MAX(seq), 0) FROM {table}"),
        [],
        |r| r.get(0),
    )
    .map_err(storage_err)
}

/// How many rows of a log come after `seq`. A log's sequence numbers have no gaps (rows are
/// only ever appended, SQLite numbers each one after the newest, and a duplicate is not
/// inserted), so this is a subtraction: counting the rows read the whole log, seconds at a
/// million tickets, and the status bar asks at every sync.
fn count_after(conn: &Connection, table: &str, seq: i64) -> ApiResult<u64> {
    let n = (newest_seq(conn, table)? - seq).max(0) as u64;
    #[cfg(debug_assertions)]
    {
        let counted: i64 = conn
            .query_row(
                &format!("SELECT COUNT(*) FROM {table} WHERE seq > ?1"),
                [seq],
                |r| r.get(0),
            )
            .map_err(storage_err)?;
        assert_eq!(
            n, counted as u64,
            "{table} has a gap in its sequence numbers"
        );
    }
    Ok(n)
}

/// Up to `limit` events of both logs after the given local sequence numbers, tickets' first;
/// returns them with the sequence numbers of the last ones read.
fn read_after(
    conn: &Connection,
    tickets_after: i64,
    whistles_after: i64,
    limit: usize,
) -> ApiResult<(Vec<LogEvent>, i64, i64)> {
    let mut events = Vec::new();
    let (mut tickets_through, mut whistles_through) = (tickets_after, whistles_after);
    for (seq, row) in read_log_after::<TicketEvent>(
        conn,
        "SELECT seq, id, ticket_id, hlc, device, actor, heads, event FROM events
         WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        tickets_after,
        limit,
    )? {
        tickets_through = seq;
        events.push(LogEvent::Ticket(row.into_event()));
    }
    let room = limit - events.len();
    if room > 0 {
        for (seq, row) in read_log_after::<WhistleEvent>(
            conn,
            "SELECT seq, id, whistle_id, hlc, device, actor, heads, event FROM whistle_events
             WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            whistles_after,
            room,
        )? {
            whistles_through = seq;
            events.push(LogEvent::Whistle(row.into_record()));
        }
    }
    Ok((events, tickets_through, whistles_through))
}

/// Forgets every sync mark: everything is to push, the feed to pull from its start.
fn reset(conn: &Connection) -> ApiResult<()> {
    for key in [TICKETS_PUSHED, WHISTLES_PUSHED, CURSOR] {
        meta_set(conn, key, "0")?;
    }
    conn.execute(
        "DELETE FROM meta WHERE key IN (?1, ?2)",
        [CURSOR_ID, ANCHOR],
    )
    .map(|_| ())
    .map_err(storage_err)
}

impl Store {
    /// How many events wait to be pushed.
    pub fn pending_count(&self) -> ApiResult<u64> {
        Ok(
            count_after(&self.conn, "events", mark(&self.conn, TICKETS_PUSHED)?)?
                + count_after(
                    &self.conn,
                    "whistle_events",
                    mark(&self.conn, WHISTLES_PUSHED)?,
                )?,
        )
    }

    /// Up to `limit` events still to push.
    pub fn outbox(&self, limit: usize) -> ApiResult<OutboxPage> {
        let (events, tickets_through, whistles_through) = read_after(
            &self.conn,
            mark(&self.conn, TICKETS_PUSHED)?,
            mark(&self.conn, WHISTLES_PUSHED)?,
            limit,
        )?;
        Ok(OutboxPage {
            events,
            tickets_through,
            whistles_through,
        })
    }

    /// Every event of both logs, tickets' first, each in the order written here (for exports,
    /// checks and tests; a million tickets' worth is gigabytes).
    pub fn all_log_events(&self) -> ApiResult<Vec<LogEvent>> {
        Ok(read_after(&self.conn, 0, 0, i64::MAX as usize)?.0)
    }

    /// Records that the hub has answered for every event of `page`; `held` is the newest of
    /// them the hub now holds (stored or already there), if any.
    pub fn acknowledge(&mut self, page: &OutboxPage, held: Option<&str>) -> ApiResult<()> {
        let tx = self.conn.transaction().map_err(storage_err)?;
        if let Some(id) = held {
            meta_set(&tx, ANCHOR, id)?;
        }
        for (key, through) in [
            (TICKETS_PUSHED, page.tickets_through),
            (WHISTLES_PUSHED, page.whistles_through),
        ] {
            if through > mark(&tx, key)? {
                meta_set(&tx, key, &through.to_string())?;
            }
        }
        tx.commit().map_err(storage_err)
    }

    /// Where pulling resumes.
    pub fn sync_cursor(&self) -> ApiResult<u64> {
        Ok(mark(&self.conn, CURSOR)?.max(0) as u64)
    }

    /// What the hub must still hold for this device's marks to be right: the id of the event
    /// at the cursor, and the newest event it acknowledged.
    pub fn sync_position(&self) -> ApiResult<(Option<String>, Option<String>)> {
        Ok((
            meta_get(&self.conn, CURSOR_ID)?,
            meta_get(&self.conn, ANCHOR)?,
        ))
    }

    /// Starts over with the same hub: push everything (the hub keeps one copy of each event)
    /// and pull its whole feed again. For a hub that no longer holds this device's position.
    pub fn restart_sync(&mut self) -> ApiResult<()> {
        let tx = self.conn.transaction().map_err(storage_err)?;
        reset(&tx)?;
        tx.commit().map_err(storage_err)
    }

    /// Prepares to sync with the hub called `hub_id`: a different hub than last time means
    /// starting over (see [`Store::restart_sync`]).
    pub fn begin_sync(&mut self, hub_id: &str) -> ApiResult<()> {
        if meta_get(&self.conn, HUB)?.as_deref() == Some(hub_id) {
            return Ok(());
        }
        let tx = self.conn.transaction().map_err(storage_err)?;
        reset(&tx)?;
        meta_set(&tx, HUB, hub_id)?;
        tx.commit().map_err(storage_err)
    }

    /// Applies pages pulled from the hub, and moves the cursor to `cursor` (where the hub
    /// holds event `cursor_id`), in one transaction. Returns how many events were new here.
    pub fn apply_pulled(
        &mut self,
        events: &[LogEvent],
        cursor: u64,
        cursor_id: Option<&str>,
    ) -> ApiResult<usize> {
        for e in events {
            self.observe(e.hlc());
        }
        let (tickets, whistles): (Vec<&LogEvent>, Vec<&LogEvent>) = events
            .iter()
            .partition(|e| matches!(e, LogEvent::Ticket(_)));
        let tickets: Vec<Event> = tickets
            .into_iter()
            .filter_map(|e| match e {
                LogEvent::Ticket(t) => Some(t.clone()),
                LogEvent::Whistle(_) => None,
            })
            .collect();
        let whistles: Vec<WhistleRecord> = whistles
            .into_iter()
            .filter_map(|e| match e {
                LogEvent::Whistle(w) => Some(w.clone()),
                LogEvent::Ticket(_) => None,
            })
            .collect();
        let tx = self.conn.transaction().map_err(storage_err)?;
        // Nothing of ours waiting: what arrives now needs no pushing back.
        let caught_up = [
            (TICKETS_PUSHED, "events"),
            (WHISTLES_PUSHED, "whistle_events"),
        ]
        .map(|(key, table)| -> ApiResult<bool> { Ok(mark(&tx, key)? >= newest_seq(&tx, table)?) });
        let (n, entries) = append_in(&tx, &self.rules, &tickets)?;
        let m = append_whistles_in(&tx, &whistles)?;
        for ((key, table), caught_up) in [
            (TICKETS_PUSHED, "events"),
            (WHISTLES_PUSHED, "whistle_events"),
        ]
        .into_iter()
        .zip(caught_up)
        {
            if caught_up? {
                meta_set(&tx, key, &newest_seq(&tx, table)?.to_string())?;
            }
        }
        if let Some(id) = cursor_id {
            meta_set(&tx, CURSOR, &cursor.to_string())?;
            meta_set(&tx, CURSOR_ID, id)?;
        }
        tx.commit().map_err(storage_err)?;
        self.after_ticket_write(&entries);
        Ok(n + m)
    }
}
