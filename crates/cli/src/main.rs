//! `streetdesk-cli`: the same engine as the desktop app, for scripts and administrators.
//! Every subcommand takes `--json`; errors are `{code, message}` on stderr with `--json`.

mod bench;
mod bench_sync;
mod commands;
mod import;
mod report;
mod stats;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use streetdesk_core::error::ApiError;

/// StreetDesk command-line tool.
#[derive(Parser, Debug)]
#[command(
    name = "streetdesk-cli",
    version,
    about = "StreetDesk 街乡接诉即办指挥台 — command line"
)]
pub struct Cli {
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// When a time limit runs out: `--from 2026-02-13T10:00:00+08:00 --limit 7wd`.
    Deadline {
        /// Received time, RFC 3339 (or `YYYY-MM-DD HH:MM`, read as Beijing time).
        #[arg(long)]
        from: String,
        /// `<N>h` (clock hours), `<N>d` (calendar days) or `<N>wd` (working days).
        #[arg(long)]
        limit: String,
    },
    /// Fill a database with the demo street.
    Demo {
        /// Database file (created if missing).
        #[arg(long, env = "STREETDESK_DB")]
        db: PathBuf,
        /// Number of tickets.
        #[arg(long, default_value_t = 2000)]
        tickets: usize,
        /// How many days back the tickets reach.
        #[arg(long, default_value_t = 183)]
        days: i64,
        /// Random seed.
        #[arg(long, default_value_t = 12345)]
        seed: u64,
        /// Commit every this many events (0: all in one transaction).
        #[arg(long, default_value_t = 0)]
        batch: usize,
        /// After each commit, print `ack <id>,<id>,…` with the ids now durable.
        #[arg(long)]
        acks: bool,
        /// Add to a database that already holds tickets.
        #[arg(long)]
        append: bool,
    },
    /// List tickets (newest received first unless `--sort` says otherwise).
    List(Box<ListArgs>),
    /// Show one ticket with its timeline (caller masked).
    Show {
        /// Database file.
        #[arg(long, env = "STREETDESK_DB")]
        db: PathBuf,
        /// Ticket id.
        id: String,
    },
    /// Record the hotline's callback (回访) on a ticket.
    Callback {
        /// Database file.
        #[arg(long, env = "STREETDESK_DB")]
        db: PathBuf,
        /// Ticket id.
        id: String,
        /// Whether the street had contacted the citizen (响应): yes or no.
        #[arg(long)]
        contacted: String,
        /// resolved, partly or unresolved (解决).
        #[arg(long)]
        resolution: String,
        /// satisfied, basically, unsatisfied or not_rated (满意).
        #[arg(long)]
        satisfaction: String,
    },
    /// Measure the engine at scale next to the raw SQLite limit (use a release build).
    Bench(Box<bench::BenchArgs>),
    /// Measure sync: catch-up of a backlog through a real hub on loopback, next to plain
    /// loopback HTTP and plain SQLite, and propagation between two devices (release build;
    /// needs `streetdesk-hub` beside this program).
    BenchSync(Box<bench_sync::SyncBenchArgs>),
    /// The street's figures (three rates, composite, on time, response times) for a period,
    /// by month, community (ranked), category, department, source or kind.
    Stats(stats::StatsArgs),
    /// The monthly report (the statistics view's month) as an Excel workbook or CSV.
    Report(report::ReportArgs),
    /// One chart of the statistics view as SVG or PNG.
    Chart(report::ChartArgs),
    /// Import a 12345 export (xlsx, xls or csv): new tickets, and events on known ones.
    Import(Box<import::ImportArgs>),
    /// Export the tickets `list`'s filters match to xlsx, in the 12345 layout.
    Export(Box<import::ExportArgs>),
    /// Check the database: SQLite integrity and projections equal to a rebuild from events.
    Check {
        /// Database file.
        #[arg(long, env = "STREETDESK_DB")]
        db: PathBuf,
    },
}

/// Filters and order for `list`; each maps to the backlog filter of the same name.
#[derive(clap::Args, Debug)]
pub struct ListArgs {
    /// Database file.
    #[arg(long, env = "STREETDESK_DB")]
    pub db: PathBuf,
    /// Only this state (received, signed, in_progress, objecting, redispatched, replied,
    /// awaiting_callback, callback_recorded, archived).
    #[arg(long)]
    pub status: Option<String>,
    /// Only this kind (consultation, help, complaint, report, suggestion, praise).
    #[arg(long)]
    pub kind: Option<String>,
    /// Only this source (hotline, grid_patrol, proactive, walk_in).
    #[arg(long)]
    pub source: Option<String>,
    /// Only this community id.
    #[arg(long)]
    pub community: Option<String>,
    /// Only this grid code (e.g. c03-02).
    #[arg(long)]
    pub grid: Option<String>,
    /// Only this category or below it (one to three levels joined by `/`).
    #[arg(long)]
    pub category: Option<String>,
    /// Only tickets led by this unit.
    #[arg(long)]
    pub assignee: Option<String>,
    /// Only tickets with this tag.
    #[arg(long)]
    pub tag: Option<String>,
    /// Only tickets under supervision (督办).
    #[arg(long)]
    pub supervised: bool,
    /// Only this deadline warning (red, yellow, green, none).
    #[arg(long)]
    pub warning: Option<String>,
    /// Received on or after this day (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Received on or before this day (YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<String>,
    /// Only tickets whose content, address, reply or hotline number contain every
    /// space-separated term.
    #[arg(long)]
    pub search: Option<String>,
    /// Order by received, deadline or updated.
    #[arg(long, default_value = "received")]
    pub sort: String,
    /// Smallest first (default: largest first).
    #[arg(long)]
    pub asc: bool,
    /// At most this many rows.
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::run(&cli.command) {
        Ok(out) => {
            if cli.json {
                println!("{}", out.json);
            } else {
                println!("{}", out.text);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            report(&e, cli.json);
            ExitCode::FAILURE
        }
    }
}

fn report(e: &ApiError, json: bool) {
    if json {
        eprintln!("{}", serde_json::to_string(e).unwrap_or_default());
    } else {
        eprintln!("error [{}]: {}", e.code.as_str(), e.message);
    }
}
