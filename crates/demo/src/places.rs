//! Where the demo street's matters happen: a map position near each community's centre, a
//! few trouble spots where the same kind of complaint keeps coming back (hotspots), and
//! callers who ring again about the same matter (repeat complaints).

use streetdesk_core::pii::Personal;
use streetdesk_core::ticket::GeoPoint;

/// The street's centre, roughly Beijing's second ring in the north-east.
const CENTRE: (f64, f64) = (39.948, 116.418);
/// About 300 m in degrees of latitude.
const SPREAD: f64 = 0.0027;

/// The centre of the `index`-th community: a 4-wide grid about 800 m apart.
pub(crate) fn community_centre(index: usize) -> GeoPoint {
    GeoPoint {
        lat: CENTRE.0 + (index / 4) as f64 * 0.0072,
        lng: CENTRE.1 + (index % 4) as f64 * 0.0094,
    }
}

/// A point up to ~300 m from `centre`.
pub(crate) fn near(rng: &mut fastrand::Rng, centre: GeoPoint, spread: f64) -> GeoPoint {
    GeoPoint {
        lat: centre.lat + (rng.f64() * 2.0 - 1.0) * spread,
        lng: centre.lng + (rng.f64() * 2.0 - 1.0) * spread * 1.3,
    }
}

/// Spreads around a community's centre for ordinary tickets.
pub(crate) fn ordinary(rng: &mut fastrand::Rng, community: usize) -> GeoPoint {
    near(rng, community_centre(community), SPREAD)
}

/// A trouble spot: one place where one matter keeps being reported.
#[derive(Clone)]
pub(crate) struct TroubleSpot {
    pub(crate) community: usize,
    pub(crate) category: &'static str,
    pub(crate) content: String,
    pub(crate) address: String,
    pub(crate) at: GeoPoint,
}

impl TroubleSpot {
    /// A report of it: within ~40 m of the spot.
    pub(crate) fn report(&self, rng: &mut fastrand::Rng) -> GeoPoint {
        near(rng, self.at, 0.00035)
    }
}

/// A caller and the matter they called about, remembered so they can call again.
#[derive(Clone)]
pub(crate) struct PastCall {
    pub(crate) community: usize,
    pub(crate) category: &'static str,
    pub(crate) content: String,
    pub(crate) address: String,
    pub(crate) name: Personal,
    pub(crate) phone: Personal,
    pub(crate) at: GeoPoint,
}
