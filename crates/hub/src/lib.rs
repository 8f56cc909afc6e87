//! The StreetDesk sync hub: devices push the events they wrote and pull everyone else's.
//!
//! The hub keeps every event once, in commit order (its [`ledger`]), authenticates devices by
//! token, and gives each device the feed its role may see ([`scope`]). An event it can read
//! but may not apply is kept aside for an administrator, never dropped; one it cannot read is
//! refused, with the reason, to the device that sent it.

pub mod http;
pub mod ledger;
mod release;
mod schema;
mod scope;
mod secret;

pub use http::{router, HubState};
pub use ledger::{Device, Ledger};
