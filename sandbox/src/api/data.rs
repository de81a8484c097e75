//! Lean's Data API (REFERENCE §5): v2 GET endpoints with the v2 envelope, async results,
//! manual refreshes, and the legacy v1 POST endpoints with the `payload` envelope.
//! The engine (generated data, statuses, scenarios) lives in `crate::data`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::NaiveDate;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::app::App;
use crate::auth::ApiCaller;
use crate::data::{
    self, compute, live_entity, now_nanos, refresh_json, run, DataError, DataKind, DataQuery, Outcome,
    Version,
};

type DataResult<T> = Result<T, DataError>;

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/data/v2/accounts", get(v2_accounts).post(v2_accounts))
        .route("/data/v2/accounts/{account_id}/balances", get(v2_balances).post(v2_balances))
        .route("/data/v2/accounts/{account_id}/transactions", get(v2_transactions).post(v2_transactions))
        .route("/data/v2/identity", get(v2_identity).post(v2_identity))
        .route("/data/v2/accounts/{account_id}/identities", get(v2_identities).post(v2_identities))
        .route("/data/v2/accounts/{account_id}/beneficiaries", get(v2_beneficiaries).post(v2_beneficiaries))
        .route("/data/v2/accounts/{account_id}/direct-debits", get(v2_direct_debits).post(v2_direct_debits))
        .route(
            "/data/v2/accounts/{account_id}/standing-orders",
            get(v2_standing_orders).post(v2_standing_orders),
        )
        .route(
            "/data/v2/accounts/{account_id}/scheduled-payments",
            get(v2_scheduled_payments).post(v2_scheduled_payments),
        )
        .route("/data/v2/results/{results_id}", get(v2_results))
        .route("/data/v2/refreshes", post(refresh_start).get(refresh_list))
        .route("/data/v2/refreshes/{refresh_id}", get(refresh_get))
        .route("/data/v1/accounts", post(v1_accounts))
        .route("/data/v1/balance", post(v1_balance))
        .route("/data/v1/transactions", post(v1_transactions))
        .route("/data/v1/identity", post(v1_identity))
        .route("/data/v1/results/{results_id}", get(v1_results))
}

/// Query parameters merged with an optional JSON body (docs show both styles).
struct Params(HashMap<String, String>);

impl Params {
    fn new(query: HashMap<String, String>, body: &Bytes) -> DataResult<Params> {
        let mut map = query;
        if !body.iter().all(u8::is_ascii_whitespace) {
            let parsed: Value = serde_json::from_slice(body).map_err(|_| {
                DataError::new(
                    StatusCode::BAD_REQUEST,
                    "INVALID_PARAMETERS",
                    "The request body is not valid JSON.",
                )
            })?;
            let Value::Object(obj) = parsed else {
                return Err(DataError::invalid("body", "not a JSON object"));
            };
            for (k, v) in obj {
                let s = match v {
                    Value::Null => continue,
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                map.entry(k).or_insert(s);
            }
        }
        Ok(Params(map))
    }
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(|s| s.trim()).filter(|s| !s.is_empty())
    }
    fn uuid(&self, key: &str) -> DataResult<Uuid> {
        let raw = self.get(key).ok_or_else(|| DataError::missing(key))?;
        parse_uuid(key, raw)
    }
    fn usize_or(&self, key: &str, default: usize) -> DataResult<usize> {
        match self.get(key) {
            None => Ok(default),
            Some(raw) => raw.parse().map_err(|_| DataError::invalid(key, raw)),
        }
    }
    fn date(&self, keys: &[&str]) -> DataResult<Option<NaiveDate>> {
        for key in keys {
            if let Some(raw) = self.get(key) {
                // A full date-time is accepted too; only its date counts.
                let day = raw.get(..10).unwrap_or(raw);
                return NaiveDate::parse_from_str(day, "%Y-%m-%d")
                    .map(Some)
                    .map_err(|_| DataError::invalid(key, raw));
            }
        }
        Ok(None)
    }
    fn is_async(&self) -> DataResult<bool> {
        match self.get("async") {
            None => Ok(false),
            Some(raw) => match raw.to_ascii_lowercase().as_str() {
                "true" => Ok(true),
                "false" => Ok(false),
                _ => Err(DataError::invalid("async", raw)),
            },
        }
    }
    fn meta(&self) -> Option<Value> {
        self.get("meta")
            .map(|raw| serde_json::from_str::<Value>(raw).unwrap_or_else(|_| Value::String(raw.to_string())))
    }
}

fn parse_uuid(field: &str, raw: &str) -> DataResult<Uuid> {
    Uuid::parse_str(raw).map_err(|_| DataError::invalid(field, raw))
}

fn query_for(
    kind: DataKind,
    version: Version,
    account_id: Option<Uuid>,
    p: &Params,
) -> DataResult<DataQuery> {
    let entity_id = p.uuid("entity_id")?;
    let page = p.usize_or("page", 0)?;
    let size = p.usize_or("size", 50)?;
    if !(1..=100).contains(&size) {
        return Err(DataError::invalid("size", &size.to_string()));
    }
    let start_date = p.date(&["start_date", "from"])?;
    let end_date = p.date(&["end_date", "to"])?;
    if let (Some(s), Some(e)) = (start_date, end_date) {
        if s > e {
            return Err(DataError::invalid("start_date", &s.to_string()));
        }
    }
    Ok(DataQuery { kind, version, entity_id, account_id, page, size, start_date, end_date, meta: p.meta() })
}

/// Lean's v2 data envelope.
#[allow(clippy::too_many_arguments)]
fn v2_envelope(
    status: &str,
    results_id: Uuid,
    message: &str,
    meta: Option<Value>,
    status_detail: Value,
    type_name: Value,
    refreshed_at: Value,
    data: Value,
) -> Value {
    json!({
        "status": status,
        "results_id": results_id,
        "message": message,
        "meta": meta,
        "timestamp": now_nanos(),
        "status_detail": status_detail,
        "type": type_name,
        "refreshed_at": refreshed_at,
        "data": data,
    })
}

fn v2_response(q: &DataQuery, results_id: Uuid, outcome: Outcome) -> Response {
    let meta = q.meta.clone();
    let type_name = q.kind.type_name(Version::V2);
    match outcome {
        Outcome::Ok { body, refreshed_at } => Json(v2_envelope(
            "OK",
            results_id,
            data::MSG_OK,
            meta,
            Value::Null,
            json!(type_name),
            json!(data::views::millis(refreshed_at)),
            body,
        ))
        .into_response(),
        Outcome::Pending => (
            StatusCode::ACCEPTED,
            Json(v2_envelope(
                "PENDING",
                results_id,
                data::MSG_PENDING,
                meta,
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
            )),
        )
            .into_response(),
        Outcome::Failed { code, info } => Json(v2_envelope(
            "FAILED",
            results_id,
            &info,
            meta,
            json!({"granular_status_code": code, "status_additional_info": info}),
            Value::Null,
            Value::Null,
            Value::Null,
        ))
        .into_response(),
        Outcome::Reconnect { reconnect_id } => {
            let mut body = v2_envelope(
                "RECONNECT_REQUIRED",
                results_id,
                data::MSG_RECONNECT,
                meta,
                Value::Null,
                Value::Null,
                Value::Null,
                json!({"type": "reconnect", "reconnect_id": reconnect_id}),
            );
            body["reconnect_id"] = json!(reconnect_id);
            Json(body).into_response()
        }
        Outcome::ConsentExpired => Json(v2_envelope(
            "CONSENT_EXPIRED",
            results_id,
            data::MSG_CONSENT_EXPIRED,
            meta,
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
        ))
        .into_response(),
    }
}

fn v1_envelope(status: &str, results_id: Uuid, message: &str, payload: Value) -> Value {
    json!({
        "status": status,
        "payload": payload,
        "results_id": results_id,
        "message": message,
        "timestamp": now_nanos(),
    })
}

fn v1_response(results_id: Uuid, outcome: Outcome) -> Response {
    match outcome {
        Outcome::Ok { body, .. } => Json(v1_envelope("OK", results_id, data::MSG_OK, body)).into_response(),
        Outcome::Pending => {
            let mut body = v1_envelope("PENDING", results_id, data::MSG_PENDING_V1, Value::Null);
            if let Some(obj) = body.as_object_mut() {
                obj.remove("payload");
            }
            (StatusCode::ACCEPTED, Json(body)).into_response()
        }
        Outcome::Failed { code, info } => {
            let mut body = v1_envelope("FAILED", results_id, &info, Value::Null);
            body["status_detail"] = json!({"granular_status_code": code, "status_additional_info": info});
            Json(body).into_response()
        }
        Outcome::Reconnect { reconnect_id } => Json(v1_envelope(
            "RECONNECT_REQUIRED",
            results_id,
            data::MSG_RECONNECT,
            json!({"type": "reconnect", "reconnect_id": reconnect_id}),
        ))
        .into_response(),
        Outcome::ConsentExpired => {
            Json(v1_envelope("CONSENT_EXPIRED", results_id, data::MSG_CONSENT_EXPIRED, Value::Null))
                .into_response()
        }
    }
}

async fn serve_v2(
    app: &Arc<App>,
    kind: DataKind,
    account_id: Option<&str>,
    query: HashMap<String, String>,
    body: Bytes,
) -> DataResult<Response> {
    let p = Params::new(query, &body)?;
    let account_id = account_id.map(|raw| parse_uuid("account_id", raw)).transpose()?;
    let q = query_for(kind, Version::V2, account_id, &p)?;
    let (results_id, outcome) = run(app, q.clone(), p.is_async()?)?;
    Ok(v2_response(&q, results_id, outcome))
}

async fn v2_accounts(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> DataResult<Response> {
    serve_v2(&app, DataKind::Accounts, None, query, body).await
}

async fn v2_identity(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> DataResult<Response> {
    serve_v2(&app, DataKind::Identity, None, query, body).await
}

async fn v2_balances(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Path(account_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> DataResult<Response> {
    serve_v2(&app, DataKind::Balances, Some(&account_id), query, body).await
}

async fn v2_transactions(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Path(account_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> DataResult<Response> {
    serve_v2(&app, DataKind::Transactions, Some(&account_id), query, body).await
}

/// The per-account resources: `/data/v2/accounts/{account_id}/<kind>`.
macro_rules! per_account {
    ($($name:ident => $kind:expr),* $(,)?) => {$(
        async fn $name(
            _: ApiCaller,
            State(app): State<Arc<App>>,
            Path(account_id): Path<String>,
            Query(query): Query<HashMap<String, String>>,
            body: Bytes,
        ) -> DataResult<Response> {
            serve_v2(&app, $kind, Some(&account_id), query, body).await
        }
    )*};
}

per_account! {
    v2_identities => DataKind::Identities,
    v2_beneficiaries => DataKind::Beneficiaries,
    v2_direct_debits => DataKind::DirectDebits,
    v2_standing_orders => DataKind::StandingOrders,
    v2_scheduled_payments => DataKind::ScheduledPayments,
}

/// Shared by the v1 and v2 results endpoints.
fn fetch_results(app: &Arc<App>, raw: &str, version: Version) -> DataResult<Response> {
    let results_id = parse_uuid("results_id", raw)?;
    let stored = data::stored_result(app, results_id).ok_or_else(DataError::unknown_results_id)?;
    let q = stored.query.clone();
    if !stored.ready {
        let outcome = match stored.awaiting_reconnect {
            Some(reconnect_id) => Outcome::Reconnect { reconnect_id },
            None => Outcome::Pending,
        };
        return Ok(match version {
            Version::V2 => v2_response(&q, results_id, outcome),
            Version::V1 => v1_response(results_id, outcome),
        });
    }
    let (body, refreshed_at) = compute(app, &q, version)?;
    let outcome = Outcome::Ok { body, refreshed_at };
    Ok(match version {
        Version::V2 => v2_response(&q, results_id, outcome),
        Version::V1 => v1_response(results_id, outcome),
    })
}

async fn v2_results(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Path(results_id): Path<String>,
) -> DataResult<Response> {
    fetch_results(&app, &results_id, Version::V2)
}

async fn v1_results(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Path(results_id): Path<String>,
) -> DataResult<Response> {
    fetch_results(&app, &results_id, Version::V1)
}

async fn serve_v1(
    app: &Arc<App>,
    kind: DataKind,
    query: HashMap<String, String>,
    body: Bytes,
) -> DataResult<Response> {
    let p = Params::new(query, &body)?;
    let account_id = match kind {
        DataKind::Balances | DataKind::Transactions => Some(p.uuid("account_id")?),
        _ => None,
    };
    let mut q = query_for(kind, Version::V1, account_id, &p)?;
    // v1 has no paging; page/size only shape v2 views of a v1 result.
    q.page = 0;
    let (results_id, outcome) = run(app, q, p.is_async()?)?;
    Ok(v1_response(results_id, outcome))
}

async fn v1_accounts(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> DataResult<Response> {
    serve_v1(&app, DataKind::Accounts, query, body).await
}

async fn v1_balance(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> DataResult<Response> {
    serve_v1(&app, DataKind::Balances, query, body).await
}

async fn v1_transactions(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> DataResult<Response> {
    serve_v1(&app, DataKind::Transactions, query, body).await
}

async fn v1_identity(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> DataResult<Response> {
    serve_v1(&app, DataKind::Identity, query, body).await
}

async fn refresh_start(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> DataResult<Response> {
    let p = Params::new(query, &body)?;
    let entity_id = p.uuid("entity_id")?;
    data::start_refresh(&app, entity_id)
}

async fn refresh_list(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Query(query): Query<HashMap<String, String>>,
) -> DataResult<Json<Value>> {
    let p = Params(query);
    let entity_id = p.uuid("entity_id")?;
    let page = p.usize_or("page", 0)?;
    let size = p.usize_or("size", 50)?;
    if !(1..=100).contains(&size) {
        return Err(DataError::invalid("size", &size.to_string()));
    }
    let items = app.store.read(|s| {
        live_entity(s, entity_id)?;
        let mut list: Vec<&data::Refresh> =
            s.data.refreshes.iter().filter(|r| r.entity_id == entity_id).collect();
        list.sort_by_key(|r| std::cmp::Reverse(r.created_at));
        Some(list.into_iter().map(|r| refresh_json(s, r, false)).collect::<Vec<_>>())
    });
    let items = items.ok_or_else(DataError::unknown_entity)?;
    let total = items.len();
    let content: Vec<Value> = items.into_iter().skip(page.saturating_mul(size)).take(size).collect();
    Ok(Json(json!({
        "content": content,
        "page": {
            "number": page,
            "size": size,
            "total_elements": total,
            "total_pages": total.div_ceil(size),
        }
    })))
}

async fn refresh_get(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    Path(refresh_id): Path<String>,
) -> DataResult<Json<Value>> {
    let refresh_id = parse_uuid("refresh_id", &refresh_id)?;
    app.store
        .read(|s| {
            s.data.refreshes.iter().find(|r| r.refresh_id == refresh_id).map(|r| refresh_json(s, r, true))
        })
        .map(Json)
        .ok_or_else(|| {
            DataError::new(
                StatusCode::NOT_FOUND,
                "UNKNOWN_REFRESH_ID",
                "The refresh_id provided did not match a data refresh in our records.",
            )
        })
}
