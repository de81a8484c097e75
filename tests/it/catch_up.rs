//! The real-Lean code path (LEAN_ENV=sandbox with every host overridden) against a standalone
//! lean-sandbox: events Lean could not deliver while the app was down are caught up from
//! `GET /events/v1` when it starts again.

use crate::common::{eventually, start_remote_app, APP_TOKEN, CLIENT_SECRET, WEBHOOK_SECRET};
use lean_sandbox::{Sandbox, SandboxConfig};
use serde_json::{json, Value};

#[tokio::test]
async fn events_missed_while_down_are_caught_up_at_start() {
    let dir = tempfile::tempdir().unwrap();
    // Pick a free port for the app, so the sandbox knows where to deliver.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let sandbox = Sandbox::start(SandboxConfig {
        addr: "127.0.0.1:0".parse().unwrap(),
        state_path: dir.path().join("sandbox.json"),
        app_token: Some(APP_TOKEN.into()),
        client_secret: Some(CLIENT_SECRET.into()),
        webhook_secret: Some(WEBHOOK_SECRET.into()),
        webhook_url: Some(format!("http://127.0.0.1:{port}/webhooks/lean")),
        // Retries far in the future: only catch-up can bring the event in during this test.
        retry_scale: 100.0,
        public_url: None,
    })
    .await
    .expect("sandbox starts");
    let sb = sandbox.base_url();
    let app_url = format!("http://127.0.0.1:{port}");

    let app = start_remote_app(port, &sb, dir.path(), None).await;
    let browser = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let signed_up = browser
        .post(format!("{app_url}/api/sign_up"))
        .form(&[("email", "ann@example.com"), ("password", "correct horse battery")])
        .send()
        .await
        .unwrap();
    assert!(signed_up.status().as_u16() < 400);
    let user: Value =
        browser.post(format!("{app_url}/api/current_user")).send().await.unwrap().json().await.unwrap();
    let customer_id = user["customer_id"].as_str().expect("customer ensured").to_owned();
    app.stop().await;

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
    assert_eq!(connected.status(), 200, "{}", connected.text().await.unwrap_or_default());
    eventually(|| async {
        let log: Value = http.get(format!("{sb}/sandbox/deliveries")).send().await.ok()?.json().await.ok()?;
        // The entity.created delivery has been tried and has failed (nobody listening).
        let failed = log.as_array()?.iter().any(|e| {
            e["type"] == "entity.created"
                && e["attempts"].as_array().is_some_and(|a| a.iter().any(|t| t["error"].is_string()))
        });
        failed.then_some(())
    })
    .await;

    // Back up: the entity is there without any redelivery.
    let app = start_remote_app(port, &sb, dir.path(), None).await;
    let entities = eventually(|| async {
        let list: Value =
            browser.post(format!("{app_url}/api/list_entities")).send().await.ok()?.json().await.ok()?;
        list.as_array().filter(|l| !l.is_empty()).cloned()
    })
    .await;
    assert_eq!(entities[0]["bank_identifier"], "LEAN_MB1");
    app.stop().await;
    sandbox.shutdown().await;
}
