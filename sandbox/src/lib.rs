//! lean-sandbox: a local fake of Lean's API, Link SDK loader and webhooks.
//!
//! CONTRACT used by the merchant app (keep these signatures stable):
//! `Sandbox::start(SandboxConfig) -> Result<Sandbox>`, `Sandbox::base_url()`,
//! `Sandbox::credentials()`, `Sandbox::loader_url()`, `Sandbox::shutdown()`.

mod api;
mod app;
mod auth;
mod banks;
mod data;
mod error;
mod faults;
mod link;
mod payments;
mod permissions;
mod state;
mod users;
mod webhooks;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use tokio_util::sync::CancellationToken;

pub use link::Region;
pub use state::FLUSH_EVERY;

/// How to start a sandbox. `addr` may use port 0.
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    pub addr: SocketAddr,
    /// JSON file holding all sandbox state; created if missing, replaced atomically on change
    /// (webhook delivery progress within `FLUSH_EVERY`, everything else at once).
    pub state_path: PathBuf,
    /// Override the application's credentials; when `None`, the persisted (or newly generated) ones are used.
    pub app_token: Option<String>,
    pub client_secret: Option<String>,
    pub webhook_secret: Option<String>,
    /// Where signed webhooks are POSTed; `None` = don't deliver (still logged).
    pub webhook_url: Option<String>,
    /// Multiplies Lean's 1, 2, 5, 10, 60, 180-minute retry schedule (tests use e.g. 0.0005).
    pub retry_scale: f64,
    /// The address browsers reach this sandbox at, when it is not the one it listens on: a hosted demo
    /// serves it through a proxy under its own https host name. Bank logos, the loader and the Link
    /// page are named by it; `None` = the listening address.
    pub public_url: Option<String>,
}

/// The application registration a developer would copy from Lean's dashboard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    pub app_token: String,
    pub client_secret: String,
    pub webhook_secret: String,
}

pub struct Sandbox {
    base_url: String,
    public_url: String,
    credentials: Credentials,
    cancel: CancellationToken,
    server: tokio::task::JoinHandle<()>,
    app: Arc<app::App>,
}

impl Sandbox {
    pub async fn start(config: SandboxConfig) -> anyhow::Result<Sandbox> {
        let store = state::Store::open(
            &config.state_path,
            state::CredentialOverrides {
                app_token: config.app_token.clone(),
                client_secret: config.client_secret.clone(),
                webhook_secret: config.webhook_secret.clone(),
            },
        )
        .with_context(|| format!("opening sandbox state {}", config.state_path.display()))?;

        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("binding {}", config.addr))?;
        let local = listener.local_addr()?;
        let base_url = format!("http://{}", display_addr(local));
        let public_url = config
            .public_url
            .as_deref()
            .map(|u| u.trim_end_matches('/').to_owned())
            .unwrap_or(base_url.clone());

        let cancel = CancellationToken::new();
        // What the sandbox writes into its answers (logos, token audiences) is what browsers can reach.
        let app = app::App::new(store, public_url.clone(), &config, cancel.clone())?;
        let credentials = app.credentials();

        // Events that were still being retried when the previous process stopped carry on.
        app.webhooks.resume_pending(&app);
        // Payment cool-offs and bank verdicts that were still running carry on too.
        payments::timers::resume(&app);

        let router = app::router(app.clone());
        // API fault injection (`/sandbox/scenarios/faults`); skips /sandbox, /link and /health.
        let router = faults::layer(router, app.clone());
        let shutdown = cancel.clone();
        let server = tokio::spawn(async move {
            let result = axum::serve(listener, router)
                .with_graceful_shutdown(async move { shutdown.cancelled().await })
                .await;
            if let Err(err) = result {
                tracing::error!(%err, "lean-sandbox server stopped with an error");
            }
        });

        Ok(Sandbox { base_url, public_url, credentials, cancel, server, app })
    }
    /// e.g. `http://127.0.0.1:4010` (no trailing slash): where it listens. Auth and API share this origin.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }
    /// Where browsers reach it: `SandboxConfig::public_url`, or else [`Sandbox::base_url`].
    pub fn public_url(&self) -> String {
        self.public_url.clone()
    }
    pub fn credentials(&self) -> Credentials {
        self.credentials.clone()
    }
    /// `{public_url}/link/loader/prod/ae/latest/lean-link-loader.min.js`
    pub fn loader_url(&self) -> String {
        format!("{}{}", self.public_url, link::LOADER_PATH)
    }
    /// The loader of `region`: the KSA one makes Link list the Saudi banks.
    pub fn loader_url_in(&self, region: Region) -> String {
        format!("{}{}", self.public_url, region.loader_path())
    }
    /// Stops accepting connections and waits for the server task to end.
    pub async fn shutdown(self) {
        self.cancel.cancel();
        if let Err(err) = self.server.await {
            tracing::warn!(%err, "lean-sandbox server task did not end cleanly");
        }
        // Delivery tasks watch the same token; wait for them so nothing writes state after we return.
        self.app.webhooks.wait_idle().await;
        // Batched delivery progress is written now rather than at the flusher's next tick.
        if let Err(err) = self.app.store.flush() {
            tracing::error!(%err, "could not write sandbox state on shutdown");
        }
    }
}

/// Browsers treat `0.0.0.0` as not-an-origin, so a wildcard bind advertises loopback instead.
fn display_addr(addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        format!("127.0.0.1:{}", addr.port())
    } else {
        addr.to_string()
    }
}

/// The credentials persisted in a sandbox state file, or `None` when there is no file yet. For tools
/// that run beside a sandbox without starting one (e.g. the merchant app's `webhook send` command).
pub fn stored_credentials(state_path: &std::path::Path) -> anyhow::Result<Option<Credentials>> {
    #[derive(serde::Deserialize)]
    struct OnlyApplication {
        application: state::Application,
    }
    let bytes = match std::fs::read(state_path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let parsed: OnlyApplication = serde_json::from_slice(&bytes)?;
    Ok(Some(Credentials {
        app_token: parsed.application.app_token,
        client_secret: parsed.application.client_secret,
        webhook_secret: parsed.application.webhook_secret,
    }))
}
