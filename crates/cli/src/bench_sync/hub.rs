//! The hub under test: the real `streetdesk-hub` binary, as its own process.

use crate::bench::io_err;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};

/// A running `streetdesk-hub serve` on a free loopback port.
pub(super) struct HubProcess {
    child: Child,
    binary: PathBuf,
    db: PathBuf,
    /// Its base URL.
    pub(super) url: String,
}

/// `streetdesk-hub` beside this program, where `cargo build -p streetdesk-hub` puts it.
fn sibling_binary() -> ApiResult<PathBuf> {
    let me = std::env::current_exe().map_err(io_err)?;
    let name = format!("streetdesk-hub{}", std::env::consts::EXE_SUFFIX);
    Ok(me.with_file_name(name))
}

impl HubProcess {
    /// Starts the hub over a fresh database `db`.
    pub(super) fn start(binary: Option<&Path>, db: &Path) -> ApiResult<HubProcess> {
        let binary = match binary {
            Some(b) => b.to_owned(),
            None => sibling_binary()?,
        };
        if !binary.exists() {
            return Err(ApiError::new(
                ErrorCode::InvalidArgument,
                format!(
                    "no hub at {}: build it with `cargo build --release -p streetdesk-hub`, or pass --hub",
                    binary.display()
                ),
            ));
        }
        let mut child = Command::new(&binary)
            .arg("--db")
            .arg(db)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .spawn()
            .map_err(io_err)?;
        let mut line = String::new();
        let stdout = child.stdout.take().expect("piped");
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(io_err)?;
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .ok_or_else(|| io_err(format!("the hub said {line:?}")))?
            .to_owned();
        Ok(HubProcess {
            child,
            binary,
            db: db.to_owned(),
            url,
        })
    }

    /// Its process id.
    pub(super) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// A one-time enrolment code for an office device.
    pub(super) fn code(&self, name: &str) -> ApiResult<String> {
        let out = Command::new(&self.binary)
            .arg("--db")
            .arg(&self.db)
            .args(["code", "--name", name])
            .output()
            .map_err(io_err)?;
        if !out.status.success() {
            return Err(io_err(String::from_utf8_lossy(&out.stderr)));
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    }

    /// Stops it.
    pub(super) fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
