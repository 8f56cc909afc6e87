//! Backlog pages: filtered, ordered, keyset-paged rows of the `tickets` projection.

use crate::filters::{filters, sort_column};
use crate::rows::{ticket_row, ROW_COLUMNS, ROW_COLUMN_COUNT};
use crate::{storage_err, Store};
use rusqlite::params_from_iter;
use rusqlite::types::Value;
use streetdesk_core::dto::{BacklogCursor, BacklogPage, BacklogQuery, SortKey};
use streetdesk_core::error::ApiResult;

/// Largest page the backlog serves.
pub const MAX_PAGE: u32 = 500;

impl Store {
    /// One page of the backlog in the query's order (newest received first by default).
    pub fn backlog(&self, q: &BacklogQuery) -> ApiResult<BacklogPage> {
        let limit = q.limit.clamp(1, MAX_PAGE);
        let view = self.row_view();
        let mut clauses = filters(q, view.now_ms, None)?;
        let (key, descending) = q
            .sort
            .map(|s| (s.key, s.descending))
            .unwrap_or((SortKey::Received, true));
        let column = sort_column(key);
        let (cmp, dir) = if descending {
            ("<", "DESC")
        } else {
            (">", "ASC")
        };
        if let Some(after) = &q.after {
            clauses = clauses.and(
                &format!("({column}, t.id) {cmp} (?, ?)"),
                [Value::Integer(after.key), Value::Text(after.id.clone())],
            );
        }
        let sql = format!(
            "SELECT {ROW_COLUMNS}, {column} FROM tickets t
             LEFT JOIN communities c ON c.id = t.community_id
             {} ORDER BY {column} {dir}, t.id {dir} LIMIT {}",
            clauses.where_sql(),
            limit + 1
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(storage_err)?;
        let mut rows: Vec<_> = stmt
            .query_map(params_from_iter(clauses.params.iter()), |r| {
                Ok((ticket_row(r, view)?, r.get::<_, i64>(ROW_COLUMN_COUNT)?))
            })
            .map_err(storage_err)?
            .collect::<Result<_, _>>()
            .map_err(storage_err)?;
        let next = if rows.len() > limit as usize {
            rows.truncate(limit as usize);
            rows.last().map(|(r, key)| BacklogCursor {
                key: *key,
                id: r.id.clone(),
            })
        } else {
            None
        };
        Ok(BacklogPage {
            rows: rows.into_iter().map(|(r, _)| r).collect(),
            next,
        })
    }
}
