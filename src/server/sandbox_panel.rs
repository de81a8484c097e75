//! The sandbox panel: the embedded sandbox's test users and its scenario controls, so a presenter can
//! show every asynchronous state on cue. It exists only with the embedded sandbox (404 otherwise), and
//! reaches the sandbox only over HTTP, through its `/sandbox/scenarios/*` endpoints.

use crate::i18n::{arg, num, t, t_with};
use crate::model::sandbox_panel::{
    PanelEntity, SandboxPanel, TestUser, GRANULAR_CODES, NEXT_CALL_STATUSES, TEST_USERS,
};
use crate::model::{AppError, EntityId, UserId};
use crate::server::db::{customers, entities};
use crate::server::AppState;

/// The panel: test users, the OTP, and the user's own banks.
pub async fn panel(state: &AppState, user_id: &UserId) -> Result<SandboxPanel, AppError> {
    sandbox_url(state)?;
    let entities = match customers::for_user(&state.db, user_id).await? {
        Some(c) => entities::list_for_customer(&state.db, &c.customer_id).await?,
        None => Vec::new(),
    };
    Ok(SandboxPanel {
        users: TEST_USERS
            .iter()
            .map(|(u, p, b)| TestUser { username: u.to_string(), password: p.to_string(), behaviour: t(b) })
            .collect(),
        otp: "1111".into(),
        entities: entities
            .into_iter()
            .map(|e| PanelEntity { bank_name: e.shown_bank_name().to_owned(), id: e.id.into_string() })
            .collect(),
    })
}

/// The bank logs the test user out: every bank that user connected needs reconnecting. The sandbox's
/// test users are shared by every account of this app, so the answer speaks only of the person's own
/// banks, and the app reads each of them once so their cards say "reconnect" at once.
pub async fn expire_session(state: &AppState, user_id: &UserId, username: &str) -> Result<String, AppError> {
    let base = sandbox_url(state)?;
    let username = username.trim();
    if !TEST_USERS.iter().any(|(u, _, _)| *u == username) {
        return Err(AppError::invalid("username", t("panel-choose-test-user")));
    }
    let body = serde_json::json!({"username": username});
    let res = sandbox_call(reqwest::Method::POST, &base, "expire-session", Some(body)).await?;
    let expired: Vec<&str> = res["entities"]
        .as_array()
        .map(|list| list.iter().filter_map(|e| e["entity_id"].as_str()).collect())
        .unwrap_or_default();
    let mine: Vec<_> = match customers::for_user(&state.db, user_id).await? {
        Some(c) => entities::list_for_customer(&state.db, &c.customer_id)
            .await?
            .into_iter()
            .filter(|e| expired.contains(&e.id.as_str()))
            .collect(),
        None => Vec::new(),
    };
    for entity in &mine {
        crate::server::bank_data::check_connection(state, user_id, entity).await?;
    }
    Ok(t_with("panel-expired", &[("user", arg(username)), ("count", num(mine.len() as i64))]))
}

/// One-shot: the entity's next data call ends with `status` (and, for FAILED, a granular code).
pub async fn next_data_call(
    state: &AppState,
    user_id: &UserId,
    entity_id: &str,
    status: &str,
    granular_status_code: &str,
) -> Result<String, AppError> {
    let base = sandbox_url(state)?;
    let own = customers::for_user(&state.db, user_id).await?;
    let found = entities::get(&state.db, &EntityId::new(entity_id.trim())).await?;
    let entity = match (own, found) {
        (Some(c), Some((owner, e))) if owner == c.customer_id => e,
        _ => return Err(AppError::invalid("entity_id", t("panel-choose-own-bank"))),
    };
    let status = status.trim();
    if !NEXT_CALL_STATUSES.contains(&status) {
        return Err(AppError::invalid("status", t("panel-choose-outcome")));
    }
    let code = granular_status_code.trim();
    let mut body = serde_json::json!({"entity_id": entity.id, "status": status});
    if status == "FAILED" && !code.is_empty() {
        if !GRANULAR_CODES.contains(&code) {
            return Err(AppError::invalid("granular_status_code", t("panel-choose-code")));
        }
        body["granular_status_code"] = code.into();
    }
    sandbox_call(reqwest::Method::POST, &base, "next-data-call", Some(body)).await?;
    let how = match status {
        "PENDING" => t("panel-how-pending"),
        "FAILED" => format!("FAILED ({})", if code.is_empty() { "BANK_ISSUE" } else { code }),
        other => other.to_owned(),
    };
    Ok(t_with("panel-next-call-set", &[("bank", arg(entity.shown_bank_name())), ("how", arg(how))]))
}

/// Adds a fault rule for the sandbox's API routes: 500s, 429s or added latency, at a rate.
pub async fn fault(state: &AppState, kind: &str, rate: &str, latency_ms: &str) -> Result<String, AppError> {
    let base = sandbox_url(state)?;
    let rate: f64 = match rate.trim() {
        "" => 1.0,
        r => r
            .parse()
            .ok()
            .filter(|r: &f64| (0.0..=1.0).contains(r))
            .ok_or_else(|| AppError::invalid("rate", t("panel-rate-invalid")))?,
    };
    let percent = arg((rate * 100.0).round());
    let (body, said) = match kind.trim() {
        "500" => (
            serde_json::json!({"status": 500, "rate": rate}),
            t_with("panel-fault-500", &[("percent", percent)]),
        ),
        "429" => (
            serde_json::json!({"status": 429, "rate": rate}),
            t_with("panel-fault-429", &[("percent", percent)]),
        ),
        "latency" => {
            let ms: u64 = latency_ms
                .trim()
                .parse()
                .ok()
                .filter(|ms| *ms <= 60_000)
                .ok_or_else(|| AppError::invalid("latency_ms", t("panel-latency-invalid")))?;
            (
                serde_json::json!({"latency_ms": ms, "rate": rate}),
                t_with("panel-fault-latency", &[("percent", percent), ("ms", num(ms as i64))]),
            )
        }
        _ => return Err(AppError::invalid("kind", t("panel-fault-invalid"))),
    };
    sandbox_call(reqwest::Method::POST, &base, "faults", Some(body)).await?;
    Ok(format!("{said} {}", t("panel-fault-clear-hint")))
}

/// Clears scripted calls, fault rules, dropped-webhook rules and pending reconnects.
pub async fn clear(state: &AppState) -> Result<String, AppError> {
    let base = sandbox_url(state)?;
    sandbox_call(reqwest::Method::DELETE, &base, "", None).await?;
    Ok(t("panel-cleared"))
}

/// The embedded sandbox's base URL; the panel does not exist without it.
fn sandbox_url(state: &AppState) -> Result<String, AppError> {
    match (&state.public.sandbox_url, crate::server::console::embedded(state)) {
        (Some(url), true) => Ok(url.clone()),
        _ => Err(AppError::NotFound(crate::i18n::t("panel-the-panel"))),
    }
}

/// Calls `/sandbox/scenarios/{path}` over HTTP; the sandbox's refusal is passed on in plain words.
async fn sandbox_call(
    method: reqwest::Method,
    base: &str,
    path: &str,
    body: Option<serde_json::Value>,
) -> Result<serde_json::Value, AppError> {
    let url = if path.is_empty() {
        format!("{base}/sandbox/scenarios")
    } else {
        format!("{base}/sandbox/scenarios/{path}")
    };
    let mut req = reqwest::Client::new().request(method, url).timeout(std::time::Duration::from_secs(10));
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.map_err(|e| {
        tracing::warn!(error = %e, "sandbox scenario call failed");
        AppError::LeanUnavailable
    })?;
    let status = res.status();
    let json: serde_json::Value = res.json().await.unwrap_or_default();
    if status.is_success() {
        Ok(json)
    } else {
        let message = json["message"].as_str().map(str::to_owned).unwrap_or_else(|| t("panel-no-reason"));
        Err(AppError::invalid(
            "sandbox",
            t_with("panel-sandbox-refused", &[("status", arg(status.as_u16())), ("message", arg(message))]),
        ))
    }
}
