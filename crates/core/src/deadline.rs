//! Time limits and how they are counted (DESIGN.md "Time limits"; 民法典 arts. 201–203).

use crate::calendar::WorkCalendar;
use crate::time::beijing;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A time limit: `2h`, `7d` or `7wd`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Limit {
    /// Continuous clock hours from receipt, weekends and holidays included.
    Hours(u32),
    /// Calendar days; the period is extended past a rest day it would end on.
    CalendarDays(u32),
    /// Working days.
    WorkingDays(u32),
}

/// The limit text could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("time limit {0:?} is not of the form <N>h, <N>d or <N>wd")]
pub struct LimitParseError(pub String);

impl FromStr for Limit {
    type Err = LimitParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        let err = || LimitParseError(s.to_owned());
        let (digits, ctor): (&str, fn(u32) -> Limit) = if let Some(n) = t.strip_suffix("wd") {
            (n, Limit::WorkingDays)
        } else if let Some(n) = t.strip_suffix('d') {
            (n, Limit::CalendarDays)
        } else if let Some(n) = t.strip_suffix('h') {
            (n, Limit::Hours)
        } else {
            return Err(err());
        };
        match digits.parse::<u32>() {
            Ok(n) if n > 0 && n <= 10_000 => Ok(ctor(n)),
            _ => Err(err()),
        }
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::Hours(n) => write!(f, "{n}h"),
            Limit::CalendarDays(n) => write!(f, "{n}d"),
            Limit::WorkingDays(n) => write!(f, "{n}wd"),
        }
    }
}

impl TryFrom<String> for Limit {
    type Error = LimitParseError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Limit> for String {
    fn from(l: Limit) -> String {
        l.to_string()
    }
}

/// 24:00 of `day`, Beijing time (that is, 00:00 of the next day).
fn end_of_day(day: NaiveDate) -> DateTime<FixedOffset> {
    let next = day.succ_opt().unwrap_or(day);
    beijing()
        .from_local_datetime(&next.and_hms_opt(0, 0, 0).expect("midnight exists"))
        .single()
        .expect("UTC+8 has no gaps")
}

/// When a period that starts at `received` with `limit` runs out.
pub fn due(
    received: DateTime<FixedOffset>,
    limit: Limit,
    cal: &WorkCalendar,
) -> DateTime<FixedOffset> {
    let received = received.with_timezone(&beijing());
    let day = received.date_naive();
    match limit {
        Limit::Hours(n) => received + Duration::hours(i64::from(n)),
        Limit::CalendarDays(n) => {
            // The day of receipt does not count; a last day that is a rest day moves on to the
            // first working day after it.
            let mut last = day + Duration::days(i64::from(n));
            while !cal.is_working_day(last) {
                last = last.succ_opt().unwrap_or(last);
            }
            end_of_day(last)
        }
        Limit::WorkingDays(n) => {
            let mut last = day;
            let mut counted = 0;
            while counted < n {
                last = last.succ_opt().unwrap_or(last);
                if cal.is_working_day(last) {
                    counted += 1;
                }
            }
            end_of_day(last)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{parse_beijing, rfc3339};

    fn check(from: &str, limit: &str, expected: &str) {
        let cal = WorkCalendar::builtin();
        let got = due(parse_beijing(from).unwrap(), limit.parse().unwrap(), &cal);
        assert_eq!(rfc3339(got), expected, "{from} + {limit}");
    }

    /// Table of the counting rules on the real 2025–2026 calendars.
    #[test]
    fn counting_table() {
        let table = [
            // Hours are plain clock time, holidays included.
            ("2026-02-14T22:30", "2h", "2026-02-15T00:30:00+08:00"),
            ("2026-02-15T09:00", "24h", "2026-02-16T09:00:00+08:00"),
            // Working days across the Spring Festival: make-up Saturday Feb 14 counts, the
            // holiday does not, make-up Saturday Feb 28 counts.
            ("2026-02-13T10:00", "7wd", "2026-03-03T00:00:00+08:00"),
            ("2026-02-13T10:00", "1wd", "2026-02-15T00:00:00+08:00"),
            // Received on a holiday: counting starts the next day and skips the rest.
            ("2026-10-03T15:00", "1wd", "2026-10-09T00:00:00+08:00"),
            ("2026-10-03T15:00", "3wd", "2026-10-11T00:00:00+08:00"),
            // ... where make-up Saturday Oct 10 is the third working day.
            // Make-up Sunday Sep 28 2025 before National Day counts as a working day.
            ("2025-09-26T11:00", "1wd", "2025-09-29T00:00:00+08:00"),
            ("2025-09-26T11:00", "2wd", "2025-09-30T00:00:00+08:00"),
            // Plain week: Friday + 1wd is Monday.
            ("2026-11-27T09:00", "1wd", "2026-12-01T00:00:00+08:00"),
            // Calendar days ending on an ordinary weekday.
            ("2026-11-02T09:00", "7d", "2026-11-10T00:00:00+08:00"),
            // Calendar days ending on a rest day move to the first working day after it.
            ("2026-11-21T09:00", "7d", "2026-12-01T00:00:00+08:00"),
            ("2026-02-13T10:00", "7d", "2026-02-25T00:00:00+08:00"),
            // ... but a make-up working day is a working day: no extension.
            ("2026-02-07T10:00", "7d", "2026-02-15T00:00:00+08:00"),
            // 15 days over National Day 2025.
            ("2025-09-20T10:00", "15d", "2025-10-10T00:00:00+08:00"),
            // Received late at night: still the same day of receipt.
            ("2026-11-23T23:59", "1d", "2026-11-25T00:00:00+08:00"),
            // New Year 2026 span, received on Dec 31 2025.
            ("2025-12-31T16:00", "1wd", "2026-01-05T00:00:00+08:00"),
        ];
        for (from, limit, expected) in table {
            check(from, limit, expected);
        }
    }

    #[test]
    fn times_in_other_zones_count_in_beijing() {
        // 17:00 UTC on Nov 26 is 01:00 on Nov 27 in Beijing: Nov 27 is the day of receipt.
        check("2026-11-26T17:00:00Z", "1wd", "2026-12-01T00:00:00+08:00");
    }

    #[test]
    fn limits_parse_and_print() {
        for s in ["2h", "24h", "7d", "15d", "7wd"] {
            assert_eq!(s.parse::<Limit>().unwrap().to_string(), s);
        }
        assert_eq!("7WD".parse::<Limit>().unwrap(), Limit::WorkingDays(7));
        for bad in ["", "7", "d", "0d", "-1h", "7w", "1.5d", "7 days"] {
            assert!(bad.parse::<Limit>().is_err(), "{bad:?} should not parse");
        }
    }
}
