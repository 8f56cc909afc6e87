//! Hand-computed fixtures for every formula of the street's figures (DESIGN.md "Three rates
//! and the composite"). Each expected number is worked out in the comment beside it.

use chrono::{DateTime, FixedOffset};
use streetdesk_core::kpi::{
    durations, figures_by, key_of, on_time, ranking, rates, Dimension, Figures, RateFormula,
    TicketFacts,
};
use streetdesk_core::ticket::TicketSource;
use streetdesk_core::ticket::{Callback, Resolution as R, Satisfaction as S, TicketKind as K};

fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(&format!("{s}:00+08:00")).unwrap()
}

fn cb(contacted: bool, resolution: R, satisfaction: S) -> Option<Callback> {
    Some(Callback {
        contacted,
        resolution,
        satisfaction,
    })
}

fn ticket(kind: K, community: &str, received: &str) -> TicketFacts {
    TicketFacts {
        kind,
        source: TicketSource::Hotline,
        community: community.into(),
        category: "城市管理/停车管理/胡同停车".into(),
        department: None,
        received_at: at(received),
        signed_at: None,
        contacted_at: None,
        replied_at: None,
        closed_at: None,
        due: None,
        callback: None,
    }
}

/// Six tickets of two communities; t5 is praise (counted, never assessed).
fn street() -> Vec<TicketFacts> {
    let mut t1 = ticket(K::Complaint, "c01", "2026-11-01T08:00");
    t1.callback = cb(true, R::Resolved, S::Satisfied);
    t1.signed_at = Some(at("2026-11-01T09:00")); // 1 h
    t1.replied_at = Some(at("2026-11-09T08:00")); // 192 h
    t1.due = Some(at("2026-11-11T00:00")); // replied before: on time
    t1.department = Some("城管科".into());
    let mut t2 = ticket(K::Help, "c01", "2026-11-02T08:00");
    t2.callback = cb(true, R::Partly, S::Basically);
    t2.signed_at = Some(at("2026-11-02T10:00")); // 2 h
    t2.replied_at = Some(at("2026-11-06T08:00")); // 96 h
    t2.due = Some(at("2026-11-05T00:00")); // replied after: late
    t2.department = Some("城管科".into());
    t2.source = TicketSource::GridPatrol;
    let mut t3 = ticket(K::Complaint, "c02", "2026-11-03T08:00");
    t3.callback = cb(false, R::Unresolved, S::Unsatisfied);
    t3.signed_at = Some(at("2026-11-03T11:00")); // 3 h
    t3.due = Some(at("2026-11-15T00:00")); // open, past due: overdue
    t3.category = "环境保护/噪声".into();
    let mut t4 = ticket(K::Consultation, "c02", "2026-11-04T08:00");
    t4.callback = cb(true, R::Resolved, S::NotRated);
    t4.signed_at = Some(at("2026-11-04T12:00")); // 4 h
    t4.due = Some(at("2026-11-30T00:00")); // open, not yet due: not counted
    let mut t5 = ticket(K::Praise, "c01", "2026-11-05T08:00");
    t5.callback = cb(true, R::Resolved, S::Satisfied);
    let mut t6 = ticket(K::Report, "c02", "2026-10-31T20:00");
    t6.signed_at = Some(at("2026-11-01T06:00")); // 10 h
    t6.replied_at = Some(at("2026-11-20T00:00")); // 460 h, exactly at the deadline: on time
    t6.due = Some(at("2026-11-20T00:00"));
    t6.closed_at = Some(at("2026-11-22T00:00")); // 508 h
    vec![t1, t2, t3, t4, t5, t6]
}

fn close(a: Option<f64>, b: f64) {
    let a = a.expect("a figure");
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

#[test]
fn the_three_rates_and_the_composite_by_default() {
    let r = rates(&street(), &RateFormula::default());
    // Rated: t1–t4 (t5 is praise, t6 has no callback).
    assert_eq!(r.rated, 4);
    // 响应: t1, t2, t4 contacted → 3 / 4.
    close(r.response, 75.0);
    // 解决: 1 + 0.5 (partly) + 0 + 1 = 2.5 / 4.
    close(r.resolution, 62.5);
    // 满意: t4 did not rate; (1 + 0.9 (basically) + 0) / 3.
    assert_eq!(r.satisfaction_rated, 3);
    close(r.satisfaction, 190.0 / 3.0);
    // 0.1 × 75 + 0.5 × 62.5 + 0.4 × 63.33… = 7.5 + 31.25 + 25.333… = 64.083…
    close(r.composite, 7.5 + 31.25 + 0.4 * 190.0 / 3.0);
}

#[test]
fn the_formula_is_a_setting() {
    let f = RateFormula {
        partly_resolved: 1.0,
        basically_satisfied: 1.0,
        weight_response: 0.2,
        weight_resolution: 0.4,
        weight_satisfaction: 0.4,
    };
    assert!(f.valid() && RateFormula::default().valid());
    let r = rates(&street(), &f);
    close(r.resolution, 75.0); // (1 + 1 + 0 + 1) / 4
    close(r.satisfaction, 200.0 / 3.0); // (1 + 1 + 0) / 3
    close(r.composite, 0.2 * 75.0 + 0.4 * 75.0 + 0.4 * 200.0 / 3.0);
    let bad_weights = RateFormula {
        weight_response: 0.2,
        ..RateFormula::default()
    };
    assert!(!bad_weights.valid(), "weights add up to 1.1");
    let bad_share = RateFormula {
        partly_resolved: 1.5,
        ..RateFormula::default()
    };
    assert!(!bad_share.valid());
}

#[test]
fn nothing_rated_gives_no_rate_rather_than_zero() {
    let only_praise = vec![street().remove(4)];
    let r = rates(&only_praise, &RateFormula::default());
    assert_eq!(r.rated, 0);
    assert_eq!((r.response, r.composite), (None, None));
}

#[test]
fn on_time_counts_an_open_overdue_ticket_against_the_street() {
    let o = on_time(&street(), at("2026-11-20T12:00"));
    // t1 and t6 (at the deadline) on time, t2 late, t3 open past due; t4 not yet due, t5 no
    // limit: 2 / (2 + 1 + 1).
    assert_eq!((o.on_time, o.late, o.open_overdue), (2, 1, 1));
    close(o.rate, 50.0);
}

#[test]
fn durations_are_nearest_rank_median_and_p90_in_hours() {
    let d = durations(vec![4.0, 1.0, 10.0, 3.0, 2.0]);
    // Sorted 1 2 3 4 10: median = 3rd (⌈0.5 × 5⌉), p90 = 5th (⌈0.9 × 5⌉).
    assert_eq!((d.n, d.median_h, d.p90_h), (5, Some(3.0), Some(10.0)));
    // Even counts take the lower middle: 1 2 3 4 → 2nd.
    assert_eq!(durations(vec![1.0, 2.0, 3.0, 4.0]).median_h, Some(2.0));
    assert_eq!(durations(vec![]).median_h, None);
}

fn street_figures(by: Dimension) -> Vec<Figures> {
    figures_by(
        &street(),
        by,
        &RateFormula::default(),
        at("2026-11-20T12:00"),
    )
}

#[test]
fn figures_by_community_and_the_ranking() {
    let rows = street_figures(Dimension::Community);
    assert_eq!(
        rows.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(),
        ["c01", "c02"]
    );
    let c01 = &rows[0];
    assert_eq!(c01.tickets, 3);
    // c01: t1, t2 rated (t5 praise). 响应 2/2, 解决 1.5/2, 满意 1.9/2.
    close(c01.rates.response, 100.0);
    close(c01.rates.resolution, 75.0);
    close(c01.rates.satisfaction, 95.0);
    close(c01.rates.composite, 10.0 + 37.5 + 38.0);
    // c02: t3, t4 rated. 响应 1/2, 解决 1/2, 满意 0/1 (t4 did not rate).
    close(rows[1].rates.composite, 5.0 + 25.0 + 0.0);
    // Sign-for times in c02: t3 3 h, t4 4 h, t6 10 h → median 4, p90 10.
    assert_eq!(rows[1].to_sign.median_h, Some(4.0));
    assert_eq!(rows[1].to_sign.p90_h, Some(10.0));

    let mut with_empty = rows.clone();
    with_empty.push(Figures {
        key: "c03".into(),
        ..Figures::default()
    });
    // A tie with c02, placed by id, shares its rank; the next rank is skipped.
    with_empty.push(Figures {
        key: "c00".into(),
        ..rows[1].clone()
    });
    let ranked: Vec<(u32, String)> = ranking(&with_empty)
        .into_iter()
        .map(|(rank, f)| (rank, f.key))
        .collect();
    assert_eq!(
        ranked,
        [
            (1, "c01".to_owned()),
            (2, "c00".to_owned()),
            (2, "c02".to_owned()),
            (4, "c03".to_owned()),
        ]
    );
}

#[test]
fn figures_by_month_category_department_source_and_kind() {
    let months = street_figures(Dimension::Month);
    assert_eq!(
        months
            .iter()
            .map(|r| (r.key.as_str(), r.tickets))
            .collect::<Vec<_>>(),
        [("2026-10", 1), ("2026-11", 5)]
    );
    // November's replies: t1 192 h, t2 96 h → median 96 (lower middle), p90 192.
    assert_eq!(months[1].to_reply.median_h, Some(96.0));
    assert_eq!(months[1].to_reply.p90_h, Some(192.0));
    // October: t6 archived 508 h after it came in.
    assert_eq!(months[0].to_close.median_h, Some(508.0));

    let keys = |by| {
        street_figures(by)
            .into_iter()
            .map(|r| (r.key, r.tickets))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        keys(Dimension::Category),
        [("城市管理".to_owned(), 5), ("环境保护".to_owned(), 1)]
    );
    assert_eq!(
        keys(Dimension::Department),
        [(String::new(), 4), ("城管科".to_owned(), 2)]
    );
    assert_eq!(
        keys(Dimension::Source),
        [("grid_patrol".to_owned(), 1), ("hotline".to_owned(), 5)]
    );
    assert_eq!(key_of(&street()[4], Dimension::Kind), "praise");
    // The whole street's figures agree with the groups': composites are not averages of
    // averages, so the street is computed from its tickets, not from the rows.
    let all = street();
    let refs: Vec<&TicketFacts> = all.iter().collect();
    let street =
        streetdesk_core::kpi::figures("", &refs, &RateFormula::default(), at("2026-11-20T12:00"));
    assert_eq!(street.tickets, 6);
    close(street.rates.response, 75.0);
}
