//! Lean's Payments API (REFERENCE §6): destinations and payment intents.

use reqwest::Method;
use serde_json::Value;

use crate::model::CustomerId;

use super::client::Repeat;
use super::{LeanClient, LeanError};

fn not_found(code: &str, message: &str) -> LeanError {
    LeanError::Api { http: 404, code: code.into(), message: message.into() }
}

impl LeanClient {
    /// `POST /payments/v1/destinations`. Not repeated: a second POST would make a second destination.
    pub async fn create_destination(&self, body: &Value) -> Result<Value, LeanError> {
        self.call(Method::POST, "/payments/v1/destinations", Some(body), Repeat::Never)
            .await?
            .ok_or_else(|| not_found("INVALID_URL", "Lean does not offer payment destinations here."))
    }

    /// The customer's own destinations.
    pub async fn customer_destinations(&self, customer_id: &CustomerId) -> Result<Vec<Value>, LeanError> {
        let path = format!("/customers/v1/{customer_id}/destinations");
        Ok(self.call::<Vec<Value>>(Method::GET, &path, None, Repeat::Safe).await?.unwrap_or_default())
    }

    /// The customer's payment sources (legacy payments), with their beneficiaries.
    pub async fn payment_sources(&self, customer_id: &CustomerId) -> Result<Vec<Value>, LeanError> {
        let path = format!("/customers/v1/{customer_id}/payment-sources");
        Ok(self.call::<Vec<Value>>(Method::GET, &path, None, Repeat::Safe).await?.unwrap_or_default())
    }

    /// `POST /payments/v1/intents`. Never repeated: Lean does not de-duplicate intents, so a lost
    /// answer is reported to the user instead of risking a second intent.
    /// `POST /bulk-payments/v1/intents`: several intents paid together.
    pub async fn create_bulk_payment_intent(&self, body: &Value) -> Result<Value, LeanError> {
        match self.call(Method::POST, "/bulk-payments/v1/intents", Some(body), Repeat::Never).await? {
            Some(v) => Ok(v),
            None => Err(not_found("UNKNOWN_PAYMENT_DESTINATION", "Lean does not know this destination.")),
        }
    }

    pub async fn create_payment_intent(&self, body: &Value) -> Result<Value, LeanError> {
        match self.call(Method::POST, "/payments/v1/intents", Some(body), Repeat::Never).await? {
            Some(v) => Ok(v),
            None => Err(not_found("UNKNOWN_PAYMENT_DESTINATION", "Lean does not know this destination.")),
        }
    }
}
