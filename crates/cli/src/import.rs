//! `streetdesk-cli import` and `export`: 12345 exports in and out, headless, through the same
//! session the app's import view uses.

use crate::commands::{query_of, Output};
use crate::ListArgs;
use serde_json::json;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use streetdesk_core::dto::{ColumnMap, ImportField, ImportOptions, ImportPreview, ImportProgress};
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_core::time::now_beijing;
use streetdesk_intake::hotline::ImportSession;
use streetdesk_store::Store;

/// Options of `import`.
#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// Database file.
    #[arg(long, env = "STREETDESK_DB")]
    pub db: PathBuf,
    /// The export: .xlsx, .xls or .csv (UTF-8 or GBK).
    pub file: PathBuf,
    /// Assign a column by its header: `hotline_no=单据号` (repeatable). With any `--map`, the
    /// mapping is exactly the ones given.
    #[arg(long = "map", value_name = "FIELD=HEADER")]
    pub map: Vec<String>,
    /// Import the readable rows and leave rejected ones out (otherwise any rejected row
    /// refuses the file).
    #[arg(long)]
    pub skip_rejected: bool,
    /// Remember the mapping under this name for the next files from the same source.
    #[arg(long)]
    pub remember: Option<String>,
    /// Only show what the import would do.
    #[arg(long)]
    pub dry_run: bool,
}

/// Options of `export`.
#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// The filters (as for `list`; `--limit` is ignored: every match is written).
    #[command(flatten)]
    pub filters: ListArgs,
    /// The xlsx file to write.
    #[arg(long)]
    pub out: PathBuf,
}

fn mapping(pairs: &[String]) -> ApiResult<Option<Vec<ColumnMap>>> {
    if pairs.is_empty() {
        return Ok(None);
    }
    pairs
        .iter()
        .map(|p| {
            let (field, header) = p.split_once('=').ok_or_else(|| bad_map(p))?;
            let field: ImportField =
                serde_json::from_value(json!(field.trim())).map_err(|_| bad_map(p))?;
            Ok(ColumnMap {
                field,
                header: header.trim().to_owned(),
            })
        })
        .collect::<ApiResult<Vec<_>>>()
        .map(Some)
}

fn bad_map(p: &str) -> ApiError {
    ApiError::new(
        ErrorCode::InvalidArgument,
        format!(
            "--map {p:?}: expected FIELD=HEADER, FIELD one of hotline_no, received_at, kind, …"
        ),
    )
}

/// Progress on stderr, for a person watching a terminal, or when `STREETDESK_PROGRESS` is
/// set (scripts otherwise read stderr for errors only).
fn progress() -> impl FnMut(ImportProgress) {
    let shown = std::io::IsTerminal::is_terminal(&std::io::stderr())
        || std::env::var_os("STREETDESK_PROGRESS").is_some();
    move |p: ImportProgress| {
        if shown && p.total > 0 {
            eprintln!("{:?} {}/{}", p.phase, p.done, p.total);
        }
    }
}

fn preview_text(p: &ImportPreview) -> String {
    let c = &p.counts;
    let mut lines = vec![format!(
        "{}: header on row {}, {} rows: {} new, {} updated, {} unchanged, {} duplicate, {} rejected",
        p.file_name, p.header_row, c.rows, c.new, c.updated, c.unchanged, c.duplicate, c.rejected
    )];
    if let Some(s) = &p.source {
        lines.push(format!("mapping remembered as {s}"));
    }
    lines.extend(
        p.issues
            .iter()
            .map(|e| format!("  {}: {}", e.code.as_str(), e.message)),
    );
    lines.join("\n")
}

/// Runs `import`.
pub fn run_import(a: &ImportArgs) -> ApiResult<Output> {
    let mut store = Store::open(&a.db)?;
    let mut session = ImportSession::open(&a.file)?;
    let now = now_beijing();
    let map = mapping(&a.map)?;
    let preview = session.preview(&store, map.as_deref(), now, &mut progress())?;
    if !preview.missing.is_empty() {
        let names: Vec<String> = preview
            .missing
            .iter()
            .map(streetdesk_core::wire::wire_name)
            .collect();
        return Err(ApiError::new(
            ErrorCode::ImportColumnMissing,
            format!(
                "no column for {}; the file's headers are {}; assign them with --map",
                names.join(", "),
                preview.headers.join(" | ")
            ),
        ));
    }
    if a.dry_run {
        return Ok(Output {
            text: preview_text(&preview),
            json: json!({ "preview": preview }),
        });
    }
    let options = ImportOptions {
        skip_rejected: a.skip_rejected,
        remember_as: a.remember.clone(),
    };
    let outcome = session
        .commit(
            &mut store,
            &options,
            now,
            &mut progress(),
            &AtomicBool::new(false),
        )
        .map_err(|e| match e.code {
            ErrorCode::ImportRowsRejected => {
                let first = preview
                    .issues
                    .first()
                    .map_or(String::new(), |i| i.message.clone());
                ApiError::new(e.code, format!("{}; first: {first}", e.message))
            }
            _ => e,
        })?;
    let c = outcome.counts;
    Ok(Output {
        text: format!(
            "imported {}: {} new, {} updated, {} unchanged, {} duplicate, {} rejected; {} events",
            preview.file_name,
            c.new,
            c.updated,
            c.unchanged,
            c.duplicate,
            c.rejected,
            outcome.events
        ),
        json: json!({ "preview": preview, "outcome": outcome }),
    })
}

/// Runs `export`.
pub fn run_export(a: &ExportArgs) -> ApiResult<Output> {
    let store = Store::open(&a.filters.db)?;
    let query = query_of(&a.filters)?;
    let street = store.street_name()?.unwrap_or_default();
    let title = format!(
        "{street}工单导出 {}",
        now_beijing().format("%Y-%m-%d %H:%M")
    );
    let n = streetdesk_intake::export::export_backlog(
        &store,
        &query,
        &a.out,
        title.trim(),
        &mut |_, _| {},
        &AtomicBool::new(false),
    )?;
    Ok(Output {
        text: format!("{n} tickets written to {}", a.out.display()),
        json: json!({ "tickets": n, "file": a.out }),
    })
}
