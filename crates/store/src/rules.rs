//! The rules deadlines are computed with: time-limit policies and the working-day calendar.
//! Both are settings; changing either recomputes every ticket's deadline.

use crate::{storage_err, Store};
use rusqlite::{params, Connection};
use streetdesk_core::calendar::{WorkCalendar, YearSchedule};
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_core::policy::Policies;

/// Policies and calendar as loaded from the database.
#[derive(Clone)]
pub(crate) struct Rules {
    pub(crate) calendar: WorkCalendar,
    pub(crate) policies: Policies,
}

impl Rules {
    pub(crate) fn load(conn: &Connection) -> ApiResult<Rules> {
        let mut calendar = WorkCalendar::builtin();
        let mut stmt = conn
            .prepare("SELECT schedule FROM calendar_years ORDER BY year")
            .map_err(storage_err)?;
        let years: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .map_err(storage_err)?
            .collect::<Result<_, _>>()
            .map_err(storage_err)?;
        for json in years {
            let schedule: YearSchedule = serde_json::from_str(&json).map_err(storage_err)?;
            calendar.set_year(&schedule).map_err(storage_err)?;
        }
        let policies = crate::setting(conn, "policies")?;
        Ok(Rules { calendar, policies })
    }
}

impl Store {
    /// The time-limit policies in force.
    pub fn policies(&self) -> &Policies {
        &self.rules.policies
    }

    /// The working-day calendar in force.
    pub fn calendar(&self) -> &WorkCalendar {
        &self.rules.calendar
    }

    /// Replaces the time-limit policies and recomputes every deadline.
    pub fn set_policies(&mut self, policies: Policies) -> ApiResult<()> {
        if !(0.0..=1.0).contains(&policies.yellow_at) {
            return Err(ApiError::new(
                ErrorCode::InvalidArgument,
                "the yellow threshold must lie between 0 and 1",
            ));
        }
        let json = serde_json::to_string(&policies).map_err(storage_err)?;
        let rules = Rules {
            policies,
            ..self.rules.clone()
        };
        self.put_rules(rules, |tx| {
            tx.execute(
                "INSERT INTO settings(key, value) VALUES ('policies', ?1)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [json],
            )
        })
    }

    /// Saves a rule change and recomputes every deadline in one transaction, so that no crash
    /// leaves deadlines computed under the old rules; then puts the rules in force.
    fn put_rules(
        &mut self,
        rules: Rules,
        save: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<usize>,
    ) -> ApiResult<()> {
        let tx = self.conn.transaction().map_err(storage_err)?;
        save(&tx).map_err(storage_err)?;
        let changed = crate::deadlines::recompute_all(&tx, &rules)?;
        tx.commit().map_err(storage_err)?;
        tracing::info!(changed, "deadlines recomputed under new rules");
        self.rules = rules;
        self.generation += 1;
        *self.facet_index.get_mut() = None;
        Ok(())
    }

    /// Enters (or corrects) one year's holiday notice and recomputes every deadline, so that
    /// running working-day deadlines follow the new calendar.
    pub fn set_calendar_year(&mut self, schedule: &YearSchedule) -> ApiResult<()> {
        let mut calendar = self.rules.calendar.clone();
        calendar
            .set_year(schedule)
            .map_err(|e| ApiError::new(ErrorCode::InvalidArgument, e.to_string()))?;
        let json = serde_json::to_string(schedule).map_err(storage_err)?;
        let rules = Rules {
            calendar,
            ..self.rules.clone()
        };
        self.put_rules(rules, |tx| {
            tx.execute(
                "INSERT INTO calendar_years(year, schedule) VALUES (?1, ?2)
                 ON CONFLICT(year) DO UPDATE SET schedule = excluded.schedule",
                params![schedule.year, json],
            )
        })
    }
}

impl Store {
    /// The settings view's content.
    pub fn settings(&self) -> streetdesk_core::dto::Settings {
        let cal = &self.rules.calendar;
        streetdesk_core::dto::Settings {
            policies: (&self.rules.policies).into(),
            years: cal
                .years()
                .into_iter()
                .filter_map(|y| cal.schedule(y))
                .collect(),
            builtin_years: WorkCalendar::builtin().years(),
        }
    }

    /// Reads a holiday notice typed or pasted by an officer and puts it in force.
    pub fn set_calendar_notice(&mut self, year: i32, text: &str) -> ApiResult<()> {
        if !(2000..=2100).contains(&year) {
            return Err(ApiError::new(
                ErrorCode::NoticeInvalid,
                format!("{year} is not a year"),
            ));
        }
        let schedule = streetdesk_core::calendar::parse_notice(year, text)
            .map_err(|e| ApiError::new(ErrorCode::NoticeInvalid, e))?;
        self.set_calendar_year(&schedule)
    }
}
