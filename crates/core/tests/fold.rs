//! The fold is a pure function of the *set* of events: order and duplicates do not matter.

use chrono::{Duration, TimeZone};
use proptest::prelude::*;
use streetdesk_core::event::TicketRegistered;
use streetdesk_core::pii::Personal;
use streetdesk_core::ticket::{
    fold, Callback, Resolution, Satisfaction, TicketKind, TicketSource, TicketStatus,
};
use streetdesk_core::time::beijing;
use streetdesk_core::{DeviceId, Event, EventId, Hlc, TicketEvent, TicketId};

fn event(ticket: &TicketId, ms: i64, device: &str, body: TicketEvent) -> Event {
    Event {
        id: EventId::new(),
        ticket_id: ticket.clone(),
        hlc: Hlc::new(ms, 0),
        device: DeviceId::from(device),
        actor: "值班员".into(),
        heads: vec![],
        body,
    }
}

fn registered() -> TicketEvent {
    TicketEvent::Registered(Box::new(TicketRegistered {
        hotline_no: Some("2026001".into()),
        kind: TicketKind::Complaint,
        source: TicketSource::Hotline,
        category: "城市管理/市容环境/占道经营".into(),
        content: "早市占道".into(),
        address: "北新桥三条".into(),
        community_id: "c01".into(),
        caller_name: Personal::new("李女士"),
        caller_phone: Personal::new("13900001111"),
        received_at: beijing().with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap(),
        urgency: Default::default(),
        deadline: None,
        grid: None,
        location: None,
        related: Vec::new(),
    }))
}

/// A whole life, plus two devices that both replied and a late duplicate sign-for.
fn history() -> Vec<Event> {
    let t = TicketId::new();
    let base = 1_780_000_000_000;
    let at = |m: i64| base + Duration::minutes(m).num_milliseconds();
    vec![
        event(&t, at(0), "pc-1", registered()),
        event(&t, at(5), "pc-1", TicketEvent::SignedFor),
        event(&t, at(6), "laptop-2", TicketEvent::SignedFor),
        event(
            &t,
            at(9),
            "pc-1",
            TicketEvent::Assigned {
                unit: "城管科".into(),
            },
        ),
        event(
            &t,
            at(30),
            "laptop-2",
            TicketEvent::ProgressNoted {
                note: "已电话联系".into(),
            },
        ),
        event(
            &t,
            at(90),
            "pc-1",
            TicketEvent::Replied {
                reply: "已清理".into(),
            },
        ),
        event(
            &t,
            at(90),
            "laptop-2",
            TicketEvent::Replied {
                reply: "已劝离".into(),
            },
        ),
        event(&t, at(200), "pc-1", TicketEvent::SentForCallback),
        event(
            &t,
            at(300),
            "pc-1",
            TicketEvent::CallbackRecorded(Callback {
                contacted: true,
                resolution: Resolution::Resolved,
                satisfaction: Satisfaction::Satisfied,
            }),
        ),
    ]
}

#[test]
fn a_whole_life_folds_and_conflicts_are_kept() {
    let events = history();
    let t = fold(&events).unwrap();
    assert_eq!(t.status, TicketStatus::CallbackRecorded);
    assert_eq!(t.assignee.as_deref(), Some("城管科"));
    // Same HLC: pc-1 < laptop-2 is false ("l" < "p"), so laptop-2's reply folds first.
    assert_eq!(t.reply.as_deref(), Some("已劝离"));
    assert_eq!(
        t.conflicts,
        vec![events[2].id.clone(), events[5].id.clone()]
    );
}

#[test]
fn milestones_are_the_first_time_each_was_reached() {
    let events = history();
    let m = fold(&events).unwrap().milestones;
    let at = |i: usize| {
        Some(streetdesk_core::time::from_unix_ms(
            events[i].hlc.physical_ms(),
        ))
    };
    // pc-1's sign-for at +5 min; laptop-2's at +6 was a conflict and changes nothing.
    assert_eq!(m.signed_at, at(1));
    // Both replies are at +90 min: the first to fold counts.
    assert_eq!(m.replied_at, at(6));
    // A progress note is not a recorded contact; nothing was archived.
    assert_eq!((m.contacted_at, m.archived_at), (None, None));
}

#[test]
fn a_folded_ticket_gives_its_facts_for_the_figures() {
    use streetdesk_core::kpi::TicketFacts;
    let events = history();
    let t = fold(&events).unwrap();
    let due = Some(t.received_at + Duration::days(7));
    let facts = TicketFacts::of(&t, due).unwrap();
    assert_eq!(facts.signed_at, t.milestones.signed_at);
    assert_eq!(facts.replied_at, t.milestones.replied_at);
    assert_eq!(facts.department.as_deref(), Some("城管科"));
    assert_eq!(facts.callback, t.callback);
    assert_eq!(facts.due, due);
    // A duplicate merged into another ticket is counted there, not here.
    let mut merged = t.clone();
    merged.merged_into = Some(TicketId::new());
    assert!(TicketFacts::of(&merged, due).is_none());
}

#[test]
fn nothing_before_registration() {
    let mut events = history();
    events.remove(0);
    assert!(fold(&events).is_none());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn any_permutation_folds_the_same(seed in any::<u64>()) {
        let events = history();
        let expected = fold(&events);
        let mut shuffled = events.clone();
        let mut rng = fastrand_like(seed);
        for i in (1..shuffled.len()).rev() {
            shuffled.swap(i, (rng() % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(fold(&shuffled), expected);
    }

    #[test]
    fn any_duplication_folds_the_same(dups in proptest::collection::vec(0usize..9, 0..20)) {
        let events = history();
        let expected = fold(&events);
        let mut with_dups = events.clone();
        with_dups.extend(dups.iter().map(|&i| events[i].clone()));
        prop_assert_eq!(fold(&with_dups), expected);
    }
}

/// Any action, with any payload the fold must handle.
fn any_action() -> impl Strategy<Value = TicketEvent> {
    let text = "[a-z]{0,3}";
    prop_oneof![
        Just(TicketEvent::SignedFor),
        text.prop_map(|unit| TicketEvent::Assigned { unit }),
        text.prop_map(|unit| TicketEvent::CoHandlerAdded { unit }),
        text.prop_map(|note| TicketEvent::ContactMade { note }),
        text.prop_map(|note| TicketEvent::ProgressNoted { note }),
        text.prop_map(|reason| TicketEvent::ObjectionRaised { reason }),
        (any::<bool>(), text)
            .prop_map(|(upheld, reason)| TicketEvent::ObjectionDecided { upheld, reason }),
        (0i64..30, text).prop_map(|(d, reason)| TicketEvent::ExtensionRequested {
            until: beijing().with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap() + Duration::days(d),
            reason,
        }),
        (any::<bool>(), text)
            .prop_map(|(granted, reason)| TicketEvent::ExtensionDecided { granted, reason }),
        text.prop_map(|note| TicketEvent::SupervisionFlagged { note }),
        Just(TicketEvent::SupervisionCleared),
        text.prop_map(|reply| TicketEvent::Replied { reply }),
        Just(TicketEvent::SentForCallback),
        prop_oneof![
            Just(Resolution::Resolved),
            Just(Resolution::Partly),
            Just(Resolution::Unresolved)
        ]
        .prop_map(|resolution| TicketEvent::CallbackRecorded(Callback {
            contacted: true,
            resolution,
            satisfaction: Satisfaction::NotRated,
        })),
        text.prop_map(|reason| TicketEvent::Reopened { reason }),
        Just(TicketEvent::Archived),
        Just(TicketEvent::Registered(match registered() {
            TicketEvent::Registered(r) => r,
            _ => unreachable!(),
        })),
    ]
}

/// A ticket's events as several devices might have written them: a registration, then any
/// actions at clashing clock readings on three devices.
fn any_history() -> impl Strategy<Value = Vec<Event>> {
    proptest::collection::vec((any_action(), 1i64..40, 0usize..3), 0..24).prop_map(|actions| {
        let t = TicketId::from("ticket-under-test");
        let mut events = vec![event(&t, 0, "pc-1", registered())];
        for (body, minute, device) in actions {
            let device = ["pc-1", "laptop-2", "laptop-3"][device];
            events.push(event(&t, minute * 60_000, device, body));
        }
        events
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Any set of events, from any devices, folds the same whatever the order of arrival and
    /// however often each event arrives; every event is either applied or kept as a conflict.
    #[test]
    fn any_history_folds_the_same_in_any_order_with_duplicates(
        events in any_history(),
        seed in any::<u64>(),
        dups in proptest::collection::vec(any::<prop::sample::Index>(), 0..10),
    ) {
        let expected = fold(&events).expect("registered");
        let mut shuffled = events.clone();
        shuffled.extend(dups.iter().map(|i| events[i.index(events.len())].clone()));
        let mut rng = fastrand_like(seed);
        for i in (1..shuffled.len()).rev() {
            shuffled.swap(i, (rng() % (i as u64 + 1)) as usize);
        }
        let got = fold(&shuffled).expect("registered");
        prop_assert_eq!(&got, &expected);
        prop_assert!(got.conflicts.len() < events.len());
    }
}

/// A tiny deterministic generator so the shuffle is reproducible from the proptest seed.
fn fastrand_like(mut state: u64) -> impl FnMut() -> u64 {
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}
