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

    // The disk dies; the laptop comes back from the backup, three events short.
    a.restore_from(&backup);
    assert_eq!(event_ids(&a.store()).len(), written.len() - 3);
    let back = a.sync().await;
    assert_eq!((back.accepted, back.pulled), (0, 3));
    assert_eq!(event_ids(&a.store()), written);

    b.sync().await;
    assert_converged(&[&a, &b]);
}
