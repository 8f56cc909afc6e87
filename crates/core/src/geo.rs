//! Positions on the map: where a matter is, and how far apart two are.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A point on the map (WGS-84 degrees).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct GeoPoint {
    /// Latitude, −90…90.
    pub lat: f64,
    /// Longitude, −180…180.
    pub lng: f64,
}

impl GeoPoint {
    /// Whether both degrees are within range and finite.
    pub fn valid(&self) -> bool {
        (-90.0..=90.0).contains(&self.lat) && (-180.0..=180.0).contains(&self.lng)
    }

    /// Distance to `other` in metres (haversine; plenty at a street's scale).
    pub fn metres_to(&self, other: &GeoPoint) -> f64 {
        const EARTH_M: f64 = 6_371_000.0;
        let (a, b) = (self.lat.to_radians(), other.lat.to_radians());
        let dlat = b - a;
        let dlng = (other.lng - self.lng).to_radians();
        let h = (dlat / 2.0).sin().powi(2) + a.cos() * b.cos() * (dlng / 2.0).sin().powi(2);
        2.0 * EARTH_M * h.sqrt().asin()
    }
}
