//! Signed webhook delivery with Lean's retry schedule (REFERENCE §8.3-8.4).
//!
//! Every event is logged in the persisted state first, then handed to its "lane" (one per
//! entity). A lane is a single worker that delivers its events one after another, retries
//! included, so `entity.created` always reaches the merchant before that entity's refresh
//! events. Pending events are re-queued when the sandbox restarts.
//!
//! Scenario hooks: drop rules (the next n matching events are logged as `DROPPED` and never
//! sent) and manual resends of a logged event (same bytes, same `event_id`).
//!
//! New events are written to the state file before they are queued; delivery progress (attempts,
//! `DELIVERED`, `FAILED`) is batched (`Store::update_batched`), so thousands of deliveries cost a
//! few file writes a second. A crash can lose only that progress, which means a redelivery.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha512;
use tokio::sync::{mpsc, Semaphore};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use uuid::Uuid;

use crate::app::App;
use crate::state::{Attempt, DeliveryStatus, Event};

/// Minutes between attempts after the initial send: 6 retries, about 4.3 hours in all.
const RETRY_MINUTES: [f64; 6] = [1.0, 2.0, 5.0, 10.0, 60.0, 180.0];
/// Lean gives the endpoint 10 seconds to answer.
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(10);
/// Scheduled POSTs in flight at once, over all lanes. Lean does not document its sender's
/// concurrency; a cap keeps a flood of thousands of lanes from opening thousands of sockets to a
/// merchant app on a laptop at the same instant. Manual resends do not wait for a slot.
const MAX_IN_FLIGHT: usize = 16;

/// `sha512=<lowercase hex HMAC-SHA512(secret, body)>`, the `lean-signature` header value.
pub fn sign(secret: &str, body: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha512> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(body);
    format!("sha512={}", hex::encode(mac.finalize().into_bytes()))
}

/// The wire envelope; field order follows Lean's docs (key order is not significant).
#[derive(Serialize)]
struct Envelope<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    message: &'a str,
    payload: &'a serde_json::Value,
    timestamp: &'a str,
    event_id: Uuid,
}

/// `/sandbox/scenarios/drop-webhooks`: swallow the next `remaining` events of `kind` (any if
/// `None`). Kept in memory only, like fault rules.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DropRule {
    pub id: Uuid,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub remaining: u32,
}

/// Why a manual resend could not be made.
pub enum ResendError {
    UnknownEvent,
    NoWebhookUrl,
}

pub struct Webhooks {
    url: Option<String>,
    drops: Mutex<Vec<DropRule>>,
    retry_scale: f64,
    client: reqwest::Client,
    cancel: CancellationToken,
    tracker: TaskTracker,
    lanes: Mutex<HashMap<String, mpsc::UnboundedSender<Uuid>>>,
    in_flight: Semaphore,
}

impl Webhooks {
    pub fn new(url: Option<String>, retry_scale: f64, cancel: CancellationToken) -> anyhow::Result<Webhooks> {
        let client = reqwest::Client::builder()
            .timeout(RESPONSE_TIMEOUT)
            // A redirect is not a 200 from the registered endpoint.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("lean-sandbox-webhooks")
            .build()?;
        Ok(Webhooks {
            url,
            drops: Mutex::new(Vec::new()),
            retry_scale: if retry_scale.is_finite() && retry_scale >= 0.0 { retry_scale } else { 1.0 },
            client,
            cancel,
            tracker: TaskTracker::new(),
            lanes: Mutex::new(HashMap::new()),
            in_flight: Semaphore::new(MAX_IN_FLIGHT),
        })
    }

    /// Runs background work that must stop (and be awaited) on shutdown.
    pub fn spawn_background<F>(&self, fut: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let cancel = self.cancel.clone();
        self.tracker.spawn(async move {
            tokio::select! {
                _ = cancel.cancelled() => {}
                _ = fut => {}
            }
        });
    }

    pub async fn wait_idle(&self) {
        self.tracker.close();
        self.tracker.wait().await;
    }

    /// Logs a new event and queues it on `lane`. Returns its `event_id`.
    pub fn emit(
        &self,
        app: &Arc<App>,
        lane: &str,
        kind: &str,
        message: &str,
        payload: serde_json::Value,
    ) -> anyhow::Result<Uuid> {
        let event = self.new_event(lane, kind, message, payload)?;
        let event_id = event.event_id;
        let send = event.delivery == DeliveryStatus::Pending;
        app.store.update(|s| s.events.push(event))?;
        if send {
            self.queue(app, lane, event_id);
        }
        Ok(event_id)
    }

    /// An event ready to be logged: signed body built, drop rules applied. The caller stores it
    /// (with whatever else changes alongside, in one write) and then calls `queue_logged`.
    pub fn new_event(
        &self,
        lane: &str,
        kind: &str,
        message: &str,
        payload: serde_json::Value,
    ) -> anyhow::Result<Event> {
        let event_id = Uuid::new_v4();
        let now = Utc::now();
        let timestamp = now.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
        let body = serde_json::to_string(&Envelope {
            kind,
            message,
            payload: &payload,
            timestamp: &timestamp,
            event_id,
        })?;
        let delivery = if self.take_drop(kind) {
            DeliveryStatus::Dropped
        } else if self.url.is_some() {
            DeliveryStatus::Pending
        } else {
            DeliveryStatus::NotDelivered
        };
        Ok(Event {
            event_id,
            kind: kind.to_string(),
            message: message.to_string(),
            payload,
            timestamp,
            created_at: now,
            lane: lane.to_string(),
            body,
            delivery,
            attempts: Vec::new(),
        })
    }

    /// Queues events from `new_event` once they are in the state, in the order given.
    pub fn queue_logged<'a>(&self, app: &Arc<App>, events: impl IntoIterator<Item = (&'a str, Uuid)>) {
        for (lane, event_id) in events {
            self.queue(app, lane, event_id);
        }
    }

    /// Adds a drop rule: the next `count` events of `kind` (any kind if `None`) are not sent.
    pub fn add_drop(&self, kind: Option<String>, count: u32) -> DropRule {
        let rule = DropRule { id: Uuid::new_v4(), kind, remaining: count };
        self.drops.lock().unwrap_or_else(|p| p.into_inner()).push(rule.clone());
        rule
    }

    pub fn drop_rules(&self) -> Vec<DropRule> {
        self.drops.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn clear_drops(&self) {
        self.drops.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    /// Consumes one use of the first rule matching `kind`.
    fn take_drop(&self, kind: &str) -> bool {
        let mut drops = self.drops.lock().unwrap_or_else(|p| p.into_inner());
        let Some(i) = drops.iter().position(|r| r.kind.as_deref().is_none_or(|k| k == kind)) else {
            return false;
        };
        drops[i].remaining = drops[i].remaining.saturating_sub(1);
        if drops[i].remaining == 0 {
            drops.remove(i);
        }
        true
    }

    /// Sends a logged event once more, now: the same bytes and `event_id`, freshly signed (as
    /// Lean's retries are). The attempt is recorded with `resend: true` and does not count
    /// towards the retry schedule. A 200 marks the event `DELIVERED`.
    pub async fn resend(&self, app: &App, event_id: Uuid) -> Result<(Attempt, DeliveryStatus), ResendError> {
        let url = self.url.clone().ok_or(ResendError::NoWebhookUrl)?;
        let (body, secret) = app
            .store
            .read(|s| {
                s.events
                    .iter()
                    .find(|e| e.event_id == event_id)
                    .map(|e| (e.body.clone(), s.application.webhook_secret.clone()))
            })
            .ok_or(ResendError::UnknownEvent)?;
        let mut attempt = self.post(&url, &secret, body).await;
        attempt.resend = true;
        let delivered = attempt.http_status == Some(200);
        let status = app
            .store
            .update_batched(|s| {
                let e = s.event_mut(event_id)?;
                e.attempts.push(attempt.clone());
                if delivered {
                    e.delivery = DeliveryStatus::Delivered;
                }
                Some(e.delivery.clone())
            })
            .ok_or(ResendError::UnknownEvent)?;
        Ok((attempt, status))
    }

    /// One signed POST; any outcome other than HTTP 200 is a failure (10 s timeout, no redirects).
    async fn post(&self, url: &str, secret: &str, body: String) -> Attempt {
        let result = self
            .client
            .post(url)
            .header("content-type", "application/json")
            .header("lean-signature", sign(secret, body.as_bytes()))
            .body(body)
            .send()
            .await;
        match &result {
            Ok(resp) => Attempt {
                at: Utc::now(),
                http_status: Some(resp.status().as_u16()),
                error: None,
                resend: false,
            },
            Err(err) => {
                Attempt { at: Utc::now(), http_status: None, error: Some(describe(err)), resend: false }
            }
        }
    }

    /// Re-queues events a previous run left half-delivered, oldest first.
    pub fn resume_pending(&self, app: &Arc<App>) {
        if self.url.is_none() {
            return;
        }
        let mut pending: Vec<(chrono::DateTime<Utc>, String, Uuid)> = app.store.read(|s| {
            s.events
                .iter()
                .filter(|e| e.delivery == DeliveryStatus::Pending)
                .map(|e| (e.created_at, e.lane.clone(), e.event_id))
                .collect()
        });
        pending.sort_by_key(|(at, _, _)| *at);
        for (_, lane, id) in pending {
            self.queue(app, &lane, id);
        }
    }

    fn queue(&self, app: &Arc<App>, lane: &str, event_id: Uuid) {
        let mut lanes = self.lanes.lock().unwrap_or_else(|p| p.into_inner());
        let sender = lanes.entry(lane.to_string()).or_insert_with(|| {
            let (tx, rx) = mpsc::unbounded_channel();
            let app = app.clone();
            let cancel = self.cancel.clone();
            self.tracker.spawn(lane_worker(app, rx, cancel));
            tx
        });
        if sender.send(event_id).is_err() {
            // The worker only stops on shutdown; the event stays Pending and resumes next start.
            tracing::debug!(%event_id, "webhook lane closed; event left pending");
        }
    }

    /// Sends one event until it gets a 200 or runs out of retries.
    async fn deliver(&self, app: &App, event_id: Uuid) {
        let Some(url) = self.url.clone() else { return };
        loop {
            // Manual resends don't count towards the schedule.
            let Some((body, attempts, last_at, secret)) = app.store.read(|s| {
                s.events.iter().find(|e| e.event_id == event_id && e.delivery == DeliveryStatus::Pending).map(
                    |e| {
                        (
                            e.body.clone(),
                            e.attempts.iter().filter(|a| !a.resend).count(),
                            e.attempts.iter().rev().find(|a| !a.resend).map(|a| a.at),
                            s.application.webhook_secret.clone(),
                        )
                    },
                )
            }) else {
                return;
            };
            if attempts > RETRY_MINUTES.len() {
                self.finish(app, event_id, DeliveryStatus::Failed);
                return;
            }
            if let (Some(last), Some(minutes)) = (last_at, attempts.checked_sub(1).map(|i| RETRY_MINUTES[i]))
            {
                let wait = Duration::from_secs_f64(minutes * 60.0 * self.retry_scale);
                let elapsed = (Utc::now() - last).to_std().unwrap_or_default();
                tokio::time::sleep(wait.saturating_sub(elapsed)).await;
                // A manual resend may have delivered it meanwhile.
                let pending = app.store.read(|s| {
                    s.events.iter().any(|e| e.event_id == event_id && e.delivery == DeliveryStatus::Pending)
                });
                if !pending {
                    return;
                }
            }

            let attempt = {
                // Never closed, so acquiring only waits.
                let Ok(_slot) = self.in_flight.acquire().await else { return };
                self.post(&url, &secret, body).await
            };
            let delivered = attempt.http_status == Some(200);
            app.store.update_batched(|s| {
                if let Some(e) = s.event_mut(event_id) {
                    e.attempts.push(attempt);
                    if delivered {
                        e.delivery = DeliveryStatus::Delivered;
                    } else if e.attempts.iter().filter(|a| !a.resend).count() > RETRY_MINUTES.len() {
                        e.delivery = DeliveryStatus::Failed;
                    }
                }
            });
            if delivered {
                return;
            }
        }
    }

    fn finish(&self, app: &App, event_id: Uuid, status: DeliveryStatus) {
        app.store.update_batched(|s| {
            if let Some(e) = s.event_mut(event_id) {
                e.delivery = status;
            }
        });
    }
}

async fn lane_worker(app: Arc<App>, mut rx: mpsc::UnboundedReceiver<Uuid>, cancel: CancellationToken) {
    loop {
        let next = tokio::select! {
            _ = cancel.cancelled() => return,
            next = rx.recv() => next,
        };
        let Some(event_id) = next else { return };
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = app.webhooks.deliver(&app, event_id) => {}
        }
    }
}

fn describe(err: &reqwest::Error) -> String {
    if err.is_timeout() {
        "timeout: no response within 10 s".to_string()
    } else if err.is_connect() {
        format!("connection failed: {err}")
    } else {
        err.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::sign;

    #[test]
    fn matches_reference_vector() {
        let body = r#"{"type":"results.ready","payload":{"id":"6dd9c7d2-1c8c-4862-bb1f-fcf52f5033d4"},"message":"Your results are ready.","timestamp":"2021-01-08T18:05:19.244672Z","event_id":"00405221-21fc-4aa2-a237-3edfe4c38411"}"#;
        assert_eq!(
            sign("test_webhook_secret", body.as_bytes()),
            "sha512=1cb688ba4323adadb626908ea67b1f0dfbdbed053cb4739b6b7ec89acbaaeec5cda90dccb18794b58cb422acfab19224655fa7cd2c9b5b242374dfd6c4be0040"
        );
    }
}
