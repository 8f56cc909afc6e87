//! Time-limit policies and deadline warnings. Every number is a setting with a default from
//! DESIGN.md ("Time limits", "Warnings"); the street edits them in the app.

use crate::calendar::WorkCalendar;
use crate::deadline::{due, Limit};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How pressing a matter is, which picks its default time limit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// Risk to life or property.
    Emergency,
    /// Water, power, gas or heating (水电气热).
    Utility,
    /// Everything else.
    #[default]
    General,
    /// Complex matters.
    Complex,
}

/// The time limits per urgency and when a warning turns yellow.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Policies {
    /// Limit for emergencies.
    #[ts(type = "string")]
    pub emergency: Limit,
    /// Limit for water, power, gas and heating.
    #[ts(type = "string")]
    pub utility: Limit,
    /// Limit for general matters.
    #[ts(type = "string")]
    pub general: Limit,
    /// Limit for complex matters.
    #[ts(type = "string")]
    pub complex: Limit,
    /// Share of the time used at which a ticket turns yellow (0–1).
    pub yellow_at: f64,
}

impl Default for Policies {
    fn default() -> Self {
        Policies {
            emergency: Limit::Hours(2),
            utility: Limit::Hours(24),
            general: Limit::CalendarDays(7),
            complex: Limit::CalendarDays(15),
            yellow_at: 0.75,
        }
    }
}

impl Policies {
    /// The limit that applies to `urgency`.
    pub fn limit_for(&self, urgency: Urgency) -> Limit {
        match urgency {
            Urgency::Emergency => self.emergency,
            Urgency::Utility => self.utility,
            Urgency::General => self.general,
            Urgency::Complex => self.complex,
        }
    }

    /// The deadline of a ticket: a granted extension wins, then the deadline printed on a
    /// dispatched ticket, then the policy for its urgency counted on the calendar.
    pub fn deadline(
        &self,
        received: DateTime<FixedOffset>,
        urgency: Urgency,
        printed: Option<DateTime<FixedOffset>>,
        extended_to: Option<DateTime<FixedOffset>>,
        cal: &WorkCalendar,
    ) -> DateTime<FixedOffset> {
        extended_to
            .or(printed)
            .unwrap_or_else(|| due(received, self.limit_for(urgency), cal))
    }
}

/// The deadline warning colour, the same everywhere it shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Warning {
    /// No running clock (replied, closed or redispatched).
    None,
    /// Within time.
    Green,
    /// Most of the time used.
    Yellow,
    /// Overdue.
    Red,
}

/// The warning for a running clock from `received` to `due`, seen at `now` (all Unix ms).
pub fn warning(received_ms: i64, due_ms: i64, now_ms: i64, yellow_at: f64) -> Warning {
    if now_ms >= due_ms {
        Warning::Red
    } else if now_ms >= yellow_from(received_ms, due_ms, yellow_at) {
        Warning::Yellow
    } else {
        Warning::Green
    }
}

/// The instant (Unix ms) from which a ticket shows yellow: `yellow_at` of its time used.
pub fn yellow_from(received_ms: i64, due_ms: i64, yellow_at: f64) -> i64 {
    let span = (due_ms - received_ms).max(1) as f64;
    received_ms + (span * yellow_at).ceil() as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{parse_beijing, rfc3339};

    #[test]
    fn extension_beats_printed_beats_policy() {
        let p = Policies::default();
        let cal = WorkCalendar::builtin();
        let received = parse_beijing("2026-11-02T09:00").unwrap();
        let printed = parse_beijing("2026-11-05T18:00");
        let extended = parse_beijing("2026-11-20T18:00");
        let d = |pr, ex| rfc3339(p.deadline(received, Urgency::General, pr, ex, &cal));
        assert_eq!(d(None, None), "2026-11-10T00:00:00+08:00");
        assert_eq!(d(printed, None), "2026-11-05T18:00:00+08:00");
        assert_eq!(d(printed, extended), "2026-11-20T18:00:00+08:00");
        let emergency = p.deadline(received, Urgency::Emergency, None, None, &cal);
        assert_eq!(rfc3339(emergency), "2026-11-02T11:00:00+08:00");
    }

    #[test]
    fn warnings_turn_yellow_then_red() {
        assert_eq!(warning(0, 100, 10, 0.75), Warning::Green);
        assert_eq!(warning(0, 100, 74, 0.75), Warning::Green);
        assert_eq!(warning(0, 100, 75, 0.75), Warning::Yellow);
        assert_eq!(warning(0, 100, 100, 0.75), Warning::Red);
        assert_eq!(warning(0, 100, 500, 0.5), Warning::Red);
        assert_eq!(warning(0, 100, 50, 0.5), Warning::Yellow);
    }

    #[test]
    fn policies_serialize_limits_as_text() {
        let json = serde_json::to_value(Policies::default()).unwrap();
        assert_eq!(json["general"], "7d");
        assert_eq!(json["emergency"], "2h");
        let back: Policies = serde_json::from_value(json).unwrap();
        assert_eq!(back, Policies::default());
    }
}
