//! The read side of the ledger: a device's feed, and the checks of its position in it.

use super::{db_err, Device, Ledger};
use rusqlite::{params, OptionalExtension};
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_core::LogEvent;
use streetdesk_sync::protocol::{OwnHeld, PullPage, Role, MAX_BATCH};

impl Ledger {
    /// The id of the event at position `at` of the device's feed, if there is one.
    fn id_at(&self, device: &Device, at: u64) -> ApiResult<Option<String>> {
        let found = match &device.role {
            Role::Office => {
                self.conn
                    .query_row("SELECT id FROM events WHERE seq = ?1", [at as i64], |r| {
                        r.get(0)
                    })
            }
            Role::Liaison { department } => self.conn.query_row(
                "SELECT e.id FROM feed f JOIN events e ON e.seq = f.seq
                 WHERE f.department = ?1 AND f.n = ?2",
                params![department, at as i64],
                |r| r.get(0),
            ),
        };
        found.optional().map_err(db_err)
    }

    /// Checks that position `after` of the device's feed still holds event `after_id` (as
    /// when the device pulled it), and whether the hub holds event `anchor` (the newest the
    /// device had acknowledged). A hub restored from an older backup fails one or the other:
    /// it numbers events anew, and it lost what came after the backup.
    pub fn check_position(
        &self,
        device: &Device,
        after: u64,
        after_id: Option<&str>,
        anchor: Option<&str>,
    ) -> ApiResult<()> {
        let moved = || {
            ApiError::new(
                ErrorCode::SyncCursorUnknown,
                "the hub no longer holds this device's position: push and pull everything again",
            )
        };
        if let Some(expected) = after_id {
            if after > 0 && self.id_at(device, after)?.as_deref() != Some(expected) {
                return Err(moved());
            }
        }
        if let Some(anchor) = anchor {
            let held = self
                .conn
                .prepare_cached("SELECT 1 FROM events WHERE id = ?1")
                .and_then(|mut s| s.exists([anchor]))
                .map_err(db_err)?;
            if !held {
                return Err(moved());
            }
        }
        Ok(())
    }

    /// The device's feed after cursor `after`, at most `limit` events, leaving out the
    /// device's own events that `own` says it holds (and it pushed itself: a copy another
    /// device relayed after a restore may be one it lost).
    pub fn pull(
        &self,
        device: &Device,
        after: u64,
        limit: usize,
        own: &OwnHeld,
    ) -> ApiResult<PullPage> {
        let limit = limit.clamp(1, MAX_BATCH);
        let own_seq = |id: Option<&str>| -> ApiResult<Option<i64>> {
            let Some(id) = id else { return Ok(None) };
            self.conn
                .prepare_cached("SELECT seq FROM events WHERE id = ?1 AND pushed_by = ?2")
                .and_then(|mut s| s.query_row(params![id, device.id], |r| r.get(0)).optional())
                .map_err(db_err)
        };
        let through = own_seq(own.own_through.as_deref())?.unwrap_or(0);
        let since = own_seq(own.own_since.as_deref())?.unwrap_or(i64::MAX);
        let (sql, high_sql, department) = match &device.role {
            Role::Office => (
                "SELECT seq, seq, id, device, pushed_by, body FROM events
                 WHERE seq > ?1 ORDER BY seq LIMIT ?2",
                "SELECT COALESCE(MAX(seq), 0) FROM events",
                None,
            ),
            Role::Liaison { department } => (
                "SELECT f.n, e.seq, e.id, e.device, e.pushed_by, e.body
                 FROM feed f JOIN events e ON e.seq = f.seq
                 WHERE f.department = ?3 AND f.n > ?1 ORDER BY f.n LIMIT ?2",
                "SELECT COALESCE(MAX(n), 0) FROM feed WHERE department = ?1",
                Some(department.as_str()),
            ),
        };
        let mut stmt = self.conn.prepare_cached(sql).map_err(db_err)?;
        let mut rows = match department {
            None => stmt.query(params![after as i64, limit as i64 + 1]),
            Some(d) => stmt.query(params![after as i64, limit as i64 + 1, d]),
        }
        .map_err(db_err)?;
        let mut events = Vec::new();
        let (mut cursor, mut cursor_id) = (after, None);
        let mut scanned = 0;
        let mut more = false;
        while let Some(r) = rows.next().map_err(db_err)? {
            if scanned == limit {
                more = true;
                break;
            }
            scanned += 1;
            cursor = r.get::<_, i64>(0).map_err(db_err)? as u64;
            let id: String = r.get(2).map_err(db_err)?;
            let seq: i64 = r.get(1).map_err(db_err)?;
            let author = r.get_ref(3).map_err(db_err)?.as_str().map_err(db_err)?;
            let pusher = r.get_ref(4).map_err(db_err)?.as_str().map_err(db_err)?;
            if author == device.id && pusher == device.id && (seq <= through || seq >= since) {
                cursor_id = Some(id);
                continue;
            }
            let body = r.get_ref(5).map_err(db_err)?.as_str().map_err(db_err)?;
            events.push(serde_json::from_str::<LogEvent>(body).map_err(db_err)?);
            cursor_id = Some(id);
        }
        let high: i64 = match department {
            None => self.conn.query_row(high_sql, [], |r| r.get(0)),
            Some(d) => self.conn.query_row(high_sql, [d], |r| r.get(0)),
        }
        .map_err(db_err)?;
        Ok(PullPage {
            events,
            cursor,
            cursor_id,
            more,
            high: high as u64,
        })
    }

    /// The office feed's newest cursor.
    pub fn newest_seq(&self) -> ApiResult<u64> {
        self.conn
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM events", [], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n as u64)
            .map_err(db_err)
    }

    /// The newest cursor of the device's feed.
    pub fn high(&self, device: &Device) -> ApiResult<u64> {
        Ok(self
            .pull(device, u64::MAX >> 1, 1, &OwnHeld::default())?
            .high)
    }
}
