//! `streetdesk-cli report` and `chart`: the monthly report and single charts, headless, from
//! the same dashboard the app shows.

use crate::commands::Output;
use serde_json::json;
use std::path::PathBuf;
use streetdesk_charts::{image, render, report};
use streetdesk_core::dashboard::month_period;
use streetdesk_core::dto::{ChartKind, ImageFormat, Lang, ReportFormat};
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_store::Store;

/// Options of `report`.
#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// Database file.
    #[arg(long, env = "STREETDESK_DB")]
    pub db: PathBuf,
    /// The month, YYYY-MM.
    #[arg(long)]
    pub month: String,
    /// File to write; `.csv` writes CSV, anything else an Excel workbook.
    #[arg(long)]
    pub out: PathBuf,
    /// Language: zh-CN or en.
    #[arg(long, default_value = "zh-CN")]
    pub lang: String,
}

/// Options of `chart`.
#[derive(clap::Args, Debug)]
pub struct ChartArgs {
    /// Database file.
    #[arg(long, env = "STREETDESK_DB")]
    pub db: PathBuf,
    /// trend, communities, response_times or heat.
    #[arg(long)]
    pub kind: String,
    /// First day (YYYY-MM-DD).
    #[arg(long)]
    pub from: String,
    /// Last day, included.
    #[arg(long)]
    pub to: String,
    /// File to write; `.png` writes PNG, anything else SVG.
    #[arg(long)]
    pub out: PathBuf,
    /// Language: zh-CN or en.
    #[arg(long, default_value = "zh-CN")]
    pub lang: String,
    /// Width in pixels.
    #[arg(long, default_value_t = 1000)]
    pub width: u32,
    /// Height in pixels.
    #[arg(long, default_value_t = 480)]
    pub height: u32,
}

fn parse<T: serde::de::DeserializeOwned>(flag: &str, value: &str, expected: &str) -> ApiResult<T> {
    serde_json::from_value(serde_json::Value::String(value.to_owned())).map_err(|_| {
        ApiError::new(
            ErrorCode::InvalidArgument,
            format!("--{flag} {value:?}: {expected}"),
        )
    })
}

fn has_extension(path: &std::path::Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// Runs `report`.
pub fn run_report(a: &ReportArgs) -> ApiResult<Output> {
    let lang: Lang = parse("lang", &a.lang, "zh-CN or en")?;
    let (from, to) = month_period(&a.month)?;
    let format = if has_extension(&a.out, "csv") {
        ReportFormat::Csv
    } else {
        ReportFormat::Xlsx
    };
    let store = Store::open(&a.db)?;
    let d = store.dashboard(&from, &to)?;
    let street = store.street_name()?.unwrap_or_default();
    let bytes = report::render(&d, format, lang, &street)?;
    report::write_file(&a.out, &bytes)?;
    Ok(Output {
        text: format!(
            "{}: {} tickets, {} communities → {} ({} bytes)",
            a.month,
            d.street.tickets,
            d.communities.len(),
            a.out.display(),
            bytes.len()
        ),
        json: json!({ "month": a.month, "tickets": d.street.tickets, "out": a.out, "bytes": bytes.len() }),
    })
}

/// Runs `chart`.
pub fn run_chart(a: &ChartArgs) -> ApiResult<Output> {
    let lang: Lang = parse("lang", &a.lang, "zh-CN or en")?;
    let kind: ChartKind = parse(
        "kind",
        &a.kind,
        "trend, communities, response_times or heat",
    )?;
    let format = if has_extension(&a.out, "png") {
        ImageFormat::Png
    } else {
        ImageFormat::Svg
    };
    let store = Store::open(&a.db)?;
    let d = store.dashboard(&a.from, &a.to)?;
    let chart = render(kind, &d, lang, (a.width, a.height), true);
    let (width, height) = (chart.width, chart.height);
    let bytes = image(chart, format)?;
    report::write_file(&a.out, &bytes)?;
    Ok(Output {
        text: format!("{} ({} bytes)", a.out.display(), bytes.len()),
        json: json!({ "out": a.out, "bytes": bytes.len(), "width": width, "height": height }),
    })
}
