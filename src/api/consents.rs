//! The consents page's server functions (see `server::consents`).

// `create_consent` takes one argument per form field (so its `ActionForm` works before hydration);
// the `#[server]` macro's generated client and server functions cannot carry an item-level allow.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::model::{AppError, Consent, ConsentLaunch, ConsentPayment, ConsentsOverview, Destination};

/// The user's payment destinations and consents.
#[server(endpoint = "consents_overview")]
pub async fn fetch_consents() -> Result<ConsentsOverview, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::consents::overview(&state, &user_id).await
    })
    .await
}

/// The user's consents alone, for the consents page's list.
#[server(endpoint = "consents_list")]
pub async fn fetch_consent_list() -> Result<Vec<Consent>, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::consents::list(&state, &user_id).await
    })
    .await
}

/// The user's payment destinations alone, for the new-consent form.
#[server(endpoint = "consent_destinations")]
pub async fn fetch_consent_destinations() -> Result<Vec<Destination>, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::consents::destinations(&state, &user_id).await
    })
    .await
}

/// One of the user's consents (the redirect landing page), with Lean's current status.
#[server(endpoint = "consent_details")]
pub async fn fetch_consent(consent_id: String) -> Result<Consent, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::consents::details(&state, &user_id, &consent_id).await
    })
    .await
}

/// Creates an Account-on-File consent at Lean with the control parameters the user chose. Amounts are
/// decimals in the consent's currency; blank limits are left out.
#[server(endpoint = "create_consent")]
pub async fn create_consent(
    destination_id: String,
    currency: String,
    reference: String,
    purpose: String,
    period_type: String,
    max_individual: String,
    max_per_period: String,
    max_payments_per_period: String,
    max_total: String,
    max_payments: String,
    expiry_date: String,
    emirates_id: String,
) -> Result<Consent, AppError> {
    use crate::server::consents::{create, ConsentForm};
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        let form = ConsentForm {
            destination_id: &destination_id,
            currency: &currency,
            reference: &reference,
            purpose: &purpose,
            period_type: &period_type,
            max_individual: &max_individual,
            max_per_period: &max_per_period,
            max_payments_per_period: &max_payments_per_period,
            max_total: &max_total,
            max_payments: &max_payments,
            expiry_date: &expiry_date,
            emirates_id: &emirates_id,
        };
        create(&state, &user_id, form).await
    })
    .await
}

/// Everything `Lean.authorizeConsent` needs for one of the user's consents awaiting authorisation.
#[server(endpoint = "launch_consent")]
pub async fn launch_consent(consent_id: String) -> Result<ConsentLaunch, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::consents::authorize_launch(&state, &user_id, &consent_id).await
    })
    .await
}

/// Pays `amount` against one of the user's authorised consents, server to server; `attempt` makes a
/// repeated click the same payment (see `server::consents::pay`).
#[server(endpoint = "pay_with_consent")]
pub async fn pay_with_consent(
    consent_id: String,
    amount: String,
    attempt: String,
) -> Result<ConsentPayment, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::consents::pay(&state, &user_id, &consent_id, &amount, &attempt).await
    })
    .await
}

/// Revokes one of the user's authorised consents at Lean.
#[server(endpoint = "revoke_consent")]
pub async fn revoke_consent(consent_id: String) -> Result<Consent, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::consents::revoke(&state, &user_id, &consent_id).await
    })
    .await
}
