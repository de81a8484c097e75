//! API fault injection: HTTP 500, HTTP 429 and added latency at a given rate, optionally
//! limited to a path prefix. Rules are set through `/sandbox/scenarios/faults` and apply to
//! Lean's API routes only; `/sandbox/*`, `/link/*` and `/health` are never faulted.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use rand::Rng;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::app::App;
use crate::error::ApiError;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FaultRule {
    pub id: Uuid,
    /// 500 or 429; `None` for latency only.
    pub status: Option<u16>,
    /// Added before the request is handled (and before an injected error is returned).
    pub latency_ms: u64,
    /// Probability in 0..=1 that a matching request is affected.
    pub rate: f64,
    /// Only paths starting with this, e.g. `/data/`.
    pub path_prefix: Option<String>,
    /// Stop after this many affected requests; `None` = until cleared.
    pub remaining: Option<u32>,
}

/// Paths that are never faulted: the sandbox's own controls and pages.
fn exempt(path: &str) -> bool {
    path.starts_with("/sandbox/") || path == "/sandbox" || path.starts_with("/link/") || path == "/health"
}

/// Wraps the whole router; the middleware decides per path.
pub fn layer(router: Router, app: Arc<App>) -> Router {
    router.layer(axum::middleware::from_fn_with_state(app, middleware))
}

pub async fn middleware(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if exempt(&path) {
        return next.run(req).await;
    }
    let roll: f64 = rand::thread_rng().gen();
    // First matching rule that fires wins; its `remaining` is used up.
    let hit = app.store.read(|s| {
        s.data
            .faults
            .iter()
            .find(|f| {
                f.path_prefix.as_deref().is_none_or(|p| path.starts_with(p))
                    && f.remaining != Some(0)
                    && roll < f.rate
            })
            .cloned()
    });
    let Some(rule) = hit else {
        return next.run(req).await;
    };
    if rule.remaining.is_some() {
        let updated = app.store.update(|s| {
            if let Some(f) = s.data.faults.iter_mut().find(|f| f.id == rule.id) {
                if let Some(n) = f.remaining.as_mut() {
                    *n = n.saturating_sub(1);
                }
            }
            s.data.faults.retain(|f| f.remaining != Some(0));
        });
        if let Err(err) = updated {
            tracing::warn!(%err, "could not persist fault counter");
        }
    }
    if rule.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(rule.latency_ms)).await;
    }
    match rule.status {
        Some(500) => ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_SERVER_ERROR",
            "Something has gone wrong. If you continue to see this error, please get in touch with Lean.",
        )
        .into_response(),
        Some(429) => {
            let mut resp = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "RATE_LIMIT_EXCEEDED",
                "Too many requests. Please try again later.",
            )
            .into_response();
            resp.headers_mut().insert("retry-after", axum::http::HeaderValue::from_static("1"));
            resp
        }
        _ => next.run(req).await,
    }
}
