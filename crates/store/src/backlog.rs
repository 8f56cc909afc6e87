//! Backlog pages: filtered, ordered, keyset-paged rows of the `tickets` projection.
//!
//! A page must come back in milliseconds at a million tickets, whatever the filters and the
//! order. There are two ways to get one: walk the order's index and keep the rows that pass
//! the filters (fast when they are common), or collect the rows a filter index finds and sort
//! them (fast when they are few). SQLite's planner cannot know which from its statistics for
//! every combination, so the page is asked for the planner's way first, then by walking the
//! order, each within a small time budget, and finally by collecting: by then the walk has
//! shown that the matches are rare, which is exactly when collecting is cheap.

use crate::filters::{filters_with, sort_column, Side};
use crate::rows::{ticket_row, RowView, ROW_COLUMNS, ROW_COLUMN_COUNT};
use crate::{storage_err, Store};
use rusqlite::types::Value;
use rusqlite::{params_from_iter, ErrorCode as SqliteCode};
use std::time::{Duration, Instant};
use streetdesk_core::dto::{BacklogCursor, BacklogPage, BacklogQuery, SortKey, TicketRow};
use streetdesk_core::error::ApiResult;

/// Largest page the backlog serves.
pub const MAX_PAGE: u32 = 500;

/// How long a plan may run before the next one is tried.
const PLAN_BUDGET: Duration = Duration::from_millis(6);

/// A way to answer a page.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Plan {
    /// Search in received order: walk the gram index newest first, stop at the page's end.
    SearchDriven,
    /// Whatever SQLite's planner picks.
    Planner,
    /// Walk the order's own index, probing each row against the filters.
    WalkOrder,
    /// Collect the rows the filter indexes find, then sort them.
    Collect,
}

/// A query ready to run: its SQL and parameters.
struct Sql {
    text: String,
    params: Vec<Value>,
}

type Rows = Vec<(TicketRow, BacklogCursor)>;

impl Store {
    /// One page of the backlog in the query's order (newest received first by default).
    pub fn backlog(&self, q: &BacklogQuery) -> ApiResult<BacklogPage> {
        let limit = q.limit.clamp(1, MAX_PAGE);
        let view = self.row_view();
        let key = q.sort.map_or(SortKey::Received, |s| s.key);
        let searching = q
            .search
            .as_deref()
            .is_some_and(|s| crate::search::plan(s).matching.is_some());
        let plans: &[Plan] = if searching && key == SortKey::Received {
            &[Plan::SearchDriven]
        } else {
            &[Plan::Planner, Plan::WalkOrder, Plan::Collect]
        };
        let mut rows = None;
        for (i, plan) in plans.iter().enumerate() {
            let budget = (i + 1 < plans.len()).then_some(PLAN_BUDGET);
            let sql = page_sql(q, *plan, view.now_ms, limit)?;
            if let Some(found) = self.run_page(&sql, view, budget)? {
                rows = Some(found);
                break;
            }
        }
        let mut rows = rows.unwrap_or_default();
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

    /// Runs a page query; `None` when it ran out of its time budget.
    fn run_page(
        &self,
        sql: &Sql,
        view: RowView,
        budget: Option<Duration>,
    ) -> ApiResult<Option<Rows>> {
        if let Some(budget) = budget {
            let started = Instant::now();
            self.conn
                .progress_handler(1000, Some(move || started.elapsed() > budget));
        }
        let result = self.conn.prepare_cached(&sql.text).and_then(|mut stmt| {
            stmt.query_map(params_from_iter(sql.params.iter()), |r| {
                let cursor = BacklogCursor {
                    key: r.get(ROW_COLUMN_COUNT)?,
                    pos: r.get(ROW_COLUMN_COUNT + 1)?,
                };
                Ok((ticket_row(r, view)?, cursor))
            })?
            .collect::<Result<Rows, _>>()
        });
        if budget.is_some() {
            self.conn.progress_handler(0, None::<fn() -> bool>);
        }
        match result {
            Ok(rows) => Ok(Some(rows)),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == SqliteCode::OperationInterrupted =>
            {
                Ok(None)
            }
            Err(e) => Err(storage_err(e)),
        }
    }
}

/// The SQL of one plan for the query's page.
fn page_sql(q: &BacklogQuery, plan: Plan, now_ms: i64, limit: u32) -> ApiResult<Sql> {
    let (key, descending) = q
        .sort
        .map(|s| (s.key, s.descending))
        .unwrap_or((SortKey::Received, true));
    let side = match plan {
        Plan::SearchDriven => Side::Driving,
        Plan::WalkOrder => Side::Probe,
        Plan::Planner | Plan::Collect => Side::List,
    };
    let mut clauses = filters_with(q, now_ms, None, side)?;
    let mut params = Vec::new();
    let from = match (plan, key) {
        (Plan::SearchDriven, _) => {
            let matching = q
                .search
                .as_deref()
                .and_then(|s| crate::search::plan(s).matching);
            params.push(Value::Text(matching.unwrap_or_default()));
            "ticket_grams(?) g JOIN tickets t ON t.pos = g.rowid"
        }
        (Plan::WalkOrder, SortKey::Received) => "tickets t NOT INDEXED",
        (Plan::WalkOrder, SortKey::Deadline) => "tickets t INDEXED BY tickets_due",
        (Plan::WalkOrder, SortKey::Updated) => "tickets t INDEXED BY tickets_updated",
        _ => "tickets t",
    };
    let column = match plan {
        Plan::SearchDriven => "g.rowid",
        _ => sort_column(key),
    };
    // A unary plus keeps the planner from walking the order's index: Collect must not.
    let order_column = if plan == Plan::Collect {
        format!("+{column}")
    } else {
        column.to_owned()
    };
    let (cmp, dir) = if descending {
        ("<", "DESC")
    } else {
        (">", "ASC")
    };
    let order = if key == SortKey::Received {
        format!("{order_column} {dir}")
    } else {
        format!("{order_column} {dir}, t.pos {dir}")
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
    let text = format!(
        "SELECT {ROW_COLUMNS}, {}, t.pos FROM {from}
         LEFT JOIN communities c ON c.id = t.community_id
         {} ORDER BY {order} LIMIT {}",
        sort_column(key),
        clauses.where_sql(),
        limit + 1
    );
    Ok(Sql { text, params })
}

#[cfg(test)]
mod tests {
    use super::*;
    use streetdesk_core::dto::{BacklogSort, Community, NewTicket};
    use streetdesk_core::ticket::{TicketKind, TicketSource};
    use streetdesk_core::TicketEvent;

    /// A street of 240 tickets that differ in community, kind, category, tags and state.
    fn street() -> Store {
        let mut s = Store::open_in_memory().unwrap();
        let communities: Vec<Community> = (1..=3)
            .map(|i| Community {
                id: format!("c{i}"),
                name: format!("社区{i}"),
                grid_count: 4,
            })
            .collect();
        s.upsert_directory(&communities, &[]).unwrap();
        let kinds = [TicketKind::Complaint, TicketKind::Help, TicketKind::Praise];
        let categories = [
            "城市管理/停车管理/胡同停车",
            "公共服务/供暖/供暖不热",
            "城市管理/市容环境/占道经营",
        ];
        for i in 0..240u32 {
            let t = NewTicket {
                hotline_no: None,
                kind: kinds[(i % 3) as usize],
                source: TicketSource::Hotline,
                category: categories[(i % 7 % 3) as usize].into(),
                content: format!("诉求 {i} 楼道堆物"),
                address: format!("胡同 {i} 号"),
                community_id: format!("c{}", i % 3 + 1),
                caller_name: "周女士".into(),
                caller_phone: "13511112222".into(),
                received_at: format!("2026-{:02}-{:02}T{:02}:00", 1 + i % 10, 1 + i % 27, i % 24),
                urgency: streetdesk_core::policy::Urgency::General,
                deadline: None,
                grid: Some(1 + i % 4),
                location: None,
                related: None,
            };
            let id = s.register_ticket(&t).unwrap().row.id;
            if i % 2 == 0 {
                s.record(&id, TicketEvent::SignedFor).unwrap();
            }
            if i % 5 == 0 {
                let tag = "每月一题·供暖".into();
                s.record(&id, TicketEvent::Tagged { tag }).unwrap();
            }
        }
        s
    }

    fn pages(s: &Store, q: &BacklogQuery, plan: Plan) -> Vec<String> {
        let view = s.row_view();
        let mut q = BacklogQuery {
            limit: 7,
            ..q.clone()
        };
        let mut ids = Vec::new();
        loop {
            let sql = page_sql(&q, plan, view.now_ms, 7).unwrap();
            let mut rows = s.run_page(&sql, view, None).unwrap().unwrap();
            let more = rows.len() > 7;
            rows.truncate(7);
            ids.extend(rows.iter().map(|(r, _)| r.id.clone()));
            match (more, rows.last()) {
                (true, Some((_, cursor))) => q.after = Some(cursor.clone()),
                _ => return ids,
            }
        }
    }

    #[test]
    fn every_plan_gives_the_same_pages() {
        let s = street();
        let sorts = [SortKey::Received, SortKey::Deadline, SortKey::Updated];
        let queries = [
            BacklogQuery::default(),
            BacklogQuery {
                community_id: Some("c2".into()),
                ..Default::default()
            },
            BacklogQuery {
                tag: Some("每月一题·供暖".into()),
                kind: Some(TicketKind::Help),
                ..Default::default()
            },
            BacklogQuery {
                category: Some("城市管理".into()),
                grid: Some("c1-02".into()),
                ..Default::default()
            },
            BacklogQuery {
                search: Some("楼道 1".into()),
                received_from: Some("2026-03-01".into()),
                ..Default::default()
            },
        ];
        for q in queries {
            for key in sorts {
                for descending in [true, false] {
                    let q = BacklogQuery {
                        sort: Some(BacklogSort { key, descending }),
                        ..q.clone()
                    };
                    let planner = pages(&s, &q, Plan::Planner);
                    assert!(!planner.is_empty(), "{q:?}");
                    assert_eq!(pages(&s, &q, Plan::WalkOrder), planner, "{q:?}");
                    assert_eq!(pages(&s, &q, Plan::Collect), planner, "{q:?}");
                    if key == SortKey::Received && q.search.is_some() {
                        assert_eq!(pages(&s, &q, Plan::SearchDriven), planner, "{q:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_plan_out_of_time_gives_way_to_the_next() {
        let s = street();
        let view = s.row_view();
        let sql = page_sql(&BacklogQuery::default(), Plan::Planner, view.now_ms, 50).unwrap();
        assert!(s
            .run_page(&sql, view, Some(Duration::ZERO))
            .unwrap()
            .is_none());
        assert_eq!(s.run_page(&sql, view, None).unwrap().unwrap().len(), 51);
        // The handler is gone: the connection works as before.
        assert_eq!(
            s.backlog(&BacklogQuery {
                limit: 10,
                ..Default::default()
            })
            .unwrap()
            .rows
            .len(),
            10
        );
    }

    #[test]
    fn each_plan_asks_sqlite_differently() {
        let q = BacklogQuery {
            tag: Some("每月一题·供暖".into()),
            sort: Some(BacklogSort {
                key: SortKey::Deadline,
                descending: false,
            }),
            ..Default::default()
        };
        let walk = page_sql(&q, Plan::WalkOrder, 0, 50).unwrap().text;
        assert!(walk.contains("INDEXED BY tickets_due") && walk.contains("EXISTS"));
        let collect = page_sql(&q, Plan::Collect, 0, 50).unwrap().text;
        assert!(collect.contains("ORDER BY +t.due_ms ASC") && collect.contains("t.pos IN"));
        let planner = page_sql(&q, Plan::Planner, 0, 50).unwrap().text;
        assert!(planner.contains("ORDER BY t.due_ms ASC"));
    }
}
