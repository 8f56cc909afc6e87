//! The hub's wire protocol: what a device sends and what the hub answers, as JSON over HTTP.
//!
//! Every request carries [`PROTOCOL_HEADER`]; a hub that speaks another version answers 426
//! with a [`WireError`] rather than guessing. Events travel whole, as the logs hold them, and
//! are idempotent by id: pushing one twice is harmless, which is what makes retries safe.

use serde::{Deserialize, Serialize};
use streetdesk_core::{DeviceId, EventId, LogEvent};

/// The protocol version this build speaks.
pub const PROTOCOL_VERSION: u32 = 1;

/// The request header that names the client's protocol version.
pub const PROTOCOL_HEADER: &str = "x-streetdesk-protocol";

/// Most events the hub takes in one push, and returns in one pull page.
pub const MAX_BATCH: usize = 5_000;

/// `GET /v1/hello`: who the hub is, its protocol and its clock; needs no token.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hello {
    /// The hub's protocol version.
    pub protocol: u32,
    /// The hub's identity; it changes only when a hub is set up anew.
    pub hub_id: String,
    /// The hub's wall clock, Unix milliseconds, for the device's clock-skew warning.
    pub now_ms: i64,
}

/// `POST /v1/enrol`: a device exchanges a one-time code for its token.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnrolRequest {
    /// The one-time code an administrator created.
    pub code: String,
    /// The device's id (its events carry it).
    pub device: DeviceId,
    /// A name for the device, shown to administrators.
    pub name: String,
}

/// What a device may see and write.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Role {
    /// The street's own PCs and laptops: everything.
    Office,
    /// A department liaison: the whistles that summon the department and their tickets.
    Liaison {
        /// The department's id in the street's directory.
        department: String,
    },
}

/// The answer to an enrolment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Enrolled {
    /// The bearer token for every later request. The hub keeps only its hash.
    pub token: String,
    /// What the device may see and write.
    pub role: Role,
}

/// `POST /v1/push`: a batch of events, in the order the device logged them.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PushRequest {
    /// The events, each parsed on its own so that one malformed event spoils only itself.
    pub events: Vec<serde_json::Value>,
}

/// What became of one pushed event. Every outcome is final for this hub: a device pushes the
/// event again only when it starts over (a hub restored from a backup), and an identical copy
/// is then a duplicate whoever sends it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Stored durably for the first time.
    Accepted,
    /// The hub already held this event, identical.
    Duplicate,
    /// Kept aside for an administrator and never applied (see `reason`).
    Quarantined,
    /// Not an event the hub can read; nothing kept.
    Rejected,
}

/// The result for one event of a push, in the order pushed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushResult {
    /// The event's id, when it could be read.
    pub id: Option<EventId>,
    /// What became of it.
    pub outcome: Outcome,
    /// Why, for quarantined and rejected events: a stable code (`sync.*`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The answer to a push, once every accepted event is durable on the hub.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    /// One result per pushed event, in order.
    pub results: Vec<PushResult>,
}

/// `GET /v1/pull?after=N&limit=M`: the device's feed after a cursor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PullPage {
    /// Events in feed order.
    pub events: Vec<LogEvent>,
    /// The cursor to ask after next time (the last event's, or the one asked after).
    pub cursor: u64,
    /// The id of the event at `cursor` (which may be one of the device's own, left out of
    /// `events`); the device names it when it next checks its position.
    #[serde(default)]
    pub cursor_id: Option<String>,
    /// Whether more events follow this page.
    pub more: bool,
    /// The feed's newest cursor: a device that has seen further than this talks to a hub
    /// restored from an older backup, and pushes again what the hub lost.
    pub high: u64,
}

/// Which of its own events a device already holds, so that a pull may leave them out: those
/// it pushed itself up to `through` (the newest the hub had acknowledged when the round
/// began), and from `since` on (the first it pushed this round). Between the two lie events it
/// may have lost, if it was restored from an older copy of itself; those come back.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnHeld {
    /// Event id: the device's own events up to this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub own_through: Option<String>,
    /// Event id: the device's own events from this one on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub own_since: Option<String>,
}

/// `GET /v1/wait?after=N`: answers as soon as the feed grows past `after`, or after a while.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Poke {
    /// The feed's newest cursor.
    pub high: u64,
}

/// An error as the hub sends it: a stable code and an English message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WireError {
    /// Stable code, e.g. `sync.unauthorized`.
    pub code: String,
    /// English, for logs.
    pub message: String,
}
