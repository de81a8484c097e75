//! `POST /sandbox/scenarios/webhook-flood`: many real `entity.created` webhooks at once, for soak
//! and crash tests of the merchant's webhook endpoint.
//!
//! Each event announces a new entity that really exists here (GET entity and the Data API answer
//! for it), is signed and logged like any other, and goes through the normal delivery path with
//! Lean's retries, so events the merchant did not acknowledge are sent again. Each entity has its
//! own lane, as a connect does; the sender's in-flight cap spreads the flood out.
//!
//! On purpose this breaks Lean's one-entity-per-bank rule (a later connect to the same bank
//! refreshes one of them) and sends no refresh webhooks: it is a load scenario, not a user journey.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use chrono::Utc;
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use super::customers::parse_customer_id;
use crate::api::entities::ACTIVE;
use crate::app::App;
use crate::banks;
use crate::error::{ApiError, ApiResult};
use crate::link::flow::new_accounts;
use crate::state::{Consent, DeliveryStatus, Entity, Event};

/// Enough for a soak; past this the one-file state gets slow to write.
const MAX_COUNT: usize = 50_000;
const DEFAULT_BANK: &str = "LEAN_MB1";
const PERMISSIONS: [&str; 4] = ["identity", "accounts", "balance", "transactions"];

pub fn routes() -> Router<Arc<App>> {
    Router::new().route("/sandbox/scenarios/webhook-flood", post(flood))
}

#[derive(Deserialize)]
struct Flood {
    #[serde(default)]
    customer_id: String,
    #[serde(default)]
    count: Option<usize>,
    #[serde(default)]
    bank_identifier: Option<String>,
}

async fn flood(State(app): State<Arc<App>>, bytes: Bytes) -> ApiResult<Json<Value>> {
    let req: Flood = serde_json::from_slice(&bytes)
        .map_err(|err| ApiError::invalid_parameters(format!("Invalid request body: {err}")))?;
    if req.customer_id.trim().is_empty() {
        return Err(ApiError::missing_parameters("customer_id is required."));
    }
    let customer_id = parse_customer_id(req.customer_id.trim())?;
    let count = req.count.unwrap_or(100);
    if count == 0 || count > MAX_COUNT {
        return Err(ApiError::invalid_parameters(format!("count must be between 1 and {MAX_COUNT}.")));
    }
    let bank_id = req.bank_identifier.as_deref().map(str::trim).unwrap_or(DEFAULT_BANK);
    let bank = banks::find(bank_id)
        .ok_or_else(|| ApiError::invalid_parameters(format!("Unknown bank_identifier {bank_id}.")))?;
    let app_user_id = app
        .store
        .read(|s| s.customer(customer_id).map(|c| c.app_user_id.clone()))
        .ok_or_else(ApiError::customer_not_found)?;

    let now = Utc::now();
    let permissions: Vec<String> = PERMISSIONS.iter().map(|p| p.to_string()).collect();
    let bank_details = bank.webhook_details(&app.base_url);
    let mut entities = Vec::with_capacity(count);
    let mut events: Vec<Event> = Vec::with_capacity(count);
    for _ in 0..count {
        let id = Uuid::new_v4();
        let consent = Consent {
            id: Uuid::new_v4(),
            bank_consent_id: Uuid::new_v4(),
            status: "ACTIVE".to_string(),
            permissions: permissions.clone(),
            created_at: now,
            updated_at: now,
            expires_at: now + chrono::Duration::days(365),
            transactions_from: now - chrono::Duration::days(365),
            transactions_to: now + chrono::Duration::days(365),
        };
        entities.push(Entity {
            id,
            customer_id,
            bank_identifier: bank.identifier.to_string(),
            permissions: permissions.clone(),
            bank_type: bank.bank_type.to_string(),
            account_type: bank.account_type.to_string(),
            status: ACTIVE.to_string(),
            created_at: now,
            updated_at: now,
            // Seeded by the entity id, so each has its own IBANs.
            accounts: new_accounts(bank, &id.to_string(), now),
            consents: vec![consent],
            connected_by: None,
            reconnect_id: None,
        });
        let payload = json!({
            "id": id,
            "app_user_id": app_user_id,
            "customer_id": customer_id,
            "permissions": permissions,
            "bank_details": bank_details,
        });
        events.push(app.webhooks.new_event(
            &id.to_string(),
            "entity.created",
            "An entity object has been created.",
            payload,
        )?);
    }

    let listed: Vec<Value> = entities
        .iter()
        .zip(&events)
        .map(|(entity, event)| json!({"event_id": event.event_id, "entity_id": entity.id}))
        .collect();
    let to_send: Vec<(String, Uuid)> = events
        .iter()
        .filter(|e| e.delivery == DeliveryStatus::Pending)
        .map(|e| (e.lane.clone(), e.event_id))
        .collect();
    // One write for the lot: entities and their events appear together or not at all.
    let found = app.store.update(|s| {
        if s.customer(customer_id).is_none() {
            return false;
        }
        s.entities.extend(entities);
        s.events.extend(events);
        true
    })?;
    if !found {
        return Err(ApiError::customer_not_found());
    }
    app.webhooks.queue_logged(&app, to_send.iter().map(|(lane, id)| (lane.as_str(), *id)));
    Ok(Json(json!({
        "status": "OK",
        "count": count,
        "queued": to_send.len(),
        "events": listed,
    })))
}
