//! Hotspots (DESIGN.md "Proactive governance"): the same category reported again and again
//! near one place or within one community inside a window. The store picks the window's
//! tickets (repeats left out); this module finds the hotspots among them.

use crate::governance::GovernanceSettings;
use crate::ticket::{GeoPoint, TicketStatus};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use ts_rs::TS;

/// One ticket of a hotspot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HotspotTicket {
    /// Ticket id.
    pub id: String,
    /// 工单编号, for 12345 tickets.
    pub hotline_no: Option<String>,
    /// Full category path.
    pub category: String,
    /// Community id.
    pub community_id: String,
    /// Address.
    pub address: String,
    /// Received, RFC 3339 Beijing time.
    pub received_at: String,
    /// Workflow state.
    pub status: TicketStatus,
    /// Map position, where known.
    pub location: Option<GeoPoint>,
}

/// Why tickets form a hotspot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum HotspotBasis {
    /// Within the radius of one another on the map.
    Nearby,
    /// In the same community.
    Community,
}

/// A hotspot: what it is about, where, and its tickets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Hotspot {
    /// Stable while its ticket with the smallest id stays in the window.
    pub key: String,
    /// Nearby or same community.
    pub basis: HotspotBasis,
    /// The category path, cut at the configured level.
    pub category: String,
    /// The community most of its tickets are in.
    pub community_id: String,
    /// That community's name.
    pub community_name: String,
    /// The address named most often.
    pub address: String,
    /// The middle of its tickets' positions (nearby hotspots).
    pub centre: Option<GeoPoint>,
    /// The tickets, newest first.
    pub tickets: Vec<HotspotTicket>,
    /// The proactive case raised from it, if one was.
    pub case_id: Option<String>,
}

/// The first `level` levels of a category path.
pub fn category_at(path: &str, level: u8) -> String {
    path.split('/')
        .take(usize::from(level.max(1)))
        .collect::<Vec<_>>()
        .join("/")
}

fn most_common<'a>(values: impl Iterator<Item = &'a str>) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    // Ties go to the first in key order, so the answer does not depend on input order.
    let best = counts.values().copied().max().unwrap_or(0);
    counts
        .into_iter()
        .find(|(_, n)| *n == best)
        .map(|(v, _)| v.to_owned())
        .unwrap_or_default()
}

fn hotspot(basis: HotspotBasis, category: String, mut members: Vec<HotspotTicket>) -> Hotspot {
    members.sort_by(|a, b| b.received_at.cmp(&a.received_at).then(a.id.cmp(&b.id)));
    let first = members.iter().map(|t| t.id.as_str()).min().unwrap_or("");
    let located: Vec<GeoPoint> = members.iter().filter_map(|t| t.location).collect();
    let centre = (basis == HotspotBasis::Nearby && !located.is_empty()).then(|| GeoPoint {
        lat: located.iter().map(|p| p.lat).sum::<f64>() / located.len() as f64,
        lng: located.iter().map(|p| p.lng).sum::<f64>() / located.len() as f64,
    });
    Hotspot {
        key: format!(
            "{}:{category}:{first}",
            if basis == HotspotBasis::Nearby {
                "n"
            } else {
                "c"
            }
        ),
        basis,
        community_id: most_common(members.iter().map(|t| t.community_id.as_str())),
        community_name: String::new(),
        address: most_common(members.iter().map(|t| t.address.as_str())),
        centre,
        category,
        tickets: members,
        case_id: None,
    }
}

/// Groups of tickets of one category whose positions chain within `radius_m` of each other,
/// none farther than [`REACH`] radii from the ticket its group started from, so that a long
/// street of scattered reports does not chain into one "place".
fn nearby_groups(located: &[(usize, GeoPoint)], radius_m: f64) -> Vec<Vec<usize>> {
    // Cells a radius wide in both directions, one longitude width for the whole set (taken at
    // its highest latitude, where degrees are shortest), so neighbours are always in the
    // same or an adjacent cell.
    let cell_lat = radius_m / 111_320.0;
    let top = located
        .iter()
        .map(|(_, p)| p.lat.abs())
        .fold(0.0_f64, f64::max);
    let cell_lng = cell_lat / top.to_radians().cos().max(0.01);
    let cell_of = |p: &GeoPoint| {
        (
            (p.lat / cell_lat).floor() as i64,
            (p.lng / cell_lng).floor() as i64,
        )
    };
    let mut cells: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    for (k, (_, p)) in located.iter().enumerate() {
        cells.entry(cell_of(p)).or_default().push(k);
    }
    let mut group = vec![usize::MAX; located.len()];
    let mut groups = Vec::new();
    for start in 0..located.len() {
        if group[start] != usize::MAX {
            continue;
        }
        let id = groups.len();
        group[start] = id;
        let seed = located[start].1;
        let (mut stack, mut members) = (vec![start], vec![located[start].0]);
        while let Some(k) = stack.pop() {
            let p = located[k].1;
            let (y, x) = cell_of(&p);
            for dy in -1..=1 {
                for dx in -1..=1 {
                    for &n in cells.get(&(y + dy, x + dx)).into_iter().flatten() {
                        let q = located[n].1;
                        if group[n] == usize::MAX
                            && p.metres_to(&q) <= radius_m
                            && seed.metres_to(&q) <= REACH * radius_m
                        {
                            group[n] = id;
                            stack.push(n);
                            members.push(located[n].0);
                        }
                    }
                }
            }
        }
        groups.push(members);
    }
    groups
}

/// How far, in radii, a nearby hotspot may reach from where it started.
pub const REACH: f64 = 2.0;

/// The hotspots among `tickets` (one window's, repeats left out), largest first. Tickets
/// close together on the map form "nearby" hotspots; what is left of a category in one
/// community can still form a "community" hotspot. No ticket is in two.
pub fn hotspots(tickets: &[HotspotTicket], s: &GovernanceSettings) -> Vec<Hotspot> {
    let min = s.hotspot_min_tickets.max(2) as usize;
    let mut by_category: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, t) in tickets.iter().enumerate() {
        by_category
            .entry(category_at(&t.category, s.hotspot_category_level))
            .or_default()
            .push(i);
    }
    let mut taken = vec![false; tickets.len()];
    let mut out = Vec::new();
    for (category, members) in &by_category {
        let located: Vec<(usize, GeoPoint)> = members
            .iter()
            .filter_map(|&i| tickets[i].location.map(|p| (i, p)))
            .collect();
        for group in nearby_groups(&located, f64::from(s.hotspot_radius_m)) {
            if group.len() >= min {
                for &i in &group {
                    taken[i] = true;
                }
                let chosen = group.iter().map(|&i| tickets[i].clone()).collect();
                out.push(hotspot(HotspotBasis::Nearby, category.clone(), chosen));
            }
        }
        let mut by_community: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for &i in members.iter().filter(|&&i| !taken[i]) {
            by_community
                .entry(tickets[i].community_id.as_str())
                .or_default()
                .push(i);
        }
        for group in by_community.into_values().filter(|g| g.len() >= min) {
            let chosen = group.iter().map(|&i| tickets[i].clone()).collect();
            out.push(hotspot(HotspotBasis::Community, category.clone(), chosen));
        }
    }
    out.sort_by(|a, b| {
        b.tickets
            .len()
            .cmp(&a.tickets.len())
            .then_with(|| a.key.cmp(&b.key))
    });
    out
}
