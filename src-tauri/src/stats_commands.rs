//! Statistics commands: the dashboard with its charts, their export, the monthly report, and
//! the settings of the rate formula. Exports ask where to save in a native dialog opened
//! here, so the webview never names a path on disk.

use crate::commands::with_store;
use crate::AppState;
use std::path::PathBuf;
use streetdesk_charts::labels::{text, Msg};
use streetdesk_charts::{image, render, report};
use streetdesk_core::dashboard::{month_period, Dashboard};
use streetdesk_core::dto::{ChartKind, ChartRequest, ImageFormat, Lang, ReportFormat, Statistics};
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_core::kpi::RateFormula;
use tauri::{AppHandle, Manager, State};
use tauri_plugin_dialog::DialogExt;

/// The shares and weights of 响应率, 解决率, 满意率 and the composite.
#[tauri::command]
pub async fn get_rate_formula(state: State<'_, AppState>) -> ApiResult<RateFormula> {
    with_store(&state, |s| s.rate_formula())
}

/// Saves them; weights must add up to 1.
#[tauri::command]
pub async fn save_rate_formula(
    state: State<'_, AppState>,
    formula: RateFormula,
) -> ApiResult<RateFormula> {
    with_store(&state, |s| s.set_rate_formula(&formula))
}

fn dashboard(state: &AppState, from: &str, to: &str) -> ApiResult<Dashboard> {
    with_store(state, |s| s.dashboard(from, to))
}

/// The dashboard of a period and its charts, laid out at the size the view asks for.
#[tauri::command]
pub async fn statistics(
    state: State<'_, AppState>,
    request: ChartRequest,
) -> ApiResult<Statistics> {
    let d = dashboard(&state, &request.from, &request.to)?;
    let charts = ChartKind::ALL
        .iter()
        .map(|k| render(*k, &d, request.lang, (request.width, request.height), false))
        .collect();
    Ok(Statistics {
        dashboard: d,
        charts,
    })
}

/// Asks the officer where to save; `None` when they cancel. The extension is added when the
/// name was typed without it.
pub(crate) async fn ask_where(
    app: &AppHandle,
    title: &str,
    file_name: String,
    extension: &'static str,
) -> ApiResult<Option<PathBuf>> {
    let mut dialog = app
        .dialog()
        .file()
        .set_title(title)
        .set_file_name(file_name)
        .add_filter(extension.to_uppercase(), &[extension]);
    // Modal to the main window, so it cannot hide behind it or open twice.
    if let Some(window) = app.get_webview_window("main") {
        dialog = dialog.set_parent(&window);
    }
    // Reports belong with the officer's documents, not wherever the app was started from.
    if let Some(dir) = app.path().document_dir().ok().filter(|d| d.is_dir()) {
        dialog = dialog.set_directory(dir);
    }
    let chosen = tauri::async_runtime::spawn_blocking(move || dialog.blocking_save_file())
        .await
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("save dialog: {e}")))?;
    let Some(path) = chosen.and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    Ok(Some(if path.extension().is_some() {
        path
    } else {
        path.with_extension(extension)
    }))
}

/// Exports one chart as SVG or PNG (twice the size, for print); returns where it went.
#[tauri::command]
pub async fn export_chart(
    app: AppHandle,
    state: State<'_, AppState>,
    request: ChartRequest,
    kind: ChartKind,
    format: ImageFormat,
) -> ApiResult<Option<String>> {
    let title = match kind {
        ChartKind::Trend => Msg::TrendTitle,
        ChartKind::Communities => Msg::CommunitiesTitle,
        ChartKind::ResponseTimes => Msg::ResponseTitle,
        ChartKind::Heat => Msg::HeatTitle,
    };
    let extension = format.extension();
    let name = format!(
        "{} {}–{}.{extension}",
        text(request.lang, title),
        request.from,
        request.to
    );
    let save = text(request.lang, Msg::SaveChart);
    let Some(path) = ask_where(&app, save, name, extension).await? else {
        return Ok(None);
    };
    let d = dashboard(&state, &request.from, &request.to)?;
    let chart = render(
        kind,
        &d,
        request.lang,
        (request.width, request.height),
        true,
    );
    let bytes = image(chart, format)?;
    report::write_file(&path, &bytes)?;
    Ok(Some(path.display().to_string()))
}

/// Exports the monthly report (`month` is YYYY-MM); returns where it went.
#[tauri::command]
pub async fn export_report(
    app: AppHandle,
    state: State<'_, AppState>,
    month: String,
    format: ReportFormat,
    lang: Lang,
) -> ApiResult<Option<String>> {
    let (from, to) = month_period(&month)?;
    let extension = format.extension();
    let street = with_store(&state, |s| s.street_name())?.unwrap_or_default();
    // The street's name is typed by people; keep it from naming another folder.
    let street: String = street
        .chars()
        .map(|c| if r#"/\:*?"<>|"#.contains(c) { '_' } else { c })
        .collect();
    let name = match lang {
        Lang::ZhCn => format!("{street}{month}{}.{extension}", text(lang, Msg::ReportFile)),
        Lang::En => format!("{}-{month}.{extension}", text(lang, Msg::ReportFile)),
    };
    let save = text(lang, Msg::SaveReport);
    let Some(path) = ask_where(&app, save, name, extension).await? else {
        return Ok(None);
    };
    let d = dashboard(&state, &from, &to)?;
    let bytes = report::render(&d, format, lang, &street)?;
    report::write_file(&path, &bytes)?;
    tracing::info!(month = %month, tickets = d.street.tickets, "monthly report exported");
    Ok(Some(path.display().to_string()))
}
