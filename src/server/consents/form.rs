//! The consent form, checked field by field before anything is sent to Lean.

use crate::i18n::{num, t, t_with};
use crate::model::{parse_amount, AppError, CURRENCIES, PERIOD_TYPES, PURPOSE_CODES};
use crate::server::payments::is_id;

/// The largest count a consent limit may hold (Lean's own ceiling is not documented).
pub const MAX_COUNT: i64 = 10_000;

/// How far ahead a consent may expire, in days (Lean's default is one year).
pub const MAX_EXPIRY_DAYS: i64 = 5 * 366;

/// The form as typed: one text per field, as the browser posts it.
pub struct ConsentForm<'a> {
    pub destination_id: &'a str,
    pub currency: &'a str,
    pub reference: &'a str,
    pub purpose: &'a str,
    pub period_type: &'a str,
    pub max_individual: &'a str,
    pub max_per_period: &'a str,
    pub max_payments_per_period: &'a str,
    pub max_total: &'a str,
    pub max_payments: &'a str,
    pub expiry_date: &'a str,
    pub emirates_id: &'a str,
}

/// The form once every field is known to be good. Amounts are minor units; `None` is "no limit".
pub struct ConsentRequest {
    pub destination_id: String,
    pub currency: String,
    pub reference: String,
    pub purpose: String,
    pub period_type: String,
    pub individual: Option<i64>,
    pub per_period: Option<i64>,
    pub payments_per_period: Option<i64>,
    pub total: Option<i64>,
    pub payments: Option<i64>,
    /// The end of the chosen day in UTC, as Lean takes it.
    pub expiry: Option<String>,
    pub emirates_id: String,
}

/// An optional decimal amount from the form: blank is "no limit".
fn optional_amount(field: &str, text: &str) -> Result<Option<i64>, AppError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    parse_amount(text).map(Some).map_err(|e| AppError::invalid(field, t(e.key())))
}

/// An optional whole count from the form: blank is "no limit".
fn optional_count(field: &str, text: &str) -> Result<Option<i64>, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<i64>() {
        Ok(n) if (1..=MAX_COUNT).contains(&n) && text.chars().all(|c| c.is_ascii_digit()) => Ok(Some(n)),
        _ => Err(AppError::invalid(field, t_with("consent-error-count", &[("max", num(MAX_COUNT))]))),
    }
}

impl ConsentForm<'_> {
    /// Checks every field; the first bad one is the error, next to its field. Lean needs at least one
    /// of the per-payment limit, the total or the number of payments.
    pub fn check(&self) -> Result<ConsentRequest, AppError> {
        let destination_id = self.destination_id.trim().to_owned();
        if !is_id(&destination_id) {
            return Err(AppError::invalid("destination_id", t("consent-error-destination")));
        }
        let currency = self.currency.trim().to_uppercase();
        if !CURRENCIES.contains(&currency.as_str()) {
            return Err(AppError::invalid("currency", t("consent-error-currency")));
        }
        let reference = self.reference.split_whitespace().collect::<Vec<_>>().join(" ");
        if reference.is_empty() {
            return Err(AppError::invalid("reference", t("consent-error-reference-empty")));
        }
        if reference.chars().count() > 64 || reference.chars().any(char::is_control) {
            return Err(AppError::invalid("reference", t("consent-error-reference-long")));
        }
        let purpose = self.purpose.trim().to_uppercase();
        if !PURPOSE_CODES.contains(&purpose.as_str()) {
            return Err(AppError::invalid("purpose", t("consent-error-purpose")));
        }
        let period_type = self.period_type.trim().to_owned();
        if !PERIOD_TYPES.contains(&period_type.as_str()) {
            return Err(AppError::invalid("period_type", t("consent-error-period")));
        }
        let individual = optional_amount("max_individual", self.max_individual)?;
        let per_period = optional_amount("max_per_period", self.max_per_period)?;
        let payments_per_period = optional_count("max_payments_per_period", self.max_payments_per_period)?;
        let total = optional_amount("max_total", self.max_total)?;
        let payments = optional_count("max_payments", self.max_payments)?;
        if individual.is_none() && total.is_none() && payments.is_none() {
            return Err(AppError::invalid("max_individual", t("consent-error-limits-needed")));
        }
        if let Some(one) = individual {
            if per_period.is_some_and(|p| one > p) {
                return Err(AppError::invalid("max_individual", t("consent-error-individual-over-period")));
            }
            if total.is_some_and(|m| one > m) {
                return Err(AppError::invalid("max_individual", t("consent-error-individual-over-total")));
            }
        }
        Ok(ConsentRequest {
            destination_id,
            currency,
            reference,
            purpose,
            period_type,
            individual,
            per_period,
            payments_per_period,
            total,
            payments,
            expiry: expiry(self.expiry_date)?,
            emirates_id: emirates_id(self.emirates_id)?,
        })
    }
}

fn expiry(text: &str) -> Result<Option<String>, AppError> {
    let today = chrono::Utc::now().date_naive();
    match text.trim() {
        "" => Ok(None),
        d => {
            let date = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| AppError::invalid("expiry_date", t("consent-error-expiry-format")))?;
            if date <= today {
                return Err(AppError::invalid("expiry_date", t("consent-error-expiry-past")));
            }
            if (date - today).num_days() > MAX_EXPIRY_DAYS {
                return Err(AppError::invalid("expiry_date", t("consent-error-expiry-far")));
            }
            // The end of that day in UTC: the consent is usable through the whole date.
            Ok(Some(format!("{date}T23:59:59Z")))
        }
    }
}

/// An Emirates ID: 15 digits starting 784, dashes and spaces allowed; blank is none.
fn emirates_id(text: &str) -> Result<String, AppError> {
    let id: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if !id.is_empty() {
        let digits: String = id.chars().filter(|c| *c != '-').collect();
        if digits.len() != 15 || !digits.starts_with("784") || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(AppError::invalid("emirates_id", t("consent-error-emirates-id")));
        }
    }
    Ok(id)
}
