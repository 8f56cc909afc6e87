//! The StreetDesk desktop app: a thin Tauri shell. Commands call the engine
//! (`streetdesk-store`); all domain logic lives in the crates under `crates/`.

mod commands;
mod launch;
mod logging;
mod whistle_commands;

use std::sync::Mutex;
use streetdesk_store::{Store, DB_FILE};
use tauri::Manager;

/// What every command reaches through Tauri's managed state.
pub struct AppState {
    store: Mutex<Store>,
    data_dir: std::path::PathBuf,
}

/// Starts the app.
pub fn run() {
    let options = launch::LaunchOptions::from_env_and_args(std::env::args().skip(1));
    tauri::Builder::default()
        // Desktop notifications for departments overdue to report in.
        .plugin(tauri_plugin_notification::init())
        .setup(move |app| {
            let dirs = launch::resolve_dirs(&options, app.handle())?;
            logging::init(&dirs.log_dir)?;
            tracing::info!(version = env!("CARGO_PKG_VERSION"), "StreetDesk starting");
            std::fs::create_dir_all(&dirs.data_dir)?;
            let mut store = Store::open(&dirs.data_dir.join(DB_FILE))?;
            launch::prepare_street(&mut store, options.demo)?;
            app.manage(AppState {
                store: Mutex::new(store),
                data_dir: dirs.data_dir,
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
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
        ])
        .run(tauri::generate_context!())
        .expect("error while running StreetDesk");
}
