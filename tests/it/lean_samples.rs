//! Every webhook body Lean publishes (its sample files) or prints in its guides, signed with the
//! webhook secret and posted to the real endpoint: each is stored once (Lean's redelivery changes
//! nothing), applied, and changes what its owner sees. The bodies are the repository's fixtures
//! (`tests/fixtures/lean-webhooks/`); with `LEAN_EXPORTS_DIR` set, samples Lean has published since are
//! posted too. A sample of a type this file has no check for fails the test, so none goes unchecked.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::common::{entity_created, eventually, TestApp, APP_TOKEN, CLIENT_SECRET};
use lean_merchant::model::{EntityId, EntityStatus, PaymentIntentId, PaymentStatus, UserId};
use lean_merchant::server::db::{data_results, entities, live_events, payments, webhook_events};
use lean_merchant::server::webhooks::endpoint::stored_id;

/// File name → body: the repository's fixtures, then any sample in `$LEAN_EXPORTS_DIR/webhooks/` whose
/// name they lack.
fn bodies() -> BTreeMap<String, Value> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![repo.join("tests/fixtures/lean-webhooks")];
    if let Some(exports) = std::env::var_os("LEAN_EXPORTS_DIR").filter(|v| !v.is_empty()) {
        dirs.push(repo.join(PathBuf::from(exports)).join("webhooks"));
    }
    let mut out = BTreeMap::new();
    for dir in dirs {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if name.ends_with(".json") && !out.contains_key(&name) {
                let body = serde_json::from_slice(&std::fs::read(&path).unwrap())
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                out.insert(name, body);
            }
        }
    }
    out
}

/// Posts `body` twice, as Lean's retry would; returns the id it is stored under once applied.
async fn post_twice(app: &TestApp, body: &Value) -> String {
    let bytes = serde_json::to_vec(body).unwrap();
    assert_eq!(app.post_signed(&bytes).await, 200, "{body}");
    assert_eq!(app.post_signed(&bytes).await, 200, "{body}");
    let id = stored_id(&bytes);
    let (status, attempts) = eventually(|| async {
        webhook_events::status_of(&app.state.db, &id)
            .await
            .unwrap()
            .filter(|(s, _)| s != webhook_events::RECEIVED && s != "processing")
    })
    .await;
    assert_eq!((status.as_str(), attempts), (webhook_events::PROCESSED, 1), "{body}");
    id
}

/// The user's live events after `seq`, as their JSON texts.
async fn told(app: &TestApp, user: &UserId, seq: i64) -> Vec<String> {
    live_events::since(&app.state.db, user, seq).await.unwrap().into_iter().map(|(_, p)| p).collect()
}

async fn entity(app: &TestApp, id: &str) -> Option<lean_merchant::model::Entity> {
    entities::get(&app.state.db, &EntityId::from(id)).await.unwrap().map(|(_, e)| e)
}

/// Stores an entity of `customer` the way Lean's `entity.created` would, and waits for it.
async fn known_entity(app: &TestApp, id: &str, customer: &str) {
    let event_id = format!("pre-{id}");
    assert_eq!(app.post_signed(&entity_created(&event_id, id, customer)).await, 200);
    // Applied, its owner told: what follows counts only its own live events.
    eventually(|| async {
        webhook_events::status_of(&app.state.db, &event_id)
            .await
            .unwrap()
            .filter(|(s, _)| s == webhook_events::PROCESSED)
    })
    .await;
}

async fn customer_token(app: &TestApp, customer: &str) -> String {
    let token: Value = reqwest::Client::new()
        .post(format!("{}/oauth2/token", app.sandbox_url))
        .form(&[
            ("client_id", APP_TOKEN),
            ("client_secret", CLIENT_SECRET),
            ("grant_type", "client_credentials"),
            ("scope", &format!("customer.{customer}")),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    token["access_token"].as_str().expect("customer token").to_owned()
}

/// A results_id the app is waiting for: a bank connected at the sandbox, its next data call answered
/// PENDING, the bank page asked for it.
async fn pending_results(app: &TestApp, browser: &reqwest::Client, customer: &str) -> String {
    let http = reqwest::Client::new();
    let connected: Value = http
        .post(format!("{}/link/api/connect", app.sandbox_url))
        .bearer_auth(customer_token(app, customer).await)
        .json(&json!({
            "customer_id": customer, "bank_identifier": "LEAN_MB1", "username": "user_simple",
            "password": "pass_simple", "permissions": ["identity", "accounts", "balance", "transactions"]
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let entity_id = connected["entity_id"].as_str().expect("entity connected").to_owned();
    // The sandbox's own entity.created is dropped (see the test), so the app learns of it here.
    known_entity(app, &entity_id, customer).await;
    let res = http
        .post(format!("{}/sandbox/scenarios/next-data-call", app.sandbox_url))
        .json(&json!({"entity_id": entity_id, "status": "PENDING"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let (status, overview) = app.call(browser, "entity_overview", &[("entity_id", &entity_id)]).await;
    assert_eq!((status, &overview["accounts"]), (200, &json!("Pending")), "{overview}");
    let call = format!("/data/v2/accounts?entity_id={entity_id}&page=0&size=100");
    let results_id = data_results::current(&app.state.db, &EntityId::from(entity_id.as_str()), &call)
        .await
        .unwrap()
        .expect("the PENDING answer's results_id is kept")
        .results_id;
    // Lean announces results once they are there: wait until the sandbox has them.
    let api = app.sandbox_api_token().await;
    eventually(|| async {
        let res: Value = http
            .get(format!("{}/data/v2/results/{results_id}", app.sandbox_url))
            .bearer_auth(&api)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        (res["status"] == "OK").then_some(())
    })
    .await;
    results_id
}

/// A payment intent of the user's, made through the app.
async fn new_intent(app: &TestApp, browser: &reqwest::Client, destination: &str) -> String {
    let (status, row) = app
        .call(
            browser,
            "create_payment",
            &[("destination_id", destination), ("amount", "25.00"), ("currency", "AED"), ("description", "")],
        )
        .await;
    assert_eq!(status, 200, "{row}");
    row["intent_id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn every_webhook_lean_publishes_or_documents_is_stored_once_and_applied() {
    let app = TestApp::spawn().await;
    // Only the bodies posted here may change anything: the sandbox's own webhooks are dropped.
    let res = reqwest::Client::new()
        .post(format!("{}/sandbox/scenarios/drop-webhooks", app.sandbox_url))
        .json(&json!({"type": null, "count": 100000}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let browser = app.browser();
    let (user, customer) = app.sign_up(&browser, "samples@example.com").await;
    let (status, destination) = app
        .call(
            &browser,
            "create_destination",
            &[("name", "Acme Trading LLC"), ("display_name", "Acme"), ("iban", "AE070331234567890123456")],
        )
        .await;
    assert_eq!(status, 200, "{destination}");
    let destination = destination["id"].as_str().unwrap().to_owned();

    let all = bodies();
    for want in ["entity.reconnected", "results.ready", "entity.created", "payment.updated"] {
        assert!(all.values().any(|b| b["type"] == want), "no {want} body among the fixtures");
    }
    for (name, original) in all {
        let mut body = original.clone();
        if body["payload"].get("customer_id").is_some() {
            body["payload"]["customer_id"] = json!(customer);
        }
        let payload = body["payload"].clone();
        let text = |k: &str| payload[k].as_str().unwrap_or_else(|| panic!("{name}: no {k}")).to_owned();
        let seq = live_events::latest_seq(&app.state.db, &user).await.unwrap();
        match body["type"].as_str().unwrap() {
            "entity.created" => {
                post_twice(&app, &body).await;
                let e = entity(&app, &text("id")).await.unwrap_or_else(|| panic!("{name}: not stored"));
                assert_eq!(e.bank_name, payload["bank_details"]["name"], "{name}");
                assert_eq!(e.status, EntityStatus::Active, "{name}");
                let (_, list) = app.call(&browser, "list_entities", &[]).await;
                assert!(list.to_string().contains(&text("id")), "{name}: not listed: {list}");
            }
            "entity.data.refresh.updated" => {
                known_entity(&app, &text("entity_id"), &customer).await;
                post_twice(&app, &body).await;
                let e = entity(&app, &text("entity_id")).await.unwrap();
                assert_eq!(e.refresh_status.as_deref(), Some(text("status").as_str()), "{name}");
            }
            "entity.reconnected" => {
                // The bank page was told RECONNECT_REQUIRED for this entity.
                let (id, reconnect_id) = (text("id"), text("reconnect_id"));
                known_entity(&app, &id, &customer).await;
                let seq = live_events::latest_seq(&app.state.db, &user).await.unwrap();
                entities::set_status(
                    &app.state.db,
                    &EntityId::from(id.as_str()),
                    EntityStatus::ReconnectRequired,
                    Some(&reconnect_id),
                )
                .await
                .unwrap();
                post_twice(&app, &body).await;
                assert_eq!(entity(&app, &id).await.unwrap().status, EntityStatus::Active, "{name}");
                let events = told(&app, &user, seq).await;
                assert!(events.len() == 1 && events[0].contains(&id), "{name}: {events:?}");
                // The same news for an entity this app never stored: applied, nothing to do.
                let mut stranger = body.clone();
                stranger["payload"]["id"] = json!("3b0e8d7e-0000-4000-8000-000000000001");
                if stranger.get("event_id").is_some() {
                    stranger["event_id"] = json!("3b0e8d7e-0000-4000-8000-000000000002");
                }
                post_twice(&app, &stranger).await;
                assert_eq!(told(&app, &user, seq).await.len(), 1, "{name}");
            }
            "results.ready" => {
                let results_id = pending_results(&app, &browser, &customer).await;
                let seq = live_events::latest_seq(&app.state.db, &user).await.unwrap();
                body["payload"]["id"] = json!(results_id);
                post_twice(&app, &body).await;
                let stored = data_results::get(&app.state.db, &results_id).await.unwrap().unwrap();
                assert_eq!(stored.status, "ready", "{name}");
                assert_eq!(told(&app, &user, seq).await.len(), 1, "{name}");
            }
            "payment_intent.created" => {
                let intent = new_intent(&app, &browser, &destination).await;
                let seq = live_events::latest_seq(&app.state.db, &user).await.unwrap();
                body["payload"]["intent_id"] = json!(intent);
                post_twice(&app, &body).await;
                let events = told(&app, &user, seq).await;
                assert!(events.iter().any(|e| e.contains(&intent)), "{name}: {events:?}");
            }
            "payment.created" | "payment.updated" => {
                let intent = new_intent(&app, &browser, &destination).await;
                body["payload"]["intent_id"] = json!(intent);
                post_twice(&app, &body).await;
                let (owner, row) = payments::get(&app.state.db, &PaymentIntentId::from(intent.as_str()))
                    .await
                    .unwrap()
                    .unwrap();
                assert_eq!(owner, user);
                assert_eq!(row.payment_id.as_deref(), Some(text("id").as_str()), "{name}");
                assert_eq!(row.status, PaymentStatus::parse(&text("status")), "{name}");
                let (_, shown) = app.call(&browser, "payment_status", &[("intent_id", &intent)]).await;
                assert_eq!(shown["status"], payload["status"], "{name}: {shown}");
            }
            "payment_source.created"
            | "payment_source.beneficiary.created"
            | "payment_source.beneficiary.updated" => {
                let source = if body["type"] == "payment_source.created" {
                    text("id")
                } else {
                    text("payment_source_id")
                };
                post_twice(&app, &body).await;
                let events = told(&app, &user, seq).await;
                assert!(
                    events.iter().any(|e| e.contains("payment_source_changed") && e.contains(&source)),
                    "{name}: {events:?}"
                );
            }
            "bank.availability.updated" => {
                // Stored for the record: the app shows no bank availability, so nobody is told anything.
                post_twice(&app, &body).await;
                assert!(told(&app, &user, seq).await.is_empty(), "{name}");
            }
            other => panic!("{name}: Lean publishes {other} webhooks; give them a check here"),
        }
    }
    app.stop().await;
}
