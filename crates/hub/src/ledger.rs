//! The hub's ledger: every event any device pushed, once, in commit order; who may push and
//! pull; and what was kept aside. All of it in one SQLite file with one writer.

use crate::scope;
use crate::secret::{code_hash, hash, new_code, new_token};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use std::path::Path;
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_core::{DeviceId, LogEvent};
use streetdesk_sync::protocol::{EnrolRequest, Enrolled, Outcome, PushResult, Role, MAX_BATCH};

mod feed;

/// An authenticated device.
#[derive(Clone, Debug, PartialEq)]
pub struct Device {
    /// Its id, which its events carry.
    pub id: String,
    /// What it may see and write.
    pub role: Role,
}

/// A device as an administrator lists it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct DeviceRow {
    /// Id.
    pub id: String,
    /// Name given at enrolment.
    pub name: String,
    /// What it may see and write.
    pub role: Role,
    /// When it was revoked, if it was (Unix ms).
    pub revoked_ms: Option<i64>,
}

/// An event kept aside, as an administrator lists it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct QuarantineRow {
    /// The device that pushed it.
    pub device: String,
    /// The event's id, when it could be read.
    pub event_id: Option<String>,
    /// Why it was kept aside (`sync.*` code).
    pub reason: String,
    /// The event as pushed.
    pub body: String,
}

pub(crate) fn db_err(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::StorageFailed, format!("hub storage: {e}"))
}

fn role_parts(role: &Role) -> (&'static str, Option<&str>) {
    match role {
        Role::Office => ("office", None),
        Role::Liaison { department } => ("liaison", Some(department)),
    }
}

pub(crate) fn role_from(kind: &str, department: Option<String>) -> Role {
    match (kind, department) {
        ("liaison", Some(department)) => Role::Liaison { department },
        _ => Role::Office,
    }
}

/// The hub's database.
pub struct Ledger {
    conn: Connection,
}

impl Ledger {
    /// Opens (creating and migrating if needed) the ledger at `path`.
    pub fn open(path: &Path) -> ApiResult<Ledger> {
        let mut conn = Connection::open(path).map_err(db_err)?;
        // FULL: an event the hub acknowledged survives power loss, not only a killed process.
        conn.execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;",
        )
        .map_err(db_err)?;
        crate::schema::migrations()
            .to_latest(&mut conn)
            .map_err(db_err)?;
        let ledger = Ledger { conn };
        if ledger.meta("hub_id")?.is_none() {
            ledger.set_meta("hub_id", &uuid::Uuid::now_v7().to_string())?;
        }
        Ok(ledger)
    }

    fn meta(&self, key: &str) -> ApiResult<Option<String>> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(db_err)
    }

    fn set_meta(&self, key: &str, value: &str) -> ApiResult<()> {
        self.conn
            .execute(
                "INSERT INTO meta(key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )
            .map(|_| ())
            .map_err(db_err)
    }

    /// The hub's identity.
    pub fn hub_id(&self) -> ApiResult<String> {
        Ok(self.meta("hub_id")?.unwrap_or_default())
    }

    /// Creates a one-time enrolment code for a device with this name and role, valid until
    /// `expires_ms`. Returns the code; only its hash is kept.
    pub fn create_code(&mut self, name: &str, role: &Role, expires_ms: i64) -> ApiResult<String> {
        let code = new_code();
        let (kind, department) = role_parts(role);
        self.conn
            .execute(
                "INSERT INTO codes(code_hash, name, role, department, expires_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![code_hash(&code), name, kind, department, expires_ms],
            )
            .map_err(db_err)?;
        Ok(code)
    }

    /// Exchanges a one-time code for a device token.
    pub fn enrol(&mut self, request: &EnrolRequest, now_ms: i64) -> ApiResult<Enrolled> {
        let refused = || ApiError::new(ErrorCode::SyncCodeInvalid, "unknown, used or expired code");
        if request.device.0.trim().is_empty() {
            return Err(ApiError::new(
                ErrorCode::SyncMalformed,
                "the device id is empty",
            ));
        }
        let tx = self.conn.transaction().map_err(db_err)?;
        let hashed = code_hash(&request.code);
        let (kind, department, expires_ms, used_by): (String, Option<String>, i64, Option<String>) =
            tx.query_row(
                "SELECT role, department, expires_ms, used_by FROM codes WHERE code_hash = ?1",
                [&hashed],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()
            .map_err(db_err)?
            .ok_or_else(refused)?;
        if used_by.is_some() || expires_ms < now_ms {
            return Err(refused());
        }
        // A device enrolled before may enrol again with a fresh code (it was unlinked, its
        // hub moved, or the answer to its first enrolment was lost): its token is replaced.
        // A revoked device stays out.
        let revoked: Option<Option<i64>> = tx
            .query_row(
                "SELECT revoked_ms FROM devices WHERE id = ?1",
                [&request.device.0],
                |r| r.get(0),
            )
            .optional()
            .map_err(db_err)?;
        if let Some(Some(_)) = revoked {
            return Err(ApiError::new(
                ErrorCode::SyncCodeInvalid,
                "this device was revoked",
            ));
        }
        let token = new_token();
        tx.execute(
            "INSERT INTO devices(id, name, role, department, token_hash, enrolled_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(id) DO UPDATE SET name = excluded.name, role = excluded.role,
                 department = excluded.department, token_hash = excluded.token_hash,
                 enrolled_ms = excluded.enrolled_ms",
            params![
                request.device.0,
                request.name,
                kind,
                department,
                hash(&token),
                now_ms
            ],
        )
        .map_err(db_err)?;
        tx.execute(
            "UPDATE codes SET used_by = ?1 WHERE code_hash = ?2",
            params![request.device.0, hashed],
        )
        .map_err(db_err)?;
        tx.commit().map_err(db_err)?;
        Ok(Enrolled {
            token,
            role: role_from(&kind, department),
        })
    }

    /// The device a bearer token belongs to, unless it is unknown or revoked.
    pub fn authenticate(&self, token: &str) -> ApiResult<Device> {
        let row: Option<(String, String, Option<String>, Option<i64>)> = self
            .conn
            .prepare_cached(
                "SELECT id, role, department, revoked_ms FROM devices WHERE token_hash = ?1",
            )
            .and_then(|mut s| {
                s.query_row([hash(token)], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })
                .optional()
            })
            .map_err(db_err)?;
        match row {
            Some((id, kind, department, None)) => Ok(Device {
                id,
                role: role_from(&kind, department),
            }),
            _ => Err(ApiError::new(
                ErrorCode::SyncUnauthorized,
                "unknown or revoked device token",
            )),
        }
    }

    /// Revokes a device: its token stops working at once. Returns whether it was enrolled.
    pub fn revoke(&mut self, device: &str, now_ms: i64) -> ApiResult<bool> {
        self.conn
            .execute(
                "UPDATE devices SET revoked_ms = ?2 WHERE id = ?1 AND revoked_ms IS NULL",
                params![device, now_ms],
            )
            .map(|n| n > 0)
            .map_err(db_err)
    }

    /// Every enrolled device.
    pub fn devices(&self) -> ApiResult<Vec<DeviceRow>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, name, role, department, revoked_ms FROM devices ORDER BY enrolled_ms",
            )
            .map_err(db_err)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(DeviceRow {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    role: role_from(&r.get::<_, String>(2)?, r.get(3)?),
                    revoked_ms: r.get(4)?,
                })
            })
            .map_err(db_err)?
            .collect::<Result<_, _>>()
            .map_err(db_err);
        rows
    }

    /// Every event kept aside, oldest first.
    pub fn quarantined(&self) -> ApiResult<Vec<QuarantineRow>> {
        let mut stmt = self
            .conn
            .prepare("SELECT device, event_id, reason, body FROM quarantine ORDER BY n")
            .map_err(db_err)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(QuarantineRow {
                    device: r.get(0)?,
                    event_id: r.get(1)?,
                    reason: r.get(2)?,
                    body: r.get(3)?,
                })
            })
            .map_err(db_err)?
            .collect::<Result<_, _>>()
            .map_err(db_err);
        rows
    }

    /// Takes a batch of events from `device`: each is stored, found already stored, kept
    /// aside or rejected, on its own; the accepted ones are durable when this returns.
    pub fn push(
        &mut self,
        device: &Device,
        events: &[serde_json::Value],
        now_ms: i64,
    ) -> ApiResult<Vec<PushResult>> {
        if events.len() > MAX_BATCH {
            return Err(ApiError::new(
                ErrorCode::SyncMalformed,
                format!("a push holds at most {MAX_BATCH} events"),
            ));
        }
        let tx = self.conn.transaction().map_err(db_err)?;
        let mut results = Vec::with_capacity(events.len());
        for value in events {
            results.push(take(&tx, device, value, now_ms)?);
        }
        tx.commit().map_err(db_err)?;
        Ok(results)
    }
}

fn outcome(id: Option<&str>, outcome: Outcome, reason: Option<ErrorCode>) -> PushResult {
    PushResult {
        id: id.map(|i| streetdesk_core::EventId(i.to_owned())),
        outcome,
        reason: reason.map(|c| streetdesk_core::wire::wire_name(&c)),
    }
}

fn quarantine(
    tx: &Transaction<'_>,
    device: &Device,
    id: Option<&str>,
    stream: Option<&str>,
    reason: ErrorCode,
    body: &str,
    now_ms: i64,
) -> ApiResult<PushResult> {
    tx.execute(
        "INSERT INTO quarantine(device, event_id, reason, body, received_ms, stream)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            device.id,
            id,
            streetdesk_core::wire::wire_name(&reason),
            body,
            now_ms,
            stream
        ],
    )
    .map_err(db_err)?;
    Ok(outcome(id, Outcome::Quarantined, Some(reason)))
}

/// Stores an event the hub accepts, pushed by device `pushed_by`, and files it into the feeds.
pub(crate) fn store_event(
    tx: &Transaction<'_>,
    pushed_by: &str,
    event: &LogEvent,
    body: &str,
    now_ms: i64,
) -> ApiResult<()> {
    let (log, stream) = match event {
        LogEvent::Ticket(e) => ("ticket", &e.ticket_id.0),
        LogEvent::Whistle(e) => ("whistle", &e.whistle_id.0),
    };
    tx.prepare_cached(
        "INSERT INTO events(id, log, stream, device, body, pushed_by, received_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .and_then(|mut s| {
        s.execute(params![
            event.id().0,
            log,
            stream,
            event.device().0,
            body,
            pushed_by,
            now_ms
        ])
    })
    .map_err(db_err)?;
    scope::file(tx, tx.last_insert_rowid(), event)
}

/// Whether `device` may push an event written by `author`: its own, or, from an office
/// device, one it relays for another enrolled device (after a hub restore, devices push again
/// everything the hub lost, whoever wrote it).
fn may_relay(tx: &Transaction<'_>, device: &Device, author: &DeviceId) -> ApiResult<bool> {
    if author.0 == device.id {
        return Ok(true);
    }
    if device.role != Role::Office {
        return Ok(false);
    }
    tx.prepare_cached("SELECT 1 FROM devices WHERE id = ?1")
        .and_then(|mut s| s.exists([&author.0]))
        .map_err(db_err)
}

/// Takes one pushed event.
fn take(
    tx: &Transaction<'_>,
    device: &Device,
    value: &serde_json::Value,
    now_ms: i64,
) -> ApiResult<PushResult> {
    let raw_id = value.get("id").and_then(|v| v.as_str());
    let event: LogEvent = match serde::Deserialize::deserialize(value) {
        Ok(e) => e,
        Err(_) => {
            return Ok(outcome(
                raw_id,
                Outcome::Rejected,
                Some(ErrorCode::SyncMalformed),
            ))
        }
    };
    let id = event.id().0.as_str();
    if id.trim().is_empty() || event.stream().trim().is_empty() {
        return Ok(outcome(
            raw_id,
            Outcome::Rejected,
            Some(ErrorCode::SyncMalformed),
        ));
    }
    // Re-serialised, so that two copies compare equal whatever their key order or spacing.
    let body = serde_json::to_string(&event).map_err(db_err)?;
    let stored: Option<String> = tx
        .prepare_cached("SELECT body FROM events WHERE id = ?1")
        .and_then(|mut s| s.query_row([id], |r| r.get(0)).optional())
        .map_err(db_err)?;
    // An identical copy changes nothing, whoever sends it: devices push again what they
    // pulled after a restore, or when a local write landed during a round.
    if stored.as_deref() == Some(body.as_str()) {
        return Ok(outcome(Some(id), Outcome::Duplicate, None));
    }
    if !may_relay(tx, device, event.device())? {
        return quarantine(
            tx,
            device,
            Some(id),
            Some(event.stream()),
            ErrorCode::SyncDeviceSpoofed,
            &body,
            now_ms,
        );
    }
    if !scope::may_write(tx, device, &event)? {
        return quarantine(
            tx,
            device,
            Some(id),
            Some(event.stream()),
            ErrorCode::SyncScopeForbidden,
            &body,
            now_ms,
        );
    }
    match stored {
        Some(_) => quarantine(
            tx,
            device,
            Some(id),
            Some(event.stream()),
            ErrorCode::SyncEventConflict,
            &body,
            now_ms,
        ),
        None => {
            store_event(tx, &device.id, &event, &body, now_ms)?;
            if let LogEvent::Whistle(w) = &event {
                crate::release::release_in_scope(tx, &w.whistle_id.0, now_ms)?;
            }
            Ok(outcome(Some(id), Outcome::Accepted, None))
        }
    }
}
