//! A 12345 export of the demo street, as the city platform writes one: the tickets the hotline
//! dispatched, each at its current state, in the platform's words (categories joined by "->",
//! 已办结, 基本满意). Tests and the import benchmark write it out in various shapes.

use crate::{communities, pick_kind, received_time, text};
use chrono::{DateTime, Duration, FixedOffset};
use std::collections::BTreeMap;
use streetdesk_core::dto::ImportField as F;
use streetdesk_core::hotline::kind_word;

/// One row: the cell of each field, as text.
pub type SampleRow = BTreeMap<F, String>;

/// `rows` tickets received over the `days` before `now`, oldest first; deterministic for a seed.
pub fn hotline_export(
    rows: usize,
    days: i64,
    seed: u64,
    now: DateTime<FixedOffset>,
) -> Vec<SampleRow> {
    let communities = communities();
    let mut rng = fastrand::Rng::with_seed(seed);
    let fmt = |t: DateTime<FixedOffset>| t.format("%Y-%m-%d %H:%M:%S").to_string();
    let mut out = Vec::with_capacity(rows);
    for i in 0..rows {
        let days_ago = days - 1 - (i as i64 * days) / rows.max(1) as i64;
        let received = received_time(&mut rng, now, days_ago);
        let community = &communities[rng.usize(..communities.len())];
        let (category, content) = text::matter(&mut rng);
        let mut row = SampleRow::new();
        let mut put = |f: F, v: String| {
            row.insert(f, v);
        };
        put(
            F::HotlineNo,
            // Numbered per file, offset by the seed, so two samples rarely share a number.
            format!(
                "{}{:06}",
                received.format("%Y%m%d"),
                (seed as usize * 10_007 + i) % 1_000_000
            ),
        );
        put(F::ReceivedAt, fmt(received));
        put(F::Kind, kind_word(pick_kind(&mut rng)).to_owned());
        put(F::Category, category.replace('/', "->"));
        put(F::Content, content);
        put(F::Community, community.name.clone());
        put(F::Address, text::address(&mut rng, &community.name));
        put(F::CallerName, text::person_name(&mut rng));
        put(F::CallerPhone, text::phone(&mut rng));
        let urgent = text::urgency_of(category) == streetdesk_core::policy::Urgency::Emergency;
        put(F::Urgency, if urgent { "紧急" } else { "一般" }.to_owned());
        if rng.u8(0..100) < 40 {
            put(F::Deadline, "7个工作日".to_owned());
        }
        if let Some(theme) = text::monthly_theme(category).filter(|_| rng.u8(0..100) < 60) {
            put(F::Tags, theme.to_owned());
        }
        if rng.u8(0..100) < 85 {
            put(
                F::Grid,
                format!("第{}网格", rng.u32(1..=community.grid_count)),
            );
        }
        // How far the ticket has come: the older, the further.
        let age = now - received;
        // The newest few are in every early state, so that a short export shows them all.
        let stage = match age.num_hours() {
            _ if i >= rows - rows.div_ceil(20) => rng.u8(0..5),
            h if h < 4 => rng.u8(0..2),
            h if h < 72 => rng.u8(1..4),
            h if h < 240 => rng.u8(2..6),
            _ => 5,
        };
        let mut at = received;
        let mut step = |rng: &mut fastrand::Rng, max_hours: i64| {
            at = (at + Duration::minutes(rng.i64(10..max_hours * 60))).min(now);
            at
        };
        let status = match stage {
            0 => "待签收",
            1 => "已签收",
            2 => "办理中",
            3 => "已办结",
            4 => "待回访",
            _ => "已回访",
        };
        // Some the street objects to after signing for them (申请退回), and some the hotline
        // has sent elsewhere on such an objection (已退回).
        let objection = stage >= 1 && rng.u8(0..100) < 4;
        if objection {
            put(F::SignedAt, fmt(step(&mut rng, 2)));
            let word = if rng.bool() {
                "申请退回"
            } else {
                "已退回"
            };
            put(F::Status, word.to_owned());
            out.push(row);
            continue;
        }
        put(F::Status, status.to_owned());
        if stage >= 1 {
            put(F::SignedAt, fmt(step(&mut rng, 2)));
        }
        if stage >= 2 {
            put(F::Contacted, "是".to_owned());
        }
        if stage >= 3 {
            put(F::Reply, text::reply(&mut rng).to_owned());
            put(F::RepliedAt, fmt(step(&mut rng, 48)));
        }
        if stage >= 5 {
            let (resolved, satisfied) = match rng.u8(0..100) {
                0..=69 => ("解决", "满意"),
                70..=84 => ("解决", "基本满意"),
                85..=92 => ("部分解决", "基本满意"),
                93..=96 => ("未解决", "不满意"),
                _ => ("解决", "未评价"),
            };
            put(F::Resolved, resolved.to_owned());
            put(F::Satisfied, satisfied.to_owned());
            put(F::CallbackAt, fmt(step(&mut rng, 24)));
        }
        out.push(row);
    }
    out
}
