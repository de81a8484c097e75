pub mod auth_form;
pub mod charts;
pub mod connect_button;
pub mod entity_card;
pub mod flow_outcome;
pub mod form_errors;
pub mod header;
pub mod live_badge;
