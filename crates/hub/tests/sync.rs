//! Sync against a real hub process over real HTTP, with client stores on disk. Each test ends
//! by asserting identical event sets and identical folds on every device.

mod support;

use serde_json::json;
use streetdesk_core::error::ErrorCode;
use streetdesk_core::time::now_beijing;
use streetdesk_core::{LogEvent, TicketEvent, TicketId};
use streetdesk_demo::{populate_until, DemoOptions};
use streetdesk_sync::client::HubClient;
use streetdesk_sync::protocol::{Outcome, PROTOCOL_HEADER};
use support::{event_ids, Device, Hub};

fn demo(device: &Device, tickets: usize, seed: u64) {
    let opts = DemoOptions {
        tickets,
        days: 20,
        seed,
    };
    populate_until(&mut device.store(), opts, now_beijing()).unwrap();
}

fn assert_converged(devices: &[&Device]) {
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

fn first_ticket(device: &Device) -> TicketId {
    let query = streetdesk_core::dto::BacklogQuery::default();
    TicketId(device.store().backlog(&query).unwrap().rows[0].id.clone())
}

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
        nobody.pull(0, 10).await.unwrap_err().code,
        ErrorCode::SyncUnauthorized
    );
    let wrong = HubClient::new(&hub.url, Some("0".repeat(64))).unwrap();
    assert_eq!(
        wrong.pull(0, 10).await.unwrap_err().code,
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
    let device_id = a.store().device().0.clone();
    assert!(hub.admin(&["revoke", &device_id]).contains("revoked"));
    assert_eq!(
        a.client.pull(0, 1).await.unwrap_err().code,
        ErrorCode::SyncUnauthorized
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hub_restored_from_an_older_backup_gets_back_what_it_lost() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.sqlite3");
    let backup = dir.path().join("backup.sqlite3");
    let mut hub = Hub::start(&db);
    let mut a = Device::enrol(&hub, "值班室", None).await;
    let mut b = Device::enrol(&hub, "网格员笔记本", None).await;
    demo(&a, 10, 3);
    a.sync().await;
    b.sync().await;
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute("VACUUM INTO ?1", [backup.to_str().unwrap()])
        .unwrap();

    // After the backup: A writes on, B pulls it, then the hub is lost and restored.
    demo(&a, 5, 4);
    a.sync().await;
    b.sync().await;
    hub.kill();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    std::fs::copy(&backup, &db).unwrap();
    let hub = Hub::start(&db);
    a.move_to(&hub);
    b.move_to(&hub);

    // B syncs first: it pushes again everything it has, A's events included.
    b.sync().await;
    a.sync().await;
    let c = Device::enrol(&hub, "新笔记本", None).await;
    c.sync().await;
    assert_converged(&[&a, &b, &c]);
}
