//! Lean's Account-on-File API (REFERENCE §6.5): consents with control parameters, and payments
//! against an authorised consent.

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret;
use serde_json::Value;

use super::client::{error_from, Repeat};
use super::{LeanClient, LeanError};
use crate::model::{ConsentId, CustomerId};

fn unknown_consent() -> LeanError {
    LeanError::Api {
        http: 404,
        code: "UNKNOWN_CONSENT".into(),
        message: "Lean does not know this consent.".into(),
    }
}

/// Three tries in all, as for every other call Lean may safely see twice.
const MAX_ATTEMPTS: u32 = 3;

impl LeanClient {
    /// `POST /consents/v1/account-on-file`. Never repeated: Lean does not de-duplicate consents, so a
    /// lost answer is reported rather than risking a second consent.
    pub async fn create_aof_consent(&self, body: &Value) -> Result<Value, LeanError> {
        self.call(Method::POST, "/consents/v1/account-on-file", Some(body), Repeat::Never).await?.ok_or_else(
            || LeanError::Api {
                http: 404,
                code: "UNKNOWN_PAYMENT_DESTINATION".into(),
                message: "Lean does not know this destination.".into(),
            },
        )
    }

    /// `GET /consents/v1/{id}`.
    pub async fn consent(&self, consent_id: &ConsentId) -> Result<Value, LeanError> {
        let path = format!("/consents/v1/{}", segment(consent_id.as_str()));
        self.call(Method::GET, &path, None, Repeat::Safe).await?.ok_or_else(unknown_consent)
    }

    /// `GET /consents/v1?customer_id=`: the customer's consents (first page of 100, newest first).
    pub async fn customer_consents(&self, customer_id: &CustomerId) -> Result<Vec<Value>, LeanError> {
        let path =
            format!("/consents/v1?customer_id={}&page_number=0&page_size=100", segment(customer_id.as_str()));
        let page: Option<Value> = self.call(Method::GET, &path, None, Repeat::Safe).await?;
        Ok(page.and_then(|p| p.get("data").and_then(Value::as_array).cloned()).unwrap_or_default())
    }

    /// `POST /consents/v1/{id}/revocation`. Safe to repeat: revoking twice leaves it revoked (the
    /// second answer is CONSENT_NOT_AUTHORISED, which the caller treats as done).
    pub async fn revoke_consent(&self, consent_id: &ConsentId) -> Result<(), LeanError> {
        let path = format!("/consents/v1/{}/revocation", segment(consent_id.as_str()));
        self.call::<Value>(Method::POST, &path, Some(&serde_json::json!({})), Repeat::Safe)
            .await?
            .map(|_| ())
            .ok_or_else(unknown_consent)
    }

    /// `POST /payments/v1/account-on-file` with the `Idempotency-Key` header. Lean returns the
    /// original payment for a repeated key instead of making another, so this call — unlike other
    /// writes — is repeated after a timeout, a 5xx or a 429: the same key can never pay twice.
    pub async fn create_aof_payment(&self, body: &Value, idempotency_key: &str) -> Result<Value, LeanError> {
        let path = "/payments/v1/account-on-file";
        let mut renewed = false;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let token = self.api_token().await?;
            let started = Instant::now();
            let res = self
                .http
                .post(format!("{}{path}", self.api_url))
                .bearer_auth(token.expose_secret())
                .header("Accept", "application/json")
                .header("Idempotency-Key", idempotency_key)
                .json(body)
                .send()
                .await;
            self.audit("POST", path, res.as_ref().ok().map(|r| r.status().as_u16()), started).await;
            let outcome = match res {
                Ok(r) => {
                    let http = r.status();
                    r.bytes()
                        .await
                        .map(|b| (http, b.to_vec()))
                        .map_err(|e| LeanError::Unavailable(e.to_string()))
                }
                Err(e) => Err(LeanError::Unavailable(e.to_string())),
            };
            match outcome {
                Ok((http, _)) if http == StatusCode::UNAUTHORIZED && !renewed => {
                    self.forget_api_token().await;
                    renewed = true;
                }
                Ok((http, bytes)) if http.is_success() => {
                    return serde_json::from_slice(&bytes)
                        .map_err(|e| LeanError::Unavailable(format!("unexpected answer from {path}: {e}")));
                }
                Ok((http, bytes)) => {
                    let transient = http.is_server_error() || http == StatusCode::TOO_MANY_REQUESTS;
                    if !transient || attempt >= MAX_ATTEMPTS {
                        return Err(error_from(http, &bytes));
                    }
                    pause(attempt).await;
                }
                Err(e) => {
                    if attempt >= MAX_ATTEMPTS {
                        return Err(e);
                    }
                    pause(attempt).await;
                }
            }
        }
    }
}

/// A short, growing pause with jitter before repeating the payment call.
async fn pause(attempt: u32) {
    use rand::Rng;
    let cap_ms = 100u64 << attempt.min(6);
    let wait = rand::thread_rng().gen_range(0..=cap_ms);
    tokio::time::sleep(Duration::from_millis(wait)).await;
}

/// Ids go into paths; anything but letters, digits and dashes is refused by the callers already,
/// and encoded here as a second guard.
fn segment(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c.to_string()
            } else {
                format!("%{:02X}", c as u32 & 0xff)
            }
        })
        .collect()
}
