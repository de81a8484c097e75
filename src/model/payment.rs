use serde::{Deserialize, Serialize};

/// A payment destination (Lean §6.1): where money is paid to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Destination {
    pub id: super::DestinationId,
    pub name: String,
    pub display_name: String,
    pub iban: String,
    pub country: String,
    pub currency: String,
    pub status: super::DestinationStatus,
    pub default: bool,
}

/// One payment intent of the user, with the status of its latest payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentRow {
    pub intent_id: super::PaymentIntentId,
    pub amount: super::Money,
    pub destination_name: Option<String>,
    /// `INTENT_CREATED` until Lean reports a payment, then the latest payment's status.
    pub status: super::PaymentStatus,
    pub payment_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// The bulk payment intent this intent belongs to (Lean's `bulk_payment_intent_id`), if any.
    #[serde(default)]
    pub bulk_id: Option<String>,
}

impl PaymentRow {
    /// Lean's payment status in plain words, in the reader's language.
    pub fn status_text(status: &super::PaymentStatus) -> String {
        crate::i18n::t(status.key())
    }

    /// Whether the payer can (still) pay this intent.
    pub fn payable(&self) -> bool {
        self.status.payable()
    }
}

/// A legacy payment source (REFERENCE §6.2): the payer's bank account with its beneficiaries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentSource {
    pub id: super::PaymentSourceId,
    pub bank_identifier: String,
    /// `AWAITING_BENEFICIARY_COOL_OFF` or `ACTIVE` (Lean's words).
    pub status: super::BeneficiaryStatus,
    pub cool_off_expiry: Option<String>,
    pub beneficiaries: Vec<Beneficiary>,
    /// The accounts the source pays from (`Lean.pay`'s `account_id` names one).
    #[serde(default)]
    pub accounts: Vec<SourceAccount>,
}

/// One account of a payment source, as the payment options offer it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceAccount {
    pub id: String,
    pub name: String,
    /// The last four characters of the IBAN: enough to tell accounts apart, not to copy one.
    pub iban_end: String,
    pub currency: String,
}

/// One destination added to a payment source at the payer's bank. Banks hold a new beneficiary in a
/// cool-off period before it can be paid (REFERENCE §6.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Beneficiary {
    pub destination_id: super::DestinationId,
    pub status: super::BeneficiaryStatus,
    pub cool_off_expiry: Option<String>,
}

impl Beneficiary {
    pub fn cooling_off(&self) -> bool {
        self.status != super::BeneficiaryStatus::Active
    }
}

/// What the browser needs for `Lean.updatePaymentSource` / `Lean.createBeneficiary`: the launch config,
/// and the destination and the payment source (or, to add payments to a bank connected for data only,
/// the entity) the server checked are the user's own. Lean takes one of the two.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BeneficiaryLaunch {
    pub config: super::LaunchConfig,
    pub payment_destination_id: super::DestinationId,
    pub payment_source_id: Option<super::PaymentSourceId>,
    #[serde(default)]
    pub entity_id: Option<super::EntityId>,
}

/// What the browser needs for `Lean.verifyAddress` (REFERENCE §9.1): the launch config and the name
/// the server keeps for the signed-in user, which the bank compares with the account holder's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyAddressLaunch {
    pub config: super::LaunchConfig,
    pub customer_name: String,
}

/// The longest customer name the app keeps (Lean's destination names allow 140 as well).
pub const MAX_NAME_CHARS: usize = 140;

/// Why a person's full name was not accepted; each is a message id for the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameError {
    Empty,
    OneWord,
    TooLong,
    NotAName,
}

impl NameError {
    pub fn key(self) -> &'static str {
        match self {
            NameError::Empty => "pay-name-empty",
            NameError::OneWord => "pay-name-one-word",
            NameError::TooLong => "pay-name-too-long",
            NameError::NotAName => "pay-name-not-a-name",
        }
    }
}

/// A full name as the bank would hold it: at least two words of letters (any script), with spaces,
/// hyphens, apostrophes and dots between them. Spaces are collapsed.
pub fn parse_full_name(text: &str) -> Result<String, NameError> {
    let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(NameError::TooLong);
    }
    if !name.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '.' | '’'))
        || !name.chars().any(char::is_alphabetic)
    {
        return Err(NameError::NotAName);
    }
    if name.split(' ').filter(|w| w.chars().any(char::is_alphabetic)).count() < 2 {
        return Err(NameError::OneWord);
    }
    Ok(name)
}

/// The payments page: the user's destinations, payment sources and payment history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentsOverview {
    pub destinations: Vec<Destination>,
    pub sources: Vec<PaymentSource>,
    pub payments: Vec<PaymentRow>,
    /// The user's connected banks: those without a payment source can gain payments
    /// (`updatePaymentSource` with `entity_id`).
    pub banks: Vec<super::Entity>,
    /// Lean's bank list (kept an hour), for the payment options' bank choice.
    #[serde(default)]
    pub bank_choices: Vec<super::BankChoice>,
}

/// What the browser needs for `Lean.pay` / `Lean.checkout`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentLaunch {
    pub app_token: String,
    pub customer_id: super::CustomerId,
    pub access_token: String,
    pub sandbox: bool,
    pub language: String,
    #[serde(default)]
    pub customization: std::collections::BTreeMap<String, String>,
    pub payment_intent_id: super::PaymentIntentId,
    pub success_redirect_url: String,
    pub fail_redirect_url: String,
    /// The optional fields the person picked, each checked on the server.
    #[serde(default)]
    pub options: PayOptions,
    /// Set to pay a whole bulk payment intent with `Lean.pay` (`payment_intent_id` is then one of its
    /// children's, not sent).
    #[serde(default)]
    pub bulk_payment_intent_id: Option<String>,
}

/// `Lean.pay` and `Lean.checkout`'s optional fields (REFERENCE §9.1): the account to pay from (`pay`),
/// a bank chosen in advance (both), the payer's name (`checkout`) and risk signals (both). Unset ones
/// are not sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayOptions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bank_identifier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub risk_details: Option<RiskDetails>,
}

/// The part of Lean's `RiskDetails` a web checkout knows for certain: where and how the payment was
/// started (`transaction_indicators`, whose `channel` Lean requires).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskDetails {
    pub transaction_indicators: TransactionIndicators,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionIndicators {
    /// `WEB` or `MOBILE`.
    pub channel: String,
    /// `ECOMMERCE`, `IN_APP`, ...
    pub channel_type: String,
    /// The person started the payment themselves (not a scheduled or automatic one).
    pub is_customer_present: bool,
}

impl RiskDetails {
    /// A payment a person starts on this web page.
    pub fn web_checkout() -> RiskDetails {
        RiskDetails {
            transaction_indicators: TransactionIndicators {
                channel: "WEB".into(),
                channel_type: "ECOMMERCE".into(),
                is_customer_present: true,
            },
        }
    }
}

/// The most payments one bulk payment intent made by the payments page holds (and the fewest is two).
pub const MAX_BULK: usize = 10;

/// Currencies Lean's payment intents accept (REFERENCE §6.3).
pub const CURRENCIES: &[&str] = &["AED", "SAR"];

/// The largest amount the form accepts (Lean's own limits are checked by Lean).
const MAX_MINOR: i64 = 100_000_000_000;

/// Why an amount was not accepted. The form and the server show it through [`AmountError::key`], so
/// the person filling in the form reads it in their language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountError {
    Empty,
    NotANumber,
    TooManyDecimals,
    TooLarge,
    NotPositive,
}

impl AmountError {
    /// The message id (locales/*/payments.ftl).
    pub fn key(self) -> &'static str {
        match self {
            AmountError::Empty => "pay-amount-empty",
            AmountError::NotANumber => "pay-amount-not-a-number",
            AmountError::TooManyDecimals => "pay-amount-decimals",
            AmountError::TooLarge => "pay-amount-too-large",
            AmountError::NotPositive => "pay-amount-not-positive",
        }
    }
}

/// Reads "125.5" / "125.50" / "125" as minor units (12550), from the text alone: no float is involved.
pub fn parse_amount(text: &str) -> Result<i64, AmountError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(AmountError::Empty);
    }
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(frac) || (t.contains('.') && frac.is_empty()) {
        return Err(AmountError::NotANumber);
    }
    if frac.len() > 2 {
        return Err(AmountError::TooManyDecimals);
    }
    if whole.len() > 12 {
        return Err(AmountError::TooLarge);
    }
    let whole: i64 = whole.parse().map_err(|_| AmountError::NotANumber)?;
    let cents: i64 = format!("{frac:0<2}").parse().map_err(|_| AmountError::NotANumber)?;
    let minor = whole * 100 + cents;
    if minor <= 0 {
        return Err(AmountError::NotPositive);
    }
    if minor > MAX_MINOR {
        return Err(AmountError::TooLarge);
    }
    Ok(minor)
}

/// 12550 → "125.50".
pub fn format_minor(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", minor.abs() / 100, minor.abs() % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_parsed_from_text() {
        assert_eq!(parse_amount("125.5"), Ok(12_550));
        assert_eq!(parse_amount(" 125.50 "), Ok(12_550));
        assert_eq!(parse_amount("0.10"), Ok(10));
        assert_eq!(parse_amount("7"), Ok(700));
        assert_eq!(parse_amount(""), Err(AmountError::Empty));
        assert_eq!(parse_amount("12.345"), Err(AmountError::TooManyDecimals));
        assert_eq!(parse_amount("0"), Err(AmountError::NotPositive));
        assert_eq!(parse_amount("1000000000000"), Err(AmountError::TooLarge));
        assert!(parse_amount("0.00").is_err());
        assert!(parse_amount("-5").is_err());
        assert!(parse_amount("1.234").is_err());
        assert!(parse_amount("1e3").is_err());
        assert!(parse_amount("1.").is_err());
        assert!(parse_amount(".5").is_err());
        assert!(parse_amount("abc").is_err());
        assert_eq!(format_minor(12_550), "125.50");
        assert_eq!(format_minor(7), "0.07");
    }

    #[test]
    fn full_names_need_two_words_of_letters() {
        assert_eq!(parse_full_name("  Ahmed   Al  Mansouri "), Ok("Ahmed Al Mansouri".into()));
        assert_eq!(parse_full_name("أحمد المنصوري"), Ok("أحمد المنصوري".into()));
        assert_eq!(parse_full_name("Mary-Jane O'Neil"), Ok("Mary-Jane O'Neil".into()));
        assert_eq!(parse_full_name(" "), Err(NameError::Empty));
        assert_eq!(parse_full_name("Ahmed"), Err(NameError::OneWord));
        assert_eq!(parse_full_name("Ahmed -"), Err(NameError::OneWord));
        assert_eq!(parse_full_name("<script> x"), Err(NameError::NotAName));
        assert_eq!(parse_full_name("Agent 007"), Err(NameError::NotAName));
        assert_eq!(parse_full_name(&"a ".repeat(80)), Err(NameError::TooLong));
    }

    /// Every message id this module hands out exists in both languages (the i18n source scan cannot
    /// see ids that are returned rather than written out in calls).
    #[test]
    fn every_message_id_exists() {
        use crate::i18n::{lookup, Lang};
        let keys = [
            AmountError::Empty,
            AmountError::NotANumber,
            AmountError::TooManyDecimals,
            AmountError::TooLarge,
            AmountError::NotPositive,
        ]
        .map(AmountError::key)
        .into_iter()
        .chain(
            [NameError::Empty, NameError::OneWord, NameError::TooLong, NameError::NotAName]
                .map(NameError::key),
        )
        .chain(
            ["INTENT_CREATED", "PENDING_WITH_BANK", "ACCEPTED_BY_BANK", "REJECTED_BY_BANK", "FAILED", "?"]
                .map(|s| crate::model::PaymentStatus::parse(s).key()),
        );
        for key in keys {
            for lang in Lang::ALL {
                assert_ne!(lookup(lang, key, &[]), key, "{key} is missing in {lang:?}");
            }
        }
    }
}

/// Lean's payment error codes (§11.3): the form field each is about and the message id that says it
/// in plain words (locales/*/payments.ftl).
pub fn lean_payment_error(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "INVALID_IBAN" => ("iban", "pay-lean-invalid-iban"),
        "INVALID_NAME" => ("name", "pay-lean-invalid-name"),
        "INVALID_AMOUNT" => ("amount", "pay-lean-invalid-amount"),
        "AMOUNT_UNDER_MIN_VALUE" => ("amount", "pay-lean-amount-under-min"),
        "AMOUNT_OVER_MAX_VALUE" => ("amount", "pay-lean-amount-over-max"),
        "UNKNOWN_PAYMENT_DESTINATION" => ("destination_id", "pay-lean-unknown-destination"),
        "UNKNOWN_PAYMENT_INTENT" => ("intent_id", "pay-lean-unknown-intent"),
        "UNKNOWN_PAYMENT_SOURCE" => ("intent_id", "pay-lean-unknown-source"),
        "ANOTHER_PAYMENT_ALREADY_IN_PROGRESS" => ("intent_id", "pay-lean-payment-in-progress"),
        "PAYMENT_INTENT_ALREADY_PAID" => ("intent_id", "pay-lean-already-paid"),
        "PENDING_BENEFICIARY_COOL_OFF" => ("intent_id", "pay-lean-cool-off"),
        "BENEFICIARY_NOT_FOUND" => ("intent_id", "pay-lean-beneficiary-not-found"),
        "INVALID_PARAMETERS" => ("request", "pay-lean-invalid-parameters"),
        _ => return None,
    })
}

/// All the codes above, for the test that keeps their messages in both languages.
pub const LEAN_PAYMENT_CODES: &[&str] = &[
    "INVALID_IBAN",
    "INVALID_NAME",
    "INVALID_AMOUNT",
    "AMOUNT_UNDER_MIN_VALUE",
    "AMOUNT_OVER_MAX_VALUE",
    "UNKNOWN_PAYMENT_DESTINATION",
    "UNKNOWN_PAYMENT_INTENT",
    "UNKNOWN_PAYMENT_SOURCE",
    "ANOTHER_PAYMENT_ALREADY_IN_PROGRESS",
    "PAYMENT_INTENT_ALREADY_PAID",
    "PENDING_BENEFICIARY_COOL_OFF",
    "BENEFICIARY_NOT_FOUND",
    "INVALID_PARAMETERS",
];

#[cfg(test)]
mod lean_error_words {
    use super::*;
    use crate::i18n::{lookup, Lang};

    #[test]
    fn every_lean_payment_error_is_said_in_both_languages() {
        for code in LEAN_PAYMENT_CODES {
            let (_, key) = lean_payment_error(code).expect(code);
            for lang in Lang::ALL {
                let text = lookup(lang, key, &[]);
                assert_ne!(text, key, "{code}: {key} missing in {lang:?}");
                assert!(!text.contains(code), "{code} should be said in plain words: {text}");
            }
        }
        assert_eq!(lean_payment_error("SOMETHING_NEW"), None);
    }
}
