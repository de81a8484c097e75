//! Open Finance Account-on-File consents (REFERENCE §6.5) and the payments made against them.

use serde::{Deserialize, Serialize};

use super::Destination;

/// `control_parameters.period_type` values Lean accepts.
pub const PERIOD_TYPES: &[&str] = &["Day", "Week", "Month", "Year"];

/// Lean's payment purpose codes (REFERENCE §6.5 `purpose`).
pub const PURPOSE_CODES: &[&str] = &["GDS", "FIS", "TCS", "MWP", "OAT", "IFS", "RNT", "LNC", "PIN"];

/// Consent statuses after which nothing changes any more (Lean's lifecycle, §6.5).
pub const FINAL_CONSENT_STATUSES: &[&str] = &["REVOKED", "REJECTED", "EXPIRED", "CONSUMED"];

/// One payment made (or being made) against a consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentPayment {
    /// Lean's payment id, once Lean has answered.
    pub payment_id: Option<String>,
    pub amount: super::Money,
    /// This app's SENDING until Lean answers and REFUSED when Lean said no, then Lean's own status.
    pub status: super::ConsentPaymentStatus,
    /// Lean's code when refused or failed (e.g. CONSENT_LIMIT_EXCEEDED, REJECTED_BY_BANK).
    pub code: Option<String>,
    pub created_at: String,
}

/// A consent of the user, with its control parameters as the user set them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub consent_id: super::ConsentId,
    pub status: super::ConsentStatus,
    pub destination_id: super::DestinationId,
    pub destination_name: Option<String>,
    pub currency: String,
    pub reference: String,
    pub purpose: String,
    pub period_type: String,
    pub max_individual: Option<super::Money>,
    pub max_per_period: Option<super::Money>,
    pub max_payments_per_period: Option<i64>,
    pub max_total: Option<super::Money>,
    pub max_payments: Option<i64>,
    pub expires_at: String,
    pub bank_identifier: Option<String>,
    /// The bank's names, from Lean's bank list (None when Lean does not list the bank).
    #[serde(default)]
    pub bank_name: Option<super::BankName>,
    pub created_at: String,
    pub updated_at: String,
    /// Newest first.
    pub payments: Vec<ConsentPayment>,
    /// The attempt a "Pay now" on this consent belongs to: an unanswered earlier attempt (so a retry
    /// repeats it) or a fresh id. Sent back with the payment, it makes a double click harmless.
    pub pay_attempt: String,
}

impl Consent {
    pub fn authorised(&self) -> bool {
        self.status == super::ConsentStatus::Authorised
    }
    pub fn awaiting(&self) -> bool {
        self.status == super::ConsentStatus::AwaitingAuthorisation
    }
}

/// The consents page: destinations to pay to, and the user's consents (newest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentsOverview {
    pub destinations: Vec<Destination>,
    pub consents: Vec<Consent>,
}

/// What the browser needs for `Lean.authorizeConsent` (REFERENCE §6.5, §7.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentLaunch {
    pub app_token: String,
    pub customer_id: super::CustomerId,
    pub access_token: String,
    pub sandbox: bool,
    pub language: String,
    #[serde(default)]
    pub customization: std::collections::BTreeMap<String, String>,
    pub consent_id: super::ConsentId,
    pub success_redirect_url: String,
    pub fail_redirect_url: String,
}
