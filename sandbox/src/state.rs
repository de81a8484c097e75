//! Everything the sandbox remembers, and the file it lives in.
//!
//! The whole state is one JSON document. It is rewritten (temp file + rename) after every
//! change so a crash never leaves a half-written file and a restart sees exactly what the
//! merchant app was told.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

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

pub struct Store {
    path: PathBuf,
    state: Mutex<State>,
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
        let store = Store { path: path.to_path_buf(), state: Mutex::new(state) };
        store.update(|_| ())?;
        Ok(store)
    }

    /// Read-only access; never hold across an await.
    pub fn read<R>(&self, f: impl FnOnce(&State) -> R) -> R {
        let guard = self.state.lock().unwrap_or_else(|p| p.into_inner());
        f(&guard)
    }

    /// Mutates and persists under one lock, so file writes happen in mutation order.
    pub fn update<R>(&self, f: impl FnOnce(&mut State) -> R) -> anyhow::Result<R> {
        let mut guard = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let result = f(&mut guard);
        self.write(&guard)?;
        Ok(result)
    }

    fn write(&self, state: &State) -> anyhow::Result<()> {
        let bytes = serde_json::to_vec_pretty(state)?;
        if let Some(dir) = self.path.parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            }
        }
        let mut tmp = self.path.clone().into_os_string();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        std::fs::write(&tmp, &bytes).with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, &self.path).with_context(|| format!("replacing {}", self.path.display()))?;
        Ok(())
    }
}

pub fn random_secret(len: usize) -> String {
    rand::thread_rng().sample_iter(&Alphanumeric).take(len).map(char::from).collect()
}
