//! Ticket commands: register, show with timeline, and the audited reveal of the caller.

use crate::log::{heads, now_ms, ticket_events};
use crate::rows::{ticket_row, ROW_COLUMNS};
use crate::{storage_err, Store};
use rusqlite::{params, OptionalExtension};
use std::collections::HashSet;
use streetdesk_core::dto::{
    BulkOutcome, BulkSkip, NewTicket, RevealedCaller, TicketDetail, TimelineEntry,
};
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_core::ticket::{allowed_actions, fold, transition};
use streetdesk_core::time::{from_unix_ms, now_beijing, rfc3339};
use streetdesk_core::validate::validate_new_ticket;
use streetdesk_core::wire::wire_name;
use streetdesk_core::{Event, TicketEvent, TicketId};

fn not_found(id: &str) -> ApiError {
    ApiError::new(ErrorCode::TicketNotFound, format!("no ticket with id {id}"))
}

impl Store {
    /// Validates and registers a new ticket; returns it as the detail view shows it.
    pub fn register_ticket(&mut self, input: &NewTicket) -> ApiResult<TicketDetail> {
        let registered =
            validate_new_ticket(input, now_beijing(), |c| self.grid_count(c).ok().flatten())?;
        if let Some(no) = &registered.hotline_no {
            let taken: Option<String> = self
                .conn
                .query_row("SELECT id FROM tickets WHERE hotline_no = ?1", [no], |r| {
                    r.get(0)
                })
                .optional()
                .map_err(storage_err)?;
            if taken.is_some() {
                return Err(ApiError::new(
                    ErrorCode::HotlineNoDuplicate,
                    "another ticket already has this hotline ticket number",
                ));
            }
        }
        for related in &registered.related {
            let known: Option<i64> = self
                .conn
                .query_row("SELECT pos FROM tickets WHERE id = ?1", [related], |r| {
                    r.get(0)
                })
                .optional()
                .map_err(storage_err)?;
            if known.is_none() {
                return Err(ApiError::new(
                    ErrorCode::TicketNotFound,
                    format!("related ticket {related} does not exist"),
                ));
            }
        }
        let id = TicketId::new();
        let event = self.stamp(&id, TicketEvent::Registered(Box::new(registered)))?;
        self.append(&[event])?;
        tracing::info!(ticket = %id, "ticket registered");
        self.ticket_detail(&id.0)
    }

    /// A ticket with its timeline, caller masked.
    pub fn ticket_detail(&self, id: &str) -> ApiResult<TicketDetail> {
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM tickets t LEFT JOIN communities c ON c.id = t.community_id
             WHERE t.id = ?1"
        );
        let row = self
            .conn
            .query_row(&sql, [id], |r| ticket_row(r, self.row_view()))
            .optional()
            .map_err(storage_err)?
            .ok_or_else(|| not_found(id))?;
        let events = ticket_events(&self.conn, id)?;
        let ticket = fold(&events).ok_or_else(|| not_found(id))?;
        let allowed = allowed_actions(&ticket);
        let conflicting: HashSet<_> = ticket.conflicts.iter().collect();
        let timeline = events
            .iter()
            .map(|e| TimelineEntry {
                id: e.id.0.clone(),
                event_type: e.body.event_type(),
                at: rfc3339(from_unix_ms(e.hlc.physical_ms())),
                actor: e.actor.clone(),
                device: e.device.0.clone(),
                detail: e.body.detail(),
                conflicting: conflicting.contains(&e.id),
            })
            .collect();
        let reveal_count = self
            .conn
            .query_row(
                "SELECT COUNT(*) FROM pii_reveals WHERE ticket_id = ?1",
                [id],
                |r| r.get(0),
            )
            .map_err(storage_err)?;
        Ok(TicketDetail {
            row,
            reply: ticket.reply,
            callback: ticket.callback,
            timeline,
            reveal_count,
            co_handlers: ticket.co_handlers,
            contacted: ticket.contacted,
            supervised: ticket.supervised,
            extension_until: ticket.extension.as_ref().map(|x| rfc3339(x.until)),
            extension_state: ticket.extension.map(|x| x.state),
            reopen_count: ticket.reopen_count,
            allowed_actions: allowed,
            merged_into: ticket.merged_into.map(|t| t.0),
            repeat_chain: self.repeat_chain(id)?,
        })
    }

    /// Records a workflow action on a ticket after checking that its current state allows it
    /// and that it carries the reason it needs. Returns the ticket as it now stands.
    pub fn record(&mut self, id: &str, action: TicketEvent) -> ApiResult<TicketDetail> {
        let action = normalize(action)?;
        let event = self.checked_event(id, action)?;
        self.append(std::slice::from_ref(&event))?;
        let action_name = wire_name(&event.body.event_type());
        tracing::info!(ticket = %id, action = %action_name, "ticket action recorded");
        self.ticket_detail(id)
    }

    /// Records the same action on many tickets in one transaction: on every ticket whose state
    /// allows it; the others are reported with the reason and left unchanged.
    pub fn record_bulk(&mut self, ids: &[String], action: TicketEvent) -> ApiResult<BulkOutcome> {
        let action = normalize(action)?;
        let mut events = Vec::new();
        let mut outcome = BulkOutcome {
            done: Vec::new(),
            skipped: Vec::new(),
        };
        for id in ids {
            match self.checked_event(id, action.clone()) {
                Ok(e) => {
                    events.push(e);
                    outcome.done.push(id.clone());
                }
                Err(error) if error.code == ErrorCode::StorageFailed => return Err(error),
                Err(error) => outcome.skipped.push(BulkSkip {
                    id: id.clone(),
                    error,
                }),
            }
        }
        self.append(&events)?;
        let action_name = wire_name(&action.event_type());
        tracing::info!(action = %action_name, done = outcome.done.len(),
            skipped = outcome.skipped.len(), "bulk action recorded");
        Ok(outcome)
    }

    /// Stamps `action` for ticket `id` if the ticket's state allows it.
    fn checked_event(&mut self, id: &str, action: TicketEvent) -> ApiResult<Event> {
        let action_name = wire_name(&action.event_type());
        if let TicketEvent::MergedInto { primary, .. } = &action {
            if primary.0 == id || self.ticket_count_by_id(&primary.0)? == 0 {
                return Err(ApiError::new(
                    ErrorCode::MergeInvalid,
                    "a duplicate can only be merged into another existing ticket",
                ));
            }
        }
        let events = ticket_events(&self.conn, id)?;
        let ticket = fold(&events).ok_or_else(|| not_found(id))?;
        if transition(&ticket, &action).is_none() {
            return Err(ApiError::new(
                ErrorCode::ActionNotAllowed,
                format!(
                    "cannot {action_name} a ticket that is {}",
                    ticket.status.as_str()
                ),
            ));
        }
        let actor = self.actor.clone();
        let event = self.stamp_with_heads(
            &TicketId(id.to_owned()),
            action,
            heads(&events),
            now_ms(),
            &actor,
        );
        Ok(event)
    }

    fn ticket_count_by_id(&self, id: &str) -> ApiResult<u32> {
        self.conn
            .query_row("SELECT COUNT(*) FROM tickets WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .map_err(storage_err)
    }

    /// Returns the caller's real name and phone, and records who asked.
    pub fn reveal_caller(&mut self, id: &str) -> ApiResult<RevealedCaller> {
        let (name, phone): (String, String) = self
            .conn
            .query_row(
                "SELECT caller_name, caller_phone FROM tickets WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(storage_err)?
            .ok_or_else(|| not_found(id))?;
        self.conn
            .execute(
                "INSERT INTO pii_reveals(ticket_id, actor, device, at_ms) VALUES (?1, ?2, ?3, ?4)",
                params![id, self.actor, self.device.0, now_ms()],
            )
            .map_err(storage_err)?;
        tracing::info!(ticket = %id, actor = %self.actor, "caller details revealed");
        Ok(RevealedCaller { name, phone })
    }

    /// Number of tickets in the projection.
    pub fn ticket_count(&self) -> ApiResult<u32> {
        self.conn
            .query_row("SELECT COUNT(*) FROM tickets", [], |r| r.get(0))
            .map_err(storage_err)
    }
}

/// Longest tag, in characters.
const MAX_TAG_CHARS: usize = 20;

/// Checks what an action carries regardless of the ticket: a reason where one is needed, a
/// tag that is not blank or too long (trimmed on the way in).
fn normalize(action: TicketEvent) -> ApiResult<TicketEvent> {
    let action_name = wire_name(&action.event_type());
    if let Some(reason) = action.required_reason() {
        if reason.trim().is_empty() {
            return Err(ApiError::new(
                ErrorCode::ReasonRequired,
                format!("{action_name} needs a reason"),
            ));
        }
    }
    let tag_ok = |tag: &str| !tag.is_empty() && tag.chars().count() <= MAX_TAG_CHARS;
    match action {
        TicketEvent::Tagged { tag } | TicketEvent::Untagged { tag } if !tag_ok(tag.trim()) => {
            Err(ApiError::new(
                ErrorCode::TagInvalid,
                format!("a tag has 1 to {MAX_TAG_CHARS} characters"),
            ))
        }
        TicketEvent::Tagged { tag } => Ok(TicketEvent::Tagged {
            tag: tag.trim().to_owned(),
        }),
        TicketEvent::Untagged { tag } => Ok(TicketEvent::Untagged {
            tag: tag.trim().to_owned(),
        }),
        other => Ok(other),
    }
}
