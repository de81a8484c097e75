//! Payments: destinations, payment intents (validated, created exactly once, owner only) and the
//! payment webhooks (idempotent, order-tolerant, live to the owner).

use crate::common::{eventually, TestApp};
use lean_merchant::server::db::{payments, webhook_events};
use serde_json::{json, Value};

const GOOD_IBAN: &str = "AE070331234567890123456";

fn payment_event(event_id: &str, kind: &str, payment_id: &str, intent_id: &str, status: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "type": kind,
        "message": "A payment has been updated.",
        "payload": {
            "id": payment_id, "amount": 125.5, "reason": "Order 42", "status": status, "currency": "AED",
            "metadata": null, "intent_id": intent_id, "customer_id": "c-unknown",
            "payment_destination_id": "d-1", "bank_transaction_reference": null
        },
        "event_id": event_id,
        "timestamp": "2026-05-12T15:40:36.398576427Z"
    }))
    .expect("json")
}

async fn processed(app: &TestApp, event_id: &str) -> String {
    eventually(|| async {
        webhook_events::status_of(&app.state.db, event_id)
            .await
            .unwrap()
            .filter(|(s, _)| s != "received" && s != "processing")
    })
    .await
    .0
}

/// Signs up and adds a destination; returns (client, destination id, customer id).
async fn user_with_destination(app: &TestApp, email: &str) -> (reqwest::Client, String, String) {
    let browser = app.browser();
    let (_, customer) = app.sign_up(&browser, email).await;
    let (status, body) = app
        .call(
            &browser,
            "create_destination",
            &[("name", "Acme Trading LLC"), ("display_name", "Acme"), ("iban", GOOD_IBAN)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    (browser, body["id"].as_str().expect("destination id").to_owned(), customer)
}

async fn create(
    app: &TestApp,
    c: &reqwest::Client,
    dest: &str,
    amount: &str,
    currency: &str,
) -> (u16, Value) {
    app.call(
        c,
        "create_payment",
        &[("destination_id", dest), ("amount", amount), ("currency", currency), ("description", "")],
    )
    .await
}

#[tokio::test]
async fn destination_errors_name_the_field_in_plain_words() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    app.sign_up(&browser, "dest@example.com").await;
    let cases = [
        // Our own checks, before Lean is asked.
        ("Acme Trading", "12345", "iban"),
        ("Acme Trading", "GB82WEST12345698765432", "iban"),
        // Lean's INVALID_IBAN (bad checksum) and INVALID_NAME (one word).
        ("Acme Trading", "AE070331234567890123457", "iban"),
        ("Acme", GOOD_IBAN, "name"),
    ];
    for (name, iban, field) in cases {
        let (status, body) = app
            .call(&browser, "create_destination", &[("name", name), ("display_name", ""), ("iban", iban)])
            .await;
        assert_eq!((status, body["Invalid"]["field"].as_str()), (400, Some(field)), "{name} {iban}: {body}");
        assert!(!body["Invalid"]["message"].as_str().unwrap_or_default().contains("INVALID_"), "{body}");
    }
    let (_, overview) = app.call(&browser, "payments_overview", &[]).await;
    assert_eq!(overview["destinations"].as_array().map(Vec::len), Some(0));
    app.stop().await;
}

#[tokio::test]
async fn payment_amounts_are_checked_and_an_intent_is_created_once() {
    let app = TestApp::spawn().await;
    let (browser, dest, customer) = user_with_destination(&app, "payer@example.com").await;
    for (amount, currency, field) in [
        ("0", "AED", "amount"),
        ("-5", "AED", "amount"),
        ("1.234", "AED", "amount"),
        ("1e3", "AED", "amount"),
        ("abc", "AED", "amount"),
        ("10", "USD", "currency"),
        // Lean's own limits (the mock banks allow 1 – 100,000), in plain words.
        ("0.50", "AED", "amount"),
        ("100000.01", "AED", "amount"),
    ] {
        let (status, body) = create(&app, &browser, &dest, amount, currency).await;
        assert_eq!(
            (status, body["Invalid"]["field"].as_str()),
            (400, Some(field)),
            "{amount} {currency}: {body}"
        );
    }

    let (status, row) = create(&app, &browser, &dest, "125.5", "AED").await;
    assert_eq!(status, 200, "{row}");
    assert_eq!(row["amount"], "125.50");
    assert_eq!(row["status"], "INTENT_CREATED");
    let intent_id = row["intent_id"].as_str().unwrap().to_owned();

    // Lean has exactly one intent for this customer, for exactly 125.50.
    let lean: Value = reqwest::Client::new()
        .get(format!("{}/payments/v1/intents?customer_id={customer}&page=0&size=50", app.sandbox_url))
        .bearer_auth(app.sandbox_api_token().await)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let intents = lean["data"].as_array().expect("intents");
    assert_eq!(intents.len(), 1, "{lean}");
    assert_eq!(intents[0]["payment_intent_id"], intent_id.as_str());
    assert_eq!(intents[0]["amount"].to_string(), "125.5");

    let (_, overview) = app.call(&browser, "payments_overview", &[]).await;
    assert_eq!(overview["payments"].as_array().map(Vec::len), Some(1));
    let (status, launch) = app.call(&browser, "launch_payment", &[("intent_id", &intent_id)]).await;
    assert_eq!(status, 200, "{launch}");
    assert_eq!(launch["payment_intent_id"], intent_id.as_str());
    assert!(launch["success_redirect_url"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/open-finance/success?intent_id={intent_id}")));
    assert!(launch["fail_redirect_url"].as_str().unwrap().contains("/open-finance/fail?"));
    app.stop().await;
}

#[tokio::test]
async fn another_users_payments_and_destinations_are_refused() {
    let app = TestApp::spawn().await;
    let (ann, ann_dest, _) = user_with_destination(&app, "ann@example.com").await;
    let (_, row) = create(&app, &ann, &ann_dest, "20", "AED").await;
    let intent_id = row["intent_id"].as_str().expect("intent").to_owned();

    let bob = app.browser();
    app.sign_up(&bob, "bob@example.com").await;
    for name in ["payment_status", "launch_payment"] {
        let (status, body) = app.call(&bob, name, &[("intent_id", &intent_id)]).await;
        assert_eq!(status, 403, "{name}: {body}");
        let (status, _) = app.call(&bob, name, &[("intent_id", "no-such-intent")]).await;
        assert_eq!(status, 403, "unknown ids look the same as others' ids");
    }
    let (status, _) = create(&app, &bob, &ann_dest, "20", "AED").await;
    assert_eq!(status, 403);
    let (status, _) = app.call(&bob, "launch_payment_source", &[("destination_id", &ann_dest)]).await;
    assert_eq!(status, 403);
    let (_, overview) = app.call(&bob, "payments_overview", &[]).await;
    assert_eq!(overview["payments"].as_array().map(Vec::len), Some(0));

    // Signed out: sign in first.
    let (status, _) = app.call(&app.browser(), "payments_overview", &[]).await;
    assert_eq!(status, 401);
    app.stop().await;
}

#[tokio::test]
async fn payment_webhooks_are_idempotent_and_reach_the_owner_live() {
    let app = TestApp::spawn().await;
    let (browser, dest, _) = user_with_destination(&app, "hooks@example.com").await;
    let (user, _) = {
        let (_, u) = app.call(&browser, "current_user", &[]).await;
        (u["id"].as_str().unwrap().to_owned(), ())
    };
    let (_, row) = create(&app, &browser, &dest, "125.50", "AED").await;
    let intent = row["intent_id"].as_str().unwrap().to_owned();
    let before = lean_merchant::server::db::live_events::latest_seq(&app.state.db, &user).await.unwrap();

    let created = payment_event("pay-ev-1", "payment.created", "pay-1", &intent, "PENDING_WITH_BANK");
    let updated = payment_event("pay-ev-2", "payment.updated", "pay-1", &intent, "ACCEPTED_BY_BANK");
    assert_eq!(app.post_signed(&created).await, 200);
    assert_eq!(processed(&app, "pay-ev-1").await, "processed");
    let (_, now) = app.call(&browser, "payment_status", &[("intent_id", &intent)]).await;
    assert_eq!(now["status"], "PENDING_WITH_BANK");
    assert_eq!(now["payment_id"], "pay-1");

    assert_eq!(app.post_signed(&updated).await, 200);
    assert_eq!(processed(&app, "pay-ev-2").await, "processed");
    // A redelivery (same event id) is not applied again; a late payment.created under a new event id
    // does not turn a final status back into pending.
    assert_eq!(app.post_signed(&updated).await, 200);
    let late = payment_event("pay-ev-3", "payment.created", "pay-1", &intent, "PENDING_WITH_BANK");
    assert_eq!(app.post_signed(&late).await, 200);
    assert_eq!(processed(&app, "pay-ev-3").await, "processed");
    let (_, now) = app.call(&browser, "payment_status", &[("intent_id", &intent)]).await;
    assert_eq!(now["status"], "ACCEPTED_BY_BANK");
    assert_eq!(payments::count_payments(&app.state.db, &intent).await.unwrap(), 1);

    // The owner was told, live.
    let events = lean_merchant::server::db::live_events::since(&app.state.db, &user, before).await.unwrap();
    assert!(
        events.iter().any(|(_, p)| p.contains("payment_changed") && p.contains("ACCEPTED_BY_BANK")),
        "{events:?}"
    );

    // payment_source.* events tell the source's owner to look again.
    let (_, me) = app.call(&browser, "current_user", &[]).await;
    let source = serde_json::to_vec(&json!({
        "type": "payment_source.beneficiary.updated", "message": "", "event_id": "pay-ev-6", "timestamp": "2026-05-12T15:40:36Z",
        "payload": {"id": "b-1", "status": "ACTIVE", "customer_id": me["customer_id"], "payment_source_id": "ps-1",
                    "payment_destination_id": dest, "payment_source_bank_identifier": "LEAN_MB1", "end_user_id": null}
    }))
    .unwrap();
    assert_eq!(app.post_signed(&source).await, 200);
    assert_eq!(processed(&app, "pay-ev-6").await, "processed");
    let events = lean_merchant::server::db::live_events::since(&app.state.db, &user, before).await.unwrap();
    assert!(
        events.iter().any(|(_, p)| p.contains("payment_source_changed") && p.contains("ps-1")),
        "{events:?}"
    );

    // Events for intents this app does not know are applied without harm.
    let stranger = payment_event("pay-ev-4", "payment.updated", "pay-x", "intent-unknown", "FAILED");
    assert_eq!(app.post_signed(&stranger).await, 200);
    assert_eq!(processed(&app, "pay-ev-4").await, "processed");
    let intent_created = serde_json::to_vec(&json!({
        "type": "payment_intent.created", "message": "", "event_id": "pay-ev-5", "timestamp": "2026-05-12T15:40:36Z",
        "payload": {"amount": 1, "reason": "x", "status": "INTENT_CREATED", "currency": "AED", "metadata": null, "intent_id": "intent-unknown"}
    }))
    .unwrap();
    assert_eq!(app.post_signed(&intent_created).await, 200);
    assert_eq!(processed(&app, "pay-ev-5").await, "processed");
    app.stop().await;
}
