use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use secrecy::SecretString;

use super::db::Db;
use super::lean::LeanClient;
use super::live::LiveBus;
use super::webhooks::Worker;

/// What the page shell needs to know about Lean; nothing secret.
#[derive(Clone, Debug)]
pub struct PublicConfig {
    pub loader_url: String,
    /// Passed to the SDK as `sandbox: true` (embedded sandbox and Lean's sandbox).
    pub sandbox: bool,
    /// Content-Security-Policy sources for pages.
    pub csp: super::security::Csp,
    /// The embedded sandbox's base URL (its scenario controls back the sandbox panel); None for real Lean.
    pub sandbox_url: Option<String>,
    /// The Link SDK's `customization`, passed with every launch.
    pub sdk_customization: std::collections::BTreeMap<String, String>,
}

/// Shared by every request; handed to server functions through context. One reference-counted
/// value: axum clones the state for every request (twice on the way to a handler), and cloning each
/// field (the Leptos options' strings among them) was a tenth of the webhook endpoint's own work in a
/// profile of a flood. The fields are reached through `Deref`.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> Self {
        AppState(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// leptos_axum finds the site's options in the state.
impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// What [`AppState`] holds.
pub struct Shared {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub lean: LeanClient,
    pub bus: LiveBus,
    pub worker: Worker,
    /// Stores verified webhooks, batching commits (see `webhooks::inbox`).
    pub inbox: super::webhooks::inbox::Inbox,
    pub webhook_secret: Arc<SecretString>,
    /// Behind an Arc: the state is cloned for every request (axum's `State`), and a deep copy of
    /// these strings showed in the webhook endpoint's profile.
    pub public: Arc<PublicConfig>,
    pub config: Arc<super::Config>,
    /// Cancelled when the server starts shutting down, so long-lived responses (live streams) end and
    /// the graceful shutdown does not wait on browsers.
    pub shutdown: tokio_util::sync::CancellationToken,
    /// Webhooks refused for their signature (not stored in the database), for the developer console.
    pub rejected_webhooks: super::webhooks::rejections::Rejections,
    /// Senders of signed test webhooks, so each sees their own in the console.
    pub test_webhook_owners: super::webhooks::test_owners::TestWebhookOwners,
    /// Sign-in and sign-up limits, and the bound on concurrent password hashing.
    pub throttle: Arc<super::security::throttle::SignInThrottle>,
}
