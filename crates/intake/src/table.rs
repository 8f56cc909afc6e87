//! A file as rows of text cells, numbered as the spreadsheet shows them.

use calamine::{
    open_workbook_auto, open_workbook_auto_from_rs, Data, Dimensions, Range, Reader, Sheets,
};
use std::io::Cursor;
use std::path::Path;
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};

/// One row of a sheet: its number as the spreadsheet shows it (1-based) and its cells as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Row number, 1-based.
    pub number: u32,
    /// Cell texts, trimmed; empty for empty cells.
    pub cells: Vec<String>,
}

impl Row {
    /// Whether every cell is empty.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(String::is_empty)
    }

    /// The cell at `column`, or "" past the row's end.
    pub fn cell(&self, column: usize) -> &str {
        self.cells.get(column).map_or("", String::as_str)
    }
}

fn unreadable(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(
        ErrorCode::ImportUnreadable,
        format!("cannot read the file: {e}"),
    )
}

/// What a file name says the file is.
fn is_csv(name: &str) -> ApiResult<bool> {
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "csv" | "txt" => Ok(true),
        "xlsx" | "xlsm" | "xls" => Ok(false),
        _ => Err(unreadable("only .xlsx, .xls and .csv files are read")),
    }
}

/// Reads the first sheet of an xlsx/xls file, or a CSV file, by its extension.
pub fn read_rows(path: &Path) -> ApiResult<Vec<Row>> {
    if is_csv(&path.to_string_lossy())? {
        read_csv(&std::fs::read(path).map_err(unreadable)?)
    } else {
        workbook_rows(open_workbook_auto(path).map_err(unreadable)?)
    }
}

/// Reads a file the UI picked and sent whole; `name` gives its type by extension.
pub fn rows_from_bytes(name: &str, bytes: Vec<u8>) -> ApiResult<Vec<Row>> {
    if is_csv(name)? {
        read_csv(&bytes)
    } else {
        workbook_rows(open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(unreadable)?)
    }
}

/// The first sheet's rows, every cell of a merged region holding the region's text: a title
/// merged across the table, a header merged over two columns, a community merged down over
/// its tickets' rows.
fn workbook_rows<RS: std::io::Read + std::io::Seek>(mut book: Sheets<RS>) -> ApiResult<Vec<Row>> {
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| unreadable("the workbook has no sheet"))?
        .map_err(unreadable)?;
    let merged: Vec<Dimensions> = match &mut book {
        Sheets::Xlsx(x) => {
            let first = x.sheet_names().first().cloned().unwrap_or_default();
            x.load_merged_regions().map_err(unreadable)?;
            x.merged_regions_by_sheet(&first)
                .into_iter()
                .map(|(_, _, d)| *d)
                .collect()
        }
        Sheets::Xls(x) => x.worksheet_merge_cells_at(0).unwrap_or_default(),
        _ => Vec::new(),
    };
    let mut rows = sheet_rows(range)?;
    fill_merged(&mut rows, &merged);
    Ok(rows)
}

/// Copies each merged region's top-left text into its other cells.
fn fill_merged(rows: &mut [Row], merged: &[Dimensions]) {
    let Some(first) = rows.first().map(|r| r.number) else {
        return;
    };
    // Row numbers are 1-based, regions 0-based.
    let index = |row: u32| (row + 1).checked_sub(first).map(|i| i as usize);
    for d in merged {
        let (r0, c0) = d.start;
        let (r1, c1) = d.end;
        let Some(text) = index(r0)
            .and_then(|i| rows.get(i))
            .map(|r| r.cell(c0 as usize).to_owned())
        else {
            continue;
        };
        if text.is_empty() {
            continue;
        }
        for r in r0..=r1 {
            let Some(row) = index(r).and_then(|i| rows.get_mut(i)) else {
                continue;
            };
            for c in c0..=c1.min(c0 + 500) {
                let c = c as usize;
                if row.cells.len() <= c {
                    row.cells.resize(c + 1, String::new());
                }
                if row.cells[c].is_empty() {
                    row.cells[c] = text.clone();
                }
            }
        }
    }
}

/// Text of one spreadsheet cell. Whole numbers lose Excel's ".0" (phone numbers, ids).
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        // A cell formatted as a date: written out, so that it reads the same as a text date.
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(t) if dt.is_datetime() => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            _ => dt.as_f64().to_string(),
        },
    }
}

fn sheet_rows(range: Range<Data>) -> ApiResult<Vec<Row>> {
    // The range starts at its first used cell; row numbers must match what Excel shows.
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    Ok(range
        .rows()
        .enumerate()
        .map(|(i, cells)| Row {
            number: first_row + i as u32 + 1,
            cells: std::iter::repeat_n(String::new(), first_col as usize)
                .chain(cells.iter().map(cell_text))
                .collect(),
        })
        .collect())
}

/// Decodes CSV bytes: UTF-8 (with or without a byte-order mark), else GB18030 (GBK's
/// superset, what Excel on Chinese Windows writes).
pub fn decode(bytes: &[u8]) -> ApiResult<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_owned());
    }
    let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
    if had_errors {
        return Err(unreadable("the text is neither UTF-8 nor GBK"));
    }
    Ok(text.into_owned())
}

/// Reads CSV bytes into rows.
pub fn read_csv(bytes: &[u8]) -> ApiResult<Vec<Row>> {
    let text = decode(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // A spreadsheet numbers records, not lines: a quoted cell with line breaks in it is one
    // row, while a blank line (which the reader skips) is a row of its own.
    let mut extra_lines = 0u64;
    for record in reader.records() {
        let record = record.map_err(unreadable)?;
        let line = record
            .position()
            .map_or(rows.len() as u64 + 1, |p| p.line());
        rows.push(Row {
            number: (line - extra_lines) as u32,
            cells: record.iter().map(|c| c.trim().to_owned()).collect(),
        });
        extra_lines += record
            .iter()
            .map(|c| c.matches('\n').count() as u64)
            .sum::<u64>();
    }
    Ok(rows)
}
