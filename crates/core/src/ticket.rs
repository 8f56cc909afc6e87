//! A ticket's state and the fold that derives it from events.

use crate::event::{Event, TicketEvent};
use crate::hlc::Hlc;
use crate::ids::{EventId, TicketId};
use crate::pii::Personal;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use ts_rs::TS;

/// 诉求类型.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TicketKind {
    /// 咨询.
    Consultation,
    /// 求助.
    Help,
    /// 投诉.
    Complaint,
    /// 举报.
    Report,
    /// 建议.
    Suggestion,
    /// 表扬/感谢: counted, not assessed.
    Praise,
}

/// Where a ticket came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TicketSource {
    /// 12345 派单.
    Hotline,
    /// 网格巡查.
    GridPatrol,
    /// 主动治理 / 未诉先办.
    Proactive,
    /// Walk-in or a call to the street directly.
    WalkIn,
}

/// The workflow state (DESIGN.md "Workflow").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    /// 待签收.
    Received,
    /// 已签收.
    Signed,
    /// 办理中.
    InProgress,
    /// 已反馈.
    Replied,
    /// 待回访.
    AwaitingCallback,
    /// 已回访.
    CallbackRecorded,
    /// 归档.
    Archived,
}

impl TicketStatus {
    /// Every state, in workflow order.
    pub const ALL: [TicketStatus; 7] = [
        TicketStatus::Received,
        TicketStatus::Signed,
        TicketStatus::InProgress,
        TicketStatus::Replied,
        TicketStatus::AwaitingCallback,
        TicketStatus::CallbackRecorded,
        TicketStatus::Archived,
    ];

    /// The snake_case name used on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            TicketStatus::Received => "received",
            TicketStatus::Signed => "signed",
            TicketStatus::InProgress => "in_progress",
            TicketStatus::Replied => "replied",
            TicketStatus::AwaitingCallback => "awaiting_callback",
            TicketStatus::CallbackRecorded => "callback_recorded",
            TicketStatus::Archived => "archived",
        }
    }

    /// Parses [`TicketStatus::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// 是否解决.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// 解决.
    Resolved,
    /// 部分解决.
    Partly,
    /// 未解决.
    Unresolved,
}

/// 是否满意.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Satisfaction {
    /// 满意.
    Satisfied,
    /// 基本满意.
    Basically,
    /// 不满意.
    Unsatisfied,
    /// 未评价.
    NotRated,
}

/// What the citizen said on the hotline's callback.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Callback {
    /// Whether the street contacted the citizen (响应).
    pub contacted: bool,
    /// 解决.
    pub resolution: Resolution,
    /// 满意.
    pub satisfaction: Satisfaction,
}

/// A ticket's current state: the fold of its events.
#[derive(Clone, Debug, PartialEq)]
pub struct Ticket {
    /// Ticket id.
    pub id: TicketId,
    /// 工单编号, if dispatched by 12345.
    pub hotline_no: Option<String>,
    /// 诉求类型.
    pub kind: TicketKind,
    /// Source.
    pub source: TicketSource,
    /// Category path.
    pub category: String,
    /// What the caller said.
    pub content: String,
    /// Address.
    pub address: String,
    /// Community id.
    pub community_id: String,
    /// Caller's name (personal).
    pub caller_name: Personal,
    /// Caller's phone (personal).
    pub caller_phone: Personal,
    /// Received time, Beijing.
    pub received_at: DateTime<FixedOffset>,
    /// Workflow state.
    pub status: TicketStatus,
    /// Section or community handling it.
    pub assignee: Option<String>,
    /// Latest reply text.
    pub reply: Option<String>,
    /// Callback result.
    pub callback: Option<Callback>,
    /// HLC of the registration.
    pub created: Hlc,
    /// HLC of the newest event.
    pub updated: Hlc,
    /// Events the current state did not allow, kept for review rather than dropped.
    pub conflicts: Vec<EventId>,
}

/// The state a transition leads to, or `None` if `from` does not allow it.
pub fn next_status(from: TicketStatus, event: &TicketEvent) -> Option<TicketStatus> {
    use TicketStatus as S;
    match (from, event) {
        (S::Received, TicketEvent::SignedFor) => Some(S::Signed),
        (S::Signed | S::InProgress, TicketEvent::Assigned { .. }) => Some(S::InProgress),
        (S::Signed | S::InProgress, TicketEvent::ProgressNoted { .. }) => Some(S::InProgress),
        (S::InProgress, TicketEvent::Replied { .. }) => Some(S::Replied),
        (S::Replied, TicketEvent::SentForCallback) => Some(S::AwaitingCallback),
        (S::Replied | S::AwaitingCallback, TicketEvent::CallbackRecorded(_)) => {
            Some(S::CallbackRecorded)
        }
        (S::CallbackRecorded, TicketEvent::Archived) => Some(S::Archived),
        _ => None,
    }
}

/// Folds a ticket's events, in any order and with duplicates, into its state. Returns `None`
/// while the registration has not arrived.
pub fn fold<'a>(events: impl IntoIterator<Item = &'a Event>) -> Option<Ticket> {
    let mut seen = HashSet::new();
    let mut ordered: Vec<&Event> = events.into_iter().filter(|e| seen.insert(&e.id)).collect();
    ordered.sort_by(|a, b| a.order_key().cmp(&b.order_key()));

    let mut ticket: Option<Ticket> = None;
    let mut early = Vec::new();
    for e in ordered {
        match (&mut ticket, &e.body) {
            (None, TicketEvent::Registered(r)) => {
                ticket = Some(Ticket {
                    id: e.ticket_id.clone(),
                    hotline_no: r.hotline_no.clone(),
                    kind: r.kind,
                    source: r.source,
                    category: r.category.clone(),
                    content: r.content.clone(),
                    address: r.address.clone(),
                    community_id: r.community_id.clone(),
                    caller_name: r.caller_name.clone(),
                    caller_phone: r.caller_phone.clone(),
                    received_at: r.received_at,
                    status: TicketStatus::Received,
                    assignee: None,
                    reply: None,
                    callback: None,
                    created: e.hlc,
                    updated: e.hlc,
                    conflicts: std::mem::take(&mut early),
                });
            }
            (None, _) => early.push(e.id.clone()),
            (Some(t), body) => apply(t, e, body),
        }
    }
    ticket
}

fn apply(t: &mut Ticket, e: &Event, body: &TicketEvent) {
    t.updated = t.updated.max(e.hlc);
    let Some(next) = next_status(t.status, body) else {
        t.conflicts.push(e.id.clone());
        return;
    };
    t.status = next;
    match body {
        TicketEvent::Assigned { unit } => t.assignee = Some(unit.clone()),
        TicketEvent::Replied { reply } => t.reply = Some(reply.clone()),
        TicketEvent::CallbackRecorded(cb) => t.callback = Some(*cb),
        _ => {}
    }
}
