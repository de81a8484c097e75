//! Payments domain (REFERENCE §6-7): destinations, payment sources and beneficiaries, payment
//! intents and payments, Account-on-File consents and their payments, and the Open Finance
//! redirect "consent attempts" that `checkout`/`authorizeConsent` hand to `captureRedirect`.
//!
//! Everything is persisted in `State::payments`. Status changes that Lean makes in the
//! background (beneficiary cool-off, bank settlement) run as background tasks that update the
//! state and emit webhooks.

pub mod account_on_file;
pub mod bulk;
pub mod errors;
mod model;
pub mod pay;
pub mod sources;
pub mod status;
pub mod timers;
pub mod validation;
pub mod views;
pub mod webhooks;

pub use model::{
    AofConsent, AofPayment, Beneficiary, BulkIntent, ConsentAttempt, Destination, Intent, Party, Payment,
    PaymentSource, PaymentsState, SourceAccount,
};
