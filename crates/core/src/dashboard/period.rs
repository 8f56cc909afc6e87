//! The days a statistics period covers, and the months its trend shows.

use super::DashboardInput;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::kpi::Figures;
use chrono::{Datelike, Months, NaiveDate};
use std::collections::HashMap;

/// The first and last day of a month given as `YYYY-MM`.
pub fn month_period(month: &str) -> ApiResult<(String, String)> {
    let invalid = || {
        ApiError::new(
            ErrorCode::StatsPeriodInvalid,
            format!("{month:?} is not a month (YYYY-MM)"),
        )
    };
    let first =
        NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").map_err(|_| invalid())?;
    let next = first
        .checked_add_months(Months::new(1))
        .ok_or_else(invalid)?;
    let last = next.pred_opt().ok_or_else(invalid)?;
    Ok((first.to_string(), last.to_string()))
}

/// The first day the trend of a period from `from` to `to` (YYYY-MM-DD) covers: the first of
/// the month eleven months before `to`'s, or `from` when that is earlier.
pub fn trend_start(from: &str, to: &str) -> ApiResult<String> {
    let invalid = |d: &str| {
        ApiError::new(
            ErrorCode::StatsPeriodInvalid,
            format!("{d:?} is not YYYY-MM-DD"),
        )
    };
    let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| invalid(d));
    let (from, to) = (day(from)?, day(to)?);
    let twelve = to
        .with_day(1)
        .and_then(|first| first.checked_sub_months(Months::new(11)))
        .ok_or_else(|| invalid("to"))?;
    Ok(from.min(twelve).to_string())
}

/// `months` with an empty entry for each month of the trend that had no tickets, so that a
/// chart leaves a gap rather than bridge it.
pub(super) fn every_month(months: Vec<Figures>, input: &DashboardInput) -> Vec<Figures> {
    let (Ok(start), Some(last)) = (trend_start(input.from, input.to), input.to.get(..7)) else {
        return months;
    };
    let Ok(mut day) = NaiveDate::parse_from_str(&start, "%Y-%m-%d") else {
        return months;
    };
    let mut by_key: HashMap<String, Figures> =
        months.into_iter().map(|m| (m.key.clone(), m)).collect();
    let mut out = Vec::new();
    loop {
        let month = day.format("%Y-%m").to_string();
        if month.as_str() > last {
            break;
        }
        out.push(by_key.remove(&month).unwrap_or_else(|| Figures {
            key: month,
            ..Figures::default()
        }));
        match day
            .with_day(1)
            .and_then(|d| d.checked_add_months(Months::new(1)))
        {
            Some(next) => day = next,
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_runs_from_its_first_to_its_last_day() {
        let days = |m: &str| month_period(m).unwrap();
        assert_eq!(days("2026-02"), ("2026-02-01".into(), "2026-02-28".into()));
        assert_eq!(days("2024-02").1, "2024-02-29");
        assert_eq!(days("2026-12").1, "2026-12-31");
        for bad in ["2026-13", "2026", "11-2026", "2026-1x"] {
            let err = month_period(bad).unwrap_err();
            assert_eq!(err.code, ErrorCode::StatsPeriodInvalid, "{bad}");
        }
    }

    #[test]
    fn the_trend_covers_the_twelve_months_up_to_the_period() {
        let start = |a: &str, b: &str| trend_start(a, b).unwrap();
        assert_eq!(start("2026-11-01", "2026-11-30"), "2025-12-01");
        assert_eq!(start("2026-01-01", "2026-12-31"), "2026-01-01");
        assert_eq!(start("2024-03-05", "2026-12-31"), "2024-03-05");
        assert!(trend_start("2026-11-01", "2026-11-31").is_err());
    }
}
