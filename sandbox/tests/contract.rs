//! Contract test: every sandbox response is checked against Lean's OpenAPI exports
//! (`openapi/*.yml`) wherever an export defines the operation, and every webhook the sandbox sends
//! against the shape of Lean's real samples (`webhooks/*.json`). Lean's material is not part of the
//! repository: `LEAN_EXPORTS_DIR` names the folder that holds both (a relative path is taken from
//! the repository's root).
//!
//! The flows below drive a real sandbox over HTTP and record every call with the OpenAPI path it
//! exercises. Afterwards each export operation is matched with the recorded calls and each body
//! is validated against the schema of the returned status (or, where the export has only
//! examples for that status, compared with their shape). Known, documented deviations are in
//! `ALLOWED` / `WEBHOOK_ALLOWED` below and in the README's "Known deviations" section.
//! Run with `--nocapture` to see the summary table. "REFERENCE §n" cites `REFERENCE.md`, a fact sheet
//! on Lean's public material that sits beside the exports (not in the repository either).
//!
//! Without `LEAN_EXPORTS_DIR` the flows still run and every webhook's envelope is still checked,
//! but the check against Lean's exports does not: the test says so on stderr (past cargo's output
//! capture) and passes. When the variable is set, a missing or incomplete folder fails the test
//! with its path.

mod common;
#[path = "contract/spec.rs"]
mod spec;

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use common::{receiver, start, token};
use serde_json::{json, Value};
use spec::Documented;

/// Names the folder with Lean's exports: `openapi/*.yml` and `webhooks/*.json`.
const EXPORTS_VAR: &str = "LEAN_EXPORTS_DIR";

/// The folder `value` (the variable's value) names: `None` when it is unset or empty. A relative
/// path is taken from the repository's root (`make test` runs there; cargo runs tests in
/// `sandbox/`). Panics, naming the path, when the folder is missing or empty.
fn exports_dir(value: Option<OsString>) -> Option<PathBuf> {
    let value = value.filter(|v| !v.is_empty())?;
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the sandbox is in the repository");
    let dir = repo.join(&value);
    let hint = "it must name the folder that holds Lean's openapi/*.yml and webhooks/*.json";
    assert!(
        dir.is_dir(),
        "{EXPORTS_VAR}={}: {} is not a folder; {hint}",
        value.to_string_lossy(),
        dir.display()
    );
    let empty = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{EXPORTS_VAR}: cannot read {}: {e}", dir.display()))
        .next()
        .is_none();
    assert!(!empty, "{EXPORTS_VAR}={}: {} is empty; {hint}", value.to_string_lossy(), dir.display());
    Some(dir)
}

/// Lean's exports, loaded from the folder `LEAN_EXPORTS_DIR` names.
struct Exports {
    ops: Vec<spec::Operation>,
    samples: BTreeMap<String, Vec<(String, Value)>>,
}

impl Exports {
    fn load(dir: &Path) -> Exports {
        Exports { ops: spec::load(&dir.join("openapi")), samples: load_samples(&dir.join("webhooks")) }
    }
}

/// Said when the check against Lean's exports does not run. Written to the process's stderr
/// itself, not with `eprintln!`, so that cargo's output capture does not hide it on success.
fn say_skipped() {
    let line = format!(
        "\n!!! {EXPORTS_VAR} is not set: the sandbox's contract check against Lean's OpenAPI exports and \
         webhook samples did NOT run (only the flows and the webhook envelopes were checked) !!!\n"
    );
    let _ = std::io::stderr().write_all(line.as_bytes());
}

/// The Data API's per-account resources: `/data/v2/accounts/{account_id}/<one of these>`.
const PER_ACCOUNT: [&str; 5] =
    ["identities", "beneficiaries", "direct-debits", "standing-orders", "scheduled-payments"];

const IBAN: &str = "AE070331234567890123456";
const IBAN_2: &str = "GB82 WEST 1234 5698 7654 32";

/// Operations in the exports that the sandbox does not implement (listed, not failures).
const NOT_IMPLEMENTED: &[(&str, &str)] = &[
    ("POST", "/payouts/refunds"),
    ("PUT", "/payouts/refunds"),
    ("GET", "/payouts/refunds"),
    ("GET", "/payouts/refunds/reasons"),
    ("POST", "/sessions/v1"),
    ("GET", "/sessions/v1/{session_id}"),
];

/// A documented deviation: a schema error (or example-shape difference) of operation `op`
/// (`"*"`: any) in `export` (`"*"`: any) whose instance path, with array indexes written `*`, ends
/// with `at` and whose message contains `msg`, on a body whose top-level `when.0` equals `when.1`
/// (if given), is accepted for `why`. Keep in sync with the README's "Known deviations".
struct Allowed {
    export: &'static str,
    op: &'static str,
    at: &'static str,
    msg: &'static str,
    when: Option<(&'static str, &'static str)>,
    why: &'static str,
}

const NULL: &str = "null is not of type";
const WHY_DATA_NULLS: &str = "data.yml's own transaction examples use null for absent sub-objects \
    (`card_instrument`, `currency_exchange`, `merchant_details`); its schema does not mark them nullable";

const WHY_RECONNECT: &str = "a RECONNECT_REQUIRED result has `data: {type: \"reconnect\", reconnect_id}`: \
    data.yml defines that payload (ReconnectRequestIdPayloadDto) for v1 only; the per-account schemas fix \
    `data.type` to the endpoint's name (standing orders: require `standing_orders` and `page`)";

const ALLOWED: &[Allowed] = &[
    Allowed { export: "core-resources.yml", op: "GET /banks/v1", at: "/supported_account_types", msg: "",
        when: None,
        why: "core-resources.yml types supported_account_types as one string; banks.yml and core-resources.yml's own example have an array" },
    Allowed { export: "*", op: "*", at: "/data", msg: NULL, when: None,
        why: "FAILED, CONSENT_EXPIRED and PENDING results have `data: null` (data.yml's own examples do too)" },
    Allowed { export: "*", op: "GET /data/v2/accounts", at: "", msg: "", when: Some(("status", "RECONNECT_REQUIRED")),
        why: "a RECONNECT_REQUIRED result has `data: {type: \"reconnect\", reconnect_id}` and no accounts/page: data.yml defines that payload (ReconnectRequestIdPayloadDto) for v1 only, not in its v2 schemas; bank-data.yml's status enum also lacks RECONNECT_REQUIRED, which data.yml lists" },
    Allowed { export: "data.yml", op: "GET /data/v2/accounts/{account_id}/identities", at: "/data/type", msg: "", when: Some(("status", "RECONNECT_REQUIRED")),
        why: WHY_RECONNECT },
    Allowed { export: "data.yml", op: "GET /data/v2/accounts/{account_id}/direct-debits", at: "/data/type", msg: "", when: Some(("status", "RECONNECT_REQUIRED")),
        why: WHY_RECONNECT },
    Allowed { export: "data.yml", op: "GET /data/v2/accounts/{account_id}/scheduled-payments", at: "/data/type", msg: "", when: Some(("status", "RECONNECT_REQUIRED")),
        why: WHY_RECONNECT },
    Allowed { export: "data.yml", op: "GET /data/v2/accounts/{account_id}/standing-orders", at: "/data", msg: "is a required property", when: Some(("status", "RECONNECT_REQUIRED")),
        why: WHY_RECONNECT },
    Allowed { export: "data.yml", op: "GET /data/v2/accounts/{account_id}/standing-orders", at: "/data/standing_orders/*/final_payment_amount", msg: NULL, when: None,
        why: "an open-ended standing order has `final_payment_amount: null`, as in data.yml's own standing-orders example (SO-KSA-002); its schema allows null in `type` but its `allOf: CurrencyAmount` (an object) rules it out" },
    Allowed { export: "bank-data.yml", op: "*", at: "/status_detail", msg: NULL, when: None,
        why: "bank-data.yml types status_detail as an object; data.yml's examples have `status_detail: null` on OK results" },
    Allowed { export: "bank-data.yml", op: "*", at: "/meta", msg: NULL, when: None,
        why: "bank-data.yml types meta as a string; data.yml's examples have `meta: null` when no meta was sent" },
    Allowed { export: "bank-data.yml", op: "GET /data/v2/accounts/{account_id}/transactions", at: "/data/transactions/*",
        msg: "\"regional_data\" is a required property", when: None,
        why: "bank-data.yml requires regional_data but its own `verbose` parameter says it is shown only when true (default false); data.yml does not require it" },
    Allowed { export: "data.yml", op: "GET /data/v2/accounts/{account_id}/transactions", at: "", msg: NULL, when: None,
        why: WHY_DATA_NULLS },
    Allowed { export: "payments-core.yml", op: "*", at: "/status", msg: "\"ACTIVE\" was expected", when: None,
        why: "exports contradict: payments-core.yml says a destination's status is always ACTIVE, payments.yml's schema says CONFIRMED or PENDING (its example shows ACTIVE); the sandbox follows payments.yml's schema (CONFIRMED)" },
    Allowed { export: "payments.yml", op: "*", at: "/default", msg: "is not of type \"string\"", when: None,
        why: "exports contradict: payments.yml types a destination's `default` as a string, its own examples and payments-core.yml as a boolean" },
    Allowed { export: "*", op: "GET /payments/v1/{payment_id}", at: "", msg: "", when: Some(("type", "ACCOUNT_ON_FILE")),
        why: "an Account-on-File payment is returned in the AoF payment shape (POST /payments/v1/account-on-file); the exports' Payment schema only covers intent payments" },
    Allowed { export: "*", op: "*", at: "/payment_source_id", msg: NULL, when: None,
        why: "the exports require a payment's payment_source_id, but a checkout (Open Finance) payment has no payment source: it is null" },
];

/// Webhook shape differences accepted: event type, key path suffix, an optional
/// `payload.<key> = value` condition, and the reason. Keep in sync with the README.
/// (event type, key path suffix, `payload.<key> = value` condition, reason).
type WebhookAllowed = (&'static str, &'static str, Option<(&'static str, &'static str)>, &'static str);

const WEBHOOK_ALLOWED: &[WebhookAllowed] = &[
    ("payment.created", "", Some(("type", "ACCOUNT_ON_FILE")),
        "AoF payments send payment.created/updated (REFERENCE §8.5) with an AoF payload {id, type, amount, reason, status, currency, metadata, consent_id, customer_id, account_id}; Lean's samples are intent payments"),
    ("payment.updated", "", Some(("type", "ACCOUNT_ON_FILE")),
        "AoF payments send payment.created/updated (REFERENCE §8.5) with an AoF payload {id, type, amount, reason, status, currency, metadata, consent_id, customer_id, account_id}; Lean's samples are intent payments"),
    ("payment.created", "/payload/metadata", None,
        "metadata is the merchant's own metadata; the sandbox takes none, so it is null (the samples' intent had some)"),
    ("payment.updated", "/payload/metadata", None,
        "metadata is the merchant's own metadata; the sandbox takes none, so it is null (the samples' intent had some)"),
    ("payment_intent.created", "/payload/metadata", None,
        "metadata is the merchant's own metadata; the sandbox takes none, so it is null (the sample's intent had some)"),
    ("payment.updated", "/payload/reason", None,
        "samples contradict: uae-payment.updated.json lacks `reason`, uae-payment.created.json has it; REFERENCE §8.5 says both have the same shape"),
    ("payment_source.beneficiary.created", "/payload/end_user_id", None,
        "Lean's docs list `end_user_id` (optional) in this payload (REFERENCE §8.5); the sample omits it"),
    ("payment_source.beneficiary.updated", "/payload/end_user_id", None,
        "Lean's docs list `end_user_id` (optional) in this payload (REFERENCE §8.5); the sample omits it"),
];

/// One recorded call.
struct Obs {
    method: String,
    template: String,
    url: String,
    status: u16,
    body: Value,
}

struct Driver {
    c: reqwest::Client,
    base: String,
    api: String,
    log: Mutex<Vec<Obs>>,
}

impl Driver {
    /// Calls `path` (the concrete URL path) and records it under the OpenAPI `template`.
    async fn call(
        &self,
        method: &str,
        template: &str,
        path: &str,
        tok: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        let mut req = match method {
            "GET" => self.c.get(&url),
            "POST" => self.c.post(&url),
            "PUT" => self.c.put(&url),
            "DELETE" => self.c.delete(&url),
            other => panic!("method {other}"),
        }
        .bearer_auth(tok);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        self.log.lock().unwrap().push(Obs {
            method: method.into(),
            template: template.into(),
            url: path.into(),
            status,
            body: body.clone(),
        });
        (status, body)
    }

    async fn api(&self, method: &str, template: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        self.call(method, template, path, &self.api, body, &[]).await
    }

    /// Unrecorded helper calls (Link UI back-end, scenario controls).
    async fn raw(&self, method: &str, path: &str, tok: Option<&str>, body: Value) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        let mut req = if method == "GET" { self.c.get(url) } else { self.c.post(url).json(&body) };
        if let Some(t) = tok {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }
}

fn s(v: &Value, k: &str) -> String {
    v[k].as_str().unwrap_or_else(|| panic!("no string {k} in {v}")).to_string()
}

/// A minimal OpenAPI export of our own, in the layout and dialect (3.0, `nullable`) of Lean's.
const THINGS_YML: &str = r##"openapi: 3.0.0
paths:
  /things/{id}:
    get:
      responses:
        "200":
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Thing"
components:
  schemas:
    Thing:
      type: object
      required: [id]
      properties:
        id: {type: string, nullable: true}
"##;

/// The panic message of `f`, which must panic.
fn panic_message(f: impl FnOnce() + std::panic::UnwindSafe) -> String {
    let err = std::panic::catch_unwind(f).expect_err("expected a panic");
    err.downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

/// `LEAN_EXPORTS_DIR` on folders of our own (never Lean's): unset or empty skips; a folder that is
/// missing, empty, or lacks either half fails naming the path; a complete one loads.
#[test]
fn missing_exports_fail_with_the_path() {
    assert!(exports_dir(None).is_none());
    assert!(exports_dir(Some(OsString::new())).is_none());
    let m = panic_message(|| drop(exports_dir(Some("/nonexistent/lean".into()))));
    assert!(m.contains("LEAN_EXPORTS_DIR=/nonexistent/lean: /nonexistent/lean is not a folder"), "{m}");
    // Relative to the repository's root.
    let here = exports_dir(Some("sandbox/tests".into())).unwrap();
    assert_eq!(here, Path::new(env!("CARGO_MANIFEST_DIR")).join("tests"));

    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    let m = panic_message(|| drop(exports_dir(Some(root.clone().into()))));
    assert!(m.contains(&format!("{} is empty", root.display())), "{m}");

    // Lean's layout, with minimal files of our own.
    let (openapi, webhooks) = (root.join("openapi"), root.join("webhooks"));
    std::fs::create_dir(&openapi).unwrap();
    let m = panic_message(|| drop(Exports::load(&exports_dir(Some(root.clone().into())).unwrap())));
    assert!(m.contains(&format!("no OpenAPI exports (*.yml) in {}", openapi.display())), "{m}");
    std::fs::write(openapi.join("things.yml"), THINGS_YML).unwrap();
    let m = panic_message(|| drop(Exports::load(&root)));
    assert!(m.contains(&format!("Lean's webhook samples are missing: {}", webhooks.display())), "{m}");
    std::fs::create_dir(&webhooks).unwrap();
    std::fs::write(webhooks.join("thing.created.json"), r#"{"type": "thing.created", "payload": {}}"#)
        .unwrap();

    let e = Exports::load(&exports_dir(Some(root.clone().into())).unwrap());
    assert_eq!(e.samples.keys().collect::<Vec<_>>(), ["thing.created"]);
    let [op] = &e.ops[..] else { panic!("one operation expected") };
    assert_eq!(
        (op.export.as_str(), op.method.as_str(), op.path.as_str()),
        ("things.yml", "GET", "/things/{id}")
    );
    let Some(Documented::Schema(schema)) = op.responses.get("200") else { panic!("a 200 schema expected") };
    let v = spec::compile(schema).unwrap();
    assert!(spec::errors(&v, &json!({"id": null})).is_empty());
    assert_eq!(spec::errors(&v, &json!({})).len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sandbox_matches_lean_openapi_and_webhook_samples() {
    // Loaded first, so that a wrong LEAN_EXPORTS_DIR fails at once, naming the path.
    let exports = exports_dir(std::env::var_os(EXPORTS_VAR)).map(|dir| Exports::load(&dir));
    if exports.is_none() {
        say_skipped();
    }

    let (rx, url) = receiver(0).await;
    let dir = tempfile::tempdir().unwrap();
    let sb = start(&dir.path().join("state.json"), Some(url), 0.0005).await;
    let c = reqwest::Client::new();
    let api = token(&c, &sb, "api").await;
    let x = Driver { c: c.clone(), base: sb.base_url(), api, log: Mutex::new(Vec::new()) };
    // Short cool-off and settlement so the delayed webhooks come quickly.
    let r = c
        .put(format!("{}/sandbox/payments/settings", x.base))
        .json(&json!({"beneficiary_cool_off_ms": 300, "payment_settle_ms": 200}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    run_flows(&x, &sb).await;

    // Let the delayed webhooks (refresh FINISHED, cool-off, bank verdicts) go out.
    let wanted = [
        "entity.created",
        "entity.updated",
        "entity.data.refresh.updated",
        "entity.reconnected",
        "results.ready",
        "payment_intent.created",
        "payment.created",
        "payment.updated",
        "payment_source.created",
        "payment_source.beneficiary.created",
        "payment_source.beneficiary.updated",
        "bulk_payment_intent.created",
        "consent.status.updated",
    ];
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    let mut hooks: Vec<Value>;
    loop {
        hooks = rx.all().iter().filter_map(|r| serde_json::from_slice(&r.body).ok()).collect();
        let types: BTreeSet<&str> = hooks.iter().filter_map(|h| h["type"].as_str()).collect();
        if wanted.iter().all(|w| types.contains(w)) || tokio::time::Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The event log, after everything was sent.
    x.api("GET", "/events/v1", "/events/v1?page=0&size=50", None).await;
    x.api("GET", "/events/v1", "/events/v1?page=0&size=5&type=payment.updated", None).await;
    sb.shutdown().await;

    let mut failures = Vec::new();
    let guides = guide_payloads();
    match &exports {
        Some(e) => {
            check_operations(&e.ops, &x.log.lock().unwrap(), &mut failures);
            check_webhooks(&e.samples, &guides, &hooks, &wanted, &mut failures);
        }
        // Every type is sent, and every envelope is Lean's; no sample to compare payloads with, but
        // the payloads Lean's guides print (fixtures in the repository) are still compared.
        None => check_webhooks(&BTreeMap::new(), &guides, &hooks, &wanted, &mut failures),
    }
    assert!(failures.is_empty(), "{} contract failure(s):\n{}", failures.len(), failures.join("\n"));
}

async fn run_flows(x: &Driver, sb: &lean_sandbox::Sandbox) {
    let unknown = "00000000-0000-4000-8000-000000000000";

    // Customers (core-resources.yml).
    let (st, cust) = x
        .api("POST", "/customers/v1/", "/customers/v1/", Some(json!({"app_user_id": "contract-alice"})))
        .await;
    assert_eq!(st, 200, "{cust}");
    let alice = s(&cust, "customer_id");
    x.api("POST", "/customers/v1/", "/customers/v1/", Some(json!({"app_user_id": "contract-alice"}))).await;
    x.api("GET", "/customers/v1/", "/customers/v1/?page_number=0&page_size=10", None).await;
    x.api("GET", "/customers/v1/{customer_id}/", &format!("/customers/v1/{alice}/"), None).await;
    x.api("GET", "/customers/v1/{customer_id}/", &format!("/customers/v1/{unknown}/"), None).await;
    let gov = json!([{"type": "EMIRATES_ID", "value": "784-1234-1234567-1"}]);
    x.api(
        "PUT",
        "/customers/v1/{customer_id}/",
        &format!("/customers/v1/{alice}/"),
        Some(json!({"government_identifiers": gov})),
    )
    .await;
    x.api("GET", "/customers/v1/app-user-id/{app_user_id}", "/customers/v1/app-user-id/contract-alice", None)
        .await;
    x.api("GET", "/banks/v1", "/banks/v1", None).await;
    x.api("GET", "/banks/v1", "/banks/v1?country_codes=SAU", None).await;

    // Destinations (payments-core.yml, payments.yml, payments-customers.yml).
    let dest = |name: &str, iban: &str, extra: Value| {
        let mut b = json!({"name": name, "display_name": "Acme", "iban": iban, "country": "ARE",
            "address": "1 Street", "city": "Dubai", "bank_type": "RETAIL", "account_number": "1234567890123456",
            "government_identifier": {"type": "TRADE_LICENSE_NUMBER", "value": "TL-1"}});
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let (st, d1) = x
        .api(
            "POST",
            "/payments/v1/destinations",
            "/payments/v1/destinations",
            Some(dest("Acme Trading", IBAN, json!({}))),
        )
        .await;
    assert_eq!(st, 200, "{d1}");
    let d1 = s(&d1, "id");
    x.api(
        "POST",
        "/payments/v1/destinations",
        "/payments/v1/destinations",
        Some(dest("Single", IBAN, json!({}))),
    )
    .await;
    let (_, d2) = x
        .api(
            "POST",
            "/payments/v1/destinations",
            "/payments/v1/destinations",
            Some(dest("Alice Shop", IBAN_2, json!({"customer_id": alice}))),
        )
        .await;
    let _d2 = s(&d2, "id");
    x.api("GET", "/payments/v1/destinations", "/payments/v1/destinations", None).await;
    x.api(
        "GET",
        "/payments/v1/destinations/{payment_destination_id}",
        &format!("/payments/v1/destinations/{d1}"),
        None,
    )
    .await;
    x.api(
        "GET",
        "/payments/v1/destinations/{payment_destination_id}",
        &format!("/payments/v1/destinations/{unknown}"),
        None,
    )
    .await;
    x.api(
        "GET",
        "/customers/v1/{customer_id}/destinations",
        &format!("/customers/v1/{alice}/destinations"),
        None,
    )
    .await;

    // Connect with data and payments through the Link UI back-end.
    let alice_tok = token(&x.c, sb, &format!("customer.{alice}")).await;
    let connect = json!({"customer_id": alice, "bank_identifier": "LEAN_MB1", "username": "user_simple",
        "password": "pass_simple", "permissions": ["identity", "accounts", "balance", "transactions", "identities",
            "beneficiaries", "direct_debits", "standing_orders", "scheduled_payments", "payments"],
        "payment_destination_id": d1});
    let (st, v) = x.raw("POST", "/link/api/connect", Some(&alice_tok), connect.clone()).await;
    assert_eq!((st, v["status"].as_str()), (200, Some("OK")), "{v}");
    let entity = s(&v, "entity_id");
    let source = s(&v, "payment_source_id");

    // Entities (bank-data.yml, customers.yml, entities.yml).
    x.api("GET", "/customers/v1/{customer_id}/entities", &format!("/customers/v1/{alice}/entities"), None)
        .await;
    x.api(
        "GET",
        "/customers/v1/{customer_id}/entities/{entity_id}",
        &format!("/customers/v1/{alice}/entities/{entity}"),
        None,
    )
    .await;
    x.api(
        "GET",
        "/customers/v1/{customer_id}/entities/{entity_id}",
        &format!("/customers/v1/{alice}/entities/{unknown}"),
        None,
    )
    .await;

    // The application's entities by creation date (customers.yml, entities.yml).
    let today = chrono::Utc::now().date_naive();
    let range = "/customers/v1/entities";
    let (st, v) = x
        .api(
            "GET",
            range,
            &format!("{range}?start_date={today}&end_date={today}&page_number=0&page_size=10"),
            None,
        )
        .await;
    assert_eq!(st, 200, "{v}");
    assert!(v["data"].as_array().unwrap().iter().any(|e| e["id"] == entity.as_str()), "{v}");
    x.api("GET", range, &format!("{range}?start_date={today}"), None).await;
    let tomorrow = today.succ_opt().unwrap();
    x.api("GET", range, &format!("{range}?start_date={today}&end_date={tomorrow}"), None).await;

    // Data API v2 (data.yml, bank-data.yml).
    let (_, accts) =
        x.api("GET", "/data/v2/accounts", &format!("/data/v2/accounts?entity_id={entity}"), None).await;
    let account = s(&accts["data"]["accounts"][0], "account_id");
    x.api("GET", "/data/v2/accounts", "/data/v2/accounts?entity_id=not-a-uuid", None).await;
    x.api("GET", "/data/v2/accounts", &format!("/data/v2/accounts?entity_id={unknown}"), None).await;
    let (st, pending) = x
        .api("GET", "/data/v2/accounts", &format!("/data/v2/accounts?entity_id={entity}&async=true"), None)
        .await;
    assert_eq!(st, 202, "{pending}");
    let results_id = s(&pending, "results_id");
    let bal = "/data/v2/accounts/{account_id}/balances";
    x.api("GET", bal, &format!("/data/v2/accounts/{account}/balances?entity_id={entity}"), None).await;
    x.api("GET", bal, &format!("/data/v2/accounts/{unknown}/balances?entity_id={entity}"), None).await;
    let txs = "/data/v2/accounts/{account_id}/transactions";
    x.api("GET", txs, &format!("/data/v2/accounts/{account}/transactions?entity_id={entity}&size=20"), None)
        .await;
    x.api(
        "GET",
        txs,
        &format!("/data/v2/accounts/{account}/transactions?entity_id={entity}&start_date=2026-02-01&end_date=2026-01-01"),
        None,
    )
    .await;
    x.api("GET", "/data/v2/identity", &format!("/data/v2/identity?entity_id={entity}"), None).await;
    x.api("GET", "/data/v2/identity", &format!("/data/v2/identity?entity_id={entity}&async=true"), None)
        .await;
    // The per-account resources: the current account has some of each, the savings account none
    // (an empty list), then an unknown account, an unknown entity and an async call.
    let of_type = |sub: &str| {
        let a = accts["data"]["accounts"].as_array().unwrap().iter().find(|a| a["account_sub_type"] == sub);
        s(a.unwrap_or_else(|| panic!("no {sub} account in {accts}")), "account_id")
    };
    let (current, savings) = (of_type("CURRENT"), of_type("SAVINGS"));
    let mut per_account_results = Vec::new();
    for res in PER_ACCOUNT {
        let t = format!("/data/v2/accounts/{{account_id}}/{res}");
        let at = |acct: &str, query: &str| format!("/data/v2/accounts/{acct}/{res}?{query}");
        let (st, v) = x.api("GET", &t, &at(&current, &format!("entity_id={entity}")), None).await;
        assert_eq!((st, v["status"].as_str()), (200, Some("OK")), "{v}");
        x.api("GET", &t, &at(&current, &format!("entity_id={entity}&page=1&size=1")), None).await;
        x.api("GET", &t, &at(&savings, &format!("entity_id={entity}")), None).await;
        x.api("GET", &t, &at(unknown, &format!("entity_id={entity}")), None).await;
        x.api("GET", &t, &at(&current, &format!("entity_id={unknown}")), None).await;
        x.api("GET", &t, &at(&current, "entity_id=not-a-uuid"), None).await;
        let (st, v) = x.api("GET", &t, &at(&current, &format!("entity_id={entity}&async=true")), None).await;
        assert_eq!(st, 202, "{v}");
        per_account_results.push(s(&v, "results_id"));
    }
    // Scripted outcomes: FAILED and CONSENT_EXPIRED bodies are 200s too.
    for status in ["FAILED", "CONSENT_EXPIRED"] {
        let (st, v) = x
            .raw(
                "POST",
                "/sandbox/scenarios/next-data-call",
                None,
                json!({"entity_id": entity, "status": status}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        x.api("GET", "/data/v2/identity", &format!("/data/v2/identity?entity_id={entity}"), None).await;
    }
    tokio::time::sleep(Duration::from_millis(800)).await;
    let res = "/data/v2/results/{results_id}";
    x.api("GET", res, &format!("/data/v2/results/{results_id}"), None).await;
    for id in &per_account_results {
        let (st, v) = x.api("GET", res, &format!("/data/v2/results/{id}"), None).await;
        assert_eq!((st, v["status"].as_str()), (200, Some("OK")), "{v}");
    }
    x.api("GET", res, &format!("/data/v2/results/{unknown}"), None).await;

    // Refreshes (data.yml). The connect-time refresh must be over before a manual one.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let (st, r) =
        x.api("POST", "/data/v2/refreshes", "/data/v2/refreshes", Some(json!({"entity_id": entity}))).await;
    assert_eq!(st, 200, "{r}");
    let refresh = s(&r, "refresh_id");
    x.api("POST", "/data/v2/refreshes", "/data/v2/refreshes", Some(json!({"entity_id": entity}))).await;
    x.api("POST", "/data/v2/refreshes", "/data/v2/refreshes", Some(json!({"entity_id": unknown}))).await;
    x.api("POST", "/data/v2/refreshes", "/data/v2/refreshes", Some(json!({}))).await;
    x.api("GET", "/data/v2/refreshes", &format!("/data/v2/refreshes?entity_id={entity}"), None).await;
    x.api("GET", "/data/v2/refreshes", "/data/v2/refreshes", None).await;
    let rf = "/data/v2/refreshes/{refresh_id}";
    x.api("GET", rf, &format!("/data/v2/refreshes/{refresh}"), None).await;
    x.api("GET", rf, &format!("/data/v2/refreshes/{unknown}"), None).await;

    // Payment sources (payments-customers.yml, payments.yml).
    let ps = "/customers/v1/{customer_id}/payment-sources";
    let ps1 = "/customers/v1/{customer_id}/payment-sources/{payment_source_id}";
    x.api("GET", ps, &format!("/customers/v1/{alice}/payment-sources"), None).await;
    x.api("GET", ps1, &format!("/customers/v1/{alice}/payment-sources/{source}"), None).await;
    x.api("GET", ps1, &format!("/customers/v1/{alice}/payment-sources/{unknown}"), None).await;

    // Intents and a checkout payment (payments-core.yml, payments.yml).
    let intents = "/payments/v1/intents";
    let intent_body = json!({"customer_id": alice, "amount": 40.5, "currency": "AED", "payment_destination_id": d1,
        "description": "Contract test"});
    let (st, i) = x.api("POST", intents, intents, Some(intent_body)).await;
    assert_eq!(st, 200, "{i}");
    let intent = s(&i, "payment_intent_id");
    x.api("POST", intents, intents, Some(json!({"customer_id": alice, "amount": -1, "currency": "AED"})))
        .await;
    x.api("POST", intents, intents, Some(json!({"customer_id": unknown, "amount": 10, "currency": "AED"})))
        .await;
    let (st, v) = x
        .raw(
            "POST",
            "/link/api/checkout",
            Some(&alice_tok),
            json!({"payment_intent_id": intent, "bank_identifier": "LEAN_OF_RETAIL_UAE",
                "username": "user_simple", "password": "pass_simple"}),
        )
        .await;
    assert_eq!((st, v["outcome"].as_str()), (200, Some("SUCCESS")), "{v}");
    let payment = s(&v, "payment_id");
    x.api("GET", intents, &format!("{intents}?page=0&size=10&customer_id={alice}"), None).await;
    x.api("GET", "/payments/v1/intents/{payment_intent_id}", &format!("{intents}/{intent}"), None).await;
    x.api("GET", "/payments/v1/intents/{payment_intent_id}", &format!("{intents}/{unknown}"), None).await;
    x.api("GET", "/payments/v1/{payment_id}", &format!("/payments/v1/{payment}"), None).await;
    x.api("GET", "/payments/v1/{payment_id}", &format!("/payments/v1/{unknown}"), None).await;
    // Bulk intents have no OpenAPI operation; called for the webhook.
    let (st, v) = x
        .raw(
            "POST",
            "/bulk-payments/v1/intents",
            Some(&x.api),
            json!({"customer_id": alice, "currency": "AED", "intents": [{"amount": 10, "payment_destination_id": d1}]}),
        )
        .await;
    assert_eq!(st, 200, "{v}");

    // Account-on-File consents and payments (account-on-file.yml, consents.yml, payments.yml).
    let consent_body = json!({
        "customer_id": alice, "destination_account_id": d1, "currency": "AED",
        "reference": "CONTRACT-1", "purpose": "GDS",
        "control_parameters": {"type": "VariableOnDemand", "period_type": "Day",
            "max_individual_amount": 100, "max_cumulative_amount": 500,
            "max_cumulative_number_of_payments_per_period": 10},
    });
    let aof = "/consents/v1/account-on-file";
    let (st, cons) = x.api("POST", aof, aof, Some(consent_body.clone())).await;
    assert_eq!(st, 200, "{cons}");
    let consent = s(&cons, "id");
    x.api("POST", aof, aof, Some(json!({"customer_id": alice}))).await;
    x.api("POST", "/consents/account-on-file", "/consents/account-on-file", Some(consent_body.clone())).await;
    let one = "/consents/v1/{consent_id}";
    x.api("GET", one, &format!("/consents/v1/{consent}"), None).await;
    x.api("GET", one, &format!("/consents/v1/{unknown}"), None).await;
    let balance = "/consents/v1/{consent_id}/balance";
    x.api("GET", balance, &format!("/consents/v1/{consent}/balance"), None).await;
    let revoke = "/consents/v1/{consent_id}/revocation";
    x.api("POST", revoke, &format!("/consents/v1/{consent}/revocation"), Some(json!({}))).await;
    let (_, v) = x
        .raw(
            "POST",
            "/link/api/authorize-consent",
            Some(&alice_tok),
            json!({"consent_id": consent, "bank_identifier": "LEAN_OF_RETAIL_UAE",
                "username": "user_simple", "password": "pass_simple"}),
        )
        .await;
    assert_eq!(v["outcome"], "SUCCESS", "{v}");
    x.api("GET", one, &format!("/consents/v1/{consent}"), None).await;
    x.api("GET", balance, &format!("/consents/v1/{consent}/balance"), None).await;
    // The older path Lean's Postman collection uses; no export defines it.
    let (st, older) = x.raw("GET", &format!("/consents/{consent}/balance"), Some(&x.api), json!(null)).await;
    assert_eq!((st, &older["currency"]), (200, &json!("AED")), "{older}");
    x.api("GET", "/consents/v1", &format!("/consents/v1?customer_id={alice}"), None).await;
    x.api("GET", "/consents/v1", "/consents/v1?status=AUTHORISED&page_number=0&page_size=5", None).await;
    let risk = json!({"transaction_indicators": {"channel": "WEB"}});
    let pay_body = json!({"consent_id": consent, "amount": 40, "risk_details": risk, "reference": "AOF-1"});
    let aof_pay = "/payments/v1/account-on-file";
    let (st, p) =
        x.call("POST", aof_pay, aof_pay, &x.api, Some(pay_body.clone()), &[("Idempotency-Key", "k-1")]).await;
    assert_eq!(st, 200, "{p}");
    let aof_payment = s(&p, "id");
    x.call("POST", aof_pay, aof_pay, &x.api, Some(pay_body.clone()), &[]).await;
    x.call(
        "POST",
        aof_pay,
        aof_pay,
        &x.api,
        Some(json!({"consent_id": consent, "amount": 1000, "risk_details": risk})),
        &[("Idempotency-Key", "k-2")],
    )
    .await;
    x.call(
        "POST",
        "/payments/account-on-file",
        "/payments/account-on-file",
        &x.api,
        Some(json!({"consent_id": consent, "amount": 12.5, "risk_details": risk})),
        &[("Idempotency-Key", "k-3")],
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    x.api("GET", "/payments/v1/{payment_id}", &format!("/payments/v1/{aof_payment}"), None).await;
    x.api("POST", revoke, &format!("/consents/v1/{consent}/revocation"), Some(json!({}))).await;
    x.api("GET", one, &format!("/consents/v1/{consent}"), None).await;

    // A second customer: reconnect flow, RECONNECT_REQUIRED body, entity deletion.
    let (_, bob) =
        x.api("POST", "/customers/v1/", "/customers/v1/", Some(json!({"app_user_id": "contract-bob"}))).await;
    let bob = s(&bob, "customer_id");
    let bob_tok = token(&x.c, sb, &format!("customer.{bob}")).await;
    let (_, v) = x
        .raw(
            "POST",
            "/link/api/connect",
            Some(&bob_tok),
            json!({"customer_id": bob, "bank_identifier": "LEA1_SAMAOB_SAU", "username": "user_otp",
                "password": "pass_otp", "otp": "1111", "permissions": ["identity", "accounts", "balance", "transactions"]}),
        )
        .await;
    let bob_entity = s(&v, "entity_id");
    // Bob granted none of the per-account permissions: a FAILED (PERMISSION_NOT_GRANTED) result.
    let (_, bob_accts) =
        x.api("GET", "/data/v2/accounts", &format!("/data/v2/accounts?entity_id={bob_entity}"), None).await;
    let bob_account = s(&bob_accts["data"]["accounts"][0], "account_id");
    for res in PER_ACCOUNT {
        let t = format!("/data/v2/accounts/{{account_id}}/{res}");
        let (st, v) = x
            .api("GET", &t, &format!("/data/v2/accounts/{bob_account}/{res}?entity_id={bob_entity}"), None)
            .await;
        assert_eq!((st, v["status"].as_str()), (200, Some("FAILED")), "{v}");
    }
    let (st, v) =
        x.raw("POST", "/sandbox/scenarios/expire-session", None, json!({"username": "user_otp"})).await;
    assert_eq!(st, 200, "{v}");
    let reconnect_id = s(&v["entities"][0], "reconnect_id");
    x.api("GET", "/data/v2/accounts", &format!("/data/v2/accounts?entity_id={bob_entity}"), None).await;
    for res in PER_ACCOUNT {
        let t = format!("/data/v2/accounts/{{account_id}}/{res}");
        let (st, v) = x
            .api("GET", &t, &format!("/data/v2/accounts/{bob_account}/{res}?entity_id={bob_entity}"), None)
            .await;
        assert_eq!((st, v["status"].as_str()), (200, Some("RECONNECT_REQUIRED")), "{v}");
    }
    x.api("POST", "/data/v2/refreshes", "/data/v2/refreshes", Some(json!({"entity_id": bob_entity}))).await;
    let (st, v) =
        x.raw("POST", "/sandbox/scenarios/reconnect", None, json!({"reconnect_id": reconnect_id})).await;
    assert_eq!(st, 200, "{v}");
    tokio::time::sleep(Duration::from_millis(800)).await;
    x.api("GET", "/data/v2/accounts", &format!("/data/v2/accounts?entity_id={bob_entity}"), None).await;
    let ent1 = "/customers/v1/{customer_id}/entities/{entity_id}";
    x.api(
        "DELETE",
        ent1,
        &format!("/customers/v1/{bob}/entities/{bob_entity}"),
        Some(json!({"reason": "USER_REQUESTED"})),
    )
    .await;
    x.api(
        "DELETE",
        ent1,
        &format!("/customers/v1/{bob}/entities/{unknown}"),
        Some(json!({"reason": "USER_REQUESTED"})),
    )
    .await;
    x.api("GET", ent1, &format!("/customers/v1/{bob}/entities/{bob_entity}"), None).await;

    // Reconnecting alice's bank gives entity.updated; then the payment source is deleted.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let (st, v) = x.raw("POST", "/link/api/connect", Some(&alice_tok), connect).await;
    assert_eq!(st, 200, "{v}");
    x.api(
        "DELETE",
        ps1,
        &format!("/customers/v1/{alice}/payment-sources/{source}"),
        Some(json!({"reason": "USER_REQUESTED"})),
    )
    .await;
    x.api("DELETE", ps1, &format!("/customers/v1/{alice}/payment-sources/{unknown}"), None).await;
}

/// The index of the `ALLOWED` entry that accepts this error, if any.
fn allowed(export: &str, op: &str, at: &str, msg: &str, body: &Value) -> Option<usize> {
    ALLOWED.iter().position(|a| {
        (a.export == "*" || a.export == export)
            && (a.op == "*" || a.op == op)
            && at.ends_with(a.at)
            && msg.contains(a.msg)
            && a.when.is_none_or(|(k, v)| body[k] == v)
    })
}

/// Adds a problem once per (path, message), counting repeats.
fn note(problems: &mut Vec<(String, usize)>, p: String) {
    match problems.iter_mut().find(|(q, _)| *q == p) {
        Some((_, n)) => *n += 1,
        None => problems.push((p, 1)),
    }
}

fn check_operations(ops: &[spec::Operation], log: &[Obs], failures: &mut Vec<String>) {
    let mut used: BTreeSet<&str> = BTreeSet::new();
    let mut used_allowed: BTreeSet<usize> = BTreeSet::new();
    println!("\n{:<24} {:<66} {:>6}  verdict", "export", "operation", "status");
    for op in ops {
        let name = format!("{} {}", op.method, op.path);
        let seen: Vec<&Obs> = log.iter().filter(|o| o.method == op.method && o.template == op.path).collect();
        if seen.is_empty() {
            if NOT_IMPLEMENTED.contains(&(op.method.as_str(), op.path.as_str())) {
                println!("{:<24} {:<66} {:>6}  not implemented by the sandbox", op.export, name, "-");
            } else {
                println!("{:<24} {:<66} {:>6}  NOT EXERCISED", op.export, name, "-");
                failures.push(format!(
                    "{} {name}: implemented but not exercised by the contract test",
                    op.export
                ));
            }
            continue;
        }
        let mut by_status: BTreeMap<u16, Vec<&Obs>> = BTreeMap::new();
        for o in seen {
            used.insert(o.template.as_str());
            by_status.entry(o.status).or_default().push(o);
        }
        for (status, obs) in by_status {
            let doc = op
                .responses
                .get(&status.to_string())
                .or_else(|| op.responses.get(&format!("{}XX", status / 100)));
            let mut problems: Vec<(String, usize)> = Vec::new();
            let mut accepted: BTreeSet<usize> = BTreeSet::new();
            let verdict = match doc {
                Some(Documented::Schema(schema)) => match spec::compile(schema) {
                    Err(e) => {
                        note(&mut problems, format!("the export's schema does not compile: {e}"));
                        "SCHEMA ERROR".to_string()
                    }
                    Ok(v) => {
                        for o in &obs {
                            for (at, msg) in spec::errors(&v, &o.body) {
                                match allowed(&op.export, &name, &at, &msg, &o.body) {
                                    Some(why) => {
                                        accepted.insert(why);
                                    }
                                    None => note(
                                        &mut problems,
                                        format!("{at}: {msg} (e.g. {} {})", o.method, o.url),
                                    ),
                                }
                            }
                        }
                        format!("schema ok ({} call{})", obs.len(), if obs.len() == 1 { "" } else { "s" })
                    }
                },
                Some(Documented::Examples(examples)) => {
                    for o in &obs {
                        let diffs = best_diff(examples, &o.body);
                        for (at, what) in diffs {
                            match allowed(&op.export, &name, &at, &what, &o.body) {
                                Some(why) => {
                                    accepted.insert(why);
                                }
                                None => note(
                                    &mut problems,
                                    format!("{at}: {what} vs the export's example (e.g. {})", o.url),
                                ),
                            }
                        }
                    }
                    "example shape ok".to_string()
                }
                Some(Documented::Nothing) | None => {
                    // Undocumented here: at least Lean's error envelope for errors.
                    for o in obs.iter().filter(|o| o.status >= 400) {
                        for k in ["status", "message", "timestamp"] {
                            if o.body.get(k).is_none() {
                                note(
                                    &mut problems,
                                    format!("error body lacks {k}: {} (e.g. {})", o.body, o.url),
                                );
                            }
                        }
                    }
                    if doc.is_some() { "documented without body" } else { "status not in export" }.to_string()
                }
            };
            let verdict = if !problems.is_empty() {
                "FAIL".to_string()
            } else if !accepted.is_empty() {
                let ids: Vec<String> = accepted.iter().map(|i| format!("A{}", i + 1)).collect();
                format!("{verdict}, allowed deviation {}", ids.join(" "))
            } else {
                verdict
            };
            println!("{:<24} {:<66} {:>6}  {verdict}", op.export, name, status);
            used_allowed.extend(accepted);
            for (p, n) in problems {
                let p = if n > 1 { format!("{p} [{n}×]") } else { p };
                println!("{:<24}   {p}", "");
                failures.push(format!("{} {name} {status}: {p}", op.export));
            }
        }
    }
    println!("\nAllowed deviations (see the README's \"Known deviations\"):");
    for (i, a) in ALLOWED.iter().enumerate() {
        let mark = if used_allowed.contains(&i) { "" } else { " (not hit in this run)" };
        println!("  A{}: {} {} {}: {}{mark}", i + 1, a.export, a.op, a.at, a.why);
    }
    let extra: BTreeSet<&str> =
        log.iter().map(|o| o.template.as_str()).filter(|t| !used.contains(t)).collect();
    for t in extra {
        println!("(no export defines {t}: not validated)");
    }
}

fn best_diff(examples: &[Value], body: &Value) -> Vec<(String, String)> {
    examples
        .iter()
        .map(|e| {
            let mut d = Vec::new();
            spec::shape_diff(e, body, "", &mut d);
            d
        })
        .min_by_key(Vec::len)
        .unwrap_or_default()
}

fn load_samples(dir: &Path) -> BTreeMap<String, Vec<(String, Value)>> {
    assert!(
        dir.is_dir(),
        "Lean's webhook samples are missing: {} does not exist. {EXPORTS_VAR} must name the folder that \
         holds Lean's openapi/*.yml and webhooks/*.json.",
        dir.display()
    );
    let mut out: BTreeMap<String, Vec<(String, Value)>> = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "json") {
            let v: Value = serde_json::from_slice(&std::fs::read(&p).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            let ty = v["type"].as_str().unwrap_or_else(|| panic!("{} has no type", p.display())).to_string();
            out.entry(ty).or_default().push((p.file_name().unwrap().to_string_lossy().to_string(), v));
        }
    }
    assert!(!out.is_empty(), "no webhook samples in {}", dir.display());
    out
}

/// The payloads printed in Lean's integration guides, by event type: the repository's
/// `tests/fixtures/lean-webhooks/seed-*.json`. They are the only word Lean gives on types without a
/// published sample (`entity.reconnected`, `results.ready`).
fn guide_payloads() -> BTreeMap<String, Value> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/lean-webhooks");
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with("seed-") && name.ends_with(".json") {
            let v: Value = serde_json::from_slice(&std::fs::read(&p).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            out.insert(v["type"].as_str().unwrap().to_string(), v["payload"].clone());
        }
    }
    assert!(out.contains_key("entity.reconnected"), "no guide payloads in {}", dir.display());
    out
}

fn check_webhooks(
    samples: &BTreeMap<String, Vec<(String, Value)>>,
    guides: &BTreeMap<String, Value>,
    hooks: &[Value],
    wanted: &[&str],
    failures: &mut Vec<String>,
) {
    println!("\n{:<38} {:>5}  verdict", "webhook type", "sent");
    let mut by_type: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for h in hooks {
        by_type.entry(h["type"].as_str().unwrap_or("<no type>").to_string()).or_default().push(h);
    }
    for w in wanted {
        if !by_type.contains_key(*w) {
            failures.push(format!("webhook {w}: never sent during the flows"));
        }
    }
    for (ty, sent) in &by_type {
        let mut problems = Vec::new();
        let mut accepted: BTreeSet<usize> = BTreeSet::new();
        for h in sent {
            // The envelope, for every type.
            for k in ["type", "message", "timestamp", "event_id"] {
                if !h[k].is_string() {
                    problems.push(format!("envelope: {k} is not a string"));
                }
            }
            if !h["payload"].is_object() {
                problems.push("envelope: payload is not an object".into());
            }
            if let Some(t) = h["timestamp"].as_str() {
                if chrono::DateTime::parse_from_rfc3339(t).is_err() {
                    problems.push(format!("envelope: timestamp {t} is not RFC 3339"));
                }
            }
            if let Some(id) = h["event_id"].as_str() {
                if uuid::Uuid::parse_str(id).is_err() {
                    problems.push(format!("envelope: event_id {id} is not a UUID"));
                }
            }
            // The shape of the real samples of that type (the closest one, when there are several).
            if let Some(ss) = sample_for(samples, ty) {
                let examples: Vec<Value> = ss.iter().map(|(_, v)| v.clone()).collect();
                for (at, what) in best_diff(&examples, h) {
                    let hit = WEBHOOK_ALLOWED.iter().position(|(t, p, when, _)| {
                        t == ty && at.ends_with(p) && when.is_none_or(|(k, v)| h["payload"][k] == v)
                    });
                    match hit {
                        Some(i) => {
                            accepted.insert(i);
                        }
                        None => problems.push(format!("{at}: {what}")),
                    }
                }
            } else if let Some(payload) = guides.get(ty.as_str()) {
                // No published sample: the guide's payload, key for key.
                let mut diffs = Vec::new();
                spec::shape_diff(payload, &h["payload"], "/payload", &mut diffs);
                problems.extend(diffs.into_iter().map(|(at, what)| format!("{at}: {what} (Lean's guide)")));
            }
        }
        problems.sort();
        problems.dedup();
        let base = match sample_for(samples, ty) {
            Some(ss) => format!(
                "sample shape ({})",
                ss.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>().join(", ")
            ),
            None if guides.contains_key(ty.as_str()) => "payload of Lean's guide".to_string(),
            None => "envelope only (no sample)".to_string(),
        };
        let verdict = if !problems.is_empty() {
            "FAIL".to_string()
        } else if accepted.is_empty() {
            format!("{base} ok")
        } else {
            let ids: Vec<String> = accepted.iter().map(|i| format!("W{}", i + 1)).collect();
            format!("{base} ok, allowed deviation {}", ids.join(" "))
        };
        println!("{ty:<38} {:>5}  {verdict}", sent.len());
        for p in problems {
            println!("{:<38}   {p}", "");
            failures.push(format!("webhook {ty}: {p}"));
        }
    }
    for ty in samples.keys().filter(|t| !by_type.contains_key(*t)) {
        println!("{ty:<38} {:>5}  sample exists; the sandbox does not send this type", 0);
    }
    println!("\nAllowed webhook deviations:");
    for (i, (t, p, when, why)) in WEBHOOK_ALLOWED.iter().enumerate() {
        let when = when.map(|(k, v)| format!(" when payload.{k} = {v}")).unwrap_or_default();
        println!("  W{}: {t} {p}{when}: {why}", i + 1);
    }
}

/// Event types documented as having the same payload as another type that has a sample
/// (REFERENCE §8.5): they are compared with that type's samples.
const SAME_SHAPE: &[(&str, &str)] = &[
    ("entity.updated", "entity.created"),
    ("payment_source.beneficiary.updated", "payment_source.beneficiary.created"),
];

fn sample_for<'a>(
    samples: &'a BTreeMap<String, Vec<(String, Value)>>,
    ty: &str,
) -> Option<&'a Vec<(String, Value)>> {
    samples
        .get(ty)
        .or_else(|| SAME_SHAPE.iter().find(|(t, _)| *t == ty).and_then(|(_, other)| samples.get(*other)))
}
