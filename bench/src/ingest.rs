//! Webhook ingest: signed, verified, durably stored, deduplicated webhooks per second, beside a bare
//! axum handler that only answers 200; then kill -9 in the middle of a flood and count what survived.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Result;
use sqlx::Row;

use crate::app::{signed_up_user, App, Build, WEBHOOK_SECRET};
use crate::load::{closed_loop, Load};
use crate::webhook::{entity_created, post};
use crate::Plan;

pub struct Ingest {
    /// Each round's loads: the bare handler's, then the app's right after it.
    pub rounds: Vec<(Load, Load)>,
    /// Webhooks answered 200, including those in flight when the server was killed.
    pub acknowledged: usize,
    /// Of those, how many were in the database after kill -9.
    pub survived: usize,
}

/// The same bodies and signatures, sent to a handler that ignores them.
pub async fn bare(url: &str, plan: &Plan) -> Load {
    let client = reqwest::Client::new();
    let url = url.to_owned();
    closed_loop(plan.concurrency, plan.warmup, plan.duration, move |_| {
        let (client, url) = (client.clone(), url.clone());
        async move {
            let id = uuid::Uuid::new_v4().to_string();
            post(&client, &url, WEBHOOK_SECRET, entity_created(&id, &id, "bench-customer")).await
        }
    })
    .await
}

impl Ingest {
    /// The app's rate as a percentage of the bare handler's, per round.
    pub fn ratios(&self) -> Vec<f64> {
        self.rounds.iter().map(|(bare, app)| 100.0 * app.per_second() / bare.per_second()).collect()
    }

    /// The round with the median ratio: the figure quoted, with its two loads.
    pub fn median(&self) -> (f64, &Load, &Load) {
        let ratios = self.ratios();
        let mut order: Vec<usize> = (0..ratios.len()).collect();
        order.sort_by(|a, b| ratios[*a].total_cmp(&ratios[*b]));
        let i = order[order.len() / 2];
        (ratios[i], &self.rounds[i].0, &self.rounds[i].1)
    }
}

/// `plan.ingest_rounds` rounds, each with an app started afresh (on SQLite, a new database): the bare
/// handler at `bare_url` is loaded, then the app, then the app is killed with -9 during a last flood
/// and the acknowledged webhooks are looked for in its database. Each round pairs two measurements
/// taken seconds apart, so a change in the machine's speed over the run (on this shared 2-core machine
/// the bare handler alone has moved between 28,000 and 61,000 requests a second) touches both sides
/// of its ratio, and no round starts behind the previous one's backlog.
pub async fn app(build: &Build, database_url: Option<&str>, plan: &Plan, bare_url: &str) -> Result<Ingest> {
    let mut ingest = Ingest { rounds: Vec::new(), acknowledged: 0, survived: 0 };
    for _ in 0..plan.ingest_rounds.max(1) {
        let (bare_load, app_load, acknowledged, survived) =
            round(build, database_url, plan, bare_url).await?;
        ingest.rounds.push((bare_load, app_load));
        ingest.acknowledged += acknowledged;
        ingest.survived += survived;
    }
    Ok(ingest)
}

async fn round(
    build: &Build,
    database_url: Option<&str>,
    plan: &Plan,
    bare_url: &str,
) -> Result<(Load, Load, usize, usize)> {
    let dir = tempfile::tempdir()?;
    let app = App::start(build, dir.path(), database_url).await?;
    // A user of its own per round: on PostgreSQL the rounds share one database.
    let email = format!("ingest+{}@example.com", uuid::Uuid::new_v4().simple());
    let (_, customer) = signed_up_user(&app, &email).await?;
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let client = reqwest::Client::new();
    let send = {
        let (url, acked) = (app.url.clone(), acked.clone());
        move |_| {
            let (client, url, acked, customer) =
                (client.clone(), url.clone(), acked.clone(), customer.clone());
            async move {
                let event_id = uuid::Uuid::new_v4().to_string();
                let entity_id = uuid::Uuid::new_v4().to_string();
                let ok =
                    post(&client, &url, WEBHOOK_SECRET, entity_created(&event_id, &entity_id, &customer))
                        .await;
                if ok {
                    acked.lock().unwrap().push(event_id);
                }
                ok
            }
        }
    };
    let bare_load = bare(bare_url, plan).await;
    let app_load = closed_loop(plan.concurrency, plan.warmup, plan.duration, send.clone()).await;

    // A second flood, and kill -9 while it is in full swing.
    let flood = tokio::spawn(closed_loop(plan.concurrency, Duration::ZERO, Duration::from_secs(2), send));
    tokio::time::sleep(Duration::from_millis(700)).await;
    let database_url = app.database_url.clone();
    app.kill9().await?;
    let _ = flood.await;

    let acknowledged: Vec<String> = acked.lock().unwrap().clone();
    let stored = stored_event_ids(&database_url).await?;
    let survived = acknowledged.iter().filter(|id| stored.contains(*id)).count();
    Ok((bare_load, app_load, acknowledged.len(), survived))
}

async fn stored_event_ids(database_url: &str) -> Result<HashSet<String>> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(database_url).await?;
    let rows = sqlx::query("SELECT event_id FROM webhook_events").fetch_all(&pool).await?;
    pool.close().await;
    Ok(rows.iter().map(|r| r.get::<String, _>(0)).collect())
}

/// A fresh PostgreSQL database for one run, or None when no server answers on 127.0.0.1:5432.
pub async fn fresh_postgres(base: &str) -> Option<String> {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(base).await.ok()?;
    let name = format!("lm_bench_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut conn).await.ok()?;
    let (prefix, _) = base.rsplit_once('/')?;
    Some(format!("{prefix}/{name}"))
}

pub async fn drop_postgres(base: &str, url: &str) {
    use sqlx::Connection;
    let Some((_, name)) = url.rsplit_once('/') else { return };
    if let Ok(mut conn) = sqlx::AnyConnection::connect(base).await {
        let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
            .execute(&mut conn)
            .await;
    }
}
