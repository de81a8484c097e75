//! Sandbox-internal endpoints behind the Link UI's payment flows (`pay`, `checkout`,
//! `authorizeConsent`, `captureRedirect`, `manageConsents`, `updatePaymentSource` /
//! `createBeneficiary`). Customer token only; the customer is the token's.
//!
//! As in `api.rs`, flow outcomes are HTTP 200 with a `status`; 4xx envelopes mean the request
//! itself was unacceptable.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Utc;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::api::payments::{body_object, opt_str, opt_uuid, req_str};
use crate::app::App;
use crate::auth::CustomerCaller;
use crate::banks;
use crate::error::{ApiError, ApiResult};
use crate::payments::logic::{self as pl, PayOutcome};
use crate::payments::ConsentAttempt;
use crate::users::{self, LoginOutcome};

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/link/api/payment-context", get(payment_context))
        .route("/link/api/pay", post(pay))
        .route("/link/api/checkout", post(checkout))
        .route("/link/api/authorize-consent", post(authorize))
        .route("/link/api/attempts/{id}", get(attempt_handler))
        .route("/link/api/consents", get(consents))
        .route("/link/api/consents/{id}/revoke", post(revoke))
        .route("/link/api/beneficiary", post(beneficiary))
        .route("/link/api/destination", get(destination))
        .route("/link/api/verify-address", post(verify_address))
        .route("/link/api/reconnect", get(reconnect_info).post(reconnect))
}

fn uuid_param(q: &HashMap<String, String>, key: &str) -> ApiResult<Uuid> {
    let raw = q
        .get(key)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ApiError::missing_parameters(format!("{key} is required.")))?;
    Uuid::parse_str(raw).map_err(|_| ApiError::invalid_parameters(format!("{key} must be a UUID.")))
}

/// What the pay/checkout screens show: the intent, its destination, and the customer's
/// payment sources (with accounts and whether the destination is an ACTIVE beneficiary).
async fn payment_context(
    caller: CustomerCaller,
    State(app): State<Arc<App>>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let intent_id = uuid_param(&q, "payment_intent_id")?;
    let cid = caller.customer_id;
    let v = app.store.read(|s| {
        let st = &s.payments;
        let i = st
            .intents
            .iter()
            .find(|i| i.id == intent_id && i.customer_id == cid)?;
        let dest = st
            .destinations
            .iter()
            .find(|d| d.id == i.payment_destination_id);
        let sources: Vec<Value> = st
            .sources
            .iter()
            .filter(|p| p.customer_id == cid && !p.deleted)
            .map(|p| {
                let b = p
                    .beneficiaries
                    .iter()
                    .find(|b| b.payment_destination_id == i.payment_destination_id);
                json!({
                    "id": p.id,
                    "bank_identifier": p.bank_identifier,
                    "bank_name": banks::find(&p.bank_identifier).map(|b| b.name),
                    "beneficiary_status": b.map(|b| b.status.clone()),
                    "accounts": p.accounts.iter().map(|a| json!({
                        "id": a.id, "name": a.account_name, "iban": a.iban,
                        "currency": a.currency, "balance": pl::amount_json(a.balance),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        let status = pl::intent_status(i, st);
        Some(json!({
            "status": "OK",
            "payment_intent_id": i.id,
            "customer_id": i.customer_id,
            "amount": pl::amount_json(i.amount),
            "currency": i.currency,
            "description": i.description,
            "intent_status": status,
            "destination": dest.map(|d| json!({"id": d.id, "name": d.name, "display_name": d.display_name, "iban": d.iban})),
            "payment_sources": sources,
        }))
    });
    v.map(Json).ok_or_else(pl::unknown_intent)
}

fn outcome_json(o: PayOutcome) -> Value {
    match o {
        PayOutcome::Created(p) => json!({
            "status": "OK",
            "message": "Payment submitted.",
            "payment_id": p.id,
            "payment_status": p.status,
            "bank_identifier": p.bank_identifier,
        }),
        PayOutcome::Refused(status, message) => json!({"status": status, "message": message}),
    }
}

/// Legacy `pay`: from a payment source whose beneficiary for the intent's destination is ACTIVE.
async fn pay(
    caller: CustomerCaller,
    State(app): State<Arc<App>>,
    body: Result<Json<Value>, JsonRejection>,
) -> ApiResult<Json<Value>> {
    let b = body_object(body)?;
    let intent = Uuid::parse_str(req_str(&b, "payment_intent_id")?).map_err(|_| pl::unknown_intent())?;
    let account = opt_uuid(&b, "account_id")?;
    let bank = opt_str(&b, "bank_identifier")?;
    let o = pl::create_payment(&app, caller.customer_id, intent, bank.as_deref(), account, true)?;
    Ok(Json(outcome_json(o)))
}

struct BankLogin {
    bank: &'static banks::MockBank,
    outcome: LoginOutcome,
}

fn bank_login(b: &Value) -> ApiResult<BankLogin> {
    let bank = banks::find(req_str(b, "bank_identifier")?)
        .ok_or_else(|| ApiError::invalid_parameters("Unknown bank_identifier."))?;
    let user = req_str(b, "username")?;
    let pass = b.get("password").and_then(Value::as_str).unwrap_or("");
    let otp = opt_str(b, "otp")?;
    let (outcome, _) = users::login(user, pass, otp.as_deref());
    Ok(BankLogin { bank, outcome })
}

fn record_attempt(app: &App, a: &ConsentAttempt) -> ApiResult<()> {
    app.store.update(|s| s.payments.attempts.push(a.clone()))?;
    Ok(())
}

fn redirect_json(a: &ConsentAttempt) -> Value {
    json!({
        "status": "REDIRECT",
        "outcome": a.outcome,
        "consent_attempt_id": a.id,
        "consent_id": a.consent_id,
        "payment_id": a.payment_id,
        "customer_id": a.customer_id,
        "granular_status_code": a.granular_status_code,
        "status_additional_info": a.status_additional_info,
        "bank_identifier": a.bank_identifier,
    })
}

fn attempt(
    customer_id: Uuid,
    kind: &str,
    bank: &str,
    consent_id: Option<Uuid>,
    payment_id: Option<Uuid>,
    failure: Option<(&str, &str)>,
) -> ConsentAttempt {
    ConsentAttempt {
        id: Uuid::new_v4(),
        customer_id,
        kind: kind.to_string(),
        consent_id,
        payment_id,
        bank_identifier: bank.to_string(),
        outcome: if failure.is_some() { "FAILED" } else { "SUCCESS" }.to_string(),
        granular_status_code: failure.map(|f| f.0.to_string()),
        status_additional_info: failure.map(|f| f.1.to_string()),
        created_at: Utc::now(),
    }
}

/// Open Finance SIP: the (simulated) bank login, then the payment and a consent attempt for
/// the redirect. Wrong password / OTP needed are returned as login outcomes (the bank page
/// asks again); a locked account or bank failure ends in a FAILED attempt (fail URL).
async fn checkout(
    caller: CustomerCaller,
    State(app): State<Arc<App>>,
    body: Result<Json<Value>, JsonRejection>,
) -> ApiResult<Json<Value>> {
    let b = body_object(body)?;
    let intent = Uuid::parse_str(req_str(&b, "payment_intent_id")?).map_err(|_| pl::unknown_intent())?;
    let login = bank_login(&b)?;
    let cid = caller.customer_id;
    let a = match login.outcome {
        LoginOutcome::Ok => {
            let account = opt_uuid(&b, "account_id")?;
            match pl::create_payment(&app, cid, intent, Some(login.bank.identifier), account, false)? {
                PayOutcome::Created(p) => {
                    attempt(cid, "PAYMENT", login.bank.identifier, None, Some(p.id), None)
                }
                PayOutcome::Refused(code, msg) => {
                    attempt(cid, "PAYMENT", login.bank.identifier, None, None, Some((code, &msg)))
                }
            }
        }
        LoginOutcome::Failed { status, message } => {
            attempt(cid, "PAYMENT", login.bank.identifier, None, None, Some((status, message)))
        }
        other => return Ok(Json(super::api::outcome_json(&other))),
    };
    record_attempt(&app, &a)?;
    Ok(Json(redirect_json(&a)))
}

/// AoF `authorizeConsent`: bank login, then the consent becomes AUTHORISED.
async fn authorize(
    caller: CustomerCaller,
    State(app): State<Arc<App>>,
    body: Result<Json<Value>, JsonRejection>,
) -> ApiResult<Json<Value>> {
    let b = body_object(body)?;
    let consent = Uuid::parse_str(req_str(&b, "consent_id")?).map_err(|_| pl::unknown_consent())?;
    let cid = caller.customer_id;
    let known =
        app.store.read(|s| s.payments.consents.iter().any(|c| c.id == consent && c.customer_id == cid));
    if !known {
        return Err(pl::unknown_consent());
    }
    let login = bank_login(&b)?;
    let a = match login.outcome {
        LoginOutcome::Ok => {
            let account = opt_uuid(&b, "account_id")?;
            match pl::authorize_consent(&app, cid, consent, login.bank, account) {
                Ok(_) => attempt(cid, "ACCOUNT_ON_FILE", login.bank.identifier, Some(consent), None, None),
                Err(e) if e.http.is_client_error() => attempt(
                    cid,
                    "ACCOUNT_ON_FILE",
                    login.bank.identifier,
                    Some(consent),
                    None,
                    Some((e.code, &e.message)),
                ),
                Err(e) => return Err(e),
            }
        }
        LoginOutcome::Failed { status, message } => attempt(
            cid,
            "ACCOUNT_ON_FILE",
            login.bank.identifier,
            Some(consent),
            None,
            Some((status, message)),
        ),
        other => return Ok(Json(super::api::outcome_json(&other))),
    };
    record_attempt(&app, &a)?;
    Ok(Json(redirect_json(&a)))
}

/// `captureRedirect`: what happened in a consent attempt.
async fn attempt_get(
    caller: CustomerCaller,
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let id = Uuid::parse_str(id.trim())
        .map_err(|_| ApiError::invalid_parameters("consent_attempt_id must be a UUID."))?;
    app.store
        .read(|s| {
            s.payments.attempts.iter().find(|a| a.id == id && a.customer_id == caller.customer_id).map(|a| {
                let mut v = redirect_json(a);
                v["status"] = json!("OK");
                if let Some(p) = a.payment_id.and_then(|pid| s.payments.payments.iter().find(|p| p.id == pid))
                {
                    v["payment_status"] = json!(p.status);
                    v["amount"] = pl::amount_json(p.amount);
                    v["currency"] = json!(p.currency);
                }
                v["kind"] = json!(a.kind);
                v
            })
        })
        .map(Json)
        .ok_or_else(|| {
            ApiError::new(
                axum::http::StatusCode::NOT_FOUND,
                "UNKNOWN_CONSENT_ATTEMPT",
                "No consent attempt was found for this consent_attempt_id.",
            )
        })
}

use attempt_get as attempt_handler;

async fn consents(caller: CustomerCaller, State(app): State<Arc<App>>) -> Json<Value> {
    let cid = caller.customer_id;
    Json(app.store.read(|s| {
        let mut list: Vec<_> = s.payments.consents.iter().filter(|c| c.customer_id == cid).collect();
        list.sort_by_key(|c| std::cmp::Reverse(c.created_at));
        let items: Vec<Value> = list
            .into_iter()
            .map(|c| {
                let dest = s.payments.destinations.iter().find(|d| d.id == c.destination_account_id);
                json!({
                    "consent_id": c.id,
                    "status": c.status,
                    "bank_identifier": c.bank_identifier,
                    "bank_name": c.bank_identifier.as_deref().and_then(banks::find).map(|b| b.name),
                    "reference": c.reference,
                    "currency": c.currency,
                    "destination_name": dest.map(|d| d.display_name.clone()),
                    "max_individual_amount": c.control_parameters.get("max_individual_amount"),
                    "expiration_date_time": pl::ts(c.expiration_date_time),
                })
            })
            .collect();
        json!({"status": "OK", "consents": items})
    }))
}

async fn revoke(
    caller: CustomerCaller,
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let id = Uuid::parse_str(id.trim()).map_err(|_| pl::unknown_consent())?;
    let c = pl::revoke_consent(&app, id, Some(caller.customer_id))?;
    Ok(Json(json!({"status": "OK", "consent_id": c.id, "consent_status": c.status})))
}

/// `updatePaymentSource` / `createBeneficiary`: add a destination to a payment source.
async fn beneficiary(
    caller: CustomerCaller,
    State(app): State<Arc<App>>,
    body: Result<Json<Value>, JsonRejection>,
) -> ApiResult<Json<Value>> {
    let b = body_object(body)?;
    let dest =
        Uuid::parse_str(req_str(&b, "payment_destination_id")?).map_err(|_| pl::unknown_destination())?;
    let source = opt_uuid(&b, "payment_source_id").map_err(|_| pl::unknown_source())?;
    let (src, ben) = pl::add_beneficiary(&app, caller.customer_id, source, dest)?;
    Ok(Json(json!({
        "status": "OK",
        "payment_source_id": src.id,
        "bank_identifier": src.bank_identifier,
        "beneficiary": pl::beneficiary_json(&ben),
    })))
}

async fn destination(
    caller: CustomerCaller,
    State(app): State<Arc<App>>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let id = q
        .get("payment_destination_id")
        .filter(|v| !v.is_empty())
        .map(|v| Uuid::parse_str(v).map_err(|_| pl::unknown_destination()))
        .transpose()?;
    let d = app.store.read(|s| pl::resolve_destination(&s.payments, caller.customer_id, id))?;
    Ok(Json(json!({"status": "OK", "destination": pl::destination_json(&d)})))
}

/// `verifyAddress`: bank login with `identity`, then the account holder's name (the Data API's
/// identity for that entity) is compared with `customer_name`, case- and space-insensitively.
async fn verify_address(
    caller: CustomerCaller,
    State(app): State<Arc<App>>,
    body: Result<Json<Value>, JsonRejection>,
) -> ApiResult<Json<Value>> {
    let b = body_object(body)?;
    let wanted = req_str(&b, "customer_name")?.to_string();
    let login = bank_login(&b)?;
    if login.outcome != LoginOutcome::Ok {
        return Ok(Json(super::api::outcome_json(&login.outcome)));
    }
    let cid = caller.customer_id;
    let find = |app: &App| {
        app.store.read(|s| {
            s.entities
                .iter()
                .find(|e| {
                    e.customer_id == cid && e.bank_identifier == login.bank.identifier && e.status == "ACTIVE"
                })
                .cloned()
        })
    };
    let entity = match find(&app) {
        Some(e) => e,
        None => {
            let req = super::flow::ConnectRequest {
                customer_id: cid.to_string(),
                bank_identifier: login.bank.identifier.to_string(),
                username: req_str(&b, "username")?.to_string(),
                password: b["password"].as_str().unwrap_or("").to_string(),
                otp: opt_str(&b, "otp")?,
                permissions: vec!["identity".to_string()],
                access_from: None,
                access_to: None,
                payment_destination_id: None,
                end_user_id: None,
            };
            super::flow::complete_connect(&app, cid, login.bank, &req)?;
            find(&app).ok_or_else(ApiError::unknown_entity)?
        }
    };
    let holder = crate::data::generator::person(&entity).full_name();
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    if norm(&holder) == norm(&wanted) {
        Ok(Json(
            json!({"status": "OK", "message": "The name matches the bank account holder.", "entity_id": entity.id}),
        ))
    } else {
        Ok(Json(json!({
            "status": "NAME_MISMATCH",
            "message": format!("The name on the bank account does not match {wanted}."),
            "entity_id": entity.id,
        })))
    }
}

/// The reconnect screen: which bank the `reconnect_id` belongs to (must be this customer's).
async fn reconnect_info(
    caller: CustomerCaller,
    State(app): State<Arc<App>>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let rid = uuid_param(&q, "reconnect_id")?;
    let (entity_id, customer_id) = crate::data::find_reconnect(&app, rid)
        .filter(|(_, c)| *c == caller.customer_id)
        .ok_or_else(|| ApiError::invalid_parameters("No pending reconnect for this reconnect_id."))?;
    let bank = app.store.read(|s| {
        s.entities.iter().find(|e| e.id == entity_id).and_then(|e| banks::find(&e.bank_identifier))
    });
    let bank = bank.ok_or_else(ApiError::unknown_entity)?;
    Ok(Json(json!({
        "status": "OK",
        "entity_id": entity_id,
        "customer_id": customer_id,
        "bank": bank.to_json(&app.base_url),
    })))
}

/// Bank login (+OTP) for a reconnect; on success the Data API's `reconnect` hook runs.
async fn reconnect(
    caller: CustomerCaller,
    State(app): State<Arc<App>>,
    body: Result<Json<Value>, JsonRejection>,
) -> ApiResult<Json<Value>> {
    let b = body_object(body)?;
    let rid = Uuid::parse_str(req_str(&b, "reconnect_id")?)
        .map_err(|_| ApiError::invalid_parameters("reconnect_id must be a UUID."))?;
    let (entity_id, _) = crate::data::find_reconnect(&app, rid)
        .filter(|(_, c)| *c == caller.customer_id)
        .ok_or_else(|| ApiError::invalid_parameters("No pending reconnect for this reconnect_id."))?;
    let user = req_str(&b, "username")?;
    let pass = b["password"].as_str().unwrap_or("");
    let otp = opt_str(&b, "otp")?;
    let (outcome, _) = users::login(user, pass, otp.as_deref());
    if outcome != LoginOutcome::Ok {
        return Ok(Json(super::api::outcome_json(&outcome)));
    }
    crate::data::reconnect(&app, entity_id, rid)?;
    Ok(Json(json!({"status": "OK", "message": "Bank reconnected.", "entity_id": entity_id})))
}
