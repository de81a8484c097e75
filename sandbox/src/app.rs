//! Shared server state and the route table.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use tokio_util::sync::CancellationToken;

use crate::error::ApiError;
use crate::state::Store;
use crate::webhooks::Webhooks;
use crate::{api, link, Credentials, SandboxConfig};

pub struct App {
    pub store: Store,
    /// The origin everything is served from; also the JWT issuer and the Link UI origin.
    pub base_url: String,
    /// Owns the background work (deliveries, refresh simulation) stopped on shutdown.
    pub webhooks: Webhooks,
}

impl App {
    pub fn new(
        store: Store,
        base_url: String,
        config: &SandboxConfig,
        cancel: CancellationToken,
    ) -> anyhow::Result<Arc<App>> {
        let webhooks = Webhooks::new(config.webhook_url.clone(), config.retry_scale, cancel.clone())?;
        Ok(Arc::new(App { store, base_url, webhooks }))
    }

    pub fn credentials(&self) -> Credentials {
        self.store.read(|s| Credentials {
            app_token: s.application.app_token.clone(),
            client_secret: s.application.client_secret.clone(),
            webhook_secret: s.application.webhook_secret.clone(),
        })
    }
}

pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/health", get(|| async { "ok" }))
        .merge(api::routes())
        .merge(link::routes())
        .fallback(|| async {
            ApiError::new(StatusCode::NOT_FOUND, "INVALID_URL", "The requested URL does not exist.")
        })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "INVALID_HTTP_METHOD",
                "This HTTP method is not allowed on this URL.",
            )
        })
        .with_state(app)
}
