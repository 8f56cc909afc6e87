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
