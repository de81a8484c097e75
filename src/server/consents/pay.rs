//! Paying against an authorised consent, server to server (no SDK), exactly once per attempt.

use crate::i18n::{arg, t, t_with};
use crate::model::{parse_amount, AppError, ConsentPayment, ConsentPaymentStatus, LiveEvent, Money, UserId};
use crate::server::db::consents;
use crate::server::errors::internal;
use crate::server::lean::amounts::wire_number;
use crate::server::lean::LeanError;
use crate::server::payments::is_id;
use crate::server::AppState;

/// Pays `amount` against one of the user's authorised consents.
///
/// `attempt` names this payment attempt (the page gets it with the consent). The attempt and a fresh
/// `Idempotency-Key` are stored before Lean is called; sending the same attempt again (a double click,
/// a retry after a timeout) sends the same key, and Lean answers with the payment it already made.
/// The status then follows Lean's `payment.*` webhooks.
pub async fn pay(
    state: &AppState,
    user_id: &UserId,
    consent_id: &str,
    amount: &str,
    attempt: &str,
) -> Result<ConsentPayment, AppError> {
    let minor = parse_amount(amount).map_err(|e| AppError::invalid("amount", t(e.key())))?;
    let attempt = attempt.trim();
    if !is_id(attempt) {
        return Err(AppError::invalid("request", t("consent-error-attempt")));
    }
    let (_, consent) = super::own(state, user_id, consent_id).await?;
    if !consent.authorised() {
        return Err(AppError::invalid("amount", t("consent-error-not-authorised")));
    }
    if let Some(limit) = consent.max_individual.as_ref().filter(|l| minor > l.minor) {
        return Err(AppError::invalid(
            "amount",
            t_with(
                "consent-error-over-individual",
                &[("limit", arg(limit.grouped())), ("currency", arg(&consent.currency))],
            ),
        ));
    }

    let stored =
        consents::begin_attempt(&state.db, attempt, user_id, &consent.consent_id, minor, &consent.currency)
            .await?;
    if stored.user_id != *user_id {
        return Err(AppError::Forbidden);
    }
    if stored.consent_id != consent.consent_id {
        return Err(AppError::invalid("request", t("consent-error-attempt")));
    }
    let payment = |status: ConsentPaymentStatus, payment_id: Option<String>| ConsentPayment {
        payment_id,
        amount: Money::new(stored.amount_minor, stored.currency.clone()),
        status,
        code: None,
        created_at: crate::server::db::now(),
    };
    match stored.status.as_str() {
        // Already answered: the same attempt again is the same payment, nothing is resent.
        "SENT" => return Ok(payment(ConsentPaymentStatus::Created, stored.payment_id.clone())),
        "REFUSED" => {
            return Err(super::plain(LeanError::Api {
                http: 400,
                code: stored.error_code.clone().unwrap_or_default(),
                message: String::new(),
            }))
        }
        _ => {}
    }
    if stored.amount_minor != minor {
        // An unanswered attempt is repeated as it was, never changed: Lean keys it by its key.
        let unfinished = Money::new(stored.amount_minor, &stored.currency);
        let args = [("amount", arg(unfinished.grouped())), ("currency", arg(&stored.currency))];
        return Err(AppError::invalid("amount", t_with("consent-error-unfinished", &args)));
    }
    let body = serde_json::json!({
        "consent_id": consent.consent_id,
        "amount": wire_number(stored.amount_minor),
        "reference": consent.reference,
        "risk_details": { "transaction_indicators": { "channel": "WEB" } },
    });
    let sent = state.lean.for_user(user_id).create_aof_payment(&body, &stored.idempotency_key).await;
    let notify = || async {
        let event = LiveEvent::ConsentChanged {
            consent_id: consent.consent_id.clone(),
            status: consent.status.clone(),
        };
        if let Err(e) = state.bus.publish(&state.db, user_id, &event).await {
            tracing::warn!(error = %e, "could not publish a consent payment");
        }
    };
    match sent {
        Ok(v) => {
            let text = |k: &str| v.get(k).and_then(serde_json::Value::as_str).map(str::to_owned);
            let payment_id = text("id").ok_or_else(|| internal("AoF payment without an id"))?;
            let status =
                text("status").map_or(ConsentPaymentStatus::Created, |s| ConsentPaymentStatus::parse(&s));
            consents::attempt_sent(&state.db, &stored, &payment_id, &status).await?;
            notify().await;
            Ok(payment(status, Some(payment_id)))
        }
        // A 4xx is Lean's considered "no": nothing was paid, and the attempt is closed.
        Err(e @ LeanError::Api { http: 400..=499, .. }) => {
            consents::attempt_refused(&state.db, &stored.id, e.code().unwrap_or_default()).await?;
            notify().await;
            Err(super::plain(e))
        }
        // No answer: the attempt stays open, and "Pay now" repeats it with the same key.
        Err(e) => Err(e.into()),
    }
}
