//! Server-only code: compiled with the `ssr` feature alone, so nothing here (secrets, sqlx, reqwest,
//! HMAC) can end up in the browser's wasm.

pub mod auth;
pub mod cli;
pub mod config;
pub mod console;
pub mod db;
pub mod diagnostics;
pub mod language;
pub mod lean;
pub mod live;
pub mod sdk_look;
pub mod security;
pub mod startup;
pub mod state;
pub mod webhooks;

pub use config::Config;
pub use startup::Application;
pub use state::AppState;
