//! Account-on-File consents: creation with every input checked, the owner only (403 for anyone
//! else), a payment attempt that pays once however often it is sent, and the webhooks that move
//! consents and their payments (idempotent, a final status never undone).

use crate::common::{eventually, TestApp};
use lean_merchant::model::ConsentId;
use lean_merchant::server::db::{consents, live_events, webhook_events};
use serde_json::{json, Value};

const GOOD_IBAN: &str = "AE070331234567890123456";
const EMIRATES_ID: &str = "784-1990-1234567-1";

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

/// The create_consent form with sensible values; `overrides` replace single fields.
async fn create(app: &TestApp, c: &reqwest::Client, dest: &str, overrides: &[(&str, &str)]) -> (u16, Value) {
    let mut form: Vec<(&str, &str)> = vec![
        ("destination_id", dest),
        ("currency", "AED"),
        ("reference", "ACME-SUBSCRIPTION-1"),
        ("purpose", "GDS"),
        ("period_type", "Month"),
        ("max_individual", "100"),
        ("max_per_period", "300"),
        ("max_payments_per_period", "5"),
        ("max_total", ""),
        ("max_payments", ""),
        ("expiry_date", ""),
        ("emirates_id", EMIRATES_ID),
    ];
    for (k, v) in overrides {
        form.iter_mut().find(|(name, _)| name == k).expect("known field").1 = v;
    }
    app.call(c, "create_consent", &form).await
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

async fn local_status(app: &TestApp, consent_id: &str) -> String {
    consents::get(&app.state.db, &ConsentId::from(consent_id))
        .await
        .unwrap()
        .expect("stored")
        .2
        .status
        .to_string()
}

/// The bank side of `Lean.authorizeConsent`, as the sandbox's Link UI does it with the customer token.
async fn authorise_at_bank(app: &TestApp, customer_id: &str, consent_id: &str) {
    let token = app
        .state
        .lean
        .customer_token(&lean_merchant::model::CustomerId::new(customer_id))
        .await
        .expect("customer token");
    let res: Value = reqwest::Client::new()
        .post(format!("{}/link/api/authorize-consent", app.sandbox_url))
        .bearer_auth(token)
        .json(&json!({
            "consent_id": consent_id, "bank_identifier": "LEAN_OF_RETAIL_UAE",
            "username": "user_simple", "password": "pass_simple",
        }))
        .send()
        .await
        .expect("sandbox reachable")
        .json()
        .await
        .expect("json");
    assert_eq!(res["outcome"], "SUCCESS", "{res}");
}

/// Lean's own view of a consent, with its payment consumption.
async fn at_lean(app: &TestApp, consent_id: &str) -> Value {
    let token = app.sandbox_api_token().await;
    reqwest::Client::new()
        .get(format!("{}/consents/v1/{consent_id}", app.sandbox_url))
        .bearer_auth(token)
        .send()
        .await
        .expect("sandbox reachable")
        .json()
        .await
        .expect("json")
}

#[tokio::test]
async fn consent_inputs_are_checked_and_errors_name_the_field() {
    let app = TestApp::spawn().await;
    let (browser, dest, _) = user_with_destination(&app, "consent-form@example.com").await;
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("currency", "USD")], "currency"),
        (&[("reference", "   ")], "reference"),
        (&[("reference", &"R".repeat(65))], "reference"),
        (&[("purpose", "XYZ")], "purpose"),
        (&[("period_type", "Fortnight")], "period_type"),
        (&[("max_individual", "12.345")], "max_individual"),
        (&[("max_individual", "0")], "max_individual"),
        (&[("max_individual", "-5")], "max_individual"),
        (&[("max_per_period", "abc")], "max_per_period"),
        (&[("max_payments_per_period", "0")], "max_payments_per_period"),
        (&[("max_payments", "2.5")], "max_payments"),
        (&[("max_payments", "10001")], "max_payments"),
        // Lean needs a per-payment limit, a total or a number of payments.
        (&[("max_individual", ""), ("max_total", ""), ("max_payments", "")], "max_individual"),
        (&[("max_individual", "500"), ("max_per_period", "300")], "max_individual"),
        (&[("max_individual", "500"), ("max_per_period", ""), ("max_total", "400")], "max_individual"),
        (&[("expiry_date", "31/12/2030")], "expiry_date"),
        (&[("expiry_date", "2020-01-01")], "expiry_date"),
        (&[("expiry_date", "2099-01-01")], "expiry_date"),
        (&[("emirates_id", "123-4567")], "emirates_id"),
        (&[("destination_id", "")], "destination_id"),
        // Lean's own rule: a customer with no government id on file must give one.
        (&[("emirates_id", "")], "emirates_id"),
    ];
    for (overrides, field) in cases {
        let (status, body) = create(&app, &browser, &dest, overrides).await;
        assert_eq!(status, 400, "{overrides:?}: {body}");
        assert_eq!(body["Invalid"]["field"], *field, "{overrides:?}: {body}");
        assert!(!body["Invalid"]["message"].as_str().unwrap_or_default().is_empty(), "{body}");
    }
    // Someone else's (or an unknown) destination is refused, not used.
    let (status, _) = create(&app, &browser, "0d6f4c3e-0000-4000-8000-000000000000", &[]).await;
    assert_eq!(status, 403);

    let (status, list) = app.call(&browser, "consents_overview", &[]).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["consents"].as_array().map(Vec::len), Some(0), "nothing was created: {list}");

    let (status, consent) = create(&app, &browser, &dest, &[("expiry_date", "2030-06-30")]).await;
    assert_eq!(status, 200, "{consent}");
    assert_eq!(consent["status"], "AWAITING_AUTHORISATION");
    // Limits are money: minor units with their currency.
    assert_eq!(consent["max_individual"], json!({"minor": 10_000, "currency": "AED"}));
    assert_eq!(consent["max_per_period"], json!({"minor": 30_000, "currency": "AED"}));
    assert_eq!(consent["max_payments_per_period"], 5);
    assert!(consent["expires_at"].as_str().unwrap().starts_with("2030-06-30"), "{consent}");
    let id = consent["consent_id"].as_str().unwrap();
    // Reading the list again and again (it takes Lean's word for statuses) changes nothing, so it
    // tells the open pages nothing: they refetch on such news.
    let user_id = consents::owner(&app.state.db, &ConsentId::from(id)).await.unwrap().expect("owner");
    let before = live_events::latest_seq(&app.state.db, &user_id).await.unwrap();
    for _ in 0..3 {
        assert_eq!(app.call(&browser, "consents_overview", &[]).await.0, 200);
        assert_eq!(app.call(&browser, "consent_details", &[("consent_id", id)]).await.0, 200);
    }
    assert_eq!(live_events::latest_seq(&app.state.db, &user_id).await.unwrap(), before);
    // Lean holds the same control parameters.
    let lean = at_lean(&app, id).await;
    assert_eq!(lean["control_parameters"]["period_type"], "Month", "{lean}");
    assert_eq!(lean["control_parameters"]["max_individual_amount"].as_f64(), Some(100.0), "{lean}");
    assert_eq!(lean["control_parameters"]["max_cumulative_number_of_payments_per_period"], 5, "{lean}");

    // A consent awaiting authorisation cannot pay yet.
    let (status, body) = app
        .call(&browser, "pay_with_consent", &[("consent_id", id), ("amount", "10"), ("attempt", "a-1")])
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["Invalid"]["field"], "amount");
    app.stop().await;
}

#[tokio::test]
async fn another_users_consent_is_refused_with_403() {
    let app = TestApp::spawn().await;
    let (owner, dest, _) = user_with_destination(&app, "consent-owner@example.com").await;
    let (status, consent) = create(&app, &owner, &dest, &[]).await;
    assert_eq!(status, 200, "{consent}");
    let id = consent["consent_id"].as_str().unwrap();

    let (other, other_dest, _) = user_with_destination(&app, "consent-other@example.com").await;
    for (name, form) in [
        ("consent_details", vec![("consent_id", id)]),
        ("launch_consent", vec![("consent_id", id)]),
        ("revoke_consent", vec![("consent_id", id)]),
        ("pay_with_consent", vec![("consent_id", id), ("amount", "10"), ("attempt", "x-1")]),
    ] {
        let (status, body) = app.call(&other, name, &form).await;
        assert_eq!(status, 403, "{name}: {body}");
        assert!(!body.to_string().contains("ACME"), "{name} leaked the consent: {body}");
    }
    // The other user's list does not show it; their own destination cannot be swapped in either.
    let (_, list) = app.call(&other, "consents_overview", &[]).await;
    assert_eq!(list["consents"].as_array().map(Vec::len), Some(0), "{list}");
    let (status, _) = create(&app, &owner, &other_dest, &[]).await;
    assert_eq!(status, 403);
    // Unknown ids look the same as someone else's.
    let (status, _) = app.call(&other, "consent_details", &[("consent_id", "nope")]).await;
    assert_eq!(status, 403);
    // Signed out: sign in first.
    let (status, _) = app.call(&app.browser(), "launch_consent", &[("consent_id", id)]).await;
    assert_eq!(status, 401);
    // The owner gets a launch config that names the consent flow in both redirect URLs.
    let (status, launch) = app.call(&owner, "launch_consent", &[("consent_id", id)]).await;
    assert_eq!(status, 200, "{launch}");
    for key in ["success_redirect_url", "fail_redirect_url"] {
        let url = launch[key].as_str().unwrap();
        assert!(url.contains("flow=consent") && url.contains(id), "{url}");
    }
    app.stop().await;
}

#[tokio::test]
async fn one_attempt_pays_once_and_webhooks_move_consent_and_payment() {
    let app = TestApp::spawn().await;
    let (browser, dest, customer) = user_with_destination(&app, "consent-pay@example.com").await;
    let (status, consent) = create(&app, &browser, &dest, &[]).await;
    assert_eq!(status, 200, "{consent}");
    let id = consent["consent_id"].as_str().unwrap().to_owned();

    // The bank authorises; consent.status.updated makes it AUTHORISED here.
    authorise_at_bank(&app, &customer, &id).await;
    eventually(|| async { (local_status(&app, &id).await == "AUTHORISED").then_some(()) }).await;
    let stored =
        consents::get(&app.state.db, &ConsentId::from(id.as_str())).await.unwrap().expect("stored").2;
    assert_eq!(stored.bank_identifier.as_deref(), Some("LEAN_OF_RETAIL_UAE"));

    // The attempt id the page would send with "Pay now", and two identical submissions at once
    // (a double click): one payment at Lean, the same payment in both answers.
    let (_, list) = app.call(&browser, "consents_overview", &[]).await;
    // The bank is named from Lean's bank list, in both languages, not only by its code.
    let bank = &list["consents"][0]["bank_name"];
    assert_eq!(bank["name"], "Lean Open Finance MockBank", "{list}");
    assert_eq!(bank["arabic_name"], "بنك لين التجريبي للتمويل المفتوح");
    let attempt = list["consents"][0]["pay_attempt"].as_str().expect("attempt id").to_owned();
    let form = [("consent_id", id.as_str()), ("amount", "25.00"), ("attempt", attempt.as_str())];
    let (a, b) = tokio::join!(
        app.call(&browser, "pay_with_consent", &form),
        app.call(&browser, "pay_with_consent", &form)
    );
    assert_eq!(a.0, 200, "{}", a.1);
    assert_eq!(b.0, 200, "{}", b.1);
    let payment_id = a.1["payment_id"].as_str().expect("payment id").to_owned();
    assert_eq!(b.1["payment_id"], payment_id.as_str());
    // A third time, later (a retry): still the same payment.
    let (status, again) = app.call(&browser, "pay_with_consent", &form).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["payment_id"], payment_id.as_str());
    let lean = at_lean(&app, &id).await;
    assert_eq!(lean["payment_consumption"]["cumulative_number_of_payments"], 1, "{lean}");

    // payment.created / payment.updated move it to PROCESSED (the sandbox settles on its own).
    eventually(|| async {
        let (_, list) = app.call(&browser, "consents_overview", &[]).await;
        let payments = list["consents"][0]["payments"].as_array().cloned().unwrap_or_default();
        (payments.len() == 1 && payments[0]["status"] == "PROCESSED").then_some(())
    })
    .await;
    assert_eq!(consents::count_payments(&app.state.db, &ConsentId::from(id.as_str())).await.unwrap(), 1);

    // Over the per-payment limit: refused here, before Lean; a new attempt id pays again.
    let (_, list) = app.call(&browser, "consents_overview", &[]).await;
    let next = list["consents"][0]["pay_attempt"].as_str().unwrap().to_owned();
    assert_ne!(next, attempt, "a finished attempt is never reused");
    let (status, body) = app
        .call(&browser, "pay_with_consent", &[("consent_id", &id), ("amount", "150"), ("attempt", &next)])
        .await;
    assert_eq!((status, body["Invalid"]["field"].as_str()), (400, Some("amount")), "{body}");
    let (status, body) = app
        .call(&browser, "pay_with_consent", &[("consent_id", &id), ("amount", "30"), ("attempt", &next)])
        .await;
    assert_eq!(status, 200, "{body}");
    assert_ne!(body["payment_id"], payment_id.as_str());
    let lean = at_lean(&app, &id).await;
    assert_eq!(lean["payment_consumption"]["cumulative_number_of_payments"], 2, "{lean}");

    // Revoked: at Lean and here, and no more payments.
    let (status, revoked) = app.call(&browser, "revoke_consent", &[("consent_id", &id)]).await;
    assert_eq!(status, 200, "{revoked}");
    assert_eq!(revoked["status"], "REVOKED");
    assert_eq!(at_lean(&app, &id).await["status"], "REVOKED");
    let (status, body) = app
        .call(&browser, "pay_with_consent", &[("consent_id", &id), ("amount", "5"), ("attempt", "late-1")])
        .await;
    assert_eq!(status, 400, "{body}");

    // A late or redelivered AUTHORISED never revives a revoked consent.
    let late = serde_json::to_vec(&json!({
        "type": "consent.status.updated", "message": "A consent status has been updated.",
        "payload": { "id": id, "consent_id": id, "customer_id": customer, "status": "AUTHORISED",
                     "consent_type": "ACCOUNT_ON_FILE", "bank_identifier": "LEAN_OF_RETAIL_UAE" },
        "event_id": "late-consent-event", "timestamp": "2026-05-12T15:40:36Z"
    }))
    .unwrap();
    assert_eq!(app.post_signed(&late).await, 200);
    assert_eq!(processed(&app, "late-consent-event").await, "processed");
    assert_eq!(local_status(&app, &id).await, "REVOKED");
    app.stop().await;
}

#[tokio::test]
async fn consent_webhooks_for_unknown_consents_and_early_payments_are_tolerated() {
    let app = TestApp::spawn().await;
    let (browser, dest, customer) = user_with_destination(&app, "consent-hooks@example.com").await;
    let (_, consent) = create(&app, &browser, &dest, &[]).await;
    let id = consent["consent_id"].as_str().unwrap().to_owned();
    let event = |event_id: &str, kind: &str, payload: Value| {
        serde_json::to_vec(&json!({
            "type": kind, "message": "m", "payload": payload, "event_id": event_id,
            "timestamp": "2026-05-12T15:40:36Z"
        }))
        .unwrap()
    };
    // A consent this app never made: stored, processed, nobody told.
    let unknown = event(
        "c-unknown",
        "consent.status.updated",
        json!({"id": "not-ours", "customer_id": customer, "status": "AUTHORISED"}),
    );
    assert_eq!(app.post_signed(&unknown).await, 200);
    assert_eq!(processed(&app, "c-unknown").await, "processed");

    // payment.updated before payment.created (and before any answer to our POST): the later
    // status stays.
    let aof = |status: &str| {
        json!({"id": "p-early", "type": "ACCOUNT_ON_FILE", "amount": 12.5, "status": status,
               "currency": "AED", "consent_id": id, "customer_id": customer})
    };
    assert_eq!(app.post_signed(&event("p-2", "payment.updated", aof("PROCESSED"))).await, 200);
    assert_eq!(processed(&app, "p-2").await, "processed");
    assert_eq!(app.post_signed(&event("p-1", "payment.created", aof("CREATED"))).await, 200);
    assert_eq!(processed(&app, "p-1").await, "processed");
    let (_, list) = app.call(&browser, "consents_overview", &[]).await;
    let payments = &list["consents"][0]["payments"];
    assert_eq!(payments.as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!(payments[0]["status"], "PROCESSED");
    assert_eq!(payments[0]["amount"]["minor"], 1_250);
    app.stop().await;
}
