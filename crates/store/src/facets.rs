//! Facet counts for the backlog's filter panel.

use crate::facet_index::{search_matches, FacetIndex};
use crate::filters::{filters, Clauses};
use crate::{storage_err, Store};
use rusqlite::params_from_iter;
use std::cell::RefCell;
use std::collections::HashMap;
use streetdesk_core::dto::{BacklogFacets, BacklogQuery};
use streetdesk_core::error::ApiResult;

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
        if self.facet_index.borrow().is_none() {
            let loaded = FacetIndex::load(&self.conn)?;
            *self.facet_index.borrow_mut() = Some(loaded);
            // The load read every ticket row through the page cache: give those pages back
            // rather than keep a full cache of rows nothing else reads.
            self.conn
                .execute_batch("PRAGMA shrink_memory;")
                .map_err(crate::storage_err)?;
            crate::memory::give_back_freed_memory();
        }
        let matching = match q.search.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(text) => {
                let only_search = BacklogQuery {
                    search: Some(text.to_owned()),
                    ..Default::default()
                };
                Some(search_matches(
                    &self.conn,
                    &filters(&only_search, now, None)?,
                )?)
            }
            None => None,
        };
        let index = self.facet_index.borrow();
        let index = index.as_ref().expect("loaded above");
        index.count(q, now, matching.as_ref())
    }

    /// The number of tickets matching the whole query (workbench tiles): one indexed COUNT,
    /// without the facets.
    pub fn backlog_count(&self, q: &BacklogQuery) -> ApiResult<u32> {
        self.count(&filters(q, self.row_view().now_ms, None)?)
    }

    fn count(&self, c: &Clauses) -> ApiResult<u32> {
        let sql = format!("SELECT COUNT(*) FROM tickets t {}", c.where_sql());
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut s| s.query_row(params_from_iter(c.params.iter()), |r| r.get(0)))
            .map_err(storage_err)
    }
}
