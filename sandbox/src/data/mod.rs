//! The Data API's engine: generated bank data, the statuses a data call can end in
//! (OK, PENDING, FAILED, RECONNECT_REQUIRED, CONSENT_EXPIRED), async results, manual refreshes,
//! the reconnect hand-off and the per-entity scenarios behind `/sandbox/scenarios`.
//!
//! PUBLIC HOOKS for other parts of the sandbox:
//! - [`reconnect`]`(app, entity_id, reconnect_id)`: what the Link UI's reconnect flow calls on
//!   success. Clears RECONNECT_REQUIRED and queues `entity.reconnected`, then `results.ready`.
//! - [`find_reconnect`]`(app, reconnect_id)`: which entity/customer a `reconnect_id` belongs to.
//! - [`expire_session`]`(app, username)`: the dashboard's "Expire session" button.

pub mod generator;
pub mod payees;
pub mod views;

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::app::App;
use crate::error::{ApiError, ApiResult};
use crate::state::{Entity, State};

/// How long an async/PENDING data call takes before `results.ready` is sent.
pub const RESULTS_READY_AFTER: Duration = Duration::from_millis(400);
/// Manual refresh timing, like the connect-time refresh.
pub const REFRESH_PENDING_AFTER: Duration = Duration::from_millis(300);
pub const REFRESH_FINISHED_AFTER: Duration = Duration::from_millis(1200);

pub const MSG_OK: &str = "Data successfully retrieved";
pub const MSG_PENDING: &str = "Please wait for a webhook or try again later.";
pub const MSG_PENDING_V1: &str = "Results not yet returned. Please wait";
pub const MSG_RECONNECT: &str = "User input is required to reconnect with the bank.";
pub const MSG_CONSENT_EXPIRED: &str = "Consent was suspended, revoked, or expired. New consent is required, please connect the entity once again.";

/// Everything the Data API remembers, kept in the sandbox state file under `data`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DataState {
    #[serde(default)]
    pub results: Vec<StoredResult>,
    #[serde(default)]
    pub refreshes: Vec<Refresh>,
    /// One-shot outcomes for an entity's next data call, oldest first.
    #[serde(default)]
    pub next_calls: Vec<NextCall>,
    /// API fault injection; deliberately not persisted.
    #[serde(skip)]
    pub faults: Vec<crate::faults::FaultRule>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Version {
    V1,
    V2,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataKind {
    Accounts,
    Balances,
    Transactions,
    Identity,
    /// The per-account resources (v2 only): `/data/v2/accounts/{account_id}/<type>`.
    Identities,
    Beneficiaries,
    DirectDebits,
    StandingOrders,
    ScheduledPayments,
}

impl DataKind {
    /// The v2 `type` and the v1 payload `type`.
    pub fn type_name(self, version: Version) -> &'static str {
        match (self, version) {
            (DataKind::Accounts, _) => "accounts",
            (DataKind::Balances, Version::V2) => "balances",
            (DataKind::Balances, Version::V1) => "balance",
            (DataKind::Transactions, _) => "transactions",
            (DataKind::Identity, _) => "identity",
            (DataKind::Identities, _) => "identities",
            (DataKind::Beneficiaries, _) => "beneficiaries",
            (DataKind::DirectDebits, _) => "direct-debits",
            (DataKind::StandingOrders, _) => "standing-orders",
            (DataKind::ScheduledPayments, _) => "scheduled-payments",
        }
    }
    /// Lean permission the call needs.
    pub fn permission(self) -> &'static str {
        match self {
            DataKind::Accounts => "accounts",
            DataKind::Balances => "balance",
            DataKind::Transactions => "transactions",
            DataKind::Identity => "identity",
            DataKind::Identities => "identities",
            DataKind::Beneficiaries => "beneficiaries",
            DataKind::DirectDebits => "direct_debits",
            DataKind::StandingOrders => "standing_orders",
            DataKind::ScheduledPayments => "scheduled_payments",
        }
    }
}

/// A data request, as stored for async results.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DataQuery {
    pub kind: DataKind,
    pub version: Version,
    pub entity_id: Uuid,
    pub account_id: Option<Uuid>,
    pub page: usize,
    pub size: usize,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub meta: Option<Value>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StoredResult {
    pub results_id: Uuid,
    pub query: DataQuery,
    /// Set when `results.ready` has been sent.
    pub ready: bool,
    /// The result waits for this reconnect to complete.
    #[serde(default)]
    pub awaiting_reconnect: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Refresh {
    pub refresh_id: Uuid,
    pub entity_id: Uuid,
    pub customer_id: Uuid,
    /// PENDING or FINISHED.
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NextCall {
    pub entity_id: Uuid,
    /// PENDING, FAILED, CONSENT_EXPIRED or RECONNECT_REQUIRED.
    pub status: String,
    #[serde(default)]
    pub granular_status_code: Option<String>,
    #[serde(default)]
    pub status_additional_info: Option<String>,
}

/// A Data API error body: Lean's error envelope plus the `results_id` data endpoints echo.
#[derive(Debug)]
pub struct DataError {
    pub http: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl DataError {
    pub fn new(http: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        DataError { http, code, message: message.into() }
    }
    pub fn unknown_entity() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "UNKNOWN_ENTITY",
            "The entity_id provided did not match an account in our records.",
        )
    }
    pub fn unknown_account() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "UNKNOWN_ACCOUNT",
            "The account_id provided does not match an account with the entity_id provided.",
        )
    }
    pub fn unknown_results_id() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "UNKNOWN_RESULTS_ID",
            "The results_id provided has not been recognized by Lean or has not been processed yet",
        )
    }
    pub fn invalid(field: &str, value: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "INVALID_PARAMETERS",
            format!("The request is badly formatted or a parameter of the wrong type has been provided, field: {field}, value: {value}."),
        )
    }
    pub fn missing(field: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "MISSING_PARAMETERS",
            format!("A required parameter is missing, field: {field}."),
        )
    }
}

impl From<ApiError> for DataError {
    fn from(e: ApiError) -> Self {
        DataError::new(e.http, e.code, e.message)
    }
}

impl From<anyhow::Error> for DataError {
    fn from(e: anyhow::Error) -> Self {
        ApiError::internal(e).into()
    }
}

impl IntoResponse for DataError {
    fn into_response(self) -> Response {
        let mut body = json!({
            "results_id": Uuid::new_v4(),
            "timestamp": now_nanos(),
            "status": self.code,
            "message": self.message,
            "metadata": null,
        });
        // The refresh-only errors (403 CONSENT_EXPIRED, 429 DUPLICATED_REQUEST) carry no
        // results_id in Lean's examples (data.yml).
        if matches!(self.http, StatusCode::FORBIDDEN | StatusCode::TOO_MANY_REQUESTS) {
            if let Some(m) = body.as_object_mut() {
                m.remove("results_id");
            }
        }
        (self.http, Json(body)).into_response()
    }
}

pub fn now_nanos() -> String {
    Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)
}

/// Whole calendar months between `start` and `today`.
pub fn complete_months(start: NaiveDate, today: NaiveDate) -> i32 {
    ((today.year() - start.year()) * 12 + today.month() as i32 - start.month() as i32).max(0)
}

pub fn live_entity(s: &State, id: Uuid) -> Option<&Entity> {
    s.entities.iter().find(|e| e.id == id && e.status != crate::api::entities::DELETED)
}

/// True when no consent of the entity is active and unexpired.
pub fn consent_expired(e: &Entity, now: DateTime<Utc>) -> bool {
    !e.consents.iter().any(|c| c.status == "ACTIVE" && c.expires_at > now)
}

/// When the entity's data was last refreshed from the (mock) bank.
pub fn refreshed_at(s: &State, e: &Entity) -> DateTime<Utc> {
    s.data
        .refreshes
        .iter()
        .filter(|r| r.entity_id == e.id && r.status == "FINISHED")
        .map(|r| r.updated_at)
        .max()
        .unwrap_or(e.updated_at)
        .max(e.updated_at)
}

/// How a data call ended.
pub enum Outcome {
    /// The `data` object (v2) or `payload` (v1).
    Ok {
        body: Value,
        refreshed_at: DateTime<Utc>,
    },
    Pending,
    Failed {
        code: String,
        info: String,
    },
    Reconnect {
        reconnect_id: Uuid,
    },
    ConsentExpired,
}

fn failed_info(code: &str) -> String {
    match code {
        "BANK_ISSUE" => "Your bank is currently experiencing technological problems. Please try again later.",
        "EU_ACCOUNT_LOCKED" => "Your online banking is locked. Please contact your bank to unlock it.",
        "LOGGED_IN_ELSEWHERE" => "You are logged in on another device. Please try again later.",
        "BANK_MAINTENANCE" => "Your bank is under maintenance. Please try again in a few hours.",
        "UNSEEN_BANK_ERROR" => "An unexpected error occurred at your bank. Please try again.",
        "LEAN_ERROR" => "Lean could not process this request. Please try again.",
        "DISABLED_BY_LEAN" => "This bank's functionality is currently disabled by Lean.",
        "DISABLED_BY_CLIENT" => "This bank is disabled in your application settings.",
        _ => "The data request failed.",
    }
    .to_string()
}

/// Runs a data call: scenarios and entity state first, then the generated data.
/// Returns the `results_id` of this response and its outcome.
pub fn run(app: &Arc<App>, q: DataQuery, want_async: bool) -> Result<(Uuid, Outcome), DataError> {
    let results_id = Uuid::new_v4();
    let now = Utc::now();
    let decided = app.store.update(|s| -> Result<Option<Outcome>, DataError> {
        let entity = live_entity(s, q.entity_id).ok_or_else(DataError::unknown_entity)?;
        if let Some(account_id) = q.account_id {
            if !entity.accounts.iter().any(|a| a.account_id == account_id) {
                return Err(DataError::unknown_account());
            }
        }
        let pos = s.data.next_calls.iter().position(|n| n.entity_id == q.entity_id);
        let scenario = pos.map(|i| s.data.next_calls.remove(i));
        let scenario_status = scenario.as_ref().map(|n| n.status.as_str());
        let entity =
            s.entities.iter_mut().find(|e| e.id == q.entity_id).ok_or_else(DataError::unknown_entity)?;
        if scenario_status == Some("RECONNECT_REQUIRED") && entity.reconnect_id.is_none() {
            entity.reconnect_id = Some(Uuid::new_v4());
        }
        if let Some(reconnect_id) = entity.reconnect_id {
            s.data.results.push(StoredResult {
                results_id,
                query: q.clone(),
                ready: false,
                awaiting_reconnect: Some(reconnect_id),
                created_at: now,
            });
            return Ok(Some(Outcome::Reconnect { reconnect_id }));
        }
        if scenario_status == Some("CONSENT_EXPIRED") || consent_expired(entity, now) {
            return Ok(Some(Outcome::ConsentExpired));
        }
        if scenario_status == Some("FAILED") {
            let n = scenario.unwrap_or_else(|| unreachable!("status came from it"));
            let code = n.granular_status_code.unwrap_or_else(|| "BANK_ISSUE".to_string());
            let info = n.status_additional_info.unwrap_or_else(|| failed_info(&code));
            return Ok(Some(Outcome::Failed { code, info }));
        }
        if !entity.permissions.iter().any(|p| p == q.kind.permission()) {
            return Ok(Some(Outcome::Failed {
                code: "PERMISSION_NOT_GRANTED".to_string(),
                info: format!(
                    "The entity's consent does not include the `{}` permission.",
                    q.kind.permission()
                ),
            }));
        }
        if want_async || scenario_status == Some("PENDING") {
            s.data.results.push(StoredResult {
                results_id,
                query: q.clone(),
                ready: false,
                awaiting_reconnect: None,
                created_at: now,
            });
            return Ok(Some(Outcome::Pending));
        }
        Ok(None)
    })??;
    match decided {
        Some(Outcome::Pending) => {
            schedule_results_ready(app, q.entity_id, vec![results_id], RESULTS_READY_AFTER);
            Ok((results_id, Outcome::Pending))
        }
        Some(outcome) => Ok((results_id, outcome)),
        None => {
            let (body, refreshed) = compute(app, &q, q.version)?;
            Ok((results_id, Outcome::Ok { body, refreshed_at: refreshed }))
        }
    }
}

/// Marks results ready and sends `results.ready` for each, after `delay`.
fn schedule_results_ready(app: &Arc<App>, entity_id: Uuid, ids: Vec<Uuid>, delay: Duration) {
    let bg = app.clone();
    app.webhooks.spawn_background(async move {
        tokio::time::sleep(delay).await;
        if let Err(err) = bg.store.update(|s| {
            for r in s.data.results.iter_mut().filter(|r| ids.contains(&r.results_id)) {
                r.ready = true;
            }
        }) {
            tracing::error!(%err, "could not mark results ready");
        }
        for id in ids {
            emit_results_ready(&bg, entity_id, id);
        }
    });
}

fn emit_results_ready(app: &Arc<App>, entity_id: Uuid, results_id: Uuid) {
    if let Err(err) = app.webhooks.emit(
        app,
        &entity_id.to_string(),
        "results.ready",
        "Your results are ready.",
        json!({ "id": results_id }),
    ) {
        tracing::error!(%err, "could not emit results.ready");
    }
}

/// Builds the v2 `data` object or the v1 `payload` for a query.
pub fn compute(app: &Arc<App>, q: &DataQuery, version: Version) -> Result<(Value, DateTime<Utc>), DataError> {
    let (entity, refreshed) = app
        .store
        .read(|s| live_entity(s, q.entity_id).map(|e| (e.clone(), refreshed_at(s, e))))
        .ok_or_else(DataError::unknown_entity)?;
    let account = match q.account_id {
        Some(id) => Some(
            entity
                .accounts
                .iter()
                .find(|a| a.account_id == id)
                .cloned()
                .ok_or_else(DataError::unknown_account)?,
        ),
        None => None,
    };
    let now = Utc::now();
    let type_name = q.kind.type_name(version);
    let body = match (q.kind, version) {
        (DataKind::Accounts, Version::V2) => {
            let items = entity.accounts.iter().map(|a| views::account_v2(&entity, a)).collect();
            page_v2(type_name, "accounts", items, q)
        }
        (DataKind::Accounts, Version::V1) => json!({
            "type": "accounts",
            "accounts": entity.accounts.iter().map(|a| views::account_v1(&entity, a)).collect::<Vec<_>>(),
        }),
        (DataKind::Identity, Version::V2) => {
            page_v2(type_name, "identities", vec![views::identity_v2(&entity)], q)
        }
        (DataKind::Identity, Version::V1) => views::identity_v1(&entity),
        (DataKind::Balances, v) => {
            let account = account.ok_or_else(|| DataError::missing("account_id"))?;
            let h = generator::history(&entity, &account, now);
            if v == Version::V2 {
                page_v2(type_name, "balances", views::balances_v2(&entity, &account, &h, now), q)
            } else {
                let kind = generator::Kind::of(&account);
                json!({
                    "type": "balance",
                    "balance": views::money(h.closing),
                    "currency_code": h.currency,
                    "account_id": account.account_id,
                    "account_name": account.name,
                    "account_type": kind.v1_type(),
                })
            }
        }
        (DataKind::Transactions, v) => {
            let account = account.ok_or_else(|| DataError::missing("account_id"))?;
            let h = generator::history(&entity, &account, now);
            let in_range = |t: &&generator::Txn| {
                let d = t.booked_at.date_naive();
                q.start_date.is_none_or(|s| d >= s) && q.end_date.is_none_or(|e| d <= e)
            };
            // Newest first, as Lean lists them.
            let txns: Vec<&generator::Txn> = h.txns.iter().rev().filter(in_range).collect();
            if v == Version::V2 {
                let items = txns.iter().map(|t| views::transaction_v2(&entity, &account, &h, t)).collect();
                page_v2(type_name, "transactions", items, q)
            } else {
                json!({
                    "type": "transactions",
                    "transactions": txns.iter().map(|t| views::transaction_v1(&h, t)).collect::<Vec<_>>(),
                })
            }
        }
        // The per-account resources have no v1 form; a v1 results call gets the v2 `data`.
        (DataKind::Identities, _) => {
            let account = account.ok_or_else(|| DataError::missing("account_id"))?;
            let mut body = page_v2(type_name, "identities", vec![views::identity_v2(&entity)], q);
            // IdentitiesData names the account (Lean's example has it next to `identities`).
            body["account_id"] = json!(account.account_id);
            body
        }
        (DataKind::Beneficiaries, _) => {
            let account = account.ok_or_else(|| DataError::missing("account_id"))?;
            let items = payees::beneficiaries(&entity, &account)
                .iter()
                .map(|b| views::beneficiary(&account, b))
                .collect();
            page_v2(type_name, "beneficiaries", items, q)
        }
        (DataKind::DirectDebits, _) => {
            let account = account.ok_or_else(|| DataError::missing("account_id"))?;
            let h = generator::history(&entity, &account, now);
            let items = payees::direct_debits(&entity, &account, &h)
                .iter()
                .map(|d| views::direct_debit(&entity, &account, &h, d))
                .collect();
            page_v2(type_name, "direct_debits", items, q)
        }
        (DataKind::StandingOrders, _) => {
            let account = account.ok_or_else(|| DataError::missing("account_id"))?;
            let h = generator::history(&entity, &account, now);
            let items = payees::standing_orders(&entity, &account, &h)
                .iter()
                .map(|o| views::standing_order(&entity, &account, &h, o))
                .collect();
            let mut body = page_v2(type_name, "standing_orders", items, q);
            // StandingOrdersData has only `standing_orders` and `page` (Lean's example has no
            // `data.type` either; the envelope's `type` names the endpoint).
            if let Some(m) = body.as_object_mut() {
                m.remove("type");
            }
            body
        }
        (DataKind::ScheduledPayments, _) => {
            let account = account.ok_or_else(|| DataError::missing("account_id"))?;
            let to = payees::beneficiaries(&entity, &account);
            let cur = views::currency(&entity);
            let items = payees::scheduled_payments(&entity, &account, now)
                .iter()
                .filter_map(|p| to.get(p.to).map(|b| views::scheduled_payment(&entity, &account, cur, p, b)))
                .collect();
            page_v2(type_name, "scheduled_payments", items, q)
        }
    };
    Ok((body, refreshed))
}

/// `{type, <key>: [...], page}` with Lean's page object.
fn page_v2(type_name: &str, key: &str, items: Vec<Value>, q: &DataQuery) -> Value {
    let total = items.len();
    let size = q.size.max(1);
    let data: Vec<Value> = items.into_iter().skip(q.page.saturating_mul(size)).take(size).collect();
    json!({
        "type": type_name,
        key: data,
        "page": {
            "number": q.page,
            "size": size,
            "total_elements": total,
            "total_pages": total.div_ceil(size),
            // PageMetadata's sort: Lean's Data API takes no sort parameter, so none was applied.
            "sort": [],
        }
    })
}

/// Looks up a stored async result.
pub fn stored_result(app: &App, results_id: Uuid) -> Option<StoredResult> {
    app.store.read(|s| s.data.results.iter().find(|r| r.results_id == results_id).cloned())
}

/// Which entity and customer a pending `reconnect_id` belongs to.
pub fn find_reconnect(app: &App, reconnect_id: Uuid) -> Option<(Uuid, Uuid)> {
    app.store.read(|s| {
        s.entities.iter().find(|e| e.reconnect_id == Some(reconnect_id)).map(|e| (e.id, e.customer_id))
    })
}

/// Completes a reconnect: clears RECONNECT_REQUIRED on the entity, then queues
/// `entity.reconnected` and `results.ready` (one per data call that was answered
/// RECONNECT_REQUIRED; fetch them at `/data/v2/results/{id}`). When no data call was waiting,
/// a `results.ready` for an accounts result with id = `reconnect_id` is sent.
pub fn reconnect(app: &Arc<App>, entity_id: Uuid, reconnect_id: Uuid) -> ApiResult<()> {
    let now = Utc::now();
    let outcome = app.store.update(|s| -> ApiResult<(Value, Vec<Uuid>)> {
        live_entity(s, entity_id).ok_or_else(ApiError::unknown_entity)?;
        let entity =
            s.entities.iter_mut().find(|e| e.id == entity_id).ok_or_else(ApiError::unknown_entity)?;
        if entity.reconnect_id != Some(reconnect_id) {
            return Err(ApiError::invalid_parameters(
                "The reconnect_id does not match a pending reconnect for this entity.",
            ));
        }
        entity.reconnect_id = None;
        entity.updated_at = now;
        // Lean documents this payload as the entity id and the reconnect id, nothing more (the
        // "Handle reconnection OTPs" guide); a merchant must find the rest in what it stored.
        let payload = json!({ "id": entity.id, "reconnect_id": reconnect_id });
        let mut ids = Vec::new();
        for r in s.data.results.iter_mut().filter(|r| r.awaiting_reconnect == Some(reconnect_id)) {
            r.awaiting_reconnect = None;
            r.ready = true;
            ids.push(r.results_id);
        }
        if ids.is_empty() {
            s.data.results.push(StoredResult {
                results_id: reconnect_id,
                query: DataQuery {
                    kind: DataKind::Accounts,
                    version: Version::V2,
                    entity_id,
                    account_id: None,
                    page: 0,
                    size: 50,
                    start_date: None,
                    end_date: None,
                    meta: None,
                },
                ready: true,
                awaiting_reconnect: None,
                created_at: now,
            });
            ids.push(reconnect_id);
        }
        Ok((payload, ids))
    })??;
    let (payload, ids) = outcome;
    app.webhooks.emit(
        app,
        &entity_id.to_string(),
        "entity.reconnected",
        "An entity object has been reconnected.",
        payload,
    )?;
    for id in ids {
        emit_results_ready(app, entity_id, id);
    }
    Ok(())
}

/// "Expire session" for a test user: every live entity that user connected now answers
/// RECONNECT_REQUIRED. Returns `(entity_id, reconnect_id)` pairs.
pub fn expire_session(app: &App, username: &str) -> anyhow::Result<Vec<(Uuid, Uuid)>> {
    app.store.update(|s| {
        s.entities
            .iter_mut()
            .filter(|e| {
                e.status != crate::api::entities::DELETED && e.connected_by.as_deref() == Some(username)
            })
            .map(|e| {
                let id = *e.reconnect_id.get_or_insert_with(Uuid::new_v4);
                (e.id, id)
            })
            .collect()
    })
}

/// Starts a manual refresh (POST /data/v2/refreshes).
pub fn start_refresh(app: &Arc<App>, entity_id: Uuid) -> Result<Response, DataError> {
    let now = Utc::now();
    enum Start {
        Reconnect(Uuid),
        Started(Refresh, Box<Entity>, String),
    }
    let started = app.store.update(|s| -> Result<Start, DataError> {
        let entity = live_entity(s, entity_id).ok_or_else(DataError::unknown_entity)?.clone();
        let pos = s.data.next_calls.iter().position(|n| n.entity_id == entity_id);
        let scenario = pos.map(|i| s.data.next_calls.remove(i));
        let scenario_status = scenario.as_ref().map(|n| n.status.as_str());
        if scenario_status == Some("RECONNECT_REQUIRED") && entity.reconnect_id.is_none() {
            let id = Uuid::new_v4();
            if let Some(e) = s.entities.iter_mut().find(|e| e.id == entity_id) {
                e.reconnect_id = Some(id);
            }
            return Ok(Start::Reconnect(id));
        }
        if let Some(id) = entity.reconnect_id {
            return Ok(Start::Reconnect(id));
        }
        if scenario_status == Some("CONSENT_EXPIRED") || consent_expired(&entity, now) {
            return Err(DataError::new(StatusCode::FORBIDDEN, "CONSENT_EXPIRED", MSG_CONSENT_EXPIRED));
        }
        if s.data.refreshes.iter().any(|r| r.entity_id == entity_id && r.status == "PENDING") {
            return Err(DataError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "DUPLICATED_REQUEST",
                "Data refresh is already pending.",
            ));
        }
        let refresh = Refresh {
            refresh_id: Uuid::new_v4(),
            entity_id,
            customer_id: entity.customer_id,
            status: "PENDING".to_string(),
            created_at: now,
            updated_at: now,
        };
        s.data.refreshes.push(refresh.clone());
        let app_user_id = s.customer(entity.customer_id).map(|c| c.app_user_id.clone()).unwrap_or_default();
        Ok(Start::Started(refresh, Box::new(entity), app_user_id))
    })??;
    match started {
        Start::Reconnect(reconnect_id) => Ok(Json(json!({
            "reconnect_id": reconnect_id,
            "refresh_id": reconnect_id,
            "status": "RECONNECT_REQUIRED",
            "message": MSG_RECONNECT,
            "timestamp": now_nanos(),
            "metadata": null,
        }))
        .into_response()),
        Start::Started(refresh, entity, app_user_id) => {
            let refresh_id = refresh.refresh_id;
            let bg = app.clone();
            app.webhooks.spawn_background(async move {
                for (delay, status) in
                    [(REFRESH_PENDING_AFTER, "PENDING"), (REFRESH_FINISHED_AFTER, "FINISHED")]
                {
                    tokio::time::sleep(delay).await;
                    if status == "FINISHED" {
                        if let Err(err) = bg.store.update(|s| {
                            if let Some(r) = s.data.refreshes.iter_mut().find(|r| r.refresh_id == refresh_id)
                            {
                                r.status = "FINISHED".to_string();
                                r.updated_at = Utc::now();
                            }
                        }) {
                            tracing::error!(%err, "could not finish refresh");
                        }
                    }
                    let payload = json!({
                        "status": status,
                        "entity_id": entity.id,
                        "refresh_id": refresh_id,
                        "app_user_id": app_user_id,
                        "customer_id": entity.customer_id,
                        "data_status": views::data_status(&entity, status, false, Utc::now().date_naive()),
                    });
                    if let Err(err) = bg.webhooks.emit(
                        &bg,
                        &entity.id.to_string(),
                        "entity.data.refresh.updated",
                        "An entity data refresh state has been updated.",
                        payload,
                    ) {
                        tracing::error!(%err, "could not emit refresh webhook");
                    }
                }
            });
            Ok(Json(json!({
                "refresh_id": refresh_id,
                "status": "OK",
                "message": "Data refresh triggered successfully",
                "timestamp": now_nanos(),
            }))
            .into_response())
        }
    }
}

/// The REST view of one refresh (GET /data/v2/refreshes/{id}).
pub fn refresh_json(s: &State, r: &Refresh, detailed: bool) -> Value {
    let mut v = json!({
        "refresh_id": r.refresh_id,
        "entity_id": r.entity_id,
        "customer_id": r.customer_id,
        "status": r.status,
        "created_at": views::millis(r.created_at),
        "updated_at": views::millis(r.updated_at),
    });
    if detailed {
        if let Some(e) = s.entities.iter().find(|e| e.id == r.entity_id) {
            let status = if r.status == "FINISHED" { "OK" } else { "PENDING" };
            v["data_status"] = views::data_status(e, status, true, r.updated_at.date_naive());
        }
    }
    v
}
