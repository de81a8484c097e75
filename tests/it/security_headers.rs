use crate::common::TestApp;

#[tokio::test]
async fn pages_get_a_nonce_csp_for_the_lean_hosts_and_everything_gets_safe_headers() {
    let app = TestApp::spawn().await;
    let res = reqwest::get(format!("{}/signin", app.url)).await.unwrap();
    let h = res.headers().clone();
    let csp = h["content-security-policy"].to_str().unwrap().to_owned();
    let html = res.text().await.unwrap();
    let nonce =
        csp.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).expect("a nonce in script-src");
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "the page's scripts carry the header's nonce");
    assert!(csp.contains(&format!("frame-src 'self' {}", app.sandbox_url)), "{csp}");
    assert!(
        csp.contains(&format!("script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval' {}", app.sandbox_url))
    );
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(
        !csp.contains("'unsafe-eval'") && !csp.contains("'unsafe-inline' 'wasm"),
        "no script eval or inline"
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "strict-origin-when-cross-origin");
    assert_eq!(h["x-frame-options"], "DENY");

    // A second page load gets a different nonce.
    let again = reqwest::get(format!("{}/signin", app.url)).await.unwrap();
    assert_ne!(again.headers()["content-security-policy"].to_str().unwrap(), csp);

    for res in [
        reqwest::Client::new().post(format!("{}/api/current_user", app.url)).send().await.unwrap(),
        reqwest::Client::new().post(format!("{}/webhooks/lean", app.url)).body("{}").send().await.unwrap(),
        reqwest::get(format!("{}/healthz", app.url)).await.unwrap(),
    ] {
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
        assert_eq!(res.headers()["content-security-policy"], "default-src 'none'; frame-ancestors 'none'");
    }
    app.stop().await;
}

#[tokio::test]
async fn every_answer_carries_a_request_id_and_a_proxy_s_plain_id_is_kept() {
    let app = TestApp::spawn().await;
    let http = reqwest::Client::new();
    let id_of = |res: &reqwest::Response| {
        res.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
    };
    let fresh = http.get(format!("{}/healthz", app.url)).send().await.unwrap();
    let fresh = id_of(&fresh);
    assert!(uuid::Uuid::parse_str(&fresh).is_ok(), "a fresh id is a UUID: {fresh:?}");

    let kept =
        http.get(format!("{}/healthz", app.url)).header("x-request-id", "lb-7f3a.9").send().await.unwrap();
    assert_eq!(id_of(&kept), "lb-7f3a.9", "a proxy's id follows the request through");

    for forged in ["a b c", "x".repeat(65).as_str(), "{\"level\":\"ERROR\"}"] {
        let res =
            http.get(format!("{}/healthz", app.url)).header("x-request-id", forged).send().await.unwrap();
        let id = id_of(&res);
        assert!(uuid::Uuid::parse_str(&id).is_ok(), "{forged:?} is replaced, not logged: {id:?}");
    }
    // Server functions and the webhook endpoint get one too.
    let res = http.post(format!("{}/webhooks/lean", app.url)).body("{}").send().await.unwrap();
    assert_eq!(res.status(), 401);
    assert!(uuid::Uuid::parse_str(&id_of(&res)).is_ok());
    app.stop().await;
}
