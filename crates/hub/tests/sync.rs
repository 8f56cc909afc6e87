//! Sync against a real hub process over real HTTP, with client stores on disk. Each test ends
//! by asserting identical event sets and identical folds on every device.

mod support;

use serde_json::json;
use streetdesk_core::error::ErrorCode;
use streetdesk_core::{LogEvent, TicketEvent, TicketId};
use streetdesk_sync::client::HubClient;
use streetdesk_sync::protocol::{Outcome, PROTOCOL_HEADER};
use support::{assert_converged, demo, event_ids, first_ticket, Device, Hub};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offices_converge_and_a_lost_answer_costs_only_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub.sqlite3"));
    let a = Device::enrol(&hub, "值班室", None).await;
    let b = Device::enrol(&hub, "网格员笔记本", None).await;
    demo(&a, 40, 1);
    let total = a.store().pending_count().unwrap() as usize;
    assert!(total > 200, "{total}");

    // The hub stores a page, but its answer is lost: the device never hears of it.
    let page = a.store().outbox(100).unwrap();
    let answer = a.client.push(&page.events).await.unwrap();
    assert!(answer
        .results
        .iter()
        .all(|r| r.outcome == Outcome::Accepted));
    assert_eq!(a.store().pending_count().unwrap() as usize, total);
    // The next round pushes that page again (duplicates to the hub), then the rest.
    let report = a.sync().await;
    assert_eq!(report.accepted, total - 100);
    assert!(report.refused.is_empty());
    assert_eq!(a.store().pending_count().unwrap(), 0);

    assert_eq!(b.sync().await.pulled, total);
    assert_eq!(
        b.store().pending_count().unwrap(),
        0,
        "pulled events are not pushed back"
    );
    // A change on B reaches A.
    let ticket = first_ticket(&a);
    {
        let mut store = b.store();
        let note = TicketEvent::SupervisionFlagged {
            note: "街道督办：三日内办结".into(),
        };
        let e = store.stamp(&ticket, note).unwrap();
        store.append(&[e]).unwrap();
    }
    assert_eq!(b.sync().await.accepted, 1);
    assert_eq!(a.sync().await.pulled, 1);
    assert!(a.store().ticket_detail(&ticket.0).unwrap().row.supervised);
    assert_converged(&[&a, &b]);
}

async fn push_raw(hub: &Hub, token: &str, events: serde_json::Value) -> serde_json::Value {
    reqwest::Client::new()
        .post(format!("{}/v1/push", hub.url))
        .header(PROTOCOL_HEADER, "1")
        .bearer_auth(token)
        .json(&json!({ "events": events }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_events_are_refused_alone_and_bad_requests_get_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub.sqlite3"));
    let a = Device::enrol(&hub, "值班室", None).await;
    let b = Device::enrol(&hub, "指挥中心", None).await;
    demo(&a, 3, 2);
    a.sync().await;

    let ticket = first_ticket(&a);
    let good = {
        let mut store = a.store();
        let e = store.stamp(&ticket, TicketEvent::SignedFor).unwrap();
        store.append(std::slice::from_ref(&e)).unwrap();
        e
    };
    let stored = a.store().events_of(&ticket.0).unwrap()[0].clone();
    let altered = LogEvent::Ticket(streetdesk_core::Event {
        actor: "someone else".into(),
        ..stored
    });
    let spoofed = LogEvent::Ticket(streetdesk_core::Event {
        id: streetdesk_core::EventId::new(),
        device: streetdesk_core::DeviceId::new(),
        ..good.clone()
    });
    let answer = push_raw(
        &hub,
        &a.token,
        json!([
            serde_json::to_value(LogEvent::Ticket(good.clone())).unwrap(),
            {"log": "ticket", "id": "half-an-event"},
            serde_json::to_value(&altered).unwrap(),
            serde_json::to_value(&spoofed).unwrap(),
        ]),
    )
    .await;
    let outcomes: Vec<(&str, Option<&str>)> = answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["outcome"].as_str().unwrap(), r["reason"].as_str()))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("accepted", None),
            ("rejected", Some("sync.malformed")),
            ("quarantined", Some("sync.event.conflict")),
            ("quarantined", Some("sync.device.spoofed")),
        ]
    );
    let kept_aside = hub.admin(&["quarantine"]);
    assert_eq!(kept_aside.lines().count(), 2, "{kept_aside}");
    assert!(
        kept_aside.contains("sync.event.conflict") && kept_aside.contains("sync.device.spoofed")
    );

    // Only the good event reaches another device; the altered copy never replaces the original.
    b.sync().await;
    assert!(b.store().has_event(&good.id.0).unwrap());
    assert!(!b.store().has_event(&spoofed.id().0).unwrap());
    a.sync().await;
    assert_converged(&[&a, &b]);

    // No token, a wrong one, a revoked one: 401. Another protocol version: 426. A used code.
    let nobody = HubClient::new(&hub.url, None).unwrap();
    assert_eq!(
        nobody
            .pull(0, 10, &Default::default())
            .await
            .unwrap_err()
            .code,
        ErrorCode::SyncUnauthorized
    );
    let wrong = HubClient::new(&hub.url, Some("0".repeat(64))).unwrap();
    assert_eq!(
        wrong
            .pull(0, 10, &Default::default())
            .await
            .unwrap_err()
            .code,
        ErrorCode::SyncUnauthorized
    );
    let response = reqwest::Client::new()
        .get(format!("{}/v1/pull", hub.url))
        .header(PROTOCOL_HEADER, "99")
        .bearer_auth(&b.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 426);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["code"], "sync.protocol");
    let code = hub.code("another", None);
    let fresh = streetdesk_core::DeviceId::new();
    nobody.enrol(&code, &fresh, "x").await.unwrap();
    let again = nobody
        .enrol(&code, &streetdesk_core::DeviceId::new(), "y")
        .await;
    assert_eq!(again.unwrap_err().code, ErrorCode::SyncCodeInvalid);
    // An enrolled device may enrol again with a fresh code (unlinked and linked again, or
    // its first answer lost): the new token works, the old one no longer does.
    let device = a.store().device().clone();
    let relinked = nobody
        .enrol(&hub.code("值班室 again", None), &device, "值班室")
        .await
        .unwrap();
    assert_eq!(
        a.client
            .pull(0, 1, &Default::default())
            .await
            .unwrap_err()
            .code,
        ErrorCode::SyncUnauthorized
    );
    let a_again = HubClient::new(&hub.url, Some(relinked.token)).unwrap();
    a_again.pull(0, 1, &Default::default()).await.unwrap();
    // A revoked device is out: its token, and any new code it brings.
    assert!(hub.admin(&["revoke", &device.0]).contains("revoked"));
    assert_eq!(
        a_again
            .pull(0, 1, &Default::default())
            .await
            .unwrap_err()
            .code,
        ErrorCode::SyncUnauthorized
    );
    let refused = nobody
        .enrol(&hub.code("值班室 3", None), &device, "值班室")
        .await;
    assert_eq!(refused.unwrap_err().code, ErrorCode::SyncCodeInvalid);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hub_restored_from_an_older_backup_gets_back_what_it_lost() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.sqlite3");
    let backup = dir.path().join("backup.sqlite3");
    let mut hub = Hub::start(&db);
    let mut a = Device::enrol(&hub, "值班室", None).await;
    let mut b = Device::enrol(&hub, "网格员笔记本", None).await;
    let mut d = Device::enrol(&hub, "社区工作站", None).await;
    demo(&a, 10, 3);
    for device in [&a, &b, &d] {
        device.sync().await;
    }
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute("VACUUM INTO ?1", [backup.to_str().unwrap()])
        .unwrap();

    // After the backup: A writes on and syncs; B, offline, writes and then syncs (its events
    // come after A's on the hub); D's push goes through but its pull never happens.
    demo(&a, 5, 4);
    a.sync().await;
    let ticket = first_ticket(&b);
    let note = |device: &Device, text: &str| {
        let mut store = device.store();
        let body = TicketEvent::ProgressNoted { note: text.into() };
        let e = store.stamp(&ticket, body).unwrap();
        store.append(&[e]).unwrap();
    };
    note(&b, "离线时上门核实");
    b.sync().await;
    note(&d, "社区已联系物业");
    let page = d.store().outbox(100).unwrap();
    let answer = d.client.push(&page.events).await.unwrap();
    assert_eq!(answer.results[0].outcome, Outcome::Accepted);
    d.store()
        .acknowledge(&page, Some(&page.events[0].id().0))
        .unwrap();

    hub.kill();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    std::fs::copy(&backup, &db).unwrap();
    let hub = Hub::start(&db);
    for device in [&mut a, &mut b, &mut d] {
        device.move_to(&hub);
    }

    // B first: it starts over and pushes everything it has, A's events included, which the
    // hub numbers anew; A's position then holds another event, so A starts over too, and D
    // finds its acknowledged event gone.
    b.sync().await;
    a.sync().await;
    d.sync().await;
    for device in [&a, &b, &d] {
        device.sync().await;
    }
    let c = Device::enrol(&hub, "新笔记本", None).await;
    c.sync().await;
    assert_converged(&[&a, &b, &c, &d]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clocks_days_fast_or_a_year_slow_are_never_refused_and_drag_no_one() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub.sqlite3"));
    let a = Device::enrol(&hub, "快三天的笔记本", None).await;
    let b = Device::enrol(&hub, "慢一年的笔记本", None).await;
    let c = Device::enrol(&hub, "值班室", None).await;
    demo(&a, 6, 6);
    a.sync().await;
    b.sync().await;
    let now = chrono::Utc::now().timestamp_millis();
    let day = 86_400_000;
    let ticket = first_ticket(&a);
    let skewed = |device: &Device, hlc_ms: i64, note: &str| {
        let mut store = device.store();
        let body = TicketEvent::ProgressNoted { note: note.into() };
        let mut e = store.stamp(&ticket, body).unwrap();
        e.hlc = streetdesk_core::Hlc::new(hlc_ms, 0);
        store.append(std::slice::from_ref(&e)).unwrap();
        e
    };
    let fast = skewed(&a, now + 3 * day, "快三天");
    skewed(&b, now - 365 * day, "慢一年");
    for d in [&a, &b, &c] {
        let report = d.sync().await;
        assert!(report.refused.is_empty());
    }
    a.sync().await;
    // C took the fast event without following its clock; its next event on the ticket still
    // orders after it.
    {
        let mut store = c.store();
        let ahead = store.stamp(
            &ticket,
            TicketEvent::ProgressNoted {
                note: "值班室".into(),
            },
        );
        let ahead = ahead.unwrap();
        assert!(ahead.hlc > fast.hlc);
        let other = store
            .all_log_events()
            .unwrap()
            .iter()
            .find(|e| matches!(e, LogEvent::Ticket(_)) && e.stream() != ticket.0)
            .map(|e| TicketId(e.stream().to_owned()))
            .expect("another ticket");
        let elsewhere = store.stamp(&other, TicketEvent::ProgressNoted { note: "x".into() });
        let drift = elsewhere.unwrap().hlc.physical_ms() - chrono::Utc::now().timestamp_millis();
        assert!(drift.abs() < 60_000, "C's clock was dragged by {drift} ms");
        store.append(&[ahead]).unwrap();
    }
    // Nor after a restart, when the clock resumes from the newest HLC in the log.
    c.reopen();
    let other = {
        let store = c.store();
        store
            .all_log_events()
            .unwrap()
            .iter()
            .find(|e| matches!(e, LogEvent::Ticket(_)) && e.stream() != ticket.0)
            .map(|e| TicketId(e.stream().to_owned()))
            .unwrap()
    };
    let after_restart = c
        .store()
        .stamp(&other, TicketEvent::ProgressNoted { note: "y".into() })
        .unwrap();
    let drift = after_restart.hlc.physical_ms() - chrono::Utc::now().timestamp_millis();
    assert!(
        drift.abs() < 60_000,
        "after a restart C's clock is {drift} ms off"
    );
    for d in [&c, &a, &b] {
        d.sync().await;
    }
    assert_converged(&[&a, &b, &c]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_shows_on_a_waiting_pc_within_a_second() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub.sqlite3"));
    let a = Device::enrol(&hub, "值班室", None).await;
    let b = std::sync::Arc::new(Device::enrol(&hub, "指挥中心大屏", None).await);
    demo(&a, 3, 7);
    a.sync().await;
    b.sync().await;
    let ticket = first_ticket(&a);
    for round in 0..3 {
        let waiting = {
            let b = b.clone();
            tokio::spawn(async move {
                loop {
                    let report = streetdesk_sync::cycle::wait_then_sync(&b.store, &b.client, 200)
                        .await
                        .unwrap();
                    if report.is_some_and(|r| r.pulled > 0) {
                        return std::time::Instant::now();
                    }
                }
            })
        };
        // Let B's wait reach the hub before A writes.
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let note = TicketEvent::ProgressNoted {
            note: format!("第 {round} 次上门"),
        };
        let e = {
            let mut store = a.store();
            let e = store.stamp(&ticket, note).unwrap();
            store.append(std::slice::from_ref(&e)).unwrap();
            e
        };
        let pushed = std::time::Instant::now();
        a.sync().await;
        let seen = tokio::time::timeout(std::time::Duration::from_secs(5), waiting)
            .await
            .expect("B saw the change")
            .unwrap();
        let took = seen.saturating_duration_since(pushed);
        assert!(took < std::time::Duration::from_secs(1), "took {took:?}");
        assert!(b.store().has_event(&e.id.0).unwrap());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hub_killed_mid_push_loses_no_acknowledged_event() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.sqlite3");
    let mut hub = Hub::start(&db);
    let mut a = Device::enrol(&hub, "值班室", None).await;
    demo(&a, 150, 8);
    let total = a.store().pending_count().unwrap();
    let mut rng = fastrand::Rng::with_seed(8);
    let mut kills = 0;
    while a.store().pending_count().unwrap() > 0 {
        // Small pages, so that the kill lands between, during and after commits.
        let pushing = sync_once_small(&a);
        let kill_after = std::time::Duration::from_millis(rng.u64(5..60));
        tokio::select! {
            _ = pushing => {}
            _ = tokio::time::sleep(kill_after) => {
                hub.kill();
                kills += 1;
            }
        }
        if !hub.running() {
            hub = Hub::start(&db);
            a.move_to(&hub);
        }
    }
    assert!(kills >= 3, "only {kills} kills landed");
    a.sync().await;
    let b = Device::enrol(&hub, "指挥中心", None).await;
    b.sync().await;
    assert_eq!(event_ids(&b.store()).len() as u64, total);
    let stored: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored as u64, total, "each event stored once");
    assert_converged(&[&a, &b]);
}

/// One round in pages of 20; errors (the hub going away) are expected here.
async fn sync_once_small(device: &Device) {
    let _ = streetdesk_sync::cycle::sync_once(&device.store, &device.client, 20).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_step_that_arrives_before_its_ticket_waits_for_it_and_converges() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub.sqlite3"));
    let a = Device::enrol(&hub, "网格员笔记本", None).await;
    let b = Device::enrol(&hub, "值班室", None).await;
    demo(&a, 1, 9);
    let events = a.store().outbox(1_000).unwrap().events;
    let ticket = events
        .iter()
        .find(|e| matches!(e, LogEvent::Ticket(_)))
        .map(|e| TicketId(e.stream().to_owned()))
        .unwrap();
    let (registration, later): (Vec<LogEvent>, Vec<LogEvent>) = events
        .into_iter()
        .filter(|e| e.stream() == ticket.0)
        .partition(
            |e| matches!(e, LogEvent::Ticket(t) if matches!(t.body, TicketEvent::Registered(_))),
        );
    // The later steps reach the hub, and B, before the registration does.
    a.client.push(&later).await.unwrap();
    b.sync().await;
    assert!(b.store().has_event(&later[0].id().0).unwrap());
    assert!(
        b.store().ticket_detail(&ticket.0).is_err(),
        "no ticket yet, only its steps"
    );
    a.client.push(&registration).await.unwrap();
    a.sync().await;
    b.sync().await;
    let detail = b.store().ticket_detail(&ticket.0).unwrap();
    assert_eq!(detail.timeline.len(), later.len() + 1);
    assert_converged(&[&a, &b]);
}
