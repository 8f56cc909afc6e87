//! The statistics view in one piece: the street's figures for a period, its monthly trend,
//! the community ranking, categories and departments, the distribution of response times and
//! the category × community heat table. The monthly report is this, for one month, so the two
//! can never disagree.

mod pass;
mod period;

pub use period::{month_period, trend_start};

use crate::kpi::{ranking, Figures, RateFormula, TicketFacts};
use crate::time::beijing_day_start_ms;
use chrono::{DateTime, FixedOffset};
use pass::Pass;
use period::every_month;
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

/// Builds the dashboard from `facts`: the tickets received from [`trend_start`] to the
/// period's end. Those received in the period count in every figure; the earlier ones only in
/// the monthly trend.
pub fn dashboard(facts: &[TicketFacts], input: &DashboardInput) -> Dashboard {
    let f = input.formula;
    let now_ms = input.now.timestamp_millis();
    let from_ms = beijing_day_start_ms(input.from).unwrap_or(i64::MIN);
    let pass = Pass::over(facts, from_ms, now_ms);
    let communities: Vec<Group> = ranking(&pass::finish(pass.communities, f))
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
    let categories = labelled(pass::finish(pass.categories, f), &HashMap::new());
    let heat = pass::heat(&pass.heat, &categories, &communities);
    Dashboard {
        from: input.from.to_owned(),
        to: input.to.to_owned(),
        street: pass.street.figures("", f),
        months: every_month(pass::finish_months(pass.months, f), input),
        departments: labelled(pass::finish(pass.departments, f), input.department_names),
        sources: pass::finish(pass.sources, f),
        kinds: pass::finish(pass.kinds, f),
        response: pass.response,
        communities,
        categories,
        heat,
    }
}

/// Groups with their names, busiest first.
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
