//! The hub's HTTP API (axum). Handlers are thin: they authenticate, then hand the ledger's
//! blocking SQLite work to a blocking thread.

use crate::ledger::{Device, Ledger};
use axum::extract::{DefaultBodyLimit, FromRequestParts, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use streetdesk_core::error::{ApiError, ErrorCode};
use streetdesk_core::wire::wire_name;
use streetdesk_sync::protocol::{
    EnrolRequest, Enrolled, Hello, OwnHeld, Poke, PullPage, PushRequest, PushResponse, WireError,
    MAX_BATCH, PROTOCOL_HEADER, PROTOCOL_VERSION,
};
use tokio::sync::watch;

/// How long a `wait` is held open when nothing arrives.
const WAIT_FOR: Duration = Duration::from_secs(25);

/// What every handler shares.
#[derive(Clone)]
pub struct HubState {
    ledger: Arc<Mutex<Ledger>>,
    /// The office feed's newest cursor; `wait` wakes when it moves.
    newest: watch::Sender<u64>,
}

impl HubState {
    /// Shares a ledger with the handlers.
    pub fn new(ledger: Ledger) -> HubState {
        HubState {
            ledger: Arc::new(Mutex::new(ledger)),
            newest: watch::Sender::new(0),
        }
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Ledger) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, HttpError> {
        let ledger = self.ledger.clone();
        tokio::task::spawn_blocking(move || {
            let mut ledger = ledger.lock().unwrap_or_else(|p| p.into_inner());
            work(&mut ledger)
        })
        .await
        .map_err(|e| HttpError(ApiError::new(ErrorCode::Internal, e.to_string())))?
        .map_err(HttpError)
    }
}

/// An error as the hub answers it: a status and `{code, message}`.
pub struct HttpError(ApiError);

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let status = match self.0.code {
            ErrorCode::SyncUnauthorized => StatusCode::UNAUTHORIZED,
            ErrorCode::SyncProtocol => StatusCode::UPGRADE_REQUIRED,
            ErrorCode::SyncCodeInvalid => StatusCode::FORBIDDEN,
            ErrorCode::SyncCursorUnknown => StatusCode::CONFLICT,
            ErrorCode::SyncMalformed => StatusCode::BAD_REQUEST,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let body = WireError {
            code: wire_name(&self.0.code),
            message: self.0.message,
        };
        (status, Json(body)).into_response()
    }
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Refuses a request from a client that speaks another protocol version (all but `hello`,
/// which a client calls to find out).
async fn check_protocol(request: Request, next: Next) -> Response {
    let speaks = request
        .headers()
        .get(PROTOCOL_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u32>().ok());
    if request.uri().path() != "/v1/hello" && speaks != Some(PROTOCOL_VERSION) {
        let message = format!(
            "this hub speaks protocol {PROTOCOL_VERSION}, the client {}",
            speaks.map_or_else(|| "none".to_owned(), |v| v.to_string())
        );
        return HttpError(ApiError::new(ErrorCode::SyncProtocol, message)).into_response();
    }
    next.run(request).await
}

impl FromRequestParts<HubState> for Device {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &HubState) -> Result<Device, HttpError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::to_owned)
            .ok_or_else(|| {
                HttpError(ApiError::new(
                    ErrorCode::SyncUnauthorized,
                    "no device token",
                ))
            })?;
        state.run(move |l| l.authenticate(&token)).await
    }
}

async fn hello(State(state): State<HubState>) -> Result<Json<Hello>, HttpError> {
    let hub_id = state.run(|l| l.hub_id()).await?;
    Ok(Json(Hello {
        protocol: PROTOCOL_VERSION,
        hub_id,
        now_ms: now_ms(),
    }))
}

async fn enrol(
    State(state): State<HubState>,
    Json(request): Json<EnrolRequest>,
) -> Result<Json<Enrolled>, HttpError> {
    Ok(Json(state.run(move |l| l.enrol(&request, now_ms())).await?))
}

async fn push(
    State(state): State<HubState>,
    device: Device,
    Json(request): Json<PushRequest>,
) -> Result<Json<PushResponse>, HttpError> {
    let newest = state.newest.clone();
    let results = state
        .run(move |l| {
            let results = l.push(&device, &request.events, now_ms())?;
            // Wake waiting devices here, right after the commit: if the pusher hangs up
            // before its answer is sent, this handler is dropped at its next await.
            newest.send_replace(l.newest_seq()?);
            Ok(results)
        })
        .await?;
    Ok(Json(PushResponse { results }))
}

#[derive(Deserialize)]
struct PullQuery {
    #[serde(default)]
    after: u64,
    #[serde(default = "default_limit")]
    limit: usize,
    /// The id of the event at `after`, as the device pulled it.
    after_id: Option<String>,
    /// The newest event the device had acknowledged by the hub.
    anchor: Option<String>,
    /// Which of its own events the device holds (see [`OwnHeld`]); not flattened, since
    /// query strings carry every value as text.
    own_through: Option<String>,
    own_since: Option<String>,
}

fn default_limit() -> usize {
    MAX_BATCH
}

async fn pull(
    State(state): State<HubState>,
    device: Device,
    Query(q): Query<PullQuery>,
) -> Result<Json<PullPage>, HttpError> {
    let page = move |l: &mut Ledger| {
        l.check_position(&device, q.after, q.after_id.as_deref(), q.anchor.as_deref())?;
        let own = OwnHeld {
            own_through: q.own_through,
            own_since: q.own_since,
        };
        l.pull(&device, q.after, q.limit, &own)
    };
    Ok(Json(state.run(page).await?))
}

/// Answers as soon as the device's feed has grown past `after`, or after [`WAIT_FOR`].
async fn wait(
    State(state): State<HubState>,
    device: Device,
    Query(q): Query<PullQuery>,
) -> Result<Json<Poke>, HttpError> {
    let mut newest = state.newest.subscribe();
    let deadline = tokio::time::Instant::now() + WAIT_FOR;
    loop {
        let d = device.clone();
        let high = state.run(move |l| l.high(&d)).await?;
        if high > q.after {
            return Ok(Json(Poke { high }));
        }
        let woken = tokio::time::timeout_at(deadline, newest.changed()).await;
        if !matches!(woken, Ok(Ok(()))) {
            // Read once more: a push may have landed between the read and the wait.
            let high = state.run(move |l| l.high(&device)).await?;
            return Ok(Json(Poke { high }));
        }
    }
}

/// The hub's routes over a shared state.
pub fn router(state: HubState) -> Router {
    Router::new()
        .route("/v1/hello", get(hello))
        // Enrolment needs no token: keep what a stranger can send small.
        .route(
            "/v1/enrol",
            post(enrol).layer(DefaultBodyLimit::max(16 << 10)),
        )
        .route("/v1/push", post(push))
        .route("/v1/pull", get(pull))
        .route("/v1/wait", get(wait))
        .layer(middleware::from_fn(check_protocol))
        // A full push of large events stays well under this.
        .layer(DefaultBodyLimit::max(64 << 20))
        .with_state(state)
}
