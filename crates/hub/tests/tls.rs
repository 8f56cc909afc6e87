//! The hub over HTTPS with a self-signed certificate made by `streetdesk-hub certificate`:
//! a device that was given the certificate links and syncs; one that was not is told the
//! certificate is untrusted (not that the hub is offline).

mod support;

use std::process::Command;
use std::sync::Mutex;
use streetdesk_core::dto::SyncLinkForm;
use streetdesk_core::error::ErrorCode;
use streetdesk_store::{Store, DB_FILE};
use streetdesk_sync::client::HubClient;
use streetdesk_sync::cycle::sync_once;
use streetdesk_sync::link::link;
use support::{hub_binary, street_store, Hub};

fn device(dir: &std::path::Path, tickets: usize) -> Mutex<Store> {
    Mutex::new(street_store(&dir.join(DB_FILE), tickets, 3))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_with_the_certificate_syncs_over_https() {
    let dir = tempfile::tempdir().unwrap();
    let certs = dir.path().join("certs");
    let out = Command::new(hub_binary())
        .args([
            "certificate",
            "--host",
            "127.0.0.1",
            "--host",
            "localhost",
            "--out",
        ])
        .arg(&certs)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (cert, key) = (certs.join("hub-cert.pem"), certs.join("hub-key.pem"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the key is readable by others: {mode:o}");
    }
    // Made again, it would strand every linked device: refused unless forced.
    let again = |force: bool| {
        let mut cmd = Command::new(hub_binary());
        cmd.args(["certificate", "--host", "127.0.0.1", "--out"])
            .arg(&certs);
        if force {
            cmd.arg("--force");
        }
        cmd.output().unwrap()
    };
    let refused = again(false);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));
    assert!(again(true).status.success());
    let hub = Hub::start_with(
        &dir.path().join("hub.sqlite3"),
        &[
            "--listen",
            "127.0.0.1:0",
            "--tls-cert",
            cert.to_str().unwrap(),
            "--tls-key",
            key.to_str().unwrap(),
        ],
    );
    assert!(hub.url.starts_with("https://127.0.0.1:"), "{}", hub.url);
    let pem = std::fs::read_to_string(&cert).unwrap();
    let form = |code: String, pem: &str| SyncLinkForm {
        hub_url: hub.url.clone(),
        code,
        device_name: "laptop".into(),
        certificate_pem: pem.into(),
    };

    // Without the certificate the device is told exactly that, and keeps no link.
    let a_dir = tempfile::tempdir().unwrap();
    let a = device(a_dir.path(), 12);
    let err = link(&a, &form(hub.code("a", None), "")).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::SyncCertificateUntrusted, "{err:?}");
    assert!(a.lock().unwrap().sync_link().unwrap().is_none());
    // Plain HTTP to the HTTPS port does not get through either.
    let plain = HubClient::new(&hub.url.replace("https://", "http://"), None).unwrap();
    assert!(plain.hello().await.is_err());

    // With it, two devices link and converge over TLS.
    let a_link = link(&a, &form(hub.code("a", None), &pem)).await.unwrap();
    let b_dir = tempfile::tempdir().unwrap();
    let b = device(b_dir.path(), 0);
    let b_link = link(&b, &form(hub.code("b", None), &pem)).await.unwrap();
    let pushed = sync_once(&a, &HubClient::for_link(&a_link).unwrap(), 500)
        .await
        .unwrap();
    assert!(pushed.accepted > 50, "{pushed:?}");
    let pulled = sync_once(&b, &HubClient::for_link(&b_link).unwrap(), 500)
        .await
        .unwrap();
    assert_eq!(pulled.pulled, pushed.accepted);
    assert_eq!(
        a.lock().unwrap().event_ids().unwrap(),
        b.lock().unwrap().event_ids().unwrap()
    );
    assert_eq!(
        a.lock().unwrap().projection_snapshot().unwrap(),
        b.lock().unwrap().projection_snapshot().unwrap()
    );
}
