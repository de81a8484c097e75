//! Server-only code: compiled with the `ssr` feature alone, so nothing here (secrets, sqlx, reqwest,
//! HMAC) can end up in the browser's wasm.

pub mod accounts;
pub mod auth;
pub mod bank_data;
pub mod cli;
pub mod config;
pub mod connect;
pub mod consents;
pub mod console;
pub mod db;
pub mod diagnostics;
pub mod entities;
pub mod errors;
pub mod flows;
pub mod language;
pub mod launch;
pub mod lean;
pub mod live;
pub mod metrics;
pub mod observe;
pub mod payments;
pub mod request;
pub mod sandbox_panel;
pub mod sandbox_proxy;
pub mod sdk_look;
pub mod security;
pub mod startup;
pub mod state;
pub mod webhooks;

pub use config::Config;
pub use startup::Application;
pub use state::AppState;
