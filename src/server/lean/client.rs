use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::tokens::TokenCache;
use super::LeanError;
use crate::server::db::{self, Db};

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
}

#[derive(Deserialize)]
struct ErrorEnvelope {
    status: Option<String>,
    message: Option<String>,
}

impl LeanClient {
    pub fn new(
        api_url: &str,
        auth_url: &str,
        app_token: &str,
        client_secret: SecretString,
        db: Db,
    ) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(30))
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
        }
    }

    pub fn app_token(&self) -> &str {
        &self.app_token
    }

    /// Sends one API call with the cached `api` token. `Ok(None)` is a 404.
    pub(super) async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<Option<T>, LeanError> {
        let token = self.api_token().await?;
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
        let status = res.as_ref().ok().map(|r| r.status().as_u16());
        self.audit(method.as_str(), path, status, started).await;
        let res = res.map_err(|e| LeanError::Unavailable(e.to_string()))?;
        let http = res.status();
        if http == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        let bytes = res
            .bytes()
            .await
            .map_err(|e| LeanError::Unavailable(e.to_string()))?;
        if !http.is_success() {
            return Err(error_from(http, &bytes));
        }
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| LeanError::Unavailable(format!("unexpected answer from {path}: {e}")))
    }

    pub(super) async fn audit(
        &self,
        method: &str,
        path: &str,
        status: Option<u16>,
        started: Instant,
    ) {
        let ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        if let Err(e) = db::lean_api_calls::record(&self.db, method, path, status, ms, None).await {
            tracing::warn!(error = %e, "could not record a Lean call");
        }
    }
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
