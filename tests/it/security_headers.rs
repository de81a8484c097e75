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
