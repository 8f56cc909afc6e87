//! The statistics view in one piece: the street's figures for a period, its monthly trend,
//! the community ranking, categories and departments, the distribution of response times and
//! the category × community heat table. The monthly report is this, for one month, so the two
//! can never disagree.

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::kpi::{
    figures, figures_by, key_of, ranking, Dimension, Figures, RateFormula, TicketFacts,
};
use chrono::{DateTime, Datelike, FixedOffset, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

/// Upper bounds, in hours, of the response-time buckets; the last bucket is open.
pub const RESPONSE_BOUNDS_H: [f64; 7] = [1.0, 2.0, 4.0, 8.0, 24.0, 48.0, 168.0];

/// How many first-level categories the heat table shows; the rest are summed in one row.
pub const HEAT_CATEGORIES: usize = 10;

/// The heat table's row key for "all other categories".
pub const OTHER: &str = "*";

/// One group of tickets with the name a person reads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    /// What to call it (a community's or department's name; a category as is).
    pub label: String,
    /// Place in the ranking (communities only); ties share a rank.
    pub rank: Option<u32>,
    /// Its figures; `figures.key` is the id the backlog filters by.
    pub figures: Figures,
}

/// How long tickets took to be signed for and to reach the citizen, bucketed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ResponseTimes {
    /// Upper bounds of the buckets in hours; there is one more bucket, open-ended.
    pub bounds_h: Vec<f64>,
    /// Tickets per bucket, received → signed for.
    pub to_sign: Vec<u32>,
    /// Tickets per bucket, received → first contact.
    pub to_contact: Vec<u32>,
}

/// Tickets per first-level category (rows) and community (columns).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Heat {
    /// Row keys, busiest first; [`OTHER`] last when categories were folded together.
    pub categories: Vec<String>,
    /// Column keys (community ids), in the ranking's order.
    pub communities: Vec<String>,
    /// Column labels (community names).
    pub community_labels: Vec<String>,
    /// `counts[row][column]`.
    pub counts: Vec<Vec<u32>>,
}

/// Everything the statistics view shows for a period.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Dashboard {
    /// First day received (YYYY-MM-DD, Beijing).
    pub from: String,
    /// Last day received, included.
    pub to: String,
    /// The whole street.
    pub street: Figures,
    /// The trend: one entry per month that has tickets, over the twelve months that end with
    /// the period's last month (or over the period, when it is longer).
    pub months: Vec<Figures>,
    /// Communities, ranked by composite.
    pub communities: Vec<Group>,
    /// First-level categories, busiest first.
    pub categories: Vec<Group>,
    /// Lead units, busiest first; unassigned tickets under the key "".
    pub departments: Vec<Group>,
    /// By source.
    pub sources: Vec<Figures>,
    /// By kind.
    pub kinds: Vec<Figures>,
    /// Distribution of response times.
    pub response: ResponseTimes,
    /// Category × community.
    pub heat: Heat,
}

/// The inputs a dashboard is built from, besides the tickets.
pub struct DashboardInput<'a> {
    /// First day, YYYY-MM-DD.
    pub from: &'a str,
    /// Last day, included.
    pub to: &'a str,
    /// Community names by id.
    pub community_names: &'a HashMap<String, String>,
    /// Department names by id.
    pub department_names: &'a HashMap<String, String>,
    /// The rate formula.
    pub formula: &'a RateFormula,
    /// The instant "open and overdue" is judged at.
    pub now: DateTime<FixedOffset>,
}

fn labelled(rows: Vec<Figures>, names: &HashMap<String, String>) -> Vec<Group> {
    let mut groups: Vec<Group> = rows
        .into_iter()
        .map(|f| Group {
            label: names.get(&f.key).cloned().unwrap_or_else(|| f.key.clone()),
            rank: None,
            figures: f,
        })
        .collect();
    groups.sort_by(|a, b| {
        (b.figures.tickets)
            .cmp(&a.figures.tickets)
            .then_with(|| a.figures.key.cmp(&b.figures.key))
    });
    groups
}

fn bucket(hours: f64) -> usize {
    RESPONSE_BOUNDS_H
        .iter()
        .position(|b| hours <= *b)
        .unwrap_or(RESPONSE_BOUNDS_H.len())
}

fn response_times(tickets: &[TicketFacts]) -> ResponseTimes {
    let mut r = ResponseTimes {
        bounds_h: RESPONSE_BOUNDS_H.to_vec(),
        to_sign: vec![0; RESPONSE_BOUNDS_H.len() + 1],
        to_contact: vec![0; RESPONSE_BOUNDS_H.len() + 1],
    };
    let hours = |t: &TicketFacts, at: DateTime<FixedOffset>| {
        (at - t.received_at).num_seconds() as f64 / 3600.0
    };
    for t in tickets {
        if let Some(at) = t.signed_at {
            r.to_sign[bucket(hours(t, at))] += 1;
        }
        if let Some(at) = t.contacted_at {
            r.to_contact[bucket(hours(t, at))] += 1;
        }
    }
    r
}

fn heat(tickets: &[TicketFacts], categories: &[Group], communities: &[Group]) -> Heat {
    let shown: Vec<String> = categories
        .iter()
        .take(HEAT_CATEGORIES)
        .map(|g| g.figures.key.clone())
        .collect();
    let folded = categories.len() > HEAT_CATEGORIES;
    let mut rows = shown.clone();
    if folded {
        rows.push(OTHER.to_owned());
    }
    let row_of: HashMap<&str, usize> = shown
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let column_of: HashMap<&str, usize> = communities
        .iter()
        .enumerate()
        .map(|(i, g)| (g.figures.key.as_str(), i))
        .collect();
    let mut counts = vec![vec![0u32; communities.len()]; rows.len()];
    for t in tickets {
        let category = key_of(t, Dimension::Category);
        let row = match row_of.get(category.as_str()) {
            Some(r) => *r,
            None if folded => shown.len(),
            None => continue,
        };
        if let Some(c) = column_of.get(t.community.as_str()) {
            counts[row][*c] += 1;
        }
    }
    Heat {
        categories: rows,
        communities: communities.iter().map(|g| g.figures.key.clone()).collect(),
        community_labels: communities.iter().map(|g| g.label.clone()).collect(),
        counts,
    }
}

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
fn every_month(months: Vec<Figures>, input: &DashboardInput) -> Vec<Figures> {
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

/// Builds the dashboard of `tickets` (those received in the period), with the monthly trend
/// drawn from `trend` (those received since [`trend_start`]).
pub fn dashboard(
    tickets: &[TicketFacts],
    trend: &[TicketFacts],
    input: &DashboardInput,
) -> Dashboard {
    let (f, now) = (input.formula, input.now);
    let all: Vec<&TicketFacts> = tickets.iter().collect();
    let by = |d: Dimension| figures_by(tickets, d, f, now);
    let communities: Vec<Group> = ranking(&by(Dimension::Community))
        .into_iter()
        .map(|(rank, figures)| Group {
            label: input
                .community_names
                .get(&figures.key)
                .cloned()
                .unwrap_or_else(|| figures.key.clone()),
            rank: Some(rank),
            figures,
        })
        .collect();
    let categories = labelled(by(Dimension::Category), &HashMap::new());
    let heat = heat(tickets, &categories, &communities);
    Dashboard {
        from: input.from.to_owned(),
        to: input.to.to_owned(),
        street: figures("", &all, f, now),
        months: every_month(figures_by(trend, Dimension::Month, f, now), input),
        departments: labelled(by(Dimension::Department), input.department_names),
        sources: by(Dimension::Source),
        kinds: by(Dimension::Kind),
        response: response_times(tickets),
        communities,
        categories,
        heat,
    }
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
