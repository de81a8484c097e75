//! The Lean client against a scripted Lean: transient failures are retried, a refused token is renewed,
//! and the user gets a plain error when Lean stays down.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use lean_merchant::model::{AppError, UserId};
use lean_merchant::server::lean::LeanClient;
use secrecy::SecretString;
use serde_json::json;

/// Answers GET /customers/v1/app-user-id/* with `script[n]` on the n-th call (then 200).
async fn fake_lean(script: Vec<u16>) -> (String, Arc<AtomicUsize>, Arc<AtomicUsize>) {
    let lookups = Arc::new(AtomicUsize::new(0));
    let tokens = Arc::new(AtomicUsize::new(0));
    let (l, t) = (lookups.clone(), tokens.clone());
    let app = Router::new()
        .route(
            "/oauth2/token",
            post(move || {
                let n = t.fetch_add(1, Ordering::SeqCst);
                async move { Json(json!({"access_token": format!("t{n}"), "scope":"api","token_type":"Bearer","expires_in":3599})) }
            }),
        )
        .route(
            "/customers/v1/app-user-id/{id}",
            get(move || {
                let n = l.fetch_add(1, Ordering::SeqCst);
                let code = script.get(n).copied().unwrap_or(200);
                async move {
                    let status = StatusCode::from_u16(code).unwrap();
                    if status.is_success() {
                        (status, Json(json!({"customer_id": "c1", "app_user_id": "u1"})))
                    } else {
                        (status, Json(json!({"status": "INTERNAL_SERVER_ERROR", "message": "boom", "timestamp": "", "metadata": null})))
                    }
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, lookups, tokens)
}

async fn client(base: &str) -> (LeanClient, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let db = lean_merchant::server::db::connect(&format!("sqlite://{}/t.db?mode=rwc", dir.path().display()))
        .await
        .unwrap();
    (LeanClient::new(base, base, "app", SecretString::from("s"), db), dir)
}

#[tokio::test]
async fn transient_errors_are_retried() {
    let (base, lookups, _) = fake_lean(vec![500, 429]).await;
    let (lean, _dir) = client(&base).await;
    let c = lean.customer_by_app_user_id(&UserId::new("u1")).await.expect("third try succeeds");
    assert_eq!(c.map(|c| c.customer_id.into_string()).as_deref(), Some("c1"));
    assert_eq!(lookups.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_refused_token_is_renewed_once() {
    let (base, lookups, tokens) = fake_lean(vec![401]).await;
    let (lean, _dir) = client(&base).await;
    lean.customer_by_app_user_id(&UserId::new("u1")).await.expect("works after renewing");
    assert_eq!(tokens.load(Ordering::SeqCst), 2, "a second token was minted");
    assert_eq!(lookups.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn lean_down_gives_a_plain_error_after_bounded_tries() {
    let (base, lookups, _) = fake_lean(vec![503, 503, 503, 503]).await;
    let (lean, _dir) = client(&base).await;
    let err = lean.customer_by_app_user_id(&UserId::new("u1")).await.expect_err("gives up");
    assert_eq!(lookups.load(Ordering::SeqCst), 3, "bounded");
    assert!(matches!(AppError::from(err), AppError::Lean { .. }));

    // Nothing listening at all.
    let (lean, _dir) = client("http://127.0.0.1:9").await;
    let err = lean.customer_by_app_user_id(&UserId::new("u1")).await.expect_err("unreachable");
    assert_eq!(AppError::from(err), AppError::LeanUnavailable);
    assert_eq!(
        AppError::LeanUnavailable.to_string(),
        "Lean could not be reached. Please try again in a moment."
    );
}
