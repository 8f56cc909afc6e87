//! Query timings: backlog pages over many filter and sort combinations, searches, facets.

use super::{io_err, Stats};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::time::{Duration, Instant};
use streetdesk_core::dto::{BacklogQuery, BacklogSort, SortKey};
use streetdesk_core::error::ApiResult;
use streetdesk_core::policy::Warning;
use streetdesk_core::ticket::{TicketKind, TicketSource, TicketStatus};
use streetdesk_core::time::now_beijing;
use streetdesk_store::Store;

const PAGE: u32 = 50;
const REPEATS: usize = 5;

/// Asks the kernel to drop its page cache so that "open" is cold; false without permission.
pub(crate) fn drop_os_cache() -> bool {
    // SAFETY-free: plain file writes; failure just means a warm cache.
    std::process::Command::new("sync").status().is_ok()
        && std::fs::write("/proc/sys/vm/drop_caches", "1").is_ok()
}

/// What the app shows first: the newest page of the backlog.
pub(crate) fn first_page(store: &Store) -> ApiResult<()> {
    store.backlog(&BacklogQuery {
        limit: PAGE,
        ..Default::default()
    })?;
    Ok(())
}

/// What it shows next: the filter panel's counts; returns the number of tickets.
pub(crate) fn first_counts(store: &Store) -> ApiResult<u32> {
    Ok(store.backlog_facets(&BacklogQuery::default())?.total)
}

fn sorted(key: SortKey, descending: bool) -> Option<BacklogSort> {
    Some(BacklogSort { key, descending })
}

fn day(days_from_now: i64) -> Option<String> {
    Some(
        (now_beijing() + chrono::Duration::days(days_from_now))
            .format("%Y-%m-%d")
            .to_string(),
    )
}

/// The filter and sort combinations a street's officers use, from broad to narrow.
fn combinations(store: &Store) -> ApiResult<Vec<BacklogQuery>> {
    let facets = store.backlog_facets(&BacklogQuery::default())?;
    let top = |f: &[streetdesk_core::dto::FacetCount]| {
        f.iter().max_by_key(|c| c.count).map(|c| c.key.clone())
    };
    let assignee = top(&facets.by_assignee);
    let grid = top(&facets.by_grid);
    let tag = top(&facets.by_tag);
    let q = BacklogQuery::default;
    let status = |s| BacklogQuery {
        status: Some(s),
        ..q()
    };
    Ok(vec![
        q(),
        BacklogQuery {
            sort: sorted(SortKey::Received, false),
            ..q()
        },
        BacklogQuery {
            sort: sorted(SortKey::Deadline, false),
            ..q()
        },
        BacklogQuery {
            sort: sorted(SortKey::Updated, true),
            ..q()
        },
        status(TicketStatus::Received),
        BacklogQuery {
            sort: sorted(SortKey::Deadline, false),
            ..status(TicketStatus::InProgress)
        },
        status(TicketStatus::AwaitingCallback),
        status(TicketStatus::Archived),
        status(TicketStatus::Objecting),
        BacklogQuery {
            community_id: Some("c03".into()),
            ..q()
        },
        BacklogQuery {
            community_id: Some("c03".into()),
            ..status(TicketStatus::InProgress)
        },
        BacklogQuery {
            grid: grid.clone(),
            ..q()
        },
        BacklogQuery {
            kind: Some(TicketKind::Complaint),
            ..q()
        },
        BacklogQuery {
            kind: Some(TicketKind::Praise),
            ..q()
        },
        BacklogQuery {
            source: Some(TicketSource::GridPatrol),
            ..q()
        },
        BacklogQuery {
            category: Some("城市管理".into()),
            ..q()
        },
        BacklogQuery {
            category: Some("城市管理/停车管理/胡同停车".into()),
            ..q()
        },
        BacklogQuery {
            assignee: assignee.clone(),
            ..q()
        },
        BacklogQuery {
            tag: tag.clone(),
            ..q()
        },
        BacklogQuery {
            supervised: Some(true),
            ..q()
        },
        BacklogQuery {
            warning: Some(Warning::Red),
            ..q()
        },
        BacklogQuery {
            warning: Some(Warning::Yellow),
            sort: sorted(SortKey::Deadline, false),
            ..q()
        },
        BacklogQuery {
            warning: Some(Warning::Green),
            ..q()
        },
        BacklogQuery {
            received_from: day(-30),
            ..q()
        },
        BacklogQuery {
            received_from: day(-3 * 365),
            received_to: day(-2 * 365),
            community_id: Some("c05".into()),
            ..q()
        },
        BacklogQuery {
            due_from: day(0),
            due_to: day(7),
            sort: sorted(SortKey::Deadline, false),
            ..q()
        },
        BacklogQuery {
            community_id: Some("c02".into()),
            category: Some("环境保护/噪声污染".into()),
            kind: Some(TicketKind::Complaint),
            source: Some(TicketSource::Hotline),
            ..q()
        },
        BacklogQuery {
            tag,
            community_id: Some("c07".into()),
            sort: sorted(SortKey::Updated, true),
            ..q()
        },
        BacklogQuery {
            grid,
            warning: Some(Warning::None),
            sort: sorted(SortKey::Deadline, true),
            ..q()
        },
    ])
}

/// Times the first three pages of `q`, following the cursor.
fn pages(store: &Store, q: &BacklogQuery, samples: &mut Vec<Duration>) -> ApiResult<()> {
    let mut q = BacklogQuery {
        limit: PAGE,
        ..q.clone()
    };
    for _ in 0..3 {
        let t = Instant::now();
        let page = store.backlog(&q)?;
        samples.push(t.elapsed());
        match page.next {
            Some(n) => q.after = Some(n),
            None => break,
        }
    }
    Ok(())
}

/// Search texts: one, two and more characters, common and rare, numbers and addresses.
const SEARCHES: &[&str] = &[
    "停车",
    "楼",
    "漏水",
    "电梯故障",
    "僵尸车",
    "噪声 夜间",
    "物业",
    "蟑",
    "供暖不热",
    "号院",
    "2026",
    "无此内容的查询",
    "燃气",
    "垃圾",
    "井盖",
];

fn raw_page(db: &Path) -> ApiResult<Stats> {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(io_err)?;
    let mut stmt = conn
        .prepare(
            "SELECT id, hotline_no, kind, source, category, content, address, community_id,
                caller_name, caller_phone, received_ms, status, assignee, updated_hlc, due_ms
             FROM tickets ORDER BY pos DESC LIMIT 50",
        )
        .map_err(io_err)?;
    let mut samples = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(io_err)?;
        for row in rows {
            row.map_err(io_err)?;
        }
        samples.push(t.elapsed());
    }
    Ok(Stats::of(&samples))
}

/// Every query timing: (name, engine stats, raw stats where there is a raw equivalent).
pub(crate) fn measure(
    store: &Store,
    db: &Path,
) -> ApiResult<Vec<(&'static str, Stats, Option<Stats>)>> {
    let combos = combinations(store)?;
    let mut page_samples = Vec::new();
    let mut worst: Vec<(f64, usize)> = Vec::new();
    for (i, q) in combos.iter().enumerate() {
        let before = page_samples.len();
        for _ in 0..REPEATS {
            pages(store, q, &mut page_samples)?;
        }
        worst.push((Stats::of(&page_samples[before..]).p95, i));
    }
    worst.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (p95, i) in worst.iter().take(3) {
        eprintln!(
            "slowest page combination #{i}: p95 {p95:.2} ms: {:?}",
            combos[*i]
        );
    }
    eprintln!("{} page combinations", combos.len());

    let mut search_samples = Vec::new();
    let mut worst_search = (0.0, "");
    for text in SEARCHES {
        let q = BacklogQuery {
            search: Some((*text).into()),
            limit: PAGE,
            ..Default::default()
        };
        for _ in 0..REPEATS {
            let t = Instant::now();
            store.backlog(&q)?;
            let d = t.elapsed();
            if d.as_secs_f64() * 1e3 > worst_search.0 {
                worst_search = (d.as_secs_f64() * 1e3, text);
            }
            search_samples.push(d);
        }
    }
    eprintln!(
        "slowest search: {:?} {:.2} ms",
        worst_search.1, worst_search.0
    );

    // Each combination once: the store caches counts per query, and a repeat would time the
    // cache. (The unfiltered counts were cached by the cold-open step, so they are left out.)
    let mut facet_samples = Vec::new();
    for q in combos.iter().skip(1) {
        let t = Instant::now();
        store.backlog_facets(q)?;
        facet_samples.push(t.elapsed());
    }
    Ok(vec![
        ("page", Stats::of(&page_samples), Some(raw_page(db)?)),
        ("search", Stats::of(&search_samples), None),
        ("facets", Stats::of(&facet_samples), None),
    ])
}
