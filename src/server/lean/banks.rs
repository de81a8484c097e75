//! Lean's bank list (`GET /banks/v1`, REFERENCE §10), kept for an hour: the app reads banks' names in
//! both languages from it, where webhooks and consents carry only an identifier or an English name.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::Value;
use tokio::sync::Mutex;

use super::client::Repeat;
use super::{LeanClient, LeanError};
use crate::model::{BankChoice, BankName};

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

    /// Every bank in Lean's list (fetched app-wide, at most hourly).
    pub async fn bank_list(&self) -> Vec<BankChoice> {
        self.banks.all(&self.app_wide()).await
    }
}

/// How long a fetched list is used, and how long a failed fetch is not tried again.
const FRESH_FOR: Duration = Duration::from_secs(3600);
const RETRY_AFTER: Duration = Duration::from_secs(60);

/// Lean's banks, in Lean's order, fetched when first needed and again once an hour. A failed fetch
/// leaves the list as it was (English names from webhooks are the fallback everywhere).
#[derive(Default)]
pub struct BankDirectory {
    banks: Mutex<(Option<Instant>, Vec<BankChoice>)>,
}

impl BankDirectory {
    /// Every bank Lean lists, fetching the list if it is due.
    pub async fn all(&self, lean: &LeanClient) -> Vec<BankChoice> {
        let mut held = self.banks.lock().await;
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
        held.1.clone()
    }

    /// The bank's names, if Lean lists it.
    pub async fn name(&self, lean: &LeanClient, identifier: &str) -> Option<BankName> {
        self.all(lean).await.into_iter().find(|b| b.identifier == identifier).map(|b| b.name)
    }
}

fn read(bank: &Value) -> Option<BankChoice> {
    let text = |k: &str| bank.get(k).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
    // Bounded like every stored field: Lean's names are short.
    let short = |s: &str| s.chars().take(120).collect::<String>();
    Some(BankChoice {
        identifier: short(text("identifier")?),
        name: BankName { name: short(text("name")?), arabic_name: text("arabic_name").map(short) },
        account_type: text("account_type").map(short),
    })
}
