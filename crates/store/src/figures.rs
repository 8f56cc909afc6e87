//! The statistics' input: each ticket's KPI facts, read from the projection by received time.
//! The arithmetic is `streetdesk_core::kpi`'s.

use crate::projection::first_pos;
use crate::rows::parse_enum;
use crate::{set_setting, setting, storage_err, Store};
use chrono::{DateTime, FixedOffset};
use std::collections::HashMap;
use streetdesk_core::dashboard::{dashboard, trend_start, Dashboard, DashboardInput};
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_core::governance::{caller_key, first_calls, Call};
use streetdesk_core::kpi::{figures_by, Dimension, Figures, RateFormula, TicketFacts};
use streetdesk_core::time::{beijing_day_start_ms, from_unix_ms, now_beijing};

/// The settings key of the rate formula.
const RATES: &str = "rates";

fn at(ms: Option<i64>) -> Option<DateTime<FixedOffset>> {
    ms.map(from_unix_ms)
}

impl Store {
    /// The rate formula's settings (shares and weights), or DESIGN.md's defaults.
    pub fn rate_formula(&self) -> ApiResult<RateFormula> {
        setting(&self.conn, RATES)
    }

    /// Saves the rate formula's settings; shares must lie in 0–1 and the weights sum to 1.
    pub fn set_rate_formula(&mut self, f: &RateFormula) -> ApiResult<RateFormula> {
        if !f.valid() {
            return Err(ApiError::new(
                ErrorCode::WeightsInvalid,
                "shares lie between 0 and 1, and the three weights add up to 1",
            ));
        }
        set_setting(&self.conn, RATES, f)?;
        self.rate_formula()
    }

    /// The KPI facts of the tickets received in `[from_ms, to_ms)` that the street answers
    /// for: not redispatched away, not merged into another ticket, and not a repeat of a
    /// caller's earlier call on the same matter (which counts once, there).
    pub fn ticket_facts(&self, from_ms: i64, to_ms: i64) -> ApiResult<Vec<TicketFacts>> {
        let window = self.governance_settings()?.repeat_window_ms();
        // The look-back finds the first calls of matters that repeat inside the range.
        let rows = self.fact_rows(from_ms.saturating_sub(window), to_ms)?;
        let kept = first_calls(
            rows,
            |(f, phone)| Call {
                caller: caller_key(f.source, phone),
                category: &f.category,
                community: &f.community,
                received_ms: f.received_at.timestamp_millis(),
            },
            window,
            from_ms,
        );
        Ok(kept.into_iter().map(|(f, _)| f).collect())
    }

    fn fact_rows(&self, from_ms: i64, to_ms: i64) -> ApiResult<Vec<(TicketFacts, String)>> {
        // Positions follow received time, so the range is a walk of the primary key.
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT kind, source, community_id, category, assignee, received_ms, signed_ms,
                        contacted_ms, replied_ms, archived_ms, due_ms, callback, caller_phone
                 FROM tickets
                 WHERE pos >= ?1 AND pos < ?2 AND merged = 0 AND status <> 'redispatched'
                 ORDER BY pos",
            )
            .map_err(storage_err)?;
        let rows = stmt
            .query_map([first_pos(from_ms), first_pos(to_ms)], |r| {
                let callback: Option<String> = r.get(11)?;
                let facts = TicketFacts {
                    kind: parse_enum(0, r.get(0)?)?,
                    source: parse_enum(1, r.get(1)?)?,
                    community: r.get(2)?,
                    category: r.get(3)?,
                    department: r.get(4)?,
                    received_at: from_unix_ms(r.get(5)?),
                    signed_at: at(r.get(6)?),
                    contacted_at: at(r.get(7)?),
                    replied_at: at(r.get(8)?),
                    closed_at: at(r.get(9)?),
                    due: Some(from_unix_ms(r.get(10)?)),
                    callback: callback.and_then(|c| serde_json::from_str(&c).ok()),
                };
                Ok((facts, r.get(12)?))
            })
            .map_err(storage_err)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(storage_err);
        rows
    }

    /// The figures of the tickets received in `[from_ms, to_ms)`, grouped by `by`, as of now.
    pub fn figures(
        &self,
        from_ms: i64,
        to_ms: i64,
        by: Dimension,
        formula: &RateFormula,
    ) -> ApiResult<Vec<Figures>> {
        let facts = self.ticket_facts(from_ms, to_ms)?;
        Ok(figures_by(&facts, by, formula, now_beijing()))
    }

    /// The statistics view for the days `from` to `to` (YYYY-MM-DD, Beijing, both included),
    /// with the saved rate formula, as of now.
    pub fn dashboard(&self, from: &str, to: &str) -> ApiResult<Dashboard> {
        let day = |d: &str| {
            beijing_day_start_ms(d).ok_or_else(|| {
                ApiError::new(
                    ErrorCode::StatsPeriodInvalid,
                    format!("{d:?} is not YYYY-MM-DD"),
                )
            })
        };
        let (from_ms, to_ms) = (day(from)?, day(to)? + 86_400_000);
        if to_ms <= from_ms {
            return Err(ApiError::new(
                ErrorCode::StatsPeriodInvalid,
                format!("the period {from} – {to} ends before it starts"),
            ));
        }
        // One read covers the trend's months and the period; facts come in received order,
        // so the period is the tail.
        let facts = self.ticket_facts(day(&trend_start(from, to)?)?, to_ms)?;
        let split = facts.partition_point(|f| f.received_at.timestamp_millis() < from_ms);
        let community_names: HashMap<String, String> = self
            .communities()?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect();
        let department_names: HashMap<String, String> = self
            .departments()?
            .into_iter()
            .map(|d| (d.id, d.name))
            .collect();
        Ok(dashboard(
            &facts[split..],
            &facts,
            &DashboardInput {
                from,
                to,
                community_names: &community_names,
                department_names: &department_names,
                formula: &self.rate_formula()?,
                now: now_beijing(),
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_formula_is_saved_and_a_bad_one_changes_nothing() {
        let mut store = Store::open_in_memory().unwrap();
        assert_eq!(store.rate_formula().unwrap(), RateFormula::default());
        let chosen = RateFormula {
            partly_resolved: 0.6,
            weight_response: 0.2,
            weight_resolution: 0.4,
            ..RateFormula::default()
        };
        assert_eq!(store.set_rate_formula(&chosen).unwrap(), chosen);
        let bad = RateFormula {
            weight_satisfaction: 0.5,
            ..chosen.clone()
        };
        let err = store.set_rate_formula(&bad).unwrap_err();
        assert_eq!(err.code, ErrorCode::WeightsInvalid);
        assert_eq!(store.rate_formula().unwrap(), chosen);
    }
}
