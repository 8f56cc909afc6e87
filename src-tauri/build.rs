fn main() {
    // Listing the commands generates an `allow-<command>` permission for each, so a
    // capability must grant every command a window may call (nothing is allowed by default).
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(streetdesk_commands())),
    )
    .expect("tauri build script failed");
}

fn streetdesk_commands() -> &'static [&'static str] {
    &[
        "app_info",
        "app_start",
        "startup_painted",
        "list_communities",
        "backlog",
        "backlog_facets",
        "ticket_detail",
        "register_ticket",
        "reveal_caller",
        "record_action",
        "get_settings",
        "save_policies",
        "save_calendar_notice",
        "backlog_count",
        "record_bulk",
        "get_profile",
        "save_profile",
        "list_whistles",
        "whistle_detail",
        "blow_whistle",
        "record_whistle",
        "list_departments",
        "save_department",
        "import_departments",
        "scorecards",
        "set_party_building",
        "get_whistle_settings",
        "save_whistle_settings",
        "sync_status",
        "watch_sync",
        "sync_now",
        "sync_link",
        "sync_unlink",
        "sync_refusals",
        "get_rate_formula",
        "save_rate_formula",
        "statistics",
        "export_chart",
        "export_report",
        "hotspots",
        "get_governance_settings",
        "save_governance_settings",
        "import_open",
        "import_remap",
        "import_commit",
        "import_cancel",
        "import_close",
        "export_backlog",
    ]
}
