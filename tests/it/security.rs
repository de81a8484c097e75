//! The security suite: each defence tried as an attacker would, failing if anything gets through.
//! Cross-site posts to every state-changing endpoint, password guessing, a sign-in flood with the
//! server's memory measured, one user's view of another's console, unsigned webhook floods, oversized
//! fields, and what a leaked session row is worth. (The quick-navigation CSP check is a browser test:
//! end2end/tests/security.spec.ts.)

use std::time::Duration;

use serde_json::{json, Value};

use crate::common::{entity_created, eventually, TestApp, ADMIN_EMAIL};

const PASSWORD: &str = "correct horse battery";

/// Every server function the app registers, by path.
fn server_function_paths() -> Vec<String> {
    let mut paths: Vec<String> =
        leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path.to_owned()).collect();
    paths.sort();
    paths.dedup();
    assert!(paths.len() > 30, "the registry lists the app's server functions: {paths:?}");
    paths
}

#[tokio::test]
async fn cross_site_posts_to_every_state_changing_endpoint_are_refused() {
    let app = TestApp::spawn().await;
    let victim = app.browser();
    let (victim_id, _) = app.sign_up(&victim, "victim@example.com").await;
    let attacker = app.browser();
    app.sign_up(&attacker, "attacker@example.com").await;

    // A page on another site posts a form (or fetches) with the victim's cookies: the browser says
    // where it comes from, by Fetch Metadata or, in older browsers, Origin alone.
    let forged = [
        vec![("sec-fetch-site", "cross-site"), ("origin", "https://evil.example")],
        vec![("sec-fetch-site", "same-site"), ("origin", "https://sub.evil.example")],
        vec![("origin", "https://evil.example")],
        vec![("origin", "null")],
    ];
    for path in server_function_paths() {
        for headers in &forged {
            let mut req = victim
                .post(format!("{}{path}", app.url))
                .header("accept", "text/html")
                .header("referer", "https://evil.example/")
                .form(&[("email", "attacker@example.com"), ("password", PASSWORD), ("event_id", "x")]);
            for (k, v) in headers {
                req = req.header(*k, *v);
            }
            let res = req.send().await.unwrap();
            assert_eq!(res.status(), 403, "{path} with {headers:?}");
            assert!(res.text().await.unwrap().contains("another website"), "{path}: a plain message");
        }
    }
    // Nothing got through: the victim is still signed in as themselves (no login CSRF, no sign-out).
    let (_, me) = app.call(&victim, "current_user", &[]).await;
    assert_eq!(me["id"], victim_id.as_str(), "{me}");

    // The same requests from the app's own pages pass, with JavaScript and without.
    let (status, _) = app.call(&victim, "list_entities", &[]).await;
    assert_eq!(status, 200);
    let res = victim
        .post(format!("{}/api/list_entities", app.url))
        .header("sec-fetch-site", "same-origin")
        .header("origin", app.url.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let no_js = app.browser();
    let res = no_js
        .post(format!("{}/api/sign_in", app.url))
        .header("sec-fetch-site", "same-origin")
        .header("origin", app.url.as_str())
        .header("accept", "text/html")
        .header("referer", format!("{}/signin", app.url))
        .form(&[("email", "victim@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
    let (_, me) = app.call(&no_js, "current_user", &[]).await;
    assert_eq!(me["id"], victim_id.as_str());

    // A forged console action and sandbox control from another site change nothing either.
    let res = victim
        .post(format!("{}/api/sandbox_clear", app.url))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);

    // Lean's webhooks stay reachable from anywhere: their signature is their authentication.
    let body = entity_created("ev-cross", "ent-cross", "cust-x");
    let res = reqwest::Client::new()
        .post(format!("{}/webhooks/lean", app.url))
        .header("sec-fetch-site", "cross-site")
        .header("origin", "https://lean.example")
        .header(
            "lean-signature",
            lean_merchant::server::webhooks::signature::sign(crate::common::WEBHOOK_SECRET.as_bytes(), &body),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    app.stop().await;
}

async fn sign_in_as(
    app: &TestApp,
    client: &reqwest::Client,
    email: &str,
    password: &str,
    lang: &str,
) -> reqwest::Response {
    client
        .post(format!("{}/api/sign_in", app.url))
        .header("accept-language", lang)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn guessing_a_password_is_throttled_per_account_in_both_languages() {
    let app = TestApp::spawn().await;
    let ann = app.browser();
    app.sign_up(&ann, "ann@example.com").await;

    let guesser = app.browser();
    let mut refused = None;
    for attempt in 1..=10 {
        let res = sign_in_as(&app, &guesser, "ann@example.com", &format!("guess-{attempt}"), "en").await;
        match res.status().as_u16() {
            401 => assert!(attempt <= 6, "attempt {attempt} was still checked"),
            429 => {
                refused = Some(res);
                break;
            }
            other => panic!("attempt {attempt}: {other}"),
        }
    }
    let res = refused.expect("guessing is throttled");
    let wait: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "Retry-After {wait}");
    let body: Value = res.json().await.unwrap();
    assert!(body.to_string().contains("TooManyAttempts"), "{body}");

    // Even the right password waits now: a refusal says nothing about the guess.
    let res = sign_in_as(&app, &app.browser(), "ann@example.com", PASSWORD, "en").await;
    assert_eq!(res.status(), 429);
    // The page shows it in plain words, in the reader's language (a form posted without JavaScript
    // comes back to the sign-in page with the reason).
    let arabic = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let res = arabic
        .post(format!("{}/api/sign_in", app.url))
        .header("accept", "text/html")
        .header("referer", format!("{}/signin", app.url))
        .form(&[("email", "ann@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let back = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(back.starts_with("/signin?error=too-many-"), "{back}");
    let page = arabic
        .get(format!("{}{back}", app.url))
        .header("accept-language", "ar")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("محاولات كثيرة جدًا"), "the Arabic page says why");
    let page = arabic.get(format!("{}{back}", app.url)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Too many attempts"), "the English page says why");

    // Another account from the same address is not locked by Ann's.
    let bob = app.browser();
    app.sign_up(&bob, "bob@example.com").await;
    assert_eq!(sign_in_as(&app, &app.browser(), "bob@example.com", PASSWORD, "en").await.status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn an_address_trying_many_accounts_is_throttled_and_forwarded_for_counts_only_from_a_trusted_proxy() {
    // Directly connected: X-Forwarded-For is the client's own words and changes nothing.
    let app = TestApp::spawn().await;
    let client = app.browser();
    let mut throttled_at = None;
    let started = std::time::Instant::now();
    for i in 0..40 {
        let res = client
            .post(format!("{}/api/sign_in", app.url))
            .header("x-forwarded-for", format!("198.51.100.{i}"))
            .form(&[("email", format!("user{i}@example.com").as_str()), ("password", "whatever-it-is")])
            .send()
            .await
            .unwrap();
        if res.status() == 429 {
            throttled_at = Some(i);
            break;
        }
        assert_eq!(res.status(), 401);
    }
    // The allowance refills one attempt every 2 s, so a slow machine gets one more per 2 s spent.
    let refilled = (started.elapsed().as_secs() / 2) as usize;
    let at = throttled_at.expect("a spoofed X-Forwarded-For does not buy a fresh allowance");
    assert!((30..=30 + refilled).contains(&at), "throttled after {at} attempts, {refilled} refilled");
    app.stop().await;

    // Behind a trusted proxy, each client address has its own allowance.
    let app = TestApp::spawn_with(&[("TRUSTED_PROXIES", "127.0.0.1")]).await;
    let client = app.browser();
    let attempt = |from: &'static str, i: usize| {
        let req = client
            .post(format!("{}/api/sign_in", app.url))
            .header("x-forwarded-for", format!("6.6.6.6, {from}"))
            .form(&[("email", format!("user{i}@example.com")), ("password", "whatever-it-is".into())]);
        async move { req.send().await.unwrap().status().as_u16() }
    };
    let started = std::time::Instant::now();
    for i in 0..30 {
        assert_eq!(attempt("203.0.113.7", i).await, 401);
    }
    let mut extra = 0;
    while attempt("203.0.113.7", 30 + extra).await != 429 {
        extra += 1;
        let refilled = (started.elapsed().as_secs() / 2) as usize;
        assert!(extra <= refilled, "not throttled after {} attempts, {refilled} refilled", 30 + extra);
    }
    assert_eq!(attempt("203.0.113.8", 32).await, 401, "another client behind the proxy is not affected");
    app.stop().await;
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_flood_keeps_memory_bounded_and_pages_answer() {
    const FLOOD: usize = 48;
    // Each attempt from its own address (behind a trusted proxy), so throttling lets every one reach
    // the password hasher: the bound on concurrent hashes is what is tested.
    let app = TestApp::spawn_with(&[("TRUSTED_PROXIES", "127.0.0.1")]).await;
    let user = app.browser();
    app.sign_up(&user, "flooded@example.com").await;
    let before = rss_kib();
    let peak = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(before));
    let sampler = {
        let peak = peak.clone();
        tokio::spawn(async move {
            loop {
                peak.fetch_max(rss_kib(), std::sync::atomic::Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let flood: Vec<_> = (0..FLOOD)
        .map(|i| {
            let req = reqwest::Client::new()
                .post(format!("{}/api/sign_in", app.url))
                .header("x-forwarded-for", format!("10.9.{}.{}", i / 200, i % 200 + 1))
                .form(&[("email", "flooded@example.com"), ("password", "not-the-password")]);
            tokio::spawn(async move { req.send().await.map(|r| r.status().as_u16()) })
        })
        .collect();
    // While the flood is on, other pages still answer.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let page = reqwest::Client::new().get(format!("{}/signin", app.url)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let mut statuses = Vec::new();
    for task in flood {
        statuses.push(task.await.unwrap().expect("every request is answered"));
    }
    sampler.abort();
    // Each is refused plainly: a wrong password, the per-account limit, or "busy, try again".
    assert!(statuses.iter().all(|s| [401, 429, 503].contains(s)), "{statuses:?}");
    let grew_mib = peak.load(std::sync::atomic::Ordering::Relaxed).saturating_sub(before) / 1024;
    // Unbounded, 48 argon2 hashes at once would take about 19 MiB each (over 900 MiB); bounded to
    // the cores, a few of them. The allowance covers other tests running in this process meanwhile.
    assert!(grew_mib < 300, "the server grew by {grew_mib} MiB during the flood");
    app.stop().await;
}

#[tokio::test]
async fn each_user_sees_only_their_own_console_and_admins_see_everything() {
    let app = TestApp::spawn().await;
    let ann = app.browser();
    let (_, ann_customer) = app.sign_up(&ann, "ann@example.com").await;
    let bob = app.browser();
    let (_, bob_customer) = app.sign_up(&bob, "bob@example.com").await;
    let admin = app.browser();
    app.sign_up(&admin, ADMIN_EMAIL).await;

    assert_eq!(app.post_signed(&entity_created("ev-ann", "ent-ann", &ann_customer)).await, 200);
    assert_eq!(app.post_signed(&entity_created("ev-bob", "ent-bob", &bob_customer)).await, 200);
    assert_eq!(app.post_webhook(b"{\"event_id\":\"ev-forged\",\"type\":\"x\"}", None).await, 401);
    // Ann's own Lean calls (her launch mints a token for her customer).
    let (status, _) = app.call(&ann, "launch_connect", &[]).await;
    assert_eq!(status, 200);

    let ids = |log: &Value| -> Vec<String> {
        log["webhooks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["event_id"].as_str().unwrap().to_owned())
            .collect()
    };
    let (status, bobs) = app.call(&bob, "console_log", &[]).await;
    assert_eq!(status, 200, "{bobs}");
    assert_eq!(bobs["everyone"], false);
    assert_eq!(ids(&bobs), ["ev-bob"], "Bob sees his own webhook and nobody else's");
    assert!(!bobs.to_string().contains(&ann_customer), "nothing of Ann's reaches Bob: {bobs}");
    let (_, anns) = eventually(|| async {
        let (s, log) = app.call(&ann, "console_log", &[]).await;
        log["calls"].as_array().is_some_and(|c| !c.is_empty()).then_some((s, log))
    })
    .await;
    assert_eq!(ids(&anns), ["ev-ann"]);
    assert!(
        !bobs["calls"].as_array().unwrap().iter().any(|c| anns["calls"].as_array().unwrap().contains(c)),
        "Ann's calls are hers"
    );
    // Bob cannot replay Ann's event: to him it does not exist.
    let (status, _) = app.call(&bob, "replay_webhook", &[("event_id", "ev-ann")]).await;
    assert_eq!(status, 404);

    let (_, all) = app.call(&admin, "console_log", &[]).await;
    assert_eq!(all["everyone"], true);
    let all_ids = ids(&all);
    for id in ["ev-ann", "ev-bob", "ev-forged"] {
        assert!(all_ids.contains(&id.to_owned()), "the admin sees {id}: {all_ids:?}");
    }
    assert_eq!(all["refused_total"], 1);
    app.stop().await;
}

#[tokio::test]
async fn a_flood_of_unsigned_webhooks_costs_no_database_write_and_is_counted() {
    let app = TestApp::spawn().await;
    let admin = app.browser();
    app.sign_up(&admin, ADMIN_EMAIL).await;
    let count = || async {
        use sqlx::Row;
        sqlx::query("SELECT COUNT(*) FROM webhook_events")
            .fetch_one(&app.state.db)
            .await
            .unwrap()
            .try_get::<i64, _>(0)
            .unwrap()
    };
    let stored_before = count().await;
    for i in 0..300 {
        let body = json!({"event_id": format!("junk-{i}"), "type": "entity.created", "payload": {}});
        let sig = if i % 2 == 0 { None } else { Some("sha512=00".to_owned()) };
        assert_eq!(app.post_webhook(body.to_string().as_bytes(), sig).await, 401);
    }
    assert_eq!(count().await, stored_before, "nothing stored");
    let (_, log) = app.call(&admin, "console_log", &[]).await;
    assert_eq!(log["refused_total"], 300, "every refusal is counted");
    let listed = log["webhooks"].as_array().unwrap().iter().filter(|w| w["status"] == "rejected").count();
    assert!((1..=50).contains(&listed), "a bounded sample is listed: {listed}");
    app.stop().await;
}

#[tokio::test]
async fn oversized_input_gets_a_clear_error_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let ann = app.browser();
    app.sign_up(&ann, "ann@example.com").await;
    let flows = || async {
        use sqlx::Row;
        sqlx::query("SELECT COUNT(*) FROM flow_attempts")
            .fetch_one(&app.state.db)
            .await
            .unwrap()
            .try_get::<i64, _>(0)
            .unwrap()
    };
    let record = |data: Value| {
        let req = ann
            .post(format!("{}/api/record_flow_outcome", app.url))
            .header("content-type", "application/json")
            .body(json!({"method": "connect", "data": data}).to_string());
        async move {
            let res = req.send().await.unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };
    let long = "x".repeat(5000);
    for field in ["lean_correlation_id", "message", "exit_point", "secondary_status", "last_api_response"] {
        let (status, body) = record(json!({"status": "ERROR", field: long})).await;
        assert_eq!(status, 400, "{field}: {body}");
        assert!(body.contains("too long") || body.contains("Too long") || body.contains("long"), "{body}");
    }
    let (status, _) = record(json!({"status": "ERROR", "bank": {"bank_identifier": long}})).await;
    assert_eq!(status, 400);
    assert_eq!(flows().await, 0, "nothing stored half-way");

    // A body far past any field's bound is refused before it is read.
    let res = ann
        .post(format!("{}/api/save_customer_name", app.url))
        .form(&[("name", "y".repeat(400_000))])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    let res = reqwest::Client::new()
        .post(format!("{}/webhooks/lean", app.url))
        .body(vec![b'{'; 400_000])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);

    // A user's stored history is capped: the newest outcomes are kept, and each method's newest too
    // (the payments page shows the last address check however many flows came after it).
    let res = ann
        .post(format!("{}/api/record_flow_outcome", app.url))
        .header("content-type", "application/json")
        .body(
            json!({"method": "verifyAddress", "data": {"status": "SUCCESS", "lean_correlation_id": "v-1"}})
                .to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    for i in 0..210 {
        let (status, body) =
            record(json!({"status": "CANCELLED", "lean_correlation_id": format!("c-{i}")})).await;
        assert_eq!(status, 200, "{body}");
    }
    assert_eq!(flows().await, lean_merchant::server::db::flow_attempts::KEPT_PER_USER + 1);
    let (_, recent) = app.call(&ann, "recent_flows", &[]).await;
    assert_eq!(recent[0]["lean_correlation_id"], "c-209");
    let (_, last) = app.call(&ann, "last_flow", &[("method", "verifyAddress")]).await;
    assert_eq!(last["lean_correlation_id"], "v-1", "{last}");
    let (status, _) = app.call(&ann, "last_flow", &[("method", "bogus")]).await;
    assert_eq!(status, 400);
    app.stop().await;
}

#[tokio::test]
async fn a_leaked_session_row_does_not_sign_anyone_in() {
    use sha2::{Digest, Sha256};
    use sqlx::Row;
    let app = TestApp::spawn().await;
    let client = reqwest::Client::new();
    let res = client
        .post(format!("{}/api/sign_up", app.url))
        .form(&[("email", "ann@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("lean_merchant_session="))
        .expect("a session cookie")
        .to_owned();
    let id = cookie.trim_start_matches("lean_merchant_session=").split(';').next().unwrap().to_owned();
    let me = |value: String| {
        let req = client.post(format!("{}/api/current_user", app.url)).header("cookie", value);
        async move { req.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    assert_eq!(me(format!("lean_merchant_session={id}")).await["email"], "ann@example.com");

    let rows = sqlx::query("SELECT id, data FROM sessions").fetch_all(&app.state.db).await.unwrap();
    assert_eq!(rows.len(), 1);
    let (row_id, data): (String, String) = (rows[0].try_get(0).unwrap(), rows[0].try_get(1).unwrap());
    assert_eq!(row_id, hex::encode(Sha256::digest(id.as_bytes())), "stored under the id's hash");
    assert!(!data.contains(&id) && row_id != id, "the id itself is stored nowhere");
    assert!(me(format!("lean_merchant_session={row_id}")).await.is_null(), "the row's key is no cookie");
    app.stop().await;
}

#[tokio::test]
async fn cookies_are_secure_over_https_behind_a_trusted_proxy_and_only_then() {
    let sign_up = |app: &TestApp, email: &'static str, proto: Option<&'static str>| {
        let mut req = reqwest::Client::new()
            .post(format!("{}/api/sign_up", app.url))
            .form(&[("email", email), ("password", PASSWORD)]);
        if let Some(p) = proto {
            req = req.header("x-forwarded-proto", p);
        }
        async move {
            let res = req.send().await.unwrap();
            res.headers()
                .get_all("set-cookie")
                .iter()
                .map(|v| v.to_str().unwrap().to_owned())
                .find(|c| c.starts_with("lean_merchant_session="))
                .expect("a session cookie")
        }
    };
    let direct = TestApp::spawn().await;
    assert!(!sign_up(&direct, "a@example.com", None).await.contains("Secure"));
    assert!(
        !sign_up(&direct, "b@example.com", Some("https")).await.contains("Secure"),
        "a client's own X-Forwarded-Proto is not believed"
    );
    direct.stop().await;

    let proxied = TestApp::spawn_with(&[("TRUSTED_PROXIES", "127.0.0.1")]).await;
    assert!(sign_up(&proxied, "c@example.com", Some("https")).await.contains("; Secure"));
    assert!(!sign_up(&proxied, "d@example.com", Some("http")).await.contains("Secure"));
    proxied.stop().await;

    let https = TestApp::spawn_with(&[("PUBLIC_URL", "https://127.0.0.1:9")]).await;
    assert!(sign_up(&https, "e@example.com", None).await.contains("; Secure"));
    https.stop().await;
}
