//! The webhook flood scenario and batched persistence: every event of a flood reaches the receiver
//! with one 200 each, retries included; delivery progress reaches the state file within the flush
//! window without a shutdown, and a restart neither loses pending events nor sends delivered ones
//! again.

mod common;

use std::collections::HashMap;
use std::time::Duration;

use common::{create_customer, receiver, start, token};
use serde_json::{json, Value};

async fn flood(c: &reqwest::Client, base: &str, customer: &str, count: usize) -> Vec<(String, String)> {
    let resp = c
        .post(format!("{base}/sandbox/scenarios/webhook-flood"))
        .json(&json!({"customer_id": customer, "count": count}))
        .send()
        .await
        .expect("flood request");
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.expect("flood json");
    assert_eq!(body["count"], count);
    body["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| (e["event_id"].as_str().unwrap().to_owned(), e["entity_id"].as_str().unwrap().to_owned()))
        .collect()
}

async fn summary(c: &reqwest::Client, base: &str) -> Value {
    c.get(format!("{base}/sandbox/deliveries/summary")).send().await.unwrap().json().await.unwrap()
}

async fn wait_delivered(c: &reqwest::Client, base: &str, count: usize) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let s = summary(c, base).await;
        if s["delivered"] == count || tokio::time::Instant::now() > deadline {
            return s;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Event ids in the state file, by delivery status.
fn on_disk(state: &std::path::Path) -> HashMap<String, String> {
    let raw: Value = serde_json::from_slice(&std::fs::read(state).expect("state file")).expect("state json");
    raw["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| (e["event_id"].as_str().unwrap().to_owned(), e["delivery"].as_str().unwrap().to_owned()))
        .collect()
}

fn event_ids(received: &[common::Received]) -> Vec<String> {
    received
        .iter()
        .map(|r| {
            let v: Value = serde_json::from_slice(&r.body).expect("webhook json");
            v["event_id"].as_str().expect("event_id").to_owned()
        })
        .collect()
}

#[tokio::test]
async fn a_flood_is_delivered_once_each_and_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("sandbox.json");
    // The first 40 POSTs fail, so part of the flood goes through Lean's retry schedule.
    let (rx, url) = receiver(40).await;
    let sb = start(&state, Some(url.clone()), 0.0005).await;
    let c = reqwest::Client::new();
    let base = sb.base_url();
    let api = token(&c, &sb, "api").await;
    let customer = create_customer(&c, &sb, &api, "flood-user").await;

    let events = flood(&c, &base, &customer, 400).await;
    let ids: HashMap<&str, &str> = events.iter().map(|(e, n)| (e.as_str(), n.as_str())).collect();
    assert_eq!(ids.len(), 400, "distinct event ids");
    // Emitted events are on disk before the call returns, pending.
    let disk = on_disk(&state);
    assert!(ids.keys().all(|id| disk.contains_key(*id)), "every flood event is written at once");

    let s = wait_delivered(&c, &base, 400).await;
    assert_eq!(s["delivered"], 400, "{s}");
    assert_eq!(s["pending"], 0);
    assert_eq!(s["failed_attempts"], 40);

    // Each event got exactly one 200; the 40 failures were retried.
    let received = event_ids(&rx.all());
    assert_eq!(received.len(), 440);
    let mut per_event: HashMap<&str, usize> = HashMap::new();
    for id in &received {
        *per_event.entry(id.as_str()).or_default() += 1;
    }
    assert_eq!(per_event.len(), 400);
    assert!(per_event.keys().all(|id| ids.contains_key(id)));

    // Every webhook is a real entity.created for an entity the API knows.
    let body: Value = serde_json::from_slice(&rx.all()[0].body).unwrap();
    assert_eq!(body["type"], "entity.created");
    assert_eq!(body["payload"]["customer_id"], customer.as_str());
    let entity = body["payload"]["id"].as_str().unwrap();
    let got = c
        .get(format!("{base}/customers/v1/{customer}/entities/{entity}"))
        .bearer_auth(&api)
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), 200);

    // Without a shutdown, the flusher writes delivery progress on its own (every FLUSH_EVERY, or
    // longer when a write is slow, as in a debug build on a busy machine).
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let delivered = loop {
        let disk = on_disk(&state);
        let delivered =
            ids.keys().filter(|id| disk.get(**id).map(String::as_str) == Some("DELIVERED")).count();
        if delivered == 400 || tokio::time::Instant::now() > deadline {
            break delivered;
        }
        tokio::time::sleep(lean_sandbox::FLUSH_EVERY).await;
    };
    assert_eq!(delivered, 400, "batched progress is flushed without a shutdown");

    // A restart keeps it: nothing is sent again.
    sb.shutdown().await;
    let sb = start(&state, Some(url), 0.0005).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let s = summary(&c, &sb.base_url()).await;
    assert_eq!(s["delivered"], 400, "{s}");
    assert_eq!(rx.all().len(), 440, "a restart does not resend delivered events");
    sb.shutdown().await;
}

#[tokio::test]
async fn a_flood_cut_short_by_a_shutdown_resumes_after_restart() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("sandbox.json");
    // Nobody listens yet: every attempt fails, and the retry waits are long (scale 0.01: 0.6 s first).
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let sb = start(&state, Some(format!("http://{closed}/webhooks/lean")), 0.01).await;
    let c = reqwest::Client::new();
    let api = token(&c, &sb, "api").await;
    let customer = create_customer(&c, &sb, &api, "flood-restart").await;
    let events = flood(&c, &sb.base_url(), &customer, 200).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    sb.shutdown().await;

    // Shut down with everything still pending, first attempts on disk.
    let disk = on_disk(&state);
    assert!(events.iter().all(|(id, _)| disk.get(id).map(String::as_str) == Some("PENDING")));

    let (rx, url) = receiver(0).await;
    let sb = start(&state, Some(url), 0.01).await;
    let s = wait_delivered(&c, &sb.base_url(), 200).await;
    assert_eq!(s["delivered"], 200, "{s}");
    let received = event_ids(&rx.all());
    assert_eq!(received.len(), 200, "each pending event is sent once after the restart");
    sb.shutdown().await;
    let disk = on_disk(&state);
    assert!(events.iter().all(|(id, _)| disk.get(id).map(String::as_str) == Some("DELIVERED")));
}

#[tokio::test]
async fn flood_requests_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let sb = start(&dir.path().join("sandbox.json"), None, 1.0).await;
    let c = reqwest::Client::new();
    let base = sb.base_url();
    let post = |body: Value| {
        let c = c.clone();
        let url = format!("{base}/sandbox/scenarios/webhook-flood");
        async move {
            let r = c.post(url).json(&body).send().await.unwrap();
            let status = r.status().as_u16();
            let body: Value = r.json().await.unwrap();
            (status, body["status"].as_str().unwrap_or_default().to_owned())
        }
    };
    assert_eq!(post(json!({})).await, (400, "MISSING_PARAMETERS".into()));
    let unknown = uuid::Uuid::new_v4().to_string();
    assert_eq!(post(json!({"customer_id": unknown})).await.0, 404);
    let api = token(&c, &sb, "api").await;
    let customer = create_customer(&c, &sb, &api, "flood-checks").await;
    assert_eq!(post(json!({"customer_id": customer, "count": 0})).await, (400, "INVALID_PARAMETERS".into()));
    assert_eq!(
        post(json!({"customer_id": customer, "count": 1, "bank_identifier": "NOPE"})).await,
        (400, "INVALID_PARAMETERS".into())
    );
    // Without a webhook URL the events are logged, not sent.
    assert_eq!(post(json!({"customer_id": customer, "count": 3})).await, (200, "OK".into()));
    let s = summary(&c, &base).await;
    assert_eq!(s["not_delivered"], 3, "{s}");
    sb.shutdown().await;
}
