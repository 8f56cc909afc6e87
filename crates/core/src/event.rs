//! Events: the only way a ticket changes. Immutable once written; the log is a grow-only set.

use crate::hlc::Hlc;
use crate::ids::{DeviceId, EventId, TicketId};
use crate::pii::Personal;
use crate::ticket::{Callback, TicketKind, TicketSource};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One event in a ticket's history, with who wrote it, where, and when (HLC).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Unique id; the idempotency key for storage and sync.
    pub id: EventId,
    /// The ticket the event belongs to.
    pub ticket_id: TicketId,
    /// Hybrid logical clock timestamp; with `device`, the fold order.
    pub hlc: Hlc,
    /// The device that wrote the event.
    pub device: DeviceId,
    /// The person who did it (user id or display name).
    pub actor: String,
    /// The ticket's head events this device had seen when it wrote this one.
    pub heads: Vec<EventId>,
    /// What happened.
    pub body: TicketEvent,
}

impl Event {
    /// The total order the fold uses: HLC, then device, then id, so every replica agrees.
    pub fn order_key(&self) -> (Hlc, &str, &str) {
        (self.hlc, &self.device.0, &self.id.0)
    }
}

/// What happened to a ticket.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TicketEvent {
    /// The ticket entered the street's books (dispatched by 12345, found on patrol, walk-in…).
    Registered(TicketRegistered),
    /// The street signed for a dispatched ticket (签收).
    SignedFor,
    /// Handed to a section or community to handle.
    Assigned {
        /// Section or community name.
        unit: String,
    },
    /// A note of progress (contact made, visit, measure taken).
    ProgressNoted {
        /// What was done.
        note: String,
    },
    /// The street's reply on how the matter was handled (反馈).
    Replied {
        /// The reply text.
        reply: String,
    },
    /// Handed back to the hotline for its callback to the citizen.
    SentForCallback,
    /// The result of the hotline's callback (回访).
    CallbackRecorded(Callback),
    /// Filed away; no further work.
    Archived,
}

/// Everything known about a ticket when it is registered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TicketRegistered {
    /// The hotline's 工单编号, when the ticket came from 12345.
    pub hotline_no: Option<String>,
    /// 咨询/求助/投诉/举报/建议/表扬.
    pub kind: TicketKind,
    /// Where the ticket came from.
    pub source: TicketSource,
    /// Category path, levels joined by `/`.
    pub category: String,
    /// What the caller said.
    pub content: String,
    /// Where the matter is.
    pub address: String,
    /// The community (社区/村) the address belongs to.
    pub community_id: String,
    /// The caller's name (personal data).
    pub caller_name: Personal,
    /// The caller's phone (personal data).
    pub caller_phone: Personal,
    /// When the hotline or the street received it.
    pub received_at: DateTime<FixedOffset>,
}

/// The event's type without its payload, for timelines and filters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TicketEventType {
    /// See [`TicketEvent::Registered`].
    Registered,
    /// See [`TicketEvent::SignedFor`].
    SignedFor,
    /// See [`TicketEvent::Assigned`].
    Assigned,
    /// See [`TicketEvent::ProgressNoted`].
    ProgressNoted,
    /// See [`TicketEvent::Replied`].
    Replied,
    /// See [`TicketEvent::SentForCallback`].
    SentForCallback,
    /// See [`TicketEvent::CallbackRecorded`].
    CallbackRecorded,
    /// See [`TicketEvent::Archived`].
    Archived,
}

impl TicketEvent {
    /// The event's type.
    pub fn event_type(&self) -> TicketEventType {
        match self {
            TicketEvent::Registered(_) => TicketEventType::Registered,
            TicketEvent::SignedFor => TicketEventType::SignedFor,
            TicketEvent::Assigned { .. } => TicketEventType::Assigned,
            TicketEvent::ProgressNoted { .. } => TicketEventType::ProgressNoted,
            TicketEvent::Replied { .. } => TicketEventType::Replied,
            TicketEvent::SentForCallback => TicketEventType::SentForCallback,
            TicketEvent::CallbackRecorded(_) => TicketEventType::CallbackRecorded,
            TicketEvent::Archived => TicketEventType::Archived,
        }
    }

    /// The free text the event carries, if any, for the timeline. Never personal data.
    pub fn detail(&self) -> Option<String> {
        match self {
            TicketEvent::Assigned { unit } => Some(unit.clone()),
            TicketEvent::ProgressNoted { note } => Some(note.clone()),
            TicketEvent::Replied { reply } => Some(reply.clone()),
            _ => None,
        }
    }
}
