//! Proactive governance on a real store: hotspots over the window, a case raised from one,
//! and a caller's repeated calls linked and counted once.

use streetdesk_core::dto::{Community, NewTicket};
use streetdesk_core::error::ErrorCode;
use streetdesk_core::governance::GovernanceSettings;
use streetdesk_core::hotspot::HotspotBasis;
use streetdesk_core::ticket::{GeoPoint, TicketKind, TicketSource};
use streetdesk_core::time::parse_beijing;
use streetdesk_store::{Store, DB_FILE};

fn communities() -> Vec<Community> {
    ["和平社区", "安定社区"]
        .iter()
        .enumerate()
        .map(|(i, n)| Community {
            id: format!("c{i}"),
            name: (*n).into(),
            grid_count: 3,
        })
        .collect()
}

/// A point `north_m` metres north of a corner of the street.
fn spot(north_m: f64) -> GeoPoint {
    GeoPoint {
        lat: 39.95 + north_m / 111_320.0,
        lng: 116.41,
    }
}

fn call(
    phone: &str,
    category: &str,
    community: &str,
    at: &str,
    place: Option<GeoPoint>,
) -> NewTicket {
    NewTicket {
        hotline_no: None,
        kind: TicketKind::Complaint,
        source: TicketSource::Hotline,
        category: category.into(),
        content: "楼顶漏水，墙面发霉".into(),
        address: "安定门内大街 8 号".into(),
        community_id: community.into(),
        caller_name: "赵建国".into(),
        caller_phone: phone.into(),
        received_at: at.into(),
        urgency: streetdesk_core::policy::Urgency::General,
        deadline: None,
        grid: None,
        location: place,
        related: None,
    }
}

const LEAK: &str = "城乡建设/房屋管理/房屋漏水";
const PARKING: &str = "城市管理/停车管理/胡同停车";

fn ms(at: &str) -> i64 {
    parse_beijing(at).unwrap().timestamp_millis()
}

#[test]
fn hotspots_cases_and_repeats_on_a_real_store() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join(DB_FILE)).unwrap();
    s.upsert_directory(&communities(), &[]).unwrap();

    // Three neighbours report leaks within 150 m over two communities; one caller rings
    // about the same leak twice more; parking complaints are scattered.
    let leaks = [
        ("13900000001", "c0", "2026-11-20T09:00", 0.0),
        ("13900000002", "c0", "2026-11-21T09:00", 80.0),
        ("13900000003", "c1", "2026-11-22T09:00", 150.0),
        ("13900000001", "c0", "2026-11-23T09:00", 0.0),
        ("13900000001", "c0", "2026-11-24T09:00", 0.0),
    ];
    let mut ids = Vec::new();
    for (phone, c, at, north) in leaks {
        ids.push(
            s.register_ticket(&call(phone, LEAK, c, at, Some(spot(north))))
                .unwrap()
                .row
                .id,
        );
    }
    for (i, at) in ["2026-11-20T10:00", "2026-11-22T10:00"].iter().enumerate() {
        let phone = format!("1370000000{i}");
        s.register_ticket(&call(
            &phone,
            PARKING,
            "c1",
            at,
            Some(spot(2_000.0 * i as f64)),
        ))
        .unwrap();
    }

    let now = ms("2026-11-25T12:00");
    let found = s.hotspots(now).unwrap();
    assert_eq!(found.len(), 1, "{found:#?}");
    let h = &found[0];
    assert_eq!(h.basis, HotspotBasis::Nearby);
    assert_eq!(h.community_name, "和平社区");
    // The caller's two repeats do not make the spot hotter: three tickets, not five.
    let mut members: Vec<&str> = h.tickets.iter().map(|t| t.id.as_str()).collect();
    members.sort();
    let mut first_calls = vec![ids[0].as_str(), ids[1].as_str(), ids[2].as_str()];
    first_calls.sort();
    assert_eq!(members, first_calls);
    assert!(h.case_id.is_none());

    // Out of the window, it is gone; with four needed, it is not one.
    assert!(s.hotspots(ms("2026-12-10T12:00")).unwrap().is_empty());
    let stricter = GovernanceSettings {
        hotspot_min_tickets: 4,
        ..GovernanceSettings::default()
    };
    s.set_governance_settings(&stricter).unwrap();
    assert!(s.hotspots(now).unwrap().is_empty());
    let bad = GovernanceSettings {
        hotspot_radius_m: 5,
        ..stricter.clone()
    };
    assert_eq!(
        s.set_governance_settings(&bad).unwrap_err().code,
        ErrorCode::GovernanceInvalid
    );
    assert_eq!(s.governance_settings().unwrap(), stricter);
    s.set_governance_settings(&GovernanceSettings::default())
        .unwrap();

    // A proactive case raised about the hotspot's tickets marks it.
    let mut case = call("13911112222", LEAK, "c0", "2026-11-25T10:00", h.centre);
    case.source = TicketSource::Proactive;
    case.related = Some(h.tickets.iter().map(|t| t.id.clone()).collect());
    let case = s.register_ticket(&case).unwrap();
    let again = s.hotspots(now).unwrap();
    assert_eq!(again[0].case_id.as_deref(), Some(case.row.id.as_str()));
    let mut unknown = call("13911112222", LEAK, "c0", "2026-11-25T10:00", None);
    unknown.related = Some(vec!["no-such-ticket".into()]);
    assert_eq!(
        s.register_ticket(&unknown).unwrap_err().code,
        ErrorCode::TicketNotFound
    );
    let mut far = call("13911112222", LEAK, "c0", "2026-11-25T10:00", None);
    far.location = Some(GeoPoint {
        lat: 91.0,
        lng: 0.0,
    });
    assert_eq!(
        s.register_ticket(&far).unwrap_err().code,
        ErrorCode::LocationInvalid
    );

    // The caller's three calls are one chain, first call first, on each of them.
    let chain = s.ticket_detail(&ids[4]).unwrap().repeat_chain;
    let chain: Vec<&str> = chain.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(chain, [ids[0].as_str(), ids[3].as_str(), ids[4].as_str()]);
    assert_eq!(s.ticket_detail(&ids[0]).unwrap().repeat_chain.len(), 3);
    assert!(s.ticket_detail(&ids[1]).unwrap().repeat_chain.is_empty());

    // …and the figures count them once: 8 tickets registered, 6 counted.
    let facts = s.ticket_facts(0, ms("2026-12-01T00:00")).unwrap();
    assert_eq!(facts.len(), 6);

    // Positions and links survive a rebuild of the projections.
    let before = s.projection_snapshot().unwrap();
    s.rebuild_projections().unwrap();
    assert_eq!(s.projection_snapshot().unwrap(), before);
}
