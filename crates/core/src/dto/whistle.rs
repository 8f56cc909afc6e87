//! Whistles, departments and scorecards as they cross the IPC boundary.

use crate::whistle::{SummonsStage, WhistleEventType, WhistleReason, WhistleStatus};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What sort of unit a department is (DESIGN.md "Departments").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DepartmentKind {
    /// District functional department (城管执法, 住建, 市场监管…).
    Functional,
    /// A department's field unit (派出所, 交通队…).
    FieldUnit,
    /// Water, power, gas, heating, telecoms.
    PublicService,
    /// Co-construction unit resident in the street (驻区单位).
    Resident,
}

/// An entry of the department directory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Department {
    /// Stable id (kept when the name changes).
    pub id: String,
    /// Name.
    pub name: String,
    /// Kind of unit.
    pub kind: DepartmentKind,
    /// Duty phone.
    pub phone: String,
    /// Liaison's name (联络员).
    pub liaison: String,
    /// Liaison's phone.
    #[serde(default)]
    pub liaison_phone: String,
    /// Anything else worth knowing (address, hours, other contacts).
    #[serde(default)]
    pub note: String,
}

/// What the "blow the whistle" form sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewWhistle {
    /// Why.
    pub reason: WhistleReason,
    /// The matter.
    pub matter: String,
    /// Where the departments must go.
    pub place: String,
    /// The community, when known.
    #[serde(default)]
    pub community_id: Option<String>,
    /// Ids of the tickets it is for.
    #[serde(default)]
    pub tickets: Vec<String>,
    /// Ids of the departments summoned.
    pub departments: Vec<String>,
    /// Report-in limit in minutes; the setting when absent.
    #[serde(default)]
    pub report_limit_min: Option<u32>,
}

/// One summoned department's clock, as the board shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SummonsRow {
    /// Department id.
    pub department_id: String,
    /// Department name (the id when no longer in the directory).
    pub department_name: String,
    /// Where it stands.
    pub stage: SummonsStage,
    /// Summoned at, RFC 3339.
    pub summoned_at: String,
    /// Must report in by, RFC 3339.
    pub report_due: String,
    /// Reported in at.
    pub reported_at: Option<String>,
    /// On site at.
    pub on_site_at: Option<String>,
    /// Done or released at.
    pub finished_at: Option<String>,
    /// Why it was released.
    pub release_reason: Option<String>,
    /// Escalated to the district at.
    pub escalated_at: Option<String>,
    /// Reported in after its limit.
    pub late: bool,
    /// The street's rating, 1–5.
    pub effectiveness: Option<u8>,
    /// The rating's comment.
    pub comment: Option<String>,
}

/// A whistle as the board lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WhistleRow {
    /// Id.
    pub id: String,
    /// Why.
    pub reason: WhistleReason,
    /// The matter.
    pub matter: String,
    /// The place.
    pub place: String,
    /// Community name, when known.
    pub community: Option<String>,
    /// Open or closed.
    pub status: WhistleStatus,
    /// Blown at, RFC 3339.
    pub blown_at: String,
    /// Closed at.
    pub closed_at: Option<String>,
    /// Report-in limit in minutes.
    pub report_limit_min: u32,
    /// Linked ticket ids.
    pub tickets: Vec<String>,
    /// The summoned departments, in the order summoned.
    pub summons: Vec<SummonsRow>,
    /// Events kept for review because the state did not allow them.
    pub conflicts: u32,
}

/// One entry of a whistle's timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WhistleTimelineEntry {
    /// Event id.
    pub id: String,
    /// What happened.
    pub event_type: WhistleEventType,
    /// The department it concerns, by name.
    pub department: Option<String>,
    /// When it was recorded, RFC 3339.
    pub at: String,
    /// Who recorded it.
    pub actor: String,
    /// Free text carried by the event.
    pub detail: Option<String>,
    /// True when the state at that point did not allow it (kept for review).
    pub conflicting: bool,
}

/// A whistle with its timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WhistleDetail {
    /// The board's row.
    pub row: WhistleRow,
    /// Every event, oldest first.
    pub timeline: Vec<WhistleTimelineEntry>,
}

/// Which whistles the board lists.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(optional_fields)]
pub struct WhistleQuery {
    /// Only open or only closed ones.
    pub status: Option<WhistleStatus>,
    /// Only those summoning this department.
    pub department_id: Option<String>,
    /// Only those linked to this ticket.
    pub ticket_id: Option<String>,
    /// At most this many, newest first (default 200).
    pub limit: Option<u32>,
}

/// The whistle and scorecard settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WhistleSettings {
    /// Minutes a summoned department has to report in (default 30, the Pinggu original).
    pub report_limit_min: u32,
    /// Scorecard weights.
    pub weights: crate::scorecard::ScoreWeights,
}

impl Default for WhistleSettings {
    fn default() -> Self {
        WhistleSettings {
            report_limit_min: 30,
            weights: Default::default(),
        }
    }
}

/// What a directory import did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DirectoryImport {
    /// Departments added.
    pub added: u32,
    /// Departments updated.
    pub updated: u32,
}
