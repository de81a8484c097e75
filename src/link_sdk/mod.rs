//! Typed bindings to the Link SDK's `window.Lean` (loaded by the page shell from the configured
//! loader URL). Browser-only: on the server these functions report that the SDK is unavailable.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{CallbackData, LaunchConfig, PaymentLaunch};

mod consents;
mod verify_address;
pub use consents::*;
pub use verify_address::{verify_address, VerifyAddressConfig};

/// The fields every Link SDK method takes (REFERENCE §9.1–9.4), flattened into each method's config.
#[derive(Debug, Clone, Serialize)]
pub struct Shared<'a> {
    pub app_token: &'a str,
    pub access_token: &'a str,
    pub sandbox: bool,
    pub language: &'a str,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub customization: &'a BTreeMap<String, String>,
}

/// The launch payloads from the server all carry the shared fields under the same names.
macro_rules! shared_from {
    ($($launch:ty),*) => {$(
        impl<'a> From<&'a $launch> for Shared<'a> {
            fn from(l: &'a $launch) -> Self {
                Shared {
                    app_token: &l.app_token,
                    access_token: &l.access_token,
                    sandbox: l.sandbox,
                    language: &l.language,
                    customization: &l.customization,
                }
            }
        }
    )*};
}
shared_from!(LaunchConfig, PaymentLaunch, crate::model::ConsentLaunch);

/// `Lean.connect` config (REFERENCE §9.1). Field names are Lean's.
#[derive(Debug, Clone, Serialize)]
pub struct ConnectConfig<'a> {
    #[serde(flatten)]
    pub shared: Shared<'a>,
    pub customer_id: &'a str,
    pub permissions: &'a [String],
}

impl<'a> From<&'a LaunchConfig> for ConnectConfig<'a> {
    fn from(c: &'a LaunchConfig) -> Self {
        ConnectConfig { shared: Shared::from(c), customer_id: &c.customer_id, permissions: &c.permissions }
    }
}

/// `Lean.reconnect` config (REFERENCE §9.1).
#[derive(Debug, Clone, Serialize)]
pub struct ReconnectConfig<'a> {
    #[serde(flatten)]
    pub shared: Shared<'a>,
    pub reconnect_id: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SdkError {
    #[error("The Lean Link SDK did not load. Check your connection and reload the page.")]
    NotLoaded,
    #[error("The Lean Link SDK refused to start: {0}")]
    Launch(String),
}

#[cfg(feature = "hydrate")]
mod browser {
    use js_sys::{Function, Reflect, JSON};
    use wasm_bindgen::prelude::*;

    use super::SdkError;
    use crate::model::CallbackData;

    /// Calls `window.Lean[method](config)` with `callback` attached.
    pub fn launch(
        method: &str,
        config: &impl serde::Serialize,
        callback: impl FnOnce(CallbackData) + 'static,
    ) -> Result<(), SdkError> {
        let window = web_sys::window().ok_or(SdkError::NotLoaded)?;
        let lean = Reflect::get(&window, &JsValue::from_str("Lean")).map_err(|_| SdkError::NotLoaded)?;
        if lean.is_undefined() || lean.is_null() {
            return Err(SdkError::NotLoaded);
        }
        let func: Function = Reflect::get(&lean, &JsValue::from_str(method))
            .ok()
            .and_then(|f| f.dyn_into().ok())
            .ok_or(SdkError::NotLoaded)?;

        let json = serde_json::to_string(config).map_err(|e| SdkError::Launch(e.to_string()))?;
        let js_config = JSON::parse(&json).map_err(|_| SdkError::Launch("config is not JSON".into()))?;
        let on_done = Closure::once_into_js(move |data: JsValue| callback(decode(data)));
        Reflect::set(&js_config, &JsValue::from_str("callback"), &on_done)
            .map_err(|_| SdkError::Launch("cannot attach the callback".into()))?;
        func.call1(&lean, &js_config)
            .map(|_| ())
            .map_err(|e| SdkError::Launch(e.as_string().unwrap_or_else(|| format!("{e:?}"))))
    }

    /// CallbackData arrives as a plain JS object; anything unreadable becomes an ERROR outcome.
    fn decode(data: JsValue) -> CallbackData {
        JSON::stringify(&data)
            .ok()
            .and_then(|s| s.as_string())
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_else(|| CallbackData {
                status: "ERROR".into(),
                message: Some(crate::i18n::t("sdk-unreadable-callback")),
                ..Default::default()
            })
    }
}

/// Launches `Lean.connect`; `callback` gets the CallbackData when the SDK closes.
pub fn connect(config: &LaunchConfig, callback: impl FnOnce(CallbackData) + 'static) -> Result<(), SdkError> {
    launch_method("connect", &ConnectConfig::from(config), callback)
}

/// Launches `Lean.reconnect` for the config's `reconnect_id`.
pub fn reconnect(
    config: &LaunchConfig,
    callback: impl FnOnce(CallbackData) + 'static,
) -> Result<(), SdkError> {
    let Some(reconnect_id) = config.reconnect_id.as_deref() else {
        return Err(SdkError::Launch("no reconnect_id".into()));
    };
    let js = ReconnectConfig { shared: Shared::from(config), reconnect_id };
    launch_method("reconnect", &js, callback)
}

/// `Lean.pay` config (REFERENCE §9.1): the customer picks the account to pay from.
#[derive(Debug, Clone, Serialize)]
pub struct PayConfig<'a> {
    #[serde(flatten)]
    pub shared: Shared<'a>,
    pub payment_intent_id: &'a str,
}

/// `Lean.checkout` config (REFERENCE §6.4, §7): Open Finance single instant payment with redirects.
#[derive(Debug, Clone, Serialize)]
pub struct CheckoutConfig<'a> {
    #[serde(flatten)]
    pub shared: Shared<'a>,
    pub customer_id: &'a str,
    pub payment_intent_id: &'a str,
    pub success_redirect_url: &'a str,
    pub fail_redirect_url: &'a str,
}

/// What Lean appended to the redirect URL (REFERENCE §7.2 step 3), passed on to `captureRedirect`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct RedirectParams {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consent_attempt_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consent_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub granular_status_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_additional_info: Option<String>,
}

/// `Lean.captureRedirect` config (REFERENCE §7.2 step 4).
#[derive(Debug, Clone, Serialize)]
pub struct CaptureRedirectConfig<'a> {
    #[serde(flatten)]
    pub shared: Shared<'a>,
    pub customer_id: &'a str,
    #[serde(flatten)]
    pub params: &'a RedirectParams,
}

/// `Lean.createPaymentSource` / `updatePaymentSource` / `createBeneficiary` config.
#[derive(Debug, Clone, Serialize)]
pub struct PaymentSourceConfig<'a> {
    #[serde(flatten)]
    pub shared: Shared<'a>,
    pub customer_id: &'a str,
    pub payment_destination_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_source_id: Option<&'a str>,
}

/// Calls `window.Lean[method]` in the browser; on the server there is no SDK.
pub(crate) fn launch_method(
    method: &str,
    config: &impl Serialize,
    callback: impl FnOnce(CallbackData) + 'static,
) -> Result<(), SdkError> {
    #[cfg(feature = "hydrate")]
    {
        browser::launch(method, config, callback)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (method, config, callback);
        Err(SdkError::NotLoaded)
    }
}

/// Launches `Lean.pay` for a payment intent.
pub fn pay(launch: &PaymentLaunch, callback: impl FnOnce(CallbackData) + 'static) -> Result<(), SdkError> {
    let js = PayConfig { shared: Shared::from(launch), payment_intent_id: &launch.payment_intent_id };
    launch_method("pay", &js, callback)
}

/// Launches `Lean.checkout`; the callback gets REDIRECT, then the browser goes to a redirect URL.
pub fn checkout(
    launch: &PaymentLaunch,
    callback: impl FnOnce(CallbackData) + 'static,
) -> Result<(), SdkError> {
    let js = CheckoutConfig {
        shared: Shared::from(launch),
        customer_id: &launch.customer_id,
        payment_intent_id: &launch.payment_intent_id,
        success_redirect_url: &launch.success_redirect_url,
        fail_redirect_url: &launch.fail_redirect_url,
    };
    launch_method("checkout", &js, callback)
}

/// Launches `Lean.captureRedirect` with what Lean put on the redirect URL.
pub fn capture_redirect(
    config: &LaunchConfig,
    params: &RedirectParams,
    callback: impl FnOnce(CallbackData) + 'static,
) -> Result<(), SdkError> {
    let js = CaptureRedirectConfig { shared: Shared::from(config), customer_id: &config.customer_id, params };
    launch_method("captureRedirect", &js, callback)
}

fn payment_source_config<'a>(
    config: &'a LaunchConfig,
    payment_destination_id: &'a str,
    payment_source_id: Option<&'a str>,
) -> PaymentSourceConfig<'a> {
    PaymentSourceConfig {
        shared: Shared::from(config),
        customer_id: &config.customer_id,
        payment_destination_id,
        payment_source_id,
    }
}

/// Launches `Lean.createPaymentSource` (deprecated by Lean in favour of Open Finance `checkout`).
pub fn create_payment_source(
    config: &LaunchConfig,
    payment_destination_id: &str,
    callback: impl FnOnce(CallbackData) + 'static,
) -> Result<(), SdkError> {
    launch_method(
        "createPaymentSource",
        &payment_source_config(config, payment_destination_id, None),
        callback,
    )
}

/// Launches `Lean.updatePaymentSource`: adds a destination as a beneficiary of a payment source.
pub fn update_payment_source(
    config: &LaunchConfig,
    payment_destination_id: &str,
    payment_source_id: Option<&str>,
    callback: impl FnOnce(CallbackData) + 'static,
) -> Result<(), SdkError> {
    let js = payment_source_config(config, payment_destination_id, payment_source_id);
    launch_method("updatePaymentSource", &js, callback)
}

/// Launches `Lean.createBeneficiary`: like `updatePaymentSource`, adds a destination as a beneficiary.
pub fn create_beneficiary(
    config: &LaunchConfig,
    payment_destination_id: &str,
    payment_source_id: Option<&str>,
    callback: impl FnOnce(CallbackData) + 'static,
) -> Result<(), SdkError> {
    let js = payment_source_config(config, payment_destination_id, payment_source_id);
    launch_method("createBeneficiary", &js, callback)
}
