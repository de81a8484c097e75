//! OAuth2 client-credentials tokens (REFERENCE §2.1): one `scope=api` token reused until shortly before
//! it expires, and a fresh `customer.<id>` token for every SDK launch (the SDK wants >= 10 minutes left).

use std::sync::Arc;
use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use tokio::sync::Mutex;

use super::client::error_from;
use super::{LeanClient, LeanError};
use crate::model::CustomerId;

/// Renew the api token this long before Lean says it expires.
const RENEW_MARGIN: Duration = Duration::from_secs(120);

#[derive(Clone, Default)]
pub(super) struct TokenCache(Arc<Mutex<Option<(SecretString, Instant)>>>);

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    expires_in: u64,
}

impl LeanClient {
    /// The backend token. The lock is held while minting so concurrent callers share one request.
    pub async fn api_token(&self) -> Result<SecretString, LeanError> {
        let mut slot = self.tokens.0.lock().await;
        if let Some((token, renew_at)) = slot.as_ref() {
            if Instant::now() < *renew_at {
                return Ok(token.clone());
            }
        }
        let (token, lifetime) = self.mint("api").await?;
        let renew_at = Instant::now() + lifetime.saturating_sub(RENEW_MARGIN);
        *slot = Some((token.clone(), renew_at));
        Ok(token)
    }

    /// Mints a fresh api token (not cached): proves the credentials work right now.
    pub async fn verify_credentials(&self) -> Result<(), LeanError> {
        self.mint("api").await.map(|_| ())
    }

    /// Drops the cached token, e.g. after Lean refused it (rotated secret, revoked app).
    pub(super) async fn forget_api_token(&self) {
        *self.tokens.0.lock().await = None;
    }

    /// A token that can act for this one customer only; meant to be handed to the Link SDK.
    pub async fn customer_token(&self, customer_id: &CustomerId) -> Result<String, LeanError> {
        let (token, _) = self.mint(&format!("customer.{customer_id}")).await?;
        Ok(token.expose_secret().to_owned())
    }

    /// Test hook for the "no api token in served bytes" test.
    #[doc(hidden)]
    pub async fn cached_api_token(&self) -> Option<String> {
        self.tokens.0.lock().await.as_ref().map(|(t, _)| t.expose_secret().to_owned())
    }

    async fn mint(&self, scope: &str) -> Result<(SecretString, Duration), LeanError> {
        let started = Instant::now();
        let form = [
            ("client_id", self.app_token.as_str()),
            ("client_secret", self.client_secret.expose_secret()),
            ("grant_type", "client_credentials"),
            ("scope", scope),
        ];
        let res = self
            .http
            .post(format!("{}/oauth2/token", self.auth_url))
            .header("Accept", "application/json")
            .form(&form)
            .send()
            .await;
        self.audit("POST", "/oauth2/token", res.as_ref().ok().map(|r| r.status().as_u16()), started).await;
        let res = res.map_err(|e| LeanError::Unavailable(e.to_string()))?;
        let status = res.status();
        let bytes = res.bytes().await.map_err(|e| LeanError::Unavailable(e.to_string()))?;
        if !status.is_success() {
            return Err(error_from(status, &bytes));
        }
        let parsed: TokenResponse = serde_json::from_slice(&bytes)
            .map_err(|e| LeanError::Unavailable(format!("unexpected token answer: {e}")))?;
        Ok((SecretString::from(parsed.access_token), Duration::from_secs(parsed.expires_in)))
    }
}
