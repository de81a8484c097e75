//! Starts the real app with the embedded sandbox on port 0, with a fresh database, and talks to both
//! over HTTP like a browser (cookie jar) and like Lean (signed webhooks).
#![allow(dead_code)]

use std::collections::HashMap;
use std::time::Duration;

use lean_merchant::model::UserId;
use lean_merchant::server::config::Vars;
use lean_merchant::server::webhooks::signature;
use lean_merchant::server::{AppState, Application, Config};
use serde_json::{json, Value};
use tokio::sync::oneshot;

pub const APP_TOKEN: &str = "0c7a5e52-2b7e-4b43-9f0e-6a1d2f3c4b5a";
pub const CLIENT_SECRET: &str = "it-client-secret-d00dfeed";
pub const WEBHOOK_SECRET: &str = "it-webhook-secret-cafebabe";
pub const ADMIN_EMAIL: &str = "admin@example.com";

pub struct TestApp {
    pub url: String,
    pub sandbox_url: String,
    pub state: AppState,
    pub dir: tempfile::TempDir,
    pg_database: Option<String>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_in(tempfile::tempdir().expect("temp dir"), None, &[]).await
    }

    /// Like `spawn`, with more configuration variables (e.g. TRUSTED_PROXIES).
    pub async fn spawn_with(extra: &[(&'static str, &str)]) -> TestApp {
        Self::spawn_in(tempfile::tempdir().expect("temp dir"), None, extra).await
    }

    /// Stops the app and starts it again on the same data (files and database).
    pub async fn restart(mut self) -> TestApp {
        self.shut_down().await;
        let dir = std::mem::replace(&mut self.dir, tempfile::tempdir().expect("temp dir"));
        let pg = self.pg_database.take();
        Self::spawn_in(dir, pg, &[]).await
    }

    async fn spawn_in(
        dir: tempfile::TempDir,
        pg_database: Option<String>,
        extra: &[(&'static str, &str)],
    ) -> TestApp {
        let mut vars: HashMap<&str, String> = HashMap::new();
        vars.insert("LEPTOS_SITE_ADDR", "127.0.0.1:0".into());
        vars.insert("DATA_DIR", dir.path().display().to_string());
        vars.insert("LEAN_SANDBOX_ADDR", "127.0.0.1:0".into());
        vars.insert("LEAN_SANDBOX_RETRY_SCALE", "0.0005".into());
        vars.insert("LEAN_APP_TOKEN", APP_TOKEN.into());
        vars.insert("LEAN_CLIENT_SECRET", CLIENT_SECRET.into());
        vars.insert("LEAN_WEBHOOK_SECRET", WEBHOOK_SECRET.into());
        vars.insert("ADMIN_EMAILS", ADMIN_EMAIL.into());
        let pg_database = match pg_database {
            Some(url) => Some(url),
            None => fresh_postgres_database().await,
        };
        if let Some(url) = &pg_database {
            vars.insert("DATABASE_URL", url.clone());
        }
        for (k, v) in extra {
            vars.insert(k, (*v).to_owned());
        }
        let config = Config::from_vars(Vars(move |k| vars.get(k).cloned())).expect("test config");
        let app = Application::build(config).await.expect("app builds");
        let url = app.base_url();
        let sandbox_url = app.sandbox_url().expect("embedded sandbox");
        let state = app.state().clone();
        let (tx, rx) = oneshot::channel();
        let task = tokio::spawn(async move {
            app.run_until(async {
                let _ = rx.await;
            })
            .await
            .expect("app runs");
        });
        TestApp { url, sandbox_url, state, dir, pg_database, stop: Some(tx), task: Some(task) }
    }

    pub async fn stop(mut self) {
        self.shut_down().await;
        self.drop_database().await;
    }

    async fn shut_down(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = tokio::time::timeout(Duration::from_secs(10), task).await;
        }
        self.state.db.close().await;
    }

    async fn drop_database(&mut self) {
        if let (Some(url), Ok(base)) = (&self.pg_database, std::env::var("TEST_DATABASE_URL")) {
            use sqlx::Connection;
            let name = url.rsplit('/').next().unwrap_or_default();
            if let Ok(mut conn) = sqlx::AnyConnection::connect(&base).await {
                let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                let _ = sqlx::query(sqlx::AssertSqlSafe(drop)).execute(&mut conn).await;
            }
        }
    }

    /// A browser-like client with its own cookie jar.
    pub fn browser(&self) -> reqwest::Client {
        reqwest::Client::builder().cookie_store(true).build().expect("client")
    }

    /// Calls a server function with form-encoded arguments; returns status and JSON body.
    pub async fn call(&self, client: &reqwest::Client, name: &str, form: &[(&str, &str)]) -> (u16, Value) {
        let res = client
            .post(format!("{}/api/{name}", self.url))
            .form(form)
            .send()
            .await
            .expect("server fn reachable");
        let status = res.status().as_u16();
        let text = res.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    /// Signs up a new user in `client`'s session; returns (user id, Lean customer id).
    pub async fn sign_up(&self, client: &reqwest::Client, email: &str) -> (UserId, String) {
        let (status, body) =
            self.call(client, "sign_up", &[("email", email), ("password", "correct horse battery")]).await;
        assert!(status < 400, "sign up failed: {status} {body}");
        let (status, user) = self.call(client, "current_user", &[]).await;
        assert_eq!(status, 200, "{user}");
        let id = UserId::new(user["id"].as_str().expect("user id"));
        let customer = user["customer_id"].as_str().expect("customer ensured at sign-up").to_owned();
        (id, customer)
    }

    /// POSTs a webhook body with the given `lean-signature` header (None = no header).
    pub async fn post_webhook(&self, body: &[u8], signature: Option<String>) -> u16 {
        let mut req = reqwest::Client::new()
            .post(format!("{}/webhooks/lean", self.url))
            .header("content-type", "application/json")
            .body(body.to_vec());
        if let Some(sig) = signature {
            req = req.header("lean-signature", sig);
        }
        req.send().await.expect("webhook endpoint reachable").status().as_u16()
    }

    pub async fn post_signed(&self, body: &[u8]) -> u16 {
        self.post_webhook(body, Some(signature::sign(WEBHOOK_SECRET.as_bytes(), body))).await
    }

    /// An api-scoped token minted directly from the sandbox, to check Lean's side of things.
    pub async fn sandbox_api_token(&self) -> String {
        let res: Value = reqwest::Client::new()
            .post(format!("{}/oauth2/token", self.sandbox_url))
            .form(&[
                ("client_id", APP_TOKEN),
                ("client_secret", CLIENT_SECRET),
                ("grant_type", "client_credentials"),
                ("scope", "api"),
            ])
            .send()
            .await
            .expect("sandbox reachable")
            .json()
            .await
            .expect("token json");
        res["access_token"].as_str().expect("token").to_owned()
    }
}

/// With `TEST_DATABASE_URL=postgres://…` set, every test gets a database of its own on that server, so
/// the suite runs against PostgreSQL exactly as it does against a fresh SQLite file.
pub async fn fresh_postgres_database() -> Option<String> {
    use sqlx::Connection;
    let base = std::env::var("TEST_DATABASE_URL").ok().filter(|u| u.starts_with("postgres"))?;
    sqlx::any::install_default_drivers();
    let name = format!("lm_test_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::AnyConnection::connect(&base).await.expect("TEST_DATABASE_URL reachable");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("create a test database");
    let (prefix, _) = base.rsplit_once('/').expect("URL ends with /database");
    Some(format!("{prefix}/{name}"))
}

/// An `entity.created` envelope shaped like Lean's UAE sample.
pub fn entity_created(event_id: &str, entity_id: &str, customer_id: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "type": "entity.created",
        "message": "An entity object has been created.",
        "payload": {
            "id": entity_id,
            "app_user_id": "whatever",
            "customer_id": customer_id,
            "permissions": ["identity", "accounts"],
            "bank_details": {
                "logo": "https://cdn.leantech.me/img/banks/white-lean.png",
                "name": "Lean Open Finance MockBank",
                "bank_type": "RETAIL",
                "identifier": "LEAN_OF_RETAIL_UAE",
                "main_color": "#1beb75",
                "swift_code": null,
                "account_type": "PERSONAL",
                "background_color": "#ffffff"
            }
        },
        "event_id": event_id,
        "timestamp": "2026-05-12T15:40:36.398576427Z"
    }))
    .expect("json")
}

/// Polls `check` until it returns Some, for up to five seconds.
pub async fn eventually<T, F, Fut>(mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    for _ in 0..100 {
        if let Some(v) = check().await {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("condition not met within 5 s");
}

/// An app in real-Lean mode (LEAN_ENV=sandbox, every host overridden to `lean`), on `port` (0 = any).
pub struct RemoteApp {
    pub url: String,
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

impl RemoteApp {
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = tokio::time::timeout(Duration::from_secs(10), self.task).await;
    }
}

pub async fn start_remote_app(
    port: u16,
    lean: &str,
    data: &std::path::Path,
    database_url: Option<String>,
) -> RemoteApp {
    let mut vars: HashMap<&str, String> = HashMap::new();
    vars.insert("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"));
    vars.insert("DATA_DIR", data.display().to_string());
    vars.insert("LEAN_ENV", "sandbox".into());
    vars.insert("LEAN_API_URL", lean.into());
    vars.insert("LEAN_AUTH_URL", lean.into());
    vars.insert("LEAN_LINK_LOADER_URL", format!("{lean}/link/loader/prod/ae/latest/lean-link-loader.min.js"));
    vars.insert("LEAN_APP_TOKEN", APP_TOKEN.into());
    vars.insert("LEAN_CLIENT_SECRET", CLIENT_SECRET.into());
    vars.insert("LEAN_WEBHOOK_SECRET", WEBHOOK_SECRET.into());
    vars.insert("ADMIN_EMAILS", ADMIN_EMAIL.into());
    if let Some(url) = database_url {
        vars.insert("DATABASE_URL", url);
    }
    let config = Config::from_vars(Vars(move |k| vars.get(k).cloned())).expect("config");
    let app = Application::build(config).await.expect("app builds");
    assert!(app.sandbox_url().is_none(), "no embedded sandbox in real-Lean mode");
    let url = app.base_url();
    let (stop, rx) = oneshot::channel();
    let task = tokio::spawn(async move {
        app.run_until(async {
            let _ = rx.await;
        })
        .await
        .expect("app runs");
    });
    RemoteApp { url, stop, task }
}
