//! Payments, payment sources, intents, AoF consents: a real sandbox on 127.0.0.1:0, over HTTP.

mod common;

use std::time::Duration;

use common::{create_customer, payments_setup, receiver, start, token, wait_event, Ctx};
use serde_json::{json, Value};

const IBAN_OK: &str = "AE070331234567890123456";
const IBAN_OK_2: &str = "GB82 WEST 1234 5698 7654 32";

async fn setup(webhook_url: Option<String>) -> Ctx {
    payments_setup(webhook_url, 400).await
}

impl Ctx {
    async fn destination(&self, name: &str, iban: &str, extra: Value) -> Value {
        let mut body = json!({
            "name": name, "display_name": "Acme", "iban": iban, "country": "ARE",
            "address": "1 Street", "city": "Dubai", "bank_type": "RETAIL",
            "government_identifier": {"type": "TRADE_LICENSE_NUMBER", "value": "TL-1"},
        });
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                b.insert(k.clone(), v.clone());
            }
        }
        let (s, v) = self.post("/payments/v1/destinations", body).await;
        assert_eq!(s, 200, "{v}");
        v
    }
    async fn intent(&self, customer: &str, amount: Value, extra: Value) -> (u16, Value) {
        let mut body = json!({"customer_id": customer, "amount": amount, "currency": "AED"});
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                b.insert(k.clone(), v.clone());
            }
        }
        self.post("/payments/v1/intents", body).await
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
async fn destinations_validate_and_default() {
    let t = setup(None).await;
    let (cust, ct) = t.customer("dest_user").await;

    // IBAN mod-97 and name checks.
    let base = json!({"name": "Acme Trading", "display_name": "Acme", "country": "ARE",
        "address": "x", "city": "Dubai", "bank_type": "RETAIL",
        "government_identifier": {"type": "EMIRATES_ID", "value": "784"}});
    let mut bad = base.clone();
    bad["iban"] = json!("AE080331234567890123456");
    let (s, v) = t.post("/payments/v1/destinations", bad).await;
    assert_error(s, &v, 400, "INVALID_IBAN");
    let mut short = base.clone();
    short["iban"] = json!("AE07033123");
    let (s, v) = t.post("/payments/v1/destinations", short).await;
    assert_error(s, &v, 400, "INVALID_IBAN");
    let mut one_word = base.clone();
    one_word["iban"] = json!(IBAN_OK);
    one_word["name"] = json!("Acme");
    let (s, v) = t.post("/payments/v1/destinations", one_word).await;
    assert_error(s, &v, 400, "INVALID_NAME");
    let (s, v) = t.post("/payments/v1/destinations", base.clone()).await;
    assert_error(s, &v, 400, "MISSING_PARAMETERS");
    let (s, v) = t.call("POST", "/payments/v1/destinations", &ct, Some(json!({}))).await;
    assert_error(s, &v, 403, "INCORRECT_ACCESS_LEVEL");

    // The first application destination becomes the default.
    let d1 = t.destination("Acme Trading", IBAN_OK, json!({})).await;
    assert_eq!(d1["default"], true);
    assert_eq!(d1["iban"], IBAN_OK);
    assert_eq!(d1["owner_type"], "APPLICATION");
    assert_eq!(d1["status"], "CONFIRMED");
    let d2 = t.destination("Acme Second", IBAN_OK_2, json!({})).await;
    assert_eq!(d2["default"], false);
    assert_eq!(d2["iban"], "GB82WEST12345698765432");
    let d3 = t.destination("Cust Owned", IBAN_OK, json!({"customer_id": cust})).await;
    assert_eq!(d3["owner_type"], "CUSTOMER");

    let (s, list) = t.get("/payments/v1/destinations").await;
    assert_eq!(s, 200);
    assert_eq!(list.as_array().unwrap().len(), 3);
    let (s, one) = t.get(&format!("/payments/v1/destinations/{}", d2["id"].as_str().unwrap())).await;
    assert_eq!(s, 200);
    assert_eq!(one["name"], "Acme Second");
    let (s, v) = t.get("/payments/v1/destinations/00000000-0000-4000-8000-000000000000").await;
    assert_error(s, &v, 404, "UNKNOWN_PAYMENT_DESTINATION");
    let (s, v) = t.get(&format!("/customers/v1/{cust}/destinations")).await;
    assert_eq!(s, 200);
    assert_eq!(v.as_array().unwrap().len(), 1);

    // Set default moves the flag within the owner's destinations only.
    let (s, v) =
        t.post(&format!("/payments/v1/destinations/{}/default", d2["id"].as_str().unwrap()), json!({})).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["default"], true);
    let (_, one) = t.get(&format!("/payments/v1/destinations/{}", d1["id"].as_str().unwrap())).await;
    assert_eq!(one["default"], false);
    let (_, one) = t.get(&format!("/payments/v1/destinations/{}", d3["id"].as_str().unwrap())).await;
    assert_eq!(one["default"], true);

    // An intent without payment_destination_id uses the customer's default, then the app's.
    let (s, i) = t.intent(&cust, json!(12.5), json!({})).await;
    assert_eq!(s, 200, "{i}");
    assert_eq!(i["payment_destination"]["id"], d3["id"]);
    t.sb.shutdown().await;
}

#[tokio::test]
async fn intents_are_validated_listed_and_announced() {
    let (rx, url) = receiver(0).await;
    let t = setup(Some(url)).await;
    let secret = t.sb.credentials().webhook_secret;
    let (cust, _) = t.customer("intent_user").await;
    let (s, v) = t.intent(&cust, json!(10), json!({})).await;
    assert_error(s, &v, 404, "UNKNOWN_PAYMENT_DESTINATION");
    let d = t.destination("Acme Trading", IBAN_OK, json!({})).await;

    for (amount, http, code) in [
        (json!(0), 400, "INVALID_AMOUNT"),
        (json!(-5), 400, "INVALID_AMOUNT"),
        (json!(10.555), 400, "INVALID_AMOUNT"),
        (json!("10"), 400, "INVALID_AMOUNT"),
        (json!(0.5), 400, "AMOUNT_UNDER_MIN_VALUE"),
        (json!(100000.01), 400, "AMOUNT_OVER_MAX_VALUE"),
    ] {
        let (s, v) = t.intent(&cust, amount.clone(), json!({})).await;
        assert_error(s, &v, http, code);
    }
    let (s, v) = t.intent(&cust, json!(10), json!({"currency": "USD"})).await;
    assert_error(s, &v, 400, "INVALID_PARAMETERS");
    let (s, v) = t.intent("00000000-0000-4000-8000-000000000000", json!(10), json!({})).await;
    assert_error(s, &v, 404, "CUSTOMER_NOT_FOUND");
    let (s, v) = t
        .intent(&cust, json!(10), json!({"payment_destination_id": "00000000-0000-4000-8000-000000000000"}))
        .await;
    assert_error(s, &v, 404, "UNKNOWN_PAYMENT_DESTINATION");
    let (s, v) = t.post("/payments/v1/intents", json!({"amount": 10, "currency": "AED"})).await;
    assert_error(s, &v, 400, "MISSING_PARAMETERS");

    let (s, i) = t
        .intent(
            &cust,
            json!(25.5),
            json!({"description": "order 42", "purpose_code": "GDS",
            "payment_destination_id": d["id"]}),
        )
        .await;
    assert_eq!(s, 200, "{i}");
    let id = i["payment_intent_id"].as_str().unwrap().to_string();
    assert_eq!(i["amount"], 25.5);
    assert_eq!(i["currency"], "AED");
    assert_eq!(i["payments"], json!([]));
    assert_eq!(i["payment_destination"]["iban"], IBAN_OK);
    let (s, i2) = t.intent(&cust, json!(11), json!({})).await;
    assert_eq!(s, 200);
    assert_eq!(i2["description"], i2["payment_intent_id"].as_str().unwrap().replace('-', ""));

    let (s, got) = t.get(&format!("/payments/v1/intents/{id}")).await;
    assert_eq!(s, 200);
    assert_eq!(got["description"], "order 42");
    let (s, v) = t.get("/payments/v1/intents/00000000-0000-4000-8000-000000000000").await;
    assert_error(s, &v, 404, "UNKNOWN_PAYMENT_INTENT");
    let (s, page) = t.get(&format!("/payments/v1/intents?page=0&size=1&customer_id={cust}")).await;
    assert_eq!(s, 200);
    assert_eq!(page["page"]["total_elements"], 2);
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    let (_, page) = t.get("/payments/v1/intents?status=ACCEPTED_BY_BANK").await;
    assert_eq!(page["page"]["total_elements"], 0);
    let (_, page) = t.get("/payments/v1/intents?status=INTENT_CREATED").await;
    assert_eq!(page["page"]["total_elements"], 2);
    let (_, page) = t.get("/payments/v1/intents?from=2999-01-01").await;
    assert_eq!(page["page"]["total_elements"], 0);

    let ev = wait_event(&rx, &secret, "payment_intent.created", |v| v["payload"]["intent_id"] == id.as_str())
        .await;
    assert_eq!(ev["message"], "Payment intent created");
    assert_eq!(ev["payload"]["status"], "INTENT_CREATED");
    assert_eq!(ev["payload"]["amount"], 25.5);
    assert_eq!(ev["payload"]["currency"], "AED");
    assert!(ev["event_id"].is_string() && ev["timestamp"].is_string());

    // Bulk intents.
    let (s, b) = t
        .post(
            "/bulk-payments/v1/intents",
            json!({"customer_id": cust, "currency": "AED",
            "intents": [{"amount": 10}, {"amount": 20.25, "description": "b"}]}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["payment_intents"].as_array().unwrap().len(), 2);
    assert_eq!(b["total_amount"], 30.25);
    let (s, v) = t
        .post(
            "/bulk-payments/v1/intents",
            json!({"customer_id": cust, "currency": "AED",
            "intents": [{"amount": 10}, {"amount": 0.001}]}),
        )
        .await;
    assert_error(s, &v, 400, "INVALID_AMOUNT");
    let (s, got) =
        t.get(&format!("/bulk-payments/v1/intents/{}", b["bulk_payment_intent_id"].as_str().unwrap())).await;
    assert_eq!(s, 200);
    assert_eq!(got["bulk_payment_intent_id"], b["bulk_payment_intent_id"]);
    wait_event(&rx, &secret, "bulk_payment_intent.created", |_| true).await;
    t.sb.shutdown().await;
}

#[tokio::test]
async fn payment_source_cool_off_and_pay() {
    let (rx, url) = receiver(0).await;
    let t = setup(Some(url)).await;
    let secret = t.sb.credentials().webhook_secret;
    let (cust, ct) = t.customer("pay_user").await;
    let d = t.destination("Acme Trading", IBAN_OK, json!({})).await;
    let d2 = t.destination("Other Shop", IBAN_OK_2, json!({})).await;

    // Connect with data + payments: an entity and a payment source sharing the accounts.
    let (s, v) = t
        .call(
            "POST",
            "/link/api/connect",
            &ct,
            Some(json!({"customer_id": cust,
            "bank_identifier": "LEAN_MB1", "username": "user_simple", "password": "pass_simple",
            "permissions": ["identity", "accounts", "payments"]})),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["status"], "OK");
    let source_id = v["payment_source_id"].as_str().unwrap().to_string();
    assert!(v["entity_id"].is_string());

    let created = wait_event(&rx, &secret, "payment_source.created", |_| true).await;
    assert_eq!(created["message"], "A payment source was pre-authorized by your customer.");
    assert_eq!(created["payload"]["id"], source_id.as_str());
    assert_eq!(created["payload"]["status"], "AWAITING_BENEFICIARY_COOL_OFF");
    assert_eq!(created["payload"]["bank_identifier"], "LEAN_MB1");
    assert_eq!(created["payload"]["bank_name"], "Lean Mockbank");
    let ben = wait_event(&rx, &secret, "payment_source.beneficiary.created", |_| true).await;
    assert_eq!(ben["payload"]["payment_source_id"], source_id.as_str());
    assert_eq!(ben["payload"]["payment_destination_id"], d["id"]);
    assert_eq!(ben["payload"]["status"], "AWAITING_BENEFICIARY_COOL_OFF");
    assert_eq!(ben["payload"]["payment_source_bank_identifier"], "LEAN_MB1");

    let (s, list) = t.get(&format!("/customers/v1/{cust}/payment-sources")).await;
    assert_eq!(s, 200);
    let src = &list[0];
    assert_eq!(src["id"], source_id.as_str());
    assert_eq!(src["beneficiaries"][0]["status"], "AWAITING_BENEFICIARY_COOL_OFF");
    let accounts = src["accounts"].as_array().unwrap();
    assert!(!accounts.is_empty());
    let account_id = accounts[1]["id"].as_str().unwrap().to_string();
    let (s, v) =
        t.get(&format!("/customers/v1/{cust}/payment-sources/00000000-0000-4000-8000-000000000000")).await;
    assert_error(s, &v, 404, "UNKNOWN_PAYMENT_SOURCE");

    // Paying during the cool-off is refused as a flow outcome.
    let (_, i) = t.intent(&cust, json!(25), json!({})).await;
    let intent = i["payment_intent_id"].as_str().unwrap().to_string();
    let (s, v) = t.call("POST", "/link/api/pay", &ct, Some(json!({"payment_intent_id": intent}))).await;
    assert_eq!(s, 200);
    assert_eq!(v["status"], "PENDING_BENEFICIARY_COOL_OFF", "{v}");

    let upd = wait_event(&rx, &secret, "payment_source.beneficiary.updated", |v| {
        v["payload"]["status"] == "ACTIVE"
    })
    .await;
    assert_eq!(upd["payload"]["id"], ben["payload"]["id"]);
    let (_, src) = t.get(&format!("/customers/v1/{cust}/payment-sources/{source_id}")).await;
    assert_eq!(src["status"], "ACTIVE");
    assert_eq!(src["beneficiaries"][0]["status"], "ACTIVE");

    // The pay screen's context lists the source's accounts.
    let (s, ctx) =
        t.call("GET", &format!("/link/api/payment-context?payment_intent_id={intent}"), &ct, None).await;
    assert_eq!(s, 200, "{ctx}");
    assert_eq!(ctx["payment_sources"][0]["beneficiary_status"], "ACTIVE");
    assert_eq!(ctx["destination"]["name"], "Acme Trading");

    let (s, v) = t
        .call(
            "POST",
            "/link/api/pay",
            &ct,
            Some(json!({"payment_intent_id": intent, "account_id": account_id})),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(v["status"], "OK", "{v}");
    assert_eq!(v["payment_status"], "PENDING_WITH_BANK");
    let pid = v["payment_id"].as_str().unwrap().to_string();
    let pc = wait_event(&rx, &secret, "payment.created", |v| v["payload"]["id"] == pid.as_str()).await;
    assert_eq!(pc["message"], "A payment object has been created.");
    assert_eq!(pc["payload"]["status"], "PENDING_WITH_BANK");
    assert_eq!(pc["payload"]["intent_id"], intent.as_str());
    assert_eq!(pc["payload"]["customer_id"], cust.as_str());
    assert_eq!(pc["payload"]["payment_destination_id"], d["id"]);
    assert_eq!(pc["payload"]["amount"], 25);
    assert!(pc["payload"]["bank_transaction_reference"].as_str().unwrap().starts_with("payment-"));
    let pu = wait_event(&rx, &secret, "payment.updated", |v| v["payload"]["id"] == pid.as_str()).await;
    assert_eq!(pu["message"], "A payment object has been updated.");
    assert_eq!(pu["payload"]["status"], "ACCEPTED_BY_BANK");

    let (s, p) = t.get(&format!("/payments/v1/{pid}")).await;
    assert_eq!(s, 200);
    assert_eq!(p["status"], "ACCEPTED_BY_BANK");
    assert_eq!(p["payment_intent_id"], intent.as_str());
    assert_eq!(p["payment_source_id"], source_id.as_str());
    assert_eq!(p["recipient_details"]["iban"], IBAN_OK);
    assert_eq!(p["sender_details"]["iban"], accounts[1]["iban"]);
    let (_, i) = t.get(&format!("/payments/v1/intents/{intent}")).await;
    assert_eq!(i["payments"][0]["id"], pid.as_str());
    let (_, page) = t.get(&format!("/payments/v1?intent_id={intent}")).await;
    assert_eq!(page["page"]["total_elements"], 1);
    let (s, v) = t.get("/payments/v1/00000000-0000-4000-8000-000000000000").await;
    assert_error(s, &v, 404, "UNKNOWN_PAYMENT");
    let (_, v) = t.call("POST", "/link/api/pay", &ct, Some(json!({"payment_intent_id": intent}))).await;
    assert_eq!(v["status"], "PAYMENT_INTENT_ALREADY_PAID");

    // A destination that is not a beneficiary, then added with createBeneficiary.
    let (_, i2) = t.intent(&cust, json!(30.66), json!({"payment_destination_id": d2["id"]})).await;
    let intent2 = i2["payment_intent_id"].as_str().unwrap().to_string();
    let (_, v) = t.call("POST", "/link/api/pay", &ct, Some(json!({"payment_intent_id": intent2}))).await;
    assert_eq!(v["status"], "BENEFICIARY_NOT_FOUND");
    let (s, v) = t
        .call(
            "POST",
            "/link/api/beneficiary",
            &ct,
            Some(json!({"payment_source_id": source_id,
            "payment_destination_id": d2["id"]})),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["beneficiary"]["status"], "AWAITING_BENEFICIARY_COOL_OFF");
    let new_ben = v["beneficiary"]["id"].as_str().unwrap().to_string();
    wait_event(&rx, &secret, "payment_source.beneficiary.updated", |v| {
        v["payload"]["id"] == new_ben.as_str() && v["payload"]["status"] == "ACTIVE"
    })
    .await;
    let (_, v) = t.call("POST", "/link/api/pay", &ct, Some(json!({"payment_intent_id": intent2}))).await;
    assert_eq!(v["status"], "OK", "{v}");
    let pid2 = v["payment_id"].as_str().unwrap().to_string();
    let pu = wait_event(&rx, &secret, "payment.updated", |v| v["payload"]["id"] == pid2.as_str()).await;
    assert_eq!(pu["payload"]["status"], "REJECTED_BY_BANK");
    let (s, v) = t
        .call(
            "POST",
            "/link/api/beneficiary",
            &ct,
            Some(json!({"payment_destination_id": "00000000-0000-4000-8000-000000000000"})),
        )
        .await;
    assert_error(s, &v, 404, "UNKNOWN_PAYMENT_DESTINATION");

    // payment.created always precedes payment.updated for the same payment.
    let order: Vec<String> = rx
        .all()
        .iter()
        .filter_map(|w| serde_json::from_slice::<Value>(&w.body).ok())
        .filter(|v| v["payload"]["id"] == pid.as_str())
        .map(|v| v["type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(order, ["payment.created", "payment.updated"]);

    // Deleting the source.
    let (s, v) = t
        .call(
            "DELETE",
            &format!("/customers/v1/{cust}/payment-sources/{source_id}"),
            &t.api,
            Some(json!({"reason": "USER_REQUESTED"})),
        )
        .await;
    assert_eq!((s, v), (200, json!({})));
    let (_, list) = t.get(&format!("/customers/v1/{cust}/payment-sources")).await;
    assert_eq!(list, json!([]));
    t.sb.shutdown().await;
}

#[tokio::test]
async fn checkout_redirects_with_a_consent_attempt() {
    let (rx, url) = receiver(0).await;
    let t = setup(Some(url)).await;
    let secret = t.sb.credentials().webhook_secret;
    let (cust, ct) = t.customer("checkout_user").await;
    t.destination("Acme Trading", IBAN_OK, json!({})).await;
    let (_, i) = t.intent(&cust, json!(40.99), json!({})).await;
    let intent = i["payment_intent_id"].as_str().unwrap().to_string();

    let login = |user: &str, pass: &str| {
        json!({"payment_intent_id": intent, "bank_identifier": "LEAN_OF_RETAIL_UAE",
            "username": user, "password": pass})
    };
    let (_, v) = t.call("POST", "/link/api/checkout", &ct, Some(login("user_simple", "nope"))).await;
    assert_eq!(v["status"], "INVALID_CREDENTIALS");
    let (_, v) = t.call("POST", "/link/api/checkout", &ct, Some(login("user_locked", "pass_locked"))).await;
    assert_eq!(v["status"], "REDIRECT");
    assert_eq!(v["outcome"], "FAILED");
    assert_eq!(v["granular_status_code"], "EU_ACCOUNT_LOCKED");
    let (_, v) = t.call("POST", "/link/api/checkout", &ct, Some(login("user_simple", "pass_simple"))).await;
    assert_eq!(v["status"], "REDIRECT", "{v}");
    assert_eq!(v["outcome"], "SUCCESS");
    let attempt = v["consent_attempt_id"].as_str().unwrap().to_string();
    let pid = v["payment_id"].as_str().unwrap().to_string();
    let (s, a) = t.call("GET", &format!("/link/api/attempts/{attempt}"), &ct, None).await;
    assert_eq!(s, 200, "{a}");
    assert_eq!(a["outcome"], "SUCCESS");
    assert_eq!(a["payment_id"], pid.as_str());
    // Another customer cannot read the attempt.
    let (_, other) = t.customer("someone_else").await;
    let (s, v) = t.call("GET", &format!("/link/api/attempts/{attempt}"), &other, None).await;
    assert_error(s, &v, 404, "UNKNOWN_CONSENT_ATTEMPT");
    let (s, v) =
        t.call("GET", &format!("/link/api/payment-context?payment_intent_id={intent}"), &other, None).await;
    assert_error(s, &v, 404, "UNKNOWN_PAYMENT_INTENT");

    let pu = wait_event(&rx, &secret, "payment.updated", |v| v["payload"]["id"] == pid.as_str()).await;
    assert_eq!(pu["payload"]["status"], "FAILED");
    let (_, p) = t.get(&format!("/payments/v1/{pid}")).await;
    assert_eq!(p["payment_source_id"], Value::Null);
    assert!(p["sender_details"]["iban"].as_str().unwrap().starts_with("AE"));
    t.sb.shutdown().await;
}

#[tokio::test]
async fn account_on_file_consents_and_idempotent_payments() {
    let (rx, url) = receiver(0).await;
    let t = setup(Some(url)).await;
    let secret = t.sb.credentials().webhook_secret;
    let (cust, ct) = t.customer("aof_user").await;
    let d = t.destination("Acme Trading", IBAN_OK, json!({})).await;
    let good = json!({
        "customer_id": cust, "destination_account_id": d["id"], "currency": "AED",
        "reference": "ACME-LINK-1", "purpose": "GDS",
        "control_parameters": {"type": "VariableOnDemand", "period_type": "Day",
            "max_individual_amount": 100, "max_cumulative_amount": 150,
            "max_cumulative_number_of_payments_per_period": 10},
        "government_identifier": {"type": "EMIRATES_ID", "value": "784-1234-1234-1234"},
    });
    let with = |path: &str, v: Value| {
        let mut b = good.clone();
        let mut cur = &mut b;
        let parts: Vec<&str> = path.split('.').collect();
        for p in &parts[..parts.len() - 1] {
            cur = &mut cur[*p];
        }
        if v.is_null() {
            cur.as_object_mut().unwrap().remove(parts[parts.len() - 1]);
        } else {
            cur[parts[parts.len() - 1]] = v;
        }
        b
    };
    for (body, http, code) in [
        (with("control_parameters", Value::Null), 400, "MISSING_PARAMETERS"),
        (with("control_parameters.period_type", Value::Null), 400, "MISSING_PARAMETERS"),
        (with("control_parameters.max_individual_amount", json!("12.345")), 400, "INVALID_PARAMETERS"),
        (with("control_parameters.max_individual_amount", json!("ten")), 400, "INVALID_PARAMETERS"),
        (
            with("control_parameters.max_cumulative_number_of_payments", json!("1.5")),
            400,
            "INVALID_PARAMETERS",
        ),
        (with("control_parameters.type", json!("Fixed")), 400, "INVALID_PARAMETERS"),
        (with("control_parameters.period_type", json!("Hour")), 400, "INVALID_PARAMETERS"),
        (with("control_parameters.max_individual_amount", json!(500)), 400, "INVALID_PARAMETERS"),
        (with("control_parameters.max_individual_amount", json!(0.001)), 400, "INVALID_PARAMETERS"),
        (
            with("control_parameters.max_cumulative_number_of_payments_per_period", json!(0)),
            400,
            "INVALID_PARAMETERS",
        ),
        (with("control_parameters.bogus", json!(1)), 400, "INVALID_PARAMETERS"),
        (
            json!({"customer_id": cust, "destination_account_id": d["id"], "currency": "AED",
                "reference": "R", "purpose": "GDS", "government_identifier": good["government_identifier"],
                "control_parameters": {"type": "VariableOnDemand", "period_type": "Day",
                    "max_cumulative_amount_per_period": 10}}),
            400,
            "INVALID_PARAMETERS",
        ),
        (with("government_identifier", Value::Null), 400, "MISSING_PARAMETERS"),
        (with("purpose", json!("XYZ")), 400, "INVALID_PARAMETERS"),
        (with("reference", json!("x".repeat(65))), 400, "INVALID_PARAMETERS"),
        (
            with("destination_account_id", json!("00000000-0000-4000-8000-000000000000")),
            404,
            "UNKNOWN_PAYMENT_DESTINATION",
        ),
        (with("customer_id", json!("00000000-0000-4000-8000-000000000000")), 404, "CUSTOMER_NOT_FOUND"),
        (with("expiration_date_time", json!("2001-01-01T00:00:00Z")), 400, "INVALID_PARAMETERS"),
    ] {
        let (s, v) = t.post("/consents/v1/account-on-file", body.clone()).await;
        assert_error(s, &v, http, code);
    }

    let (s, c) = t.post("/consents/v1/account-on-file", good.clone()).await;
    assert_eq!(s, 200, "{c}");
    assert_eq!(c["status"], "AWAITING_AUTHORISATION");
    assert_eq!(c["control_parameters"]["type"], "VariableOnDemand");
    assert_eq!(c["reference"], "ACME-LINK-1");
    assert!(c["application_id"].is_string());
    let cid = c["id"].as_str().unwrap().to_string();

    // As Lean's own requests send them: amounts and counts as text, no `type`, unused limits empty.
    let mut lean_style = good.clone();
    lean_style["reference"] = json!("ACME-LINK-TEXT");
    lean_style["control_parameters"] = json!({"period_type": "Day", "max_individual_amount": "5",
        "max_cumulative_amount": "50000", "max_cumulative_number_of_payments": "",
        "max_cumulative_amount_per_period": null, "max_cumulative_number_of_payments_per_period": "10"});
    lean_style["immediate_payment"] = json!({"amount": "5", "reference": "first"});
    let (s, c2) = t.post("/consents/v1/account-on-file", lean_style).await;
    assert_eq!(s, 200, "{c2}");
    let cp = &c2["control_parameters"];
    assert_eq!(cp["type"], "VariableOnDemand");
    assert_eq!(
        (cp["max_individual_amount"].as_f64(), cp["max_cumulative_amount"].as_f64()),
        (Some(5.0), Some(50000.0))
    );
    assert_eq!(cp["max_cumulative_number_of_payments_per_period"], 10);
    assert!(
        cp["max_cumulative_number_of_payments"].is_null() && cp["max_cumulative_amount_per_period"].is_null()
    );
    assert_eq!(c2["immediate_payment"]["amount"].as_f64(), Some(5.0));
    let mut too_big = good.clone();
    too_big["immediate_payment"] = json!({"amount": "6"});
    too_big["control_parameters"]["max_individual_amount"] = json!("5.00");
    let (s, v) = t.post("/consents/v1/account-on-file", too_big).await;
    assert_error(s, &v, 400, "INVALID_PARAMETERS");

    let (s, got) = t.get(&format!("/consents/v1/{cid}")).await;
    assert_eq!(s, 200);
    assert_eq!(got["consent_id"], cid.as_str());
    assert_eq!(got["payment_purpose"]["code"], "GDS");
    let (s, v) = t.get("/consents/v1/00000000-0000-4000-8000-000000000000").await;
    assert_error(s, &v, 404, "UNKNOWN_CONSENT");
    let (_, page) = t.get(&format!("/consents/v1?customer_id={cust}&status=AWAITING_AUTHORISATION")).await;
    // This one and the one made as Lean's own requests are.
    assert_eq!(page["page"]["total_elements"], 2);
    // The older path serves the same consent.
    let (s, _) = t.get(&format!("/consents/{cid}")).await;
    assert_eq!(s, 200);

    let pay = |key: Option<&str>, body: Value| {
        let mut req =
            t.c.post(format!("{}/payments/v1/account-on-file", t.base)).bearer_auth(&t.api).json(&body);
        if let Some(k) = key {
            req = req.header("Idempotency-Key", k);
        }
        async move {
            let r = req.send().await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    let risk = json!({"transaction_indicators": {"channel": "WEB"}});
    let body = json!({"consent_id": cid, "amount": 40, "risk_details": risk});

    let (s, v) = pay(Some("k-0"), body.clone()).await;
    assert_error(s, &v, 400, "CONSENT_NOT_AUTHORISED");
    let (s, v) = t.post(&format!("/consents/v1/{cid}/revocation"), json!({})).await;
    assert_error(s, &v, 400, "CONSENT_NOT_AUTHORISED");
    let (s, v) = t.get(&format!("/consents/v1/{cid}/balance")).await;
    assert_error(s, &v, 409, "CONSENT_NOT_AUTHORISED");

    // authorizeConsent's bank step.
    let (s, v) = t
        .call(
            "POST",
            "/link/api/authorize-consent",
            &ct,
            Some(json!({"consent_id": cid,
            "bank_identifier": "LEAN_OF_RETAIL_UAE", "username": "user_otp", "password": "pass_otp"})),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(v["status"], "MFA_REQUIRED");
    let (_, v) = t
        .call("POST", "/link/api/authorize-consent", &ct, Some(json!({"consent_id": cid,
            "bank_identifier": "LEAN_OF_RETAIL_UAE", "username": "user_otp", "password": "pass_otp", "otp": "1111"})))
        .await;
    assert_eq!(v["status"], "REDIRECT", "{v}");
    assert_eq!(v["outcome"], "SUCCESS");
    let ev =
        wait_event(&rx, &secret, "consent.status.updated", |v| v["payload"]["status"] == "AUTHORISED").await;
    assert_eq!(ev["payload"]["id"], cid.as_str());
    assert_eq!(ev["payload"]["customer_id"], cust.as_str());
    assert_eq!(ev["payload"]["consent_type"], "ACCOUNT_ON_FILE");
    // Only the keys integrators see; the bank is for GET /consents/v1/{id} to say.
    let mut keys: Vec<&String> = ev["payload"].as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["consent_type", "customer_id", "id", "status"]);
    let (_, got) = t.get(&format!("/consents/v1/{cid}")).await;
    assert_eq!(got["status"], "AUTHORISED");
    assert_eq!(got["bank_identifier"], "LEAN_OF_RETAIL_UAE");
    assert!(got["consented_account"]["iban"].is_string());
    let (s, bal) = t.get(&format!("/consents/v1/{cid}/balance")).await;
    assert_eq!(s, 200);
    assert_eq!(bal["currency"], "AED");

    // Idempotency-Key is required, and a repeat returns the original payment.
    let (s, v) = pay(None, body.clone()).await;
    assert_error(s, &v, 400, "MISSING_PARAMETERS");
    let (s, v) = pay(Some("k-1"), json!({"consent_id": cid, "amount": 40})).await;
    assert_error(s, &v, 400, "MISSING_PARAMETERS");
    let (s, p1) = pay(Some("k-1"), body.clone()).await;
    assert_eq!(s, 200, "{p1}");
    assert_eq!(p1["status"], "CREATED");
    assert_eq!(p1["type"], "ACCOUNT_ON_FILE");
    assert_eq!(p1["amount"], json!({"currency": "AED", "amount": 40}));
    assert_eq!(p1["consent_id"], cid.as_str());
    // Unset optional fields are left out, as in account-on-file.yml's minimal example.
    for k in ["sub_status", "failure_details", "creditor_reference"] {
        assert!(p1.get(k).is_none(), "{k}: {p1}");
    }
    // The same request again (the amount as text this time, which Lean reads as the same number)
    // is a retry: the first payment. Another request under that key is refused, never answered
    // with the first one's payment.
    let (s, again) = pay(Some("k-1"), json!({"risk_details": risk, "amount": "40", "consent_id": cid})).await;
    assert_eq!(s, 200, "{again}");
    assert_eq!(again["id"], p1["id"]);
    let (s, v) = pay(Some("k-1"), json!({"consent_id": cid, "amount": 99, "risk_details": risk})).await;
    assert_error(s, &v, 422, "IDEMPOTENCY_KEY_REUSED");
    assert!(v.get("id").is_none(), "{v}");
    let (s, v) = pay(
        Some("k-1"),
        json!({"consent_id": cid, "amount": 40, "risk_details": risk, "reference": "other"}),
    )
    .await;
    assert_error(s, &v, 422, "IDEMPOTENCY_KEY_REUSED");
    // Concurrent repeats also yield one payment.
    let (a, b) = tokio::join!(pay(Some("k-2"), body.clone()), pay(Some("k-2"), body.clone()));
    assert_eq!(a.1["id"], b.1["id"]);
    let p1_id = p1["id"].as_str().unwrap().to_string();
    let done = wait_event(&rx, &secret, "payment.updated", |v| {
        v["payload"]["id"] == p1_id.as_str() && v["payload"]["status"] == "PROCESSED"
    })
    .await;
    assert_eq!(done["payload"]["consent_id"], cid.as_str());
    let (_, got) = t.get(&format!("/payments/v1/{p1_id}")).await;
    assert_eq!(got["status"], "PROCESSED");
    let (_, c) = t.get(&format!("/consents/v1/{cid}")).await;
    assert_eq!(c["payment_consumption"]["cumulative_number_of_payments"], 2);
    assert_eq!(c["payment_consumption"]["cumulative_value_of_payments"], 80);

    // Control parameters are enforced.
    let (s, v) = pay(Some("k-3"), json!({"consent_id": cid, "amount": 100.01, "risk_details": risk})).await;
    assert_error(s, &v, 400, "CONSENT_LIMIT_EXCEEDED");
    let (s, v) = pay(Some("k-4"), json!({"consent_id": cid, "amount": 100, "risk_details": risk})).await;
    assert_error(s, &v, 400, "CONSENT_LIMIT_EXCEEDED");
    let (s, v) = pay(Some("k-5"), json!({"consent_id": cid, "amount": 1.234, "risk_details": risk})).await;
    assert_error(s, &v, 400, "INVALID_AMOUNT");

    // manageConsents lists it; revocation.
    let (_, list) = t.call("GET", "/link/api/consents", &ct, None).await;
    assert!(list["consents"].as_array().unwrap().iter().any(|c| c["consent_id"] == cid.as_str()), "{list}");
    let (s, v) = t.post(&format!("/consents/v1/{cid}/revocation"), json!({})).await;
    assert_eq!((s, v), (200, json!({})));
    wait_event(&rx, &secret, "consent.status.updated", |v| v["payload"]["status"] == "REVOKED").await;
    let (s, v) = pay(Some("k-6"), body.clone()).await;
    assert_error(s, &v, 400, "CONSENT_NOT_AUTHORISED");
    let (s, v) = t.post(&format!("/consents/v1/{cid}/revocation"), json!({})).await;
    assert_error(s, &v, 400, "CONSENT_NOT_AUTHORISED");

    // An immediate payment starts on authorisation; manageConsents revokes via the UI route.
    let mut with_ip = good.clone();
    with_ip["immediate_payment"] = json!({"amount": 12.5, "reference": "FIRST"});
    let (_, c2) = t.post("/consents/account-on-file", with_ip).await;
    let cid2 = c2["id"].as_str().unwrap().to_string();
    let (_, v) = t
        .call(
            "POST",
            "/link/api/authorize-consent",
            &ct,
            Some(json!({"consent_id": cid2,
            "bank_identifier": "LEAN_OF_RETAIL_UAE", "username": "user_simple", "password": "pass_simple"})),
        )
        .await;
    assert_eq!(v["outcome"], "SUCCESS", "{v}");
    let ip =
        wait_event(&rx, &secret, "payment.created", |v| v["payload"]["consent_id"] == cid2.as_str()).await;
    assert_eq!(ip["payload"]["amount"], 12.5);
    let (s, v) = t.call("POST", &format!("/link/api/consents/{cid2}/revoke"), &ct, Some(json!({}))).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["consent_status"], "REVOKED");
    t.sb.shutdown().await;
}

#[tokio::test]
async fn connect_with_payments_needs_a_destination_and_honours_the_chosen_one() {
    let t = setup(None).await;
    let (cust, ct) = t.customer("src_user").await;
    let connect = |extra: Value| {
        let mut body = json!({"customer_id": cust, "bank_identifier": "LEAN_SME_MB1_KSA",
            "username": "user_simple", "password": "pass_simple", "permissions": ["payments"]});
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                b.insert(k.clone(), v.clone());
            }
        }
        body
    };
    let (s, v) = t.call("POST", "/link/api/connect", &ct, Some(connect(json!({})))).await;
    assert_error(s, &v, 404, "UNKNOWN_PAYMENT_DESTINATION");
    let (_, list) = t.get(&format!("/customers/v1/{cust}/payment-sources")).await;
    assert_eq!(list, json!([]));

    t.destination("Default Shop", IBAN_OK, json!({})).await;
    let chosen = t.destination("Chosen Shop", IBAN_OK_2, json!({})).await;
    let (s, v) = t
        .call(
            "POST",
            "/link/api/connect",
            &ct,
            Some(connect(json!({"payment_destination_id": chosen["id"], "end_user_id": "u-1"}))),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["entity_id"], Value::Null);
    let (_, list) = t.get(&format!("/customers/v1/{cust}/payment-sources")).await;
    assert_eq!(list[0]["bank_identifier"], "LEAN_SME_MB1_KSA");
    assert_eq!(list[0]["beneficiaries"][0]["payment_destination_id"], chosen["id"]);
    // Generated accounts carry valid SAR IBANs.
    let iban = list[0]["accounts"][0]["iban"].as_str().unwrap();
    assert!(iban.starts_with("SA") && iban.len() == 24, "{iban}");
    assert_eq!(list[0]["accounts"][0]["currency"], "SAR");
    let (s, v) = t
        .call(
            "POST",
            "/link/api/connect",
            &ct,
            Some(connect(json!({"payment_destination_id": "not-a-uuid"}))),
        )
        .await;
    assert_error(s, &v, 404, "UNKNOWN_PAYMENT_DESTINATION");
    t.sb.shutdown().await;
}

#[tokio::test]
async fn update_payment_source_with_entity_id_adds_payments_to_a_data_only_connection() {
    let t = setup(None).await;
    let (cust, ct) = t.customer("upgrade_user").await;
    let dest = t.destination("Upgrade Shop", IBAN_OK, json!({})).await;
    let login = json!({"bank_identifier": "LEAN_MB1", "username": "user_simple", "password": "pass_simple"});
    let (s, v) = t
        .call(
            "POST",
            "/link/api/connect",
            &ct,
            Some(json!({"customer_id": cust, "bank_identifier": "LEAN_MB1", "username": "user_simple",
                "password": "pass_simple", "permissions": ["identity", "accounts", "balance", "transactions"]})),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    let entity = v["entity_id"].as_str().unwrap().to_string();
    let (_, list) = t.get(&format!("/customers/v1/{cust}/payment-sources")).await;
    assert_eq!(list, json!([]), "a data-only connection has no payment source");

    let upgrade = |extra: Value| {
        let mut body = json!({"payment_destination_id": dest["id"], "entity_id": entity});
        for (k, v) in login.as_object().unwrap().iter().chain(extra.as_object().unwrap()) {
            body[k] = v.clone();
        }
        body
    };
    // One of payment_source_id or entity_id, not both; another bank's login; an unknown entity.
    let (s, v) = t
        .call("POST", "/link/api/beneficiary", &ct, Some(upgrade(json!({"payment_source_id": entity}))))
        .await;
    assert_error(s, &v, 400, "INVALID_PARAMETERS");
    let (s, v) = t
        .call(
            "POST",
            "/link/api/beneficiary",
            &ct,
            Some(upgrade(json!({"bank_identifier": "LEAN_OF_RETAIL_UAE"}))),
        )
        .await;
    assert_error(s, &v, 400, "INVALID_PARAMETERS");
    let (s, v) = t
        .call(
            "POST",
            "/link/api/beneficiary",
            &ct,
            Some(upgrade(json!({"entity_id": "00000000-0000-4000-8000-000000000000"}))),
        )
        .await;
    assert_error(s, &v, 404, "UNKNOWN_ENTITY");
    // Another customer cannot add payments to this one's connection.
    let (_, other) = t.customer("someone_else").await;
    let (s, v) = t.call("POST", "/link/api/beneficiary", &other, Some(upgrade(json!({})))).await;
    assert_error(s, &v, 404, "UNKNOWN_ENTITY");
    // A wrong password is the bank's refusal, as at connect.
    let (s, v) =
        t.call("POST", "/link/api/beneficiary", &ct, Some(upgrade(json!({"password": "nope"})))).await;
    assert_eq!(s, 200);
    assert_ne!(v["status"], "OK", "{v}");

    // The Link UI's screen names the entity's bank.
    let (s, v) = t.call("GET", &format!("/link/api/entity-bank?entity_id={entity}"), &ct, None).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["bank"]["identifier"], "LEAN_MB1");

    let (s, v) = t.call("POST", "/link/api/beneficiary", &ct, Some(upgrade(json!({})))).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["status"], "OK", "{v}");
    assert_eq!(v["bank_identifier"], "LEAN_MB1");
    assert_eq!(v["beneficiary"]["payment_destination_id"], dest["id"]);
    let (_, list) = t.get(&format!("/customers/v1/{cust}/payment-sources")).await;
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["id"], v["payment_source_id"]);
    // The source pays from the accounts the person connected for data.
    let (_, accounts) = t.call("GET", &format!("/data/v2/accounts?entity_id={entity}"), &t.api, None).await;
    let connected: Vec<&Value> =
        accounts["data"]["accounts"].as_array().expect("accounts").iter().map(|x| &x["account_id"]).collect();
    assert!(!connected.is_empty());
    for account in list[0]["accounts"].as_array().unwrap() {
        assert!(connected.contains(&&account["account_id"]), "{account} is not one of {connected:?}");
    }
    // Again with another destination: the same source gains the recipient, no second source.
    let dest2 = t.destination("Second Shop", IBAN_OK_2, json!({})).await;
    let (s, v) = t
        .call(
            "POST",
            "/link/api/beneficiary",
            &ct,
            Some(upgrade(json!({"payment_destination_id": dest2["id"]}))),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    let (_, list) = t.get(&format!("/customers/v1/{cust}/payment-sources")).await;
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["beneficiaries"].as_array().unwrap().len(), 2, "{list}");
    t.sb.shutdown().await;
}

#[tokio::test]
async fn cool_offs_and_bank_verdicts_resume_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let sb = start(&state, None, 1.0).await;
    let c = reqwest::Client::new();
    let base = sb.base_url();
    c.put(format!("{base}/sandbox/payments/settings"))
        .json(&json!({"beneficiary_cool_off_ms": 1200, "payment_settle_ms": 1200}))
        .send()
        .await
        .unwrap();
    let api = token(&c, &sb, "api").await;
    let cust = create_customer(&c, &sb, &api, "restart_user").await;
    let ct = token(&c, &sb, &format!("customer.{cust}")).await;
    let r = c
        .post(format!("{base}/payments/v1/destinations"))
        .bearer_auth(&api)
        .json(&json!({"name": "Acme Trading", "display_name": "Acme", "iban": IBAN_OK, "country": "ARE"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r: Value = c
        .post(format!("{base}/link/api/connect"))
        .bearer_auth(&ct)
        .json(&json!({"customer_id": cust, "bank_identifier": "LEAN_MB1", "username": "user_simple",
            "password": "pass_simple", "permissions": ["payments"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["status"], "OK");
    let i: Value = c
        .post(format!("{base}/payments/v1/intents"))
        .bearer_auth(&api)
        .json(&json!({"customer_id": cust, "amount": 10, "currency": "AED"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let v: Value = c
        .post(format!("{base}/link/api/checkout"))
        .bearer_auth(&ct)
        .json(&json!({"payment_intent_id": i["payment_intent_id"], "bank_identifier": "LEAN_OF_RETAIL_UAE",
            "username": "user_simple", "password": "pass_simple"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let pid = v["payment_id"].as_str().unwrap().to_string();
    sb.shutdown().await;

    let sb = start(&state, None, 1.0).await;
    let base = sb.base_url();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let src: Value = c
            .get(format!("{base}/customers/v1/{cust}/payment-sources"))
            .bearer_auth(&api)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let p: Value = c
            .get(format!("{base}/payments/v1/{pid}"))
            .bearer_auth(&api)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if src[0]["beneficiaries"][0]["status"] == "ACTIVE" && p["status"] == "ACCEPTED_BY_BANK" {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{src} {p}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    sb.shutdown().await;
}
