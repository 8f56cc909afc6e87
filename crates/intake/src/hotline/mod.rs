//! 12345 exports: find the header, map the columns, read every row, and show what an import
//! would do before it writes anything ([`ImportSession`]).

pub mod layout;
pub mod record;
mod session;

pub use layout::{aliases, Layout};
pub use record::ReadContext;
pub use session::ImportSession;

use crate::table::Row;
use crate::values::{category_path, clean_text};
use record::{read_record, Communities};
use std::collections::HashMap;
use streetdesk_core::dto::ImportField;
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_core::hotline::HotlineRecord;

/// One data row, read.
#[derive(Clone, Debug)]
pub struct ReadRow {
    /// Row number as the spreadsheet shows it.
    pub number: u32,
    /// 工单编号 as written.
    pub hotline_no: String,
    /// Category as read (levels joined by `/`).
    pub category: String,
    /// Community as written.
    pub community: String,
    /// The record, or the row's first problem.
    pub result: ApiResult<HotlineRecord>,
    /// True when an earlier row carries the same ticket with the same content.
    pub duplicate: bool,
}

/// Reads every data row under the header. Blank rows are skipped. A ticket number seen in an
/// earlier row is a duplicate when the rows agree, and a rejected row when they do not.
pub fn read_rows(rows: &[Row], layout: &Layout, ctx: &ReadContext<'_>) -> Vec<ReadRow> {
    let communities = Communities::new(ctx.communities);
    let shown = |row: &Row, field: ImportField| {
        layout
            .index
            .get(&field)
            .map_or(String::new(), |&i| clean_text(row.cell(i)))
    };
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<ReadRow> = Vec::new();
    for row in rows[layout.last_header + 1..]
        .iter()
        .filter(|r| !r.is_blank())
    {
        let mut result = read_record(row, layout, &communities, ctx);
        let mut duplicate = false;
        if let Ok(record) = &result {
            match first.get(record.hotline_no()) {
                Some(&i) => {
                    let earlier = out[i].result.as_ref().expect("only read rows are indexed");
                    if same_ticket(earlier, record) {
                        duplicate = true;
                    } else {
                        result = Err(ApiError::new(
                            ErrorCode::ImportRowConflict,
                            format!(
                                "ticket {} appears in row {} with other content",
                                record.hotline_no(),
                                earlier.row
                            ),
                        )
                        .at(row.number, layout.label(ImportField::HotlineNo))
                        .with_value(record.hotline_no()));
                    }
                }
                None => {
                    first.insert(record.hotline_no().to_owned(), out.len());
                }
            }
        }
        out.push(ReadRow {
            number: row.number,
            hotline_no: shown(row, ImportField::HotlineNo),
            category: category_path(&shown(row, ImportField::Category)),
            community: shown(row, ImportField::Community),
            result,
            duplicate,
        });
    }
    out
}

fn same_ticket(a: &HotlineRecord, b: &HotlineRecord) -> bool {
    HotlineRecord {
        row: b.row,
        ..a.clone()
    } == *b
}
