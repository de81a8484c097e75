//! `POST /webhooks/lean`.
//!
//! Order of checks: signature first (401, nothing stored, for anything Lean did not sign), then the
//! body. A *signed* body that is not a usable event (not JSON, no `event_id`) is stored as `failed`
//! and answered 200: it came from Lean, so a 4xx would only make Lean retry the same bytes six times
//! over four and a half hours, and storing it keeps the evidence for the developer console.
//!
//! Lean's current envelope always carries `event_id`, but the examples in its older guides (entity
//! reconnection, async results) leave it out. Such an event is kept under an id made from its exact
//! bytes: Lean's retries repeat the bytes, so a redelivery is still stored once.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use secrecy::ExposeSecret;
use serde::Deserialize;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use super::inbox::NewEvent;
use super::signature;
use crate::model::CustomerId;
use crate::server::db::webhook_events;
use crate::server::state::AppState;

/// The envelope's fields the endpoint needs. The payload is kept as its raw text: building a
/// `serde_json::Value` of it for every webhook was a good part of the endpoint's own work.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(default)]
    event_id: Option<String>,
    #[serde(rename = "type")]
    event_type: String,
    #[serde(default, borrow)]
    payload: Option<&'a RawValue>,
}

/// The one payload field read on arrival.
#[derive(Deserialize)]
struct PayloadHead<'a> {
    #[serde(default, borrow)]
    customer_id: Option<std::borrow::Cow<'a, str>>,
}

fn is_object(raw: &RawValue) -> bool {
    raw.get().trim_start().starts_with('{')
}

/// `customer_of` for a payload still in its raw text.
fn customer_in(payload: Option<&RawValue>) -> Option<CustomerId> {
    let head = serde_json::from_str::<PayloadHead>(payload.filter(|p| is_object(p))?.get()).ok()?;
    plausible_customer(head.customer_id.as_deref()?)
}

fn plausible_customer(id: &str) -> Option<CustomerId> {
    let id = id.trim();
    (!id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .then(|| CustomerId::new(id))
}

/// The customer an event concerns, as its payload names it (most of Lean's events do), for the
/// developer console's per-user view. Only a plausible id is kept.
pub fn customer_of(payload: Option<&serde_json::Value>) -> Option<CustomerId> {
    plausible_customer(payload?.get("customer_id")?.as_str()?)
}

/// A signed body that is an event, with the id it is kept under; None for anything else.
fn usable(body: &[u8]) -> Option<(String, Envelope<'_>)> {
    let env = serde_json::from_slice::<Envelope>(body).ok()?;
    let event_id = match env.event_id.as_deref().map(str::trim) {
        Some("") => return None,
        Some(id) => id.to_owned(),
        None if env.payload.is_some_and(is_object) && !env.event_type.trim().is_empty() => {
            format!("body-{}", hex::encode(Sha256::digest(body)))
        }
        None => return None,
    };
    Some((event_id, env))
}

/// The id a signed body is stored under: its `event_id`, one made from its bytes when an event comes
/// without (see the module's notes), or a `malformed-` one when it is not an event at all.
pub fn stored_id(body: &[u8]) -> String {
    usable(body)
        .map(|(id, _)| id)
        .unwrap_or_else(|| format!("malformed-{}", hex::encode(Sha256::digest(body))))
}

pub async fn receive(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> StatusCode {
    metrics::counter!(crate::server::metrics::WEBHOOKS_RECEIVED).increment(1);
    let header = headers.get("lean-signature").and_then(|v| v.to_str().ok());
    if let Err(e) = signature::verify(state.webhook_secret.expose_secret().as_bytes(), header, &body) {
        let reason = match e {
            signature::SignatureError::Missing => "missing",
            signature::SignatureError::Malformed => "malformed",
            signature::SignatureError::Mismatch => "mismatch",
        };
        metrics::counter!(crate::server::metrics::WEBHOOKS_REJECTED, "reason" => reason).increment(1);
        // Counted always; logged and shown only when sampled, so a flood costs no disk.
        if let Some(sampled) = state.rejected_webhooks.record(&e, &body) {
            tracing::warn!(reason = %e, total = state.rejected_webhooks.total(), "webhook rejected");
            crate::server::live::console::webhook_rejected(&state.bus, &state.db, sampled).await;
        }
        return StatusCode::UNAUTHORIZED;
    }

    // Stored as text. A raw NUL byte cannot be (PostgreSQL refuses it) and never occurs in valid JSON,
    // so only bodies that are malformed anyway are altered.
    let text = match std::str::from_utf8(&body) {
        Ok(text) if !text.contains('\0') => text.to_owned(),
        _ => String::from_utf8_lossy(&body).replace('\0', "\u{FFFD}"),
    };
    let (event, new_when_stored) = match usable(&body) {
        Some((event_id, env)) => {
            // A test webhook sent from someone's console is theirs to see, whatever customer it names.
            let customer_id = state.test_webhook_owners.take(&event_id).or_else(|| customer_in(env.payload));
            let event = NewEvent {
                event_id,
                event_type: env.event_type,
                body: text,
                status: webhook_events::RECEIVED,
                error: None,
                customer_id,
            };
            (event, true)
        }
        None => {
            let id = stored_id(&body);
            tracing::warn!(event_id = %id, "signed webhook is not a usable event; stored as failed");
            let event = NewEvent {
                event_id: id,
                event_type: "unknown".to_owned(),
                body: text,
                status: webhook_events::FAILED,
                error: Some(
                    "body is not a Lean event envelope (needs JSON with a type and an event_id or a payload)",
                ),
                customer_id: None,
            };
            // Nothing for the worker to apply.
            (event, false)
        }
    };
    let event_id = event.event_id.clone();
    crate::server::observe::record_event(&event_id);
    let stored = state.inbox.store(event).await.map(|new| new && new_when_stored);
    if stored.is_ok() {
        crate::server::live::console::webhook_changed(&state.bus, &event_id);
    }

    match stored {
        Ok(true) => {
            metrics::counter!(crate::server::metrics::WEBHOOKS_STORED).increment(1);
            state.worker.wake();
            StatusCode::OK
        }
        // Already stored: a redelivery. Acknowledge so Lean stops retrying; apply nothing twice.
        Ok(false) => StatusCode::OK,
        // Not durably stored: ask Lean to retry rather than lose the event.
        Err(e) => {
            tracing::error!(error = %e, "could not store webhook");
            StatusCode::SERVICE_UNAVAILABLE
        }
    }
}
