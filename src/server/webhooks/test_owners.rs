//! Who sent each signed test webhook from the developer console, until the endpoint stores it. The
//! sample names a made-up customer (so it changes nobody's banks); this lets the sender's own console
//! show it all the same.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use crate::model::CustomerId;

/// Test webhooks in flight at once; older entries are forgotten.
const CAPACITY: usize = 64;

#[derive(Clone, Default)]
pub struct TestWebhookOwners(Arc<Mutex<VecDeque<(String, CustomerId)>>>);

impl TestWebhookOwners {
    /// `customer_id` sent (is about to send) the event `event_id`.
    pub fn expect(&self, event_id: &str, customer_id: &CustomerId) {
        let mut list = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if list.len() == CAPACITY {
            list.pop_front();
        }
        list.push_back((event_id.to_owned(), customer_id.clone()));
    }

    /// The sender of `event_id`, once.
    pub fn take(&self, event_id: &str) -> Option<CustomerId> {
        let mut list = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let at = list.iter().position(|(id, _)| id == event_id)?;
        list.remove(at).map(|(_, customer)| customer)
    }
}
