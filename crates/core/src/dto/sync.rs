//! What the UI shows of sync: the link to a hub, the state of the background loop, and the
//! events the hub refused.

use crate::error::ApiError;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where the background sync loop stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SyncState {
    /// This device is not linked to a hub: it works alone.
    Unlinked,
    /// A round is running.
    Syncing,
    /// The last round reached the hub; the loop waits for news.
    Online,
    /// The hub could not be reached; the loop retries on its own.
    Offline,
    /// The hub answered with an error the loop cannot retry past (e.g. a revoked token).
    Failed,
}

/// The sync status the status bar and the settings show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    /// Where the loop stands.
    pub state: SyncState,
    /// The hub's address, when linked.
    pub hub_url: Option<String>,
    /// The department this device reports for, when it is a liaison's.
    pub department: Option<String>,
    /// Local events the hub has not acknowledged yet.
    #[ts(type = "number")]
    pub pending: u64,
    /// When a round last completed (Unix ms).
    #[ts(type = "number | null")]
    pub last_sync_ms: Option<i64>,
    /// This device's clock minus the hub's (ms), as of the last round.
    #[ts(type = "number | null")]
    pub clock_skew_ms: Option<i64>,
    /// Why the last round failed, if it did.
    pub last_error: Option<ApiError>,
    /// Events of this device the hub has refused so far.
    pub refused: u32,
    /// Events received from the hub since the app started; views reload when it grows.
    #[ts(type = "number")]
    pub received: u64,
}

impl SyncStatus {
    /// The status of a device that is not linked to a hub.
    pub fn unlinked(pending: u64) -> SyncStatus {
        SyncStatus {
            state: SyncState::Unlinked,
            hub_url: None,
            department: None,
            pending,
            last_sync_ms: None,
            clock_skew_ms: None,
            last_error: None,
            refused: 0,
            received: 0,
        }
    }
}

/// How to link this device to a hub.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncLinkForm {
    /// The hub's address, `https://…` (or `http://…` on a trusted LAN).
    pub hub_url: String,
    /// The one-time code the administrator created.
    pub code: String,
    /// A name for this device, shown to administrators.
    pub device_name: String,
    /// The hub's certificate (PEM) when it is self-signed; empty to trust the system's roots.
    pub certificate_pem: String,
}

/// An event of this device that the hub kept aside or could not read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncRefusal {
    /// The event's id.
    pub event_id: String,
    /// Why, as a stable code (`sync.*`).
    pub reason: String,
    /// When the hub answered (Unix ms).
    #[ts(type = "number")]
    pub at_ms: i64,
}
