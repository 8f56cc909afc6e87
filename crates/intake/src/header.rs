//! Finding the header row under title rows, and which column holds what.

use crate::table::Row;
use std::collections::HashMap;
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_core::validate::normalize_ascii;

/// How far down a header may sit below title rows and notes.
const HEADER_SEARCH_ROWS: usize = 20;

/// A column the reader looks for.
#[derive(Clone, Copy, Debug)]
pub struct ColumnSpec {
    /// The reader's own name for it.
    pub key: &'static str,
    /// Header texts that mean it (compared without spaces, marks or case).
    pub names: &'static [&'static str],
    /// Whether a file without it is refused.
    pub required: bool,
}

/// Key → (column index, header text as written).
type Columns = HashMap<&'static str, (usize, String)>;

/// The header found: its row, and for each key the column index and the header's own text.
#[derive(Clone, Debug)]
pub struct Header {
    /// Index of the header in the rows.
    pub index: usize,
    /// Key → (column index, header text as written).
    pub columns: Columns,
}

impl Header {
    /// The cell of `key` in `row`, or "" when the file has no such column.
    pub fn get<'r>(&self, row: &'r Row, key: &str) -> &'r str {
        self.columns.get(key).map_or("", |(i, _)| row.cell(*i))
    }

    /// The header text of `key` as the file writes it, or `fallback`.
    pub fn label(&self, key: &str, fallback: &str) -> String {
        self.columns
            .get(key)
            .map_or_else(|| fallback.to_owned(), |(_, text)| text.clone())
    }
}

/// A header text reduced for comparison: no spaces, no required-field marks, ASCII folded.
pub(crate) fn plain(text: &str) -> String {
    normalize_ascii(text)
        .chars()
        .filter(|c| !matches!(c, '*' | '＊' | ':' | '：' | '(' | ')' | '（' | '）'))
        .collect::<String>()
        .to_lowercase()
}

fn match_row(row: &Row, specs: &[ColumnSpec]) -> Columns {
    let mut found = HashMap::new();
    for (i, cell) in row.cells.iter().enumerate() {
        let cell_plain = plain(cell);
        if cell_plain.is_empty() {
            continue;
        }
        for spec in specs {
            if !found.contains_key(spec.key) && spec.names.iter().any(|n| plain(n) == cell_plain) {
                found.insert(spec.key, (i, cell.clone()));
                break;
            }
        }
    }
    found
}

/// Finds the first row, among the first twenty, that has every required column. Otherwise the
/// error names the required columns missing from the closest candidate.
pub fn find_header(rows: &[Row], specs: &[ColumnSpec]) -> ApiResult<Header> {
    let mut best: Option<(usize, Columns)> = None;
    for (index, row) in rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let columns = match_row(row, specs);
        if specs
            .iter()
            .all(|s| !s.required || columns.contains_key(s.key))
        {
            return Ok(Header { index, columns });
        }
        if best.as_ref().is_none_or(|(_, b)| columns.len() > b.len()) {
            best = Some((index, columns));
        }
    }
    let (index, columns) = best.unwrap_or_default();
    let missing: Vec<&str> = specs
        .iter()
        .filter(|s| s.required && !columns.contains_key(s.key))
        .map(|s| s.names[0])
        .collect();
    let row = rows.get(index).map_or(1, |r| r.number);
    Err(ApiError::new(
        ErrorCode::ImportColumnMissing,
        format!("the header has no column for {}", missing.join(", ")),
    )
    .at(row, missing.join("、")))
}
