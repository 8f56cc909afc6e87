//! Facet counts from memory. Every filter dimension of every ticket, interned into a compact
//! entry (about a hundred bytes), so that counting all facets under any filter is one pass over
//! a vector: milliseconds at a million tickets, where GROUP BY queries need seconds because
//! each facet skips its own filter and no index covers them all.
//!
//! The entries are loaded from the projection on first use and kept in step by the projection
//! writer: changes made inside a transaction are staged and applied only once it commits.

use crate::filters::{Clauses, Dim};
use crate::projection::POS_PER_MS;
use crate::storage_err;
use rusqlite::{params_from_iter, Connection};
use std::collections::{BTreeMap, HashMap};
use streetdesk_core::dto::{BacklogFacets, BacklogQuery, FacetCount};
use streetdesk_core::error::ApiResult;
use streetdesk_core::policy::Warning;
use streetdesk_core::time::beijing_day_start_ms;
use streetdesk_core::wire::wire_name;

/// Id of "no value" (no grid, no assignee).
const NONE: u32 = 0;

/// Strings of all dimensions, as small integers.
#[derive(Default)]
struct Interner {
    ids: HashMap<String, u32>,
    names: Vec<String>,
}

impl Interner {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(id) = self.ids.get(s) {
            return *id;
        }
        // Ids start at 1: 0 is NONE.
        let id = self.names.len() as u32 + 1;
        self.ids.insert(s.to_owned(), id);
        self.names.push(s.to_owned());
        id
    }

    fn find(&self, s: &str) -> Option<u32> {
        self.ids.get(s).copied()
    }

    fn name(&self, id: u32) -> &str {
        &self.names[id as usize - 1]
    }
}

/// One ticket's filter dimensions.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct FacetEntry {
    pub(crate) pos: i64,
    pub(crate) status: String,
    pub(crate) kind: String,
    pub(crate) source: String,
    pub(crate) community: String,
    pub(crate) grid: Option<String>,
    pub(crate) category: String,
    pub(crate) category1: String,
    pub(crate) category2: String,
    pub(crate) assignee: Option<String>,
    pub(crate) supervised: bool,
    pub(crate) due_ms: i64,
    pub(crate) open_due_ms: Option<i64>,
    pub(crate) open_yellow_ms: Option<i64>,
    pub(crate) tags: Vec<String>,
}

/// The interned form of a [`FacetEntry`]: 64 bytes, so a million tickets take 64 MB. The
/// category's first two levels are looked up from its full path, and the open due and yellow
/// times are the due time and the yellow time while the clock runs.
#[derive(Clone)]
struct Entry {
    pos: i64,
    due_ms: i64,
    /// When the warning turns yellow ([`NEVER`] if it does not).
    yellow_ms: i64,
    dims: [u32; 7],
    /// Id of the ticket's set of tags in [`FacetIndex::tag_sets`]; [`NONE`] for no tags.
    tags: u32,
    /// The time limit is running (the ticket is open).
    running: bool,
    supervised: bool,
}

/// A time that never comes.
const NEVER: i64 = i64::MAX;

const _: () = assert!(std::mem::size_of::<Entry>() == 64);

/// Positions of the interned dimensions in [`Entry::dims`]; the category's levels come after
/// them, looked up through [`FacetIndex::levels`].
const STATUS: usize = 0;
const KIND: usize = 1;
const SOURCE: usize = 2;
const COMMUNITY: usize = 3;
const GRID: usize = 4;
const CATEGORY: usize = 5;
const ASSIGNEE: usize = 6;
const CATEGORY1: usize = 7;
const CATEGORY2: usize = 8;

/// Every ticket's entry, in position order.
#[derive(Default)]
pub(crate) struct FacetIndex {
    strings: Interner,
    entries: Vec<Entry>,
    /// A full category path's id → the ids of its first and second levels.
    levels: HashMap<u32, [u32; 2]>,
    /// Distinct sets of tags; entry `i` has id `i + 1`.
    tag_sets: Vec<Box<[u32]>>,
    tag_set_ids: HashMap<Box<[u32]>, u32>,
}

impl FacetIndex {
    /// Loads every ticket's entry from the projection.
    pub(crate) fn load(conn: &Connection) -> ApiResult<FacetIndex> {
        let mut index = FacetIndex::default();
        let mut stmt = conn
            .prepare(
                "SELECT pos, status, kind, source, community_id, grid, category, category1,
                    category2, assignee, supervised, due_ms, open_due_ms, open_yellow_ms, tags
                 FROM tickets ORDER BY pos",
            )
            .map_err(storage_err)?;
        let mut rows = stmt.query([]).map_err(storage_err)?;
        while let Some(r) = rows.next().map_err(storage_err)? {
            let tags: String = r.get(14).map_err(storage_err)?;
            let entry = FacetEntry {
                pos: r.get(0).map_err(storage_err)?,
                status: r.get(1).map_err(storage_err)?,
                kind: r.get(2).map_err(storage_err)?,
                source: r.get(3).map_err(storage_err)?,
                community: r.get(4).map_err(storage_err)?,
                grid: r.get(5).map_err(storage_err)?,
                category: r.get(6).map_err(storage_err)?,
                category1: r.get(7).map_err(storage_err)?,
                category2: r.get(8).map_err(storage_err)?,
                assignee: r.get(9).map_err(storage_err)?,
                supervised: r.get(10).map_err(storage_err)?,
                due_ms: r.get(11).map_err(storage_err)?,
                open_due_ms: r.get(12).map_err(storage_err)?,
                open_yellow_ms: r.get(13).map_err(storage_err)?,
                tags: if tags == "[]" {
                    Vec::new()
                } else {
                    serde_json::from_str(&tags).map_err(storage_err)?
                },
            };
            let e = index.intern(&entry);
            index.entries.push(e);
        }
        index.entries.shrink_to_fit();
        Ok(index)
    }

    /// Adds or replaces the entries of tickets just written (a ticket may come more than once;
    /// its last entry wins).
    pub(crate) fn put_all(&mut self, written: &[FacetEntry]) {
        let mut fresh = Vec::new();
        for w in written {
            let e = self.intern(w);
            match self.entries.binary_search_by_key(&e.pos, |x| x.pos) {
                Ok(i) => self.entries[i] = e,
                Err(_) => fresh.push(e),
            }
        }
        if fresh.is_empty() {
            return;
        }
        fresh.sort_by_key(|e| e.pos);
        fresh.dedup_by(|later, kept| {
            let same = later.pos == kept.pos;
            if same {
                *kept = later.clone();
            }
            same
        });
        let in_order = self
            .entries
            .last()
            .is_none_or(|last| last.pos < fresh[0].pos);
        self.entries.append(&mut fresh);
        if !in_order {
            // Tickets received before the newest (a sync, an import): one merge of the two
            // sorted runs, not an insertion per ticket.
            self.entries.sort_by_key(|e| e.pos);
        }
    }

    fn intern(&mut self, e: &FacetEntry) -> Entry {
        let s = &mut self.strings;
        let mut opt = |v: &Option<String>| v.as_deref().map_or(NONE, |v| s.id(v));
        let grid = opt(&e.grid);
        let assignee = opt(&e.assignee);
        let category = s.id(&e.category);
        self.levels
            .entry(category)
            .or_insert_with(|| [s.id(&e.category1), s.id(&e.category2)]);
        let mut tags: Vec<u32> = e.tags.iter().map(|t| s.id(t)).collect();
        tags.sort_unstable();
        tags.dedup();
        let tags = if tags.is_empty() {
            NONE
        } else {
            let tags = tags.into_boxed_slice();
            match self.tag_set_ids.get(&tags) {
                Some(id) => *id,
                None => {
                    self.tag_sets.push(tags.clone());
                    let id = self.tag_sets.len() as u32;
                    self.tag_set_ids.insert(tags, id);
                    id
                }
            }
        };
        debug_assert!(e.open_due_ms.is_none_or(|d| d == e.due_ms));
        Entry {
            pos: e.pos,
            due_ms: e.due_ms,
            yellow_ms: e.open_yellow_ms.unwrap_or(NEVER),
            dims: [
                s.id(&e.status),
                s.id(&e.kind),
                s.id(&e.source),
                s.id(&e.community),
                grid,
                category,
                assignee,
            ],
            tags,
            running: e.open_due_ms.is_some(),
            supervised: e.supervised,
        }
    }

    /// The id of `e`'s value at `at`: a dimension, or a level of its category.
    fn dim(&self, e: &Entry, at: usize) -> u32 {
        match at {
            CATEGORY1 | CATEGORY2 => self.levels[&e.dims[CATEGORY]][at - CATEGORY1],
            _ => e.dims[at],
        }
    }

    /// The tags of `e`.
    fn tags(&self, e: &Entry) -> &[u32] {
        match e.tags {
            NONE => &[],
            id => &self.tag_sets[id as usize - 1],
        }
    }

    /// Counts every facet of `q` at `now_ms`; `matching` is the set of positions a search
    /// text matches, when the query has one.
    pub(crate) fn count(
        &self,
        q: &BacklogQuery,
        now_ms: i64,
        matching: Option<&std::collections::HashSet<i64>>,
    ) -> ApiResult<BacklogFacets> {
        let f = Filter::new(self, q, now_ms)?;
        let mut counts: [BTreeMap<u32, u32>; 7] = Default::default();
        let mut tags: BTreeMap<u32, u32> = BTreeMap::new();
        let mut warnings: BTreeMap<&'static str, u32> = BTreeMap::new();
        let mut supervised = 0;
        for e in &self.entries {
            if matching.is_some_and(|m| !m.contains(&e.pos)) || !f.fixed(e) {
                continue;
            }
            let failed = f.failures(e);
            // A facet counts the rows that pass every filter but its own.
            let passes_except = |d: Dim| failed.iter().all(|x| *x == d);
            if failed.len() > 1 {
                continue;
            }
            let dims = [
                (Dim::Status, STATUS),
                (Dim::Kind, KIND),
                (Dim::Source, SOURCE),
                (Dim::Community, COMMUNITY),
                (Dim::Grid, GRID),
                (Dim::Category, CATEGORY),
                (Dim::Assignee, ASSIGNEE),
            ];
            for (dim, at) in dims {
                if passes_except(dim) && e.dims[at] != NONE {
                    *counts[at].entry(e.dims[at]).or_default() += 1;
                }
            }
            if passes_except(Dim::Tag) {
                for t in self.tags(e) {
                    *tags.entry(*t).or_default() += 1;
                }
            }
            if passes_except(Dim::Warning) {
                *warnings.entry(warning_name(e, now_ms)).or_default() += 1;
            }
            if passes_except(Dim::Supervised) && e.supervised {
                supervised += 1;
            }
        }
        let named = |m: &BTreeMap<u32, u32>| {
            let mut out: Vec<FacetCount> = m
                .iter()
                .map(|(id, n)| FacetCount {
                    key: self.strings.name(*id).to_owned(),
                    count: *n,
                })
                .collect();
            out.sort_by(|a, b| a.key.cmp(&b.key));
            out
        };
        let by_status = named(&counts[STATUS]);
        let total = match q.status {
            Some(s) => by_status
                .iter()
                .find(|c| c.key == s.as_str())
                .map_or(0, |c| c.count),
            None => by_status.iter().map(|c| c.count).sum(),
        };
        Ok(BacklogFacets {
            total,
            by_status,
            by_kind: named(&counts[KIND]),
            by_source: named(&counts[SOURCE]),
            by_community: named(&counts[COMMUNITY]),
            by_grid: named(&counts[GRID]),
            by_category: named(&counts[CATEGORY]),
            by_assignee: named(&counts[ASSIGNEE]),
            by_tag: named(&tags),
            by_warning: warnings
                .into_iter()
                .map(|(k, n)| FacetCount {
                    key: k.to_owned(),
                    count: n,
                })
                .collect(),
            supervised,
        })
    }
}

fn warning_name(e: &Entry, now_ms: i64) -> &'static str {
    if !e.running {
        "none"
    } else if e.due_ms <= now_ms {
        "red"
    } else if e.yellow_ms <= now_ms {
        "yellow"
    } else {
        "green"
    }
}

/// A query's filters against interned entries. A value no ticket has is an id no entry has.
struct Filter<'a> {
    index: &'a FacetIndex,
    now_ms: i64,
    dims: Vec<(Dim, usize, u32)>,
    tag: Option<u32>,
    supervised: Option<bool>,
    warning: Option<Warning>,
    open: Option<bool>,
    pos_range: (i64, i64),
    due_range: (i64, i64),
}

/// An id that matches nothing (the value is unknown to the index).
const UNKNOWN: u32 = u32::MAX;

impl<'a> Filter<'a> {
    fn new(index: &'a FacetIndex, q: &BacklogQuery, now_ms: i64) -> ApiResult<Filter<'a>> {
        let id = |v: &str| index.strings.find(v).unwrap_or(UNKNOWN);
        let mut dims = Vec::new();
        let mut push = |dim: Dim, at: usize, v: Option<String>| {
            if let Some(v) = v {
                dims.push((dim, at, id(&v)));
            }
        };
        push(Dim::Status, STATUS, q.status.map(|s| s.as_str().to_owned()));
        push(Dim::Kind, KIND, q.kind.map(|k| wire_name(&k)));
        push(Dim::Source, SOURCE, q.source.map(|k| wire_name(&k)));
        push(Dim::Community, COMMUNITY, q.community_id.clone());
        push(Dim::Grid, GRID, q.grid.clone());
        push(Dim::Assignee, ASSIGNEE, q.assignee.clone());
        if let Some(path) = q.category.as_deref() {
            let path = path.trim().trim_end_matches('/');
            let at = match path.split('/').count() {
                1 => CATEGORY1,
                2 => CATEGORY2,
                _ => CATEGORY,
            };
            push(Dim::Category, at, Some(path.to_owned()));
        }
        let day = |d: &Option<String>, shift: i64, field: &str| -> ApiResult<Option<i64>> {
            d.as_deref()
                .filter(|d| !d.trim().is_empty())
                .map(|d| {
                    beijing_day_start_ms(d)
                        .map(|ms| ms + shift)
                        .ok_or_else(|| crate::filters::bad_date(field))
                })
                .transpose()
        };
        const DAY: i64 = 24 * 3600 * 1000;
        let pos_range = (
            day(&q.received_from, 0, "received from")?.map_or(i64::MIN, |ms| ms * POS_PER_MS),
            day(&q.received_to, DAY, "received to")?.map_or(i64::MAX, |ms| ms * POS_PER_MS),
        );
        let due_range = (
            day(&q.due_from, 0, "due from")?.unwrap_or(i64::MIN),
            day(&q.due_to, DAY, "due to")?.unwrap_or(i64::MAX),
        );
        Ok(Filter {
            index,
            now_ms,
            dims,
            tag: q.tag.as_deref().map(id),
            supervised: q.supervised,
            warning: q.warning,
            open: q.open,
            pos_range,
            due_range,
        })
    }

    /// The filters no facet leaves out: dates and open/closed.
    fn fixed(&self, e: &Entry) -> bool {
        e.pos >= self.pos_range.0
            && e.pos < self.pos_range.1
            && e.due_ms >= self.due_range.0
            && e.due_ms < self.due_range.1
            && self.open.is_none_or(|o| o == e.running)
    }

    /// The faceted dimensions whose filter `e` fails.
    fn failures(&self, e: &Entry) -> Vec<Dim> {
        let mut failed = Vec::new();
        for (dim, at, want) in &self.dims {
            if self.index.dim(e, *at) != *want {
                failed.push(*dim);
            }
        }
        if self.tag.is_some_and(|t| !self.index.tags(e).contains(&t)) {
            failed.push(Dim::Tag);
        }
        if self.supervised.is_some_and(|s| s != e.supervised) {
            failed.push(Dim::Supervised);
        }
        if let Some(w) = self.warning {
            if warning_name(e, self.now_ms) != wire_name(&w) {
                failed.push(Dim::Warning);
            }
        }
        failed
    }
}

/// The positions a search text matches (its gram match and its phrase checks).
pub(crate) fn search_matches(
    conn: &Connection,
    c: &Clauses,
) -> ApiResult<std::collections::HashSet<i64>> {
    let sql = format!("SELECT t.pos FROM tickets t {}", c.where_sql());
    let mut stmt = conn.prepare_cached(&sql).map_err(storage_err)?;
    let rows = stmt
        .query_map(params_from_iter(c.params.iter()), |r| r.get(0))
        .map_err(storage_err)?
        .collect::<Result<_, _>>()
        .map_err(storage_err);
    rows
}
