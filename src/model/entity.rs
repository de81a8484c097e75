use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityStatus {
    Active,
    ReconnectRequired,
    ConsentExpired,
    Deleted,
}

impl EntityStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityStatus::Active => "active",
            EntityStatus::ReconnectRequired => "reconnect_required",
            EntityStatus::ConsentExpired => "consent_expired",
            EntityStatus::Deleted => "deleted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "active" => EntityStatus::Active,
            "reconnect_required" => EntityStatus::ReconnectRequired,
            "consent_expired" => EntityStatus::ConsentExpired,
            "deleted" => EntityStatus::Deleted,
            _ => return None,
        })
    }
}

/// A bank's name in Lean's two languages (`GET /banks/v1`: `name`, `arabic_name`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankName {
    pub name: String,
    pub arabic_name: Option<String>,
}

/// `english` or, on an Arabic page, Lean's Arabic name when it has one.
pub fn bank_name_shown<'a>(english: &'a str, arabic: Option<&'a str>) -> &'a str {
    match (crate::i18n::lang(), arabic) {
        (crate::i18n::Lang::Ar, Some(ar)) if !ar.is_empty() => ar,
        _ => english,
    }
}

/// A bank connection (Lean "entity") as our database knows it from webhooks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    pub id: super::EntityId,
    pub bank_identifier: String,
    pub bank_name: String,
    /// Lean's Arabic name for the bank (from its bank list), shown on Arabic pages.
    pub bank_arabic_name: Option<String>,
    pub bank_logo: Option<String>,
    pub main_color: Option<String>,
    pub background_color: Option<String>,
    pub permissions: Vec<String>,
    pub status: EntityStatus,
    /// Last state of the data refresh Lean reported (`PENDING`, `FINISHED`, ...).
    pub refresh_status: Option<String>,
    pub created_at: String,
}

impl Entity {
    /// The bank's name in the page's language.
    pub fn shown_bank_name(&self) -> &str {
        bank_name_shown(&self.bank_name, self.bank_arabic_name.as_deref())
    }
}
