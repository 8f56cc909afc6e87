//! Importing 12345 export rows: each becomes a new ticket, or events that move a known one
//! (matched by its hotline number) on. All rows go in one transaction, so a failure or a
//! cancel leaves the store exactly as it was.

use crate::log::{after_all, append_in, heads, ticket_events};
use crate::{set_setting, setting, storage_err, Store};
use chrono::{DateTime, FixedOffset};
use rusqlite::{Connection, OptionalExtension};
use std::sync::atomic::{AtomicBool, Ordering};
use streetdesk_core::dto::{ImportPhase, ImportProgress, ImportSource, RowVerdict};
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_core::hotline::{changes, plan, HotlineRecord, Planned};
use streetdesk_core::ticket::{fold, Callback, TicketStatus};
use streetdesk_core::{Event, EventId, Hlc, TicketId};

/// The settings key of the remembered column mappings.
const SOURCES: &str = "import_sources";

/// Tickets per write batch inside the import's transaction: progress and cancel points.
const CHUNK: usize = 10_000;

/// Rows between progress reports while checking.
const REPORT_EVERY: usize = 1_000;

/// What planning one record found.
struct Planning {
    verdict: RowVerdict,
    ticket: TicketId,
    /// The ticket's last events and HLC, for a known ticket.
    after: Option<(Vec<EventId>, Hlc)>,
    steps: Vec<Planned>,
}

/// A ticket the street already has, as far as deciding whether a row changes it needs.
struct Known {
    id: String,
    status: TicketStatus,
    contacted: bool,
    callback: Option<Callback>,
    tags: Vec<String>,
}

fn known_ticket(conn: &Connection, hotline_no: &str) -> ApiResult<Option<Known>> {
    let row = conn
        .prepare_cached(
            "SELECT id, status, contacted_ms IS NOT NULL, tags, callback FROM tickets
             WHERE hotline_no = ?1 ORDER BY pos LIMIT 1",
        )
        .and_then(|mut s| {
            s.query_row([hotline_no], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })
            .optional()
        })
        .map_err(storage_err)?;
    row.map(|(id, status, contacted, tags, callback)| {
        Ok(Known {
            id,
            status: TicketStatus::parse(&status).ok_or_else(|| storage_err("unknown status"))?,
            contacted,
            callback: callback
                .map(|c| serde_json::from_str(&c))
                .transpose()
                .map_err(storage_err)?,
            tags: serde_json::from_str(&tags).map_err(storage_err)?,
        })
    })
    .transpose()
}

fn plan_one(
    conn: &Connection,
    record: &HotlineRecord,
    now: DateTime<FixedOffset>,
) -> ApiResult<Planning> {
    match known_ticket(conn, record.hotline_no())? {
        None => Ok(Planning {
            verdict: RowVerdict::New,
            ticket: TicketId::new(),
            after: None,
            steps: plan(None, record, now),
        }),
        Some(known)
            if !changes(
                record,
                known.status,
                known.contacted,
                known.callback,
                &known.tags,
            ) =>
        {
            Ok(Planning {
                verdict: RowVerdict::Unchanged,
                ticket: TicketId(known.id),
                after: None,
                steps: Vec::new(),
            })
        }
        Some(Known { id, .. }) => {
            let events = ticket_events(conn, &id)?;
            let ticket = fold(&events).ok_or_else(|| {
                ApiError::new(
                    ErrorCode::Internal,
                    "a projected ticket has no registration",
                )
            })?;
            let steps = plan(Some(&ticket), record, now);
            let verdict = if steps.is_empty() {
                RowVerdict::Unchanged
            } else {
                RowVerdict::Updated
            };
            Ok(Planning {
                verdict,
                ticket: TicketId(id),
                after: Some((heads(&events), ticket.updated)),
                steps,
            })
        }
    }
}

impl Store {
    /// What importing each record would do; writes nothing. `cancel` stops it with
    /// `import.cancelled`.
    pub fn hotline_verdicts(
        &self,
        records: &[&HotlineRecord],
        now: DateTime<FixedOffset>,
        progress: &mut dyn FnMut(ImportProgress),
        cancel: &AtomicBool,
    ) -> ApiResult<Vec<RowVerdict>> {
        // Checking reads every row's ticket: bulk work, like the import itself.
        self.size_cache(true)?;
        let out = self.verdicts_now(records, now, progress, cancel);
        self.size_cache(self.bulk)?;
        out
    }

    fn verdicts_now(
        &self,
        records: &[&HotlineRecord],
        now: DateTime<FixedOffset>,
        progress: &mut dyn FnMut(ImportProgress),
        cancel: &AtomicBool,
    ) -> ApiResult<Vec<RowVerdict>> {
        let total = records.len() as u32;
        records
            .iter()
            .enumerate()
            .map(|(i, r)| {
                if i % REPORT_EVERY == 0 {
                    if cancel.load(Ordering::Relaxed) {
                        return Err(cancelled());
                    }
                    progress(ImportProgress {
                        phase: ImportPhase::Checking,
                        done: i as u32,
                        total,
                    });
                }
                plan_one(&self.conn, r, now).map(|p| p.verdict)
            })
            .collect()
    }

    /// Imports the records in one transaction, in batches so that progress is reported and
    /// `cancel` is honoured between them, and remembers the mapping `remember` in the same
    /// transaction. Returns each record's verdict and the number of events written. On any
    /// error, or when cancelled (`import.cancelled`), nothing is written.
    pub fn import_hotline(
        &mut self,
        records: &[&HotlineRecord],
        now: DateTime<FixedOffset>,
        remember: Option<&ImportSource>,
        progress: &mut dyn FnMut(ImportProgress),
        cancel: &AtomicBool,
    ) -> ApiResult<(Vec<RowVerdict>, u32)> {
        self.with_bulk_cache(|s| s.import_now(records, now, remember, progress, cancel))
    }

    fn import_now(
        &mut self,
        records: &[&HotlineRecord],
        now: DateTime<FixedOffset>,
        remember: Option<&ImportSource>,
        progress: &mut dyn FnMut(ImportProgress),
        cancel: &AtomicBool,
    ) -> ApiResult<(Vec<RowVerdict>, u32)> {
        let remembered = remember
            .map(|source| self.sources_with(source))
            .transpose()?;
        let total = records.len() as u32;
        let device = self.device.clone();
        let actor = self.actor.clone();
        let tx = self.conn.transaction().map_err(storage_err)?;
        let mut verdicts = Vec::with_capacity(records.len());
        let mut written = 0u32;
        let mut newest = Hlc(0);
        let mut entries = Vec::new();
        for (n, chunk) in records.chunks(CHUNK).enumerate() {
            if cancel.load(Ordering::Relaxed) {
                return Err(cancelled());
            }
            progress(ImportProgress {
                phase: ImportPhase::Writing,
                done: (n * CHUNK) as u32,
                total,
            });
            let mut events = Vec::new();
            for record in chunk {
                let p = plan_one(&tx, record, now)?;
                verdicts.push(p.verdict);
                stamp(&p, &device, &actor, &mut events);
            }
            written += events.len() as u32;
            if let Some(max) = events.iter().map(|e| e.hlc).max() {
                newest = newest.max(max);
            }
            let (_, chunk_entries) = append_in(&tx, &self.rules, &events)?;
            entries.extend(chunk_entries);
        }
        if cancel.load(Ordering::Relaxed) {
            return Err(cancelled());
        }
        if let Some(all) = &remembered {
            set_setting(&tx, SOURCES, all)?;
        }
        tx.commit().map_err(storage_err)?;
        self.observe(newest);
        self.after_ticket_write(&entries);
        progress(ImportProgress {
            phase: ImportPhase::Done,
            done: total,
            total,
        });
        tracing::info!(
            rows = records.len(),
            events = written,
            "12345 export imported"
        );
        Ok((verdicts, written))
    }

    /// The remembered column mappings, by name.
    pub fn import_sources(&self) -> ApiResult<Vec<ImportSource>> {
        setting(&self.conn, SOURCES)
    }

    /// Remembers a mapping under its name, replacing one of the same name.
    pub fn remember_import_source(&mut self, source: &ImportSource) -> ApiResult<()> {
        let all = self.sources_with(source)?;
        set_setting(&self.conn, SOURCES, &all)
    }

    /// The remembered mappings with `source` put first (replacing one of its name), once it
    /// is checked: a name of 1 to 40 characters and at least one column.
    fn sources_with(&self, source: &ImportSource) -> ApiResult<Vec<ImportSource>> {
        let name = source.name.trim();
        if name.is_empty() || name.chars().count() > 40 || source.columns.is_empty() {
            return Err(ApiError::new(
                ErrorCode::ImportMappingInvalid,
                "a remembered mapping has a name of 1 to 40 characters and at least one column",
            ));
        }
        let mut all = self.import_sources()?;
        all.retain(|s| s.name != name);
        all.insert(
            0,
            ImportSource {
                name: name.to_owned(),
                columns: source.columns.clone(),
            },
        );
        Ok(all)
    }
}

fn cancelled() -> ApiError {
    ApiError::new(ErrorCode::ImportCancelled, "the import was cancelled")
}

/// The planned steps as events: each after the one before it (and after the ticket's
/// events, for a known ticket), naming it as its head.
fn stamp(p: &Planning, device: &streetdesk_core::DeviceId, actor: &str, out: &mut Vec<Event>) {
    let (mut heads, mut last) = p.after.clone().unwrap_or((Vec::new(), Hlc(0)));
    for step in &p.steps {
        let hlc = after_all(
            Hlc::new(step.at.timestamp_millis(), 0),
            std::iter::once(last),
        );
        let e = Event {
            id: EventId::new(),
            ticket_id: p.ticket.clone(),
            hlc,
            device: device.clone(),
            actor: actor.to_owned(),
            heads: std::mem::take(&mut heads),
            body: step.body.clone(),
        };
        heads = vec![e.id.clone()];
        last = hlc;
        out.push(e);
    }
}
