//! Data API, refreshes, scenario controls and fault injection, over real HTTP.

mod common;

use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate, Utc};
use common::{create_customer, receiver, start, token, Receiver};
use lean_sandbox::Sandbox;
use serde_json::{json, Value};

const ALL: [&str; 4] = ["identity", "accounts", "balance", "transactions"];

fn http() -> reqwest::Client {
    reqwest::Client::new()
}

struct Ctx {
    c: reqwest::Client,
    base: String,
    api: String,
}

impl Ctx {
    async fn new(sb: &Sandbox) -> Ctx {
        let c = http();
        let api = token(&c, sb, "api").await;
        Ctx { c, base: sb.base_url(), api }
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        let resp = self.c.get(format!("{}{path}", self.base)).bearer_auth(&self.api).send().await.unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap())
    }

    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let resp = self
            .c
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.api)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap())
    }

    /// Scenario controls need no auth.
    async fn scenario(&self, path: &str, body: Value) -> (u16, Value) {
        let resp =
            self.c.post(format!("{}/sandbox/scenarios{path}", self.base)).json(&body).send().await.unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap())
    }

    /// Creates a customer and connects `bank` as `username`; returns (customer_id, entity_id).
    async fn connect(
        &self,
        sb: &Sandbox,
        app_user: &str,
        bank: &str,
        username: &str,
        permissions: &[&str],
    ) -> (String, String) {
        let customer = create_customer(&self.c, sb, &self.api, app_user).await;
        let ct = token(&self.c, sb, &format!("customer.{customer}")).await;
        let password = username.replace("user_", "pass_");
        let otp = if username == "user_otp" { Some("1111") } else { None };
        let resp = self
            .c
            .post(format!("{}/link/api/connect", self.base))
            .bearer_auth(&ct)
            .json(&json!({"customer_id": customer, "bank_identifier": bank, "username": username,
                          "password": password, "otp": otp, "permissions": permissions}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["status"], "OK", "{body}");
        (customer, body["entity_id"].as_str().expect("entity_id").to_string())
    }

    async fn accounts(&self, entity: &str) -> Vec<Value> {
        let (s, body) = self.get(&format!("/data/v2/accounts?entity_id={entity}")).await;
        assert_eq!(s, 200, "{body}");
        assert_eq!(body["status"], "OK", "{body}");
        body["data"]["accounts"].as_array().unwrap().clone()
    }

    /// Every transaction of an account, walking the pages.
    async fn all_transactions(&self, entity: &str, account: &str, extra: &str) -> Vec<Value> {
        let mut out = Vec::new();
        let mut page = 0;
        loop {
            let (s, body) = self
                .get(&format!(
                    "/data/v2/accounts/{account}/transactions?entity_id={entity}&page={page}&size=100{extra}"
                ))
                .await;
            assert_eq!(s, 200, "{body}");
            assert_eq!(body["status"], "OK", "{body}");
            out.extend(body["data"]["transactions"].as_array().unwrap().iter().cloned());
            page += 1;
            if page >= body["data"]["page"]["total_pages"].as_u64().unwrap() {
                return out;
            }
        }
    }
}

fn cents(v: &Value) -> i64 {
    (v.as_f64().unwrap() * 100.0).round() as i64
}

/// Signed minor units of an `{credit_debit_indicator, amount{amount}}` object.
fn signed(v: &Value) -> i64 {
    let amount = cents(&v["amount"]["amount"]);
    if v["credit_debit_indicator"] == "DEBIT" {
        -amount
    } else {
        amount
    }
}

fn assert_error(status: u16, body: &Value, want_status: u16, code: &str) {
    assert_eq!((status, body["status"].as_str().unwrap_or_default()), (want_status, code), "{body}");
    for key in ["status", "message", "timestamp", "metadata"] {
        assert!(body.get(key).is_some(), "error envelope lacks {key}: {body}");
    }
}

async fn events_of(rx: &Receiver, kind: &str, timeout: Duration) -> Vec<Value> {
    let deadline = Instant::now() + timeout;
    loop {
        let got: Vec<Value> = rx
            .all()
            .iter()
            .map(|r| serde_json::from_slice::<Value>(&r.body).unwrap())
            .filter(|v| v["type"] == kind)
            .collect();
        if !got.is_empty() || Instant::now() > deadline {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

async fn wait_event(rx: &Receiver, kind: &str, pred: impl Fn(&Value) -> bool, timeout: Duration) -> Value {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(v) = events_of(rx, kind, Duration::ZERO).await.into_iter().find(|v| pred(v)) {
            return v;
        }
        assert!(Instant::now() < deadline, "no matching {kind} webhook");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test]
async fn v2_data_is_plausible_paged_and_adds_up() {
    let dir = tempfile::tempdir().unwrap();
    let sb = start(&dir.path().join("s.json"), None, 1.0).await;
    let x = Ctx::new(&sb).await;
    let (_, entity) = x.connect(&sb, "data-user", "LEAN_MB1", "user_simple", &ALL).await;

    // Accounts: envelope and shape.
    let (s, body) =
        x.get(&format!("/data/v2/accounts?entity_id={entity}&meta=%7B%22foo%22%3A%22val%22%7D")).await;
    assert_eq!(s, 200);
    for key in [
        "status",
        "results_id",
        "message",
        "meta",
        "timestamp",
        "status_detail",
        "type",
        "refreshed_at",
        "data",
    ] {
        assert!(body.get(key).is_some(), "envelope lacks {key}: {body}");
    }
    assert_eq!(body["type"], "accounts");
    assert_eq!(body["message"], "Data successfully retrieved");
    assert_eq!(body["meta"], json!({"foo": "val"}));
    assert_eq!(body["data"]["type"], "accounts");
    assert_eq!(
        body["data"]["page"],
        json!({"number": 0, "size": 50, "total_elements": 3, "total_pages": 1, "sort": []})
    );
    let accounts = body["data"]["accounts"].as_array().unwrap().clone();
    assert_eq!(accounts.len(), 3);
    let mut subs: Vec<&str> = accounts.iter().map(|a| a["account_sub_type"].as_str().unwrap()).collect();
    subs.sort();
    assert_eq!(subs, ["CREDIT", "CURRENT", "SAVINGS"]);
    for a in &accounts {
        assert_eq!(a["currency"], "AED");
        assert_eq!(a["entity_id"], entity.as_str());
        assert_eq!(a["account"][0]["scheme_name"], "IBAN");
        let iban = a["account"][0]["identification"].as_str().unwrap();
        assert!(iban.starts_with("AE") && iban.len() == 23, "{iban}");
    }
    let current = accounts.iter().find(|a| a["account_sub_type"] == "CURRENT").unwrap()["account_id"]
        .as_str()
        .unwrap()
        .to_string();

    // Balances add up for every account: closing = opening + Σ transactions.
    for a in &accounts {
        let id = a["account_id"].as_str().unwrap();
        let (s, body) = x.get(&format!("/data/v2/accounts/{id}/balances?entity_id={entity}")).await;
        assert_eq!(s, 200, "{body}");
        assert_eq!(body["type"], "balances");
        let balances = body["data"]["balances"].as_array().unwrap();
        assert!(balances.iter().all(|b| b["entity_id"] == entity.as_str()), "{body}");
        let find =
            |t: &str| balances.iter().find(|b| b["type"] == t).unwrap_or_else(|| panic!("{t} balance"));
        let opening = signed(find("OPENING_BOOKED"));
        let closing = signed(find("CLOSING_BOOKED"));
        assert!(find("INTERIM_AVAILABLE")["amount"]["currency"] == "AED");
        let txns = x.all_transactions(&entity, id, "").await;
        assert!(!txns.is_empty());
        let sum: i64 = txns.iter().map(signed).sum();
        assert_eq!(opening + sum, closing, "balances add up for {}", a["nickname"]);
        // Newest first, and each running balance follows from the previous one.
        assert_eq!(signed(&txns[0]["balance"]), closing);
        for pair in txns.windows(2) {
            assert_eq!(signed(&pair[1]["balance"]) + signed(&pair[0]), signed(&pair[0]["balance"]));
        }
    }

    // A year of plausible history on the current account.
    let txns = x.all_transactions(&entity, &current, "").await;
    let oldest = NaiveDate::parse_from_str(
        &txns.last().unwrap()["booking_date_time"].as_str().unwrap()[..10],
        "%Y-%m-%d",
    )
    .unwrap();
    assert!((Utc::now().date_naive() - oldest).num_days() >= 360, "{oldest}");
    let salaries: Vec<&Value> =
        txns.iter().filter(|t| t["insights"]["category"] == "SALARY_AND_REVENUE").collect();
    assert!(salaries.len() >= 12, "monthly salary");
    assert!(salaries
        .iter()
        .all(|t| t["credit_debit_indicator"] == "CREDIT" && t["amount"] == salaries[0]["amount"]));
    for cat in ["GROCERIES", "RESTAURANTS_DINING", "TRANSPORT", "RENT_AND_SERVICES", "RETAIL"] {
        assert!(txns.iter().any(|t| t["insights"]["category"] == cat), "category {cat}");
    }
    assert!(txns.iter().any(|t| t["merchant_details"]["merchant_name"].is_string()));

    // Paging.
    let page = |n: u32, size: u32| {
        let path =
            format!("/data/v2/accounts/{current}/transactions?entity_id={entity}&page={n}&size={size}");
        let x = &x;
        async move { x.get(&path).await }
    };
    let (_, p0) = page(0, 10).await;
    let (_, p1) = page(1, 10).await;
    assert_eq!(p0["data"]["transactions"].as_array().unwrap().len(), 10);
    assert_eq!(p0["data"]["page"]["number"], 0);
    assert_eq!(p1["data"]["page"]["number"], 1);
    assert_eq!(p0["data"]["page"]["size"], 10);
    assert_eq!(p0["data"]["page"]["total_elements"], txns.len());
    assert_eq!(p0["data"]["page"]["total_pages"], txns.len().div_ceil(10));
    assert_eq!(p0["data"]["transactions"][0], txns[0]);
    assert_eq!(p1["data"]["transactions"][0], txns[10]);
    let last = txns.len().div_ceil(10) as u32 - 1;
    let (_, pl) = page(last, 10).await;
    assert_eq!(pl["data"]["transactions"].as_array().unwrap().len(), txns.len() - last as usize * 10);
    let (_, beyond) = page(last + 5, 10).await;
    assert_eq!(beyond["data"]["transactions"], json!([]));
    for bad in [0, 101] {
        let (s, b) = page(0, bad).await;
        assert_error(s, &b, 400, "INVALID_PARAMETERS");
    }

    // Date ranges (start_date/end_date, and the from/to aliases).
    let month_ago = Utc::now().date_naive() - chrono::Duration::days(60);
    let start_d = month_ago.with_day0(0).unwrap();
    let end_d = start_d + chrono::Duration::days(20);
    let ranged =
        x.all_transactions(&entity, &current, &format!("&start_date={start_d}&end_date={end_d}")).await;
    assert!(!ranged.is_empty());
    for t in &ranged {
        let d = &t["booking_date_time"].as_str().unwrap()[..10];
        assert!(d >= start_d.to_string().as_str() && d <= end_d.to_string().as_str(), "{d}");
    }
    let expected = txns
        .iter()
        .filter(|t| {
            let d = &t["booking_date_time"].as_str().unwrap()[..10];
            d >= start_d.to_string().as_str() && d <= end_d.to_string().as_str()
        })
        .count();
    assert_eq!(ranged.len(), expected);
    let aliased = x.all_transactions(&entity, &current, &format!("&from={start_d}&to={end_d}")).await;
    assert_eq!(aliased, ranged);
    let (s, b) = x
        .get(&format!(
            "/data/v2/accounts/{current}/transactions?entity_id={entity}&start_date={end_d}&end_date={start_d}"
        ))
        .await;
    assert_error(s, &b, 400, "INVALID_PARAMETERS");
    let (s, b) = x
        .get(&format!("/data/v2/accounts/{current}/transactions?entity_id={entity}&start_date=2025-13-01"))
        .await;
    assert_error(s, &b, 400, "INVALID_PARAMETERS");

    // Identity.
    let (s, body) = x.get(&format!("/data/v2/identity?entity_id={entity}")).await;
    assert_eq!(s, 200);
    assert_eq!(body["type"], "identity");
    let who = &body["data"]["identities"][0];
    assert_eq!(who["entity_id"], entity.as_str());
    assert!(who["full_legal_name"].as_str().unwrap().len() > 3);
    assert!(who["national_id"].as_str().unwrap().starts_with("784-"));
    assert_eq!(who["address"]["country"], "AE");

    // Error paths.
    let (s, b) = x.get("/data/v2/accounts").await;
    assert_error(s, &b, 400, "MISSING_PARAMETERS");
    let (s, b) = x.get("/data/v2/accounts?entity_id=not-a-uuid").await;
    assert_error(s, &b, 400, "INVALID_PARAMETERS");
    let unknown = uuid::Uuid::new_v4();
    let (s, b) = x.get(&format!("/data/v2/accounts?entity_id={unknown}")).await;
    assert_error(s, &b, 404, "UNKNOWN_ENTITY");
    assert!(b["results_id"].is_string(), "data errors echo a results_id");
    let (s, b) = x.get(&format!("/data/v2/accounts/{unknown}/balances?entity_id={entity}")).await;
    assert_error(s, &b, 404, "UNKNOWN_ACCOUNT");
    let (s, b) = x.get(&format!("/data/v2/accounts/{unknown}/transactions?entity_id={entity}")).await;
    assert_error(s, &b, 404, "UNKNOWN_ACCOUNT");
    let resp = x.c.get(format!("{}/data/v2/accounts?entity_id={entity}", x.base)).send().await.unwrap();
    assert_eq!(resp.status(), 401);
    // The POST style some docs show is accepted too.
    let (s, b) = x.post("/data/v2/accounts", json!({"entity_id": entity})).await;
    assert_eq!((s, b["status"].as_str().unwrap()), (200, "OK"));

    // Determinism: same data twice, and again after a restart.
    let again = x.all_transactions(&entity, &current, "").await;
    assert_eq!(again, txns);
    let state = dir.path().join("s.json");
    sb.shutdown().await;
    let sb = start(&state, None, 1.0).await;
    let x = Ctx::new(&sb).await;
    let after = x.all_transactions(&entity, &current, "").await;
    assert_eq!(after, txns);
    sb.shutdown().await;
}

#[tokio::test]
async fn ksa_entities_use_sar_and_permissions_are_enforced() {
    let dir = tempfile::tempdir().unwrap();
    let sb = start(&dir.path().join("s.json"), None, 1.0).await;
    let x = Ctx::new(&sb).await;
    let (_, entity) =
        x.connect(&sb, "ksa-user", "LEA1_SAMAOB_SAU", "user_simple", &["identity", "accounts"]).await;
    let accounts = x.accounts(&entity).await;
    assert!(accounts.len() >= 2);
    for a in &accounts {
        assert_eq!(a["currency"], "SAR");
        let iban = a["account"][0]["identification"].as_str().unwrap();
        assert!(iban.starts_with("SA") && iban.len() == 24, "{iban}");
    }
    let id = accounts[0]["account_id"].as_str().unwrap();
    // No `balance` permission: a soft FAILED.
    let (s, b) = x.get(&format!("/data/v2/accounts/{id}/balances?entity_id={entity}")).await;
    assert_eq!(s, 200);
    assert_eq!(b["status"], "FAILED");
    assert_eq!(b["status_detail"]["granular_status_code"], "PERMISSION_NOT_GRANTED");
    sb.shutdown().await;
}

#[tokio::test]
async fn pending_results_ready_and_results_fetch() {
    let (rx, url) = receiver(0).await;
    let dir = tempfile::tempdir().unwrap();
    let sb = start(&dir.path().join("s.json"), Some(url), 1.0).await;
    let x = Ctx::new(&sb).await;
    let (_, entity) = x.connect(&sb, "pending-user", "LEAN_MB1", "user_simple", &ALL).await;

    let (s, b) = x.scenario("/next-data-call", json!({"entity_id": entity, "status": "PENDING"})).await;
    assert_eq!(s, 200, "{b}");
    let (s, pending) = x.get(&format!("/data/v2/accounts?entity_id={entity}")).await;
    assert_eq!(s, 202, "{pending}");
    assert_eq!(pending["status"], "PENDING");
    assert_eq!(pending["message"], "Please wait for a webhook or try again later.");
    assert!(pending["data"].is_null() && pending["type"].is_null() && pending["refreshed_at"].is_null());
    let results_id = pending["results_id"].as_str().unwrap().to_string();

    // The scenario was one-shot.
    let (s, b) = x.get(&format!("/data/v2/accounts?entity_id={entity}")).await;
    assert_eq!((s, b["status"].as_str().unwrap()), (200, "OK"));
    // A synchronous result's id is not fetchable.
    let sync_id = b["results_id"].as_str().unwrap();
    let (s, b) = x.get(&format!("/data/v2/results/{sync_id}")).await;
    assert_error(s, &b, 404, "UNKNOWN_RESULTS_ID");

    let ready = wait_event(
        &rx,
        "results.ready",
        |v| v["payload"]["id"] == results_id.as_str(),
        Duration::from_secs(10),
    )
    .await;
    assert_eq!(ready["message"], "Your results are ready.");
    let (s, got) = x.get(&format!("/data/v2/results/{results_id}")).await;
    assert_eq!(s, 200, "{got}");
    assert_eq!(got["status"], "OK");
    assert_eq!(got["results_id"], results_id.as_str());
    assert_eq!(got["type"], "accounts");
    assert_eq!(got["data"]["accounts"].as_array().unwrap().len(), 3);

    // async=true on transactions (deprecated but supported), fetched through v1 results too.
    let current = x.accounts(&entity).await[0]["account_id"].as_str().unwrap().to_string();
    let (s, p) = x
        .get(&format!("/data/v2/accounts/{current}/transactions?entity_id={entity}&async=true&size=5"))
        .await;
    assert_eq!((s, p["status"].as_str().unwrap()), (202, "PENDING"));
    let rid = p["results_id"].as_str().unwrap().to_string();
    wait_event(&rx, "results.ready", |v| v["payload"]["id"] == rid.as_str(), Duration::from_secs(10)).await;
    let (s, got) = x.get(&format!("/data/v2/results/{rid}")).await;
    assert_eq!(s, 200);
    assert_eq!(got["data"]["transactions"].as_array().unwrap().len(), 5);
    let (s, got) = x.get(&format!("/data/v1/results/{rid}")).await;
    assert_eq!(s, 200);
    assert_eq!(got["status"], "OK");
    assert!(got["payload"]["transactions"].as_array().unwrap().len() > 5);

    let (s, b) = x.get(&format!("/data/v2/results/{}", uuid::Uuid::new_v4())).await;
    assert_error(s, &b, 404, "UNKNOWN_RESULTS_ID");
    sb.shutdown().await;
}

#[tokio::test]
async fn failed_and_consent_expired_scenarios() {
    let dir = tempfile::tempdir().unwrap();
    let sb = start(&dir.path().join("s.json"), None, 1.0).await;
    let x = Ctx::new(&sb).await;
    let (customer, entity) = x.connect(&sb, "fail-user", "LEAN_MB1", "user_simple", &ALL).await;

    let (s, _) = x
        .scenario(
            "/next-data-call",
            json!({"entity_id": entity, "status": "FAILED", "granular_status_code": "EU_ACCOUNT_LOCKED"}),
        )
        .await;
    assert_eq!(s, 200);
    let (s, b) = x.get(&format!("/data/v2/identity?entity_id={entity}")).await;
    assert_eq!(s, 200);
    assert_eq!(b["status"], "FAILED");
    assert_eq!(b["status_detail"]["granular_status_code"], "EU_ACCOUNT_LOCKED");
    assert!(b["status_detail"]["status_additional_info"].is_string());
    assert!(b["data"].is_null() && b["type"].is_null());
    // One-shot: the next call is fine again.
    let (_, b) = x.get(&format!("/data/v2/identity?entity_id={entity}")).await;
    assert_eq!(b["status"], "OK");

    // Default code is BANK_ISSUE.
    x.scenario("/next-data-call", json!({"entity_id": entity, "status": "FAILED"})).await;
    let (_, b) = x.get(&format!("/data/v2/accounts?entity_id={entity}")).await;
    assert_eq!(b["status_detail"]["granular_status_code"], "BANK_ISSUE");

    // CONSENT_EXPIRED on a data call, then on a refresh (403).
    x.scenario("/next-data-call", json!({"entity_id": entity, "status": "CONSENT_EXPIRED"})).await;
    let (s, b) = x.get(&format!("/data/v2/accounts?entity_id={entity}")).await;
    assert_eq!((s, b["status"].as_str().unwrap()), (200, "CONSENT_EXPIRED"));
    x.scenario("/next-data-call", json!({"entity_id": entity, "status": "CONSENT_EXPIRED"})).await;
    let (s, b) = x.post("/data/v2/refreshes", json!({"entity_id": entity})).await;
    assert_error(s, &b, 403, "CONSENT_EXPIRED");

    // Listing and clearing scenarios; bad requests.
    x.scenario("/next-data-call", json!({"entity_id": entity, "status": "PENDING"})).await;
    let listed: Value =
        x.c.get(format!("{}/sandbox/scenarios", x.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!(listed["next_data_calls"].as_array().unwrap().len(), 1);
    let (s, _) = x.scenario("/clear", json!({})).await;
    assert_eq!(s, 200);
    let (s, b) = x.get(&format!("/data/v2/accounts?entity_id={entity}")).await;
    assert_eq!((s, b["status"].as_str().unwrap()), (200, "OK"));
    let (s, b) = x.scenario("/next-data-call", json!({"entity_id": entity, "status": "WHATEVER"})).await;
    assert_error(s, &b, 400, "INVALID_PARAMETERS");
    let (s, b) =
        x.scenario("/next-data-call", json!({"entity_id": uuid::Uuid::new_v4(), "status": "FAILED"})).await;
    assert_error(s, &b, 404, "UNKNOWN_ENTITY");

    // A customer token may not read data.
    let ct = token(&x.c, &sb, &format!("customer.{customer}")).await;
    let resp =
        x.c.get(format!("{}/data/v2/accounts?entity_id={entity}", x.base))
            .bearer_auth(&ct)
            .send()
            .await
            .unwrap();
    assert_eq!(resp.status(), 403);

    // A deleted entity is unknown to the Data API.
    let resp =
        x.c.delete(format!("{}/customers/v1/{customer}/entities/{entity}", x.base))
            .bearer_auth(&x.api)
            .json(&json!({"reason": "USER_REQUESTED"}))
            .send()
            .await
            .unwrap();
    assert_eq!(resp.status(), 200);
    let (s, b) = x.get(&format!("/data/v2/accounts?entity_id={entity}")).await;
    assert_error(s, &b, 404, "UNKNOWN_ENTITY");
    let (s, b) = x.post("/data/v2/refreshes", json!({"entity_id": entity})).await;
    assert_error(s, &b, 404, "UNKNOWN_ENTITY");
    sb.shutdown().await;
}

#[tokio::test]
async fn expired_session_needs_reconnect() {
    let (rx, url) = receiver(0).await;
    let dir = tempfile::tempdir().unwrap();
    let sb = start(&dir.path().join("s.json"), Some(url), 1.0).await;
    let x = Ctx::new(&sb).await;
    let (_, simple) = x.connect(&sb, "simple-user", "LEAN_MB1", "user_simple", &ALL).await;
    let (otp_customer, otp) = x.connect(&sb, "otp-user", "LEAN_MB1", "user_otp", &ALL).await;

    let (s, b) = x.scenario("/expire-session", json!({"username": "user_otp"})).await;
    assert_eq!(s, 200, "{b}");
    let affected = b["entities"].as_array().unwrap();
    assert_eq!(affected.len(), 1);
    assert_eq!(affected[0]["entity_id"], otp.as_str());
    let reconnect_id = affected[0]["reconnect_id"].as_str().unwrap().to_string();

    // The other user's entity is untouched.
    let (_, b) = x.get(&format!("/data/v2/accounts?entity_id={simple}")).await;
    assert_eq!(b["status"], "OK");

    let (s, b) = x.get(&format!("/data/v2/accounts?entity_id={otp}")).await;
    assert_eq!(s, 200);
    assert_eq!(b["status"], "RECONNECT_REQUIRED");
    assert_eq!(b["reconnect_id"], reconnect_id.as_str());
    assert_eq!(b["message"], "User input is required to reconnect with the bank.");
    let waiting = b["results_id"].as_str().unwrap().to_string();
    let (s, b) = x.post("/data/v1/identity", json!({"entity_id": otp})).await;
    assert_eq!(s, 200);
    assert_eq!(b["status"], "RECONNECT_REQUIRED");
    assert_eq!(b["payload"]["reconnect_id"], reconnect_id.as_str());
    let (s, b) = x.post("/data/v2/refreshes", json!({"entity_id": otp})).await;
    assert_eq!(s, 200);
    assert_eq!(b["status"], "RECONNECT_REQUIRED");
    assert_eq!(b["reconnect_id"], reconnect_id.as_str());
    // Until the reconnect, the stored result says so too.
    let (_, b) = x.get(&format!("/data/v2/results/{waiting}")).await;
    assert_eq!(b["status"], "RECONNECT_REQUIRED");

    // A wrong reconnect id is refused.
    let (s, b) =
        x.scenario("/reconnect", json!({"entity_id": otp, "reconnect_id": uuid::Uuid::new_v4()})).await;
    assert_error(s, &b, 400, "INVALID_PARAMETERS");

    let (s, b) = x.scenario("/reconnect", json!({"reconnect_id": reconnect_id})).await;
    assert_eq!(s, 200, "{b}");
    let reconnected = wait_event(
        &rx,
        "entity.reconnected",
        |v| v["payload"]["id"] == otp.as_str(),
        Duration::from_secs(10),
    )
    .await;
    // Lean's guide: the entity id and the reconnect id, nothing else.
    assert_eq!(reconnected["payload"], json!({"id": otp, "reconnect_id": reconnect_id}));
    wait_event(&rx, "results.ready", |v| v["payload"]["id"] == waiting.as_str(), Duration::from_secs(10))
        .await;
    // entity.reconnected is delivered before results.ready (same lane).
    let order: Vec<String> = rx
        .all()
        .iter()
        .map(|r| serde_json::from_slice::<Value>(&r.body).unwrap())
        .filter(|v| v["type"] == "entity.reconnected" || v["type"] == "results.ready")
        .map(|v| v["type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(order[0], "entity.reconnected");
    let (s, b) = x.get(&format!("/data/v2/results/{waiting}")).await;
    assert_eq!((s, b["status"].as_str().unwrap()), (200, "OK"));
    assert_eq!(b["data"]["accounts"].as_array().unwrap().len(), 3);
    let (_, b) = x.get(&format!("/data/v2/accounts?entity_id={otp}")).await;
    assert_eq!(b["status"], "OK");

    // RECONNECT_REQUIRED can also be scripted per entity.
    x.scenario("/next-data-call", json!({"entity_id": simple, "status": "RECONNECT_REQUIRED"})).await;
    let (_, b) = x.get(&format!("/data/v2/identity?entity_id={simple}")).await;
    assert_eq!(b["status"], "RECONNECT_REQUIRED");
    // A fresh connect of the same bank replaces the expired session.
    let (s, b) = x.scenario("/expire-session", json!({"username": "user_otp"})).await;
    assert_eq!((s, b["entities"].as_array().unwrap().len()), (200, 1));
    let (_, b) = x.get(&format!("/data/v2/accounts?entity_id={otp}")).await;
    assert_eq!(b["status"], "RECONNECT_REQUIRED");
    let ct = token(&x.c, &sb, &format!("customer.{otp_customer}")).await;
    let resp =
        x.c.post(format!("{}/link/api/connect", x.base))
            .bearer_auth(&ct)
            .json(&json!({"customer_id": otp_customer, "bank_identifier": "LEAN_MB1",
                      "username": "user_otp", "password": "pass_otp", "otp": "1111", "permissions": ALL}))
            .send()
            .await
            .unwrap();
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["entity_id"], otp.as_str(), "{body}");
    let (_, b) = x.get(&format!("/data/v2/accounts?entity_id={otp}")).await;
    assert_eq!(b["status"], "OK");

    // "Clear all" also clears pending reconnects.
    let resp = x.c.delete(format!("{}/sandbox/scenarios", x.base)).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let (_, b) = x.get(&format!("/data/v2/identity?entity_id={simple}")).await;
    assert_eq!(b["status"], "OK");
    sb.shutdown().await;
}

#[tokio::test]
async fn manual_refreshes() {
    let (rx, url) = receiver(0).await;
    let dir = tempfile::tempdir().unwrap();
    let sb = start(&dir.path().join("s.json"), Some(url), 1.0).await;
    let x = Ctx::new(&sb).await;
    let (customer, entity) = x.connect(&sb, "refresh-user", "LEAN_MB1", "user_simple", &ALL).await;

    let (s, b) = x.post("/data/v2/refreshes", json!({"entity_id": entity})).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["status"], "OK");
    assert_eq!(b["message"], "Data refresh triggered successfully");
    let refresh_id = b["refresh_id"].as_str().unwrap().to_string();

    let (s, b) = x.post("/data/v2/refreshes", json!({"entity_id": entity})).await;
    assert_error(s, &b, 429, "DUPLICATED_REQUEST");
    assert_eq!(b["message"], "Data refresh is already pending.");

    let (s, one) = x.get(&format!("/data/v2/refreshes/{refresh_id}")).await;
    assert_eq!(s, 200);
    assert_eq!(one["status"], "PENDING");
    assert_eq!(one["customer_id"], customer.as_str());
    assert_eq!(one["entity_id"], entity.as_str());

    let (s, list) = x.get(&format!("/data/v2/refreshes?entity_id={entity}")).await;
    assert_eq!(s, 200);
    assert_eq!(list["content"].as_array().unwrap().len(), 1);
    assert_eq!(list["content"][0]["refresh_id"], refresh_id.as_str());
    assert_eq!(list["page"]["total_elements"], 1);

    let is_ours = |status: &'static str| {
        let id = refresh_id.clone();
        move |v: &Value| v["payload"]["refresh_id"] == id.as_str() && v["payload"]["status"] == status
    };
    let pending =
        wait_event(&rx, "entity.data.refresh.updated", is_ours("PENDING"), Duration::from_secs(10)).await;
    assert_eq!(pending["payload"]["entity_id"], entity.as_str());
    assert_eq!(pending["payload"]["data_status"]["accounts"], "PENDING");
    let finished =
        wait_event(&rx, "entity.data.refresh.updated", is_ours("FINISHED"), Duration::from_secs(10)).await;
    assert_eq!(finished["payload"]["data_status"]["accounts"], "OK");
    assert!(finished["payload"]["data_status"]["account_data"][0]["transaction_availability"]["start"]
        .is_string());

    let (_, one) = x.get(&format!("/data/v2/refreshes/{refresh_id}")).await;
    assert_eq!(one["status"], "FINISHED");
    assert_eq!(one["data_status"]["identity"], "OK");
    assert!(one["data_status"]["account_data"][0]["transactionAvailability"]["end"].is_string());
    // refreshed_at moves to the finished refresh.
    let (_, b) = x.get(&format!("/data/v2/accounts?entity_id={entity}")).await;
    assert_eq!(b["refreshed_at"], one["updated_at"]);

    // Once finished, another refresh may start.
    let (s, _) = x.post("/data/v2/refreshes", json!({"entity_id": entity})).await;
    assert_eq!(s, 200);
    let (_, list) = x.get(&format!("/data/v2/refreshes?entity_id={entity}")).await;
    assert_eq!(list["content"].as_array().unwrap().len(), 2);

    let unknown = uuid::Uuid::new_v4();
    let (s, b) = x.post("/data/v2/refreshes", json!({"entity_id": unknown})).await;
    assert_error(s, &b, 404, "UNKNOWN_ENTITY");
    let (s, b) = x.get(&format!("/data/v2/refreshes?entity_id={unknown}")).await;
    assert_error(s, &b, 404, "UNKNOWN_ENTITY");
    let (s, b) = x.get(&format!("/data/v2/refreshes/{unknown}")).await;
    assert_error(s, &b, 404, "UNKNOWN_REFRESH_ID");
    let (s, b) = x.post("/data/v2/refreshes", json!({})).await;
    assert_error(s, &b, 400, "MISSING_PARAMETERS");
    sb.shutdown().await;
}

#[tokio::test]
async fn legacy_v1_endpoints_share_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let sb = start(&dir.path().join("s.json"), None, 1.0).await;
    let x = Ctx::new(&sb).await;
    let (_, entity) = x.connect(&sb, "v1-user", "LEAN_MB1", "user_simple", &ALL).await;
    let v2_accounts = x.accounts(&entity).await;

    let (s, b) = x.post("/data/v1/accounts", json!({"entity_id": entity})).await;
    assert_eq!(s, 200);
    assert_eq!(b["status"], "OK");
    assert!(b["results_id"].is_string() && b["timestamp"].is_string() && b["message"].is_string());
    assert!(b.get("data").is_none(), "v1 uses `payload`");
    assert_eq!(b["payload"]["type"], "accounts");
    let accounts = b["payload"]["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), v2_accounts.len());
    assert_eq!(accounts[0]["account_id"], v2_accounts[0]["account_id"]);
    assert_eq!(accounts[0]["iban"], v2_accounts[0]["account"][0]["identification"]);
    assert_eq!(accounts[0]["currency_code"], "AED");

    let id = v2_accounts[0]["account_id"].as_str().unwrap();
    let (_, v2b) = x.get(&format!("/data/v2/accounts/{id}/balances?entity_id={entity}")).await;
    let closing = v2b["data"]["balances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "CLOSING_BOOKED")
        .unwrap()
        .clone();
    let (s, b) = x.post("/data/v1/balance", json!({"entity_id": entity, "account_id": id})).await;
    assert_eq!(s, 200);
    assert_eq!(b["payload"]["type"], "balance");
    assert_eq!(b["payload"]["currency_code"], "AED");
    assert_eq!(cents(&b["payload"]["balance"]), signed(&closing));

    let start_d = (Utc::now().date_naive() - chrono::Duration::days(90)).to_string();
    let end_d = (Utc::now().date_naive() - chrono::Duration::days(30)).to_string();
    let (s, b) = x
        .post(
            "/data/v1/transactions",
            json!({"entity_id": entity, "account_id": id, "start_date": start_d, "end_date": end_d}),
        )
        .await;
    assert_eq!(s, 200);
    let v1_txns = b["payload"]["transactions"].as_array().unwrap().clone();
    let v2_txns = x.all_transactions(&entity, id, &format!("&start_date={start_d}&end_date={end_d}")).await;
    assert_eq!(v1_txns.len(), v2_txns.len());
    assert!(!v1_txns.is_empty());
    for (a, b) in v1_txns.iter().zip(&v2_txns) {
        assert_eq!(a["id"], b["transaction_id"]);
        assert_eq!(cents(&a["amount"]), signed(b));
        assert_eq!(cents(&a["running_balance"]), signed(&b["balance"]));
    }

    let (s, b) = x.post("/data/v1/identity", json!({"entity_id": entity})).await;
    assert_eq!(s, 200);
    assert_eq!(b["payload"]["type"], "identity");
    assert!(b["payload"]["full_name"].is_string());

    let (s, b) = x.post("/data/v1/balance", json!({"entity_id": entity})).await;
    assert_error(s, &b, 400, "MISSING_PARAMETERS");
    let (s, b) =
        x.post("/data/v1/balance", json!({"entity_id": entity, "account_id": uuid::Uuid::new_v4()})).await;
    assert_error(s, &b, 404, "UNKNOWN_ACCOUNT");
    let (s, b) = x.post("/data/v1/accounts", json!({"entity_id": uuid::Uuid::new_v4()})).await;
    assert_error(s, &b, 404, "UNKNOWN_ENTITY");

    // Async via the body flag.
    let (s, b) = x.post("/data/v1/accounts", json!({"entity_id": entity, "async": true})).await;
    assert_eq!(s, 202);
    assert_eq!(b["status"], "PENDING");
    assert_eq!(b["message"], "Results not yet returned. Please wait");
    let rid = b["results_id"].as_str().unwrap().to_string();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (s, got) = x.get(&format!("/data/v1/results/{rid}")).await;
        assert!(s == 200 || s == 202, "{got}");
        if got["status"] == "OK" {
            assert_eq!(got["payload"]["accounts"].as_array().unwrap().len(), 3);
            break;
        }
        assert!(Instant::now() < deadline, "result never became ready");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn injected_faults() {
    let dir = tempfile::tempdir().unwrap();
    let sb = start(&dir.path().join("s.json"), None, 1.0).await;
    let x = Ctx::new(&sb).await;
    let (_, entity) = x.connect(&sb, "fault-user", "LEAN_MB1", "user_simple", &ALL).await;
    let accounts = format!("/data/v2/accounts?entity_id={entity}");

    // 500s on the Data API only.
    let (s, b) = x.scenario("/faults", json!({"status": 500, "rate": 1.0, "path_prefix": "/data/"})).await;
    assert_eq!(s, 200, "{b}");
    let (s, b) = x.get(&accounts).await;
    assert_error(s, &b, 500, "INTERNAL_SERVER_ERROR");
    let (s, _) = x.get("/banks/v1").await;
    assert_eq!(s, 200);
    let resp = x.c.delete(format!("{}/sandbox/scenarios/faults", x.base)).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let (s, _) = x.get(&accounts).await;
    assert_eq!(s, 200);

    // A 429 limited to one request, on every API path; sandbox and Link pages are exempt.
    x.scenario("/faults", json!({"status": 429, "count": 1})).await;
    let (s, _) = x.scenario("/next-data-call", json!({"entity_id": entity, "status": "FAILED"})).await;
    assert_eq!(s, 200, "scenario controls are never faulted");
    let page = x.c.get(format!("{}/link/lean-sdk.html", x.base)).send().await.unwrap();
    assert_eq!(page.status(), 200, "Link pages are never faulted");
    let (s, b) = x.get(&accounts).await;
    assert_error(s, &b, 429, "RATE_LIMIT_EXCEEDED");
    let (s, b) = x.get(&accounts).await;
    assert_eq!(s, 200);
    assert_eq!(b["status"], "FAILED", "the scripted call came after the fault");

    // Added latency.
    x.scenario("/faults", json!({"latency_ms": 400, "path_prefix": "/data/v2/identity"})).await;
    let t = Instant::now();
    let (s, _) = x.get(&format!("/data/v2/identity?entity_id={entity}")).await;
    assert_eq!(s, 200);
    assert!(t.elapsed() >= Duration::from_millis(400));
    let t = Instant::now();
    x.get(&accounts).await;
    assert!(t.elapsed() < Duration::from_millis(400), "other paths are not slowed");

    // rate 0 never fires.
    let (s, _) = x.scenario("/clear", json!({})).await;
    assert_eq!(s, 200);
    x.scenario("/faults", json!({"status": 500, "rate": 0.0})).await;
    for _ in 0..5 {
        let (s, _) = x.get(&accounts).await;
        assert_eq!(s, 200);
    }

    for bad in [json!({"status": 404}), json!({"status": 500, "rate": 1.5}), json!({"rate": 0.5})] {
        let (s, b) = x.scenario("/faults", bad).await;
        assert!(s == 400, "{b}");
    }
    sb.shutdown().await;
}

/// Lean's test users each have their own accounts and history: two customers (or two apps) connecting
/// the same test user at the same bank see the same accounts, transactions and identity, with at least
/// 12 months of history on every account.
#[tokio::test]
async fn data_is_deterministic_per_test_user() {
    let dir = tempfile::tempdir().unwrap();
    let sb = start(&dir.path().join("s.json"), None, 1.0).await;
    let x = Ctx::new(&sb).await;
    let (_, first) = x.connect(&sb, "det-user-1", "LEAN_MB1", "user_simple", &ALL).await;
    let (_, second) = x.connect(&sb, "det-user-2", "LEAN_MB1", "user_simple", &ALL).await;
    let (_, other) = x.connect(&sb, "det-user-3", "LEAN_MB1", "user_otp", &ALL).await;

    let shape = |accounts: Vec<Value>| -> Vec<(String, String)> {
        let mut v: Vec<_> = accounts
            .iter()
            .map(|a| {
                (
                    a["nickname"].as_str().unwrap().to_owned(),
                    a["account"][0]["identification"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let (a1, a2, a3) = (x.accounts(&first).await, x.accounts(&second).await, x.accounts(&other).await);
    assert_eq!(shape(a1.clone()), shape(a2.clone()), "same user, same accounts");
    assert_ne!(shape(a1.clone()), shape(a3), "another user has other accounts");

    let current = |accounts: &[Value]| {
        accounts.iter().find(|a| a["account_sub_type"] == "CURRENT").unwrap()["account_id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let summary = |txs: Vec<Value>| -> Vec<(String, String, String)> {
        txs.iter()
            .map(|t| {
                (
                    t["booking_date_time"].as_str().unwrap().to_owned(),
                    t["transaction_information"].as_str().unwrap().to_owned(),
                    t["amount"]["amount"].to_string(),
                )
            })
            .collect()
    };
    let t1 = summary(x.all_transactions(&first, &current(&a1), "").await);
    let t2 = summary(x.all_transactions(&second, &current(&a2), "").await);
    assert!(!t1.is_empty());
    assert_eq!(t1, t2, "same user, same history");
    for a in &a1 {
        let opened =
            chrono::NaiveDate::parse_from_str(a["opening_date"].as_str().unwrap(), "%Y-%m-%d").unwrap();
        let months = (chrono::Utc::now().date_naive() - opened).num_days() / 30;
        assert!(months >= 12, "{} has {months} months of history", a["nickname"]);
    }

    let (_, id1) = x.get(&format!("/data/v2/identity?entity_id={first}")).await;
    let (_, id2) = x.get(&format!("/data/v2/identity?entity_id={second}")).await;
    assert_eq!(
        id1["data"]["identities"][0]["full_legal_name"], id2["data"]["identities"][0]["full_legal_name"],
        "same user, same person"
    );
}

/// The nine data permissions, so that every Data API v2 endpoint answers.
const EVERY: [&str; 9] = [
    "identity",
    "accounts",
    "balance",
    "transactions",
    "identities",
    "beneficiaries",
    "direct_debits",
    "standing_orders",
    "scheduled_payments",
];

/// The per-account resources: (path segment, the `data` key of the list).
const PER_ACCOUNT: [(&str, &str); 5] = [
    ("identities", "identities"),
    ("beneficiaries", "beneficiaries"),
    ("direct-debits", "direct_debits"),
    ("standing-orders", "standing_orders"),
    ("scheduled-payments", "scheduled_payments"),
];

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> =
        v.as_object().unwrap_or_else(|| panic!("not an object: {v}")).keys().cloned().collect();
    k.sort();
    k
}

fn sorted(names: &[&str]) -> Vec<String> {
    let mut k: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    k.sort();
    k
}

/// ISO 7064 mod-97 check of an IBAN.
fn iban_ok(iban: &str) -> bool {
    let r = format!("{}{}", &iban[4..], &iban[..4]);
    let mut rem: u32 = 0;
    for c in r.chars() {
        let v = c.to_digit(36).unwrap();
        rem = if v >= 10 { (rem * 100 + v) % 97 } else { (rem * 10 + v) % 97 };
    }
    rem == 1
}

fn date_time(v: &Value) -> chrono::DateTime<Utc> {
    chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap_or_else(|| panic!("not a date-time: {v}")))
        .unwrap()
        .with_timezone(&Utc)
}

impl Ctx {
    /// `GET /data/v2/accounts/{account}/{res}?entity_id={entity}{extra}`.
    async fn resource(&self, entity: &str, account: &str, res: &str, extra: &str) -> (u16, Value) {
        self.get(&format!("/data/v2/accounts/{account}/{res}?entity_id={entity}{extra}")).await
    }

    /// The OK list of a resource; checks the envelope and the page.
    async fn list(&self, entity: &str, account: &str, res: &str, key: &str) -> Vec<Value> {
        let (s, body) = self.resource(entity, account, res, "").await;
        assert_eq!((s, body["status"].as_str()), (200, Some("OK")), "{res}: {body}");
        assert_eq!(body["type"], res, "{body}");
        // StandingOrdersData has no `type` (nor has Lean's example); the others name the endpoint.
        if res == "standing-orders" {
            assert!(body["data"].get("type").is_none(), "{body}");
        } else {
            assert_eq!(body["data"]["type"], res, "{body}");
        }
        let items = body["data"][key].as_array().unwrap_or_else(|| panic!("no {key}: {body}")).clone();
        assert_eq!(
            body["data"]["page"],
            json!({"number": 0, "size": 50, "total_elements": items.len(), "total_pages": items.len().div_ceil(50), "sort": []}),
            "{res}"
        );
        items
    }
}

#[tokio::test]
async fn per_account_resources_follow_lean_and_the_history() {
    let dir = tempfile::tempdir().unwrap();
    let sb = start(&dir.path().join("s.json"), None, 1.0).await;
    let x = Ctx::new(&sb).await;
    let (_, entity) = x.connect(&sb, "payees-user", "LEAN_MB1", "user_simple", &EVERY).await;
    let accounts = x.accounts(&entity).await;
    let of = |sub: &str| {
        accounts.iter().find(|a| a["account_sub_type"] == sub).unwrap_or_else(|| panic!("{sub}")).clone()
    };
    let (current, savings, card) = (of("CURRENT"), of("SAVINGS"), of("CREDIT"));
    let id = |a: &Value| a["account_id"].as_str().unwrap().to_string();
    let cur = id(&current);

    // Identities of an account: the holder, as /data/v2/identity shows them, and the account's id.
    let (s, body) = x.resource(&entity, &cur, "identities", "").await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["data"]["account_id"], cur.as_str());
    let ids = x.list(&entity, &cur, "identities", "identities").await;
    let (_, whole) = x.get(&format!("/data/v2/identity?entity_id={entity}")).await;
    assert_eq!(ids, whole["data"]["identities"].as_array().unwrap().clone());
    assert!(whole["data"].get("account_id").is_none(), "entity-wide identity names no account: {whole}");

    // Beneficiaries: only the fields data.yml's Beneficiary defines, valid local IBANs.
    let bens = x.list(&entity, &cur, "beneficiaries", "beneficiaries").await;
    assert!((3..=4).contains(&bens.len()), "{bens:?}");
    for b in &bens {
        assert_eq!(
            keys(b),
            sorted(&[
                "account_id",
                "account_holder_name",
                "account_holder_short_name",
                "beneficiary_id",
                "beneficiary_type",
                "creditor_agent",
                "creditor_account",
                "reference",
            ])
        );
        assert_eq!(b["account_id"], cur.as_str());
        assert!(["TRUSTED", "ORDINARY"].contains(&b["beneficiary_type"].as_str().unwrap()));
        assert_eq!(
            keys(&b["creditor_agent"]),
            sorted(&["scheme_name", "identification", "name", "postal_address"])
        );
        assert_eq!(b["creditor_agent"]["scheme_name"], "BICFI");
        assert_eq!(b["creditor_agent"]["postal_address"]["country"], "AE");
        let acct = &b["creditor_account"];
        assert_eq!(keys(acct), sorted(&["scheme_name", "identification", "name"]));
        assert_eq!(acct["scheme_name"], "IBAN");
        assert_eq!(acct["name"], b["account_holder_name"]);
        let iban = acct["identification"].as_str().unwrap();
        assert!(iban.starts_with("AE") && iban.len() == 23 && iban_ok(iban), "{iban}");
    }
    assert_eq!(bens.iter().filter(|b| b["beneficiary_type"] == "TRUSTED").count(), 1);

    // Direct debits: the utility and telecom bills, last collected as the history shows.
    let txns = x.all_transactions(&entity, &cur, "").await;
    let dds = x.list(&entity, &cur, "direct-debits", "direct_debits").await;
    assert_eq!(dds.len(), 2, "{dds:?}");
    for d in &dds {
        assert_eq!(
            keys(d),
            sorted(&[
                "entity_id",
                "account_id",
                "direct_debit_id",
                "name",
                "status_code",
                "frequency",
                "mandate_identification",
                "previous_payment_date_time",
                "previous_payment_amount",
            ])
        );
        assert_eq!(
            (d["entity_id"].as_str(), d["account_id"].as_str()),
            (Some(entity.as_str()), Some(cur.as_str()))
        );
        assert_eq!((d["status_code"].as_str(), d["frequency"].as_str()), (Some("ACTIVE"), Some("MONTHLY")));
        assert_eq!(d["previous_payment_amount"]["currency"], "AED");
        let collected = txns.iter().find(|t| {
            t["booking_date_time"] == d["previous_payment_date_time"]
                && t["transaction_type"] == "BILL_PAYMENTS"
        });
        let t = collected.unwrap_or_else(|| panic!("no transaction for {d}"));
        assert_eq!(t["credit_debit_indicator"], "DEBIT");
        assert_eq!(t["amount"], d["previous_payment_amount"]);
        assert_eq!(t["transaction_type"], "BILL_PAYMENTS");
    }
    let names: Vec<&str> = dds.iter().map(|d| d["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Dubai Electricity and Water Authority", "Etisalat by e&"]);

    // Standing orders: the monthly transfer to the savings account.
    let sos = x.list(&entity, &cur, "standing-orders", "standing_orders").await;
    let [so] = &sos[..] else { panic!("one standing order: {sos:?}") };
    assert!(so.get("entity_id").is_none(), "StandingOrder has no entity_id");
    assert_eq!(so["standing_order_type"], "BETWEEN_MY_ACCOUNTS");
    assert_eq!(so["frequency"], json!({"frequency_type": "MONTHLY", "interval": null}));
    assert_eq!(so["creditor_account"]["identification"], savings["account"][0]["identification"]);
    assert_eq!(so["creditor_agent"]["identification"], current["servicer"]["identification"]);
    for k in ["final_payment_date_time", "final_payment_amount", "number_of_payments"] {
        assert!(so[k].is_null(), "{k}: {so}");
    }
    let transfers: Vec<&Value> =
        txns.iter().filter(|t| t["transaction_information"] == "TRANSFER TO SAVINGS ACCOUNT").collect();
    assert!(transfers.len() >= 12);
    assert_eq!(so["last_payment_date_time"], transfers[0]["booking_date_time"], "newest first");
    assert_eq!(so["first_payment_date_time"], transfers.last().unwrap()["booking_date_time"]);
    assert_eq!(so["last_payment_amount"], transfers[0]["amount"]);
    let next = date_time(&so["next_payment_date_time"]);
    assert!(next > Utc::now());
    assert_eq!(
        next,
        date_time(&so["last_payment_date_time"]).checked_add_months(chrono::Months::new(1)).unwrap()
    );

    // Scheduled payments: next month, to two of the beneficiaries.
    let sps = x.list(&entity, &cur, "scheduled-payments", "scheduled_payments").await;
    assert_eq!(sps.len(), 2, "{sps:?}");
    for p in &sps {
        assert_eq!(p["entity_id"], entity.as_str());
        assert_eq!(p["account_holder_name"], current["account_holder_name"]);
        assert!(date_time(&p["scheduled_payment_date_time"]) > Utc::now());
        assert_eq!(p["instructed_amount"]["currency"], "AED");
        assert!(p["instructed_amount"]["amount"].as_f64().unwrap() >= 1000.0);
        let to = &p["creditor_account"]["identification"];
        assert!(bens.iter().any(|b| &b["creditor_account"]["identification"] == to), "{p}");
    }

    // Savings accounts and cards have none of these, identities aside.
    for a in [&savings, &card] {
        for (res, key) in &PER_ACCOUNT[1..] {
            assert!(x.list(&entity, &id(a), res, key).await.is_empty(), "{res} of {}", a["nickname"]);
        }
        assert_eq!(x.list(&entity, &id(a), "identities", "identities").await.len(), 1);
    }

    // Paging.
    let (_, p1) = x.resource(&entity, &cur, "beneficiaries", "&page=1&size=2").await;
    assert_eq!(p1["data"]["beneficiaries"], json!(bens[2..].to_vec()));
    assert_eq!(
        p1["data"]["page"],
        json!({"number": 1, "size": 2, "total_elements": bens.len(), "total_pages": 2, "sort": []})
    );
    let (_, beyond) = x.resource(&entity, &cur, "direct-debits", "&page=3&size=1").await;
    assert_eq!(beyond["data"]["direct_debits"], json!([]));

    // Errors, as the other per-account endpoints answer them.
    let unknown = uuid::Uuid::new_v4().to_string();
    for (res, _) in PER_ACCOUNT {
        let (s, b) = x.resource(&entity, &unknown, res, "").await;
        assert_error(s, &b, 404, "UNKNOWN_ACCOUNT");
        let (s, b) = x.resource(&unknown, &cur, res, "").await;
        assert_error(s, &b, 404, "UNKNOWN_ENTITY");
        let (s, b) = x.get(&format!("/data/v2/accounts/{cur}/{res}")).await;
        assert_error(s, &b, 400, "MISSING_PARAMETERS");
        let (s, b) = x.resource(&entity, "not-a-uuid", res, "").await;
        assert_error(s, &b, 400, "INVALID_PARAMETERS");
        let (s, b) = x.resource(&entity, &cur, res, "&size=101").await;
        assert_error(s, &b, 400, "INVALID_PARAMETERS");
        // The POST style, as for the other v2 endpoints.
        let (s, b) = x.post(&format!("/data/v2/accounts/{cur}/{res}"), json!({"entity_id": entity})).await;
        assert_eq!((s, b["status"].as_str()), (200, Some("OK")), "{b}");
    }

    // Each needs its own permission: without it, a FAILED result.
    let (_, basic) = x.connect(&sb, "payees-basic", "LEAN_MB1", "user_simple", &ALL).await;
    let basic_cur = x.accounts(&basic).await.iter().find(|a| a["account_sub_type"] == "CURRENT").unwrap()
        ["account_id"]
        .as_str()
        .unwrap()
        .to_string();
    for (res, _) in PER_ACCOUNT {
        let (s, b) = x.resource(&basic, &basic_cur, res, "").await;
        assert_eq!((s, b["status"].as_str()), (200, Some("FAILED")), "{b}");
        assert_eq!(b["status_detail"]["granular_status_code"], "PERMISSION_NOT_GRANTED");
        assert!(b["data"].is_null());
    }

    // The same test user, connected by another customer, has the same payees and instructions.
    let (_, again) = x.connect(&sb, "payees-user-2", "LEAN_MB1", "user_simple", &EVERY).await;
    let again_cur = x.accounts(&again).await.iter().find(|a| a["account_sub_type"] == "CURRENT").unwrap()
        ["account_id"]
        .as_str()
        .unwrap()
        .to_string();
    let strip = |mut items: Vec<Value>| {
        for i in &mut items {
            let o = i.as_object_mut().unwrap();
            o.remove("account_id");
            o.remove("entity_id");
        }
        items
    };
    for (res, key) in PER_ACCOUNT {
        let first = strip(x.list(&entity, &cur, res, key).await);
        assert_eq!(first, strip(x.list(&again, &again_cur, res, key).await), "{res}");
        assert_eq!(first, strip(x.list(&entity, &cur, res, key).await), "{res} twice");
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn per_account_resources_in_ksa_and_for_businesses() {
    let dir = tempfile::tempdir().unwrap();
    let sb = start(&dir.path().join("s.json"), None, 1.0).await;
    let x = Ctx::new(&sb).await;

    let (_, ksa) = x.connect(&sb, "ksa-payees", "LEA1_SAMAOB_SAU", "user_simple", &EVERY).await;
    let cur = x.accounts(&ksa).await.iter().find(|a| a["account_sub_type"] == "CURRENT").unwrap()
        ["account_id"]
        .as_str()
        .unwrap()
        .to_string();
    for b in x.list(&ksa, &cur, "beneficiaries", "beneficiaries").await {
        let iban = b["creditor_account"]["identification"].as_str().unwrap();
        assert!(iban.starts_with("SA") && iban.len() == 24 && iban_ok(iban), "{iban}");
        assert_eq!(b["creditor_agent"]["postal_address"]["country"], "SA");
        assert!(b["creditor_agent"]["postal_address"]["post_code"].is_string());
    }
    let dds = x.list(&ksa, &cur, "direct-debits", "direct_debits").await;
    let names: Vec<&str> = dds.iter().map(|d| d["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Saudi Electricity Company", "stc"]);
    assert!(dds.iter().all(|d| d["previous_payment_amount"]["currency"] == "SAR"
        && d["mandate_identification"].as_str().unwrap().starts_with("SAMA-DD-")));
    for (res, key) in
        ["standing-orders", "scheduled-payments"].iter().zip(["standing_orders", "scheduled_payments"])
    {
        let items = x.list(&ksa, &cur, res, key).await;
        assert!(!items.is_empty(), "{res}");
        let amount = if *res == "standing-orders" { "next_payment_amount" } else { "instructed_amount" };
        assert!(items.iter().all(|i| i[amount]["currency"] == "SAR"), "{items:?}");
    }

    // A business current account pays suppliers.
    let (_, sme) = x.connect(&sb, "sme-payees", "LEAN_SME_MB1_UAE", "user_simple", &EVERY).await;
    let cur = x.accounts(&sme).await.iter().find(|a| a["account_sub_type"] == "CURRENT").unwrap()
        ["account_id"]
        .as_str()
        .unwrap()
        .to_string();
    let bens = x.list(&sme, &cur, "beneficiaries", "beneficiaries").await;
    assert_eq!(bens.len(), 3);
    assert!(bens.iter().all(|b| b["account_holder_name"].as_str().unwrap().contains("LLC")), "{bens:?}");
    let sps = x.list(&sme, &cur, "scheduled-payments", "scheduled_payments").await;
    let [sp] = &sps[..] else { panic!("one supplier payment: {sps:?}") };
    assert!(sp["debtor_reference"].as_str().unwrap().starts_with("INV-"));
    assert_eq!(x.list(&sme, &cur, "standing-orders", "standing_orders").await.len(), 1);
    sb.shutdown().await;
}

#[tokio::test]
async fn per_account_resources_share_the_data_statuses() {
    let (rx, url) = receiver(0).await;
    let dir = tempfile::tempdir().unwrap();
    let sb = start(&dir.path().join("s.json"), Some(url), 0.001).await;
    let x = Ctx::new(&sb).await;
    let (_, entity) = x.connect(&sb, "payees-status", "LEAN_MB1", "user_otp", &EVERY).await;
    let cur = x.accounts(&entity).await.iter().find(|a| a["account_sub_type"] == "CURRENT").unwrap()
        ["account_id"]
        .as_str()
        .unwrap()
        .to_string();

    // Scripted FAILED.
    let (s, _) = x
        .scenario(
            "/next-data-call",
            json!({"entity_id": entity, "status": "FAILED", "granular_status_code": "BANK_ISSUE"}),
        )
        .await;
    assert_eq!(s, 200);
    let (s, b) = x.resource(&entity, &cur, "standing-orders", "").await;
    assert_eq!((s, b["status"].as_str()), (200, Some("FAILED")), "{b}");
    assert_eq!(b["status_detail"]["granular_status_code"], "BANK_ISSUE");

    // async=true: 202, results.ready, then the result.
    let (s, b) = x.resource(&entity, &cur, "beneficiaries", "&async=true").await;
    assert_eq!((s, b["status"].as_str()), (202, Some("PENDING")), "{b}");
    let results_id = b["results_id"].as_str().unwrap().to_string();
    wait_event(&rx, "results.ready", |v| v["payload"]["id"] == results_id.as_str(), Duration::from_secs(5))
        .await;
    let (s, r) = x.get(&format!("/data/v2/results/{results_id}")).await;
    assert_eq!(
        (s, r["status"].as_str(), r["type"].as_str()),
        (200, Some("OK"), Some("beneficiaries")),
        "{r}"
    );
    assert_eq!(r["data"], x.resource(&entity, &cur, "beneficiaries", "").await.1["data"]);

    // An expired session: RECONNECT_REQUIRED, and the result once reconnected.
    let (s, v) = x.scenario("/expire-session", json!({"username": "user_otp"})).await;
    assert_eq!(s, 200, "{v}");
    let reconnect_id = v["entities"][0]["reconnect_id"].as_str().unwrap().to_string();
    let (s, b) = x.resource(&entity, &cur, "direct-debits", "").await;
    assert_eq!((s, b["status"].as_str()), (200, Some("RECONNECT_REQUIRED")), "{b}");
    assert_eq!(b["reconnect_id"], reconnect_id.as_str());
    let waiting = b["results_id"].as_str().unwrap().to_string();
    let (s, v) = x.scenario("/reconnect", json!({"reconnect_id": reconnect_id})).await;
    assert_eq!(s, 200, "{v}");
    let (s, r) = x.get(&format!("/data/v2/results/{waiting}")).await;
    assert_eq!((s, r["status"].as_str()), (200, Some("OK")), "{r}");
    assert_eq!(r["data"]["direct_debits"].as_array().unwrap().len(), 2);
    sb.shutdown().await;
}
