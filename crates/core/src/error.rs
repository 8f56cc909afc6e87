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
    /// No ticket has this id.
    #[serde(rename = "ticket.not_found")]
    TicketNotFound,
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
}

impl ApiError {
    /// An error with a code and an English message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
        }
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
    }
}
