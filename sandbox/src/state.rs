//! Everything the sandbox remembers, and the file it lives in.
//!
//! The whole state is one JSON document, always replaced whole (temp file + rename) so a crash
//! never leaves a half-written file. Changes the merchant app is told about are written before the
//! call returns, so a restart sees what the app was told; webhook delivery progress is batched by a
//! flusher thread (see `FLUSH_EVERY`), which is what lets a flood of thousands of deliveries through.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{DateTime, Utc};
use rand::distributions::Alphanumeric;
use rand::Rng;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Application {
    pub app_token: String,
    pub client_secret: String,
    pub webhook_secret: String,
    /// HS256 key for the sandbox's JWTs, hex. Persisted so tokens survive restarts.
    pub jwt_key_hex: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct GovernmentIdentifier {
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Customer {
    pub customer_id: Uuid,
    pub app_user_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub government_identifiers: Option<Vec<GovernmentIdentifier>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Account {
    pub account_id: Uuid,
    pub iban: String,
    pub name: String,
    /// Start of the transaction history the mock bank holds for this account.
    pub history_start: chrono::NaiveDate,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Consent {
    pub id: Uuid,
    pub bank_consent_id: Uuid,
    pub status: String,
    pub permissions: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub transactions_from: DateTime<Utc>,
    pub transactions_to: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Entity {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub bank_identifier: String,
    /// Data permissions granted (Lean's names); the REST view turns them into a boolean map.
    pub permissions: Vec<String>,
    pub bank_type: String,
    pub account_type: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub accounts: Vec<Account>,
    /// Newest last; a reconnect adds a consent and revokes the older one.
    pub consents: Vec<Consent>,
    /// Test user (bank username) who connected it; "Expire session" targets this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connected_by: Option<String>,
    /// Set while the entity needs `Lean.reconnect`; data calls answer RECONNECT_REQUIRED.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reconnect_id: Option<Uuid>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DeliveryStatus {
    /// Waiting for the first attempt or a retry.
    Pending,
    Delivered,
    /// All retries used up without an HTTP 200.
    Failed,
    /// No webhook URL configured; logged only.
    NotDelivered,
    /// Never sent: swallowed by a `/sandbox/scenarios/drop-webhooks` rule.
    Dropped,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Attempt {
    pub at: DateTime<Utc>,
    pub http_status: Option<u16>,
    pub error: Option<String>,
    /// A manual resend (`/sandbox/scenarios/resend-webhook`), outside the retry schedule.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub resend: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Event {
    pub event_id: Uuid,
    #[serde(rename = "type")]
    pub kind: String,
    pub message: String,
    pub payload: serde_json::Value,
    /// RFC3339 with nanoseconds, as in Lean's samples.
    pub timestamp: String,
    pub created_at: DateTime<Utc>,
    /// Events sharing a lane (one entity) are delivered strictly in order.
    pub lane: String,
    /// The exact body sent (and signed); retries resend these bytes.
    pub body: String,
    pub delivery: DeliveryStatus,
    pub attempts: Vec<Attempt>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct State {
    pub application: Application,
    #[serde(default)]
    pub customers: Vec<Customer>,
    #[serde(default)]
    pub entities: Vec<Entity>,
    #[serde(default)]
    pub events: Vec<Event>,
    /// Payments domain (destinations, sources, intents, payments, AoF consents).
    #[serde(default)]
    pub payments: crate::payments::PaymentsState,
    /// Data API: async results, refreshes, scenarios (see `crate::data`).
    #[serde(default)]
    pub data: crate::data::DataState,
}

impl State {
    pub fn customer(&self, id: Uuid) -> Option<&Customer> {
        self.customers.iter().find(|c| c.customer_id == id)
    }
    pub fn event_mut(&mut self, id: Uuid) -> Option<&mut Event> {
        self.events.iter_mut().find(|e| e.event_id == id)
    }
}

pub struct CredentialOverrides {
    pub app_token: Option<String>,
    pub client_secret: Option<String>,
    pub webhook_secret: Option<String>,
}

/// How long delivery progress may sit in memory before the flusher writes it.
///
/// Why this window is safe for a local fake: only webhook delivery progress (attempts, `DELIVERED`,
/// `FAILED`) waits for the flusher; everything the API answers with and every emitted event is
/// written before the call returns (`Store::update`). A crash of the sandbox process therefore loses
/// only the delivery progress made since the last write, and a lost `DELIVERED` only means the event
/// is still `PENDING` after a restart and is sent again: an at-least-once redelivery, which Lean's
/// contract already makes the merchant dedupe by `event_id` (REFERENCE §8.4). A lost failed attempt
/// only moves the next retry earlier. Graceful stops flush everything (`Sandbox::shutdown`, and on
/// drop).
/// A quarter second keeps a flood of thousands of deliveries to a few whole-file writes per second.
/// A large state (a 10,000-event flood makes about 40 MB) stretches the rest between writes to
/// `FLUSH_REST_FACTOR` times the last write, so the flusher never takes more than a fifth of a core.
pub const FLUSH_EVERY: Duration = Duration::from_millis(250);
const FLUSH_REST_FACTOR: u32 = 4;

/// The state with a change counter, so writers can tell whether a snapshot is newer than the file.
struct Versioned {
    state: State,
    version: u64,
}

struct Shared {
    path: PathBuf,
    state: Mutex<Versioned>,
    /// Version of the state last written to `path`; held while writing so the file only moves forwards.
    written: Mutex<u64>,
    /// Wakes the flusher: batched changes waiting, or stop.
    signal: Mutex<FlushSignal>,
    wake: Condvar,
}

#[derive(Default)]
struct FlushSignal {
    dirty: bool,
    stop: bool,
}

pub struct Store {
    shared: Arc<Shared>,
    flusher: Option<std::thread::JoinHandle<()>>,
}

impl Store {
    /// Loads `path` (or starts empty) and applies the credential precedence:
    /// config overrides > persisted values > freshly generated.
    pub fn open(path: &Path, overrides: CredentialOverrides) -> anyhow::Result<Store> {
        let loaded: Option<State> = match std::fs::read(path) {
            Ok(bytes) => Some(
                serde_json::from_slice(&bytes)
                    .with_context(|| format!("{} is not valid sandbox state", path.display()))?,
            ),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
            Err(err) => return Err(err).context("reading sandbox state"),
        };
        let mut state = loaded.unwrap_or_else(|| State {
            application: Application {
                app_token: Uuid::new_v4().to_string(),
                client_secret: random_secret(48),
                webhook_secret: random_secret(48),
                jwt_key_hex: hex::encode(rand::thread_rng().gen::<[u8; 32]>()),
            },
            customers: Vec::new(),
            entities: Vec::new(),
            events: Vec::new(),
            payments: Default::default(),
            data: Default::default(),
        });
        if let Some(v) = overrides.app_token {
            state.application.app_token = v;
        }
        if let Some(v) = overrides.client_secret {
            state.application.client_secret = v;
        }
        if let Some(v) = overrides.webhook_secret {
            state.application.webhook_secret = v;
        }
        let shared = Arc::new(Shared {
            path: path.to_path_buf(),
            // Version 1 is unwritten, so the first flush below persists what was loaded or made.
            state: Mutex::new(Versioned { state, version: 1 }),
            written: Mutex::new(0),
            signal: Mutex::new(FlushSignal::default()),
            wake: Condvar::new(),
        });
        shared.flush()?;
        let flusher = {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name("lean-sandbox-flush".into())
                .spawn(move || flush_loop(&shared))
                .context("starting the state flusher")?
        };
        Ok(Store { shared, flusher: Some(flusher) })
    }

    /// Read-only access; never hold across an await.
    pub fn read<R>(&self, f: impl FnOnce(&State) -> R) -> R {
        let guard = lock(&self.shared.state);
        f(&guard.state)
    }

    /// Mutates and writes the file before returning: for anything the API answers with, and for
    /// new events. Serialised under the lock, so the file follows mutation order.
    pub fn update<R>(&self, f: impl FnOnce(&mut State) -> R) -> anyhow::Result<R> {
        let (result, version, bytes) = {
            let mut guard = lock(&self.shared.state);
            let result = f(&mut guard.state);
            guard.version += 1;
            (result, guard.version, encode(&guard.state)?)
        };
        self.shared.write_if_newer(version, &bytes)?;
        Ok(result)
    }

    /// Mutates now and leaves the write to the flusher (within `FLUSH_EVERY`): for webhook delivery
    /// progress only (see `FLUSH_EVERY` for why that is safe to lose in a crash).
    pub fn update_batched<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        let result = {
            let mut guard = lock(&self.shared.state);
            let result = f(&mut guard.state);
            guard.version += 1;
            result
        };
        lock(&self.shared.signal).dirty = true;
        self.shared.wake.notify_one();
        result
    }

    /// Writes whatever batched changes are waiting, now.
    pub fn flush(&self) -> anyhow::Result<()> {
        self.shared.flush()
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        lock(&self.shared.signal).stop = true;
        self.shared.wake.notify_one();
        if let Some(flusher) = self.flusher.take() {
            // The flusher writes what is left before it ends.
            let _ = flusher.join();
        }
    }
}

impl Shared {
    /// Snapshots under the lock (a clone is much cheaper than encoding) and encodes outside it, so
    /// delivery workers are not held up by a large file.
    fn flush(&self) -> anyhow::Result<()> {
        let on_disk = *lock(&self.written);
        let (version, snapshot) = {
            let guard = lock(&self.state);
            if guard.version <= on_disk {
                return Ok(());
            }
            (guard.version, guard.state.clone())
        };
        self.write_if_newer(version, &encode(&snapshot)?)
    }

    fn write_if_newer(&self, version: u64, bytes: &[u8]) -> anyhow::Result<()> {
        let mut written = lock(&self.written);
        if version <= *written {
            // A newer snapshot, which includes this change, is already on disk.
            return Ok(());
        }
        if let Some(dir) = self.path.parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            }
        }
        let mut tmp = self.path.clone().into_os_string();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, &self.path).with_context(|| format!("replacing {}", self.path.display()))?;
        *written = version;
        Ok(())
    }
}

/// Waits for batched changes, writes them, then rests `FLUSH_EVERY` so a burst becomes one write.
fn flush_loop(shared: &Shared) {
    loop {
        let stop = {
            let mut signal = lock(&shared.signal);
            while !signal.dirty && !signal.stop {
                signal = shared.wake.wait(signal).unwrap_or_else(|p| p.into_inner());
            }
            signal.dirty = false;
            signal.stop
        };
        let began = Instant::now();
        if let Err(err) = shared.flush() {
            tracing::error!(%err, "could not write sandbox state; will try again");
            lock(&shared.signal).dirty = true;
        }
        let took = began.elapsed();
        if stop {
            return;
        }
        tracing::debug!(ms = took.as_millis() as u64, "batched state written");
        let rest = FLUSH_EVERY.max(took * FLUSH_REST_FACTOR);
        let signal = lock(&shared.signal);
        // Rests unless told to stop.
        let _ = shared.wake.wait_timeout_while(signal, rest, |s| !s.stop);
    }
}

fn encode(state: &State) -> anyhow::Result<Vec<u8>> {
    Ok(serde_json::to_vec_pretty(state)?)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

pub fn random_secret(len: usize) -> String {
    rand::thread_rng().sample_iter(&Alphanumeric).take(len).map(char::from).collect()
}
