//! The two processes of a soak run: a standalone lean-sandbox, and the release app pointed at it
//! as a remote Lean (so killing the app leaves the sandbox, its retries and its log alive).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::{Child, Command};

use crate::app::{APP_TOKEN, CLIENT_SECRET, WEBHOOK_SECRET};

/// Kept per process for the error message when something goes wrong.
const LOG_LIMIT: usize = 256 * 1024;

pub struct Proc {
    child: Child,
    pub pid: u32,
    /// What it printed after "… listening on ", i.e. its base URL.
    pub url: String,
    logs: Arc<Mutex<String>>,
}

impl Proc {
    /// Spawns `cmd` and waits until it prints `ready` followed by its URL.
    async fn start(mut cmd: Command, ready: &'static str, what: &str) -> Result<Proc> {
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("start {what}"))?;
        let pid = child.id().ok_or_else(|| anyhow!("{what} has no pid"))?;
        let logs = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = tokio::sync::oneshot::channel();
        collect(child.stdout.take().expect("piped"), logs.clone(), Some((ready, tx)));
        collect(child.stderr.take().expect("piped"), logs.clone(), None);
        let url = match tokio::time::timeout(Duration::from_secs(60), rx).await {
            Ok(Ok(url)) => url,
            _ => bail!("{what} did not start:\n{}", logs.lock().unwrap()),
        };
        Ok(Proc { child, pid, url, logs })
    }

    pub fn logs(&self) -> String {
        self.logs.lock().unwrap().clone()
    }

    /// SIGKILL: no shutdown code runs, as in a crash.
    pub async fn kill9(mut self) -> Result<()> {
        self.child.start_kill()?;
        self.child.wait().await?;
        Ok(())
    }

    /// SIGINT, the graceful way (both binaries stop on Ctrl-C and flush what they hold).
    pub async fn stop(mut self) -> Result<()> {
        let _ = std::process::Command::new("kill").arg("-INT").arg(self.pid.to_string()).status();
        if tokio::time::timeout(Duration::from_secs(30), self.child.wait()).await.is_err() {
            self.child.start_kill()?;
            self.child.wait().await?;
            bail!("pid {} did not stop on SIGINT within 30 s", self.pid);
        }
        Ok(())
    }
}

/// Appends the stream's lines to `logs`; the first line starting with `ready` sends the rest of it.
fn collect(
    stream: impl AsyncRead + Unpin + Send + 'static,
    logs: Arc<Mutex<String>>,
    mut ready: Option<(&'static str, tokio::sync::oneshot::Sender<String>)>,
) {
    tokio::spawn(async move {
        let mut lines = BufReader::new(stream).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            if let Some(url) = ready.as_ref().and_then(|(prefix, _)| line.strip_prefix(prefix)) {
                let url = url.trim().to_owned();
                if let Some((_, tx)) = ready.take() {
                    let _ = tx.send(url);
                }
            }
            let mut l = logs.lock().unwrap();
            if l.len() < LOG_LIMIT {
                l.push_str(&line);
                l.push('\n');
            }
        }
    });
}

/// A loopback port nobody is using right now. The app must come back on the same one, since the
/// sandbox keeps POSTing to the webhook URL it was given.
pub fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// The standalone sandbox with the bench's fixed credentials, delivering to `webhook_url`.
pub async fn sandbox(bin: &Path, state: &Path, webhook_url: &str, retry_scale: f64) -> Result<Proc> {
    let mut cmd = Command::new(bin);
    cmd.env("RUST_LOG", "lean_sandbox=warn")
        .args(["--port", "0", "--state"])
        .arg(state)
        .args(["--webhook-url", webhook_url, "--retry-scale", &retry_scale.to_string()])
        .args(["--app-token", APP_TOKEN, "--client-secret", CLIENT_SECRET])
        .args(["--webhook-secret", WEBHOOK_SECRET]);
    Proc::start(cmd, "lean-sandbox listening on ", "lean-sandbox").await
}

/// How the app is started, the same way both times.
pub struct AppSpec {
    pub bin: PathBuf,
    pub site: PathBuf,
    pub port: u16,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub sandbox_url: String,
}

/// The release app as a black box, talking to the standalone sandbox as it would to Lean's own
/// sandbox: `LEAN_ENV=sandbox` with the API, auth and loader URLs overridden.
pub async fn app(spec: &AppSpec) -> Result<Proc> {
    let mut cmd = Command::new(&spec.bin);
    cmd.env("RUST_LOG", "warn")
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{}", spec.port))
        .env("LEPTOS_SITE_ROOT", &spec.site)
        .env("LEPTOS_OUTPUT_NAME", "lean-merchant")
        .env("DATA_DIR", &spec.data_dir)
        .env("DATABASE_URL", &spec.database_url)
        .env("LEAN_ENV", "sandbox")
        .env("LEAN_API_URL", &spec.sandbox_url)
        .env("LEAN_AUTH_URL", &spec.sandbox_url)
        .env(
            "LEAN_LINK_LOADER_URL",
            format!("{}/link/loader/prod/ae/latest/lean-link-loader.min.js", spec.sandbox_url),
        )
        .env("LEAN_APP_TOKEN", APP_TOKEN)
        .env("LEAN_CLIENT_SECRET", CLIENT_SECRET)
        .env("LEAN_WEBHOOK_SECRET", WEBHOOK_SECRET)
        // The app reads .env from its working directory; the temp dir has none.
        .current_dir(&spec.data_dir);
    Proc::start(cmd, "lean-merchant listening on ", "lean-merchant").await
}
