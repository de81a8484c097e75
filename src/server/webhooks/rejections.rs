//! Webhooks refused for their signature. They are never stored in the database (anyone can POST to
//! the endpoint), but the developer console shows the last few so a wrong `LEAN_WEBHOOK_SECRET` is
//! visible at a glance. Only the verdict and what the body claims to be are kept: never the
//! signature header, never the body.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use super::signature::SignatureError;

/// How many refused webhooks are remembered (per process).
const CAPACITY: usize = 50;

#[derive(Clone, Debug)]
pub struct Rejected {
    pub received_at: String,
    /// Why the signature was refused, in plain words.
    pub reason: String,
    /// What the unverified body says it is, when it says so.
    pub claimed_type: Option<String>,
    pub claimed_event_id: Option<String>,
    pub bytes: usize,
}

#[derive(Clone, Default)]
pub struct Rejections(Arc<Mutex<VecDeque<Rejected>>>);

impl Rejections {
    /// Remembers a refusal and returns it, for the console's live stream.
    pub fn record(&self, reason: &SignatureError, body: &[u8]) -> Rejected {
        let json: Option<Value> = serde_json::from_slice(body).ok();
        let field = |name: &str| {
            json.as_ref()
                .and_then(|v| v.get(name))
                .and_then(Value::as_str)
                .map(|s| s.chars().take(100).collect::<String>())
        };
        let entry = Rejected {
            received_at: crate::server::db::now(),
            reason: reason.to_string(),
            claimed_type: field("type"),
            claimed_event_id: field("event_id"),
            bytes: body.len(),
        };
        let mut list = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if list.len() == CAPACITY {
            list.pop_front();
        }
        list.push_back(entry.clone());
        entry
    }

    /// Newest first.
    pub fn recent(&self) -> Vec<Rejected> {
        let list = self.0.lock().unwrap_or_else(|p| p.into_inner());
        list.iter().rev().cloned().collect()
    }
}
