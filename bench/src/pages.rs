//! Server-rendered pages: the dashboard of a signed-in user with three banks, requests/s and p99.
//! Also hands back that page's HTML, from which `sizes` learns what a browser loads with it.

use anyhow::{bail, Result};

use crate::app::{signed_up_user, App, Build, WEBHOOK_SECRET};
use crate::load::{closed_loop, Load};
use crate::webhook::{entity_created, post};
use crate::Plan;

pub async fn dashboard(build: &Build, plan: &Plan) -> Result<(Load, String)> {
    let dir = tempfile::tempdir()?;
    let app = App::start(build, dir.path(), None).await?;
    let (client, customer) = signed_up_user(&app, "pages@example.com").await?;
    let hook = reqwest::Client::new();
    for i in 0..3 {
        let body =
            entity_created(&format!("bench-entity-event-{i}"), &format!("bench-entity-{i}"), &customer);
        if !post(&hook, &app.url, WEBHOOK_SECRET, body).await {
            bail!("webhook refused");
        }
    }
    // The worker applies webhooks in the background; wait until the page shows all three.
    let mut html = String::new();
    for _ in 0..100 {
        html = client.get(format!("{}/dashboard", app.url)).send().await?.text().await?;
        if (0..3).all(|i| html.contains(&format!("bench-entity-{i}"))) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let url = format!("{}/dashboard", app.url);
    let load = closed_loop(plan.page_concurrency, plan.warmup, plan.duration, move |_| {
        let (client, url) = (client.clone(), url.clone());
        async move {
            match client.get(&url).send().await {
                Ok(res) if res.status().is_success() => res.bytes().await.is_ok(),
                _ => false,
            }
        }
    })
    .await;
    app.stop().await?;
    Ok((load, html))
}
