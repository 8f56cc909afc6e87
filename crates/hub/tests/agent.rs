//! The app's background sync loop against a real hub process: linking, pushing a local write
//! without waiting for another, the poke that brings it to a second device, going offline and
//! reconnecting on its own.

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use streetdesk_core::dto::{SyncLinkForm, SyncState, SyncStatus};
use streetdesk_core::error::ErrorCode;
use streetdesk_core::TicketEvent;
use streetdesk_store::{Store, DB_FILE};
use streetdesk_sync::agent::{AgentOptions, SyncAgent};
use streetdesk_sync::link::link;
use support::{first_ticket_of, street_store, Hub};
use tokio::sync::watch;

struct App {
    store: Arc<Mutex<Store>>,
    agent: SyncAgent,
    _dir: tempfile::TempDir,
}

fn app(tickets: usize) -> App {
    let dir = tempfile::tempdir().unwrap();
    let store = street_store(&dir.path().join(DB_FILE), tickets, 7);
    let store = Arc::new(Mutex::new(store));
    let options = AgentOptions {
        min_backoff: Duration::from_millis(100),
        max_backoff: Duration::from_millis(400),
        ..AgentOptions::default()
    };
    let (agent, task) = SyncAgent::new(store.clone(), options);
    tokio::spawn(task);
    App {
        store,
        agent,
        _dir: dir,
    }
}

fn form(hub: &Hub, code: String) -> SyncLinkForm {
    SyncLinkForm {
        hub_url: hub.url.clone(),
        code,
        device_name: "test".into(),
        certificate_pem: String::new(),
    }
}

/// Waits until the status satisfies `ok`, failing after `within`.
async fn until(
    rx: &mut watch::Receiver<SyncStatus>,
    within: Duration,
    what: &str,
    ok: impl Fn(&SyncStatus) -> bool,
) -> SyncStatus {
    let deadline = Instant::now() + within;
    loop {
        let now = rx.borrow_and_update().clone();
        if ok(&now) {
            return now;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if tokio::time::timeout(left, rx.changed()).await.is_err() {
            panic!("{what}: not within {within:?}; last status {now:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_loop_links_pushes_pokes_and_reconnects_by_itself() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.sqlite3");
    let mut hub = Hub::start(&db);
    let office = app(30);
    let field = app(0);
    let mut office_rx = office.agent.subscribe();
    let mut field_rx = field.agent.subscribe();

    // Unlinked, the loop says so and counts what waits to be pushed.
    let s = until(&mut office_rx, Duration::from_secs(5), "unlinked", |s| {
        s.state == SyncState::Unlinked
    })
    .await;
    let pending = office.store.lock().unwrap().pending_count().unwrap();
    assert!(pending > 100 && s.pending == pending, "{s:?}");

    // A wrong address or certificate is refused before anything is saved.
    let mut bad = form(&hub, hub.code("x", None));
    bad.hub_url = "hub.example".into();
    assert_eq!(
        link(&office.store, &bad).await.unwrap_err().code,
        ErrorCode::SyncUrlInvalid
    );
    bad = form(&hub, hub.code("x", None));
    bad.certificate_pem = "not a certificate".into();
    assert_eq!(
        link(&office.store, &bad).await.unwrap_err().code,
        ErrorCode::SyncCertificateInvalid
    );
    assert!(office.store.lock().unwrap().sync_link().unwrap().is_none());

    // Linked, the office pushes its backlog at once, and the field laptop pulls it.
    link(&office.store, &form(&hub, hub.code("office", None)))
        .await
        .unwrap();
    office.agent.nudge();
    link(&field.store, &form(&hub, hub.code("field", None)))
        .await
        .unwrap();
    field.agent.nudge();
    let s = until(
        &mut office_rx,
        Duration::from_secs(20),
        "office pushed",
        |s| s.state == SyncState::Online && s.pending == 0,
    )
    .await;
    assert!(s.last_sync_ms.is_some());
    assert!(s.clock_skew_ms.unwrap().abs() < 5_000, "{s:?}");
    assert_eq!(s.hub_url.as_deref(), Some(hub.url.as_str()));
    until(
        &mut field_rx,
        Duration::from_secs(20),
        "field pulled",
        |s| s.received as usize == pending as usize,
    )
    .await;

    // A write on the office shows on the waiting field laptop within a second: the loop is
    // nudged by the write and the field laptop is poked by the hub.
    let ticket = first_ticket_of(&office.store.lock().unwrap());
    let before = field_rx.borrow().received;
    let wrote = Instant::now();
    office
        .store
        .lock()
        .unwrap()
        .record(
            &ticket.0,
            TicketEvent::Tagged {
                tag: "同步".into()
            },
        )
        .unwrap();
    office.agent.nudge();
    until(&mut field_rx, Duration::from_secs(1), "poke", |s| {
        s.received > before
    })
    .await;
    println!(
        "office write seen on the field laptop after {:?}",
        wrote.elapsed()
    );
    assert_eq!(
        field.store.lock().unwrap().event_ids().unwrap(),
        office.store.lock().unwrap().event_ids().unwrap()
    );

    // The hub goes away: a write while offline is kept and counted, the loop retries.
    let addr = hub.addr().to_owned();
    hub.kill();
    office
        .store
        .lock()
        .unwrap()
        .record(
            &ticket.0,
            TicketEvent::Tagged {
                tag: "离线".into()
            },
        )
        .unwrap();
    office.agent.nudge();
    let s = until(&mut office_rx, Duration::from_secs(10), "offline", |s| {
        s.state == SyncState::Offline && s.pending == 1
    })
    .await;
    assert_eq!(s.last_error.unwrap().code, ErrorCode::SyncOffline);

    // The hub comes back at the same address: nobody nudges, the loop reconnects and pushes.
    let _hub = Hub::start_with(&db, &["--listen", &addr]);
    until(
        &mut office_rx,
        Duration::from_secs(10),
        "reconnected",
        |s| s.state == SyncState::Online && s.pending == 0 && s.last_error.is_none(),
    )
    .await;
    until(
        &mut field_rx,
        Duration::from_secs(70),
        "field caught up",
        |_| {
            field.store.lock().unwrap().event_ids().unwrap()
                == office.store.lock().unwrap().event_ids().unwrap()
        },
    )
    .await;
    assert_eq!(
        field.store.lock().unwrap().projection_snapshot().unwrap(),
        office.store.lock().unwrap().projection_snapshot().unwrap()
    );
}
