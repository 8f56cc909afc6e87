//! Propagation: a change made on one device, until another device that waits on the hub has
//! it in its store. Both run the app's own background loop.

use crate::bench::io_err;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use streetdesk_core::dto::{BacklogQuery, SyncState, SyncStatus};
use streetdesk_core::error::ApiResult;
use streetdesk_core::TicketEvent;
use streetdesk_store::Store;
use streetdesk_sync::agent::{AgentOptions, SyncAgent};
use tokio::sync::watch;

/// Waits (at most 60 s) until `ok` holds of the status.
async fn until(
    rx: &mut watch::Receiver<SyncStatus>,
    ok: impl Fn(&SyncStatus) -> bool,
) -> ApiResult<()> {
    let wait = async {
        while !ok(&rx.borrow_and_update()) {
            if rx.changed().await.is_err() {
                break;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(60), wait)
        .await
        .map_err(|_| io_err(format!("sync stalled: {:?}", rx.borrow())))
}

/// Times `samples` changes from `from` to `to`, both already linked and caught up.
pub(super) async fn measure(
    from: Arc<Mutex<Store>>,
    to: Arc<Mutex<Store>>,
    samples: usize,
) -> ApiResult<Vec<Duration>> {
    let (writer, task) = SyncAgent::new(from.clone(), AgentOptions::default());
    tokio::spawn(task);
    let (reader, task) = SyncAgent::new(to, AgentOptions::default());
    tokio::spawn(task);
    let mut writer_rx = writer.subscribe();
    let mut reader_rx = reader.subscribe();
    let idle = |s: &SyncStatus| s.state == SyncState::Online && s.pending == 0;
    until(&mut writer_rx, idle).await?;
    until(&mut reader_rx, idle).await?;

    let ticket = {
        let store = from.lock().expect("lock");
        store.backlog(&BacklogQuery::default())?.rows[0].id.clone()
    };
    let mut times = Vec::with_capacity(samples);
    for i in 0..samples {
        let before = reader_rx.borrow_and_update().received;
        let started = Instant::now();
        from.lock().expect("lock").record(
            &ticket,
            TicketEvent::Tagged {
                tag: format!("p{i}"),
            },
        )?;
        writer.nudge();
        until(&mut reader_rx, |s| s.received > before).await?;
        times.push(started.elapsed());
        // Let both loops settle back into waiting, as between an officer's clicks.
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(times)
}
