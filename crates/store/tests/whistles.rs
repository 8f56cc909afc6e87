//! Whistles through the store: blowing one from a ticket, each department's steps, the closure
//! rule, ratings, the board's queries, rebuilds, the directory and the monthly scorecard.

use chrono::{DateTime, Duration, FixedOffset, TimeZone};
use streetdesk_core::dto::{
    Community, Department, DepartmentKind, NewTicket, NewWhistle, WhistleQuery, WhistleSettings,
};
use streetdesk_core::error::ErrorCode;
use streetdesk_core::event::TicketRegistered;
use streetdesk_core::pii::Personal;
use streetdesk_core::ticket::{Callback, Resolution, Satisfaction, TicketKind, TicketSource};
use streetdesk_core::time::{beijing, now_beijing};
use streetdesk_core::whistle::{
    SummonsStage, WhistleBlown, WhistleEvent, WhistleReason, WhistleRecord, WhistleStatus,
};
use streetdesk_core::{DeviceId, Event, EventId, Hlc, TicketEvent, TicketId, WhistleId};
use streetdesk_store::Store;

fn department(id: &str, name: &str) -> Department {
    Department {
        id: id.into(),
        name: name.into(),
        kind: DepartmentKind::PublicService,
        phone: "010-64010001".into(),
        liaison: "马骏".into(),
        liaison_phone: String::new(),
        note: String::new(),
    }
}

fn store() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    let c = Community {
        id: "c1".into(),
        name: "槐荫社区".into(),
        grid_count: 3,
    };
    let ds = [
        department("d1", "区排水集团"),
        department("d2", "和乐派出所"),
        department("d3", "区供电公司"),
    ];
    s.upsert_directory(&[c], &ds).unwrap();
    s
}

fn register(s: &mut Store) -> String {
    let t = NewTicket {
        hotline_no: None,
        kind: TicketKind::Complaint,
        source: TicketSource::Hotline,
        category: "城乡建设/排水/污水外溢".into(),
        content: "胡同口污水井冒水".into(),
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

fn new_whistle(tickets: Vec<String>) -> NewWhistle {
    NewWhistle {
        reason: WhistleReason::Complaint,
        matter: "污水井冒水，需排水集团疏通".into(),
        place: "槐荫胡同 1 号".into(),
        community_id: Some("c1".into()),
        tickets,
        departments: vec!["d1".into(), "d2".into(), "d3".into()],
        report_limit_min: None,
    }
}

fn now() -> DateTime<FixedOffset> {
    now_beijing()
}

#[test]
fn a_whistle_from_a_ticket_runs_to_closure_and_rating() {
    let mut s = store();
    let ticket = register(&mut s);
    let w = s.blow_whistle(&new_whistle(vec![ticket.clone()])).unwrap();
    let id = w.row.id.clone();
    assert_eq!(w.row.report_limit_min, 30, "the setting's default");
    assert_eq!(w.row.summons.len(), 3);
    assert_eq!(w.row.summons[0].department_name, "区排水集团");
    assert_eq!(w.row.community.as_deref(), Some("槐荫社区"));
    // The ticket's timeline shows the whistle, and the board finds it from the ticket.
    let detail = s.ticket_detail(&ticket).unwrap();
    let last = detail.timeline.last().unwrap();
    assert_eq!(
        streetdesk_core::wire::wire_name(&last.event_type),
        "whistle_linked"
    );
    assert_eq!(last.detail.as_deref(), Some(id.as_str()));
    let by_ticket = WhistleQuery {
        ticket_id: Some(ticket.clone()),
        ..Default::default()
    };
    assert_eq!(s.whistles(&by_ticket).unwrap().len(), 1);

    let step = |d: &str| WhistleEvent::ReportedIn {
        department: d.into(),
        at: now(),
    };
    s.record_whistle(&id, step("d1")).unwrap();
    s.record_whistle(&id, step("d2")).unwrap();
    // 事不完、人不撤: closing now is refused, naming who is still out.
    let close = WhistleEvent::Closed {
        at: now(),
        summary: "已疏通".into(),
    };
    let err = s.record_whistle(&id, close.clone()).unwrap_err();
    assert_eq!(err.code, ErrorCode::WhistleStillOut);
    assert!(err.message.contains("区排水集团"), "{}", err.message);
    assert!(err.message.contains("区供电公司"), "{}", err.message);
    // A department that has not reported in cannot be done, nor escalated before its limit.
    let done = |d: &str| WhistleEvent::Done {
        department: d.into(),
        at: now(),
        note: "完成".into(),
    };
    let err = s.record_whistle(&id, done("d3")).unwrap_err();
    assert_eq!(err.code, ErrorCode::WhistleStepNotAllowed);
    assert!(err.message.contains("区供电公司"), "{}", err.message);
    let escalate = WhistleEvent::Escalated {
        department: "d3".into(),
        at: now(),
        note: "报区城指".into(),
    };
    assert_eq!(
        s.record_whistle(&id, escalate).unwrap_err().code,
        ErrorCode::WhistleNotOverdue
    );
    let release = |reason: &str| WhistleEvent::Released {
        department: "d3".into(),
        at: now(),
        reason: reason.into(),
    };
    assert_eq!(
        s.record_whistle(&id, release(" ")).unwrap_err().code,
        ErrorCode::WhistleReasonRequired
    );
    let future = WhistleEvent::ReportedIn {
        department: "d3".into(),
        at: now() + Duration::hours(2),
    };
    assert_eq!(
        s.record_whistle(&id, future).unwrap_err().code,
        ErrorCode::WhistleTimeInvalid
    );
    s.record_whistle(&id, release("非供电问题")).unwrap();
    s.record_whistle(&id, done("d1")).unwrap();
    s.record_whistle(&id, done("d2")).unwrap();
    let closed = s.record_whistle(&id, close).unwrap();
    assert_eq!(closed.row.status, WhistleStatus::Closed);
    // After closure: only ratings, 1–5, and only of departments that were done.
    let rate = |d: &str, effectiveness| WhistleEvent::Rated {
        department: d.into(),
        effectiveness,
        comment: "及时".into(),
    };
    assert_eq!(
        s.record_whistle(&id, rate("d1", 6)).unwrap_err().code,
        ErrorCode::WhistleRatingInvalid
    );
    assert_eq!(
        s.record_whistle(&id, rate("d3", 4)).unwrap_err().code,
        ErrorCode::WhistleStepNotAllowed
    );
    assert_eq!(
        s.record_whistle(&id, step("d1")).unwrap_err().code,
        ErrorCode::WhistleStepNotAllowed
    );
    let rated = s.record_whistle(&id, rate("d1", 5)).unwrap();
    assert_eq!(rated.row.summons[0].effectiveness, Some(5));
    assert_eq!(
        rated.timeline.len(),
        8,
        "blown, 2 in, released, 2 done, closed, rated"
    );

    // The board's filters, and a rebuild that gives back the same rows.
    let open = WhistleQuery {
        status: Some(WhistleStatus::Open),
        ..Default::default()
    };
    assert!(s.whistles(&open).unwrap().is_empty());
    let of_d2 = WhistleQuery {
        department_id: Some("d2".into()),
        ..Default::default()
    };
    let before = s.whistles(&of_d2).unwrap();
    assert_eq!(before.len(), 1);
    s.rebuild_projections().unwrap();
    assert_eq!(s.whistles(&of_d2).unwrap(), before);
}

#[test]
fn blowing_a_whistle_checks_its_form_and_changes_nothing_when_wrong() {
    let mut s = store();
    type Spoil = fn(&mut NewWhistle);
    let cases: [(Spoil, ErrorCode); 5] = [
        (|w| w.matter = "  ".into(), ErrorCode::WhistleMatterRequired),
        (|w| w.place = String::new(), ErrorCode::WhistlePlaceRequired),
        (
            |w| w.departments.clear(),
            ErrorCode::WhistleDepartmentsRequired,
        ),
        (
            |w| w.departments.push("nope".into()),
            ErrorCode::WhistleDepartmentUnknown,
        ),
        (|w| w.tickets.push("nope".into()), ErrorCode::TicketNotFound),
    ];
    for (spoil, code) in cases {
        let mut w = new_whistle(vec![]);
        spoil(&mut w);
        assert_eq!(s.blow_whistle(&w).unwrap_err().code, code);
    }
    assert!(s.whistles(&WhistleQuery::default()).unwrap().is_empty());
    // The report-in limit comes from the settings unless the form gives one.
    let settings = WhistleSettings {
        report_limit_min: 45,
        ..Default::default()
    };
    s.set_whistle_settings(&settings).unwrap();
    assert_eq!(
        s.blow_whistle(&new_whistle(vec![]))
            .unwrap()
            .row
            .report_limit_min,
        45
    );
    let bad = WhistleSettings {
        report_limit_min: 0,
        ..Default::default()
    };
    assert_eq!(
        s.set_whistle_settings(&bad).unwrap_err().code,
        ErrorCode::WhistleLimitInvalid
    );
}

#[test]
fn the_directory_is_edited_and_merged_all_or_nothing() {
    let mut s = store();
    let mut gas = department("", "区燃气公司");
    gas.phone = "９６７７７".into();
    let saved = s.save_department(&gas).unwrap();
    assert_eq!((saved.id.as_str(), saved.phone.as_str()), ("d04", "96777"));
    let mut dup = department("", "区燃气公司");
    dup.phone = "13800001111".into();
    assert_eq!(
        s.save_department(&dup).unwrap_err().code,
        ErrorCode::DepartmentDuplicate
    );
    let mut bad_phone = department("", "区热力公司");
    bad_phone.phone = "call me".into();
    assert_eq!(
        s.save_department(&bad_phone).unwrap_err().code,
        ErrorCode::DepartmentPhoneInvalid
    );
    // A merge whose rename would make two departments share a name changes nothing.
    let before = s.departments().unwrap();
    let clash = [department("", "区热力公司"), department("d1", "和乐派出所")];
    assert_eq!(
        s.merge_departments(&clash).unwrap_err().code,
        ErrorCode::DepartmentDuplicate
    );
    assert_eq!(s.departments().unwrap(), before);
    // A row renaming d1 and a row naming d1 by its old name are the same department.
    let twice = [
        department("d1", "区排水集团二部"),
        department("", "区排水集团"),
    ];
    assert_eq!(
        s.merge_departments(&twice).unwrap_err().code,
        ErrorCode::DepartmentDuplicate
    );
    assert_eq!(s.departments().unwrap(), before);
    let ok = [department("", "区热力公司"), department("", "区排水集团")];
    assert_eq!(s.merge_departments(&ok).unwrap(), (1, 1));
    assert_eq!(s.departments().unwrap().len(), 5);
}

// ---- the scorecard, on a hand-computed October -------------------------------------------

fn oct(day: u32, hour: u32, minute: u32) -> DateTime<FixedOffset> {
    beijing()
        .with_ymd_and_hms(2026, 10, day, hour, minute, 0)
        .unwrap()
}

fn whistle_event(w: &WhistleId, at: DateTime<FixedOffset>, body: WhistleEvent) -> WhistleRecord {
    WhistleRecord {
        id: EventId::new(),
        whistle_id: w.clone(),
        hlc: Hlc::new(at.timestamp_millis(), 0),
        device: DeviceId::from("pc-1"),
        actor: "值班员".into(),
        heads: vec![],
        body,
    }
}

/// A whistle blown at `at` to departments that each report in after their minutes, are done,
/// and rated; then closed.
fn rated_whistle(
    at: DateTime<FixedOffset>,
    limit: u32,
    tickets: &[TicketId],
    departments: &[(&str, i64, u8)],
) -> Vec<WhistleRecord> {
    let w = WhistleId::new();
    let mut out = vec![whistle_event(
        &w,
        at,
        WhistleEvent::Blown(WhistleBlown {
            reason: WhistleReason::Complaint,
            matter: "积水".into(),
            place: "槐荫胡同".into(),
            community_id: None,
            tickets: tickets.to_vec(),
            departments: departments.iter().map(|d| d.0.to_owned()).collect(),
            report_limit_min: limit,
            at,
        }),
    )];
    let end = at + Duration::hours(4);
    for (d, minutes, _) in departments {
        let reported = at + Duration::minutes(*minutes);
        out.push(whistle_event(
            &w,
            reported,
            WhistleEvent::ReportedIn {
                department: (*d).into(),
                at: reported,
            },
        ));
        out.push(whistle_event(
            &w,
            end,
            WhistleEvent::Done {
                department: (*d).into(),
                at: end,
                note: String::new(),
            },
        ));
    }
    let closed = end + Duration::minutes(1);
    out.push(whistle_event(
        &w,
        closed,
        WhistleEvent::Closed {
            at: closed,
            summary: String::new(),
        },
    ));
    for (d, _, effectiveness) in departments {
        out.push(whistle_event(
            &w,
            closed + Duration::minutes(1),
            WhistleEvent::Rated {
                department: (*d).into(),
                effectiveness: *effectiveness,
                comment: String::new(),
            },
        ));
    }
    out
}

/// A ticket registered and called back on the given days.
fn ticket_with_callback(
    registered: DateTime<FixedOffset>,
    callback: DateTime<FixedOffset>,
    satisfaction: Satisfaction,
) -> (TicketId, Vec<Event>) {
    let t = TicketId::new();
    let event = |at: DateTime<FixedOffset>, body| Event {
        id: EventId::new(),
        ticket_id: t.clone(),
        hlc: Hlc::new(at.timestamp_millis(), 0),
        device: DeviceId::from("pc-1"),
        actor: "值班员".into(),
        heads: vec![],
        body,
    };
    let events = vec![
        event(
            registered,
            TicketEvent::Registered(Box::new(TicketRegistered {
                hotline_no: None,
                kind: TicketKind::Complaint,
                source: TicketSource::Hotline,
                category: "城乡建设/排水/污水外溢".into(),
                content: "污水".into(),
                address: "槐荫胡同".into(),
                community_id: "c1".into(),
                caller_name: Personal::new("周女士"),
                caller_phone: Personal::new("13511112222"),
                received_at: registered,
                urgency: Default::default(),
                deadline: None,
                grid: None,
                location: None,
                related: Vec::new(),
            })),
        ),
        event(registered + Duration::hours(1), TicketEvent::SignedFor),
        event(
            registered + Duration::hours(2),
            TicketEvent::Assigned {
                unit: "城建科".into(),
            },
        ),
        event(
            registered + Duration::hours(3),
            TicketEvent::Replied {
                reply: "已疏通".into(),
            },
        ),
        event(
            callback,
            TicketEvent::CallbackRecorded(Callback {
                contacted: true,
                resolution: Resolution::Resolved,
                satisfaction,
            }),
        ),
    ];
    (t, events)
}

/// Worked by hand for October 2026 (default weights 50/20/30):
/// - d1: whistle A (limit 30, in after 20 min, rated 5) and B (limit 60, in after 150 min,
///   rated 3) → timeliness (100 + 0) / 2 = 50, effectiveness (100 + 60) / 2 = 80, on-site 65;
///   party-building 90; callbacks on its tickets in October: T1 satisfied, T2 basically
///   → (1 + 0.9) / 2 = 95 (T3's callback is in November; T4 is nobody's)
///   → total (65 × 50 + 90 × 20 + 95 × 30) / 100 = 79
/// - d2: whistle A only (in after 45 of 30 min, late by less than a limit: 50; rated 4 → 80)
///   → on-site 65;
///   no party-building mark; T1, T2 → 95 → total (65 × 50 + 95 × 30) / 80 = 76.25
/// - d3: nothing in October → no total. A whistle blown in November does not count.
#[test]
fn the_monthly_scorecard_matches_the_hand_computed_figures() {
    let mut s = store();
    let (t1, e1) = ticket_with_callback(oct(3, 9, 0), oct(12, 10, 0), Satisfaction::Satisfied);
    let (t2, e2) = ticket_with_callback(oct(4, 9, 0), oct(15, 10, 0), Satisfaction::Basically);
    let november = beijing().with_ymd_and_hms(2026, 11, 3, 10, 0, 0).unwrap();
    let (t3, e3) = ticket_with_callback(oct(18, 9, 0), november, Satisfaction::Unsatisfied);
    let (_t4, e4) = ticket_with_callback(oct(5, 9, 0), oct(9, 10, 0), Satisfaction::Unsatisfied);
    for events in [e1, e2, e3, e4] {
        s.append(&events).unwrap();
    }
    let mut records = rated_whistle(oct(5, 9, 0), 30, &[t1, t2], &[("d1", 20, 5), ("d2", 45, 4)]);
    records.extend(rated_whistle(oct(20, 9, 0), 60, &[t3], &[("d1", 150, 3)]));
    records.extend(rated_whistle(november, 30, &[], &[("d1", 5, 1)]));
    s.append_whistles(&records).unwrap();
    s.set_party_building("d1", "2026-10", Some(90.0)).unwrap();
    assert_eq!(
        s.set_party_building("d1", "2026-13", Some(90.0))
            .unwrap_err()
            .code,
        ErrorCode::ScoreEntryInvalid
    );
    assert_eq!(
        s.set_party_building("d1", "2026-10", Some(120.0))
            .unwrap_err()
            .code,
        ErrorCode::ScoreEntryInvalid
    );

    let cards = s.scorecards("2026-10").unwrap();
    let close = |a: Option<f64>, b: f64| (a.unwrap() - b).abs() < 1e-9;
    let d1 = &cards[0];
    assert_eq!(
        (d1.department.as_str(), d1.rated_summons, d1.callbacks),
        ("d1", 2, 2)
    );
    assert!(close(d1.timeliness, 50.0), "{d1:?}");
    assert!(close(d1.effectiveness, 80.0));
    assert!(close(d1.on_site, 65.0));
    assert!(close(d1.party_building, 90.0));
    assert!(close(d1.mass_satisfaction, 95.0));
    assert!(close(d1.total, 79.0));
    let d2 = &cards[1];
    assert!(close(d2.on_site, 65.0), "{d2:?}");
    assert_eq!(d2.party_building, None);
    assert!(close(d2.total, 76.25));
    assert_eq!(cards[2].total, None);
    // The closed whistles' stages are what the fold says.
    let board = s.whistles(&WhistleQuery::default()).unwrap();
    assert!(board
        .iter()
        .all(|w| w.summons.iter().all(|x| x.stage == SummonsStage::Done)));
    // Newest first: November's, then B (d1 in after 150 of 60 minutes), then A.
    let late = |i: usize| board[i].summons.iter().map(|x| x.late).collect::<Vec<_>>();
    assert_eq!(
        (late(0), late(1), late(2)),
        (vec![false], vec![true], vec![false, true])
    );
}
