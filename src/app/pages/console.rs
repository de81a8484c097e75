use std::time::Duration;

use leptos::prelude::*;

use crate::api::console::{
    fetch_console, ConsoleCall, ConsoleWebhook, ReplayWebhook, SendTestWebhook, TEST_WEBHOOK_TYPES,
};
use crate::model::AppError;

/// How often the console asks for new rows while it is open.
const POLL: Duration = Duration::from_secs(2);

/// The developer console: what this app asked of Lean and what Lean told it, as it happens.
#[component]
pub fn ConsolePage() -> impl IntoView {
    let tick = RwSignal::new(0u32);
    let replay = ServerAction::<ReplayWebhook>::new();
    let send = ServerAction::<SendTestWebhook>::new();
    let log = Resource::new(
        move || (tick.get(), replay.version().get(), send.version().get()),
        |_| fetch_console(),
    );
    // New rows appear without a reload: the browser asks again every couple of seconds.
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(move || tick.update(|t| *t = t.wrapping_add(1)), POLL) {
            on_cleanup(move || handle.clear());
        }
    });
    let failure = move || log.get().and_then(Result::err);
    let webhooks = move || log.get().and_then(Result::ok).map(|l| l.webhooks).unwrap_or_default();
    let calls = move || log.get().and_then(Result::ok).map(|l| l.calls).unwrap_or_default();

    view! {
        <h1>"Developer console"</h1>
        <p class="muted">
            "Webhooks this app received and the calls it made to Lean, newest first; it updates by itself. "
            "Tokens, secrets and signature values are never shown."
        </p>
        <Transition fallback=|| view! { <p class="muted">"Loading the console…"</p> }>
            {move || failure().map(|e| match e {
                AppError::Forbidden => view! {
                    <p class="notice error" role="alert">"Only administrators (ADMIN_EMAILS) can open the developer console."</p>
                }.into_any(),
                e => view! { <p class="notice error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
            <Show when=move || log.get().is_some_and(|r| r.is_ok())>
                <section class="history console" data-testid="console">
                    <div class="console-head">
                        <h2>"Inbound webhooks"</h2>
                        <SendTestWebhookForm send/>
                    </div>
                    <p class="small" role="status" data-testid="replay-result">
                        {move || replay.value().get().map(|r| match r {
                            Ok(()) => "Replaying: the worker applies the webhook again; its row updates here.".to_owned(),
                            Err(e) => e.to_string(),
                        })}
                    </p>
                    <table class="table console-table" data-testid="webhooks-table">
                        <thead><tr>
                            <th scope="col">"Received"</th><th scope="col">"Type"</th><th scope="col">"Event id"</th>
                            <th scope="col">"Signature"</th><th scope="col">"Processing"</th>
                            <th scope="col"><span class="sr-only">"Actions"</span></th>
                        </tr></thead>
                        <For
                                each=webhooks
                                key=|w| (w.event_id.clone(), w.at.clone(), w.status.clone(), w.attempts)
                                children=move |w| view! { <WebhookRow w replay/> }
                            />
                    </table>
                    <Show when=move || webhooks().is_empty()>
                        <p class="muted" data-testid="no-webhooks">"No webhooks yet. Connect a bank, or send a test webhook."</p>
                    </Show>
                </section>
                <section class="history console">
                    <h2>"Outbound Lean API calls"</h2>
                    <table class="table console-table" data-testid="calls-table">
                        <thead><tr>
                            <th scope="col">"When"</th><th scope="col">"Method"</th><th scope="col">"Path"</th>
                            <th scope="col">"Status"</th><th scope="col">"Latency"</th><th scope="col">"results_id"</th>
                        </tr></thead>
                        <tbody>
                            <For
                                each=calls
                                key=|c| (c.at.clone(), c.method.clone(), c.path.clone())
                                children=|c| view! { <CallRow c/> }
                            />
                        </tbody>
                    </table>
                    <Show when=move || calls().is_empty()>
                        <p class="muted">"No calls to Lean yet."</p>
                    </Show>
                </section>
            </Show>
        </Transition>
    }
}

fn time_of(at: &str) -> String {
    // 2026-11-21T07:19:36.123456Z → 07:19:36
    at.get(11..19).unwrap_or(at).to_owned()
}

#[component]
fn WebhookRow(w: ConsoleWebhook, replay: ServerAction<ReplayWebhook>) -> impl IntoView {
    let status_class = match w.status.as_str() {
        "processed" => "badge badge-ok",
        "failed" | "rejected" => "badge badge-error",
        _ => "badge",
    };
    let verdict_class = if w.signature_ok { "badge badge-ok" } else { "badge badge-error" };
    let event_id = w.event_id.clone();
    let short = w.event_id.chars().take(13).collect::<String>();
    let short = if short.len() < w.event_id.len() { format!("{short}…") } else { short };
    view! {
        <tbody class="webhook" data-testid="webhook-row" data-event-id=w.event_id.clone()
            data-event-type=w.event_type.clone() data-status=w.status.clone()>
            <tr>
                <td title=w.at.clone()>{time_of(&w.at)}</td>
                <td><code>{w.event_type.clone()}</code></td>
                <td><code class="id" title=w.event_id.clone()>{short}</code></td>
                <td><span class=verdict_class data-testid="verdict">{w.verdict.clone()}</span></td>
                <td>
                    <span class=status_class data-testid="processing">{w.status.clone()}</span>
                    {(w.attempts > 1).then(|| view! { <span class="small muted">{format!(" {} attempts", w.attempts)}</span> })}
                </td>
                <td>
                    {w.replayable.then(|| view! {
                        <ActionForm action=replay attr:class="inline-form">
                            <input type="hidden" name="event_id" value=event_id.clone()/>
                            <button type="submit" class="button ghost small" data-testid="replay"
                                disabled=move || replay.pending().get()>
                                "Replay"
                            </button>
                        </ActionForm>
                    })}
                </td>
            </tr>
            <tr class="webhook-more">
                <td colspan="6">
                    {w.error.clone().map(|e| view! { <div class="small muted">{e}</div> })}
                    {w.payload.clone().map(|p| view! {
                        <details>
                            <summary>"Payload"</summary>
                            <pre class="payload" data-testid="payload" tabindex="0" aria-label="Webhook payload">{p}</pre>
                        </details>
                    })}
                </td>
            </tr>
        </tbody>
    }
}

#[component]
fn CallRow(c: ConsoleCall) -> impl IntoView {
    let ok = c.status.is_some_and(|s| (200..300).contains(&s));
    view! {
        <tr data-testid="call-row">
            <td title=c.at.clone()>{time_of(&c.at)}</td>
            <td><code>{c.method.clone()}</code></td>
            <td><code>{c.path.clone()}</code></td>
            <td>
                <span class=if ok { "badge badge-ok" } else { "badge badge-error" }>
                    {c.status.map(|s| s.to_string()).unwrap_or_else(|| "no answer".into())}
                </span>
            </td>
            <td>{format!("{} ms", c.latency_ms)}</td>
            <td>{c.results_id.clone().map(|r| view! { <code class="id">{r}</code> })}</td>
        </tr>
    }
}

/// Signs a sample event with the webhook secret on the server and posts it to this app's own endpoint.
#[component]
fn SendTestWebhookForm(send: ServerAction<SendTestWebhook>) -> impl IntoView {
    view! {
        <ActionForm action=send attr:class="inline-form console-send">
            <label for="test-webhook-type">"Event type"</label>
            <select id="test-webhook-type" name="event_type" data-testid="test-webhook-type">
                {TEST_WEBHOOK_TYPES.iter().map(|t| view! { <option value=*t>{*t}</option> }).collect_view()}
            </select>
            <button type="submit" class="button small" data-testid="send-test-webhook"
                disabled=move || send.pending().get()>
                "Send a signed test webhook"
            </button>
        </ActionForm>
        <p class="small" role="status" data-testid="test-webhook-result">
            {move || send.value().get().map(|r| match r {
                Ok(s) if s.http_status == 200 => format!(
                    "Sent {} ({}); the endpoint verified the signature and accepted it.", s.event_type, s.event_id
                ),
                Ok(s) => format!("Sent {} ({}); the endpoint answered {}.", s.event_type, s.event_id, s.http_status),
                Err(e) => e.to_string(),
            })}
        </p>
    }
}
