//! The developer console's rules and rows: who may open it, what each person sees, and the services
//! behind its server functions (`api::console`).
//!
//! With the embedded sandbox (a local demo) every signed-in user may open the console and sees their
//! own Lean calls and webhooks; admins (ADMIN_EMAILS) see every user's, and the webhooks refused for
//! their signature, in every mode. With real Lean only admins may open it.
//!
//! Never shown: tokens, secrets, signature header values, request or response bodies of Lean calls.

use secrecy::ExposeSecret;

use crate::i18n::t;
use crate::model::console::{
    ConsoleCall, ConsoleLog, ConsoleQuery, ConsoleWebhook, TestWebhookSent, MAX_FILTER_CHARS, ROWS,
};
use crate::model::{AppError, CustomerId, UserId, WebhookStatus};
use crate::server::db::{self, customers, lean_api_calls, users, webhook_events};
use crate::server::webhooks::rejections::Rejected;
use crate::server::AppState;

/// What one person's console shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum View {
    /// Every user's rows and the refused webhooks.
    Everyone,
    /// One user's own rows: calls made for them, webhooks about their customer.
    Own { user_id: UserId, customer_id: Option<CustomerId> },
}

/// The embedded sandbox is running: a local demo, where the console's data is the sandbox's.
pub fn embedded(state: &AppState) -> bool {
    state.public.sandbox
        && state.public.sandbox_url.is_some()
        && matches!(state.config.lean, crate::server::config::LeanTarget::Embedded { .. })
}

pub fn is_admin(state: &AppState, email: &str) -> bool {
    state.config.admin_emails.iter().any(|a| a == email)
}

/// The console `user_id` may see: None when they may not open it (unknown user, or real Lean and
/// not an admin).
pub async fn view_of(state: &AppState, user_id: &UserId) -> Result<Option<View>, sqlx::Error> {
    let Some(user) = users::find_by_id(&state.db, user_id).await? else {
        return Ok(None);
    };
    if is_admin(state, &user.email) {
        return Ok(Some(View::Everyone));
    }
    if !embedded(state) {
        return Ok(None);
    }
    let customer_id = customers::for_user(&state.db, user_id).await?.map(|c| c.customer_id);
    Ok(Some(View::Own { user_id: user_id.clone(), customer_id }))
}

/// The view for a signed-in caller of the console's server functions: 403 when they may not.
pub async fn require(state: &AppState, user_id: &UserId) -> Result<View, AppError> {
    view_of(state, user_id).await?.ok_or(AppError::Forbidden)
}

/// One page of the console's rows, newest first, as `view` may see them and `query` asks.
pub async fn log(state: &AppState, view: &View, query: &ConsoleQuery) -> Result<ConsoleLog, AppError> {
    check_query(query)?;
    let (user, customer) = match view {
        View::Everyone => (None, None),
        View::Own { user_id, customer_id } => (Some(user_id), customer_id.as_ref()),
    };
    // One row past the page says whether there is another.
    let take = ROWS as i64 + 1;
    let call_filter = lean_api_calls::CallFilter {
        user_id: user,
        before: query.calls_before.as_deref(),
        failed_only: query.failed_calls,
    };
    let mut calls: Vec<ConsoleCall> = lean_api_calls::recent(&state.db, &call_filter, take)
        .await?
        .into_iter()
        .map(|c| call_row(c.created_at, c.method, &c.path, c.status, c.latency_ms, c.results_id))
        .collect();
    let more_calls = calls.len() > ROWS;
    calls.truncate(ROWS);

    let everyone = *view == View::Everyone;
    let event_filter = webhook_events::EventFilter {
        customer_id: customer,
        after_row: query.webhooks_before.as_deref().map(|c| c.split_once('|').unwrap_or((c, ""))),
        event_type: query.webhook_type.as_deref(),
        status: query.webhook_status.as_deref(),
    };
    let stored = match (view, customer) {
        (View::Own { .. }, None) => Vec::new(),
        _ => webhook_events::recent(&state.db, &event_filter, take).await?,
    };
    let mut webhooks: Vec<ConsoleWebhook> = stored.into_iter().map(stored_webhook_row).collect();
    if everyone {
        let refused = state.rejected_webhooks.recent().into_iter().map(rejected_webhook_row).filter(|w| {
            query.webhook_matches(w) && query.webhooks_before.as_ref().is_none_or(|cursor| w.is_after(cursor))
        });
        webhooks.extend(refused);
        // RFC 3339 UTC strings sort as times; ties by id, as the database orders them.
        webhooks.sort_by(|a, b| (&b.at, &b.event_id).cmp(&(&a.at, &a.event_id)));
    }
    let more_webhooks = webhooks.len() > ROWS;
    webhooks.truncate(ROWS);
    let refused_total = if everyone { state.rejected_webhooks.total() } else { 0 };
    Ok(ConsoleLog { calls, webhooks, everyone, refused_total, more_webhooks, more_calls })
}

/// The filters a console page may ask for: known statuses, a plain event type, times as the rows
/// carry them.
fn check_query(query: &ConsoleQuery) -> Result<(), AppError> {
    let plain = |s: &Option<String>| {
        s.as_ref().is_none_or(|v| {
            v.len() <= MAX_FILTER_CHARS
                && v.chars().all(|c| c.is_ascii_alphanumeric() || "._-:+|".contains(c))
        })
    };
    let statuses = ["received", "processing", "processed", "failed", "rejected"];
    let known_status = query.webhook_status.as_deref().is_none_or(|s| statuses.contains(&s));
    if !plain(&query.webhook_type)
        || !plain(&query.webhooks_before)
        || !plain(&query.calls_before)
        || !known_status
    {
        return Err(AppError::invalid("filter", t("console-filter-invalid")));
    }
    Ok(())
}

/// Applies a stored webhook again through the worker. Idempotent: the handlers are upserts. Only
/// an event the view includes may be replayed (anything else is "not found").
pub async fn replay(state: &AppState, view: &View, event_id: &str) -> Result<(), AppError> {
    let event_id = event_id.trim();
    if event_id.is_empty() || event_id.len() > 200 {
        return Err(AppError::NotFound(t("console-the-webhook")));
    }
    if is_malformed(event_id) {
        return Err(AppError::invalid("event_id", t("console-replay-malformed")));
    }
    let owner = webhook_events::customer_of(&state.db, event_id).await?;
    let visible = match (view, &owner) {
        (View::Everyone, Some(_)) => true,
        (View::Own { customer_id: Some(mine), .. }, Some(Some(theirs))) => mine == theirs,
        _ => false,
    };
    if !visible {
        return Err(AppError::NotFound(t("console-the-webhook")));
    }
    match webhook_events::status_of(&state.db, event_id).await? {
        None => return Err(AppError::NotFound(t("console-the-webhook"))),
        Some((status, _)) if status == webhook_events::PROCESSING => {
            return Err(AppError::invalid("event_id", t("console-replay-busy")))
        }
        Some(_) => {}
    }
    if webhook_events::reset_for_replay(&state.db, event_id).await? {
        tracing::info!(event_id, "webhook replay requested from the console");
        // Open consoles show the row again (back at `received`, unless the worker is already done
        // with it); the worker reports the outcome.
        crate::server::live::console::webhook_changed(&state.bus, event_id);
        state.worker.wake();
    }
    Ok(())
}

/// Signs a realistic sample event with the webhook secret, exactly as Lean does, and posts it to this
/// app's own `/webhooks/lean`, so it goes through verification like a real one. Fresh ids, so it
/// changes nobody's banks; it shows in the sender's own console all the same.
pub async fn send_test_webhook(
    state: &AppState,
    view: &View,
    event_type: &str,
) -> Result<TestWebhookSent, AppError> {
    let event_type = event_type.trim();
    let body = crate::server::cli::sample_event(event_type, None, None)
        .ok_or_else(|| AppError::invalid("event_type", t("console-test-type-invalid")))?;
    let event_id = body["event_id"].as_str().unwrap_or_default().to_owned();
    if let View::Own { customer_id: Some(customer_id), .. } = view {
        state.test_webhook_owners.expect(&event_id, customer_id);
    }
    let bytes = serde_json::to_vec(&body)?;
    let signature =
        crate::server::webhooks::signature::sign(state.webhook_secret.expose_secret().as_bytes(), &bytes);
    let url = format!("http://{}/webhooks/lean", own_addr(state.config.addr));
    let res = reqwest::Client::new()
        .post(url)
        .timeout(std::time::Duration::from_secs(10))
        .header("content-type", "application/json")
        .header("lean-signature", signature)
        .body(bytes)
        .send()
        .await
        .map_err(crate::server::errors::internal)?;
    Ok(TestWebhookSent { event_type: event_type.to_owned(), event_id, http_status: res.status().as_u16() })
}

fn is_malformed(event_id: &str) -> bool {
    event_id.starts_with("malformed-")
}

/// The address to reach this server from itself (a wildcard bind is reached on loopback).
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

/// A recorded outbound call as the console shows it. Only method, path and outcome are ever
/// recorded, and the query string is dropped here too.
pub fn call_row(
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
pub fn stored_webhook_row(e: db::webhook_events::StoredEvent) -> ConsoleWebhook {
    use db::webhook_events::PROCESSING;
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
        status: WebhookStatus::parse(&e.status),
        attempts: e.attempts,
        error: e.last_error,
        refused_bytes: None,
        payload: Some(payload),
    }
}

/// A webhook refused for its signature: only the verdict and what the body claimed to be.
pub fn rejected_webhook_row(r: Rejected) -> ConsoleWebhook {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_string_never_reaches_the_console() {
        let row = call_row("t".into(), "GET".into(), "/customers/v1/?token=x", Some(200), 3, None);
        assert_eq!(row.path, "/customers/v1/");
    }

    #[test]
    fn the_form_offers_every_sample_the_cli_can_sign() {
        assert_eq!(crate::model::console::TEST_WEBHOOK_TYPES, crate::server::cli::SAMPLE_TYPES);
    }
}
