//! A real hub process and real client stores on disk, for the sync tests.
// Each test file uses a different part of this module.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use streetdesk_core::time::now_beijing;
use streetdesk_core::TicketId;
use streetdesk_demo::{populate_until, DemoOptions};
use streetdesk_store::{Store, SyncLink, DB_FILE};
use streetdesk_sync::client::HubClient;
use streetdesk_sync::cycle::{sync_once, SyncReport};

/// The hub binary this package builds.
pub fn hub_binary() -> &'static str {
    env!("CARGO_BIN_EXE_streetdesk-hub")
}

/// A running `streetdesk-hub serve`, killed on drop.
pub struct Hub {
    child: Child,
    /// Its base URL.
    pub url: String,
    /// Its database file.
    pub db: PathBuf,
}

impl Hub {
    /// Starts a hub on a free loopback port over the database `db`.
    pub fn start(db: &Path) -> Hub {
        Hub::start_with(db, &["--listen", "127.0.0.1:0"])
    }

    /// Starts a hub over `db` with these `serve` options.
    pub fn start_with(db: &Path, serve: &[&str]) -> Hub {
        let mut child = Command::new(hub_binary())
            .args(["--db", db.to_str().unwrap(), "serve"])
            .args(serve)
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the hub");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_owned();
        Hub {
            child,
            url,
            db: db.to_owned(),
        }
    }

    /// Runs an administration subcommand on the hub's database; returns what it printed.
    pub fn admin(&self, args: &[&str]) -> String {
        let out = Command::new(hub_binary())
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// A one-time enrolment code (a liaison's when `department` is given).
    pub fn code(&self, name: &str, department: Option<&str>) -> String {
        let mut args = vec!["code", "--name", name];
        if let Some(d) = department {
            args.extend(["--department", d]);
        }
        self.admin(&args).trim().to_owned()
    }

    /// Whether the process is still running.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The address it listens on, `host:port`.
    pub fn addr(&self) -> &str {
        self.url.split_once("://").map_or(&self.url, |(_, a)| a)
    }

    /// Kills the process at once (SIGKILL).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A device: a store on disk and its client of the hub.
pub struct Device {
    /// The store, shared as the app shares it.
    pub store: Mutex<Store>,
    /// Its client, once enrolled.
    pub client: HubClient,
    /// Its token.
    pub token: String,
    _dir: tempfile::TempDir,
}

impl Device {
    /// A new device enrolled at `hub` with a fresh code.
    pub async fn enrol(hub: &Hub, name: &str, department: Option<&str>) -> Device {
        let dir = tempfile::tempdir().unwrap();
        let mut store = street_store(&dir.path().join(DB_FILE), 0, 0);
        let code = hub.code(name, department);
        let enrolled = HubClient::new(&hub.url, None)
            .unwrap()
            .enrol(&code, store.device(), name)
            .await
            .unwrap();
        // Kept in the store as the app keeps it (the sync round reads the role from it).
        store
            .set_sync_link(&SyncLink {
                hub_url: hub.url.clone(),
                token: enrolled.token.clone(),
                department: department.map(str::to_owned),
                certificate_pem: None,
            })
            .unwrap();
        Device {
            store: Mutex::new(store),
            client: HubClient::new(&hub.url, Some(enrolled.token.clone())).unwrap(),
            token: enrolled.token,
            _dir: dir,
        }
    }

    /// Closes and opens the store again, as a restarted app does.
    pub fn reopen(&self) {
        *self.store.lock().unwrap() = Store::open(&self._dir.path().join(DB_FILE)).unwrap();
    }

    /// Copies the device's database to `path`, as a backup.
    pub fn backup_to(&self, path: &Path) {
        let _held = self.store();
        rusqlite::Connection::open(self._dir.path().join(DB_FILE))
            .unwrap()
            .execute("VACUUM INTO ?1", [path.to_str().unwrap()])
            .unwrap();
    }

    /// Replaces the device's database with the backup at `path` and opens it, as a laptop
    /// restored from an older copy of itself.
    pub fn restore_from(&self, path: &Path) {
        let mut store = self.store();
        *store = Store::open_in_memory().unwrap();
        let db = self._dir.path().join(DB_FILE);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
        std::fs::copy(path, &db).unwrap();
        *store = Store::open(&db).unwrap();
    }

    /// The store, locked.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap()
    }

    /// One round of sync, which must succeed.
    pub async fn sync(&self) -> SyncReport {
        sync_once(&self.store, &self.client, 200).await.unwrap()
    }

    /// Points the device at a hub that moved (restarted on another port), same token.
    pub fn move_to(&mut self, hub: &Hub) {
        self.client = HubClient::new(&hub.url, Some(self.token.clone())).unwrap();
        let mut store = self.store();
        let mut link = store.sync_link().unwrap().unwrap();
        link.hub_url = hub.url.clone();
        store.set_sync_link(&link).unwrap();
    }
}

/// A store on disk with the demo street's directory and, unless `tickets` is 0, a demo street
/// of that many tickets received over the last twenty days.
pub fn street_store(path: &Path, tickets: usize, seed: u64) -> Store {
    let mut store = Store::open(path).unwrap();
    store
        .upsert_directory(
            &streetdesk_demo::communities(),
            &streetdesk_demo::departments(),
        )
        .unwrap();
    if tickets > 0 {
        let opts = DemoOptions {
            tickets,
            days: 20,
            seed,
        };
        populate_until(&mut store, opts, now_beijing()).unwrap();
    }
    store
}

/// Every event id a store holds (both logs), sorted.
pub fn event_ids(store: &Store) -> Vec<String> {
    store.event_ids().unwrap()
}

/// Fills a device with a small demo street.
pub fn demo(device: &Device, tickets: usize, seed: u64) {
    let opts = DemoOptions {
        tickets,
        days: 20,
        seed,
    };
    populate_until(&mut device.store(), opts, now_beijing()).unwrap();
}

/// Asserts identical event sets and folds on every device.
pub fn assert_converged(devices: &[&Device]) {
    let ids = event_ids(&devices[0].store());
    let folds = devices[0].store().projection_snapshot().unwrap();
    assert!(!ids.is_empty());
    for d in &devices[1..] {
        assert_eq!(event_ids(&d.store()), ids, "event sets differ");
        assert_eq!(
            d.store().projection_snapshot().unwrap(),
            folds,
            "folds differ"
        );
    }
}

/// The newest ticket on a device.
pub fn first_ticket(device: &Device) -> TicketId {
    first_ticket_of(&device.store())
}

/// The newest ticket in a store.
pub fn first_ticket_of(store: &Store) -> TicketId {
    let query = streetdesk_core::dto::BacklogQuery::default();
    TicketId(store.backlog(&query).unwrap().rows[0].id.clone())
}
