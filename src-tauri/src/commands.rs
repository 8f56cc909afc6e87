//! IPC commands. Each is a one-liner over the store; errors cross as `{code, message}`.
//! `async` so SQLite work never blocks the window's event loop.

use crate::AppState;
use streetdesk_core::dto::{
    AppInfo, AppStart, AppView, BacklogFacets, BacklogPage, BacklogQuery, BulkOutcome, Community,
    NewTicket, PolicyForm, Profile, RevealedCaller, Settings, TicketDetail,
};
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_core::taxonomy::CATEGORIES;
use streetdesk_core::TicketEvent;
use streetdesk_store::Store;
use tauri::State;

/// Runs `f` on the store; a failure is logged by its code only (messages may quote input).
pub(crate) fn with_store<T>(
    state: &AppState,
    f: impl FnOnce(&mut Store) -> ApiResult<T>,
) -> ApiResult<T> {
    // Waiting for the lock (sync may hold it for a pull batch) must not stall the runtime.
    streetdesk_sync::cycle::blocking(|| {
        let mut store = state
            .store
            .lock()
            .map_err(|_| ApiError::new(ErrorCode::Internal, "store lock poisoned"))?;
        f(&mut store).inspect_err(|e| tracing::warn!(code = %e.code.as_str(), "command failed"))
    })
}

/// Like [`with_store`] for commands that log events: the sync loop hears of them at once, so
/// the change leaves for the hub without waiting for its timer.
pub(crate) fn with_store_logging<T>(
    state: &AppState,
    f: impl FnOnce(&mut Store) -> ApiResult<T>,
) -> ApiResult<T> {
    let out = with_store(state, f)?;
    state.sync.nudge();
    Ok(out)
}

/// Street name, data directory, device and counts for the title and status bar.
#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> ApiResult<AppInfo> {
    with_store(&state, |s| info(&state, s))
}

fn info(state: &AppState, s: &mut Store) -> ApiResult<AppInfo> {
    Ok(AppInfo {
        street_name: s.street_name()?.unwrap_or_default(),
        data_dir: state.data_dir.display().to_string(),
        device_id: s.device().0.clone(),
        actor: s.actor().to_owned(),
        ticket_count: s.ticket_count()?,
        categories: CATEGORIES.iter().map(|c| (*c).to_owned()).collect(),
    })
}

/// Everything the window's first frame shows, in one round trip. `backlog` is the query the
/// backlog opens with; it is answered only when the window opens on the backlog.
#[tauri::command]
pub async fn app_start(state: State<'_, AppState>, backlog: BacklogQuery) -> ApiResult<AppStart> {
    // Before the store is locked: the first time, this may wait for the font lookup.
    let chinese_fonts = streetdesk_sync::cycle::blocking(|| state.fonts.families());
    with_store(&state, |s| {
        let profile = s.profile()?;
        let view = state.start_view.for_profile(&profile);
        Ok(AppStart {
            info: info(&state, s)?,
            communities: s.communities()?,
            backlog: match view {
                AppView::Backlog => s
                    .backlog(&backlog)
                    .inspect_err(|e| {
                        tracing::warn!(code = %e.code.as_str(), "the start's backlog page failed")
                    })
                    .ok(),
                _ => None,
            },
            view,
            profile,
            chinese_fonts,
        })
    })
}

/// The UI's word that the first view has painted (the backlog and the workbench: with their
/// tickets): the start-up time goes to the log once (`.ci/budgets` reads it; a slow office PC
/// shows up in its log too).
/// `page_ms` and `script_ms` are the paint's and the UI script's start's times since the web
/// page began to load, so the log splits the start into the web view's launch, the script's
/// loading and the first data.
#[tauri::command]
pub fn startup_painted(state: State<'_, AppState>, view: AppView, page_ms: u64, script_ms: u64) {
    if state
        .painted
        .swap(true, std::sync::atomic::Ordering::SeqCst)
    {
        return;
    }
    let unix_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    tracing::info!(
        view = view.name(),
        since_launch_ms = state.launched.elapsed().as_millis(),
        page_ms,
        script_ms,
        unix_ms,
        "first view painted"
    );
}

/// The street's communities.
#[tauri::command]
pub async fn list_communities(state: State<'_, AppState>) -> ApiResult<Vec<Community>> {
    with_store(&state, |s| s.communities())
}

/// One page of the backlog.
#[tauri::command]
pub async fn backlog(state: State<'_, AppState>, query: BacklogQuery) -> ApiResult<BacklogPage> {
    with_store(&state, |s| s.backlog(&query))
}

/// Facet counts for the filter panel.
#[tauri::command]
pub async fn backlog_facets(
    state: State<'_, AppState>,
    query: BacklogQuery,
) -> ApiResult<BacklogFacets> {
    with_store(&state, |s| s.backlog_facets(&query))
}

/// A ticket with its timeline.
#[tauri::command]
pub async fn ticket_detail(state: State<'_, AppState>, id: String) -> ApiResult<TicketDetail> {
    with_store(&state, |s| s.ticket_detail(&id))
}

/// Registers a new ticket.
#[tauri::command]
pub async fn register_ticket(
    state: State<'_, AppState>,
    input: NewTicket,
) -> ApiResult<TicketDetail> {
    with_store_logging(&state, |s| s.register_ticket(&input))
}

/// Reveals (and audits the reveal of) a ticket's caller.
#[tauri::command]
pub async fn reveal_caller(state: State<'_, AppState>, id: String) -> ApiResult<RevealedCaller> {
    with_store(&state, |s| s.reveal_caller(&id))
}

/// Records a workflow action (sign-for, reply, callback…) on a ticket.
#[tauri::command]
pub async fn record_action(
    state: State<'_, AppState>,
    id: String,
    action: TicketEvent,
) -> ApiResult<TicketDetail> {
    with_store_logging(&state, |s| s.record(&id, action))
}

/// Time-limit policies and holiday notices, for the settings view.
#[tauri::command]
pub async fn get_settings(state: State<'_, AppState>) -> ApiResult<Settings> {
    with_store(&state, |s| Ok(s.settings()))
}

/// Saves the time-limit policies; every deadline is recomputed.
#[tauri::command]
pub async fn save_policies(state: State<'_, AppState>, form: PolicyForm) -> ApiResult<Settings> {
    with_store(&state, |s| {
        s.set_policies(form.to_policies()?)?;
        Ok(s.settings())
    })
}

/// Puts a year's holiday notice in force; running deadlines are recomputed.
#[tauri::command]
pub async fn save_calendar_notice(
    state: State<'_, AppState>,
    year: i32,
    text: String,
) -> ApiResult<Settings> {
    with_store(&state, |s| {
        s.set_calendar_notice(year, &text)?;
        Ok(s.settings())
    })
}

/// The number of tickets a backlog query matches (workbench tiles).
#[tauri::command]
pub async fn backlog_count(state: State<'_, AppState>, query: BacklogQuery) -> ApiResult<u32> {
    with_store(&state, |s| s.backlog_count(&query))
}

/// Records one action on many tickets; reports those whose state did not allow it.
#[tauri::command]
pub async fn record_bulk(
    state: State<'_, AppState>,
    ids: Vec<String>,
    action: TicketEvent,
) -> ApiResult<BulkOutcome> {
    with_store_logging(&state, |s| s.record_bulk(&ids, action))
}

/// Who uses this installation.
#[tauri::command]
pub async fn get_profile(state: State<'_, AppState>) -> ApiResult<Profile> {
    with_store(&state, |s| s.profile())
}

/// Saves who uses this installation.
#[tauri::command]
pub async fn save_profile(state: State<'_, AppState>, profile: Profile) -> ApiResult<Profile> {
    with_store(&state, |s| s.set_profile(&profile))
}
