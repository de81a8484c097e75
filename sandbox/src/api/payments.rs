//! Payments REST API (REFERENCE §6.1-6.3, §6.6): destinations, payment sources, intents,
//! payments and bulk intents. Payments themselves are created by the Link UI flows.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Utc;
use serde_json::{json, Value};
use uuid::Uuid;

use super::customers::parse_customer_id;
use super::paginate;
use super::request::{
    opt_str, opt_uuid, page_params, path_uuid, query_customer, query_str, query_time, req_str, JsonObject,
};
use crate::app::App;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiResult};
use crate::payments::errors::{unknown_destination, unknown_intent, unknown_payment, unknown_source};
use crate::payments::sources::resolve_destination;
use crate::payments::validation::{
    check_currency, check_limits, normalise_iban, parse_amount, valid_iban, PURPOSE_CODES,
};
use crate::payments::views::{
    aof_payment_json, bulk_json, destination_json, intent_json, intent_status, payment_json, source_json,
};
use crate::payments::webhooks::{emit_bulk_intent_created, emit_intent_created};
use crate::payments::{BulkIntent, Destination, Intent, PaymentsState};

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/payments/v1/destinations", get(list_destinations).post(create_destination))
        .route("/payments/v1/destinations/", get(list_destinations).post(create_destination))
        .route("/payments/v1/destinations/{id}", get(get_destination))
        .route("/payments/v1/destinations/{id}/default", post(set_default).put(set_default))
        .route("/customers/v1/{customer_id}/destinations", get(customer_destinations))
        .route("/customers/v1/{customer_id}/payment-sources", get(list_sources))
        .route("/customers/v1/{customer_id}/payment-sources/{id}", get(get_source).delete(delete_source))
        .route("/payments/v1/intents", get(list_intents).post(create_intent))
        .route("/payments/v1/intents/", get(list_intents).post(create_intent))
        .route("/payments/v1/intents/{id}", get(get_intent))
        .route("/payments/v1", get(list_payments))
        .route("/payments/v1/", get(list_payments))
        .route("/payments/v1/{id}", get(get_payment))
        .route("/bulk-payments/v1/intents", post(create_bulk))
        .route("/bulk-payments/v1/intents/", post(create_bulk))
        .route("/bulk-payments/v1/intents/{id}", get(get_bulk))
        .route("/sandbox/payments/settings", get(get_settings).put(put_settings))
}

fn app_id(app: &App) -> String {
    app.credentials().app_token
}

/// A customer id from a body field that must name an existing customer.
fn existing_customer(app: &App, raw: &str) -> ApiResult<Uuid> {
    let id = parse_customer_id(raw)?;
    if app.store.read(|s| s.customer(id).is_none()) {
        return Err(ApiError::customer_not_found());
    }
    Ok(id)
}

/// A list under `/customers/v1/{customer_id}/`: 404 CUSTOMER_NOT_FOUND unless the customer
/// exists, even when the list would be empty.
fn customer_list(
    app: &App,
    raw_customer_id: &str,
    items: impl FnOnce(&PaymentsState, Uuid) -> Vec<Value>,
) -> ApiResult<Json<Value>> {
    let id = parse_customer_id(raw_customer_id)?;
    app.store
        .read(|s| {
            s.customer(id)?;
            Some(Value::Array(items(&s.payments, id)))
        })
        .map(Json)
        .ok_or_else(ApiError::customer_not_found)
}

// ---------------------------------------------------------------- destinations

async fn create_destination(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    JsonObject(b): JsonObject,
) -> ApiResult<Json<Value>> {
    let name = req_str(&b, "name")?.to_string();
    if name.split_whitespace().count() < 2 {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "INVALID_NAME",
            "The name must contain at least two words.",
        ));
    }
    let display_name = req_str(&b, "display_name")?.to_string();
    let country = req_str(&b, "country")?.to_ascii_uppercase();
    if country.len() != 3 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(ApiError::invalid_parameters("country must be an ISO 3166 alpha-3 code, e.g. ARE."));
    }
    let iban = match opt_str(&b, "iban")? {
        Some(raw) => {
            if !valid_iban(&raw) {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "INVALID_IBAN",
                    "The IBAN provided is not valid.",
                ));
            }
            Some(normalise_iban(&raw))
        }
        None if country == "USA" => None,
        None => return Err(ApiError::missing_parameters("iban is required.")),
    };
    let bank_type = opt_str(&b, "bank_type")?.unwrap_or_else(|| "RETAIL".into());
    if !["RETAIL", "SME", "CORPORATE"].contains(&bank_type.as_str()) {
        return Err(ApiError::invalid_parameters("bank_type must be RETAIL, SME or CORPORATE."));
    }
    let gov = match b.get("government_identifier") {
        None | Some(Value::Null) => None,
        Some(g) => {
            let t = g.get("type").and_then(Value::as_str).unwrap_or("");
            let v = g.get("value").and_then(Value::as_str).unwrap_or("");
            if !["EMIRATES_ID", "TRADE_LICENSE_NUMBER"].contains(&t) || v.trim().is_empty() {
                return Err(ApiError::invalid_parameters(
                    "government_identifier needs type EMIRATES_ID or TRADE_LICENSE_NUMBER and a value.",
                ));
            }
            Some(g.clone())
        }
    };
    let customer_id = opt_str(&b, "customer_id")?.map(|raw| existing_customer(&app, &raw)).transpose()?;
    let currency =
        opt_str(&b, "currency")?.unwrap_or_else(|| if country == "SAU" { "SAR" } else { "AED" }.into());
    let account_number = opt_str(&b, "account_number")?.unwrap_or_else(|| {
        iban.as_deref().map(|i| i[i.len().saturating_sub(16)..].to_string()).unwrap_or_default()
    });
    let wants_default = b.get("default").and_then(Value::as_bool).unwrap_or(false);
    let d = app.store.update(|s| {
        let first = !s.payments.destinations.iter().any(|d| d.customer_id == customer_id);
        let default = wants_default || first;
        if default {
            for d in s.payments.destinations.iter_mut().filter(|d| d.customer_id == customer_id) {
                d.default = false;
            }
        }
        let d = Destination {
            id: Uuid::new_v4(),
            customer_id,
            name,
            display_name,
            iban,
            account_number,
            swift_code: b.get("swift_code").and_then(Value::as_str).map(Into::into),
            address: b.get("address").and_then(Value::as_str).map(Into::into),
            city: b.get("city").and_then(Value::as_str).map(Into::into),
            country,
            currency,
            bank_type,
            bank_identifier: b.get("bank_identifier").and_then(Value::as_str).map(Into::into),
            branch_address: b.get("branch_address").and_then(Value::as_str).map(Into::into),
            government_identifier: gov,
            default,
            created_at: Utc::now(),
        };
        s.payments.destinations.push(d.clone());
        d
    })?;
    Ok(Json(destination_json(&d)))
}

async fn list_destinations(_: ApiCaller, State(app): State<Arc<App>>) -> Json<Value> {
    Json(app.store.read(|s| Value::Array(s.payments.destinations.iter().map(destination_json).collect())))
}

async fn customer_destinations(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Path(customer_id): Path<String>,
) -> ApiResult<Json<Value>> {
    customer_list(&app, &customer_id, |st, id| {
        st.destinations.iter().filter(|d| d.customer_id == Some(id)).map(destination_json).collect()
    })
}

async fn get_destination(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let id = path_uuid(&id, unknown_destination)?;
    app.store
        .read(|s| s.payments.destinations.iter().find(|d| d.id == id).map(destination_json))
        .map(Json)
        .ok_or_else(unknown_destination)
}

/// Sandbox extension (no OpenAPI path): makes this destination the default of its owner.
async fn set_default(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let id = path_uuid(&id, unknown_destination)?;
    app.store
        .update(|s| {
            let owner = s.payments.destinations.iter().find(|d| d.id == id)?.customer_id;
            for d in s.payments.destinations.iter_mut().filter(|d| d.customer_id == owner) {
                d.default = d.id == id;
            }
            s.payments.destinations.iter().find(|d| d.id == id).map(destination_json)
        })?
        .map(Json)
        .ok_or_else(unknown_destination)
}

// ---------------------------------------------------------------- payment sources

async fn list_sources(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Path(customer_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let app_id = app_id(&app);
    customer_list(&app, &customer_id, |st, id| {
        st.sources
            .iter()
            .filter(|p| p.customer_id == id && !p.deleted)
            .map(|p| source_json(p, &app_id))
            .collect()
    })
}

async fn get_source(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Path((customer_id, id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let cid = parse_customer_id(&customer_id)?;
    let id = path_uuid(&id, unknown_source)?;
    let app_id = app_id(&app);
    app.store
        .read(|s| {
            s.payments
                .sources
                .iter()
                .find(|p| p.id == id && p.customer_id == cid && !p.deleted)
                .map(|p| source_json(p, &app_id))
        })
        .map(Json)
        .ok_or_else(unknown_source)
}

async fn delete_source(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Path((customer_id, id)): Path<(String, String)>,
    body: Result<Json<Value>, JsonRejection>,
) -> ApiResult<Json<Value>> {
    let cid = parse_customer_id(&customer_id)?;
    let id = path_uuid(&id, unknown_source)?;
    if let Ok(Json(b)) = body {
        if let Some(r) = b.get("reason").and_then(Value::as_str) {
            if r != "USER_REQUESTED" && r != "TPP_REQUESTED" {
                return Err(ApiError::invalid_parameters("reason must be USER_REQUESTED or TPP_REQUESTED."));
            }
        }
    }
    app.store
        .update(|s| {
            let p =
                s.payments.sources.iter_mut().find(|p| p.id == id && p.customer_id == cid && !p.deleted)?;
            p.deleted = true;
            Some(())
        })?
        .map(|_| Json(json!({})))
        .ok_or_else(unknown_source)
}

// ---------------------------------------------------------------- intents

struct IntentSpec {
    amount: f64,
    currency: String,
    description: Option<String>,
    purpose_code: Option<String>,
    destination: Option<Uuid>,
}

fn intent_spec(b: &Value, currency: Option<&str>) -> ApiResult<IntentSpec> {
    let amount = parse_amount("amount", b.get("amount"))?;
    let currency = match currency {
        Some(c) => c.to_string(),
        None => check_currency(b.get("currency"))?,
    };
    check_limits(amount, &currency)?;
    let description = opt_str(b, "description")?;
    if description.as_ref().is_some_and(|d| d.chars().count() > 32) {
        return Err(ApiError::invalid_parameters(
            "description must be at most 32 characters (it is sent to the bank as the payment reference).",
        ));
    }
    let purpose_code = opt_str(b, "purpose_code")?;
    if let Some(p) = &purpose_code {
        if !PURPOSE_CODES.contains(&p.as_str()) {
            return Err(ApiError::invalid_parameters(format!(
                "purpose_code must be one of {}.",
                PURPOSE_CODES.join(", ")
            )));
        }
    }
    Ok(IntentSpec {
        amount,
        currency,
        description,
        purpose_code,
        destination: opt_uuid(b, "payment_destination_id").map_err(|_| unknown_destination())?,
    })
}

fn make_intent(app: &App, customer_id: Uuid, spec: IntentSpec, bulk: Option<Uuid>) -> ApiResult<Intent> {
    let dest = app.store.read(|s| resolve_destination(&s.payments, customer_id, spec.destination))?;
    let id = Uuid::new_v4();
    let now = Utc::now();
    Ok(Intent {
        id,
        customer_id,
        amount: spec.amount,
        currency: spec.currency,
        description: spec.description.unwrap_or_else(|| id.simple().to_string()),
        purpose_code: spec.purpose_code,
        payment_destination_id: dest.id,
        bulk_payment_intent_id: bulk,
        created_at: now,
        updated_at: now,
    })
}

async fn create_intent(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    JsonObject(b): JsonObject,
) -> ApiResult<Json<Value>> {
    let customer_id = existing_customer(&app, req_str(&b, "customer_id")?)?;
    let spec = intent_spec(&b, None)?;
    let intent = make_intent(&app, customer_id, spec, None)?;
    let view = app.store.update(|s| {
        s.payments.intents.push(intent.clone());
        intent_json(&intent, &s.payments)
    })?;
    emit_intent_created(&app, &intent);
    Ok(Json(view))
}

async fn get_intent(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let id = path_uuid(&id, unknown_intent)?;
    app.store
        .read(|s| s.payments.intents.iter().find(|i| i.id == id).map(|i| intent_json(i, &s.payments)))
        .map(Json)
        .ok_or_else(unknown_intent)
}

async fn list_intents(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let (page, size) = page_params(&q);
    let customer = query_customer(&q)?;
    let from = query_time(&q, "from")?;
    let to = query_time(&q, "to")?;
    let status = query_str(&q, "status");
    let items = app.store.read(|s| {
        let mut v: Vec<&Intent> = s
            .payments
            .intents
            .iter()
            .filter(|i| customer.is_none_or(|c| i.customer_id == c))
            .filter(|i| from.is_none_or(|f| i.created_at >= f))
            .filter(|i| to.is_none_or(|t| i.created_at <= t))
            .filter(|i| status.is_none_or(|st| intent_status(i, &s.payments) == st))
            .collect();
        v.sort_by_key(|i| std::cmp::Reverse(i.created_at));
        v.into_iter().map(|i| intent_json(i, &s.payments)).collect::<Vec<_>>()
    });
    Ok(Json(paginate(items, page, size)))
}

// ---------------------------------------------------------------- payments

async fn get_payment(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let id = path_uuid(&id, unknown_payment)?;
    app.store
        .read(|s| {
            s.payments.payments.iter().find(|p| p.id == id).map(payment_json).or_else(|| {
                s.payments
                    .aof_payments
                    .iter()
                    .find(|p| p.id == id)
                    .map(|p| aof_payment_json(p, &s.application.app_token))
            })
        })
        .map(Json)
        .ok_or_else(unknown_payment)
}

/// Sandbox extension: `GET /payments/v1?customer_id&intent_id&status&page&size`.
async fn list_payments(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let (page, size) = page_params(&q);
    let customer = query_customer(&q)?;
    let intent = q
        .get("intent_id")
        .or_else(|| q.get("payment_intent_id"))
        .filter(|v| !v.is_empty())
        .map(|c| Uuid::parse_str(c).map_err(|_| unknown_intent()))
        .transpose()?;
    let status = query_str(&q, "status");
    let items = app.store.read(|s| {
        let mut v: Vec<_> = s
            .payments
            .payments
            .iter()
            .filter(|p| customer.is_none_or(|c| p.customer_id == c))
            .filter(|p| intent.is_none_or(|i| p.intent_id == i))
            .filter(|p| status.is_none_or(|st| p.status == st))
            .collect();
        v.sort_by_key(|p| std::cmp::Reverse(p.created_at));
        v.into_iter().map(payment_json).collect::<Vec<_>>()
    });
    Ok(Json(paginate(items, page, size)))
}

// ---------------------------------------------------------------- bulk

/// `POST /bulk-payments/v1/intents` `{customer_id, currency, intents:[{amount,
/// payment_destination_id?, description?, purpose_code?}]}` (Lean's body schema was not
/// captured; this shape is the sandbox's).
async fn create_bulk(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    JsonObject(b): JsonObject,
) -> ApiResult<Json<Value>> {
    let customer_id = existing_customer(&app, req_str(&b, "customer_id")?)?;
    let currency = check_currency(b.get("currency"))?;
    let list = b
        .get("intents")
        .or_else(|| b.get("payment_intents"))
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
        .ok_or_else(|| ApiError::missing_parameters("intents must be a non-empty array."))?;
    let bulk_id = Uuid::new_v4();
    let mut intents = Vec::new();
    for item in list {
        let spec = intent_spec(item, Some(&currency))?;
        intents.push(make_intent(&app, customer_id, spec, Some(bulk_id))?);
    }
    let bulk = BulkIntent {
        id: bulk_id,
        customer_id,
        currency,
        intent_ids: intents.iter().map(|i| i.id).collect(),
        created_at: Utc::now(),
    };
    let view = app.store.update(|s| {
        s.payments.intents.extend(intents.iter().cloned());
        s.payments.bulk_intents.push(bulk.clone());
        bulk_json(&bulk, &s.payments)
    })?;
    emit_bulk_intent_created(&app, &bulk, &view);
    Ok(Json(view))
}

async fn get_bulk(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let id = path_uuid(&id, unknown_intent)?;
    app.store
        .read(|s| s.payments.bulk_intents.iter().find(|b| b.id == id).map(|b| bulk_json(b, &s.payments)))
        .map(Json)
        .ok_or_else(unknown_intent)
}

// ---------------------------------------------------------------- sandbox settings

async fn get_settings(State(app): State<Arc<App>>) -> Json<Value> {
    Json(app.store.read(|s| json!(s.payments.settings)))
}

/// `PUT /sandbox/payments/settings {beneficiary_cool_off_ms?, payment_settle_ms?}` (no auth,
/// like `/sandbox/deliveries`).
async fn put_settings(State(app): State<Arc<App>>, JsonObject(b): JsonObject) -> ApiResult<Json<Value>> {
    let get = |k: &str| -> ApiResult<Option<u64>> {
        match b.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v.as_u64().map(Some).ok_or_else(|| {
                ApiError::invalid_parameters(format!("{k} must be a whole number of milliseconds."))
            }),
        }
    };
    let cool = get("beneficiary_cool_off_ms")?;
    let settle = get("payment_settle_ms")?;
    let v = app.store.update(|s| {
        if let Some(c) = cool {
            s.payments.settings.beneficiary_cool_off_ms = c;
        }
        if let Some(v) = settle {
            s.payments.settings.payment_settle_ms = v;
        }
        json!(s.payments.settings)
    })?;
    Ok(Json(v))
}
