//! An HTTP client of the hub.

use crate::protocol::{
    EnrolRequest, Enrolled, Hello, OwnHeld, Poke, PullPage, PushResponse, WireError,
    PROTOCOL_HEADER, PROTOCOL_VERSION,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::time::Duration;
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_core::{DeviceId, LogEvent};
use streetdesk_store::SyncLink;

/// How long one ordinary request may take before the hub counts as unreachable.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A client of one hub, as one device.
#[derive(Clone)]
pub struct HubClient {
    base: String,
    token: Option<String>,
    http: reqwest::Client,
}

#[derive(Serialize)]
struct PushBody<'a> {
    events: &'a [LogEvent],
}

fn offline(e: reqwest::Error) -> ApiError {
    // A hub whose certificate this device does not trust is reachable: saying "offline" would
    // send the officer looking at cables. rustls names the problem in the error chain.
    let mut source: Option<&dyn std::error::Error> = Some(&e);
    while let Some(s) = source {
        if s.to_string().contains("invalid peer certificate") {
            return ApiError::new(
                ErrorCode::SyncCertificateUntrusted,
                format!("the hub's certificate is not trusted (unknown, expired or for another name): {s}"),
            );
        }
        source = s.source();
    }
    ApiError::new(ErrorCode::SyncOffline, format!("hub unreachable: {e}"))
}

impl HubClient {
    /// A client of the hub at `base` (e.g. `https://hub.example:8730`), with the device's
    /// token once it has one, trusting the system's root certificates.
    pub fn new(base: &str, token: Option<String>) -> ApiResult<HubClient> {
        Self::trusting(base, token, None)
    }

    /// A client that also trusts `certificate_pem`: a street's hub on an intranet usually has
    /// a self-signed certificate, which the officer pastes in when linking.
    pub fn trusting(
        base: &str,
        token: Option<String>,
        certificate_pem: Option<&str>,
    ) -> ApiResult<HubClient> {
        let mut builder = reqwest::Client::builder().connect_timeout(Duration::from_secs(10));
        if let Some(pem) = certificate_pem.filter(|p| !p.trim().is_empty()) {
            let invalid = |why: String| {
                ApiError::new(
                    ErrorCode::SyncCertificateInvalid,
                    format!("the hub certificate is not a PEM certificate: {why}"),
                )
            };
            let certificates = reqwest::Certificate::from_pem_bundle(pem.as_bytes())
                .map_err(|e| invalid(e.to_string()))?;
            if certificates.is_empty() {
                return Err(invalid("no BEGIN CERTIFICATE block".into()));
            }
            for certificate in certificates {
                builder = builder.add_root_certificate(certificate);
            }
        }
        let base = base.trim().trim_end_matches('/');
        if !(base.starts_with("https://") || base.starts_with("http://")) {
            return Err(ApiError::new(
                ErrorCode::SyncUrlInvalid,
                "the hub address must start with https:// or http://",
            ));
        }
        let http = builder
            .build()
            .map_err(|e| ApiError::new(ErrorCode::Internal, format!("http client: {e}")))?;
        Ok(HubClient {
            base: base.to_owned(),
            token,
            http,
        })
    }

    /// The client for a saved link.
    pub fn for_link(link: &SyncLink) -> ApiResult<HubClient> {
        Self::trusting(
            &link.hub_url,
            Some(link.token.clone()),
            link.certificate_pem.as_deref(),
        )
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let mut r = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
            .timeout(REQUEST_TIMEOUT);
        if let Some(token) = &self.token {
            r = r.bearer_auth(token);
        }
        r
    }

    async fn send<T: DeserializeOwned>(request: reqwest::RequestBuilder) -> ApiResult<T> {
        let response = request.send().await.map_err(offline)?;
        let status = response.status();
        if status.is_success() {
            // It answered, so it is not offline: this is something else at that address (a
            // web page, a proxy), or a hub that broke off mid-answer.
            return response.json().await.map_err(|e| {
                ApiError::new(
                    ErrorCode::SyncHubFailed,
                    format!("the answer is not the hub's: {e}"),
                )
            });
        }
        let wire: Option<WireError> = response.json().await.ok();
        let code = wire
            .as_ref()
            .and_then(|w| serde_json::from_value(serde_json::Value::String(w.code.clone())).ok())
            .unwrap_or(match status.as_u16() {
                401 => ErrorCode::SyncUnauthorized,
                426 => ErrorCode::SyncProtocol,
                _ => ErrorCode::SyncHubFailed,
            });
        let message = wire.map_or_else(|| format!("hub answered {status}"), |w| w.message);
        Err(ApiError::new(code, message))
    }

    /// Who the hub is, and its clock; fails with `sync.protocol` when it speaks another
    /// version than this build.
    pub async fn hello(&self) -> ApiResult<Hello> {
        let hello: Hello = Self::send(self.request(reqwest::Method::GET, "/v1/hello")).await?;
        if hello.protocol != PROTOCOL_VERSION {
            return Err(ApiError::new(
                ErrorCode::SyncProtocol,
                format!(
                    "the hub speaks protocol {}, this app {PROTOCOL_VERSION}",
                    hello.protocol
                ),
            ));
        }
        Ok(hello)
    }

    /// Exchanges a one-time code for this device's token.
    pub async fn enrol(&self, code: &str, device: &DeviceId, name: &str) -> ApiResult<Enrolled> {
        let body = EnrolRequest {
            code: code.to_owned(),
            device: device.clone(),
            name: name.to_owned(),
        };
        Self::send(self.request(reqwest::Method::POST, "/v1/enrol").json(&body)).await
    }

    /// Pushes a batch; the answer comes once the hub has stored it durably.
    pub async fn push(&self, events: &[LogEvent]) -> ApiResult<PushResponse> {
        Self::send(
            self.request(reqwest::Method::POST, "/v1/push")
                .json(&PushBody { events }),
        )
        .await
    }

    /// A page of this device's feed after `after`, without the own events it holds.
    pub async fn pull(&self, after: u64, limit: usize, own: &OwnHeld) -> ApiResult<PullPage> {
        let mut query = vec![("after", after.to_string()), ("limit", limit.to_string())];
        query.extend(own.own_through.clone().map(|id| ("own_through", id)));
        query.extend(own.own_since.clone().map(|id| ("own_since", id)));
        Self::send(self.request(reqwest::Method::GET, "/v1/pull").query(&query)).await
    }

    /// Checks that the hub still holds this device's position: event `after_id` at `after`
    /// in its feed, and event `anchor`. Fails with `sync.cursor.unknown` when it does not
    /// (a hub restored from an older backup).
    pub async fn check_position(
        &self,
        after: u64,
        after_id: Option<&str>,
        anchor: Option<&str>,
    ) -> ApiResult<()> {
        let mut query = vec![("after", after.to_string()), ("limit", "1".to_owned())];
        query.extend(after_id.map(|id| ("after_id", id.to_owned())));
        query.extend(anchor.map(|id| ("anchor", id.to_owned())));
        let request = self.request(reqwest::Method::GET, "/v1/pull").query(&query);
        Self::send::<PullPage>(request).await.map(|_| ())
    }

    /// Waits (up to about half a minute) until the feed grows past `after`.
    pub async fn wait(&self, after: u64) -> ApiResult<Poke> {
        let request = self
            .request(reqwest::Method::GET, "/v1/wait")
            .query(&[("after", after)])
            .timeout(Duration::from_secs(60));
        Self::send(request).await
    }
}
