//! StreetDesk's pure domain: no I/O, no Tauri, no SQLite.
//!
//! Everything that changes a ticket is an [`event::Event`]; the current state of a ticket is the
//! deterministic [`ticket::fold`] of its events. Types that cross the IPC boundary live in
//! [`dto`] and derive `ts_rs::TS`, so the UI's TypeScript is generated, never hand-copied.

pub mod calendar;
pub mod dashboard;
pub mod deadline;
pub mod department;
pub mod dto;
pub mod error;
pub mod event;
pub mod geo;
pub mod governance;
pub mod hlc;
pub mod hotline;
pub mod hotspot;
pub mod ids;
pub mod kpi;
pub mod log_event;
pub mod pii;
pub mod policy;
pub mod scorecard;
pub mod taxonomy;
pub mod ticket;
pub mod time;
pub mod validate;
pub mod whistle;
pub mod wire;

pub use error::{ApiError, ErrorCode};
pub use event::{Event, TicketEvent};
pub use hlc::{Hlc, HlcClock};
pub use ids::{DeviceId, EventId, TicketId, WhistleId};
pub use log_event::LogEvent;
