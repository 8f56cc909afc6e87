//! One pass over a period's tickets that counts every group of every dimension at once: the
//! street, communities, first-level categories, lead units, sources and kinds, the
//! category × community counts and the response-time buckets. A year at a million tickets
//! is ~100,000 tickets; regrouping them once per dimension cost more than reading them.

use super::{Group, Heat, ResponseTimes, HEAT_CATEGORIES, OTHER, RESPONSE_BOUNDS_H};
use crate::kpi::{Figures, RateFormula, Tally, TicketFacts};
use crate::ticket::{TicketKind, TicketSource};
use crate::wire::wire_name;
use chrono::Datelike;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use std::collections::BTreeMap;
use std::hash::Hash;

/// Every tally of one pass.
pub(super) struct Pass<'a> {
    pub(super) street: Tally,
    pub(super) communities: HashMap<&'a str, Tally>,
    pub(super) categories: HashMap<&'a str, Tally>,
    pub(super) departments: HashMap<&'a str, Tally>,
    pub(super) sources: HashMap<TicketSource, Tally>,
    pub(super) kinds: HashMap<TicketKind, Tally>,
    /// Tickets per (first-level category, community).
    pub(super) heat: HashMap<(&'a str, &'a str), u32>,
    pub(super) response: ResponseTimes,
    /// The trend, by (year, month) in Beijing time.
    pub(super) months: BTreeMap<(i32, u32), Tally>,
}

/// The month a ticket was received in, remembered with its bounds: tickets come in received
/// order, so the calendar is consulted once a month rather than once a ticket.
#[derive(Default)]
struct MonthCursor {
    start_ms: i64,
    end_ms: i64,
    key: (i32, u32),
}

impl MonthCursor {
    fn of(&mut self, t: &TicketFacts) -> (i32, u32) {
        let ms = t.received_at.timestamp_millis();
        if !(self.start_ms..self.end_ms).contains(&ms) {
            let (y, m) = (t.received_at.year(), t.received_at.month());
            let first = |y: i32, m: u32| {
                chrono::NaiveDate::from_ymd_opt(y, m, 1)
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
                    .and_then(|d| d.and_local_timezone(*t.received_at.offset()).single())
                    .map(|d| d.timestamp_millis())
            };
            let next = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            match (first(y, m), first(next.0, next.1)) {
                (Some(a), Some(b)) => (self.start_ms, self.end_ms) = (a, b),
                _ => (self.start_ms, self.end_ms) = (ms, ms),
            }
            self.key = (y, m);
        }
        self.key
    }
}

fn add<K: Hash + Eq>(map: &mut HashMap<K, Tally>, key: K, t: &TicketFacts, now_ms: i64) {
    map.entry(key).or_default().add(t, now_ms);
}

/// The response-time bucket of `hours`: the first whose upper bound it does not exceed.
pub(super) fn bucket(hours: f64) -> usize {
    RESPONSE_BOUNDS_H
        .iter()
        .position(|b| hours <= *b)
        .unwrap_or(RESPONSE_BOUNDS_H.len())
}

/// What the first of the two threads counts.
struct Street<'a> {
    street: Tally,
    months: BTreeMap<(i32, u32), Tally>,
    communities: HashMap<&'a str, Tally>,
    heat: HashMap<(&'a str, &'a str), u32>,
    response: ResponseTimes,
}

/// What the second counts.
struct Breakdown<'a> {
    categories: HashMap<&'a str, Tally>,
    departments: HashMap<&'a str, Tally>,
    sources: HashMap<TicketSource, Tally>,
    kinds: HashMap<TicketKind, Tally>,
}

fn first_level(category: &str) -> &str {
    category.split('/').next().unwrap_or("")
}

impl<'a> Street<'a> {
    fn count(tickets: &'a [TicketFacts], from_ms: i64, now_ms: i64) -> Street<'a> {
        let buckets = RESPONSE_BOUNDS_H.len() + 1;
        let mut p = Street {
            street: Tally::default(),
            months: BTreeMap::new(),
            communities: HashMap::default(),
            heat: HashMap::default(),
            response: ResponseTimes {
                bounds_h: RESPONSE_BOUNDS_H.to_vec(),
                to_sign: vec![0; buckets],
                to_contact: vec![0; buckets],
            },
        };
        let mut month = MonthCursor::default();
        for t in tickets {
            p.months.entry(month.of(t)).or_default().add(t, now_ms);
            if t.received_at.timestamp_millis() < from_ms {
                continue;
            }
            p.street.add(t, now_ms);
            add(&mut p.communities, &*t.community, t, now_ms);
            *p.heat
                .entry((first_level(&t.category), &*t.community))
                .or_default() += 1;
            let received = t.received_at.timestamp();
            let hours = |at: chrono::DateTime<_>| (at.timestamp() - received) as f64 / 3600.0;
            if let Some(at) = t.signed_at {
                p.response.to_sign[bucket(hours(at))] += 1;
            }
            if let Some(at) = t.contacted_at {
                p.response.to_contact[bucket(hours(at))] += 1;
            }
        }
        p
    }
}

impl<'a> Breakdown<'a> {
    fn count(tickets: &'a [TicketFacts], from_ms: i64, now_ms: i64) -> Breakdown<'a> {
        let mut p = Breakdown {
            categories: HashMap::default(),
            departments: HashMap::default(),
            sources: HashMap::default(),
            kinds: HashMap::default(),
        };
        for t in tickets
            .iter()
            .filter(|t| t.received_at.timestamp_millis() >= from_ms)
        {
            add(&mut p.categories, first_level(&t.category), t, now_ms);
            add(
                &mut p.departments,
                t.department.as_deref().unwrap_or(""),
                t,
                now_ms,
            );
            add(&mut p.sources, t.source, t, now_ms);
            add(&mut p.kinds, t.kind, t, now_ms);
        }
        p
    }
}

impl<'a> Pass<'a> {
    /// Counts `tickets` in the trend, and those received from `from_ms` in every figure,
    /// judging "open and overdue" at `now_ms`. The two halves of the work run side by side
    /// when a second thread can be had.
    pub(super) fn over(tickets: &'a [TicketFacts], from_ms: i64, now_ms: i64) -> Pass<'a> {
        let (a, b) = std::thread::scope(|scope| {
            let second = std::thread::Builder::new()
                .name("dashboard".into())
                .spawn_scoped(scope, || Breakdown::count(tickets, from_ms, now_ms));
            let a = Street::count(tickets, from_ms, now_ms);
            let b = match second {
                Ok(handle) => handle.join().ok(),
                Err(_) => None,
            };
            (
                a,
                b.unwrap_or_else(|| Breakdown::count(tickets, from_ms, now_ms)),
            )
        });
        Pass {
            street: a.street,
            communities: a.communities,
            categories: b.categories,
            departments: b.departments,
            sources: b.sources,
            kinds: b.kinds,
            heat: a.heat,
            response: a.response,
            months: a.months,
        }
    }
}

/// The figures of each group, in key order (wire names for sources and kinds).
pub(super) fn finish<K: Serialize>(groups: HashMap<K, Tally>, f: &RateFormula) -> Vec<Figures> {
    let keyed: BTreeMap<String, Tally> = groups
        .into_iter()
        .map(|(k, t)| (wire_name(&k), t))
        .collect();
    keyed.into_iter().map(|(k, t)| t.figures(&k, f)).collect()
}

/// The trend's figures, month by month.
pub(super) fn finish_months(months: BTreeMap<(i32, u32), Tally>, f: &RateFormula) -> Vec<Figures> {
    months
        .into_iter()
        .map(|((y, m), t)| t.figures(&format!("{y}-{m:02}"), f))
        .collect()
}

/// The heat table: the busiest categories (the rest summed in one row) by community, in the
/// ranking's order.
pub(super) fn heat(
    counts: &HashMap<(&str, &str), u32>,
    categories: &[Group],
    communities: &[Group],
) -> Heat {
    let shown: Vec<&str> = categories
        .iter()
        .take(HEAT_CATEGORIES)
        .map(|g| g.figures.key.as_str())
        .collect();
    let folded = categories.len() > HEAT_CATEGORIES;
    let column_of: std::collections::HashMap<&str, usize> = communities
        .iter()
        .enumerate()
        .map(|(i, g)| (g.figures.key.as_str(), i))
        .collect();
    let rows = shown.len() + usize::from(folded);
    let mut table = vec![vec![0u32; communities.len()]; rows];
    for ((category, community), n) in counts {
        let row = match shown.iter().position(|c| c == category) {
            Some(r) => r,
            None if folded => shown.len(),
            None => continue,
        };
        if let Some(c) = column_of.get(community) {
            table[row][*c] += n;
        }
    }
    let mut keys: Vec<String> = shown.iter().map(|c| (*c).to_owned()).collect();
    if folded {
        keys.push(OTHER.to_owned());
    }
    Heat {
        categories: keys,
        communities: communities.iter().map(|g| g.figures.key.clone()).collect(),
        community_labels: communities.iter().map(|g| g.label.clone()).collect(),
        counts: table,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_times_fall_in_buckets_by_their_upper_bound() {
        assert_eq!(bucket(0.0), 0);
        assert_eq!(bucket(1.0), 0);
        assert_eq!(bucket(1.01), 1);
        assert_eq!(bucket(24.0), 4);
        assert_eq!(bucket(168.0), 6);
        assert_eq!(bucket(500.0), 7);
    }
}
