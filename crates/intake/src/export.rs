//! Writing tickets out in the 12345 layout: the columns a platform export has, under the
//! headers the importer reads first, so a sheet StreetDesk writes reads back in.

use crate::hotline::aliases;
use crate::values::parse_when;
use chrono::{Datelike, Timelike};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use std::path::Path;
use std::sync::atomic::AtomicBool;
use streetdesk_core::dto::{BacklogQuery, ImportField as F};
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_core::hotline::kind_word;
use streetdesk_core::ticket::{Resolution, Satisfaction, TicketStatus};
use streetdesk_core::time::from_unix_ms;
use streetdesk_store::{ExportedTicket, Store};

/// The export's columns, in order.
pub const COLUMNS: [F; 23] = F::ALL;

/// The header of each column.
pub fn headers() -> Vec<String> {
    COLUMNS.iter().map(|f| aliases(*f)[0].to_owned()).collect()
}

fn when(ms: i64) -> String {
    from_unix_ms(ms).format("%Y-%m-%d %H:%M:%S").to_string()
}

/// The platform's word for a state.
pub fn status_word(s: TicketStatus) -> &'static str {
    use TicketStatus as S;
    match s {
        S::Received => "待签收",
        S::Signed => "已签收",
        S::InProgress => "办理中",
        S::Objecting => "申请退回",
        S::Redispatched => "已退回",
        S::Replied => "已办结",
        S::AwaitingCallback => "待回访",
        S::CallbackRecorded => "已回访",
        S::Archived => "已归档",
    }
}

fn urgency_word(u: streetdesk_core::policy::Urgency) -> &'static str {
    use streetdesk_core::policy::Urgency as U;
    match u {
        U::Emergency => "紧急",
        U::Utility => "水电气热",
        U::General => "一般",
        U::Complex => "疑难复杂",
    }
}

/// One ticket's cells, in [`COLUMNS`] order. The caller stays masked.
pub fn cells(t: &ExportedTicket) -> Vec<String> {
    let r = &t.row;
    let due = streetdesk_core::time::parse_beijing(&r.due_at)
        .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_default();
    let received = streetdesk_core::time::parse_beijing(&r.received_at)
        .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_default();
    COLUMNS
        .iter()
        .map(|f| match f {
            F::HotlineNo => r.hotline_no.clone().unwrap_or_default(),
            F::ReceivedAt => received.clone(),
            F::Kind => kind_word(r.kind).to_owned(),
            F::Category => r.category.replace('/', "->"),
            F::Content => r.content.clone(),
            F::Community => r.community_name.clone(),
            F::Address => r.address.clone(),
            F::CallerName => r.caller_name_masked.clone(),
            F::CallerPhone => r.caller_phone_masked.clone(),
            F::Urgency => urgency_word(r.urgency).to_owned(),
            F::Deadline => due.clone(),
            F::Tags => r.tags.join("，"),
            F::Grid => r.grid.clone().unwrap_or_default(),
            F::Longitude => t.position.map(|p| p.1.to_string()).unwrap_or_default(),
            F::Latitude => t.position.map(|p| p.0.to_string()).unwrap_or_default(),
            F::Status => status_word(r.status).to_owned(),
            F::SignedAt => t.signed_ms.map(when).unwrap_or_default(),
            F::Reply => t.reply.clone().unwrap_or_default(),
            F::RepliedAt => t.replied_ms.map(when).unwrap_or_default(),
            F::Contacted => match (t.callback, t.contacted_ms) {
                (Some(c), _) => if c.contacted { "是" } else { "否" }.to_owned(),
                (None, Some(_)) => "是".to_owned(),
                (None, None) => String::new(),
            },
            F::Resolved => t
                .callback
                .map(|c| match c.resolution {
                    Resolution::Resolved => "解决",
                    Resolution::Partly => "部分解决",
                    Resolution::Unresolved => "未解决",
                })
                .unwrap_or_default()
                .to_owned(),
            F::Satisfied => t
                .callback
                .map(|c| match c.satisfaction {
                    Satisfaction::Satisfied => "满意",
                    Satisfaction::Basically => "基本满意",
                    Satisfaction::Unsatisfied => "不满意",
                    Satisfaction::NotRated => "未评价",
                })
                .unwrap_or_default()
                .to_owned(),
            F::CallbackAt => String::new(),
        })
        .collect()
}

fn write_failed(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(
        ErrorCode::ExportWriteFailed,
        format!("cannot write the file: {e}"),
    )
}

/// Writes a sheet: a title row merged across the table (if given), the header, the rows.
/// Cells of the time columns that read as times are written as Excel dates, so they sort
/// and filter as dates. The file appears whole or not at all.
pub fn write_xlsx(
    path: &Path,
    title: Option<&str>,
    headers: &[String],
    rows: &[Vec<String>],
) -> ApiResult<()> {
    let bytes = workbook(title, headers, rows).map_err(write_failed)?;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(write_failed)?;
    std::io::Write::write_all(&mut tmp, &bytes).map_err(write_failed)?;
    tmp.as_file().sync_all().map_err(write_failed)?;
    tmp.persist(path).map_err(write_failed)?;
    Ok(())
}

fn workbook(
    title: Option<&str>,
    headers: &[String],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("工单")?;
    let head = Format::new()
        .set_bold()
        .set_background_color("#E8EAED")
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center);
    let date = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let last_col = headers.len().saturating_sub(1) as u16;
    let mut top = 0u32;
    if let Some(title) = title {
        let big = Format::new().set_bold().set_font_size(14);
        sheet.merge_range(0, 0, 0, last_col, title, &big)?;
        top = 1;
    }
    let is_time: Vec<bool> = headers
        .iter()
        .map(|h| {
            [
                F::ReceivedAt,
                F::Deadline,
                F::SignedAt,
                F::RepliedAt,
                F::CallbackAt,
            ]
            .iter()
            .any(|f| aliases(*f)[0] == h)
        })
        .collect();
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(top, c as u16, h, &head)?;
        let wide = matches!(h.as_str(), "诉求内容" | "办理结果");
        sheet.set_column_width(
            c as u16,
            if wide {
                40
            } else if is_time[c] {
                19
            } else {
                12
            },
        )?;
    }
    for (i, row) in rows.iter().enumerate() {
        let r = top + 1 + i as u32;
        for (c, v) in row.iter().enumerate() {
            if v.is_empty() {
                continue;
            }
            let c16 = c as u16;
            match parse_when(v).filter(|_| is_time.get(c).copied().unwrap_or(false)) {
                Some(t) => {
                    let t = t.naive_local();
                    let d =
                        ExcelDateTime::from_ymd(t.year() as u16, t.month() as u8, t.day() as u8)?
                            .and_hms(t.hour() as u16, t.minute() as u8, t.second())?;
                    sheet.write_datetime_with_format(r, c16, d, &date)?
                }
                None => sheet.write_string(r, c16, v)?,
            };
        }
    }
    sheet.set_freeze_panes(top + 1, 0)?;
    if !rows.is_empty() {
        sheet.autofilter(top, 0, top + rows.len() as u32, last_col)?;
    }
    book.save_to_buffer()
}

/// Writes every ticket the query matches to `path` in the 12345 layout, under a title;
/// returns how many. Progress and cancel as [`Store::export_tickets`].
pub fn export_backlog(
    store: &Store,
    query: &BacklogQuery,
    path: &Path,
    title: &str,
    progress: &mut dyn FnMut(u32, u32),
    cancel: &AtomicBool,
) -> ApiResult<u32> {
    let tickets = store.export_tickets(query, progress, cancel)?;
    let rows: Vec<Vec<String>> = tickets.iter().map(cells).collect();
    write_xlsx(path, Some(title), &headers(), &rows)?;
    Ok(rows.len() as u32)
}
