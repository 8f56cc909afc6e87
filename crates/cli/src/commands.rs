//! The subcommands' work; each returns the same result as text and as JSON.

use crate::{Command, ListArgs};
use serde_json::{json, Value};
use std::io::Write;
use std::path::Path;
use streetdesk_core::calendar::WorkCalendar;
use streetdesk_core::deadline::{due, Limit};
use streetdesk_core::dto::{BacklogQuery, BacklogSort, TicketRow};
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_core::ticket::Callback;
use streetdesk_core::time::{now_beijing, parse_beijing, rfc3339};
use streetdesk_core::wire::wire_name;
use streetdesk_core::TicketEvent;
use streetdesk_demo::DemoOptions;
use streetdesk_store::Store;

/// A result, both ways.
pub struct Output {
    /// For people.
    pub text: String,
    /// For scripts.
    pub json: Value,
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::InvalidArgument, message)
}

fn open(db: &Path) -> ApiResult<Store> {
    Store::open(db)
}

fn optional<T: serde::de::DeserializeOwned>(
    flag: &str,
    v: &Option<String>,
) -> ApiResult<Option<T>> {
    v.as_deref()
        .map(|v| parse_word(&format!("--{flag}"), v))
        .transpose()
}

/// The backlog query the filters of `list` (and `export`) describe.
pub fn query_of(a: &ListArgs) -> ApiResult<BacklogQuery> {
    Ok(BacklogQuery {
        status: optional("status", &a.status)?,
        kind: optional("kind", &a.kind)?,
        source: optional("source", &a.source)?,
        warning: optional("warning", &a.warning)?,
        community_id: a.community.clone(),
        grid: a.grid.clone(),
        category: a.category.clone(),
        assignee: a.assignee.clone(),
        tag: a.tag.clone(),
        supervised: a.supervised.then_some(true),
        received_from: a.from.clone(),
        received_to: a.to.clone(),
        search: a.search.clone(),
        sort: Some(BacklogSort {
            key: parse_word("--sort", &a.sort)?,
            descending: !a.asc,
        }),
        limit: a.limit,
        ..Default::default()
    })
}

fn list(a: &ListArgs) -> ApiResult<Output> {
    let query = query_of(a)?;
    let store = open(&a.db)?;
    let page = store.backlog(&query)?;
    let total = store.backlog_facets(&query)?.total;
    let text = std::iter::once(format!("{total} tickets match"))
        .chain(page.rows.iter().map(row_line))
        .collect::<Vec<_>>()
        .join("\n");
    let mut json = serde_json::to_value(&page).map_err(internal)?;
    json["total"] = json!(total);
    Ok(Output { text, json })
}

/// Runs one subcommand.
pub fn run(cmd: &Command) -> ApiResult<Output> {
    match cmd {
        Command::Deadline { from, limit } => {
            let received = parse_beijing(from)
                .ok_or_else(|| invalid(format!("--from {from:?} is not an RFC 3339 time")))?;
            let limit: Limit = limit
                .parse()
                .map_err(|e| invalid(format!("--limit: {e}")))?;
            let at = rfc3339(due(received, limit, &WorkCalendar::builtin()));
            Ok(Output {
                text: at.clone(),
                json: json!({"from": rfc3339(received), "limit": limit.to_string(), "due": at}),
            })
        }
        Command::Demo {
            db,
            tickets,
            days,
            seed,
            batch,
            acks,
            append,
        } => {
            let mut store = open(db)?;
            if !append && store.ticket_count()? > 0 {
                return Err(invalid(format!("{} already holds tickets", db.display())));
            }
            let opts = DemoOptions {
                tickets: *tickets,
                days: *days,
                seed: *seed,
            };
            let batch = if *batch == 0 { usize::MAX } else { *batch };
            let mut out = std::io::stdout().lock();
            streetdesk_demo::populate_in_batches(&mut store, opts, now_beijing(), batch, |done| {
                if *acks {
                    let ids: Vec<&str> = done.iter().map(|e| e.id.0.as_str()).collect();
                    writeln!(out, "ack {}", ids.join(","))
                        .and_then(|_| out.flush())
                        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("stdout: {e}")))?;
                }
                Ok(())
            })?;
            let (t, e) = (store.ticket_count()?, store.event_count()?);
            Ok(Output {
                text: format!("created the demo street: {t} tickets, {e} events"),
                json: json!({"tickets": t, "events": e}),
            })
        }
        Command::List(args) => list(args),
        Command::Bench(args) => crate::bench::run(args),
        Command::BenchSync(args) => crate::bench_sync::run(args),
        Command::Stats(args) => crate::stats::run(args),
        Command::Report(args) => crate::report::run_report(args),
        Command::Import(args) => crate::import::run_import(args),
        Command::Export(args) => crate::import::run_export(args),
        Command::Chart(args) => crate::report::run_chart(args),
        Command::Show { db, id } => {
            let d = open(db)?.ticket_detail(id)?;
            let mut text = vec![
                row_line(&d.row),
                format!(
                    "  {} · {} · {}",
                    d.row.category, d.row.community_name, d.row.address
                ),
                format!("  {}", d.row.content),
            ];
            text.extend(d.timeline.iter().map(|e| {
                let ty = wire_name(&e.event_type);
                format!(
                    "  {}  {:<18} {}  {}",
                    e.at,
                    ty,
                    e.actor,
                    e.detail.as_deref().unwrap_or("")
                )
            }));
            Ok(Output {
                text: text.join("\n"),
                json: serde_json::to_value(&d).map_err(internal)?,
            })
        }
        Command::Callback {
            db,
            id,
            contacted,
            resolution,
            satisfaction,
        } => {
            let contacted = match contacted.as_str() {
                "yes" | "true" => true,
                "no" | "false" => false,
                other => return Err(invalid(format!("--contacted {other:?} is not yes or no"))),
            };
            let callback = Callback {
                contacted,
                resolution: parse_word("--resolution", resolution)?,
                satisfaction: parse_word("--satisfaction", satisfaction)?,
            };
            let d = open(db)?.record(id, TicketEvent::CallbackRecorded(callback))?;
            Ok(Output {
                text: format!("{}: {}", d.row.id, d.row.status.as_str()),
                json: serde_json::to_value(&d).map_err(internal)?,
            })
        }
        Command::Check { db } => {
            let mut store = open(db)?;
            store.integrity_check()?;
            let before = store.projection_snapshot()?;
            store.rebuild_projections()?;
            let same = store.projection_snapshot()? == before;
            if !same {
                return Err(ApiError::new(
                    ErrorCode::StorageFailed,
                    "projections differed from a rebuild (now rebuilt)",
                ));
            }
            let (t, e) = (store.ticket_count()?, store.event_count()?);
            Ok(Output {
                text: format!(
                    "ok: integrity check passed; {t} tickets from {e} events match a rebuild"
                ),
                json: json!({"integrity": "ok", "projectionsMatch": true, "tickets": t, "events": e}),
            })
        }
    }
}

/// Reads a snake_case enum word (`partly`, `not_rated`…) as the option's value.
fn parse_word<T: serde::de::DeserializeOwned>(option: &str, word: &str) -> ApiResult<T> {
    serde_json::from_value(Value::String(word.to_owned()))
        .map_err(|_| invalid(format!("{option} {word:?} is not one of the allowed words")))
}

fn internal(e: serde_json::Error) -> ApiError {
    ApiError::new(ErrorCode::Internal, e.to_string())
}

fn row_line(r: &TicketRow) -> String {
    let content: String = r.content.chars().take(24).collect();
    format!(
        "{}  {:<14} {}  {:<17} {}  {} {}  {}",
        r.id,
        r.hotline_no.as_deref().unwrap_or("-"),
        &r.received_at[..16],
        r.status.as_str(),
        r.community_name,
        r.caller_name_masked,
        r.caller_phone_masked,
        content
    )
}
