//! Monthly department scorecards from the whistle projections, the hand-entered
//! party-building marks and the callbacks on the tickets each department worked on.

use crate::log_codec::StoredId;
use crate::{storage_err, Store};
use chrono::{Datelike, NaiveDate, TimeZone};
use rusqlite::{params, OptionalExtension};
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_core::scorecard::{scorecard, RatedSummons, ScoreInputs, Scorecard};
use streetdesk_core::ticket::Callback;
use streetdesk_core::time::beijing;
use streetdesk_core::TicketEvent;

fn bad_entry(message: &str) -> ApiError {
    ApiError::new(ErrorCode::ScoreEntryInvalid, message)
}

/// The month's bounds in Unix ms, Beijing time: [start, end).
fn month_bounds(month: &str) -> ApiResult<(i64, i64)> {
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .ok()
        .filter(|_| month.len() == 7)
        .ok_or_else(|| bad_entry("a month is written YYYY-MM"))?;
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    }
    .ok_or_else(|| bad_entry("a month is written YYYY-MM"))?;
    let ms = |d: NaiveDate| {
        beijing()
            .from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
            .single()
            .map(|t| t.timestamp_millis())
            .unwrap_or_default()
    };
    Ok((ms(first), ms(next)))
}

impl Store {
    /// Enters (or, with `None`, clears) a department's party-building/co-construction mark for
    /// a month, 0–100.
    pub fn set_party_building(
        &mut self,
        department: &str,
        month: &str,
        score: Option<f64>,
    ) -> ApiResult<()> {
        month_bounds(month)?;
        if !self.departments()?.iter().any(|d| d.id == department) {
            return Err(ApiError::new(
                ErrorCode::WhistleDepartmentUnknown,
                format!("department {department} is not in the directory"),
            ));
        }
        match score {
            Some(s) if !(0.0..=100.0).contains(&s) => {
                Err(bad_entry("a mark lies between 0 and 100"))
            }
            Some(s) => self
                .conn
                .execute(
                    "INSERT INTO department_marks(department_id, month, party_building)
                     VALUES (?1, ?2, ?3)
                     ON CONFLICT(department_id, month) DO UPDATE SET
                        party_building = excluded.party_building",
                    params![department, month, s],
                )
                .map(|_| ())
                .map_err(storage_err),
            None => self
                .conn
                .execute(
                    "DELETE FROM department_marks WHERE department_id = ?1 AND month = ?2",
                    params![department, month],
                )
                .map(|_| ())
                .map_err(storage_err),
        }
    }

    /// One department's scorecard for a month (`YYYY-MM`).
    pub fn department_scorecard(&self, department: &str, month: &str) -> ApiResult<Scorecard> {
        let (start, end) = month_bounds(month)?;
        let weights = self.whistle_settings()?.weights;
        let inputs = ScoreInputs {
            summons: self.rated_summons(department, start, end)?,
            party_building: self
                .conn
                .query_row(
                    "SELECT party_building FROM department_marks
                     WHERE department_id = ?1 AND month = ?2",
                    params![department, month],
                    |r| r.get(0),
                )
                .optional()
                .map_err(storage_err)?,
            callbacks: self.department_callbacks(department, start, end)?,
        };
        Ok(scorecard(department, month, &inputs, &weights))
    }

    /// Every department's scorecard for a month, in directory order.
    pub fn scorecards(&self, month: &str) -> ApiResult<Vec<Scorecard>> {
        self.departments()?
            .iter()
            .map(|d| self.department_scorecard(&d.id, month))
            .collect()
    }

    /// Rated summons of the department on whistles blown in [start, end).
    fn rated_summons(
        &self,
        department: &str,
        start: i64,
        end: i64,
    ) -> ApiResult<Vec<RatedSummons>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT w.report_limit_min, s.reported_ms - s.summoned_ms, s.effectiveness
                 FROM summons s JOIN whistles w ON w.id = s.whistle_id
                 WHERE s.department_id = ?1 AND w.blown_ms >= ?2 AND w.blown_ms < ?3
                   AND s.effectiveness IS NOT NULL",
            )
            .map_err(storage_err)?;
        let rows = stmt
            .query_map(params![department, start, end], |r| {
                Ok(RatedSummons {
                    limit_min: r.get(0)?,
                    report_minutes: r.get::<_, Option<i64>>(1)?.map(|ms| ms as f64 / 60_000.0),
                    effectiveness: r.get(2)?,
                })
            })
            .map_err(storage_err)?
            .collect::<Result<_, _>>()
            .map_err(storage_err);
        rows
    }

    /// Satisfaction of the callbacks recorded in [start, end) on the tickets of whistles the
    /// department reported in to.
    fn department_callbacks(
        &self,
        department: &str,
        start: i64,
        end: i64,
    ) -> ApiResult<Vec<streetdesk_core::ticket::Satisfaction>> {
        let tickets: Vec<String> = {
            let mut stmt = self
                .conn
                .prepare_cached(
                    "SELECT DISTINCT wt.ticket_id FROM summons s
                     JOIN whistle_tickets wt ON wt.whistle_id = s.whistle_id
                     WHERE s.department_id = ?1 AND s.reported_ms IS NOT NULL",
                )
                .map_err(storage_err)?;
            let rows = stmt
                .query_map([department], |r| r.get(0))
                .map_err(storage_err)?
                .collect::<Result<_, _>>()
                .map_err(storage_err)?;
            rows
        };
        let mut out = Vec::new();
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT event FROM events WHERE ticket_id = ?1 AND type = 'callback_recorded'
                   AND hlc >= ?2 AND hlc < ?3",
            )
            .map_err(storage_err)?;
        // An HLC is the wall-clock millisecond shifted left by 16 bits of logical counter.
        let (lo, hi) = (
            streetdesk_core::Hlc::new(start, 0).0,
            streetdesk_core::Hlc::new(end, 0).0,
        );
        for t in tickets {
            let bodies = stmt
                .query_map(params![StoredId(&t), lo, hi], |r| r.get::<_, String>(0))
                .map_err(storage_err)?;
            for body in bodies {
                let body = body.map_err(storage_err)?;
                if let TicketEvent::CallbackRecorded(Callback { satisfaction, .. }) =
                    serde_json::from_str(&body).map_err(storage_err)?
                {
                    out.push(satisfaction);
                }
            }
        }
        Ok(out)
    }
}
