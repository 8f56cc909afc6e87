//! The statistics read each ticket's facts from the projection. On a demo street they must be
//! exactly what folding each ticket's events says, and the street's figures must follow.

use std::collections::BTreeMap;
use streetdesk_core::governance::{caller_key, repeat_of, Call, GovernanceSettings};
use streetdesk_core::kpi::{figures_by, Dimension, RateFormula, TicketFacts};
use streetdesk_core::time::now_beijing;
use streetdesk_core::LogEvent;
use streetdesk_demo::{communities, departments, populate_until, DemoOptions};
use streetdesk_store::Store;

/// 2100-01-01, Beijing: after every ticket.
const END_MS: i64 = 4_102_415_999_000;

/// A ticket's facts as text, times to the millisecond (what the projection keeps).
fn key(f: &TicketFacts) -> String {
    let mut f = f.clone();
    f.received_at = streetdesk_core::time::from_unix_ms(f.received_at.timestamp_millis());
    format!("{f:?}")
}

#[test]
fn facts_from_the_projection_equal_the_fold_of_each_ticket() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .upsert_directory(&communities(), &departments())
        .unwrap();
    let now = now_beijing();
    let opts = DemoOptions {
        tickets: 1_200,
        days: 90,
        seed: 11,
    };
    populate_until(&mut store, opts, now).unwrap();

    let mut by_ticket: BTreeMap<String, Vec<streetdesk_core::Event>> = BTreeMap::new();
    for e in store.all_log_events().unwrap() {
        if let LogEvent::Ticket(t) = e {
            by_ticket.entry(t.ticket_id.0.clone()).or_default().push(t);
        }
    }
    // Fold every ticket; a caller's repeat on the same matter counts once, at the first call.
    let mut tickets: Vec<_> = by_ticket
        .values()
        .filter_map(streetdesk_core::ticket::fold)
        .filter(|t| TicketFacts::of(t, None).is_some())
        .collect();
    tickets.sort_by_key(|t| (t.received_at, t.id.0.clone()));
    let calls: Vec<Call> = tickets
        .iter()
        .map(|t| Call {
            caller: caller_key(t.source, t.caller_phone.expose()),
            category: &t.category,
            community: &t.community_id,
            received_ms: t.received_at.timestamp_millis(),
        })
        .collect();
    let repeats = repeat_of(&calls, GovernanceSettings::default().repeat_window_ms());
    let repeated = repeats.iter().filter(|r| r.is_some()).count();
    assert!(
        repeated > 5,
        "the demo has callers who ring again: {repeated}"
    );
    let folded: Vec<TicketFacts> = tickets
        .iter()
        .zip(&repeats)
        .filter(|(_, r)| r.is_none())
        .filter_map(|(t, _)| TicketFacts::of(t, None))
        .collect();
    let mut read = store.ticket_facts(0, END_MS).unwrap();
    assert!(read.iter().all(|f| f.due.is_some()));
    for f in &mut read {
        f.due = None;
    }
    let (mut a, mut b): (Vec<String>, Vec<String>) = (
        folded.iter().map(key).collect(),
        read.iter().map(key).collect(),
    );
    a.sort();
    b.sort();
    assert!(a.len() > 1_000, "{}", a.len());
    assert_eq!(a.len(), b.len());
    let differ = a.iter().zip(&b).find(|(x, y)| x != y);
    assert!(differ.is_none(), "{differ:?}");

    // The demo street goes through every milestone somewhere.
    let some = |pick: fn(&TicketFacts) -> bool| read.iter().filter(|f| pick(f)).count();
    assert!(some(|f| f.signed_at.is_some()) > 500);
    assert!(some(|f| f.contacted_at.is_some()) > 100);
    assert!(some(|f| f.replied_at.is_some()) > 100);
    assert!(some(|f| f.closed_at.is_some()) > 10);
    assert!(some(|f| f.callback.is_some()) > 100);

    // The store's figures are the formulas over those facts; a range keeps only its tickets.
    let formula = RateFormula::default();
    let by_month = store
        .figures(0, END_MS, Dimension::Month, &formula)
        .unwrap();
    let total: u32 = by_month.iter().map(|f| f.tickets).sum();
    assert_eq!(total as usize, read.len());
    let last = by_month.last().unwrap();
    let month_start =
        streetdesk_core::time::beijing_day_start_ms(&format!("{}-01", last.key)).unwrap();
    let this_month = store
        .figures(month_start, END_MS, Dimension::Month, &formula)
        .unwrap();
    assert_eq!(this_month.len(), 1);
    assert_eq!(this_month[0].tickets, last.tickets);
    assert_eq!(this_month[0].rates, last.rates);
    let again = figures_by(&read, Dimension::Community, &formula, now_beijing());
    let stored = store
        .figures(0, END_MS, Dimension::Community, &formula)
        .unwrap();
    assert_eq!(
        again
            .iter()
            .map(|f| (&f.key, f.tickets, &f.rates))
            .collect::<Vec<_>>(),
        stored
            .iter()
            .map(|f| (&f.key, f.tickets, &f.rates))
            .collect::<Vec<_>>()
    );

    // The dashboard of the last month: its figures are that month's; its trend runs over the
    // months before it, up to twelve, each as the month's own figures say.
    let (from, to) = streetdesk_core::dashboard::month_period(&last.key).unwrap();
    let d = store.dashboard(&from, &to).unwrap();
    assert_eq!(d.street.tickets, last.tickets);
    assert_eq!(d.street.rates, last.rates);
    assert_eq!(d.months.last().map(|m| &m.key), Some(&last.key));
    assert_eq!(d.months.len(), 12, "the twelve months up to the last");
    for m in &d.months {
        // Months before the demo began are in the trend, empty.
        let Some(mine) = by_month.iter().find(|f| f.key == m.key) else {
            assert_eq!(m.tickets, 0, "{}", m.key);
            continue;
        };
        assert_eq!(
            (m.tickets, &m.rates),
            (mine.tickets, &mine.rates),
            "{}",
            m.key
        );
    }
    let counted: u32 = d.communities.iter().map(|g| g.figures.tickets).sum();
    assert_eq!(counted, d.street.tickets);
    let heat: u32 = d.heat.counts.iter().flatten().sum();
    assert_eq!(heat, d.street.tickets, "every ticket in one heat cell");
}
