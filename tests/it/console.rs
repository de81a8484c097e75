//! The developer console and the sandbox panel: who may use them, replaying a webhook, sending a signed
//! test webhook through the real endpoint, refused signatures shown without storing them, and never a
//! secret in what the console shows.

use crate::common::{
    entity_created, eventually, start_remote_app, TestApp, ADMIN_EMAIL, APP_TOKEN, CLIENT_SECRET,
    WEBHOOK_SECRET,
};
use lean_merchant::server::db::webhook_events;
use lean_sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;

async fn processed(app: &TestApp, event_id: &str) -> (String, i64) {
    eventually(|| async {
        match webhook_events::status_of(&app.state.db, event_id).await.unwrap() {
            Some((status, attempts)) if status == webhook_events::PROCESSED => Some((status, attempts)),
            _ => None,
        }
    })
    .await
}

fn row<'a>(log: &'a Value, event_id: &str) -> Option<&'a Value> {
    log["webhooks"].as_array()?.iter().find(|w| w["event_id"] == event_id)
}

#[tokio::test]
async fn console_and_panel_need_a_signed_in_user() {
    let app = TestApp::spawn().await;
    let anonymous = app.browser();
    for name in ["console_log", "replay_webhook", "send_test_webhook", "sandbox_panel", "sandbox_clear"] {
        let (status, body) =
            app.call(&anonymous, name, &[("event_id", "x"), ("event_type", "entity.created")]).await;
        assert_eq!(status, 401, "{name}: {body}");
    }
    // With the embedded sandbox (a local demo) every signed-in user may use both.
    let user = app.browser();
    app.sign_up(&user, "dev@example.com").await;
    let (status, me) = app.call(&user, "current_user", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(me["console"], true);
    assert_eq!(me["sandbox_panel"], true);
    let (status, log) = app.call(&user, "console_log", &[]).await;
    assert_eq!(status, 200, "{log}");
    assert!(
        log["calls"].as_array().unwrap().iter().any(|c| c["path"] == "/customers/v1/"
            || c["path"].as_str().unwrap_or_default().starts_with("/customers/v1")),
        "sign-up's customer calls are listed: {log}"
    );
    let (status, panel) = app.call(&user, "sandbox_panel", &[]).await;
    assert_eq!(status, 200, "{panel}");
    assert_eq!(panel["users"].as_array().unwrap().len(), 5);
    assert_eq!(panel["otp"], "1111");
    let page = user.get(format!("{}/console", app.url)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let page = user.get(format!("{}/sandbox", app.url)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("user_bank_error"));
    app.stop().await;
}

#[tokio::test]
async fn with_real_lean_the_console_is_for_admins_and_there_is_no_sandbox_panel() {
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
    let me: Value =
        user.post(format!("{}/api/current_user", app.url)).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["console"], false);
    assert_eq!(me["sandbox_panel"], false);
    for (name, expected) in
        [("console_log", 403), ("replay_webhook", 403), ("send_test_webhook", 403), ("sandbox_panel", 404)]
    {
        let res = user
            .post(format!("{}/api/{name}", app.url))
            .form(&[("event_id", "x"), ("event_type", "entity.created")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), expected, "{name}");
    }
    assert_eq!(user.get(format!("{}/console", app.url)).send().await.unwrap().status(), 403);
    assert_eq!(user.get(format!("{}/sandbox", app.url)).send().await.unwrap().status(), 404);
    app.stop().await;
    sandbox.shutdown().await;
}

#[tokio::test]
async fn replaying_a_webhook_applies_it_again_with_the_same_result() {
    let app = TestApp::spawn().await;
    let user = app.browser();
    let (_, customer) = app.sign_up(&user, "ann@example.com").await;
    assert_eq!(app.post_signed(&entity_created("ev-replay", "ent-replay", &customer)).await, 200);
    processed(&app, "ev-replay").await;
    let (_, before) = app.call(&user, "list_entities", &[]).await;
    assert_eq!(before.as_array().unwrap().len(), 1);

    for _ in 0..2 {
        let (status, body) = app.call(&user, "replay_webhook", &[("event_id", "ev-replay")]).await;
        assert_eq!(status, 200, "{body}");
        let (_, attempts) = processed(&app, "ev-replay").await;
        assert_eq!(attempts, 1, "a replay starts the attempts afresh");
    }
    let (_, after) = app.call(&user, "list_entities", &[]).await;
    assert_eq!(after, before, "applying the same event again changes nothing");

    let (status, _) = app.call(&user, "replay_webhook", &[("event_id", "no-such-event")]).await;
    assert_eq!(status, 404);
    app.stop().await;
}

#[tokio::test]
async fn a_signed_test_webhook_goes_through_the_endpoint_and_is_stored() {
    let app = TestApp::spawn().await;
    let user = app.browser();
    app.sign_up(&user, "ann@example.com").await;
    let (status, sent) = app.call(&user, "send_test_webhook", &[("event_type", "entity.created")]).await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(sent["http_status"], 200);
    let event_id = sent["event_id"].as_str().unwrap().to_owned();
    processed(&app, &event_id).await;
    let (_, log) = app.call(&user, "console_log", &[]).await;
    let w = row(&log, &event_id).expect("the test webhook is listed");
    assert_eq!(w["signature_ok"], true);
    assert_eq!(w["event_type"], "entity.created");
    assert!(w["payload"].as_str().unwrap().contains("bank_details"));

    let (status, _) = app.call(&user, "send_test_webhook", &[("event_type", "nope")]).await;
    assert_eq!(status, 400);
    app.stop().await;
}

#[tokio::test]
async fn refused_signatures_are_shown_and_the_console_never_shows_secrets() {
    let app = TestApp::spawn().await;
    // Refused webhooks concern nobody in particular: the admins' app-wide view shows them.
    let user = app.browser();
    let (_, customer) = app.sign_up(&user, ADMIN_EMAIL).await;
    let body = entity_created("ev-forged", "ent-forged", &customer);
    let forged = lean_merchant::server::webhooks::signature::sign(b"not-the-secret", &body);
    assert_eq!(app.post_webhook(&body, Some(forged.clone())).await, 401);
    assert_eq!(app.post_webhook(&body, None).await, 401);
    assert_eq!(app.post_signed(&entity_created("ev-good", "ent-good", &customer)).await, 200);
    processed(&app, "ev-good").await;

    let (status, log) = app.call(&user, "console_log", &[]).await;
    assert_eq!(status, 200);
    let refused: Vec<&Value> =
        log["webhooks"].as_array().unwrap().iter().filter(|w| w["event_id"] == "ev-forged").collect();
    assert_eq!(refused.len(), 2, "{log}");
    for w in &refused {
        assert_eq!(w["signature_ok"], false);
        assert_eq!(w["status"], "rejected");
        assert!(w["payload"].is_null(), "a refused body is not kept");
    }
    assert!(refused.iter().any(|w| w["verdict"].as_str().unwrap().contains("does not match")));
    assert!(refused.iter().any(|w| w["verdict"].as_str().unwrap().contains("missing")));
    assert_eq!(
        webhook_events::status_of(&app.state.db, "ev-forged").await.unwrap(),
        None,
        "still nothing stored for a refused webhook"
    );
    assert_eq!(row(&log, "ev-good").unwrap()["signature_ok"], true);

    let (_, sent) = app.call(&user, "send_test_webhook", &[("event_type", "payment.created")]).await;
    assert_eq!(sent["http_status"], 200);
    let page = user.get(format!("{}/console", app.url)).send().await.unwrap().text().await.unwrap();
    let (_, log) = app.call(&user, "console_log", &[]).await;
    let everything = format!("{log}{sent}{page}");
    let digest = forged.trim_start_matches("sha512=");
    for secret in [CLIENT_SECRET, WEBHOOK_SECRET, digest, "sha512=", "access_token", "Bearer"] {
        assert!(!everything.contains(secret), "the console shows {secret:?}");
    }
    app.stop().await;
}

#[tokio::test]
async fn sandbox_panel_controls_reach_the_sandbox() {
    let app = TestApp::spawn().await;
    let user = app.browser();
    app.sign_up(&user, "ann@example.com").await;
    let scenarios = || async {
        reqwest::get(format!("{}/sandbox/scenarios", app.sandbox_url))
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()
    };

    let (status, said) =
        app.call(&user, "sandbox_fault", &[("kind", "429"), ("rate", "0.5"), ("latency_ms", "")]).await;
    assert_eq!(status, 200, "{said}");
    assert!(said.as_str().unwrap().contains("429"), "{said}");
    assert_eq!(scenarios().await["faults"].as_array().unwrap().len(), 1);
    let (status, _) =
        app.call(&user, "sandbox_fault", &[("kind", "latency"), ("rate", "2"), ("latency_ms", "5")]).await;
    assert_eq!(status, 400, "a rate above 1 is refused");

    let (status, said) = app.call(&user, "sandbox_clear", &[]).await;
    assert_eq!(status, 200, "{said}");
    assert!(scenarios().await["faults"].as_array().unwrap().is_empty());

    let (status, said) = app.call(&user, "sandbox_expire_session", &[("username", "user_otp")]).await;
    assert_eq!(status, 200, "{said}");
    assert!(said.as_str().unwrap().contains("user_otp"));
    let (status, _) = app.call(&user, "sandbox_expire_session", &[("username", "someone")]).await;
    assert_eq!(status, 400);

    // Only the user's own banks can be scripted.
    let other = app.browser();
    let (_, other_customer) = app.sign_up(&other, "bob@example.com").await;
    assert_eq!(app.post_signed(&entity_created("ev-bob", "ent-bob", &other_customer)).await, 200);
    processed(&app, "ev-bob").await;
    let (status, _) = app
        .call(
            &user,
            "sandbox_next_data_call",
            &[("entity_id", "ent-bob"), ("status", "PENDING"), ("granular_status_code", "")],
        )
        .await;
    assert_eq!(status, 400);
    assert!(scenarios().await["next_data_calls"].as_array().is_none_or(|a| a.is_empty()));
    app.stop().await;
}

#[tokio::test]
async fn the_console_pages_and_filters_each_table() {
    let app = TestApp::spawn().await;
    let user = app.browser();
    let (_, customer) = app.sign_up(&user, "pages@example.com").await;
    // 25 webhooks about this user's customer: more than one page.
    for i in 0..25 {
        let body = entity_created(&format!("page-ev-{i:02}"), &format!("page-ent-{i:02}"), &customer);
        assert_eq!(app.post_signed(&body).await, 200);
    }
    processed(&app, "page-ev-24").await;
    let (status, first) = app.call(&user, "console_log", &[]).await;
    assert_eq!(status, 200, "{first}");
    let shown = first["webhooks"].as_array().unwrap();
    assert_eq!(shown.len(), lean_merchant::model::console::ROWS, "one page");
    assert_eq!(first["more_webhooks"], true);
    // The next page starts below the last row shown, and overlaps nothing.
    let last = shown.last().unwrap();
    let cursor = format!("{}|{}", last["at"].as_str().unwrap(), last["event_id"].as_str().unwrap());
    let (_, older) = app.call(&user, "console_log", &[("webhooks_before", cursor.as_str())]).await;
    let older_rows = older["webhooks"].as_array().unwrap();
    assert_eq!(older_rows.len(), 5, "{older}");
    assert_eq!(older["more_webhooks"], false);
    let ids =
        |rows: &[Value]| rows.iter().map(|w| w["event_id"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
    let mut all = ids(shown);
    all.extend(ids(older_rows));
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 25, "every webhook on one of the two pages, none twice");

    // Filters: by type, by state, and failed calls only.
    let (_, typed) = app.call(&user, "console_log", &[("webhook_type", "payment.created")]).await;
    assert_eq!(typed["webhooks"].as_array().unwrap().len(), 0, "{typed}");
    let (_, done) = app.call(&user, "console_log", &[("webhook_status", "processed")]).await;
    assert!(done["webhooks"].as_array().unwrap().iter().all(|w| w["status"] == "processed"));
    assert!(!done["webhooks"].as_array().unwrap().is_empty());
    let (_, failed) = app.call(&user, "console_log", &[("failed_calls", "true")]).await;
    assert!(failed["calls"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| !(200..300).contains(&c["status"].as_i64().unwrap_or(0))));

    // A state the console does not know, or a filter no type could be, is refused in plain words.
    for bad in [("webhook_status", "exploded"), ("webhook_type", "x' OR 1=1 --")] {
        let (status, body) = app.call(&user, "console_log", &[bad]).await;
        assert_eq!(status, 400, "{bad:?}: {body}");
    }
    app.stop().await;
}
