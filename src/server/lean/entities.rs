use reqwest::Method;
use serde_json::{json, Value};

use crate::model::{CustomerId, EntityId};

use super::client::Repeat;
use super::{LeanClient, LeanError};

impl LeanClient {
    /// `DELETE /customers/v1/{customer_id}/entities/{entity_id}` with Lean's required reason. Safe to
    /// repeat: a second delete finds nothing (404), which is the state we wanted.
    pub async fn delete_entity(
        &self,
        customer_id: &CustomerId,
        entity_id: &EntityId,
    ) -> Result<(), LeanError> {
        let path = format!("/customers/v1/{customer_id}/entities/{entity_id}");
        let _: Option<Value> = self
            .call(Method::DELETE, &path, Some(&json!({ "reason": "USER_REQUESTED" })), Repeat::Safe)
            .await?;
        Ok(())
    }
}
