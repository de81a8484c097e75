use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::tokens::TokenCache;
use super::LeanError;
use crate::model::UserId;
use crate::server::db::{self, Db};
use crate::server::live::LiveBus;

/// Talks to one Lean environment. Cheap to clone; the api-token cache is shared.
#[derive(Clone)]
pub struct LeanClient {
    pub(super) http: reqwest::Client,
    pub(super) api_url: String,
    pub(super) auth_url: String,
    pub(super) app_token: String,
    pub(super) client_secret: SecretString,
    pub(super) tokens: TokenCache,
    db: Db,
    /// Where each recorded call is also published for the developer console; set once the app's
    /// bus exists (the CLI's client has none). Shared by clones.
    console: Arc<OnceLock<LiveBus>>,
    /// The user these calls are made for (see [`LeanClient::for_user`]), so each user's console shows
    /// their own calls; None for app-wide calls (tokens, event catch-up).
    acting_for: Option<UserId>,
    /// Banks' names in both languages, from Lean's bank list. Shared by clones.
    pub(super) banks: Arc<super::banks::BankDirectory>,
}

/// Whether a call may be repeated after a transient failure (see [`LeanClient::call`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    Safe,
    /// For writes Lean does not de-duplicate (payment intents, Account-on-File payments without an
    /// idempotency key, data refreshes): a lost answer is reported, never resent blindly.
    Never,
}

/// Three tries in all: enough to ride out a blip, short enough that the user never waits long.
const MAX_ATTEMPTS: u32 = 3;

enum Sent {
    Done(StatusCode, Vec<u8>),
    Failed(LeanError),
}

/// Exponential backoff with full jitter: 0–200 ms, then 0–400 ms.
async fn backoff(attempt: u32) {
    use rand::Rng;
    let cap_ms = 100u64 << attempt.min(6);
    let wait = rand::thread_rng().gen_range(0..=cap_ms);
    tokio::time::sleep(Duration::from_millis(wait)).await;
}

#[derive(Deserialize)]
struct ErrorEnvelope {
    status: Option<String>,
    message: Option<String>,
}

impl LeanClient {
    pub fn new(api_url: &str, auth_url: &str, app_token: &str, client_secret: SecretString, db: Db) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap_or_default();
        LeanClient {
            http,
            api_url: api_url.trim_end_matches('/').to_owned(),
            auth_url: auth_url.trim_end_matches('/').to_owned(),
            app_token: app_token.to_owned(),
            client_secret,
            tokens: TokenCache::default(),
            db,
            console: Arc::default(),
            acting_for: None,
            banks: Arc::default(),
        }
    }

    /// The same client, its calls attributed to nobody (app-wide, as token requests are).
    pub(super) fn app_wide(&self) -> LeanClient {
        LeanClient { acting_for: None, ..self.clone() }
    }

    /// The same client, with every call it records attributed to `user_id`.
    pub fn for_user(&self, user_id: &UserId) -> LeanClient {
        LeanClient { acting_for: Some(user_id.clone()), ..self.clone() }
    }

    /// From now on every recorded call also appears live in open developer consoles.
    pub fn publish_calls_to(&self, bus: LiveBus) {
        let _ = self.console.set(bus);
    }

    pub fn app_token(&self) -> &str {
        &self.app_token
    }

    /// Sends one API call with the cached `api` token. `Ok(None)` is a 404.
    ///
    /// `repeat` says whether the call may be sent again after a 5xx, a 429 or a timeout: true for
    /// reads and for writes Lean de-duplicates itself (a customer's `app_user_id` is unique). Whatever
    /// the flag, a 401 renews the token once and retries, since the request never reached Lean's logic.
    #[tracing::instrument(name = "lean_call", skip_all, fields(method = %method, path = %path_only(path), user_id = self.acting_for.as_ref().map(UserId::as_str)))]
    pub(super) async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
        repeat: Repeat,
    ) -> Result<Option<T>, LeanError> {
        let mut attempt = 0u32;
        let mut renewed = false;
        loop {
            attempt += 1;
            match self.send_once(&method, path, body).await {
                Sent::Done(http, bytes) if http == StatusCode::UNAUTHORIZED && !renewed => {
                    tracing::info!(path, "Lean answered 401; renewing the api token");
                    drop(bytes);
                    self.forget_api_token().await;
                    renewed = true;
                }
                Sent::Done(http, _) if http == StatusCode::NOT_FOUND => return Ok(None),
                Sent::Done(http, bytes) if http.is_success() => {
                    return serde_json::from_slice(&bytes)
                        .map(Some)
                        .map_err(|e| LeanError::Unavailable(format!("unexpected answer from {path}: {e}")))
                }
                Sent::Done(http, bytes) => {
                    let transient = http.is_server_error() || http == StatusCode::TOO_MANY_REQUESTS;
                    if !(transient && repeat == Repeat::Safe && attempt < MAX_ATTEMPTS) {
                        return Err(error_from(http, &bytes));
                    }
                    backoff(attempt).await;
                }
                Sent::Failed(e) => {
                    if !(repeat == Repeat::Safe && attempt < MAX_ATTEMPTS) {
                        return Err(e);
                    }
                    backoff(attempt).await;
                }
            }
        }
    }

    async fn send_once(&self, method: &Method, path: &str, body: Option<&serde_json::Value>) -> Sent {
        let token = match self.api_token().await {
            Ok(t) => t,
            Err(e) => return Sent::Failed(e),
        };
        let mut req = self
            .http
            .request(method.clone(), format!("{}{}", self.api_url, path))
            .bearer_auth(token.expose_secret())
            .header("Accept", "application/json");
        if let Some(b) = body {
            req = req.json(b);
        }
        let started = Instant::now();
        let res = req.send().await;
        self.audit(method.as_str(), path, res.as_ref().ok().map(|r| r.status().as_u16()), started).await;
        let res = match res {
            Ok(r) => r,
            Err(e) => return Sent::Failed(LeanError::Unavailable(e.to_string())),
        };
        let http = res.status();
        match res.bytes().await {
            Ok(bytes) => Sent::Done(http, bytes.to_vec()),
            Err(e) => Sent::Failed(LeanError::Unavailable(e.to_string())),
        }
    }

    pub(super) async fn audit(&self, method: &str, path: &str, status: Option<u16>, started: Instant) {
        crate::server::metrics::lean_call(method, path, status, started.elapsed());
        let ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        let user = self.acting_for.as_ref();
        if let Err(e) = db::lean_api_calls::record(&self.db, user, method, path, status, ms, None).await {
            tracing::warn!(error = %e, "could not record a Lean call");
        }
        if let Some(bus) = self.console.get() {
            crate::server::live::console::call_recorded(bus, &self.db, user, method, path, status, ms).await;
        }
    }
}

/// A Lean path without its query, for logs.
fn path_only(path: &str) -> &str {
    path.split_once('?').map_or(path, |(p, _)| p)
}

pub(super) fn error_from(http: StatusCode, body: &[u8]) -> LeanError {
    match serde_json::from_slice::<ErrorEnvelope>(body) {
        Ok(env) => LeanError::Api {
            http: http.as_u16(),
            code: env.status.unwrap_or_else(|| http.as_str().to_owned()),
            message: env.message.unwrap_or_else(|| "no message".into()),
        },
        Err(_) => LeanError::Api {
            http: http.as_u16(),
            code: http.as_str().to_owned(),
            message: http.canonical_reason().unwrap_or("error").to_owned(),
        },
    }
}
