use crate::common::{entity_created, TestApp, ADMIN_EMAIL, CLIENT_SECRET, WEBHOOK_SECRET};

#[tokio::test]
async fn diagnostics_are_for_admins_and_never_show_secrets() {
    let app = TestApp::spawn().await;
    let (status, _) = app.call(&app.browser(), "diagnostics", &[]).await;
    assert_eq!(status, 401);

    let user = app.browser();
    let (_, customer) = app.sign_up(&user, "ann@example.com").await;
    let (status, _) = app.call(&user, "diagnostics", &[]).await;
    assert_eq!(status, 403);
    let page = user.get(format!("{}/diagnostics", app.url)).send().await.unwrap();
    assert_eq!(page.status(), 403);
    assert!(page.text().await.unwrap().contains("Only administrators"));

    assert_eq!(app.post_signed(&entity_created("ev-d", "ent-d", &customer)).await, 200);
    let (status, _) = app.call(&user, "catch_up_now", &[]).await;
    assert_eq!(status, 403);
    let admin = app.browser();
    app.sign_up(&admin, ADMIN_EMAIL).await;
    let (status, counts) = app.call(&admin, "catch_up_now", &[]).await;
    assert_eq!(status, 200, "{counts}");
    assert_eq!(counts[1], 0, "the embedded sandbox delivered everything; nothing was missing");
    let (status, report) = app.call(&admin, "diagnostics", &[]).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["database"]["ok"], true);
    assert_eq!(report["lean"]["ok"], true, "{report}");
    assert_eq!(report["lean_env"], "embedded");
    assert_eq!(report["webhook_url"], format!("{}/webhooks/lean", app.url));
    assert_eq!(report["redirect_urls"][0], format!("{}/open-finance/success", app.url));
    assert_eq!(report["last_webhook"]["event_id"], "ev-d");
    let page = admin.get(format!("{}/diagnostics", app.url)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Register in Lean"));
    let everything = format!("{report}{page}");
    for secret in [CLIENT_SECRET, WEBHOOK_SECRET] {
        assert!(!everything.contains(secret));
    }
    app.stop().await;
}
