//! The payments page's server functions (see `server::payments`). The SDK callbacks are recorded with
//! `record_flow_outcome` for support.

use leptos::prelude::*;

pub use crate::model::{lean_payment_error, LEAN_PAYMENT_CODES};
use crate::model::{
    AppError, BeneficiaryLaunch, Destination, LaunchConfig, PaymentLaunch, PaymentRow, PaymentsOverview,
    VerifyAddressLaunch,
};

/// The user's payment destinations and payment history.
#[server(endpoint = "payments_overview")]
pub async fn fetch_payments() -> Result<PaymentsOverview, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::payments::overview(&state, &user_id).await
    })
    .await
}

/// Adds a payment destination owned by the user's Lean customer. The IBAN decides the country.
#[server(endpoint = "create_destination")]
pub async fn create_destination(
    name: String,
    display_name: String,
    iban: String,
) -> Result<Destination, AppError> {
    use crate::server::payments::{create_destination, NewDestination};
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        let form = NewDestination { name: &name, display_name: &display_name, iban: &iban };
        create_destination(&state, &user_id, form).await
    })
    .await
}

/// Creates a payment intent at Lean (exactly once: never retried) and stores it for the user.
#[server(endpoint = "create_payment")]
pub async fn create_payment(
    destination_id: String,
    amount: String,
    currency: String,
    description: String,
) -> Result<PaymentRow, AppError> {
    use crate::server::payments::{create_payment, NewPayment};
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        let form = NewPayment {
            destination_id: &destination_id,
            amount: &amount,
            currency: &currency,
            description: &description,
        };
        create_payment(&state, &user_id, form).await
    })
    .await
}

/// One of the user's payments, as the webhooks last described it.
#[server(endpoint = "payment_status")]
pub async fn payment_status(intent_id: String) -> Result<PaymentRow, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::payments::status(&state, &user_id, &intent_id).await
    })
    .await
}

/// Everything `Lean.pay` / `Lean.checkout` need for one of the user's intents.
/// With the options the person picked (each optional; `risk_details` is "on" to send them).
#[server(endpoint = "launch_payment")]
pub async fn launch_payment(
    intent_id: String,
    method: Option<String>,
    account_id: Option<String>,
    bank_identifier: Option<String>,
    customer_name: Option<String>,
    risk_details: Option<String>,
) -> Result<PaymentLaunch, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        let choice = crate::server::payments::PayChoice {
            method: method.as_deref().unwrap_or_default(),
            account_id: account_id.as_deref().unwrap_or_default(),
            bank_identifier: bank_identifier.as_deref().unwrap_or_default(),
            customer_name: customer_name.as_deref().unwrap_or_default(),
            risk_details: risk_details.as_deref() == Some("on"),
        };
        crate::server::payments::pay_launch(&state, &user_id, &intent_id, &choice).await
    })
    .await
}

/// Creates a bulk payment intent: one payment to each destination, with its amount, in one currency.
#[server(endpoint = "create_bulk_payment")]
pub async fn create_bulk_payment(
    destination_ids: Vec<String>,
    amounts: Vec<String>,
    currency: String,
) -> Result<Vec<PaymentRow>, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::payments::create_bulk_payment(&state, &user_id, &destination_ids, &amounts, &currency)
            .await
    })
    .await
}

/// Everything `Lean.pay` needs to pay one of the user's bulk payment intents at once, with the options
/// of a single `pay`.
#[server(endpoint = "launch_bulk_payment")]
pub async fn launch_bulk_payment(
    bulk_id: String,
    account_id: Option<String>,
    bank_identifier: Option<String>,
    risk_details: Option<String>,
) -> Result<PaymentLaunch, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        let choice = crate::server::payments::PayChoice {
            method: "pay",
            account_id: account_id.as_deref().unwrap_or_default(),
            bank_identifier: bank_identifier.as_deref().unwrap_or_default(),
            customer_name: "",
            risk_details: risk_details.as_deref() == Some("on"),
        };
        crate::server::payments::bulk_pay_launch(&state, &user_id, &bulk_id, &choice).await
    })
    .await
}

/// Everything `Lean.createPaymentSource` needs, adding the chosen destination as the beneficiary.
#[server(endpoint = "launch_payment_source")]
pub async fn launch_payment_source(destination_id: String) -> Result<(LaunchConfig, String), AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::payments::payment_source_launch(&state, &user_id, &destination_id).await
    })
    .await
}

/// Everything `Lean.updatePaymentSource` / `Lean.createBeneficiary` need; an empty
/// `payment_source_id` means the user's first source.
#[server(endpoint = "launch_beneficiary")]
pub async fn launch_beneficiary(
    destination_id: String,
    payment_source_id: String,
) -> Result<BeneficiaryLaunch, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::payments::beneficiary_launch(&state, &user_id, &destination_id, &payment_source_id)
            .await
    })
    .await
}

/// Everything `Lean.updatePaymentSource` needs to add payments to a bank the user connected for data
/// only, with the chosen destination as its first recipient.
#[server(endpoint = "launch_add_payments")]
pub async fn launch_add_payments(
    destination_id: String,
    entity_id: String,
) -> Result<BeneficiaryLaunch, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::payments::add_payments_launch(&state, &user_id, &destination_id, &entity_id).await
    })
    .await
}

/// The full name the app keeps for the signed-in user (for `verifyAddress`), if they gave one.
#[server(endpoint = "customer_name")]
pub async fn fetch_customer_name() -> Result<Option<String>, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        Ok(crate::server::db::profiles::full_name(&state.db, &user_id).await?)
    })
    .await
}

/// Keeps the signed-in user's full name, as their bank holds it. Sign-up asks only for an email, so
/// the payments page asks for the name the first time `verifyAddress` needs it.
#[server(endpoint = "save_customer_name")]
pub async fn save_customer_name(name: String) -> Result<String, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::payments::save_customer_name(&state, &user_id, &name).await
    })
    .await
}

/// Everything `Lean.verifyAddress` needs, with the name kept for this user.
#[server(endpoint = "launch_verify_address")]
pub async fn launch_verify_address() -> Result<VerifyAddressLaunch, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::payments::verify_address_launch(&state, &user_id).await
    })
    .await
}
