//! Sync commands: the status of the background loop, "sync now", linking and unlinking.
//! The loop itself lives in `streetdesk-sync`; these only reach it.

use crate::commands::with_store;
use crate::AppState;
use streetdesk_core::dto::{SyncLinkForm, SyncRefusal, SyncStatus};
use streetdesk_core::error::ApiResult;
use tauri::ipc::Channel;
use tauri::State;

/// The status as of now.
#[tauri::command]
pub async fn sync_status(state: State<'_, AppState>) -> ApiResult<SyncStatus> {
    Ok(state.sync.status())
}

/// Sends every change of status down `channel` until the window goes away.
#[tauri::command]
pub async fn watch_sync(state: State<'_, AppState>, channel: Channel<SyncStatus>) -> ApiResult<()> {
    let mut rx = state.sync.subscribe();
    tauri::async_runtime::spawn(async move {
        loop {
            let status = rx.borrow_and_update().clone();
            if channel.send(status).is_err() || rx.changed().await.is_err() {
                break;
            }
        }
    });
    Ok(())
}

/// Runs a round now (the officer's "sync now"). The status arrives on the watch channel,
/// never as an answer here, so that an answer cannot overwrite a newer status.
#[tauri::command]
pub async fn sync_now(state: State<'_, AppState>) -> ApiResult<()> {
    state.sync.nudge();
    Ok(())
}

/// Enrols this device with a hub; the loop starts syncing with it at once.
#[tauri::command]
pub async fn sync_link(state: State<'_, AppState>, form: SyncLinkForm) -> ApiResult<()> {
    streetdesk_sync::link::link(&state.store, &form)
        .await
        .inspect_err(|e| tracing::warn!(code = %e.code.as_str(), "linking to a hub failed"))?;
    tracing::info!("linked to a hub");
    state.sync.nudge();
    Ok(())
}

/// Forgets the hub; local events stay in the outbox for whichever hub comes next.
#[tauri::command]
pub async fn sync_unlink(state: State<'_, AppState>) -> ApiResult<()> {
    with_store(&state, |s| s.clear_sync_link())?;
    state.sync.nudge();
    Ok(())
}

/// Events of this device that the hub refused.
#[tauri::command]
pub async fn sync_refusals(state: State<'_, AppState>) -> ApiResult<Vec<SyncRefusal>> {
    with_store(&state, |s| s.sync_refusals())
}
