//! The workflow through the store: every side path, refusals that change nothing, and two
//! devices that disagreed offline.

use chrono::Duration;
use streetdesk_core::dto::{BacklogQuery, Community, NewTicket};
use streetdesk_core::error::ErrorCode;
use streetdesk_core::ticket::{
    Callback, ExtensionState, Resolution, Satisfaction, TicketKind, TicketSource, TicketStatus,
};
use streetdesk_core::time::now_beijing;
use streetdesk_core::{TicketEvent, TicketId};
use streetdesk_store::Store;

fn store() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    let c = Community {
        id: "c1".into(),
        name: "槐荫社区".into(),
        grid_count: 2,
    };
    s.upsert_directory(&[c], &[]).unwrap();
    s
}

fn register(s: &mut Store) -> String {
    let t = NewTicket {
        hotline_no: None,
        kind: TicketKind::Complaint,
        source: TicketSource::Hotline,
        category: "城市管理/市容环境/垃圾清运".into(),
        content: "垃圾桶满溢".into(),
        address: "槐荫胡同 1 号".into(),
        community_id: "c1".into(),
        caller_name: "周女士".into(),
        caller_phone: "13511112222".into(),
        received_at: "2026-11-20T10:00".into(),
    };
    s.register_ticket(&t).unwrap().row.id
}

fn callback(resolution: Resolution) -> TicketEvent {
    TicketEvent::CallbackRecorded(Callback {
        contacted: true,
        resolution,
        satisfaction: Satisfaction::Basically,
    })
}

#[test]
fn a_life_with_every_side_path() {
    let mut s = store();
    let id = register(&mut s);
    let until = now_beijing() + Duration::days(10);
    let steps = vec![
        TicketEvent::SignedFor,
        TicketEvent::Assigned {
            unit: "城市管理办公室".into(),
        },
        TicketEvent::CoHandlerAdded {
            unit: "槐荫社区".into(),
        },
        TicketEvent::ContactMade {
            note: "电话联系，约定明日清运".into(),
        },
        TicketEvent::ExtensionRequested {
            until,
            reason: "需协调环卫车辆".into(),
        },
        TicketEvent::ExtensionDecided {
            granted: true,
            reason: "同意延期".into(),
        },
        TicketEvent::SupervisionFlagged {
            note: "主任督办".into(),
        },
        TicketEvent::Replied {
            reply: "已清运".into(),
        },
        TicketEvent::SentForCallback,
        callback(Resolution::Unresolved),
        TicketEvent::Reopened {
            reason: "回访未解决，重新清运".into(),
        },
        TicketEvent::SupervisionCleared,
        TicketEvent::Replied {
            reply: "已增加清运频次".into(),
        },
        callback(Resolution::Resolved),
        TicketEvent::Archived,
    ];
    for step in steps {
        s.record(&id, step).unwrap();
    }
    let d = s.ticket_detail(&id).unwrap();
    assert_eq!(d.row.status, TicketStatus::Archived);
    assert_eq!(d.co_handlers, vec!["槐荫社区".to_owned()]);
    assert!(d.contacted && !d.supervised);
    assert_eq!(d.extension_state, Some(ExtensionState::Granted));
    assert_eq!(d.reopen_count, 1);
    assert_eq!(d.reply.as_deref(), Some("已增加清运频次"));
    assert_eq!(d.timeline.len(), 16);
    assert!(!d.row.needs_review);
}

#[test]
fn refused_actions_name_state_and_action_and_change_nothing() {
    let mut s = store();
    let id = register(&mut s);
    let before = s.event_count().unwrap();

    let e = s
        .record(&id, TicketEvent::Replied { reply: "x".into() })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::ActionNotAllowed);
    assert!(
        e.message.contains("replied") && e.message.contains("received"),
        "{}",
        e.message
    );

    let e = s
        .record(
            &id,
            TicketEvent::ObjectionRaised {
                reason: "  ".into(),
            },
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::ReasonRequired);

    let merge_self = TicketEvent::MergedInto {
        primary: TicketId(id.clone()),
        reason: "重复".into(),
    };
    assert_eq!(
        s.record(&id, merge_self).unwrap_err().code,
        ErrorCode::MergeInvalid
    );
    let merge_nowhere = TicketEvent::MergedInto {
        primary: TicketId::new(),
        reason: "重复".into(),
    };
    assert_eq!(
        s.record(&id, merge_nowhere).unwrap_err().code,
        ErrorCode::MergeInvalid
    );

    let again = s
        .record(&id, TicketEvent::Registered(dummy_registration()))
        .unwrap_err();
    assert_eq!(again.code, ErrorCode::ActionNotAllowed);
    assert_eq!(
        s.record("missing", TicketEvent::SignedFor)
            .unwrap_err()
            .code,
        ErrorCode::TicketNotFound
    );
    assert_eq!(s.event_count().unwrap(), before);
}

fn dummy_registration() -> streetdesk_core::event::TicketRegistered {
    streetdesk_core::event::TicketRegistered {
        hotline_no: None,
        kind: TicketKind::Help,
        source: TicketSource::WalkIn,
        category: "x".into(),
        content: "x".into(),
        address: "x".into(),
        community_id: "c1".into(),
        caller_name: streetdesk_core::pii::Personal::new("x"),
        caller_phone: streetdesk_core::pii::Personal::new("13500000000"),
        received_at: now_beijing(),
    }
}

#[test]
fn objections_merges_and_reopen_rules() {
    let mut s = store();
    let upheld = register(&mut s);
    s.record(
        &upheld,
        TicketEvent::ObjectionRaised {
            reason: "不属本街道辖区".into(),
        },
    )
    .unwrap();
    assert_eq!(
        s.record(&upheld, TicketEvent::SignedFor).unwrap_err().code,
        ErrorCode::ActionNotAllowed
    );
    let d = s
        .record(
            &upheld,
            TicketEvent::ObjectionDecided {
                upheld: true,
                reason: "改派至邻街".into(),
            },
        )
        .unwrap();
    assert_eq!(d.row.status, TicketStatus::Redispatched);
    assert_eq!(
        s.record(&upheld, TicketEvent::Archived).unwrap().row.status,
        TicketStatus::Archived
    );

    let rejected = register(&mut s);
    s.record(&rejected, TicketEvent::SignedFor).unwrap();
    s.record(
        &rejected,
        TicketEvent::ObjectionRaised {
            reason: "属物业责任".into(),
        },
    )
    .unwrap();
    let d = s
        .record(
            &rejected,
            TicketEvent::ObjectionDecided {
                upheld: false,
                reason: "属地管理".into(),
            },
        )
        .unwrap();
    assert_eq!(d.row.status, TicketStatus::InProgress);

    let dup = register(&mut s);
    let d = s
        .record(
            &dup,
            TicketEvent::MergedInto {
                primary: TicketId(rejected.clone()),
                reason: "同一诉求人同一事项".into(),
            },
        )
        .unwrap();
    assert_eq!(d.row.status, TicketStatus::Archived);
    assert_eq!(d.merged_into.as_deref(), Some(rejected.as_str()));

    // 重办 only after a callback that did not find the matter resolved.
    s.record(
        &rejected,
        TicketEvent::Replied {
            reply: "已处理".into(),
        },
    )
    .unwrap();
    s.record(&rejected, callback(Resolution::Resolved)).unwrap();
    let e = s
        .record(
            &rejected,
            TicketEvent::Reopened {
                reason: "再看看".into(),
            },
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::ActionNotAllowed);
}

/// Two devices take the same ticket in different directions offline; after they exchange
/// events both fold to the same state, nothing is lost, and the ticket is flagged for review.
#[test]
fn conflicting_offline_transitions_converge_and_are_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let mut office = Store::open(&dir.path().join("office.sqlite3")).unwrap();
    let c = Community {
        id: "c1".into(),
        name: "槐荫社区".into(),
        grid_count: 2,
    };
    office
        .upsert_directory(std::slice::from_ref(&c), &[])
        .unwrap();
    let id = register(&mut office);
    office.record(&id, TicketEvent::SignedFor).unwrap();

    let mut laptop = Store::open(&dir.path().join("laptop.sqlite3")).unwrap();
    laptop.upsert_directory(&[c], &[]).unwrap();
    laptop.append(&office.events_of(&id).unwrap()).unwrap();

    // Offline: the office objects to the dispatch while the laptop starts work and replies.
    office
        .record(
            &id,
            TicketEvent::ObjectionRaised {
                reason: "非本街道".into(),
            },
        )
        .unwrap();
    laptop
        .record(
            &id,
            TicketEvent::ContactMade {
                note: "已到现场".into(),
            },
        )
        .unwrap();
    laptop
        .record(
            &id,
            TicketEvent::Replied {
                reply: "已处理".into(),
            },
        )
        .unwrap();

    let from_office = office.events_of(&id).unwrap();
    let from_laptop = laptop.events_of(&id).unwrap();
    office.append(&from_laptop).unwrap();
    laptop.append(&from_office).unwrap();

    let a = office.ticket_detail(&id).unwrap();
    let b = laptop.ticket_detail(&id).unwrap();
    assert_eq!(a.row.status, b.row.status);
    assert_eq!(a.timeline, b.timeline);
    assert_eq!(a.timeline.len(), 5, "every event from both devices is kept");
    assert!(a.row.needs_review && b.row.needs_review);
    assert!(a.timeline.iter().any(|e| e.conflicting));
    let page = office
        .backlog(&BacklogQuery {
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert!(page.rows[0].needs_review);
}
