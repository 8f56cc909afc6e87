//! Bulk actions, tags and the user profile through the store.

use streetdesk_core::dto::{BacklogQuery, Community, NewTicket, Profile};
use streetdesk_core::error::ErrorCode;
use streetdesk_core::ticket::{TicketKind, TicketSource, TicketStatus};
use streetdesk_core::TicketEvent;
use streetdesk_store::Store;

fn store() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    let c = Community {
        id: "c1".into(),
        name: "槐荫社区".into(),
        grid_count: 3,
    };
    s.upsert_directory(&[c], &[]).unwrap();
    s
}

fn register(s: &mut Store, content: &str) -> String {
    let t = NewTicket {
        hotline_no: None,
        kind: TicketKind::Complaint,
        source: TicketSource::Hotline,
        category: "公共服务/供暖/供暖不热".into(),
        content: content.into(),
        address: "槐荫胡同 1 号".into(),
        community_id: "c1".into(),
        caller_name: "周女士".into(),
        caller_phone: "13511112222".into(),
        received_at: "2026-11-20T10:00".into(),
        urgency: streetdesk_core::policy::Urgency::General,
        deadline: None,
        grid: Some(3),
        location: None,
        related: None,
    };
    s.register_ticket(&t).unwrap().row.id
}

fn count(s: &Store, q: BacklogQuery) -> u32 {
    s.backlog_count(&q).unwrap()
}

#[test]
fn bulk_sign_for_does_what_each_state_allows_and_reports_the_rest() {
    let mut s = store();
    let ids: Vec<String> = (0..3)
        .map(|i| register(&mut s, &format!("暖气不热 {i}")))
        .collect();
    s.record(&ids[0], TicketEvent::SignedFor).unwrap();
    let before = s.event_count().unwrap();
    let mut asked = ids.clone();
    asked.push("no-such-ticket".into());
    let out = s.record_bulk(&asked, TicketEvent::SignedFor).unwrap();
    assert_eq!(out.done, vec![ids[1].clone(), ids[2].clone()]);
    let skipped: Vec<(&str, ErrorCode)> = out
        .skipped
        .iter()
        .map(|k| (k.id.as_str(), k.error.code))
        .collect();
    assert_eq!(
        skipped,
        vec![
            (ids[0].as_str(), ErrorCode::ActionNotAllowed),
            ("no-such-ticket", ErrorCode::TicketNotFound)
        ]
    );
    assert_eq!(s.event_count().unwrap(), before + 2);
    let signed = BacklogQuery {
        status: Some(TicketStatus::Signed),
        ..Default::default()
    };
    assert_eq!(count(&s, signed), 3);
}

#[test]
fn tags_are_events_filters_and_facets() {
    let mut s = store();
    let ids: Vec<String> = (0..3)
        .map(|i| register(&mut s, &format!("供暖 {i}")))
        .collect();
    let out = s
        .record_bulk(
            &ids,
            TicketEvent::Tagged {
                tag: " 每月一题·供暖 ".into(),
            },
        )
        .unwrap();
    assert_eq!(out.done.len(), 3);
    let tagged = BacklogQuery {
        tag: Some("每月一题·供暖".into()),
        ..Default::default()
    };
    assert_eq!(count(&s, tagged.clone()), 3);
    // Counts are cached per query, but never across a write.
    let before = s.backlog_facets(&BacklogQuery::default()).unwrap();
    assert_eq!(before.by_tag[0].count, 3);
    assert_eq!(s.backlog_facets(&BacklogQuery::default()).unwrap(), before);
    s.record(
        &ids[1],
        TicketEvent::Untagged {
            tag: "每月一题·供暖".into(),
        },
    )
    .unwrap();
    assert_eq!(count(&s, tagged.clone()), 2);
    let f = s.backlog_facets(&BacklogQuery::default()).unwrap();
    assert_eq!(f.by_tag.len(), 1);
    assert_eq!(
        (f.by_tag[0].key.as_str(), f.by_tag[0].count),
        ("每月一题·供暖", 2)
    );
    let row = s.ticket_detail(&ids[0]).unwrap().row;
    assert_eq!(row.tags, vec!["每月一题·供暖".to_owned()]);
    assert_eq!(row.grid.as_deref(), Some("c1-03"));

    // A blank or over-long tag is refused and changes nothing.
    let before = s.event_count().unwrap();
    for tag in ["  ", "很长的标签很长的标签很长的标签很长的标签很"] {
        let err = s
            .record_bulk(&ids, TicketEvent::Tagged { tag: tag.into() })
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::TagInvalid);
    }
    assert_eq!(s.event_count().unwrap(), before);
    // A rebuilt projection has the same tag index.
    let snapshot = s.projection_snapshot().unwrap();
    s.rebuild_projections().unwrap();
    assert_eq!(s.projection_snapshot().unwrap(), snapshot);
    assert_eq!(count(&s, tagged), 2);
}

#[test]
fn the_profile_names_the_actor_and_my_unit() {
    let mut s = store();
    let err = s
        .set_profile(&Profile {
            actor: "  ".into(),
            unit: "x".into(),
            liaison_department: None,
        })
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::ProfileNameInvalid);
    let p = s
        .set_profile(&Profile {
            actor: " 王芳 ".into(),
            unit: "槐荫社区".into(),
            liaison_department: None,
        })
        .unwrap();
    assert_eq!(
        p,
        Profile {
            actor: "王芳".into(),
            unit: "槐荫社区".into(),
            liaison_department: None,
        }
    );
    let id = register(&mut s, "暖气漏水");
    s.record(&id, TicketEvent::SignedFor).unwrap();
    s.record(
        &id,
        TicketEvent::Assigned {
            unit: "槐荫社区".into(),
        },
    )
    .unwrap();
    let d = s.ticket_detail(&id).unwrap();
    assert!(d.timeline.iter().all(|e| e.actor == "王芳"));
    let mine = BacklogQuery {
        assignee: Some(p.unit.clone()),
        open: Some(true),
        ..Default::default()
    };
    assert_eq!(count(&s, mine.clone()), 1);
    s.record(
        &id,
        TicketEvent::Replied {
            reply: "已修复".into(),
        },
    )
    .unwrap();
    assert_eq!(
        count(&s, mine),
        0,
        "a replied ticket is no longer open work"
    );
}

#[test]
fn counts_kept_in_step_with_writes_equal_counts_loaded_afresh() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("street.sqlite3");
    let mut s = Store::open(&path).unwrap();
    s.upsert_directory(
        &[Community {
            id: "c1".into(),
            name: "槐荫社区".into(),
            grid_count: 3,
        }],
        &[],
    )
    .unwrap();
    let ids: Vec<String> = (0..6)
        .map(|i| register(&mut s, &format!("暖气 {i}")))
        .collect();
    // Counting loads the in-memory index; from here on, writes keep it in step.
    let q = BacklogQuery::default();
    assert_eq!(s.backlog_facets(&q).unwrap().total, 6);
    s.record_bulk(&ids[..4], TicketEvent::SignedFor).unwrap();
    let unit = "槐荫社区".to_owned();
    s.record_bulk(&ids[..2], TicketEvent::Assigned { unit })
        .unwrap();
    let note = "督查".to_owned();
    s.record(&ids[1], TicketEvent::SupervisionFlagged { note })
        .unwrap();
    let tag = "每月一题·供暖".to_owned();
    s.record_bulk(&ids[2..], TicketEvent::Tagged { tag })
        .unwrap();
    register(&mut s, "新登记");
    let queries = [
        q.clone(),
        BacklogQuery {
            status: Some(TicketStatus::Signed),
            ..Default::default()
        },
        BacklogQuery {
            tag: Some("每月一题·供暖".into()),
            supervised: Some(false),
            ..Default::default()
        },
    ];
    let live: Vec<_> = queries
        .iter()
        .map(|q| s.backlog_facets(q).unwrap())
        .collect();
    drop(s);
    let fresh = Store::open(&path).unwrap();
    for (q, live) in queries.iter().zip(live) {
        assert_eq!(live, fresh.backlog_facets(q).unwrap(), "{q:?}");
    }
    assert_eq!(fresh.backlog_facets(&q).unwrap().total, 7);
}
