//! Seeded randomised convergence through a real hub: five office devices edit the same
//! tickets while cut off from the hub, reconnect in random order, and must end with identical
//! event sets and folds. `STREETDESK_SYNC_SEEDS=10000` runs more seeds than the default 200.

mod support;

use streetdesk_core::ticket::{Callback, Resolution, Satisfaction};
use streetdesk_core::time::now_beijing;
use streetdesk_core::TicketEvent;
use streetdesk_demo::{populate_until, DemoOptions};
use support::{event_ids, Device, Hub};

const DEVICES: usize = 5;

fn action(rng: &mut fastrand::Rng) -> TicketEvent {
    let note = || "现场核实".to_owned();
    match rng.u8(..10) {
        0 => TicketEvent::SignedFor,
        1 => TicketEvent::Assigned {
            unit: ["城管科", "和平里社区", "安定门社区"][rng.usize(..3)].into(),
        },
        2 => TicketEvent::ContactMade { note: note() },
        3 => TicketEvent::ProgressNoted { note: note() },
        4 => TicketEvent::SupervisionFlagged { note: note() },
        5 => TicketEvent::Replied {
            reply: "已清理完毕".into(),
        },
        6 => TicketEvent::SentForCallback,
        7 => TicketEvent::CallbackRecorded(Callback {
            contacted: true,
            resolution: Resolution::Resolved,
            satisfaction: Satisfaction::Satisfied,
        }),
        8 => TicketEvent::Tagged {
            tag: "每月一题·物业服务".into(),
        },
        _ => TicketEvent::Archived,
    }
}

/// Runs one seed; returns whether any ticket ended flagged for review (concurrent transitions).
async fn run_seed(seed: u64) -> bool {
    // A hub of its own: a new device pulls the whole feed, which must not grow with the seeds.
    let dir = tempfile::tempdir().unwrap();
    let hub = &Hub::start(&dir.path().join("hub.sqlite3"));
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut devices = Vec::new();
    for i in 0..DEVICES {
        devices.push(Device::enrol(hub, &format!("笔记本{i}"), None).await);
    }
    let opts = DemoOptions {
        tickets: 4,
        days: 3,
        seed,
    };
    populate_until(&mut devices[0].store(), opts, now_beijing()).unwrap();
    devices[0].sync().await;
    let tickets: Vec<String> = devices[0]
        .store()
        .backlog(&Default::default())
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.id)
        .collect();
    for d in &devices[1..] {
        d.sync().await;
    }
    // Offline work and reconnections, interleaved at random: each step, one device either
    // records an action on a random ticket (its state allowing) or syncs.
    for _ in 0..rng.usize(10..40) {
        let d = &devices[rng.usize(..DEVICES)];
        if rng.u8(..4) == 0 {
            d.sync().await;
        } else {
            let ticket = &tickets[rng.usize(..tickets.len())];
            let _ = d.store().record(ticket, action(&mut rng));
        }
    }
    // Heal in a random order, twice round so that everyone has everyone's.
    for _ in 0..2 {
        rng.shuffle(&mut devices);
        for d in &devices {
            d.sync().await;
        }
    }
    let ids = event_ids(&devices[0].store());
    let folds = devices[0].store().projection_snapshot().unwrap();
    for d in &devices[1..] {
        assert_eq!(event_ids(&d.store()), ids, "seed {seed}: event sets differ");
        assert_eq!(
            d.store().projection_snapshot().unwrap(),
            folds,
            "seed {seed}: folds differ"
        );
    }
    let rows = devices[0]
        .store()
        .backlog(&Default::default())
        .unwrap()
        .rows;
    rows.iter().any(|r| r.needs_review)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_partitioned_devices_converge_for_every_seed() {
    let seeds: u64 = std::env::var("STREETDESK_SYNC_SEEDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let mut flagged = 0;
    for seed in 0..seeds {
        flagged += u64::from(run_seed(seed).await);
    }
    // The edits really did conflict: concurrent transitions were folded and flagged.
    assert!(
        flagged * 4 >= seeds,
        "only {flagged} of {seeds} seeds had a conflict"
    );
}
