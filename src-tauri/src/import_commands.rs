//! 12345 export import and backlog export. The file is chosen in a native dialog opened here;
//! the session (the file's rows and the last preview) stays on this side between the
//! mapping step, the preview and the commit, which reports progress and can be cancelled.

use crate::commands::{with_store, with_store_logging};
use crate::stats_commands::ask_where;
use crate::AppState;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use streetdesk_core::dto::{
    BacklogQuery, ColumnMap, ExportProgress, ImportOptions, ImportOutcome, ImportPreview,
    ImportProgress,
};
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_core::time::now_beijing;
use streetdesk_intake::hotline::ImportSession;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};
use tauri_plugin_dialog::DialogExt;

/// The import in progress, if any, and the flag that cancels a running commit or export.
#[derive(Default)]
pub struct ImportState {
    session: Mutex<Option<ImportSession>>,
    cancel: Arc<AtomicBool>,
}

fn session_lock(state: &AppState) -> ApiResult<std::sync::MutexGuard<'_, Option<ImportSession>>> {
    state
        .import
        .session
        .lock()
        .map_err(|_| ApiError::new(ErrorCode::Internal, "import session lock poisoned"))
}

fn no_session() -> ApiError {
    ApiError::new(
        ErrorCode::ImportSessionUnknown,
        "no file is open for import",
    )
}

/// Asks for the export to import; `None` when the officer cancels.
async fn ask_which(app: &AppHandle, title: &str) -> ApiResult<Option<PathBuf>> {
    let mut dialog = app
        .dialog()
        .file()
        .set_title(title)
        .add_filter("Excel / CSV", &["xlsx", "xls", "csv"]);
    if let Some(window) = app.get_webview_window("main") {
        dialog = dialog.set_parent(&window);
    }
    if let Some(dir) = app.path().download_dir().ok().filter(|d| d.is_dir()) {
        dialog = dialog.set_directory(dir);
    }
    let chosen = tauri::async_runtime::spawn_blocking(move || dialog.blocking_pick_file())
        .await
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("open dialog: {e}")))?;
    Ok(chosen.and_then(|p| p.into_path().ok()))
}

/// Opens an export the officer picks and previews it with the remembered or recognised
/// columns; `None` when they cancel the dialog.
#[tauri::command]
pub async fn import_open(
    app: AppHandle,
    state: State<'_, AppState>,
    title: String,
    on_progress: Channel<ImportProgress>,
) -> ApiResult<Option<ImportPreview>> {
    let Some(path) = ask_which(&app, &title).await? else {
        return Ok(None);
    };
    let cancel = state.import.cancel.clone();
    cancel.store(false, Ordering::Relaxed);
    let mut session = tauri::async_runtime::spawn_blocking(move || ImportSession::open(&path))
        .await
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("reading the file: {e}")))??;
    let preview = with_store(&state, |s| {
        let progress = &mut |p| {
            let _ = on_progress.send(p);
        };
        session.preview_until(s, None, now_beijing(), progress, &cancel)
    })?;
    // Cancelled while the file was read: the officer has left; keep nothing.
    if cancel.load(Ordering::Relaxed) {
        return Err(ApiError::new(
            ErrorCode::ImportCancelled,
            "the import was cancelled",
        ));
    }
    *session_lock(&state)? = Some(session);
    Ok(Some(preview))
}

/// Previews the open file again with the officer's column mapping.
#[tauri::command]
pub async fn import_remap(
    state: State<'_, AppState>,
    columns: Vec<ColumnMap>,
    on_progress: Channel<ImportProgress>,
) -> ApiResult<ImportPreview> {
    let mut guard = session_lock(&state)?;
    let session = guard.as_mut().ok_or_else(no_session)?;
    let cancel = state.import.cancel.clone();
    cancel.store(false, Ordering::Relaxed);
    with_store(&state, |s| {
        let progress = &mut |p| {
            let _ = on_progress.send(p);
        };
        session.preview_until(s, Some(&columns), now_beijing(), progress, &cancel)
    })
}

/// Writes what the last preview showed, reporting progress; all or nothing.
#[tauri::command]
pub async fn import_commit(
    state: State<'_, AppState>,
    options: ImportOptions,
    on_progress: Channel<ImportProgress>,
) -> ApiResult<ImportOutcome> {
    let mut guard = session_lock(&state)?;
    let session = guard.as_mut().ok_or_else(no_session)?;
    let cancel = state.import.cancel.clone();
    cancel.store(false, Ordering::Relaxed);
    let outcome = with_store_logging(&state, |s| {
        session.commit(
            s,
            &options,
            now_beijing(),
            &mut |p| {
                let _ = on_progress.send(p);
            },
            &cancel,
        )
    })?;
    *guard = None;
    Ok(outcome)
}

/// Cancels the running check, commit or export; nothing is written.
#[tauri::command]
pub fn import_cancel(state: State<'_, AppState>) {
    state.import.cancel.store(true, Ordering::Relaxed);
}

/// Closes the open file without importing it.
#[tauri::command]
pub async fn import_close(state: State<'_, AppState>) -> ApiResult<()> {
    *session_lock(&state)? = None;
    Ok(())
}

/// Exports every ticket the backlog's filters match to xlsx in the 12345 layout; returns
/// where it went, or `None` when the officer cancels the dialog.
#[tauri::command]
pub async fn export_backlog(
    app: AppHandle,
    state: State<'_, AppState>,
    query: BacklogQuery,
    title: String,
    file_name: String,
    on_progress: Channel<ExportProgress>,
) -> ApiResult<Option<String>> {
    let Some(path) = ask_where(&app, &title, file_name, "xlsx").await? else {
        return Ok(None);
    };
    let cancel = state.import.cancel.clone();
    cancel.store(false, Ordering::Relaxed);
    let n = with_store(&state, |s| {
        let street = s.street_name()?.unwrap_or_default();
        let heading = format!("{street}{title} {}", now_beijing().format("%Y-%m-%d %H:%M"));
        streetdesk_intake::export::export_backlog(
            s,
            &query,
            &path,
            heading.trim(),
            &mut |done, total| {
                let _ = on_progress.send(ExportProgress { done, total });
            },
            &cancel,
        )
    })?;
    tracing::info!(tickets = n, "backlog exported");
    Ok(Some(path.display().to_string()))
}
