//! Integration tests: one binary (linking the app once instead of once per file), one module per area.
//! Each test starts the real app and the embedded sandbox on port 0 with a fresh database.

mod authorization;
mod catch_up;
mod claims;
mod common;
mod connect_options;
mod consents;
mod console;
mod console_live;
mod customers_and_tokens;
mod data_results;
mod diagnostics;
mod fuzz;
mod instances;
mod lean_client;
mod lean_samples;
mod metrics;
mod ordering;
mod payments;
mod region;
mod security;
mod security_headers;
mod webhooks;
