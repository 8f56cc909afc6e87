//! An event of either log (a ticket's or a whistle's), as sync moves them between devices.

use crate::whistle::WhistleRecord;
use crate::{DeviceId, Event, EventId, Hlc};
use serde::{Deserialize, Serialize};

/// One event of either log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "log", rename_all = "snake_case")]
pub enum LogEvent {
    /// An event of a ticket's log.
    Ticket(Event),
    /// An event of a whistle's log.
    Whistle(WhistleRecord),
}

impl LogEvent {
    /// The event's id.
    pub fn id(&self) -> &EventId {
        match self {
            LogEvent::Ticket(e) => &e.id,
            LogEvent::Whistle(e) => &e.id,
        }
    }

    /// The device that wrote it.
    pub fn device(&self) -> &DeviceId {
        match self {
            LogEvent::Ticket(e) => &e.device,
            LogEvent::Whistle(e) => &e.device,
        }
    }

    /// Its HLC timestamp.
    pub fn hlc(&self) -> Hlc {
        match self {
            LogEvent::Ticket(e) => e.hlc,
            LogEvent::Whistle(e) => e.hlc,
        }
    }

    /// The ticket or whistle it belongs to.
    pub fn stream(&self) -> &str {
        match self {
            LogEvent::Ticket(e) => &e.ticket_id.0,
            LogEvent::Whistle(e) => &e.whistle_id.0,
        }
    }
}
