//! `LEAN_REGION=sa` with the embedded sandbox: the pages load Lean's KSA loader path (which the
//! sandbox serves, and which makes Link list the Saudi banks), a Saudi bank connects, and payments
//! are made in riyals.

use serde_json::{json, Value};

use crate::common::{eventually, TestApp, APP_TOKEN, CLIENT_SECRET};

#[tokio::test]
async fn with_lean_region_sa_the_app_runs_on_the_ksa_loader_saudi_banks_and_riyals() {
    let app = TestApp::spawn_with(&[("LEAN_REGION", "sa")]).await;
    let browser = app.browser();
    let (_, customer) = app.sign_up(&browser, "riyadh@example.com").await;

    let page = browser.get(format!("{}/", app.url)).send().await.unwrap().text().await.unwrap();
    let loader = format!("{}/link/loader/prod/sa/latest/lean-link-loader.min.js", app.sandbox_url);
    assert!(page.contains(&loader), "the page loads the KSA loader");
    assert!(!page.contains("/prod/ae/"));
    let script = reqwest::get(&loader).await.unwrap();
    assert_eq!(script.status(), 200);
    assert!(script.text().await.unwrap().contains("window.Lean"));

    // A Saudi bank, connected in Link (what the KSA Link UI offers), reaches the app by webhook.
    let http = reqwest::Client::new();
    let token: Value = http
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
    let access_token = token["access_token"].as_str().unwrap();
    let banks: Value = http
        .get(format!("{}/banks/v1?country_codes=SAU", app.sandbox_url))
        .bearer_auth(access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let bank = banks
        .as_array()
        .and_then(|b| b.iter().find(|b| b["bank_type"] == "SME"))
        .expect("a Saudi mock bank")
        .clone();
    let connected = http
        .post(format!("{}/link/api/connect", app.sandbox_url))
        .bearer_auth(access_token)
        .json(
            &json!({"customer_id": customer, "bank_identifier": bank["identifier"], "username": "user_simple",
            "password": "pass_simple", "permissions": ["identity", "accounts", "balance", "transactions"]}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(connected.status(), 200);
    let listed = eventually(|| async {
        let (_, list) = app.call(&browser, "list_entities", &[]).await;
        list.as_array().and_then(|l| l.first()).cloned()
    })
    .await;
    assert_eq!(listed["bank_identifier"], bank["identifier"]);

    // Paying in SAR.
    let (status, destination) = app
        .call(
            &browser,
            "create_destination",
            &[
                ("name", "Riyadh Trading Co"),
                ("display_name", "Riyadh"),
                ("iban", "SA0380000000608010167519"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{destination}");
    let destination = destination["id"].as_str().unwrap().to_owned();
    let (status, row) = app
        .call(
            &browser,
            "create_payment",
            &[
                ("destination_id", &destination),
                ("amount", "150.00"),
                ("currency", "SAR"),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(status, 200, "{row}");
    assert!(row.to_string().contains("SAR"), "{row}");
    app.stop().await;
}
