//! What one row of a 12345 export says about a ticket, and the events that bring the street's
//! copy of that ticket up to it. Pure: the importer reads rows into [`HotlineRecord`]s, the
//! store stamps and writes what [`plan`] returns.
//!
//! The export is the hotline's view and only ever moves a ticket forward: a ticket the street
//! has taken further in StreetDesk than the export shows is left as it is.

use crate::event::{Event, TicketEvent, TicketRegistered};
use crate::hlc::Hlc;
use crate::ids::{DeviceId, EventId, TicketId};
use crate::ticket::{
    fold, transition, Callback, Resolution, Satisfaction, Ticket, TicketKind, TicketStatus,
};
use chrono::{DateTime, FixedOffset};

/// One row of an export, read and checked.
#[derive(Clone, Debug, PartialEq)]
pub struct HotlineRecord {
    /// The row number as the spreadsheet shows it.
    pub row: u32,
    /// The ticket as first registered (its `hotline_no` is always set).
    pub registered: TicketRegistered,
    /// The status column, read; `None` when the file has none or the cell is empty.
    pub status: Option<TicketStatus>,
    /// The status cell as written, with its column's header: the note on events it causes.
    pub status_note: String,
    /// When the street signed for it (签收时间), if the file says.
    pub signed_at: Option<DateTime<FixedOffset>>,
    /// When the street replied or closed it (办结时间/反馈时间), if the file says.
    pub replied_at: Option<DateTime<FixedOffset>>,
    /// When the callback was made (回访时间), if the file says.
    pub callback_at: Option<DateTime<FixedOffset>>,
    /// 是否联系, if the file says.
    pub contacted: Option<bool>,
    /// The reply text (办理结果/回复内容), if any.
    pub reply: Option<String>,
    /// 是否解决 and 是否满意, when the callback has been made.
    pub callback: Option<(Resolution, Satisfaction)>,
    /// Tags (标签), e.g. 每月一题 themes.
    pub tags: Vec<String>,
}

impl HotlineRecord {
    /// The hotline's ticket number.
    pub fn hotline_no(&self) -> &str {
        self.registered.hotline_no.as_deref().unwrap_or_default()
    }

    /// The state the row shows the ticket in: the status column, raised to what the row's
    /// data proves (a callback result means the callback was made, a reply that it was
    /// replied), and lowered to what the data allows (no callback without its result). An
    /// objection or a redispatch stands unless the row shows the street replied: a time
    /// signed for or a contact made happen before an objection as well.
    pub fn target(&self) -> TicketStatus {
        use TicketStatus as S;
        let mut t = self.status.unwrap_or(S::Received);
        let proven = if self.callback.is_some() {
            S::CallbackRecorded
        } else if self.reply.is_some() || self.replied_at.is_some() {
            S::Replied
        } else if self.contacted == Some(true) {
            S::InProgress
        } else if self.signed_at.is_some() {
            S::Signed
        } else {
            S::Received
        };
        let raised = if is_side(t) {
            rank(proven) >= rank(S::Replied)
        } else {
            rank(proven) > rank(t)
        };
        if raised {
            t = proven;
        }
        if matches!(t, S::CallbackRecorded | S::Archived) && self.callback.is_none() {
            t = S::AwaitingCallback;
        }
        t
    }
}

/// The word a 12345 export uses for a kind.
pub fn kind_word(k: TicketKind) -> &'static str {
    match k {
        TicketKind::Consultation => "咨询",
        TicketKind::Help => "求助",
        TicketKind::Complaint => "投诉",
        TicketKind::Report => "举报",
        TicketKind::Suggestion => "建议",
        TicketKind::Praise => "表扬",
    }
}

/// Position on the main path; the objection states sit beside it.
fn rank(s: TicketStatus) -> u8 {
    use TicketStatus as S;
    match s {
        S::Received => 0,
        S::Signed => 1,
        S::InProgress | S::Objecting => 2,
        S::Replied => 3,
        S::AwaitingCallback => 4,
        S::CallbackRecorded => 5,
        S::Archived | S::Redispatched => 6,
    }
}

fn is_side(s: TicketStatus) -> bool {
    matches!(s, TicketStatus::Objecting | TicketStatus::Redispatched)
}

/// One event to write, and when it happened as far as the export tells.
#[derive(Clone, Debug, PartialEq)]
pub struct Planned {
    /// The event.
    pub body: TicketEvent,
    /// When it happened: the export's time where it gives one, else as late as the other
    /// facts allow (never earlier than what precedes it), so that no figure looks faster
    /// than the street really was.
    pub at: DateTime<FixedOffset>,
}

/// The events that bring `current` (the street's copy, or `None` for a ticket new to the
/// street) up to what `record` shows, in order, with their times. Empty when nothing changes.
/// `now` bounds every time.
pub fn plan(
    current: Option<&Ticket>,
    record: &HotlineRecord,
    now: DateTime<FixedOffset>,
) -> Vec<Planned> {
    let received = record.registered.received_at;
    let (sim, mut steps, floor) = match current {
        Some(t) => {
            let mut t = t.clone();
            t.conflicts.clear();
            // Another PC's clock may have run ahead; the store orders the events after the
            // ticket's all the same.
            let floor = crate::time::from_unix_ms(t.updated.physical_ms()).min(now);
            (t, Vec::new(), floor)
        }
        None => {
            let reg = TicketEvent::Registered(Box::new(record.registered.clone()));
            let t = fold([&synthetic(reg.clone(), received)]).expect("a registration folds");
            (t, vec![(reg, Some(received))], received)
        }
    };
    // Tags first, dated with what precedes them: a tag says nothing about when the street
    // acted, and dated later it would hold every later update back.
    for tag in &record.tags {
        if !sim.tags.contains(tag) {
            steps.push((TicketEvent::Tagged { tag: tag.clone() }, Some(floor)));
        }
    }
    steps.extend(workflow_steps(sim, record));
    schedule(steps, floor, now)
}

/// Whether `record` would change a ticket that is in `status`, contacted or not, with its
/// `callback` and `tags`:
/// the same answer as a non-empty [`plan`], from what the projection holds, so that a file
/// of unchanged tickets is checked without reading their events.
pub fn changes(
    record: &HotlineRecord,
    status: TicketStatus,
    contacted: bool,
    callback: Option<Callback>,
    tags: &[String],
) -> bool {
    if record.tags.iter().any(|t| !tags.contains(t)) {
        return true;
    }
    let reg = TicketEvent::Registered(Box::new(record.registered.clone()));
    let mut t =
        fold([&synthetic(reg, record.registered.received_at)]).expect("a registration folds");
    t.status = status;
    t.contacted = contacted;
    t.callback = callback;
    next_step(&t, record.target(), record).is_some_and(|(body, _)| transition(&t, &body).is_some())
}

/// The workflow steps from `sim` to the record's state, each with its known time.
fn workflow_steps(mut sim: Ticket, record: &HotlineRecord) -> Vec<Step> {
    let target = record.target();
    let mut out = Vec::new();
    // A safe bound: the longest path has seven steps.
    for _ in 0..12 {
        let Some((body, at)) = next_step(&sim, target, record) else {
            break;
        };
        if transition(&sim, &body).is_none() {
            break;
        }
        let e = synthetic(body.clone(), at.unwrap_or(record.registered.received_at));
        crate::ticket::apply(&mut sim, &e, &e.body);
        out.push((body, at));
    }
    out
}

/// An event and the time the export gives for it, if any.
type Step = (TicketEvent, Option<DateTime<FixedOffset>>);

/// The next event on the way to `target`, if any.
fn next_step(t: &Ticket, target: TicketStatus, r: &HotlineRecord) -> Option<Step> {
    use TicketStatus as S;
    let note = || r.status_note.clone();
    let working = matches!(t.status, S::Signed | S::InProgress);
    if working && r.contacted == Some(true) && !t.contacted && rank(target) >= 2 && !is_side(target)
    {
        return Some((TicketEvent::ContactMade { note: note() }, None));
    }
    // 重办: the hotline called back again after the street took up an unresolved matter
    // anew; the export shows the new result, the street still has the old one.
    if t.status == S::CallbackRecorded && rank(target) >= 5 {
        if let (Some(new), Some(old)) = (r.callback, t.callback) {
            if old.resolution != Resolution::Resolved && (old.resolution, old.satisfaction) != new {
                return Some((TicketEvent::Reopened { reason: note() }, None));
            }
        }
    }
    let side = is_side(target);
    let step = match t.status {
        S::Received | S::Signed | S::InProgress if side => {
            (TicketEvent::ObjectionRaised { reason: note() }, None)
        }
        S::Objecting if target == S::Redispatched => (
            TicketEvent::ObjectionDecided {
                upheld: true,
                reason: note(),
            },
            None,
        ),
        S::Objecting if rank(target) >= 2 && !side => (
            TicketEvent::ObjectionDecided {
                upheld: false,
                reason: note(),
            },
            None,
        ),
        S::Received if rank(target) >= 1 => (TicketEvent::SignedFor, r.signed_at),
        S::Signed if rank(target) >= 2 => (TicketEvent::ProgressNoted { note: note() }, None),
        S::InProgress if rank(target) >= 3 => {
            let reply = r.reply.clone().unwrap_or_else(note);
            (TicketEvent::Replied { reply }, r.replied_at)
        }
        S::Replied if target == S::AwaitingCallback => (TicketEvent::SentForCallback, None),
        S::Replied | S::AwaitingCallback if rank(target) >= 5 => {
            let (resolution, satisfaction) = r.callback?;
            let contacted = r.contacted.unwrap_or(t.contacted);
            (
                TicketEvent::CallbackRecorded(Callback {
                    contacted,
                    resolution,
                    satisfaction,
                }),
                r.callback_at,
            )
        }
        S::CallbackRecorded if target == S::Archived => (TicketEvent::Archived, r.callback_at),
        _ => return None,
    };
    Some(step)
}

/// An event for simulating the fold; never written.
fn synthetic(body: TicketEvent, at: DateTime<FixedOffset>) -> Event {
    Event {
        id: EventId("plan".into()),
        ticket_id: TicketId("plan".into()),
        hlc: Hlc::new(at.timestamp_millis(), 0),
        device: DeviceId("plan".into()),
        actor: String::new(),
        heads: Vec::new(),
        body,
    }
}

/// Gives each planned event its time: its own where known; else the next known time after
/// it, or `now`; never before `floor` or the event before it, never after `now`.
fn schedule(
    steps: Vec<Step>,
    floor: DateTime<FixedOffset>,
    now: DateTime<FixedOffset>,
) -> Vec<Planned> {
    let mut later = now;
    let mut times: Vec<DateTime<FixedOffset>> = steps
        .iter()
        .rev()
        .map(|(_, at)| {
            if let Some(at) = at {
                later = (*at).min(now);
            }
            later
        })
        .collect();
    times.reverse();
    let mut previous = floor;
    steps
        .into_iter()
        .zip(times)
        .map(|((body, _), at)| {
            let at = at.max(previous);
            previous = at;
            Planned { body, at }
        })
        .collect()
}

#[cfg(test)]
mod tests;
