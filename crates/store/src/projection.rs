//! The `tickets` projection: a cache of each ticket's fold, refreshed when its events change
//! and rebuildable from the log at any time.

use crate::deadlines::{self, DeadlineInputs};
use crate::facet_index::FacetEntry;
use crate::log::ticket_events;
use crate::rules::Rules;
use crate::{search, tags};
use crate::{storage_err, Store};
use rusqlite::{params, Connection, OptionalExtension};
use streetdesk_core::error::ApiResult;
use streetdesk_core::ticket::{fold, Ticket};
use streetdesk_core::wire::wire_name as enum_str;
use streetdesk_core::Event;

/// Where a ticket's events come from when its projection row is refreshed.
pub(crate) enum Refold<'a> {
    /// Re-read every event of the ticket with this id from the log.
    Logged(&'a str),
    /// A ticket new to the log, folded from the batch that brought it; no row exists yet.
    Folded(Box<Prepared>),
}

/// A ticket folded, and its search grams split, away from the writing thread.
pub(crate) struct Prepared {
    ticket: Ticket,
    grams: String,
}

impl Prepared {
    /// Folds a ticket from events that are all it has; `None` before its registration.
    pub(crate) fn fold(events: &[&Event]) -> Option<Prepared> {
        let ticket = fold(events.iter().copied())?;
        let grams = search::grams(&indexed_text(&ticket));
        Some(Prepared { ticket, grams })
    }
}

/// Re-folds tickets into their projection rows; returns the rows' facet entries.
///
/// Rows are written in ascending position, and the search index after them in the same order:
/// B-trees take ascending keys cheaply, and FTS5 flushes its pending terms to a new segment
/// whenever a rowid goes backwards within a transaction — in key order a bulk append writes
/// a few large segments instead of thousands of tiny ones that must then be merged.
pub(crate) fn refresh_all<'a>(
    conn: &Connection,
    rules: &Rules,
    tickets: impl IntoIterator<Item = Refold<'a>>,
) -> ApiResult<Vec<FacetEntry>> {
    let mut folded = Vec::new();
    for ticket in tickets {
        match ticket {
            Refold::Logged(id) => {
                // None: events arrived before the registration (possible with sync).
                if let Some(t) = fold(&ticket_events(conn, id)?) {
                    let previous = previous(conn, &t.id.0)?;
                    folded.push((t, previous, None));
                }
            }
            Refold::Folded(p) => folded.push((p.ticket, None, Some(p.grams))),
        }
    }
    folded.sort_by_key(|(t, previous, _)| match previous {
        Some(p) => p.pos,
        None => first_pos(t.received_at.timestamp_millis()),
    });
    let mut entries = Vec::with_capacity(folded.len());
    let mut writes = Vec::new();
    for (t, previous, grams) in folded {
        let (entry, write) = upsert(conn, rules, &t, previous.as_ref(), grams)?;
        entries.push(entry);
        writes.extend(write);
    }
    writes.sort_by_key(|g| g.pos);
    for g in writes {
        search::index(conn, g.pos, g.had_entry, &g.grams)?;
    }
    Ok(entries)
}

/// The grid's code in the projection: community id and grid number, e.g. `c03-02`.
pub(crate) fn grid_code(community_id: &str, grid: u32) -> String {
    format!("{community_id}-{grid:02}")
}

/// A pending write of the search index.
struct GramWrite {
    pos: i64,
    had_entry: bool,
    grams: String,
}

/// What the previous projection row held of the parts kept in side indexes.
struct Indexed {
    pos: i64,
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

/// The first `levels` levels of a category path.
pub(crate) fn category_prefix(category: &str, levels: usize) -> String {
    category
        .split('/')
        .take(levels)
        .collect::<Vec<_>>()
        .join("/")
}

/// Positions per millisecond of receipt: room for tickets received in the same millisecond.
pub(crate) const POS_PER_MS: i64 = 1024;

/// The first position a row received at this instant may take.
pub(crate) fn first_pos(received_ms: i64) -> i64 {
    received_ms.max(0) * POS_PER_MS
}

/// A free position for a new row: its received time first, then the next free slot.
fn free_pos(conn: &Connection, received_ms: i64) -> ApiResult<i64> {
    let mut stmt = conn
        .prepare_cached("SELECT 1 FROM tickets WHERE pos = ?1")
        .map_err(storage_err)?;
    let mut pos = first_pos(received_ms);
    while stmt.exists([pos]).map_err(storage_err)? {
        pos += 1;
    }
    Ok(pos)
}

fn ms(at: Option<chrono::DateTime<chrono::FixedOffset>>) -> Option<i64> {
    at.map(|d| d.timestamp_millis())
}

const COLUMNS: &str = "id, hotline_no, kind, source, category, content, address, community_id,
    caller_name, caller_phone, received_ms, status, assignee, reply, callback, created_hlc,
    updated_hlc, conflicts, urgency, due_ms, grid, supervised, tags, open_due_ms, open_yellow_ms,
    category1, category2, printed_ms, extended_ms, signed_ms, contacted_ms, replied_ms,
    archived_ms, merged, lat, lng, related";

fn previous(conn: &Connection, id: &str) -> ApiResult<Option<Indexed>> {
    conn.prepare_cached(
        "SELECT pos, content, address, COALESCE(reply, ''), COALESCE(hotline_no, ''), tags
             FROM tickets WHERE id = ?1",
    )
    .and_then(|mut s| {
        s.query_row([id], |r| {
            Ok(Indexed {
                pos: r.get(0)?,
                text: [r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?],
                tags: r.get(5)?,
            })
        })
        .optional()
    })
    .map_err(storage_err)
}

/// Writes one row and its tags; returns its facet entry and, when the searchable text
/// changed, the search-index write it needs (with `grams` when they were split already).
fn upsert(
    conn: &Connection,
    rules: &Rules,
    t: &Ticket,
    previous: Option<&Indexed>,
    grams: Option<String>,
) -> ApiResult<(FacetEntry, Option<GramWrite>)> {
    let received = t.received_at.timestamp_millis();
    let printed = t.printed_deadline.map(|d| d.timestamp_millis());
    let extended = t.extended_to().map(|d| d.timestamp_millis());
    let deadline = deadlines::columns(
        rules,
        &DeadlineInputs {
            received_ms: received,
            urgency: t.urgency,
            printed_ms: printed,
            extended_ms: extended,
            running: t.status.clock_running(),
        },
    );
    let callback = t
        .callback
        .map(|c| serde_json::to_string(&c))
        .transpose()
        .map_err(storage_err)?;
    let tags = serde_json::to_string(&t.tags).map_err(storage_err)?;
    let related = serde_json::to_string(&t.related).map_err(storage_err)?;
    let pos = match previous {
        Some(p) => p.pos,
        None => free_pos(conn, received)?,
    };
    // A row keeps its position for life: the search and tag indexes are keyed by it.
    let sql = if previous.is_some() {
        format!("UPDATE tickets SET ({COLUMNS}) = (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, ?38) WHERE pos = ?1")
    } else {
        format!("INSERT INTO tickets(pos, {COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, ?38)")
    };
    conn.prepare_cached(&sql)
        .and_then(|mut stmt| {
            stmt.execute(params![
                pos,
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
                deadline.due_ms,
                t.grid.map(|g| grid_code(&t.community_id, g)),
                t.supervised,
                tags,
                deadline.open_due_ms,
                deadline.open_yellow_ms,
                category_prefix(&t.category, 1),
                category_prefix(&t.category, 2),
                printed,
                extended,
                ms(t.milestones.signed_at),
                ms(t.milestones.contacted_at),
                ms(t.milestones.replied_at),
                ms(t.milestones.archived_at),
                t.merged_into.is_some(),
                t.location.map(|p| p.lat),
                t.location.map(|p| p.lng),
                related,
            ])
        })
        .map_err(storage_err)?;
    let facets = FacetEntry {
        pos,
        status: t.status.as_str().to_owned(),
        kind: enum_str(&t.kind),
        source: enum_str(&t.source),
        community: t.community_id.clone(),
        grid: t.grid.map(|g| grid_code(&t.community_id, g)),
        category: t.category.clone(),
        category1: category_prefix(&t.category, 1),
        category2: category_prefix(&t.category, 2),
        assignee: t.assignee.clone(),
        supervised: t.supervised,
        due_ms: deadline.due_ms,
        open_due_ms: deadline.open_due_ms,
        open_yellow_ms: deadline.open_yellow_ms,
        tags: t.tags.clone(),
    };
    // Most events change neither the searchable text nor the tags: skip the side indexes then.
    let gram = match (previous, grams) {
        (Some(p), _) if p.text == indexed_text(t) => None,
        (previous, grams) => Some(GramWrite {
            pos,
            had_entry: previous.is_some(),
            grams: grams.unwrap_or_else(|| search::grams(&indexed_text(t))),
        }),
    };
    let old_tags: Vec<String> = match previous {
        Some(p) if p.tags == tags => return Ok((facets, gram)),
        Some(p) => serde_json::from_str(&p.tags).map_err(storage_err)?,
        None => Vec::new(),
    };
    tags::replace(conn, pos, &old_tags, &t.tags)?;
    Ok((facets, gram))
}

/// Tickets re-folded together by a rebuild: enough to write in long ascending runs, few
/// enough to hold their folds in memory.
const REBUILD_CHUNK: usize = 20_000;

impl Store {
    /// Drops every projection row (tickets and whistles) and rebuilds it from the event logs.
    pub fn rebuild_projections(&mut self) -> ApiResult<()> {
        self.with_bulk_cache(Store::rebuild_now)
    }

    fn rebuild_now(&mut self) -> ApiResult<()> {
        let tx = self.conn.transaction().map_err(storage_err)?;
        tx.execute_batch("DELETE FROM tickets; DELETE FROM ticket_grams; DELETE FROM ticket_tags;")
            .map_err(storage_err)?;
        let ids = crate::log::stream_ids(&tx, "events", "ticket_id")?;
        for chunk in ids.chunks(REBUILD_CHUNK) {
            refresh_all(&tx, &self.rules, chunk.iter().map(|id| Refold::Logged(id)))?;
        }
        crate::whistle_log::rebuild(&tx)?;
        tx.commit().map_err(storage_err)?;
        self.generation += 1;
        *self.facet_index.borrow_mut() = None;
        Ok(())
    }

    /// Every projection row (tickets, then whistles) as text, in key order; lets tests and
    /// `check` compare the projections with a fresh rebuild.
    pub fn projection_snapshot(&self) -> ApiResult<Vec<String>> {
        let mut rows = self.ticket_snapshot()?;
        for sql in [
            "SELECT json_array(id, reason, matter, place, community_id, report_limit_min, blown_ms,
                status, closed_ms, updated_hlc, conflicts) FROM whistles ORDER BY id",
            "SELECT json_array(whistle_id, department_id, position, stage, summoned_ms, due_ms,
                reported_ms, on_site_ms, finished_ms, release_reason, escalated_ms, effectiveness,
                comment) FROM summons ORDER BY whistle_id, department_id",
            "SELECT json_array(ticket_id, whistle_id) FROM whistle_tickets
                ORDER BY ticket_id, whistle_id",
        ] {
            rows.extend(crate::column_of(&self.conn, sql)?);
        }
        Ok(rows)
    }

    fn ticket_snapshot(&self) -> ApiResult<Vec<String>> {
        crate::column_of(
            &self.conn,
            "SELECT json_array(id, hotline_no, kind, source, category, content, address,
                    community_id, caller_name, caller_phone, received_ms, status, assignee, reply,
                    callback, created_hlc, updated_hlc, conflicts, urgency, due_ms, grid,
                    supervised, tags, open_due_ms, open_yellow_ms, printed_ms, extended_ms,
                    signed_ms, contacted_ms, replied_ms, archived_ms, merged, lat, lng, related,
                    (SELECT json_group_array(tag) FROM
                        (SELECT tag FROM ticket_tags WHERE ticket = tickets.pos ORDER BY tag)))
                 FROM tickets ORDER BY id",
        )
    }
}
