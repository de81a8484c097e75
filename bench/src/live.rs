//! Webhook → browser: the time from POSTing a webhook to the live event arriving on Server-Sent Events
//! streams, with many streams open and webhooks arriving at a steady rate.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use futures::StreamExt;
use hdrhistogram::Histogram;

use crate::app::{signed_up_user, App, Build, WEBHOOK_SECRET};
use crate::webhook::{entity_created, post};
use crate::Plan;

pub struct Live {
    pub clients: usize,
    pub webhooks: usize,
    pub delivered: u64,
    pub expected: u64,
    pub latency: Histogram<u64>,
    pub rss_idle_kib: u64,
    pub rss_clients_kib: u64,
    /// The most the server held while the webhooks were arriving (sampled every 100 ms).
    pub rss_peak_kib: u64,
    pub users: usize,
}

pub async fn run(build: &Build, plan: &Plan) -> Result<Live> {
    let dir = tempfile::tempdir()?;
    let app = App::start(build, dir.path(), None).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_idle_kib = app.rss_kib()?;

    // Signing up hashes a password (slow on purpose); a few at a time.
    let users: Vec<(reqwest::Client, String)> = futures::stream::iter(0..plan.users)
        .map(|i| {
            let app = &app;
            async move { signed_up_user(app, &format!("live{i}@example.com")).await }
        })
        .buffered(8)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_>>()?;
    let sent: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let latency = Arc::new(Mutex::new(Histogram::<u64>::new_with_bounds(1, 60_000_000, 3)?));
    let connected = Arc::new(AtomicUsize::new(0));
    let mut readers = Vec::new();
    for i in 0..plan.sse_clients {
        // Opened a few hundred at a time, as a crowd arriving, not all in one instant (which would
        // overflow the listen queue and measure that instead).
        if i % 500 == 499 {
            while connected.load(Ordering::Relaxed) + 100 < i {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
        let (client, _) = users[i % users.len()].clone();
        let (url, sent, latency, connected) =
            (app.url.clone(), sent.clone(), latency.clone(), connected.clone());
        readers.push(tokio::spawn(async move {
            let Ok(res) = client.get(format!("{url}/live")).send().await else { return };
            if !res.status().is_success() {
                return;
            }
            connected.fetch_add(1, Ordering::Relaxed);
            let mut stream = res.bytes_stream();
            let mut buf = String::new();
            while let Some(Ok(chunk)) = stream.next().await {
                let now = Instant::now();
                buf.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = buf.find('\n') {
                    let line: String = buf.drain(..=end).collect();
                    let Some(data) = line.strip_prefix("data:") else { continue };
                    let Ok(v) = serde_json::from_str::<serde_json::Value>(data.trim()) else { continue };
                    let Some(id) = v["entity"]["id"].as_str() else { continue };
                    if let Some(at) = sent.lock().unwrap().get(id) {
                        let _ =
                            latency.lock().unwrap().record(now.duration_since(*at).as_micros().max(1) as u64);
                    }
                }
            }
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while connected.load(Ordering::Relaxed) < plan.sse_clients {
        if Instant::now() > deadline {
            bail!("only {} of {} streams connected", connected.load(Ordering::Relaxed), plan.sse_clients);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_clients_kib = app.rss_kib()?;

    // A steady rate, each webhook on its own task so a slow answer does not hold back the next.
    let client = reqwest::Client::new();
    let period = Duration::from_secs_f64(1.0 / plan.webhook_rate as f64);
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let total = (plan.webhook_rate as f64 * plan.duration.as_secs_f64()) as usize;
    let peak = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let sampler = {
        let (pid, peak) = (app.pid, peak.clone());
        tokio::spawn(async move {
            loop {
                if let Ok(kib) = crate::app::rss_kib_of(pid) {
                    peak.fetch_max(kib, Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    };
    let mut posts = Vec::with_capacity(total);
    for n in 0..total {
        tick.tick().await;
        let (_, customer) = &users[n % users.len()];
        let entity_id = uuid::Uuid::new_v4().to_string();
        let body = entity_created(&uuid::Uuid::new_v4().to_string(), &entity_id, customer);
        sent.lock().unwrap().insert(entity_id, Instant::now());
        let (client, url) = (client.clone(), app.url.clone());
        posts.push(tokio::spawn(async move { post(&client, &url, WEBHOOK_SECRET, body).await }));
    }
    for p in posts {
        let _ = p.await;
    }
    // Stragglers.
    tokio::time::sleep(Duration::from_secs(2)).await;
    sampler.abort();
    for r in &readers {
        r.abort();
    }
    let latency = latency.lock().unwrap().clone();
    let per_user = plan.sse_clients / users.len();
    app.stop().await?;
    Ok(Live {
        clients: plan.sse_clients,
        webhooks: total,
        delivered: latency.len(),
        expected: (total * per_user) as u64,
        latency,
        rss_idle_kib,
        rss_clients_kib,
        rss_peak_kib: peak.load(Ordering::Relaxed).max(rss_clients_kib),
        users: users.len(),
    })
}
