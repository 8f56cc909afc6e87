//! Identifiers. Event and ticket ids are UUIDv7: unique without coordination, roughly time-ordered.

use serde::{Deserialize, Serialize};
use std::fmt;
use ts_rs::TS;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
        #[serde(transparent)]
        #[ts(type = "string")]
        pub struct $name(pub String);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn new() -> Self {
                $name(uuid::Uuid::now_v7().to_string())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_owned())
            }
        }
    };
}

uuid_id!(
    /// Unique id of one event; the idempotency key for storage and sync.
    EventId
);
uuid_id!(
    /// Unique id of a ticket (not the hotline's 工单编号, which some tickets lack).
    TicketId
);
uuid_id!(
    /// Unique id of a whistle (吹哨).
    WhistleId
);
uuid_id!(
    /// Id of the machine that wrote an event; breaks HLC ties in the fold order.
    DeviceId
);
