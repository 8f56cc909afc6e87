//! The background sync loop an app runs: one per store, so two rounds never interleave.
//!
//! It syncs at start-up, after every local write it is nudged about, on demand, whenever the
//! hub pokes (another device pushed), and on a timer. Unreachable, it retries with a growing
//! pause, which is how a laptop that comes back online reconnects without anyone asking.
//! Every change of state is published on a watch channel for the status bar.

use crate::client::HubClient;
use crate::cycle::{lock, now_ms, sync_once, SyncReport};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use streetdesk_core::dto::{SyncState, SyncStatus};
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_store::Store;
use tokio::sync::{watch, Notify};

/// How often the loop syncs when nothing else makes it, and how it backs off.
#[derive(Clone, Debug)]
pub struct AgentOptions {
    /// A round at least this often while online, even without news.
    pub timer: Duration,
    /// The first pause after a failed round; it doubles up to `max_backoff`.
    pub min_backoff: Duration,
    /// The longest pause between attempts while the hub is unreachable.
    pub max_backoff: Duration,
    /// Events per push and per pull page.
    pub page: usize,
}

impl Default for AgentOptions {
    fn default() -> Self {
        AgentOptions {
            timer: Duration::from_secs(60),
            min_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(30),
            page: 1_000,
        }
    }
}

/// A handle on the running loop.
#[derive(Clone)]
pub struct SyncAgent {
    wake: Arc<Notify>,
    status: watch::Receiver<SyncStatus>,
}

impl SyncAgent {
    /// Makes the loop for `store`; the caller spawns the returned future on its runtime.
    pub fn new(
        store: Arc<Mutex<Store>>,
        options: AgentOptions,
    ) -> (SyncAgent, impl Future<Output = ()> + Send + 'static) {
        let pending = lock(&store).pending_count().unwrap_or(0);
        let (tx, rx) = watch::channel(SyncStatus::unlinked(pending));
        let wake = Arc::new(Notify::new());
        let task = run(store, wake.clone(), tx, options);
        (SyncAgent { wake, status: rx }, task)
    }

    /// Asks for a round soon: after a local write, a new link, or the officer's "sync now".
    /// Nudges during a round are kept, so a write made meanwhile is pushed right after it.
    pub fn nudge(&self) {
        self.wake.notify_one();
    }

    /// The status as of now.
    pub fn status(&self) -> SyncStatus {
        self.status.borrow().clone()
    }

    /// A receiver that sees every change of status.
    pub fn subscribe(&self) -> watch::Receiver<SyncStatus> {
        self.status.clone()
    }
}

/// What the loop remembers between rounds.
struct Loop {
    store: Arc<Mutex<Store>>,
    tx: watch::Sender<SyncStatus>,
    status: SyncStatus,
}

impl Loop {
    fn publish(&mut self, state: SyncState) {
        self.status.state = state;
        let store = lock(&self.store);
        self.status.pending = store.pending_count().unwrap_or(self.status.pending);
        self.status.refused = store.sync_refusals().map_or(0, |r| r.len() as u32);
        drop(store);
        self.tx.send_replace(self.status.clone());
    }

    fn succeeded(&mut self, report: &SyncReport) -> ApiResult<()> {
        if !report.refused.is_empty() {
            let refused: Vec<(String, String)> = report
                .refused
                .iter()
                .map(|r| {
                    let id = r.id.as_ref().map_or_else(String::new, |id| id.0.clone());
                    (id, r.reason.clone().unwrap_or_default())
                })
                .collect();
            lock(&self.store).record_refusals(&refused, now_ms())?;
        }
        self.status.last_sync_ms = Some(now_ms());
        self.status.clock_skew_ms = Some(report.clock_skew_ms);
        self.status.last_error = None;
        self.status.received += report.pulled as u64;
        self.publish(SyncState::Online);
        Ok(())
    }

    fn failed(&mut self, error: ApiError) {
        let state = if error.code == ErrorCode::SyncOffline {
            SyncState::Offline
        } else {
            SyncState::Failed
        };
        tracing::info!(code = %error.code.as_str(), "sync round failed");
        self.status.last_error = Some(error);
        self.publish(state);
    }
}

async fn run(
    store: Arc<Mutex<Store>>,
    wake: Arc<Notify>,
    tx: watch::Sender<SyncStatus>,
    options: AgentOptions,
) {
    let status = tx.borrow().clone();
    let mut me = Loop { store, tx, status };
    let mut backoff = options.min_backoff;
    loop {
        let link = lock(&me.store).sync_link();
        let link = match link {
            Ok(link) => link,
            Err(e) => {
                me.failed(e);
                pause(&wake, backoff).await;
                continue;
            }
        };
        let Some(link) = link else {
            me.status = SyncStatus::unlinked(me.status.pending);
            me.publish(SyncState::Unlinked);
            wake.notified().await;
            continue;
        };
        if me.status.hub_url.as_deref() != Some(link.hub_url.as_str()) {
            me.status = SyncStatus::unlinked(me.status.pending);
            me.status.hub_url = Some(link.hub_url.clone());
        }
        me.status.department = link.department.clone();
        me.publish(SyncState::Syncing);
        let round = match HubClient::for_link(&link) {
            Ok(client) => sync_once(&me.store, &client, options.page)
                .await
                .map(|report| (client, report)),
            Err(e) => Err(e),
        };
        match round.and_then(|(client, report)| me.succeeded(&report).map(|()| client)) {
            Ok(client) => {
                backoff = options.min_backoff;
                let cursor = lock(&me.store).sync_cursor().unwrap_or(0);
                // Whichever comes first: a nudge, news from the hub, or the timer (which also
                // notices a hub restored from a backup, whose feed stays below our cursor).
                tokio::select! {
                    () = wake.notified() => {}
                    () = news(&client, cursor, backoff) => {}
                    () = tokio::time::sleep(options.timer) => {}
                }
            }
            Err(e) => {
                me.failed(e);
                pause(&wake, backoff).await;
                backoff = (backoff * 2).min(options.max_backoff);
            }
        }
    }
}

/// Long-polls until the hub has something past `cursor`. A poll that ends without news polls
/// again; one that fails (the hub went away, or a proxy answers for it) returns after a
/// pause, and the next round finds out what is wrong.
async fn news(client: &HubClient, cursor: u64, pause: Duration) {
    loop {
        match client.wait(cursor).await {
            Ok(poke) if poke.high > cursor => return,
            Ok(_) => {}
            Err(_) => {
                tokio::time::sleep(pause).await;
                return;
            }
        }
    }
}

/// Waits out a backoff, or less if nudged.
async fn pause(wake: &Notify, backoff: Duration) {
    tokio::select! {
        () = wake.notified() => {}
        () = tokio::time::sleep(backoff) => {}
    }
}
