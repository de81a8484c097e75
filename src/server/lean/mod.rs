//! Lean's REST API, reached only over HTTP with base URLs from config (the embedded sandbox included).

mod client;
mod consents;
mod customers;
mod data;
mod entities;
mod error;
mod events;
mod payments;
mod tokens;

pub mod amounts;
pub mod banks;

pub use client::LeanClient;
pub use customers::LeanCustomer;
pub use error::LeanError;
