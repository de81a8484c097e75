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

/// A sandbox with an `api` token and quick payment timings (`cool_off_ms` for new beneficiaries, 200 ms
/// for the bank's verdict), for the payments tests.
pub struct Ctx {
    pub sb: Sandbox,
    pub c: reqwest::Client,
    pub base: String,
    pub api: String,
    pub _dir: tempfile::TempDir,
}

pub async fn payments_setup(webhook_url: Option<String>, cool_off_ms: u64) -> Ctx {
    let dir = tempfile::tempdir().unwrap();
    let sb = start(&dir.path().join("state.json"), webhook_url, 0.0005).await;
    let c = reqwest::Client::new();
    let base = sb.base_url();
    let api = token(&c, &sb, "api").await;
    let r = c
        .put(format!("{base}/sandbox/payments/settings"))
        .json(&serde_json::json!({"beneficiary_cool_off_ms": cool_off_ms, "payment_settle_ms": 200}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    Ctx { sb, c, base, api, _dir: dir }
}

impl Ctx {
    pub async fn call(&self, method: &str, path: &str, tok: &str, body: Option<Value>) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        let mut req = match method {
            "GET" => self.c.get(url),
            "POST" => self.c.post(url),
            "PUT" => self.c.put(url),
            "DELETE" => self.c.delete(url),
            _ => unreachable!(),
        }
        .bearer_auth(tok);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }
    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.call("GET", path, &self.api, None).await
    }
    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.call("POST", path, &self.api, Some(body)).await
    }
    /// A new customer and a token of theirs.
    pub async fn customer(&self, name: &str) -> (String, String) {
        let id = create_customer(&self.c, &self.sb, &self.api, name).await;
        let ct = token(&self.c, &self.sb, &format!("customer.{id}")).await;
        (id, ct)
    }
}

/// Parsed, signature-checked webhooks of `kind` received so far.
pub fn events(r: &Receiver, secret: &str, kind: &str) -> Vec<Value> {
    r.all()
        .iter()
        .filter_map(|w| {
            assert!(verify_signature(secret, &w.body, w.signature.as_deref().unwrap_or("")));
            let v: Value = serde_json::from_slice(&w.body).ok()?;
            (v["type"] == kind).then_some(v)
        })
        .collect()
}

/// The first webhook of `kind` matching `pred`, waiting up to ten seconds for it.
pub async fn wait_event(r: &Receiver, secret: &str, kind: &str, pred: impl Fn(&Value) -> bool) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(v) = events(r, secret, kind).into_iter().find(|v| pred(v)) {
            return v;
        }
        assert!(tokio::time::Instant::now() < deadline, "no {kind} webhook arrived");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}
