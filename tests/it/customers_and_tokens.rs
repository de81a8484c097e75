use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::common::TestApp;
use axum::routing::{get, post};
use axum::Router;
use lean_merchant::model::UserId;
use lean_merchant::server::lean::LeanClient;
use secrecy::SecretString;
use serde_json::{json, Value};

fn claims(jwt: &str) -> Value {
    use base64::Engine;
    let part = jwt.split('.').nth(1).expect("jwt has claims");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part).expect("base64url");
    serde_json::from_slice(&bytes).expect("claims json")
}

#[tokio::test]
async fn sign_up_ensures_a_lean_customer_keyed_by_our_user_id() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    let (user_id, customer_id) = app.sign_up(&browser, "ann@example.com").await;

    // Lean's side agrees: the customer exists under app_user_id = our user id.
    let token = app.sandbox_api_token().await;
    let lean: Value = reqwest::Client::new()
        .get(format!("{}/customers/v1/app-user-id/{user_id}", app.sandbox_url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(lean["customer_id"], customer_id);

    // Signing in again reuses it.
    app.call(&browser, "sign_out", &[]).await;
    let (status, _) = app
        .call(&browser, "sign_in", &[("email", "ANN@example.com"), ("password", "correct horse battery")])
        .await;
    assert!(status < 400);
    let (_, user) = app.call(&browser, "current_user", &[]).await;
    assert_eq!(user["customer_id"], customer_id);
    app.stop().await;
}

#[tokio::test]
async fn ensure_customer_finds_an_existing_customer_instead_of_duplicating() {
    let app = TestApp::spawn().await;
    let existing: Value = reqwest::Client::new()
        .post(format!("{}/customers/v1", app.sandbox_url))
        .bearer_auth(app.sandbox_api_token().await)
        .json(&json!({ "app_user_id": "pre-existing-user" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let found = app.state.lean.ensure_customer(&UserId::new("pre-existing-user")).await.expect("found");
    assert_eq!(found.customer_id, existing["customer_id"].as_str().unwrap());
    app.stop().await;
}

/// Lean's 409 path: the look-up misses, a concurrent sign-in creates the customer, our create gets
/// 409 CUSTOMER_ALREADY_EXISTS, and we re-fetch. Forcing that race needs a scripted Lean.
#[tokio::test]
async fn ensure_customer_refetches_after_409() {
    let lookups = Arc::new(AtomicUsize::new(0));
    let l = lookups.clone();
    let fake = Router::new()
        .route(
            "/oauth2/token",
            post(|| async { axum::Json(json!({"access_token":"t","scope":"api","token_type":"Bearer","expires_in":3599})) }),
        )
        .route(
            "/customers/v1/app-user-id/{id}",
            get(move || {
                let n = l.fetch_add(1, Ordering::SeqCst);
                async move {
                    if n == 0 {
                        (axum::http::StatusCode::NOT_FOUND, axum::Json(json!({"status":"NOT_FOUND","message":"no","timestamp":"","metadata":null})))
                    } else {
                        (axum::http::StatusCode::OK, axum::Json(json!({"customer_id":"c-raced","app_user_id":"u1"})))
                    }
                }
            }),
        )
        .route(
            "/customers/v1",
            post(|| async {
                (
                    axum::http::StatusCode::CONFLICT,
                    axum::Json(json!({"timestamp":"2026-05-13T19:52:24.986560Z","status":"CUSTOMER_ALREADY_EXISTS",
                        "message":"A customer already exists for the app_user_id you have provided.","metadata":null})),
                )
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, fake).await.unwrap() });

    let dir = tempfile::tempdir().unwrap();
    let db = lean_merchant::server::db::connect(&format!("sqlite://{}/t.db?mode=rwc", dir.path().display()))
        .await
        .unwrap();
    let client = LeanClient::new(&base, &base, "app", SecretString::from("s"), db);
    let c = client.ensure_customer(&UserId::new("u1")).await.expect("re-fetched after 409");
    assert_eq!(c.customer_id, "c-raced");
    assert_eq!(lookups.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn customer_tokens_only_for_your_own_customer() {
    let app = TestApp::spawn().await;
    let ann = app.browser();
    let bob = app.browser();
    let (_, ann_customer) = app.sign_up(&ann, "ann@example.com").await;
    let (_, bob_customer) = app.sign_up(&bob, "bob@example.com").await;

    let (status, token) = app.call(&ann, "customer_token", &[("customer_id", &ann_customer)]).await;
    assert_eq!(status, 200, "{token}");
    let c = claims(token.as_str().expect("a token"));
    assert_eq!(c["customers"][0]["id"], ann_customer);
    assert!(c["exp"].as_i64().unwrap() - chrono::Utc::now().timestamp() >= 600, "at least 10 minutes left");

    let (status, body) = app.call(&ann, "customer_token", &[("customer_id", &bob_customer)]).await;
    assert_eq!(status, 403, "{body}");
    assert!(body.to_string().contains("Forbidden"));
    let (status, _) = app.call(&ann, "customer_token", &[("customer_id", "not-a-customer")]).await;
    assert_eq!(status, 403);
    let (status, _) = app.call(&app.browser(), "customer_token", &[("customer_id", &ann_customer)]).await;
    assert_eq!(status, 401);

    // launch_connect hands out a fresh customer token for the caller's own customer only.
    let (status, launch) = app.call(&bob, "launch_connect", &[]).await;
    assert_eq!(status, 200, "{launch}");
    assert_eq!(launch["customer_id"], bob_customer);
    assert_eq!(claims(launch["access_token"].as_str().unwrap())["customers"][0]["id"], bob_customer);
    let (status, _) = app.call(&app.browser(), "launch_connect", &[]).await;
    assert_eq!(status, 401);
    app.stop().await;
}

#[tokio::test]
async fn the_api_token_is_cached_and_never_served() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    app.sign_up(&browser, "ann@example.com").await;
    let (_, launch) = app.call(&browser, "launch_connect", &[]).await;
    let first = app.state.lean.api_token().await.unwrap();
    let second = app.state.lean.api_token().await.unwrap();
    use secrecy::ExposeSecret;
    assert_eq!(first.expose_secret(), second.expose_secret(), "api token reused");
    let api_token = app.state.lean.cached_api_token().await.expect("cached");

    let mut served = launch.to_string();
    for path in ["/", "/signin", "/signup", "/dashboard", "/missing"] {
        served
            .push_str(&browser.get(format!("{}{path}", app.url)).send().await.unwrap().text().await.unwrap());
    }
    for name in ["current_user", "list_entities", "recent_flows"] {
        served.push_str(&app.call(&browser, name, &[]).await.1.to_string());
    }
    assert!(served.contains("Your banks"), "the dashboard was rendered");
    for secret in [api_token.as_str(), crate::common::CLIENT_SECRET, crate::common::WEBHOOK_SECRET] {
        assert!(!served.contains(secret), "a secret was served");
    }
    app.stop().await;
}

#[tokio::test]
async fn server_functions_validate_input_with_plain_errors() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    let (status, body) =
        app.call(&browser, "sign_up", &[("email", "not-an-email"), ("password", "long enough")]).await;
    assert_eq!(status, 400);
    assert_eq!(body["Invalid"]["field"], "email");
    let (status, body) =
        app.call(&browser, "sign_up", &[("email", "a@example.com"), ("password", "short")]).await;
    assert_eq!(status, 400);
    assert_eq!(body["Invalid"]["field"], "password");
    app.sign_up(&browser, "a@example.com").await;
    let (status, _) =
        app.call(&app.browser(), "sign_up", &[("email", "a@example.com"), ("password", "long enough")]).await;
    assert_eq!(status, 409);
    let (status, _) =
        app.call(&app.browser(), "sign_in", &[("email", "a@example.com"), ("password", "wrong one!")]).await;
    assert_eq!(status, 401);
    let (status, _) = app.call(&browser, "sign_up", &[]).await;
    assert!((400..500).contains(&status), "missing arguments are the caller's error, got {status}");
    app.stop().await;
}
