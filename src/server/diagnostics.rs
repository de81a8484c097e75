//! The diagnostics report behind `lean-merchant check` and the admin-only `/diagnostics` page.
//! It says which settings are present (never their values), whether the database answers, whether
//! Lean accepts the credentials, and what to register in Lean's dashboard.

use super::config::Config;
use super::db::{webhook_events, Db};
use super::lean::LeanClient;
use crate::model::{Check, Diagnostics, LastWebhook, Setting};

/// Where Lean sends the user back after an Open Finance flow (`checkout`, `authorizeConsent`); both
/// must be registered in Lean's dashboard.
pub const REDIRECT_PATHS: [&str; 2] = ["/open-finance/success", "/open-finance/fail"];

pub const SETTINGS: &[&str] = &[
    "LEAN_ENV",
    "LEAN_REGION",
    "LEAN_APP_TOKEN",
    "LEAN_CLIENT_SECRET",
    "LEAN_WEBHOOK_SECRET",
    "LEAN_API_URL",
    "LEAN_AUTH_URL",
    "LEAN_LINK_LOADER_URL",
    "DATABASE_URL",
    "PUBLIC_URL",
    "ADMIN_EMAILS",
    "METRICS_TOKEN",
    "LEPTOS_SITE_ADDR",
];

pub fn settings() -> Vec<Setting> {
    SETTINGS
        .iter()
        .map(|name| Setting {
            name: (*name).to_owned(),
            set: std::env::var(name).is_ok_and(|v| !v.trim().is_empty()),
        })
        .collect()
}

/// `db` is the database if it opened (else the error); `lean` a client for the configured Lean.
pub async fn report(config: &Config, db: Result<&Db, String>, lean: Option<&LeanClient>) -> Diagnostics {
    let database = match db {
        Ok(_) => Check {
            ok: true,
            detail: format!("{} answers", config.database_url.split(':').next().unwrap_or("?")),
        },
        Err(ref e) => Check { ok: false, detail: format!("cannot be opened: {e}") },
    };
    let lean_check = match lean {
        None => Check { ok: false, detail: "no credentials to try".into() },
        Some(lean) => match lean.verify_credentials().await {
            Ok(()) => Check { ok: true, detail: format!("a token was minted ({})", config.lean_env_name()) },
            Err(e) => Check {
                ok: false,
                detail: format!(
                    "no token could be minted: {e}. Check LEAN_APP_TOKEN and LEAN_CLIENT_SECRET."
                ),
            },
        },
    };
    let last_webhook = match db {
        Ok(db) => webhook_events::latest(db)
            .await
            .ok()
            .flatten()
            .map(|(event_type, event_id, received_at)| LastWebhook { event_type, event_id, received_at }),
        Err(_) => None,
    };
    let base = config.base_url();
    Diagnostics {
        lean_env: config.lean_env_name().to_owned(),
        settings: settings(),
        database,
        lean: lean_check,
        webhook_url: format!("{base}/webhooks/lean"),
        redirect_urls: REDIRECT_PATHS.iter().map(|p| format!("{base}{p}")).collect(),
        last_webhook,
    }
}

/// Reads `GET /events/v1` now and stores what is missing. Returns (seen, new).
pub async fn catch_up_now(state: &crate::server::AppState) -> Result<(usize, usize), crate::model::AppError> {
    let r = crate::server::webhooks::catch_up::run_once(&state.db, &state.lean, &state.worker)
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "on-demand catch-up failed");
            crate::model::AppError::LeanUnavailable
        })?;
    Ok((r.seen, r.new))
}
