//! `Lean.authorizeConsent` and `Lean.manageConsents` (REFERENCE §6.5, §7.4).

use serde::Serialize;

use super::{Launch, Shared};
use crate::model::{ConsentLaunch, LaunchConfig};

/// `Lean.authorizeConsent` config: the customer picks a bank, logs in and authorises the consent at
/// the bank; the callback gets REDIRECT and the browser goes to one of the redirect URLs.
#[derive(Debug, Clone, Serialize)]
pub struct AuthorizeConsentConfig<'a> {
    #[serde(flatten)]
    pub shared: Shared<'a>,
    pub customer_id: &'a str,
    pub consent_id: &'a str,
    pub success_redirect_url: &'a str,
    pub fail_redirect_url: &'a str,
}

/// `Lean.manageConsents` config: Lean's own screen where the customer reviews and revokes consents.
#[derive(Debug, Clone, Serialize)]
pub struct ManageConsentsConfig<'a> {
    #[serde(flatten)]
    pub shared: Shared<'a>,
    pub customer_id: &'a str,
}

impl Launch {
    /// `Lean.authorizeConsent` for the launch's consent.
    pub fn authorize_consent(launch: &ConsentLaunch) -> Self {
        let js = AuthorizeConsentConfig {
            shared: Shared::from(launch),
            customer_id: launch.customer_id.as_str(),
            consent_id: launch.consent_id.as_str(),
            success_redirect_url: &launch.success_redirect_url,
            fail_redirect_url: &launch.fail_redirect_url,
        };
        Launch::new("authorizeConsent", &js)
    }

    /// `Lean.manageConsents` for the config's customer.
    pub fn manage_consents(config: &LaunchConfig) -> Self {
        let js =
            ManageConsentsConfig { shared: Shared::from(config), customer_id: config.customer_id.as_str() };
        Launch::new("manageConsents", &js)
    }
}
