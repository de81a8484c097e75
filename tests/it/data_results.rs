//! Lean's asynchronous data answers end to end with the embedded sandbox: a data call answered PENDING
//! leaves its results_id; `results.ready` makes the app fetch `GET /data/v2/results/{id}`, store the
//! results and tell the entity's owner live; the next call shows the data. Nobody else sees it.

use serde_json::{json, Value};

use crate::common::{eventually, TestApp, APP_TOKEN, CLIENT_SECRET};
use lean_merchant::server::db::{data_results, live_events, webhook_events};

/// Connects Lean Mockbank for `customer_id` through the sandbox's Link API (what the SDK's UI does).
async fn connect_bank(app: &TestApp, customer_id: &str) {
    let http = reqwest::Client::new();
    let token: Value = http
        .post(format!("{}/oauth2/token", app.sandbox_url))
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
        .post(format!("{}/link/api/connect", app.sandbox_url))
        .bearer_auth(token["access_token"].as_str().expect("customer token"))
        .json(&json!({
            "customer_id": customer_id, "bank_identifier": "LEAN_MB1", "username": "user_simple",
            "password": "pass_simple", "permissions": ["identity", "accounts", "balance", "transactions"]
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(connected.status(), 200, "{}", connected.text().await.unwrap_or_default());
}

async fn scenario(app: &TestApp, body: Value) {
    let res = reqwest::Client::new()
        .post(format!("{}/sandbox/scenarios/next-data-call", app.sandbox_url))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap_or_default());
}

#[tokio::test]
async fn results_ready_fetches_and_stores_pending_data_for_its_owner_only() {
    let app = TestApp::spawn().await;
    let db = app.state.db.clone();
    let ann = app.browser();
    let (ann_id, customer) = app.sign_up(&ann, "ann@example.com").await;
    connect_bank(&app, &customer).await;
    let entity_id = eventually(|| async {
        let (_, list) = app.call(&ann, "list_entities", &[]).await;
        list.as_array().and_then(|l| l.first()).and_then(|e| e["id"].as_str()).map(str::to_owned)
    })
    .await;
    let accounts_call = format!("/data/v2/accounts?entity_id={entity_id}&page=0&size=100");

    // Lean answers the next data call with PENDING and a results_id.
    scenario(&app, json!({"entity_id": entity_id, "status": "PENDING"})).await;
    let seq_before = live_events::latest_seq(&db, &ann_id).await.unwrap();
    let (status, overview) = app.call(&ann, "entity_overview", &[("entity_id", &entity_id)]).await;
    assert_eq!(status, 200, "{overview}");
    assert_eq!(overview["accounts"], "Pending", "{overview}");
    let remembered =
        data_results::current(&db, &lean_merchant::model::EntityId::from(entity_id.as_str()), &accounts_call)
            .await
            .unwrap();
    let results_id = remembered.expect("the PENDING answer's results_id is remembered").results_id;

    // The sandbox sends results.ready (~400 ms later): the app fetches the results and stores them.
    let ready = eventually(|| async {
        data_results::get(&db, &results_id).await.unwrap().filter(|r| r.status == "ready")
    })
    .await;
    let envelope: Value = serde_json::from_str(ready.envelope.as_deref().expect("envelope stored")).unwrap();
    assert_eq!(envelope["status"], "OK", "{envelope}");
    assert_eq!(envelope["results_id"], results_id.as_str());
    let fetched = envelope["data"]["accounts"].as_array().expect("accounts in the results").len();
    assert!(fetched >= 1, "{envelope}");

    // The owner is told live, and the page's next call shows the accounts the results brought.
    eventually(|| async {
        (live_events::latest_seq(&db, &ann_id).await.unwrap() > seq_before).then_some(())
    })
    .await;
    let (status, overview) = app.call(&ann, "entity_overview", &[("entity_id", &entity_id)]).await;
    assert_eq!(status, 200, "{overview}");
    let shown = overview["accounts"]["Ready"].as_array().expect("accounts ready");
    assert_eq!(shown.len(), fetched);
    let stored_ids: Vec<&str> = envelope["data"]["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["account_id"].as_str())
        .collect();
    assert!(shown.iter().all(|a| stored_ids.contains(&a["id"].as_str().unwrap_or_default())));

    // Another user can neither read that entity's data nor was told anything about it.
    let bob = app.browser();
    let (bob_id, _) = app.sign_up(&bob, "bob@example.com").await;
    let (status, body) = app.call(&bob, "entity_overview", &[("entity_id", &entity_id)]).await;
    assert_eq!(status, 403, "{body}");
    let (status, body) = app
        .call(
            &bob,
            "account_transactions",
            &[
                ("entity_id", &entity_id),
                ("account_id", stored_ids[0]),
                ("from", "2026-01-01"),
                ("to", "2026-01-31"),
                ("page", "0"),
            ],
        )
        .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(live_events::latest_seq(&db, &bob_id).await.unwrap(), 0, "bob's stream carried nothing");

    // A malformed id is refused in words, not looked up.
    let (status, body) = app.call(&ann, "entity_overview", &[("entity_id", "x'; DROP TABLE entities")]).await;
    assert_eq!(status, 400, "{body}");

    app.stop().await;
}

#[tokio::test]
async fn results_ready_for_results_this_app_never_asked_for_is_ignored() {
    let app = TestApp::spawn().await;
    let ann = app.browser();
    let (ann_id, _) = app.sign_up(&ann, "ann@example.com").await;
    let unknown = "6dd9c7d2-1c8c-4862-bb1f-fcf52f5033d4";
    let body = serde_json::to_vec(&json!({
        "type": "results.ready",
        "payload": {"id": unknown},
        "message": "Your results are ready.",
        "timestamp": "2026-05-12T15:40:36.398576427Z",
        "event_id": "ev-results-unknown"
    }))
    .unwrap();
    assert_eq!(app.post_signed(&body).await, 200);
    let status = eventually(|| async {
        webhook_events::status_of(&app.state.db, "ev-results-unknown")
            .await
            .unwrap()
            .filter(|(s, _)| s == webhook_events::PROCESSED || s == webhook_events::FAILED)
    })
    .await;
    assert_eq!(status.0, "processed");
    assert!(data_results::get(&app.state.db, unknown).await.unwrap().is_none());
    assert_eq!(live_events::latest_seq(&app.state.db, &ann_id).await.unwrap(), 0);
    app.stop().await;
}
