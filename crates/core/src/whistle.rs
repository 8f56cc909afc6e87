//! 吹哨报到: a whistle summons departments to a matter the street cannot solve alone. Like a
//! ticket, a whistle is the fold of its events; each summoned department has its own clock
//! (summoned → reported in → on site → done, or released), and the whistle closes only when
//! every department is done or released (事不完、人不撤).

use crate::hlc::Hlc;
use crate::ids::{DeviceId, EventId, TicketId, WhistleId};
use chrono::{DateTime, Duration, FixedOffset};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use ts_rs::TS;

/// Why the street blows the whistle (DESIGN.md "Whistle").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WhistleReason {
    /// A complaint the street cannot solve alone.
    Complaint,
    /// Joint enforcement (联合执法).
    JointEnforcement,
    /// An emergency.
    Emergency,
}

/// Everything known when a whistle is blown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WhistleBlown {
    /// Why.
    pub reason: WhistleReason,
    /// The matter, in a sentence or two.
    pub matter: String,
    /// Where the departments must go.
    pub place: String,
    /// The community the place is in, when known.
    #[serde(default)]
    pub community_id: Option<String>,
    /// Tickets the whistle is for (none for a patrol finding).
    #[serde(default)]
    pub tickets: Vec<TicketId>,
    /// Department ids summoned.
    pub departments: Vec<String>,
    /// Minutes each department has to report in.
    pub report_limit_min: u32,
    /// When the whistle was blown.
    pub at: DateTime<FixedOffset>,
}

/// What happened to a whistle.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum WhistleEvent {
    /// The street blew the whistle (吹哨).
    Blown(WhistleBlown),
    /// More departments summoned to a running whistle.
    DepartmentsAdded {
        /// Department ids.
        departments: Vec<String>,
        /// When they were summoned.
        at: DateTime<FixedOffset>,
    },
    /// A department reported in (报到).
    ReportedIn {
        /// Department id.
        department: String,
        /// When.
        at: DateTime<FixedOffset>,
    },
    /// A department's people are on site.
    OnSite {
        /// Department id.
        department: String,
        /// When.
        at: DateTime<FixedOffset>,
    },
    /// A department finished its part.
    Done {
        /// Department id.
        department: String,
        /// When.
        at: DateTime<FixedOffset>,
        /// What it did.
        note: String,
    },
    /// The street let a department go before it was done.
    Released {
        /// Department id.
        department: String,
        /// When.
        at: DateTime<FixedOffset>,
        /// Why.
        reason: String,
    },
    /// A department overdue to report in was escalated to the district.
    Escalated {
        /// Department id.
        department: String,
        /// When.
        at: DateTime<FixedOffset>,
        /// What was reported to whom.
        note: String,
    },
    /// The matter is settled and every department is done or released.
    Closed {
        /// When.
        at: DateTime<FixedOffset>,
        /// How it ended.
        summary: String,
    },
    /// The street rated a department's work on this whistle (a later rating replaces it).
    Rated {
        /// Department id.
        department: String,
        /// Effectiveness, 1 (poor) to 5 (excellent).
        effectiveness: u8,
        /// Comment.
        comment: String,
    },
}

/// The event's type without its payload, for timelines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WhistleEventType {
    /// See [`WhistleEvent::Blown`].
    Blown,
    /// See [`WhistleEvent::DepartmentsAdded`].
    DepartmentsAdded,
    /// See [`WhistleEvent::ReportedIn`].
    ReportedIn,
    /// See [`WhistleEvent::OnSite`].
    OnSite,
    /// See [`WhistleEvent::Done`].
    Done,
    /// See [`WhistleEvent::Released`].
    Released,
    /// See [`WhistleEvent::Escalated`].
    Escalated,
    /// See [`WhistleEvent::Closed`].
    Closed,
    /// See [`WhistleEvent::Rated`].
    Rated,
}

impl WhistleEvent {
    /// The event's type.
    pub fn event_type(&self) -> WhistleEventType {
        use WhistleEvent as E;
        use WhistleEventType as T;
        match self {
            E::Blown(_) => T::Blown,
            E::DepartmentsAdded { .. } => T::DepartmentsAdded,
            E::ReportedIn { .. } => T::ReportedIn,
            E::OnSite { .. } => T::OnSite,
            E::Done { .. } => T::Done,
            E::Released { .. } => T::Released,
            E::Escalated { .. } => T::Escalated,
            E::Closed { .. } => T::Closed,
            E::Rated { .. } => T::Rated,
        }
    }

    /// The department a per-department event is about.
    pub fn department(&self) -> Option<&str> {
        use WhistleEvent as E;
        match self {
            E::ReportedIn { department, .. }
            | E::OnSite { department, .. }
            | E::Done { department, .. }
            | E::Released { department, .. }
            | E::Escalated { department, .. }
            | E::Rated { department, .. } => Some(department),
            _ => None,
        }
    }

    /// The free text the event carries, for the timeline.
    pub fn detail(&self) -> Option<String> {
        use WhistleEvent as E;
        match self {
            E::Blown(b) => Some(b.matter.clone()),
            E::Done { note, .. } | E::Escalated { note, .. } => Some(note.clone()),
            E::Released { reason, .. } => Some(reason.clone()),
            E::Closed { summary, .. } => Some(summary.clone()),
            E::Rated {
                effectiveness,
                comment,
                ..
            } => Some(format!("{effectiveness}/5 · {comment}")),
            _ => None,
        }
    }
}

/// One event in a whistle's history, with who wrote it, where, and when (HLC).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WhistleRecord {
    /// Unique id; the idempotency key for storage and sync.
    pub id: EventId,
    /// The whistle the event belongs to.
    pub whistle_id: WhistleId,
    /// Hybrid logical clock timestamp; with `device`, the fold order.
    pub hlc: Hlc,
    /// The device that wrote the event.
    pub device: DeviceId,
    /// The person who did it.
    pub actor: String,
    /// The whistle's head events this device had seen when it wrote this one.
    pub heads: Vec<EventId>,
    /// What happened.
    pub body: WhistleEvent,
}

impl WhistleRecord {
    /// The total order the fold uses, as for tickets.
    pub fn order_key(&self) -> (Hlc, &str, &str) {
        (self.hlc, &self.device.0, &self.id.0)
    }
}

/// Where a summoned department stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SummonsStage {
    /// Summoned, not yet reported in.
    Summoned,
    /// Reported in (报到).
    ReportedIn,
    /// On site.
    OnSite,
    /// Its part is done.
    Done,
    /// Let go by the street.
    Released,
}

impl SummonsStage {
    /// Done or released: the department is no longer out.
    pub fn finished(self) -> bool {
        matches!(self, SummonsStage::Done | SummonsStage::Released)
    }
}

/// One department's clock on a whistle.
#[derive(Clone, Debug, PartialEq)]
pub struct Summons {
    /// Department id.
    pub department: String,
    /// Where it stands.
    pub stage: SummonsStage,
    /// When it was summoned.
    pub summoned_at: DateTime<FixedOffset>,
    /// When it must report in by.
    pub report_due: DateTime<FixedOffset>,
    /// When it reported in.
    pub reported_at: Option<DateTime<FixedOffset>>,
    /// When it was on site.
    pub on_site_at: Option<DateTime<FixedOffset>>,
    /// When it was done or released.
    pub finished_at: Option<DateTime<FixedOffset>>,
    /// Why it was released.
    pub release_reason: Option<String>,
    /// When it was escalated to the district for not reporting in.
    pub escalated_at: Option<DateTime<FixedOffset>>,
    /// The street's rating, once the whistle is closed.
    pub rating: Option<Rating>,
}

impl Summons {
    /// Minutes from summons to report-in, if it reported in.
    pub fn report_minutes(&self) -> Option<f64> {
        self.reported_at
            .map(|r| (r - self.summoned_at).num_seconds() as f64 / 60.0)
    }

    /// Whether it is past its report-in limit without having reported in.
    pub fn overdue_at(&self, now: DateTime<FixedOffset>) -> bool {
        self.stage == SummonsStage::Summoned && now > self.report_due
    }
}

/// The street's rating of one department on one whistle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Rating {
    /// 1 to 5.
    pub effectiveness: u8,
    /// Comment.
    pub comment: String,
}

/// Whether a whistle is running.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WhistleStatus {
    /// Departments are (or may still be) out.
    Open,
    /// Every department done or released, and the street closed it.
    Closed,
}

/// A whistle's current state: the fold of its events.
#[derive(Clone, Debug, PartialEq)]
pub struct Whistle {
    /// Id.
    pub id: WhistleId,
    /// Why.
    pub reason: WhistleReason,
    /// The matter.
    pub matter: String,
    /// The place.
    pub place: String,
    /// The community, when known.
    pub community_id: Option<String>,
    /// Linked tickets.
    pub tickets: Vec<TicketId>,
    /// Report-in limit in minutes.
    pub report_limit_min: u32,
    /// When it was blown.
    pub blown_at: DateTime<FixedOffset>,
    /// Open or closed.
    pub status: WhistleStatus,
    /// When it was closed.
    pub closed_at: Option<DateTime<FixedOffset>>,
    /// Every summoned department, in the order summoned.
    pub summons: Vec<Summons>,
    /// HLC of the first event.
    pub created: Hlc,
    /// HLC of the newest event.
    pub updated: Hlc,
    /// Events the state did not allow, kept for review rather than dropped.
    pub conflicts: Vec<EventId>,
}

impl Whistle {
    /// The summons of a department, if it was summoned.
    pub fn summons_of(&self, department: &str) -> Option<&Summons> {
        self.summons.iter().find(|s| s.department == department)
    }

    /// Departments still out: neither done nor released.
    pub fn still_out(&self) -> Vec<&str> {
        self.summons
            .iter()
            .filter(|s| !s.stage.finished())
            .map(|s| s.department.as_str())
            .collect()
    }
}

/// Why the whistle's state refuses an event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The whistle is closed; only ratings are taken.
    Closed,
    /// The whistle is open; ratings wait for its closure.
    NotClosed,
    /// The department was never summoned to this whistle.
    NotSummoned(String),
    /// The department's stage does not allow the step.
    Stage(String, SummonsStage),
    /// Departments still out (事不完、人不撤).
    StillOut(Vec<String>),
    /// The event names no department that is not already summoned.
    NothingNew,
    /// Effectiveness outside 1–5.
    Effectiveness,
    /// A whistle is blown only once.
    AlreadyBlown,
    /// Only a department past its report-in limit is escalated.
    NotOverdue,
}

/// Checks an event against the whistle's state; `Ok` means the fold applies it.
pub fn check(w: &Whistle, event: &WhistleEvent) -> Result<(), Refusal> {
    use SummonsStage as S;
    use WhistleEvent as E;
    let closed = w.status == WhistleStatus::Closed;
    let stage = |d: &str| {
        w.summons_of(d)
            .map(|s| s.stage)
            .ok_or_else(|| Refusal::NotSummoned(d.to_owned()))
    };
    let refuse = |d: &str, s: S| Err(Refusal::Stage(d.to_owned(), s));
    match event {
        E::Blown(_) => Err(Refusal::AlreadyBlown),
        E::Rated { effectiveness, .. } if !(1..=5).contains(effectiveness) => {
            Err(Refusal::Effectiveness)
        }
        E::Rated { department, .. } => match stage(department)? {
            _ if !closed => Err(Refusal::NotClosed),
            S::Done => Ok(()),
            s => refuse(department, s),
        },
        _ if closed => Err(Refusal::Closed),
        E::DepartmentsAdded { departments, .. } => {
            if departments.iter().any(|d| w.summons_of(d).is_none()) {
                Ok(())
            } else {
                Err(Refusal::NothingNew)
            }
        }
        E::ReportedIn { department, .. } => match stage(department)? {
            S::Summoned => Ok(()),
            s => refuse(department, s),
        },
        E::OnSite { department, .. } => match stage(department)? {
            S::Summoned | S::ReportedIn => Ok(()),
            s => refuse(department, s),
        },
        E::Done { department, .. } => match stage(department)? {
            S::ReportedIn | S::OnSite => Ok(()),
            s => refuse(department, s),
        },
        E::Released { department, .. } => match stage(department)? {
            s if s.finished() => refuse(department, s),
            _ => Ok(()),
        },
        E::Escalated { department, at, .. } => {
            match (stage(department)?, w.summons_of(department)) {
                (S::Summoned, Some(s)) if s.escalated_at.is_none() && *at > s.report_due => Ok(()),
                (S::Summoned, Some(s)) if s.escalated_at.is_none() => Err(Refusal::NotOverdue),
                (s, _) => refuse(department, s),
            }
        }
        E::Closed { .. } => {
            let out = w.still_out();
            if out.is_empty() {
                Ok(())
            } else {
                Err(Refusal::StillOut(
                    out.into_iter().map(str::to_owned).collect(),
                ))
            }
        }
    }
}

fn summon(w: &mut Whistle, department: &str, at: DateTime<FixedOffset>) {
    if w.summons_of(department).is_some() {
        return;
    }
    w.summons.push(Summons {
        department: department.to_owned(),
        stage: SummonsStage::Summoned,
        summoned_at: at,
        report_due: at + Duration::minutes(i64::from(w.report_limit_min)),
        reported_at: None,
        on_site_at: None,
        finished_at: None,
        release_reason: None,
        escalated_at: None,
        rating: None,
    });
}

fn apply(w: &mut Whistle, e: &WhistleRecord) {
    use WhistleEvent as E;
    w.updated = w.updated.max(e.hlc);
    if check(w, &e.body).is_err() {
        w.conflicts.push(e.id.clone());
        return;
    }
    if let E::DepartmentsAdded { departments, at } = &e.body {
        for d in departments {
            summon(w, d, *at);
        }
        return;
    }
    if let E::Closed { at, .. } = &e.body {
        w.status = WhistleStatus::Closed;
        w.closed_at = Some(*at);
        return;
    }
    let Some(s) = e
        .body
        .department()
        .and_then(|d| w.summons.iter_mut().find(|s| s.department == d))
    else {
        return;
    };
    match &e.body {
        E::ReportedIn { at, .. } => {
            s.stage = SummonsStage::ReportedIn;
            s.reported_at = Some(*at);
        }
        E::OnSite { at, .. } => {
            // Arriving on site is reporting in, if the department skipped the call.
            s.reported_at.get_or_insert(*at);
            s.stage = SummonsStage::OnSite;
            s.on_site_at = Some(*at);
        }
        E::Done { at, .. } => {
            s.stage = SummonsStage::Done;
            s.finished_at = Some(*at);
        }
        E::Released { at, reason, .. } => {
            s.stage = SummonsStage::Released;
            s.finished_at = Some(*at);
            s.release_reason = Some(reason.clone());
        }
        E::Escalated { at, .. } => s.escalated_at = Some(*at),
        E::Rated {
            effectiveness,
            comment,
            ..
        } => {
            s.rating = Some(Rating {
                effectiveness: *effectiveness,
                comment: comment.clone(),
            })
        }
        _ => {}
    }
}

/// Folds a whistle's events, in any order and with duplicates, into its state. Returns `None`
/// while the event that blew it has not arrived.
pub fn fold<'a>(events: impl IntoIterator<Item = &'a WhistleRecord>) -> Option<Whistle> {
    let mut seen = HashSet::new();
    let mut ordered: Vec<&WhistleRecord> =
        events.into_iter().filter(|e| seen.insert(&e.id)).collect();
    ordered.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    let mut whistle: Option<Whistle> = None;
    let mut early = Vec::new();
    for e in ordered {
        match (&mut whistle, &e.body) {
            (None, WhistleEvent::Blown(b)) => {
                let mut w = Whistle {
                    id: e.whistle_id.clone(),
                    reason: b.reason,
                    matter: b.matter.clone(),
                    place: b.place.clone(),
                    community_id: b.community_id.clone(),
                    tickets: b.tickets.clone(),
                    report_limit_min: b.report_limit_min,
                    blown_at: b.at,
                    status: WhistleStatus::Open,
                    closed_at: None,
                    summons: Vec::new(),
                    created: e.hlc,
                    updated: e.hlc,
                    conflicts: std::mem::take(&mut early),
                };
                for d in &b.departments {
                    summon(&mut w, d, b.at);
                }
                whistle = Some(w);
            }
            (None, _) => early.push(e.id.clone()),
            (Some(w), _) => apply(w, e),
        }
    }
    whistle
}
