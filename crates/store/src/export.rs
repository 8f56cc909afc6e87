//! A filtered backlog, whole, with what an export sheet shows beyond the backlog row: the
//! reply, the callback and the milestones. Callers stay masked.

use crate::{storage_err, Store};
use rusqlite::OptionalExtension;
use std::sync::atomic::{AtomicBool, Ordering};
use streetdesk_core::dto::{BacklogQuery, TicketRow};
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_core::ticket::Callback;

/// One ticket of an export.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportedTicket {
    /// The backlog row (caller masked).
    pub row: TicketRow,
    /// The latest reply.
    pub reply: Option<String>,
    /// The callback's result.
    pub callback: Option<Callback>,
    /// First signed for, Unix ms.
    pub signed_ms: Option<i64>,
    /// First contact with the caller, Unix ms.
    pub contacted_ms: Option<i64>,
    /// First reply, Unix ms.
    pub replied_ms: Option<i64>,
    /// Map position (lat, lng), where known.
    pub position: Option<(f64, f64)>,
}

/// Rows fetched per page while exporting.
const PAGE: u32 = 500;

impl Store {
    /// Every ticket the query matches, in its order. `progress` gets (done, total) after each
    /// page; `cancel` stops between pages with `import.cancelled`.
    pub fn export_tickets(
        &self,
        query: &BacklogQuery,
        progress: &mut dyn FnMut(u32, u32),
        cancel: &AtomicBool,
    ) -> ApiResult<Vec<ExportedTicket>> {
        let total = self.backlog_count(query)?;
        let mut q = BacklogQuery {
            after: None,
            limit: PAGE,
            ..query.clone()
        };
        let mut out = Vec::with_capacity(total as usize);
        let mut extra = self
            .conn
            .prepare_cached(
                "SELECT reply, callback, signed_ms, contacted_ms, replied_ms, lat, lng
                 FROM tickets WHERE id = ?1",
            )
            .map_err(storage_err)?;
        loop {
            if cancel.load(Ordering::Relaxed) {
                return Err(ApiError::new(
                    ErrorCode::ImportCancelled,
                    "the export was cancelled",
                ));
            }
            let page = self.backlog(&q)?;
            for row in page.rows {
                let found = extra
                    .query_row([&row.id], |r| {
                        let callback: Option<String> = r.get(1)?;
                        let lat: Option<f64> = r.get(5)?;
                        let lng: Option<f64> = r.get(6)?;
                        Ok(ExportedTicket {
                            row: row.clone(),
                            reply: r.get(0)?,
                            callback: callback.and_then(|c| serde_json::from_str(&c).ok()),
                            signed_ms: r.get(2)?,
                            contacted_ms: r.get(3)?,
                            replied_ms: r.get(4)?,
                            position: lat.zip(lng),
                        })
                    })
                    .optional()
                    .map_err(storage_err)?;
                out.extend(found);
            }
            progress(out.len() as u32, total.max(out.len() as u32));
            match page.next {
                Some(next) => q.after = Some(next),
                None => break,
            }
        }
        Ok(out)
    }
}
