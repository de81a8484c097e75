//! What operators watch: counters, gauges and histograms in Prometheus' text format at `/metrics`
//! (the `metrics` facade, rendered by `metrics-exporter-prometheus`), and `/readyz`, which says whether
//! this instance can do its work: the database answers and a Lean token can be had.
//!
//! `/metrics` answers a scraper that shows `METRICS_TOKEN` as a bearer token; without that setting,
//! only clients on this machine (so a sidecar, or `curl` on the host), never the internet.

use std::sync::OnceLock;
use std::time::Duration;

use axum::extract::{Extension, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use secrecy::ExposeSecret;

use super::security::client::Client;
use super::AppState;

pub const WEBHOOKS_RECEIVED: &str = "lean_webhooks_received_total";
pub const WEBHOOKS_REJECTED: &str = "lean_webhooks_rejected_total";
pub const WEBHOOKS_STORED: &str = "lean_webhooks_stored_total";
pub const WEBHOOKS_APPLIED: &str = "lean_webhooks_applied_total";
pub const WEBHOOKS_FAILED: &str = "lean_webhooks_failed_total";
pub const WEBHOOK_QUEUE_DEPTH: &str = "lean_webhook_queue_depth";
pub const WEBHOOK_APPLY_LAG: &str = "lean_webhook_apply_lag_seconds";
pub const LEAN_CALLS: &str = "lean_api_calls_total";
pub const LEAN_CALL_SECONDS: &str = "lean_api_call_duration_seconds";
pub const LIVE_STREAMS: &str = "live_streams_open";
pub const SIGN_INS_THROTTLED: &str = "sign_ins_throttled_total";

/// Lean answers most calls within a few hundred milliseconds; the client gives up at 20 s.
const LEAN_CALL_BUCKETS: &[f64] = &[0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process's recorder, installed on first use. One per process: every app built in it (tests
/// start several) counts into the same registry.
pub fn handle() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let handle = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(LEAN_CALL_SECONDS.into()), LEAN_CALL_BUCKETS)
            .and_then(|b| b.install_recorder())
            .unwrap_or_else(|e| {
                // Another recorder is installed (an embedding program's own): render what we have.
                tracing::warn!(error = %e, "metrics recorder not installed");
                PrometheusBuilder::new().build_recorder().handle()
            });
        describe();
        handle
    })
}

fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram, Unit};
    describe_counter!(WEBHOOKS_RECEIVED, "Webhook deliveries that reached /webhooks/lean.");
    describe_counter!(WEBHOOKS_REJECTED, "Webhook deliveries refused for their signature, by reason.");
    describe_counter!(WEBHOOKS_STORED, "New webhook events stored (redeliveries not counted).");
    describe_counter!(WEBHOOKS_APPLIED, "Webhook events the worker applied.");
    describe_counter!(WEBHOOKS_FAILED, "Webhook events whose application failed (retried until given up).");
    describe_gauge!(WEBHOOK_QUEUE_DEPTH, "Webhook events stored and not yet applied.");
    describe_gauge!(WEBHOOK_APPLY_LAG, Unit::Seconds, "Age of the oldest webhook event not yet applied.");
    describe_counter!(LEAN_CALLS, "Calls to Lean's API, by operation and HTTP status (0: no answer).");
    describe_histogram!(LEAN_CALL_SECONDS, Unit::Seconds, "How long Lean took to answer, by operation.");
    describe_gauge!(LIVE_STREAMS, "Open live-update streams (/live).");
    describe_counter!(SIGN_INS_THROTTLED, "Sign-in and sign-up attempts refused by throttling.");
    // Exported from the start, at zero: an alert on a rate needs the series to exist before the first event.
    for name in [WEBHOOKS_RECEIVED, WEBHOOKS_STORED, WEBHOOKS_APPLIED, WEBHOOKS_FAILED, SIGN_INS_THROTTLED] {
        metrics::counter!(name).increment(0);
    }
    for reason in ["missing", "malformed", "mismatch"] {
        metrics::counter!(WEBHOOKS_REJECTED, "reason" => reason).increment(0);
    }
    for name in [WEBHOOK_QUEUE_DEPTH, WEBHOOK_APPLY_LAG, LIVE_STREAMS] {
        metrics::gauge!(name).increment(0.0);
    }
}

/// A Lean call path as an operation: ids and queries left out, so the label set stays small.
pub fn operation(method: &str, path: &str) -> String {
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    let segments: Vec<&str> = path
        .split('/')
        .map(|s| if s.chars().any(|c| c.is_ascii_digit()) && s.len() >= 8 { "{id}" } else { s })
        .collect();
    format!("{method} {}", segments.join("/"))
}

/// Records one call to Lean as the client saw it.
pub fn lean_call(method: &str, path: &str, status: Option<u16>, elapsed: Duration) {
    let operation = operation(method, path);
    let status = status.unwrap_or(0).to_string();
    metrics::counter!(LEAN_CALLS, "operation" => operation.clone(), "status" => status).increment(1);
    metrics::histogram!(LEAN_CALL_SECONDS, "operation" => operation).record(elapsed.as_secs_f64());
}

/// Counts an open live stream for as long as it is held.
pub struct OpenStream(());

impl OpenStream {
    pub fn count() -> Self {
        metrics::gauge!(LIVE_STREAMS).increment(1.0);
        OpenStream(())
    }
}

impl Drop for OpenStream {
    fn drop(&mut self) {
        metrics::gauge!(LIVE_STREAMS).decrement(1.0);
    }
}

fn may_scrape(state: &AppState, client: Option<&Client>, headers: &HeaderMap) -> bool {
    match &state.config.metrics_token {
        Some(token) => headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            // Digests are compared, so the time taken says nothing about the token.
            .is_some_and(|given| {
                use sha2::{Digest, Sha256};
                Sha256::digest(given.as_bytes()) == Sha256::digest(token.expose_secret().as_bytes())
            }),
        None => client.is_some_and(|c| c.ip.is_loopback()),
    }
}

/// `GET /metrics`: the queue's depth and lag are read from the database at each scrape.
pub async fn scrape(
    State(state): State<AppState>,
    client: Option<Extension<Client>>,
    headers: HeaderMap,
) -> Response {
    if !may_scrape(&state, client.as_deref(), &headers) {
        return StatusCode::FORBIDDEN.into_response();
    }
    match super::db::webhook_events::backlog(&state.db).await {
        Ok((depth, oldest)) => {
            metrics::gauge!(WEBHOOK_QUEUE_DEPTH).set(depth as f64);
            let lag = oldest
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
                .map(|t| {
                    (chrono::Utc::now() - t.with_timezone(&chrono::Utc)).num_milliseconds().max(0) as f64
                        / 1000.0
                })
                .unwrap_or(0.0);
            metrics::gauge!(WEBHOOK_APPLY_LAG).set(lag);
        }
        Err(e) => tracing::warn!(error = %e, "could not read the webhook backlog for /metrics"),
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], handle().render()).into_response()
}

/// `GET /readyz`: 200 when the database answers and a Lean `api` token can be had (cached, so this
/// costs Lean nothing most of the time), else 503 with what is wrong.
pub async fn ready(State(state): State<AppState>) -> Response {
    let database = sqlx::query("SELECT 1").execute(&state.db).await.map(|_| ()).map_err(|e| e.to_string());
    let lean = state.lean.api_token().await.map(|_| ()).map_err(|e| e.to_string());
    let word = |r: &Result<(), String>| match r {
        Ok(()) => "ok".to_owned(),
        Err(e) => e.clone(),
    };
    let body = serde_json::json!({ "database": word(&database), "lean": word(&lean) });
    let status =
        if database.is_ok() && lean.is_ok() { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, axum::Json(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::operation;

    #[test]
    fn operations_leave_ids_and_queries_out() {
        assert_eq!(
            operation("GET", "/data/v2/accounts/3f1c2d4e-0000-4000-8000-000000000001/balances?entity_id=x"),
            "GET /data/v2/accounts/{id}/balances"
        );
        assert_eq!(operation("POST", "/customers/v1"), "POST /customers/v1");
        assert_eq!(operation("GET", "/consents/v1"), "GET /consents/v1");
    }
}
