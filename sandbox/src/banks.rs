//! The mock banks the sandbox offers, shaped like Lean's `GET /banks/v1` items (REFERENCE §10).

use serde_json::{json, Value};

pub struct MockBank {
    pub identifier: &'static str,
    pub name: &'static str,
    pub arabic_name: &'static str,
    /// Two letters drawn on the generated SVG logo.
    pub initials: &'static str,
    pub main_color: &'static str,
    pub background_color: &'static str,
    pub theme: &'static str,
    pub country_code: &'static str,
    pub currency: &'static str,
    pub swift_code: Option<&'static str>,
    pub bank_type: &'static str,
    pub account_type: &'static str,
    pub connection_type: &'static str,
    pub traits: &'static [&'static str],
    /// Prefix for the mock IBANs handed out by this bank.
    pub iban_prefix: &'static str,
}

pub const BANKS: [MockBank; 5] = [
    MockBank {
        identifier: "LEAN_OF_RETAIL_UAE",
        name: "Lean Open Finance MockBank",
        arabic_name: "بنك لين التجريبي للتمويل المفتوح",
        initials: "OF",
        main_color: "#1beb75",
        background_color: "#ffffff",
        theme: "light",
        country_code: "ARE",
        currency: "AED",
        swift_code: None,
        bank_type: "RETAIL",
        account_type: "PERSONAL",
        connection_type: "OPEN_BANKING",
        traits: &["auth-redirect"],
        iban_prefix: "AE07",
    },
    MockBank {
        identifier: "LEAN_MB1",
        name: "Lean Mockbank",
        arabic_name: "بنك لين التجريبي",
        initials: "LM",
        main_color: "#4a3aff",
        background_color: "#ffffff",
        theme: "dark",
        country_code: "ARE",
        currency: "AED",
        swift_code: Some("LEANAEA1"),
        bank_type: "RETAIL",
        account_type: "PERSONAL",
        connection_type: "REVERSE_ENGINEERED",
        traits: &[],
        iban_prefix: "AE33",
    },
    MockBank {
        identifier: "LEAN_SME_MB1_UAE",
        name: "Lean SME Mockbank",
        arabic_name: "بنك لين التجريبي للشركات",
        initials: "SM",
        main_color: "#0f766e",
        background_color: "#ffffff",
        theme: "dark",
        country_code: "ARE",
        currency: "AED",
        swift_code: Some("LEANAEA2"),
        bank_type: "SME",
        account_type: "BUSINESS",
        connection_type: "REVERSE_ENGINEERED",
        traits: &[],
        iban_prefix: "AE46",
    },
    MockBank {
        identifier: "LEA1_SAMAOB_SAU",
        name: "Mockbank 1",
        arabic_name: "البنك التجريبي 1",
        initials: "M1",
        main_color: "#b45309",
        background_color: "#ffffff",
        theme: "dark",
        country_code: "SAU",
        currency: "SAR",
        swift_code: Some("MOCKSA01"),
        bank_type: "RETAIL",
        account_type: "PERSONAL",
        connection_type: "OPEN_BANKING",
        traits: &["auth-redirect"],
        iban_prefix: "SA03",
    },
    MockBank {
        identifier: "LEAN_SME_MB1_KSA",
        name: "Lean SME Mockbank KSA",
        arabic_name: "بنك لين التجريبي للشركات - السعودية",
        initials: "SK",
        main_color: "#be123c",
        background_color: "#ffffff",
        theme: "dark",
        country_code: "SAU",
        currency: "SAR",
        swift_code: Some("MOCKSA02"),
        bank_type: "SME",
        account_type: "BUSINESS",
        connection_type: "REVERSE_ENGINEERED",
        traits: &[],
        iban_prefix: "SA44",
    },
];

pub fn find(identifier: &str) -> Option<&'static MockBank> {
    BANKS.iter().find(|b| b.identifier == identifier)
}

impl MockBank {
    pub fn logo_url(&self, base_url: &str) -> String {
        format!("{base_url}/static/banks/{}.svg", self.identifier)
    }

    /// One item of `GET /banks/v1`.
    pub fn to_json(&self, base_url: &str) -> Value {
        let account_types: &[&str] = if self.account_type == "BUSINESS" {
            &["CURRENT", "SAVINGS"]
        } else {
            &["CURRENT", "SAVINGS", "CREDIT"]
        };
        json!({
            "identifier": self.identifier,
            "name": self.name,
            "arabic_name": self.arabic_name,
            "commercial_name": self.name,
            "commercial_name_arabic": self.arabic_name,
            "logo": self.logo_url(base_url),
            "logo_alt": self.logo_url(base_url),
            "main_color": self.main_color,
            "background_color": self.background_color,
            "theme": self.theme,
            "country_code": self.country_code,
            "swift_code": self.swift_code,
            "active": true,
            "mock": true,
            "traits": self.traits,
            "supported_account_types": account_types,
            "supported_account_sub_types": account_types,
            "bank_type": self.bank_type,
            "account_type": self.account_type,
            "connection_type": self.connection_type,
            "relates_to": null,
            "transfer_limits": [{"currency": self.currency, "min": 1, "max": 100000}],
            "international_transfer_limits": [],
            "international_destinations": [],
            "availability": {
                "active": {"payments": true, "data": true},
                "enabled": {"payments": true, "data": true}
            }
        })
    }

    /// `bank_details` inside entity webhooks (uae-entity.created.json).
    pub fn webhook_details(&self, base_url: &str) -> Value {
        json!({
            "logo": self.logo_url(base_url),
            "name": self.name,
            "bank_type": self.bank_type,
            "identifier": self.identifier,
            "main_color": self.main_color,
            "swift_code": self.swift_code,
            "account_type": self.account_type,
            "background_color": self.background_color,
        })
    }

    /// A rounded square in the bank colour with its initials; good enough to tell banks apart.
    pub fn logo_svg(&self) -> String {
        format!(
            concat!(
                r##"<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96" role="img" aria-label="{name}">"##,
                r##"<rect width="96" height="96" rx="22" fill="{color}"/>"##,
                r##"<text x="48" y="60" text-anchor="middle" font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" "##,
                r##"font-size="36" font-weight="700" fill="#ffffff">{initials}</text></svg>"##
            ),
            name = self.name,
            color = self.main_color,
            initials = self.initials,
        )
    }
}
