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
    /// Without its query string: a query could carry anything, and the path identifies the call.
    pub path: String,
    /// None when no answer came (timeout, connection refused).
    pub status: Option<i64>,
    pub latency_ms: i64,
    pub results_id: Option<String>,
}

impl ConsoleCall {
    /// Tells rows apart when the live stream and a fresh fetch both bring one.
    pub fn key(&self) -> String {
        format!("{} {} {}", self.at, self.method, self.path)
    }
}

/// One inbound webhook: stored ones (valid signature) and refused ones (401, not stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleWebhook {
    pub at: String,
    pub event_type: String,
    pub event_id: String,
    /// True when the signature matched.
    pub signature_ok: bool,
    /// "Valid signature", or why it was refused (English, for logs and the API; the page translates
    /// `rejection` instead).
    pub verdict: String,
    /// Why the signature was refused: `missing`, `malformed` or `mismatch`; None when it matched.
    pub rejection: Option<String>,
    /// received, processing, processed, failed, or rejected (answered 401).
    pub status: String,
    pub attempts: i64,
    /// The worker's last error for this event (the handler's own words).
    pub error: Option<String>,
    /// Size of a refused body, which was not stored.
    pub refused_bytes: Option<u64>,
    /// The body, pretty-printed when it is JSON; None for refused webhooks (never stored).
    pub payload: Option<String>,
    /// May be applied again.
    pub replayable: bool,
}

impl ConsoleWebhook {
    /// A stored event is one row however often its status changes; each refusal is a row of its own.
    pub fn key(&self) -> String {
        if self.signature_ok {
            self.event_id.clone()
        } else {
            format!("rejected {} {}", self.at, self.event_id)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleLog {
    pub calls: Vec<ConsoleCall>,
    pub webhooks: Vec<ConsoleWebhook>,
}

/// One console row as it travels on the live stream, the moment it is recorded or changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "row", rename_all = "snake_case")]
pub enum ConsoleEntry {
    Call(ConsoleCall),
    Webhook(ConsoleWebhook),
    /// A row too large to travel between instances (PostgreSQL NOTIFY): fetch the log again.
    Refresh,
}

/// How many rows of each kind the console shows.
pub const ROWS: usize = 50;

impl ConsoleLog {
    /// Adds a row or replaces the one with the same key; newest first, at most [`ROWS`] of each kind.
    pub fn apply(&mut self, entry: ConsoleEntry) {
        match entry {
            ConsoleEntry::Call(c) => {
                let key = c.key();
                self.calls.retain(|x| x.key() != key);
                self.calls.push(c);
                // RFC 3339 UTC strings sort as times.
                self.calls.sort_by(|a, b| b.at.cmp(&a.at));
                self.calls.truncate(ROWS);
            }
            ConsoleEntry::Webhook(w) => {
                let key = w.key();
                self.webhooks.retain(|x| x.key() != key);
                self.webhooks.push(w);
                self.webhooks.sort_by(|a, b| b.at.cmp(&a.at));
                self.webhooks.truncate(ROWS);
            }
            ConsoleEntry::Refresh => {}
        }
    }
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

/// The console's rows, newest first.
#[server(endpoint = "console_log")]
pub async fn fetch_console() -> Result<ConsoleLog, AppError> {
    use crate::api::context::{finish, internal, state};
    use crate::server::db::{lean_api_calls, webhook_events};
    finish(
        async {
            let state = state()?;
            require_console(&state).await?;
            let calls = lean_api_calls::recent(&state.db, ROWS as i64)
                .await
                .map_err(internal)?
                .into_iter()
                .map(|c| call_row(c.created_at, c.method, &c.path, c.status, c.latency_ms, c.results_id))
                .collect();
            let mut webhooks: Vec<ConsoleWebhook> = webhook_events::recent(&state.db, ROWS as i64)
                .await
                .map_err(internal)?
                .into_iter()
                .map(stored_webhook_row)
                .collect();
            webhooks.extend(state.rejected_webhooks.recent().into_iter().map(rejected_webhook_row));
            // RFC 3339 UTC strings sort as times.
            webhooks.sort_by(|a, b| b.at.cmp(&a.at));
            webhooks.truncate(ROWS);
            Ok(ConsoleLog { calls, webhooks })
        }
        .await,
    )
}

/// Applies a stored webhook again through the worker. Idempotent: the handlers are upserts.
#[server(endpoint = "replay_webhook")]
pub async fn replay_webhook(event_id: String) -> Result<(), AppError> {
    use crate::api::context::{finish, internal, state};
    use crate::i18n::t;
    use crate::server::db::webhook_events;
    finish(
        async {
            let state = state()?;
            require_console(&state).await?;
            let event_id = event_id.trim();
            if is_malformed(event_id) {
                return Err(AppError::invalid("event_id", t("console-replay-malformed")));
            }
            match webhook_events::status_of(&state.db, event_id).await.map_err(internal)? {
                None => return Err(AppError::NotFound(t("console-the-webhook"))),
                Some((status, _)) if status == webhook_events::PROCESSING => {
                    return Err(AppError::invalid("event_id", t("console-replay-busy")))
                }
                Some(_) => {}
            }
            if webhook_events::reset_for_replay(&state.db, event_id).await.map_err(internal)? {
                tracing::info!(event_id, "webhook replay requested from the console");
                // Open consoles show the row back at `received`; the worker reports the outcome.
                crate::server::live::console::webhook_changed(&state.bus, &state.db, event_id).await;
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
    use crate::i18n::t;
    use secrecy::ExposeSecret;
    finish(
        async {
            let state = state()?;
            require_console(&state).await?;
            let event_type = event_type.trim();
            let body = crate::server::cli::sample_event(event_type, None, None)
                .ok_or_else(|| AppError::invalid("event_type", t("console-test-type-invalid")))?;
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

/// Who may see the console: everyone with the embedded sandbox, else the admins (ADMIN_EMAILS).
/// The one rule for the console's server functions and for its rows on the live stream.
#[cfg(feature = "ssr")]
pub(crate) fn may_use_console(state: &crate::server::AppState, email: &str) -> bool {
    embedded(state) || state.config.admin_emails.iter().any(|a| a == email)
}

/// Whether the user with this id may see the console (false for an unknown id).
#[cfg(feature = "ssr")]
pub(crate) async fn user_may_use_console(
    state: &crate::server::AppState,
    user_id: &str,
) -> Result<bool, sqlx::Error> {
    let user = crate::server::db::users::find_by_id(&state.db, user_id).await?;
    Ok(user.is_some_and(|u| may_use_console(state, &u.email)))
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
    if may_use_console(state, &user.email) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A recorded outbound call as the console shows it. Only method, path and outcome are ever
/// recorded, and the query string is dropped here too.
#[cfg(feature = "ssr")]
pub(crate) fn call_row(
    at: String,
    method: String,
    path: &str,
    status: Option<i64>,
    latency_ms: i64,
    results_id: Option<String>,
) -> ConsoleCall {
    ConsoleCall {
        at,
        method,
        path: path.split('?').next().unwrap_or_default().to_owned(),
        status,
        latency_ms,
        results_id,
    }
}

/// A stored (signature-verified) webhook as the console shows it.
#[cfg(feature = "ssr")]
pub(crate) fn stored_webhook_row(e: crate::server::db::webhook_events::StoredEvent) -> ConsoleWebhook {
    use crate::server::db::webhook_events::PROCESSING;
    let payload = serde_json::from_str::<serde_json::Value>(&e.body)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or(e.body);
    ConsoleWebhook {
        replayable: !is_malformed(&e.event_id) && e.status != PROCESSING,
        at: e.received_at,
        event_type: e.event_type,
        event_id: e.event_id,
        signature_ok: true,
        verdict: "Valid signature".into(),
        rejection: None,
        status: e.status,
        attempts: e.attempts,
        error: e.last_error,
        refused_bytes: None,
        payload: Some(payload),
    }
}

/// A webhook refused for its signature: only the verdict and what the body claimed to be.
#[cfg(feature = "ssr")]
pub(crate) fn rejected_webhook_row(r: crate::server::webhooks::rejections::Rejected) -> ConsoleWebhook {
    use crate::server::webhooks::signature::SignatureError;
    let rejection = [SignatureError::Missing, SignatureError::Malformed, SignatureError::Mismatch]
        .into_iter()
        .find(|e| e.to_string() == r.reason)
        .map(|e| match e {
            SignatureError::Missing => "missing",
            SignatureError::Malformed => "malformed",
            SignatureError::Mismatch => "mismatch",
        })
        .unwrap_or("mismatch");
    ConsoleWebhook {
        at: r.received_at,
        event_type: r.claimed_type.unwrap_or_else(|| "unknown".into()),
        event_id: r.claimed_event_id.unwrap_or_else(|| "(none)".into()),
        signature_ok: false,
        verdict: format!("Rejected: {}", r.reason),
        rejection: Some(rejection.into()),
        status: "rejected".into(),
        attempts: 0,
        error: None,
        refused_bytes: Some(r.bytes as u64),
        payload: None,
        replayable: false,
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn live_rows_replace_their_earlier_state_and_stay_newest_first() {
        let hook = |at: &str, id: &str, status: &str| ConsoleWebhook {
            at: at.into(),
            event_type: "entity.created".into(),
            event_id: id.into(),
            signature_ok: true,
            verdict: "Valid signature".into(),
            rejection: None,
            status: status.into(),
            attempts: 1,
            error: None,
            refused_bytes: None,
            payload: None,
            replayable: true,
        };
        let mut log =
            ConsoleLog { calls: vec![], webhooks: vec![hook("2026-01-01T00:00:01Z", "a", "received")] };
        log.apply(ConsoleEntry::Webhook(hook("2026-01-01T00:00:02Z", "b", "received")));
        log.apply(ConsoleEntry::Webhook(hook("2026-01-01T00:00:01Z", "a", "processed")));
        let rows: Vec<_> = log.webhooks.iter().map(|w| (w.event_id.as_str(), w.status.as_str())).collect();
        assert_eq!(rows, [("b", "received"), ("a", "processed")]);
        // Two refusals claiming the same id are two rows.
        let mut refused = hook("2026-01-01T00:00:03Z", "a", "rejected");
        refused.signature_ok = false;
        log.apply(ConsoleEntry::Webhook(refused.clone()));
        refused.at = "2026-01-01T00:00:04Z".into();
        log.apply(ConsoleEntry::Webhook(refused));
        assert_eq!(log.webhooks.len(), 4);
        for i in 0..(ROWS + 5) {
            log.apply(ConsoleEntry::Call(call_row(
                format!("2026-01-02T00:00:{i:02}Z"),
                "GET".into(),
                "/customers/v1/?token=x",
                Some(200),
                3,
                None,
            )));
        }
        assert_eq!(log.calls.len(), ROWS);
        assert_eq!(log.calls[0].path, "/customers/v1/", "the query string never reaches the console");
        assert!(log.calls[0].at > log.calls[1].at);
    }

    #[test]
    fn the_form_offers_every_sample_the_cli_can_sign() {
        assert_eq!(super::TEST_WEBHOOK_TYPES, crate::server::cli::SAMPLE_TYPES);
    }
}
