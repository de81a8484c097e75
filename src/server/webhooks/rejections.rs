//! Webhooks refused for their signature. Anyone can POST to the endpoint, so a refusal costs no
//! database work: it is counted, and a sample (a few a second, the last [`CAPACITY`] of them) is kept
//! in memory for the admins' developer console, where a wrong `LEAN_WEBHOOK_SECRET` is visible at a
//! glance. Only the verdict and what the body claims to be are kept: never the signature header,
//! never the body.

use std::collections::VecDeque;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

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

/// Refusals sampled per second (after a burst of as many).
const SAMPLED_PER_SECOND: u32 = 5;

#[derive(Clone)]
pub struct Rejections {
    sample: Arc<Mutex<VecDeque<Rejected>>>,
    sampler: Arc<DefaultDirectRateLimiter>,
    total: Arc<AtomicU64>,
}

impl Default for Rejections {
    fn default() -> Self {
        let rate = NonZeroU32::new(SAMPLED_PER_SECOND).unwrap_or(NonZeroU32::MIN);
        Rejections {
            sample: Arc::default(),
            sampler: Arc::new(RateLimiter::direct(Quota::per_second(rate))),
            total: Arc::default(),
        }
    }
}

impl Rejections {
    /// Counts a refusal; returns it when it is sampled (kept, and shown live on the console).
    pub fn record(&self, reason: &SignatureError, body: &[u8]) -> Option<Rejected> {
        self.total.fetch_add(1, Ordering::Relaxed);
        self.sampler.check().ok()?;
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
        let mut list = self.sample.lock().unwrap_or_else(|p| p.into_inner());
        if list.len() == CAPACITY {
            list.pop_front();
        }
        list.push_back(entry.clone());
        Some(entry)
    }

    /// The sampled refusals, newest first.
    pub fn recent(&self) -> Vec<Rejected> {
        let list = self.sample.lock().unwrap_or_else(|p| p.into_inner());
        list.iter().rev().cloned().collect()
    }

    /// Every refusal since the app started, sampled or not.
    pub fn total(&self) -> u64 {
        self.total.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_is_counted_and_a_flood_is_only_sampled() {
        let r = Rejections::default();
        let kept = (0..1000).filter(|_| r.record(&SignatureError::Missing, b"{}").is_some()).count();
        assert_eq!(r.total(), 1000);
        assert!((1..=SAMPLED_PER_SECOND as usize + 1).contains(&kept), "{kept} kept");
        assert_eq!(r.recent().len(), kept);
    }
}
