#![allow(dead_code)] // each test binary uses part of the fixtures
//! A year of synthetic tickets with fixed seeds and a fixed "now", so charts and reports come
//! out the same on every run; names as long as real ones.

use chrono::{DateTime, Duration, FixedOffset, TimeZone};
use std::collections::HashMap;
use streetdesk_core::dashboard::{dashboard, Dashboard, DashboardInput};
use streetdesk_core::kpi::{RateFormula, TicketFacts};
use streetdesk_core::ticket::{Callback, Resolution, Satisfaction, TicketKind, TicketSource};

/// Community names, some as long as they get.
pub const COMMUNITIES: [&str; 14] = [
    "和平里社区",
    "安华里第一社区",
    "小黄庄北街社区",
    "交道口",
    "南锣鼓巷东口社区居委会",
    "青年湖",
    "地坛公园北门外社区",
    "化工社区",
    "黄寺大街",
    "民旺",
    "六铺炕一区社区",
    "新街口外大街二十八号院社区",
    "裕中西里",
    "胜古庄",
];

const CATEGORIES: [&str; 13] = [
    "城乡建设/物业管理/物业服务",
    "城乡建设/房屋管理/漏水",
    "市容环卫/垃圾清运/生活垃圾",
    "交通管理/停车管理/违章停车",
    "供暖/供热质量/室温不达标",
    "供水/水质/水压不足",
    "公共安全/消防/消防通道",
    "噪声污染/施工噪声/夜间施工",
    "市场监管/价格/明码标价",
    "社会保障/养老/养老服务",
    "园林绿化/树木/树木修剪",
    "教育/学前教育/入园",
    "民政/低保/低保申请",
];

/// The fixed instant the fixtures are judged at.
pub fn now() -> DateTime<FixedOffset> {
    FixedOffset::east_opt(8 * 3600)
        .unwrap()
        .with_ymd_and_hms(2026, 12, 31, 12, 0, 0)
        .unwrap()
}

fn span(rng: &mut fastrand::Rng, lo_h: i64, hi_h: i64) -> Duration {
    Duration::minutes(rng.i64(lo_h * 60..hi_h * 60))
}

fn facts(n: usize, seed: u64) -> Vec<TicketFacts> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let start = FixedOffset::east_opt(8 * 3600)
        .unwrap()
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .unwrap();
    let mut out: Vec<TicketFacts> = (0..n)
        .map(|_| {
            let received_at = start + Duration::minutes(rng.i64(0..365 * 24 * 60));
            let c = rng.usize(0..COMMUNITIES.len());
            // Busier categories first, so the heat table has a long tail to fold.
            let category = CATEGORIES[rng
                .usize(0..CATEGORIES.len())
                .min(rng.usize(0..CATEGORIES.len()))];
            let signed_at = Some(received_at + span(&mut rng, 0, 30));
            let contacted_at = (rng.u8(0..10) > 0).then(|| received_at + span(&mut rng, 0, 200));
            let replied_at = (rng.u8(0..10) > 1).then(|| received_at + span(&mut rng, 2, 400));
            let callback = replied_at.and(Some(Callback {
                contacted: rng.u8(0..20) > c as u8 % 3,
                resolution: [
                    Resolution::Resolved,
                    Resolution::Partly,
                    Resolution::Unresolved,
                ][rng.usize(0..3).min(rng.usize(0..3))],
                satisfaction: [
                    Satisfaction::Satisfied,
                    Satisfaction::Basically,
                    Satisfaction::Unsatisfied,
                    Satisfaction::NotRated,
                ][rng.usize(0..4).min(rng.usize(0..4))],
            }));
            TicketFacts {
                kind: [
                    TicketKind::Complaint,
                    TicketKind::Consultation,
                    TicketKind::Help,
                ][rng.usize(0..3)],
                source: [TicketSource::Hotline, TicketSource::GridPatrol][rng.usize(0..2)],
                community: format!("c{c:02}").into(),
                category: category.into(),
                department: Some(format!("d{:02}", rng.usize(0..6)).into()),
                received_at,
                signed_at,
                contacted_at,
                replied_at,
                closed_at: replied_at.map(|r| r + span(&mut rng, 24, 300)),
                due: Some(received_at + Duration::days(7)),
                callback,
            }
        })
        .collect();
    out.sort_by_key(|f| f.received_at);
    out
}

/// The dashboard of a year of `n` tickets.
pub fn year(n: usize) -> Dashboard {
    build(&facts(n, 7), "2026-01-01", "2026-12-31")
}

/// The dashboard of November alone, out of a year of `n` tickets.
pub fn november(n: usize) -> Dashboard {
    // The trend's twelve months up to November, of which November is the period.
    let trend: Vec<TicketFacts> = facts(n, 7)
        .into_iter()
        .filter(|t| t.received_at.format("%Y-%m").to_string().as_str() <= "2026-11")
        .collect();
    build(&trend, "2026-11-01", "2026-11-30")
}

/// The dashboard of the period `from`–`to` over `tickets` (which may reach back for the
/// trend).
pub fn build(tickets: &[TicketFacts], from: &str, to: &str) -> Dashboard {
    let community_names: HashMap<String, String> = COMMUNITIES
        .iter()
        .enumerate()
        .map(|(i, n)| (format!("c{i:02}"), (*n).to_owned()))
        .collect();
    let department_names: HashMap<String, String> = (0..6)
        .map(|i| (format!("d{i:02}"), format!("部门{i}")))
        .collect();
    dashboard(
        tickets,
        &DashboardInput {
            from,
            to,
            community_names: &community_names,
            department_names: &department_names,
            formula: &RateFormula::default(),
            now: now(),
        },
    )
}
