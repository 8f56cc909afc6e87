//! A laptop restored from an older copy of itself. The hub leaves a device's own events out of
//! its pulls, up to the newest the device had acknowledged; the restored laptop names an
//! older one, so what it wrote after the backup comes back to it from the hub.

mod support;

use streetdesk_core::TicketEvent;
use support::{assert_converged, demo, event_ids, first_ticket, Device, Hub};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_laptop_restored_from_its_backup_gets_back_what_it_wrote_since() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub.sqlite3"));
    let a = Device::enrol(&hub, "网格员笔记本", None).await;
    let b = Device::enrol(&hub, "值班室", None).await;
    demo(&a, 12, 5);
    let first = a.sync().await;
    assert!(first.accepted > 50);
    // Its own events are not sent back to it.
    assert_eq!(first.pulled, 0, "{first:?}");

    let backup = dir.path().join("laptop-backup.sqlite3");
    a.backup_to(&backup);
    let ticket = first_ticket(&a);
    for text in ["上门核实", "联系物业", "已修复"] {
        a.store()
            .record(&ticket.0, TicketEvent::ProgressNoted { note: text.into() })
            .unwrap();
    }
    let since = a.sync().await;
    assert_eq!((since.accepted, since.pulled), (3, 0));
    let written = event_ids(&a.store());

    // The disk dies; the laptop comes back from the backup, three events short, and the
    // officer writes on it before it next syncs.
    a.restore_from(&backup);
    assert_eq!(event_ids(&a.store()).len(), written.len() - 3);
    a.store()
        .record(
            &ticket.0,
            TicketEvent::ProgressNoted {
                note: "恢复后补记".into(),
            },
        )
        .unwrap();
    let back = a.sync().await;
    assert_eq!((back.accepted, back.pulled), (1, 3));
    let held = event_ids(&a.store());
    assert_eq!(held.len(), written.len() + 1);
    assert!(written.iter().all(|id| held.contains(id)));

    b.sync().await;
    assert_converged(&[&a, &b]);
}

/// A liaison reports in to a whistle, then reaches a hub restored from a backup older than
/// the whistle before the office PC does. Its step cannot be checked yet and waits in
/// quarantine, unapplied; when the office pushes the whistle again, the step is taken.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_liaisons_step_that_reaches_a_restored_hub_first_is_taken_once_its_summons_returns() {
    use streetdesk_core::whistle::{SummonsStage, WhistleEvent, WhistleReason};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.sqlite3");
    let mut hub = Hub::start(&db);
    let department = streetdesk_demo::departments()[0].id.clone();
    let mut office = Device::enrol(&hub, "指挥中心", None).await;
    let mut liaison = Device::enrol(&hub, "联络员", Some(&department)).await;
    demo(&office, 10, 8);
    office.sync().await;
    liaison.sync().await;
    let backup = dir.path().join("hub-backup.sqlite3");
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute("VACUUM INTO ?1", [backup.to_str().unwrap()])
        .unwrap();

    let whistle = office
        .store()
        .blow_whistle(&streetdesk_core::dto::NewWhistle {
            reason: WhistleReason::Emergency,
            matter: "供水管线爆裂".into(),
            place: "和乐东街 3 号".into(),
            community_id: None,
            tickets: vec![],
            departments: vec![department.clone()],
            report_limit_min: None,
        })
        .unwrap()
        .row
        .id;
    office.sync().await;
    liaison.sync().await;
    let step = liaison
        .store()
        .record_whistle(
            &whistle,
            WhistleEvent::ReportedIn {
                department: department.clone(),
                at: streetdesk_core::time::now_beijing(),
            },
        )
        .unwrap();
    assert_eq!(step.row.summons[0].stage, SummonsStage::ReportedIn);

    hub.kill();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    std::fs::copy(&backup, &db).unwrap();
    let hub = Hub::start(&db);
    office.move_to(&hub);
    liaison.move_to(&hub);

    // The liaison first: the hub knows no such whistle, so the step waits, unapplied. What
    // the liaison pulled from others it does not push again.
    let first = liaison.sync().await;
    let reasons: Vec<_> = first.refused.iter().map(|r| r.reason.as_deref()).collect();
    assert_eq!(reasons, [Some("sync.scope.forbidden")]);
    assert!(hub.admin(&["quarantine"]).contains("sync.scope.forbidden"));
    // The office pushes the whistle again; the step comes out of quarantine with it.
    office.sync().await;
    office.sync().await;
    liaison.sync().await;
    let reported = office.store().whistle_detail(&whistle).unwrap();
    assert_eq!(reported.row.summons[0].stage, SummonsStage::ReportedIn);
    assert!(!hub.admin(&["quarantine"]).contains("sync.scope.forbidden"));
    let liaison_ids = event_ids(&liaison.store());
    let office_ids = event_ids(&office.store());
    assert!(liaison_ids.iter().all(|id| office_ids.contains(id)));
}
