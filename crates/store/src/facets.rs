//! Facet counts for the backlog's filter panel.

use crate::filters::{filters, warning_clause, Clauses, Dim};
use crate::{storage_err, Store};
use rusqlite::params_from_iter;
use std::cell::RefCell;
use std::collections::HashMap;
use streetdesk_core::dto::{BacklogFacets, BacklogQuery, FacetCount};
use streetdesk_core::error::ApiResult;
use streetdesk_core::policy::Warning;
use streetdesk_core::wire::wire_name;

/// Facet counts already computed, by query, for the data generation and the minute they were
/// computed in. Counting a million tickets takes a while; an officer flicking between filters
/// asks for the same counts again and again, and warning colours move by the minute.
#[derive(Default)]
pub(crate) struct FacetCache {
    entries: RefCell<HashMap<String, (u64, i64, BacklogFacets)>>,
}

/// Entries kept; the cache is emptied when it is full.
const CACHE_ENTRIES: usize = 64;

impl Store {
    /// Counts per value of every filter dimension, each under the other filters, and the
    /// number of tickets matching the whole query. Counts are as of the current minute.
    pub fn backlog_facets(&self, q: &BacklogQuery) -> ApiResult<BacklogFacets> {
        let now = self.row_view().now_ms;
        let minute = now / 60_000;
        let key = serde_json::to_string(&BacklogQuery {
            after: None,
            limit: 0,
            sort: None,
            ..q.clone()
        })
        .map_err(storage_err)?;
        let cached = self.facet_cache.entries.borrow().get(&key).cloned();
        if let Some((generation, at, facets)) = cached {
            if generation == self.generation && at == minute {
                return Ok(facets);
            }
        }
        let facets = self.count_facets(q, now)?;
        let mut entries = self.facet_cache.entries.borrow_mut();
        if entries.len() >= CACHE_ENTRIES {
            entries.clear();
        }
        entries.insert(key, (self.generation, minute, facets.clone()));
        Ok(facets)
    }

    fn count_facets(&self, q: &BacklogQuery, now: i64) -> ApiResult<BacklogFacets> {
        let under = |dim| filters(q, now, Some(dim));
        let by_status = self.group("t.status", &under(Dim::Status)?)?;
        let total = match q.status {
            Some(s) => count_of(&by_status, s.as_str()),
            None => by_status.iter().map(|f| f.count).sum(),
        };
        let grid = under(Dim::Grid)?.and("t.grid IS NOT NULL", []);
        let assignee = under(Dim::Assignee)?.and("t.assignee IS NOT NULL", []);
        Ok(BacklogFacets {
            total,
            by_kind: self.group("t.kind", &under(Dim::Kind)?)?,
            by_source: self.group("t.source", &under(Dim::Source)?)?,
            by_community: self.group("t.community_id", &under(Dim::Community)?)?,
            by_grid: self.group("t.grid", &grid)?,
            by_category: self.group("t.category", &under(Dim::Category)?)?,
            by_assignee: self.group("t.assignee", &assignee)?,
            by_tag: self.tag_facet(&under(Dim::Tag)?)?,
            by_warning: self.warning_facet(&under(Dim::Warning)?, now)?,
            supervised: self.count(&under(Dim::Supervised)?.and("t.supervised = 1", []))?,
            by_status,
        })
    }

    /// The number of tickets matching the whole query (workbench tiles).
    pub fn backlog_count(&self, q: &BacklogQuery) -> ApiResult<u32> {
        self.count(&filters(q, self.row_view().now_ms, None)?)
    }

    fn group(&self, column: &str, c: &Clauses) -> ApiResult<Vec<FacetCount>> {
        self.facet_query(
            &format!(
                "SELECT {column}, COUNT(*) FROM tickets t {} GROUP BY 1 ORDER BY 1",
                c.where_sql()
            ),
            c,
        )
    }

    fn tag_facet(&self, c: &Clauses) -> ApiResult<Vec<FacetCount>> {
        self.facet_query(
            &format!(
                "SELECT g.tag, COUNT(*) FROM ticket_tags g JOIN tickets t ON t.pos = g.ticket
                 {} GROUP BY 1 ORDER BY 1",
                c.where_sql()
            ),
            c,
        )
    }

    /// Colours by range counts over the open-deadline index; "none" (clock stopped) is the
    /// rest, so closed tickets, the vast majority, are counted once and never scanned twice.
    fn warning_facet(&self, c: &Clauses, now: i64) -> ApiResult<Vec<FacetCount>> {
        let all = self.count(c)?;
        let mut out = Vec::new();
        let mut open = 0;
        for w in [Warning::Red, Warning::Yellow, Warning::Green] {
            let (sql, params) = warning_clause(w, now);
            let n = self.count(&c.and(sql, params))?;
            open += n;
            out.push(FacetCount {
                key: wire_name(&w),
                count: n,
            });
        }
        out.push(FacetCount {
            key: wire_name(&Warning::None),
            count: all.saturating_sub(open),
        });
        out.retain(|f| f.count > 0);
        out.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(out)
    }

    fn count(&self, c: &Clauses) -> ApiResult<u32> {
        let sql = format!("SELECT COUNT(*) FROM tickets t {}", c.where_sql());
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut s| s.query_row(params_from_iter(c.params.iter()), |r| r.get(0)))
            .map_err(storage_err)
    }

    fn facet_query(&self, sql: &str, c: &Clauses) -> ApiResult<Vec<FacetCount>> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(storage_err)?;
        let rows = stmt
            .query_map(params_from_iter(c.params.iter()), |r| {
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

fn count_of(facet: &[FacetCount], key: &str) -> u32 {
    facet.iter().find(|f| f.key == key).map_or(0, |f| f.count)
}
