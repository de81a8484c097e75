//! Standalone sandbox: `cargo run -p lean-sandbox -- --port 4010 [--state data/sandbox.json]
//! [--webhook-url URL] [--retry-scale 1.0] [--host 127.0.0.1] [--public-url URL]`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use anyhow::{bail, Context};
use lean_sandbox::{Sandbox, SandboxConfig};

const USAGE: &str = "usage: lean-sandbox [--port 4010] [--host 127.0.0.1] [--state data/sandbox.json] \
[--webhook-url URL] [--retry-scale 1.0] [--app-token T] [--client-secret S] [--webhook-secret W] \
[--public-url https://lean.demo.example.com]";

fn parse_args() -> anyhow::Result<SandboxConfig> {
    let mut config = SandboxConfig {
        addr: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 4010),
        state_path: PathBuf::from("data/sandbox.json"),
        app_token: None,
        client_secret: None,
        webhook_secret: None,
        webhook_url: None,
        retry_scale: 1.0,
        public_url: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            println!("{USAGE}");
            std::process::exit(0);
        }
        let value = args.next().with_context(|| format!("{flag} needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "--port" => config.addr.set_port(value.parse().context("--port must be a number")?),
            "--host" => config.addr.set_ip(value.parse().context("--host must be an IP address")?),
            "--state" => config.state_path = PathBuf::from(value),
            "--webhook-url" => config.webhook_url = Some(value),
            "--public-url" if value.starts_with("http://") || value.starts_with("https://") => {
                config.public_url = Some(value)
            }
            "--public-url" => bail!("--public-url must start with http:// or https://"),
            "--retry-scale" => {
                config.retry_scale = value.parse().context("--retry-scale must be a number")?
            }
            "--app-token" => config.app_token = Some(value),
            "--client-secret" => config.client_secret = Some(value),
            "--webhook-secret" => config.webhook_secret = Some(value),
            other => bail!("unknown argument {other}\n{USAGE}"),
        }
    }
    Ok(config)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "lean_sandbox=info".into()),
        )
        .init();
    let config = parse_args()?;
    let webhook_url = config.webhook_url.clone();
    let state_path = config.state_path.clone();
    let sandbox = Sandbox::start(config).await?;
    let creds = sandbox.credentials();
    println!("lean-sandbox listening on {}", sandbox.base_url());
    if sandbox.public_url() != sandbox.base_url() {
        println!("  browsers use:   {}", sandbox.public_url());
    }
    println!("  loader:         {}", sandbox.loader_url());
    println!("  state file:     {}", state_path.display());
    println!("  app_token:      {}", creds.app_token);
    println!("  client_secret:  {}", creds.client_secret);
    println!("  webhook_secret: {}", creds.webhook_secret);
    match webhook_url {
        Some(url) => println!("  webhooks  ->    {url}"),
        None => {
            println!("  webhooks:       not delivered (no --webhook-url); see /sandbox/deliveries")
        }
    }
    tokio::signal::ctrl_c().await?;
    println!("shutting down");
    sandbox.shutdown().await;
    Ok(())
}
