//! The sandbox panel's wire types and the choices it offers (see `server::sandbox_panel`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestUser {
    pub username: String,
    pub password: String,
    pub behaviour: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelEntity {
    pub id: String,
    pub bank_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxPanel {
    pub users: Vec<TestUser>,
    pub otp: String,
    /// The signed-in user's own bank connections: what "next data call" may target.
    pub entities: Vec<PanelEntity>,
}

/// The sandbox's test users (sandbox/README.md), in the order a presenter needs them, with the
/// message id of their behaviour.
pub const TEST_USERS: &[(&str, &str, &str)] = &[
    ("user_simple", "pass_simple", "panel-behaviour-simple"),
    ("user_otp", "pass_otp", "panel-behaviour-otp"),
    ("user_locked", "pass_locked", "panel-behaviour-locked"),
    ("user_bank_error", "pass_bank_error", "panel-behaviour-bank-error"),
    ("user_slow", "pass_slow", "panel-behaviour-slow"),
];

/// How the next data call of an entity may end.
pub const NEXT_CALL_STATUSES: &[&str] = &["PENDING", "FAILED", "CONSENT_EXPIRED", "RECONNECT_REQUIRED"];

/// Granular codes a FAILED call may carry (the sandbox has a stock message for each).
pub const GRANULAR_CODES: &[&str] = &[
    "BANK_ISSUE",
    "EU_ACCOUNT_LOCKED",
    "LOGGED_IN_ELSEWHERE",
    "BANK_MAINTENANCE",
    "UNSEEN_BANK_ERROR",
    "LEAN_ERROR",
];
