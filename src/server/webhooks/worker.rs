//! Applies stored webhook events in the background. Handlers are idempotent upserts and tolerate
//! unknown ids, so an event applied after a crash, or out of order, gives the same result.

use std::sync::Arc;
use std::time::Duration;
use tracing::Instrument;

use serde::Deserialize;
use serde_json::Value;
use sqlx::AnyConnection;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::model::{
    BeneficiaryStatus, CustomerId, EntityId, LiveEvent, PaymentIntentId, PaymentSourceId, PaymentStatus,
};
use crate::server::db::{self, entities::EntityUpsert, webhook_events, Db};
use crate::server::lean::LeanClient;
use crate::server::live::{LiveBus, Outbox};
use crate::server::webhooks::inbox::Inbox;

/// The worker's break between batches while webhooks flood in (see `run`). Its work competes with the
/// endpoint's for the cores and SQLite's one write lock; measured with `lean-bench --only ingest`, the
/// longer the break, the faster a flood got through, up to about a second. 1 s still applies a batch
/// (up to 50 events) a second, so a flood never starves live updates, and the worker catches up at full
/// speed once it ends.
const FLOOD_PAUSE: Duration = Duration::from_millis(1000);

/// Give up on an event after this many failed attempts (it stays visible as `failed`).
const MAX_ATTEMPTS: i64 = 5;

#[derive(Clone)]
pub struct Worker {
    wake: Arc<Notify>,
    /// Names this instance in claims, so an operator can see who applied what.
    instance: Arc<str>,
}

impl Worker {
    pub fn new() -> Self {
        Worker { wake: Arc::new(Notify::new()), instance: uuid::Uuid::new_v4().to_string().into() }
    }

    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Runs until the task is aborted. Also polls now and then, so events stored by a previous run
    /// (or another instance) are never stranded.
    /// Returns once `stop` is cancelled, after finishing the event in hand: an event is never left
    /// half-applied by a graceful shutdown.
    pub async fn run(self, db: Db, bus: LiveBus, lean: LeanClient, inbox: Inbox, stop: CancellationToken) {
        while !stop.is_cancelled() {
            match webhook_events::pending(&db, 50).await {
                Ok(events) if !events.is_empty() => {
                    let failed = match self.apply_batch(&db, &bus, &lean, &inbox, events, &stop).await {
                        Some(failed) => failed,
                        // Stopping: what was applied is recorded, the rest handed back.
                        None => return,
                    };
                    if failed {
                        // Let a transient cause (a busy database, say) pass before trying again.
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    } else if inbox.flooded() {
                        // Storing and acknowledging come first: a webhook Lean does not see answered
                        // in time is sent again, and every stored event gets applied anyway. During a
                        // flood the worker takes short breaks so the two cores go to the endpoint; it
                        // still applies its batches and catches up as soon as the flood ends.
                        tokio::time::sleep(FLOOD_PAUSE).await;
                    }
                    continue;
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "could not read pending webhooks"),
            }
            tokio::select! {
                _ = stop.cancelled() => {}
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(Duration::from_secs(5)) => {}
            }
        }
    }

    /// Claims `events` together, applies each in order and records the outcomes. Claims and outcomes
    /// are written per batch, not per event, because on SQLite every write waits its turn at the one
    /// write lock, and the webhook endpoint's inserts wait behind them: events that only write here
    /// are applied and recorded in one transaction (see `apply_gathered`); one that asks Lean is
    /// applied alone and recorded with the batch's others at the end; a failure is recorded at once
    /// with its error. An event applied but not yet recorded when the process dies is applied again
    /// later, which the idempotent handlers allow.
    /// Each write takes its turn with the inbox's (see `Inbox::turn`).
    /// Returns whether any event failed, or None when `stop` came first.
    async fn apply_batch(
        &self,
        db: &Db,
        bus: &LiveBus,
        lean: &LeanClient,
        inbox: &Inbox,
        events: Vec<webhook_events::PendingEvent>,
        stop: &CancellationToken,
    ) -> Option<bool> {
        let ids: Vec<&str> = events.iter().map(|e| e.event_id.as_str()).collect();
        let claimed = inbox.in_turn(webhook_events::claim_many(db, &ids, &self.instance)).await;
        let mine: std::collections::HashSet<String> = match claimed {
            Ok(claimed) => claimed.into_iter().collect(),
            Err(e) => {
                tracing::error!(error = %e, "could not claim webhooks");
                return Some(true);
            }
        };
        // Others were claimed by another instance in the meantime.
        let mut claimed = events.into_iter().filter(|ev| mine.contains(&ev.event_id));
        let mut applied = Vec::with_capacity(mine.len());
        let mut gathered = Vec::new();
        let mut left = Vec::new();
        let mut failed = false;
        for ev in claimed.by_ref() {
            if stop.is_cancelled() {
                left.push(ev.event_id);
                break;
            }
            // Events whose handlers only write here are gathered and applied together, in one
            // transaction; one that asks Lean (or cannot be read) is applied on its own, after
            // those gathered before it, so the batch is still applied in order.
            if let Ok((event_type, payload)) = parse(&ev.body) {
                if !calls_lean(&event_type) {
                    let bank_arabic_name = arabic_name(lean, &event_type, &payload).await;
                    gathered.push(Gathered { event: ev, event_type, payload, bank_arabic_name });
                    continue;
                }
            }
            failed |= self.apply_gathered(db, bus, lean, inbox, &mut gathered, &mut applied).await;
            failed |= self.apply_alone(db, bus, lean, inbox, ev, &mut applied).await;
        }
        // Claimed and quick to apply: done even when stopping.
        failed |= self.apply_gathered(db, bus, lean, inbox, &mut gathered, &mut applied).await;
        let finished = inbox.in_turn(webhook_events::finish_applied(db, &applied)).await;
        if finished.is_ok() {
            metrics::counter!(crate::server::metrics::WEBHOOKS_APPLIED).increment(applied.len() as u64);
        }
        if let Err(e) = finished {
            // They stay claimed and are applied again once the claim is released or goes stale.
            tracing::error!(error = %e, "could not record applied webhooks");
            failed = true;
        }
        for id in &applied {
            crate::server::live::console::webhook_changed(bus, id);
        }
        left.extend(claimed.map(|ev| ev.event_id));
        if left.is_empty() {
            return Some(failed);
        }
        let released = inbox.in_turn(webhook_events::release_claims(db, &left, &self.instance)).await;
        if let Err(e) = released {
            tracing::warn!(error = %e, events = left.len(), "could not hand back claims; they time out instead");
        }
        None
    }

    /// Applies `gathered` (none of them asks Lean) and records them applied, in one transaction: one
    /// commit for the lot rather than two or three per event, each of which on SQLite took the one
    /// write lock from the webhook endpoint and made its connection drop its page cache. If that
    /// fails, each is applied on its own instead, so one bad event does not hold back the rest.
    /// Returns whether any event failed.
    async fn apply_gathered(
        &self,
        db: &Db,
        bus: &LiveBus,
        lean: &LeanClient,
        inbox: &Inbox,
        gathered: &mut Vec<Gathered>,
        applied: &mut Vec<String>,
    ) -> bool {
        if gathered.is_empty() {
            return false;
        }
        let events = std::mem::take(gathered);
        let span = tracing::info_span!("webhook_apply_together", events = events.len());
        match apply_together(db, bus, inbox, &events).instrument(span).await {
            Ok(()) => {
                metrics::counter!(crate::server::metrics::WEBHOOKS_APPLIED).increment(events.len() as u64);
                for ev in &events {
                    crate::server::live::console::webhook_changed(bus, &ev.event.event_id);
                }
                false
            }
            Err(e) => {
                tracing::warn!(error = %e, events = events.len(), "applying webhooks together failed; applying each alone");
                let mut failed = false;
                for ev in events {
                    failed |= self.apply_alone(db, bus, lean, inbox, ev.event, applied).await;
                }
                failed
            }
        }
    }

    /// Applies one event in writes of its own. Applied, it joins `applied` (recorded with the rest of
    /// the batch); failed, its error is recorded at once. Returns whether it failed.
    async fn apply_alone(
        &self,
        db: &Db,
        bus: &LiveBus,
        lean: &LeanClient,
        inbox: &Inbox,
        ev: webhook_events::PendingEvent,
        applied: &mut Vec<String>,
    ) -> bool {
        let span = tracing::info_span!("webhook_apply", event_id = %ev.event_id, attempt = ev.attempts + 1);
        match apply(db, bus, lean, inbox, &ev.body).instrument(span).await {
            Ok(()) => {
                applied.push(ev.event_id);
                false
            }
            Err(e) => {
                metrics::counter!(crate::server::metrics::WEBHOOKS_FAILED).increment(1);
                let error = e.to_string();
                tracing::warn!(event_id = %ev.event_id, error = %error, "webhook processing failed");
                let give_up = ev.attempts + 1 >= MAX_ATTEMPTS;
                let finished =
                    inbox.in_turn(webhook_events::finish(db, &ev.event_id, Some(&error), give_up)).await;
                if let Err(e) = finished {
                    tracing::error!(error = %e, "could not record webhook outcome");
                }
                crate::server::live::console::webhook_changed(bus, &ev.event_id);
                true
            }
        }
    }
}

/// A claimed event whose handler only writes to the database, read and ready to apply.
struct Gathered {
    event: webhook_events::PendingEvent,
    event_type: String,
    payload: Value,
    bank_arabic_name: Option<String>,
}

/// See [`Worker::apply_gathered`]. The live events wait for the commit, so no stream shows a change
/// that was rolled back.
async fn apply_together(db: &Db, bus: &LiveBus, inbox: &Inbox, events: &[Gathered]) -> anyhow::Result<()> {
    let _turn = inbox.turn().await;
    let mut tx = db.begin().await?;
    let mut outbox = Outbox::default();
    for ev in events {
        apply_here(&mut tx, bus, &mut outbox, &ev.event_type, &ev.payload, ev.bank_arabic_name.as_deref())
            .await
            .map_err(|e| e.context(format!("event {}", ev.event.event_id)))?;
    }
    let ids: Vec<String> = events.iter().map(|ev| ev.event.event_id.clone()).collect();
    webhook_events::finish_applied(&mut *tx, &ids).await?;
    tx.commit().await?;
    bus.deliver(outbox);
    Ok(())
}

impl Default for Worker {
    fn default() -> Self {
        Self::new()
    }
}

#[derive(Deserialize)]
struct BankDetails {
    name: String,
    identifier: String,
    logo: Option<String>,
    main_color: Option<String>,
    background_color: Option<String>,
}

#[derive(Deserialize)]
struct EntityPayload {
    id: EntityId,
    customer_id: CustomerId,
    #[serde(default)]
    permissions: Vec<String>,
    bank_details: BankDetails,
}

/// Lean documents `entity.reconnected` as naming the entity and the reconnect, nothing more; the
/// bank and the customer are what this app stored when the entity was created.
#[derive(Deserialize)]
struct ReconnectedPayload {
    id: EntityId,
    reconnect_id: String,
}

#[derive(Deserialize)]
struct RefreshPayload {
    entity_id: EntityId,
    status: String,
}

/// An event's type and payload, from its stored body.
fn parse(body: &str) -> anyhow::Result<(String, Value)> {
    let event: Value = serde_json::from_str(body)?;
    let event_type = event.get("type").and_then(Value::as_str).unwrap_or_default().to_owned();
    let payload = match event {
        Value::Object(mut fields) => fields.remove("payload").unwrap_or(Value::Null),
        _ => Value::Null,
    };
    Ok((event_type, payload))
}

/// results.ready fetches the results from Lean first, and consent.status.updated may ask Lean for
/// the consent's bank: neither holds a turn or a transaction across those calls.
fn calls_lean(event_type: &str) -> bool {
    matches!(event_type, "results.ready" | "consent.status.updated")
}

/// A connected bank's Arabic name comes from Lean's bank list (cached; read before the event's turn,
/// so a slow list does not hold up the events behind it).
async fn arabic_name(lean: &LeanClient, event_type: &str, payload: &Value) -> Option<String> {
    match payload.pointer("/bank_details/identifier").and_then(Value::as_str) {
        Some(bank) if event_type.starts_with("entity.") => {
            lean.bank_name(bank).await.and_then(|b| b.arabic_name)
        }
        _ => None,
    }
}

/// Applies one event in writes of its own.
async fn apply(db: &Db, bus: &LiveBus, lean: &LeanClient, inbox: &Inbox, body: &str) -> anyhow::Result<()> {
    let (event_type, payload) = parse(body)?;
    match event_type.as_str() {
        "results.ready" => return super::results_events::results_ready(db, bus, lean, &payload).await,
        // Account-on-File consents (see consent_events).
        "consent.status.updated" => {
            return super::consent_events::apply_consent_status(db, bus, lean, payload).await
        }
        _ => {}
    }
    let bank_arabic_name = arabic_name(lean, &event_type, &payload).await;
    let _turn = inbox.turn().await;
    let mut conn = db.acquire().await?;
    let mut outbox = Outbox::default();
    apply_here(&mut conn, bus, &mut outbox, &event_type, &payload, bank_arabic_name.as_deref()).await?;
    drop(conn);
    bus.deliver(outbox);
    Ok(())
}

/// Applies an event whose handler asks nothing of Lean, writing on `conn` (perhaps inside the
/// worker's transaction); its live events wait in `outbox` for the caller to deliver.
async fn apply_here(
    conn: &mut AnyConnection,
    bus: &LiveBus,
    outbox: &mut Outbox,
    event_type: &str,
    payload: &Value,
    bank_arabic_name: Option<&str>,
) -> anyhow::Result<()> {
    match event_type {
        "entity.created" | "entity.updated" => {
            let p = EntityPayload::deserialize(payload)?;
            db::entities::upsert(
                &mut *conn,
                &EntityUpsert {
                    id: &p.id,
                    customer_id: &p.customer_id,
                    bank_identifier: &p.bank_details.identifier,
                    bank_name: &p.bank_details.name,
                    bank_arabic_name,
                    bank_logo: p.bank_details.logo.as_deref(),
                    main_color: p.bank_details.main_color.as_deref(),
                    background_color: p.bank_details.background_color.as_deref(),
                    permissions: &p.permissions,
                },
            )
            .await?;
            notify_entity(conn, bus, outbox, &p.id).await
        }
        "entity.reconnected" => {
            let p = ReconnectedPayload::deserialize(payload)?;
            // An entity this app never stored, or one not waiting for this reconnect: nothing to do.
            if db::entities::mark_reconnected(&mut *conn, &p.id, &p.reconnect_id).await? {
                notify_entity(conn, bus, outbox, &p.id).await?;
            }
            Ok(())
        }
        "entity.data.refresh.updated" => {
            let p = RefreshPayload::deserialize(payload)?;
            if db::entities::set_refresh_status(&mut *conn, &p.entity_id, &p.status).await? {
                notify_entity(conn, bus, outbox, &p.entity_id).await?;
            }
            Ok(())
        }
        "payment_intent.created" => {
            // The intent was stored when this app created it; tell its owner (unknown ids: nothing to do).
            let intent_id = payload.get("intent_id").and_then(Value::as_str).unwrap_or_default();
            notify_payment(conn, bus, outbox, &PaymentIntentId::new(intent_id)).await
        }
        // Account-on-File payments (see consent_events).
        "payment.created"
        | "payment.updated"
        | "payment.account-on-file.updated"
        | "payment.account_on_file.updated"
            if super::consent_events::is_aof_payment(payload) =>
        {
            super::consent_events::apply_aof_payment(conn, bus, outbox, payload).await
        }
        "payment.created" | "payment.updated" => {
            let p = PaymentPayload::deserialize(payload)?;
            // Account-on-File payments have no intent; they are not shown here.
            let Some(intent_id) = p.intent_id.as_ref() else { return Ok(()) };
            let amount = payload.get("amount").and_then(crate::server::lean::amounts::minor_units);
            db::payments::upsert_payment(
                &mut *conn,
                &p.id,
                intent_id,
                p.customer_id.as_ref(),
                &p.status,
                amount,
                p.currency.as_deref(),
            )
            .await?;
            notify_payment(conn, bus, outbox, intent_id).await
        }
        "payment_source.created"
        | "payment_source.beneficiary.created"
        | "payment_source.beneficiary.updated" => {
            // Lean keeps the source (GET payment-sources is the truth); its owner is told to look again.
            let text = |k: &str| payload.get(k).and_then(Value::as_str).map(str::to_owned);
            let source_id =
                if event_type == "payment_source.created" { text("id") } else { text("payment_source_id") };
            let (Some(customer_id), Some(payment_source_id)) =
                (text("customer_id").map(CustomerId::new), source_id)
            else {
                return Ok(());
            };
            let Some(user_id) = db::customers::user_for_customer(&mut *conn, &customer_id).await? else {
                return Ok(());
            };
            let status = BeneficiaryStatus::parse(&text("status").unwrap_or_default());
            let payment_source_id = PaymentSourceId::new(payment_source_id);
            let event = LiveEvent::PaymentSourceChanged { payment_source_id, status };
            bus.publish_in(conn, &user_id, &event, outbox).await?;
            Ok(())
        }
        // Stored for the record; later issues give these handlers.
        _ => Ok(()),
    }
}

#[derive(Deserialize)]
struct PaymentPayload {
    id: String,
    status: PaymentStatus,
    #[serde(default)]
    intent_id: Option<PaymentIntentId>,
    #[serde(default)]
    customer_id: Option<CustomerId>,
    #[serde(default)]
    currency: Option<String>,
}

/// Tells the owner of a payment intent, live, what it looks like now. Intents this app did not
/// create have nobody to tell.
async fn notify_payment(
    conn: &mut AnyConnection,
    bus: &LiveBus,
    outbox: &mut Outbox,
    intent_id: &PaymentIntentId,
) -> anyhow::Result<()> {
    let Some((user_id, payment)) = db::payments::get(&mut *conn, intent_id).await? else {
        return Ok(());
    };
    bus.publish_in(conn, &user_id, &LiveEvent::PaymentChanged { payment }, outbox).await?;
    Ok(())
}

/// Tells the entity's owner, live, what it looks like now.
async fn notify_entity(
    conn: &mut AnyConnection,
    bus: &LiveBus,
    outbox: &mut Outbox,
    entity_id: &EntityId,
) -> anyhow::Result<()> {
    // An entity of a customer we do not know (e.g. made outside this app) has nobody to tell.
    let Some((Some(user_id), entity)) = db::entities::get_with_owner(&mut *conn, entity_id).await? else {
        return Ok(());
    };
    bus.publish_in(conn, &user_id, &LiveEvent::EntityChanged { entity }, outbox).await?;
    Ok(())
}
