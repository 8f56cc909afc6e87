//! The 12345 export import as the UI and the CLI see it: the column mapping, the preview with
//! each row's verdict, progress, and the result.

use crate::error::ApiError;
use crate::ticket::{TicketKind, TicketStatus};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a column of an export can fill in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ImportField {
    /// 工单编号: the key.
    HotlineNo,
    /// 受理时间/派单时间.
    ReceivedAt,
    /// 工单类型 (咨询/求助/…).
    Kind,
    /// 问题分类, levels joined by "->" or "/".
    Category,
    /// 诉求内容.
    Content,
    /// 村/社区.
    Community,
    /// 小区点位/地址.
    Address,
    /// 诉求人 (personal data).
    CallerName,
    /// 联系电话 (personal data).
    CallerPhone,
    /// 紧急程度.
    Urgency,
    /// 办理时限: a date and time, or a limit such as 7个工作日.
    Deadline,
    /// 标签, several separated by commas.
    Tags,
    /// 网格.
    Grid,
    /// 经度.
    Longitude,
    /// 纬度.
    Latitude,
    /// 工单状态.
    Status,
    /// 签收时间.
    SignedAt,
    /// 办理结果/回复内容.
    Reply,
    /// 办结时间/反馈时间.
    RepliedAt,
    /// 是否联系.
    Contacted,
    /// 是否解决.
    Resolved,
    /// 是否满意.
    Satisfied,
    /// 回访时间.
    CallbackAt,
}

impl ImportField {
    /// Every field, in the order the mapping step lists them.
    pub const ALL: [ImportField; 23] = [
        ImportField::HotlineNo,
        ImportField::ReceivedAt,
        ImportField::Kind,
        ImportField::Category,
        ImportField::Content,
        ImportField::Community,
        ImportField::Address,
        ImportField::CallerName,
        ImportField::CallerPhone,
        ImportField::Urgency,
        ImportField::Deadline,
        ImportField::Tags,
        ImportField::Grid,
        ImportField::Longitude,
        ImportField::Latitude,
        ImportField::Status,
        ImportField::SignedAt,
        ImportField::Reply,
        ImportField::RepliedAt,
        ImportField::Contacted,
        ImportField::Resolved,
        ImportField::Satisfied,
        ImportField::CallbackAt,
    ];

    /// Whether a file without this column is refused.
    pub fn required(self) -> bool {
        use ImportField as F;
        matches!(
            self,
            F::HotlineNo | F::ReceivedAt | F::Kind | F::Category | F::Content | F::Community
        )
    }

    /// Whether the column holds personal data (its cells never appear in messages).
    pub fn personal(self) -> bool {
        matches!(self, ImportField::CallerName | ImportField::CallerPhone)
    }
}

/// One column of the file assigned to a field, by the column's header text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ColumnMap {
    /// The field it fills.
    pub field: ImportField,
    /// The header text as the file writes it.
    pub header: String,
}

/// A mapping remembered under a name (the platform or office the exports come from).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportSource {
    /// The name the officer gave it, e.g. 12345 市级平台.
    pub name: String,
    /// Its columns.
    pub columns: Vec<ColumnMap>,
}

/// What becomes of a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RowVerdict {
    /// A ticket new to the street.
    New,
    /// A known ticket that moves on (status, reply, callback, tags).
    Updated,
    /// A known ticket the row does not change.
    Unchanged,
    /// The same ticket as an earlier row of the file, with the same content.
    Duplicate,
    /// Cannot be read; `issue` says why.
    Rejected,
}

/// How many rows have each verdict.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportCounts {
    /// Data rows in the file (blank rows not counted).
    pub rows: u32,
    /// New tickets.
    pub new: u32,
    /// Tickets moved on.
    pub updated: u32,
    /// Tickets the rows do not change.
    pub unchanged: u32,
    /// Rows repeating an earlier row.
    pub duplicate: u32,
    /// Rows that cannot be read.
    pub rejected: u32,
}

impl ImportCounts {
    /// Counts one row.
    pub fn add(&mut self, verdict: RowVerdict) {
        self.rows += 1;
        match verdict {
            RowVerdict::New => self.new += 1,
            RowVerdict::Updated => self.updated += 1,
            RowVerdict::Unchanged => self.unchanged += 1,
            RowVerdict::Duplicate => self.duplicate += 1,
            RowVerdict::Rejected => self.rejected += 1,
        }
    }
}

/// One row as the preview lists it (no personal data).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PreviewRow {
    /// Row number as the spreadsheet shows it.
    pub row: u32,
    /// 工单编号 as read (or as written, when it could not be read).
    pub hotline_no: String,
    /// Received, RFC 3339, when read.
    pub received_at: Option<String>,
    /// 诉求类型, when read.
    pub kind: Option<TicketKind>,
    /// Category path, levels joined by `/`.
    pub category: String,
    /// Community name as written.
    pub community: String,
    /// The state the row brings the ticket to, when read.
    pub status: Option<TicketStatus>,
    /// What the import will do with it.
    pub verdict: RowVerdict,
    /// Why it is rejected.
    pub issue: Option<ApiError>,
}

/// What importing a file would do, before anything is written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    /// The file's name (without its folder).
    pub file_name: String,
    /// The row of the header, as the spreadsheet numbers it.
    pub header_row: u32,
    /// Every header text of the file, in column order (merged headers joined).
    pub headers: Vec<String>,
    /// The mapping used.
    pub columns: Vec<ColumnMap>,
    /// The remembered source whose mapping was used, if one was.
    pub source: Option<String>,
    /// Required fields no column is assigned to; while any is, no row is read.
    pub missing: Vec<ImportField>,
    /// Verdict counts over the whole file.
    pub counts: ImportCounts,
    /// The rejected rows' problems, first rows first (at most [`PREVIEW_ROWS`]).
    pub issues: Vec<ApiError>,
    /// The first rows (at most [`PREVIEW_ROWS`]), each with its verdict.
    pub rows: Vec<PreviewRow>,
}

/// How many rows and issues a preview lists.
pub const PREVIEW_ROWS: usize = 200;

/// What the officer decided on the preview.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportOptions {
    /// Import the readable rows and leave the rejected ones out. Without it, a file with a
    /// rejected row is refused whole.
    pub skip_rejected: bool,
    /// Remember the mapping under this name.
    pub remember_as: Option<String>,
}

/// Which part of the import is running.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ImportPhase {
    /// Comparing rows with the street's tickets.
    Checking,
    /// Writing events.
    Writing,
    /// Committed.
    Done,
}

/// Progress of a running import.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportProgress {
    /// What is running.
    pub phase: ImportPhase,
    /// Rows done in this phase.
    pub done: u32,
    /// Rows in this phase.
    pub total: u32,
}

/// What an import did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportOutcome {
    /// Verdict counts.
    pub counts: ImportCounts,
    /// Events written.
    pub events: u32,
}

/// Progress of a running export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportProgress {
    /// Tickets read.
    pub done: u32,
    /// Tickets matching.
    pub total: u32,
}
