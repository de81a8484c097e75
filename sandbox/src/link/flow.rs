//! What a successful `connect` does on Lean's side: create (or refresh) the entity and emit
//! `entity.created` / `entity.updated` followed by `entity.data.refresh.updated`
//! (PENDING, then FINISHED) once the mock bank's data is "fetched".

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::api::entities::ACTIVE;
use crate::app::App;
use crate::banks::MockBank;
use crate::error::{ApiError, ApiResult};
use crate::payments::errors::unknown_destination;
use crate::payments::sources::{create_source, resolve_destination};
use crate::permissions;
use crate::state::{Account, Consent, Entity};

/// Pauses that make the refresh look like real background work without slowing tests.
const REFRESH_PENDING_AFTER: Duration = Duration::from_millis(300);
const REFRESH_FINISHED_AFTER: Duration = Duration::from_millis(1200);

#[derive(Deserialize)]
pub struct ConnectRequest {
    pub customer_id: String,
    pub bank_identifier: String,
    pub username: String,
    pub password: String,
    #[serde(default)]
    pub otp: Option<String>,
    #[serde(default)]
    pub permissions: Vec<String>,
    #[serde(default)]
    pub access_from: Option<String>,
    #[serde(default)]
    pub access_to: Option<String>,
    /// With the `payments` permission: the beneficiary's destination (default if omitted).
    #[serde(default)]
    pub payment_destination_id: Option<String>,
    #[serde(default)]
    pub end_user_id: Option<String>,
}

/// Accepts `YYYY-MM-DD` or full RFC 3339, as the SDK's `access_from`/`access_to` do.
fn parse_when(field: &str, raw: Option<&str>) -> ApiResult<Option<DateTime<Utc>>> {
    let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Ok(Some(t.with_timezone(&Utc)));
    }
    if let Ok(d) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        if let Some(t) = d.and_hms_opt(0, 0, 0) {
            return Ok(Some(t.and_utc()));
        }
    }
    Err(ApiError::invalid_parameters(format!("{field} must be an ISO 8601 date or date-time.")))
}

/// The accounts a test user has at a bank. IBANs come from the same seed as the data, so a test user
/// always has the same accounts; 12 months of history each (Lean's sandbox shows about a year).
pub(crate) fn new_accounts(bank: &MockBank, username: &str, now: DateTime<Utc>) -> Vec<Account> {
    let names: &[&str] = if bank.account_type == "BUSINESS" {
        &["Business Current Account", "Business Savings Account"]
    } else {
        &["Current Account", "Savings Account", "Credit Card"]
    };
    // UAE IBANs are 23 characters, KSA IBANs 24.
    let digits = if bank.country_code == "SAU" { 20 } else { 19 };
    names
        .iter()
        .map(|name| {
            let mut rng = crate::data::generator::Rng::from_parts(&[
                bank.identifier.as_bytes(),
                username.as_bytes(),
                name.as_bytes(),
                b"iban",
            ]);
            let number: String = (0..digits).map(|_| char::from(b'0' + rng.range(0, 9) as u8)).collect();
            let start = now.date_naive().checked_sub_months(Months::new(12)).unwrap_or(now.date_naive());
            Account {
                account_id: Uuid::new_v4(),
                iban: format!("{}{number}", bank.iban_prefix),
                name: (*name).to_string(),
                history_start: start.with_day(1).unwrap_or(start),
            }
        })
        .collect()
}

pub fn complete_connect(
    app: &Arc<App>,
    customer_id: Uuid,
    bank: &'static MockBank,
    req: &ConnectRequest,
) -> ApiResult<Value> {
    let correlation_id = Uuid::new_v4();
    let mut granted: Vec<String> = Vec::new();
    for p in &req.permissions {
        if permissions::is_data(p) && !granted.contains(p) {
            granted.push(p.clone());
        }
    }
    // `payments` creates a payment source with a beneficiary for the destination.
    let payment_source = if req.permissions.iter().any(|p| p == "payments") {
        let dest = req
            .payment_destination_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| Uuid::parse_str(s).map_err(|_| unknown_destination()))
            .transpose()?;
        // Fail before anything is created when there is no destination to pay.
        app.store.read(|s| resolve_destination(&s.payments, customer_id, dest))?;
        Some(dest)
    } else {
        None
    };
    let make_source = |app: &Arc<App>| -> ApiResult<Option<Uuid>> {
        match payment_source {
            Some(dest) => Ok(Some(create_source(app, customer_id, bank, dest, req.end_user_id.clone())?.id)),
            None => Ok(None),
        }
    };
    if granted.is_empty() {
        let payment_source = make_source(app)?;
        // Lean only creates an entity for data permissions.
        return Ok(json!({
            "status": "OK",
            "message": "Bank connected.",
            "entity_id": null,
            "payment_source_id": payment_source,
            "bank_identifier": bank.identifier,
            "lean_correlation_id": correlation_id,
        }));
    }

    let now = Utc::now();
    let from = parse_when("access_from", req.access_from.as_deref())?
        .unwrap_or_else(|| now - chrono::Duration::days(365));
    let to = parse_when("access_to", req.access_to.as_deref())?
        .unwrap_or_else(|| now + chrono::Duration::days(365));
    if to <= now {
        return Err(ApiError::invalid_parameters("access_to must be in the future."));
    }
    if from > now {
        return Err(ApiError::invalid_parameters("access_from must not be in the future."));
    }

    let consent = Consent {
        id: Uuid::new_v4(),
        bank_consent_id: Uuid::new_v4(),
        status: "ACTIVE".to_string(),
        permissions: granted.clone(),
        created_at: now,
        updated_at: now,
        expires_at: to,
        transactions_from: from,
        transactions_to: to,
    };
    let outcome = app.store.update(|s| {
        let app_user_id = s.customer(customer_id)?.app_user_id.clone();
        let existing = s.entities.iter_mut().find(|e| {
            e.customer_id == customer_id && e.bank_identifier == bank.identifier && e.status == ACTIVE
        });
        // One entity per customer per bank: a repeat connect refreshes the existing one.
        if let Some(entity) = existing {
            for c in entity.consents.iter_mut().filter(|c| c.status == "ACTIVE") {
                c.status = "REVOKED".to_string();
                c.updated_at = now;
            }
            entity.consents.push(consent);
            entity.permissions = granted.clone();
            entity.updated_at = now;
            // A fresh login replaces an expired session.
            entity.connected_by = Some(req.username.clone());
            entity.reconnect_id = None;
            return Some((entity.clone(), false, app_user_id));
        }
        let entity = Entity {
            id: Uuid::new_v4(),
            customer_id,
            bank_identifier: bank.identifier.to_string(),
            permissions: granted.clone(),
            bank_type: bank.bank_type.to_string(),
            account_type: bank.account_type.to_string(),
            status: ACTIVE.to_string(),
            created_at: now,
            updated_at: now,
            accounts: new_accounts(bank, &req.username, now),
            consents: vec![consent],
            connected_by: Some(req.username.clone()),
            reconnect_id: None,
        };
        s.entities.push(entity.clone());
        Some((entity, true, app_user_id))
    })?;
    let (entity, created, app_user_id) = outcome.ok_or_else(ApiError::customer_not_found)?;
    let payment_source = make_source(app)?;

    let (kind, message) = if created {
        ("entity.created", "An entity object has been created.")
    } else {
        ("entity.updated", "An entity object has been updated.")
    };
    let lane = entity.id.to_string();
    let payload = json!({
        "id": entity.id,
        "app_user_id": app_user_id,
        "customer_id": customer_id,
        "permissions": granted,
        "bank_details": bank.webhook_details(&app.base_url),
    });
    app.webhooks.emit(app, &lane, kind, message, payload)?;

    let entity_id = entity.id;
    let bg_app = app.clone();
    let refresh_id = Uuid::new_v4();
    app.webhooks.spawn_background(async move {
        for (delay, status) in [(REFRESH_PENDING_AFTER, "PENDING"), (REFRESH_FINISHED_AFTER, "FINISHED")] {
            tokio::time::sleep(delay).await;
            let payload = refresh_payload(status, &entity, refresh_id, &app_user_id, from);
            if let Err(err) = bg_app.webhooks.emit(
                &bg_app,
                &lane,
                "entity.data.refresh.updated",
                "An entity data refresh state has been updated.",
                payload,
            ) {
                tracing::error!(%err, "could not emit refresh webhook");
            }
        }
    });

    Ok(json!({
        "status": "OK",
        "message": "Bank connected.",
        "entity_id": entity_id,
        "payment_source_id": payment_source,
        "bank_identifier": bank.identifier,
        "lean_correlation_id": correlation_id,
    }))
}

/// Payload shaped like uae-entity.data.refresh.updated.json.
fn refresh_payload(
    status: &str,
    entity: &Entity,
    refresh_id: Uuid,
    app_user_id: &str,
    from: DateTime<Utc>,
) -> Value {
    let has = |p: &str| entity.permissions.iter().any(|g| g == p);
    let state = |p: &str| {
        if !has(p) {
            "UNSUPPORTED"
        } else if status == "PENDING" {
            "PENDING"
        } else {
            "OK"
        }
    };
    let today = Utc::now().date_naive();
    let accounts: Vec<Value> = entity
        .accounts
        .iter()
        .map(|a| {
            let start = a.history_start.max(from.date_naive());
            let months = (today.year() - start.year()) * 12 + today.month() as i32 - start.month() as i32;
            json!({
                "account_id": a.account_id,
                "balance": state("balance"),
                "identity": state("identity"),
                "transactions": state("transactions"),
                "beneficiaries": state("beneficiaries"),
                "direct_debits": state("direct_debits"),
                "standing_orders": state("standing_orders"),
                "scheduled_payments": state("scheduled_payments"),
                "transaction_availability": {
                    "start": start.to_string(),
                    "end": today.to_string(),
                    "complete_months": months.max(0),
                },
            })
        })
        .collect();
    json!({
        "status": status,
        "entity_id": entity.id,
        "refresh_id": refresh_id,
        "app_user_id": app_user_id,
        "customer_id": entity.customer_id,
        "data_status": {
            "accounts": state("accounts"),
            "identity": state("identity"),
            "account_data": accounts,
        },
    })
}
