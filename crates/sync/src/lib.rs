//! StreetDesk sync: devices share one street's events through a hub.
//!
//! [`protocol`] is what crosses the wire (the hub uses it too). With the `client` feature,
//! [`client::HubClient`] speaks it over HTTP and [`cycle::sync_once`] runs one round for a
//! store: push the outbox until the hub has answered for all of it, then pull the feed.

pub mod protocol;

#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "client")]
pub mod cycle;
