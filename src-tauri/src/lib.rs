//! The StreetDesk desktop app: a thin Tauri shell. Commands call the engine
//! (`streetdesk-store`); all domain logic lives in the crates under `crates/`.

mod commands;
mod fonts;
mod governance_commands;
mod import_commands;
mod launch;
mod logging;
mod stats_commands;
mod sync_commands;
mod whistle_commands;

use std::sync::{Arc, Mutex};
use streetdesk_store::{Store, DB_FILE};
use streetdesk_sync::agent::{AgentOptions, SyncAgent};
use tauri::Manager;

/// What every command reaches through Tauri's managed state.
pub struct AppState {
    /// Shared with the sync loop, which locks it only between network calls.
    store: Arc<Mutex<Store>>,
    data_dir: std::path::PathBuf,
    sync: SyncAgent,
    import: import_commands::ImportState,
    /// The view asked for at launch.
    start_view: streetdesk_core::dto::AppView,
    /// When `run` began, for the start-up time in the log.
    launched: std::time::Instant,
    /// Set once the first view has painted (the backlog and the workbench: with their tickets).
    painted: std::sync::atomic::AtomicBool,
    /// The installed Chinese fonts, for the UI's font stack.
    fonts: fonts::ChineseFonts,
}

/// Starts the app.
pub fn run() {
    let launched = std::time::Instant::now();
    launch::choose_renderer();
    let fonts = fonts::ChineseFonts::look_up();
    let options = launch::LaunchOptions::from_env_and_args(std::env::args().skip(1));
    tauri::Builder::default()
        // Desktop notifications for departments overdue to report in.
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            let dirs = launch::resolve_dirs(&options, app.handle())?;
            logging::init(&dirs.log_dir)?;
            tracing::info!(version = env!("CARGO_PKG_VERSION"), "StreetDesk starting");
            if !options.ignored.is_empty() {
                tracing::warn!(arguments = ?options.ignored, "command-line arguments ignored");
            }
            std::fs::create_dir_all(&dirs.data_dir)?;
            let mut store = Store::open(&dirs.data_dir.join(DB_FILE))?;
            launch::prepare_street(&mut store, options.demo)?;
            let store = Arc::new(Mutex::new(store));
            let (sync, task) = SyncAgent::new(store.clone(), AgentOptions::default());
            tauri::async_runtime::spawn(task);
            app.manage(AppState {
                store,
                data_dir: dirs.data_dir,
                sync,
                import: Default::default(),
                start_view: options.view,
                launched,
                painted: Default::default(),
                fonts,
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::app_start,
            commands::startup_painted,
            commands::list_communities,
            commands::backlog,
            commands::backlog_facets,
            commands::ticket_detail,
            commands::register_ticket,
            commands::reveal_caller,
            commands::record_action,
            commands::get_settings,
            commands::save_policies,
            commands::save_calendar_notice,
            commands::backlog_count,
            commands::record_bulk,
            commands::get_profile,
            commands::save_profile,
            whistle_commands::list_whistles,
            whistle_commands::whistle_detail,
            whistle_commands::blow_whistle,
            whistle_commands::record_whistle,
            whistle_commands::list_departments,
            whistle_commands::save_department,
            whistle_commands::import_departments,
            whistle_commands::scorecards,
            whistle_commands::set_party_building,
            whistle_commands::get_whistle_settings,
            whistle_commands::save_whistle_settings,
            sync_commands::sync_status,
            sync_commands::watch_sync,
            sync_commands::sync_now,
            sync_commands::sync_link,
            sync_commands::sync_unlink,
            sync_commands::sync_refusals,
            stats_commands::get_rate_formula,
            stats_commands::save_rate_formula,
            stats_commands::statistics,
            stats_commands::export_chart,
            stats_commands::export_report,
            governance_commands::hotspots,
            governance_commands::get_governance_settings,
            governance_commands::save_governance_settings,
            import_commands::import_open,
            import_commands::import_remap,
            import_commands::import_commit,
            import_commands::import_cancel,
            import_commands::import_close,
            import_commands::export_backlog,
        ])
        .run(tauri::generate_context!())
        .expect("error while running StreetDesk");
}
