//! Errors as they cross the IPC boundary: `{code, message}`. The code is stable and the UI
//! translates it (its catalogue key is `error.<code>`); the message is English, for logs and as
//! a fallback. Codes that concern one form field read `<entity>.<field>.<problem>`.

use serde::{Deserialize, Serialize};
use std::fmt;
use ts_rs::TS;

/// Stable error codes. Never rename one: the UI and scripts match on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub enum ErrorCode {
    /// What the caller said is empty.
    #[serde(rename = "ticket.content.required")]
    ContentRequired,
    /// The address is empty.
    #[serde(rename = "ticket.address.required")]
    AddressRequired,
    /// The category is empty.
    #[serde(rename = "ticket.category.required")]
    CategoryRequired,
    /// The community is not one of this street's.
    #[serde(rename = "ticket.community.unknown")]
    CommunityUnknown,
    /// The caller's name is empty.
    #[serde(rename = "ticket.caller_name.required")]
    CallerNameRequired,
    /// The caller's phone is not a mainland mobile or landline number.
    #[serde(rename = "ticket.caller_phone.invalid")]
    CallerPhoneInvalid,
    /// The hotline ticket number has characters other than digits, letters and dashes.
    #[serde(rename = "ticket.hotline_no.invalid")]
    HotlineNoInvalid,
    /// Another ticket already carries this hotline ticket number.
    #[serde(rename = "ticket.hotline_no.duplicate")]
    HotlineNoDuplicate,
    /// The grid is not one of the community's.
    #[serde(rename = "ticket.grid.invalid")]
    GridInvalid,
    /// A tag is empty or too long.
    #[serde(rename = "ticket.tag.invalid")]
    TagInvalid,
    /// A date in a backlog filter is not `YYYY-MM-DD`.
    #[serde(rename = "query.date.invalid")]
    QueryDateInvalid,
    /// The received time cannot be read.
    #[serde(rename = "ticket.received_at.invalid")]
    ReceivedAtInvalid,
    /// The received time is in the future.
    #[serde(rename = "ticket.received_at.future")]
    ReceivedAtFuture,
    /// The printed deadline cannot be read or is not after the received time.
    #[serde(rename = "ticket.deadline.invalid")]
    DeadlineInvalid,
    /// A text field is longer than the limit.
    #[serde(rename = "ticket.field.too_long")]
    FieldTooLong,
    /// The ticket's current state does not allow this action.
    #[serde(rename = "ticket.action.not_allowed")]
    ActionNotAllowed,
    /// This action must carry a reason.
    #[serde(rename = "ticket.reason.required")]
    ReasonRequired,
    /// A duplicate can only be merged into another existing ticket.
    #[serde(rename = "ticket.merge.invalid")]
    MergeInvalid,
    /// A time limit in the settings is not `<N>h`, `<N>d` or `<N>wd`.
    #[serde(rename = "settings.limit.invalid")]
    LimitInvalid,
    /// The yellow warning threshold is out of range.
    #[serde(rename = "settings.yellow.invalid")]
    YellowInvalid,
    /// The user's name in the profile is blank or too long.
    #[serde(rename = "profile.name.invalid")]
    ProfileNameInvalid,
    /// A holiday notice could not be read; the message names the line.
    #[serde(rename = "calendar.notice.invalid")]
    NoticeInvalid,
    /// A whistle's matter is empty.
    #[serde(rename = "whistle.matter.required")]
    WhistleMatterRequired,
    /// A whistle's place is empty.
    #[serde(rename = "whistle.place.required")]
    WhistlePlaceRequired,
    /// A whistle summons no department.
    #[serde(rename = "whistle.departments.required")]
    WhistleDepartmentsRequired,
    /// A department named is not in the directory.
    #[serde(rename = "whistle.department.unknown")]
    WhistleDepartmentUnknown,
    /// The report-in limit is not 1 to 1,440 minutes.
    #[serde(rename = "whistle.report_limit.invalid")]
    WhistleLimitInvalid,
    /// No whistle has this id.
    #[serde(rename = "whistle.not_found")]
    WhistleNotFound,
    /// The department's stage (or the whistle's state) does not allow this step.
    #[serde(rename = "whistle.step.not_allowed")]
    WhistleStepNotAllowed,
    /// Departments are still out, so the whistle cannot close (事不完、人不撤).
    #[serde(rename = "whistle.close.still_out")]
    WhistleStillOut,
    /// Effectiveness is not 1 to 5.
    #[serde(rename = "whistle.rating.invalid")]
    WhistleRatingInvalid,
    /// A step's time is in the future or before the department was summoned.
    #[serde(rename = "whistle.time.invalid")]
    WhistleTimeInvalid,
    /// Only a department past its report-in limit can be escalated.
    #[serde(rename = "whistle.escalate.not_overdue")]
    WhistleNotOverdue,
    /// Releasing a department needs a reason.
    #[serde(rename = "whistle.reason.required")]
    WhistleReasonRequired,
    /// A department's name is empty.
    #[serde(rename = "department.name.required")]
    DepartmentNameRequired,
    /// A department's id is empty or has characters other than letters, digits, - and _.
    #[serde(rename = "department.id.invalid")]
    DepartmentIdInvalid,
    /// Two departments have the same id or name.
    #[serde(rename = "department.duplicate")]
    DepartmentDuplicate,
    /// A department's kind is not one of the four.
    #[serde(rename = "department.kind.invalid")]
    DepartmentKindInvalid,
    /// A phone number is not a mainland mobile or landline number.
    #[serde(rename = "department.phone.invalid")]
    DepartmentPhoneInvalid,
    /// A file could not be read as CSV or xlsx.
    #[serde(rename = "import.file.unreadable")]
    ImportUnreadable,
    /// A required column is missing from the file's header.
    #[serde(rename = "import.column.missing")]
    ImportColumnMissing,
    /// The file has a header but no rows.
    #[serde(rename = "import.file.empty")]
    ImportEmpty,
    /// A scorecard weight or share is out of range.
    #[serde(rename = "settings.weights.invalid")]
    WeightsInvalid,
    /// A month is not `YYYY-MM`, or a score is not 0 to 100.
    #[serde(rename = "scorecard.entry.invalid")]
    ScoreEntryInvalid,
    /// The hub cannot be reached (no network, or it is down).
    #[serde(rename = "sync.offline")]
    SyncOffline,
    /// The device token is missing, unknown or revoked.
    #[serde(rename = "sync.unauthorized")]
    SyncUnauthorized,
    /// The hub and this app speak different protocol versions.
    #[serde(rename = "sync.protocol")]
    SyncProtocol,
    /// The enrolment code is unknown, used or expired (or the device is enrolled already).
    #[serde(rename = "sync.code.invalid")]
    SyncCodeInvalid,
    /// A request or event the hub cannot read.
    #[serde(rename = "sync.malformed")]
    SyncMalformed,
    /// The hub failed to answer properly.
    #[serde(rename = "sync.hub_failed")]
    SyncHubFailed,
    /// An event names a device other than the one that pushed it.
    #[serde(rename = "sync.device.spoofed")]
    SyncDeviceSpoofed,
    /// The device may not write this event.
    #[serde(rename = "sync.scope.forbidden")]
    SyncScopeForbidden,
    /// An event id the hub holds with a different body.
    #[serde(rename = "sync.event.conflict")]
    SyncEventConflict,
    /// The hub no longer holds this device's position (restored from a backup).
    #[serde(rename = "sync.cursor.unknown")]
    SyncCursorUnknown,
    /// The hub address is not an http(s) URL.
    #[serde(rename = "sync.url.invalid")]
    SyncUrlInvalid,
    /// The certificate given for the hub is not a PEM certificate.
    #[serde(rename = "sync.certificate.invalid")]
    SyncCertificateInvalid,
    /// The hub's certificate is neither from a trusted authority nor the one given.
    #[serde(rename = "sync.certificate.untrusted")]
    SyncCertificateUntrusted,
    /// The action needs a link to a hub, and this device has none.
    #[serde(rename = "sync.unlinked")]
    SyncUnlinked,
    /// A ticket's map position is out of range.
    #[serde(rename = "ticket.location.invalid")]
    LocationInvalid,
    /// A governance threshold is out of its range.
    #[serde(rename = "settings.governance.invalid")]
    GovernanceInvalid,
    /// A statistics period is not a valid day or month, or ends before it starts.
    #[serde(rename = "stats.period.invalid")]
    StatsPeriodInvalid,
    /// A chart or report could not be written to the chosen file.
    #[serde(rename = "export.write_failed")]
    ExportWriteFailed,
    /// No ticket has this id.
    #[serde(rename = "ticket.not_found")]
    TicketNotFound,
    /// A cell an import needs is empty.
    #[serde(rename = "import.value.required")]
    ImportValueRequired,
    /// A cell cannot be read as a date and time (or a time limit).
    #[serde(rename = "import.date.invalid")]
    ImportDateInvalid,
    /// A cell is none of the words the column takes (kind, status, urgency, yes/no, …).
    #[serde(rename = "import.word.unknown")]
    ImportWordUnknown,
    /// A cell cannot be read as the number the column takes.
    #[serde(rename = "import.number.invalid")]
    ImportNumberInvalid,
    /// A time in a row lies before the ticket was received, or in the future.
    #[serde(rename = "import.time.order")]
    ImportTimeOrder,
    /// A satisfaction result is given without the resolution (是否解决).
    #[serde(rename = "import.callback.incomplete")]
    ImportCallbackIncomplete,
    /// The same hotline ticket number appears in an earlier row with other content.
    #[serde(rename = "import.row.conflict")]
    ImportRowConflict,
    /// Rows were rejected and the officer did not choose to leave them out.
    #[serde(rename = "import.rows.rejected")]
    ImportRowsRejected,
    /// The officer cancelled the import; nothing was written.
    #[serde(rename = "import.cancelled")]
    ImportCancelled,
    /// The column mapping names a header the file lacks, a field twice, or no name.
    #[serde(rename = "import.mapping.invalid")]
    ImportMappingInvalid,
    /// The previewed file is no longer open (previewed in another window, or the app restarted).
    #[serde(rename = "import.session.unknown")]
    ImportSessionUnknown,
    /// The event log or a projection could not be read or written.
    #[serde(rename = "storage.failed")]
    StorageFailed,
    /// A command-line or command argument is malformed.
    #[serde(rename = "invalid_argument")]
    InvalidArgument,
    /// A bug: something that should not happen did.
    #[serde(rename = "internal")]
    Internal,
}

impl ErrorCode {
    /// The code as it appears on the wire.
    pub fn as_str(self) -> String {
        crate::wire::wire_name(&self)
    }
}

/// The error every command returns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
pub struct ApiError {
    /// Stable, translatable code.
    pub code: ErrorCode,
    /// English description for logs; never contains personal data.
    pub message: String,
    /// Where in an imported file the problem is, when it is in one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub at: Option<ErrorAt>,
}

/// A place in an imported file: row as the spreadsheet numbers it, and the column's header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ErrorAt {
    /// Row number, 1-based, as the spreadsheet shows it.
    pub row: u32,
    /// The column's header text.
    pub column: String,
    /// The cell as written, when it is not personal data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub value: Option<String>,
}

impl ApiError {
    /// An error with a code and an English message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
            at: None,
        }
    }

    /// The same error, located in an imported file.
    pub fn at(mut self, row: u32, column: impl Into<String>) -> Self {
        let column = column.into();
        self.message = format!("row {row}, column {column}: {}", self.message);
        self.at = Some(ErrorAt {
            row,
            column,
            value: None,
        });
        self
    }

    /// The same error, with the offending cell's text (never for personal data).
    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        if let Some(at) = &mut self.at {
            at.value = Some(value.into());
        }
        self
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

/// Result with an [`ApiError`].
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    /// The UI matches on this exact JSON; changing it breaks every translated message.
    #[test]
    fn wire_format_is_pinned() {
        let e = ApiError::new(
            ErrorCode::CallerPhoneInvalid,
            "caller phone is not a valid number",
        );
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"code":"ticket.caller_phone.invalid","message":"caller phone is not a valid number"}"#
        );
        let nf = ApiError::new(ErrorCode::TicketNotFound, "no ticket x");
        assert_eq!(
            serde_json::to_value(&nf).unwrap(),
            serde_json::json!({"code": "ticket.not_found", "message": "no ticket x"})
        );
        assert_eq!(ErrorCode::StorageFailed.as_str(), "storage.failed");
        let located =
            ApiError::new(ErrorCode::DepartmentNameRequired, "name is empty").at(3, "名称");
        assert_eq!(
            serde_json::to_value(&located).unwrap(),
            serde_json::json!({"code": "department.name.required",
                "message": "row 3, column 名称: name is empty",
                "at": {"row": 3, "column": "名称"}})
        );
    }
}
