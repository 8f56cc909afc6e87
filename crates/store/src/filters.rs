//! A backlog query's filters as SQL over the `tickets` projection (aliased `t`). Every clause
//! is written so that an index can answer it: equality on indexed columns, ranges for
//! category prefixes, dates and deadline warnings.

use crate::projection::POS_PER_MS;
use rusqlite::types::Value;
use streetdesk_core::dto::{BacklogQuery, SortKey};
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_core::policy::Warning;
use streetdesk_core::time::beijing_day_start_ms;
use streetdesk_core::wire::wire_name;

/// A filter dimension; a facet counts across its own dimension, so it leaves that one out.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Dim {
    Status,
    Kind,
    Source,
    Community,
    Grid,
    Category,
    Assignee,
    Tag,
    Supervised,
    Warning,
}

/// WHERE clauses with their parameters, in order.
#[derive(Default, Clone)]
pub(crate) struct Clauses {
    pub(crate) sql: Vec<String>,
    pub(crate) params: Vec<Value>,
}

impl Clauses {
    fn push(&mut self, sql: impl Into<String>, params: impl IntoIterator<Item = Value>) {
        self.sql.push(sql.into());
        self.params.extend(params);
    }

    /// `WHERE a AND b …`, or nothing.
    pub(crate) fn where_sql(&self) -> String {
        if self.sql.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.sql.join(" AND "))
        }
    }

    /// The same clauses plus one more.
    pub(crate) fn and(&self, sql: &str, params: impl IntoIterator<Item = Value>) -> Clauses {
        let mut c = self.clone();
        c.push(sql, params);
        c
    }
}

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

/// The SQL of a warning colour at `now`, over the open-clock columns (NULL once replied).
pub(crate) fn warning_clause(w: Warning, now_ms: i64) -> (&'static str, Vec<Value>) {
    let now = Value::Integer(now_ms);
    match w {
        Warning::Red => ("t.open_due_ms <= ?", vec![now]),
        Warning::Yellow => (
            "t.open_due_ms > ? AND t.open_yellow_ms <= ?",
            vec![now.clone(), now],
        ),
        Warning::Green => ("t.open_yellow_ms > ?", vec![now]),
        Warning::None => ("t.open_due_ms IS NULL", vec![]),
    }
}

fn day_start(day: &str, field: &str) -> ApiResult<i64> {
    beijing_day_start_ms(day).ok_or_else(|| bad_date(field))
}

/// The error for a date filter that is not a date.
pub(crate) fn bad_date(field: &str) -> ApiError {
    ApiError::new(
        ErrorCode::QueryDateInvalid,
        format!("{field} is not a date (YYYY-MM-DD)"),
    )
}

const DAY_MS: i64 = 24 * 3600 * 1000;

/// How the side indexes (search grams, tags) take part in a query.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Side {
    /// As a list of matching rows, which the planner may also drive from.
    List,
    /// As a probe of each candidate row: cheap when the rows come from another index.
    Probe,
    /// The caller joins the gram index and passes the MATCH expression itself.
    Driving,
}

/// The query's filters (not its cursor), leaving out dimension `skip`.
pub(crate) fn filters(q: &BacklogQuery, now_ms: i64, skip: Option<Dim>) -> ApiResult<Clauses> {
    filters_with(q, now_ms, skip, Side::List)
}

/// [`filters`], with the side indexes taking part as `side` says.
pub(crate) fn filters_with(
    q: &BacklogQuery,
    now_ms: i64,
    skip: Option<Dim>,
    side: Side,
) -> ApiResult<Clauses> {
    let mut c = Clauses::default();
    let keep = |d: Dim| skip != Some(d);
    if let Some(text) = q.search.as_deref() {
        let plan = crate::search::plan(text);
        let sql = match side {
            Side::List => "t.pos IN (SELECT rowid FROM ticket_grams WHERE ticket_grams MATCH ?)",
            Side::Probe => {
                "EXISTS (SELECT 1 FROM ticket_grams WHERE ticket_grams MATCH ? AND rowid = t.pos)"
            }
            Side::Driving => "",
        };
        if let (Some(m), false) = (plan.matching, sql.is_empty()) {
            c.push(sql, [Value::Text(m)]);
        }
        c.sql.extend(plan.checks);
        c.params.extend(plan.params);
    }
    if let Some(s) = q.status.filter(|_| keep(Dim::Status)) {
        c.push("t.status = ?", [text(s.as_str())]);
    }
    if let Some(k) = q.kind.filter(|_| keep(Dim::Kind)) {
        c.push("t.kind = ?", [Value::Text(wire_name(&k))]);
    }
    if let Some(s) = q.source.filter(|_| keep(Dim::Source)) {
        c.push("t.source = ?", [Value::Text(wire_name(&s))]);
    }
    let equal = [
        (Dim::Community, "t.community_id = ?", &q.community_id),
        (Dim::Grid, "t.grid = ?", &q.grid),
        (Dim::Assignee, "t.assignee = ?", &q.assignee),
    ];
    for (dim, sql, value) in equal {
        if let Some(v) = value.as_deref().filter(|_| keep(dim)) {
            c.push(sql, [text(v)]);
        }
    }
    if let Some(path) = q.category.as_deref().filter(|_| keep(Dim::Category)) {
        // One, two or three levels: each is a column of its own, so that the filter is an
        // equality an index answers in received order.
        let path = path.trim().trim_end_matches('/');
        let column = match path.split('/').count() {
            1 => "t.category1",
            2 => "t.category2",
            _ => "t.category",
        };
        c.push(format!("{column} = ?"), [text(path)]);
    }
    if let Some(tag) = q.tag.as_deref().filter(|_| keep(Dim::Tag)) {
        let sql = if side == Side::Probe {
            "EXISTS (SELECT 1 FROM ticket_tags WHERE tag = ? AND ticket = t.pos)"
        } else {
            "t.pos IN (SELECT ticket FROM ticket_tags WHERE tag = ?)"
        };
        c.push(sql, [text(tag)]);
    }
    if let Some(s) = q.supervised.filter(|_| keep(Dim::Supervised)) {
        // A literal, so that the partial index on supervised tickets applies.
        c.push(
            if s {
                "t.supervised = 1"
            } else {
                "t.supervised = 0"
            },
            [],
        );
    }
    if let Some(w) = q.warning.filter(|_| keep(Dim::Warning)) {
        let (sql, params) = warning_clause(w, now_ms);
        c.push(sql, params);
    }
    if let Some(open) = q.open {
        c.push(
            if open {
                "t.open_due_ms IS NOT NULL"
            } else {
                "t.open_due_ms IS NULL"
            },
            [],
        );
    }
    // Received days become a range of positions (pos = received_ms * 1024 + n): exact, and
    // answered by the table's own order and by the tail of every single-column index.
    let ranges = [
        (
            "t.pos >= ?",
            &q.received_from,
            0,
            POS_PER_MS,
            "received from",
        ),
        (
            "t.pos < ?",
            &q.received_to,
            DAY_MS,
            POS_PER_MS,
            "received to",
        ),
        ("t.due_ms >= ?", &q.due_from, 0, 1, "due from"),
        ("t.due_ms < ?", &q.due_to, DAY_MS, 1, "due to"),
    ];
    for (sql, day, shift, scale, field) in ranges {
        if let Some(day) = day.as_deref().filter(|d| !d.trim().is_empty()) {
            c.push(
                sql,
                [Value::Integer((day_start(day, field)? + shift) * scale)],
            );
        }
    }
    Ok(c)
}

/// The column a sort key orders by.
pub(crate) fn sort_column(key: SortKey) -> &'static str {
    match key {
        SortKey::Received => "t.pos",
        SortKey::Deadline => "t.due_ms",
        SortKey::Updated => "t.updated_hlc",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_category_filter_picks_the_column_of_its_level() {
        let q = |c: &str| BacklogQuery {
            category: Some(c.into()),
            ..Default::default()
        };
        let c = filters(&q("城市管理/停车管理/"), 0, None).unwrap();
        assert_eq!(c.sql, vec!["t.category2 = ?"]);
        assert_eq!(c.params, vec![text("城市管理/停车管理")]);
        let c = filters(&q("城市管理"), 0, None).unwrap();
        assert_eq!(c.sql, vec!["t.category1 = ?"]);
        let c = filters(&q("城市管理/停车管理/胡同停车"), 0, None).unwrap();
        assert_eq!(c.sql, vec!["t.category = ?"]);
        assert!(filters(&q("城市管理"), 0, Some(Dim::Category))
            .unwrap()
            .sql
            .is_empty());
    }

    #[test]
    fn a_bad_date_names_the_field() {
        let q = BacklogQuery {
            due_to: Some("2026-13-01".into()),
            ..Default::default()
        };
        let e = filters(&q, 0, None).err().unwrap();
        assert_eq!(e.code, ErrorCode::QueryDateInvalid);
        assert!(e.message.contains("due to"));
    }
}
