//! Webhooks out of order and more than once (Lean retries, and nothing orders deliveries across
//! objects): the state a user sees must end the same as if they had come in order, once.

use crate::common::{entity_created, eventually, TestApp};
use lean_merchant::server::db::{live_events, payments, webhook_events};
use serde_json::{json, Value};

async fn applied(app: &TestApp, event_id: &str) {
    let status = eventually(|| async {
        webhook_events::status_of(&app.state.db, event_id)
            .await
            .unwrap()
            .filter(|(s, _)| s != "received" && s != "processing")
    })
    .await
    .0;
    assert_eq!(status, "processed", "{event_id}");
}

fn event(event_id: &str, kind: &str, payload: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "type": kind, "message": "", "payload": payload, "event_id": event_id,
        "timestamp": "2026-05-12T15:40:36.398576427Z"
    }))
    .unwrap()
}

#[tokio::test]
async fn payment_updated_before_payment_created_ends_in_the_final_status() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    app.sign_up(&browser, "order@example.com").await;
    let (status, dest) = app
        .call(
            &browser,
            "create_destination",
            &[("name", "Acme Trading LLC"), ("display_name", "Acme"), ("iban", "AE070331234567890123456")],
        )
        .await;
    assert_eq!(status, 200, "{dest}");
    let (status, row) = app
        .call(
            &browser,
            "create_payment",
            &[
                ("destination_id", dest["id"].as_str().unwrap()),
                ("amount", "10"),
                ("currency", "AED"),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(status, 200, "{row}");
    let intent = row["intent_id"].as_str().unwrap().to_owned();
    let payload = |status: &str| {
        json!({"id": "pay-o-1", "amount": 10, "status": status, "currency": "AED", "intent_id": intent,
               "customer_id": "c-any", "payment_destination_id": "d-any"})
    };

    // The final word first, then the older news, each delivered twice.
    for _ in 0..2 {
        assert_eq!(
            app.post_signed(&event("ord-2", "payment.updated", payload("ACCEPTED_BY_BANK"))).await,
            200
        );
    }
    applied(&app, "ord-2").await;
    for _ in 0..2 {
        assert_eq!(
            app.post_signed(&event("ord-1", "payment.created", payload("PENDING_WITH_BANK"))).await,
            200
        );
    }
    applied(&app, "ord-1").await;

    let (_, now) = app.call(&browser, "payment_status", &[("intent_id", &intent)]).await;
    assert_eq!(now["status"], "ACCEPTED_BY_BANK", "{now}");
    assert_eq!(
        payments::count_payments(
            &app.state.db,
            &lean_merchant::model::PaymentIntentId::from(intent.as_str())
        )
        .await
        .unwrap(),
        1
    );
    app.stop().await;
}

#[tokio::test]
async fn a_beneficiary_before_its_source_and_its_bank_ends_right() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    let (user, customer) = app.sign_up(&browser, "early@example.com").await;
    let before = live_events::latest_seq(&app.state.db, &user).await.unwrap();
    let beneficiary = |status: &str| {
        json!({"id": "ben-1", "status": status, "customer_id": customer, "payment_source_id": "ps-o-1",
               "payment_destination_id": "d-1", "payment_source_bank_identifier": "LEAN_MB1"})
    };

    // Cool-off over, then the beneficiary's creation, then the source, then the bank connection.
    assert_eq!(
        app.post_signed(&event("ben-2", "payment_source.beneficiary.updated", beneficiary("ACTIVE"))).await,
        200
    );
    applied(&app, "ben-2").await;
    let created = beneficiary("AWAITING_BENEFICIARY_COOL_OFF");
    assert_eq!(app.post_signed(&event("ben-1", "payment_source.beneficiary.created", created)).await, 200);
    applied(&app, "ben-1").await;
    let source =
        json!({"id": "ps-o-1", "customer_id": customer, "status": "ACTIVE", "bank_identifier": "LEAN_MB1"});
    assert_eq!(app.post_signed(&event("ps-1", "payment_source.created", source)).await, 200);
    applied(&app, "ps-1").await;
    assert_eq!(app.post_signed(&entity_created("ent-o-1", "entity-late", &customer)).await, 200);
    applied(&app, "ent-o-1").await;

    // Each change reached the owner live (the page then reads the source's state from Lean, which is
    // the truth for cool-off), and the late bank connection is there.
    let events = live_events::since(&app.state.db, &user, before).await.unwrap();
    let sources =
        events.iter().filter(|(_, p)| p.contains("payment_source_changed") && p.contains("ps-o-1")).count();
    assert_eq!(sources, 3, "{events:?}");
    let (_, entities) = app.call(&browser, "list_entities", &[]).await;
    assert!(entities.to_string().contains("entity-late"), "{entities}");
    app.stop().await;
}
