//! Hybrid logical clock (Kulkarni et al., 2014).
//!
//! A timestamp packs wall-clock milliseconds into the high 48 bits and a logical counter into
//! the low 16, so it orders like the pair and fits one SQLite INTEGER. We keep our own small
//! clock rather than `uhlc` because uhlc's NTP64 timestamps overflow a signed 64-bit column.

use serde::{Deserialize, Serialize};
use std::fmt;

const LOGICAL_BITS: u32 = 16;
const LOGICAL_MASK: i64 = (1 << LOGICAL_BITS) - 1;

/// One HLC timestamp: `(physical ms << 16) | logical`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(transparent)]
pub struct Hlc(pub i64);

impl Hlc {
    /// Builds a timestamp from its two parts.
    pub fn new(physical_ms: i64, logical: u16) -> Self {
        Hlc((physical_ms << LOGICAL_BITS) | i64::from(logical))
    }

    /// Wall-clock part, in Unix milliseconds.
    pub fn physical_ms(self) -> i64 {
        self.0 >> LOGICAL_BITS
    }

    /// Logical counter that orders events within one millisecond.
    pub fn logical(self) -> u16 {
        (self.0 & LOGICAL_MASK) as u16
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:05}", self.physical_ms(), self.logical())
    }
}

/// The clock a device stamps its events with; never runs backwards, even if the PC's clock does.
#[derive(Debug, Clone, Default)]
pub struct HlcClock {
    last: Hlc,
}

impl HlcClock {
    /// A clock that will never issue a timestamp at or below `last` (e.g. the newest stored one).
    pub fn resume_after(last: Hlc) -> Self {
        HlcClock { last }
    }

    /// The newest timestamp issued or observed.
    pub fn last(&self) -> Hlc {
        self.last
    }

    /// Stamps a local event, given the wall clock in Unix milliseconds.
    pub fn tick(&mut self, wall_ms: i64) -> Hlc {
        let last_pt = self.last.physical_ms();
        self.last = if wall_ms > last_pt {
            Hlc::new(wall_ms, 0)
        } else {
            Self::bump(last_pt, self.last.logical())
        };
        self.last
    }

    /// Merges a timestamp seen on a remote event so that later local events order after it.
    pub fn observe(&mut self, remote: Hlc, wall_ms: i64) -> Hlc {
        let pt = wall_ms
            .max(self.last.physical_ms())
            .max(remote.physical_ms());
        let local = self.last;
        self.last = if pt == local.physical_ms() && pt == remote.physical_ms() {
            Self::bump(pt, local.logical().max(remote.logical()))
        } else if pt == local.physical_ms() {
            Self::bump(pt, local.logical())
        } else if pt == remote.physical_ms() {
            Self::bump(pt, remote.logical())
        } else {
            Hlc::new(pt, 0)
        };
        self.last
    }

    fn bump(pt: i64, logical: u16) -> Hlc {
        // 65,535 events in one millisecond: borrow the next millisecond rather than wrap.
        match logical.checked_add(1) {
            Some(l) => Hlc::new(pt, l),
            None => Hlc::new(pt + 1, 0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn packs_and_unpacks() {
        let h = Hlc::new(1_764_000_000_000, 7);
        assert_eq!(h.physical_ms(), 1_764_000_000_000);
        assert_eq!(h.logical(), 7);
        assert!(Hlc::new(5, 1) < Hlc::new(6, 0));
    }

    #[test]
    fn never_goes_backwards_when_the_wall_clock_does() {
        let mut c = HlcClock::default();
        let a = c.tick(1_000);
        let b = c.tick(900);
        let d = c.tick(900);
        assert!(a < b && b < d);
        assert_eq!(b.physical_ms(), 1_000);
    }

    #[test]
    fn observe_orders_after_remote() {
        let mut c = HlcClock::default();
        c.tick(1_000);
        let remote = Hlc::new(5_000, 3);
        let seen = c.observe(remote, 1_001);
        assert!(seen > remote);
        assert!(c.tick(1_002) > seen);
    }

    #[test]
    fn logical_overflow_borrows_next_millisecond() {
        let mut c = HlcClock::resume_after(Hlc::new(10, u16::MAX));
        assert_eq!(c.tick(10), Hlc::new(11, 0));
    }

    proptest! {
        #[test]
        fn ticks_are_strictly_increasing(walls in proptest::collection::vec(0i64..1_000_000, 1..200)) {
            let mut c = HlcClock::default();
            let mut prev = Hlc::default();
            for w in walls {
                let h = c.tick(w);
                prop_assert!(h > prev);
                prev = h;
            }
        }
    }
}
