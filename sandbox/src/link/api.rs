//! Sandbox-internal endpoints behind the Link UI (`/link/api/...`). Not part of Lean's
//! public API. Every call carries the customer-scoped token as Bearer and is re-checked
//! here, so the page's own checks are a convenience, not the security boundary.
//!
//! Flow outcomes (wrong password, OTP needed, locked account...) are HTTP 200 with a
//! `status` field holding Lean's LinkSDK secondary status; envelope errors (4xx) mean the
//! request itself was unacceptable.

use std::sync::Arc;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use super::flow::{self, ConnectRequest};
use crate::app::App;
use crate::auth::CustomerCaller;
use crate::banks;
use crate::error::{ApiError, ApiResult};
use crate::permissions;
use crate::users::{self, Behaviour, LoginOutcome, SLOW_LOGIN};

/// Lean's SDK refuses tokens with less than 10 minutes left (REFERENCE §2.1).
const MIN_TOKEN_VALIDITY_SECS: i64 = 600;

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/link/api/session", get(session))
        .route("/link/api/login", post(login))
        .route("/link/api/connect", post(connect))
        .route("/link/api/token", post(open_session))
}

#[derive(Deserialize)]
struct OpenSession {
    #[serde(default)]
    app_token: Option<String>,
    #[serde(default)]
    customer_id: Option<String>,
    #[serde(default)]
    payment_intent_id: Option<String>,
    #[serde(default)]
    bulk_payment_intent_id: Option<String>,
    #[serde(default)]
    reconnect_id: Option<String>,
}

fn uuid_field(value: &str, field: &str) -> ApiResult<Uuid> {
    Uuid::parse_str(value.trim())
        .map_err(|_| ApiError::invalid_parameters(format!("{field} is not a valid UUID.")))
}

/// A Link session for a launch without `access_token`, which Lean's SDK takes as optional. Lean
/// does not say how its SDK then identifies the customer; this sandbox uses what the config names:
/// `customer_id`, else the customer of the `payment_intent_id` (`pay`, `checkout`), of the
/// `bulk_payment_intent_id` (`pay`) or of the `reconnect_id` (`reconnect`). The token is that one customer's, like a merchant-minted one, so
/// every later check (the customer's intents, sources, consents) holds as before. Anyone holding
/// the app token and a customer's id can open such a session: that is why Lean recommends
/// `access_token` in production.
async fn open_session(
    State(app): State<Arc<App>>,
    body: Result<Json<Value>, JsonRejection>,
) -> ApiResult<Json<Value>> {
    let req: OpenSession = parse_body(body)?;
    let present = |v: Option<String>| v.filter(|v| !v.trim().is_empty());
    let app_token =
        present(req.app_token).ok_or_else(|| ApiError::missing_parameters("app_token is required."))?;
    if app_token.trim() != app.credentials().app_token {
        return Err(ApiError::invalid_parameters("app_token does not match this application."));
    }
    let customer_id = if let Some(id) = present(req.customer_id) {
        let id = uuid_field(&id, "customer_id")?;
        app.store.read(|s| s.customer(id).map(|_| id)).ok_or_else(ApiError::customer_not_found)?
    } else if let Some(id) = present(req.payment_intent_id) {
        let id = uuid_field(&id, "payment_intent_id")?;
        app.store
            .read(|s| s.payments.intents.iter().find(|i| i.id == id).map(|i| i.customer_id))
            .ok_or_else(crate::payments::errors::unknown_intent)?
    } else if let Some(id) = present(req.bulk_payment_intent_id) {
        let id = uuid_field(&id, "bulk_payment_intent_id")?;
        app.store
            .read(|s| s.payments.bulk_intents.iter().find(|b| b.id == id).map(|b| b.customer_id))
            .ok_or_else(crate::payments::errors::unknown_intent)?
    } else if let Some(id) = present(req.reconnect_id) {
        let id = uuid_field(&id, "reconnect_id")?;
        crate::data::find_reconnect(&app, id)
            .map(|(_, customer)| customer)
            .ok_or_else(|| ApiError::invalid_parameters("No pending reconnect for this reconnect_id."))?
    } else {
        return Err(ApiError::missing_parameters("customer_id is required."));
    };
    let (token, claims) = crate::auth::mint(&app, &crate::auth::TokenKind::Customer(customer_id))
        .map_err(ApiError::internal)?;
    Ok(Json(json!({
        "status": "OK",
        "access_token": token,
        "customer_id": customer_id,
        "token_expires_at": claims.exp,
    })))
}

/// The token must be this customer's; anything else is reported as INVALID_TOKEN.
fn check_customer(caller: &CustomerCaller, customer_id: &str) -> ApiResult<Uuid> {
    let id = Uuid::parse_str(customer_id.trim())
        .map_err(|_| ApiError::invalid_parameters("customer_id is not a valid UUID."))?;
    if id != caller.customer_id {
        return Err(ApiError::invalid_token("The access_token was not issued for this customer_id."));
    }
    Ok(id)
}

#[derive(Deserialize)]
struct SessionQuery {
    customer_id: Option<String>,
    app_token: Option<String>,
}

async fn session(
    caller: CustomerCaller,
    State(app): State<Arc<App>>,
    query: Result<Query<SessionQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Query(q) = query.map_err(|e| ApiError::invalid_parameters(e.body_text()))?;
    let customer_id =
        q.customer_id.ok_or_else(|| ApiError::missing_parameters("customer_id is required."))?;
    let id = check_customer(&caller, &customer_id)?;
    if let Some(app_token) = q.app_token {
        if app_token != app.credentials().app_token {
            return Err(ApiError::invalid_parameters("app_token does not match this application."));
        }
    }
    let remaining = caller.claims.exp - chrono::Utc::now().timestamp();
    if remaining < MIN_TOKEN_VALIDITY_SECS {
        return Err(ApiError::invalid_token(
            "The access_token must stay valid for at least 10 more minutes.",
        ));
    }
    let app_user_id = app
        .store
        .read(|s| s.customer(id).map(|c| c.app_user_id.clone()))
        .ok_or_else(ApiError::customer_not_found)?;
    Ok(Json(json!({
        "status": "OK",
        "customer_id": id,
        "app_user_id": app_user_id,
        "token_expires_at": caller.claims.exp,
    })))
}

#[derive(Deserialize)]
struct LoginRequest {
    customer_id: String,
    bank_identifier: String,
    username: String,
    password: String,
    otp: Option<String>,
}

fn parse_body<T: serde::de::DeserializeOwned>(body: Result<Json<Value>, JsonRejection>) -> ApiResult<T> {
    let Json(value) =
        body.map_err(|e| ApiError::invalid_parameters(format!("Invalid JSON body: {}", e.body_text())))?;
    serde_json::from_value(value).map_err(|e| ApiError::invalid_parameters(format!("Invalid request: {e}")))
}

pub fn outcome_json(outcome: &LoginOutcome) -> Value {
    json!({ "status": outcome.status(), "message": outcome.message() })
}

/// Checks credentials (and OTP) without side effects; the UI calls it per screen.
async fn login(caller: CustomerCaller, body: Result<Json<Value>, JsonRejection>) -> ApiResult<Json<Value>> {
    let req: LoginRequest = parse_body(body)?;
    check_customer(&caller, &req.customer_id)?;
    if banks::find(&req.bank_identifier).is_none() {
        return Err(ApiError::invalid_parameters("Unknown bank_identifier."));
    }
    let (outcome, behaviour) = users::login(&req.username, &req.password, req.otp.as_deref());
    // The slow user's bank answers slowly at login, where a person would notice.
    if behaviour == Some(Behaviour::Slow) {
        tokio::time::sleep(SLOW_LOGIN).await;
    }
    Ok(Json(outcome_json(&outcome)))
}

/// Verifies everything again and, on success, creates or refreshes the entity and queues
/// its webhooks.
async fn connect(
    caller: CustomerCaller,
    State(app): State<Arc<App>>,
    body: Result<Json<Value>, JsonRejection>,
) -> ApiResult<Json<Value>> {
    let req: ConnectRequest = parse_body(body)?;
    let customer_id = check_customer(&caller, &req.customer_id)?;
    let bank = banks::find(&req.bank_identifier)
        .ok_or_else(|| ApiError::invalid_parameters("Unknown bank_identifier."))?;
    if req.permissions.is_empty() {
        return Err(ApiError::invalid_parameters("permissions must not be empty."));
    }
    if let Some(bad) = req.permissions.iter().find(|p| !permissions::is_known(p)) {
        return Err(ApiError::invalid_parameters(format!("Unknown permission `{bad}`.")));
    }
    let (outcome, _) = users::login(&req.username, &req.password, req.otp.as_deref());
    if outcome != LoginOutcome::Ok {
        return Ok(Json(outcome_json(&outcome)));
    }
    let result = flow::complete_connect(&app, customer_id, bank, &req)?;
    Ok(Json(result))
}
