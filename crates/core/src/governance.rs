//! Proactive governance (DESIGN.md "Proactive governance"): its settings, and the rule that a
//! caller ringing again about the same matter is one complaint, not two.

use crate::ticket::TicketSource;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The thresholds of hotspots and repeat complaints (settings; defaults are unconfirmed).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GovernanceSettings {
    /// A hotspot's tickets were received within this many days (default 7).
    pub hotspot_window_days: u32,
    /// …and there are at least this many of them (default 3).
    pub hotspot_min_tickets: u32,
    /// "Nearby" for tickets with a map position, in metres (default 200).
    pub hotspot_radius_m: u32,
    /// How many levels of the category path make "the same category" (1–3; default 2).
    pub hotspot_category_level: u8,
    /// A call by the same caller on the same matter within this many days of the last one is
    /// a repeat (default 30).
    pub repeat_window_days: u32,
}

impl Default for GovernanceSettings {
    fn default() -> Self {
        GovernanceSettings {
            hotspot_window_days: 7,
            hotspot_min_tickets: 3,
            hotspot_radius_m: 200,
            hotspot_category_level: 2,
            repeat_window_days: 30,
        }
    }
}

impl GovernanceSettings {
    /// Whether every threshold is within its sensible range.
    pub fn valid(&self) -> bool {
        (1..=90).contains(&self.hotspot_window_days)
            && (2..=100).contains(&self.hotspot_min_tickets)
            && (20..=5_000).contains(&self.hotspot_radius_m)
            && (1..=3).contains(&self.hotspot_category_level)
            && (1..=365).contains(&self.repeat_window_days)
    }

    /// The repeat window in milliseconds.
    pub fn repeat_window_ms(&self) -> i64 {
        i64::from(self.repeat_window_days) * 86_400_000
    }
}

/// What makes two calls "the same caller on the same matter". (No `Debug`: it holds a phone
/// number, which must never reach a log.)
#[derive(Clone, Copy)]
pub struct Call<'a> {
    /// The caller's phone, normalised; empty for a ticket that is not a citizen's call.
    pub caller: &'a str,
    /// Full category path.
    pub category: &'a str,
    /// Community id.
    pub community: &'a str,
    /// Received, Unix milliseconds.
    pub received_ms: i64,
}

/// The phone that identifies a ticket's caller for repeat detection: only citizens' calls
/// (12345 and walk-ins) can repeat; a grid worker's findings or an officer's proactive cases
/// carry the officer as "caller" and are each their own matter.
/// A phone the hotline exported masked (`138****5678`) names no one.
pub fn caller_key(source: TicketSource, phone: &str) -> &str {
    match source {
        TicketSource::Hotline | TicketSource::WalkIn if !phone.contains('*') => phone,
        _ => "",
    }
}

/// Keeps the rows that are first calls (not repeats) and were received at or after
/// `from_ms`. `rows` are in received order and reach back a repeat window before `from_ms`,
/// so that a repeat of an earlier call is recognised as one.
pub fn first_calls<T>(
    mut rows: Vec<T>,
    call: impl Fn(&T) -> Call,
    window_ms: i64,
    from_ms: i64,
) -> Vec<T> {
    let keep: Vec<bool> = {
        let calls: Vec<Call> = rows.iter().map(&call).collect();
        repeat_of(&calls, window_ms)
            .into_iter()
            .zip(&calls)
            .map(|(repeat, c)| repeat.is_none() && c.received_ms >= from_ms)
            .collect()
    };
    let mut i = 0;
    rows.retain(|_| {
        i += 1;
        keep[i - 1]
    });
    rows
}

/// For calls in received order: `Some(i)` when the call repeats the matter first raised by
/// call `i`, i.e. the same caller, category and community, within `window_ms` of that
/// matter's previous call. A chain of repeats points at its first call.
pub fn repeat_of(calls: &[Call], window_ms: i64) -> Vec<Option<usize>> {
    let mut open: FxHashMap<(&str, &str, &str), (usize, i64)> = FxHashMap::default();
    calls
        .iter()
        .enumerate()
        .map(|(j, c)| {
            if c.caller.is_empty() {
                return None;
            }
            match open.get_mut(&(c.caller, c.category, c.community)) {
                Some((first, last)) if c.received_ms - *last <= window_ms => {
                    *last = c.received_ms;
                    Some(*first)
                }
                _ => {
                    open.insert((c.caller, c.category, c.community), (j, c.received_ms));
                    None
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    fn call<'a>(caller: &'a str, category: &'a str, community: &'a str, day: i64) -> Call<'a> {
        Call {
            caller,
            category,
            community,
            received_ms: day * DAY,
        }
    }

    #[test]
    fn the_same_caller_on_the_same_matter_within_the_window_repeats_the_first_call() {
        let calls = [
            call("13800000001", "城乡建设/物业/漏水", "c01", 0),
            call("13800000001", "城乡建设/物业/漏水", "c01", 20),
            // Twenty days after the second: still within 30 days of the last call.
            call("13800000001", "城乡建设/物业/漏水", "c01", 40),
            // Another matter, another community, another caller, an unknown caller.
            call("13800000001", "交通/停车/占道", "c01", 41),
            call("13800000001", "城乡建设/物业/漏水", "c02", 41),
            call("13800000002", "城乡建设/物业/漏水", "c01", 41),
            call("", "城乡建设/物业/漏水", "c01", 42),
            call("", "城乡建设/物业/漏水", "c01", 42),
            // Long after: a new matter.
            call("13800000001", "城乡建设/物业/漏水", "c01", 100),
        ];
        let got = repeat_of(&calls, 30 * DAY);
        assert_eq!(
            got,
            [None, Some(0), Some(0), None, None, None, None, None, None]
        );
    }

    #[test]
    fn only_citizens_calls_repeat_and_the_look_back_is_dropped() {
        assert_eq!(caller_key(TicketSource::Hotline, "139"), "139");
        assert_eq!(caller_key(TicketSource::WalkIn, "139"), "139");
        assert_eq!(caller_key(TicketSource::GridPatrol, "139"), "");
        assert_eq!(caller_key(TicketSource::Proactive, "139"), "");
        let rows = [
            call("1", "a", "c", 0),
            call("1", "a", "c", 10),
            call("2", "a", "c", 10),
            call("1", "a", "c", 12),
        ];
        let kept = first_calls(rows.to_vec(), |c| *c, 30 * DAY, 5 * DAY);
        // The look-back's call is gone, its repeats too; the other caller stays.
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].caller, "2");
    }

    #[test]
    fn settings_out_of_range_are_refused() {
        assert!(GovernanceSettings::default().valid());
        let bad = GovernanceSettings {
            hotspot_category_level: 4,
            ..GovernanceSettings::default()
        };
        assert!(!bad.valid());
        let bad = GovernanceSettings {
            hotspot_min_tickets: 1,
            ..GovernanceSettings::default()
        };
        assert!(!bad.valid());
    }
}
