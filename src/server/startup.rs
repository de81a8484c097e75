//! Builds the whole server (database, Lean client, embedded sandbox, webhook worker, routes) so that
//! `main` stays thin and tests can start the real thing on port 0.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::Request;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use lean_sandbox::{Sandbox, SandboxConfig};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, handle_server_fns_with_context, LeptosRoutes};
use secrecy::{ExposeSecret, SecretString};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use super::config::{Config, LeanTarget};
use super::db::{self, sessions::DbSessionStore};
use super::lean::LeanClient;
use super::live::{pg_listen, sse, Fanout, LiveBus};
use super::observe;
use super::security::{self, Csp};
use super::state::{AppState, PublicConfig, Shared};
use super::webhooks::inbox::Inbox;
use super::webhooks::{catch_up, endpoint, Worker};
use crate::app::{shell, App};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "lean_merchant_session";

pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    sandbox: Option<Sandbox>,
    worker: JoinHandle<()>,
    background: Vec<JoinHandle<()>>,
}

impl Application {
    pub async fn build(mut config: Config) -> anyhow::Result<Application> {
        // Counted from the start: the facade drops what is recorded before a recorder exists.
        super::metrics::handle();
        let db = db::connect(&config.database_url).await?;
        let worker_db = db::connect_background(&config.database_url, &db).await?;
        // One process owns a SQLite file, so a claim found now belongs to a run that died mid-event.
        // With PostgreSQL other instances may be applying events right now: their claims time out instead.
        if config.database_url.starts_with("sqlite:") {
            let released = db::webhook_events::release_all_claims(&db).await?;
            if released > 0 {
                tracing::warn!(
                    events = released,
                    "events claimed by a run that stopped mid-event are applied again"
                );
            }
        }
        let (inbox, inbox_writer) = Inbox::start(db.clone(), config.database_url.starts_with("sqlite:"));
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on LEPTOS_SITE_ADDR {}: {e}", config.addr))?;
        let addr = listener.local_addr()?;
        // Port 0 becomes the real port: diagnostics and webhook URLs name the address actually served.
        config.addr = addr;
        let webhook_url = match &config.lean {
            // The embedded sandbox is in this process: it delivers over loopback, whatever name the
            // world knows the app by.
            LeanTarget::Embedded { .. } => format!("http://{}/webhooks/lean", loopback(addr)),
            LeanTarget::Remote(_) => format!(
                "{}/webhooks/lean",
                config.public_url.clone().unwrap_or_else(|| format!("http://{addr}"))
            ),
        };
        // A hosted demo (PUBLIC_URL, no LEAN_SANDBOX_PUBLIC_URL): browsers reach the sandbox through
        // this app's origin.
        let mut sandbox_through_app = false;

        let (lean, webhook_secret, public, sandbox) = match &config.lean {
            LeanTarget::Embedded {
                addr: sb_addr,
                state_path,
                retry_scale,
                app_token,
                client_secret,
                webhook_secret,
                region,
                public_url,
            } => {
                let browser_url = match (public_url, &config.public_url) {
                    (Some(own), _) => Some(own.clone()),
                    (None, Some(app)) => {
                        sandbox_through_app = true;
                        Some(app.clone())
                    }
                    (None, None) => None,
                };
                let sandbox = Sandbox::start(SandboxConfig {
                    addr: *sb_addr,
                    state_path: state_path.clone(),
                    app_token: app_token.clone(),
                    client_secret: client_secret.as_ref().map(|s| s.expose_secret().to_owned()),
                    webhook_secret: webhook_secret.as_ref().map(|s| s.expose_secret().to_owned()),
                    webhook_url: Some(webhook_url),
                    retry_scale: *retry_scale,
                    public_url: browser_url,
                })
                .await
                .map_err(|e| {
                    anyhow::anyhow!("cannot start the embedded sandbox on LEAN_SANDBOX_ADDR {sb_addr}: {e}")
                })?;
                let creds = sandbox.credentials();
                let base = sandbox.base_url();
                println!("lean-sandbox (embedded) listening on {base}");
                if sandbox.public_url() != base {
                    println!("lean-sandbox (embedded) reached by browsers at {}", sandbox.public_url());
                }
                let lean = LeanClient::new(
                    &base,
                    &base,
                    &creds.app_token,
                    SecretString::from(creds.client_secret),
                    db.clone(),
                );
                let public = PublicConfig {
                    loader_url: sandbox.loader_url_in(*region),
                    sandbox: true,
                    csp: Csp::sandbox(&sandbox.public_url()),
                    sandbox_url: Some(base.clone()),
                    sdk_customization: config.sdk_customization.clone(),
                };
                (lean, SecretString::from(creds.webhook_secret), public, Some(sandbox))
            }
            LeanTarget::Remote(r) => {
                let lean = LeanClient::new(
                    &r.api_url,
                    &r.auth_url,
                    &r.app_token,
                    r.client_secret.clone(),
                    db.clone(),
                );
                let public = PublicConfig {
                    loader_url: r.loader_url.clone(),
                    sandbox: r.sandbox,
                    csp: Csp::real_lean(&r.loader_url, config.csp_mode),
                    sandbox_url: None,
                    sdk_customization: config.sdk_customization.clone(),
                };
                (lean, r.webhook_secret.clone(), public, None)
            }
        };

        let leptos_options = LeptosOptions::builder()
            .output_name(std::env::var("LEPTOS_OUTPUT_NAME").unwrap_or_else(|_| "lean-merchant".into()))
            .site_root(config.site_root.clone())
            .site_pkg_dir("pkg")
            .site_addr(addr)
            .build();

        let state = AppState::new(Shared {
            leptos_options,
            db: db.clone(),
            lean,
            bus: LiveBus::new(if config.database_url.starts_with("postgres") {
                Fanout::Postgres
            } else {
                Fanout::Local
            }),
            worker: Worker::new(),
            inbox,
            webhook_secret: Arc::new(webhook_secret),
            public: Arc::new(public),
            config: Arc::new(config.clone()),
            shutdown: tokio_util::sync::CancellationToken::new(),
            rejected_webhooks: Default::default(),
            throttle: Default::default(),
            test_webhook_owners: Default::default(),
        });

        state.lean.publish_calls_to(state.bus.clone());
        let store = DbSessionStore::new(db.clone());
        let mut background =
            vec![inbox_writer, crate::server::live::console::start_webhook_rows(&state.bus, db.clone())];
        {
            let store = store.clone();
            background.push(tokio::spawn(async move {
                loop {
                    if let Err(e) = store.delete_expired().await {
                        tracing::warn!(error = %e, "session cleanup failed");
                    }
                    tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
                }
            }));
        }
        {
            let throttle = state.throttle.clone();
            background.push(tokio::spawn(async move {
                loop {
                    tokio::time::sleep(std::time::Duration::from_secs(60)).await;
                    throttle.forget_idle();
                }
            }));
        }
        let worker = tokio::spawn(state.worker.clone().run(
            worker_db,
            state.bus.clone(),
            state.lean.clone(),
            state.inbox.clone(),
            state.shutdown.clone(),
        ));
        background.push(tokio::spawn(catch_up::run_periodically(
            db,
            state.lean.clone(),
            state.worker.clone(),
            std::time::Duration::from_secs(600),
        )));

        if config.database_url.starts_with("postgres") {
            background.push(tokio::spawn(pg_listen::run(
                config.database_url.clone(),
                state.db.clone(),
                state.bus.clone(),
            )));
        }

        let sessions = SessionManagerLayer::new(store)
            .with_name(SESSION_COOKIE)
            .with_http_only(true)
            .with_same_site(SameSite::Lax)
            .with_secure(config.secure_cookies)
            .with_expiry(Expiry::OnInactivity(time::Duration::days(7)));

        // Outermost first: the request's id and span (so every line logged for it carries them), who the
        // client is, then the cross-origin refusal (before any session is loaded or body read), the
        // body limit, the session, and the route.
        let client_policy = Arc::new(security::client::ClientPolicy {
            trusted_proxies: config.trusted_proxies.clone(),
            always_secure: config.secure_cookies,
        });
        let public_origin = config.public_url.clone();
        let page_csp = Arc::new(state.public.csp.clone());
        let sandbox_routes = match (&sandbox, sandbox_through_app) {
            (Some(sandbox), true) => super::sandbox_proxy::routes(sandbox.base_url()),
            _ => Router::new(),
        };
        // Lean's webhooks pass none of the browser's layers (session, client, cross-origin refusal,
        // page policy): they carry no cookie, are authenticated by their signature alone, and at the
        // rate Lean may send them those layers' work was a good part of the endpoint's.
        let webhook_routes = Router::new()
            .route("/webhooks/lean", post(endpoint::receive))
            .layer(tower_http::limit::RequestBodyLimitLayer::new(security::MAX_BODY_BYTES))
            .layer(security::layers())
            .with_state(state.clone());
        let router = router(state.clone())
            .layer(sessions)
            .layer(tower_http::limit::RequestBodyLimitLayer::new(security::MAX_BODY_BYTES))
            .layer(axum::middleware::from_fn_with_state(public_origin, security::cross_origin::guard))
            .layer(axum::middleware::from_fn_with_state(client_policy, security::client::identify))
            .layer(axum::middleware::from_fn_with_state(page_csp, security::page_policy))
            .layer(security::layers())
            .merge(sandbox_routes)
            .merge(webhook_routes)
            .layer(tower_http::request_id::PropagateRequestIdLayer::new(observe::REQUEST_ID))
            .layer(tower_http::trace::TraceLayer::new_for_http().make_span_with(observe::request_span))
            .layer(tower_http::request_id::SetRequestIdLayer::new(
                observe::REQUEST_ID,
                tower_http::request_id::MakeRequestUuid,
            ))
            .layer(axum::middleware::map_request(observe::drop_unusable_request_id));
        Ok(Application { listener, router, state, sandbox, worker, background })
    }

    pub fn addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr())
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub fn sandbox_url(&self) -> Option<String> {
        self.sandbox.as_ref().map(Sandbox::base_url)
    }

    /// Serves until `shutdown` completes, then lets in-flight requests finish and stops the sandbox.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        println!("lean-merchant listening on {}", self.base_url());
        let closing = self.state.shutdown.clone();
        // into_make_service turns every route into a ready service once. Served as a bare Router, axum
        // rebuilds them all for each connection, and each open live stream kept its own copy of every
        // route (about half a megabyte), which made 1,000 streams cost 650 MB.
        // With the peer's address (ConnectInfo), which sign-in throttling keys on.
        axum::serve(self.listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(async move {
                shutdown.await;
                closing.cancel();
            })
            .await?;
        // Requests are done; let the worker finish the event it holds (bounded), then stop the rest.
        if tokio::time::timeout(std::time::Duration::from_secs(15), self.worker).await.is_err() {
            tracing::warn!("webhook worker did not stop in time; its event will be retried later");
        }
        for task in self.background {
            task.abort();
        }
        if let Some(sandbox) = self.sandbox {
            sandbox.shutdown().await;
        }
        Ok(())
    }
}

fn router(state: AppState) -> Router {
    // Compiled now rather than on the first page: the first visitor does not wait for it.
    for lang in crate::i18n::Lang::ALL {
        crate::i18n::catalogue::Served::for_lang(lang);
    }
    let routes = generate_route_list(App);
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            provide_context((*state.public).clone());
        }
    };
    let options = state.leptos_options.clone();
    Router::new()
        .route("/api/{*fn_name}", post(server_fns).get(server_fns))
        .route("/live", get(sse::stream))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(super::metrics::ready))
        .route("/metrics", get(super::metrics::scrape))
        .route("/lang/{code}", get(super::language::switch))
        .route("/i18n/{file}", get(super::language::messages))
        .leptos_routes_with_context(&state, routes, context.clone(), move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell))
        .with_state(state)
}

async fn server_fns(State(state): State<AppState>, req: Request<Body>) -> impl IntoResponse {
    handle_server_fns_with_context(
        move || {
            provide_context(state.clone());
            provide_context((*state.public).clone());
        },
        req,
    )
    .await
}

/// A wildcard bind is reached over loopback from this machine.
fn loopback(addr: SocketAddr) -> SocketAddr {
    if addr.ip().is_unspecified() {
        SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), addr.port())
    } else {
        addr
    }
}
