//! A department's monthly scorecard (DESIGN.md "Whistle"): on-site evaluation by the street,
//! party-building/co-construction evaluation entered by hand, and mass satisfaction on the
//! tickets the department worked on, each scored 0–100 and weighted (default 50/20/30).
//!
//! On-site evaluation of one summons = timeliness × share + effectiveness × (1 − share):
//! timeliness is 100 when the department reported in within its limit, 50 when it was late by
//! no more than a further limit, and 0 when later or never (a step rule an officer can check
//! by hand, like the reform's published deductions);
//! effectiveness is the street's 1–5 rating × 20. The month's figure is the mean over the
//! rated summons of whistles blown that month. Mass satisfaction is the 满意率 of the callbacks
//! recorded that month on the department's tickets. A component without data is left out and
//! the total is rescaled over the weights of those present, so a department is not marked down
//! for, say, having had no callbacks.

use crate::ticket::Satisfaction;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Weights and shares of the scorecard; settings.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScoreWeights {
    /// Weight of the on-site evaluation (default 50).
    pub on_site: f64,
    /// Weight of the party-building/co-construction evaluation (default 20).
    pub party_building: f64,
    /// Weight of mass satisfaction (default 30).
    pub mass_satisfaction: f64,
    /// Share of timeliness within the on-site evaluation (default 0.5; the rest is
    /// effectiveness).
    pub timeliness_share: f64,
    /// How much a "basically satisfied" counts in 满意率 (default 0.9).
    pub basically_satisfied: f64,
}

impl Default for ScoreWeights {
    fn default() -> Self {
        ScoreWeights {
            on_site: 50.0,
            party_building: 20.0,
            mass_satisfaction: 30.0,
            timeliness_share: 0.5,
            basically_satisfied: 0.9,
        }
    }
}

impl ScoreWeights {
    /// Whether every weight is usable: non-negative, finite, some weight positive, shares in
    /// 0–1.
    pub fn valid(&self) -> bool {
        let weights = [self.on_site, self.party_building, self.mass_satisfaction];
        weights.iter().all(|w| w.is_finite() && *w >= 0.0)
            && weights.iter().sum::<f64>() > 0.0
            && (0.0..=1.0).contains(&self.timeliness_share)
            && (0.0..=1.0).contains(&self.basically_satisfied)
    }
}

/// One rated summons, as the scorecard sees it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RatedSummons {
    /// The report-in limit in minutes.
    pub limit_min: u32,
    /// Minutes from summons to report-in; `None` if it never reported in.
    pub report_minutes: Option<f64>,
    /// The street's rating, 1–5.
    pub effectiveness: u8,
}

/// Timeliness of a report-in: 100 on time, 50 late by at most one more limit, else 0.
pub fn timeliness(limit_min: u32, report_minutes: Option<f64>) -> f64 {
    let limit = f64::from(limit_min.max(1));
    match report_minutes {
        Some(m) if m <= limit => 100.0,
        Some(m) if m <= 2.0 * limit => 50.0,
        _ => 0.0,
    }
}

/// 满意率 in percent over the rated callbacks (未评价 is not rated); `None` without any.
pub fn satisfaction_rate(callbacks: &[Satisfaction], basically: f64) -> Option<f64> {
    let points: Vec<f64> = callbacks
        .iter()
        .filter_map(|s| crate::kpi::satisfaction_points(*s, basically))
        .collect();
    (!points.is_empty()).then(|| 100.0 * points.iter().sum::<f64>() / points.len() as f64)
}

/// A department's scorecard for one month. Scores are 0–100; `None` means no data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Scorecard {
    /// Department id.
    pub department: String,
    /// Month, `YYYY-MM`.
    pub month: String,
    /// Rated summons the on-site figure is the mean of.
    pub rated_summons: u32,
    /// Mean timeliness of those summons.
    pub timeliness: Option<f64>,
    /// Mean effectiveness (rating × 20).
    pub effectiveness: Option<f64>,
    /// On-site evaluation.
    pub on_site: Option<f64>,
    /// Party-building/co-construction evaluation, as entered.
    pub party_building: Option<f64>,
    /// Callbacks counted for mass satisfaction (rated ones).
    pub callbacks: u32,
    /// Mass satisfaction (满意率 of those callbacks).
    pub mass_satisfaction: Option<f64>,
    /// Weighted total over the components present.
    pub total: Option<f64>,
}

/// What the scorecard is computed from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScoreInputs {
    /// Rated summons of whistles blown in the month.
    pub summons: Vec<RatedSummons>,
    /// Party-building evaluation entered for the month.
    pub party_building: Option<f64>,
    /// Callbacks recorded in the month on tickets the department worked on.
    pub callbacks: Vec<Satisfaction>,
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0u32), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / f64::from(n))
}

/// Computes one department's scorecard for one month.
pub fn scorecard(
    department: &str,
    month: &str,
    inputs: &ScoreInputs,
    weights: &ScoreWeights,
) -> Scorecard {
    let timeliness_mean = mean(
        inputs
            .summons
            .iter()
            .map(|s| timeliness(s.limit_min, s.report_minutes)),
    );
    let effectiveness = mean(
        inputs
            .summons
            .iter()
            .map(|s| f64::from(s.effectiveness.clamp(1, 5)) * 20.0),
    );
    let on_site = timeliness_mean
        .zip(effectiveness)
        .map(|(t, e)| t * weights.timeliness_share + e * (1.0 - weights.timeliness_share));
    let party_building = inputs.party_building.map(|p| p.clamp(0.0, 100.0));
    let mass = satisfaction_rate(&inputs.callbacks, weights.basically_satisfied);
    let parts = [
        (on_site, weights.on_site),
        (party_building, weights.party_building),
        (mass, weights.mass_satisfaction),
    ];
    let (points, weight) = parts
        .iter()
        .filter_map(|(score, w)| score.map(|s| (s * w, *w)))
        .fold((0.0, 0.0), |(p, ws), (sp, w)| (p + sp, ws + w));
    Scorecard {
        department: department.to_owned(),
        month: month.to_owned(),
        rated_summons: inputs.summons.len() as u32,
        timeliness: timeliness_mean,
        effectiveness,
        on_site,
        party_building,
        callbacks: inputs
            .callbacks
            .iter()
            .filter(|s| **s != Satisfaction::NotRated)
            .count() as u32,
        mass_satisfaction: mass,
        total: (weight > 0.0).then(|| points / weight),
    }
}
