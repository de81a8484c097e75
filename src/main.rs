use std::process::ExitCode;

use clap::Parser;
use lean_merchant::server::cli::{self, Cli, Command, WebhookAction};
use lean_merchant::server::{Application, Config};

fn main() -> ExitCode {
    keep_large_allocations_returnable();
    // Server rendering walks deeply nested view types; debug builds of the larger pages need more than
    // the default 2 MiB of stack per worker thread.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(8 * 1024 * 1024)
        .build()
        .expect("tokio runtime");
    runtime.block_on(run())
}

/// glibc raises its mmap threshold each time a large block is freed, so after the first password hash
/// (argon2 takes 19 MiB) such blocks came from the per-thread arenas and stayed there once freed: with
/// 34 MB of live heap the process held over 200 MB. A fixed threshold keeps large blocks in their own
/// mappings, which go back to the system when freed. Called before any thread starts, as glibc asks.
fn keep_large_allocations_returnable() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only adjusts allocator settings; no other thread exists yet.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

async fn run() -> ExitCode {
    let cli = Cli::parse();
    lean_merchant::server::observe::init_logging();

    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("lean-merchant cannot start: {e}");
            eprintln!("See .env.example for every setting and its meaning.");
            std::process::exit(2);
        }
    };
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {}
        Command::Check => return cli::check(&config).await,
        Command::Webhook { action: WebhookAction::Send { event_type, to, customer_id, entity_id } } => {
            return cli::webhook_send(&config, &event_type, to, customer_id, entity_id).await;
        }
    }
    let app = match Application::build(config).await {
        Ok(app) => app,
        Err(e) => {
            eprintln!("lean-merchant cannot start: {e:#}");
            std::process::exit(1);
        }
    };
    if let Err(e) = app.run_until(shutdown_signal()).await {
        eprintln!("lean-merchant stopped with an error: {e:#}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}
