//! Import timings: a 12345 export of the demo street, as an xlsx file, imported whole into an
//! empty street (read, preview, commit), then again (every row unchanged); and, as the raw
//! limit, the same file read and its rows inserted as plain text rows in one transaction.

use super::io_err;
use rusqlite::Connection;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};
use streetdesk_core::dto::{ImportOptions, ImportOutcome};
use streetdesk_core::error::ApiResult;
use streetdesk_core::time::now_beijing;
use streetdesk_intake::export::{headers, write_xlsx};
use streetdesk_intake::hotline::ImportSession;
use streetdesk_store::Store;

/// File names of the phase, in the benchmark's directory.
pub(crate) const FILES: [&str; 3] = ["import.xlsx", "import.sqlite3", "import-raw.sqlite3"];

/// What the import phase measured.
pub(crate) struct ImportBench {
    /// Rows in the file.
    pub(crate) rows: usize,
    /// Reading the xlsx file into rows.
    pub(crate) read: Duration,
    /// Reading every row and checking it against the store.
    pub(crate) preview: Duration,
    /// Writing the events in one transaction.
    pub(crate) commit: Duration,
    /// The first import's outcome.
    pub(crate) outcome: ImportOutcome,
    /// The same file again: read, preview and commit, every row unchanged.
    pub(crate) again: Duration,
    /// Raw: reading the file with the same reader.
    pub(crate) raw_read: Duration,
    /// Raw: one plain INSERT per row, in one transaction.
    pub(crate) raw_insert: Duration,
}

impl ImportBench {
    /// The engine's whole import.
    pub(crate) fn total(&self) -> Duration {
        self.read + self.preview + self.commit
    }

    /// The raw limit's whole import.
    pub(crate) fn raw_total(&self) -> Duration {
        self.raw_read + self.raw_insert
    }
}

fn run_import(
    store: &mut Store,
    file: &Path,
) -> ApiResult<(Duration, Duration, Duration, ImportOutcome)> {
    let now = now_beijing();
    let t = Instant::now();
    let mut session = ImportSession::open(file)?;
    let read = t.elapsed();
    let t = Instant::now();
    session.preview(store, None, now, &mut |_| {})?;
    let preview = t.elapsed();
    let t = Instant::now();
    let options = ImportOptions {
        skip_rejected: false,
        remember_as: None,
    };
    let outcome = session.commit(store, &options, now, &mut |_| {}, &AtomicBool::new(false))?;
    Ok((read, preview, t.elapsed(), outcome))
}

/// Runs the phase with `rows` rows.
pub(crate) fn measure(dir: &Path, rows: usize, seed: u64) -> ApiResult<ImportBench> {
    for f in FILES {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(dir.join(format!("{f}{suffix}")));
        }
    }
    let sample = streetdesk_demo::hotline_export(rows, 365, seed, now_beijing());
    let fields = streetdesk_core::dto::ImportField::ALL;
    let lines: Vec<Vec<String>> = sample
        .iter()
        .map(|r| {
            fields
                .iter()
                .map(|f| r.get(f).cloned().unwrap_or_default())
                .collect()
        })
        .collect();
    let file = dir.join(FILES[0]);
    write_xlsx(&file, Some("12345工单导出"), &headers(), &lines)?;

    let mut store = Store::open(&dir.join(FILES[1]))?;
    store.set_street_name(streetdesk_demo::STREET_NAME)?;
    store.upsert_directory(
        &streetdesk_demo::communities(),
        &streetdesk_demo::departments(),
    )?;
    let (read, preview, commit, outcome) = run_import(&mut store, &file)?;
    let t = Instant::now();
    run_import(&mut store, &file)?;
    let again = t.elapsed();

    let t = Instant::now();
    let table = streetdesk_intake::read_rows(&file)?;
    let raw_read = t.elapsed();
    let conn = Connection::open(dir.join(FILES[2])).map_err(io_err)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
         CREATE TABLE rows(n INTEGER PRIMARY KEY, cells TEXT NOT NULL);",
    )
    .map_err(io_err)?;
    let t = Instant::now();
    let tx = conn.unchecked_transaction().map_err(io_err)?;
    {
        let mut insert = tx
            .prepare("INSERT INTO rows(n, cells) VALUES (?1, ?2)")
            .map_err(io_err)?;
        for row in table.iter().skip(2) {
            insert
                .execute(rusqlite::params![row.number, row.cells.join("\u{1f}")])
                .map_err(io_err)?;
        }
    }
    tx.commit().map_err(io_err)?;
    let raw_insert = t.elapsed();
    Ok(ImportBench {
        rows,
        read,
        preview,
        commit,
        outcome,
        again,
        raw_read,
        raw_insert,
    })
}
