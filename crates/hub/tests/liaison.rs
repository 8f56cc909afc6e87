//! A department liaison's device against a real hub: it sees exactly its department's
//! whistles and their tickets, whole, and may write only its own steps.

mod support;

use streetdesk_core::time::now_beijing;
use streetdesk_core::{LogEvent, TicketEvent};
use streetdesk_demo::{populate_until, DemoOptions};
use streetdesk_sync::protocol::Outcome;
use support::{event_ids, first_ticket, Device, Hub};

/// The streams a liaison of `department` may see, worked out from every event: the whistles
/// that summon it, and the tickets linked to those whistles (from either side).
fn liaison_streams(events: &[LogEvent], department: &str) -> std::collections::BTreeSet<String> {
    use streetdesk_core::whistle::WhistleEvent;
    let mut whistles = std::collections::BTreeSet::new();
    for e in events {
        if let LogEvent::Whistle(w) = e {
            let summoned = match &w.body {
                WhistleEvent::Blown(b) => b.departments.iter().any(|d| d == department),
                WhistleEvent::DepartmentsAdded { departments, .. } => {
                    departments.iter().any(|d| d == department)
                }
                _ => false,
            };
            if summoned {
                whistles.insert(w.whistle_id.0.clone());
            }
        }
    }
    let mut streams = whistles.clone();
    for e in events {
        match e {
            LogEvent::Whistle(w) if whistles.contains(&w.whistle_id.0) => {
                if let streetdesk_core::whistle::WhistleEvent::Blown(b) = &w.body {
                    streams.extend(b.tickets.iter().map(|t| t.0.clone()));
                }
            }
            LogEvent::Ticket(t) => {
                if let TicketEvent::WhistleLinked { whistle } = &t.body {
                    if whistles.contains(&whistle.0) {
                        streams.insert(t.ticket_id.0.clone());
                    }
                }
            }
            _ => {}
        }
    }
    streams
}

fn ids_in(events: &[LogEvent], streams: &std::collections::BTreeSet<String>) -> Vec<String> {
    let mut ids: Vec<String> = events
        .iter()
        .filter(|e| streams.contains(e.stream()))
        .map(|e| e.id().0.clone())
        .collect();
    ids.sort();
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_liaison_sees_its_departments_whistles_and_tickets_whole_and_writes_only_its_steps() {
    use streetdesk_core::whistle::{WhistleEvent, WhistleRecord};
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub.sqlite3"));
    let office = Device::enrol(&hub, "指挥中心", None).await;
    let opts = DemoOptions {
        tickets: 200,
        days: 60,
        seed: 5,
    };
    populate_until(&mut office.store(), opts, now_beijing()).unwrap();
    office.sync().await;
    let all = office.store().all_log_events().unwrap();
    let department = all
        .iter()
        .find_map(|e| match e {
            LogEvent::Whistle(WhistleRecord {
                body: WhistleEvent::Blown(b),
                ..
            }) => Some(b.departments[0].clone()),
            _ => None,
        })
        .expect("the demo street blows whistles");
    let liaison = Device::enrol(&hub, "城管联络员", Some(&department)).await;
    liaison.sync().await;
    let streams = liaison_streams(&all, &department);
    let expected = ids_in(&all, &streams);
    assert!(expected.len() > 10 && expected.len() < all.len() / 2);
    assert_eq!(event_ids(&liaison.store()), expected);

    // Later, a running whistle for other departments summons this one too: the liaison gets
    // the whistle and its ticket with everything that happened before.
    let ticket = first_ticket(&office);
    let others: Vec<String> = streetdesk_demo::departments()
        .into_iter()
        .map(|d| d.id)
        .filter(|d| d != &department)
        .take(2)
        .collect();
    let whistle = {
        let mut store = office.store();
        let w = store
            .blow_whistle(&streetdesk_core::dto::NewWhistle {
                reason: streetdesk_core::whistle::WhistleReason::Complaint,
                matter: "雨水箅子堵塞，路面积水".into(),
                place: "和乐西街 12 号".into(),
                community_id: None,
                tickets: vec![ticket.0.clone()],
                departments: others,
                report_limit_min: None,
            })
            .unwrap();
        w.row.id
    };
    office.sync().await;
    liaison.sync().await;
    assert!(!liaison
        .store()
        .has_event(&office.store().events_of(&ticket.0).unwrap()[0].id.0)
        .unwrap());
    office
        .store()
        .record_whistle(
            &whistle,
            WhistleEvent::DepartmentsAdded {
                departments: vec![department.clone()],
                at: now_beijing(),
            },
        )
        .unwrap();
    office.sync().await;
    liaison.sync().await;
    let all = office.store().all_log_events().unwrap();
    let streams = liaison_streams(&all, &department);
    assert!(streams.contains(&whistle) && streams.contains(&ticket.0));
    assert_eq!(event_ids(&liaison.store()), ids_in(&all, &streams));

    // Its own department's step is taken; closing the whistle, or writing on the ticket, is
    // kept aside for the administrator and reaches no one.
    let step = |body: WhistleEvent| {
        LogEvent::Whistle(WhistleRecord {
            id: streetdesk_core::EventId::new(),
            whistle_id: streetdesk_core::WhistleId(whistle.clone()),
            hlc: streetdesk_core::Hlc::new(chrono::Utc::now().timestamp_millis(), 0),
            device: liaison.store().device().clone(),
            actor: "城管联络员".into(),
            heads: vec![],
            body,
        })
    };
    let reported = step(WhistleEvent::ReportedIn {
        department: department.clone(),
        at: now_beijing(),
    });
    let closed = step(WhistleEvent::Closed {
        at: now_beijing(),
        summary: "处理完毕".into(),
    });
    let note = LogEvent::Ticket(streetdesk_core::Event {
        id: streetdesk_core::EventId::new(),
        ticket_id: ticket.clone(),
        hlc: streetdesk_core::Hlc::new(chrono::Utc::now().timestamp_millis(), 0),
        device: liaison.store().device().clone(),
        actor: "城管联络员".into(),
        heads: vec![],
        body: TicketEvent::ProgressNoted {
            note: "已到场".into(),
        },
    });
    let answer = liaison
        .client
        .push(&[reported.clone(), closed.clone(), note.clone()])
        .await
        .unwrap();
    let outcomes: Vec<_> = answer
        .results
        .iter()
        .map(|r| (r.outcome.clone(), r.reason.clone()))
        .collect();
    let forbidden = Some("sync.scope.forbidden".to_owned());
    assert_eq!(
        outcomes,
        [
            (Outcome::Accepted, None),
            (Outcome::Quarantined, forbidden.clone()),
            (Outcome::Quarantined, forbidden),
        ]
    );
    office.sync().await;
    let ids = office.store().event_ids().unwrap();
    assert!(ids.contains(&reported.id().0));
    assert!(!ids.contains(&closed.id().0) && !ids.contains(&note.id().0));
    // A step must name a whistle that summoned the department, not a ticket it may see.
    let disguised = LogEvent::Whistle(WhistleRecord {
        id: streetdesk_core::EventId::new(),
        whistle_id: streetdesk_core::WhistleId(ticket.0.clone()),
        hlc: streetdesk_core::Hlc::new(chrono::Utc::now().timestamp_millis(), 0),
        device: liaison.store().device().clone(),
        actor: "城管联络员".into(),
        heads: vec![],
        body: WhistleEvent::Done {
            department: department.clone(),
            at: now_beijing(),
            note: "已处置".into(),
        },
    });
    let answer = liaison.client.push(&[disguised]).await.unwrap();
    assert_eq!(answer.results[0].outcome, Outcome::Quarantined);
    let kept_aside = hub.admin(&["quarantine"]);
    assert_eq!(kept_aside.lines().count(), 3, "{kept_aside}");

    // Starting over, the liaison pushes back everything it pulled: identical copies are
    // duplicates, not alarms.
    liaison.store().restart_sync().unwrap();
    let report = liaison.sync().await;
    assert!(report.refused.is_empty(), "{:?}", report.refused);
    assert_eq!(report.accepted, 0);
    assert_eq!(hub.admin(&["quarantine"]).lines().count(), 3);
}
