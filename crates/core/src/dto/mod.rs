//! Types that cross the IPC boundary. Each derives `ts_rs::TS`; `ui/src/lib/bindings/` is
//! generated from them (see `tests/bindings.rs`), so Rust and TypeScript cannot drift apart.

use crate::calendar::YearSchedule;
use crate::deadline::Limit;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::event::TicketEventType;
use crate::policy::{Policies, Urgency, Warning};
use crate::ticket::{Callback, ExtensionState, GeoPoint, TicketKind, TicketSource, TicketStatus};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

mod import;
mod stats;
mod sync;
mod whistle;
pub use import::*;
pub use stats::*;
pub use sync::*;
pub use whistle::*;

/// A community (社区/村) of the street.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Community {
    /// Stable id.
    pub id: String,
    /// Name, e.g. 和平里社区.
    pub name: String,
    /// Number of grids (网格) in the community.
    pub grid_count: u32,
}

/// Another ticket, named the way an officer recognises it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LinkedTicket {
    /// Ticket id.
    pub id: String,
    /// 工单编号, for 12345 tickets.
    pub hotline_no: Option<String>,
    /// Received, RFC 3339 Beijing time.
    pub received_at: String,
}

/// What the register form sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewTicket {
    /// 工单编号; empty when the ticket did not come from 12345.
    pub hotline_no: Option<String>,
    /// 诉求类型.
    pub kind: TicketKind,
    /// Source of the ticket.
    pub source: TicketSource,
    /// Category path.
    pub category: String,
    /// What the caller said.
    pub content: String,
    /// Address of the matter.
    pub address: String,
    /// Community id.
    pub community_id: String,
    /// Caller's name.
    pub caller_name: String,
    /// Caller's phone.
    pub caller_phone: String,
    /// Received time: RFC 3339, or `YYYY-MM-DDTHH:MM` read as Beijing time.
    pub received_at: String,
    /// How pressing the matter is (picks the default time limit).
    pub urgency: Urgency,
    /// The deadline printed on a dispatched ticket, if any; same formats as `received_at`.
    pub deadline: Option<String>,
    /// Grid number within the community, if known.
    pub grid: Option<u32>,
    /// Where on the map, if known.
    #[serde(default)]
    #[ts(optional)]
    pub location: Option<GeoPoint>,
    /// The tickets a proactive case is raised about (a hotspot's complaints).
    #[serde(default)]
    #[ts(optional)]
    pub related: Option<Vec<String>>,
}

/// One row of the backlog. The caller is masked: the list never carries personal data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TicketRow {
    /// Ticket id.
    pub id: String,
    /// 工单编号.
    pub hotline_no: Option<String>,
    /// 诉求类型.
    pub kind: TicketKind,
    /// Source.
    pub source: TicketSource,
    /// Category path.
    pub category: String,
    /// What the caller said (may be long; the table truncates).
    pub content: String,
    /// Address.
    pub address: String,
    /// Community id.
    pub community_id: String,
    /// Community name.
    pub community_name: String,
    /// Caller's name, masked.
    pub caller_name_masked: String,
    /// Caller's phone, masked.
    pub caller_phone_masked: String,
    /// Received time, RFC 3339 in +08:00.
    pub received_at: String,
    /// Time of the newest event, RFC 3339 in +08:00.
    pub updated_at: String,
    /// Workflow state.
    pub status: TicketStatus,
    /// Section or community handling it.
    pub assignee: Option<String>,
    /// True when concurrent edits need an officer's review.
    pub needs_review: bool,
    /// How pressing the matter is.
    pub urgency: Urgency,
    /// When the time limit runs out, RFC 3339 in +08:00.
    pub due_at: String,
    /// The deadline warning now (none once the street has replied).
    pub warning: Warning,
    /// Grid code, e.g. `c03-02`, where known.
    pub grid: Option<String>,
    /// Under supervision (督办).
    pub supervised: bool,
    /// Tags, sorted.
    pub tags: Vec<String>,
}

/// One entry of a ticket's timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TimelineEntry {
    /// Event id.
    pub id: String,
    /// What happened.
    pub event_type: TicketEventType,
    /// When, RFC 3339 in +08:00 (the HLC's wall-clock part).
    pub at: String,
    /// Who did it.
    pub actor: String,
    /// Which device recorded it.
    pub device: String,
    /// Free text carried by the event (note, reply, unit), never personal data.
    pub detail: Option<String>,
    /// True when the state at that point did not allow it (kept for review).
    pub conflicting: bool,
}

/// A ticket with its timeline; the caller stays masked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TicketDetail {
    /// The same fields as in the backlog.
    pub row: TicketRow,
    /// Latest reply.
    pub reply: Option<String>,
    /// Callback result.
    pub callback: Option<Callback>,
    /// Every event, oldest first.
    pub timeline: Vec<TimelineEntry>,
    /// How many times the caller's details were revealed, for the audit note.
    pub reveal_count: u32,
    /// Co-handling units (协办).
    pub co_handlers: Vec<String>,
    /// Whether the handler has reached the caller.
    pub contacted: bool,
    /// Under supervision (督办).
    pub supervised: bool,
    /// Extension asked for or decided: the deadline asked for, RFC 3339.
    pub extension_until: Option<String>,
    /// Where the extension stands.
    pub extension_state: Option<ExtensionState>,
    /// Times reopened after a callback.
    pub reopen_count: u32,
    /// The ticket this duplicate was merged into.
    pub merged_into: Option<String>,
    /// The same caller's calls on the same matter, first call first, when this ticket is one
    /// of a chain of repeats (counted once, as the first); empty otherwise.
    pub repeat_chain: Vec<LinkedTicket>,
    /// The actions the current state allows.
    pub allowed_actions: Vec<TicketEventType>,
}

/// The unmasked caller, returned only by an explicit, audited reveal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RevealedCaller {
    /// Caller's name.
    pub name: String,
    /// Caller's phone.
    pub phone: String,
}

/// Filter, order and page position for the backlog. Every filter is optional; together they
/// narrow the list (AND).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(optional_fields)]
pub struct BacklogQuery {
    /// Only tickets in this state.
    pub status: Option<TicketStatus>,
    /// Only tickets of this kind.
    pub kind: Option<TicketKind>,
    /// Only tickets from this source.
    pub source: Option<TicketSource>,
    /// Only tickets of this community.
    pub community_id: Option<String>,
    /// Only tickets of this grid (its code, e.g. `c03-02`).
    pub grid: Option<String>,
    /// Only tickets in this category or below it: one, two or three levels joined by `/`.
    pub category: Option<String>,
    /// Only tickets whose lead handler (主办) is this unit.
    pub assignee: Option<String>,
    /// Only tickets carrying this tag.
    pub tag: Option<String>,
    /// Only tickets under supervision (true) or not (false).
    pub supervised: Option<bool>,
    /// Only tickets with this deadline warning now.
    pub warning: Option<Warning>,
    /// Only tickets whose time limit is running (true: 在办) or stopped (false).
    pub open: Option<bool>,
    /// Received on or after this day (`YYYY-MM-DD`, Beijing).
    pub received_from: Option<String>,
    /// Received on or before this day.
    pub received_to: Option<String>,
    /// Due on or after this day.
    pub due_from: Option<String>,
    /// Due on or before this day.
    pub due_to: Option<String>,
    /// Only tickets whose content, address, reply or hotline number contain every
    /// space-separated term.
    pub search: Option<String>,
    /// Order of the rows; newest received first when absent.
    pub sort: Option<BacklogSort>,
    /// Continue after this row (keyset paging).
    pub after: Option<BacklogCursor>,
    /// Page size; capped at 500.
    pub limit: u32,
}

/// What the backlog is ordered by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    /// Received time.
    Received,
    /// Deadline (due time).
    Deadline,
    /// Time of the newest event.
    Updated,
}

/// An order for the backlog.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BacklogSort {
    /// The column.
    pub key: SortKey,
    /// Largest first.
    pub descending: bool,
}

/// Keyset position: the last row's sort value and its position (the tie-breaker). Opaque to
/// the UI, which hands it back as it got it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BacklogCursor {
    /// The last row's value of the sort column.
    #[ts(type = "number")]
    pub key: i64,
    /// The last row's position in received order.
    #[ts(type = "number")]
    pub pos: i64,
}

/// One page of the backlog. The number of matches is in [`BacklogFacets::total`]: counting
/// is the slow part at a million tickets, so a page never waits for it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BacklogPage {
    /// Rows, in the query's order.
    pub rows: Vec<TicketRow>,
    /// Where the next page starts, if there is one.
    pub next: Option<BacklogCursor>,
}

/// Counts for the filter panel. Each dimension counts under every filter except its own, so
/// the panel shows what choosing another value would give.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BacklogFacets {
    /// Tickets matching the whole query.
    pub total: u32,
    /// Per state.
    pub by_status: Vec<FacetCount>,
    /// Per kind.
    pub by_kind: Vec<FacetCount>,
    /// Per source.
    pub by_source: Vec<FacetCount>,
    /// Per community.
    pub by_community: Vec<FacetCount>,
    /// Per grid code (tickets without a grid are not counted).
    pub by_grid: Vec<FacetCount>,
    /// Per full category path; the panel sums them into levels.
    pub by_category: Vec<FacetCount>,
    /// Per lead handler.
    pub by_assignee: Vec<FacetCount>,
    /// Per tag.
    pub by_tag: Vec<FacetCount>,
    /// Per deadline warning colour.
    pub by_warning: Vec<FacetCount>,
    /// Under supervision.
    pub supervised: u32,
}

/// One value and how many tickets have it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FacetCount {
    /// The value (state name, community id, …).
    pub key: String,
    /// Number of tickets.
    pub count: u32,
}

/// Who uses this installation: the name recorded on their actions and the unit (section or
/// community) whose tickets are "mine" on the workbench.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    /// Name recorded as the actor of new events.
    pub actor: String,
    /// The unit the user works in; empty when not set.
    pub unit: String,
    /// Liaison mode: the department whose liaison uses this installation. The whistle board
    /// then shows only that department's summons.
    #[serde(default)]
    pub liaison_department: Option<String>,
}

/// What a bulk action did: the tickets it changed and those whose state did not allow it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BulkOutcome {
    /// Tickets changed.
    pub done: Vec<String>,
    /// Tickets left unchanged, with why.
    pub skipped: Vec<BulkSkip>,
}

/// A ticket a bulk action left unchanged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BulkSkip {
    /// Ticket id.
    pub id: String,
    /// Why (e.g. the state does not allow the action).
    pub error: ApiError,
}

/// What the status bar and the title show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// Name of the street office.
    pub street_name: String,
    /// Where the database lives.
    pub data_dir: String,
    /// This device's id.
    pub device_id: String,
    /// The user recorded as actor on new events.
    pub actor: String,
    /// Number of tickets in the store.
    pub ticket_count: u32,
    /// Suggested category paths for the register form.
    pub categories: Vec<String>,
}

/// What the window needs for its first frame, in one answer: a start that waits on a chain of
/// round trips paints a bare frame first and the rows one frame later.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppStart {
    /// The title and status bar.
    pub info: AppInfo,
    /// Who uses this installation.
    pub profile: Profile,
    /// The street's communities.
    pub communities: Vec<Community>,
    /// The view to open on: the one asked for at launch, but a liaison's installation opens on
    /// its department's summons.
    pub view: AppView,
    /// The backlog's first page when the window opens on the backlog; none when it failed, so
    /// the view asks itself and shows its own error while the rest of the app starts.
    pub backlog: Option<BacklogPage>,
    /// The families of the installed fonts that cover Simplified Chinese, where the UI must pick
    /// its font among them (Linux); none where the platform's own fonts are known, or where the
    /// lookup failed or was slow (the UI then names every family it knows).
    pub chinese_fonts: Option<Vec<String>>,
}

/// The app's top-level views, as the navigation lists them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum AppView {
    /// 工作台: the tiles of what needs attention today.
    #[default]
    Workbench,
    /// 工单台账: the ticket backlog.
    Backlog,
    /// 吹哨报到: whistles and summons.
    Whistles,
    /// 部门: the department directory and scorecards.
    Departments,
    /// 统计: rates, durations and the monthly report.
    Statistics,
    /// 设置.
    Settings,
}

impl AppView {
    /// Every view, in the navigation's order.
    pub const ALL: [AppView; 6] = [
        AppView::Workbench,
        AppView::Backlog,
        AppView::Whistles,
        AppView::Departments,
        AppView::Statistics,
        AppView::Settings,
    ];

    /// The view's name on the command line and in IPC.
    pub fn name(self) -> &'static str {
        match self {
            AppView::Workbench => "workbench",
            AppView::Backlog => "backlog",
            AppView::Whistles => "whistles",
            AppView::Departments => "departments",
            AppView::Statistics => "statistics",
            AppView::Settings => "settings",
        }
    }

    /// The view named `name`, if there is one.
    pub fn parse(name: &str) -> Option<AppView> {
        AppView::ALL.into_iter().find(|v| v.name() == name)
    }

    /// The view a window asked to open on this one actually opens on for `profile`: a
    /// liaison's installation shows its summons (or its settings), never the street's tickets.
    pub fn for_profile(self, profile: &Profile) -> AppView {
        match (&profile.liaison_department, self) {
            (Some(_), AppView::Settings) | (None, _) => self,
            (Some(_), _) => AppView::Whistles,
        }
    }
}

/// The time-limit policies as the settings form shows and sends them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PolicyForm {
    /// Limit for emergencies: `<N>h`, `<N>d` or `<N>wd`.
    pub emergency: String,
    /// Limit for water, power, gas and heating.
    pub utility: String,
    /// Limit for general matters.
    pub general: String,
    /// Limit for complex matters.
    pub complex: String,
    /// Percentage of the time used at which a ticket turns yellow (1–99).
    pub yellow_percent: u32,
}

impl From<&Policies> for PolicyForm {
    fn from(p: &Policies) -> Self {
        PolicyForm {
            emergency: p.emergency.to_string(),
            utility: p.utility.to_string(),
            general: p.general.to_string(),
            complex: p.complex.to_string(),
            yellow_percent: (p.yellow_at * 100.0).round() as u32,
        }
    }
}

impl PolicyForm {
    /// Checks the form; the error names the first bad field.
    pub fn to_policies(&self) -> ApiResult<Policies> {
        let limit = |name: &str, text: &str| -> ApiResult<Limit> {
            text.parse().map_err(|_| {
                ApiError::new(
                    ErrorCode::LimitInvalid,
                    format!("{name} limit {text:?} is not <N>h, <N>d or <N>wd"),
                )
            })
        };
        if !(1..=99).contains(&self.yellow_percent) {
            return Err(ApiError::new(
                ErrorCode::YellowInvalid,
                "the yellow threshold must be 1–99 %",
            ));
        }
        Ok(Policies {
            emergency: limit("emergency", &self.emergency)?,
            utility: limit("utility", &self.utility)?,
            general: limit("general", &self.general)?,
            complex: limit("complex", &self.complex)?,
            yellow_at: f64::from(self.yellow_percent) / 100.0,
        })
    }
}

/// Everything the settings view shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// Time-limit policies.
    pub policies: PolicyForm,
    /// Every year with a holiday notice, built in or entered.
    pub years: Vec<YearSchedule>,
    /// The years whose notice ships with the app.
    pub builtin_years: Vec<i32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(liaison: Option<&str>) -> Profile {
        Profile {
            actor: "值班员".into(),
            unit: String::new(),
            liaison_department: liaison.map(str::to_owned),
        }
    }

    #[test]
    fn a_liaison_opens_on_the_summons_or_its_settings() {
        let street = profile(None);
        let liaison = profile(Some("d-cgzf"));
        for view in AppView::ALL {
            assert_eq!(view.for_profile(&street), view);
        }
        assert_eq!(AppView::Backlog.for_profile(&liaison), AppView::Whistles);
        assert_eq!(AppView::Workbench.for_profile(&liaison), AppView::Whistles);
        assert_eq!(AppView::Settings.for_profile(&liaison), AppView::Settings);
    }
}
