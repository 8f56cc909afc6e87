//! Deadline columns of the projection: the due instant and, while the clock runs, the instants
//! it turns yellow and red. They depend on the ticket and on the rules (policies, calendar),
//! so a change of rules recomputes them for every row from the row's own inputs, without
//! re-folding the log.

use crate::rows::parse_enum;
use crate::rules::Rules;
use crate::storage_err;
use rusqlite::{params, Connection};
use streetdesk_core::error::ApiResult;
use streetdesk_core::policy::{self, Urgency};
use streetdesk_core::time::from_unix_ms;

/// What a ticket's deadline is computed from; all instants in Unix ms.
pub(crate) struct DeadlineInputs {
    pub(crate) received_ms: i64,
    pub(crate) urgency: Urgency,
    pub(crate) printed_ms: Option<i64>,
    pub(crate) extended_ms: Option<i64>,
    pub(crate) running: bool,
}

/// The projection's deadline columns.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct DeadlineColumns {
    pub(crate) due_ms: i64,
    pub(crate) open_due_ms: Option<i64>,
    pub(crate) open_yellow_ms: Option<i64>,
}

/// Computes the columns under `rules`.
pub(crate) fn columns(rules: &Rules, d: &DeadlineInputs) -> DeadlineColumns {
    let due_ms = rules
        .policies
        .deadline(
            from_unix_ms(d.received_ms),
            d.urgency,
            d.printed_ms.map(from_unix_ms),
            d.extended_ms.map(from_unix_ms),
            &rules.calendar,
        )
        .timestamp_millis();
    let yellow = policy::yellow_from(d.received_ms, due_ms, rules.policies.yellow_at);
    DeadlineColumns {
        due_ms,
        open_due_ms: d.running.then_some(due_ms),
        open_yellow_ms: d.running.then_some(yellow),
    }
}

/// Recomputes every row's deadline columns under `rules`, writing only the rows that change.
/// Returns how many changed.
pub(crate) fn recompute_all(conn: &Connection, rules: &Rules) -> ApiResult<usize> {
    let mut read = conn
        .prepare(
            "SELECT pos, received_ms, urgency, printed_ms, extended_ms, open_due_ms IS NOT NULL,
                due_ms, open_due_ms, open_yellow_ms FROM tickets",
        )
        .map_err(storage_err)?;
    let mut write = conn
        .prepare(
            "UPDATE tickets SET due_ms = ?2, open_due_ms = ?3, open_yellow_ms = ?4
             WHERE pos = ?1",
        )
        .map_err(storage_err)?;
    let mut rows = read.query([]).map_err(storage_err)?;
    let mut changed = 0;
    while let Some(r) = rows.next().map_err(storage_err)? {
        let inputs = DeadlineInputs {
            received_ms: r.get(1).map_err(storage_err)?,
            urgency: parse_enum(2, r.get(2).map_err(storage_err)?).map_err(storage_err)?,
            printed_ms: r.get(3).map_err(storage_err)?,
            extended_ms: r.get(4).map_err(storage_err)?,
            running: r.get(5).map_err(storage_err)?,
        };
        let now = DeadlineColumns {
            due_ms: r.get(6).map_err(storage_err)?,
            open_due_ms: r.get(7).map_err(storage_err)?,
            open_yellow_ms: r.get(8).map_err(storage_err)?,
        };
        let new = columns(rules, &inputs);
        if new != now {
            let pos: i64 = r.get(0).map_err(storage_err)?;
            write
                .execute(params![
                    pos,
                    new.due_ms,
                    new.open_due_ms,
                    new.open_yellow_ms
                ])
                .map_err(storage_err)?;
            changed += 1;
        }
    }
    Ok(changed)
}
