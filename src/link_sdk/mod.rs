//! Typed bindings to the Link SDK's `window.Lean` (loaded by the page shell from the configured
//! loader URL). What the server sends for a flow becomes a [`Launch`]: one method with its config in
//! Lean's field names. Opening it is browser-only: on the server there is no SDK.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{BeneficiaryLaunch, CallbackData, ConnectLaunch, LaunchConfig, PayOptions, PaymentLaunch};

mod consents;
mod verify_address;
pub use consents::*;
pub use verify_address::VerifyAddressConfig;

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

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SdkError {
    #[error("The Lean Link SDK did not load. Check your connection and reload the page.")]
    NotLoaded,
    #[error("The Lean Link SDK refused to start: {0}")]
    Launch(String),
}

impl SdkError {
    /// What the UI shows when the Link SDK cannot start, in the current language.
    pub fn localized(&self) -> String {
        match self {
            SdkError::NotLoaded => crate::i18n::t("sdk-not-loaded"),
            SdkError::Launch(detail) => {
                crate::i18n::t_with("sdk-launch-refused", &[("detail", crate::i18n::arg(detail))])
            }
        }
    }
}

/// One `Lean.<method>` call with its config, written out as Lean's JSON. The method's name travels
/// with its config, so a flow's outcome is recorded under the method that was actually opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Launch {
    method: &'static str,
    /// A config that cannot be built (a reconnect without its id) is reported when opened, like a
    /// config Lean refuses.
    config: Result<String, SdkError>,
}

impl Launch {
    fn new(method: &'static str, config: &impl Serialize) -> Self {
        let config = serde_json::to_string(config).map_err(|e| SdkError::Launch(e.to_string()));
        Launch { method, config }
    }

    /// Lean's name for the method (`connect`, `pay`, …).
    pub fn method(&self) -> &'static str {
        self.method
    }

    /// Calls `window.Lean[method](config)`; `callback` gets the CallbackData when the SDK closes.
    pub fn open(self, callback: impl FnOnce(CallbackData) + 'static) -> Result<(), SdkError> {
        let config = self.config?;
        #[cfg(feature = "hydrate")]
        {
            browser::launch(self.method, &config, callback)
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (config, callback);
            Err(SdkError::NotLoaded)
        }
    }

    /// `Lean.connect`.
    pub fn connect(config: &LaunchConfig) -> Self {
        Launch::new("connect", &ConnectConfig::from(config))
    }

    /// `Lean.connect` with the optional fields the person chose.
    pub fn connect_with(launch: &ConnectLaunch) -> Self {
        let js = ConnectConfig { options: Some(&launch.options), ..ConnectConfig::from(&launch.config) };
        Launch::new("connect", &js)
    }

    /// `Lean.reconnect` for the config's `reconnect_id`.
    pub fn reconnect(config: &LaunchConfig) -> Self {
        match config.reconnect_id.as_deref() {
            Some(reconnect_id) => {
                Launch::new("reconnect", &ReconnectConfig { shared: Shared::from(config), reconnect_id })
            }
            None => Launch { method: "reconnect", config: Err(SdkError::Launch("no reconnect_id".into())) },
        }
    }

    /// `Lean.pay` for a payment intent.
    pub fn pay(launch: &PaymentLaunch) -> Self {
        // Lean.pay takes one of the two: a bulk is paid by its own id.
        let bulk = launch.bulk_payment_intent_id.as_deref();
        let js = PayConfig {
            shared: Shared::from(launch),
            payment_intent_id: bulk.is_none().then(|| launch.payment_intent_id.as_str()),
            bulk_payment_intent_id: bulk,
            options: &launch.options,
        };
        Launch::new("pay", &js)
    }

    /// `Lean.checkout`: the callback gets REDIRECT, then the browser goes to a redirect URL.
    pub fn checkout(launch: &PaymentLaunch) -> Self {
        let js = CheckoutConfig {
            shared: Shared::from(launch),
            customer_id: launch.customer_id.as_str(),
            payment_intent_id: launch.payment_intent_id.as_str(),
            success_redirect_url: &launch.success_redirect_url,
            fail_redirect_url: &launch.fail_redirect_url,
            options: &launch.options,
        };
        Launch::new("checkout", &js)
    }

    /// `Lean.captureRedirect` with what Lean put on the redirect URL.
    pub fn capture_redirect(config: &LaunchConfig, params: &RedirectParams) -> Self {
        let js = CaptureRedirectConfig {
            shared: Shared::from(config),
            customer_id: config.customer_id.as_str(),
            params,
        };
        Launch::new("captureRedirect", &js)
    }

    /// `Lean.createPaymentSource` (deprecated by Lean in favour of Open Finance `checkout`), for the
    /// config and destination the server sent.
    pub fn create_payment_source((config, payment_destination_id): &(LaunchConfig, String)) -> Self {
        Launch::new("createPaymentSource", &PaymentSourceConfig::new(config, payment_destination_id, None))
    }

    /// `Lean.updatePaymentSource`: adds a destination as a beneficiary of a payment source.
    pub fn update_payment_source(launch: &BeneficiaryLaunch) -> Self {
        Launch::new("updatePaymentSource", &PaymentSourceConfig::for_beneficiary(launch))
    }

    /// `Lean.createBeneficiary`: like `updatePaymentSource`, adds a destination as a beneficiary.
    pub fn create_beneficiary(launch: &BeneficiaryLaunch) -> Self {
        Launch::new("createBeneficiary", &PaymentSourceConfig::for_beneficiary(launch))
    }
}

/// `Lean.connect` config (REFERENCE §9.1). Field names are Lean's.
#[derive(Debug, Clone, Serialize)]
pub struct ConnectConfig<'a> {
    #[serde(flatten)]
    pub shared: Shared<'a>,
    pub customer_id: &'a str,
    pub permissions: &'a [String],
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub options: Option<&'a crate::model::ConnectOptions>,
}

impl<'a> From<&'a LaunchConfig> for ConnectConfig<'a> {
    fn from(c: &'a LaunchConfig) -> Self {
        ConnectConfig {
            shared: Shared::from(c),
            customer_id: c.customer_id.as_str(),
            permissions: &c.permissions,
            options: None,
        }
    }
}

/// `Lean.reconnect` config (REFERENCE §9.1).
#[derive(Debug, Clone, Serialize)]
pub struct ReconnectConfig<'a> {
    #[serde(flatten)]
    pub shared: Shared<'a>,
    pub reconnect_id: &'a str,
}

/// `Lean.pay` config (REFERENCE §9.1): the customer picks the account to pay from.
#[derive(Debug, Clone, Serialize)]
pub struct PayConfig<'a> {
    #[serde(flatten)]
    pub shared: Shared<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_intent_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bulk_payment_intent_id: Option<&'a str>,
    #[serde(flatten)]
    pub options: &'a PayOptions,
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
    #[serde(flatten)]
    pub options: &'a PayOptions,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity_id: Option<&'a str>,
}

impl<'a> PaymentSourceConfig<'a> {
    fn new(
        config: &'a LaunchConfig,
        payment_destination_id: &'a str,
        payment_source_id: Option<&'a str>,
    ) -> Self {
        PaymentSourceConfig {
            shared: Shared::from(config),
            customer_id: config.customer_id.as_str(),
            payment_destination_id,
            payment_source_id,
            entity_id: None,
        }
    }

    fn for_beneficiary(l: &'a BeneficiaryLaunch) -> Self {
        PaymentSourceConfig {
            entity_id: l.entity_id.as_ref().map(|e| e.as_str()),
            ..PaymentSourceConfig::new(
                &l.config,
                l.payment_destination_id.as_str(),
                l.payment_source_id.as_ref().map(|s| s.as_str()),
            )
        }
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use js_sys::{Function, Reflect, JSON};
    use wasm_bindgen::prelude::*;

    use super::SdkError;
    use crate::model::CallbackData;

    /// Calls `window.Lean[method](config)` with `callback` attached; `config` is JSON text.
    pub fn launch(
        method: &str,
        config: &str,
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

        let js_config = JSON::parse(config).map_err(|_| SdkError::Launch("config is not JSON".into()))?;
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

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;

    fn config() -> LaunchConfig {
        LaunchConfig {
            app_token: "app".into(),
            customer_id: "c-1".into(),
            access_token: "tok".into(),
            sandbox: true,
            language: "en".into(),
            customization: BTreeMap::new(),
            permissions: vec!["payments".into()],
            reconnect_id: None,
        }
    }

    fn sent(launch: &Launch) -> Value {
        serde_json::from_str(launch.config.as_ref().unwrap()).unwrap()
    }

    #[test]
    fn a_payment_source_launch_names_lean_s_method_and_fields() {
        let shared = json!({ "app_token": "app", "access_token": "tok", "sandbox": true, "language": "en",
                             "customer_id": "c-1", "payment_destination_id": "d-1" });
        let create = Launch::create_payment_source(&(config(), "d-1".into()));
        assert_eq!(create.method(), "createPaymentSource");
        assert_eq!(sent(&create), shared);

        let beneficiary = BeneficiaryLaunch {
            config: config(),
            payment_destination_id: "d-1".into(),
            payment_source_id: Some("s-1".into()),
            entity_id: None,
        };
        let mut with_source = shared.clone();
        with_source["payment_source_id"] = json!("s-1");
        for launch in [Launch::update_payment_source(&beneficiary), Launch::create_beneficiary(&beneficiary)]
        {
            assert_eq!(sent(&launch), with_source);
        }
        assert_eq!(Launch::update_payment_source(&beneficiary).method(), "updatePaymentSource");
        assert_eq!(Launch::create_beneficiary(&beneficiary).method(), "createBeneficiary");

        // A bank connected for data only gains payments: the entity instead of a source.
        let upgrade =
            BeneficiaryLaunch { payment_source_id: None, entity_id: Some("e-1".into()), ..beneficiary };
        let mut with_entity = shared.clone();
        with_entity["entity_id"] = json!("e-1");
        assert_eq!(sent(&Launch::update_payment_source(&upgrade)), with_entity);
    }

    #[test]
    fn connect_options_travel_under_lean_s_names_and_unset_ones_stay_out() {
        let plain = sent(&Launch::connect(&config()));
        assert_eq!(plain.as_object().unwrap().len(), 6, "{plain}");
        let launch = ConnectLaunch {
            config: config(),
            options: crate::model::ConnectOptions {
                bank_identifier: Some("LEAN_MB1".into()),
                account_type: Some("BUSINESS".into()),
                access_from: Some("2026-01-01".into()),
                show_consent_explanation: true,
                destination_alias: Some("Acme".into()),
                ..Default::default()
            },
        };
        let js = sent(&Launch::connect_with(&launch));
        assert_eq!(js["bank_identifier"], "LEAN_MB1");
        assert_eq!(js["account_type"], "BUSINESS");
        assert_eq!(js["access_from"], "2026-01-01");
        assert_eq!(js["show_consent_explanation"], true);
        assert_eq!(js["destination_alias"], "Acme");
        assert_eq!(js["customer_id"], "c-1");
        for unset in ["access_to", "end_user_id", "customer_metadata", "destination_avatar"] {
            assert!(js.get(unset).is_none(), "{unset}: {js}");
        }
    }

    #[test]
    fn a_reconnect_without_its_id_is_refused_when_opened() {
        let launch = Launch::reconnect(&config());
        assert_eq!(launch.method(), "reconnect");
        assert_eq!(launch.open(|_| {}), Err(SdkError::Launch("no reconnect_id".into())));

        let with_id = LaunchConfig { reconnect_id: Some("r-1".into()), ..config() };
        assert_eq!(sent(&Launch::reconnect(&with_id))["reconnect_id"], "r-1");
    }
}
