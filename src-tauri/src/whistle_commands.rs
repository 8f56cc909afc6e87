//! IPC commands of 吹哨报到: the whistle board, the department directory and scorecards.

use crate::commands::{with_store, with_store_logging};
use crate::AppState;
use streetdesk_core::dto::{
    Department, DirectoryImport, NewWhistle, WhistleDetail, WhistleQuery, WhistleRow,
    WhistleSettings,
};
use streetdesk_core::error::ApiResult;
use streetdesk_core::scorecard::Scorecard;
use streetdesk_core::whistle::WhistleEvent;
use tauri::State;

/// Whistles for the board, newest first.
#[tauri::command]
pub async fn list_whistles(
    state: State<'_, AppState>,
    query: WhistleQuery,
) -> ApiResult<Vec<WhistleRow>> {
    with_store(&state, |s| s.whistles(&query))
}

/// A whistle with its timeline.
#[tauri::command]
pub async fn whistle_detail(state: State<'_, AppState>, id: String) -> ApiResult<WhistleDetail> {
    with_store(&state, |s| s.whistle_detail(&id))
}

/// Blows a whistle, from tickets or from scratch.
#[tauri::command]
pub async fn blow_whistle(
    state: State<'_, AppState>,
    whistle: NewWhistle,
) -> ApiResult<WhistleDetail> {
    with_store_logging(&state, |s| s.blow_whistle(&whistle))
}

/// Records a department's step, the closure or a rating.
#[tauri::command]
pub async fn record_whistle(
    state: State<'_, AppState>,
    id: String,
    step: WhistleEvent,
) -> ApiResult<WhistleDetail> {
    with_store_logging(&state, |s| s.record_whistle(&id, step))
}

/// The department directory.
#[tauri::command]
pub async fn list_departments(state: State<'_, AppState>) -> ApiResult<Vec<Department>> {
    with_store(&state, |s| s.departments())
}

/// Adds (empty id) or edits a department.
#[tauri::command]
pub async fn save_department(
    state: State<'_, AppState>,
    department: Department,
) -> ApiResult<Department> {
    with_store(&state, |s| s.save_department(&department))
}

/// Merges a directory file the officer picked (CSV or xlsx), all or nothing.
#[tauri::command]
pub async fn import_departments(
    state: State<'_, AppState>,
    name: String,
    bytes: Vec<u8>,
) -> ApiResult<DirectoryImport> {
    let rows = streetdesk_intake::departments::departments_from_bytes(&name, bytes)?;
    with_store(&state, |s| {
        let (added, updated) = s.merge_departments(&rows)?;
        Ok(DirectoryImport { added, updated })
    })
}

/// Every department's scorecard for a month (`YYYY-MM`).
#[tauri::command]
pub async fn scorecards(state: State<'_, AppState>, month: String) -> ApiResult<Vec<Scorecard>> {
    with_store(&state, |s| s.scorecards(&month))
}

/// Enters or clears a department's party-building mark; returns its new scorecard.
#[tauri::command]
pub async fn set_party_building(
    state: State<'_, AppState>,
    department: String,
    month: String,
    score: Option<f64>,
) -> ApiResult<Scorecard> {
    with_store(&state, |s| {
        s.set_party_building(&department, &month, score)?;
        s.department_scorecard(&department, &month)
    })
}

/// The whistle and scorecard settings.
#[tauri::command]
pub async fn get_whistle_settings(state: State<'_, AppState>) -> ApiResult<WhistleSettings> {
    with_store(&state, |s| s.whistle_settings())
}

/// Saves the whistle and scorecard settings.
#[tauri::command]
pub async fn save_whistle_settings(
    state: State<'_, AppState>,
    settings: WhistleSettings,
) -> ApiResult<WhistleSettings> {
    with_store(&state, |s| s.set_whistle_settings(&settings))
}
