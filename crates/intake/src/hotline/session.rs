//! One import from open to commit: the file's rows are read once; the mapping can be changed
//! and the preview redone; the commit writes what the last preview showed.

use super::layout::{detect, with_mapping, Layout};
use super::{read_rows, ReadContext, ReadRow};
use crate::table::Row;
use chrono::{DateTime, FixedOffset};
use std::path::Path;
use std::sync::atomic::AtomicBool;
use streetdesk_core::dto::{
    ColumnMap, ImportCounts, ImportOptions, ImportOutcome, ImportPreview, ImportProgress,
    ImportSource, PreviewRow, RowVerdict, PREVIEW_ROWS,
};
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_core::hotline::HotlineRecord;
use streetdesk_core::time::rfc3339;
use streetdesk_store::Store;

/// A file being imported.
pub struct ImportSession {
    file_name: String,
    rows: Vec<Row>,
    layout: Option<Layout>,
    read: Vec<ReadRow>,
}

/// Only the file's name and size: its cells hold callers' names and phones.
impl std::fmt::Debug for ImportSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportSession")
            .field("file_name", &self.file_name)
            .field("rows", &self.rows.len())
            .finish_non_exhaustive()
    }
}

impl ImportSession {
    /// Reads a file's rows (xlsx, xls or csv by its extension).
    pub fn open(path: &Path) -> ApiResult<Self> {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(Self::from_rows(file_name, crate::table::read_rows(path)?))
    }

    /// A session over rows already read.
    pub fn from_rows(file_name: String, rows: Vec<Row>) -> Self {
        ImportSession {
            file_name,
            rows,
            layout: None,
            read: Vec::new(),
        }
    }

    /// The file's name.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// Reads every row with `mapping` (or, without one, a remembered or recognised layout)
    /// and checks each against the store. Nothing is written. When required fields have no
    /// column, the preview lists them and no rows: the officer maps them and previews again.
    pub fn preview(
        &mut self,
        store: &Store,
        mapping: Option<&[ColumnMap]>,
        now: DateTime<FixedOffset>,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> ApiResult<ImportPreview> {
        self.preview_until(store, mapping, now, progress, &AtomicBool::new(false))
    }

    /// [`ImportSession::preview`] that `cancel` stops (with `import.cancelled`).
    pub fn preview_until(
        &mut self,
        store: &Store,
        mapping: Option<&[ColumnMap]>,
        now: DateTime<FixedOffset>,
        progress: &mut dyn FnMut(ImportProgress),
        cancel: &AtomicBool,
    ) -> ApiResult<ImportPreview> {
        let layout = match mapping {
            Some(m) => with_mapping(&self.rows, m)?,
            None => detect(&self.rows, &store.import_sources()?).ok_or_else(|| {
                ApiError::new(
                    ErrorCode::ImportColumnMissing,
                    "no column of a 12345 export was recognised in the first 20 rows",
                )
            })?,
        };
        let missing = layout.missing();
        self.read = Vec::new();
        if missing.is_empty() {
            let communities = store.communities()?;
            let ctx = ReadContext {
                communities: &communities,
                calendar: store.calendar(),
                now,
            };
            self.read = read_rows(&self.rows, &layout, &ctx);
            if self.read.is_empty() {
                return Err(ApiError::new(
                    ErrorCode::ImportEmpty,
                    "the file has a header but no rows",
                ));
            }
        }
        let verdicts = self.verdicts(store, now, progress, cancel)?;
        let mut counts = ImportCounts::default();
        let mut issues = Vec::new();
        let mut rows = Vec::new();
        for (r, verdict) in self.read.iter().zip(verdicts) {
            counts.add(verdict);
            if let (Err(e), true) = (&r.result, issues.len() < PREVIEW_ROWS) {
                issues.push(e.clone());
            }
            if rows.len() < PREVIEW_ROWS {
                rows.push(preview_row(r, verdict));
            }
        }
        let preview = ImportPreview {
            file_name: self.file_name.clone(),
            header_row: layout.header_row,
            headers: layout.headers.clone(),
            columns: layout.columns(),
            source: layout.source.clone(),
            missing,
            counts,
            issues,
            rows,
        };
        self.layout = Some(layout);
        Ok(preview)
    }

    /// Each read row's verdict, in order: rejected and duplicate rows from the file alone,
    /// the others from the store.
    fn verdicts(
        &self,
        store: &Store,
        now: DateTime<FixedOffset>,
        progress: &mut dyn FnMut(ImportProgress),
        cancel: &AtomicBool,
    ) -> ApiResult<Vec<RowVerdict>> {
        let mut checked = store
            .hotline_verdicts(&self.records(), now, progress, cancel)?
            .into_iter();
        Ok(self
            .read
            .iter()
            .map(|r| match (&r.result, r.duplicate) {
                (Err(_), _) => RowVerdict::Rejected,
                (Ok(_), true) => RowVerdict::Duplicate,
                (Ok(_), false) => checked.next().unwrap_or(RowVerdict::Rejected),
            })
            .collect())
    }

    /// The rows to write: read, and not repeating an earlier row.
    fn records(&self) -> Vec<&HotlineRecord> {
        self.read
            .iter()
            .filter(|r| !r.duplicate)
            .filter_map(|r| r.result.as_ref().ok())
            .collect()
    }

    /// Writes what the last preview showed, in one transaction. A file with rejected rows is
    /// refused whole unless the officer chose to leave them out.
    pub fn commit(
        &mut self,
        store: &mut Store,
        options: &ImportOptions,
        now: DateTime<FixedOffset>,
        progress: &mut dyn FnMut(ImportProgress),
        cancel: &AtomicBool,
    ) -> ApiResult<ImportOutcome> {
        let Some(layout) = &self.layout else {
            return Err(ApiError::new(
                ErrorCode::ImportSessionUnknown,
                "the file has not been previewed",
            ));
        };
        if !layout.missing().is_empty() {
            return Err(ApiError::new(
                ErrorCode::ImportColumnMissing,
                "required fields have no column",
            ));
        }
        let rejected = self.read.iter().filter(|r| r.result.is_err()).count();
        if rejected > 0 && !options.skip_rejected {
            return Err(ApiError::new(
                ErrorCode::ImportRowsRejected,
                format!("{rejected} rows cannot be read; fix them or leave them out"),
            ));
        }
        let remember = options
            .remember_as
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(|name| ImportSource {
                name: name.to_owned(),
                columns: layout.columns(),
            });
        let records = self.records();
        let (verdicts, events) =
            store.import_hotline(&records, now, remember.as_ref(), progress, cancel)?;
        let mut counts = ImportCounts::default();
        for v in verdicts {
            counts.add(v);
        }
        for r in &self.read {
            match (&r.result, r.duplicate) {
                (Err(_), _) => counts.add(RowVerdict::Rejected),
                (Ok(_), true) => counts.add(RowVerdict::Duplicate),
                _ => {}
            }
        }
        Ok(ImportOutcome { counts, events })
    }
}

fn preview_row(r: &ReadRow, verdict: RowVerdict) -> PreviewRow {
    let record = r.result.as_ref().ok();
    PreviewRow {
        row: r.number,
        hotline_no: r.hotline_no.clone(),
        received_at: record.map(|x| rfc3339(x.registered.received_at)),
        kind: record.map(|x| x.registered.kind),
        category: r.category.clone(),
        community: r.community.clone(),
        status: record.map(HotlineRecord::target),
        verdict,
        issue: r.result.as_ref().err().cloned(),
    }
}
