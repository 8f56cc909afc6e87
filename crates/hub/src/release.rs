//! Steps kept aside for being out of scope that come into scope later.
//!
//! A liaison's step is out of scope when the hub does not know of the summons it answers. That
//! is forgery, or a hub restored from an older backup that the liaison reached before the office
//! PC that pushes the summons again. Either way the step waits in quarantine, never applied;
//! once the summons arrives, the step is checked again as its device would be, and taken if it
//! now may be written, so that every device converges on the same history.

use crate::ledger::{db_err, role_from, store_event, Device};
use crate::scope;
use rusqlite::{params, OptionalExtension, Transaction};
use streetdesk_core::error::{ApiResult, ErrorCode};
use streetdesk_core::LogEvent;

/// Re-checks the out-of-scope events quarantined for whistle `stream`, after one of its events
/// was stored; takes those that are now in scope, as if pushed now.
pub(crate) fn release_in_scope(tx: &Transaction<'_>, stream: &str, now_ms: i64) -> ApiResult<()> {
    let reason = streetdesk_core::wire::wire_name(&ErrorCode::SyncScopeForbidden);
    let waiting: Vec<(i64, String, String)> = {
        let mut stmt = tx
            .prepare_cached(
                "SELECT n, device, body FROM quarantine WHERE reason = ?1 AND stream = ?2
                 ORDER BY n",
            )
            .map_err(db_err)?;
        let rows = stmt
            .query_map(params![reason, stream], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .map_err(db_err)?
            .collect::<Result<_, _>>()
            .map_err(db_err)?;
        rows
    };
    for (n, device_id, body) in waiting {
        let Ok(event) = serde_json::from_str::<LogEvent>(&body) else {
            continue;
        };
        if event.stream() != stream || held(tx, &event.id().0)? {
            continue;
        }
        let Some(device) = enrolled(tx, &device_id)? else {
            continue;
        };
        if scope::may_write(tx, &device, &event)? {
            tx.execute("DELETE FROM quarantine WHERE n = ?1", [n])
                .map_err(db_err)?;
            store_event(tx, &device.id, &event, &body, now_ms)?;
        }
    }
    Ok(())
}

fn held(tx: &Transaction<'_>, id: &str) -> ApiResult<bool> {
    tx.prepare_cached("SELECT 1 FROM events WHERE id = ?1")
        .and_then(|mut s| s.exists([id]))
        .map_err(db_err)
}

/// The device, unless it was revoked: a revoked device's steps stay where they are.
fn enrolled(tx: &Transaction<'_>, id: &str) -> ApiResult<Option<Device>> {
    tx.prepare_cached("SELECT role, department FROM devices WHERE id = ?1 AND revoked_ms IS NULL")
        .and_then(|mut s| {
            s.query_row(params![id], |r| {
                Ok(Device {
                    id: id.to_owned(),
                    role: role_from(&r.get::<_, String>(0)?, r.get(1)?),
                })
            })
            .optional()
        })
        .map_err(db_err)
}
