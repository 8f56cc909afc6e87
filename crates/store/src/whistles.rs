//! Whistle commands and queries: blow, record a department's step, close, rate, list.

use crate::log::{append_in, frontier, now_ms};
use crate::whistle_log::{append_whistles_in, whistle_events};
use crate::{storage_err, Store};
use chrono::{DateTime, Duration, FixedOffset, Timelike};
use rusqlite::{params_from_iter, types::Value, OptionalExtension};
use std::collections::{HashMap, HashSet};
use streetdesk_core::dto::{
    NewWhistle, SummonsRow, WhistleDetail, WhistleQuery, WhistleRow, WhistleSettings,
    WhistleTimelineEntry,
};
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_core::time::{from_unix_ms, now_beijing, rfc3339};
use streetdesk_core::whistle::{
    check, fold, Refusal, Whistle, WhistleBlown, WhistleEvent, WhistleRecord,
};
use streetdesk_core::{EventId, TicketEvent, TicketId, WhistleId};

/// How far a step's time may lie ahead of this PC's clock, or before the step it follows:
/// clocks of the PCs and laptops that record steps drift.
const CLOCK_TOLERANCE_MIN: i64 = 10;
/// Longest matter, place, note or reason accepted, in characters.
const MAX_TEXT_CHARS: usize = 2000;

fn not_found(id: &str) -> ApiError {
    ApiError::new(
        ErrorCode::WhistleNotFound,
        format!("no whistle with id {id}"),
    )
}

fn text_ok(s: &str) -> bool {
    !s.trim().is_empty() && s.chars().count() <= MAX_TEXT_CHARS
}

/// The error for a refused step; names the department and its stage, or who is still out.
fn refusal_error(r: Refusal, names: &HashMap<String, String>) -> ApiError {
    let name = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_owned());
    let (code, message) = match r {
        Refusal::StillOut(out) => (
            ErrorCode::WhistleStillOut,
            format!(
                "the whistle cannot close while these are still out: {}",
                out.iter().map(|d| name(d)).collect::<Vec<_>>().join(", ")
            ),
        ),
        Refusal::Effectiveness => (
            ErrorCode::WhistleRatingInvalid,
            "effectiveness is rated 1 to 5".to_owned(),
        ),
        Refusal::Stage(d, stage) => (
            ErrorCode::WhistleStepNotAllowed,
            format!(
                "{} is {}: this step is not allowed",
                name(&d),
                streetdesk_core::wire::wire_name(&stage)
            ),
        ),
        Refusal::NotSummoned(d) => (
            ErrorCode::WhistleStepNotAllowed,
            format!("{} was not summoned to this whistle", name(&d)),
        ),
        Refusal::Closed => (
            ErrorCode::WhistleStepNotAllowed,
            "the whistle is closed".to_owned(),
        ),
        Refusal::NotClosed => (
            ErrorCode::WhistleStepNotAllowed,
            "departments are rated once the whistle is closed".to_owned(),
        ),
        Refusal::NothingNew => (
            ErrorCode::WhistleStepNotAllowed,
            "every department named is already summoned".to_owned(),
        ),
        Refusal::AlreadyBlown => (
            ErrorCode::WhistleStepNotAllowed,
            "a whistle is blown once".to_owned(),
        ),
        Refusal::NotOverdue => (
            ErrorCode::WhistleNotOverdue,
            "only a department past its report-in limit can be escalated".to_owned(),
        ),
    };
    ApiError::new(code, message)
}

/// When a step happened, if it carries a time.
fn step_time(e: &WhistleEvent) -> Option<DateTime<FixedOffset>> {
    use WhistleEvent as E;
    match e {
        E::Blown(b) => Some(b.at),
        E::DepartmentsAdded { at, .. }
        | E::ReportedIn { at, .. }
        | E::OnSite { at, .. }
        | E::Done { at, .. }
        | E::Released { at, .. }
        | E::Escalated { at, .. }
        | E::Closed { at, .. } => Some(*at),
        E::Rated { .. } => None,
    }
}

/// Checks what the state cannot: times, reasons, known departments and overdue escalation.
fn check_step(
    w: &Whistle,
    e: &WhistleEvent,
    known: &HashSet<String>,
    now: DateTime<FixedOffset>,
) -> ApiResult<()> {
    let time_err = |m: &str| Err(ApiError::new(ErrorCode::WhistleTimeInvalid, m));
    let tolerance = Duration::minutes(CLOCK_TOLERANCE_MIN);
    if let Some(at) = step_time(e) {
        if at > now + tolerance {
            return time_err("the time lies in the future");
        }
        // The step it follows: the department's latest step, or for a closure the last
        // department to finish.
        let since = match (e, e.department().and_then(|d| w.summons_of(d))) {
            (WhistleEvent::Closed { .. }, _) => w
                .summons
                .iter()
                .filter_map(|s| s.finished_at)
                .max()
                .unwrap_or(w.blown_at),
            (_, Some(s)) => [Some(s.summoned_at), s.reported_at, s.on_site_at]
                .into_iter()
                .flatten()
                .max()
                .unwrap_or(s.summoned_at),
            (_, None) => w.blown_at,
        };
        if at + tolerance < since {
            return time_err("the time is before the step it follows");
        }
    }
    let text = match e {
        WhistleEvent::DepartmentsAdded { departments, .. } => {
            if let Some(d) = departments.iter().find(|d| !known.contains(*d)) {
                return Err(ApiError::new(
                    ErrorCode::WhistleDepartmentUnknown,
                    format!("department {d} is not in the directory"),
                ));
            }
            ""
        }
        WhistleEvent::Released { reason, .. } if reason.trim().is_empty() => {
            return Err(ApiError::new(
                ErrorCode::WhistleReasonRequired,
                "releasing a department needs a reason",
            ))
        }
        // Judged by this PC's clock too, not only by the time the step carries.
        WhistleEvent::Escalated { department, .. }
            if w.summons_of(department).is_some_and(|s| !s.overdue_at(now)) =>
        {
            return Err(ApiError::new(
                ErrorCode::WhistleNotOverdue,
                "only a department past its report-in limit can be escalated",
            ))
        }
        WhistleEvent::Done { note, .. } | WhistleEvent::Escalated { note, .. } => note,
        WhistleEvent::Released { reason, .. } => reason,
        WhistleEvent::Closed { summary, .. } => summary,
        WhistleEvent::Rated { comment, .. } => comment,
        _ => "",
    };
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(ApiError::new(
            ErrorCode::FieldTooLong,
            "the text is too long",
        ));
    }
    Ok(())
}

impl Store {
    /// The whistle and scorecard settings.
    pub fn whistle_settings(&self) -> ApiResult<WhistleSettings> {
        crate::setting(&self.conn, "whistles")
    }

    /// Saves the whistle and scorecard settings.
    pub fn set_whistle_settings(&mut self, s: &WhistleSettings) -> ApiResult<WhistleSettings> {
        if !(1..=1440).contains(&s.report_limit_min) {
            return Err(ApiError::new(
                ErrorCode::WhistleLimitInvalid,
                "the report-in limit is 1 to 1,440 minutes",
            ));
        }
        if !s.weights.valid() {
            return Err(ApiError::new(
                ErrorCode::WeightsInvalid,
                "weights are 0 or more, not all 0; shares lie between 0 and 1",
            ));
        }
        crate::set_setting(&self.conn, "whistles", s)?;
        self.whistle_settings()
    }

    fn department_names(&self) -> ApiResult<HashMap<String, String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, name FROM departments")
            .map_err(storage_err)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(storage_err)?
            .collect::<Result<_, _>>()
            .map_err(storage_err);
        rows
    }

    fn stamp_whistle(
        &mut self,
        id: &WhistleId,
        body: WhistleEvent,
        heads: Vec<EventId>,
    ) -> WhistleRecord {
        WhistleRecord {
            id: EventId::new(),
            whistle_id: id.clone(),
            hlc: self.clock.tick(now_ms()),
            device: self.device.clone(),
            actor: self.actor.clone(),
            heads,
            body,
        }
    }

    /// Blows a whistle: summons the departments and marks every linked ticket, in one
    /// transaction. Returns the new whistle.
    pub fn blow_whistle(&mut self, input: &NewWhistle) -> ApiResult<WhistleDetail> {
        if !text_ok(&input.matter) {
            return Err(ApiError::new(
                ErrorCode::WhistleMatterRequired,
                "say what the matter is (up to 2,000 characters)",
            ));
        }
        if !text_ok(&input.place) {
            return Err(ApiError::new(
                ErrorCode::WhistlePlaceRequired,
                "say where the departments must go",
            ));
        }
        let mut departments = Vec::new();
        for d in &input.departments {
            if !departments.contains(d) {
                departments.push(d.clone());
            }
        }
        if departments.is_empty() {
            return Err(ApiError::new(
                ErrorCode::WhistleDepartmentsRequired,
                "summon at least one department",
            ));
        }
        let names = self.department_names()?;
        if let Some(d) = departments.iter().find(|d| !names.contains_key(*d)) {
            return Err(ApiError::new(
                ErrorCode::WhistleDepartmentUnknown,
                format!("department {d} is not in the directory"),
            ));
        }
        let limit = match input.report_limit_min {
            Some(l) => l,
            None => self.whistle_settings()?.report_limit_min,
        };
        if !(1..=1440).contains(&limit) {
            return Err(ApiError::new(
                ErrorCode::WhistleLimitInvalid,
                "the report-in limit is 1 to 1,440 minutes",
            ));
        }
        if let Some(c) = &input.community_id {
            if self.grid_count(c)?.is_none() {
                return Err(ApiError::new(
                    ErrorCode::CommunityUnknown,
                    "the community is not one of the street's",
                ));
            }
        }
        let mut tickets = Vec::new();
        for t in &input.tickets {
            if self.events_of(t)?.is_empty() {
                return Err(ApiError::new(
                    ErrorCode::TicketNotFound,
                    format!("no ticket with id {t}"),
                ));
            }
            if !tickets.contains(&TicketId(t.clone())) {
                tickets.push(TicketId(t.clone()));
            }
        }
        let id = WhistleId::new();
        let blown = self.stamp_whistle(
            &id,
            WhistleEvent::Blown(WhistleBlown {
                reason: input.reason,
                matter: input.matter.trim().to_owned(),
                place: input.place.trim().to_owned(),
                community_id: input.community_id.clone(),
                tickets: tickets.clone(),
                departments,
                report_limit_min: limit,
                // Whole seconds, as the steps that follow are stamped.
                at: now_beijing().with_nanosecond(0).unwrap_or_else(now_beijing),
            }),
            vec![],
        );
        let mut links = Vec::new();
        for t in &tickets {
            links.push(self.stamp(
                t,
                TicketEvent::WhistleLinked {
                    whistle: id.clone(),
                },
            )?);
        }
        let tx = self.conn.transaction().map_err(storage_err)?;
        append_whistles_in(&tx, &[blown])?;
        let (_, entries) = append_in(&tx, &self.rules, &links)?;
        tx.commit().map_err(storage_err)?;
        self.after_ticket_write(&entries);
        tracing::info!(whistle = %id, tickets = tickets.len(), "whistle blown");
        self.whistle_detail(&id.0)
    }

    /// Records one step of a whistle after checking it against the whistle's state.
    pub fn record_whistle(&mut self, id: &str, step: WhistleEvent) -> ApiResult<WhistleDetail> {
        let events = whistle_events(&self.conn, id)?;
        let w = fold(&events).ok_or_else(|| not_found(id))?;
        let names = self.department_names()?;
        let known: HashSet<String> = names.keys().cloned().collect();
        check(&w, &step).map_err(|r| refusal_error(r, &names))?;
        check_step(&w, &step, &known, now_beijing())?;
        let heads = frontier(events.iter().map(|e| (&e.id, e.heads.as_slice())));
        let mut record = self.stamp_whistle(&w.id, step, heads);
        record.hlc = crate::log::after_all(record.hlc, events.iter().map(|e| e.hlc));
        self.append_whistles(&[record])?;
        self.whistle_detail(id)
    }

    /// Appends whistle events from elsewhere (sync, demo), idempotent by id.
    pub fn append_whistles(&mut self, records: &[WhistleRecord]) -> ApiResult<usize> {
        for e in records {
            self.observe(e.hlc);
        }
        let tx = self.conn.transaction().map_err(storage_err)?;
        let n = append_whistles_in(&tx, records)?;
        tx.commit().map_err(storage_err)?;
        Ok(n)
    }

    /// Every event of one whistle, in fold order.
    pub fn whistle_events_of(&self, id: &str) -> ApiResult<Vec<WhistleRecord>> {
        whistle_events(&self.conn, id)
    }

    /// A whistle with its timeline.
    pub fn whistle_detail(&self, id: &str) -> ApiResult<WhistleDetail> {
        let events = whistle_events(&self.conn, id)?;
        let w = fold(&events).ok_or_else(|| not_found(id))?;
        let names = self.department_names()?;
        let conflicting: HashSet<&EventId> = w.conflicts.iter().collect();
        let timeline = events
            .iter()
            .map(|e| WhistleTimelineEntry {
                id: e.id.0.clone(),
                event_type: e.body.event_type(),
                department: e
                    .body
                    .department()
                    .map(|d| names.get(d).cloned().unwrap_or_else(|| d.to_owned())),
                at: rfc3339(
                    step_time(&e.body).unwrap_or_else(|| from_unix_ms(e.hlc.physical_ms())),
                ),
                actor: e.actor.clone(),
                detail: e.body.detail(),
                conflicting: conflicting.contains(&e.id),
            })
            .collect();
        Ok(WhistleDetail {
            row: self.whistle_row(&w, &names)?,
            timeline,
        })
    }

    fn whistle_row(&self, w: &Whistle, names: &HashMap<String, String>) -> ApiResult<WhistleRow> {
        let community = match &w.community_id {
            Some(c) => self
                .conn
                .query_row("SELECT name FROM communities WHERE id = ?1", [c], |r| {
                    r.get(0)
                })
                .optional()
                .map_err(storage_err)?,
            None => None,
        };
        let summons = w
            .summons
            .iter()
            .map(|s| SummonsRow {
                department_id: s.department.clone(),
                department_name: names
                    .get(&s.department)
                    .cloned()
                    .unwrap_or_else(|| s.department.clone()),
                stage: s.stage,
                summoned_at: rfc3339(s.summoned_at),
                report_due: rfc3339(s.report_due),
                reported_at: s.reported_at.map(rfc3339),
                on_site_at: s.on_site_at.map(rfc3339),
                finished_at: s.finished_at.map(rfc3339),
                release_reason: s.release_reason.clone(),
                escalated_at: s.escalated_at.map(rfc3339),
                late: s.reported_at.is_some_and(|r| r > s.report_due),
                effectiveness: s.rating.as_ref().map(|r| r.effectiveness),
                comment: s.rating.as_ref().map(|r| r.comment.clone()),
            })
            .collect();
        Ok(WhistleRow {
            id: w.id.0.clone(),
            reason: w.reason,
            matter: w.matter.clone(),
            place: w.place.clone(),
            community,
            status: w.status,
            blown_at: rfc3339(w.blown_at),
            closed_at: w.closed_at.map(rfc3339),
            report_limit_min: w.report_limit_min,
            tickets: w.tickets.iter().map(|t| t.0.clone()).collect(),
            summons,
            conflicts: w.conflicts.len() as u32,
        })
    }

    /// Whistles for the board, newest first.
    pub fn whistles(&self, q: &WhistleQuery) -> ApiResult<Vec<WhistleRow>> {
        let mut clauses = Vec::new();
        let mut args: Vec<Value> = Vec::new();
        if let Some(s) = q.status {
            clauses.push("w.status = ?");
            args.push(Value::Text(streetdesk_core::wire::wire_name(&s)));
        }
        if let Some(d) = &q.department_id {
            clauses.push("w.id IN (SELECT whistle_id FROM summons WHERE department_id = ?)");
            args.push(Value::Text(d.clone()));
        }
        if let Some(t) = &q.ticket_id {
            clauses.push("w.id IN (SELECT whistle_id FROM whistle_tickets WHERE ticket_id = ?)");
            args.push(Value::Text(t.clone()));
        }
        let filter = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        args.push(Value::Integer(i64::from(q.limit.unwrap_or(200).min(2000))));
        let sql =
            format!("SELECT w.id FROM whistles w {filter} ORDER BY w.blown_ms DESC, w.id LIMIT ?");
        let ids: Vec<String> = {
            let mut stmt = self.conn.prepare(&sql).map_err(storage_err)?;
            let rows = stmt
                .query_map(params_from_iter(args), |r| r.get(0))
                .map_err(storage_err)?
                .collect::<Result<_, _>>()
                .map_err(storage_err)?;
            rows
        };
        let names = self.department_names()?;
        ids.iter()
            .filter_map(|id| match whistle_events(&self.conn, id) {
                Ok(events) => fold(&events).map(|w| self.whistle_row(&w, &names)),
                Err(e) => Some(Err(e)),
            })
            .collect()
    }
}
