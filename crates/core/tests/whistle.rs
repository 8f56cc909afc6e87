//! Whistles: the per-department clock, the closure rule, folding in any order, and the
//! scorecard pinned by a hand-computed fixture.

use chrono::{DateTime, Duration, FixedOffset, TimeZone};
use proptest::prelude::*;
use streetdesk_core::scorecard::{
    satisfaction_rate, scorecard, timeliness, RatedSummons, ScoreInputs, ScoreWeights,
};
use streetdesk_core::ticket::Satisfaction;
use streetdesk_core::time::beijing;
use streetdesk_core::whistle::{
    check, fold, Refusal, SummonsStage, WhistleBlown, WhistleEvent, WhistleReason, WhistleRecord,
    WhistleStatus,
};
use streetdesk_core::{DeviceId, EventId, Hlc, TicketId, WhistleId};

fn t0() -> DateTime<FixedOffset> {
    beijing().with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap()
}

fn at(minutes: i64) -> DateTime<FixedOffset> {
    t0() + Duration::minutes(minutes)
}

fn record(w: &WhistleId, minute: i64, device: &str, body: WhistleEvent) -> WhistleRecord {
    WhistleRecord {
        id: EventId::new(),
        whistle_id: w.clone(),
        hlc: Hlc::new(at(minute).timestamp_millis(), 0),
        device: DeviceId::from(device),
        actor: "值班员".into(),
        heads: vec![],
        body,
    }
}

fn blown(departments: &[&str]) -> WhistleEvent {
    WhistleEvent::Blown(WhistleBlown {
        reason: WhistleReason::Complaint,
        matter: "雨水井堵塞，路面积水".into(),
        place: "北新桥三条12号".into(),
        community_id: Some("c01".into()),
        tickets: vec![TicketId::new()],
        departments: departments.iter().map(|d| d.to_string()).collect(),
        report_limit_min: 30,
        at: t0(),
    })
}

fn reported(d: &str, minute: i64) -> WhistleEvent {
    WhistleEvent::ReportedIn {
        department: d.into(),
        at: at(minute),
    }
}

fn done(d: &str, minute: i64) -> WhistleEvent {
    WhistleEvent::Done {
        department: d.into(),
        at: at(minute),
        note: "已疏通".into(),
    }
}

fn closed(minute: i64) -> WhistleEvent {
    WhistleEvent::Closed {
        at: at(minute),
        summary: "积水已排除".into(),
    }
}

/// A whole whistle: three departments, one late, one released, one added later; closed and
/// rated. Two devices report the same department in (a duplicate that becomes a conflict).
fn history() -> Vec<WhistleRecord> {
    let w = WhistleId::new();
    vec![
        record(&w, 0, "pc-1", blown(&["drainage", "police", "power"])),
        record(&w, 12, "pc-1", reported("drainage", 12)),
        record(&w, 13, "laptop-2", reported("drainage", 13)),
        record(&w, 41, "pc-1", reported("police", 41)),
        record(
            &w,
            50,
            "pc-1",
            WhistleEvent::DepartmentsAdded {
                departments: vec!["urban".into(), "police".into()],
                at: at(50),
            },
        ),
        record(
            &w,
            55,
            "pc-1",
            WhistleEvent::OnSite {
                department: "urban".into(),
                at: at(55),
            },
        ),
        record(
            &w,
            60,
            "pc-1",
            WhistleEvent::Released {
                department: "power".into(),
                at: at(60),
                reason: "非供电问题".into(),
            },
        ),
        record(&w, 90, "pc-1", done("drainage", 90)),
        record(&w, 95, "pc-1", done("police", 95)),
        record(&w, 96, "pc-1", done("urban", 96)),
        record(&w, 100, "pc-1", closed(100)),
        record(
            &w,
            110,
            "pc-1",
            WhistleEvent::Rated {
                department: "drainage".into(),
                effectiveness: 5,
                comment: "及时有效".into(),
            },
        ),
    ]
}

#[test]
fn each_department_keeps_its_own_clock() {
    let w = fold(&history()).unwrap();
    assert_eq!(w.status, WhistleStatus::Closed);
    let drainage = w.summons_of("drainage").unwrap();
    assert_eq!(drainage.report_minutes(), Some(12.0));
    assert_eq!(drainage.rating.as_ref().unwrap().effectiveness, 5);
    let police = w.summons_of("police").unwrap();
    assert_eq!(police.report_due, at(30));
    assert_eq!(police.report_minutes(), Some(41.0), "late");
    // Added at minute 50: its own limit runs from then; on site counts as reporting in.
    let urban = w.summons_of("urban").unwrap();
    assert_eq!((urban.summoned_at, urban.report_due), (at(50), at(80)));
    assert_eq!(urban.reported_at, Some(at(55)));
    let power = w.summons_of("power").unwrap();
    assert_eq!(power.stage, SummonsStage::Released);
    assert_eq!(power.release_reason.as_deref(), Some("非供电问题"));
    assert_eq!(w.summons.len(), 4, "police was not summoned twice");
    // The second device's report-in of drainage is kept for review, not applied twice.
    assert_eq!(w.conflicts.len(), 1);
}

#[test]
fn a_whistle_closes_only_when_nobody_is_out() {
    let id = WhistleId::new();
    let mut events = vec![
        record(&id, 0, "pc-1", blown(&["drainage", "police", "power"])),
        record(&id, 10, "pc-1", reported("drainage", 10)),
        record(&id, 20, "pc-1", done("drainage", 20)),
    ];
    let w = fold(&events).unwrap();
    assert_eq!(
        check(&w, &closed(30)),
        Err(Refusal::StillOut(vec!["police".into(), "power".into()]))
    );
    // A close that arrives anyway (another device, offline) is kept as a conflict.
    events.push(record(&id, 30, "laptop-2", closed(30)));
    let w = fold(&events).unwrap();
    assert_eq!(w.status, WhistleStatus::Open);
    assert_eq!(w.conflicts.len(), 1);
    assert!(w.summons_of("police").unwrap().overdue_at(at(31)));
    assert!(!w.summons_of("police").unwrap().overdue_at(at(30)));
}

#[test]
fn steps_follow_each_departments_stage() {
    let id = WhistleId::new();
    let w = fold(&[record(&id, 0, "pc-1", blown(&["drainage"]))]).unwrap();
    assert_eq!(
        check(&w, &done("drainage", 5)),
        Err(Refusal::Stage("drainage".into(), SummonsStage::Summoned))
    );
    assert_eq!(
        check(&w, &reported("gas", 5)),
        Err(Refusal::NotSummoned("gas".into()))
    );
    let rate = WhistleEvent::Rated {
        department: "drainage".into(),
        effectiveness: 4,
        comment: String::new(),
    };
    assert_eq!(check(&w, &rate), Err(Refusal::NotClosed));
    let early = WhistleEvent::Escalated {
        department: "drainage".into(),
        at: at(30),
        note: "已报区城指中心".into(),
    };
    assert_eq!(check(&w, &early), Err(Refusal::NotOverdue));
    let escalate = WhistleEvent::Escalated {
        department: "drainage".into(),
        at: at(31),
        note: "已报区城指中心".into(),
    };
    assert_eq!(check(&w, &escalate), Ok(()));
    let w = fold(&[
        record(&id, 0, "pc-1", blown(&["drainage"])),
        record(&id, 31, "pc-1", escalate.clone()),
    ])
    .unwrap();
    assert!(w.summons_of("drainage").unwrap().escalated_at.is_some());
    assert!(check(&w, &escalate).is_err(), "escalated once");
    let too_good = WhistleEvent::Rated {
        department: "drainage".into(),
        effectiveness: 6,
        comment: String::new(),
    };
    assert_eq!(check(&w, &too_good), Err(Refusal::Effectiveness));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Any order and any duplication of the events folds to the same whistle.
    #[test]
    fn fold_ignores_order_and_duplicates(
        seed in any::<u64>(),
        dups in proptest::collection::vec(0usize..12, 0..6),
    ) {
        let events = history();
        let expected = fold(&events).unwrap();
        let mut shuffled = events.clone();
        shuffled.extend(dups.iter().map(|&i| events[i % events.len()].clone()));
        // A seeded Fisher–Yates shuffle keeps failures reproducible.
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(fold(&shuffled).unwrap(), expected);
    }
}

#[test]
fn timeliness_and_satisfaction_rules() {
    assert_eq!(timeliness(30, Some(30.0)), 100.0);
    assert_eq!(timeliness(30, Some(30.5)), 50.0);
    assert_eq!(timeliness(30, Some(60.0)), 50.0);
    assert_eq!(timeliness(30, Some(60.5)), 0.0);
    assert_eq!(timeliness(30, Some(200.0)), 0.0);
    assert_eq!(timeliness(30, None), 0.0);
    use Satisfaction::*;
    assert_eq!(satisfaction_rate(&[NotRated], 0.9), None);
    assert_eq!(satisfaction_rate(&[Satisfied, Basically], 0.9), Some(95.0));
}

/// Worked by hand:
/// - summons 1: limit 30, in after 20 min → timeliness 100; rated 5 → 100
/// - summons 2: limit 30, in after 45 min → late by less than a further limit → 50; rated 4 → 80
/// - summons 3: limit 60, in after 150 min → late by more than a further limit → 0; rated 3 → 60
///   timeliness mean 50, effectiveness mean 80 → on-site 0.5 × 50 + 0.5 × 80 = 65
/// - party-building entered: 90
/// - callbacks: 3 satisfied, 1 basically, 1 unsatisfied, 1 not rated → (3 + 0.9) / 5 = 78 %
/// - total (50/20/30): (65 × 50 + 90 × 20 + 78 × 30) / 100 = 73.9
/// - without the party-building entry: (65 × 50 + 78 × 30) / 80 = 69.875
#[test]
fn scorecard_matches_the_hand_computed_fixture() {
    use Satisfaction::*;
    let summons = |limit_min, minutes, effectiveness| RatedSummons {
        limit_min,
        report_minutes: Some(minutes),
        effectiveness,
    };
    let mut inputs = ScoreInputs {
        summons: vec![
            summons(30, 20.0, 5),
            summons(30, 45.0, 4),
            summons(60, 150.0, 3),
        ],
        party_building: Some(90.0),
        callbacks: vec![
            Satisfied,
            Satisfied,
            Satisfied,
            Basically,
            Unsatisfied,
            NotRated,
        ],
    };
    let weights = ScoreWeights::default();
    let card = scorecard("drainage", "2026-11", &inputs, &weights);
    let close = |a: Option<f64>, b: f64| (a.unwrap() - b).abs() < 1e-9;
    assert!(close(card.timeliness, 50.0), "{card:?}");
    assert!(close(card.effectiveness, 80.0));
    assert!(close(card.on_site, 65.0));
    assert!(close(card.mass_satisfaction, 78.0));
    assert_eq!((card.rated_summons, card.callbacks), (3, 5));
    assert!(close(card.total, 73.9));
    inputs.party_building = None;
    let card = scorecard("drainage", "2026-11", &inputs, &weights);
    assert!(close(card.total, 69.875));
    let nothing = scorecard("gas", "2026-11", &ScoreInputs::default(), &weights);
    assert_eq!(nothing.total, None);
}
