//! End-to-end tests: a real sandbox on 127.0.0.1:0, spoken to over HTTP only.

mod common;

use std::time::Duration;

use common::{create_customer, jwt_key, receiver, start, token, verify_signature};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::{json, Value};

fn http() -> reqwest::Client {
    reqwest::Client::new()
}

fn claims(state: &std::path::Path, token: &str) -> Value {
    let mut v = Validation::new(Algorithm::HS256);
    v.validate_aud = false;
    jsonwebtoken::decode::<Value>(token, &DecodingKey::from_secret(&jwt_key(state)), &v)
        .expect("token decodes with the persisted key")
        .claims
}

async fn error_of(resp: reqwest::Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    let body: Value = resp.json().await.expect("error body is JSON");
    for key in ["status", "message", "timestamp", "metadata"] {
        assert!(body.get(key).is_some(), "error envelope lacks {key}: {body}");
    }
    (status, body)
}

#[tokio::test]
async fn tokens_are_minted_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let sb = start(&state, None, 1.0).await;
    let c = http();
    let base = sb.base_url();
    let creds = sb.credentials();

    let health = c.get(format!("{base}/health")).send().await.unwrap();
    assert_eq!(health.status(), 200);

    // API token: Lean's response shape and claims.
    let resp = c
        .post(format!("{base}/oauth2/token"))
        .form(&[
            ("client_id", creds.app_token.as_str()),
            ("client_secret", creds.client_secret.as_str()),
            ("grant_type", "client_credentials"),
            ("scope", "api"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["scope"], "api");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3599);
    let api = body["access_token"].as_str().unwrap().to_string();
    let cl = claims(&state, &api);
    assert_eq!(cl["sub"], creds.app_token.as_str());
    assert_eq!(cl["iss"], base.as_str());
    assert_eq!(cl["applications"][0]["id"], creds.app_token.as_str());
    assert_eq!(cl["exp"].as_i64().unwrap() - cl["iat"].as_i64().unwrap(), 3600);
    assert!(cl["scope"].as_array().unwrap().contains(&json!("customer.write")));
    assert!(cl.get("customers").is_none());
    assert!(cl["jti"].is_string() && cl["nbf"].is_i64());

    // Customer token.
    let customer_id = create_customer(&c, &sb, &api, "token-user").await;
    let scope = format!("customer.{customer_id}");
    let ct = token(&c, &sb, &scope).await;
    let cl = claims(&state, &ct);
    assert_eq!(cl["customers"][0]["id"], customer_id.as_str());
    assert!(cl["scope"].as_array().unwrap().contains(&json!("connect.write")));

    // Bad secret → 401; unknown customer / bad grant / bad scope → 400.
    let form = |secret: &str, grant: &str, scope: &str| {
        vec![
            ("client_id".to_string(), creds.app_token.clone()),
            ("client_secret".to_string(), secret.to_string()),
            ("grant_type".to_string(), grant.to_string()),
            ("scope".to_string(), scope.to_string()),
        ]
    };
    let cases = [
        (form("wrong", "client_credentials", "api"), 401, "INVALID_CLIENT"),
        (
            form(&creds.client_secret, "client_credentials", "customer.6b0d4a54-6a48-4c3b-9a0c-6f1f5d6c2b11"),
            400,
            "INVALID_PARAMETERS",
        ),
        (form(&creds.client_secret, "password", "api"), 400, "INVALID_PARAMETERS"),
        (form(&creds.client_secret, "client_credentials", "everything"), 400, "INVALID_PARAMETERS"),
    ];
    for (f, http_status, code) in cases {
        let resp = c.post(format!("{base}/oauth2/token")).form(&f).send().await.unwrap();
        let (s, body) = error_of(resp).await;
        assert_eq!((s, body["status"].as_str().unwrap()), (http_status, code), "{f:?}");
    }

    // Auth failures on an API route.
    let url = format!("{base}/customers/v1/app-user-id/token-user");
    let missing = c.get(&url).send().await.unwrap();
    assert_eq!(error_of(missing).await.0, 401);
    let garbage = c.get(&url).bearer_auth("not-a-jwt").send().await.unwrap();
    assert_eq!(error_of(garbage).await.0, 401);
    let now = chrono::Utc::now().timestamp();
    let forged = |key: &[u8], exp: i64| {
        jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &json!({"sub": creds.app_token, "iss": base, "aud": base, "scope": ["customer.read"],
                    "applications": [{"id": creds.app_token}], "exp": exp, "iat": exp - 3600,
                    "nbf": exp - 3600, "jti": "x"}),
            &EncodingKey::from_secret(key),
        )
        .unwrap()
    };
    let expired = forged(&jwt_key(&state), now - 600);
    let (s, body) = error_of(c.get(&url).bearer_auth(expired).send().await.unwrap()).await;
    assert_eq!((s, body["status"].as_str().unwrap()), (401, "INVALID_TOKEN"));
    let wrong_key = forged(b"not-the-sandbox-key-not-the-sandbox-key", now + 600);
    let (s, _) = error_of(c.get(&url).bearer_auth(wrong_key).send().await.unwrap()).await;
    assert_eq!(s, 401);
    // A valid token with the persisted key is accepted (sanity check of the forgery helper).
    let ok = c.get(&url).bearer_auth(forged(&jwt_key(&state), now + 600)).send().await.unwrap();
    assert_eq!(ok.status(), 200);

    // Customer token on a backend endpoint → 403.
    let (s, body) = error_of(
        c.post(format!("{base}/customers/v1"))
            .bearer_auth(&ct)
            .json(&json!({"app_user_id": "x"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((s, body["status"].as_str().unwrap()), (403, "INCORRECT_ACCESS_LEVEL"));

    sb.shutdown().await;
}

#[tokio::test]
async fn customers_crud_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let sb = start(&dir.path().join("s.json"), None, 1.0).await;
    let c = http();
    let base = sb.base_url();
    let api = token(&c, &sb, "api").await;

    let resp = c
        .post(format!("{base}/customers/v1"))
        .bearer_auth(&api)
        .json(&json!({"app_user_id": "user-1",
                      "government_identifiers": [{"type": "EMIRATES_ID", "value": "784-1232-1232-1232"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let created: Value = resp.json().await.unwrap();
    let id = created["customer_id"].as_str().unwrap().to_string();
    assert_eq!(created["app_user_id"], "user-1");
    assert_eq!(created["government_identifiers"][0]["type"], "EMIRATES_ID");

    for url in [
        format!("{base}/customers/v1/{id}"),
        format!("{base}/customers/v1/{id}/"),
        format!("{base}/customers/v1/app-user-id/user-1"),
    ] {
        let resp = c.get(&url).bearer_auth(&api).send().await.unwrap();
        assert_eq!(resp.status(), 200, "{url}");
        let got: Value = resp.json().await.unwrap();
        assert_eq!(got["customer_id"], id.as_str());
        assert_eq!(got["app_user_id"], "user-1");
    }

    // Duplicate → 409 with Lean's exact message.
    let (s, body) = error_of(
        c.post(format!("{base}/customers/v1/"))
            .bearer_auth(&api)
            .json(&json!({"app_user_id": "user-1"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 409);
    assert_eq!(body["status"], "CUSTOMER_ALREADY_EXISTS");
    assert_eq!(body["message"], "A customer already exists for the app_user_id you have provided.");
    assert!(body["metadata"].is_null());

    // Unknown → 404.
    for url in [
        format!("{base}/customers/v1/6b0d4a54-6a48-4c3b-9a0c-6f1f5d6c2b11"),
        format!("{base}/customers/v1/app-user-id/nobody"),
    ] {
        let (s, body) = error_of(c.get(&url).bearer_auth(&api).send().await.unwrap()).await;
        assert_eq!((s, body["status"].as_str().unwrap()), (404, "CUSTOMER_NOT_FOUND"));
    }

    // Validation → 400.
    let long = "x".repeat(256);
    for bad in [
        json!({}),
        json!({"app_user_id": ""}),
        json!({"app_user_id": long}),
        json!({"app_user_id": 5}),
        json!({"app_user_id": "ok", "government_identifiers": [{"type": "PASSPORT", "value": "1"}]}),
    ] {
        let resp = c.post(format!("{base}/customers/v1")).bearer_auth(&api).json(&bad).send().await.unwrap();
        assert_eq!(error_of(resp).await.0, 400, "{bad}");
    }
    let resp = c
        .post(format!("{base}/customers/v1"))
        .bearer_auth(&api)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(resp).await.0, 400);

    // Listing uses Lean's page envelope.
    let list: Value = c
        .get(format!("{base}/customers/v1/?page_number=0&page_size=50"))
        .bearer_auth(&api)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["page"]["total_elements"], 1);

    // Unknown routes use the error envelope too.
    let (s, body) = error_of(c.get(format!("{base}/nope")).send().await.unwrap()).await;
    assert_eq!((s, body["status"].as_str().unwrap()), (404, "INVALID_URL"));

    sb.shutdown().await;
}

#[tokio::test]
async fn banks_and_link_assets_are_served() {
    let dir = tempfile::tempdir().unwrap();
    let sb = start(&dir.path().join("s.json"), None, 1.0).await;
    let c = http();
    let base = sb.base_url();
    let api = token(&c, &sb, "api").await;
    let customer = create_customer(&c, &sb, &api, "bank-user").await;
    let ct = token(&c, &sb, &format!("customer.{customer}")).await;

    for tok in [&api, &ct] {
        let banks: Value =
            c.get(format!("{base}/banks/v1/")).bearer_auth(tok).send().await.unwrap().json().await.unwrap();
        let banks = banks.as_array().unwrap();
        assert!(banks.len() >= 4);
        let of =
            banks.iter().find(|b| b["identifier"] == "LEAN_OF_RETAIL_UAE").expect("open finance mock bank");
        assert!(of["traits"].as_array().unwrap().contains(&json!("auth-redirect")));
        assert_eq!(of["mock"], true);
        assert!(banks.iter().any(|b| b["country_code"] == "SAU"));
        assert!(banks.iter().any(|b| b["bank_type"] == "SME"));
        let logo = of["logo"].as_str().unwrap();
        assert!(logo.starts_with(&base));
        let svg = c.get(logo).send().await.unwrap();
        assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    }
    let unauth = c.get(format!("{base}/banks/v1")).send().await.unwrap();
    assert_eq!(unauth.status(), 401);

    let loader = c.get(sb.loader_url()).send().await.unwrap();
    assert_eq!(loader.status(), 200);
    let js = loader.text().await.unwrap();
    assert!(js.contains("window.LeanV2") && js.contains("captureRedirect"));
    let v2 = c.get(format!("{base}/link/sdk/web/v2/prod/ae/latest/Lean.min.js")).send().await.unwrap();
    assert_eq!(v2.text().await.unwrap(), js);
    let page = c.get(format!("{base}/link/lean-sdk.html?method=connect")).send().await.unwrap();
    assert!(page.text().await.unwrap().contains("/link/assets/ui.js"));

    // KSA: Lean's `/prod/sa/` paths serve the same script, which tells Link it runs for Saudi banks.
    let ksa = sb.loader_url_in(lean_sandbox::Region::Ksa);
    assert!(ksa.ends_with("/link/loader/prod/sa/latest/lean-link-loader.min.js"), "{ksa}");
    assert_eq!(sb.loader_url_in(lean_sandbox::Region::Uae), sb.loader_url());
    for path in
        ["/link/loader/prod/sa/latest/lean-link-loader.min.js", "/link/sdk/web/v2/prod/sa/latest/Lean.min.js"]
    {
        let res = c.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/javascript"));
        assert_eq!(res.text().await.unwrap(), js, "{path}");
    }
    assert!(js.contains("/prod\\/sa\\/") && js.contains("\"country\", \"sa\""));
    let page = c
        .get(format!("{base}/link/loader/prod/sa/latest/lean-sdk.html?method=connect"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let ui = c.get(format!("{base}/link/assets/ui.js")).send().await.unwrap().text().await.unwrap();
    assert!(ui.contains("/banks/v1?country_codes=SAU"));
    let saudi: Value = c
        .get(format!("{base}/banks/v1?country_codes=SAU"))
        .bearer_auth(&ct)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let saudi = saudi.as_array().unwrap();
    assert!(!saudi.is_empty() && saudi.iter().all(|b| b["country_code"] == "SAU"), "{saudi:?}");

    sb.shutdown().await;
}

/// Lean's SDK takes `access_token` as optional: without one, the Link UI opens a session from the
/// app token and the customer (or the intent's or the reconnect's customer), for that customer only.
#[tokio::test]
async fn link_sessions_open_without_an_access_token_for_one_customer() {
    let dir = tempfile::tempdir().unwrap();
    let sb = start(&dir.path().join("s.json"), None, 1.0).await;
    let c = http();
    let base = sb.base_url();
    let api = token(&c, &sb, "api").await;
    let ann = create_customer(&c, &sb, &api, "ann").await;
    let bob = create_customer(&c, &sb, &api, "bob").await;
    let app_token = sb.credentials().app_token;
    let open = |body: Value| {
        let req = c.post(format!("{base}/link/api/token")).json(&body);
        async move {
            let r = req.send().await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    let (s, v) = open(json!({"customer_id": ann})).await;
    assert_eq!((s, v["status"].as_str()), (400, Some("MISSING_PARAMETERS")), "{v}");
    let (s, v) = open(json!({"app_token": "someone-else", "customer_id": ann})).await;
    assert_eq!((s, v["status"].as_str()), (400, Some("INVALID_PARAMETERS")), "{v}");
    let (s, v) = open(json!({"app_token": app_token})).await;
    assert_eq!((s, v["status"].as_str()), (400, Some("MISSING_PARAMETERS")), "{v}");
    let (s, v) =
        open(json!({"app_token": app_token, "customer_id": "00000000-0000-4000-8000-000000000000"})).await;
    assert_eq!((s, v["status"].as_str()), (404, Some("CUSTOMER_NOT_FOUND")), "{v}");
    let (s, v) =
        open(json!({"app_token": app_token, "reconnect_id": "00000000-0000-4000-8000-000000000000"})).await;
    assert_eq!((s, v["status"].as_str()), (400, Some("INVALID_PARAMETERS")), "{v}");

    let (s, v) = open(json!({"app_token": app_token, "customer_id": ann})).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["customer_id"], ann.as_str());
    let session = v["access_token"].as_str().unwrap().to_owned();
    let check = |customer: &str| {
        c.get(format!("{base}/link/api/session?customer_id={customer}&app_token={app_token}"))
            .bearer_auth(&session)
            .send()
    };
    assert_eq!(check(&ann).await.unwrap().status(), 200);
    // Ann's session is not Bob's, and it opens none of the backend API.
    assert_eq!(check(&bob).await.unwrap().status(), 401);
    let res = c.get(format!("{base}/customers/v1/")).bearer_auth(&session).send().await.unwrap();
    assert_eq!(res.status(), 403);

    // pay and checkout name no customer: the intent's is used.
    let (_, dest) = {
        let r = c
            .post(format!("{base}/payments/v1/destinations"))
            .bearer_auth(&api)
            .json(&json!({"name": "Acme Trading", "display_name": "Acme", "country": "ARE",
                "iban": "AE070331234567890123456"}))
            .send()
            .await
            .unwrap();
        (r.status(), r.json::<Value>().await.unwrap())
    };
    let intent: Value = c
        .post(format!("{base}/payments/v1/intents"))
        .bearer_auth(&api)
        .json(&json!({"customer_id": bob, "amount": 10, "currency": "AED", "payment_destination_id": dest["id"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let intent_id = intent["payment_intent_id"].as_str().expect("intent created").to_owned();
    let (s, v) = open(json!({"app_token": app_token, "payment_intent_id": intent_id})).await;
    assert_eq!((s, v["customer_id"].as_str()), (200, Some(bob.as_str())), "{v}");
    let (s, v) =
        open(json!({"app_token": app_token, "payment_intent_id": "00000000-0000-4000-8000-000000000000"}))
            .await;
    assert_eq!(s, 404, "{v}");
    sb.shutdown().await;
}

async fn link_post(c: &reqwest::Client, base: &str, path: &str, ct: &str, body: Value) -> (u16, Value) {
    let resp = c.post(format!("{base}{path}")).bearer_auth(ct).json(&body).send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap())
}

#[tokio::test]
async fn otp_connect_creates_entity_and_signed_webhooks() {
    let (rx, url) = receiver(0).await;
    let dir = tempfile::tempdir().unwrap();
    let sb = start(&dir.path().join("s.json"), Some(url), 1.0).await;
    let c = http();
    let base = sb.base_url();
    let api = token(&c, &sb, "api").await;
    let customer = create_customer(&c, &sb, &api, "otp-user").await;
    let other = create_customer(&c, &sb, &api, "someone-else").await;
    let ct = token(&c, &sb, &format!("customer.{customer}")).await;

    // The session check the Link UI runs first.
    let session = c
        .get(format!("{base}/link/api/session?customer_id={customer}"))
        .bearer_auth(&ct)
        .send()
        .await
        .unwrap();
    assert_eq!(session.status(), 200);
    let mismatch =
        c.get(format!("{base}/link/api/session?customer_id={other}")).bearer_auth(&ct).send().await.unwrap();
    let (s, body) = error_of(mismatch).await;
    assert_eq!((s, body["status"].as_str().unwrap()), (401, "INVALID_TOKEN"));

    let login = |otp: Option<&str>, password: &str| {
        json!({"customer_id": customer, "bank_identifier": "LEAN_MB1", "username": "user_otp",
               "password": password, "otp": otp})
    };
    let (_, r) = link_post(&c, &base, "/link/api/login", &ct, login(None, "wrong")).await;
    assert_eq!(r["status"], "INVALID_CREDENTIALS");
    let (_, r) = link_post(&c, &base, "/link/api/login", &ct, login(None, "pass_otp")).await;
    assert_eq!(r["status"], "MFA_REQUIRED");
    let (_, r) = link_post(&c, &base, "/link/api/login", &ct, login(Some("0000"), "pass_otp")).await;
    assert_eq!(r["status"], "INVALID_MFA");
    let (_, r) = link_post(&c, &base, "/link/api/login", &ct, login(Some("1111"), "pass_otp")).await;
    assert_eq!(r["status"], "OK");

    let connect = |customer_id: &str, otp: &str| {
        json!({"customer_id": customer_id, "bank_identifier": "LEAN_MB1", "username": "user_otp",
               "password": "pass_otp", "otp": otp,
               "permissions": ["identity", "accounts", "balance", "transactions"]})
    };
    // A token for one customer cannot connect another.
    let (s, _) = link_post(&c, &base, "/link/api/connect", &ct, connect(&other, "1111")).await;
    assert_eq!(s, 401);
    let (_, r) = link_post(&c, &base, "/link/api/connect", &ct, connect(&customer, "2222")).await;
    assert_eq!(r["status"], "INVALID_MFA");
    let (s, r) = link_post(&c, &base, "/link/api/connect", &ct, connect(&customer, "1111")).await;
    assert_eq!((s, r["status"].as_str().unwrap()), (200, "OK"));
    let entity_id = r["entity_id"].as_str().unwrap().to_string();

    // The entity is visible through the API.
    let entities: Value = c
        .get(format!("{base}/customers/v1/{customer}/entities"))
        .bearer_auth(&api)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let list = entities.as_array().unwrap();
    assert_eq!(list.len(), 1);
    let e = &list[0];
    assert_eq!(e["id"], entity_id.as_str());
    assert_eq!(e["customer_id"], customer.as_str());
    assert_eq!(e["bank_identifier"], "LEAN_MB1");
    assert_eq!(e["bank_type"], "RETAIL");
    assert_eq!(e["permissions"].as_object().unwrap().len(), 9);
    assert_eq!(e["permissions"]["transactions"], true);
    assert_eq!(e["permissions"]["beneficiaries"], false);
    assert_eq!(e["consents"][0]["consent_status"], "ACTIVE");
    assert!(!e["consents"][0]["accounts"].as_array().unwrap().is_empty());
    let one = c
        .get(format!("{base}/customers/v1/{customer}/entities/{entity_id}"))
        .bearer_auth(&api)
        .send()
        .await
        .unwrap();
    assert_eq!(one.status(), 200);
    let (s, body) = error_of(
        c.get(format!("{base}/customers/v1/{other}/entities/{entity_id}"))
            .bearer_auth(&api)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((s, body["status"].as_str().unwrap()), (404, "UNKNOWN_ENTITY"));

    // Webhooks: entity.created, then refresh PENDING, then FINISHED, all signed.
    let got = rx.wait_for(3, Duration::from_secs(10)).await;
    assert_eq!(got.len(), 3, "three webhooks delivered");
    let secret = sb.credentials().webhook_secret;
    let mut types = Vec::new();
    for w in &got {
        let sig = w.signature.as_deref().expect("lean-signature header");
        assert!(verify_signature(&secret, &w.body, sig), "signature verifies");
        assert_eq!(w.content_type.as_deref(), Some("application/json"));
        let v: Value = serde_json::from_slice(&w.body).unwrap();
        assert!(uuid::Uuid::parse_str(v["event_id"].as_str().unwrap()).is_ok());
        assert!(chrono::DateTime::parse_from_rfc3339(v["timestamp"].as_str().unwrap()).is_ok());
        types.push((v["type"].as_str().unwrap().to_string(), v["payload"]["status"].clone()));
    }
    assert_eq!(types[0].0, "entity.created");
    assert_eq!(types[1], ("entity.data.refresh.updated".to_string(), json!("PENDING")));
    assert_eq!(types[2], ("entity.data.refresh.updated".to_string(), json!("FINISHED")));
    let created: Value = serde_json::from_slice(&got[0].body).unwrap();
    assert_eq!(created["message"], "An entity object has been created.");
    let p = &created["payload"];
    assert_eq!(p["id"], entity_id.as_str());
    assert_eq!(p["customer_id"], customer.as_str());
    assert_eq!(p["app_user_id"], "otp-user");
    assert_eq!(p["permissions"], json!(["identity", "accounts", "balance", "transactions"]));
    for key in [
        "logo",
        "name",
        "bank_type",
        "identifier",
        "main_color",
        "swift_code",
        "account_type",
        "background_color",
    ] {
        assert!(p["bank_details"].get(key).is_some(), "bank_details.{key}");
    }
    let finished: Value = serde_json::from_slice(&got[2].body).unwrap();
    assert_eq!(finished["payload"]["entity_id"], entity_id.as_str());
    assert_eq!(finished["payload"]["data_status"]["accounts"], "OK");
    assert!(finished["payload"]["data_status"]["account_data"].as_array().unwrap().len() >= 2);

    // Reconnecting the same bank reuses the entity and sends entity.updated.
    let (_, r) = link_post(&c, &base, "/link/api/connect", &ct, connect(&customer, "1111")).await;
    assert_eq!(r["entity_id"], entity_id.as_str());
    let got = rx.wait_for(4, Duration::from_secs(10)).await;
    let updated: Value = serde_json::from_slice(&got[3].body).unwrap();
    assert_eq!(updated["type"], "entity.updated");

    // The event log API lists them.
    let events: Value = c
        .get(format!("{base}/events/v1?page=0&size=50&type=entity.created"))
        .bearer_auth(&api)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(events["page"]["total_elements"], 1);
    assert_eq!(events["data"][0]["payload"]["id"], entity_id.as_str());

    sb.shutdown().await;
}

#[tokio::test]
async fn failing_users_and_bad_requests() {
    let dir = tempfile::tempdir().unwrap();
    let sb = start(&dir.path().join("s.json"), None, 1.0).await;
    let c = http();
    let base = sb.base_url();
    let api = token(&c, &sb, "api").await;
    let customer = create_customer(&c, &sb, &api, "fail-user").await;
    let ct = token(&c, &sb, &format!("customer.{customer}")).await;
    let body = |user: &str, pass: &str, perms: Value| {
        json!({"customer_id": customer, "bank_identifier": "LEAN_OF_RETAIL_UAE", "username": user,
               "password": pass, "permissions": perms})
    };
    let perms = json!(["accounts"]);
    for (user, pass, status) in [
        ("user_locked", "pass_locked", "EU_ACCOUNT_LOCKED"),
        ("user_bank_error", "pass_bank_error", "BANK_ISSUE"),
        ("user_simple", "nope", "INVALID_CREDENTIALS"),
        ("user_otp", "pass_otp", "MFA_REQUIRED"),
    ] {
        let (_, r) = link_post(&c, &base, "/link/api/connect", &ct, body(user, pass, perms.clone())).await;
        assert_eq!(r["status"], status, "{user}");
    }
    let (s, _) = link_post(
        &c,
        &base,
        "/link/api/connect",
        &ct,
        body("user_simple", "pass_simple", json!(["nonsense"])),
    )
    .await;
    assert_eq!(s, 400);
    let (s, _) =
        link_post(&c, &base, "/link/api/connect", &ct, body("user_simple", "pass_simple", json!([]))).await;
    assert_eq!(s, 400);
    // The API token is not a Link session token.
    let (s, _) =
        link_post(&c, &base, "/link/api/connect", &api, body("user_simple", "pass_simple", perms.clone()))
            .await;
    assert_eq!(s, 403);

    let started = std::time::Instant::now();
    let (_, r) =
        link_post(&c, &base, "/link/api/login", &ct, body("user_slow", "pass_slow", perms.clone())).await;
    assert_eq!(r["status"], "OK");
    assert!(started.elapsed() >= Duration::from_millis(1900));

    let (s, r) =
        link_post(&c, &base, "/link/api/connect", &ct, body("user_simple", "pass_simple", perms)).await;
    assert_eq!((s, r["status"].as_str().unwrap()), (200, "OK"));

    // No webhook URL: events are logged but marked not delivered.
    let log: Value = c.get(format!("{base}/sandbox/deliveries")).send().await.unwrap().json().await.unwrap();
    assert_eq!(log[0]["type"], "entity.created");
    assert_eq!(log[0]["delivery"], "NOT_DELIVERED");

    sb.shutdown().await;
}

#[tokio::test]
async fn failed_webhooks_are_retried_until_200() {
    let (rx, url) = receiver(1).await;
    let dir = tempfile::tempdir().unwrap();
    // 1 minute × 0.0005 = 30 ms before the first retry.
    let sb = start(&dir.path().join("s.json"), Some(url), 0.0005).await;
    let c = http();
    let base = sb.base_url();
    let api = token(&c, &sb, "api").await;
    let customer = create_customer(&c, &sb, &api, "retry-user").await;
    let ct = token(&c, &sb, &format!("customer.{customer}")).await;
    let (_, r) = link_post(
        &c,
        &base,
        "/link/api/connect",
        &ct,
        json!({"customer_id": customer, "bank_identifier": "LEAN_SME_MB1_UAE", "username": "user_simple",
               "password": "pass_simple", "permissions": ["accounts", "balance"]}),
    )
    .await;
    assert_eq!(r["status"], "OK");

    // First POST of entity.created gets 500, the retry 200, then the two refresh events.
    let got = rx.wait_for(4, Duration::from_secs(10)).await;
    assert_eq!(got.len(), 4);
    let kinds: Vec<String> = got
        .iter()
        .map(|w| serde_json::from_slice::<Value>(&w.body).unwrap()["type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds[0], "entity.created");
    assert_eq!(kinds[1], "entity.created");
    assert_eq!(got[0].body, got[1].body, "a retry resends the same bytes");
    assert_eq!(kinds[2], "entity.data.refresh.updated");

    let log: Value = c.get(format!("{base}/sandbox/deliveries")).send().await.unwrap().json().await.unwrap();
    let created = log.as_array().unwrap().iter().find(|e| e["type"] == "entity.created").unwrap();
    assert_eq!(created["delivery"], "DELIVERED");
    let statuses: Vec<Value> =
        created["attempts"].as_array().unwrap().iter().map(|a| a["http_status"].clone()).collect();
    assert_eq!(statuses, vec![json!(500), json!(200)]);

    sb.shutdown().await;
}

#[tokio::test]
async fn state_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("nested").join("state.json");
    let c = http();

    let sb = start(&state, None, 1.0).await;
    let creds = sb.credentials();
    let api = token(&c, &sb, "api").await;
    let customer = create_customer(&c, &sb, &api, "persist-user").await;
    let ct = token(&c, &sb, &format!("customer.{customer}")).await;
    let (_, r) = link_post(
        &c,
        &sb.base_url(),
        "/link/api/connect",
        &ct,
        json!({"customer_id": customer, "bank_identifier": "LEA1_SAMAOB_SAU", "username": "user_simple",
               "password": "pass_simple", "permissions": ["identity"]}),
    )
    .await;
    let entity_id = r["entity_id"].as_str().unwrap().to_string();
    sb.shutdown().await;

    let sb = start(&state, None, 1.0).await;
    assert_eq!(sb.credentials(), creds);
    let base = sb.base_url();
    // The token minted before the restart is still accepted.
    let got: Value = c
        .get(format!("{base}/customers/v1/{customer}"))
        .bearer_auth(&api)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(got["app_user_id"], "persist-user");
    let entities: Value = c
        .get(format!("{base}/customers/v1/{customer}/entities"))
        .bearer_auth(&api)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(entities[0]["id"], entity_id.as_str());
    assert_eq!(entities[0]["bank_identifier"], "LEA1_SAMAOB_SAU");
    sb.shutdown().await;

    // Configured credentials win over persisted ones, and are persisted.
    let sb = lean_sandbox::Sandbox::start(lean_sandbox::SandboxConfig {
        addr: "127.0.0.1:0".parse().unwrap(),
        state_path: state.clone(),
        app_token: Some("my-app".into()),
        client_secret: Some("my-secret".into()),
        webhook_secret: None,
        webhook_url: None,
        retry_scale: 1.0,
        public_url: None,
    })
    .await
    .unwrap();
    let now = sb.credentials();
    assert_eq!(now.app_token, "my-app");
    assert_eq!(now.client_secret, "my-secret");
    assert_eq!(now.webhook_secret, creds.webhook_secret);
    assert!(sb.loader_url().ends_with("/link/loader/prod/ae/latest/lean-link-loader.min.js"));
    sb.shutdown().await;
    let raw: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert_eq!(raw["application"]["app_token"], "my-app");
}
