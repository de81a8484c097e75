//! Lean's webhooks about Account-on-File consents and the payments made against them
//! (REFERENCE §8.5, sandbox README "Consents"):
//! - `consent.status.updated` `{id, customer_id, status, consent_type}` (the keys integrators see; Lean's
//!   docs name neither the event nor its payload), older shapes with `consent_id` and `bank_identifier`
//!   accepted too;
//! - `payment.created` / `payment.updated` whose payload names a `consent_id` (type ACCOUNT_ON_FILE),
//!   and the third-party names `payment.account-on-file.updated` / `payment.account_on_file.updated`.
//!
//! Both are idempotent and order-tolerant: a final consent status is never undone, a payment status
//! never moves backwards, and unknown consents (made outside this app) are stored for nobody.

use serde::Deserialize;
use serde_json::Value;
use sqlx::AnyConnection;

use crate::model::{ConsentId, ConsentPaymentStatus, ConsentStatus, LiveEvent};
use crate::server::db::{self, Db};
use crate::server::lean::LeanClient;
use crate::server::live::{LiveBus, Outbox};

#[derive(Deserialize)]
struct ConsentPayload {
    #[serde(default)]
    id: Option<ConsentId>,
    #[serde(default)]
    consent_id: Option<ConsentId>,
    status: ConsentStatus,
    #[serde(default)]
    bank_identifier: Option<String>,
}

/// `consent.status.updated`: the consent's new status, live to its owner.
pub async fn apply_consent_status(
    db: &Db,
    bus: &LiveBus,
    lean: &LeanClient,
    payload: Value,
) -> anyhow::Result<()> {
    let p: ConsentPayload = serde_json::from_value(payload)?;
    let Some(consent_id) = p.consent_id.or(p.id) else {
        anyhow::bail!("consent.status.updated without a consent id");
    };
    let bank = match p.bank_identifier {
        Some(bank) => Some(bank),
        None => authorised_bank(db, lean, &consent_id, &p.status).await?,
    };
    if let Some(user_id) = db::consents::set_status(db, &consent_id, &p.status, bank.as_deref()).await? {
        bus.publish(db, &user_id, &LiveEvent::ConsentChanged { consent_id, status: p.status }).await?;
    }
    Ok(())
}

/// The bank a consent of ours was just authorised at, asked of Lean once: the webhook does not say, and
/// the consents page shows it. Consents this app did not make are not looked up. A failed look-up only
/// leaves the bank unknown until the page next asks Lean; the status is applied regardless.
async fn authorised_bank(
    db: &Db,
    lean: &LeanClient,
    consent_id: &ConsentId,
    status: &ConsentStatus,
) -> anyhow::Result<Option<String>> {
    if *status != ConsentStatus::Authorised {
        return Ok(None);
    }
    let Some((_, _, stored)) = db::consents::get(db, consent_id).await? else { return Ok(None) };
    if stored.bank_identifier.is_some() {
        return Ok(None);
    }
    match lean.consent(consent_id).await {
        Ok(consent) => Ok(consent.get("bank_identifier").and_then(Value::as_str).map(str::to_owned)),
        Err(e) => {
            tracing::warn!(error = %e, consent_id = consent_id.as_str(), "could not ask Lean for the consent's bank");
            Ok(None)
        }
    }
}

/// Whether a `payment.*` payload is an Account-on-File payment (it names its consent).
pub fn is_aof_payment(payload: &Value) -> bool {
    payload.get("consent_id").and_then(Value::as_str).is_some()
        || payload.get("type").and_then(Value::as_str) == Some("ACCOUNT_ON_FILE")
}

#[derive(Deserialize)]
struct AofPaymentPayload {
    id: String,
    status: ConsentPaymentStatus,
    #[serde(default)]
    consent_id: Option<ConsentId>,
    #[serde(default)]
    currency: Option<String>,
    #[serde(default)]
    failure_details: Option<Value>,
}

/// An AoF payment's status, stored by Lean's payment id (even before the POST's answer has linked
/// it to our attempt), live to the consent's owner. Written on `conn`, perhaps in the worker's
/// transaction: the live event waits in `outbox` for its commit.
pub async fn apply_aof_payment(
    conn: &mut AnyConnection,
    bus: &LiveBus,
    outbox: &mut Outbox,
    payload: &Value,
) -> anyhow::Result<()> {
    let amount = payload.get("amount").and_then(amount_minor);
    let p = AofPaymentPayload::deserialize(payload)?;
    // A payment without its consent cannot be shown to anyone.
    let Some(consent_id) = p.consent_id else { return Ok(()) };
    let Some(user_id) = db::consents::owner(&mut *conn, &consent_id).await? else { return Ok(()) };
    let code = p.failure_details.as_ref().and_then(|f| f.get("code")).and_then(Value::as_str);
    db::consents::upsert_payment(
        &mut *conn,
        &p.id,
        &consent_id,
        &p.status,
        amount,
        p.currency.as_deref(),
        code,
    )
    .await?;
    let Some((_, _, consent)) = db::consents::get(&mut *conn, &consent_id).await? else { return Ok(()) };
    let status = consent.status;
    bus.publish_in(conn, &user_id, &LiveEvent::ConsentChanged { consent_id, status }, outbox).await?;
    Ok(())
}

/// Lean sends the amount as a number (webhooks) or as `{currency, amount|value}` (the REST answer).
fn amount_minor(v: &Value) -> Option<i64> {
    let number = match v {
        Value::Object(m) => m.get("amount").or_else(|| m.get("value"))?,
        other => other,
    };
    crate::server::lean::amounts::minor_units(number)
}
