//! The SQLite store: an append-only event log plus projections (tables the UI queries) that are
//! caches rebuilt from the log. Nothing here UPDATEs a projection except by re-folding events.

mod backlog;
mod deadlines;
mod directory;
mod export;
mod facet_index;
mod facets;
mod figures;
mod filters;
mod governance;
mod import;
mod log;
mod log_codec;
mod memory;
mod outbox;
mod projection;
mod rows;
mod rules;
mod schema;
mod scorecards;
mod search;
mod sync_link;
mod tags;
mod tickets;
mod whistle_log;
mod whistles;

pub use export::ExportedTicket;
pub use outbox::OutboxPage;
pub use streetdesk_core::dto::{Department, DepartmentKind};
pub use sync_link::SyncLink;

use rusqlite::{Connection, OptionalExtension};
use std::path::Path;
use streetdesk_core::dto::Profile;
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_core::{DeviceId, Hlc, HlcClock};

/// File name of the database inside the data directory.
pub const DB_FILE: &str = "streetdesk.sqlite3";

/// The position (primary key) of the first ticket row received at or after `received_ms`:
/// rows are kept in received order, so a period is a range of positions.
pub fn first_position(received_ms: i64) -> i64 {
    projection::first_pos(received_ms)
}

/// A remote clock more than this far ahead of ours is not followed (its events are kept all
/// the same): one laptop days fast must not drag every other device's clock along.
pub const MAX_CLOCK_LEAD_MS: i64 = 60_000;

/// SQLite's page cache, in KiB: small for everyday work, so that the app stays lean with a
/// million tickets (reads past it come from the OS's cache; 32 MB holds what a year's
/// dashboard reads on its connection); large while writing in bulk (imports, rebuilds, demo
/// data), where pages that many batches touch stay in memory.
const EVERYDAY_CACHE_KIB: i64 = 32 * 1024;
const BULK_CACHE_KIB: i64 = 256 * 1024;

/// WAL pages between checkpoints: SQLite's default, and in bulk mode (4 KiB pages: 256 MB).
const DEFAULT_CHECKPOINT_PAGES: u32 = 1000;
const BULK_CHECKPOINT_PAGES: u32 = 65_536;

/// An open store: one connection, this device's identity and its HLC.
pub struct Store {
    conn: Connection,
    clock: HlcClock,
    device: DeviceId,
    actor: String,
    rules: rules::Rules,
    /// Bumped by every write that can change a count; keys the facet cache.
    generation: u64,
    /// Between `set_bulk_mode(true)` and `set_bulk_mode(false)`.
    bulk: bool,
    facet_cache: facets::FacetCache,
    /// Every ticket's filter dimensions, loaded on the first count.
    facet_index: std::cell::RefCell<Option<facet_index::FacetIndex>>,
}

pub(crate) fn storage_err(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::StorageFailed, format!("storage: {e}"))
}

impl Store {
    /// Opens (creating and migrating if needed) the database at `path`.
    pub fn open(path: &Path) -> ApiResult<Store> {
        let conn = Connection::open(path).map_err(storage_err)?;
        Self::with_connection(conn)
    }

    /// A store in memory, for tests.
    pub fn open_in_memory() -> ApiResult<Store> {
        Self::with_connection(Connection::open_in_memory().map_err(storage_err)?)
    }

    fn with_connection(mut conn: Connection) -> ApiResult<Store> {
        // FULL: an acknowledged write survives power loss as well as a killed process.
        conn.execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;
             PRAGMA busy_timeout=5000; PRAGMA temp_store=MEMORY;",
        )
        .map_err(storage_err)?;
        conn.execute_batch(&format!("PRAGMA cache_size=-{EVERYDAY_CACHE_KIB};"))
            .map_err(storage_err)?;
        schema::migrations()
            .to_latest(&mut conn)
            .map_err(storage_err)?;
        let device = match meta_get(&conn, "device_id")? {
            Some(d) => DeviceId(d),
            None => {
                let d = DeviceId::new();
                meta_set(&conn, "device_id", &d.0)?;
                d
            }
        };
        let actor = meta_get(&conn, "actor")?.unwrap_or_else(|| "值班员".to_owned());
        // The newest HLC in the log may come from another device's clock far ahead; resuming
        // from it would stamp every later local event that far ahead too.
        let ceiling = Hlc::new(log::now_ms() + MAX_CLOCK_LEAD_MS, 0);
        let clock = HlcClock::resume_after(log::max_hlc(&conn)?.min(ceiling));
        let rules = rules::Rules::load(&conn)?;
        let mut store = Store {
            conn,
            clock,
            device,
            actor,
            rules,
            generation: 0,
            bulk: false,
            facet_cache: Default::default(),
            facet_index: Default::default(),
        };
        if meta_get(&store.conn, "projection_version")?.as_deref()
            != Some(schema::PROJECTION_VERSION)
        {
            store.rebuild_projections()?;
            meta_set(
                &store.conn,
                "projection_version",
                schema::PROJECTION_VERSION,
            )?;
        }
        Ok(store)
    }

    /// Bulk writing (imports, demo data, catching up after days offline): between `true` and
    /// `false`, the WAL is copied into the database every ~256 MB instead of after every
    /// commit, so pages that several batches touch are copied once. `false` restores the
    /// default and copies what is left, so no later small write pays for the bulk.
    /// Durability is the same either way: every commit is in the WAL on disk.
    pub fn set_bulk_mode(&mut self, on: bool) -> ApiResult<()> {
        self.bulk = on;
        self.size_cache(on)?;
        let pages = if on {
            BULK_CHECKPOINT_PAGES
        } else {
            DEFAULT_CHECKPOINT_PAGES
        };
        self.conn
            .execute_batch(&format!("PRAGMA wal_autocheckpoint = {pages};"))
            .map_err(storage_err)?;
        if !on {
            self.conn
                .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
                .map_err(storage_err)?;
        }
        Ok(())
    }

    /// Runs `f` with the page cache of bulk writing, then gives that memory back (unless bulk
    /// mode is on).
    pub(crate) fn with_bulk_cache<T>(
        &mut self,
        f: impl FnOnce(&mut Store) -> ApiResult<T>,
    ) -> ApiResult<T> {
        self.size_cache(true)?;
        let out = f(self);
        self.size_cache(self.bulk)?;
        out
    }

    pub(crate) fn size_cache(&self, bulk: bool) -> ApiResult<()> {
        let sql = if bulk {
            format!("PRAGMA cache_size=-{BULK_CACHE_KIB};")
        } else {
            // Shrinking the limit keeps the pages already cached; shrink_memory frees them.
            format!("PRAGMA cache_size=-{EVERYDAY_CACHE_KIB}; PRAGMA shrink_memory;")
        };
        self.conn.execute_batch(&sql).map_err(storage_err)
    }

    /// This device's id.
    pub fn device(&self) -> &DeviceId {
        &self.device
    }

    /// The user recorded as actor on new events.
    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// Who uses this installation.
    pub fn profile(&self) -> ApiResult<Profile> {
        Ok(Profile {
            actor: self.actor.clone(),
            unit: meta_get(&self.conn, "unit")?.unwrap_or_default(),
            liaison_department: meta_get(&self.conn, "liaison_department")?
                .filter(|d| !d.is_empty()),
        })
    }

    /// Sets who uses this installation; the name must not be blank.
    pub fn set_profile(&mut self, profile: &Profile) -> ApiResult<Profile> {
        let actor = profile.actor.trim();
        if actor.is_empty() || actor.chars().count() > 40 {
            return Err(ApiError::new(
                ErrorCode::ProfileNameInvalid,
                "the user's name has 1 to 40 characters",
            ));
        }
        let liaison = profile
            .liaison_department
            .as_deref()
            .map(str::trim)
            .unwrap_or_default();
        if !liaison.is_empty() && !self.departments()?.iter().any(|d| d.id == liaison) {
            return Err(ApiError::new(
                ErrorCode::WhistleDepartmentUnknown,
                "the liaison's department is not in the directory",
            ));
        }
        meta_set(&self.conn, "liaison_department", liaison)?;
        meta_set(&self.conn, "actor", actor)?;
        meta_set(&self.conn, "unit", profile.unit.trim())?;
        self.actor = actor.to_owned();
        self.profile()
    }

    /// Name of the street office this database belongs to.
    pub fn street_name(&self) -> ApiResult<Option<String>> {
        meta_get(&self.conn, "street_name")
    }

    /// Sets the street office's name.
    pub fn set_street_name(&self, name: &str) -> ApiResult<()> {
        meta_set(&self.conn, "street_name", name)
    }

    /// Refreshes the query planner's statistics (about five seconds at a million tickets);
    /// bulk loaders call it after loading.
    pub fn optimize(&self) -> ApiResult<()> {
        self.conn
            .execute_batch("PRAGMA analysis_limit = 0; ANALYZE; PRAGMA optimize;")
            .map_err(storage_err)
    }

    /// Runs `PRAGMA integrity_check`; `Ok(())` means the file is sound.
    pub fn integrity_check(&self) -> ApiResult<()> {
        let result: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(storage_err)?;
        if result == "ok" {
            Ok(())
        } else {
            Err(storage_err(format!("integrity check: {result}")))
        }
    }
}

/// The first column of every row a query returns, as text.
pub(crate) fn column_of(conn: &Connection, sql: &str) -> ApiResult<Vec<String>> {
    let mut stmt = conn.prepare(sql).map_err(storage_err)?;
    let rows = stmt
        .query_map([], |r| r.get(0))
        .map_err(storage_err)?
        .collect::<Result<_, _>>()
        .map_err(storage_err);
    rows
}

/// A street setting (a JSON value in `settings`), or its default when never saved.
pub(crate) fn setting<T: serde::de::DeserializeOwned + Default>(
    conn: &Connection,
    key: &str,
) -> ApiResult<T> {
    conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
        r.get::<_, String>(0)
    })
    .optional()
    .map_err(storage_err)?
    .map_or(Ok(T::default()), |json| {
        serde_json::from_str(&json).map_err(storage_err)
    })
}

/// Saves a street setting as JSON.
pub(crate) fn set_setting<T: serde::Serialize>(
    conn: &Connection,
    key: &str,
    value: &T,
) -> ApiResult<()> {
    let json = serde_json::to_string(value).map_err(storage_err)?;
    conn.execute(
        "INSERT INTO settings(key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, json.as_str()],
    )
    .map(|_| ())
    .map_err(storage_err)
}

fn meta_get(conn: &Connection, key: &str) -> ApiResult<Option<String>> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()
        .map_err(storage_err)
}

fn meta_set(conn: &Connection, key: &str, value: &str) -> ApiResult<()> {
    conn.execute(
        "INSERT INTO meta(key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )
    .map(|_| ())
    .map_err(storage_err)
}
