//! One user against another: Bea tries every call that names one of Ann's things (bank connection,
//! account, payment, destination, consent, Lean customer) and is refused each time, without learning
//! anything about them; her own lists and her live stream never show Ann's things either.

use std::time::Duration;

use crate::common::{entity_created, eventually, TestApp};
use futures::StreamExt;

const IBAN: &str = "AE070331234567890123456";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_users_things_are_refused_everywhere() {
    let app = TestApp::spawn().await;
    let ann = app.browser();
    let (_, ann_customer) = app.sign_up(&ann, "ann@example.com").await;
    let bea = app.browser();
    app.sign_up(&bea, "bea@example.com").await;

    // Ann's things: a bank connection, a destination, a payment and a consent.
    assert_eq!(app.post_signed(&entity_created("authz-ent", "ann-entity-1", &ann_customer)).await, 200);
    eventually(|| async {
        let (_, list) = app.call(&ann, "list_entities", &[]).await;
        list.to_string().contains("ann-entity-1").then_some(())
    })
    .await;
    let (status, dest) = app
        .call(
            &ann,
            "create_destination",
            &[("name", "Acme Trading LLC"), ("display_name", "Acme"), ("iban", IBAN)],
        )
        .await;
    assert_eq!(status, 200, "{dest}");
    let dest = dest["id"].as_str().unwrap().to_owned();
    let (status, pay) = app
        .call(
            &ann,
            "create_payment",
            &[("destination_id", &dest), ("amount", "12.50"), ("currency", "AED"), ("description", "")],
        )
        .await;
    assert_eq!(status, 200, "{pay}");
    let intent = pay["intent_id"].as_str().unwrap().to_owned();
    let (status, consent) = app
        .call(
            &ann,
            "create_consent",
            &[
                ("destination_id", &dest),
                ("currency", "AED"),
                ("reference", "ANN-1"),
                ("purpose", "GDS"),
                ("period_type", "Month"),
                ("max_individual", "100"),
                ("max_per_period", "300"),
                ("max_payments_per_period", "5"),
                ("max_total", ""),
                ("max_payments", ""),
                ("expiry_date", ""),
                ("emirates_id", "784-1990-1234567-1"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{consent}");
    let consent = consent["consent_id"].as_str().expect("consent id").to_owned();

    let e = "ann-entity-1";
    let attempts: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("entity_overview", vec![("entity_id", e)]),
        (
            "account_transactions",
            vec![
                ("entity_id", e),
                ("account_id", "a1"),
                ("from", "2026-01-01"),
                ("to", "2026-02-01"),
                ("page", "0"),
            ],
        ),
        ("account_insights", vec![("entity_id", e), ("account_id", "a1")]),
        ("launch_reconnect", vec![("entity_id", e)]),
        ("refresh_entity", vec![("entity_id", e)]),
        ("disconnect_entity", vec![("entity_id", e)]),
        ("payment_status", vec![("intent_id", &intent)]),
        ("launch_payment", vec![("intent_id", &intent)]),
        (
            "create_payment",
            vec![("destination_id", &dest), ("amount", "1"), ("currency", "AED"), ("description", "")],
        ),
        ("launch_payment_source", vec![("destination_id", &dest)]),
        ("launch_beneficiary", vec![("destination_id", &dest), ("payment_source_id", "ps-1")]),
        ("launch_add_payments", vec![("destination_id", &dest), ("entity_id", e)]),
        ("consent_details", vec![("consent_id", &consent)]),
        ("launch_consent", vec![("consent_id", &consent)]),
        (
            "pay_with_consent",
            vec![
                ("consent_id", &consent),
                ("amount", "1"),
                ("attempt", "00000000-0000-4000-8000-000000000001"),
            ],
        ),
        ("revoke_consent", vec![("consent_id", &consent)]),
        ("customer_token", vec![("customer_id", &ann_customer)]),
    ];
    for (name, form) in &attempts {
        let (status, body) = app.call(&bea, name, form).await;
        assert_eq!(status, 403, "{name}: Bea got {status} {body}");
        let text = body.to_string();
        for secret in ["Acme Trading", IBAN, "ANN-1", "12.50", "1250"] {
            assert!(!text.contains(secret), "{name} told Bea about Ann's {secret}: {text}");
        }
        // Signed out is a sign-in prompt, not a leak either.
        let (status, _) = app.call(&app.browser(), name, form).await;
        assert_eq!(status, 401, "{name} signed out");
    }

    // Nothing of Ann's is in Bea's own lists.
    for list in ["list_entities", "payments_overview", "consents_overview", "recent_flows"] {
        let (status, body) = app.call(&bea, list, &[]).await;
        assert_eq!(status, 200, "{list}: {body}");
        let text = body.to_string();
        for id in [e, dest.as_str(), intent.as_str(), consent.as_str()] {
            assert!(!text.contains(id), "{list} shows Bea Ann's {id}");
        }
    }

    // Ann's things still work for Ann (the refusals changed nothing).
    let (status, _) = app.call(&ann, "payment_status", &[("intent_id", &intent)]).await;
    assert_eq!(status, 200);
    let (status, _) = app.call(&ann, "consent_details", &[("consent_id", &consent)]).await;
    assert_eq!(status, 200);
    let (_, list) = app.call(&ann, "list_entities", &[]).await;
    assert!(list.to_string().contains(e));

    // Bea's live stream stays quiet while Ann's bank changes.
    let res = bea.get(format!("{}/live", app.url)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let mut stream = res.bytes_stream();
    assert_eq!(app.post_signed(&entity_created("authz-ent-2", "ann-entity-2", &ann_customer)).await, 200);
    let heard = tokio::time::timeout(Duration::from_millis(1500), async {
        let mut seen = String::new();
        while let Some(Ok(chunk)) = stream.next().await {
            seen.push_str(&String::from_utf8_lossy(&chunk));
            if seen.contains("ann-entity-2") {
                return seen;
            }
        }
        seen
    })
    .await;
    assert!(heard.is_err() || !heard.as_ref().unwrap().contains("ann-entity-2"), "{heard:?}");
    app.stop().await;
}
