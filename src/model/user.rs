use serde::{Deserialize, Serialize};

/// The signed-in user as the UI sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: super::UserId,
    pub email: String,
    /// Lean's customer id, once ensured at first sign-in.
    pub customer_id: Option<super::CustomerId>,
    /// May open `/diagnostics` (listed in ADMIN_EMAILS).
    pub is_admin: bool,
    /// May open the developer console `/console` (admins; everyone with the embedded sandbox).
    #[serde(default)]
    pub console: bool,
    /// The embedded sandbox is running, so `/sandbox` (the sandbox panel) exists.
    #[serde(default)]
    pub sandbox_panel: bool,
}
