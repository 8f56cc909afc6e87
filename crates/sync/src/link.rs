//! Linking a device to a hub: the officer enters the hub's address and the one-time code an
//! administrator created; the device exchanges the code for its token and keeps the link.

use crate::client::HubClient;
use crate::cycle::lock;
use crate::protocol::Role;
use std::sync::Mutex;
use streetdesk_core::dto::{Profile, SyncLinkForm};
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_store::{Store, SyncLink};

/// Enrols this device with the hub in `form` and saves the link. A liaison's device also
/// switches the installation to liaison mode for its department, when the directory has it.
pub async fn link(store: &Mutex<Store>, form: &SyncLinkForm) -> ApiResult<SyncLink> {
    let code = form.code.trim();
    if code.is_empty() {
        return Err(ApiError::new(
            ErrorCode::SyncCodeInvalid,
            "the enrolment code is empty",
        ));
    }
    let pem = Some(form.certificate_pem.as_str()).filter(|p| !p.trim().is_empty());
    let client = HubClient::trusting(&form.hub_url, None, pem)?;
    // Reachable, and speaking our protocol, before the code is spent.
    client.hello().await?;
    let device = lock(store).device().clone();
    let name = Some(form.device_name.trim())
        .filter(|n| !n.is_empty())
        .map_or_else(|| format!("device {}", &device.0), str::to_owned);
    let enrolled = client.enrol(code, &device, &name).await?;
    let department = match enrolled.role {
        Role::Office => None,
        Role::Liaison { department } => Some(department),
    };
    let link = SyncLink {
        hub_url: form.hub_url.trim().trim_end_matches('/').to_owned(),
        token: enrolled.token,
        department: department.clone(),
        certificate_pem: pem.map(str::to_owned),
    };
    let mut store = lock(store);
    store.set_sync_link(&link)?;
    if let Some(department) = department {
        if store.departments()?.iter().any(|d| d.id == department) {
            let profile = store.profile()?;
            store.set_profile(&Profile {
                liaison_department: Some(department),
                ..profile
            })?;
        }
    }
    Ok(link)
}
