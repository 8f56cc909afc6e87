//! The store against a real SQLite file on disk.

use streetdesk_core::dto::{BacklogQuery, Community, NewTicket};
use streetdesk_core::error::ErrorCode;
use streetdesk_core::event::TicketEventType;
use streetdesk_core::ticket::{TicketKind, TicketSource, TicketStatus};
use streetdesk_core::{TicketEvent, TicketId};
use streetdesk_store::{Store, DB_FILE};

fn communities() -> Vec<Community> {
    ["和平社区", "安定社区"]
        .iter()
        .enumerate()
        .map(|(i, n)| Community {
            id: format!("c{i}"),
            name: (*n).into(),
            grid_count: 3,
        })
        .collect()
}

fn new_ticket(hotline: Option<&str>, community: &str) -> NewTicket {
    NewTicket {
        hotline_no: hotline.map(Into::into),
        kind: TicketKind::Complaint,
        source: TicketSource::Hotline,
        category: "城市管理/停车管理/胡同停车".into(),
        content: "胡同口有车辆长期停放".into(),
        address: "安定门内大街 8 号".into(),
        community_id: community.into(),
        caller_name: "赵建国".into(),
        caller_phone: "13912345678".into(),
        received_at: "2026-11-20T08:15".into(),
        urgency: streetdesk_core::policy::Urgency::General,
        deadline: None,
        grid: Some(2),
        location: None,
        related: None,
    }
}

fn open(dir: &tempfile::TempDir) -> Store {
    let mut s = Store::open(&dir.path().join(DB_FILE)).unwrap();
    s.upsert_directory(&communities(), &[]).unwrap();
    s
}

#[test]
fn a_registered_ticket_is_an_event_survives_reopen_and_is_masked() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let mut s = open(&dir);
        let d = s
            .register_ticket(&new_ticket(Some("2611200001"), "c1"))
            .unwrap();
        assert_eq!(d.row.status, TicketStatus::Received);
        assert_eq!(d.row.caller_phone_masked, "139****5678");
        assert_eq!(d.row.caller_name_masked, "赵**");
        assert_eq!(d.row.community_name, "安定社区");
        assert_eq!(d.row.received_at, "2026-11-20T08:15:00+08:00");
        assert_eq!(d.timeline.len(), 1);
        assert_eq!(d.timeline[0].event_type, TicketEventType::Registered);
        assert_eq!(d.timeline[0].actor, "值班员");
        assert_eq!(s.event_count().unwrap(), 1);
        d.row.id
    };
    let mut s = Store::open(&dir.path().join(DB_FILE)).unwrap();
    let page = s
        .backlog(&BacklogQuery {
            limit: 50,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.rows.len(), 1);
    assert_eq!(page.rows[0].id, id);
    let grid = format!("{}-02", page.rows[0].community_id);
    assert_eq!(page.rows[0].grid, Some(grid));
    let detail = s.ticket_detail(&id).unwrap();
    assert_eq!(detail.reveal_count, 0);
    let json = serde_json::to_string(&detail).unwrap();
    assert!(
        !json.contains("13912345678") && !json.contains("赵建国"),
        "detail leaks: {json}"
    );

    let caller = s.reveal_caller(&id).unwrap();
    assert_eq!(
        (caller.name.as_str(), caller.phone.as_str()),
        ("赵建国", "13912345678")
    );
    assert_eq!(s.ticket_detail(&id).unwrap().reveal_count, 1);
    s.integrity_check().unwrap();
}

#[test]
fn bad_input_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = open(&dir);
    s.register_ticket(&new_ticket(Some("A-1"), "c0")).unwrap();
    let dup = s
        .register_ticket(&new_ticket(Some("A-1"), "c0"))
        .unwrap_err();
    assert_eq!(dup.code, ErrorCode::HotlineNoDuplicate);
    let unknown = s.register_ticket(&new_ticket(None, "c9")).unwrap_err();
    assert_eq!(unknown.code, ErrorCode::CommunityUnknown);
    let mut bad_phone = new_ticket(None, "c0");
    bad_phone.caller_phone = "电话".into();
    assert_eq!(
        s.register_ticket(&bad_phone).unwrap_err().code,
        ErrorCode::CallerPhoneInvalid
    );
    assert_eq!(s.event_count().unwrap(), 1);
    assert_eq!(s.ticket_count().unwrap(), 1);
    assert_eq!(
        s.ticket_detail("nope").unwrap_err().code,
        ErrorCode::TicketNotFound
    );
}

#[test]
fn filters_paging_and_facets() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = open(&dir);
    let mut ids = Vec::new();
    for i in 0..25 {
        let mut t = new_ticket(None, if i % 3 == 0 { "c0" } else { "c1" });
        t.received_at = format!("2026-11-{:02}T09:00", 1 + i);
        ids.push(s.register_ticket(&t).unwrap().row.id);
    }
    // Sign for two tickets of c0 through events.
    for id in [&ids[0], &ids[3]] {
        let e = s
            .stamp(&TicketId(id.clone()), TicketEvent::SignedFor)
            .unwrap();
        s.append(&[e]).unwrap();
    }

    let mut seen = Vec::new();
    let mut q = BacklogQuery {
        limit: 10,
        ..Default::default()
    };
    loop {
        let page = s.backlog(&q).unwrap();
        assert!(page.rows.len() <= 10);
        seen.extend(page.rows.iter().map(|r| r.received_at.clone()));
        match page.next {
            Some(next) => q.after = Some(next),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(seen.len(), 25);
    assert_eq!(seen, sorted, "newest first, no gaps or repeats");

    let signed_c0 = BacklogQuery {
        status: Some(TicketStatus::Signed),
        community_id: Some("c0".into()),
        limit: 50,
        ..Default::default()
    };
    let page = s.backlog(&signed_c0).unwrap();
    assert_eq!(page.rows.len(), 2);
    assert_eq!(s.backlog_facets(&signed_c0).unwrap().total, 2);
    assert!(page
        .rows
        .iter()
        .all(|r| r.status == TicketStatus::Signed && r.community_id == "c0"));

    let facets = s
        .backlog_facets(&BacklogQuery {
            community_id: Some("c0".into()),
            ..Default::default()
        })
        .unwrap();
    let count = |k: &str| {
        facets
            .by_status
            .iter()
            .find(|f| f.key == k)
            .map(|f| f.count)
    };
    assert_eq!(count("signed"), Some(2));
    assert_eq!(count("received"), Some(7));
    let c1 = facets.by_community.iter().find(|f| f.key == "c1").unwrap();
    assert_eq!(c1.count, 16);
}

#[test]
fn projection_equals_rebuild_and_events_are_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = open(&dir);
    let d = s.register_ticket(&new_ticket(None, "c0")).unwrap();
    let id = TicketId(d.row.id.clone());
    let signed = s.stamp(&id, TicketEvent::SignedFor).unwrap();
    assert_eq!(s.append(std::slice::from_ref(&signed)).unwrap(), 1);
    assert_eq!(
        s.append(std::slice::from_ref(&signed)).unwrap(),
        0,
        "same id twice is stored once"
    );
    // The sign-for names the registration as its head.
    assert_eq!(signed.heads.len(), 1);
    let before = s.projection_snapshot().unwrap();
    s.rebuild_projections().unwrap();
    assert_eq!(s.projection_snapshot().unwrap(), before);
    assert_eq!(
        s.ticket_detail(&id.0).unwrap().row.status,
        TicketStatus::Signed
    );
}

#[test]
fn device_identity_and_clock_persist() {
    let dir = tempfile::tempdir().unwrap();
    let (device, last) = {
        let mut s = open(&dir);
        let d = s.register_ticket(&new_ticket(None, "c0")).unwrap();
        let e = s
            .stamp(&TicketId(d.row.id), TicketEvent::SignedFor)
            .unwrap();
        s.append(std::slice::from_ref(&e)).unwrap();
        (s.device().clone(), e.hlc)
    };
    let mut s = Store::open(&dir.path().join(DB_FILE)).unwrap();
    assert_eq!(s.device(), &device);
    // Even with the PC's clock set back to 1970, the next event orders after the stored ones.
    let e = s.stamp_with_heads(
        &TicketId::new(),
        TicketEvent::SignedFor,
        vec![],
        0,
        "值班员",
    );
    assert!(e.hlc > last, "{} !> {}", e.hlc, last);
}

#[test]
fn search_finds_one_two_and_many_characters_and_follows_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = open(&dir);
    let texts = [
        ("A-100", "楼道里堆满杂物，堵塞消防通道", "北新仓胡同 5 号"),
        ("A-200", "想咨询低保申请需要哪些材料", "安华西里 12 号楼"),
        ("B-300", "顶楼漏水，墙面发霉", "北新仓胡同 9 号"),
    ];
    let mut ids = Vec::new();
    for (no, content, address) in texts {
        let mut t = new_ticket(Some(no), "c0");
        t.content = content.into();
        t.address = address.into();
        ids.push(s.register_ticket(&t).unwrap().row.id);
    }
    let find = |s: &Store, text: &str| -> Vec<String> {
        let q = BacklogQuery {
            search: Some(text.into()),
            limit: 50,
            ..Default::default()
        };
        let mut found: Vec<String> = s
            .backlog(&q)
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.id)
            .collect();
        found.sort();
        found
    };
    let sorted = |mut v: Vec<&String>| {
        v.sort();
        v.into_iter().cloned().collect::<Vec<_>>()
    };
    assert_eq!(find(&s, "水"), sorted(vec![&ids[2]]), "one character");
    assert_eq!(find(&s, "低保"), sorted(vec![&ids[1]]), "two characters");
    assert_eq!(
        find(&s, "消防通道"),
        sorted(vec![&ids[0]]),
        "four characters, via the index"
    );
    assert_eq!(
        find(&s, "北新仓"),
        sorted(vec![&ids[0], &ids[2]]),
        "address"
    );
    assert_eq!(
        find(&s, "北新仓 漏水"),
        sorted(vec![&ids[2]]),
        "every term must match"
    );
    assert_eq!(find(&s, "A-1"), sorted(vec![&ids[0]]), "hotline number");
    assert_eq!(find(&s, "a-100"), sorted(vec![&ids[0]]), "case-insensitive");
    assert!(find(&s, "不存在的内容").is_empty());
    assert!(find(&s, "%").is_empty(), "LIKE wildcards are literal");

    // A reply becomes searchable as soon as it is recorded.
    let id = TicketId(ids[1].clone());
    s.record(&id.0, TicketEvent::SignedFor).unwrap();
    s.record(
        &id.0,
        TicketEvent::ProgressNoted {
            note: "已联系".into(),
        },
    )
    .unwrap();
    assert!(find(&s, "民政科室").is_empty());
    s.record(
        &id.0,
        TicketEvent::Replied {
            reply: "已转民政科室受理".into(),
        },
    )
    .unwrap();
    assert_eq!(find(&s, "民政科室"), vec![ids[1].clone()]);
    // Facets count within the search.
    let q = BacklogQuery {
        search: Some("北新仓".into()),
        ..Default::default()
    };
    let facets = s.backlog_facets(&q).unwrap();
    assert_eq!(facets.by_status.iter().map(|f| f.count).sum::<u32>(), 2);
    // And the index survives a rebuild.
    s.rebuild_projections().unwrap();
    assert_eq!(find(&s, "民政科室"), vec![ids[1].clone()]);
}

#[test]
fn facet_counts_kept_in_step_equal_counts_loaded_afresh() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = open(&dir);
    let categories = [
        "城市管理/停车管理/胡同停车",
        "城市管理/市容环境/占道经营",
        "住房管理/物业服务/电梯故障",
    ];
    let register = |s: &mut Store, day: u32, i: usize| {
        let mut t = new_ticket(None, if i.is_multiple_of(2) { "c0" } else { "c1" });
        t.received_at = format!("2026-11-{day:02}T09:{:02}", i % 60);
        t.category = categories[i % 3].into();
        s.register_ticket(&t).unwrap().row.id
    };
    let mut ids: Vec<String> = (0..12)
        .map(|i| register(&mut s, 15 + (i % 10) as u32, i))
        .collect();
    let all = BacklogQuery::default();
    // Loads the in-memory index; everything after this keeps it in step.
    let before = s.backlog_facets(&all).unwrap();
    assert_eq!(before.total, 12);

    // Tickets received before the newest ones (as from a sync or an import), then steps,
    // tags and supervision, some in one batch for the same ticket.
    ids.extend((12..20).map(|i| register(&mut s, 1 + i as u32 % 5, i)));
    for (n, id) in ids.iter().enumerate().step_by(3) {
        let id = TicketId(id.clone());
        let mut batch = vec![s.stamp(&id, TicketEvent::SignedFor).unwrap()];
        batch.push(
            s.stamp(
                &id,
                TicketEvent::Tagged {
                    tag: format!("每月一题·{}", n % 2),
                },
            )
            .unwrap(),
        );
        if n.is_multiple_of(2) {
            batch.push(
                s.stamp(
                    &id,
                    TicketEvent::SupervisionFlagged {
                        note: "区督办".into(),
                    },
                )
                .unwrap(),
            );
        }
        s.append(&batch).unwrap();
    }

    let queries = [
        all.clone(),
        BacklogQuery {
            category: Some("城市管理".into()),
            ..Default::default()
        },
        BacklogQuery {
            category: Some("城市管理/市容环境".into()),
            community_id: Some("c0".into()),
            ..Default::default()
        },
        BacklogQuery {
            tag: Some("每月一题·0".into()),
            ..Default::default()
        },
        BacklogQuery {
            supervised: Some(true),
            open: Some(true),
            ..Default::default()
        },
        BacklogQuery {
            status: Some(TicketStatus::Signed),
            received_from: Some("2026-11-01".into()),
            received_to: Some("2026-11-10".into()),
            ..Default::default()
        },
    ];
    let kept: Vec<_> = queries
        .iter()
        .map(|q| s.backlog_facets(q).unwrap())
        .collect();
    assert_eq!(kept[0].total, 20);
    drop(s);
    let s = Store::open(&dir.path().join(DB_FILE)).unwrap();
    for (q, kept) in queries.iter().zip(kept) {
        assert_eq!(s.backlog_facets(q).unwrap(), kept, "query {q:?}");
    }
}
