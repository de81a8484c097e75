//! `pay` with `bulk_payment_intent_id`: the Link UI's bulk endpoints (`/link/api/bulk-payment-context`,
//! `/link/api/bulk-pay`) on a real sandbox over HTTP. All or nothing: every child intent is
//! checked as a single `pay` would check it before any payment is made.

mod common;

use std::time::Duration;

use common::{events, payments_setup, receiver, wait_event, Ctx};
use serde_json::{json, Value};

const IBAN_A: &str = "AE070331234567890123456";
const IBAN_B: &str = "GB82 WEST 1234 5698 7654 32";

async fn setup(webhook_url: Option<String>) -> Ctx {
    payments_setup(webhook_url, 300).await
}

impl Ctx {
    async fn destination(&self, name: &str, display: &str, iban: &str) -> String {
        let (s, v) = self
            .post(
                "/payments/v1/destinations",
                json!({"name": name, "display_name": display, "iban": iban, "country": "ARE",
                "address": "1 Street", "city": "Dubai", "bank_type": "RETAIL",
                "government_identifier": {"type": "TRADE_LICENSE_NUMBER", "value": "TL-1"}}),
            )
            .await;
        assert_eq!(s, 200, "{v}");
        v["id"].as_str().unwrap().to_string()
    }
    /// A payment source at LEAN_MB1 whose first beneficiary is `dest`; returns (source id,
    /// the id of its first AED account).
    async fn source(&self, cust: &str, ct: &str, dest: &str) -> (String, String) {
        let (s, v) = self
            .call(
                "POST",
                "/link/api/connect",
                ct,
                Some(json!({"customer_id": cust, "bank_identifier": "LEAN_MB1",
                "username": "user_simple", "password": "pass_simple",
                "permissions": ["payments"], "payment_destination_id": dest})),
            )
            .await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["status"], "OK", "{v}");
        let source = v["payment_source_id"].as_str().unwrap().to_string();
        let (_, src) = self.get(&format!("/customers/v1/{cust}/payment-sources/{source}")).await;
        let account = src["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["currency"] == "AED")
            .expect("an AED account")["id"]
            .as_str()
            .unwrap()
            .to_string();
        (source, account)
    }
    async fn add_beneficiary(&self, ct: &str, source: &str, dest: &str) {
        let (s, v) = self
            .call(
                "POST",
                "/link/api/beneficiary",
                ct,
                Some(json!({"payment_source_id": source, "payment_destination_id": dest})),
            )
            .await;
        assert_eq!(s, 200, "{v}");
    }
    /// Waits until every beneficiary of the source is ACTIVE.
    async fn active(&self, cust: &str, source: &str) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let (_, src) = self.get(&format!("/customers/v1/{cust}/payment-sources/{source}")).await;
            if src["beneficiaries"].as_array().unwrap().iter().all(|b| b["status"] == "ACTIVE") {
                return;
            }
            assert!(tokio::time::Instant::now() < deadline, "cool-off never ended: {src}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    async fn bulk(&self, cust: &str, items: Value) -> (String, Vec<String>) {
        let (s, b) = self
            .post(
                "/bulk-payments/v1/intents",
                json!({"customer_id": cust, "currency": "AED", "intents": items}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        let children =
            b["payment_intents"].as_array().unwrap().iter().map(|i| id(&i["payment_intent_id"])).collect();
        (id(&b["bulk_payment_intent_id"]), children)
    }
    async fn bulk_pay(&self, ct: &str, body: Value) -> (u16, Value) {
        self.call("POST", "/link/api/bulk-pay", ct, Some(body)).await
    }
    /// The customer's payments (the sandbox's `GET /payments/v1` extension).
    async fn payments(&self, cust: &str) -> Vec<Value> {
        let (s, page) = self.get(&format!("/payments/v1?customer_id={cust}&size=50")).await;
        assert_eq!(s, 200, "{page}");
        page["data"].as_array().unwrap().clone()
    }
}

fn id(v: &Value) -> String {
    v.as_str().unwrap_or_else(|| panic!("not a string id: {v}")).to_string()
}

fn assert_error(status: u16, body: &Value, http: u16, code: &str) {
    assert_eq!(status, http, "{body}");
    assert_eq!(body["status"], code, "{body}");
}

#[tokio::test]
async fn bulk_pay_makes_one_payment_per_child_with_webhooks() {
    let (rx, url) = receiver(0).await;
    let t = setup(Some(url)).await;
    let secret = t.sb.credentials().webhook_secret;
    let (cust, ct) = t.customer("bulk_payer").await;
    let d1 = t.destination("Acme Trading", "Acme Store", IBAN_A).await;
    let d2 = t.destination("Other Shop", "Other Store", IBAN_B).await;
    let (source, account) = t.source(&cust, &ct, &d1).await;
    t.add_beneficiary(&ct, &source, &d2).await;
    t.active(&cust, &source).await;
    let (bulk, children) = t
        .bulk(
            &cust,
            json!([{"amount": 10, "payment_destination_id": d1, "description": "Salary A"},
                   {"amount": 20.66, "payment_destination_id": d2, "description": "Salary B"}]),
        )
        .await;

    // What the screens show.
    let (s, ctx) = t
        .call("GET", &format!("/link/api/bulk-payment-context?bulk_payment_intent_id={bulk}"), &ct, None)
        .await;
    assert_eq!(s, 200, "{ctx}");
    assert_eq!(ctx["status"], "OK");
    assert_eq!(ctx["bulk_payment_intent_id"], bulk.as_str());
    assert_eq!(ctx["customer_id"], cust.as_str());
    assert_eq!(ctx["currency"], "AED");
    assert_eq!(ctx["total_amount"], 30.66);
    let items = ctx["payments"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["payment_intent_id"], children[0].as_str());
    assert_eq!(items[0]["amount"], 10);
    assert_eq!(items[0]["description"], "Salary A");
    assert_eq!(items[0]["destination"]["display_name"], "Acme Store");
    assert_eq!(items[1]["destination"]["name"], "Other Shop");
    assert_eq!(items[1]["intent_status"], "INTENT_CREATED");
    let src = &ctx["payment_sources"][0];
    assert_eq!(src["id"], source.as_str());
    assert_eq!(src["bank_identifier"], "LEAN_MB1");
    assert!(src["accounts"].as_array().unwrap().iter().any(|a| a["id"] == account.as_str()));
    assert_eq!(
        src["beneficiaries"],
        json!([{"payment_destination_id": d1, "status": "ACTIVE"},
        {"payment_destination_id": d2, "status": "ACTIVE"}])
    );

    // Paying: one PENDING_WITH_BANK payment per child, all from the chosen account.
    let (s, v) = t
        .bulk_pay(
            &ct,
            json!({"bulk_payment_intent_id": bulk, "account_id": account, "bank_identifier": "LEAN_MB1"}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["status"], "OK", "{v}");
    assert_eq!(v["payment_status"], "PENDING_WITH_BANK");
    assert_eq!(v["bank_identifier"], "LEAN_MB1");
    assert_eq!(v["account_id"], account.as_str());
    let paid = v["payments"].as_array().unwrap();
    assert_eq!(paid.len(), 2);
    for (p, child) in paid.iter().zip(&children) {
        assert_eq!(p["payment_intent_id"], child.as_str());
        assert_eq!(p["payment_status"], "PENDING_WITH_BANK");
    }
    let pids: Vec<String> = paid.iter().map(|p| id(&p["payment_id"])).collect();

    // payment.created then payment.updated for each, with the cents rule's verdict.
    for ((pid, child), (dest, amount, verdict)) in pids
        .iter()
        .zip(&children)
        .zip([(&d1, json!(10), "ACCEPTED_BY_BANK"), (&d2, json!(20.66), "REJECTED_BY_BANK")])
    {
        let pc = wait_event(&rx, &secret, "payment.created", |v| v["payload"]["id"] == pid.as_str()).await;
        assert_eq!(pc["payload"]["status"], "PENDING_WITH_BANK");
        assert_eq!(pc["payload"]["intent_id"], child.as_str());
        assert_eq!(pc["payload"]["customer_id"], cust.as_str());
        assert_eq!(pc["payload"]["payment_destination_id"], dest.as_str());
        assert_eq!(pc["payload"]["amount"], amount);
        assert_eq!(pc["payload"]["currency"], "AED");
        let pu = wait_event(&rx, &secret, "payment.updated", |v| v["payload"]["id"] == pid.as_str()).await;
        assert_eq!(pu["payload"]["status"], verdict);
        let (s, p) = t.get(&format!("/payments/v1/{pid}")).await;
        assert_eq!(s, 200, "{p}");
        assert_eq!(p["payment_intent_id"], child.as_str());
        assert_eq!(p["payment_source_id"], source.as_str());
        assert_eq!(p["status"], verdict);
    }
    assert_eq!(events(&rx, &secret, "payment.created").len(), 2);
    let all = t.payments(&cust).await;
    assert_eq!(all.len(), 2);
    assert_eq!(all[0]["sender_details"]["iban"], all[1]["sender_details"]["iban"]);
    let (_, b) = t.get(&format!("/bulk-payments/v1/intents/{bulk}")).await;
    assert_eq!(b["payment_intents"][0]["payments"][0]["id"], pids[0].as_str());

    // Paid once: the bulk is refused as a whole (the first child was accepted), nothing more paid.
    let (s, v) = t.bulk_pay(&ct, json!({"bulk_payment_intent_id": bulk, "account_id": account})).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["status"], "PAYMENT_INTENT_ALREADY_PAID", "{v}");
    assert_eq!(v["payment_intent_id"], children[0].as_str());
    assert_eq!(t.payments(&cust).await.len(), 2);
    t.sb.shutdown().await;
}

#[tokio::test]
async fn bulk_pay_is_all_or_nothing() {
    let (rx, url) = receiver(0).await;
    let t = setup(Some(url)).await;
    let secret = t.sb.credentials().webhook_secret;
    let (cust, ct) = t.customer("bulk_refused").await;
    let d1 = t.destination("Acme Trading", "Acme Store", IBAN_A).await;
    let d2 = t.destination("Other Shop", "Other Store", IBAN_B).await;
    let (source, account) = t.source(&cust, &ct, &d1).await;
    t.active(&cust, &source).await;
    let (bulk, children) = t
        .bulk(&cust, json!([{"amount": 10, "payment_destination_id": d1}, {"amount": 12, "payment_destination_id": d2}]))
        .await;

    // The second child's destination is no beneficiary of the source: nothing is paid, not
    // even the first child, whose beneficiary is ACTIVE.
    let (s, v) = t.bulk_pay(&ct, json!({"bulk_payment_intent_id": bulk, "account_id": account})).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["status"], "BENEFICIARY_NOT_FOUND", "{v}");
    assert_eq!(v["payment_intent_id"], children[1].as_str());
    assert!(v["message"].as_str().unwrap().contains(&children[1]), "{v}");
    assert!(t.payments(&cust).await.is_empty());

    // A beneficiary in its cool-off refuses the bulk too.
    t.add_beneficiary(&ct, &source, &d2).await;
    let (_, v) = t.bulk_pay(&ct, json!({"bulk_payment_intent_id": bulk})).await;
    assert_eq!(v["status"], "PENDING_BENEFICIARY_COOL_OFF", "{v}");
    assert_eq!(v["payment_intent_id"], children[1].as_str());
    assert!(t.payments(&cust).await.is_empty());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(events(&rx, &secret, "payment.created").is_empty());

    // A child paid on its own first (single pay): the bulk is refused while that payment is in
    // progress and once it is accepted; the other child stays unpaid.
    t.active(&cust, &source).await;
    let (_, v) = t
        .call(
            "POST",
            "/link/api/pay",
            &ct,
            Some(json!({"payment_intent_id": children[0], "account_id": account})),
        )
        .await;
    assert_eq!(v["status"], "OK", "{v}");
    let single = id(&v["payment_id"]);
    let (_, v) = t.bulk_pay(&ct, json!({"bulk_payment_intent_id": bulk})).await;
    assert_eq!(v["status"], "ANOTHER_PAYMENT_ALREADY_IN_PROGRESS", "{v}");
    wait_event(&rx, &secret, "payment.updated", |v| v["payload"]["id"] == single.as_str()).await;
    let (_, v) = t.bulk_pay(&ct, json!({"bulk_payment_intent_id": bulk})).await;
    assert_eq!(v["status"], "PAYMENT_INTENT_ALREADY_PAID", "{v}");
    assert_eq!(v["payment_intent_id"], children[0].as_str());
    let all = t.payments(&cust).await;
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["id"], single.as_str());

    // Without account_id the first account of the source pays (as a single pay), for every child.
    let (bulk2, _) = t
        .bulk(
            &cust,
            json!([{"amount": 5, "payment_destination_id": d2}, {"amount": 6, "payment_destination_id": d1}]),
        )
        .await;
    let (_, v) =
        t.bulk_pay(&ct, json!({"bulk_payment_intent_id": bulk2, "bank_identifier": "LEAN_MB1"})).await;
    assert_eq!(v["status"], "OK", "{v}");
    let paid = v["payments"].as_array().unwrap();
    assert_eq!(paid.len(), 2);
    assert_eq!(t.payments(&cust).await.len(), 3);

    // An account of no payment source, or another bank: 404/400 as for a single pay.
    let (bulk3, _) = t.bulk(&cust, json!([{"amount": 7, "payment_destination_id": d1}])).await;
    let (s, v) = t
        .bulk_pay(
            &ct,
            json!({"bulk_payment_intent_id": bulk3, "account_id": "00000000-0000-4000-8000-000000000000"}),
        )
        .await;
    assert_error(s, &v, 404, "UNKNOWN_PAYMENT_SOURCE");
    let (s, v) =
        t.bulk_pay(&ct, json!({"bulk_payment_intent_id": bulk3, "bank_identifier": "LEAN_MB2"})).await;
    assert_error(s, &v, 404, "UNKNOWN_PAYMENT_SOURCE");
    assert_eq!(t.payments(&cust).await.len(), 3);
    t.sb.shutdown().await;
}

#[tokio::test]
async fn another_customers_bulk_is_unknown() {
    let t = setup(None).await;
    let (alice, alice_token) = t.customer("bulk_alice").await;
    let (_, bob_token) = t.customer("bulk_bob").await;
    let d1 = t.destination("Acme Trading", "Acme Store", IBAN_A).await;
    let (source, account) = t.source(&alice, &alice_token, &d1).await;
    t.active(&alice, &source).await;
    let (bulk, _) = t.bulk(&alice, json!([{"amount": 10, "payment_destination_id": d1}])).await;

    let ctx_path = format!("/link/api/bulk-payment-context?bulk_payment_intent_id={bulk}");
    let (s, v) = t.call("GET", &ctx_path, &bob_token, None).await;
    assert_error(s, &v, 404, "UNKNOWN_PAYMENT_INTENT");
    let (s, v) = t.bulk_pay(&bob_token, json!({"bulk_payment_intent_id": bulk, "account_id": account})).await;
    assert_error(s, &v, 404, "UNKNOWN_PAYMENT_INTENT");
    assert!(t.payments(&alice).await.is_empty());

    // Unknown, malformed and missing ids; a single intent's id is not a bulk's.
    let (s, v) = t
        .call(
            "GET",
            "/link/api/bulk-payment-context?bulk_payment_intent_id=00000000-0000-4000-8000-000000000000",
            &alice_token,
            None,
        )
        .await;
    assert_error(s, &v, 404, "UNKNOWN_PAYMENT_INTENT");
    let (s, v) = t.bulk_pay(&alice_token, json!({"bulk_payment_intent_id": "nope"})).await;
    assert_error(s, &v, 404, "UNKNOWN_PAYMENT_INTENT");
    let (s, v) = t.bulk_pay(&alice_token, json!({})).await;
    assert_error(s, &v, 400, "MISSING_PARAMETERS");
    let (s, v) = t.call("GET", "/link/api/bulk-payment-context", &alice_token, None).await;
    assert_error(s, &v, 400, "MISSING_PARAMETERS");
    let (_, single) =
        t.post("/payments/v1/intents", json!({"customer_id": alice, "amount": 3, "currency": "AED"})).await;
    let (s, v) =
        t.bulk_pay(&alice_token, json!({"bulk_payment_intent_id": single["payment_intent_id"]})).await;
    assert_error(s, &v, 404, "UNKNOWN_PAYMENT_INTENT");

    // Customer tokens only.
    let (s, _) = t.call("GET", &ctx_path, &t.api, None).await;
    assert!((401..=403).contains(&s), "api token got {s}");
    let (s, _) = t.bulk_pay(&t.api, json!({"bulk_payment_intent_id": bulk})).await;
    assert!((401..=403).contains(&s), "api token got {s}");
    assert!(t.payments(&alice).await.is_empty());

    // Without access_token, Link opens the session of the bulk intent's customer.
    let app_token = t.sb.credentials().app_token;
    let (s, v) = t
        .call(
            "POST",
            "/link/api/token",
            "",
            Some(json!({"app_token": app_token, "bulk_payment_intent_id": bulk})),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["customer_id"], alice.as_str());
    let tok = id(&v["access_token"]);
    let (s, ctx) = t.call("GET", &ctx_path, &tok, None).await;
    assert_eq!(s, 200, "{ctx}");
    let (s, v) = t
        .call(
            "POST",
            "/link/api/token",
            "",
            Some(json!({"app_token": app_token, "bulk_payment_intent_id": "00000000-0000-4000-8000-000000000000"})),
        )
        .await;
    assert_error(s, &v, 404, "UNKNOWN_PAYMENT_INTENT");
    t.sb.shutdown().await;
}
