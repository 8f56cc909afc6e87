//! A fictional street (和乐街道) so that a newcomer opens a living backlog: communities, a
//! department directory and months of tickets in realistic Chinese, in every state of the
//! workflow. Deterministic for a given seed and "now". Every name and number is invented.

mod directory;
mod hotline_export;
mod places;
mod text;
mod whistles;

use chrono::{DateTime, Duration, FixedOffset, Timelike};
use std::collections::HashMap;
use streetdesk_core::error::ApiResult;
use streetdesk_core::event::TicketRegistered;
use streetdesk_core::pii::Personal;
use streetdesk_core::ticket::{Callback, Resolution, Satisfaction, TicketKind, TicketSource};
use streetdesk_core::time::now_beijing;
use streetdesk_core::{DeviceId, Event, EventId, HlcClock, TicketEvent, TicketId};
use streetdesk_store::Store;

pub use directory::{communities, departments, STREET_NAME};
pub use hotline_export::{hotline_export, SampleRow};
pub use whistles::populate_whistles;

/// What [`populate`] creates.
#[derive(Clone, Copy, Debug)]
pub struct DemoOptions {
    /// Number of tickets.
    pub tickets: usize,
    /// How far back the tickets reach, in days.
    pub days: i64,
    /// Random seed.
    pub seed: u64,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            tickets: 2000,
            days: 183,
            seed: 12345,
        }
    }
}

/// One event to be, before it is stamped.
struct Planned {
    ticket: usize,
    at: DateTime<FixedOffset>,
    actor: &'static str,
    body: TicketEvent,
}

/// Fills an empty store with the demo street, ending at the current time.
pub fn populate(store: &mut Store, opts: DemoOptions) -> ApiResult<()> {
    populate_until(store, opts, now_beijing())
}

/// Fills the store with the demo street as it would look at `now`, in one transaction.
pub fn populate_until(
    store: &mut Store,
    opts: DemoOptions,
    now: DateTime<FixedOffset>,
) -> ApiResult<()> {
    populate_in_batches(store, opts, now, usize::MAX, |_| Ok(()))
}

/// Tickets planned at a time; bounds memory at a million tickets.
const WINDOW: usize = 20_000;

/// Writes the demo street in transactions of at most `batch` events and calls `on_commit`
/// with each batch once it is durable (bulk loaders, crash tests and benchmarks use this).
pub fn populate_in_batches(
    store: &mut Store,
    opts: DemoOptions,
    now: DateTime<FixedOffset>,
    batch: usize,
    mut on_commit: impl FnMut(&[Event]) -> ApiResult<()>,
) -> ApiResult<()> {
    store.set_street_name(STREET_NAME)?;
    store.upsert_directory(&communities(), &departments())?;
    let batch = batch.max(1);
    let mut out: Vec<Event> = Vec::new();
    let mut flush = |store: &mut Store, out: &mut Vec<Event>, all: bool| -> ApiResult<()> {
        while out.len() >= batch || (all && !out.is_empty()) {
            let rest = out.split_off(out.len().min(batch));
            store.append(out)?;
            on_commit(out)?;
            *out = rest;
        }
        Ok(())
    };
    let device = store.device().clone();
    store.set_bulk_mode(true)?;
    let written = generate(opts, now, device, |events| {
        out.extend(events);
        flush(store, &mut out, false)
    })
    .and_then(|()| flush(store, &mut out, true));
    store.set_bulk_mode(false)?;
    written?;
    populate_whistles(store, now, opts.seed)?;
    store.optimize()
}

/// Generates the demo street's events in the order they happened, stamped by `device` with
/// HLCs that follow their wall times, and hands them to `emit` a window at a time. Needs no
/// store: benchmarks feed the same stream to the engine and to plain SQLite.
pub fn generate(
    opts: DemoOptions,
    now: DateTime<FixedOffset>,
    device: DeviceId,
    mut emit: impl FnMut(Vec<Event>) -> ApiResult<()>,
) -> ApiResult<()> {
    let communities = communities();
    let mut rng = fastrand::Rng::with_seed(opts.seed);
    let mut clock = HlcClock::default();
    let mut serial_per_day: HashMap<String, u32> = HashMap::new();
    let mut ids: HashMap<usize, TicketId> = HashMap::new();
    let mut last: HashMap<usize, EventId> = HashMap::new();
    let mut pending: Vec<Planned> = Vec::new();
    let mut spots: Vec<places::TroubleSpot> = Vec::new();
    let mut recent: Vec<places::PastCall> = Vec::new();
    // Tickets come in received order, window by window; a window's events that happen after
    // the next window begins wait for it, so the whole stream stays in time order.
    let day_of = |i: usize| (i as i64 * opts.days) / opts.tickets.max(1) as i64;
    for first in (0..opts.tickets).step_by(WINDOW) {
        let end = (first + WINDOW).min(opts.tickets);
        for ticket in first..end {
            let days_ago = opts.days - 1 - day_of(ticket);
            let received = received_time(&mut rng, now, days_ago);
            let mut c = rng.usize(..communities.len());
            let source = pick_source(&mut rng);
            let (mut category, mut content) = text::matter(&mut rng);
            let mut address = None;
            let mut caller = None;
            let mut location = places::ordinary(&mut rng, c);
            // Some are the same matter again: a trouble spot reported by someone else, or
            // the same caller ringing back about their own matter.
            match rng.u8(0..100) {
                0..=9 if !spots.is_empty() => {
                    let spot = &spots[rng.usize(..spots.len())];
                    (c, category, content) = (spot.community, spot.category, spot.content.clone());
                    address = Some(spot.address.clone());
                    location = spot.report(&mut rng);
                }
                10..=12 if !recent.is_empty() => {
                    let call: &places::PastCall = &recent[rng.usize(..recent.len())];
                    (c, category, content) = (call.community, call.category, call.content.clone());
                    address = Some(call.address.clone());
                    location = call.at;
                    caller = Some((call.name.clone(), call.phone.clone()));
                }
                _ => {}
            }
            let community = &communities[c];
            let hotline_no = (source == TicketSource::Hotline).then(|| {
                let day = received.format("%Y%m%d").to_string();
                let n = serial_per_day.entry(day.clone()).or_insert(0);
                *n += 1;
                format!("{day}{:04}", 1000 + *n)
            });
            let address = address.unwrap_or_else(|| text::address(&mut rng, &community.name));
            let (caller_name, caller_phone) = caller.unwrap_or_else(|| {
                (
                    Personal::new(text::person_name(&mut rng)),
                    Personal::new(text::phone(&mut rng)),
                )
            });
            if ticket % 61 == 0 {
                // A new trouble spot now and then; the oldest is dealt with and forgotten.
                spots.push(places::TroubleSpot {
                    community: c,
                    category,
                    content: content.clone(),
                    address: address.clone(),
                    at: location,
                });
                if spots.len() > 4 {
                    spots.remove(0);
                }
            }
            recent.push(places::PastCall {
                community: c,
                category,
                content: content.clone(),
                address: address.clone(),
                name: caller_name.clone(),
                phone: caller_phone.clone(),
                at: location,
            });
            if recent.len() > 40 {
                recent.remove(0);
            }
            let registered = TicketRegistered {
                hotline_no,
                kind: pick_kind(&mut rng),
                source,
                category: category.to_owned(),
                content,
                address,
                community_id: community.id.clone(),
                caller_name,
                caller_phone,
                received_at: received,
                urgency: text::urgency_of(category),
                deadline: None,
                grid: (rng.u8(0..100) < 85).then(|| rng.u32(1..=community.grid_count)),
                // Patrols and walk-ins are placed by the officer where known; most are.
                location: (rng.u8(0..100) < 90).then_some(location),
                related: Vec::new(),
            };
            plan_life(
                &mut rng,
                &mut pending,
                ticket,
                registered,
                &community.name,
                now,
            );
        }
        pending.sort_by_key(|p| p.at);
        let cutoff = (end < opts.tickets).then(|| {
            (now - Duration::days(opts.days - 1 - day_of(end)))
                .with_time(chrono::NaiveTime::MIN)
                .single()
                .unwrap_or(now)
        });
        let ready = match cutoff {
            Some(c) => pending.partition_point(|p| p.at < c),
            None => pending.len(),
        };
        let events = pending
            .drain(..ready)
            .map(|p| {
                let id = ids.entry(p.ticket).or_default().clone();
                let heads = last.get(&p.ticket).cloned().into_iter().collect();
                let e = Event {
                    id: EventId::new(),
                    ticket_id: id,
                    hlc: clock.tick(p.at.timestamp_millis()),
                    device: device.clone(),
                    actor: p.actor.to_owned(),
                    heads,
                    body: p.body,
                };
                last.insert(p.ticket, e.id.clone());
                e
            })
            .collect();
        emit(events)?;
    }
    Ok(())
}

/// Mostly office hours, some evenings and nights, on the day `days_ago` before `now`.
fn received_time(
    rng: &mut fastrand::Rng,
    now: DateTime<FixedOffset>,
    days_ago: i64,
) -> DateTime<FixedOffset> {
    let day = now - Duration::days(days_ago);
    let hour = match rng.u8(0..10) {
        0 => rng.u32(0..8),
        1..=7 => rng.u32(8..18),
        _ => rng.u32(18..24),
    };
    let t = day
        .with_hour(hour)
        .and_then(|t| t.with_minute(rng.u32(0..60)))
        .and_then(|t| t.with_second(rng.u32(0..60)))
        .unwrap_or(day);
    if t > now {
        now - Duration::minutes(rng.i64(5..600))
    } else {
        t
    }
}

fn pick_source(rng: &mut fastrand::Rng) -> TicketSource {
    match rng.u8(0..100) {
        0..=79 => TicketSource::Hotline,
        80..=89 => TicketSource::GridPatrol,
        90..=94 => TicketSource::Proactive,
        _ => TicketSource::WalkIn,
    }
}

fn pick_kind(rng: &mut fastrand::Rng) -> TicketKind {
    match rng.u8(0..100) {
        0..=44 => TicketKind::Complaint,
        45..=69 => TicketKind::Help,
        70..=84 => TicketKind::Consultation,
        85..=91 => TicketKind::Report,
        92..=97 => TicketKind::Suggestion,
        _ => TicketKind::Praise,
    }
}

/// Plans a ticket's life up to `now`: older tickets have gone further along the workflow.
fn plan_life(
    rng: &mut fastrand::Rng,
    plan: &mut Vec<Planned>,
    ticket: usize,
    reg: TicketRegistered,
    community: &str,
    now: DateTime<FixedOffset>,
) {
    let received = reg.received_at;
    // Registered a few minutes after receipt, but never in the future.
    let mut at = (received + Duration::minutes(rng.i64(1..20))).min(now);
    let mut push = |at: DateTime<FixedOffset>, actor, body| {
        let ok = at <= now;
        if ok {
            plan.push(Planned {
                ticket,
                at,
                actor,
                body,
            });
        }
        ok
    };
    let duty = directory::DUTY_OFFICERS[rng.usize(..directory::DUTY_OFFICERS.len())];
    let theme = text::monthly_theme(&reg.category).filter(|_| rng.u8(0..100) < 70);
    if !push(at, duty, TicketEvent::Registered(Box::new(reg))) {
        return;
    }
    if let Some(tag) = theme {
        let tag = tag.to_owned();
        push(at + Duration::minutes(1), duty, TicketEvent::Tagged { tag });
    }
    // A few recent tickets stop early on purpose, so that every state is on screen; older ones
    // ran their course, as in a real street where nothing stays open for years.
    let lately = now - received < Duration::days(60);
    let stop_at = if lately && rng.u8(0..100) < 6 {
        rng.u8(1..6)
    } else {
        7
    };
    at += Duration::minutes(rng.i64(5..240));
    if stop_at <= 1 || !push(at, duty, TicketEvent::SignedFor) {
        return;
    }
    // Some tickets are not the street's: it objects to the dispatch (派单异议). Recent tickets
    // object more often so that a pending objection is visible in the demo.
    let recent = now - received < Duration::days(7);
    if rng.u8(0..100) < if recent { 10 } else { 3 } {
        at += Duration::minutes(rng.i64(10..180));
        let reason = text::objection(rng).to_owned();
        if !push(at, duty, TicketEvent::ObjectionRaised { reason }) || recent {
            return;
        }
        at += Duration::hours(rng.i64(4..48));
        let upheld = rng.bool();
        let reason = text::objection_decision(upheld).to_owned();
        if !push(
            at,
            "12345派单审核",
            TicketEvent::ObjectionDecided { upheld, reason },
        ) {
            return;
        }
        if upheld {
            if rng.bool() {
                push(
                    at + Duration::days(rng.i64(1..10)),
                    duty,
                    TicketEvent::Archived,
                );
            }
            return;
        }
    }
    let unit = if rng.bool() {
        community.to_owned()
    } else {
        text::section(rng).to_owned()
    };
    at += Duration::minutes(rng.i64(5..120));
    if stop_at <= 2 || !push(at, duty, TicketEvent::Assigned { unit }) {
        return;
    }
    let supervised = rng.u8(0..100) < 4;
    if supervised {
        let note = "街道督查室：群众反映强烈，限期办结".to_owned();
        push(
            at + Duration::minutes(30),
            "街道督查室",
            TicketEvent::SupervisionFlagged { note },
        );
    }
    let handler = directory::HANDLERS[rng.usize(..directory::HANDLERS.len())];
    at += Duration::minutes(rng.i64(10..240));
    if !push(
        at,
        handler,
        TicketEvent::ContactMade {
            note: text::contact(rng).to_owned(),
        },
    ) {
        return;
    }
    at += Duration::minutes(rng.i64(20..600));
    if !push(
        at,
        handler,
        TicketEvent::ProgressNoted {
            note: text::progress(rng).to_owned(),
        },
    ) {
        return;
    }
    at += Duration::hours(rng.i64(2..120));
    if stop_at <= 3
        || !push(
            at,
            handler,
            TicketEvent::Replied {
                reply: text::reply(rng).to_owned(),
            },
        )
    {
        return;
    }
    if supervised && rng.u8(0..100) < 70 {
        push(
            at + Duration::minutes(20),
            "街道督查室",
            TicketEvent::SupervisionCleared,
        );
    }
    at += Duration::hours(rng.i64(1..24));
    if stop_at <= 4 || !push(at, duty, TicketEvent::SentForCallback) {
        return;
    }
    at += Duration::hours(rng.i64(12..96));
    let callback = random_callback(rng);
    if stop_at <= 5 || !push(at, "12345回访", TicketEvent::CallbackRecorded(callback)) {
        return;
    }
    at += Duration::days(rng.i64(3..20));
    push(at, duty, TicketEvent::Archived);
}

fn random_callback(rng: &mut fastrand::Rng) -> Callback {
    let resolution = match rng.u8(0..100) {
        0..=77 => Resolution::Resolved,
        78..=89 => Resolution::Partly,
        _ => Resolution::Unresolved,
    };
    let satisfaction = match (resolution, rng.u8(0..100)) {
        (Resolution::Resolved, 0..=84) => Satisfaction::Satisfied,
        (Resolution::Resolved, 85..=96) => Satisfaction::Basically,
        (Resolution::Partly, 0..=49) => Satisfaction::Basically,
        (_, 0..=9) => Satisfaction::NotRated,
        _ => Satisfaction::Unsatisfied,
    };
    Callback {
        contacted: rng.u8(0..100) < 97,
        resolution,
        satisfaction,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use streetdesk_core::dto::BacklogQuery;
    use streetdesk_core::ticket::TicketStatus;
    use streetdesk_core::time::parse_beijing;

    #[test]
    fn the_demo_street_is_alive() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("demo.sqlite3")).unwrap();
        let now = parse_beijing("2026-11-26T15:00").unwrap();
        populate_until(&mut store, DemoOptions::default(), now).unwrap();

        assert_eq!(store.ticket_count().unwrap(), 2000);
        assert!(store.communities().unwrap().len() >= 8);
        assert!(store.department_count().unwrap() >= 10);
        assert_eq!(store.street_name().unwrap().as_deref(), Some(STREET_NAME));
        let events = store.event_count().unwrap();
        assert!(events > 8000, "{events} events");

        let facets = store.backlog_facets(&BacklogQuery::default()).unwrap();
        let states: HashSet<_> = facets.by_status.iter().map(|f| f.key.clone()).collect();
        for s in TicketStatus::ALL {
            assert!(
                states.contains(s.as_str()),
                "no demo ticket is {}",
                s.as_str()
            );
        }
        let page = store
            .backlog(&BacklogQuery {
                limit: 500,
                ..Default::default()
            })
            .unwrap();
        let oldest = page.rows.last().unwrap();
        assert!(oldest.received_at.as_str() > "2026-05-20");
        assert!(page
            .rows
            .iter()
            .all(|r| r.received_at.as_str() <= "2026-11-26T15:00:00+08:00"));
        assert!(page.rows.iter().any(|r| r.hotline_no.is_some()));
        assert!(page.rows.iter().any(|r| r.hotline_no.is_none()));
        // Nothing concurrent happened in the demo, so nothing needs review.
        assert!(page.rows.iter().all(|r| !r.needs_review));

        // Whistles: two running (one department past its limit), months of closed ones.
        use streetdesk_core::dto::WhistleQuery;
        use streetdesk_core::whistle::WhistleStatus;
        let open = WhistleQuery {
            status: Some(WhistleStatus::Open),
            ..Default::default()
        };
        let running = store.whistles(&open).unwrap();
        assert_eq!(running.len(), 2);
        let overdue = running.iter().flat_map(|w| &w.summons).filter(|s| {
            s.stage == streetdesk_core::whistle::SummonsStage::Summoned
                && s.report_due.as_str() < "2026-11-26T15:00:00+08:00"
        });
        assert_eq!(overdue.count(), 1);
        let all = store.whistles(&WhistleQuery::default()).unwrap();
        assert!(all.len() > 20, "{} whistles", all.len());
        let cards = store.scorecards("2026-10").unwrap();
        assert!(cards.iter().any(|c| c.total.is_some()));

        let before = store.projection_snapshot().unwrap();
        let whistles_before = store.whistles(&WhistleQuery::default()).unwrap();
        store.rebuild_projections().unwrap();
        assert_eq!(store.projection_snapshot().unwrap(), before);
        assert_eq!(
            store.whistles(&WhistleQuery::default()).unwrap(),
            whistles_before
        );
    }

    #[test]
    fn timelines_follow_the_real_clock() {
        let mut store = Store::open_in_memory().unwrap();
        let now = parse_beijing("2026-11-26T15:00").unwrap();
        populate_until(
            &mut store,
            DemoOptions {
                tickets: 50,
                days: 30,
                seed: 7,
            },
            now,
        )
        .unwrap();
        let page = store
            .backlog(&BacklogQuery {
                limit: 50,
                ..Default::default()
            })
            .unwrap();
        for row in page.rows {
            let d = store.ticket_detail(&row.id).unwrap();
            let first = &d.timeline[0];
            assert!(
                first.at.as_str() >= row.received_at.as_str(),
                "{} < {}",
                first.at,
                row.received_at
            );
            assert!(d.timeline.windows(2).all(|w| w[0].at <= w[1].at));
        }
    }
}
