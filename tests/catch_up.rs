//! The real-Lean code path (LEAN_ENV=sandbox with every host overridden) against a standalone
//! lean-sandbox: events Lean could not deliver while the app was down are caught up from
//! `GET /events/v1` when it starts again.
mod common;

use std::collections::HashMap;
use std::time::Duration;

use common::{eventually, APP_TOKEN, CLIENT_SECRET, WEBHOOK_SECRET};
use lean_merchant::server::config::Vars;
use lean_merchant::server::{Application, Config};
use lean_sandbox::{Sandbox, SandboxConfig};
use serde_json::{json, Value};
use tokio::sync::oneshot;

struct Running {
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

async fn start_app(port: u16, sandbox: &str, data: &std::path::Path) -> Running {
    let mut vars: HashMap<&str, String> = HashMap::new();
    vars.insert("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"));
    vars.insert("DATA_DIR", data.display().to_string());
    vars.insert("LEAN_ENV", "sandbox".into());
    vars.insert("LEAN_API_URL", sandbox.into());
    vars.insert("LEAN_AUTH_URL", sandbox.into());
    vars.insert(
        "LEAN_LINK_LOADER_URL",
        format!("{sandbox}/link/loader/prod/ae/latest/lean-link-loader.min.js"),
    );
    vars.insert("LEAN_APP_TOKEN", APP_TOKEN.into());
    vars.insert("LEAN_CLIENT_SECRET", CLIENT_SECRET.into());
    vars.insert("LEAN_WEBHOOK_SECRET", WEBHOOK_SECRET.into());
    let config = Config::from_vars(Vars(move |k| vars.get(k).cloned())).expect("config");
    let app = Application::build(config).await.expect("app builds");
    assert!(
        app.sandbox_url().is_none(),
        "no embedded sandbox in real-Lean mode"
    );
    let (stop, rx) = oneshot::channel();
    let task = tokio::spawn(async move {
        app.run_until(async {
            let _ = rx.await;
        })
        .await
        .expect("app runs");
    });
    Running { stop, task }
}

async fn stop_app(r: Running) {
    let _ = r.stop.send(());
    let _ = tokio::time::timeout(Duration::from_secs(10), r.task).await;
}

#[tokio::test]
async fn events_missed_while_down_are_caught_up_at_start() {
    let dir = tempfile::tempdir().unwrap();
    // Pick a free port for the app, so the sandbox knows where to deliver.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let sandbox = Sandbox::start(SandboxConfig {
        addr: "127.0.0.1:0".parse().unwrap(),
        state_path: dir.path().join("sandbox.json"),
        app_token: Some(APP_TOKEN.into()),
        client_secret: Some(CLIENT_SECRET.into()),
        webhook_secret: Some(WEBHOOK_SECRET.into()),
        webhook_url: Some(format!("http://127.0.0.1:{port}/webhooks/lean")),
        // Retries far in the future: only catch-up can bring the event in during this test.
        retry_scale: 100.0,
    })
    .await
    .expect("sandbox starts");
    let sb = sandbox.base_url();
    let app_url = format!("http://127.0.0.1:{port}");

    let app = start_app(port, &sb, dir.path()).await;
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let signed_up = browser
        .post(format!("{app_url}/api/sign_up"))
        .form(&[
            ("email", "ann@example.com"),
            ("password", "correct horse battery"),
        ])
        .send()
        .await
        .unwrap();
    assert!(signed_up.status().as_u16() < 400);
    let user: Value = browser
        .post(format!("{app_url}/api/current_user"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let customer_id = user["customer_id"]
        .as_str()
        .expect("customer ensured")
        .to_owned();
    stop_app(app).await;

    // While the app is down, the user finishes a connect; the sandbox's delivery fails.
    let http = reqwest::Client::new();
    let token: Value = http
        .post(format!("{sb}/oauth2/token"))
        .form(&[
            ("client_id", APP_TOKEN),
            ("client_secret", CLIENT_SECRET),
            ("grant_type", "client_credentials"),
            ("scope", &format!("customer.{customer_id}")),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let connected = http
        .post(format!("{sb}/link/api/connect"))
        .bearer_auth(token["access_token"].as_str().unwrap())
        .json(&json!({
            "customer_id": customer_id, "bank_identifier": "LEAN_MB1", "username": "user_simple",
            "password": "pass_simple", "permissions": ["identity", "accounts", "balance", "transactions"]
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        connected.status(),
        200,
        "{}",
        connected.text().await.unwrap_or_default()
    );
    eventually(|| async {
        let log: Value = http
            .get(format!("{sb}/sandbox/deliveries"))
            .send()
            .await
            .ok()?
            .json()
            .await
            .ok()?;
        // The entity.created delivery has been tried and has failed (nobody listening).
        let failed = log.as_array()?.iter().any(|e| {
            e["type"] == "entity.created"
                && e["attempts"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|t| t["error"].is_string()))
        });
        failed.then_some(())
    })
    .await;

    // Back up: the entity is there without any redelivery.
    let app = start_app(port, &sb, dir.path()).await;
    let entities = eventually(|| async {
        let list: Value = browser
            .post(format!("{app_url}/api/list_entities"))
            .send()
            .await
            .ok()?
            .json()
            .await
            .ok()?;
        list.as_array().filter(|l| !l.is_empty()).cloned()
    })
    .await;
    assert_eq!(entities[0]["bank_identifier"], "LEAN_MB1");
    stop_app(app).await;
    sandbox.shutdown().await;
}
