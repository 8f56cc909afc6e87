//! Statistics timings: a year's dashboard, each chart drawn to SVG, and, as the raw limit, one
//! plain SQL aggregate over the same tickets (counts and callback sums per community, walking
//! the same range of positions).

use super::{io_err, Stats};
use chrono::Duration as Days;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::time::{Duration, Instant};
use streetdesk_charts::render;
use streetdesk_core::dto::{ChartKind, Lang};
use streetdesk_core::error::ApiResult;
use streetdesk_core::time::{beijing_day_start_ms, now_beijing};
use streetdesk_store::{first_position, Store};

const REPEATS: usize = 11;
const CHART_REPEATS: usize = 20;

/// What the statistics phase measured.
pub(crate) struct StatsBench {
    /// First and last day of the year measured.
    pub(crate) from: String,
    pub(crate) to: String,
    /// Tickets in it.
    pub(crate) tickets: u32,
    /// `Store::dashboard` for the year.
    pub(crate) dashboard: Stats,
    /// One chart to SVG, per kind.
    pub(crate) charts: Vec<(ChartKind, Stats)>,
    /// The plain SQL aggregate.
    pub(crate) raw: Stats,
}

fn times(n: usize, mut f: impl FnMut() -> ApiResult<()>) -> ApiResult<Stats> {
    let mut samples: Vec<Duration> = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        f()?;
        samples.push(t.elapsed());
    }
    Ok(Stats::of(&samples))
}

/// Times the year that ends today.
pub(crate) fn measure(store: &Store, db: &Path) -> ApiResult<StatsBench> {
    let today = now_beijing().date_naive();
    let (from, to) = ((today - Days::days(364)).to_string(), today.to_string());
    let d = store.dashboard(&from, &to)?;
    let dashboard = times(REPEATS, || store.dashboard(&from, &to).map(drop))?;
    let charts = ChartKind::ALL
        .iter()
        .map(|kind| {
            let s = times(CHART_REPEATS, || {
                render(*kind, &d, Lang::ZhCn, (640, 280), false);
                Ok(())
            })?;
            Ok((*kind, s))
        })
        .collect::<ApiResult<Vec<_>>>()?;

    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(io_err)?;
    let start = beijing_day_start_ms(&from).unwrap_or(0);
    let end = beijing_day_start_ms(&to).unwrap_or(0) + 86_400_000;
    let mut stmt = conn
        .prepare(
            "SELECT community_id, COUNT(*), COUNT(callback),
                    SUM(callback ->> '$.contacted'),
                    SUM(callback ->> '$.resolution' = 'resolved'),
                    SUM(callback ->> '$.satisfaction' = 'satisfied'),
                    SUM(replied_ms <= due_ms), AVG(signed_ms - received_ms)
             FROM tickets
             WHERE pos >= ?1 AND pos < ?2 AND merged = 0 AND status <> 'redispatched'
             GROUP BY community_id",
        )
        .map_err(io_err)?;
    let raw = times(REPEATS, || {
        let range = [first_position(start), first_position(end)];
        let rows = stmt
            .query_map(range, |r| r.get::<_, i64>(1))
            .map_err(io_err)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(io_err)?;
        std::hint::black_box(rows);
        Ok(())
    })?;
    Ok(StatsBench {
        from,
        to,
        tickets: d.street.tickets,
        dashboard,
        charts,
        raw,
    })
}
