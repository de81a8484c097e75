//! Lean's Data API v2 (REFERENCE §5.1): GET with query parameters, an envelope whose `status` says
//! whether `data` is there, and asynchronous (PENDING), failure, reconnect and consent-expiry answers.

use reqwest::Method;
use serde_json::Value;

use super::client::Repeat;
use super::{LeanClient, LeanError};
use crate::model::{DataState, EntityId};

impl LeanClient {
    /// One v2 data call. Reads are safe to repeat. A 404 is Lean's UNKNOWN_ENTITY / UNKNOWN_ACCOUNT.
    pub async fn data_v2(&self, path_and_query: &str) -> Result<DataState<Value>, LeanError> {
        Ok(interpret(self.data_v2_envelope(path_and_query).await?))
    }

    /// The same call, also giving the `results_id` when Lean answers PENDING: the later
    /// `results.ready` webhook names that id (REFERENCE §5.2).
    pub async fn data_v2_with_results_id(
        &self,
        path_and_query: &str,
    ) -> Result<(DataState<Value>, Option<String>), LeanError> {
        let env = self.data_v2_envelope(path_and_query).await?;
        let results_id = results_id(&env);
        Ok((interpret(env), results_id))
    }

    async fn data_v2_envelope(&self, path_and_query: &str) -> Result<Value, LeanError> {
        let envelope: Option<Value> = self.call(Method::GET, path_and_query, None, Repeat::Safe).await?;
        envelope.ok_or_else(|| LeanError::Api {
            http: 404,
            code: "UNKNOWN_ENTITY".into(),
            message: "Lean does not know this bank connection or account.".into(),
        })
    }

    /// What a stored data envelope (e.g. fetched results) says, read as a live answer would be.
    pub fn interpret_envelope(env: Value) -> DataState<Value> {
        interpret(env)
    }

    /// `GET /data/v2/results/{results_id}`: what a PENDING call produced, once `results.ready` said so.
    /// The envelope has the shape of the original call's. None when Lean does not know the id
    /// (404 UNKNOWN_RESULTS_ID).
    pub async fn data_v2_results(&self, results_id: &str) -> Result<Option<Value>, LeanError> {
        let id = urlencoding::encode(results_id);
        self.call(Method::GET, &format!("/data/v2/results/{id}"), None, Repeat::Safe).await
    }
}

/// The `results_id` of a PENDING envelope (Lean sends it on every data answer; only PENDING ones can be
/// fetched later).
fn results_id(env: &Value) -> Option<String> {
    let pending = env.get("status").and_then(Value::as_str) == Some("PENDING");
    env.get("results_id").and_then(Value::as_str).filter(|id| pending && !id.is_empty()).map(str::to_owned)
}

impl LeanClient {
    /// `POST /data/v2/refreshes`: asks Lean to fetch fresh data from the bank; progress arrives as
    /// `entity.data.refresh.updated` webhooks. Not repeated blindly: a second POST while one runs is
    /// Lean's 429 DUPLICATED_REQUEST, which would confuse a retry.
    pub async fn start_refresh(&self, entity_id: &EntityId) -> Result<DataState<Value>, LeanError> {
        let body = serde_json::json!({ "entity_id": entity_id });
        match self.call::<Value>(Method::POST, "/data/v2/refreshes", Some(&body), Repeat::Never).await {
            Ok(Some(env)) => Ok(interpret(env)),
            Ok(None) => Err(LeanError::Api {
                http: 404,
                code: "UNKNOWN_ENTITY".into(),
                message: "Lean does not know this bank connection.".into(),
            }),
            // Lean answers an expired consent with 403 here rather than a 200 envelope.
            Err(e) if e.code() == Some("CONSENT_EXPIRED") => Ok(DataState::ConsentExpired),
            Err(e) => Err(e),
        }
    }
}

pub fn interpret(env: Value) -> DataState<Value> {
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
    match env.get("status").and_then(Value::as_str).unwrap_or("") {
        "OK" => DataState::Ready(env.get("data").cloned().unwrap_or(Value::Null)),
        "PENDING" => DataState::Pending,
        "RECONNECT_REQUIRED" => DataState::ReconnectRequired {
            reconnect_id: text(&env, "reconnect_id")
                .or_else(|| env.get("data").and_then(|d| text(d, "reconnect_id")))
                .or_else(|| env.get("payload").and_then(|d| text(d, "reconnect_id")))
                .unwrap_or_default(),
        },
        "CONSENT_EXPIRED" => DataState::ConsentExpired,
        other => {
            let detail = env.get("status_detail").cloned().unwrap_or(Value::Null);
            DataState::Failed {
                code: text(&detail, "granular_status_code").unwrap_or_else(|| other.to_owned()),
                message: text(&detail, "status_additional_info")
                    .or_else(|| text(&env, "message"))
                    .unwrap_or_else(|| "The bank could not provide this data.".into()),
            }
        }
    }
}
