//! Account-on-File consents and payments (REFERENCE §6.5; account-on-file.yml, consents.yml).
//! Both the current (`/consents/v1/...`, `/payments/v1/account-on-file`) and the older
//! (`/consents/...`, `/payments/account-on-file`) paths are served.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use uuid::Uuid;

use super::customers::parse_customer_id;
use super::paginate;
use super::request::{body_object, opt_str, req_str, JsonObject};
use crate::app::App;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiResult};
use crate::payments::account_on_file::{check_consent_limits, revoke_consent, start_aof_payment};
use crate::payments::errors::{unknown_consent, unknown_destination};
use crate::payments::sources::resolve_destination;
use crate::payments::validation::{
    check_currency, decimal_text, parse_amount, parse_aof_amount, PURPOSE_CODES,
};
use crate::payments::views::{aof_payment_json, consent_json, ts};
use crate::payments::webhooks::emit_consent_status;
use crate::payments::{AofConsent, AofPayment};

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/consents/v1/account-on-file", post(create))
        .route("/consents/account-on-file", post(create))
        .route("/consents/v1", get(list))
        .route("/consents/v1/", get(list))
        .route("/consents/v1/{id}", get(fetch))
        .route("/consents/{id}", get(fetch))
        .route("/consents/v1/{id}/revocation", post(revoke))
        .route("/consents/{id}/revocation", post(revoke))
        .route("/consents/v1/{id}/balance", get(balance))
        .route("/consents/{id}/balance", get(balance))
        .route("/consents/v1/{id}/history", get(history))
        .route("/consents/{id}/history", get(history))
        .route("/payments/v1/account-on-file", post(pay))
        .route("/payments/account-on-file", post(pay))
}

const PERIODS: [&str; 4] = ["Day", "Week", "Month", "Year"];
const AMOUNT_KEYS: [&str; 3] =
    ["max_individual_amount", "max_cumulative_amount", "max_cumulative_amount_per_period"];
const COUNT_KEYS: [&str; 2] =
    ["max_cumulative_number_of_payments", "max_cumulative_number_of_payments_per_period"];

fn cp_error(msg: impl Into<String>) -> ApiError {
    ApiError::invalid_parameters(msg)
}

/// AccountOnFileControlParameters: `period_type`, at least one of the three lifetime limits,
/// amounts ≥ 0.01 with 2 decimals, counts ≥ 1, and the individual limit within the cumulative
/// ones. As Lean's own requests show, amounts and counts may be text ("1000.00", "100"), a limit
/// left empty ("" or null) is not set, and `type` may be left out (it can only be
/// VariableOnDemand). Returns the parameters with numbers for numbers and the unset limits gone.
fn control_parameters(v: Option<&Value>) -> ApiResult<Value> {
    let cp = match v {
        None | Some(Value::Null) => {
            return Err(ApiError::missing_parameters("control_parameters is required."))
        }
        Some(Value::Object(m)) => m,
        Some(_) => return Err(cp_error("control_parameters must be an object.")),
    };
    let blank = |v: &Value| v.is_null() || v.as_str().is_some_and(|t| t.trim().is_empty());
    let mut out = serde_json::Map::new();
    for (k, v) in cp {
        if !["type", "period_type"].contains(&k.as_str())
            && !AMOUNT_KEYS.contains(&k.as_str())
            && !COUNT_KEYS.contains(&k.as_str())
        {
            return Err(cp_error(format!("control_parameters.{k} is not a known field.")));
        }
        if !blank(v) {
            out.insert(k.clone(), v.clone());
        }
    }
    match out.get("type") {
        None => {}
        Some(Value::String(t)) if t == "VariableOnDemand" => {}
        Some(_) => return Err(cp_error("control_parameters.type must be VariableOnDemand.")),
    }
    match out.get("period_type") {
        Some(Value::String(p)) if PERIODS.contains(&p.as_str()) => {}
        None => return Err(ApiError::missing_parameters("control_parameters.period_type is required.")),
        Some(_) => return Err(cp_error("control_parameters.period_type must be Day, Week, Month or Year.")),
    }
    for k in AMOUNT_KEYS {
        if let Some(v) = out.get(k).map(decimal_text) {
            let a = parse_amount(&format!("control_parameters.{k}"), Some(&v))
                .map_err(|e| cp_error(e.message))?;
            if a < 0.01 {
                return Err(cp_error(format!("control_parameters.{k} must be at least 0.01.")));
            }
            out.insert(k.to_string(), v);
        }
    }
    for k in COUNT_KEYS {
        if let Some(v) = out.get(k).map(decimal_text) {
            if v.as_u64().is_none_or(|n| n < 1) {
                return Err(cp_error(format!(
                    "control_parameters.{k} must be a whole number of at least 1."
                )));
            }
            out.insert(k.to_string(), v);
        }
    }
    if !["max_individual_amount", "max_cumulative_amount", "max_cumulative_number_of_payments"]
        .iter()
        .any(|k| out.contains_key(*k))
    {
        return Err(cp_error(
            "control_parameters needs at least one of max_individual_amount, max_cumulative_amount or max_cumulative_number_of_payments.",
        ));
    }
    if let Some(ind) = out.get("max_individual_amount").and_then(Value::as_f64) {
        for k in ["max_cumulative_amount", "max_cumulative_amount_per_period"] {
            if out.get(k).and_then(Value::as_f64).is_some_and(|m| ind > m) {
                return Err(cp_error(format!(
                    "control_parameters.max_individual_amount must not exceed {k}."
                )));
            }
        }
    }
    Ok(Value::Object(out))
}

fn parse_dt(v: &Value, field: &str) -> ApiResult<Option<DateTime<Utc>>> {
    match opt_str(v, field)? {
        None => Ok(None),
        Some(s) => DateTime::parse_from_rfc3339(&s)
            .map(|t| Some(t.with_timezone(&Utc)))
            .map_err(|_| ApiError::invalid_parameters(format!("{field} must be an RFC 3339 date-time."))),
    }
}

async fn create(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    JsonObject(b): JsonObject,
) -> ApiResult<Json<Value>> {
    let customer_id = parse_customer_id(req_str(&b, "customer_id")?)?;
    let has_gov = app
        .store
        .read(|s| {
            s.customer(customer_id).map(|c| c.government_identifiers.as_ref().is_some_and(|g| !g.is_empty()))
        })
        .ok_or_else(ApiError::customer_not_found)?;
    let dest_raw = req_str(&b, "destination_account_id")?;
    let dest_id = Uuid::parse_str(dest_raw).map_err(|_| unknown_destination())?;
    app.store.read(|s| resolve_destination(&s.payments, customer_id, Some(dest_id)))?;
    let currency = check_currency(b.get("currency"))?;
    let reference = req_str(&b, "reference")?.to_string();
    if reference.chars().count() > 64 {
        return Err(ApiError::invalid_parameters("reference must be at most 64 characters."));
    }
    let purpose = req_str(&b, "purpose")?.to_string();
    if !PURPOSE_CODES.contains(&purpose.as_str()) {
        return Err(ApiError::invalid_parameters(format!(
            "purpose must be one of {}.",
            PURPOSE_CODES.join(", ")
        )));
    }
    let cp = control_parameters(b.get("control_parameters"))?;
    match b.get("government_identifier") {
        None | Some(Value::Null) if !has_gov => {
            return Err(ApiError::missing_parameters(
                "government_identifier is required (the customer has none on file).",
            ))
        }
        None | Some(Value::Null) => {}
        Some(g) => {
            let t = g.get("type").and_then(Value::as_str).unwrap_or("");
            let v = g.get("value").and_then(Value::as_str).unwrap_or("");
            if !["EMIRATES_ID", "TRADE_LICENSE_NUMBER"].contains(&t) || v.trim().is_empty() {
                return Err(ApiError::invalid_parameters(
                    "government_identifier needs type EMIRATES_ID or TRADE_LICENSE_NUMBER and a non-blank value.",
                ));
            }
        }
    }
    let now = Utc::now();
    let start = parse_dt(&b, "start_date_time")?.unwrap_or(now);
    let expiry = parse_dt(&b, "expiration_date_time")?.unwrap_or_else(|| start + chrono::Duration::days(365));
    if expiry <= start || expiry <= now {
        return Err(ApiError::invalid_parameters(
            "expiration_date_time must be in the future and after start_date_time.",
        ));
    }
    let immediate = match b.get("immediate_payment") {
        None | Some(Value::Null) => None,
        Some(Value::Object(ip)) => {
            let amount = parse_aof_amount("immediate_payment.amount", ip.get("amount"))?;
            if cp["max_individual_amount"].as_f64().is_some_and(|m| amount > m) {
                return Err(ApiError::invalid_parameters(
                    "immediate_payment.amount exceeds max_individual_amount.",
                ));
            }
            if ip.get("reference").and_then(Value::as_str).is_some_and(|r| r.chars().count() > 64) {
                return Err(ApiError::invalid_parameters(
                    "immediate_payment.reference must be at most 64 characters.",
                ));
            }
            let mut ip = ip.clone();
            ip.insert("amount".into(), json!(amount));
            Some(Value::Object(ip))
        }
        Some(_) => return Err(ApiError::invalid_parameters("immediate_payment must be an object.")),
    };
    let consent = AofConsent {
        id: Uuid::new_v4(),
        customer_id,
        destination_account_id: dest_id,
        currency,
        reference,
        purpose,
        control_parameters: cp,
        immediate_payment: immediate,
        start_date_time: start,
        expiration_date_time: expiry,
        status: "AWAITING_AUTHORISATION".to_string(),
        bank_identifier: None,
        sender_account_id: None,
        consented_iban: None,
        holder_name: None,
        created_at: now,
        updated_at: now,
    };
    let view = app.store.update(|s| {
        s.payments.consents.push(consent.clone());
        consent_json(&consent, &s.application.app_token, &s.payments)
    })?;
    Ok(Json(view))
}

fn consent_id(raw: &str) -> ApiResult<Uuid> {
    Uuid::parse_str(raw.trim()).map_err(|_| unknown_consent())
}

/// Consents past their expiry report EXPIRED.
fn expire(app: &Arc<App>) {
    let now = Utc::now();
    let expired: Vec<AofConsent> = app
        .store
        .update(|s| {
            let mut out = Vec::new();
            for c in s.payments.consents.iter_mut() {
                if c.expiration_date_time <= now
                    && (c.status == "AUTHORISED" || c.status == "AWAITING_AUTHORISATION")
                {
                    c.status = "EXPIRED".to_string();
                    c.updated_at = now;
                    out.push(c.clone());
                }
            }
            out
        })
        .unwrap_or_default();
    for c in expired {
        emit_consent_status(app, &c);
    }
}

async fn fetch(_: ApiCaller, State(app): State<Arc<App>>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let id = consent_id(&id)?;
    expire(&app);
    app.store
        .read(|s| {
            s.payments
                .consents
                .iter()
                .find(|c| c.id == id)
                .map(|c| consent_json(c, &s.application.app_token, &s.payments))
        })
        .map(Json)
        .ok_or_else(unknown_consent)
}

async fn list(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    expire(&app);
    let customer =
        q.get("customer_id").filter(|v| !v.is_empty()).map(|c| parse_customer_id(c)).transpose()?;
    let status = q.get("status").filter(|v| !v.is_empty()).cloned();
    let page = q.get("page_number").or_else(|| q.get("page")).and_then(|v| v.parse().ok()).unwrap_or(0);
    let size = q.get("page_size").or_else(|| q.get("size")).and_then(|v| v.parse().ok()).unwrap_or(50);
    let items = app.store.read(|s| {
        let mut v: Vec<&AofConsent> = s
            .payments
            .consents
            .iter()
            .filter(|c| customer.is_none_or(|id| c.customer_id == id))
            .filter(|c| status.as_ref().is_none_or(|st| &c.status == st))
            .collect();
        v.sort_by_key(|c| std::cmp::Reverse(c.created_at));
        v.into_iter().map(|c| consent_json(c, &s.application.app_token, &s.payments)).collect::<Vec<_>>()
    });
    Ok(Json(paginate(items, page, size)))
}

async fn revoke(_: ApiCaller, State(app): State<Arc<App>>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let id = consent_id(&id)?;
    expire(&app);
    revoke_consent(&app, id, None)?;
    Ok(Json(json!({})))
}

async fn balance(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let id = consent_id(&id)?;
    expire(&app);
    let c = app
        .store
        .read(|s| s.payments.consents.iter().find(|c| c.id == id).cloned())
        .ok_or_else(unknown_consent)?;
    if c.status != "AUTHORISED" {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "CONSENT_NOT_AUTHORISED",
            "The specified consent is not authorised.",
        ));
    }
    Ok(Json(json!({"currency": c.currency, "balance": 25000})))
}

async fn history(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let id = consent_id(&id)?;
    let c = app
        .store
        .read(|s| s.payments.consents.iter().find(|c| c.id == id).cloned())
        .ok_or_else(unknown_consent)?;
    let mut items = vec![json!({
        "id": Uuid::new_v4(), "type": "CONSENT_CREATED", "description": "Consent created",
        "timestamp": ts(c.created_at), "updated_by": "LEAN", "reason": null,
    })];
    if c.status != "AWAITING_AUTHORISATION" {
        items.push(json!({
            "id": Uuid::new_v4(), "type": format!("CONSENT_{}", c.status), "description": format!("Consent {}", c.status.to_lowercase()),
            "timestamp": ts(c.updated_at), "updated_by": "LEAN", "reason": null,
        }));
    }
    Ok(Json(paginate(items, 0, 50)))
}

/// The request as Lean would compare it: every field of the body, amounts as the numbers they
/// spell (so "5" and 5 are the same request), keys in a fixed order.
fn request_fingerprint(b: &Value) -> String {
    fn canonical(v: &Value) -> Value {
        match v {
            Value::Object(m) => {
                let sorted: std::collections::BTreeMap<&String, Value> =
                    m.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, canonical(v))).collect();
                json!(sorted)
            }
            Value::Array(a) => Value::Array(a.iter().map(canonical).collect()),
            other => other.clone(),
        }
    }
    let mut b = canonical(b);
    if let Some(amount) = b.get("amount").map(decimal_text).and_then(|v| v.as_f64()) {
        b["amount"] = json!(amount);
    }
    b.to_string()
}

/// An `Idempotency-Key` names one request. Reused with another body it is refused: answering with
/// the first request's payment would tell the caller its new request was made. Lean documents only
/// the identical retry; 422 and `IDEMPOTENCY_KEY_REUSED` are this sandbox's choice (the status the
/// IETF Idempotency-Key draft gives this case). Payments stored before fingerprints were kept have
/// none and are answered as before.
fn same_request<'a>(p: &'a AofPayment, fingerprint: &str) -> ApiResult<&'a AofPayment> {
    match &p.request_fingerprint {
        Some(first) if first != fingerprint => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "IDEMPOTENCY_KEY_REUSED",
            "This Idempotency-Key was already used for a different request. Use a new key for a new payment.",
        )),
        _ => Ok(p),
    }
}

async fn pay(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Result<Json<Value>, JsonRejection>,
) -> ApiResult<Json<Value>> {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ApiError::missing_parameters("The Idempotency-Key header is required."))?
        .to_string();
    let app_id = app.credentials().app_token;
    let b = body_object(body)?;
    // What makes two requests the same one: a retry with this body and key gets the first answer.
    let fingerprint = request_fingerprint(&b);
    if let Some(p) =
        app.store.read(|s| s.payments.aof_payments.iter().find(|p| p.idempotency_key == key).cloned())
    {
        return same_request(&p, &fingerprint).map(|p| Json(aof_payment_json(p, &app_id)));
    }
    let cid = consent_id(req_str(&b, "consent_id")?)?;
    let amount = parse_aof_amount("amount", b.get("amount"))?;
    match b.get("risk_details") {
        Some(Value::Object(r)) => {
            if let Some(ch) = r.get("transaction_indicators").and_then(|t| t.get("channel")) {
                if ch != "WEB" && ch != "MOBILE" {
                    return Err(ApiError::invalid_parameters(
                        "risk_details.transaction_indicators.channel must be WEB or MOBILE.",
                    ));
                }
            }
        }
        None | Some(Value::Null) => return Err(ApiError::missing_parameters("risk_details is required.")),
        Some(_) => return Err(ApiError::invalid_parameters("risk_details must be an object.")),
    }
    let reference = opt_str(&b, "reference")?;
    if reference.as_ref().is_some_and(|r| r.chars().count() > 64) {
        return Err(ApiError::invalid_parameters("reference must be at most 64 characters."));
    }
    let creditor_reference = opt_str(&b, "creditor_reference")?;
    expire(&app);
    let now = Utc::now();
    // Check and insert under one lock so two requests with the same key create one payment.
    let (payment, fresh) = app.store.update(|s| -> ApiResult<(AofPayment, bool)> {
        if let Some(p) = s.payments.aof_payments.iter().find(|p| p.idempotency_key == key) {
            return same_request(p, &fingerprint).map(|p| (p.clone(), false));
        }
        let c = s.payments.consents.iter().find(|c| c.id == cid).cloned().ok_or_else(unknown_consent)?;
        if c.status != "AUTHORISED" {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "CONSENT_NOT_AUTHORISED",
                format!("The consent is {}; payments need an AUTHORISED consent.", c.status),
            ));
        }
        if let Some(p) = opt_str(&b, "purpose")? {
            if !PURPOSE_CODES.contains(&p.as_str()) {
                return Err(ApiError::invalid_parameters("purpose is not a known purpose code."));
            }
        }
        check_consent_limits(&c, &s.payments, amount)?;
        let p = AofPayment {
            id: Uuid::new_v4(),
            consent_id: cid,
            idempotency_key: key.clone(),
            customer_id: c.customer_id,
            account_id: c.sender_account_id.unwrap_or(c.destination_account_id),
            amount,
            currency: c.currency.clone(),
            reference: reference.clone().or(Some(c.reference.clone())),
            creditor_reference: creditor_reference.clone(),
            status: "CREATED".to_string(),
            failure_details: None,
            created_at: now,
            last_modified_at: now,
            request_fingerprint: Some(fingerprint.clone()),
        };
        s.payments.aof_payments.push(p.clone());
        Ok((p, true))
    })??;
    if fresh {
        start_aof_payment(&app, payment.clone())?;
    }
    Ok(Json(aof_payment_json(&payment, &app_id)))
}
