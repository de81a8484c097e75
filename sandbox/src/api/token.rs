//! `POST /oauth2/token`: client-credentials grant for the `api` and `customer.<id>` scopes.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::rejection::FormRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Form, Json, Router};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::app::App;
use crate::auth::{self, TokenKind, TOKEN_LIFETIME_SECS};
use crate::error::{ApiError, ApiResult};

pub fn routes() -> Router<Arc<App>> {
    Router::new().route("/oauth2/token", post(token))
}

async fn token(
    State(app): State<Arc<App>>,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> ApiResult<Json<Value>> {
    let Form(form) = form.map_err(|e| {
        ApiError::invalid_parameters(format!("Expected an application/x-www-form-urlencoded body: {e}"))
    })?;
    let field = |name: &str| form.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());

    let creds = app.credentials();
    let (Some(client_id), Some(client_secret)) = (field("client_id"), field("client_secret")) else {
        return Err(invalid_client());
    };
    // Both compared in full each time so a wrong id and a wrong secret look the same.
    let id_ok = constant_time_eq(client_id.as_bytes(), creds.app_token.as_bytes());
    let secret_ok = constant_time_eq(client_secret.as_bytes(), creds.client_secret.as_bytes());
    if !(id_ok && secret_ok) {
        return Err(invalid_client());
    }

    match field("grant_type") {
        None => return Err(ApiError::missing_parameters("grant_type is required.")),
        Some("client_credentials") => {}
        Some(other) => {
            return Err(ApiError::invalid_parameters(format!(
                "Unsupported grant_type `{other}`; use client_credentials."
            )))
        }
    }
    let scope = field("scope").ok_or_else(|| {
        ApiError::missing_parameters("scope is required (`api` or `customer.<customer_id>`).")
    })?;
    let kind = if scope == "api" {
        TokenKind::Api
    } else if let Some(id) = scope.strip_prefix("customer.") {
        let id = Uuid::parse_str(id)
            .map_err(|_| ApiError::invalid_parameters(format!("`{id}` is not a valid customer_id.")))?;
        if app.store.read(|s| s.customer(id).is_none()) {
            return Err(ApiError::invalid_parameters(format!("No customer exists with customer_id {id}.")));
        }
        TokenKind::Customer(id)
    } else {
        return Err(ApiError::invalid_parameters(format!(
            "Unsupported scope `{scope}`; use `api` or `customer.<customer_id>`."
        )));
    };

    let (token, _) = auth::mint(&app, &kind)?;
    Ok(Json(json!({
        "access_token": token,
        "scope": scope,
        "token_type": "Bearer",
        "expires_in": TOKEN_LIFETIME_SECS - 1,
    })))
}

fn invalid_client() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "INVALID_CLIENT",
        "Client authentication failed: unknown client_id or wrong client_secret.",
    )
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = a.len() ^ b.len();
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        diff |= usize::from(x ^ y);
    }
    diff == 0
}
