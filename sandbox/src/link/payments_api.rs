//! Sandbox-internal endpoints behind the Link UI's payment flows (`pay`, `checkout`,
//! `authorizeConsent`, `captureRedirect`, `manageConsents`, `updatePaymentSource` /
//! `createBeneficiary`). Customer token only; the customer is the token's.
//!
//! As in `api.rs`, flow outcomes are HTTP 200 with a `status`; 4xx envelopes mean the request
//! itself was unacceptable.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Utc;
use serde_json::{json, Value};
use uuid::Uuid;

use super::api::outcome_json as login_outcome_json;
use crate::api::request::{
    opt_str, opt_uuid, path_uuid, query_str, query_uuid, req_str, req_uuid, JsonObject,
};
use crate::app::App;
use crate::auth::CustomerCaller;
use crate::banks;
use crate::error::{ApiError, ApiResult};
use crate::payments::account_on_file::{authorize_consent, revoke_consent};
use crate::payments::bulk::{customer_bulk, pay_bulk, BulkOutcome};
use crate::payments::errors::{unknown_consent, unknown_destination, unknown_intent, unknown_source};
use crate::payments::pay::{create_payment, PayOutcome};
use crate::payments::sources::{add_beneficiary, add_payments_to_entity, resolve_destination};
use crate::payments::views::{amount_json, beneficiary_json, destination_json, intent_status, ts};
use crate::payments::{ConsentAttempt, PaymentSource};
use crate::users::{self, LoginOutcome};

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/link/api/payment-context", get(payment_context))
        .route("/link/api/pay", post(pay))
        .route("/link/api/bulk-payment-context", get(bulk_payment_context))
        .route("/link/api/bulk-pay", post(bulk_pay))
        .route("/link/api/checkout", post(checkout))
        .route("/link/api/authorize-consent", post(authorize))
        .route("/link/api/attempts/{id}", get(get_attempt))
        .route("/link/api/consents", get(consents))
        .route("/link/api/consents/{id}/revoke", post(revoke))
        .route("/link/api/beneficiary", post(beneficiary))
        .route("/link/api/destination", get(destination))
        .route("/link/api/entity-bank", get(entity_bank))
        .route("/link/api/verify-address", post(verify_address))
        .route("/link/api/reconnect", get(reconnect_info).post(reconnect))
}

/// What the pay/checkout screens show: the intent, its destination, and the customer's
/// payment sources (with accounts and whether the destination is an ACTIVE beneficiary).
async fn payment_context(
    caller: CustomerCaller,
    State(app): State<Arc<App>>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let intent_id = query_uuid(&q, "payment_intent_id")?;
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
                let mut v = source_context_json(p);
                v["beneficiary_status"] = json!(b.map(|b| b.status.clone()));
                v
            })
            .collect();
        let status = intent_status(i, st);
        Some(json!({
            "status": "OK",
            "payment_intent_id": i.id,
            "customer_id": i.customer_id,
            "amount": amount_json(i.amount),
            "currency": i.currency,
            "description": i.description,
            "intent_status": status,
            "destination": dest.map(|d| json!({"id": d.id, "name": d.name, "display_name": d.display_name, "iban": d.iban})),
            "payment_sources": sources,
        }))
    });
    v.map(Json).ok_or_else(unknown_intent)
}

/// A payment source as the pay screens list it: its bank and its accounts.
fn source_context_json(p: &PaymentSource) -> Value {
    json!({
        "id": p.id,
        "bank_identifier": p.bank_identifier,
        "bank_name": banks::find(&p.bank_identifier).map(|b| b.name),
        "accounts": p.accounts.iter().map(|a| json!({
            "id": a.id, "name": a.account_name, "iban": a.iban,
            "currency": a.currency, "balance": amount_json(a.balance),
        })).collect::<Vec<_>>(),
    })
}

/// What the bulk pay screens show: the bulk intent (currency, total, and each child intent with
/// its recipient) and the customer's payment sources, each with the status of its beneficiary
/// for every recipient of the bulk (`null` when it is not one).
async fn bulk_payment_context(
    caller: CustomerCaller,
    State(app): State<Arc<App>>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let bulk_id = query_str(&q, "bulk_payment_intent_id")
        .ok_or_else(|| ApiError::missing_parameters("bulk_payment_intent_id is required."))
        .and_then(|raw| Uuid::parse_str(raw).map_err(|_| unknown_intent()))?;
    let cid = caller.customer_id;
    let bulk = customer_bulk(&app, cid, bulk_id)?;
    Ok(Json(app.store.read(|s| {
        let st = &s.payments;
        let intents: Vec<_> =
            bulk.intent_ids.iter().filter_map(|id| st.intents.iter().find(|i| i.id == *id)).collect();
        let payments: Vec<Value> = intents
            .iter()
            .map(|i| {
                let dest = st.destinations.iter().find(|d| d.id == i.payment_destination_id);
                json!({
                    "payment_intent_id": i.id,
                    "amount": amount_json(i.amount),
                    "currency": i.currency,
                    "description": i.description,
                    "intent_status": intent_status(i, st),
                    "destination": dest.map(|d| json!({"id": d.id, "name": d.name, "display_name": d.display_name, "iban": d.iban})),
                })
            })
            .collect();
        let sources: Vec<Value> = st
            .sources
            .iter()
            .filter(|p| p.customer_id == cid && !p.deleted)
            .map(|p| {
                let mut v = source_context_json(p);
                v["beneficiaries"] = intents
                    .iter()
                    .map(|i| {
                        let b = p.beneficiaries.iter().find(|b| b.payment_destination_id == i.payment_destination_id);
                        json!({"payment_destination_id": i.payment_destination_id, "status": b.map(|b| b.status.clone())})
                    })
                    .collect();
                v
            })
            .collect();
        let total: f64 = intents.iter().map(|i| i.amount).sum();
        json!({
            "status": "OK",
            "bulk_payment_intent_id": bulk.id,
            "customer_id": bulk.customer_id,
            "currency": bulk.currency,
            "total_amount": amount_json(total),
            "payments": payments,
            "payment_sources": sources,
        })
    })))
}

/// `pay` with `bulk_payment_intent_id`: every child intent paid from one account, all or none
/// (`payments::bulk`). OK carries each child's payment; a refusal names the child refused.
async fn bulk_pay(
    caller: CustomerCaller,
    State(app): State<Arc<App>>,
    JsonObject(b): JsonObject,
) -> ApiResult<Json<Value>> {
    let bulk = req_uuid(&b, "bulk_payment_intent_id", unknown_intent)?;
    let account = opt_uuid(&b, "account_id")?;
    let bank = opt_str(&b, "bank_identifier")?;
    Ok(Json(match pay_bulk(&app, caller.customer_id, bulk, bank.as_deref(), account)? {
        BulkOutcome::Created(payments) => json!({
            "status": "OK",
            "message": "Payments submitted.",
            "bulk_payment_intent_id": bulk,
            // All are PENDING_WITH_BANK when submitted, as a single pay's payment is.
            "payment_status": payments.first().map(|p| p.status.clone()),
            "bank_identifier": payments.first().map(|p| p.bank_identifier.clone()),
            "account_id": payments.first().and_then(|p| p.account_id),
            "payments": payments.iter().map(|p| json!({
                "payment_intent_id": p.intent_id,
                "payment_id": p.id,
                "payment_status": p.status,
                "amount": amount_json(p.amount),
            })).collect::<Vec<_>>(),
        }),
        BulkOutcome::Refused { payment_intent_id, status, message } => {
            let message =
                format!("Payment intent {payment_intent_id} cannot be paid, so none was: {message}");
            json!({"status": status, "message": message, "payment_intent_id": payment_intent_id})
        }
    }))
}

fn pay_outcome_json(o: PayOutcome) -> Value {
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
    JsonObject(b): JsonObject,
) -> ApiResult<Json<Value>> {
    let intent = req_uuid(&b, "payment_intent_id", unknown_intent)?;
    let account = opt_uuid(&b, "account_id")?;
    let bank = opt_str(&b, "bank_identifier")?;
    let o = create_payment(&app, caller.customer_id, intent, bank.as_deref(), account, true)?;
    Ok(Json(pay_outcome_json(o)))
}

/// The simulated bank page's login form.
struct BankCredentials {
    username: String,
    password: String,
    otp: Option<String>,
}

impl BankCredentials {
    fn read(b: &Value) -> ApiResult<BankCredentials> {
        Ok(BankCredentials {
            username: req_str(b, "username")?.to_string(),
            password: b.get("password").and_then(Value::as_str).unwrap_or("").to_string(),
            otp: opt_str(b, "otp")?,
        })
    }

    fn login(&self) -> LoginOutcome {
        users::login(&self.username, &self.password, self.otp.as_deref()).0
    }
}

struct BankLogin {
    bank: &'static banks::MockBank,
    credentials: BankCredentials,
    outcome: LoginOutcome,
}

fn bank_login(b: &Value) -> ApiResult<BankLogin> {
    let bank = banks::find(req_str(b, "bank_identifier")?)
        .ok_or_else(|| ApiError::invalid_parameters("Unknown bank_identifier."))?;
    let credentials = BankCredentials::read(b)?;
    let outcome = credentials.login();
    Ok(BankLogin { bank, credentials, outcome })
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

/// What every consent attempt of one redirect flow shares; `succeeded`/`failed` make the
/// attempt that `captureRedirect` reads back.
struct AttemptOf<'a> {
    customer_id: Uuid,
    kind: &'static str,
    bank: &'a str,
    consent_id: Option<Uuid>,
}

impl AttemptOf<'_> {
    fn succeeded(&self, payment_id: Option<Uuid>) -> ConsentAttempt {
        self.attempt(payment_id, None)
    }

    fn failed(&self, code: &str, info: &str) -> ConsentAttempt {
        self.attempt(None, Some((code, info)))
    }

    fn attempt(&self, payment_id: Option<Uuid>, failure: Option<(&str, &str)>) -> ConsentAttempt {
        ConsentAttempt {
            id: Uuid::new_v4(),
            customer_id: self.customer_id,
            kind: self.kind.to_string(),
            consent_id: self.consent_id,
            payment_id,
            bank_identifier: self.bank.to_string(),
            outcome: if failure.is_some() { "FAILED" } else { "SUCCESS" }.to_string(),
            granular_status_code: failure.map(|f| f.0.to_string()),
            status_additional_info: failure.map(|f| f.1.to_string()),
            created_at: Utc::now(),
        }
    }
}

/// Stores the attempt and sends the page to the bank's redirect.
fn redirect(app: &App, a: ConsentAttempt) -> ApiResult<Json<Value>> {
    app.store.update(|s| s.payments.attempts.push(a.clone()))?;
    Ok(Json(redirect_json(&a)))
}

/// Open Finance SIP: the (simulated) bank login, then the payment and a consent attempt for
/// the redirect. Wrong password / OTP needed are returned as login outcomes (the bank page
/// asks again); a locked account or bank failure ends in a FAILED attempt (fail URL).
async fn checkout(
    caller: CustomerCaller,
    State(app): State<Arc<App>>,
    JsonObject(b): JsonObject,
) -> ApiResult<Json<Value>> {
    let intent = req_uuid(&b, "payment_intent_id", unknown_intent)?;
    let login = bank_login(&b)?;
    let cid = caller.customer_id;
    let attempt =
        AttemptOf { customer_id: cid, kind: "PAYMENT", bank: login.bank.identifier, consent_id: None };
    let a = match login.outcome {
        LoginOutcome::Ok => {
            let account = opt_uuid(&b, "account_id")?;
            match create_payment(&app, cid, intent, Some(login.bank.identifier), account, false)? {
                PayOutcome::Created(p) => attempt.succeeded(Some(p.id)),
                PayOutcome::Refused(code, msg) => attempt.failed(code, &msg),
            }
        }
        LoginOutcome::Failed { status, message } => attempt.failed(status, message),
        other => return Ok(Json(login_outcome_json(&other))),
    };
    redirect(&app, a)
}

/// AoF `authorizeConsent`: bank login, then the consent becomes AUTHORISED.
async fn authorize(
    caller: CustomerCaller,
    State(app): State<Arc<App>>,
    JsonObject(b): JsonObject,
) -> ApiResult<Json<Value>> {
    let consent = req_uuid(&b, "consent_id", unknown_consent)?;
    let cid = caller.customer_id;
    let known =
        app.store.read(|s| s.payments.consents.iter().any(|c| c.id == consent && c.customer_id == cid));
    if !known {
        return Err(unknown_consent());
    }
    let login = bank_login(&b)?;
    let attempt = AttemptOf {
        customer_id: cid,
        kind: "ACCOUNT_ON_FILE",
        bank: login.bank.identifier,
        consent_id: Some(consent),
    };
    let a = match login.outcome {
        LoginOutcome::Ok => {
            let account = opt_uuid(&b, "account_id")?;
            match authorize_consent(&app, cid, consent, login.bank, account) {
                Ok(_) => attempt.succeeded(None),
                // A consent the bank cannot authorise is the flow's failure, told through the
                // redirect like a bank refusal; only the sandbox's own faults are errors.
                Err(e) if e.http.is_client_error() => attempt.failed(e.code, &e.message),
                Err(e) => return Err(e),
            }
        }
        LoginOutcome::Failed { status, message } => attempt.failed(status, message),
        other => return Ok(Json(login_outcome_json(&other))),
    };
    redirect(&app, a)
}

/// `captureRedirect`: what happened in a consent attempt.
async fn get_attempt(
    caller: CustomerCaller,
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let id = path_uuid(&id, || ApiError::invalid_parameters("consent_attempt_id must be a UUID."))?;
    app.store
        .read(|s| {
            s.payments.attempts.iter().find(|a| a.id == id && a.customer_id == caller.customer_id).map(|a| {
                let mut v = redirect_json(a);
                v["status"] = json!("OK");
                if let Some(p) = a.payment_id.and_then(|pid| s.payments.payments.iter().find(|p| p.id == pid))
                {
                    v["payment_status"] = json!(p.status);
                    v["amount"] = amount_json(p.amount);
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
                    "expiration_date_time": ts(c.expiration_date_time),
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
    let id = path_uuid(&id, unknown_consent)?;
    let c = revoke_consent(&app, id, Some(caller.customer_id))?;
    Ok(Json(json!({"status": "OK", "consent_id": c.id, "consent_status": c.status})))
}

/// `updatePaymentSource` / `createBeneficiary`: add a destination to a payment source.
/// `updatePaymentSource` / `createBeneficiary`. With `payment_source_id`, the destination joins that
/// source's recipients. With `entity_id` (a data-only connection), the person logs in to that
/// entity's bank again and the bank gets payments: the customer's source there gains the recipient,
/// or a new source is made from the entity's accounts with it as the first recipient.
async fn beneficiary(
    caller: CustomerCaller,
    State(app): State<Arc<App>>,
    JsonObject(b): JsonObject,
) -> ApiResult<Json<Value>> {
    let dest = req_uuid(&b, "payment_destination_id", unknown_destination)?;
    let source = opt_uuid(&b, "payment_source_id").map_err(|_| unknown_source())?;
    let entity = opt_uuid(&b, "entity_id").map_err(|_| ApiError::unknown_entity())?;
    let (src, ben) = match (source, entity) {
        (Some(_), Some(_)) => {
            return Err(ApiError::invalid_parameters("Send one of payment_source_id or entity_id, not both."))
        }
        (_, Some(entity_id)) => {
            let entity = caller_entity(&app, caller.customer_id, entity_id)?;
            let login = bank_login(&b)?;
            if login.bank.identifier != entity.bank_identifier {
                return Err(ApiError::invalid_parameters("bank_identifier is not the entity's bank."));
            }
            if login.outcome != LoginOutcome::Ok {
                return Ok(Json(login_outcome_json(&login.outcome)));
            }
            add_payments_to_entity(&app, caller.customer_id, login.bank, dest)?
        }
        (source, None) => add_beneficiary(&app, caller.customer_id, source, dest)?,
    };
    Ok(Json(json!({
        "status": "OK",
        "payment_source_id": src.id,
        "bank_identifier": src.bank_identifier,
        "beneficiary": beneficiary_json(&ben),
    })))
}

/// One of the caller's active entities.
fn caller_entity(app: &App, customer_id: Uuid, entity_id: Uuid) -> ApiResult<crate::state::Entity> {
    app.store
        .read(|s| {
            s.entities
                .iter()
                .find(|e| e.id == entity_id && e.customer_id == customer_id && e.status == "ACTIVE")
                .cloned()
        })
        .ok_or_else(ApiError::unknown_entity)
}

/// The bank an `updatePaymentSource` with `entity_id` adds payments to, for the Link UI's screen.
async fn entity_bank(
    caller: CustomerCaller,
    State(app): State<Arc<App>>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let entity_id = query_uuid(&q, "entity_id").map_err(|_| ApiError::unknown_entity())?;
    let entity = caller_entity(&app, caller.customer_id, entity_id)?;
    let bank = banks::find(&entity.bank_identifier).ok_or_else(ApiError::unknown_entity)?;
    Ok(Json(json!({"status": "OK", "bank": bank.to_json(&app.base_url)})))
}

async fn destination(
    caller: CustomerCaller,
    State(app): State<Arc<App>>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let id = query_str(&q, "payment_destination_id")
        .map(|v| Uuid::parse_str(v).map_err(|_| unknown_destination()))
        .transpose()?;
    let d = app.store.read(|s| resolve_destination(&s.payments, caller.customer_id, id))?;
    Ok(Json(json!({"status": "OK", "destination": destination_json(&d)})))
}

/// `verifyAddress`: bank login with `identity`, then the account holder's name (the Data API's
/// identity for that entity) is compared with `customer_name`, case- and space-insensitively.
async fn verify_address(
    caller: CustomerCaller,
    State(app): State<Arc<App>>,
    JsonObject(b): JsonObject,
) -> ApiResult<Json<Value>> {
    let wanted = req_str(&b, "customer_name")?.to_string();
    let login = bank_login(&b)?;
    if login.outcome != LoginOutcome::Ok {
        return Ok(Json(login_outcome_json(&login.outcome)));
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
                username: login.credentials.username.clone(),
                password: login.credentials.password.clone(),
                otp: login.credentials.otp.clone(),
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

/// `(entity_id, customer_id)` of the reconnect `rid`, which must be this customer's.
fn pending_reconnect(app: &App, caller: &CustomerCaller, rid: Uuid) -> ApiResult<(Uuid, Uuid)> {
    crate::data::find_reconnect(app, rid)
        .filter(|(_, c)| *c == caller.customer_id)
        .ok_or_else(|| ApiError::invalid_parameters("No pending reconnect for this reconnect_id."))
}

/// The reconnect screen: which bank the `reconnect_id` belongs to (must be this customer's).
async fn reconnect_info(
    caller: CustomerCaller,
    State(app): State<Arc<App>>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let rid = query_uuid(&q, "reconnect_id")?;
    let (entity_id, customer_id) = pending_reconnect(&app, &caller, rid)?;
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
    JsonObject(b): JsonObject,
) -> ApiResult<Json<Value>> {
    let rid = req_uuid(&b, "reconnect_id", || ApiError::invalid_parameters("reconnect_id must be a UUID."))?;
    let (entity_id, _) = pending_reconnect(&app, &caller, rid)?;
    let outcome = BankCredentials::read(&b)?.login();
    if outcome != LoginOutcome::Ok {
        return Ok(Json(login_outcome_json(&outcome)));
    }
    crate::data::reconnect(&app, entity_id, rid)?;
    Ok(Json(json!({"status": "OK", "message": "Bank reconnected.", "entity_id": entity_id})))
}
