//! Server-rendered pages: the dashboard of a signed-in user with three banks, requests/s and p99.
//! Also hands back that page's HTML, from which `sizes` learns what a browser loads with it.

use anyhow::{bail, Result};

use crate::app::{signed_up_user, App, Build, WEBHOOK_SECRET};
use crate::load::{closed_loop, Load};
use crate::webhook::{entity_created, post};
use crate::Plan;

/// The dashboard as one language's reader gets it: the HTML, and the files it names that the app
/// serves itself rather than from the build's `pkg/` folder (the messages under `/i18n/`).
pub struct Dashboard {
    pub lang: &'static str,
    pub html: String,
    pub served: Vec<(String, Vec<u8>)>,
}

pub async fn dashboard(build: &Build, plan: &Plan) -> Result<(Load, Vec<Dashboard>)> {
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
    let loader = client.clone();
    let load = closed_loop(plan.page_concurrency, plan.warmup, plan.duration, move |_| {
        let (client, url) = (loader.clone(), url.clone());
        async move {
            match client.get(&url).send().await {
                Ok(res) if res.status().is_success() => res.bytes().await.is_ok(),
                _ => false,
            }
        }
    })
    .await;
    let mut pages = Vec::new();
    for lang in ["en", "ar"] {
        // Accept-Language picks the language when no `lang` cookie is set, as for a first visit.
        let html = client
            .get(format!("{}/dashboard", app.url))
            .header("accept-language", lang)
            .send()
            .await?
            .text()
            .await?;
        let mut served = Vec::new();
        for path in crate::sizes::served_refs(&html) {
            let res = client.get(format!("{}{path}", app.url)).send().await?;
            if !res.status().is_success() {
                bail!("{path} answered {}", res.status());
            }
            served.push((path, res.bytes().await?.to_vec()));
        }
        pages.push(Dashboard { lang, html, served });
    }
    if !pages[0].html.contains("bench-entity-0") {
        bail!("the dashboard did not show the bench's banks: {}", html.len());
    }
    app.stop().await?;
    Ok((load, pages))
}
