//! Customers (REFERENCE §3): one per merchant user, keyed by the merchant's `app_user_id`.

use std::sync::Arc;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::app::App;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiResult};
use crate::state::{Customer, GovernmentIdentifier};

const GOVERNMENT_ID_TYPES: [&str; 2] = ["EMIRATES_ID", "TRADE_LICENSE_NUMBER"];

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/customers/v1", get(list).post(create))
        .route("/customers/v1/", get(list).post(create))
        .route("/customers/v1/{customer_id}", get(fetch).put(update))
        .route("/customers/v1/{customer_id}/", get(fetch).put(update))
        .route("/customers/v1/app-user-id/{app_user_id}", get(by_app_user_id))
}

pub fn customer_json(c: &Customer) -> Value {
    let mut v = json!({ "customer_id": c.customer_id, "app_user_id": c.app_user_id });
    if let Some(ids) = &c.government_identifiers {
        v["government_identifiers"] = json!(ids);
    }
    v
}

pub fn parse_customer_id(raw: &str) -> ApiResult<Uuid> {
    // An id that cannot exist is reported like an unknown one.
    Uuid::parse_str(raw).map_err(|_| ApiError::customer_not_found())
}

fn json_body(body: Result<Json<Value>, JsonRejection>) -> ApiResult<serde_json::Map<String, Value>> {
    match body {
        Ok(Json(Value::Object(map))) => Ok(map),
        Ok(_) => Err(ApiError::invalid_parameters("The request body must be a JSON object.")),
        Err(e) => Err(ApiError::invalid_parameters(format!("Invalid JSON body: {}", e.body_text()))),
    }
}

/// Accepts `government_identifiers` and the singular spelling Lean's own examples use.
fn government_identifiers(
    body: &serde_json::Map<String, Value>,
) -> ApiResult<Option<Vec<GovernmentIdentifier>>> {
    let raw = body.get("government_identifiers").or_else(|| body.get("government_identifier"));
    let Some(raw) = raw else { return Ok(None) };
    if raw.is_null() {
        return Ok(None);
    }
    let items = raw
        .as_array()
        .ok_or_else(|| ApiError::invalid_parameters("government_identifiers must be an array."))?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let kind = item.get("type").and_then(Value::as_str).unwrap_or_default();
        let value = item.get("value").and_then(Value::as_str).unwrap_or_default().trim();
        if !GOVERNMENT_ID_TYPES.contains(&kind) {
            return Err(ApiError::invalid_parameters(format!(
                "government_identifiers[].type must be one of {}.",
                GOVERNMENT_ID_TYPES.join(", ")
            )));
        }
        if value.is_empty() {
            return Err(ApiError::invalid_parameters(
                "government_identifiers[].value must be a non-empty string.",
            ));
        }
        out.push(GovernmentIdentifier { kind: kind.to_string(), value: value.to_string() });
    }
    Ok(Some(out))
}

async fn create(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    body: Result<Json<Value>, JsonRejection>,
) -> ApiResult<Json<Value>> {
    let body = json_body(body)?;
    let app_user_id = match body.get("app_user_id") {
        None | Some(Value::Null) => return Err(ApiError::missing_parameters("app_user_id is required.")),
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(ApiError::invalid_parameters("app_user_id must be a string.")),
    };
    let len = app_user_id.chars().count();
    if !(1..=255).contains(&len) {
        return Err(ApiError::invalid_parameters("app_user_id must be between 1 and 255 characters."));
    }
    let government_identifiers = government_identifiers(&body)?;

    let created = app.store.update(|s| {
        if s.customers.iter().any(|c| c.app_user_id == app_user_id) {
            return None;
        }
        let customer = Customer {
            customer_id: Uuid::new_v4(),
            app_user_id: app_user_id.clone(),
            government_identifiers,
            created_at: chrono::Utc::now(),
        };
        s.customers.push(customer.clone());
        Some(customer)
    })?;
    match created {
        Some(c) => Ok(Json(customer_json(&c))),
        None => Err(ApiError::new(
            StatusCode::CONFLICT,
            "CUSTOMER_ALREADY_EXISTS",
            "A customer already exists for the app_user_id you have provided.",
        )),
    }
}

async fn fetch(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Path(customer_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let id = parse_customer_id(&customer_id)?;
    app.store.read(|s| s.customer(id).map(customer_json)).map(Json).ok_or_else(ApiError::customer_not_found)
}

async fn update(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Path(customer_id): Path<String>,
    body: Result<Json<Value>, JsonRejection>,
) -> ApiResult<Json<Value>> {
    let id = parse_customer_id(&customer_id)?;
    let body = json_body(body)?;
    let ids = government_identifiers(&body)?
        .ok_or_else(|| ApiError::missing_parameters("government_identifiers is required."))?;
    let updated = app.store.update(|s| {
        s.customers.iter_mut().find(|c| c.customer_id == id).map(|c| {
            c.government_identifiers = Some(ids);
            customer_json(c)
        })
    })?;
    updated.map(Json).ok_or_else(ApiError::customer_not_found)
}

async fn by_app_user_id(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Path(app_user_id): Path<String>,
) -> ApiResult<Json<Value>> {
    app.store
        .read(|s| s.customers.iter().find(|c| c.app_user_id == app_user_id).map(customer_json))
        .map(Json)
        .ok_or_else(ApiError::customer_not_found)
}

#[derive(Deserialize)]
struct PageQuery {
    page_number: Option<usize>,
    page_size: Option<usize>,
}

async fn list(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Query(q) = query.map_err(|e| ApiError::invalid_parameters(e.body_text()))?;
    let items: Vec<Value> = app.store.read(|s| s.customers.iter().map(customer_json).collect());
    Ok(Json(super::paginate(items, q.page_number.unwrap_or(0), q.page_size.unwrap_or(50))))
}
