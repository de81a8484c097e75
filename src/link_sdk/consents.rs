//! `Lean.authorizeConsent` and `Lean.manageConsents` (REFERENCE §6.5, §7.4).

use std::collections::BTreeMap;

use serde::Serialize;

use super::{launch_method, SdkError};
use crate::model::{CallbackData, ConsentLaunch, LaunchConfig};

/// `Lean.authorizeConsent` config: the customer picks a bank, logs in and authorises the consent at
/// the bank; the callback gets REDIRECT and the browser goes to one of the redirect URLs.
#[derive(Debug, Clone, Serialize)]
pub struct AuthorizeConsentConfig<'a> {
    pub app_token: &'a str,
    pub customer_id: &'a str,
    pub consent_id: &'a str,
    pub access_token: &'a str,
    pub success_redirect_url: &'a str,
    pub fail_redirect_url: &'a str,
    pub sandbox: bool,
    pub language: &'a str,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub customization: &'a BTreeMap<String, String>,
}

/// `Lean.manageConsents` config: Lean's own screen where the customer reviews and revokes consents.
#[derive(Debug, Clone, Serialize)]
pub struct ManageConsentsConfig<'a> {
    pub app_token: &'a str,
    pub customer_id: &'a str,
    pub access_token: &'a str,
    pub sandbox: bool,
    pub language: &'a str,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub customization: &'a BTreeMap<String, String>,
}

/// Launches `Lean.authorizeConsent` for the launch's consent.
pub fn authorize_consent(
    launch: &ConsentLaunch,
    callback: impl FnOnce(CallbackData) + 'static,
) -> Result<(), SdkError> {
    let js = AuthorizeConsentConfig {
        app_token: &launch.app_token,
        customer_id: &launch.customer_id,
        consent_id: &launch.consent_id,
        access_token: &launch.access_token,
        success_redirect_url: &launch.success_redirect_url,
        fail_redirect_url: &launch.fail_redirect_url,
        sandbox: launch.sandbox,
        language: &launch.language,
        customization: &launch.customization,
    };
    launch_method("authorizeConsent", &js, callback)
}

/// Launches `Lean.manageConsents` for the config's customer.
pub fn manage_consents(
    config: &LaunchConfig,
    callback: impl FnOnce(CallbackData) + 'static,
) -> Result<(), SdkError> {
    let js = ManageConsentsConfig {
        app_token: &config.app_token,
        customer_id: &config.customer_id,
        access_token: &config.access_token,
        sandbox: config.sandbox,
        language: &config.language,
        customization: &config.customization,
    };
    launch_method("manageConsents", &js, callback)
}
