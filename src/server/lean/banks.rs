//! Lean's bank list (`GET /banks/v1`, REFERENCE §10), kept for an hour: the app reads banks' names in
//! both languages from it, where webhooks and consents carry only an identifier or an English name.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::Value;
use tokio::sync::Mutex;

use super::client::Repeat;
use super::{LeanClient, LeanError};
use crate::model::BankName;

impl LeanClient {
    /// `GET /banks/v1`: every bank Lean offers this app.
    pub async fn banks(&self) -> Result<Vec<Value>, LeanError> {
        let list: Option<Value> = self.call(Method::GET, "/banks/v1", None, Repeat::Safe).await?;
        Ok(list.and_then(|l| l.as_array().cloned()).unwrap_or_default())
    }

    /// A bank's names in both languages, from Lean's bank list (fetched app-wide, at most hourly).
    pub async fn bank_name(&self, identifier: &str) -> Option<BankName> {
        self.banks.name(&self.app_wide(), identifier).await
    }
}

/// How long a fetched list is used, and how long a failed fetch is not tried again.
const FRESH_FOR: Duration = Duration::from_secs(3600);
const RETRY_AFTER: Duration = Duration::from_secs(60);

/// Banks' names by identifier, fetched from Lean when first needed and again once an hour. A failed
/// fetch leaves the names as they were (English from the webhook is the fallback everywhere).
#[derive(Default)]
pub struct BankDirectory {
    names: Mutex<(Option<Instant>, HashMap<String, BankName>)>,
}

impl BankDirectory {
    /// The bank's names, if Lean lists it.
    pub async fn name(&self, lean: &LeanClient, identifier: &str) -> Option<BankName> {
        let mut held = self.names.lock().await;
        let due = match held.0 {
            None => true,
            Some(at) if held.1.is_empty() => at.elapsed() >= RETRY_AFTER,
            Some(at) => at.elapsed() >= FRESH_FOR,
        };
        if due {
            held.0 = Some(Instant::now());
            match lean.banks().await {
                Ok(list) => held.1 = list.iter().filter_map(read).collect(),
                Err(e) => tracing::warn!(error = %e, "could not read Lean's bank list"),
            }
        }
        held.1.get(identifier).cloned()
    }
}

fn read(bank: &Value) -> Option<(String, BankName)> {
    let text = |k: &str| bank.get(k).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
    let identifier = text("identifier")?;
    let name = text("name")?;
    // Bounded like every stored field: Lean's names are short.
    let short = |s: &str| s.chars().take(120).collect::<String>();
    Some((identifier.to_owned(), BankName { name: short(name), arabic_name: text("arabic_name").map(short) }))
}
