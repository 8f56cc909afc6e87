//! Logs go to a daily file through `tracing`. Personal data never reaches them: callers'
//! names and phones are `Personal` values whose `Debug`/`Display` print a mask, and no log
//! call names them.

use std::path::Path;
use tracing_subscriber::EnvFilter;

/// Starts writing logs to `dir/streetdesk.log.<date>`; level from `STREETDESK_LOG` (default info).
pub fn init(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let appender = tracing_appender::rolling::daily(dir, "streetdesk.log");
    let filter = EnvFilter::try_from_env("STREETDESK_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,tao=warn,wry=warn"));
    // Ignore "already set": a second init (tests) keeps the first subscriber.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(appender)
        .with_ansi(false)
        .try_init();
    Ok(())
}
