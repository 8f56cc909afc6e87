//! Backlog rows as the UI receives them: the columns selected and how a row is mapped, with
//! the caller masked on the way out.

use crate::Store;
use rusqlite::Row;
use streetdesk_core::dto::TicketRow;
use streetdesk_core::pii::{mask_name, mask_phone};
use streetdesk_core::policy::Warning;
use streetdesk_core::time::{from_unix_ms, rfc3339};
use streetdesk_core::Hlc;

/// The columns [`ticket_row`] maps, from `tickets t LEFT JOIN communities c`.
pub(crate) const ROW_COLUMNS: &str = "t.id, t.hotline_no, t.kind, t.source, t.category, t.content,
    t.address, t.community_id, COALESCE(c.name, t.community_id), t.caller_name, t.caller_phone,
    t.received_ms, t.status, t.assignee, t.updated_hlc, t.conflicts, t.urgency, t.due_ms,
    t.open_due_ms, t.open_yellow_ms, t.grid, t.supervised, t.tags";

/// How many columns [`ROW_COLUMNS`] selects; a query may add its own after them.
pub(crate) const ROW_COLUMN_COUNT: usize = 23;

/// What a row's warning colour depends on besides the row: the time.
#[derive(Clone, Copy)]
pub(crate) struct RowView {
    pub(crate) now_ms: i64,
}

impl Store {
    pub(crate) fn row_view(&self) -> RowView {
        RowView {
            now_ms: crate::log::now_ms(),
        }
    }
}

pub(crate) fn parse_enum<T: serde::de::DeserializeOwned>(
    idx: usize,
    s: String,
) -> rusqlite::Result<T> {
    serde_json::from_value(serde_json::Value::String(s)).map_err(|e| conversion(idx, e))
}

fn conversion(idx: usize, e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, Box::new(e))
}

/// The warning colour from the projection's open-clock columns: the rule of
/// `policy::warning`, and the same one the SQL filters use.
pub(crate) fn warning_of(open_due: Option<i64>, open_yellow: Option<i64>, now_ms: i64) -> Warning {
    match (open_due, open_yellow) {
        (Some(due), _) if due <= now_ms => Warning::Red,
        (Some(_), Some(yellow)) if yellow <= now_ms => Warning::Yellow,
        (Some(_), _) => Warning::Green,
        (None, _) => Warning::None,
    }
}

/// Maps a row selected with [`ROW_COLUMNS`]; masks the caller on the way out.
pub(crate) fn ticket_row(r: &Row<'_>, view: RowView) -> rusqlite::Result<TicketRow> {
    let name: String = r.get(9)?;
    let phone: String = r.get(10)?;
    let received_ms: i64 = r.get(11)?;
    let due_ms: i64 = r.get(17)?;
    let tags: String = r.get(22)?;
    Ok(TicketRow {
        id: r.get(0)?,
        hotline_no: r.get(1)?,
        kind: parse_enum(2, r.get(2)?)?,
        source: parse_enum(3, r.get(3)?)?,
        category: r.get(4)?,
        content: r.get(5)?,
        address: r.get(6)?,
        community_id: r.get(7)?,
        community_name: r.get(8)?,
        caller_name_masked: mask_name(&name),
        caller_phone_masked: mask_phone(&phone),
        received_at: rfc3339(from_unix_ms(received_ms)),
        status: parse_enum(12, r.get(12)?)?,
        assignee: r.get(13)?,
        updated_at: rfc3339(from_unix_ms(Hlc(r.get(14)?).physical_ms())),
        needs_review: r.get::<_, i64>(15)? > 0,
        urgency: parse_enum(16, r.get(16)?)?,
        due_at: rfc3339(from_unix_ms(due_ms)),
        warning: warning_of(r.get(18)?, r.get(19)?, view.now_ms),
        grid: r.get(20)?,
        supervised: r.get(21)?,
        tags: serde_json::from_str(&tags).map_err(|e| conversion(22, e))?,
    })
}
