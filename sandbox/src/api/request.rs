//! Reading a request's body fields, path ids and query parameters for the payments and consent
//! endpoints (REST and Link UI alike), so every handler answers malformed input with the same
//! envelopes and reads as its own rules.

use std::collections::HashMap;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::Json;
use chrono::{DateTime, Utc};
use serde_json::Value;
use uuid::Uuid;

use super::customers::parse_customer_id;
use crate::error::{ApiError, ApiResult};

/// A JSON object body. Anything else (no JSON content type, unparsable, not an object) is
/// refused with 400 INVALID_PARAMETERS before the handler runs.
pub struct JsonObject(pub Value);

impl<S: Send + Sync> FromRequest<S> for JsonObject {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        body_object(Json::<Value>::from_request(req, state).await).map(JsonObject)
    }
}

/// `JsonObject`'s check, for a handler that must look at something else before the body.
pub fn body_object(body: Result<Json<Value>, JsonRejection>) -> ApiResult<Value> {
    let Json(v) =
        body.map_err(|e| ApiError::invalid_parameters(format!("Invalid JSON body: {}", e.body_text())))?;
    if !v.is_object() {
        return Err(ApiError::invalid_parameters("The request body must be a JSON object."));
    }
    Ok(v)
}

/// A required, non-blank string field, trimmed.
pub fn req_str<'a>(v: &'a Value, field: &str) -> ApiResult<&'a str> {
    match v.get(field) {
        None | Some(Value::Null) => Err(ApiError::missing_parameters(format!("{field} is required."))),
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim()),
        Some(_) => Err(ApiError::invalid_parameters(format!("{field} must be a non-empty string."))),
    }
}

/// An optional string field, trimmed; blank counts as absent.
pub fn opt_str(v: &Value, field: &str) -> ApiResult<Option<String>> {
    match v.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
        Some(_) => Err(ApiError::invalid_parameters(format!("{field} must be a string."))),
    }
}

pub fn opt_uuid(v: &Value, field: &str) -> ApiResult<Option<Uuid>> {
    opt_str(v, field)?
        .map(|s| {
            Uuid::parse_str(&s).map_err(|_| ApiError::invalid_parameters(format!("{field} must be a UUID.")))
        })
        .transpose()
}

/// A required id field. A value that is not a UUID gets `not_uuid`, usually the 404 of the
/// record it names, since such an id cannot exist.
pub fn req_uuid(v: &Value, field: &str, not_uuid: impl FnOnce() -> ApiError) -> ApiResult<Uuid> {
    Uuid::parse_str(req_str(v, field)?).map_err(|_| not_uuid())
}

/// An id from the path; `not_uuid` as in `req_uuid`.
pub fn path_uuid(raw: &str, not_uuid: impl FnOnce() -> ApiError) -> ApiResult<Uuid> {
    Uuid::parse_str(raw.trim()).map_err(|_| not_uuid())
}

/// A query parameter; an empty one counts as absent.
pub fn query_str<'a>(q: &'a HashMap<String, String>, key: &str) -> Option<&'a str> {
    q.get(key).map(String::as_str).filter(|v| !v.is_empty())
}

/// A required UUID query parameter.
pub fn query_uuid(q: &HashMap<String, String>, key: &str) -> ApiResult<Uuid> {
    let raw = query_str(q, key).ok_or_else(|| ApiError::missing_parameters(format!("{key} is required.")))?;
    Uuid::parse_str(raw).map_err(|_| ApiError::invalid_parameters(format!("{key} must be a UUID.")))
}

/// The optional `customer_id` filter of a list.
pub fn query_customer(q: &HashMap<String, String>) -> ApiResult<Option<Uuid>> {
    query_str(q, "customer_id").map(parse_customer_id).transpose()
}

/// An optional `from`/`to` bound: an RFC 3339 date-time, or a date meaning its midnight UTC.
pub fn query_time(q: &HashMap<String, String>, key: &str) -> ApiResult<Option<DateTime<Utc>>> {
    let Some(raw) = query_str(q, key) else {
        return Ok(None);
    };
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Ok(Some(t.with_timezone(&Utc)));
    }
    chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| Some(t.and_utc()))
        .ok_or_else(|| ApiError::invalid_parameters(format!("{key} must be a date or date-time.")))
}

/// `(page, size)`: Lean's `page`/`size`, or the `page_number`/`page_size` spelling; 0 and 50 by
/// default. An unparsable value falls back to the default rather than failing the list.
pub fn page_params(q: &HashMap<String, String>) -> (usize, usize) {
    let n = |keys: &[&str], d: usize| {
        keys.iter().find_map(|k| q.get(*k).and_then(|v| v.parse().ok())).unwrap_or(d)
    };
    (n(&["page", "page_number"], 0), n(&["size", "page_size"], 50))
}
