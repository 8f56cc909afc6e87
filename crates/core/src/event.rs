//! Events: the only way a ticket changes. Immutable once written; the log is a grow-only set.

use crate::hlc::Hlc;
use crate::ids::{DeviceId, EventId, TicketId, WhistleId};
use crate::pii::Personal;
use crate::policy::Urgency;
use crate::ticket::{Callback, GeoPoint, TicketKind, TicketSource};
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

/// What happened to a ticket. Every workflow step and side path of DESIGN.md is one variant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TicketEvent {
    /// The ticket entered the street's books (dispatched by 12345, found on patrol, walk-in…).
    Registered(Box<TicketRegistered>),
    /// The street signed for a dispatched ticket (签收).
    SignedFor,
    /// Handed to a section or community as lead handler (主办).
    Assigned {
        /// Section or community name.
        unit: String,
    },
    /// A co-handling unit (协办) was added.
    CoHandlerAdded {
        /// Section, community or department name.
        unit: String,
    },
    /// The handler reached the caller (counts towards 响应).
    ContactMade {
        /// How and what was agreed.
        note: String,
    },
    /// A note of progress (visit, measure taken).
    ProgressNoted {
        /// What was done.
        note: String,
    },
    /// The street objects that the ticket was mis-dispatched to it (派单异议).
    ObjectionRaised {
        /// Why the ticket is not the street's.
        reason: String,
    },
    /// The hotline decided the objection: upheld (redispatched away) or rejected.
    ObjectionDecided {
        /// True when the ticket leaves the street.
        upheld: bool,
        /// The decision's explanation.
        reason: String,
    },
    /// The handler asks for more time (延期申请).
    ExtensionRequested {
        /// The new deadline asked for.
        until: DateTime<FixedOffset>,
        /// Why; told to the citizen.
        reason: String,
    },
    /// The extension was granted or denied.
    ExtensionDecided {
        /// True when granted.
        granted: bool,
        /// The decision's explanation, told to the citizen.
        reason: String,
    },
    /// Put under supervision (督办).
    SupervisionFlagged {
        /// Who ordered it and why.
        note: String,
    },
    /// Supervision lifted.
    SupervisionCleared,
    /// The street's reply on how the matter was handled (反馈).
    Replied {
        /// The reply text.
        reply: String,
    },
    /// Handed back to the hotline for its callback to the citizen.
    SentForCallback,
    /// The result of the hotline's callback (回访).
    CallbackRecorded(Callback),
    /// Handled again after an unresolved callback (重办).
    Reopened {
        /// Why.
        reason: String,
    },
    /// Closed as a duplicate of another ticket (重复件).
    MergedInto {
        /// The ticket that carries on.
        primary: TicketId,
        /// Why they are the same matter.
        reason: String,
    },
    /// Filed away; no further work.
    Archived,
    /// A tag was put on the ticket (每月一题 themes, local campaigns). Allowed in every state:
    /// themes are often tagged after the fact, and tags do not move the workflow.
    Tagged {
        /// The tag.
        tag: String,
    },
    /// A tag was taken off.
    Untagged {
        /// The tag.
        tag: String,
    },
    /// The street blew a whistle for this ticket; allowed in every state, like a tag.
    WhistleLinked {
        /// The whistle.
        whistle: WhistleId,
    },
}

/// Everything known about a ticket when it is registered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
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
    #[ts(type = "string")]
    pub caller_name: Personal,
    /// The caller's phone (personal data).
    #[ts(type = "string")]
    pub caller_phone: Personal,
    /// When the hotline or the street received it.
    pub received_at: DateTime<FixedOffset>,
    /// How pressing the matter is; picks the default time limit.
    #[serde(default)]
    pub urgency: Urgency,
    /// The deadline printed on a dispatched ticket; overrides the policy.
    #[serde(default)]
    pub deadline: Option<DateTime<FixedOffset>>,
    /// The grid (网格) within the community, numbered from 1, where known.
    #[serde(default)]
    pub grid: Option<u32>,
    /// Where the matter is on the map, where known (WGS-84).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub location: Option<GeoPoint>,
    /// The tickets this one was raised about: a proactive case's complaints.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<String>>", optional)]
    pub related: Vec<String>,
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
    /// See [`TicketEvent::CoHandlerAdded`].
    CoHandlerAdded,
    /// See [`TicketEvent::ContactMade`].
    ContactMade,
    /// See [`TicketEvent::ProgressNoted`].
    ProgressNoted,
    /// See [`TicketEvent::ObjectionRaised`].
    ObjectionRaised,
    /// See [`TicketEvent::ObjectionDecided`].
    ObjectionDecided,
    /// See [`TicketEvent::ExtensionRequested`].
    ExtensionRequested,
    /// See [`TicketEvent::ExtensionDecided`].
    ExtensionDecided,
    /// See [`TicketEvent::SupervisionFlagged`].
    SupervisionFlagged,
    /// See [`TicketEvent::SupervisionCleared`].
    SupervisionCleared,
    /// See [`TicketEvent::Replied`].
    Replied,
    /// See [`TicketEvent::SentForCallback`].
    SentForCallback,
    /// See [`TicketEvent::CallbackRecorded`].
    CallbackRecorded,
    /// See [`TicketEvent::Reopened`].
    Reopened,
    /// See [`TicketEvent::MergedInto`].
    MergedInto,
    /// See [`TicketEvent::Archived`].
    Archived,
    /// See [`TicketEvent::Tagged`].
    Tagged,
    /// See [`TicketEvent::Untagged`].
    Untagged,
    /// See [`TicketEvent::WhistleLinked`].
    WhistleLinked,
}

impl TicketEvent {
    /// The event's type.
    pub fn event_type(&self) -> TicketEventType {
        use TicketEvent as E;
        use TicketEventType as T;
        match self {
            E::Registered(_) => T::Registered,
            E::SignedFor => T::SignedFor,
            E::Assigned { .. } => T::Assigned,
            E::CoHandlerAdded { .. } => T::CoHandlerAdded,
            E::ContactMade { .. } => T::ContactMade,
            E::ProgressNoted { .. } => T::ProgressNoted,
            E::ObjectionRaised { .. } => T::ObjectionRaised,
            E::ObjectionDecided { .. } => T::ObjectionDecided,
            E::ExtensionRequested { .. } => T::ExtensionRequested,
            E::ExtensionDecided { .. } => T::ExtensionDecided,
            E::SupervisionFlagged { .. } => T::SupervisionFlagged,
            E::SupervisionCleared => T::SupervisionCleared,
            E::Replied { .. } => T::Replied,
            E::SentForCallback => T::SentForCallback,
            E::CallbackRecorded(_) => T::CallbackRecorded,
            E::Reopened { .. } => T::Reopened,
            E::MergedInto { .. } => T::MergedInto,
            E::Archived => T::Archived,
            E::Tagged { .. } => T::Tagged,
            E::Untagged { .. } => T::Untagged,
            E::WhistleLinked { .. } => T::WhistleLinked,
        }
    }

    /// The reason an event must carry, if it is one that needs a reason.
    pub fn required_reason(&self) -> Option<&str> {
        use TicketEvent as E;
        match self {
            E::ObjectionRaised { reason }
            | E::ObjectionDecided { reason, .. }
            | E::ExtensionRequested { reason, .. }
            | E::ExtensionDecided { reason, .. }
            | E::Reopened { reason }
            | E::MergedInto { reason, .. } => Some(reason),
            _ => None,
        }
    }

    /// The free text the event carries, if any, for the timeline. Never personal data.
    pub fn detail(&self) -> Option<String> {
        use TicketEvent as E;
        match self {
            E::Assigned { unit } | E::CoHandlerAdded { unit } => Some(unit.clone()),
            E::Tagged { tag } | E::Untagged { tag } => Some(tag.clone()),
            E::WhistleLinked { whistle } => Some(whistle.0.clone()),
            E::ContactMade { note }
            | E::ProgressNoted { note }
            | E::SupervisionFlagged { note } => Some(note.clone()),
            E::Replied { reply } => Some(reply.clone()),
            E::ExtensionRequested { until, reason } => {
                Some(format!("{} · {reason}", crate::time::rfc3339(*until)))
            }
            E::MergedInto { primary, reason } => Some(format!("{primary} · {reason}")),
            other => other.required_reason().map(str::to_owned),
        }
    }
}
