use super::*;
use crate::pii::Personal;
use crate::policy::Urgency;
use crate::ticket::{TicketKind, TicketSource};
use crate::time::parse_beijing;

fn at(s: &str) -> DateTime<FixedOffset> {
    parse_beijing(s).unwrap()
}

fn record() -> HotlineRecord {
    HotlineRecord {
        row: 5,
        registered: TicketRegistered {
            hotline_no: Some("2026110300123".into()),
            kind: TicketKind::Complaint,
            source: TicketSource::Hotline,
            category: "城市管理/停车管理/胡同停车".into(),
            content: "胡同里停满了车".into(),
            address: "东四北大街 12 号院".into(),
            community_id: "c01".into(),
            caller_name: Personal::new("王先生"),
            caller_phone: Personal::new("13812345678"),
            received_at: at("2026-11-03T09:00"),
            urgency: Urgency::General,
            deadline: None,
            grid: None,
            location: None,
            related: Vec::new(),
        },
        status: None,
        status_note: "工单状态：办理中".into(),
        signed_at: None,
        replied_at: None,
        callback_at: None,
        contacted: None,
        reply: None,
        callback: None,
        tags: Vec::new(),
    }
}

fn now() -> DateTime<FixedOffset> {
    at("2026-11-20T12:00")
}

/// Writes the plan as events after `log` and folds them all.
fn written(log: &mut Vec<Event>, planned: &[Planned]) -> Ticket {
    let mut last = log.iter().map(|e| e.hlc).max().unwrap_or(Hlc(0));
    for p in planned {
        last = Hlc::new(p.at.timestamp_millis(), 0).max(Hlc(last.0 + 1));
        log.push(Event {
            id: EventId::new(),
            ticket_id: TicketId("t".into()),
            hlc: last,
            device: DeviceId("d".into()),
            actor: "导入".into(),
            heads: Vec::new(),
            body: p.body.clone(),
        });
    }
    fold(log.iter()).unwrap()
}

fn types(planned: &[Planned]) -> Vec<String> {
    planned
        .iter()
        .map(|p| crate::wire::wire_name(&p.body.event_type()))
        .collect()
}

#[test]
fn a_called_back_ticket_is_registered_with_its_whole_history_at_the_exports_times() {
    let mut r = record();
    r.status = Some(TicketStatus::CallbackRecorded);
    r.contacted = Some(true);
    r.reply = Some("已协调交通队清理".into());
    r.replied_at = Some(at("2026-11-05T16:00"));
    r.callback = Some((Resolution::Resolved, Satisfaction::Basically));
    let planned = plan(None, &r, now());
    assert_eq!(
        types(&planned),
        [
            "registered",
            "signed_for",
            "contact_made",
            "replied",
            "callback_recorded"
        ]
    );
    let times: Vec<String> = planned.iter().map(|p| crate::time::rfc3339(p.at)).collect();
    // Signing for and contact have no time in the export: as late as the reply allows. The
    // callback has none either, and nothing after it: the time of the import.
    assert_eq!(
        times,
        [
            "2026-11-03T09:00:00+08:00",
            "2026-11-05T16:00:00+08:00",
            "2026-11-05T16:00:00+08:00",
            "2026-11-05T16:00:00+08:00",
            "2026-11-20T12:00:00+08:00",
        ]
    );
    let mut log = Vec::new();
    let t = written(&mut log, &planned);
    assert_eq!(t.status, TicketStatus::CallbackRecorded);
    assert!(t.conflicts.is_empty());
    assert!(t.contacted);
    assert_eq!(t.reply.as_deref(), Some("已协调交通队清理"));
    assert_eq!(
        t.callback,
        Some(Callback {
            contacted: true,
            resolution: Resolution::Resolved,
            satisfaction: Satisfaction::Basically
        })
    );
    // The same row again changes nothing.
    assert!(plan(Some(&t), &r, now()).is_empty());
}

#[test]
fn a_later_export_moves_the_ticket_on_and_never_back() {
    let mut r = record();
    r.status = Some(TicketStatus::InProgress);
    let mut log = Vec::new();
    let t = written(&mut log, &plan(None, &r, now()));
    assert_eq!(t.status, TicketStatus::InProgress);
    assert_eq!(
        types(&plan(None, &r, now()))[1..],
        ["signed_for", "progress_noted"]
    );

    // An older export that still shows it waiting changes nothing.
    let mut older = record();
    older.status = Some(TicketStatus::Received);
    assert!(plan(Some(&t), &older, now()).is_empty());

    // The next export has the reply and the callback.
    let mut newer = record();
    newer.status = Some(TicketStatus::Archived);
    newer.reply = Some("已清理".into());
    newer.callback = Some((Resolution::Partly, Satisfaction::NotRated));
    newer.tags = vec!["每月一题".into()];
    let steps = plan(Some(&t), &newer, now());
    assert_eq!(
        types(&steps),
        ["tagged", "replied", "callback_recorded", "archived"]
    );
    // Never before what the street already had.
    assert!(steps
        .iter()
        .all(|p| p.at >= crate::time::from_unix_ms(t.updated.physical_ms())));
    let t = written(&mut log, &steps);
    assert_eq!(t.status, TicketStatus::Archived);
    assert!(t.conflicts.is_empty());
    assert_eq!(t.tags, ["每月一题"]);
    assert!(!t.callback.unwrap().contacted);
    assert!(plan(Some(&t), &newer, now()).is_empty());
}

#[test]
fn the_data_in_a_row_outranks_a_stale_status_and_a_callback_needs_its_result() {
    let mut r = record();
    r.status = Some(TicketStatus::Received);
    r.callback = Some((Resolution::Resolved, Satisfaction::Satisfied));
    assert_eq!(r.target(), TicketStatus::CallbackRecorded);

    let mut r = record();
    r.status = Some(TicketStatus::Archived);
    assert_eq!(r.target(), TicketStatus::AwaitingCallback);
    let mut log = Vec::new();
    let t = written(&mut log, &plan(None, &r, now()));
    assert_eq!(t.status, TicketStatus::AwaitingCallback);
    assert_eq!(t.reply.as_deref(), Some("工单状态：办理中"));

    let mut r = record();
    r.replied_at = Some(at("2026-11-04T10:00"));
    assert_eq!(r.target(), TicketStatus::Replied);
    r.reply = None;
    r.replied_at = None;
    r.signed_at = Some(at("2026-11-03T10:00"));
    assert_eq!(r.target(), TicketStatus::Signed);
    let planned = plan(None, &r, now());
    assert_eq!(planned[1].at, at("2026-11-03T10:00"));
}

#[test]
fn objections_follow_the_hotlines_decision() {
    let mut r = record();
    r.status = Some(TicketStatus::Redispatched);
    let planned = plan(None, &r, now());
    assert_eq!(
        types(&planned),
        ["registered", "objection_raised", "objection_decided"]
    );
    let mut log = Vec::new();
    let t = written(&mut log, &planned);
    assert_eq!(t.status, TicketStatus::Redispatched);

    // Objecting locally; the hotline kept it with the street.
    let mut r = record();
    r.status = Some(TicketStatus::Objecting);
    let mut log = Vec::new();
    let t = written(&mut log, &plan(None, &r, now()));
    assert_eq!(t.status, TicketStatus::Objecting);
    let mut kept = record();
    kept.status = Some(TicketStatus::InProgress);
    let steps = plan(Some(&t), &kept, now());
    assert!(matches!(
        steps[0].body,
        TicketEvent::ObjectionDecided { upheld: false, .. }
    ));
    assert_eq!(written(&mut log, &steps).status, TicketStatus::InProgress);
}

#[test]
fn times_never_run_backwards_or_past_now() {
    let mut r = record();
    // A reply time before the receipt (a typo in the export) and a callback in the future.
    r.replied_at = Some(at("2026-11-01T10:00"));
    r.callback = Some((Resolution::Resolved, Satisfaction::Satisfied));
    r.callback_at = Some(at("2026-12-30T10:00"));
    let planned = plan(None, &r, now());
    for pair in planned.windows(2) {
        assert!(pair[0].at <= pair[1].at);
    }
    assert_eq!(planned[0].at, at("2026-11-03T09:00"));
    assert_eq!(planned.last().unwrap().at, now());
}

#[test]
fn an_objection_or_a_redispatch_stands_over_a_sign_for_time_or_a_contact() {
    for status in [TicketStatus::Objecting, TicketStatus::Redispatched] {
        let mut r = record();
        r.status = Some(status);
        r.signed_at = Some(at("2026-11-03T10:00"));
        r.contacted = Some(true);
        assert_eq!(r.target(), status);
        let mut log = Vec::new();
        let t = written(&mut log, &plan(None, &r, now()));
        assert_eq!(t.status, status);
        assert!(t.conflicts.is_empty());
        assert!(
            plan(Some(&t), &r, now()).is_empty(),
            "{status:?} reads back unchanged"
        );
        // A reply outranks them: the hotline kept the ticket with the street after all.
        r.reply = Some("已处理".into());
        assert_eq!(r.target(), TicketStatus::Replied);
    }
}

#[test]
fn a_new_callback_after_an_unresolved_one_reopens_the_ticket() {
    let mut r = record();
    r.contacted = Some(true);
    r.reply = Some("已协调".into());
    r.callback = Some((Resolution::Unresolved, Satisfaction::Unsatisfied));
    let mut log = Vec::new();
    let t = written(&mut log, &plan(None, &r, now()));
    assert_eq!(t.status, TicketStatus::CallbackRecorded);

    // The street took it up again (重办); the next export has the new reply and result.
    let mut again = r.clone();
    again.reply = Some("已彻底清理".into());
    again.callback = Some((Resolution::Resolved, Satisfaction::Satisfied));
    let steps = plan(Some(&t), &again, now());
    assert_eq!(types(&steps), ["reopened", "replied", "callback_recorded"]);
    let t = written(&mut log, &steps);
    assert!(t.conflicts.is_empty());
    assert_eq!(t.reopen_count, 1);
    assert_eq!(t.reply.as_deref(), Some("已彻底清理"));
    assert_eq!(t.callback.unwrap().resolution, Resolution::Resolved);
    assert!(plan(Some(&t), &again, now()).is_empty());
    // A resolved callback is not taken back by an export that says otherwise.
    assert!(plan(Some(&t), &r, now()).is_empty());
}

#[test]
fn the_projection_check_agrees_with_the_plan() {
    use TicketStatus as S;
    let callbacks = [
        None,
        Some((Resolution::Resolved, Satisfaction::Satisfied)),
        Some((Resolution::Unresolved, Satisfaction::Unsatisfied)),
    ];
    let mut records = Vec::new();
    for status in [
        None,
        Some(S::Received),
        Some(S::InProgress),
        Some(S::Replied),
        Some(S::Objecting),
        Some(S::Redispatched),
        Some(S::Archived),
    ] {
        for contacted in [None, Some(true), Some(false)] {
            for callback in callbacks {
                for tags in [vec![], vec!["每月一题".to_owned()]] {
                    for signed in [None, Some(at("2026-11-03T10:00"))] {
                        let mut r = record();
                        r.status = status;
                        r.contacted = contacted;
                        r.callback = callback;
                        r.tags = tags.clone();
                        r.signed_at = signed;
                        records.push(r);
                    }
                }
            }
        }
    }
    // Every state a ticket reaches by importing one record, then every record against it.
    for first in &records {
        let mut log = Vec::new();
        let t = written(&mut log, &plan(None, first, now()));
        assert!(t.conflicts.is_empty());
        for r in &records {
            let steps = plan(Some(&t), r, now());
            assert_eq!(
                changes(r, t.status, t.contacted, t.callback, &t.tags),
                !steps.is_empty(),
                "{:?} / {:?}",
                t.status,
                r.target()
            );
            // Whatever the plan, it folds without a conflict.
            let mut more = log.clone();
            assert!(written(&mut more, &steps).conflicts.is_empty());
        }
    }
}
