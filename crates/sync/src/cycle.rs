//! One round of sync for a store: push, then pull.

use crate::client::HubClient;
use crate::protocol::{Outcome, OwnHeld, PushResult, MAX_BATCH};
use std::sync::Mutex;
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_store::Store;

/// What one round did.
#[derive(Debug, Default)]
pub struct SyncReport {
    /// Events the hub took for the first time.
    pub accepted: usize,
    /// Events the hub kept aside or could not read (with why).
    pub refused: Vec<PushResult>,
    /// Events pulled that were new here.
    pub pulled: usize,
    /// The hub's clock when the round began (Unix ms), against which to check ours.
    pub hub_now_ms: i64,
    /// This device's clock minus the hub's (ms), read halfway through the greeting.
    pub clock_skew_ms: i64,
}

/// This device's wall clock, Unix milliseconds.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Runs blocking store work (a pull batch takes a good part of a second) so that the async
/// runtime moves its other tasks, the window's commands among them, to other threads first.
/// On a single-threaded runtime it just runs it.
pub fn blocking<T>(work: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current().map(|h| h.runtime_flavor()) {
        Ok(tokio::runtime::RuntimeFlavor::MultiThread) => tokio::task::block_in_place(work),
        _ => work(),
    }
}

/// Locks the store; a panic elsewhere while it was held leaves it usable (SQLite rolled back).
pub(crate) fn lock(store: &Mutex<Store>) -> std::sync::MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(|p| p.into_inner())
}

/// Pushes everything the hub has not answered for, then pulls until the feed is exhausted.
/// The store is locked only between network calls, so the officer keeps working meanwhile.
pub async fn sync_once(
    store: &Mutex<Store>,
    client: &HubClient,
    page_size: usize,
) -> ApiResult<SyncReport> {
    let page_size = page_size.clamp(1, MAX_BATCH);
    let asked = now_ms();
    let hello = client.hello().await?;
    let answered = now_ms();
    let mut report = SyncReport {
        hub_now_ms: hello.now_ms,
        clock_skew_ms: asked + (answered - asked) / 2 - hello.now_ms,
        ..SyncReport::default()
    };
    lock(store).begin_sync(&hello.hub_id)?;
    let cursor = lock(store).sync_cursor()?;
    let (cursor_id, anchor) = lock(store).sync_position()?;
    match client
        .check_position(cursor, cursor_id.as_deref(), anchor.as_deref())
        .await
    {
        Err(e) if e.code == ErrorCode::SyncCursorUnknown => lock(store).restart_sync()?,
        other => other?,
    }
    // Which of our own events we hold: those the hub had acknowledged before this round,
    // and those we push in it (see `OwnHeld`).
    let mut own = OwnHeld {
        own_through: lock(store).sync_position()?.1,
        own_since: None,
    };

    // A liaison's device may write only its own steps: after a restore it must not push
    // again what it pulled from others (the hub would take it for spoofing).
    let own_only = lock(store)
        .sync_link()?
        .is_some_and(|l| l.department.is_some());
    let me = lock(store).device().clone();
    loop {
        let mut page = blocking(|| lock(store).outbox(page_size))?;
        if page.events.is_empty() {
            break;
        }
        if own_only {
            page.events.retain(|e| e.device() == &me);
            if page.events.is_empty() {
                lock(store).acknowledge(&page, None)?;
                continue;
            }
        }
        let response = client.push(&page.events).await?;
        if response.results.len() != page.events.len() {
            return Err(ApiError::new(
                ErrorCode::SyncHubFailed,
                "the hub answered for a different number of events than were pushed",
            ));
        }
        let mut held = None;
        for (r, e) in response.results.into_iter().zip(&page.events) {
            match r.outcome {
                Outcome::Accepted => {
                    report.accepted += 1;
                    if own.own_since.is_none() {
                        own.own_since = Some(e.id().0.clone());
                    }
                }
                Outcome::Duplicate => {}
                Outcome::Quarantined | Outcome::Rejected => {
                    report.refused.push(r);
                    continue;
                }
            }
            held = Some(e.id().0.as_str());
        }
        blocking(|| lock(store).acknowledge(&page, held))?;
    }

    pull_all(store, client, page_size, &own, &mut report).await?;
    Ok(report)
}

/// Most pulled events applied in one transaction: a transaction per page costs a ticket
/// re-fold for every ticket the page continues, and bigger ones would hold more in memory.
const APPLY_BATCH: usize = 20_000;

/// Pulls the feed to its end. The next page is fetched while the last is applied, and pages
/// are applied in batches of up to [`APPLY_BATCH`] events, the cursor moving with each.
async fn pull_all(
    store: &Mutex<Store>,
    client: &HubClient,
    page_size: usize,
    own: &OwnHeld,
    report: &mut SyncReport,
) -> ApiResult<()> {
    let fetch = |after: u64| {
        let client = client.clone();
        let own = own.clone();
        tokio::spawn(async move { client.pull(after, page_size, &own).await })
    };
    let joined = |e: tokio::task::JoinError| {
        ApiError::new(ErrorCode::Internal, format!("pull task failed: {e}"))
    };
    let cursor = lock(store).sync_cursor()?;
    let mut next = Some(fetch(cursor));
    let mut batch = Vec::new();
    while let Some(fetching) = next.take() {
        let page = fetching.await.map_err(joined)??;
        if page.more {
            next = Some(fetch(page.cursor));
        }
        batch.extend(page.events);
        if batch.len() >= APPLY_BATCH || !page.more {
            report.pulled += blocking(|| {
                lock(store).apply_pulled(&batch, page.cursor, page.cursor_id.as_deref())
            })?;
            batch.clear();
        }
    }
    Ok(())
}

/// Waits until the hub has something new for this device (or about half a minute passes),
/// then runs a round. Called in a loop, it shows another PC's change here within moments.
pub async fn wait_then_sync(
    store: &Mutex<Store>,
    client: &HubClient,
    page_size: usize,
) -> ApiResult<Option<SyncReport>> {
    let cursor = lock(store).sync_cursor()?;
    let poke = client.wait(cursor).await?;
    if poke.high <= cursor {
        return Ok(None);
    }
    sync_once(store, client, page_size).await.map(Some)
}
