use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

use crate::model::{CustomerId, UserId};

use super::client::Repeat;
use super::{LeanClient, LeanError};

#[derive(Debug, Clone, Deserialize)]
pub struct LeanCustomer {
    pub customer_id: CustomerId,
    pub app_user_id: UserId,
}

impl LeanClient {
    pub async fn customer_by_app_user_id(
        &self,
        app_user_id: &UserId,
    ) -> Result<Option<LeanCustomer>, LeanError> {
        let path = format!("/customers/v1/app-user-id/{}", urlencode(app_user_id.as_str()));
        self.call(Method::GET, &path, None, Repeat::Safe).await
    }

    /// Looks the customer up by our user id, creates it on a miss, and re-fetches when a concurrent
    /// sign-in created it first (409 CUSTOMER_ALREADY_EXISTS).
    pub async fn ensure_customer(&self, app_user_id: &UserId) -> Result<LeanCustomer, LeanError> {
        if let Some(c) = self.customer_by_app_user_id(app_user_id).await? {
            return Ok(c);
        }
        let created: Result<Option<LeanCustomer>, LeanError> = self
            .call(
                Method::POST,
                "/customers/v1",
                Some(&json!({ "app_user_id": app_user_id })),
                // app_user_id is unique at Lean: a repeat gets 409, which is handled below.
                Repeat::Safe,
            )
            .await;
        match created {
            Ok(Some(c)) => Ok(c),
            Ok(None) => Err(LeanError::Unavailable("customer creation answered 404".into())),
            Err(e) if e.code() == Some("CUSTOMER_ALREADY_EXISTS") => self
                .customer_by_app_user_id(app_user_id)
                .await?
                .ok_or_else(|| LeanError::Unavailable("customer exists but cannot be read".into())),
            Err(e) => Err(e),
        }
    }
}

/// Percent-encodes a path segment (our app_user_ids are UUIDs, but never trust that).
pub(super) fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
