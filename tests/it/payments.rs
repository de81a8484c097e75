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
    assert_eq!(row["amount"], json!({"minor": 12_550, "currency": "AED"}), "minor units with their currency");
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
        (lean_merchant::model::UserId::new(u["id"].as_str().unwrap()), ())
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
    assert_eq!(
        payments::count_payments(
            &app.state.db,
            &lean_merchant::model::PaymentIntentId::from(intent.as_str())
        )
        .await
        .unwrap(),
        1
    );

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

/// A customer-scoped token from the sandbox, as Lean's Link SDK would hold it in the browser.
async fn customer_token(app: &TestApp, customer_id: &str) -> String {
    let res: Value = reqwest::Client::new()
        .post(format!("{}/oauth2/token", app.sandbox_url))
        .form(&[
            ("client_id", crate::common::APP_TOKEN),
            ("client_secret", crate::common::CLIENT_SECRET),
            ("grant_type", "client_credentials"),
            ("scope", &format!("customer.{customer_id}")),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    res["access_token"].as_str().expect("customer token").to_owned()
}

/// What the Link UI does for `createPaymentSource`: a bank login with `payments`, which makes a
/// payment source with the destination as its first beneficiary. Returns the source id.
async fn payment_source(app: &TestApp, customer_id: &str, destination_id: &str) -> String {
    let res = reqwest::Client::new()
        .post(format!("{}/link/api/connect", app.sandbox_url))
        .bearer_auth(customer_token(app, customer_id).await)
        .json(&json!({
            "customer_id": customer_id, "bank_identifier": "LEAN_MB1", "username": "user_simple",
            "password": "pass_simple", "permissions": ["payments"], "payment_destination_id": destination_id,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    body["payment_source_id"].as_str().expect("payment source").to_owned()
}

#[tokio::test]
async fn beneficiary_launches_check_the_destination_and_the_source() {
    let app = TestApp::spawn().await;
    let (ann, ann_dest, ann_customer) = user_with_destination(&app, "ben-ann@example.com").await;
    let call = |c: &reqwest::Client, dest: &str, source: &str| {
        let (c, dest, source) = (c.clone(), dest.to_owned(), source.to_owned());
        let app = &app;
        async move {
            app.call(&c, "launch_beneficiary", &[("destination_id", &dest), ("payment_source_id", &source)])
                .await
        }
    };

    // Malformed ids are a plain 400 on the field; without a source there is nothing to add to.
    for (dest, source, field) in
        [("", "", "destination_id"), ("a b", "", "destination_id"), (&ann_dest, "x;y", "payment_source_id")]
    {
        let (status, body) = call(&ann, dest, source).await;
        assert_eq!(
            (status, body["Invalid"]["field"].as_str()),
            (400, Some(field)),
            "{dest} {source}: {body}"
        );
    }
    let (status, body) = call(&ann, &ann_dest, "").await;
    assert_eq!((status, body["Invalid"]["field"].as_str()), (400, Some("payment_source_id")), "{body}");
    assert!(body["Invalid"]["message"].as_str().unwrap().contains("payment source"), "{body}");

    let source = payment_source(&app, &ann_customer, &ann_dest).await;
    // An empty pick means the user's first source; an explicit one is passed on as it is.
    for pick in ["", source.as_str()] {
        let (status, launch) = call(&ann, &ann_dest, pick).await;
        assert_eq!(status, 200, "{launch}");
        assert_eq!(launch["payment_source_id"], source.as_str());
        assert_eq!(launch["payment_destination_id"], ann_dest.as_str());
        assert_eq!(launch["config"]["customer_id"], ann_customer.as_str());
        assert_eq!(launch["config"]["permissions"], json!(["payments"]));
        assert!(launch["config"]["access_token"].as_str().is_some_and(|t| !t.is_empty()));
    }

    // Bob may use neither Ann's destination nor Ann's source, and unknown ids look the same.
    let (bob, bob_dest, bob_customer) = user_with_destination(&app, "ben-bob@example.com").await;
    payment_source(&app, &bob_customer, &bob_dest).await;
    for (dest, source) in [
        (ann_dest.as_str(), ""),
        (bob_dest.as_str(), source.as_str()),
        (bob_dest.as_str(), "00000000-0000-0000-0000-000000000000"),
    ] {
        let (status, body) = call(&bob, dest, source).await;
        assert_eq!(status, 403, "{dest} {source}: {body}");
    }
    let (status, _) = app.call(&bob, "launch_payment_source", &[("destination_id", "")]).await;
    assert_eq!(status, 400);
    let (status, _) = call(&app.browser(), &ann_dest, "").await;
    assert_eq!(status, 401);
    app.stop().await;
}

#[tokio::test]
async fn payments_are_added_only_to_the_users_own_data_only_bank() {
    let app = TestApp::spawn().await;
    let (ann, ann_dest, ann_customer) = user_with_destination(&app, "up-ann@example.com").await;
    let call = |c: &reqwest::Client, dest: &str, entity: &str| {
        let (c, dest, entity) = (c.clone(), dest.to_owned(), entity.to_owned());
        let app = &app;
        async move {
            app.call(&c, "launch_add_payments", &[("destination_id", &dest), ("entity_id", &entity)]).await
        }
    };
    // A bank Ann connected for data only (Lean's entity.created webhook).
    assert_eq!(
        app.post_signed(&crate::common::entity_created("up-ent", "ann-data-bank", &ann_customer)).await,
        200
    );
    crate::common::eventually(|| async {
        let (_, list) = app.call(&ann, "list_entities", &[]).await;
        list.to_string().contains("ann-data-bank").then_some(())
    })
    .await;

    for (dest, entity, field) in
        [("", "ann-data-bank", "destination_id"), (ann_dest.as_str(), "a b", "entity_id")]
    {
        let (status, body) = call(&ann, dest, entity).await;
        assert_eq!(
            (status, body["Invalid"]["field"].as_str()),
            (400, Some(field)),
            "{dest} {entity}: {body}"
        );
    }
    let (status, launch) = call(&ann, &ann_dest, "ann-data-bank").await;
    assert_eq!(status, 200, "{launch}");
    assert_eq!(launch["entity_id"], "ann-data-bank");
    assert_eq!(launch["payment_source_id"], Value::Null);
    assert_eq!(launch["payment_destination_id"], ann_dest.as_str());
    assert_eq!(launch["config"]["permissions"], json!(["payments"]));
    // The page lists the bank among the user's banks.
    let (_, overview) = app.call(&ann, "payments_overview", &[]).await;
    assert!(overview["banks"].to_string().contains("ann-data-bank"), "{overview}");

    // Bob may use neither Ann's bank nor an unknown one, with his own destination or hers.
    let (bob, bob_dest, _) = user_with_destination(&app, "up-bob@example.com").await;
    for (dest, entity) in [
        (bob_dest.as_str(), "ann-data-bank"),
        (bob_dest.as_str(), "nope-1"),
        (ann_dest.as_str(), "ann-data-bank"),
    ] {
        let (status, body) = call(&bob, dest, entity).await;
        assert_eq!(status, 403, "{dest} {entity}: {body}");
    }
    let (status, _) = call(&app.browser(), &ann_dest, "ann-data-bank").await;
    assert_eq!(status, 401);
    app.stop().await;
}

#[tokio::test]
async fn payment_options_are_checked_before_lean_sees_them() {
    let app = TestApp::spawn().await;
    let (ann, dest, customer) = user_with_destination(&app, "opt-ann@example.com").await;
    let (status, intent) = create(&app, &ann, &dest, "20", "AED").await;
    assert_eq!(status, 200, "{intent}");
    let intent = intent["intent_id"].as_str().unwrap().to_owned();
    let source = payment_source(&app, &customer, &dest).await;
    let sources: Value = reqwest::Client::new()
        .get(format!("{}/customers/v1/{customer}/payment-sources/{source}", app.sandbox_url))
        .bearer_auth(app.sandbox_api_token().await)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let account = sources["accounts"][0]["account_id"].as_str().expect("an account").to_owned();
    let launch = |form: Vec<(&'static str, String)>| {
        let (ann, intent) = (ann.clone(), intent.clone());
        let app = &app;
        async move {
            let mut all = vec![("intent_id", intent)];
            all.extend(form);
            let form: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call(&ann, "launch_payment", &form).await
        }
    };

    // Each bad pick names its field, in plain words.
    let long_name = "A".repeat(141);
    for (form, field) in [
        (vec![("method", "pay".into()), ("bank_identifier", "NO_SUCH_BANK".into())], "bank_identifier"),
        (vec![("method", "pay".into()), ("bank_identifier", "LEAN_SME_MB1_UAE".into())], "bank_identifier"),
        (vec![("method", "pay".into()), ("account_id", "not-my-account".into())], "account_id"),
        (
            vec![
                ("method", "pay".into()),
                ("account_id", account.clone()),
                ("bank_identifier", "LEAN_OF_RETAIL_UAE".into()),
            ],
            "bank_identifier",
        ),
        (vec![("method", "checkout".into()), ("account_id", account.clone())], "account_id"),
        (vec![("method", "pay".into()), ("customer_name", "Ann Example".into())], "customer_name"),
        (vec![("method", "checkout".into()), ("customer_name", long_name)], "customer_name"),
        (vec![("method", "transfer".into())], "method"),
    ] {
        let (status, body) = launch(form.clone()).await;
        assert_eq!((status, body["Invalid"]["field"].as_str()), (400, Some(field)), "{form:?}: {body}");
    }

    // Good picks travel under Lean's names; the bare call is what it always was.
    let (status, plain) = launch(vec![]).await;
    assert_eq!(status, 200, "{plain}");
    assert_eq!(plain["options"], json!({}));
    let (status, pay) = launch(vec![
        ("method", "pay".into()),
        ("account_id", account.clone()),
        ("bank_identifier", "LEAN_MB1".into()),
        ("risk_details", "on".into()),
    ])
    .await;
    assert_eq!(status, 200, "{pay}");
    assert_eq!(
        pay["options"],
        json!({"account_id": account, "bank_identifier": "LEAN_MB1", "risk_details":
            {"transaction_indicators": {"channel": "WEB", "channel_type": "ECOMMERCE", "is_customer_present": true}}})
    );
    let (status, checkout) = launch(vec![
        ("method", "checkout".into()),
        ("bank_identifier", "LEAN_OF_RETAIL_UAE".into()),
        ("customer_name", "  Ann Example ".into()),
    ])
    .await;
    assert_eq!(status, 200, "{checkout}");
    assert_eq!(
        checkout["options"],
        json!({"bank_identifier": "LEAN_OF_RETAIL_UAE", "customer_name": "Ann Example"})
    );

    // Another user's account is not Bob's to pay from.
    let (bob, bob_dest, _) = user_with_destination(&app, "opt-bob@example.com").await;
    let (_, bob_intent) = create(&app, &bob, &bob_dest, "5", "AED").await;
    let bob_intent = bob_intent["intent_id"].as_str().unwrap().to_owned();
    let (status, body) = app
        .call(
            &bob,
            "launch_payment",
            &[("intent_id", &bob_intent), ("method", "pay"), ("account_id", &account)],
        )
        .await;
    assert_eq!((status, body["Invalid"]["field"].as_str()), (400, Some("account_id")), "{body}");
    app.stop().await;
}

#[tokio::test]
async fn a_bulk_payment_is_checked_stored_with_its_children_and_paid_only_by_its_owner() {
    let app = TestApp::spawn().await;
    let (ann, acme, _) = user_with_destination(&app, "bulk-ann@example.com").await;
    let (status, globex) = app
        .call(
            &ann,
            "create_destination",
            &[
                ("name", "Globex Trading LLC"),
                ("display_name", "Globex"),
                ("iban", "AE900331234567890123999"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{globex}");
    let globex = globex["id"].as_str().unwrap().to_owned();
    let bulk = |c: &reqwest::Client, lines: Vec<(String, &'static str)>, currency: &'static str| {
        let (c, app) = (c.clone(), &app);
        async move {
            let mut form: Vec<(String, String)> = Vec::new();
            for (n, (dest, amount)) in lines.iter().enumerate() {
                form.push((format!("destination_ids[{n}]"), dest.clone()));
                form.push((format!("amounts[{n}]"), amount.to_string()));
            }
            form.push(("currency".into(), currency.into()));
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            app.call(&c, "create_bulk_payment", &pairs).await
        }
    };

    // Each bad line is named; one payment is not a bulk.
    for (lines, currency, field) in [
        (vec![(acme.clone(), "10")], "AED", "amounts"),
        (vec![(acme.clone(), "10"), (globex.clone(), "1.234")], "AED", "amounts.1"),
        (vec![(acme.clone(), "10"), ("not-mine".to_owned(), "5")], "AED", "destination_ids.1"),
        (vec![(acme.clone(), "10"), (globex.clone(), "5")], "SAR", "destination_ids.0"),
        (vec![(acme.clone(), "10"), (globex.clone(), "5")], "EUR", "currency"),
    ] {
        let (status, body) = bulk(&ann, lines.clone(), currency).await;
        assert_eq!((status, body["Invalid"]["field"].as_str()), (400, Some(field)), "{lines:?}: {body}");
    }

    let (status, rows) = bulk(&ann, vec![(acme.clone(), "12.50"), (globex.clone(), "7")], "AED").await;
    assert_eq!(status, 200, "{rows}");
    let rows = rows.as_array().unwrap().clone();
    assert_eq!(rows.len(), 2);
    let bulk_id = rows[0]["bulk_id"].as_str().expect("children know their bulk").to_owned();
    assert_eq!(rows[1]["bulk_id"], bulk_id.as_str());
    assert_eq!(rows[0]["destination_name"], "Acme");
    assert_eq!(rows[1]["destination_name"], "Globex");
    assert_eq!(rows[0]["amount"]["minor"], 1250);
    let (_, overview) = app.call(&ann, "payments_overview", &[]).await;
    assert_eq!(
        overview["payments"].as_array().unwrap().iter().filter(|p| p["bulk_id"] == bulk_id.as_str()).count(),
        2
    );

    // Paying it: Lean.pay gets the bulk's id, not a child's.
    let (status, launch) = app.call(&ann, "launch_bulk_payment", &[("bulk_id", &bulk_id)]).await;
    assert_eq!(status, 200, "{launch}");
    assert_eq!(launch["bulk_payment_intent_id"], bulk_id.as_str());

    // Nobody else may, and unknown ids look the same.
    let (bob, _, _) = user_with_destination(&app, "bulk-bob@example.com").await;
    for id in [bulk_id.as_str(), "00000000-0000-4000-8000-000000000000", "a b"] {
        let (status, body) = app.call(&bob, "launch_bulk_payment", &[("bulk_id", id)]).await;
        assert_eq!(status, 403, "{id}: {body}");
    }
    app.stop().await;
}

/// What the sandbox's Link UI does for `verifyAddress` with a launch config from the app: log in to
/// Lean Mockbank as `user_simple` and compare the account holder with `customer_name`.
async fn sandbox_verify(app: &TestApp, launch: &Value) -> Value {
    let res = reqwest::Client::new()
        .post(format!("{}/link/api/verify-address", app.sandbox_url))
        .bearer_auth(launch["config"]["access_token"].as_str().unwrap())
        .json(&json!({
            "customer_id": launch["config"]["customer_id"], "bank_identifier": "LEAN_MB1",
            "username": "user_simple", "password": "pass_simple", "customer_name": launch["customer_name"],
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

#[tokio::test]
async fn verify_address_uses_the_name_kept_for_the_user() {
    let app = TestApp::spawn().await;
    let ann = app.browser();
    let (_, customer) = app.sign_up(&ann, "verify-ann@example.com").await;

    // No name yet: the launch asks for one, on the field the page shows it by.
    let (status, name) = app.call(&ann, "customer_name", &[]).await;
    assert_eq!((status, name), (200, Value::Null));
    let (status, body) = app.call(&ann, "launch_verify_address", &[]).await;
    assert_eq!((status, body["Invalid"]["field"].as_str()), (400, Some("customer_name")), "{body}");

    for bad in ["", "   ", "Ahmed", "Agent 007", "<b>x</b> y", &"Ab ".repeat(60)] {
        let (status, body) = app.call(&ann, "save_customer_name", &[("name", bad)]).await;
        assert_eq!(
            (status, body["Invalid"]["field"].as_str()),
            (400, Some("customer_name")),
            "{bad:?}: {body}"
        );
    }
    let (status, saved) = app.call(&ann, "save_customer_name", &[("name", "  Layla   Al Zaabi ")]).await;
    assert_eq!((status, saved.as_str()), (200, Some("Layla Al Zaabi")));
    let (_, name) = app.call(&ann, "customer_name", &[]).await;
    assert_eq!(name, "Layla Al Zaabi");

    let (status, launch) = app.call(&ann, "launch_verify_address", &[]).await;
    assert_eq!(status, 200, "{launch}");
    assert_eq!(launch["customer_name"], "Layla Al Zaabi");
    assert_eq!(launch["config"]["customer_id"], customer.as_str());
    assert_eq!(launch["config"]["permissions"], json!(["identity"]));
    assert_eq!(launch["config"]["language"], "en");

    // The sandbox's verifyAddress compares that name with the bank's account holder: a name that is
    // not the test user's is a NAME_MISMATCH, said back with the name.
    let verdict = Box::pin(sandbox_verify(&app, &launch)).await;
    assert_eq!(verdict["status"], "NAME_MISMATCH", "{verdict}");

    // The sandbox's test user `user_simple` is Fatima Al Mansouri at every bank: that name matches.
    let (status, _) = app.call(&ann, "save_customer_name", &[("name", "fatima  al mansouri")]).await;
    assert_eq!(status, 200);
    let (_, launch2) = app.call(&ann, "launch_verify_address", &[]).await;
    let matched = Box::pin(sandbox_verify(&app, &launch2)).await;
    assert_eq!(matched["status"], "OK", "{matched}");

    // The outcome is recorded in the flow history like every launch.
    let callback = json!({"method": "verifyAddress", "data": {
        "status": "ERROR", "secondary_status": "NAME_MISMATCH", "message": verdict["message"],
        "lean_correlation_id": "corr-1", "exit_point": "VERIFY_ADDRESS"}});
    let res = ann.post(format!("{}/api/record_flow_outcome", app.url)).json(&callback).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let (_, flows) = app.call(&ann, "recent_flows", &[]).await;
    assert_eq!(flows[0]["method"], "verifyAddress", "{flows}");
    assert_eq!(flows[0]["secondary_status"], "NAME_MISMATCH");

    // Another user sees no name of Ann's, and has to give their own.
    let bob = app.browser();
    app.sign_up(&bob, "verify-bob@example.com").await;
    let (_, name) = app.call(&bob, "customer_name", &[]).await;
    assert_eq!(name, Value::Null);
    let (status, _) = app.call(&bob, "launch_verify_address", &[]).await;
    assert_eq!(status, 400);

    // In Arabic, the validation message is Arabic and the SDK is told to speak Arabic.
    let res = ann.get(format!("{}/lang/ar?back=/payments", app.url)).send().await.unwrap();
    assert!(res.status().is_success() || res.status().is_redirection());
    let (_, body) = app.call(&ann, "save_customer_name", &[("name", "Layla")]).await;
    let message = body["Invalid"]["message"].as_str().unwrap_or_default();
    assert!(message.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)), "{body}");
    let (_, launch) = app.call(&ann, "launch_verify_address", &[]).await;
    assert_eq!(launch["config"]["language"], "ar");

    // Signed out: sign in first.
    for name in ["customer_name", "launch_verify_address"] {
        let (status, _) = app.call(&app.browser(), name, &[]).await;
        assert_eq!(status, 401, "{name}");
    }
    let (status, _) = app.call(&app.browser(), "save_customer_name", &[("name", "Layla Al Zaabi")]).await;
    assert_eq!(status, 401);
    app.stop().await;
}

#[tokio::test]
async fn payment_validation_speaks_the_callers_language() {
    let app = TestApp::spawn().await;
    let (browser, dest, _) = user_with_destination(&app, "lang-payer@example.com").await;
    let (_, en) = create(&app, &browser, &dest, "1.234", "AED").await;
    assert_eq!(en["Invalid"]["message"], "Use at most two decimals.");
    browser.get(format!("{}/lang/ar?back=/payments", app.url)).send().await.unwrap();
    let (_, ar) = create(&app, &browser, &dest, "1.234", "AED").await;
    assert_eq!(ar["Invalid"]["message"], "استخدم خانتين عشريتين كحد أقصى.");
    // Lean's own refusal (over the bank's limit) is in plain Arabic words too, without Lean's code.
    let (_, ar) = create(&app, &browser, &dest, "100000.01", "AED").await;
    assert_eq!(ar["Invalid"]["message"], "هذا المبلغ أعلى من أقصى دفعة يسمح بها البنك.", "{ar}");
    app.stop().await;
}

#[tokio::test]
async fn an_open_finance_return_is_recorded_once_per_user() {
    let app = TestApp::spawn().await;
    let ann = app.browser();
    app.sign_up(&ann, "return-ann@example.com").await;
    let key = "consent_attempt_id:8f0c1d2e-0000-4000-8000-000000000001";
    let report = |client: &reqwest::Client, status: &str| {
        let body = json!({"return_key": key, "data": {"status": status, "lean_correlation_id": "corr-r"}});
        let req = client.post(format!("{}/api/record_return", app.url)).json(&body);
        async move {
            let res = req.send().await.unwrap();
            (res.status().as_u16(), res.json::<Value>().await.unwrap())
        }
    };
    let (_, none) = app.call(&ann, "recorded_return", &[("return_key", key)]).await;
    assert_eq!(none, Value::Null, "not handled yet");
    let (status, first) = report(&ann, "SUCCESS").await;
    assert_eq!(status, 200, "{first}");
    // A reload reports the same return again: the first record is the answer, nothing new is kept.
    let (status, again) = report(&ann, "CANCELLED").await;
    assert_eq!(status, 200);
    assert_eq!(again["id"], first["id"]);
    assert_eq!(again["status"], "SUCCESS");
    let (_, found) = app.call(&ann, "recorded_return", &[("return_key", key)]).await;
    assert_eq!(found["id"], first["id"]);
    let (_, flows) = app.call(&ann, "recent_flows", &[]).await;
    let captures = flows.as_array().unwrap().iter().filter(|f| f["method"] == "captureRedirect").count();
    assert_eq!(captures, 1, "{flows}");

    // Keys are per user: the same return reported by someone else is theirs, and Ann's stays hidden.
    let bob = app.browser();
    app.sign_up(&bob, "return-bob@example.com").await;
    let (_, hidden) = app.call(&bob, "recorded_return", &[("return_key", key)]).await;
    assert_eq!(hidden, Value::Null);
    let (status, bobs) = report(&bob, "CANCELLED").await;
    assert_eq!(status, 200);
    assert_ne!(bobs["id"], first["id"]);

    // A key no return URL could give is refused in plain words.
    let (status, body) = app.call(&ann, "recorded_return", &[("return_key", "")]).await;
    assert_eq!(status, 400, "{body}");
    app.stop().await;
}
