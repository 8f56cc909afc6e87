//! The working-day calendar: State Council holiday notices, with make-up working days
//! (调休上班) on weekends. 2025 and 2026 are built in; later years are entered by officers.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use ts_rs::TS;

/// One year's notice: the days off and the weekend days that are worked instead.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct YearSchedule {
    /// The calendar year the notice covers.
    pub year: i32,
    /// Public holidays (every day off, weekends inside a holiday span included).
    #[ts(type = "string[]")]
    pub holidays: Vec<NaiveDate>,
    /// Saturdays and Sundays that are working days.
    #[ts(type = "string[]")]
    pub makeup_workdays: Vec<NaiveDate>,
}

/// Why a year's schedule was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// A date lies outside the schedule's year.
    #[error("{0} is not in the schedule's year")]
    OutsideYear(NaiveDate),
    /// A make-up working day is not a Saturday or Sunday.
    #[error("make-up working day {0} is not a Saturday or Sunday")]
    MakeupOnWeekday(NaiveDate),
    /// A date is both a holiday and a make-up working day.
    #[error("{0} is both a holiday and a make-up working day")]
    HolidayAndMakeup(NaiveDate),
}

impl YearSchedule {
    /// Checks the schedule's internal consistency.
    pub fn validate(&self) -> Result<(), ScheduleError> {
        let all = self.holidays.iter().chain(&self.makeup_workdays);
        if let Some(d) = all.clone().find(|d| d.year() != self.year) {
            return Err(ScheduleError::OutsideYear(*d));
        }
        if let Some(d) = self
            .makeup_workdays
            .iter()
            .find(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        {
            return Err(ScheduleError::MakeupOnWeekday(*d));
        }
        if let Some(d) = self
            .makeup_workdays
            .iter()
            .find(|d| self.holidays.contains(d))
        {
            return Err(ScheduleError::HolidayAndMakeup(*d));
        }
        Ok(())
    }
}

/// Reads a holiday notice typed or pasted by an officer, one entry a line:
///
/// ```text
/// # 2027 年部分节假日安排
/// 休 2027-01-01 ~ 2027-01-03
/// 班 2027-01-09
/// ```
///
/// `休`/`off` marks days off (one date, or a span with `~` or `至` between two dates),
/// `班`/`work` marks make-up working days. Blank lines and `#` comments are ignored. The error
/// names the line.
pub fn parse_notice(year: i32, text: &str) -> Result<YearSchedule, String> {
    let mut schedule = YearSchedule {
        year,
        holidays: Vec::new(),
        makeup_workdays: Vec::new(),
    };
    for (n, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let bad = |why: &str| format!("line {}: {why}: {raw:?}", n + 1);
        let (kind, rest) = line
            .split_once(char::is_whitespace)
            .ok_or_else(|| bad("expected 休/off or 班/work and a date"))?;
        let dates: Vec<NaiveDate> = rest
            .split(['~', '至', '～', ' ', ','])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| bad("not a date")))
            .collect::<Result<_, _>>()?;
        match (kind, dates.as_slice()) {
            ("休" | "off", [d]) => schedule.holidays.push(*d),
            ("休" | "off", [a, b]) if a <= b => schedule
                .holidays
                .extend(a.iter_days().take_while(|d| d <= b)),
            ("班" | "work", days) if !days.is_empty() => schedule.makeup_workdays.extend(days),
            ("休" | "off" | "班" | "work", _) => {
                return Err(bad("wrong number or order of dates"))
            }
            _ => return Err(bad("expected 休/off or 班/work")),
        }
    }
    schedule.holidays.sort();
    schedule.holidays.dedup();
    schedule.makeup_workdays.sort();
    schedule.makeup_workdays.dedup();
    schedule.validate().map_err(|e| e.to_string())?;
    Ok(schedule)
}

/// Which days are working days.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    years: BTreeMap<i32, (BTreeSet<NaiveDate>, BTreeSet<NaiveDate>)>,
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid built-in date")
}

fn span(y: i32, (m1, d1): (u32, u32), (m2, d2): (u32, u32)) -> impl Iterator<Item = NaiveDate> {
    ymd(y, m1, d1)
        .iter_days()
        .take_while(move |d| *d <= ymd(y, m2, d2))
}

/// The 2025 notice (国办发明电〔2024〕12号).
pub fn schedule_2025() -> YearSchedule {
    let y = 2025;
    let holidays = [
        ((1, 1), (1, 1)),
        ((1, 28), (2, 4)),
        ((4, 4), (4, 6)),
        ((5, 1), (5, 5)),
        ((5, 31), (6, 2)),
        ((10, 1), (10, 8)),
    ];
    YearSchedule {
        year: y,
        holidays: holidays.iter().flat_map(|(a, b)| span(y, *a, *b)).collect(),
        makeup_workdays: vec![
            ymd(y, 1, 26),
            ymd(y, 2, 8),
            ymd(y, 4, 27),
            ymd(y, 9, 28),
            ymd(y, 10, 11),
        ],
    }
}

/// The 2026 notice (published 2025-11-04).
pub fn schedule_2026() -> YearSchedule {
    let y = 2026;
    let holidays = [
        ((1, 1), (1, 3)),
        ((2, 15), (2, 23)),
        ((4, 4), (4, 6)),
        ((5, 1), (5, 5)),
        ((6, 19), (6, 21)),
        ((9, 25), (9, 27)),
        ((10, 1), (10, 7)),
    ];
    YearSchedule {
        year: y,
        holidays: holidays.iter().flat_map(|(a, b)| span(y, *a, *b)).collect(),
        makeup_workdays: vec![
            ymd(y, 1, 4),
            ymd(y, 2, 14),
            ymd(y, 2, 28),
            ymd(y, 5, 9),
            ymd(y, 9, 20),
            ymd(y, 10, 10),
        ],
    }
}

impl WorkCalendar {
    /// The calendar with the built-in years (2025, 2026).
    pub fn builtin() -> Self {
        let mut c = WorkCalendar::default();
        for s in [schedule_2025(), schedule_2026()] {
            c.set_year(&s).expect("built-in schedules are valid");
        }
        c
    }

    /// Adds or replaces one year's schedule.
    pub fn set_year(&mut self, s: &YearSchedule) -> Result<(), ScheduleError> {
        s.validate()?;
        self.years.insert(
            s.year,
            (
                s.holidays.iter().copied().collect(),
                s.makeup_workdays.iter().copied().collect(),
            ),
        );
        Ok(())
    }

    /// Whether a notice for `year` is known. Unknown years count plain Monday–Friday.
    pub fn covers(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// The years with a known notice.
    pub fn years(&self) -> Vec<i32> {
        self.years.keys().copied().collect()
    }

    /// The notice in force for `year`, if one is known.
    pub fn schedule(&self, year: i32) -> Option<YearSchedule> {
        self.years
            .get(&year)
            .map(|(holidays, makeup)| YearSchedule {
                year,
                holidays: holidays.iter().copied().collect(),
                makeup_workdays: makeup.iter().copied().collect(),
            })
    }

    /// Monday–Friday that is not a public holiday, or a make-up working day.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        if let Some((holidays, makeup)) = self.years.get(&d.year()) {
            if makeup.contains(&d) {
                return true;
            }
            if holidays.contains(&d) {
                return false;
            }
        }
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_years_know_holidays_and_makeup_days() {
        let c = WorkCalendar::builtin();
        assert!(
            !c.is_working_day(ymd(2026, 2, 16)),
            "Spring Festival Monday"
        );
        assert!(c.is_working_day(ymd(2026, 2, 14)), "make-up Saturday");
        assert!(c.is_working_day(ymd(2025, 1, 26)), "make-up Sunday");
        assert!(!c.is_working_day(ymd(2025, 10, 8)));
        assert!(!c.is_working_day(ymd(2026, 11, 28)), "ordinary Saturday");
        assert!(c.is_working_day(ymd(2026, 11, 27)), "ordinary Friday");
        assert_eq!(schedule_2026().holidays.len(), 3 + 9 + 3 + 5 + 3 + 3 + 7);
        assert_eq!(schedule_2025().holidays.len(), 1 + 8 + 3 + 5 + 3 + 8);
    }

    #[test]
    fn notices_are_read_from_text() {
        let text =
            "# 2027\n休 2027-01-01 ~ 2027-01-03\n\n班 2027-01-09  # Saturday\noff 2027-05-01\n";
        let s = parse_notice(2027, text).unwrap();
        assert_eq!(
            s.holidays,
            vec![
                ymd(2027, 1, 1),
                ymd(2027, 1, 2),
                ymd(2027, 1, 3),
                ymd(2027, 5, 1)
            ]
        );
        assert_eq!(s.makeup_workdays, vec![ymd(2027, 1, 9)]);
        let err = parse_notice(2027, "休 2027-01-01\n放假 2027-02-01").unwrap_err();
        assert!(err.starts_with("line 2:"), "{err}");
        assert!(parse_notice(2027, "休 2027-13-01")
            .unwrap_err()
            .contains("not a date"));
        assert!(parse_notice(2027, "休 2027-01-05 ~ 2027-01-01").is_err());
        assert!(parse_notice(2027, "班 2027-01-04")
            .unwrap_err()
            .contains("Saturday or Sunday"));
        assert!(parse_notice(2027, "休 2026-12-31")
            .unwrap_err()
            .contains("not in the schedule's year"));
        let round_trip = WorkCalendar::builtin().schedule(2026).unwrap();
        assert_eq!(round_trip, schedule_2026_sorted());
    }

    fn schedule_2026_sorted() -> YearSchedule {
        let mut s = schedule_2026();
        s.holidays.sort();
        s.makeup_workdays.sort();
        s
    }

    #[test]
    fn bad_schedules_are_refused() {
        let mut s = YearSchedule {
            year: 2027,
            holidays: vec![ymd(2027, 1, 1)],
            makeup_workdays: vec![],
        };
        s.makeup_workdays = vec![ymd(2027, 1, 4)];
        assert_eq!(
            s.validate(),
            Err(ScheduleError::MakeupOnWeekday(ymd(2027, 1, 4)))
        );
        s.makeup_workdays = vec![ymd(2026, 12, 26)];
        assert_eq!(
            s.validate(),
            Err(ScheduleError::OutsideYear(ymd(2026, 12, 26)))
        );
        s.makeup_workdays = vec![ymd(2027, 1, 2)];
        s.holidays.push(ymd(2027, 1, 2));
        assert_eq!(
            s.validate(),
            Err(ScheduleError::HolidayAndMakeup(ymd(2027, 1, 2)))
        );
    }
}
