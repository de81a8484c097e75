use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What the browser needs to launch a Link SDK flow. Holds a customer-scoped token only: that token is
/// meant for the browser (Lean's SDK sends it as a Bearer header) and can act for this customer alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LaunchConfig {
    pub app_token: String,
    pub customer_id: super::CustomerId,
    pub access_token: String,
    pub sandbox: bool,
    pub language: String,
    /// Lean's `customization` object (theme colour etc.), from the app's config.
    #[serde(default)]
    pub customization: BTreeMap<String, String>,
    pub permissions: Vec<String>,
    /// For `reconnect`: the id Lean returned with RECONNECT_REQUIRED.
    #[serde(default)]
    pub reconnect_id: Option<String>,
}

/// `bank` in Lean's CallbackData.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackBank {
    #[serde(default)]
    pub bank_identifier: Option<String>,
    #[serde(default)]
    pub is_supported: Option<bool>,
}

/// Lean's CallbackData (REFERENCE §9.5). Web passes a partial object, so everything but `status`
/// is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackData {
    pub status: super::FlowStatus,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub bank: Option<CallbackBank>,
    #[serde(default)]
    pub exit_point: Option<String>,
    #[serde(default)]
    pub secondary_status: Option<String>,
    #[serde(default)]
    pub last_api_response: Option<String>,
    #[serde(default)]
    pub lean_correlation_id: Option<String>,
    #[serde(default)]
    pub open_banking_redirect_url: Option<String>,
}

/// A recorded SDK callback, as shown in the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowOutcome {
    pub id: String,
    pub method: String,
    pub status: super::FlowStatus,
    pub secondary_status: Option<String>,
    pub message: Option<String>,
    pub exit_point: Option<String>,
    pub lean_correlation_id: Option<String>,
    pub bank_identifier: Option<String>,
    pub created_at: String,
    /// False when the person told Lean their bank is not listed (`bank.is_supported`).
    #[serde(default)]
    pub bank_is_supported: Option<bool>,
    #[serde(default)]
    pub last_api_response: Option<String>,
    #[serde(default)]
    pub open_banking_redirect_url: Option<String>,
    /// The bank they wanted instead, as they typed it after "my bank is not listed".
    #[serde(default)]
    pub wanted_bank: Option<String>,
}

impl FlowOutcome {
    /// The outcome a callback describes, under `id` and `created_at` (empty before it is stored).
    pub fn from_callback(id: String, method: &str, data: &CallbackData, created_at: String) -> Self {
        FlowOutcome {
            id,
            method: method.to_owned(),
            status: data.status.clone(),
            secondary_status: data.secondary_status.clone(),
            message: data.message.clone(),
            exit_point: data.exit_point.clone(),
            lean_correlation_id: data.lean_correlation_id.clone(),
            bank_identifier: data.bank.as_ref().and_then(|b| b.bank_identifier.clone()),
            created_at,
            bank_is_supported: data.bank.as_ref().and_then(|b| b.is_supported),
            last_api_response: data.last_api_response.clone(),
            open_banking_redirect_url: data.open_banking_redirect_url.clone(),
            wanted_bank: None,
        }
    }

    /// The person closed Lean saying their bank is not listed.
    pub fn bank_not_listed(&self) -> bool {
        self.bank_is_supported == Some(false)
    }
}

/// The Link SDK methods a callback may be recorded for.
pub const METHODS: &[&str] = &[
    "link",
    "connect",
    "reconnect",
    "createBeneficiary",
    "createPaymentSource",
    "updatePaymentSource",
    "pay",
    "verifyAddress",
    "authorizeConsent",
    "checkout",
    "manageConsents",
    "captureRedirect",
];
pub const STATUSES: &[&str] = &["SUCCESS", "ERROR", "CANCELLED", "REDIRECT", "LINK_CLOSED_PROGRAMMATICALLY"];

/// Data permissions requested by "Connect a bank".
pub const CONNECT_PERMISSIONS: &[&str] = &["identity", "accounts", "balance", "transactions"];
