//! Backlog queries over the `tickets` projection: filters, keyset paging, facet counts.

use crate::{storage_err, Store};
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Row};
use streetdesk_core::dto::{
    BacklogCursor, BacklogFacets, BacklogPage, BacklogQuery, FacetCount, TicketRow,
};
use streetdesk_core::error::ApiResult;
use streetdesk_core::pii::{mask_name, mask_phone};
use streetdesk_core::policy::{self, Warning};
use streetdesk_core::ticket::TicketStatus;
use streetdesk_core::time::{from_unix_ms, rfc3339};
use streetdesk_core::wire::wire_name;
use streetdesk_core::Hlc;

/// Largest page the backlog serves.
pub const MAX_PAGE: u32 = 500;

pub(crate) const ROW_COLUMNS: &str = "t.id, t.hotline_no, t.kind, t.source, t.category, t.content,
    t.address, t.community_id, COALESCE(c.name, t.community_id), t.caller_name, t.caller_phone,
    t.received_ms, t.status, t.assignee, t.updated_hlc, t.conflicts, t.urgency, t.due_ms";

/// What a row's warning colour depends on besides the row: the time and the threshold.
#[derive(Clone, Copy)]
pub(crate) struct RowView {
    pub(crate) now_ms: i64,
    pub(crate) yellow_at: f64,
}

impl Store {
    pub(crate) fn row_view(&self) -> RowView {
        RowView {
            now_ms: crate::log::now_ms(),
            yellow_at: self.rules.policies.yellow_at,
        }
    }
}

fn parse_enum<T: serde::de::DeserializeOwned>(idx: usize, s: String) -> rusqlite::Result<T> {
    serde_json::from_value(serde_json::Value::String(s)).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// Maps a row selected with [`ROW_COLUMNS`]; masks the caller on the way out.
pub(crate) fn ticket_row(r: &Row<'_>, view: RowView) -> rusqlite::Result<TicketRow> {
    let name: String = r.get(9)?;
    let phone: String = r.get(10)?;
    let status: TicketStatus = parse_enum(12, r.get(12)?)?;
    let received_ms: i64 = r.get(11)?;
    let due_ms: i64 = r.get(17)?;
    let warning = if status.clock_running() {
        policy::warning(received_ms, due_ms, view.now_ms, view.yellow_at)
    } else {
        Warning::None
    };
    Ok(TicketRow {
        id: r.get(0)?,
        hotline_no: r.get(1)?,
        kind: parse_enum(2, r.get(2)?)?,
        source: parse_enum(3, r.get(3)?)?,
        category: r.get(4)?,
        content: r.get(5)?,
        address: r.get(6)?,
        community_id: r.get(7)?,
        community_name: r.get(8)?,
        caller_name_masked: mask_name(&name),
        caller_phone_masked: mask_phone(&phone),
        received_at: rfc3339(from_unix_ms(received_ms)),
        status,
        assignee: r.get(13)?,
        updated_at: rfc3339(from_unix_ms(Hlc(r.get(14)?).physical_ms())),
        needs_review: r.get::<_, i64>(15)? > 0,
        urgency: parse_enum(16, r.get(16)?)?,
        due_at: rfc3339(from_unix_ms(due_ms)),
        warning,
    })
}

/// A filter dimension; a facet counts across its own dimension, so it leaves that one out.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dim {
    Status,
    Community,
    Warning,
}

/// The warning colour as SQL, with its parameters: the same rule as `policy::warning`.
fn warning_sql(view: RowView) -> (String, Vec<Value>) {
    let running: Vec<String> = TicketStatus::ALL
        .iter()
        .filter(|s| s.clock_running())
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    let sql = format!(
        "(CASE WHEN t.status NOT IN ({}) THEN 'none' WHEN t.due_ms <= ? THEN 'red'
          WHEN (? - t.received_ms) >= (t.due_ms - t.received_ms) * ? THEN 'yellow'
          ELSE 'green' END)",
        running.join(",")
    );
    let params = vec![
        Value::Integer(view.now_ms),
        Value::Integer(view.now_ms),
        Value::Real(view.yellow_at),
    ];
    (sql, params)
}

/// WHERE clauses and parameters for the query's filters (not the cursor), leaving out `skip`.
fn filters(q: &BacklogQuery, view: RowView, skip: Option<Dim>) -> (Vec<String>, Vec<Value>) {
    let (mut clauses, mut params) = q
        .search
        .as_deref()
        .map(crate::search::clauses)
        .unwrap_or_default();
    if let Some(s) = q.status.filter(|_| skip != Some(Dim::Status)) {
        clauses.push("t.status = ?".to_owned());
        params.push(Value::Text(s.as_str().to_owned()));
    }
    if let Some(c) = q
        .community_id
        .as_ref()
        .filter(|_| skip != Some(Dim::Community))
    {
        clauses.push("t.community_id = ?".to_owned());
        params.push(Value::Text(c.clone()));
    }
    if let Some(w) = q.warning.filter(|_| skip != Some(Dim::Warning)) {
        let (sql, p) = warning_sql(view);
        clauses.push(format!("{sql} = ?"));
        params.extend(p);
        params.push(Value::Text(wire_name(&w)));
    }
    (clauses, params)
}

fn where_sql(clauses: &[String]) -> String {
    if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    }
}

impl Store {
    /// One page of the backlog, newest received first.
    pub fn backlog(&self, q: &BacklogQuery) -> ApiResult<BacklogPage> {
        let limit = q.limit.clamp(1, MAX_PAGE);
        let view = self.row_view();
        let (mut clauses, mut params) = filters(q, view, None);
        let count_sql = format!("SELECT COUNT(*) FROM tickets t {}", where_sql(&clauses));
        let total: u32 = self
            .conn
            .query_row(&count_sql, params_from_iter(params.iter()), |r| r.get(0))
            .map_err(storage_err)?;

        if let Some(after) = &q.after {
            clauses.push("(t.received_ms, t.id) < (?, ?)".to_owned());
            params.push(Value::Integer(after.received_ms));
            params.push(Value::Text(after.id.clone()));
        }
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM tickets t LEFT JOIN communities c ON c.id = t.community_id
             {} ORDER BY t.received_ms DESC, t.id DESC LIMIT {}",
            where_sql(&clauses),
            limit + 1
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(storage_err)?;
        let mut rows: Vec<(TicketRow, i64)> = stmt
            .query_map(params_from_iter(params.iter()), |r| {
                Ok((ticket_row(r, view)?, r.get(11)?))
            })
            .map_err(storage_err)?
            .collect::<Result<_, _>>()
            .map_err(storage_err)?;
        let next = if rows.len() > limit as usize {
            rows.truncate(limit as usize);
            rows.last().map(|(r, received_ms)| BacklogCursor {
                received_ms: *received_ms,
                id: r.id.clone(),
            })
        } else {
            None
        };
        let rows = rows.into_iter().map(|(r, _)| r).collect();
        Ok(BacklogPage { rows, next, total })
    }

    /// Counts per state, per community and per warning colour; each under the other filters.
    pub fn backlog_facets(&self, q: &BacklogQuery) -> ApiResult<BacklogFacets> {
        let view = self.row_view();
        let facet =
            |column: (String, Vec<Value>), dim| self.facet(column, filters(q, view, Some(dim)));
        Ok(BacklogFacets {
            by_status: facet(("t.status".to_owned(), vec![]), Dim::Status)?,
            by_community: facet(("t.community_id".to_owned(), vec![]), Dim::Community)?,
            by_warning: facet(warning_sql(view), Dim::Warning)?,
        })
    }

    fn facet(
        &self,
        (column, column_params): (String, Vec<Value>),
        (clauses, params): (Vec<String>, Vec<Value>),
    ) -> ApiResult<Vec<FacetCount>> {
        let sql = format!(
            "SELECT {column}, COUNT(*) FROM tickets t {} GROUP BY 1 ORDER BY 1",
            where_sql(&clauses)
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(storage_err)?;
        let all = column_params.iter().chain(params.iter());
        let rows = stmt
            .query_map(params_from_iter(all), |r| {
                Ok(FacetCount {
                    key: r.get(0)?,
                    count: r.get(1)?,
                })
            })
            .map_err(storage_err)?
            .collect::<Result<_, _>>()
            .map_err(storage_err);
        rows
    }
}
