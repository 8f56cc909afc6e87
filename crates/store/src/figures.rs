//! The statistics' input: each ticket's KPI facts, read from the projection by received time.
//! The arithmetic is `streetdesk_core::kpi`'s.

use crate::projection::first_pos;
use crate::{set_setting, setting, storage_err, Store};
use chrono::{DateTime, FixedOffset};
use rusqlite::types::Type;
use rusqlite::{Connection, OpenFlags};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use streetdesk_core::dashboard::{dashboard, trend_start, Dashboard, DashboardInput};
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_core::governance::{caller_key, first_calls, Call};
use streetdesk_core::kpi::{figures_by, Dimension, Figures, RateFormula, TicketFacts};
use streetdesk_core::ticket::{Callback, Resolution, Satisfaction, TicketKind, TicketSource};
use streetdesk_core::time::{beijing_day_start_ms, from_unix_ms, now_beijing};

/// A period's facts, in received order.
const FACTS_SQL: &str = "SELECT kind, source, community_id, category, assignee, received_ms,
        signed_ms, contacted_ms, replied_ms, archived_ms, due_ms, callback, caller_phone
    FROM tickets
    WHERE pos >= ?1 AND pos < ?2 AND merged = 0 AND status <> 'redispatched'
    ORDER BY pos";

/// The settings key of the rate formula.
const RATES: &str = "rates";

fn at(ms: Option<i64>) -> Option<DateTime<FixedOffset>> {
    ms.map(from_unix_ms)
}

/// One allocation per distinct community, category or unit name rather than per ticket.
#[derive(Default)]
struct Shared(rustc_hash::FxHashMap<Box<str>, Arc<str>>);

impl Shared {
    fn of(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.0.get(s) {
            return a.clone();
        }
        let a: Arc<str> = s.into();
        self.0.insert(s.into(), a.clone());
        a
    }
}

/// A callback as the projection stores it: serde's JSON of [`Callback`], read directly in the
/// one shape serde writes, through serde in any other.
fn stored_callback(s: &str) -> Option<Callback> {
    let direct = || {
        let rest = s.strip_prefix("{\"contacted\":")?;
        let (contacted, rest) = match rest.strip_prefix("true") {
            Some(r) => (true, r),
            None => (false, rest.strip_prefix("false")?),
        };
        let (resolution, rest) = rest.strip_prefix(",\"resolution\":\"")?.split_once('"')?;
        let (satisfaction, rest) = rest.strip_prefix(",\"satisfaction\":\"")?.split_once('"')?;
        if rest != "}" {
            return None;
        }
        Some(Callback {
            contacted,
            resolution: match resolution {
                "resolved" => Resolution::Resolved,
                "partly" => Resolution::Partly,
                "unresolved" => Resolution::Unresolved,
                _ => return None,
            },
            satisfaction: match satisfaction {
                "satisfied" => Satisfaction::Satisfied,
                "basically" => Satisfaction::Basically,
                "unsatisfied" => Satisfaction::Unsatisfied,
                "not_rated" => Satisfaction::NotRated,
                _ => return None,
            },
        })
    };
    direct().or_else(|| serde_json::from_str(s).ok())
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
        let (lo, hi) = (first_pos(from_ms), first_pos(to_ms));
        let file = self
            .conn
            .path()
            .filter(|p| !p.is_empty())
            .map(PathBuf::from);
        // SQLite reads on one thread per connection; a long range is read as two halves side
        // by side, the second through a read-only connection of its own (WAL lets it).
        let Some(file) = file.filter(|_| to_ms - from_ms > PARALLEL_READ_MS) else {
            return read_facts(&self.conn, lo, hi);
        };
        let mid = lo + (hi - lo) / 2;
        let (mut first, second) = std::thread::scope(|scope| {
            let second = std::thread::Builder::new()
                .name("facts".into())
                .spawn_scoped(scope, move || {
                    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
                    let conn = Connection::open_with_flags(&file, flags).map_err(storage_err)?;
                    read_facts(&conn, mid, hi)
                });
            let first = read_facts(&self.conn, lo, mid);
            let second = match second {
                Ok(h) => h
                    .join()
                    .unwrap_or_else(|_| Err(storage_err("the reader failed"))),
                Err(_) => read_facts(&self.conn, mid, hi),
            };
            (first, second)
        });
        if let Ok(rows) = &mut first {
            rows.extend(second?);
        }
        first
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

/// Ranges longer than this (a month) are read in two halves at once.
const PARALLEL_READ_MS: i64 = 31 * 86_400_000;

/// The facts of positions `[lo, hi)`, each with its caller's phone, in received order.
fn read_facts(conn: &Connection, lo: i64, hi: i64) -> ApiResult<Vec<(TicketFacts, String)>> {
    {
        // Positions follow received time, so the range is a walk of the covering index.
        let mut stmt = conn.prepare_cached(FACTS_SQL).map_err(storage_err)?;
        let mut rows = stmt.query([lo, hi]).map_err(storage_err)?;
        let mut out = Vec::new();
        let mut shared = Shared::default();
        // A year is ~100,000 rows: text is read in place and the enums and callback decoded
        // without a JSON parser wherever the stored form allows.
        while let Some(r) = rows.next().map_err(storage_err)? {
            let text = |i: usize| -> rusqlite::Result<&str> {
                r.get_ref(i)?.as_str().map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(i, Type::Text, Box::new(e))
                })
            };
            let bad =
                |i: usize, what: &str| storage_err(format!("column {i} holds an unknown {what}"));
            let facts = TicketFacts {
                kind: TicketKind::parse(text(0).map_err(storage_err)?)
                    .ok_or_else(|| bad(0, "kind"))?,
                source: TicketSource::parse(text(1).map_err(storage_err)?)
                    .ok_or_else(|| bad(1, "source"))?,
                community: shared.of(text(2).map_err(storage_err)?),
                category: shared.of(text(3).map_err(storage_err)?),
                department: r
                    .get_ref(4)
                    .map_err(storage_err)?
                    .as_str_or_null()
                    .map_err(storage_err)?
                    .map(|d| shared.of(d)),
                received_at: from_unix_ms(r.get(5).map_err(storage_err)?),
                signed_at: at(r.get(6).map_err(storage_err)?),
                contacted_at: at(r.get(7).map_err(storage_err)?),
                replied_at: at(r.get(8).map_err(storage_err)?),
                closed_at: at(r.get(9).map_err(storage_err)?),
                due: Some(from_unix_ms(r.get(10).map_err(storage_err)?)),
                callback: r
                    .get_ref(11)
                    .map_err(storage_err)?
                    .as_str_or_null()
                    .map_err(storage_err)?
                    .and_then(stored_callback),
            };
            out.push((facts, text(12).map_err(storage_err)?.to_owned()));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_periods_facts_come_from_the_covering_index() {
        let store = Store::open_in_memory().unwrap();
        let sql = format!("EXPLAIN QUERY PLAN {FACTS_SQL}");
        let plan: Vec<String> = store
            .conn
            .prepare(&sql)
            .unwrap()
            .query_map([0, 1], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(
            plan.iter()
                .any(|p| p.contains("COVERING INDEX tickets_facts")),
            "{plan:?}"
        );
    }

    #[test]
    fn stored_callbacks_read_back_as_serde_wrote_them() {
        use Resolution::*;
        use Satisfaction::*;
        for contacted in [true, false] {
            for resolution in [Resolved, Partly, Unresolved] {
                for satisfaction in [Satisfied, Basically, Unsatisfied, NotRated] {
                    let c = Callback {
                        contacted,
                        resolution,
                        satisfaction,
                    };
                    let stored = serde_json::to_string(&c).unwrap();
                    assert_eq!(stored_callback(&stored), Some(c), "{stored}");
                }
            }
        }
        // Another shape still reads, through serde; garbage does not.
        let spaced =
            r#"{ "satisfaction": "basically", "resolution": "partly", "contacted": true }"#;
        assert_eq!(
            stored_callback(spaced).map(|c| c.satisfaction),
            Some(Basically)
        );
        assert_eq!(stored_callback("{\"contacted\":true"), None);
    }

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
