//! The street's figures (DESIGN.md "Three rates and the composite"): 响应率, 解决率, 满意率 and
//! their composite, the honest on-time rate, and how long tickets take, grouped by month,
//! community, category, department, source or kind, and a ranking of communities.
//!
//! Everything here is arithmetic over [`TicketFacts`]; where the facts come from (the fold)
//! is the store's business, so hand-computed fixtures pin every formula.

use crate::ticket::{
    Callback, Resolution, Satisfaction, Ticket, TicketKind, TicketSource, TicketStatus,
};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
use ts_rs::TS;

/// The configurable parts of the formulas (unconfirmed in public sources; settings).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RateFormula {
    /// How much a "partly resolved" callback counts in 解决率 (default 0.5).
    pub partly_resolved: f64,
    /// How much a "basically satisfied" callback counts in 满意率 (default 0.9).
    pub basically_satisfied: f64,
    /// Weight of 响应率 in the composite (default 0.1).
    pub weight_response: f64,
    /// Weight of 解决率 in the composite (default 0.5).
    pub weight_resolution: f64,
    /// Weight of 满意率 in the composite (default 0.4).
    pub weight_satisfaction: f64,
}

impl Default for RateFormula {
    fn default() -> Self {
        RateFormula {
            partly_resolved: 0.5,
            basically_satisfied: 0.9,
            weight_response: 0.1,
            weight_resolution: 0.5,
            weight_satisfaction: 0.4,
        }
    }
}

impl RateFormula {
    /// Whether every share is within 0–1 and the weights add up to 1.
    pub fn valid(&self) -> bool {
        let share = |x: f64| (0.0..=1.0).contains(&x);
        let weights = [
            self.weight_response,
            self.weight_resolution,
            self.weight_satisfaction,
        ];
        share(self.partly_resolved)
            && share(self.basically_satisfied)
            && weights.iter().all(|w| share(*w))
            && (weights.iter().sum::<f64>() - 1.0).abs() < 1e-9
    }
}

/// What the figures need to know of one ticket.
#[derive(Clone, Debug, PartialEq)]
pub struct TicketFacts {
    /// 诉求类型 (表扬 is counted, never assessed).
    pub kind: TicketKind,
    /// Source.
    pub source: TicketSource,
    /// Community id. (Shared text: a year of tickets names a few dozen communities.)
    pub community: Arc<str>,
    /// Category path (`一级/二级/三级`).
    pub category: Arc<str>,
    /// The lead unit (主办), if assigned.
    pub department: Option<Arc<str>>,
    /// Received.
    pub received_at: DateTime<FixedOffset>,
    /// Signed for (签收), first time.
    pub signed_at: Option<DateTime<FixedOffset>>,
    /// First contact with the citizen.
    pub contacted_at: Option<DateTime<FixedOffset>>,
    /// First reply (反馈): when the time limit stops counting.
    pub replied_at: Option<DateTime<FixedOffset>>,
    /// Archived (归档).
    pub closed_at: Option<DateTime<FixedOffset>>,
    /// Due (after any granted extension); `None` when no limit applies.
    pub due: Option<DateTime<FixedOffset>>,
    /// The hotline's callback, once recorded.
    pub callback: Option<Callback>,
}

impl TicketFacts {
    /// The facts of a folded ticket, given its due instant as the store computes it; `None`
    /// for a ticket the street no longer answers for (redispatched away) or one merged into
    /// another as a duplicate, which is counted once, there.
    pub fn of(t: &Ticket, due: Option<DateTime<FixedOffset>>) -> Option<TicketFacts> {
        if t.status == TicketStatus::Redispatched || t.merged_into.is_some() {
            return None;
        }
        Some(TicketFacts {
            kind: t.kind,
            source: t.source,
            community: t.community_id.as_str().into(),
            category: t.category.as_str().into(),
            department: t.assignee.as_deref().map(Into::into),
            received_at: t.received_at,
            signed_at: t.milestones.signed_at,
            contacted_at: t.milestones.contacted_at,
            replied_at: t.milestones.replied_at,
            closed_at: t.milestones.archived_at,
            due,
            callback: t.callback,
        })
    }
}

/// How to group tickets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// Month received, `YYYY-MM` (Beijing).
    Month,
    /// Community id.
    Community,
    /// First level of the category.
    Category,
    /// Lead unit; unassigned tickets under "".
    Department,
    /// Source.
    Source,
    /// Kind.
    Kind,
}

/// The three rates over a set of callbacks, in percent; `None` where nothing was rated.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Rates {
    /// Assessed tickets with a callback (the denominator of 响应率 and 解决率).
    pub rated: u32,
    /// Of those, the ones whose caller rated satisfaction (未评价 is not rated).
    pub satisfaction_rated: u32,
    /// 响应率.
    pub response: Option<f64>,
    /// 解决率.
    pub resolution: Option<f64>,
    /// 满意率.
    pub satisfaction: Option<f64>,
    /// The weighted composite; `None` unless all three rates exist.
    pub composite: Option<f64>,
}

/// The honest on-time rate: closed on time ÷ (closed + open and overdue), so that an overdue
/// open ticket never hides.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OnTime {
    /// Replied by the deadline.
    pub on_time: u32,
    /// Replied after it.
    pub late: u32,
    /// Not replied, deadline passed.
    pub open_overdue: u32,
    /// In percent; `None` when nothing counts yet.
    pub rate: Option<f64>,
}

/// Median and 90th percentile of a duration, in hours.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Durations {
    /// Tickets measured.
    pub n: u32,
    /// Median, hours.
    pub median_h: Option<f64>,
    /// 90th percentile, hours.
    pub p90_h: Option<f64>,
}

/// Every figure for one group of tickets.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Figures {
    /// The group (a month, a community id…); "" for the whole street.
    pub key: String,
    /// Tickets in the group.
    pub tickets: u32,
    /// The three rates and the composite.
    pub rates: Rates,
    /// The on-time rate.
    pub on_time: OnTime,
    /// Received → signed for.
    pub to_sign: Durations,
    /// Received → first contact.
    pub to_contact: Durations,
    /// Received → first reply.
    pub to_reply: Durations,
    /// Received → archived.
    pub to_close: Durations,
}

/// What one callback's satisfaction adds to 满意率's numerator; `None` for 未评价, which is
/// not in its denominator either.
pub fn satisfaction_points(s: Satisfaction, basically: f64) -> Option<f64> {
    match s {
        Satisfaction::Satisfied => Some(1.0),
        Satisfaction::Basically => Some(basically),
        Satisfaction::Unsatisfied => Some(0.0),
        Satisfaction::NotRated => None,
    }
}

/// A group's figures counted up one ticket at a time: every formula of this module is
/// [`Tally::add`] then [`Tally::figures`], so a dashboard computes every group of every
/// dimension in one pass over the tickets.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    tickets: u32,
    rated: u32,
    responded: u32,
    resolved: u32,
    partly: u32,
    satisfied: u32,
    basically: u32,
    unsatisfied: u32,
    on_time: u32,
    late: u32,
    open_overdue: u32,
    /// Seconds to sign for, to first contact, to reply and to archive.
    seconds: [Vec<i64>; 4],
}

impl Tally {
    /// Counts one ticket, judging "open and overdue" at `now_ms` (Unix milliseconds).
    pub fn add(&mut self, t: &TicketFacts, now_ms: i64) {
        self.tickets += 1;
        // 表扬 is counted, never assessed.
        if let Some(c) = t.callback.filter(|_| t.kind != TicketKind::Praise) {
            self.rated += 1;
            self.responded += u32::from(c.contacted);
            match c.resolution {
                Resolution::Resolved => self.resolved += 1,
                Resolution::Partly => self.partly += 1,
                Resolution::Unresolved => {}
            }
            match c.satisfaction {
                Satisfaction::Satisfied => self.satisfied += 1,
                Satisfaction::Basically => self.basically += 1,
                Satisfaction::Unsatisfied => self.unsatisfied += 1,
                Satisfaction::NotRated => {}
            }
        }
        if let Some(due) = t.due {
            match t.replied_at {
                Some(r) if r <= due => self.on_time += 1,
                Some(_) => self.late += 1,
                None if now_ms > due.timestamp_millis() => self.open_overdue += 1,
                None => {}
            }
        }
        let received = t.received_at.timestamp();
        for (seconds, at) in
            self.seconds
                .iter_mut()
                .zip([t.signed_at, t.contacted_at, t.replied_at, t.closed_at])
        {
            if let Some(at) = at {
                seconds.push(at.timestamp() - received);
            }
        }
    }

    /// The three rates and the composite.
    pub fn rates(&self, f: &RateFormula) -> Rates {
        let satisfaction_rated = self.satisfied + self.basically + self.unsatisfied;
        let percent = |x: f64, of: u32| (of > 0).then(|| 100.0 * x / f64::from(of));
        let response = percent(f64::from(self.responded), self.rated);
        let resolution = percent(
            f64::from(self.resolved) + f.partly_resolved * f64::from(self.partly),
            self.rated,
        );
        let satisfaction = percent(
            f64::from(self.satisfied) + f.basically_satisfied * f64::from(self.basically),
            satisfaction_rated,
        );
        let composite = match (response, resolution, satisfaction) {
            (Some(a), Some(b), Some(c)) => {
                Some(f.weight_response * a + f.weight_resolution * b + f.weight_satisfaction * c)
            }
            _ => None,
        };
        Rates {
            rated: self.rated,
            satisfaction_rated,
            response,
            resolution,
            satisfaction,
            composite,
        }
    }

    /// The on-time rate.
    pub fn on_time(&self) -> OnTime {
        let counted = self.on_time + self.late + self.open_overdue;
        OnTime {
            on_time: self.on_time,
            late: self.late,
            open_overdue: self.open_overdue,
            rate: (counted > 0).then(|| 100.0 * f64::from(self.on_time) / f64::from(counted)),
        }
    }

    /// Every figure of the group called `key`.
    pub fn figures(self, key: &str, f: &RateFormula) -> Figures {
        let (rates, on_time) = (self.rates(f), self.on_time());
        let [to_sign, to_contact, to_reply, to_close] = self.seconds.map(durations_s);
        Figures {
            key: key.to_owned(),
            tickets: self.tickets,
            rates,
            on_time,
            to_sign,
            to_contact,
            to_reply,
            to_close,
        }
    }
}

fn tally<'a>(tickets: impl IntoIterator<Item = &'a TicketFacts>, now_ms: i64) -> Tally {
    let mut t = Tally::default();
    for x in tickets {
        t.add(x, now_ms);
    }
    t
}

/// The three rates and the composite over `tickets`.
pub fn rates<'a>(tickets: impl IntoIterator<Item = &'a TicketFacts>, f: &RateFormula) -> Rates {
    tally(tickets, i64::MIN).rates(f)
}

/// The on-time rate over `tickets` as of `now`.
pub fn on_time<'a>(
    tickets: impl IntoIterator<Item = &'a TicketFacts>,
    now: DateTime<FixedOffset>,
) -> OnTime {
    tally(tickets, now.timestamp_millis()).on_time()
}

/// Median and p90 (nearest rank) of `hours`.
pub fn durations(hours: Vec<f64>) -> Durations {
    nearest_ranks(hours, f64::total_cmp, |h| h)
}

/// [`durations`] of whole seconds: integers select faster, and an hour count is the same
/// number whichever is converted first.
fn durations_s(seconds: Vec<i64>) -> Durations {
    nearest_ranks(seconds, i64::cmp, |s| s as f64 / 3600.0)
}

fn nearest_ranks<T: Copy>(
    mut values: Vec<T>,
    order: impl Fn(&T, &T) -> std::cmp::Ordering,
    hours: impl Fn(T) -> f64,
) -> Durations {
    let n = values.len();
    if n == 0 {
        return Durations::default();
    }
    // Nearest rank: the smallest value with at least q of the values at or below it. Found
    // by selection, not sorting; the p90 is looked for only above the median.
    let rank = |q: f64| ((q * n as f64).ceil() as usize).clamp(1, n) - 1;
    let (k50, k90) = (rank(0.5), rank(0.9));
    let (_, median, above) = values.select_nth_unstable_by(k50, &order);
    let median = *median;
    let p90 = if k90 == k50 {
        median
    } else {
        *above.select_nth_unstable_by(k90 - k50 - 1, &order).1
    };
    Durations {
        n: n as u32,
        median_h: Some(hours(median)),
        p90_h: Some(hours(p90)),
    }
}

/// Every figure for one group.
pub fn figures(
    key: &str,
    tickets: &[&TicketFacts],
    f: &RateFormula,
    now: DateTime<FixedOffset>,
) -> Figures {
    tally(tickets.iter().copied(), now.timestamp_millis()).figures(key, f)
}

/// The group a ticket falls in.
pub fn key_of(t: &TicketFacts, by: Dimension) -> String {
    match by {
        Dimension::Month => t.received_at.format("%Y-%m").to_string(),
        Dimension::Community => t.community.to_string(),
        Dimension::Category => t.category.split('/').next().unwrap_or("").to_owned(),
        Dimension::Department => t.department.as_deref().unwrap_or("").to_owned(),
        Dimension::Source => crate::wire::wire_name(&t.source),
        Dimension::Kind => crate::wire::wire_name(&t.kind),
    }
}

/// Figures per group, in key order.
pub fn figures_by(
    tickets: &[TicketFacts],
    by: Dimension,
    f: &RateFormula,
    now: DateTime<FixedOffset>,
) -> Vec<Figures> {
    let mut groups: BTreeMap<String, Vec<&TicketFacts>> = BTreeMap::new();
    for t in tickets {
        groups.entry(key_of(t, by)).or_default().push(t);
    }
    groups
        .iter()
        .map(|(key, group)| figures(key, group, f, now))
        .collect()
}

/// Communities ranked by composite, best first; those without one come last. Ties share a
/// rank (1, 2, 2, 4) and are listed by id.
pub fn ranking(by_community: &[Figures]) -> Vec<(u32, Figures)> {
    let mut rows: Vec<Figures> = by_community.to_vec();
    rows.sort_by(|a, b| {
        let score = |x: &Figures| x.rates.composite.unwrap_or(f64::NEG_INFINITY);
        score(b)
            .total_cmp(&score(a))
            .then_with(|| a.key.cmp(&b.key))
    });
    let mut ranked = Vec::with_capacity(rows.len());
    for (i, row) in rows.into_iter().enumerate() {
        let rank = match ranked.last() {
            Some((r, prev)) if same_score(prev, &row) => *r,
            _ => i as u32 + 1,
        };
        ranked.push((rank, row));
    }
    ranked
}

fn same_score(a: &Figures, b: &Figures) -> bool {
    match (a.rates.composite, b.rates.composite) {
        (Some(x), Some(y)) => (x - y).abs() < 1e-9,
        (None, None) => true,
        _ => false,
    }
}
