//! A client SIGKILLed mid-push, again and again, against a real hub process. The test binary
//! is its own client: run with `child STORE`, it writes and syncs in a loop until killed.
//! After every kill the client's store passes `PRAGMA integrity_check` and holds every local
//! write it reported committed; at the end the hub holds exactly the client's events, which a
//! second device pulls and folds identically.
//!
//! `harness = false` (see Cargo.toml) so the binary can be that child without a dummy test.

mod support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use streetdesk_core::dto::SyncLinkForm;
use streetdesk_core::TicketEvent;
use streetdesk_store::{Store, DB_FILE};
use streetdesk_sync::client::HubClient;
use streetdesk_sync::cycle::sync_once;
use support::{first_ticket_of, street_store, Device, Hub};

const KILLS: usize = 15;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("child") {
        child(Path::new(&args[2]));
        return;
    }
    // Under `cargo test`, libtest's flags arrive here too: honour `--list` and a name filter
    // (any word that is not a flag or a flag's value), so that asking for another test does
    // not run this one.
    const NAME: &str = "a_client_killed_mid_push_loses_nothing";
    if args.iter().any(|a| a == "--list") {
        println!("{NAME}: test");
        return;
    }
    let takes_value = [
        "--test-threads",
        "--skip",
        "--format",
        "--color",
        "--logfile",
        "-Z",
    ];
    let mut words = args.iter().skip(1);
    let mut filters = Vec::new();
    while let Some(a) = words.next() {
        if takes_value.contains(&a.as_str()) {
            words.next();
        } else if !a.starts_with('-') {
            filters.push(a.as_str());
        }
    }
    if !filters.is_empty() && !filters.iter().any(|f| NAME.contains(f)) {
        return;
    }
    parent();
    println!("test {NAME} ... ok");
}

/// Writes a tag, then syncs in small pages, forever; reports each committed write.
fn child(db: &Path) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let store = Mutex::new(Store::open(db).unwrap());
    let link = store.lock().unwrap().sync_link().unwrap().expect("linked");
    let client = HubClient::for_link(&link).unwrap();
    let ticket = first_ticket_of(&store.lock().unwrap());
    for i in 0.. {
        store
            .lock()
            .unwrap()
            .record(
                &ticket.0,
                TicketEvent::Tagged {
                    tag: format!("k{i}"),
                },
            )
            .unwrap();
        println!("wrote");
        runtime.block_on(sync_once(&store, &client, 40)).unwrap();
    }
}

fn parent() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub.sqlite3"));
    let seed = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    eprintln!("client crash seed {seed} (CRASH_SEED={seed} reproduces it)");
    let mut rng = fastrand::Rng::with_seed(seed);

    // The client: a demo street of a few thousand events, linked to the hub.
    let client_dir = tempfile::tempdir().unwrap();
    let db = client_dir.path().join(DB_FILE);
    {
        let store = Mutex::new(street_store(&db, 400, seed));
        let form = SyncLinkForm {
            hub_url: hub.url.clone(),
            code: hub.code("field laptop", None),
            device_name: "field laptop".into(),
            certificate_pem: String::new(),
        };
        runtime
            .block_on(streetdesk_sync::link::link(&store, &form))
            .unwrap();
    }
    let initial = Store::open(&db).unwrap().event_ids().unwrap().len();

    let mut committed = 0;
    let mut killed_mid_sync = 0;
    for round in 0..KILLS {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .arg("child")
            .arg(&db)
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the client");
        let wrote = Arc::new(AtomicUsize::new(0));
        let reader = {
            let wrote = Arc::clone(&wrote);
            let stdout = child.stdout.take().unwrap();
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    if line == "wrote" {
                        wrote.fetch_add(1, Ordering::SeqCst);
                    }
                }
            })
        };
        std::thread::sleep(Duration::from_millis(rng.u64(30..400)));
        child.kill().unwrap();
        child.wait().unwrap();
        reader.join().unwrap();
        committed += wrote.load(Ordering::SeqCst);

        let store = Store::open(&db).unwrap();
        store.integrity_check().unwrap();
        let held = store.event_ids().unwrap().len();
        assert!(
            held >= initial + committed,
            "round {round}: {held} events, but {initial} + {committed} were committed"
        );
        if store.pending_count().unwrap() > 0 {
            killed_mid_sync += 1;
        }
    }
    assert!(
        killed_mid_sync >= 3,
        "only {killed_mid_sync} of {KILLS} kills landed with events still to push"
    );

    // Restarted once more, the client finishes; a second device gets exactly its events.
    let store = Mutex::new(Store::open(&db).unwrap());
    let link = store.lock().unwrap().sync_link().unwrap().unwrap();
    let client = HubClient::for_link(&link).unwrap();
    runtime.block_on(sync_once(&store, &client, 500)).unwrap();
    assert_eq!(store.lock().unwrap().pending_count().unwrap(), 0);
    let other = runtime.block_on(Device::enrol(&hub, "office", None));
    runtime.block_on(other.sync());
    let ids = store.lock().unwrap().event_ids().unwrap();
    assert_eq!(other.store().event_ids().unwrap(), ids);
    assert_eq!(
        other.store().projection_snapshot().unwrap(),
        store.lock().unwrap().projection_snapshot().unwrap()
    );
    eprintln!(
        "{KILLS} kills, {killed_mid_sync} with events still to push; {committed} writes \
         committed; {} events on both devices",
        ids.len()
    );
}
