//! Lean's error envelope: `{"status","message","timestamp","metadata"}` with an UPPER_SNAKE code.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

#[derive(Debug)]
pub struct ApiError {
    pub http: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(http: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError { http, code, message: message.into() }
    }
    pub fn invalid_parameters(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "INVALID_PARAMETERS", message)
    }
    pub fn missing_parameters(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "MISSING_PARAMETERS", message)
    }
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", message)
    }
    pub fn invalid_token(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "INVALID_TOKEN", message)
    }
    pub fn incorrect_access_level() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "INCORRECT_ACCESS_LEVEL",
            "This token does not have access to this service.",
        )
    }
    pub fn customer_not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "CUSTOMER_NOT_FOUND",
            "No customer was found for the identifier you have provided.",
        )
    }
    pub fn unknown_entity() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "UNKNOWN_ENTITY",
            "No entity was found for the entity_id you have provided.",
        )
    }
    pub fn internal(err: impl std::fmt::Display) -> Self {
        tracing::error!(%err, "internal sandbox error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_SERVER_ERROR",
            "The sandbox could not process the request.",
        )
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(err: anyhow::Error) -> Self {
        ApiError::internal(err)
    }
}

pub fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({
            "status": self.code,
            "message": self.message,
            "timestamp": now_rfc3339(),
            "metadata": null,
        });
        (self.http, Json(body)).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
