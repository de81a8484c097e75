//! The binary's commands: `serve` (the default), `check`, and `webhook send`.

use std::process::ExitCode;

use chrono::{SecondsFormat, Utc};
use clap::{Parser, Subcommand};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{json, Value};

use super::config::{Config, LeanTarget};
use super::db;
use super::diagnostics;
use super::lean::LeanClient;
use super::webhooks::signature;

#[derive(Parser)]
#[command(name = "lean-merchant", version, about = "Reference merchant app for Lean's Link SDK")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the app (the default).
    Serve,
    /// Check settings, the database and Lean credentials; print what to register in Lean's dashboard.
    Check,
    /// Webhook tools.
    Webhook {
        #[command(subcommand)]
        action: WebhookAction,
    },
}

#[derive(Subcommand)]
pub enum WebhookAction {
    /// Sign a realistic test webhook with the configured secret, exactly as Lean signs, and POST it.
    Send {
        /// Event type, e.g. entity.created (run with --help to list them).
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(SAMPLE_TYPES))]
        event_type: String,
        /// Where to send it; default: this app's own /webhooks/lean.
        #[arg(long)]
        to: Option<String>,
        /// Lean customer id to put in the payload.
        #[arg(long)]
        customer_id: Option<String>,
        /// Entity id to put in the payload.
        #[arg(long)]
        entity_id: Option<String>,
    },
}

/// The webhook secret and api credentials, wherever this configuration keeps them.
struct Credentials {
    app_token: String,
    client_secret: SecretString,
    webhook_secret: SecretString,
}

fn credentials(config: &Config) -> anyhow::Result<Option<Credentials>> {
    Ok(match &config.lean {
        LeanTarget::Remote(r) => Some(Credentials {
            app_token: r.app_token.clone(),
            client_secret: r.client_secret.clone(),
            webhook_secret: r.webhook_secret.clone(),
        }),
        LeanTarget::Embedded { state_path, app_token, client_secret, webhook_secret, .. } => {
            let stored = lean_sandbox::stored_credentials(state_path)?;
            let pick = |given: &Option<SecretString>, stored: Option<String>| {
                given.clone().or(stored.map(SecretString::from))
            };
            let app = app_token.clone().or(stored.as_ref().map(|s| s.app_token.clone()));
            let client = pick(client_secret, stored.as_ref().map(|s| s.client_secret.clone()));
            let hook = pick(webhook_secret, stored.map(|s| s.webhook_secret));
            match (app, client, hook) {
                (Some(app_token), Some(client_secret), Some(webhook_secret)) => {
                    Some(Credentials { app_token, client_secret, webhook_secret })
                }
                _ => None,
            }
        }
    })
}

/// `lean-merchant webhook send`
pub async fn webhook_send(
    config: &Config,
    event_type: &str,
    to: Option<String>,
    customer_id: Option<String>,
    entity_id: Option<String>,
) -> ExitCode {
    let creds = match credentials(config) {
        Ok(Some(c)) => c,
        Ok(None) => {
            eprintln!("No webhook secret yet: start the app once (it creates the embedded sandbox's) or set LEAN_WEBHOOK_SECRET.");
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("Cannot read the sandbox state: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let Some(body) = sample_event(event_type, customer_id.as_deref(), entity_id.as_deref()) else {
        eprintln!("Unknown event type {event_type}; choose one of: {}", SAMPLE_TYPES.join(", "));
        return ExitCode::FAILURE;
    };
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    let url = to.unwrap_or_else(|| format!("{}/webhooks/lean", config.base_url()));
    let sig = signature::sign(creds.webhook_secret.expose_secret().as_bytes(), &bytes);
    let res = reqwest::Client::new()
        .post(&url)
        .header("content-type", "application/json")
        .header("lean-signature", sig)
        .body(bytes)
        .send()
        .await;
    match res {
        Ok(r) => {
            println!("POST {url} → {} (event_id {})", r.status(), body["event_id"].as_str().unwrap_or(""));
            if r.status().as_u16() == 200 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("Could not reach {url}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `lean-merchant check`: every line says OK or what to fix; secrets are reported as set or not set.
pub async fn check(config: &Config) -> ExitCode {
    let db = db::connect(&config.database_url).await.map_err(|e| format!("{e:#}"));
    // In embedded mode the sandbox is started briefly on a free port, so this works with the app down.
    let mut embedded = None;
    let endpoints = match &config.lean {
        LeanTarget::Remote(r) => Some((r.api_url.clone(), r.auth_url.clone())),
        LeanTarget::Embedded { state_path, app_token, client_secret, webhook_secret, .. } => {
            let started = lean_sandbox::Sandbox::start(lean_sandbox::SandboxConfig {
                addr: ([127, 0, 0, 1], 0).into(),
                state_path: state_path.clone(),
                app_token: app_token.clone(),
                client_secret: client_secret.as_ref().map(|s| s.expose_secret().to_owned()),
                webhook_secret: webhook_secret.as_ref().map(|s| s.expose_secret().to_owned()),
                webhook_url: None,
                retry_scale: 1.0,
                public_url: None,
            })
            .await;
            match started {
                Ok(sb) => {
                    let base = sb.base_url();
                    embedded = Some(sb);
                    Some((base.clone(), base))
                }
                Err(e) => {
                    eprintln!("The embedded sandbox did not start: {e:#}");
                    None
                }
            }
        }
    };
    let lean = match (endpoints, credentials(config), db.as_ref()) {
        (Some((api, auth)), Ok(Some(c)), Ok(db)) => {
            Some(LeanClient::new(&api, &auth, &c.app_token, c.client_secret, db.clone()))
        }
        _ => None,
    };
    let report = diagnostics::report(config, db.as_ref().map_err(Clone::clone), lean.as_ref()).await;
    if let Some(sb) = embedded {
        sb.shutdown().await;
    }

    let mark = |ok: bool| if ok { "OK  " } else { "FAIL" };
    println!("Lean environment: {}", report.lean_env);
    println!("Settings (values are never printed):");
    for s in &report.settings {
        println!("  {:<22} {}", s.name, if s.set { "set" } else { "not set (default)" });
    }
    println!("[{}] Database: {}", mark(report.database.ok), report.database.detail);
    println!("[{}] Lean: {}", mark(report.lean.ok), report.lean.detail);
    println!("Register in Lean's dashboard:");
    println!("  Webhook URL (Development → Webhooks): {}", report.webhook_url);
    for url in &report.redirect_urls {
        println!("  Redirect URL (Integration settings): {url}");
    }
    if config.public_url.is_none() && !matches!(config.lean, LeanTarget::Embedded { .. }) {
        println!("  (set PUBLIC_URL to the https address Lean can reach, e.g. a tunnel)");
    }
    match &report.last_webhook {
        Some(w) => println!("Last webhook received: {} {} at {}", w.event_type, w.event_id, w.received_at),
        None => println!("Last webhook received: none yet"),
    }
    if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

pub const SAMPLE_TYPES: &[&str] = &[
    "entity.created",
    "entity.updated",
    "entity.data.refresh.updated",
    "results.ready",
    "payment_intent.created",
    "payment.created",
    "payment.updated",
    "payment_source.created",
    "payment_source.beneficiary.created",
    "bank.availability.updated",
];

/// A payload shaped like the webhook samples Lean publishes, with fresh ids.
pub fn sample_event(event_type: &str, customer_id: Option<&str>, entity_id: Option<&str>) -> Option<Value> {
    let id = || uuid::Uuid::new_v4().to_string();
    let customer = customer_id.map(str::to_owned).unwrap_or_else(id);
    let entity = entity_id.map(str::to_owned).unwrap_or_else(id);
    let bank = json!({
        "logo": "https://cdn.leantech.me/img/banks/white-lean.png", "name": "Lean Open Finance MockBank",
        "bank_type": "RETAIL", "identifier": "LEAN_OF_RETAIL_UAE", "main_color": "#1beb75", "swift_code": null,
        "account_type": "PERSONAL", "background_color": "#ffffff"
    });
    let (message, payload) = match event_type {
        "entity.created" | "entity.updated" => (
            if event_type == "entity.created" {
                "An entity object has been created."
            } else {
                "An entity object has been updated."
            },
            json!({"id": entity, "app_user_id": "test-user", "customer_id": customer,
                   "permissions": ["identity", "accounts", "balance", "transactions"], "bank_details": bank}),
        ),
        "entity.data.refresh.updated" => (
            "An entity data refresh state has been updated.",
            json!({"status": "FINISHED", "entity_id": entity, "refresh_id": id(), "app_user_id": "test-user",
                   "customer_id": customer, "data_status": {"accounts": "OK", "identity": "OK", "account_data": []}}),
        ),
        "results.ready" => ("Your results are ready.", json!({"id": id()})),
        "payment_intent.created" => (
            "Payment intent created",
            json!({"amount": 10, "reason": "testing", "status": "INTENT_CREATED", "currency": "AED",
                   "metadata": null, "intent_id": id()}),
        ),
        "payment.created" | "payment.updated" => (
            if event_type == "payment.created" {
                "A payment object has been created."
            } else {
                "A payment object has been updated."
            },
            json!({"id": id(), "amount": 25, "reason": "testing",
                   "status": if event_type == "payment.created" { "PENDING_WITH_BANK" } else { "ACCEPTED_BY_BANK" },
                   "currency": "AED", "metadata": null, "intent_id": id(), "customer_id": customer,
                   "payment_destination_id": id(), "bank_transaction_reference": format!("payment-{}", id())}),
        ),
        "payment_source.created" => (
            "A payment source was pre-authorized by your customer.",
            json!({"id": id(), "customer_id": customer, "status": "AWAITING_BENEFICIARY_COOL_OFF",
                   "bank_identifier": "LEAN_MB1", "bank_name": "Lean Mockbank", "end_user_id": null}),
        ),
        "payment_source.beneficiary.created" => (
            "A beneficiary was added for a payment source.",
            json!({"id": id(), "customer_id": customer, "payment_source_id": id(), "payment_destination_id": id(),
                   "status": "AWAITING_BENEFICIARY_COOL_OFF", "payment_source_bank_identifier": "LEAN_MB1"}),
        ),
        "bank.availability.updated" => (
            "The bank status has been updated.",
            json!({"identifier": "LEAN_MB1",
                   "availability": {"active": {"payments": true, "data": true}, "enabled": {"payments": true, "data": true}}}),
        ),
        _ => return None,
    };
    Some(json!({
        "type": event_type,
        "message": message,
        "payload": payload,
        "timestamp": Utc::now().to_rfc3339_opts(SecondsFormat::Nanos, true),
        "event_id": id(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_type_has_a_sample_with_the_envelope() {
        for t in SAMPLE_TYPES {
            let e = sample_event(t, Some("c"), Some("e")).expect("sample");
            assert_eq!(e["type"], *t);
            for key in ["message", "payload", "timestamp", "event_id"] {
                assert!(!e[key].is_null(), "{t} lacks {key}");
            }
        }
        assert!(sample_event("nope", None, None).is_none());
    }
}
