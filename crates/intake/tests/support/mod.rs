//! The corpus the import tests generate: a demo street's store, a 12345 export of it, and
//! writers that lay the export out as real files do (xlsx with titles and merged headers,
//! CSV in UTF-8 or GBK, the old binary xls).
#![allow(dead_code)]

pub mod xls;

use chrono::{DateTime, FixedOffset};
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use streetdesk_core::dto::{ImportField, ImportOptions, ImportOutcome, ImportPreview};
use streetdesk_core::error::ApiResult;
use streetdesk_core::time::parse_beijing;
use streetdesk_demo::{communities, departments, hotline_export, SampleRow, STREET_NAME};
use streetdesk_intake::export::headers;
use streetdesk_intake::hotline::ImportSession;
use streetdesk_store::Store;

/// The time the corpus is generated and imported at.
pub fn now() -> DateTime<FixedOffset> {
    parse_beijing("2026-11-20T12:00").unwrap()
}

/// A street with its communities and departments, and no tickets yet.
pub fn street(dir: &Path) -> Store {
    let mut store = Store::open(&dir.join("street.sqlite3")).unwrap();
    store.set_street_name(STREET_NAME).unwrap();
    store
        .upsert_directory(&communities(), &departments())
        .unwrap();
    store
}

/// `n` rows of the demo street's export.
pub fn sample(n: usize, seed: u64) -> Vec<SampleRow> {
    hotline_export(n, 60, seed, now())
}

/// The rows' cells in the columns given.
pub fn cells(rows: &[SampleRow], fields: &[ImportField]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| {
            fields
                .iter()
                .map(|f| r.get(f).cloned().unwrap_or_default())
                .collect()
        })
        .collect()
}

/// The standard header and every field, in order.
pub fn standard(rows: &[SampleRow]) -> (Vec<String>, Vec<Vec<String>>) {
    (headers(), cells(rows, &ImportField::ALL))
}

/// The rows in the standard layout as an xlsx file: the header on the first row.
pub fn standard_xlsx(dir: &Path, name: &str, rows: &[SampleRow]) -> PathBuf {
    let (h, lines) = standard(rows);
    xlsx_file(dir, name, |s| {
        put_lines(s, 0, &[h]);
        put_lines(s, 1, &lines);
    })
}

/// How CSV bytes are encoded.
#[derive(Clone, Copy)]
pub enum Encoding {
    Utf8Bom,
    Utf8,
    Gbk,
}

/// Writes a CSV file: header rows (titles, a header), then the rows.
pub fn csv_file(dir: &Path, name: &str, lines: &[Vec<String>], encoding: Encoding) -> PathBuf {
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for line in lines {
        w.write_record(line).unwrap();
    }
    let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
    let bytes = match encoding {
        Encoding::Utf8Bom => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        Encoding::Utf8 => text.into_bytes(),
        Encoding::Gbk => {
            let (b, _, lossy) = encoding_rs::GBK.encode(&text);
            assert!(!lossy, "the corpus is GBK-encodable");
            b.into_owned()
        }
    };
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Writes an xlsx file; `fill` lays out its only sheet.
pub fn xlsx_file(dir: &Path, name: &str, fill: impl FnOnce(&mut Worksheet)) -> PathBuf {
    let mut book = Workbook::new();
    fill(book.add_worksheet());
    let path = dir.join(name);
    book.save(&path).unwrap();
    path
}

/// Writes `lines` from row `top` on, all as text.
pub fn put_lines(sheet: &mut Worksheet, top: u32, lines: &[Vec<String>]) {
    for (r, line) in lines.iter().enumerate() {
        for (c, v) in line.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(top + r as u32, c as u16, v).unwrap();
            }
        }
    }
}

/// A title merged across `width` columns on row `row`.
pub fn title(sheet: &mut Worksheet, row: u32, width: u16, text: &str) {
    sheet
        .merge_range(row, 0, row, width - 1, text, &Format::new())
        .unwrap();
}

/// Previews a file against the store.
pub fn preview(store: &Store, path: &Path) -> ApiResult<(ImportSession, ImportPreview)> {
    let mut s = ImportSession::open(path)?;
    let p = s.preview(store, None, now(), &mut |_| {})?;
    Ok((s, p))
}

/// Previews and commits a file; `skip` leaves rejected rows out.
pub fn import(store: &mut Store, path: &Path, skip: bool) -> ApiResult<ImportOutcome> {
    let (mut s, _) = preview(store, path)?;
    commit(&mut s, store, skip, None)
}

/// Commits what the session last previewed, leaving rejected rows out when `skip`, and
/// remembering the mapping under `remember`.
pub fn commit(
    session: &mut ImportSession,
    store: &mut Store,
    skip: bool,
    remember: Option<&str>,
) -> ApiResult<ImportOutcome> {
    let options = ImportOptions {
        skip_rejected: skip,
        remember_as: remember.map(str::to_owned),
    };
    session.commit(store, &options, now(), &mut |_| {}, &AtomicBool::new(false))
}

/// Everything a reader of the store sees: every event and every projected ticket.
pub fn state(store: &Store) -> (Vec<String>, Vec<String>) {
    (
        store.event_ids().unwrap(),
        store.projection_snapshot().unwrap(),
    )
}
