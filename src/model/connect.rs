//! `Lean.connect`'s optional fields (REFERENCE §9, connect), as the person chose them on the connect
//! page and as the server checked them.

use serde::{Deserialize, Serialize};

/// The account types Lean's `account_type` takes.
pub const ACCOUNT_TYPES: &[&str] = &["PERSONAL", "BUSINESS"];

/// The longest `end_user_id` and `customer_metadata` the app sends (Lean documents no bound; these
/// are far above a correlation id's length).
pub const MAX_END_USER_ID_CHARS: usize = 100;
pub const MAX_METADATA_CHARS: usize = 500;

/// The optional `connect` fields, each left out of the config when unset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectOptions {
    /// Connect this bank: Lean skips its bank selection.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bank_identifier: Option<String>,
    /// `PERSONAL` or `BUSINESS`: Lean lists only banks for that kind of account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_type: Option<String>,
    /// How far back (and until when) the bank shares data, as ISO 8601 dates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_to: Option<String>,
    /// Lean explains the permissions at more length before the person agrees.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub show_consent_explanation: bool,
    /// The merchant's own identifiers for this person, echoed back by Lean.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_metadata: Option<String>,
    /// With the `payments` permission: the destination Lean adds as the new payment source's first
    /// recipient (one of the user's own, checked by the server).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_destination_id: Option<String>,
    /// The merchant's brand in Lean's screens, from the app's settings (never from the browser).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination_alias: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination_avatar: Option<String>,
}

/// A bank the connect page offers, with its names in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankChoice {
    pub identifier: String,
    pub name: super::BankName,
    /// `PERSONAL` or `BUSINESS`, as Lean lists it.
    pub account_type: Option<String>,
}

/// What the connect page offers: Lean's banks, and the brand the app's settings give Lean.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectChoices {
    pub banks: Vec<BankChoice>,
    pub destination_alias: Option<String>,
    pub destination_avatar: Option<String>,
}

/// Everything `Lean.connect` with options needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectLaunch {
    pub config: super::LaunchConfig,
    pub options: ConnectOptions,
}
