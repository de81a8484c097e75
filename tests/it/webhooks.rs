use std::time::Duration;

use crate::common::{entity_created, eventually, TestApp, WEBHOOK_SECRET};
use futures::StreamExt;
use lean_merchant::server::db::{live_events, webhook_events};
use lean_merchant::server::webhooks::signature;

async fn entities(app: &TestApp, client: &reqwest::Client) -> Vec<serde_json::Value> {
    let (status, body) = app.call(client, "list_entities", &[]).await;
    assert_eq!(status, 200, "{body}");
    body.as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn a_signed_event_is_stored_once_and_applied() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    let (user_id, customer) = app.sign_up(&browser, "ann@example.com").await;

    let body = entity_created("ev-1", "ent-1", &customer);
    assert_eq!(app.post_signed(&body).await, 200);
    let list = eventually(|| async {
        let l = entities(&app, &browser).await;
        (!l.is_empty()).then_some(l)
    })
    .await;
    assert_eq!(list[0]["id"], "ent-1");
    assert_eq!(list[0]["bank_name"], "Lean Open Finance MockBank");
    // The webhook names the bank in English only; Lean's bank list gives its Arabic name.
    assert_eq!(list[0]["bank_arabic_name"], "بنك لين التجريبي للتمويل المفتوح");
    assert_eq!(list[0]["main_color"], "#1beb75");

    // Lean redelivers (it retries, and duplicates are expected): 200, applied once.
    assert_eq!(app.post_signed(&body).await, 200);
    assert_eq!(app.post_signed(&body).await, 200);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (status, attempts) = webhook_events::status_of(&app.state.db, "ev-1").await.unwrap().unwrap();
    assert_eq!((status.as_str(), attempts), ("processed", 1));
    assert_eq!(live_events::latest_seq(&app.state.db, &user_id).await.unwrap(), 1, "one live event");
    assert_eq!(entities(&app, &browser).await.len(), 1);

    // Another user never sees it.
    let bob = app.browser();
    app.sign_up(&bob, "bob@example.com").await;
    assert!(entities(&app, &bob).await.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn bad_signatures_are_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    let (_, customer) = app.sign_up(&browser, "ann@example.com").await;
    let body = entity_created("ev-bad", "ent-bad", &customer);
    let good = signature::sign(WEBHOOK_SECRET.as_bytes(), &body);

    assert_eq!(app.post_webhook(&body, None).await, 401, "missing");
    assert_eq!(
        app.post_webhook(&body, Some(signature::sign(b"wrong secret", &body))).await,
        401,
        "wrong secret"
    );
    assert_eq!(app.post_webhook(&body, Some("sha512=nothex".into())).await, 401, "malformed");
    assert_eq!(app.post_webhook(&body, Some(good.replace("sha512=", "sha256="))).await, 401, "wrong scheme");
    let mut tampered = body.clone();
    let pos = tampered.windows(4).position(|w| w == b"Mock").unwrap();
    tampered[pos] = b'X';
    assert_eq!(app.post_webhook(&tampered, Some(good.clone())).await, 401, "tampered body");

    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(webhook_events::status_of(&app.state.db, "ev-bad").await.unwrap().is_none());
    assert!(entities(&app, &browser).await.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn malformed_and_unknown_bodies_never_break_the_endpoint() {
    let app = TestApp::spawn().await;
    let bodies: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"not json".to_vec(),
        b"[1,2,3]".to_vec(),
        b"{\"type\":\"entity.created\"}".to_vec(),
        b"{\"event_id\":\"\",\"type\":\"x\"}".to_vec(),
        vec![0xff, 0xfe, 0x00, 0x80],
        b"{\"event_id\":\"ev-weird\",\"type\":\"entity.created\",\"payload\":{\"id\":42}}".to_vec(),
    ];
    for body in &bodies {
        assert_eq!(app.post_signed(body).await, 200, "signed but malformed: stored as failed, 200");
    }
    // Unknown types are stored and acknowledged.
    let unknown = br#"{"type":"something.new","payload":{},"message":"?","timestamp":"2026-01-01T00:00:00Z","event_id":"ev-unknown"}"#;
    assert_eq!(app.post_signed(unknown).await, 200);
    let status = eventually(|| async {
        webhook_events::status_of(&app.state.db, "ev-unknown")
            .await
            .unwrap()
            .filter(|(s, _)| s != "received" && s != "processing")
    })
    .await;
    assert_eq!(status.0, "processed");
    // A payload that does not fit the type fails processing, visibly, without harm.
    let weird = eventually(|| async {
        webhook_events::status_of(&app.state.db, "ev-weird").await.unwrap().filter(|(_, n)| *n > 0)
    })
    .await;
    assert_ne!(weird.0, "processed");
    // Still serving.
    assert_eq!(app.post_webhook(b"{}", None).await, 401);
    assert_eq!(reqwest::get(format!("{}/healthz", app.url)).await.unwrap().status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn refresh_events_before_their_entity_are_tolerated() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    let (_, customer) = app.sign_up(&browser, "ann@example.com").await;
    let refresh = serde_json::to_vec(&serde_json::json!({
        "type": "entity.data.refresh.updated", "message": "x", "event_id": "ev-r1", "timestamp": "2026-01-01T00:00:00Z",
        "payload": {"status": "FINISHED", "entity_id": "ent-late", "refresh_id": "r", "customer_id": customer}
    }))
    .unwrap();
    assert_eq!(app.post_signed(&refresh).await, 200);
    let done = eventually(|| async {
        webhook_events::status_of(&app.state.db, "ev-r1").await.unwrap().filter(|(s, _)| s == "processed")
    })
    .await;
    assert_eq!(done.1, 1);
    assert_eq!(app.post_signed(&entity_created("ev-c1", "ent-late", &customer)).await, 200);
    eventually(|| async { (!entities(&app, &browser).await.is_empty()).then_some(()) }).await;
    app.stop().await;
}

/// Reads SSE events (id, data) from `/live` until `n` have arrived.
async fn read_events(res: reqwest::Response, n: usize) -> Vec<(i64, String)> {
    let mut stream = res.bytes_stream();
    let mut buf = String::new();
    let mut out = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while out.len() < n {
        let chunk = tokio::time::timeout_at(deadline, stream.next()).await.expect("events in time");
        buf.push_str(&String::from_utf8_lossy(&chunk.expect("stream open").expect("chunk")));
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            let id = block.lines().find_map(|l| l.strip_prefix("id:")).map(|v| v.trim().parse().unwrap());
            let data = block.lines().find_map(|l| l.strip_prefix("data:")).map(|v| v.trim().to_owned());
            if let (Some(id), Some(data)) = (id, data) {
                out.push((id, data));
            }
        }
    }
    out
}

#[tokio::test]
async fn live_stream_carries_only_your_events_and_resumes_from_last_event_id() {
    let app = TestApp::spawn().await;
    let ann = app.browser();
    let bob = app.browser();
    let (_, ann_customer) = app.sign_up(&ann, "ann@example.com").await;
    let (_, bob_customer) = app.sign_up(&bob, "bob@example.com").await;

    assert_eq!(reqwest::get(format!("{}/live", app.url)).await.unwrap().status(), 401);

    let stream = ann.get(format!("{}/live", app.url)).send().await.unwrap();
    assert_eq!(stream.status(), 200);
    app.post_signed(&entity_created("ev-b", "ent-b", &bob_customer)).await;
    app.post_signed(&entity_created("ev-a1", "ent-a1", &ann_customer)).await;
    let got = read_events(stream, 1).await;
    assert_eq!(got[0].0, 1);
    assert!(got[0].1.contains("ent-a1") && !got[0].1.contains("ent-b"));

    // While "disconnected", two more events happen; a reconnect with Last-Event-ID gets both, in order.
    app.post_signed(&entity_created("ev-a2", "ent-a2", &ann_customer)).await;
    app.post_signed(&entity_created("ev-a3", "ent-a3", &ann_customer)).await;
    eventually(|| async { (entities(&app, &ann).await.len() == 3).then_some(()) }).await;
    let resumed = ann.get(format!("{}/live", app.url)).header("Last-Event-ID", "1").send().await.unwrap();
    let got = read_events(resumed, 2).await;
    assert_eq!(got.iter().map(|e| e.0).collect::<Vec<_>>(), vec![2, 3]);
    assert!(got[0].1.contains("ent-a2") && got[1].1.contains("ent-a3"));
    app.stop().await;
}

/// The worker applies events that only write here together, in one transaction. An event in such a
/// batch that cannot be applied sends the rest back to being applied one by one: each good event is
/// applied once and reaches the stream once, in order, and only the bad one is marked failed.
#[tokio::test]
async fn a_bad_event_among_many_holds_back_none_of_the_others() {
    let app = TestApp::spawn().await;
    let ann = app.browser();
    let (_, customer) = app.sign_up(&ann, "ann@example.com").await;
    let stream = ann.get(format!("{}/live", app.url)).send().await.unwrap();
    assert_eq!(stream.status(), 200);
    let bad = br#"{"event_id":"ev-bad","type":"entity.created","message":"x","timestamp":"2026-01-01T00:00:00Z","payload":{"id":42}}"#;
    let mut bodies: Vec<Vec<u8>> =
        (0..20).map(|i| entity_created(&format!("ev-g{i}"), &format!("ent-g{i}"), &customer)).collect();
    bodies.insert(10, bad.to_vec());
    // Sent all at once, so the worker finds several of them pending together.
    let posts = bodies.iter().map(|body| app.post_signed(body));
    assert!(futures::future::join_all(posts).await.iter().all(|status| *status == 200));

    let got = read_events(stream, 20).await;
    let seqs: Vec<i64> = got.iter().map(|e| e.0).collect();
    assert_eq!(seqs, (1..=20).collect::<Vec<_>>(), "one live event per good webhook");
    for i in 0..20 {
        assert_eq!(got.iter().filter(|e| e.1.contains(&format!("\"ent-g{i}\""))).count(), 1, "ent-g{i}");
    }
    let bad = eventually(|| async {
        webhook_events::status_of(&app.state.db, "ev-bad").await.unwrap().filter(|(_, n)| *n > 0)
    })
    .await;
    assert_ne!(bad.0, "processed");
    for i in 0..20 {
        let (status, attempts) =
            webhook_events::status_of(&app.state.db, &format!("ev-g{i}")).await.unwrap().expect("stored");
        assert_eq!((status.as_str(), attempts), ("processed", 1), "ev-g{i}");
    }
    app.stop().await;
}

/// A page reads `live_position` before its data and opens `/live?after=` with it: whatever happened in
/// between is replayed, so the page needs no reload when its stream opens. Last-Event-ID, sent by a
/// reconnecting EventSource, takes precedence.
#[tokio::test]
async fn a_page_rendered_at_a_live_position_gets_what_happened_after_it() {
    let app = TestApp::spawn().await;
    let ann = app.browser();
    let (_, customer) = app.sign_up(&ann, "ann@example.com").await;
    let (status, _) = app.call(&app.browser(), "live_position", &[]).await;
    assert_eq!(status, 401, "signed-out callers have no position");
    assert_eq!(app.post_signed(&entity_created("ev-1", "ent-1", &customer)).await, 200);
    eventually(|| async { (entities(&app, &ann).await.len() == 1).then_some(()) }).await;
    let (status, position) = app.call(&ann, "live_position", &[]).await;
    assert_eq!((status, position.as_i64()), (200, Some(1)));

    // The page was rendered at 1; two events land before its stream opens.
    app.post_signed(&entity_created("ev-2", "ent-2", &customer)).await;
    app.post_signed(&entity_created("ev-3", "ent-3", &customer)).await;
    eventually(|| async { (entities(&app, &ann).await.len() == 3).then_some(()) }).await;
    let opened = ann.get(format!("{}/live?after=1", app.url)).send().await.unwrap();
    let got = read_events(opened, 2).await;
    assert_eq!(got.iter().map(|e| e.0).collect::<Vec<_>>(), vec![2, 3]);

    let resumed =
        ann.get(format!("{}/live?after=0", app.url)).header("Last-Event-ID", "2").send().await.unwrap();
    assert_eq!(read_events(resumed, 1).await[0].0, 3);
    // Without a position the stream starts from now, as before.
    let fresh = ann.get(format!("{}/live", app.url)).send().await.unwrap();
    app.post_signed(&entity_created("ev-4", "ent-4", &customer)).await;
    assert_eq!(read_events(fresh, 1).await[0].0, 4);
    app.stop().await;
}

#[tokio::test]
async fn the_cli_sends_a_test_webhook_signed_like_lean() {
    use lean_merchant::server::cli;
    use lean_merchant::server::config::{Config, Vars};
    let app = TestApp::spawn().await;
    let dir = app.dir.path().display().to_string();
    let config = Config::from_vars(Vars(move |k| match k {
        "DATA_DIR" => Some(dir.clone()),
        "LEAN_WEBHOOK_SECRET" => Some(WEBHOOK_SECRET.into()),
        _ => None,
    }))
    .unwrap();
    let to = Some(format!("{}/webhooks/lean", app.url));
    for t in cli::SAMPLE_TYPES {
        let code = cli::webhook_send(&config, t, to.clone(), None, None).await;
        assert_eq!(code, std::process::ExitCode::SUCCESS, "{t}");
    }
    let (kind, _, _) = webhook_events::latest(&app.state.db).await.unwrap().expect("stored");
    assert_eq!(kind, *cli::SAMPLE_TYPES.last().unwrap());
    app.stop().await;
}

#[tokio::test]
async fn nothing_acknowledged_is_lost_when_the_app_stops_right_away() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    let (_, customer) = app.sign_up(&browser, "ann@example.com").await;
    for i in 0..20 {
        let body = entity_created(&format!("ev-{i}"), &format!("ent-{i}"), &customer);
        assert_eq!(app.post_signed(&body).await, 200);
    }
    // Graceful stop straight after the acknowledgements, then start again on the same data.
    let app = app.restart().await;
    eventually(|| async { (entities(&app, &browser).await.len() == 20).then_some(()) }).await;
    for i in 0..20 {
        let (status, attempts) =
            webhook_events::status_of(&app.state.db, &format!("ev-{i}")).await.unwrap().expect("stored");
        assert_eq!(status, "processed");
        assert!(attempts >= 1);
    }
    app.stop().await;
}

#[tokio::test]
async fn only_your_own_banks_can_be_disconnected() {
    let app = TestApp::spawn().await;
    let ann = app.browser();
    let bob = app.browser();
    let (_, ann_customer) = app.sign_up(&ann, "ann@example.com").await;
    app.sign_up(&bob, "bob@example.com").await;
    app.post_signed(&entity_created("ev-x", "ent-x", &ann_customer)).await;
    eventually(|| async { (!entities(&app, &ann).await.is_empty()).then_some(()) }).await;

    let (status, _) = app.call(&bob, "disconnect_entity", &[("entity_id", "ent-x")]).await;
    assert_eq!(status, 403, "another user's entity");
    let (status, _) = app.call(&bob, "disconnect_entity", &[("entity_id", "no-such-entity")]).await;
    assert_eq!(status, 403, "unknown ids look the same as others' ids");
    assert_eq!(entities(&app, &ann).await.len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn bank_data_is_only_for_its_owner_and_inputs_are_checked() {
    let app = TestApp::spawn().await;
    let ann = app.browser();
    let bob = app.browser();
    let (_, ann_customer) = app.sign_up(&ann, "ann@example.com").await;
    app.sign_up(&bob, "bob@example.com").await;
    app.post_signed(&entity_created("ev-o", "ent-o", &ann_customer)).await;
    eventually(|| async { (!entities(&app, &ann).await.is_empty()).then_some(()) }).await;

    let (status, _) = app.call(&bob, "entity_overview", &[("entity_id", "ent-o")]).await;
    assert_eq!(status, 403);
    let (status, _) = app.call(&app.browser(), "entity_overview", &[("entity_id", "ent-o")]).await;
    assert_eq!(status, 401);
    let tx = |from: &'static str, to: &'static str, account: &'static str| {
        [("entity_id", "ent-o"), ("account_id", account), ("from", from), ("to", to), ("page", "0")]
    };
    let (status, body) = app.call(&ann, "account_transactions", &tx("2026-02-30", "2026-03-01", "a1")).await;
    assert_eq!((status, body["Invalid"]["field"].as_str()), (400, Some("from")));
    let (status, body) = app.call(&ann, "account_transactions", &tx("2026-03-02", "2026-03-01", "a1")).await;
    assert_eq!((status, body["Invalid"]["field"].as_str()), (400, Some("from")));
    let (status, body) =
        app.call(&ann, "account_transactions", &tx("2026-03-01", "2026-03-02", "../x")).await;
    assert_eq!((status, body["Invalid"]["field"].as_str()), (400, Some("account_id")));
    let (status, _) = app.call(&bob, "account_transactions", &tx("2026-03-01", "2026-03-02", "a1")).await;
    assert_eq!(status, 403);
    app.stop().await;
}

/// The inbox stores a batch in one statement; each webhook must still be stored once, and only its
/// first copy counts as new (so a redelivery inside the same batch is not applied twice).
#[tokio::test]
async fn a_batch_stores_each_event_once_and_says_which_were_new() {
    use lean_merchant::server::db::webhook_events::{insert_many, NewEvent, RECEIVED};
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    let event = |id: &str| NewEvent {
        event_id: id.to_owned(),
        event_type: "entity.created".to_owned(),
        body: format!("{{\"event_id\":\"{id}\"}}"),
        status: RECEIVED,
        error: None,
        customer_id: None,
    };
    let (a, b, c) = (event("batch-a"), event("batch-b"), event("batch-c"));
    let mut conn = db.acquire().await.unwrap();
    assert_eq!(insert_many(&mut conn, &[&a]).await.unwrap(), vec![true]);
    assert_eq!(insert_many(&mut conn, &[&b, &a, &c, &b]).await.unwrap(), vec![true, false, true, false]);
    assert_eq!(insert_many(&mut conn, &[]).await.unwrap(), Vec::<bool>::new());
    // Back to the pool, which the app closes when it stops.
    drop(conn);
    for id in ["batch-a", "batch-b", "batch-c"] {
        assert!(webhook_events::status_of(db, id).await.unwrap().is_some(), "{id} stored");
    }
    app.stop().await;
}
