//! Two app instances on one PostgreSQL database, behind no load balancer but the test itself: a webhook
//! is applied exactly once whichever instance(s) receive it, and a browser streaming from one instance
//! (its pages' stream and its developer console's) sees what the other applied. Runs in the PostgreSQL pass of `make test` (TEST_DATABASE_URL).

use std::time::Duration;

use crate::common::{
    entity_created, fresh_postgres_database, start_remote_app, ADMIN_EMAIL, APP_TOKEN, CLIENT_SECRET,
    WEBHOOK_SECRET,
};
use futures::StreamExt;
use lean_merchant::server::webhooks::signature;
use lean_sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;

#[tokio::test]
async fn webhooks_apply_once_and_live_events_cross_instances() {
    let Some(database_url) = fresh_postgres_database().await else {
        eprintln!("SKIPPED: needs TEST_DATABASE_URL=postgres://… (make test sets it when PostgreSQL is up)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::start(SandboxConfig {
        addr: "127.0.0.1:0".parse().unwrap(),
        state_path: dir.path().join("sandbox.json"),
        app_token: Some(APP_TOKEN.into()),
        client_secret: Some(CLIENT_SECRET.into()),
        webhook_secret: Some(WEBHOOK_SECRET.into()),
        webhook_url: None,
        retry_scale: 1.0,
        public_url: None,
    })
    .await
    .unwrap();
    let a = start_remote_app(0, &sandbox.base_url(), &dir.path().join("a"), Some(database_url.clone())).await;
    let b = start_remote_app(0, &sandbox.base_url(), &dir.path().join("b"), Some(database_url.clone())).await;

    // Sessions live in the shared database, so one cookie works on both instances.
    let browser = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let res = browser
        .post(format!("{}/api/sign_up", a.url))
        .form(&[("email", ADMIN_EMAIL), ("password", "correct horse battery")])
        .send()
        .await
        .unwrap();
    assert!(res.status().as_u16() < 400);
    let user: Value =
        browser.post(format!("{}/api/current_user", b.url)).send().await.unwrap().json().await.unwrap();
    let customer = user["customer_id"].as_str().expect("signed in on B too").to_owned();

    let stream = browser.get(format!("{}/live", a.url)).send().await.unwrap();
    assert_eq!(stream.status(), 200);
    // The developer console on A (an admin's) shows webhooks whichever instance stored or applied them.
    let console = browser.get(format!("{}/live?console=1", a.url)).send().await.unwrap();
    assert_eq!(console.status(), 200);

    // Lean retries and duplicates: the same event reaches both instances several times at once.
    let body = entity_created("ev-multi", "ent-multi", &customer);
    let sig = signature::sign(WEBHOOK_SECRET.as_bytes(), &body);
    let posts = (0..6).map(|i| {
        let url = format!("{}/webhooks/lean", if i % 2 == 0 { &a.url } else { &b.url });
        let (body, sig) = (body.clone(), sig.clone());
        async move {
            reqwest::Client::new()
                .post(url)
                .header("lean-signature", sig)
                .body(body)
                .send()
                .await
                .unwrap()
                .status()
        }
    });
    for status in futures::future::join_all(posts).await {
        assert_eq!(status, 200);
    }

    // The browser on A hears about it, once.
    let mut chunks = stream.bytes_stream();
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !text.contains("ent-multi") {
        let chunk = tokio::time::timeout_at(deadline, chunks.next()).await.expect("live event in time");
        text.push_str(&String::from_utf8_lossy(&chunk.unwrap().unwrap()));
    }
    let mut rows = console.bytes_stream();
    let mut text = String::new();
    while !text
        .lines()
        .any(|l| l.contains(r#""event_id":"ev-multi""#) && l.contains(r#""status":"processed""#))
    {
        let chunk = tokio::time::timeout_at(deadline, rows.next()).await.expect("console row in time");
        text.push_str(&String::from_utf8_lossy(&chunk.unwrap().unwrap()));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    use sqlx::{Connection, Row};
    let mut conn = sqlx::AnyConnection::connect(&database_url).await.unwrap();
    let row = sqlx::query("SELECT COUNT(*), MAX(attempts) FROM webhook_events WHERE event_id = 'ev-multi'")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!((row.get::<i64, _>(0), row.get::<i64, _>(1)), (1, 1), "stored once, applied once");
    let row = sqlx::query("SELECT COUNT(*) FROM live_events").fetch_one(&mut conn).await.unwrap();
    assert_eq!(row.get::<i64, _>(0), 1, "one live event");

    a.stop().await;
    b.stop().await;
    sandbox.shutdown().await;
}
