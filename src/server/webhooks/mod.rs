//! Lean's webhooks: verified on the raw bytes, stored once by `event_id`, acknowledged at once, then
//! applied by a background worker (Lean's advice: "acknowledge with 200 first, then process").

pub mod catch_up;
pub mod consent_events;
pub mod endpoint;
pub mod inbox;
pub mod rejections;
pub mod results_events;
pub mod signature;
pub mod test_owners;
pub mod worker;

pub use worker::Worker;
