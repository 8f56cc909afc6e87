//! `streetdesk-cli stats`: the street's figures for a period, grouped one way.

use crate::commands::Output;
use std::path::PathBuf;
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_core::kpi::{ranking, Dimension, Figures};
use streetdesk_core::time::beijing_day_start_ms;
use streetdesk_store::Store;

/// Options of `stats`.
#[derive(clap::Args, Debug)]
pub struct StatsArgs {
    /// Database file.
    #[arg(long, env = "STREETDESK_DB")]
    pub db: PathBuf,
    /// First day received (YYYY-MM-DD, Beijing).
    #[arg(long)]
    pub from: String,
    /// Last day received, included (YYYY-MM-DD, Beijing).
    #[arg(long)]
    pub to: String,
    /// Group by month, community, category, department, source or kind.
    #[arg(long, default_value = "community")]
    pub by: String,
}

fn invalid(message: String) -> ApiError {
    ApiError::new(ErrorCode::InvalidArgument, message)
}

fn percent(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_owned(), |v| format!("{v:.1}"))
}

fn hours(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_owned(), |v| format!("{v:.1}h"))
}

fn line(rank: Option<u32>, f: &Figures) -> String {
    let key = if f.key.is_empty() { "(none)" } else { &f.key };
    format!(
        "{:>3} {key:<14} {:>6} 响应 {:>5} 解决 {:>5} 满意 {:>5} 综合 {:>5} 按时 {:>5} 签收 {:>7} 反馈 {:>7}",
        rank.map_or_else(String::new, |r| r.to_string()),
        f.tickets,
        percent(f.rates.response),
        percent(f.rates.resolution),
        percent(f.rates.satisfaction),
        percent(f.rates.composite),
        percent(f.on_time.rate),
        hours(f.to_sign.median_h),
        hours(f.to_reply.median_h),
    )
}

/// Runs `stats`.
pub fn run(a: &StatsArgs) -> ApiResult<Output> {
    let by: Dimension =
        serde_json::from_value(serde_json::Value::String(a.by.clone())).map_err(|_| {
            invalid(format!(
                "--by {:?}: month, community, category, department, source or kind",
                a.by
            ))
        })?;
    let day = |d: &str, flag: &str| {
        beijing_day_start_ms(d).ok_or_else(|| invalid(format!("--{flag} {d:?} is not YYYY-MM-DD")))
    };
    let (from, to) = (day(&a.from, "from")?, day(&a.to, "to")? + 86_400_000);
    let store = Store::open(&a.db)?;
    let rows = store.figures(from, to, by, &store.rate_formula()?)?;
    let text = if by == Dimension::Community {
        ranking(&rows)
            .iter()
            .map(|(rank, f)| line(Some(*rank), f))
            .collect::<Vec<_>>()
    } else {
        rows.iter().map(|f| line(None, f)).collect()
    };
    Ok(Output {
        text: text.join("\n"),
        json: serde_json::to_value(&rows)
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?,
    })
}
