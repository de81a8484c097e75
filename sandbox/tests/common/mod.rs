//! Shared helpers: start a real sandbox on a free port and a tiny webhook receiver.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use lean_sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;

pub async fn start(state: &Path, webhook_url: Option<String>, retry_scale: f64) -> Sandbox {
    Sandbox::start(SandboxConfig {
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        state_path: state.to_path_buf(),
        app_token: None,
        client_secret: None,
        webhook_secret: None,
        webhook_url,
        retry_scale,
        public_url: None,
    })
    .await
    .expect("sandbox starts")
}

pub async fn token(client: &reqwest::Client, sb: &Sandbox, scope: &str) -> String {
    let creds = sb.credentials();
    let resp = client
        .post(format!("{}/oauth2/token", sb.base_url()))
        .form(&[
            ("client_id", creds.app_token.as_str()),
            ("client_secret", creds.client_secret.as_str()),
            ("grant_type", "client_credentials"),
            ("scope", scope),
        ])
        .send()
        .await
        .expect("token request");
    assert_eq!(resp.status(), 200, "token for scope {scope}");
    let body: Value = resp.json().await.expect("token json");
    body["access_token"].as_str().expect("access_token").to_string()
}

pub async fn create_customer(client: &reqwest::Client, sb: &Sandbox, api: &str, app_user_id: &str) -> String {
    let resp = client
        .post(format!("{}/customers/v1/", sb.base_url()))
        .bearer_auth(api)
        .json(&serde_json::json!({ "app_user_id": app_user_id }))
        .send()
        .await
        .expect("create customer");
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.expect("customer json");
    body["customer_id"].as_str().expect("customer_id").to_string()
}

/// One webhook POST as the receiver saw it.
#[derive(Clone, Debug)]
pub struct Received {
    pub signature: Option<String>,
    pub content_type: Option<String>,
    pub body: Bytes,
}

#[derive(Clone, Default)]
pub struct Receiver {
    pub received: Arc<Mutex<Vec<Received>>>,
    /// Answer 500 to this many requests before answering 200.
    pub fail_first: Arc<Mutex<usize>>,
}

impl Receiver {
    pub fn all(&self) -> Vec<Received> {
        self.received.lock().expect("lock").clone()
    }

    pub async fn wait_for(&self, count: usize, timeout: Duration) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let got = self.all();
            if got.len() >= count || tokio::time::Instant::now() > deadline {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    r.received.lock().expect("lock").push(Received {
        signature: header("lean-signature"),
        content_type: header("content-type"),
        body,
    });
    let mut fail = r.fail_first.lock().expect("lock");
    if *fail > 0 {
        *fail -= 1;
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::OK
    }
}

/// Starts the receiver and returns its webhook URL.
pub async fn receiver(fail_first: usize) -> (Receiver, String) {
    let r = Receiver { received: Arc::default(), fail_first: Arc::new(Mutex::new(fail_first)) };
    let app = Router::new().route("/webhooks/lean", post(receive)).with_state(r.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind receiver");
    let addr = listener.local_addr().expect("receiver addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (r, format!("http://{addr}/webhooks/lean"))
}

pub fn verify_signature(secret: &str, body: &[u8], header: &str) -> bool {
    use hmac::{Hmac, Mac};
    let Some(hex_sig) = header.strip_prefix("sha512=") else {
        return false;
    };
    let Ok(sig) = hex::decode(hex_sig) else {
        return false;
    };
    let mut mac = Hmac::<sha2::Sha512>::new_from_slice(secret.as_bytes()).expect("hmac key");
    mac.update(body);
    mac.verify_slice(&sig).is_ok()
}

/// The HS256 key the sandbox persisted, for decoding and forging tokens in tests.
pub fn jwt_key(state: &Path) -> Vec<u8> {
    let raw = std::fs::read(state).expect("state file");
    let v: Value = serde_json::from_slice(&raw).expect("state json");
    hex::decode(v["application"]["jwt_key_hex"].as_str().expect("key")).expect("hex key")
}
