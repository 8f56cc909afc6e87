//! Proactive governance commands: the hotspots of the current window and the thresholds that
//! define them. A hotspot becomes a case through `register_ticket` (with its tickets as
//! `related`) or a whistle through `blow_whistle`: the same validated paths as by hand.

use crate::commands::with_store;
use crate::AppState;
use streetdesk_core::error::ApiResult;
use streetdesk_core::governance::GovernanceSettings;
use streetdesk_core::hotspot::Hotspot;
use streetdesk_core::time::now_beijing;
use tauri::State;

/// The hotspots of the window that ends now.
#[tauri::command]
pub async fn hotspots(state: State<'_, AppState>) -> ApiResult<Vec<Hotspot>> {
    with_store(&state, |s| s.hotspots(now_beijing().timestamp_millis()))
}

/// The thresholds of hotspots and repeat complaints.
#[tauri::command]
pub async fn get_governance_settings(state: State<'_, AppState>) -> ApiResult<GovernanceSettings> {
    with_store(&state, |s| s.governance_settings())
}

/// Saves them; each must lie in its range.
#[tauri::command]
pub async fn save_governance_settings(
    state: State<'_, AppState>,
    settings: GovernanceSettings,
) -> ApiResult<GovernanceSettings> {
    with_store(&state, |s| s.set_governance_settings(&settings))
}
