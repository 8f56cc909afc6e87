//! StreetDesk sync: devices share one street's events through a hub.
//!
//! [`protocol`] is what crosses the wire (the hub uses it too). With the `client` feature,
//! [`client::HubClient`] speaks it over HTTP, [`cycle::sync_once`] runs one round for a store
//! (push the outbox until the hub has answered for all of it, then pull the feed),
//! [`link::link`] enrols a device, and [`agent::SyncAgent`] is the app's background loop.

pub mod protocol;

#[cfg(feature = "client")]
pub mod agent;
#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "client")]
pub mod cycle;
#[cfg(feature = "client")]
pub mod link;
