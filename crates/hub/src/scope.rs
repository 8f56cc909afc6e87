//! Who sees and writes what. An office device sees everything. A department liaison's device
//! sees the whistles that summon its department and the tickets linked to them, each with its
//! whole history from the moment it comes into scope, and may write only its own department's
//! steps on those whistles (reported in, on site, done).
//!
//! Links and summons may arrive in any order (a ticket's link before the whistle, a whistle
//! before its tickets); filing each event both ways converges on the same feeds.

use crate::ledger::{db_err, Device};
use rusqlite::{params, Transaction};
use streetdesk_core::error::ApiResult;
use streetdesk_core::whistle::WhistleEvent;
use streetdesk_core::LogEvent;
use streetdesk_core::TicketEvent;
use streetdesk_sync::protocol::Role;

fn in_scope(tx: &Transaction<'_>, stream: &str, department: &str) -> ApiResult<bool> {
    tx.prepare_cached("SELECT 1 FROM stream_departments WHERE stream = ?1 AND department = ?2")
        .and_then(|mut s| s.exists([stream, department]))
        .map_err(db_err)
}

/// Whether `device` may write `event`.
pub(crate) fn may_write(
    tx: &Transaction<'_>,
    device: &Device,
    event: &LogEvent,
) -> ApiResult<bool> {
    let Role::Liaison { department } = &device.role else {
        return Ok(true);
    };
    let LogEvent::Whistle(w) = event else {
        return Ok(false);
    };
    let step_of = match &w.body {
        WhistleEvent::ReportedIn { department, .. }
        | WhistleEvent::OnSite { department, .. }
        | WhistleEvent::Done { department, .. } => department,
        _ => return Ok(false),
    };
    let whistle = w.whistle_id.0.as_str();
    Ok(step_of == department && is_whistle(tx, whistle)? && in_scope(tx, whistle, department)?)
}

/// Whether the hub holds a whistle by this id (scope also lists tickets, and a step must name
/// a whistle that summoned the department, not a ticket it may see).
fn is_whistle(tx: &Transaction<'_>, stream: &str) -> ApiResult<bool> {
    tx.prepare_cached("SELECT 1 FROM events WHERE stream = ?1 AND log = 'whistle' LIMIT 1")
        .and_then(|mut s| s.exists([stream]))
        .map_err(db_err)
}

/// The first column of the rows `sql` returns for `key` bound to `?1`.
fn column<T: rusqlite::types::FromSql>(
    tx: &Transaction<'_>,
    sql: &str,
    key: &str,
) -> ApiResult<Vec<T>> {
    let mut stmt = tx.prepare_cached(sql).map_err(db_err)?;
    let rows = stmt
        .query_map([key], |r| r.get(0))
        .map_err(db_err)?
        .collect::<Result<_, _>>()
        .map_err(db_err);
    rows
}

fn departments_of(tx: &Transaction<'_>, stream: &str) -> ApiResult<Vec<String>> {
    column(
        tx,
        "SELECT department FROM stream_departments WHERE stream = ?1",
        stream,
    )
}

fn next_n(tx: &Transaction<'_>, department: &str) -> ApiResult<i64> {
    tx.prepare_cached("SELECT COALESCE(MAX(n), 0) + 1 FROM feed WHERE department = ?1")
        .and_then(|mut s| s.query_row([department], |r| r.get(0)))
        .map_err(db_err)
}

fn feed(tx: &Transaction<'_>, department: &str, seqs: &[i64]) -> ApiResult<()> {
    let mut insert = tx
        .prepare_cached("INSERT INTO feed(department, n, seq) VALUES (?1, ?2, ?3)")
        .map_err(db_err)?;
    for (n, seq) in (next_n(tx, department)?..).zip(seqs) {
        insert
            .execute(params![department, n, seq])
            .map_err(db_err)?;
    }
    Ok(())
}

/// Brings a stream into a department's scope; the first time, its whole history so far goes
/// into the department's feed.
fn bring_in(tx: &Transaction<'_>, stream: &str, department: &str) -> ApiResult<()> {
    let added = tx
        .prepare_cached(
            "INSERT INTO stream_departments(stream, department) VALUES (?1, ?2)
             ON CONFLICT DO NOTHING",
        )
        .and_then(|mut s| s.execute([stream, department]))
        .map_err(db_err)?;
    if added == 0 {
        return Ok(());
    }
    let seqs: Vec<i64> = column(
        tx,
        "SELECT seq FROM events WHERE stream = ?1 ORDER BY seq",
        stream,
    )?;
    feed(tx, department, &seqs)
}

fn link(tx: &Transaction<'_>, whistle: &str, ticket: &str) -> ApiResult<()> {
    tx.prepare_cached(
        "INSERT INTO whistle_tickets(whistle, ticket) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
    )
    .and_then(|mut s| s.execute([whistle, ticket]))
    .map_err(db_err)?;
    for department in departments_of(tx, whistle)? {
        bring_in(tx, ticket, &department)?;
    }
    Ok(())
}

fn summon(tx: &Transaction<'_>, whistle: &str, department: &str) -> ApiResult<()> {
    bring_in(tx, whistle, department)?;
    let tickets: Vec<String> = column(
        tx,
        "SELECT ticket FROM whistle_tickets WHERE whistle = ?1",
        whistle,
    )?;
    for ticket in tickets {
        bring_in(tx, &ticket, department)?;
    }
    Ok(())
}

/// Files a newly stored event (hub sequence `seq`) into the feeds of the departments its
/// stream involves, then records the links and summons it makes.
pub(crate) fn file(tx: &Transaction<'_>, seq: i64, event: &LogEvent) -> ApiResult<()> {
    // First the departments already involved; a stream new to a department gets its whole
    // history below, this event included.
    for department in departments_of(tx, event.stream())? {
        feed(tx, &department, &[seq])?;
    }
    match event {
        LogEvent::Ticket(e) => {
            if let TicketEvent::WhistleLinked { whistle } = &e.body {
                link(tx, &whistle.0, &e.ticket_id.0)?;
            }
        }
        LogEvent::Whistle(w) => {
            let whistle = w.whistle_id.0.as_str();
            match &w.body {
                WhistleEvent::Blown(blown) => {
                    for ticket in &blown.tickets {
                        link(tx, whistle, &ticket.0)?;
                    }
                    for department in &blown.departments {
                        summon(tx, whistle, department)?;
                    }
                }
                WhistleEvent::DepartmentsAdded { departments, .. } => {
                    for department in departments {
                        summon(tx, whistle, department)?;
                    }
                }
                _ => {}
            }
        }
    }
    Ok(())
}
