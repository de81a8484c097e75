//! Bounded fuzzing over HTTP: random bodies and signatures at the webhook endpoint, and random form
//! input at every server function the app registers, signed in and not. Nothing may panic or answer
//! 500, and the app must still work afterwards. Cases come from a fixed seed, so a failure repeats.

use std::collections::BTreeSet;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

use crate::common::{entity_created, eventually, TestApp};
use lean_merchant::server::webhooks::signature;

const CASES_PER_FUNCTION: usize = 12;
const WEBHOOK_CASES: usize = 150;

fn sample<S: Strategy>(strategy: S, n: usize, runner: &mut TestRunner) -> Vec<S::Value> {
    (0..n).map(|_| strategy.new_tree(runner).expect("strategy").current()).collect()
}

/// Argument names of every `#[server]` function in src/api, read from the source so a new function
/// is fuzzed with its real field names without anyone listing them here.
fn argument_names() -> Vec<String> {
    let mut names = BTreeSet::new();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
    for entry in std::fs::read_dir(dir).expect("src/api") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("read");
        for (at, _) in text.match_indices("#[server") {
            let Some(fn_at) = text[at..].find("pub async fn ") else { continue };
            let rest = &text[at + fn_at..];
            let (Some(open), Some(close)) = (rest.find('('), rest.find(") ->")) else { continue };
            for arg in rest[open + 1..close].split(',') {
                if let Some((name, _)) = arg.split_once(':') {
                    let name = name.trim();
                    if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                        names.insert(name.to_owned());
                    }
                }
            }
        }
    }
    names.into_iter().collect()
}

fn form_strategy(names: Vec<String>) -> impl Strategy<Value = Vec<(String, String)>> {
    let key = prop_oneof![
        6 => proptest::sample::select(names),
        1 => "[a-z_\\[\\]]{1,16}",
    ];
    let value = prop_oneof![
        Just(String::new()),
        "[ -~]{0,40}",
        "-?[0-9]{0,12}(\\.[0-9]{0,4})?",
        "\\PC{0,64}",
        "[A-Z]{2}[0-9]{2}[A-Z0-9]{0,30}",
        Just("x".repeat(20_000)),
        Just("../../etc/passwd".to_owned()),
        Just("<script>alert(1)</script>".to_owned()),
        Just("' OR 1=1 --".to_owned()),
        Just("00000000-0000-0000-0000-000000000000".to_owned()),
    ];
    proptest::collection::vec((key, value), 0..6)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_functions_never_answer_500_to_any_input() {
    let app = TestApp::spawn().await;
    let signed_in = app.browser();
    app.sign_up(&signed_in, "fuzz@example.com").await;
    let anonymous = app.browser();

    let mut paths: Vec<&'static str> =
        leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path).collect();
    paths.sort();
    paths.dedup();
    // Signing out would end the fuzzing session halfway; it takes no input anyway.
    paths.retain(|p| !p.ends_with("/sign_out"));
    assert!(paths.len() > 20, "server functions found: {paths:?}");

    let names = argument_names();
    assert!(names.contains(&"entity_id".to_owned()), "{names:?}");
    let mut runner = TestRunner::deterministic();
    let mut failures = Vec::new();
    for path in &paths {
        for form in sample(form_strategy(names.clone()), CASES_PER_FUNCTION, &mut runner) {
            for client in [&signed_in, &anonymous] {
                let res =
                    client.post(format!("{}{path}", app.url)).form(&form).send().await.expect("reachable");
                let status = res.status().as_u16();
                if status >= 500 && status != 502 {
                    let body = res.text().await.unwrap_or_default();
                    let short: Vec<_> =
                        form.iter().map(|(k, v)| (k, v.chars().take(40).collect::<String>())).collect();
                    failures.push(format!("{path} {short:?} → {status} {}", &body[..body.len().min(300)]));
                }
            }
        }
    }
    assert!(failures.is_empty(), "server functions failed on input:\n{}", failures.join("\n"));

    // Still alive and still the same user.
    let (status, user) = app.call(&signed_in, "current_user", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(user["email"], "fuzz@example.com");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_webhook_endpoint_never_fails_on_any_body_or_signature() {
    let app = TestApp::spawn().await;
    let mut runner = TestRunner::deterministic();
    let json_like = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..2048),
        "\\{\"type\":\"[a-z._]{0,30}\",\"event_id\":\"[ -~]{0,40}\",\"payload\":(null|\\{\\}|\\[\\]|1|\"x\")\\}"
            .prop_map(String::into_bytes),
        "\\PC{0,300}".prop_map(String::into_bytes),
    ];
    let bodies = sample(json_like, WEBHOOK_CASES, &mut runner);
    let headers = sample("[ -~]{0,140}", WEBHOOK_CASES, &mut runner);
    for (body, header) in bodies.iter().zip(headers) {
        // Unsigned, wrongly signed: refused. Signed: accepted (and stored or marked failed).
        assert_eq!(app.post_webhook(body, None).await, 401);
        assert_eq!(app.post_webhook(body, Some(header)).await, 401);
        let signed = app
            .post_webhook(body, Some(signature::sign(crate::common::WEBHOOK_SECRET.as_bytes(), body)))
            .await;
        assert_eq!(signed, 200, "signed body {:?}", String::from_utf8_lossy(body));
    }
    // The worker survived all of that: a real event is still applied.
    let client = app.browser();
    let (_, customer) = app.sign_up(&client, "after-fuzz@example.com").await;
    assert_eq!(app.post_signed(&entity_created("evt-after-fuzz", "ent-after-fuzz", &customer)).await, 200);
    eventually(|| {
        let client = client.clone();
        let app_url = app.url.clone();
        async move {
            let res = client.post(format!("{app_url}/api/list_entities")).send().await.ok()?;
            let text = res.text().await.ok()?;
            text.contains("ent-after-fuzz").then_some(())
        }
    })
    .await;
    app.stop().await;
}
