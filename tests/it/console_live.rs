//! The developer console on the live bus: rows reach `/live?console=1` streams of users who may see
//! the console the moment they are recorded (outbound Lean calls, stored and refused webhooks, the
//! worker's outcome), never a plain `/live` stream, never someone who may not see the console, and
//! never with a secret in them.

use std::time::Duration;

use crate::common::{
    entity_created, start_remote_app, TestApp, ADMIN_EMAIL, APP_TOKEN, CLIENT_SECRET, WEBHOOK_SECRET,
};
use lean_sandbox::{Sandbox, SandboxConfig};

/// An open SSE stream, read as text.
struct Stream {
    res: reqwest::Response,
    text: String,
}

impl Stream {
    async fn open(client: &reqwest::Client, url: String) -> Stream {
        let res = client.get(url).send().await.expect("stream opens");
        assert_eq!(res.status(), 200);
        Stream { res, text: String::new() }
    }

    /// Reads until `done` holds for what arrived so far, or panics after 10 s.
    async fn until(&mut self, what: &str, done: impl Fn(&str) -> bool) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while !done(&self.text) {
            match tokio::time::timeout_at(deadline, self.res.chunk()).await {
                Ok(Ok(Some(chunk))) => self.text.push_str(&String::from_utf8_lossy(&chunk)),
                Ok(_) => panic!("the stream ended while waiting for {what}:\n{}", self.text),
                Err(_) => panic!("no {what} on the stream within 10 s:\n{}", self.text),
            }
        }
    }

    /// Whatever arrives within `wait`.
    async fn drain(&mut self, wait: Duration) {
        let deadline = tokio::time::Instant::now() + wait;
        while let Ok(Ok(Some(chunk))) = tokio::time::timeout_at(deadline, self.res.chunk()).await {
            self.text.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

#[tokio::test]
async fn console_rows_arrive_live_on_console_streams_only() {
    let app = TestApp::spawn().await;
    // An admin's console: every user's rows.
    let dev = app.browser();
    let (_, customer) = app.sign_up(&dev, ADMIN_EMAIL).await;
    let mut console = Stream::open(&dev, format!("{}/live?console=1", app.url)).await;
    let mut plain = Stream::open(&dev, format!("{}/live", app.url)).await;

    // An outbound call: another user's sign-up creates a Lean customer.
    let other = app.browser();
    let (_, bob_customer) = app.sign_up(&other, "bob@example.com").await;
    // Bob's own console, open from here on, must see his rows and nobody else's.
    let mut bobs = Stream::open(&other, format!("{}/live?console=1", app.url)).await;
    console.until("a Lean call row", |t| t.contains(r#""row":"call""#) && t.contains("/customers/v1")).await;

    // A stored webhook: its row arrives, then the worker's outcome.
    assert_eq!(app.post_signed(&entity_created("ev-live", "ent-live", &customer)).await, 200);
    console
        .until("the processed webhook row", |t| {
            t.lines().any(|l| l.contains(r#""event_id":"ev-live""#) && l.contains(r#""status":"processed""#))
        })
        .await;

    // A refused webhook: shown as rejected, without its body.
    let body = entity_created("ev-forged-live", "ent-forged", &customer);
    let forged = lean_merchant::server::webhooks::signature::sign(b"not-the-secret", &body);
    assert_eq!(app.post_webhook(&body, Some(forged.clone())).await, 401);
    console
        .until("the refused webhook row", |t| {
            t.lines().any(|l| {
                l.contains(r#""event_id":"ev-forged-live""#)
                    && l.contains(r#""status":"rejected""#)
                    && l.contains(r#""rejection":"mismatch""#)
                    && l.contains(r#""payload":null"#)
            })
        })
        .await;

    // Console rows carry no SSE id, so a reconnecting stream resumes on the user's own events.
    for block in console.text.split("\n\n").filter(|b| b.contains(r#""kind":"console""#)) {
        assert!(!block.lines().any(|l| l.starts_with("id:")), "a console row with an id: {block}");
    }
    let digest = forged.trim_start_matches("sha512=");
    for secret in [CLIENT_SECRET, WEBHOOK_SECRET, digest, "sha512=", "access_token", "Bearer", "eyJ"] {
        assert!(!console.text.contains(secret), "the console stream shows {secret:?}");
    }

    // Bob's console: his own webhook and the calls made for him; not the admin's, not the refusal.
    assert_eq!(app.post_signed(&entity_created("ev-bob", "ent-bob", &bob_customer)).await, 200);
    let (status, _) = app.call(&other, "launch_connect", &[]).await;
    assert_eq!(status, 200);
    bobs.until("Bob's processed webhook and his token call", |t| {
        t.lines().any(|l| l.contains(r#""event_id":"ev-bob""#) && l.contains(r#""status":"processed""#))
            && t.contains(r#""row":"call""#)
    })
    .await;
    bobs.drain(Duration::from_millis(300)).await;
    for theirs in ["ev-live", "ev-forged-live", customer.as_str()] {
        assert!(!bobs.text.contains(theirs), "Bob's console shows {theirs}:\n{}", bobs.text);
    }

    // The plain stream got the user's own entity, and no console row.
    plain.until("the user's own entity event", |t| t.contains("entity_changed")).await;
    plain.drain(Duration::from_millis(300)).await;
    assert!(!plain.text.contains(r#""kind":"console""#), "console rows on a plain stream:\n{}", plain.text);
    app.stop().await;
}

#[tokio::test]
async fn with_real_lean_only_admins_may_open_the_console_stream() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::start(SandboxConfig {
        addr: "127.0.0.1:0".parse().unwrap(),
        state_path: dir.path().join("sandbox.json"),
        app_token: Some(APP_TOKEN.into()),
        client_secret: Some(CLIENT_SECRET.into()),
        webhook_secret: Some(WEBHOOK_SECRET.into()),
        webhook_url: None,
        retry_scale: 0.001,
        public_url: None,
    })
    .await
    .expect("sandbox starts");
    let app = start_remote_app(0, &sandbox.base_url(), dir.path(), None).await;
    let user = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let res = user
        .post(format!("{}/api/sign_up", app.url))
        .form(&[("email", "ann@example.com"), ("password", "correct horse battery")])
        .send()
        .await
        .unwrap();
    assert!(res.status().as_u16() < 400);
    let console = user.get(format!("{}/live?console=1", app.url)).send().await.unwrap();
    assert_eq!(console.status(), 403, "not an admin, so no console rows");
    let plain = user.get(format!("{}/live", app.url)).send().await.unwrap();
    assert_eq!(plain.status(), 200, "the user's own stream is still open to them");
    drop(plain);
    let anonymous = reqwest::Client::new();
    assert_eq!(anonymous.get(format!("{}/live?console=1", app.url)).send().await.unwrap().status(), 401);
    app.stop().await;
    sandbox.shutdown().await;
}
