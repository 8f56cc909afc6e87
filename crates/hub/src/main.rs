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
    /// Serve devices: over HTTPS when given a certificate and its key, else plain HTTP
    /// (loopback, or a LAN behind a TLS proxy).
    Serve {
        /// Address to listen on (`0.0.0.0:8730` for the LAN); port 0 picks a free one (the
        /// first line printed names it).
        #[arg(long, default_value = "127.0.0.1:8730")]
        listen: String,
        /// The certificate chain (PEM) to serve HTTPS with.
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The certificate's private key (PEM).
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
    },
    /// Make a self-signed certificate for the hub, for a street intranet without a CA: devices
    /// paste the certificate file when they link.
    Certificate {
        /// The names devices reach the hub by: IP addresses or host names.
        #[arg(long = "host", required = true)]
        hosts: Vec<String>,
        /// Directory to write `hub-cert.pem` and `hub-key.pem` into.
        #[arg(long, default_value = ".")]
        out: PathBuf,
        /// Replace an existing certificate (every linked device must then be given the new
        /// one).
        #[arg(long)]
        force: bool,
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

fn io(e: std::io::Error) -> ApiError {
    ApiError::new(streetdesk_core::ErrorCode::Internal, e.to_string())
}

async fn serve(
    ledger: Ledger,
    listen: &str,
    tls: Option<(PathBuf, PathBuf)>,
) -> Result<(), ApiError> {
    let state = HubState::new(ledger);
    let Some((cert, key)) = tls else {
        let listener = tokio::net::TcpListener::bind(listen).await.map_err(io)?;
        // Tests and scripts read the address from this first line.
        println!("listening on http://{}", listener.local_addr().map_err(io)?);
        return axum::serve(listener, router(state))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(io);
    };
    // ring, the provider the rest of the workspace already uses through reqwest.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(&cert, &key)
        .await
        .map_err(|e| {
            io(std::io::Error::new(
                e.kind(),
                format!("{}: {e}", cert.display()),
            ))
        })?;
    let listener = std::net::TcpListener::bind(listen).map_err(io)?;
    listener.set_nonblocking(true).map_err(io)?;
    println!(
        "listening on https://{}",
        listener.local_addr().map_err(io)?
    );
    let handle = axum_server::Handle::new();
    let stop = handle.clone();
    tokio::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        stop.graceful_shutdown(None);
    });
    axum_server::from_tcp_rustls(listener, config)
        .handle(handle)
        .serve(router(state).into_make_service())
        .await
        .map_err(io)
}

/// Writes a self-signed certificate for `hosts` and its key into `out`.
fn certificate(hosts: Vec<String>, out: &std::path::Path, force: bool) -> Result<(), ApiError> {
    let cert_path = out.join("hub-cert.pem");
    let key_path = out.join("hub-key.pem");
    if !force && (cert_path.exists() || key_path.exists()) {
        return Err(ApiError::new(
            streetdesk_core::ErrorCode::InvalidArgument,
            format!(
                "{} already holds a hub certificate; linked devices trust it. Pass --force to replace it",
                out.display()
            ),
        ));
    }
    let bad = |e: rcgen::Error| {
        ApiError::new(
            streetdesk_core::ErrorCode::InvalidArgument,
            format!("certificate: {e}"),
        )
    };
    let rcgen::CertifiedKey { cert, key_pair } =
        rcgen::generate_simple_self_signed(hosts).map_err(bad)?;
    std::fs::create_dir_all(out).map_err(io)?;
    std::fs::write(&cert_path, cert.pem()).map_err(io)?;
    write_private(&key_path, &key_pair.serialize_pem()).map_err(io)?;
    println!("{}", cert_path.display());
    println!("{}", key_path.display());
    Ok(())
}

/// Writes a file only its owner may read.
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    // The mode above applies only to a new file; an old one keeps its own.
    #[cfg(unix)]
    file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    file.write_all(text.as_bytes())
}

fn run(cli: Cli) -> Result<(), ApiError> {
    // The only command that needs no database.
    if let Command::Certificate { hosts, out, force } = cli.command {
        return certificate(hosts, &out, force);
    }
    let mut ledger = Ledger::open(&cli.db)?;
    match cli.command {
        Command::Serve {
            listen,
            tls_cert,
            tls_key,
        } => tokio::runtime::Runtime::new().map_err(io)?.block_on(serve(
            ledger,
            &listen,
            tls_cert.zip(tls_key),
        )),
        Command::Certificate { .. } => unreachable!("handled before the database opens"),
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
