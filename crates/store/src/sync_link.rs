//! This device's link to a hub (address, token, role, trusted certificate) and the events
//! the hub refused, kept so that an officer can see them.
//!
//! The token lives in the database beside the data it guards: whoever can read the file can
//! read the tickets anyway, and a stolen token is revoked on the hub.

use crate::{meta_get, meta_set, storage_err, Store};
use streetdesk_core::dto::SyncRefusal;
use streetdesk_core::error::ApiResult;

const URL: &str = "sync_link_url";
const TOKEN: &str = "sync_link_token";
const DEPARTMENT: &str = "sync_link_department";
const CERTIFICATE: &str = "sync_link_certificate";

/// How this device reaches its hub.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncLink {
    /// The hub's base address.
    pub hub_url: String,
    /// The bearer token the hub issued at enrolment.
    pub token: String,
    /// The department of a liaison's device; `None` for the street's own devices.
    pub department: Option<String>,
    /// A certificate (PEM) to trust for the hub, when it is self-signed.
    pub certificate_pem: Option<String>,
}

impl Store {
    /// The link to a hub, if this device has enrolled.
    pub fn sync_link(&self) -> ApiResult<Option<SyncLink>> {
        let (Some(hub_url), Some(token)) =
            (meta_get(&self.conn, URL)?, meta_get(&self.conn, TOKEN)?)
        else {
            return Ok(None);
        };
        Ok(Some(SyncLink {
            hub_url,
            token,
            department: meta_get(&self.conn, DEPARTMENT)?,
            certificate_pem: meta_get(&self.conn, CERTIFICATE)?,
        }))
    }

    /// Saves the link made at enrolment, replacing any earlier one.
    pub fn set_sync_link(&mut self, link: &SyncLink) -> ApiResult<()> {
        let tx = self.conn.transaction().map_err(storage_err)?;
        clear(&tx)?;
        meta_set(&tx, URL, &link.hub_url)?;
        meta_set(&tx, TOKEN, &link.token)?;
        if let Some(d) = &link.department {
            meta_set(&tx, DEPARTMENT, d)?;
        }
        if let Some(pem) = &link.certificate_pem {
            meta_set(&tx, CERTIFICATE, pem)?;
        }
        tx.commit().map_err(storage_err)
    }

    /// Forgets the link; the outbox keeps every event for whichever hub comes next.
    pub fn clear_sync_link(&mut self) -> ApiResult<()> {
        clear(&self.conn)
    }

    /// Remembers events the hub refused (id, reason code), answered at `at_ms`.
    pub fn record_refusals(&mut self, refused: &[(String, String)], at_ms: i64) -> ApiResult<()> {
        let tx = self.conn.transaction().map_err(storage_err)?;
        {
            let mut insert = tx
                .prepare(
                    "INSERT INTO sync_refusals(event_id, reason, at_ms) VALUES (?1, ?2, ?3)
                     ON CONFLICT(event_id) DO UPDATE SET reason = excluded.reason,
                                                         at_ms = excluded.at_ms",
                )
                .map_err(storage_err)?;
            for (id, reason) in refused {
                insert
                    .execute(rusqlite::params![id, reason, at_ms])
                    .map_err(storage_err)?;
            }
        }
        tx.commit().map_err(storage_err)
    }

    /// The events the hub refused, newest first.
    pub fn sync_refusals(&self) -> ApiResult<Vec<SyncRefusal>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT event_id, reason, at_ms FROM sync_refusals ORDER BY at_ms DESC, event_id",
            )
            .map_err(storage_err)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(SyncRefusal {
                    event_id: r.get(0)?,
                    reason: r.get(1)?,
                    at_ms: r.get(2)?,
                })
            })
            .map_err(storage_err)?
            .collect::<Result<_, _>>()
            .map_err(storage_err);
        rows
    }
}

fn clear(conn: &rusqlite::Connection) -> ApiResult<()> {
    conn.execute(
        "DELETE FROM meta WHERE key IN (?1, ?2, ?3, ?4)",
        [URL, TOKEN, DEPARTMENT, CERTIFICATE],
    )
    .map(|_| ())
    .map_err(storage_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_is_saved_replaced_and_forgotten() {
        let mut store = Store::open_in_memory().unwrap();
        assert_eq!(store.sync_link().unwrap(), None);
        let liaison = SyncLink {
            hub_url: "https://hub.example:8730".into(),
            token: "t1".into(),
            department: Some("dept-cg".into()),
            certificate_pem: Some("-----BEGIN CERTIFICATE-----".into()),
        };
        store.set_sync_link(&liaison).unwrap();
        assert_eq!(store.sync_link().unwrap().as_ref(), Some(&liaison));
        // A new enrolment as an office PC leaves nothing of the liaison's link behind.
        let office = SyncLink {
            hub_url: "http://10.0.0.2:8730".into(),
            token: "t2".into(),
            department: None,
            certificate_pem: None,
        };
        store.set_sync_link(&office).unwrap();
        assert_eq!(store.sync_link().unwrap().as_ref(), Some(&office));
        store.clear_sync_link().unwrap();
        assert_eq!(store.sync_link().unwrap(), None);
    }

    #[test]
    fn refusals_are_kept_once_each_newest_first() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .record_refusals(&[("e1".into(), "sync.scope.forbidden".into())], 10)
            .unwrap();
        store
            .record_refusals(
                &[
                    ("e2".into(), "sync.event.conflict".into()),
                    ("e1".into(), "sync.scope.forbidden".into()),
                ],
                20,
            )
            .unwrap();
        let r = store.sync_refusals().unwrap();
        assert_eq!(
            r.iter()
                .map(|r| (r.event_id.as_str(), r.at_ms))
                .collect::<Vec<_>>(),
            [("e1", 20), ("e2", 20)]
        );
        assert_eq!(r[1].reason, "sync.event.conflict");
    }
}
