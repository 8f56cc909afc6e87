//! Backlog pages: filtered, ordered, keyset-paged rows of the `tickets` projection.

use crate::filters::{filters_with, sort_column, Search};
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
        let (key, descending) = q
            .sort
            .map(|s| (s.key, s.descending))
            .unwrap_or((SortKey::Received, true));
        // In received order a search walks the gram index newest first and stops at the page's
        // end, however common the term; other orders collect the matches, then sort.
        let matching = q
            .search
            .as_deref()
            .and_then(|s| crate::search::plan(s).matching)
            .filter(|_| key == SortKey::Received);
        let (from, mut params) = match &matching {
            Some(m) => (
                "ticket_grams(?) g JOIN tickets t ON t.pos = g.rowid",
                vec![Value::Text(m.clone())],
            ),
            None => ("tickets t", vec![]),
        };
        let search = if matching.is_some() {
            Search::Driving
        } else {
            Search::Filter
        };
        let mut clauses = filters_with(q, view.now_ms, None, search)?;
        let column = match matching {
            Some(_) => "g.rowid",
            None => sort_column(key),
        };
        let (cmp, dir) = if descending {
            ("<", "DESC")
        } else {
            (">", "ASC")
        };
        let order = if key == SortKey::Received {
            format!("{column} {dir}")
        } else {
            format!("{column} {dir}, t.pos {dir}")
        };
        if let Some(after) = &q.after {
            clauses = if key == SortKey::Received {
                clauses.and(&format!("{column} {cmp} ?"), [Value::Integer(after.pos)])
            } else {
                clauses.and(
                    &format!("({column}, t.pos) {cmp} (?, ?)"),
                    [Value::Integer(after.key), Value::Integer(after.pos)],
                )
            };
        }
        params.extend(clauses.params.iter().cloned());
        let sql = format!(
            "SELECT {ROW_COLUMNS}, {}, t.pos FROM {from}
             LEFT JOIN communities c ON c.id = t.community_id
             {} ORDER BY {order} LIMIT {}",
            sort_column(key),
            clauses.where_sql(),
            limit + 1
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(storage_err)?;
        let mut rows: Vec<_> = stmt
            .query_map(params_from_iter(params.iter()), |r| {
                let cursor = BacklogCursor {
                    key: r.get(ROW_COLUMN_COUNT)?,
                    pos: r.get(ROW_COLUMN_COUNT + 1)?,
                };
                Ok((ticket_row(r, view)?, cursor))
            })
            .map_err(storage_err)?
            .collect::<Result<_, _>>()
            .map_err(storage_err)?;
        let next = if rows.len() > limit as usize {
            rows.truncate(limit as usize);
            rows.last().map(|(_, cursor)| cursor.clone())
        } else {
            None
        };
        Ok(BacklogPage {
            rows: rows.into_iter().map(|(r, _)| r).collect(),
            next,
        })
    }
}
