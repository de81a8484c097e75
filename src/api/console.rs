//! The developer console: the app's outbound Lean calls and inbound webhooks, with "replay" and
//! "send a signed test webhook". Admins (ADMIN_EMAILS) may use it; with the embedded sandbox (a local
//! demo, where all of this is the sandbox's data) every signed-in user may.
//!
//! Never shown: tokens, secrets, signature header values, request or response bodies of Lean calls.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::AppError;

/// One outbound call to Lean.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleCall {
    pub at: String,
    pub method: String,
    pub path: String,
    /// None when no answer came (timeout, connection refused).
    pub status: Option<i64>,
    pub latency_ms: i64,
    pub results_id: Option<String>,
}

/// One inbound webhook: stored ones (valid signature) and refused ones (401, not stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleWebhook {
    pub at: String,
    pub event_type: String,
    pub event_id: String,
    /// True when the signature matched.
    pub signature_ok: bool,
    /// "Valid signature", or why it was refused.
    pub verdict: String,
    /// received, processing, processed, failed, or rejected (answered 401).
    pub status: String,
    pub attempts: i64,
    pub error: Option<String>,
    /// The body, pretty-printed when it is JSON; None for refused webhooks (never stored).
    pub payload: Option<String>,
    /// May be applied again.
    pub replayable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleLog {
    pub calls: Vec<ConsoleCall>,
    pub webhooks: Vec<ConsoleWebhook>,
}

/// What "send a signed test webhook" did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestWebhookSent {
    pub event_type: String,
    pub event_id: String,
    /// The webhook endpoint's answer (200 when accepted).
    pub http_status: u16,
}

/// Event types "send a signed test webhook" offers (the same as `lean-merchant webhook send`).
pub const TEST_WEBHOOK_TYPES: &[&str] = &[
    "entity.created",
    "entity.updated",
    "entity.data.refresh.updated",
    "results.ready",
    "payment_intent.created",
    "payment.created",
    "payment.updated",
    "payment_source.created",
    "payment_source.beneficiary.created",
    "bank.availability.updated",
];

/// How many rows of each kind the console shows.
#[cfg(feature = "ssr")]
const ROWS: i64 = 50;

/// The console's rows, newest first.
#[server(endpoint = "console_log")]
pub async fn fetch_console() -> Result<ConsoleLog, AppError> {
    use crate::api::context::{finish, internal, state};
    use crate::server::db::{lean_api_calls, webhook_events};
    finish(
        async {
            let state = state()?;
            require_console(&state).await?;
            let calls = lean_api_calls::recent(&state.db, ROWS)
                .await
                .map_err(internal)?
                .into_iter()
                .map(|c| ConsoleCall {
                    at: c.created_at,
                    method: c.method,
                    // A query string could carry anything; the path is enough to recognise the call.
                    path: c.path.split('?').next().unwrap_or_default().to_owned(),
                    status: c.status,
                    latency_ms: c.latency_ms,
                    results_id: c.results_id,
                })
                .collect();
            let mut webhooks: Vec<ConsoleWebhook> = webhook_events::recent(&state.db, ROWS)
                .await
                .map_err(internal)?
                .into_iter()
                .map(|e| {
                    let payload = serde_json::from_str::<serde_json::Value>(&e.body)
                        .ok()
                        .and_then(|v| serde_json::to_string_pretty(&v).ok())
                        .unwrap_or(e.body);
                    ConsoleWebhook {
                        replayable: !is_malformed(&e.event_id) && e.status != webhook_events::PROCESSING,
                        at: e.received_at,
                        event_type: e.event_type,
                        event_id: e.event_id,
                        signature_ok: true,
                        verdict: "Valid signature".into(),
                        status: e.status,
                        attempts: e.attempts,
                        error: e.last_error,
                        payload: Some(payload),
                    }
                })
                .collect();
            webhooks.extend(state.rejected_webhooks.recent().into_iter().map(|r| ConsoleWebhook {
                at: r.received_at,
                event_type: r.claimed_type.unwrap_or_else(|| "unknown".into()),
                event_id: r.claimed_event_id.unwrap_or_else(|| "(none)".into()),
                signature_ok: false,
                verdict: format!("Rejected: {}", r.reason),
                status: "rejected".into(),
                attempts: 0,
                error: Some(format!("Answered 401; the {} byte body was not stored.", r.bytes)),
                payload: None,
                replayable: false,
            }));
            // RFC 3339 UTC strings sort as times.
            webhooks.sort_by(|a, b| b.at.cmp(&a.at));
            webhooks.truncate(ROWS as usize);
            Ok(ConsoleLog { calls, webhooks })
        }
        .await,
    )
}

/// Applies a stored webhook again through the worker. Idempotent: the handlers are upserts.
#[server(endpoint = "replay_webhook")]
pub async fn replay_webhook(event_id: String) -> Result<(), AppError> {
    use crate::api::context::{finish, internal, state};
    use crate::server::db::webhook_events;
    finish(
        async {
            let state = state()?;
            require_console(&state).await?;
            let event_id = event_id.trim();
            if is_malformed(event_id) {
                return Err(AppError::invalid(
                    "event_id",
                    "This body is not a Lean event, so applying it again cannot help.",
                ));
            }
            match webhook_events::status_of(&state.db, event_id).await.map_err(internal)? {
                None => return Err(AppError::NotFound("That webhook".into())),
                Some((status, _)) if status == webhook_events::PROCESSING => {
                    return Err(AppError::invalid(
                        "event_id",
                        "This webhook is being applied right now; try again in a moment.",
                    ))
                }
                Some(_) => {}
            }
            if webhook_events::reset_for_replay(&state.db, event_id).await.map_err(internal)? {
                tracing::info!(event_id, "webhook replay requested from the console");
                state.worker.wake();
            }
            Ok(())
        }
        .await,
    )
}

/// Signs a realistic sample event with the webhook secret, exactly as Lean does, and posts it to this
/// app's own `/webhooks/lean`, so it goes through verification like a real one. Fresh ids, so it
/// changes nobody's banks.
#[server(endpoint = "send_test_webhook")]
pub async fn send_test_webhook(event_type: String) -> Result<TestWebhookSent, AppError> {
    use crate::api::context::{finish, internal, state};
    use secrecy::ExposeSecret;
    finish(
        async {
            let state = state()?;
            require_console(&state).await?;
            let event_type = event_type.trim();
            let body = crate::server::cli::sample_event(event_type, None, None)
                .ok_or_else(|| AppError::invalid("event_type", "Choose one of the listed event types."))?;
            let event_id = body["event_id"].as_str().unwrap_or_default().to_owned();
            let bytes = serde_json::to_vec(&body).map_err(internal)?;
            let signature = crate::server::webhooks::signature::sign(
                state.webhook_secret.expose_secret().as_bytes(),
                &bytes,
            );
            let url = format!("http://{}/webhooks/lean", own_addr(state.config.addr));
            let res = reqwest::Client::new()
                .post(url)
                .timeout(std::time::Duration::from_secs(10))
                .header("content-type", "application/json")
                .header("lean-signature", signature)
                .body(bytes)
                .send()
                .await
                .map_err(internal)?;
            Ok(TestWebhookSent {
                event_type: event_type.to_owned(),
                event_id,
                http_status: res.status().as_u16(),
            })
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
fn is_malformed(event_id: &str) -> bool {
    event_id.starts_with("malformed-")
}

/// The address to reach this server from itself (a wildcard bind is reached on loopback).
#[cfg(feature = "ssr")]
fn own_addr(addr: std::net::SocketAddr) -> std::net::SocketAddr {
    let mut addr = addr;
    if addr.ip().is_unspecified() {
        addr.set_ip(match addr {
            std::net::SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            std::net::SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    addr
}

/// The embedded sandbox is running: a local demo, where the console's data is the sandbox's.
#[cfg(feature = "ssr")]
pub(crate) fn embedded(state: &crate::server::AppState) -> bool {
    state.public.sandbox
        && state.public.sandbox_url.is_some()
        && matches!(state.config.lean, crate::server::config::LeanTarget::Embedded { .. })
}

/// Signed in (401), and an admin unless the embedded sandbox is running (403).
#[cfg(feature = "ssr")]
pub(crate) async fn require_console(state: &crate::server::AppState) -> Result<(), AppError> {
    use crate::api::context::{internal, user_id};
    let user_id = user_id().await?;
    let user = crate::server::db::users::find_by_id(&state.db, &user_id)
        .await
        .map_err(internal)?
        .ok_or(AppError::SignInRequired)?;
    if embedded(state) || state.config.admin_emails.contains(&user.email) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    #[test]
    fn the_form_offers_every_sample_the_cli_can_sign() {
        assert_eq!(super::TEST_WEBHOOK_TYPES, crate::server::cli::SAMPLE_TYPES);
    }
}
