//! The payments domain's persisted records (all of `State::payments`). Their serde shape is the
//! state file's, so a field's name or default changes what an older file loads as.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Sandbox timings, adjustable at runtime with `PUT /sandbox/payments/settings`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Settings {
    /// How long a new beneficiary stays AWAITING_BENEFICIARY_COOL_OFF.
    pub beneficiary_cool_off_ms: u64,
    /// How long a payment stays PENDING_WITH_BANK (AoF: CREATED/PROCESSING) before its outcome.
    pub payment_settle_ms: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { beneficiary_cool_off_ms: 5_000, payment_settle_ms: 1_000 }
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PaymentsState {
    #[serde(default)]
    pub settings: Settings,
    #[serde(default)]
    pub destinations: Vec<Destination>,
    #[serde(default)]
    pub sources: Vec<PaymentSource>,
    #[serde(default)]
    pub intents: Vec<Intent>,
    #[serde(default)]
    pub payments: Vec<Payment>,
    #[serde(default)]
    pub consents: Vec<AofConsent>,
    #[serde(default)]
    pub aof_payments: Vec<AofPayment>,
    #[serde(default)]
    pub bulk_intents: Vec<BulkIntent>,
    #[serde(default)]
    pub attempts: Vec<ConsentAttempt>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Destination {
    pub id: Uuid,
    pub customer_id: Option<Uuid>,
    pub name: String,
    pub display_name: String,
    pub iban: Option<String>,
    pub account_number: String,
    pub swift_code: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub country: String,
    pub currency: String,
    pub bank_type: String,
    pub bank_identifier: Option<String>,
    pub branch_address: Option<String>,
    pub government_identifier: Option<serde_json::Value>,
    pub default: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SourceAccount {
    pub id: Uuid,
    pub account_name: String,
    pub iban: String,
    pub currency: String,
    pub balance: f64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Beneficiary {
    pub id: Uuid,
    pub payment_destination_id: Uuid,
    pub status: String,
    pub cool_off_expiry: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PaymentSource {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub bank_identifier: String,
    pub end_user_id: Option<String>,
    pub status: String,
    pub accounts: Vec<SourceAccount>,
    pub beneficiaries: Vec<Beneficiary>,
    pub created_at: DateTime<Utc>,
    #[serde(default)]
    pub deleted: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Intent {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub amount: f64,
    pub currency: String,
    pub description: String,
    pub purpose_code: Option<String>,
    pub payment_destination_id: Uuid,
    pub bulk_payment_intent_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Party {
    pub account_number: String,
    pub iban: String,
    pub name: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Payment {
    pub id: Uuid,
    pub intent_id: Uuid,
    pub customer_id: Uuid,
    pub payment_source_id: Option<Uuid>,
    pub payment_destination_id: Uuid,
    pub bank_identifier: String,
    pub account_id: Option<Uuid>,
    pub sender: Party,
    pub recipient: Party,
    pub amount: f64,
    pub currency: String,
    pub description: String,
    pub status: String,
    pub bank_transaction_reference: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Set when a scenario fails the payment (`/sandbox/scenarios/fail-payment`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub granular_status_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_additional_info: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AofConsent {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub destination_account_id: Uuid,
    pub currency: String,
    pub reference: String,
    pub purpose: String,
    pub control_parameters: serde_json::Value,
    pub immediate_payment: Option<serde_json::Value>,
    pub start_date_time: DateTime<Utc>,
    pub expiration_date_time: DateTime<Utc>,
    pub status: String,
    pub bank_identifier: Option<String>,
    pub sender_account_id: Option<Uuid>,
    pub consented_iban: Option<String>,
    pub holder_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AofPayment {
    pub id: Uuid,
    pub consent_id: Uuid,
    pub idempotency_key: String,
    pub customer_id: Uuid,
    pub account_id: Uuid,
    pub amount: f64,
    pub currency: String,
    pub reference: Option<String>,
    pub creditor_reference: Option<String>,
    pub status: String,
    pub failure_details: Option<serde_json::Value>,
    pub created_at: DateTime<Utc>,
    pub last_modified_at: DateTime<Utc>,
    /// The request that made it (see `api::consents::request_fingerprint`); none for immediate
    /// payments, which no request makes.
    #[serde(default)]
    pub request_fingerprint: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BulkIntent {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub currency: String,
    pub intent_ids: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// One trip to the (simulated) bank for `checkout` or `authorizeConsent`; its id is the
/// `consent_attempt_id` appended to the redirect URL and read back by `captureRedirect`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ConsentAttempt {
    pub id: Uuid,
    pub customer_id: Uuid,
    /// `PAYMENT` (checkout) or `ACCOUNT_ON_FILE` (authorizeConsent).
    pub kind: String,
    pub consent_id: Option<Uuid>,
    pub payment_id: Option<Uuid>,
    pub bank_identifier: String,
    /// `SUCCESS` or `FAILED`.
    pub outcome: String,
    pub granular_status_code: Option<String>,
    pub status_additional_info: Option<String>,
    pub created_at: DateTime<Utc>,
}
