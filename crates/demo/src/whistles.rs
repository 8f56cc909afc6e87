//! The demo street's whistles: months of closed, rated ones behind recent tickets, and two
//! running now — one with a department past its report-in limit — so the board, the scorecards
//! and the overdue warning all have something to show.

use chrono::{DateTime, Datelike, Duration, FixedOffset};
use streetdesk_core::dto::{BacklogQuery, TicketRow};
use streetdesk_core::error::ApiResult;
use streetdesk_core::time::parse_beijing;
use streetdesk_core::whistle::{WhistleBlown, WhistleEvent, WhistleReason, WhistleRecord};
use streetdesk_core::{DeviceId, Event, EventId, Hlc, TicketEvent, TicketId, WhistleId};
use streetdesk_store::Store;

/// Who is summoned for what: department ids of the demo directory.
const TEAMS: &[&[&str]] = &[
    &["d01", "d02"],        // 占道经营、违停: 城管 + 派出所
    &["d09", "d04"],        // 污水外溢: 排水集团 + 住建
    &["d11", "d04", "d01"], // 停电、飞线: 供电 + 住建 + 城管
    &["d10", "d09"],        // 跑冒滴漏: 自来水 + 排水
    &["d13", "d04"],        // 供暖不热: 热力 + 住建
    &["d12", "d07"],        // 燃气异味: 燃气 + 消防
    &["d05", "d06"],        // 餐饮油烟: 市场监管 + 生态环境
    &["d03", "d02", "d01"], // 交通拥堵: 交通 + 派出所 + 城管
];

/// Closed whistles behind the demo's history.
const CLOSED: usize = 60;

struct Recorder {
    device: DeviceId,
    records: Vec<WhistleRecord>,
    links: Vec<Event>,
}

impl Recorder {
    fn whistle(&mut self, w: &WhistleId, at: DateTime<FixedOffset>, body: WhistleEvent) {
        self.records.push(WhistleRecord {
            id: EventId::new(),
            whistle_id: w.clone(),
            hlc: Hlc::new(at.timestamp_millis(), 0),
            device: self.device.clone(),
            actor: "值班员".into(),
            heads: vec![],
            body,
        });
    }

    fn link(&mut self, ticket: &str, w: &WhistleId, at: DateTime<FixedOffset>) {
        self.links.push(Event {
            id: EventId::new(),
            ticket_id: TicketId(ticket.to_owned()),
            hlc: Hlc::new(at.timestamp_millis(), 0),
            device: self.device.clone(),
            actor: "值班员".into(),
            heads: vec![],
            body: TicketEvent::WhistleLinked { whistle: w.clone() },
        });
    }

    fn blow(
        &mut self,
        ticket: &TicketRow,
        team: &[&str],
        limit: u32,
        at: DateTime<FixedOffset>,
    ) -> WhistleId {
        let w = WhistleId::new();
        self.whistle(
            &w,
            at,
            WhistleEvent::Blown(WhistleBlown {
                reason: WhistleReason::Complaint,
                matter: ticket.content.clone(),
                place: ticket.address.clone(),
                community_id: Some(ticket.community_id.clone()),
                tickets: vec![TicketId(ticket.id.clone())],
                departments: team.iter().map(|d| (*d).to_owned()).collect(),
                report_limit_min: limit,
                at,
            }),
        );
        self.link(&ticket.id, &w, at);
        w
    }

    fn step(&mut self, w: &WhistleId, at: DateTime<FixedOffset>, body: WhistleEvent) {
        self.whistle(w, at, body);
    }
}

/// Adds the demo's whistles to a store that already holds the demo's tickets, as of `now`.
pub fn populate_whistles(
    store: &mut Store,
    now: DateTime<FixedOffset>,
    seed: u64,
) -> ApiResult<()> {
    let rows = store
        .backlog(&BacklogQuery {
            limit: 2000,
            ..Default::default()
        })?
        .rows;
    if rows.len() < CLOSED + 2 {
        return Ok(());
    }
    let mut rng = fastrand::Rng::with_seed(seed ^ 0x5eed);
    let mut r = Recorder {
        device: store.device().clone(),
        records: Vec::new(),
        links: Vec::new(),
    };
    let received = |t: &TicketRow| parse_beijing(&t.received_at).unwrap_or(now);
    // Closed whistles, on older tickets, in office hours the day after each was received.
    let step = rows.len() / (CLOSED + 2);
    for i in 0..CLOSED {
        let ticket = &rows[(i + 2) * step];
        let next_day = received(ticket).date_naive() + Duration::days(1);
        let Some(at) = parse_beijing(&format!(
            "{next_day} {:02}:{:02}",
            9 + rng.u32(0..7),
            rng.u32(0..60)
        )) else {
            continue;
        };
        if at > now - Duration::hours(8) {
            continue;
        }
        let team = TEAMS[rng.usize(..TEAMS.len())];
        let w = r.blow(ticket, team, 30, at);
        let end = at + Duration::minutes(150 + rng.i64(0..240));
        for d in team {
            // Most report in well within the limit; about one in six is late.
            let minutes = if rng.u8(..6) == 0 {
                rng.i64(31..75)
            } else {
                rng.i64(6..29)
            };
            let reported = at + Duration::minutes(minutes);
            let department = (*d).to_owned();
            r.step(
                &w,
                reported,
                WhistleEvent::ReportedIn {
                    department: department.clone(),
                    at: reported,
                },
            );
            let done = end - Duration::minutes(rng.i64(0..30));
            r.step(
                &w,
                done,
                WhistleEvent::Done {
                    department,
                    at: done,
                    note: "已按职责处置".into(),
                },
            );
        }
        r.step(
            &w,
            end,
            WhistleEvent::Closed {
                at: end,
                summary: "问题已解决，现场恢复".into(),
            },
        );
        for d in team {
            let effectiveness = [5, 5, 4, 4, 4, 3][rng.usize(..6)];
            r.step(
                &w,
                end + Duration::minutes(10),
                WhistleEvent::Rated {
                    department: (*d).to_owned(),
                    effectiveness,
                    comment: String::new(),
                },
            );
        }
    }
    // Running now: one with a department 20 minutes past its limit, one just blown.
    let late = now - Duration::minutes(50);
    let before: Vec<&TicketRow> = rows
        .iter()
        .filter(|t| received(t) < late - Duration::hours(1))
        .take(2)
        .collect();
    let [first, second] = before[..] else {
        return Ok(());
    };
    let w = r.blow(first, &["d09", "d02", "d11"], 30, late);
    let at = late + Duration::minutes(12);
    r.step(
        &w,
        at,
        WhistleEvent::ReportedIn {
            department: "d09".into(),
            at,
        },
    );
    let at = late + Duration::minutes(25);
    r.step(
        &w,
        at,
        WhistleEvent::OnSite {
            department: "d11".into(),
            at,
        },
    );
    let fresh = now - Duration::minutes(8);
    r.blow(second, &["d01", "d05"], 30, fresh);
    store.append(&r.links)?;
    store.append_whistles(&r.records)?;
    // Last month's party-building marks, as the street's office would have entered them.
    let last_month = (now.date_naive().with_day(1).unwrap_or_default() - Duration::days(1))
        .format("%Y-%m")
        .to_string();
    for d in crate::departments().iter().take(13) {
        store.set_party_building(&d.id, &last_month, Some(f64::from(80 + rng.u8(0..20))))?;
    }
    Ok(())
}
