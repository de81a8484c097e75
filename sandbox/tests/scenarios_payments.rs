//! Scenario controls for payments and webhooks (settle or fail a payment now, resend and drop
//! webhooks), the entity DELETE reason, and Lean's delivery rules (10 s timeout, retry schedule).

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use common::{create_customer, receiver, start, token, wait_event};
use lean_sandbox::Sandbox;
use serde_json::{json, Value};

const IBAN_OK: &str = "AE070331234567890123456";

struct Ctx {
    sb: Sandbox,
    c: reqwest::Client,
    base: String,
    api: String,
    _dir: tempfile::TempDir,
}

async fn setup(webhook_url: Option<String>, retry_scale: f64) -> Ctx {
    let dir = tempfile::tempdir().unwrap();
    let sb = start(&dir.path().join("state.json"), webhook_url, retry_scale).await;
    let c = reqwest::Client::new();
    let base = sb.base_url();
    let api = token(&c, &sb, "api").await;
    Ctx { sb, c, base, api, _dir: dir }
}

impl Ctx {
    async fn call(&self, method: &str, path: &str, tok: Option<&str>, body: Option<Value>) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        let mut req = match method {
            "GET" => self.c.get(url),
            "POST" => self.c.post(url),
            "PUT" => self.c.put(url),
            "DELETE" => self.c.delete(url),
            _ => unreachable!(),
        };
        if let Some(t) = tok {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }
    async fn get(&self, path: &str) -> (u16, Value) {
        self.call("GET", path, Some(&self.api), None).await
    }
    /// A no-auth scenario call.
    async fn scenario(&self, path: &str, body: Value) -> (u16, Value) {
        self.call("POST", &format!("/sandbox/scenarios/{path}"), None, Some(body)).await
    }
    async fn customer(&self, name: &str) -> (String, String) {
        let id = create_customer(&self.c, &self.sb, &self.api, name).await;
        let ct = token(&self.c, &self.sb, &format!("customer.{id}")).await;
        (id, ct)
    }
    async fn connect(&self, cust: &str, ct: &str, bank: &str) -> String {
        let body = json!({"customer_id": cust, "bank_identifier": bank, "username": "user_simple",
            "password": "pass_simple", "permissions": ["identity", "accounts"]});
        let (s, v) = self.call("POST", "/link/api/connect", Some(ct), Some(body)).await;
        assert_eq!((s, &v["status"]), (200, &json!("OK")), "{v}");
        v["entity_id"].as_str().unwrap().to_string()
    }
    async fn deliveries(&self) -> Vec<Value> {
        let (s, v) = self.call("GET", "/sandbox/deliveries", None, None).await;
        assert_eq!(s, 200);
        v.as_array().unwrap().clone()
    }
    async fn delivery(&self, event_id: &str) -> Value {
        self.deliveries().await.into_iter().find(|e| e["event_id"] == event_id).expect("event logged")
    }
    /// Waits until the logged event of `kind` matching `pred` satisfies `done`.
    async fn wait_delivery(&self, kind: &str, done: impl Fn(&Value) -> bool, secs: u64) -> Value {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
        loop {
            if let Some(e) = self.deliveries().await.into_iter().find(|e| e["type"] == kind && done(e)) {
                return e;
            }
            assert!(tokio::time::Instant::now() < deadline, "no {kind} delivery reached the expected state");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    /// A SIP payment (checkout) left PENDING_WITH_BANK.
    async fn pending_payment(&self, cust: &str, ct: &str, amount: Value) -> (String, String) {
        let (s, i) = self
            .call(
                "POST",
                "/payments/v1/intents",
                Some(&self.api),
                Some(json!({"customer_id": cust, "amount": amount, "currency": "AED"})),
            )
            .await;
        assert_eq!(s, 200, "{i}");
        let intent = i["payment_intent_id"].as_str().unwrap().to_string();
        let pid = self.checkout(ct, &intent).await;
        (intent, pid)
    }
    async fn checkout(&self, ct: &str, intent: &str) -> String {
        let body = json!({"payment_intent_id": intent, "bank_identifier": "LEAN_OF_RETAIL_UAE",
            "username": "user_simple", "password": "pass_simple"});
        let (s, v) = self.call("POST", "/link/api/checkout", Some(ct), Some(body)).await;
        assert_eq!((s, &v["outcome"]), (200, &json!("SUCCESS")), "{v}");
        v["payment_id"].as_str().unwrap().to_string()
    }
}

fn assert_error(status: u16, body: &Value, http: u16, code: &str) {
    assert_eq!(status, http, "{body}");
    assert_eq!(body["status"], code, "{body}");
    for k in ["message", "timestamp", "metadata"] {
        assert!(body.get(k).is_some(), "envelope lacks {k}: {body}");
    }
}

#[tokio::test]
async fn payments_are_advanced_or_failed_on_demand() {
    let (rx, url) = receiver(0).await;
    let t = setup(Some(url), 0.0005).await;
    let secret = t.sb.credentials().webhook_secret;
    // The bank would take 10 minutes: only the scenario settles these payments.
    let (s, _) =
        t.call("PUT", "/sandbox/payments/settings", None, Some(json!({"payment_settle_ms": 600_000}))).await;
    assert_eq!(s, 200);
    let (s, d) = t
        .call(
            "POST",
            "/payments/v1/destinations",
            Some(&t.api),
            Some(json!({"name": "Acme Trading", "display_name": "Acme", "iban": IBAN_OK, "country": "ARE"})),
        )
        .await;
    assert_eq!(s, 200, "{d}");
    let (cust, ct) = t.customer("scenario_payer").await;

    // Advance: PENDING_WITH_BANK → ACCEPTED_BY_BANK now, with the usual payment.updated.
    let (intent, pid) = t.pending_payment(&cust, &ct, json!(25)).await;
    let (_, p) = t.get(&format!("/payments/v1/{pid}")).await;
    assert_eq!(p["status"], "PENDING_WITH_BANK");
    let (s, v) = t.scenario("advance-payment", json!({"payment_id": pid})).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["status"], "OK");
    assert_eq!(v["payment"]["status"], "ACCEPTED_BY_BANK");
    let pu = wait_event(&rx, &secret, "payment.updated", |v| v["payload"]["id"] == pid.as_str()).await;
    assert_eq!(pu["message"], "A payment object has been updated.");
    assert_eq!(pu["payload"]["status"], "ACCEPTED_BY_BANK");
    assert_eq!(pu["payload"]["intent_id"], intent.as_str());
    assert_eq!(pu["payload"]["payment_destination_id"], d["id"]);
    assert!(pu["payload"].get("granular_status_code").is_none(), "{pu}");
    let (_, p) = t.get(&format!("/payments/v1/{pid}")).await;
    assert_eq!(p["status"], "ACCEPTED_BY_BANK");
    assert!(p.get("granular_status_code").is_none());
    // payment.created came first, on the intent's lane.
    let order: Vec<Value> = rx
        .all()
        .iter()
        .filter_map(|w| serde_json::from_slice::<Value>(&w.body).ok())
        .filter(|v| v["payload"]["id"] == pid.as_str())
        .map(|v| v["type"].clone())
        .collect();
    assert_eq!(order, [json!("payment.created"), json!("payment.updated")]);
    // The intent is paid; a settled payment cannot be settled again.
    let (_, i) = t.get(&format!("/payments/v1/intents/{intent}")).await;
    assert_eq!(i["payments"][0]["status"], "ACCEPTED_BY_BANK");
    let (s, v) = t.scenario("advance-payment", json!({"payment_id": pid})).await;
    assert_error(s, &v, 409, "PAYMENT_NOT_PENDING");
    let (s, v) = t.scenario("fail-payment", json!({"payment_id": pid})).await;
    assert_error(s, &v, 409, "PAYMENT_NOT_PENDING");

    // Reject with a granular code.
    let (intent2, pid2) = t.pending_payment(&cust, &ct, json!(30)).await;
    let (s, v) = t
        .scenario(
            "fail-payment",
            json!({"payment_id": pid2, "status": "REJECTED_BY_BANK", "granular_status_code": "insufficient_balance"}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["payment"]["status"], "REJECTED_BY_BANK");
    let pu = wait_event(&rx, &secret, "payment.updated", |v| v["payload"]["id"] == pid2.as_str()).await;
    assert_eq!(pu["payload"]["status"], "REJECTED_BY_BANK");
    assert_eq!(pu["payload"]["granular_status_code"], "INSUFFICIENT_BALANCE");
    assert_eq!(
        pu["payload"]["status_additional_info"],
        "The account does not have enough balance for this payment."
    );
    let (_, p) = t.get(&format!("/payments/v1/{pid2}")).await;
    assert_eq!(p["status"], "REJECTED_BY_BANK");
    assert_eq!(p["granular_status_code"], "INSUFFICIENT_BALANCE");

    // Fail with the defaults (FAILED, BANK_ISSUE) and a custom message; the intent can be paid again.
    let (intent3, pid3) = t.pending_payment(&cust, &ct, json!(40)).await;
    let (s, v) =
        t.scenario("fail-payment", json!({"payment_id": pid3, "status_additional_info": "Bank down."})).await;
    assert_eq!(s, 200, "{v}");
    let pu = wait_event(&rx, &secret, "payment.updated", |v| v["payload"]["id"] == pid3.as_str()).await;
    assert_eq!(pu["payload"]["status"], "FAILED");
    assert_eq!(pu["payload"]["granular_status_code"], "BANK_ISSUE");
    assert_eq!(pu["payload"]["status_additional_info"], "Bank down.");
    let again = t.checkout(&ct, &intent3).await;
    assert_ne!(again, pid3);
    let (_, p) = t.get(&format!("/payments/v1/{again}")).await;
    assert_eq!(p["status"], "PENDING_WITH_BANK");
    // A rejected intent can be paid again too.
    t.checkout(&ct, &intent2).await;

    // The updates are in the event log as well.
    let (_, events) = t.get("/events/v1?type=payment.updated").await;
    assert_eq!(events["page"]["total_elements"], 3, "{events}");

    // Bad requests.
    let (s, v) = t.scenario("advance-payment", json!({})).await;
    assert_error(s, &v, 400, "MISSING_PARAMETERS");
    let (s, v) = t.scenario("advance-payment", json!({"payment_id": "nope"})).await;
    assert_error(s, &v, 400, "INVALID_PARAMETERS");
    let (s, v) =
        t.scenario("advance-payment", json!({"payment_id": "00000000-0000-4000-8000-000000000000"})).await;
    assert_error(s, &v, 404, "UNKNOWN_PAYMENT");
    let (s, v) = t.scenario("fail-payment", json!({"payment_id": again, "status": "ACCEPTED_BY_BANK"})).await;
    assert_error(s, &v, 400, "INVALID_PARAMETERS");
    let (s, v) =
        t.scenario("fail-payment", json!({"payment_id": again, "granular_status_code": "no way"})).await;
    assert_error(s, &v, 400, "INVALID_PARAMETERS");
    t.sb.shutdown().await;
}

#[tokio::test]
async fn webhooks_can_be_resent_and_dropped() {
    let (rx, url) = receiver(0).await;
    let t = setup(Some(url), 0.0005).await;
    let secret = t.sb.credentials().webhook_secret;
    let (cust, ct) = t.customer("drop_user").await;

    // Drop the next entity.created only.
    let (s, v) = t.scenario("drop-webhooks", json!({"type": "entity.created", "count": 1})).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["rule"]["type"], "entity.created");
    assert_eq!(v["rule"]["remaining"], 1);
    let (_, list) = t.call("GET", "/sandbox/scenarios", None, None).await;
    assert_eq!(list["drop_webhooks"].as_array().unwrap().len(), 1, "{list}");

    let entity = t.connect(&cust, &ct, "LEAN_MB1").await;
    let finished =
        wait_event(&rx, &secret, "entity.data.refresh.updated", |v| v["payload"]["status"] == "FINISHED")
            .await;
    assert!(common::events(&rx, &secret, "entity.created").is_empty(), "a dropped event is never sent");
    let dropped = t.wait_delivery("entity.created", |e| e["delivery"] == "DROPPED", 5).await;
    assert_eq!(dropped["attempts"], json!([]));
    let event_id = dropped["event_id"].as_str().unwrap().to_string();
    // It is still in the event log, so catch-up can find it.
    let (_, events) = t.get("/events/v1?type=entity.created").await;
    assert_eq!(events["data"][0]["event_id"], event_id.as_str());
    assert_eq!(events["data"][0]["payload"]["id"], entity.as_str());
    // The rule is used up.
    let (_, list) = t.call("GET", "/sandbox/scenarios", None, None).await;
    assert_eq!(list["drop_webhooks"], json!([]));

    // Resending the dropped event delivers it: same bytes, same event_id.
    let (s, v) = t.scenario("resend-webhook", json!({"event_id": event_id})).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["delivery"], "DELIVERED");
    assert_eq!(v["attempt"]["http_status"], 200);
    assert_eq!(v["attempt"]["resend"], true);
    let created = common::events(&rx, &secret, "entity.created");
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["event_id"], event_id.as_str());
    let body = rx
        .all()
        .into_iter()
        .find(|w| serde_json::from_slice::<Value>(&w.body).unwrap()["event_id"] == event_id.as_str())
        .unwrap()
        .body;
    assert_eq!(std::str::from_utf8(&body).unwrap(), dropped["body"].as_str().unwrap());

    // Resending a delivered event sends it once more (a duplicate, as Lean's retries are).
    let finished_id = finished["event_id"].as_str().unwrap().to_string();
    let (s, v) = t.scenario("resend-webhook", json!({"event_id": finished_id})).await;
    assert_eq!(s, 200, "{v}");
    let dups: Vec<Value> = common::events(&rx, &secret, "entity.data.refresh.updated")
        .into_iter()
        .filter(|v| v["event_id"] == finished_id.as_str())
        .collect();
    assert_eq!(dups.len(), 2);
    assert_eq!(dups[0], dups[1]);
    let log = t.delivery(&finished_id).await;
    let resends: Vec<Value> =
        log["attempts"].as_array().unwrap().iter().map(|a| a["resend"].clone()).collect();
    assert_eq!(resends, [Value::Null, json!(true)], "{log}");
    assert_eq!(log["delivery"], "DELIVERED");

    // Drop any type: the next two events (entity.updated, refresh PENDING) are dropped, the
    // FINISHED refresh is sent.
    let (s, _) = t.scenario("drop-webhooks", json!({"type": null, "count": 2})).await;
    assert_eq!(s, 200);
    let before = rx.all().len();
    t.connect(&cust, &ct, "LEAN_MB1").await;
    let fin2 = wait_event(&rx, &secret, "entity.data.refresh.updated", |v| {
        v["payload"]["status"] == "FINISHED" && v["event_id"] != finished_id.as_str()
    })
    .await;
    assert_eq!(rx.all().len(), before + 1, "only the FINISHED refresh was sent");
    let log = t.deliveries().await;
    let n = log.len();
    let last3: Vec<(Value, Value)> =
        log[n - 3..].iter().map(|e| (e["type"].clone(), e["delivery"].clone())).collect();
    assert_eq!(
        last3,
        [
            (json!("entity.updated"), json!("DROPPED")),
            (json!("entity.data.refresh.updated"), json!("DROPPED")),
            (json!("entity.data.refresh.updated"), json!("DELIVERED")),
        ]
    );
    assert_eq!(log[n - 1]["event_id"], fin2["event_id"]);
    let (_, events) = t.get("/events/v1").await;
    assert_eq!(events["page"]["total_elements"], n, "every event is listed, dropped or not");

    // Clearing rules: DELETE on the route, and DELETE /sandbox/scenarios.
    t.scenario("drop-webhooks", json!({"count": 5})).await;
    let (s, _) = t.call("DELETE", "/sandbox/scenarios/drop-webhooks", None, None).await;
    assert_eq!(s, 200);
    let (_, list) = t.call("GET", "/sandbox/scenarios", None, None).await;
    assert_eq!(list["drop_webhooks"], json!([]));
    t.scenario("drop-webhooks", json!({})).await;
    let (s, _) = t.call("DELETE", "/sandbox/scenarios", None, None).await;
    assert_eq!(s, 200);
    let (_, list) = t.call("GET", "/sandbox/scenarios", None, None).await;
    assert_eq!(list["drop_webhooks"], json!([]));

    // Bad requests.
    let (s, v) = t.scenario("drop-webhooks", json!({"type": "x", "count": 0})).await;
    assert_error(s, &v, 400, "INVALID_PARAMETERS");
    let (s, v) = t.scenario("drop-webhooks", json!({"type": ""})).await;
    assert_error(s, &v, 400, "INVALID_PARAMETERS");
    let (s, v) = t.scenario("resend-webhook", json!({})).await;
    assert_error(s, &v, 400, "MISSING_PARAMETERS");
    let (s, v) = t.scenario("resend-webhook", json!({"event_id": "nope"})).await;
    assert_error(s, &v, 400, "INVALID_PARAMETERS");
    let (s, v) =
        t.scenario("resend-webhook", json!({"event_id": "00000000-0000-4000-8000-000000000000"})).await;
    assert_error(s, &v, 404, "UNKNOWN_EVENT");
    t.sb.shutdown().await;

    // Without a webhook URL there is nowhere to resend to; drops still apply to the log.
    let t = setup(None, 1.0).await;
    let (cust, ct) = t.customer("no_url").await;
    t.scenario("drop-webhooks", json!({"type": "entity.created"})).await;
    t.connect(&cust, &ct, "LEAN_MB1").await;
    let e = t.wait_delivery("entity.created", |_| true, 5).await;
    assert_eq!(e["delivery"], "DROPPED");
    let (s, v) = t.scenario("resend-webhook", json!({"event_id": e["event_id"]})).await;
    assert_error(s, &v, 409, "NO_WEBHOOK_URL");
    t.sb.shutdown().await;
}

#[tokio::test]
async fn deleting_an_entity_requires_a_reason() {
    let t = setup(None, 1.0).await;
    let (cust, ct) = t.customer("delete_user").await;
    let e1 = t.connect(&cust, &ct, "LEAN_MB1").await;
    let e2 = t.connect(&cust, &ct, "LEAN_SME_MB1_UAE").await;
    let path = |e: &str| format!("{}/customers/v1/{cust}/entities/{e}", t.base);
    let delete = |url: String, body: Option<&'static str>| {
        let mut req = t.c.delete(url).bearer_auth(&t.api);
        if let Some(b) = body {
            req = req.header("content-type", "application/json").body(b);
        }
        async move {
            let resp = req.send().await.unwrap();
            let s = resp.status().as_u16();
            (s, resp.json::<Value>().await.unwrap())
        }
    };

    let (s, v) = delete(path(&e1), None).await;
    assert_error(s, &v, 400, "MISSING_PARAMETERS");
    assert!(v["message"].as_str().unwrap().contains("reason"), "{v}");
    for body in ["{}", r#"{"reason": null}"#] {
        let (s, v) = delete(path(&e1), Some(body)).await;
        assert_error(s, &v, 400, "MISSING_PARAMETERS");
    }
    for body in [r#"{"reason": "TPP_REQUESTED"}"#, r#"{"reason": 1}"#, "[1]", "{not json"] {
        let (s, v) = delete(path(&e1), Some(body)).await;
        assert_error(s, &v, 400, "INVALID_PARAMETERS");
    }
    let (s, v) = delete(format!("{}?reason=LATER", path(&e1)), Some(r#"{"reason": "USER_REQUESTED"}"#)).await;
    assert_error(s, &v, 400, "INVALID_PARAMETERS");
    // Nothing was deleted by the refused requests.
    let (s, _) = t.get(&format!("/customers/v1/{cust}/entities/{e1}")).await;
    assert_eq!(s, 200);

    // The documented body.
    let (s, v) = delete(path(&e1), Some(r#"{"reason": "USER_REQUESTED"}"#)).await;
    assert_eq!((s, v), (200, json!({})));
    let (s, v) = t.get(&format!("/customers/v1/{cust}/entities/{e1}")).await;
    assert_error(s, &v, 404, "UNKNOWN_ENTITY");
    let (s, v) = delete(path(&e1), Some(r#"{"reason": "USER_REQUESTED"}"#)).await;
    assert_error(s, &v, 404, "UNKNOWN_ENTITY");

    // The optional query parameter alone, with a trailing slash.
    let (s, v) = delete(format!("{}/?reason=USER_REQUESTED", path(&e2)), None).await;
    assert_eq!((s, v), (200, json!({})));
    let (_, list) = t.get(&format!("/customers/v1/{cust}/entities")).await;
    assert_eq!(list, json!([]));
    t.sb.shutdown().await;
}

/// A receiver that answers the first request after `delay`, and the others at once; always 200.
async fn slow_receiver(delay: Duration) -> (Arc<AtomicUsize>, String) {
    async fn handle(State((n, delay)): State<(Arc<AtomicUsize>, Duration)>, _body: Bytes) -> StatusCode {
        if n.fetch_add(1, Ordering::SeqCst) == 0 {
            tokio::time::sleep(delay).await;
        }
        StatusCode::OK
    }
    let n = Arc::new(AtomicUsize::new(0));
    let app = Router::new().route("/hook", post(handle)).with_state((n.clone(), delay));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (n, format!("http://{addr}/hook"))
}

#[tokio::test]
async fn no_answer_within_10_seconds_is_a_failure() {
    let (hits, url) = slow_receiver(Duration::from_secs(12)).await;
    let t = setup(Some(url), 0.0005).await;
    let (cust, ct) = t.customer("slow_hook").await;
    t.connect(&cust, &ct, "LEAN_MB1").await;
    let e = t.wait_delivery("entity.created", |e| e["delivery"] == "DELIVERED", 25).await;
    let attempts = e["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 2, "{e}");
    assert_eq!(attempts[0]["http_status"], Value::Null);
    assert!(attempts[0]["error"].as_str().unwrap().contains("timeout"), "{e}");
    assert_eq!(attempts[1]["http_status"], 200);
    let at = |v: &Value| chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap();
    let waited = at(&attempts[0]["at"]) - at(&e["created_at"]);
    assert!(
        waited >= chrono::Duration::milliseconds(9_900) && waited < chrono::Duration::milliseconds(11_500),
        "the sandbox gave up after {waited}"
    );
    assert!(hits.load(Ordering::SeqCst) >= 2);
    t.sb.shutdown().await;
}

#[tokio::test]
async fn retries_follow_leans_schedule_then_fail() {
    // Every POST gets a 500.
    let (rx, url) = receiver(usize::MAX).await;
    let scale = 0.0005;
    let t = setup(Some(url), scale).await;
    let (cust, ct) = t.customer("retry_schedule").await;
    t.connect(&cust, &ct, "LEAN_MB1").await;
    let e = t.wait_delivery("entity.created", |e| e["delivery"] == "FAILED", 30).await;
    let attempts = e["attempts"].as_array().unwrap();
    // The initial send plus 6 retries, each resending the same bytes.
    assert_eq!(attempts.len(), 7, "{e}");
    assert!(attempts.iter().all(|a| a["http_status"] == 500));
    let bodies: Vec<Bytes> = rx
        .all()
        .into_iter()
        .filter(|w| serde_json::from_slice::<Value>(&w.body).unwrap()["event_id"] == e["event_id"])
        .map(|w| w.body)
        .collect();
    assert_eq!(bodies.len(), 7);
    assert!(bodies.iter().all(|b| b == &bodies[0]));
    let at = |v: &Value| chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap();
    for (i, minutes) in [1.0, 2.0, 5.0, 10.0, 60.0, 180.0].into_iter().enumerate() {
        let gap = (at(&attempts[i + 1]["at"]) - at(&attempts[i]["at"])).num_milliseconds();
        let want = (minutes * 60_000.0 * scale) as i64;
        assert!(
            gap >= want - 2 && gap <= want + 500,
            "retry {} came after {gap} ms, expected {want} ms",
            i + 1
        );
    }
    // No further attempts after FAILED.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let again = t.delivery(e["event_id"].as_str().unwrap()).await;
    assert_eq!(again["attempts"].as_array().unwrap().len(), 7);
    t.sb.shutdown().await;
}

#[tokio::test]
async fn account_on_file_payments_are_settled_on_demand() {
    let (rx, url) = receiver(0).await;
    let t = setup(Some(url), 0.0005).await;
    let secret = t.sb.credentials().webhook_secret;
    let (s, _) =
        t.call("PUT", "/sandbox/payments/settings", None, Some(json!({"payment_settle_ms": 600_000}))).await;
    assert_eq!(s, 200);
    let (_, d) = t
        .call(
            "POST",
            "/payments/v1/destinations",
            Some(&t.api),
            Some(json!({"name": "Acme Trading", "display_name": "Acme", "iban": IBAN_OK, "country": "ARE"})),
        )
        .await;
    let (cust, ct) = t.customer("aof_scenario").await;
    let (s, consent) = t
        .call(
            "POST",
            "/consents/v1/account-on-file",
            Some(&t.api),
            Some(json!({
                "customer_id": cust, "destination_account_id": d["id"], "currency": "AED",
                "reference": "AOF-1", "purpose": "GDS",
                "control_parameters": {"type": "VariableOnDemand", "period_type": "Day",
                    "max_individual_amount": 100, "max_cumulative_number_of_payments": 10},
                "government_identifier": {"type": "EMIRATES_ID", "value": "784-1234-1234-1234"},
            })),
        )
        .await;
    assert_eq!(s, 200, "{consent}");
    let cid = consent["id"].as_str().unwrap().to_string();
    let (_, v) = t
        .call(
            "POST",
            "/link/api/authorize-consent",
            Some(&ct),
            Some(json!({"consent_id": cid, "bank_identifier": "LEAN_OF_RETAIL_UAE",
                "username": "user_simple", "password": "pass_simple"})),
        )
        .await;
    assert_eq!(v["outcome"], "SUCCESS", "{v}");
    let pay = |key: &'static str| {
        let req =
            t.c.post(format!("{}/payments/v1/account-on-file", t.base))
                .bearer_auth(&t.api)
                .header("Idempotency-Key", key)
                .json(&json!({"consent_id": cid, "amount": 20, "risk_details": {}}));
        async move {
            let r = req.send().await.unwrap();
            assert_eq!(r.status(), 200);
            r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string()
        }
    };

    let p1 = pay("s-1").await;
    let (s, v) = t.scenario("advance-payment", json!({"payment_id": p1})).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["payment"]["status"], "PROCESSED");
    let pu = wait_event(&rx, &secret, "payment.updated", |v| v["payload"]["id"] == p1.as_str()).await;
    assert_eq!(pu["payload"]["status"], "PROCESSED");
    assert_eq!(pu["payload"]["type"], "ACCOUNT_ON_FILE");
    let (s, v) = t.scenario("fail-payment", json!({"payment_id": p1})).await;
    assert_error(s, &v, 409, "PAYMENT_NOT_PENDING");

    let p2 = pay("s-2").await;
    let (s, v) = t
        .scenario("fail-payment", json!({"payment_id": p2, "granular_status_code": "EXCEEDS_DAILY_LIMIT"}))
        .await;
    assert_eq!(s, 200, "{v}");
    let pu = wait_event(&rx, &secret, "payment.updated", |v| v["payload"]["id"] == p2.as_str()).await;
    assert_eq!(pu["payload"]["status"], "FAILED");
    let (_, got) = t.get(&format!("/payments/v1/{p2}")).await;
    assert_eq!(got["status"], "FAILED", "{got}");
    assert_eq!(
        got["failure_details"],
        json!({"code": "EXCEEDS_DAILY_LIMIT", "details": "The payment exceeds the account's daily transfer limit."})
    );
    t.sb.shutdown().await;
}
