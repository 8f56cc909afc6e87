//! A ticket's state and the fold that derives it from events.

use crate::event::{Event, TicketEvent, TicketEventType};
use crate::hlc::Hlc;
use crate::ids::{EventId, TicketId};
use crate::pii::Personal;
use crate::policy::Urgency;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use ts_rs::TS;

pub use crate::geo::GeoPoint;

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

impl TicketKind {
    /// Every kind.
    pub const ALL: [TicketKind; 6] = [
        TicketKind::Consultation,
        TicketKind::Help,
        TicketKind::Complaint,
        TicketKind::Report,
        TicketKind::Suggestion,
        TicketKind::Praise,
    ];

    /// The snake_case name used on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            TicketKind::Consultation => "consultation",
            TicketKind::Help => "help",
            TicketKind::Complaint => "complaint",
            TicketKind::Report => "report",
            TicketKind::Suggestion => "suggestion",
            TicketKind::Praise => "praise",
        }
    }

    /// Parses [`TicketKind::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
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

impl TicketSource {
    /// Every source.
    pub const ALL: [TicketSource; 4] = [
        TicketSource::Hotline,
        TicketSource::GridPatrol,
        TicketSource::Proactive,
        TicketSource::WalkIn,
    ];

    /// The snake_case name used on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            TicketSource::Hotline => "hotline",
            TicketSource::GridPatrol => "grid_patrol",
            TicketSource::Proactive => "proactive",
            TicketSource::WalkIn => "walk_in",
        }
    }

    /// Parses [`TicketSource::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
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
    /// 派单异议审核中: the street objected to the dispatch and awaits the decision.
    Objecting,
    /// 已改派: the objection was upheld and the ticket left the street.
    Redispatched,
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
    /// Whether the time limit is running: the street owes a reply.
    pub fn clock_running(self) -> bool {
        matches!(
            self,
            TicketStatus::Received
                | TicketStatus::Signed
                | TicketStatus::InProgress
                | TicketStatus::Objecting
        )
    }

    /// Every state, in workflow order.
    pub const ALL: [TicketStatus; 9] = [
        TicketStatus::Received,
        TicketStatus::Signed,
        TicketStatus::InProgress,
        TicketStatus::Objecting,
        TicketStatus::Redispatched,
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
            TicketStatus::Objecting => "objecting",
            TicketStatus::Redispatched => "redispatched",
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

/// Where an extension request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExtensionState {
    /// Asked for, not yet decided.
    Pending,
    /// Granted: the deadline moves to `until`.
    Granted,
    /// Denied: the deadline stays.
    Denied,
}

/// An extension of the time limit (延期).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extension {
    /// The deadline asked for.
    pub until: DateTime<FixedOffset>,
    /// Pending, granted or denied.
    pub state: ExtensionState,
}

impl Ticket {
    /// The deadline moved by a granted extension, if one was granted.
    pub fn extended_to(&self) -> Option<DateTime<FixedOffset>> {
        self.extension
            .as_ref()
            .filter(|x| x.state == ExtensionState::Granted)
            .map(|x| x.until)
    }
}

/// When a ticket first reached each milestone of the workflow, by the clock of the event
/// that reached it (Beijing time): what response times are measured from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Milestones {
    /// First signed for (签收).
    pub signed_at: Option<DateTime<FixedOffset>>,
    /// First contact with the citizen.
    pub contacted_at: Option<DateTime<FixedOffset>>,
    /// First reply (反馈), which stops the time limit.
    pub replied_at: Option<DateTime<FixedOffset>>,
    /// Archived (归档).
    pub archived_at: Option<DateTime<FixedOffset>>,
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
    /// Grid number within the community, where known.
    pub grid: Option<u32>,
    /// Where on the map, where known.
    pub location: Option<GeoPoint>,
    /// The tickets it was raised about (a proactive case's complaints).
    pub related: Vec<String>,
    /// Tags (每月一题 themes…), sorted, without duplicates.
    pub tags: Vec<String>,
    /// Caller's name (personal).
    pub caller_name: Personal,
    /// Caller's phone (personal).
    pub caller_phone: Personal,
    /// Received time, Beijing.
    pub received_at: DateTime<FixedOffset>,
    /// How pressing the matter is.
    pub urgency: Urgency,
    /// The deadline printed on the dispatched ticket, if any.
    pub printed_deadline: Option<DateTime<FixedOffset>>,
    /// Workflow state.
    pub status: TicketStatus,
    /// Section or community handling it (主办).
    pub assignee: Option<String>,
    /// Co-handling units (协办).
    pub co_handlers: Vec<String>,
    /// Whether the handler has reached the caller.
    pub contacted: bool,
    /// The extension asked for or decided, if any.
    pub extension: Option<Extension>,
    /// Under supervision (督办).
    pub supervised: bool,
    /// Times the ticket was reopened after a callback.
    pub reopen_count: u32,
    /// The ticket this one was merged into as a duplicate.
    pub merged_into: Option<TicketId>,
    /// Latest reply text.
    pub reply: Option<String>,
    /// Callback result.
    pub callback: Option<Callback>,
    /// When the workflow's milestones were reached.
    pub milestones: Milestones,
    /// HLC of the registration.
    pub created: Hlc,
    /// HLC of the newest event.
    pub updated: Hlc,
    /// Events the current state did not allow, kept for review rather than dropped.
    pub conflicts: Vec<EventId>,
}

/// The state `event` leads to from ticket `t`, or `None` if the ticket's state does not allow
/// it. Events that do not move the workflow keep the state when they are allowed.
pub fn transition(t: &Ticket, event: &TicketEvent) -> Option<TicketStatus> {
    use TicketEvent as E;
    use TicketStatus as S;
    let working = matches!(t.status, S::Signed | S::InProgress);
    let open = !matches!(t.status, S::Archived | S::Redispatched);
    let pending_extension = t.extension.as_ref().map(|x| x.state) == Some(ExtensionState::Pending);
    match (t.status, event) {
        (_, E::Registered(_)) => None,
        (S::Received, E::SignedFor) => Some(S::Signed),
        (_, E::Assigned { .. } | E::ContactMade { .. } | E::ProgressNoted { .. }) if working => {
            Some(S::InProgress)
        }
        (s, E::CoHandlerAdded { .. }) if working => Some(s),
        (S::Received | S::Signed | S::InProgress, E::ObjectionRaised { .. }) => Some(S::Objecting),
        (S::Objecting, E::ObjectionDecided { upheld: true, .. }) => Some(S::Redispatched),
        (S::Objecting, E::ObjectionDecided { upheld: false, .. }) => Some(S::InProgress),
        (s, E::ExtensionRequested { .. }) if working && !pending_extension => Some(s),
        (s, E::ExtensionDecided { .. }) if pending_extension => Some(s),
        (s, E::SupervisionFlagged { .. }) if open && !t.supervised => Some(s),
        (s, E::SupervisionCleared) if t.supervised => Some(s),
        (S::InProgress, E::Replied { .. }) => Some(S::Replied),
        (S::Replied, E::SentForCallback) => Some(S::AwaitingCallback),
        (S::Replied | S::AwaitingCallback, E::CallbackRecorded(_)) => Some(S::CallbackRecorded),
        // 重办 follows a callback that found the matter not (fully) resolved.
        (S::CallbackRecorded, E::Reopened { .. })
            if t.callback
                .is_some_and(|c| c.resolution != Resolution::Resolved) =>
        {
            Some(S::InProgress)
        }
        (_, E::MergedInto { primary, .. }) if open && *primary != t.id => Some(S::Archived),
        (S::CallbackRecorded | S::Redispatched, E::Archived) => Some(S::Archived),
        (s, E::Tagged { .. } | E::Untagged { .. } | E::WhistleLinked { .. }) => Some(s),
        _ => None,
    }
}

/// The actions the ticket's current state allows, in workflow order; the UI offers these.
pub fn allowed_actions(t: &Ticket) -> Vec<TicketEventType> {
    let text = String::new;
    let other = TicketId(format!("{}-other", t.id.0));
    let templates = [
        TicketEvent::SignedFor,
        TicketEvent::Assigned { unit: text() },
        TicketEvent::CoHandlerAdded { unit: text() },
        TicketEvent::ContactMade { note: text() },
        TicketEvent::ProgressNoted { note: text() },
        TicketEvent::ExtensionRequested {
            until: t.received_at,
            reason: text(),
        },
        TicketEvent::ExtensionDecided {
            granted: true,
            reason: text(),
        },
        TicketEvent::Replied { reply: text() },
        TicketEvent::SentForCallback,
        TicketEvent::CallbackRecorded(Callback {
            contacted: true,
            resolution: Resolution::Resolved,
            satisfaction: Satisfaction::Satisfied,
        }),
        TicketEvent::Reopened { reason: text() },
        TicketEvent::ObjectionRaised { reason: text() },
        TicketEvent::ObjectionDecided {
            upheld: true,
            reason: text(),
        },
        TicketEvent::SupervisionFlagged { note: text() },
        TicketEvent::SupervisionCleared,
        TicketEvent::MergedInto {
            primary: other,
            reason: text(),
        },
        TicketEvent::Archived,
    ];
    templates
        .iter()
        .filter(|e| transition(t, e).is_some())
        .map(TicketEvent::event_type)
        .collect()
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
                    grid: r.grid,
                    location: r.location,
                    related: r.related.clone(),
                    tags: Vec::new(),
                    caller_name: r.caller_name.clone(),
                    caller_phone: r.caller_phone.clone(),
                    received_at: r.received_at,
                    urgency: r.urgency,
                    printed_deadline: r.deadline,
                    status: TicketStatus::Received,
                    assignee: None,
                    co_handlers: Vec::new(),
                    contacted: false,
                    extension: None,
                    supervised: false,
                    reopen_count: 0,
                    merged_into: None,
                    reply: None,
                    callback: None,
                    milestones: Milestones::default(),
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

pub(crate) fn apply(t: &mut Ticket, e: &Event, body: &TicketEvent) {
    use TicketEvent as E;
    t.updated = t.updated.max(e.hlc);
    let Some(next) = transition(t, body) else {
        t.conflicts.push(e.id.clone());
        return;
    };
    t.status = next;
    let at = crate::time::from_unix_ms(e.hlc.physical_ms());
    let m = &mut t.milestones;
    match body {
        E::SignedFor => {
            m.signed_at.get_or_insert(at);
        }
        E::ContactMade { .. } => {
            m.contacted_at.get_or_insert(at);
        }
        E::Replied { .. } => {
            m.replied_at.get_or_insert(at);
        }
        E::Archived => m.archived_at = Some(at),
        _ => {}
    }
    match body {
        E::Assigned { unit } => t.assignee = Some(unit.clone()),
        E::CoHandlerAdded { unit } if !t.co_handlers.contains(unit) => {
            t.co_handlers.push(unit.clone())
        }
        E::ContactMade { .. } => t.contacted = true,
        E::ExtensionRequested { until, .. } => {
            t.extension = Some(Extension {
                until: *until,
                state: ExtensionState::Pending,
            })
        }
        E::ExtensionDecided { granted, .. } => {
            if let Some(x) = &mut t.extension {
                x.state = if *granted {
                    ExtensionState::Granted
                } else {
                    ExtensionState::Denied
                };
            }
        }
        E::SupervisionFlagged { .. } => t.supervised = true,
        E::SupervisionCleared => t.supervised = false,
        E::Replied { reply } => t.reply = Some(reply.clone()),
        E::CallbackRecorded(cb) => t.callback = Some(*cb),
        E::Reopened { .. } => {
            t.reopen_count += 1;
            t.reply = None;
            t.callback = None;
        }
        E::MergedInto { primary, .. } => t.merged_into = Some(primary.clone()),
        E::Tagged { tag } => {
            if let Err(at) = t.tags.binary_search(tag) {
                t.tags.insert(at, tag.clone());
            }
        }
        E::Untagged { tag } => t.tags.retain(|x| x != tag),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::TicketRegistered;
    use crate::{DeviceId, Hlc};

    fn ticket_after(steps: Vec<TicketEvent>) -> Ticket {
        let id = TicketId::from("t");
        let reg = TicketEvent::Registered(Box::new(TicketRegistered {
            hotline_no: None,
            kind: TicketKind::Help,
            source: TicketSource::WalkIn,
            category: "c".into(),
            content: "c".into(),
            address: "a".into(),
            community_id: "c1".into(),
            caller_name: Personal::new("n"),
            caller_phone: Personal::new("13500000000"),
            received_at: crate::time::parse_beijing("2026-11-02T09:00").unwrap(),
            urgency: Urgency::General,
            deadline: None,
            grid: None,
            location: None,
            related: Vec::new(),
        }));
        let events: Vec<Event> = std::iter::once(reg)
            .chain(steps)
            .enumerate()
            .map(|(i, body)| Event {
                id: EventId(format!("e{i:02}")),
                ticket_id: id.clone(),
                hlc: Hlc::new(1000 + i as i64, 0),
                device: DeviceId::from("d"),
                actor: "a".into(),
                heads: vec![],
                body,
            })
            .collect();
        fold(&events).unwrap()
    }

    #[test]
    fn allowed_actions_follow_the_state() {
        use TicketEventType as A;
        let received = ticket_after(vec![]);
        assert_eq!(
            allowed_actions(&received),
            vec![
                A::SignedFor,
                A::ObjectionRaised,
                A::SupervisionFlagged,
                A::MergedInto
            ]
        );
        let working = ticket_after(vec![TicketEvent::SignedFor]);
        let a = allowed_actions(&working);
        assert!(a.contains(&A::Assigned) && a.contains(&A::ExtensionRequested));
        assert!(
            !a.contains(&A::Replied),
            "reply needs work in progress first"
        );
        let in_progress = ticket_after(vec![
            TicketEvent::SignedFor,
            TicketEvent::ProgressNoted { note: "n".into() },
        ]);
        assert!(allowed_actions(&in_progress).contains(&A::Replied));
        let archived = ticket_after(vec![TicketEvent::MergedInto {
            primary: TicketId::from("p"),
            reason: "r".into(),
        }]);
        assert!(allowed_actions(&archived).is_empty());
    }
}
