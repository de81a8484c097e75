//! `Lean.verifyAddress` (REFERENCE §9.1): the customer logs in to their bank, which shares the account
//! holder's identity, and Lean compares it with `customer_name`.

use serde::Serialize;

use super::{Launch, Shared};
use crate::model::VerifyAddressLaunch;

/// `Lean.verifyAddress` config. Field names are Lean's.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyAddressConfig<'a> {
    #[serde(flatten)]
    pub shared: Shared<'a>,
    pub customer_id: &'a str,
    pub customer_name: &'a str,
    pub permissions: &'a [String],
}

impl<'a> From<&'a VerifyAddressLaunch> for VerifyAddressConfig<'a> {
    fn from(l: &'a VerifyAddressLaunch) -> Self {
        VerifyAddressConfig {
            shared: Shared::from(&l.config),
            customer_id: l.config.customer_id.as_str(),
            customer_name: &l.customer_name,
            permissions: &l.config.permissions,
        }
    }
}

impl Launch {
    /// `Lean.verifyAddress` with the name the server keeps for the user.
    pub fn verify_address(launch: &VerifyAddressLaunch) -> Self {
        Launch::new("verifyAddress", &VerifyAddressConfig::from(launch))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::model::LaunchConfig;

    #[test]
    fn the_config_carries_the_name_and_lean_field_names() {
        let launch = VerifyAddressLaunch {
            config: LaunchConfig {
                app_token: "app".into(),
                customer_id: "c-1".into(),
                access_token: "tok".into(),
                sandbox: true,
                language: "ar".into(),
                customization: BTreeMap::new(),
                permissions: vec!["identity".into()],
                reconnect_id: None,
            },
            customer_name: "Ahmed Al Mansouri".into(),
        };
        let json = serde_json::to_value(VerifyAddressConfig::from(&launch)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "app_token": "app", "customer_id": "c-1", "customer_name": "Ahmed Al Mansouri",
                "permissions": ["identity"], "access_token": "tok", "sandbox": true, "language": "ar",
            })
        );
    }
}
