//! The wire layer: server functions by domain. Each is a few lines that call a `server::<domain>`
//! service inside `server::request::answer`, which gives a failure its HTTP status. Validation,
//! ownership and Lean calls live in `server/`; the types that travel live in `model/`.

pub mod auth;
pub mod consents;
pub mod console;
pub mod data;
pub mod diagnostics;
pub mod entities;
pub mod flows;
pub mod payments;
pub mod sandbox_panel;

pub use auth::{fetch_current_user, SignIn, SignOut, SignUp};
pub use consents::{
    create_consent, fetch_consent, fetch_consent_destinations, fetch_consent_list, fetch_consents,
    launch_consent, pay_with_consent, revoke_consent,
};
pub use data::{
    account_insights, account_transactions, fetch_entity_overview, launch_reconnect, RefreshEntity,
};
pub use diagnostics::{fetch_diagnostics, CatchUpNow};
pub use entities::{list_entities, live_position, DisconnectEntity};
pub use flows::{
    fetch_connect_choices, last_flow, launch_connect, launch_connect_for_payments, launch_connect_with,
    recent_flows, record_flow_outcome, record_return, record_wanted_bank, recorded_return,
};
pub use payments::{
    create_bulk_payment, create_destination, create_payment, fetch_customer_name, fetch_payments,
    launch_add_payments, launch_beneficiary, launch_bulk_payment, launch_payment, launch_payment_source,
    launch_verify_address, payment_status, save_customer_name,
};
