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
        urgency: streetdesk_core::policy::Urgency::General,
        deadline: None,
        grid: None,
        location: None,
        related: None,
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
        .record(&id, TicketEvent::Registered(Box::new(dummy_registration())))
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
        urgency: Default::default(),
        deadline: None,
        grid: None,
        location: None,
        related: Vec::new(),
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

/// Deadlines follow the policy, the printed deadline and a granted extension; entering next
/// year's holiday notice moves a running working-day deadline.
#[test]
fn deadlines_and_calendar_changes() {
    use streetdesk_core::calendar::YearSchedule;
    use streetdesk_core::policy::{Policies, Urgency, Warning};
    let mut s = store();
    let mut t = NewTicket {
        hotline_no: None,
        kind: TicketKind::Help,
        source: TicketSource::Hotline,
        category: "公共服务/供暖/供暖不热".into(),
        content: "暖气不热".into(),
        address: "槐荫胡同 2 号".into(),
        community_id: "c1".into(),
        caller_name: "吴先生".into(),
        caller_phone: "13622223333".into(),
        received_at: "2026-11-20T10:00".into(),
        urgency: Urgency::Utility,
        deadline: None,
        grid: None,
        location: None,
        related: None,
    };
    let utility = s.register_ticket(&t).unwrap().row;
    assert_eq!(utility.due_at, "2026-11-21T10:00:00+08:00");
    assert_eq!(
        utility.warning,
        Warning::Red,
        "a day-old 24h ticket is overdue"
    );

    t.deadline = Some("2030-01-01T18:00".into());
    let printed = s.register_ticket(&t).unwrap().row;
    assert_eq!(printed.due_at, "2030-01-01T18:00:00+08:00");
    assert_eq!(printed.warning, Warning::Green);

    // The warning colour is a filter and a facet, computed the same way as on the rows.
    let red = BacklogQuery {
        warning: Some(Warning::Red),
        limit: 10,
        ..Default::default()
    };
    let rows = s.backlog(&red).unwrap().rows;
    assert_eq!(
        rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        vec![utility.id.as_str()]
    );
    let facets = s.backlog_facets(&BacklogQuery::default()).unwrap();
    let count = |k: &str| {
        facets
            .by_warning
            .iter()
            .find(|f| f.key == k)
            .map_or(0, |f| f.count)
    };
    assert_eq!((count("red"), count("green"), count("yellow")), (1, 1, 0));
    let facets = s.backlog_facets(&red).unwrap();
    assert_eq!(
        facets.by_status.iter().map(|f| f.count).sum::<u32>(),
        1,
        "other facets honour it"
    );

    // A reply stops the clock: no warning any more.
    s.record(&utility.id, TicketEvent::SignedFor).unwrap();
    s.record(
        &utility.id,
        TicketEvent::ProgressNoted {
            note: "已联系热力公司".into(),
        },
    )
    .unwrap();
    let until = streetdesk_core::time::parse_beijing("2026-11-25T18:00").unwrap();
    s.record(
        &utility.id,
        TicketEvent::ExtensionRequested {
            until,
            reason: "需更换管道".into(),
        },
    )
    .unwrap();
    assert_eq!(
        s.ticket_detail(&utility.id).unwrap().row.due_at,
        "2026-11-21T10:00:00+08:00"
    );
    s.record(
        &utility.id,
        TicketEvent::ExtensionDecided {
            granted: true,
            reason: "同意".into(),
        },
    )
    .unwrap();
    assert_eq!(
        s.ticket_detail(&utility.id).unwrap().row.due_at,
        "2026-11-25T18:00:00+08:00"
    );
    let d = s
        .record(
            &utility.id,
            TicketEvent::Replied {
                reply: "已修复".into(),
            },
        )
        .unwrap();
    assert_eq!(d.row.warning, Warning::None);

    // A working-day policy over New Year 2027, before and after the 2027 notice is entered.
    let policies = Policies {
        general: "3wd".parse().unwrap(),
        ..Policies::default()
    };
    s.set_policies(policies).unwrap();
    t.urgency = Urgency::General;
    t.deadline = None;
    t.received_at = "2026-12-30T09:00".into();
    // (Received in the future relative to the real clock is refused, so store it directly.)
    let id = TicketId::new();
    let reg = streetdesk_core::validate::validate_new_ticket(
        &t,
        streetdesk_core::time::parse_beijing("2027-01-01T00:00").unwrap(),
        |_| Some(4),
    )
    .unwrap();
    let e = s
        .stamp(&id, TicketEvent::Registered(Box::new(reg)))
        .unwrap();
    s.append(&[e]).unwrap();
    // Without a 2027 notice: Dec 31 (Thu), Jan 1 (Fri), Jan 4 (Mon).
    assert_eq!(
        s.ticket_detail(&id.0).unwrap().row.due_at,
        "2027-01-05T00:00:00+08:00"
    );
    let ymd = |m, d| chrono::NaiveDate::from_ymd_opt(2027, m, d).unwrap();
    let notice = YearSchedule {
        year: 2027,
        holidays: vec![ymd(1, 1), ymd(1, 2), ymd(1, 3)],
        makeup_workdays: vec![ymd(1, 9)],
    };
    s.set_calendar_year(&notice).unwrap();
    // With it: Dec 31, Jan 4, Jan 5.
    assert_eq!(
        s.ticket_detail(&id.0).unwrap().row.due_at,
        "2027-01-06T00:00:00+08:00"
    );
    // The recomputed deadlines are exactly what a rebuild from the log gives.
    let recomputed = s.projection_snapshot().unwrap();
    s.rebuild_projections().unwrap();
    assert_eq!(s.projection_snapshot().unwrap(), recomputed);
    // The notice is kept: a reopened store computes the same.
    let bad = YearSchedule {
        year: 2027,
        holidays: vec![],
        makeup_workdays: vec![ymd(1, 4)],
    };
    assert_eq!(
        s.set_calendar_year(&bad).unwrap_err().code,
        ErrorCode::InvalidArgument
    );
    assert_eq!(
        s.ticket_detail(&id.0).unwrap().row.due_at,
        "2027-01-06T00:00:00+08:00"
    );
}
