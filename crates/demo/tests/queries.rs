//! Backlog queries checked against a plain in-memory model: every filter dimension, alone and
//! combined, every sort in both directions with small keyset pages, and every facet, over the
//! demo street. The model is a few lines of Rust that anyone can read; SQL has to agree.

use std::collections::{BTreeMap, HashMap, HashSet};
use streetdesk_core::dto::{BacklogQuery, BacklogSort, FacetCount, SortKey, TicketRow};
use streetdesk_core::policy::Warning;
use streetdesk_core::ticket::{TicketKind, TicketSource, TicketStatus};
use streetdesk_core::time::now_beijing;
use streetdesk_core::wire::wire_name;
use streetdesk_demo::{populate_until, DemoOptions};
use streetdesk_store::Store;

struct Model {
    rows: Vec<TicketRow>,
    replies: HashMap<String, String>,
    /// Each row's `updated` sort key as the store orders it (the HLC), read from its detail.
    updated: HashMap<String, String>,
}

fn all_rows(store: &Store) -> Vec<TicketRow> {
    let mut q = BacklogQuery {
        limit: 500,
        ..Default::default()
    };
    let mut rows = Vec::new();
    loop {
        let page = store.backlog(&q).unwrap();
        rows.extend(page.rows);
        match page.next {
            Some(n) => q.after = Some(n),
            None => return rows,
        }
    }
}

fn model(store: &Store) -> Model {
    let rows = all_rows(store);
    let mut replies = HashMap::new();
    let mut updated = HashMap::new();
    for r in &rows {
        let d = store.ticket_detail(&r.id).unwrap();
        replies.insert(r.id.clone(), d.reply.unwrap_or_default());
        updated.insert(r.id.clone(), r.updated_at.clone());
    }
    Model {
        rows,
        replies,
        updated,
    }
}

fn day(rfc3339: &str) -> &str {
    &rfc3339[..10]
}

/// The model's answer: does `r` pass every filter of `q` except `skip`?
fn passes(m: &Model, r: &TicketRow, q: &BacklogQuery, skip: &str) -> bool {
    let eq = |dim: &str, want: Option<String>, have: Option<String>| {
        dim == skip || want.is_none() || want == have
    };
    let category_ok = skip == "category"
        || q.category.as_deref().is_none_or(|c| {
            let c = c.trim_end_matches('/');
            r.category == c || r.category.starts_with(&format!("{c}/"))
        });
    let search_ok = q.search.as_deref().is_none_or(|s| {
        let reply = &m.replies[&r.id];
        let hotline = r.hotline_no.clone().unwrap_or_default();
        s.split_whitespace().all(|term| {
            [&r.content, &r.address, reply, &hotline]
                .iter()
                .any(|f| f.contains(term))
        })
    });
    let in_range = |v: &str, from: &Option<String>, to: &Option<String>| {
        from.as_deref().is_none_or(|f| day(v) >= f) && to.as_deref().is_none_or(|t| day(v) <= t)
    };
    eq(
        "status",
        q.status.map(|s| wire_name(&s)),
        Some(wire_name(&r.status)),
    ) && eq(
        "kind",
        q.kind.map(|k| wire_name(&k)),
        Some(wire_name(&r.kind)),
    ) && eq(
        "source",
        q.source.map(|k| wire_name(&k)),
        Some(wire_name(&r.source)),
    ) && eq(
        "community",
        q.community_id.clone(),
        Some(r.community_id.clone()),
    ) && eq("grid", q.grid.clone(), r.grid.clone())
        && eq("assignee", q.assignee.clone(), r.assignee.clone())
        && eq(
            "warning",
            q.warning.map(|w| wire_name(&w)),
            Some(wire_name(&r.warning)),
        )
        && eq(
            "supervised",
            q.supervised.map(|s| s.to_string()),
            Some(r.supervised.to_string()),
        )
        && (skip == "tag" || q.tag.as_ref().is_none_or(|t| r.tags.contains(t)))
        && category_ok
        && search_ok
        && in_range(&r.received_at, &q.received_from, &q.received_to)
        && in_range(&r.due_at, &q.due_from, &q.due_to)
}

fn sort_value(m: &Model, r: &TicketRow, key: SortKey) -> String {
    match key {
        SortKey::Received => r.received_at.clone(),
        SortKey::Deadline => r.due_at.clone(),
        SortKey::Updated => m.updated[&r.id].clone(),
    }
}

/// Every page of `q` with a small page size, so that keyset paging is exercised.
fn paged(store: &Store, q: &BacklogQuery) -> Vec<TicketRow> {
    let mut q = q.clone();
    q.limit = 37;
    let mut out = Vec::new();
    loop {
        let page = store.backlog(&q).unwrap();
        assert!(page.rows.len() <= 37);
        out.extend(page.rows);
        match page.next {
            Some(n) => q.after = Some(n),
            None => return out,
        }
    }
}

fn counts(
    m: &Model,
    q: &BacklogQuery,
    skip: &str,
    key: impl Fn(&TicketRow) -> Vec<String>,
) -> Vec<FacetCount> {
    let mut map: BTreeMap<String, u32> = BTreeMap::new();
    for r in m.rows.iter().filter(|r| passes(m, r, q, skip)) {
        for k in key(r) {
            *map.entry(k).or_default() += 1;
        }
    }
    map.into_iter()
        .map(|(key, count)| FacetCount { key, count })
        .collect()
}

fn check(store: &Store, m: &Model, q: &BacklogQuery) {
    let label = format!("{q:?}");
    let expected: HashSet<&str> = m
        .rows
        .iter()
        .filter(|r| passes(m, r, q, ""))
        .map(|r| r.id.as_str())
        .collect();
    let got = paged(store, q);
    let ids: Vec<&str> = got.iter().map(|r| r.id.as_str()).collect();
    let unique: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(
        unique.len(),
        ids.len(),
        "a row repeats across pages: {label}"
    );
    assert_eq!(unique, expected, "{label}");
    let sort = q.sort.unwrap_or(BacklogSort {
        key: SortKey::Received,
        descending: true,
    });
    let keys: Vec<String> = got.iter().map(|r| sort_value(m, r, sort.key)).collect();
    let ordered = keys.windows(2).all(|w| {
        if sort.descending {
            w[0] >= w[1]
        } else {
            w[0] <= w[1]
        }
    });
    assert!(ordered, "out of order: {label}");

    let f = store.backlog_facets(q).unwrap();
    assert_eq!(f.total as usize, expected.len(), "total: {label}");
    let one = |v: String| vec![v];
    assert_eq!(
        f.by_status,
        counts(m, q, "status", |r| one(wire_name(&r.status))),
        "{label}"
    );
    assert_eq!(
        f.by_kind,
        counts(m, q, "kind", |r| one(wire_name(&r.kind))),
        "{label}"
    );
    assert_eq!(
        f.by_source,
        counts(m, q, "source", |r| one(wire_name(&r.source))),
        "{label}"
    );
    assert_eq!(
        f.by_community,
        counts(m, q, "community", |r| one(r.community_id.clone())),
        "{label}"
    );
    assert_eq!(
        f.by_grid,
        counts(m, q, "grid", |r| r.grid.clone().into_iter().collect()),
        "{label}"
    );
    assert_eq!(
        f.by_category,
        counts(m, q, "category", |r| one(r.category.clone())),
        "{label}"
    );
    assert_eq!(
        f.by_assignee,
        counts(m, q, "assignee", |r| r
            .assignee
            .clone()
            .into_iter()
            .collect()),
        "{label}"
    );
    assert_eq!(f.by_tag, counts(m, q, "tag", |r| r.tags.clone()), "{label}");
    assert_eq!(
        f.by_warning,
        counts(m, q, "warning", |r| one(wire_name(&r.warning))),
        "{label}"
    );
    let supervised = counts(m, q, "supervised", |r| one(r.supervised.to_string()));
    let supervised = supervised
        .iter()
        .find(|c| c.key == "true")
        .map_or(0, |c| c.count);
    assert_eq!(f.supervised, supervised, "{label}");
}

#[test]
fn every_filter_sort_and_facet_agrees_with_the_model() {
    let mut store = Store::open_in_memory().unwrap();
    let opts = DemoOptions {
        tickets: 1200,
        days: 90,
        seed: 99,
    };
    populate_until(&mut store, opts, now_beijing()).unwrap();
    let m = model(&store);
    assert_eq!(m.rows.len(), 1200);
    let busiest = |f: &dyn Fn(&TicketRow) -> Option<String>| {
        let mut n: HashMap<String, usize> = HashMap::new();
        for r in &m.rows {
            if let Some(k) = f(r) {
                *n.entry(k).or_default() += 1;
            }
        }
        n.into_iter()
            .max_by_key(|(k, c)| (*c, k.clone()))
            .unwrap()
            .0
    };
    let grid = busiest(&|r| r.grid.clone());
    let assignee = busiest(&|r| r.assignee.clone());
    let tag = busiest(&|r| r.tags.first().cloned());
    let mid = m.rows[600].received_at[..10].to_owned();
    let late = m.rows[100].received_at[..10].to_owned();
    let hotline = m.rows.iter().find_map(|r| r.hotline_no.clone()).unwrap();
    let hotline_part = hotline[4..10].to_owned();
    let base = BacklogQuery::default;
    let sorts = [SortKey::Received, SortKey::Deadline, SortKey::Updated];
    let mut cases = vec![
        base(),
        BacklogQuery {
            status: Some(TicketStatus::InProgress),
            ..base()
        },
        BacklogQuery {
            kind: Some(TicketKind::Complaint),
            ..base()
        },
        BacklogQuery {
            source: Some(TicketSource::GridPatrol),
            ..base()
        },
        BacklogQuery {
            community_id: Some("c03".into()),
            ..base()
        },
        BacklogQuery {
            grid: Some(grid.clone()),
            ..base()
        },
        BacklogQuery {
            category: Some("城市管理".into()),
            ..base()
        },
        BacklogQuery {
            category: Some("城市管理/停车管理".into()),
            ..base()
        },
        BacklogQuery {
            category: Some("城市管理/停车管理/胡同停车".into()),
            ..base()
        },
        BacklogQuery {
            assignee: Some(assignee.clone()),
            ..base()
        },
        BacklogQuery {
            tag: Some(tag.clone()),
            ..base()
        },
        BacklogQuery {
            supervised: Some(true),
            ..base()
        },
        BacklogQuery {
            supervised: Some(false),
            ..base()
        },
        BacklogQuery {
            warning: Some(Warning::Red),
            ..base()
        },
        BacklogQuery {
            warning: Some(Warning::Yellow),
            ..base()
        },
        BacklogQuery {
            warning: Some(Warning::Green),
            ..base()
        },
        BacklogQuery {
            warning: Some(Warning::None),
            ..base()
        },
        BacklogQuery {
            received_from: Some(mid.clone()),
            received_to: Some(late.clone()),
            ..base()
        },
        BacklogQuery {
            due_from: Some(mid.clone()),
            ..base()
        },
        BacklogQuery {
            search: Some("停车".into()),
            ..base()
        },
        BacklogQuery {
            search: Some("电梯 维修".into()),
            ..base()
        },
        BacklogQuery {
            search: Some("楼".into()),
            ..base()
        },
        BacklogQuery {
            search: Some("电梯故障".into()),
            ..base()
        },
        BacklogQuery {
            search: Some(hotline_part),
            ..base()
        },
        BacklogQuery {
            status: Some(TicketStatus::Archived),
            community_id: Some("c01".into()),
            category: Some("城乡建设".into()),
            received_from: Some(mid.clone()),
            ..base()
        },
        BacklogQuery {
            kind: Some(TicketKind::Complaint),
            source: Some(TicketSource::Hotline),
            tag: Some(tag.clone()),
            search: Some("业主".into()),
            ..base()
        },
        BacklogQuery {
            grid: Some(grid.clone()),
            warning: Some(Warning::None),
            supervised: Some(false),
            ..base()
        },
    ];
    // The same cases in every order.
    let mut sorted = Vec::new();
    for (i, q) in cases.iter().enumerate() {
        let key = sorts[i % sorts.len()];
        for descending in [true, false] {
            sorted.push(BacklogQuery {
                sort: Some(BacklogSort { key, descending }),
                ..q.clone()
            });
        }
    }
    cases.extend(sorted);
    for q in &cases {
        check(&store, &m, q);
    }
    // Every dimension has something to count, so no check above was vacuous.
    let f = store.backlog_facets(&base()).unwrap();
    assert!(f.by_grid.len() > 10 && f.by_tag.len() >= 3 && f.supervised > 0);
    assert!(f.by_warning.len() >= 3, "{:?}", f.by_warning);
}
