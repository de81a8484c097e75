use serde::{Deserialize, Serialize};

/// One line of a diagnostics report: did the check pass, and what to do if not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub ok: bool,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setting {
    pub name: String,
    /// Whether it is set. Values are never reported.
    pub set: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastWebhook {
    pub event_type: String,
    pub event_id: String,
    pub received_at: String,
}

/// What `lean-merchant check` prints and `/diagnostics` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostics {
    pub lean_env: String,
    pub settings: Vec<Setting>,
    pub database: Check,
    pub lean: Check,
    pub webhook_url: String,
    /// Open Finance success and fail redirect URLs, to register in Lean's dashboard.
    pub redirect_urls: Vec<String>,
    pub last_webhook: Option<LastWebhook>,
}

impl Diagnostics {
    pub fn ok(&self) -> bool {
        self.database.ok && self.lean.ok
    }
}
