//! OAuth2 client-credentials tokens and the Bearer checks every API route uses.
//!
//! Lean signs RS256 JWTs; the sandbox signs HS256 with a persisted key but keeps Lean's
//! claim names (REFERENCE §2.1) so merchant code that peeks into tokens behaves the same.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::app::App;
use crate::error::ApiError;

/// Lean reports `expires_in: 3599` for a token whose `exp - iat` is 3600.
pub const TOKEN_LIFETIME_SECS: i64 = 3600;
const KEY_ID: &str = "lean-sandbox-hs256";

const API_SCOPES: [&str; 16] = [
    "customer.read",
    "customer.write",
    "destination.write",
    "destination.read",
    "report.read",
    "report.write",
    "bank.read",
    "webhook.read",
    "payment.read",
    "intent.write",
    "payout.write",
    "payout.read",
    "deposit.read",
    "data.read",
    "reconciliation.read",
    "file.read",
];

const CUSTOMER_SCOPES: [&str; 10] = [
    "customer.read",
    "beneficiary.write",
    "payment.write",
    "payment.read",
    "destination.read",
    "connect.write",
    "connect.read",
    "application.read",
    "bank.read",
    "key.read",
];

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct IdRef {
    pub id: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub iss: String,
    pub aud: serde_json::Value,
    pub scope: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customers: Option<Vec<IdRef>>,
    pub applications: Vec<IdRef>,
    pub exp: i64,
    pub iat: i64,
    pub nbf: i64,
    pub jti: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Api,
    Customer(Uuid),
}

impl Claims {
    pub fn kind(&self) -> Result<TokenKind, ApiError> {
        match &self.customers {
            None => Ok(TokenKind::Api),
            Some(list) => {
                let first =
                    list.first().ok_or_else(|| ApiError::invalid_token("The token names no customer."))?;
                Uuid::parse_str(&first.id)
                    .map(TokenKind::Customer)
                    .map_err(|_| ApiError::invalid_token("The token names an invalid customer."))
            }
        }
    }
}

pub fn mint(app: &App, kind: &TokenKind) -> anyhow::Result<(String, Claims)> {
    let (app_token, key) =
        app.store.read(|s| (s.application.app_token.clone(), s.application.jwt_key_hex.clone()));
    let key = hex::decode(key)?;
    let now = chrono::Utc::now().timestamp();
    let base = &app.base_url;
    let (aud, scope, customers) = match kind {
        TokenKind::Api => (
            serde_json::Value::String(base.clone()),
            API_SCOPES.iter().map(|s| s.to_string()).collect(),
            None,
        ),
        TokenKind::Customer(id) => (
            // Lean's customer tokens name the Link hosts as audience.
            serde_json::json!([format!("{base}/link"), base]),
            CUSTOMER_SCOPES.iter().map(|s| s.to_string()).collect(),
            Some(vec![IdRef { id: id.to_string() }]),
        ),
    };
    let claims = Claims {
        sub: app_token.clone(),
        iss: base.clone(),
        aud,
        scope,
        customers,
        applications: vec![IdRef { id: app_token }],
        exp: now + TOKEN_LIFETIME_SECS,
        iat: now,
        nbf: now,
        jti: Uuid::new_v4().to_string(),
    };
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(KEY_ID.to_string());
    let token = jsonwebtoken::encode(&header, &claims, &EncodingKey::from_secret(&key))?;
    Ok((token, claims))
}

/// Checks signature, expiry and that the token belongs to this application.
pub fn verify(app: &App, token: &str) -> Result<Claims, ApiError> {
    let (app_token, key) =
        app.store.read(|s| (s.application.app_token.clone(), s.application.jwt_key_hex.clone()));
    let key = hex::decode(key).map_err(ApiError::internal)?;
    let mut validation = Validation::new(Algorithm::HS256);
    // The audience differs per token kind and the issuer changes with the port; both are
    // informational here. Signature + exp + nbf are what make a token valid.
    validation.validate_aud = false;
    validation.validate_nbf = true;
    validation.leeway = 5;
    validation.set_required_spec_claims(&["exp", "sub"]);
    let data = jsonwebtoken::decode::<Claims>(token, &DecodingKey::from_secret(&key), &validation).map_err(
        |err| {
            use jsonwebtoken::errors::ErrorKind;
            match err.kind() {
                ErrorKind::ExpiredSignature => ApiError::invalid_token("The access token has expired."),
                ErrorKind::InvalidSignature => {
                    ApiError::invalid_token("The access token signature is invalid.")
                }
                _ => ApiError::invalid_token("The access token is malformed or invalid."),
            }
        },
    )?;
    if data.claims.sub != app_token {
        return Err(ApiError::invalid_token("The access token was issued to a different application."));
    }
    Ok(data.claims)
}

fn bearer(parts: &Parts) -> Result<&str, ApiError> {
    let header = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .ok_or_else(|| ApiError::unauthorized("Missing Authorization header."))?;
    let value = header
        .to_str()
        .map_err(|_| ApiError::invalid_token("The Authorization header is not valid text."))?;
    let (scheme, token) = value
        .split_once(' ')
        .ok_or_else(|| ApiError::invalid_token("Expected `Authorization: Bearer <token>`."))?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(ApiError::invalid_token("Expected `Authorization: Bearer <token>`."));
    }
    Ok(token.trim())
}

/// A backend (`scope=api`) caller; customer tokens get 403 INCORRECT_ACCESS_LEVEL.
pub struct ApiCaller;

impl FromRequestParts<Arc<App>> for ApiCaller {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, ApiError> {
        let claims = verify(app, bearer(parts)?)?;
        match claims.kind()? {
            TokenKind::Api => Ok(ApiCaller),
            TokenKind::Customer(_) => Err(ApiError::incorrect_access_level()),
        }
    }
}

/// Either kind of token (e.g. the banks list, which the Link UI also reads).
pub struct AnyCaller;

impl FromRequestParts<Arc<App>> for AnyCaller {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, ApiError> {
        let claims = verify(app, bearer(parts)?)?;
        claims.kind()?;
        Ok(AnyCaller)
    }
}

/// A customer-scoped token, as the Link UI holds; the API token is refused here.
pub struct CustomerCaller {
    pub customer_id: Uuid,
    pub claims: Claims,
}

impl FromRequestParts<Arc<App>> for CustomerCaller {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, ApiError> {
        let claims = verify(app, bearer(parts)?)?;
        match claims.kind()? {
            TokenKind::Customer(customer_id) => Ok(CustomerCaller { customer_id, claims }),
            TokenKind::Api => Err(ApiError::incorrect_access_level()),
        }
    }
}
