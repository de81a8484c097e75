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

/// A bank connection (Lean "entity") as our database knows it from webhooks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    pub id: super::EntityId,
    pub bank_identifier: String,
    pub bank_name: String,
    pub bank_logo: Option<String>,
    pub main_color: Option<String>,
    pub background_color: Option<String>,
    pub permissions: Vec<String>,
    pub status: EntityStatus,
    /// Last state of the data refresh Lean reported (`PENDING`, `FINISHED`, ...).
    pub refresh_status: Option<String>,
    pub created_at: String,
}
