//! Entities (REFERENCE §4): one bank connection per customer per bank.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use super::customers::parse_customer_id;
use crate::app::App;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiResult};
use crate::permissions::boolean_map;
use crate::state::Entity;

pub const ACTIVE: &str = "ACTIVE";
pub const DELETED: &str = "DELETED";

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        // A fixed segment: matched before `/customers/v1/{customer_id}`, never read as an id.
        .route("/customers/v1/entities", get(list_in_range))
        .route("/customers/v1/entities/", get(list_in_range))
        .route("/customers/v1/{customer_id}/entities", get(list))
        .route("/customers/v1/{customer_id}/entities/", get(list))
        .route("/customers/v1/{customer_id}/entities/{entity_id}", get(fetch).delete(remove))
        .route("/customers/v1/{customer_id}/entities/{entity_id}/", get(fetch).delete(remove))
}

fn millis(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// The REST view of an entity, matching Lean's v2 Entity object.
pub fn entity_json(e: &Entity) -> Value {
    let accounts: Vec<Value> = e
        .accounts
        .iter()
        .map(|a| {
            json!({
                "scheme_name": "IBAN",
                "identification": a.iban,
                "name": a.name,
                "secondary_identification": null,
            })
        })
        .collect();
    let consents: Vec<Value> = e
        .consents
        .iter()
        .map(|c| {
            json!({
                "id": c.id,
                "bank_consent_id": c.bank_consent_id,
                "bank_identifier": e.bank_identifier,
                "consent_type": "ACCOUNT_ACCESS",
                "consent_status": c.status,
                "standard_consent_status": if c.status == "ACTIVE" { "AUTHORISED" } else { "REVOKED" },
                "permissions": boolean_map(&c.permissions),
                "creation_date_time": millis(c.created_at),
                "status_update_date_time": millis(c.updated_at),
                "expiration_date_time": millis(c.expires_at),
                "transaction_from_date_time": millis(c.transactions_from),
                "transaction_to_date_time": millis(c.transactions_to),
                "accounts": accounts,
            })
        })
        .collect();
    json!({
        "id": e.id,
        "customer_id": e.customer_id,
        "bank_identifier": e.bank_identifier,
        "permissions": boolean_map(&e.permissions),
        "bank_type": e.bank_type,
        "created_at": millis(e.created_at),
        "consents": consents,
    })
}

async fn list(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Path(customer_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let id = parse_customer_id(&customer_id)?;
    app.store
        .read(|s| {
            s.customer(id)?;
            Some(
                s.entities
                    .iter()
                    .filter(|e| e.customer_id == id && e.status == ACTIVE)
                    .map(entity_json)
                    .collect::<Vec<_>>(),
            )
        })
        .map(|v| Json(Value::Array(v)))
        .ok_or_else(ApiError::customer_not_found)
}

#[derive(Deserialize)]
struct RangeQuery {
    start_date: Option<String>,
    end_date: Option<String>,
    page_number: Option<String>,
    page_size: Option<String>,
}

/// `GET /customers/v1/entities?start_date&end_date[&page_number&page_size]` (customers.yml,
/// entities.yml): the application's entities created in the date range, both days included, oldest
/// first. Both dates are required and, as the exports annotate them, in the past or present, the
/// end not before the start. Each entity also says its `status` and `updated_at` (the exports'
/// EntityResponse), so deleted ones are listed too, as `DELETED`.
async fn list_in_range(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    query: Result<Query<RangeQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Query(q) = query.map_err(|e| ApiError::invalid_parameters(e.body_text()))?;
    let today = chrono::Utc::now().date_naive();
    let date = |field: &str, raw: Option<String>| -> ApiResult<chrono::NaiveDate> {
        let raw = raw
            .filter(|r| !r.trim().is_empty())
            .ok_or_else(|| ApiError::missing_parameters(format!("{field} is required.")))?;
        let day = chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
            .map_err(|_| ApiError::invalid_parameters(format!("{field} must be a date (YYYY-MM-DD).")))?;
        if day > today {
            return Err(ApiError::invalid_parameters(format!("{field} must be in the past or present.")));
        }
        Ok(day)
    };
    let start = date("start_date", q.start_date)?;
    let end = date("end_date", q.end_date)?;
    if end < start {
        return Err(ApiError::invalid_parameters("end_date must not be before start_date."));
    }
    let number = |field: &str, raw: Option<String>, default: usize| -> ApiResult<usize> {
        match raw.filter(|r| !r.trim().is_empty()) {
            None => Ok(default),
            Some(r) => r
                .trim()
                .parse()
                .map_err(|_| ApiError::invalid_parameters(format!("{field} must be a whole number."))),
        }
    };
    let page = number("page_number", q.page_number, 0)?;
    let size = number("page_size", q.page_size, 50)?;
    let mut entities: Vec<Entity> = app.store.read(|s| {
        s.entities.iter().filter(|e| (start..=end).contains(&e.created_at.date_naive())).cloned().collect()
    });
    entities.sort_by_key(|e| e.created_at);
    Ok(Json(super::paginate_with(entities, page, size, |e| {
        let mut v = entity_json(&e);
        v["status"] = json!(e.status);
        v["updated_at"] = json!(millis(e.updated_at));
        v
    })))
}

fn ids(customer_id: &str, entity_id: &str) -> ApiResult<(Uuid, Uuid)> {
    let c = parse_customer_id(customer_id)?;
    let e = Uuid::parse_str(entity_id).map_err(|_| ApiError::unknown_entity())?;
    Ok((c, e))
}

async fn fetch(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Path((customer_id, entity_id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let (cid, eid) = ids(&customer_id, &entity_id)?;
    app.store
        .read(|s| {
            s.entities
                .iter()
                .find(|e| e.id == eid && e.customer_id == cid && e.status == ACTIVE)
                .map(entity_json)
        })
        .map(Json)
        .ok_or_else(ApiError::unknown_entity)
}

#[derive(Deserialize)]
struct DeleteQuery {
    reason: Option<String>,
}

/// The only reason Lean's schema allows (`const: USER_REQUESTED`).
const USER_REQUESTED: &str = "USER_REQUESTED";

/// Lean requires `{"reason": "USER_REQUESTED"}` as the body; the documented `reason` query
/// parameter is accepted instead of (or as well as) the body.
fn check_reason(query: Option<&str>, bytes: &Bytes) -> ApiResult<()> {
    let invalid = || ApiError::invalid_parameters(format!("reason must be {USER_REQUESTED}."));
    if let Some(q) = query {
        if q != USER_REQUESTED {
            return Err(invalid());
        }
    }
    let body_reason = if bytes.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        let v: Value = serde_json::from_slice(bytes)
            .map_err(|err| ApiError::invalid_parameters(format!("Invalid request body: {err}")))?;
        let obj =
            v.as_object().ok_or_else(|| ApiError::invalid_parameters("The body must be a JSON object."))?;
        match obj.get("reason") {
            None | Some(Value::Null) => None,
            Some(Value::String(r)) if r == USER_REQUESTED => Some(()),
            Some(_) => return Err(invalid()),
        }
    };
    if body_reason.is_none() && query.is_none() {
        return Err(ApiError::missing_parameters(format!(
            "reason is required: send {{\"reason\": \"{USER_REQUESTED}\"}}."
        )));
    }
    Ok(())
}

/// Marks the entity deleted and revokes its consents; a later connect creates a fresh one.
async fn remove(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Path((customer_id, entity_id)): Path<(String, String)>,
    query: Result<Query<DeleteQuery>, QueryRejection>,
    bytes: Bytes,
) -> ApiResult<Json<Value>> {
    let (cid, eid) = ids(&customer_id, &entity_id)?;
    let Query(query) = query.map_err(|e| ApiError::invalid_parameters(e.body_text()))?;
    let reason = query.reason;
    check_reason(reason.as_deref(), &bytes)?;
    let now = chrono::Utc::now();
    let found = app.store.update(|s| {
        let entity =
            s.entities.iter_mut().find(|e| e.id == eid && e.customer_id == cid && e.status == ACTIVE)?;
        entity.status = DELETED.to_string();
        entity.updated_at = now;
        for c in &mut entity.consents {
            c.status = "REVOKED".to_string();
            c.updated_at = now;
        }
        Some(())
    })?;
    found.map(|_| Json(json!({}))).ok_or_else(ApiError::unknown_entity)
}
