//! `/metrics` and `/readyz`: what operators watch, and who may read it. Every app in this test process
//! counts into one registry, so counters are compared before and after, never read as absolutes.

use crate::common::{entity_created, eventually, TestApp};

const TOKEN: &str = "scrape-token-0123456789";

async fn scrape(app: &TestApp, token: Option<&str>) -> (u16, String) {
    let mut req = reqwest::Client::new().get(format!("{}/metrics", app.url));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// The sum of every sample of `name` whose labels contain `labels` (a `key="value"` fragment or "").
fn sum(text: &str, name: &str, labels: &str) -> f64 {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter(|l| l.starts_with(&format!("{name} ")) || l.starts_with(&format!("{name}{{")))
        .filter(|l| l.contains(labels))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhooks_lean_calls_streams_and_throttling_are_counted() {
    let app = TestApp::spawn().await;
    let (status, before) = scrape(&app, None).await;
    assert_eq!(status, 200, "this machine may scrape without a token");
    for name in ["lean_webhooks_received_total", "lean_webhook_queue_depth", "lean_webhook_apply_lag_seconds"]
    {
        assert!(before.contains(&format!("# TYPE {name}")), "{name} is exported:\n{before}");
    }

    let browser = app.browser();
    let (_, customer) = app.sign_up(&browser, "ops@example.com").await;
    let body = entity_created("ev-metrics-1", "3f2c0000-0000-4000-8000-00000000abcd", &customer);
    assert_eq!(app.post_signed(&body).await, 200);
    assert_eq!(app.post_signed(&body).await, 200, "a redelivery");
    assert_eq!(app.post_webhook(&body, Some("sha512=00".into())).await, 401);
    assert_eq!(app.post_webhook(&body, None).await, 401);
    let live = browser.get(format!("{}/live", app.url)).send().await.unwrap();
    assert_eq!(live.status(), 200);

    let after = eventually(|| async {
        let (_, text) = scrape(&app, None).await;
        (sum(&text, "lean_webhooks_applied_total", "") > sum(&before, "lean_webhooks_applied_total", ""))
            .then_some(text)
    })
    .await;
    let grew = |name: &str, labels: &str| sum(&after, name, labels) - sum(&before, name, labels);
    assert!(grew("lean_webhooks_received_total", "") >= 4.0);
    assert!(grew("lean_webhooks_stored_total", "") >= 1.0, "the first delivery is stored");
    assert!(grew("lean_webhooks_rejected_total", "reason=\"mismatch\"") >= 1.0);
    assert!(grew("lean_webhooks_rejected_total", "reason=\"missing\"") >= 1.0);
    assert!(sum(&after, "live_streams_open", "") >= 1.0, "the open stream is counted");
    // Signing up made Lean calls: counted by operation (ids left out) and status, with their latency.
    assert!(grew("lean_api_calls_total", "operation=\"POST /customers/v1\"") >= 1.0, "{after}");
    assert!(after.contains("lean_api_call_duration_seconds_bucket{operation=\""), "{after}");
    assert!(!after.contains(&customer), "no customer id in a label");
    drop(live);

    // Seven wrong passwords for one account: the seventh is throttled and counted.
    for _ in 0..7 {
        app.call(
            &app.browser(),
            "sign_in",
            &[("email", "ops@example.com"), ("password", "not the password")],
        )
        .await;
    }
    let (_, throttled) = scrape(&app, None).await;
    assert!(sum(&throttled, "sign_ins_throttled_total", "") >= 1.0);
    app.stop().await;
}

#[tokio::test]
async fn metrics_need_the_token_when_one_is_set_and_never_answer_the_internet_without_it() {
    let app = TestApp::spawn_with(&[("METRICS_TOKEN", TOKEN)]).await;
    assert_eq!(scrape(&app, None).await.0, 403, "the token is needed, even from this machine");
    assert_eq!(scrape(&app, Some("scrape-token-wrong-000000")).await.0, 403);
    assert_eq!(scrape(&app, Some(TOKEN)).await.0, 200);
    app.stop().await;

    // Without a token, a client behind the (trusted) proxy is someone on the internet.
    let app = TestApp::spawn_with(&[("TRUSTED_PROXIES", "127.0.0.1")]).await;
    let res = reqwest::Client::new()
        .get(format!("{}/metrics", app.url))
        .header("x-forwarded-for", "203.0.113.9")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(scrape(&app, None).await.0, 200, "the proxy's own machine asking for itself may");
    app.stop().await;
}

#[tokio::test]
async fn readiness_says_what_is_wrong() {
    let app = TestApp::spawn().await;
    let ready = reqwest::get(format!("{}/readyz", app.url)).await.unwrap();
    assert_eq!(ready.status(), 200);
    let body: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(body, serde_json::json!({"database": "ok", "lean": "ok"}));

    app.state.db.close().await;
    let down = reqwest::get(format!("{}/readyz", app.url)).await.unwrap();
    assert_eq!(down.status(), 503);
    let body: serde_json::Value = down.json().await.unwrap();
    assert_ne!(body["database"], "ok", "{body}");
    assert_eq!(body["lean"], "ok", "{body}");
    app.stop().await;
}
