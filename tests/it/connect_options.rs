//! `Lean.connect`'s optional fields through the app: each choice checked before Lean is asked, the
//! brand from the settings, and "my bank is not listed" followed by the bank the person wanted.

use crate::common::TestApp;
use serde_json::{json, Value};

#[tokio::test]
async fn connect_options_are_checked_before_lean_is_asked() {
    let app = TestApp::spawn_with(&[("LEAN_DESTINATION_ALIAS", "Acme Store")]).await;
    let ann = app.browser();
    app.sign_up(&ann, "options@example.com").await;

    // What the page offers: Lean's banks, in both languages, and the brand from the settings.
    let (status, choices) = app.call(&ann, "connect_choices", &[]).await;
    assert_eq!(status, 200, "{choices}");
    let mockbank =
        choices["banks"].as_array().unwrap().iter().find(|b| b["identifier"] == "LEAN_MB1").cloned();
    assert_eq!(mockbank.unwrap()["name"]["arabic_name"], "بنك لين التجريبي");
    assert_eq!(choices["destination_alias"], "Acme Store");

    let launch = |form: &'static [(&'static str, &'static str)]| app.call(&ann, "launch_connect_with", form);
    let (status, ok) = launch(&[
        ("bank_identifier", "LEAN_MB1"),
        ("account_type", "BUSINESS"),
        ("access_from", "2026-01-01"),
        ("access_to", "2026-03-31"),
        ("show_consent_explanation", "true"),
        ("end_user_id", "crm-1"),
        ("customer_metadata", "note"),
    ])
    .await;
    assert_eq!(status, 200, "{ok}");
    assert_eq!(
        ok["options"],
        json!({"bank_identifier": "LEAN_MB1", "account_type": "BUSINESS", "access_from": "2026-01-01",
               "access_to": "2026-03-31", "show_consent_explanation": true, "end_user_id": "crm-1",
               "customer_metadata": "note", "destination_alias": "Acme Store"})
    );
    assert!(ok["config"]["access_token"].as_str().is_some_and(|t| !t.is_empty()));

    // Nothing chosen: nothing but the brand is sent.
    let (status, plain) = launch(&[]).await;
    assert_eq!(status, 200, "{plain}");
    assert_eq!(plain["options"], json!({"destination_alias": "Acme Store"}));

    // Each bad choice names its field, in plain words; Lean is not asked for a token.
    let calls_before = lean_calls(&app).await;
    // (the form sent, the field named, words the message must hold)
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
    let bad: &[Case] = &[
        (
            &[("bank_identifier", "NO_SUCH_BANK")],
            "bank_identifier",
            "does not list a bank called NO_SUCH_BANK",
        ),
        (&[("account_type", "FAMILY")], "account_type", "personal or business"),
        (&[("access_from", "31/01/2026")], "access_from", "year, month and day"),
        (&[("access_from", "2026-05-01"), ("access_to", "2026-04-01")], "access_to", "before the start date"),
        (&[("end_user_id", "line\nbreak")], "end_user_id", "no line breaks"),
    ];
    for (form, field, words) in bad {
        let (status, body) = app.call(&ann, "launch_connect_with", form).await;
        assert_eq!(status, 400, "{form:?}: {body}");
        let text = body.to_string();
        assert!(text.contains(field) && text.contains(words), "{form:?}: {text}");
    }
    let long = "x".repeat(501);
    let (status, _) = app.call(&ann, "launch_connect_with", &[("customer_metadata", long.as_str())]).await;
    assert_eq!(status, 400);
    assert_eq!(lean_calls(&app).await, calls_before, "Lean is not asked anything for a refused choice");
    app.stop().await;
}

/// Every call the app has made to Lean, whoever it was for (token requests included).
async fn lean_calls(app: &TestApp) -> i64 {
    use sqlx::Row;
    sqlx::query("SELECT COUNT(*) FROM lean_api_calls")
        .fetch_one(&app.state.db)
        .await
        .unwrap()
        .try_get(0)
        .unwrap()
}

#[tokio::test]
async fn the_bank_a_person_wanted_is_noted_on_their_own_unlisted_outcome_only() {
    let app = TestApp::spawn().await;
    let ann = app.browser();
    app.sign_up(&ann, "unlisted@example.com").await;
    let record = |client: &reqwest::Client, data: Value| {
        let req = client
            .post(format!("{}/api/record_flow_outcome", app.url))
            .json(&json!({"method": "connect", "data": data}));
        async move { req.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let unlisted = record(
        &ann,
        json!({"status": "CANCELLED", "message": "User's bank is not listed.",
               "bank": {"bank_identifier": null, "is_supported": false}, "exit_point": "BANK_SELECTION"}),
    )
    .await;
    assert_eq!(unlisted["bank_is_supported"], false, "{unlisted}");
    let listed = record(
        &ann,
        json!({"status": "CANCELLED", "bank": {"bank_identifier": "LEAN_MB1", "is_supported": true}}),
    )
    .await;
    let id = |v: &Value| v["id"].as_str().unwrap().to_owned();

    let (status, noted) = app
        .call(&ann, "record_wanted_bank", &[("flow_id", &id(&unlisted)), ("bank", "Gulf Example Bank")])
        .await;
    assert_eq!(status, 200, "{noted}");
    assert_eq!(noted["wanted_bank"], "Gulf Example Bank");
    let (_, flows) = app.call(&ann, "recent_flows", &[]).await;
    let kept = flows.as_array().unwrap().iter().find(|f| f["id"] == unlisted["id"]).unwrap().clone();
    assert_eq!(kept["wanted_bank"], "Gulf Example Bank");
    assert_eq!(kept["bank_is_supported"], false);

    // Not on an outcome that said nothing of the sort, nor on someone else's, nor empty.
    let (status, _) = app.call(&ann, "record_wanted_bank", &[("flow_id", &id(&listed)), ("bank", "X")]).await;
    assert_eq!(status, 400);
    let bob = app.browser();
    app.sign_up(&bob, "unlisted-bob@example.com").await;
    let (status, _) =
        app.call(&bob, "record_wanted_bank", &[("flow_id", &id(&unlisted)), ("bank", "X")]).await;
    assert_eq!(status, 400);
    let (status, _) =
        app.call(&ann, "record_wanted_bank", &[("flow_id", &id(&unlisted)), ("bank", "  ")]).await;
    assert_eq!(status, 400);
    app.stop().await;
}
