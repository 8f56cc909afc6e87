//! `streetdesk-hub`: run the sync hub, and administer it on its own machine.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use streetdesk_core::error::ApiError;
use streetdesk_hub::{router, HubState, Ledger};
use streetdesk_sync::protocol::Role;

#[derive(Parser)]
#[command(name = "streetdesk-hub", version, about = "StreetDesk sync hub")]
struct Cli {
    /// The hub's database file (created if missing).
    #[arg(
        long,
        env = "STREETDESK_HUB_DB",
        default_value = "streetdesk-hub.sqlite3"
    )]
    db: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve devices over plain HTTP: on a LAN, put it behind a TLS proxy until the hub
    /// speaks TLS itself.
    Serve {
        /// Address to listen on (`0.0.0.0:8730` for the LAN); port 0 picks a free one (the
        /// first line printed names it).
        #[arg(long, default_value = "127.0.0.1:8730")]
        listen: String,
    },
    /// Create a one-time enrolment code for a device.
    Code {
        /// A name for the device, e.g. 值班室 PC.
        #[arg(long)]
        name: String,
        /// Make it a department liaison's device, for this department id.
        #[arg(long)]
        department: Option<String>,
        /// Hours the code stays valid.
        #[arg(long, default_value_t = 24)]
        hours: i64,
    },
    /// Revoke a device: its token stops working at once.
    Revoke {
        /// The device's id.
        device: String,
    },
    /// List enrolled devices.
    Devices,
    /// List events kept aside (quarantined), oldest first.
    Quarantine,
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

async fn serve(ledger: Ledger, listen: &str) -> Result<(), ApiError> {
    let io = |e: std::io::Error| ApiError::new(streetdesk_core::ErrorCode::Internal, e.to_string());
    let state = HubState::new(ledger);
    let listener = tokio::net::TcpListener::bind(listen).await.map_err(io)?;
    // Tests and scripts read the address from this first line.
    println!("listening on http://{}", listener.local_addr().map_err(io)?);
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(io)
}

fn run(cli: Cli) -> Result<(), ApiError> {
    let mut ledger = Ledger::open(&cli.db)?;
    match cli.command {
        Command::Serve { listen } => tokio::runtime::Runtime::new()
            .map_err(|e| ApiError::new(streetdesk_core::ErrorCode::Internal, e.to_string()))?
            .block_on(serve(ledger, &listen)),
        Command::Code {
            name,
            department,
            hours,
        } => {
            let role = match department {
                Some(department) => Role::Liaison { department },
                None => Role::Office,
            };
            let valid_ms = hours.clamp(1, 24 * 365).saturating_mul(3_600_000);
            let code = ledger.create_code(&name, &role, now_ms() + valid_ms)?;
            println!("{code}");
            Ok(())
        }
        Command::Revoke { device } => {
            if ledger.revoke(&device, now_ms())? {
                println!("revoked {device}");
            } else {
                println!("{device} is not an enrolled, unrevoked device");
            }
            Ok(())
        }
        Command::Devices => {
            for d in ledger.devices()? {
                println!("{}", serde_json::to_string(&d).unwrap_or_default());
            }
            Ok(())
        }
        Command::Quarantine => {
            for q in ledger.quarantined()? {
                println!("{}", serde_json::to_string(&q).unwrap_or_default());
            }
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "error: {} ({})",
                e.message,
                streetdesk_core::wire::wire_name(&e.code)
            );
            ExitCode::FAILURE
        }
    }
}
