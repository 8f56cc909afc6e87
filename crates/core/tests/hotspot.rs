//! Hotspots found by hand: which tickets group, on which basis, and which do not.

use streetdesk_core::governance::GovernanceSettings;
use streetdesk_core::hotspot::{category_at, hotspots, HotspotBasis, HotspotTicket};
use streetdesk_core::ticket::{GeoPoint, TicketStatus};

/// A point `north_m` metres north and `east_m` east of a fixed origin in Beijing.
fn at(north_m: f64, east_m: f64) -> Option<GeoPoint> {
    let (lat, lng) = (39.95, 116.41);
    Some(GeoPoint {
        lat: lat + north_m / 111_320.0,
        lng: lng + east_m / (111_320.0 * lat.to_radians().cos()),
    })
}

fn ticket(id: &str, category: &str, community: &str, location: Option<GeoPoint>) -> HotspotTicket {
    HotspotTicket {
        id: id.into(),
        hotline_no: None,
        category: category.into(),
        community_id: community.into(),
        address: format!("{community} 1 号"),
        received_at: format!("2026-11-2{}T09:00:00+08:00", id.len() % 7),
        status: TicketStatus::InProgress,
        location,
    }
}

const LEAK: &str = "城乡建设/房屋管理/漏水";
const LEAK_ROOF: &str = "城乡建设/房屋管理/屋顶漏雨";
const PARKING: &str = "交通管理/停车管理/占道停车";

#[test]
fn tickets_chained_within_the_radius_form_one_nearby_hotspot_across_communities() {
    let tickets = vec![
        ticket("a", LEAK, "c01", at(0.0, 0.0)),
        ticket("b", LEAK_ROOF, "c01", at(150.0, 0.0)),
        // 150 m from b, 300 m from a: chained through b; over the community line.
        ticket("c", LEAK, "c02", at(300.0, 0.0)),
        // Same category, 1 km away: not nearby.
        ticket("d", LEAK, "c01", at(1_000.0, 0.0)),
        // Nearby but another category at level 2.
        ticket("e", PARKING, "c01", at(10.0, 10.0)),
    ];
    let found = hotspots(&tickets, &GovernanceSettings::default());
    assert_eq!(found.len(), 1, "{found:#?}");
    let h = &found[0];
    assert_eq!(h.basis, HotspotBasis::Nearby);
    assert_eq!(h.category, "城乡建设/房屋管理");
    let mut ids: Vec<&str> = h.tickets.iter().map(|t| t.id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(h.community_id, "c01");
    let centre = h.centre.unwrap();
    assert!(centre.metres_to(&at(150.0, 0.0).unwrap()) < 1.0);
}

#[test]
fn what_the_map_does_not_group_can_still_crowd_one_community() {
    let mut tickets = vec![
        ticket("p1", PARKING, "c03", None),
        ticket("p2", PARKING, "c03", at(0.0, 0.0)),
        ticket("p3", PARKING, "c03", at(0.0, 900.0)),
        // Two in another community are not enough.
        ticket("q1", PARKING, "c04", None),
        ticket("q2", PARKING, "c04", None),
    ];
    let found = hotspots(&tickets, &GovernanceSettings::default());
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].basis, HotspotBasis::Community);
    assert_eq!(found[0].community_id, "c03");
    assert_eq!(found[0].tickets.len(), 3);
    assert!(found[0].centre.is_none());

    // A stricter threshold finds nothing; a coarser category merges nothing more here.
    let strict = GovernanceSettings {
        hotspot_min_tickets: 4,
        ..GovernanceSettings::default()
    };
    assert!(hotspots(&tickets, &strict).is_empty());
    tickets.push(ticket("p4", "交通管理/道路设施/井盖缺失", "c03", None));
    let coarse = GovernanceSettings {
        hotspot_category_level: 1,
        ..GovernanceSettings::default()
    };
    let found = hotspots(&tickets, &coarse);
    assert_eq!(found[0].tickets.len(), 4);
    assert_eq!(found[0].category, "交通管理");
}

#[test]
fn no_ticket_is_in_two_hotspots_and_the_key_is_stable() {
    let tickets: Vec<HotspotTicket> = (0..6)
        .map(|i| ticket(&format!("t{i}"), LEAK, "c05", at(f64::from(i) * 20.0, 0.0)))
        .chain((0..3).map(|i| ticket(&format!("u{i}"), LEAK, "c05", None)))
        .collect();
    let found = hotspots(&tickets, &GovernanceSettings::default());
    let counted: usize = found.iter().map(|h| h.tickets.len()).sum();
    assert_eq!(counted, 9);
    assert_eq!(found.len(), 2);
    let mut reversed = tickets.clone();
    reversed.reverse();
    let again = hotspots(&reversed, &GovernanceSettings::default());
    assert_eq!(
        found.iter().map(|h| &h.key).collect::<Vec<_>>(),
        again.iter().map(|h| &h.key).collect::<Vec<_>>()
    );
    assert_eq!(category_at("a/b/c", 2), "a/b");
    assert_eq!(category_at("a", 3), "a");
}

#[test]
fn neighbours_just_inside_the_radius_are_found_however_they_lie_and_chains_stop() {
    // 190 m apart north-south and east-west, at many offsets across cell boundaries.
    for step in 0..40 {
        let base = f64::from(step) * 37.0;
        for (north, east) in [(190.0, 0.0), (0.0, 190.0), (134.0, 134.0)] {
            let tickets = vec![
                ticket("a", LEAK, "c01", at(base, base)),
                ticket("b", LEAK, "c02", at(base + north, base + east)),
                ticket("c", LEAK, "c03", at(base + north / 2.0, base + east / 2.0)),
            ];
            let found = hotspots(&tickets, &GovernanceSettings::default());
            assert_eq!(found.len(), 1, "offset {base} m, step ({north}, {east})");
            assert_eq!(found[0].basis, HotspotBasis::Nearby);
        }
    }
    // A street of reports every 150 m chains only as far as twice the radius from its start.
    let street: Vec<HotspotTicket> = (0..10)
        .map(|i| {
            ticket(
                &format!("s{i}"),
                PARKING,
                &format!("c{i}"),
                at(f64::from(i) * 150.0, 0.0),
            )
        })
        .collect();
    let found = hotspots(&street, &GovernanceSettings::default());
    assert!(found.iter().all(|h| h.tickets.len() <= 3), "{found:#?}");
}
