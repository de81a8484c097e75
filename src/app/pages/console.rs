use leptos::prelude::*;

use crate::api::console::{
    fetch_console, ConsoleCall, ConsoleEntry, ConsoleLog, ConsoleQuery, ConsoleWebhook, ReplayWebhook,
    SendTestWebhook, TEST_WEBHOOK_TYPES,
};
use crate::app::components::live_badge::LiveBadge;
use crate::app::live::{on_open, use_live_console};
use crate::i18n::{arg, lang, num, t, t_with, Lang};
use crate::model::{AppError, LiveEvent};

/// The developer console: what this app asked of Lean and what Lean told it, as it happens.
///
/// A page of each table is fetched (server-rendered at first), then rows arrive on the live stream the
/// moment they are recorded: new ones join the newest page when they match its filters, and rows on
/// any page take their new state. Each time the stream (re)connects the page is fetched again, since
/// rows recorded while it was down are not replayed; rows that arrive during that fetch are applied
/// on top of its answer. Each table pages and filters on its own.
#[component]
pub fn ConsolePage() -> impl IntoView {
    view! { <Console/> }
}

/// The island (a wasm chunk of its own).
#[island(lazy)]
fn Console() -> impl IntoView {
    crate::app::hydrated::island_started();
    let refresh = RwSignal::new(0u32);
    let query = RwSignal::new(ConsoleQuery::default());
    let fetched = Resource::new(
        move || (refresh.get(), query.get()),
        |(_, q)| {
            fetch_console(
                q.webhooks_before,
                q.calls_before,
                q.webhook_type,
                q.webhook_status,
                Some(q.failed_calls),
            )
        },
    );
    let arrived = RwSignal::new(Vec::<ConsoleEntry>::new());
    // A new page or filter starts from its own answer.
    let ask = move |change: &dyn Fn(&mut ConsoleQuery)| {
        arrived.set(Vec::new());
        query.update(|q| change(q));
    };
    let replay = ServerAction::<ReplayWebhook>::new();
    let send = ServerAction::<SendTestWebhook>::new();

    let live = use_live_console(move |event| match event {
        // A row too large to cross instances: fetch the log again.
        LiveEvent::Console { entry: ConsoleEntry::Refresh } => {
            arrived.set(Vec::new());
            refresh.update(|v| *v = v.wrapping_add(1));
        }
        LiveEvent::Console { entry } => arrived.update(|a| a.push(entry)),
        _ => {}
    });
    on_open(live, move || {
        arrived.set(Vec::new());
        refresh.update(|v| *v = v.wrapping_add(1));
    });

    let log = move || -> Option<Result<ConsoleLog, AppError>> {
        fetched.get().map(|r| {
            r.map(|mut log| {
                let q = query.get();
                for entry in arrived.get() {
                    log.apply(entry, &q);
                }
                log
            })
        })
    };
    let more_webhooks = move || log().and_then(Result::ok).is_some_and(|l| l.more_webhooks);
    let more_calls = move || log().and_then(Result::ok).is_some_and(|l| l.more_calls);
    let older_webhooks = move |_| {
        let last = webhooks_now(log).last().map(|w| w.cursor());
        ask(&|q| q.webhooks_before = last.clone());
    };
    let older_calls = move |_| {
        let last = log().and_then(Result::ok).and_then(|l| l.calls.last().map(|c| c.at.clone()));
        ask(&|q| q.calls_before = last.clone());
    };
    let failure = move || log().and_then(Result::err);
    let webhooks = move || log().and_then(Result::ok).map(|l| l.webhooks).unwrap_or_default();
    let calls = move || log().and_then(Result::ok).map(|l| l.calls).unwrap_or_default();
    // Whose rows these are: the reader's own, or every user's (admins), with the refusals counted.
    let scope = move || {
        log().and_then(Result::ok).map(|l| {
            if l.everyone {
                t_with("console-scope-everyone", &[("refused", num(l.refused_total as i64))])
            } else {
                t("console-scope-own")
            }
        })
    };

    view! {
        <div class="dash-head">
            <div>
                <h1>{t("console-title")}</h1>
                <p class="muted">{t("console-intro")}</p>
            </div>
            <LiveBadge live/>
        </div>
        <Transition fallback=|| view! { <p class="muted">{t("console-loading")}</p> }>
            {move || failure().map(|e| match e {
                AppError::Forbidden => view! {
                    <p class="notice error" role="alert">{t("console-forbidden")}</p>
                }.into_any(),
                e => view! { <p class="notice error" role="alert">{e.localized()}</p> }.into_any(),
            })}
            <Show when=move || log().is_some_and(|r| r.is_ok())>
                <p class="notice" data-testid="console-scope">{scope}</p>
                <section class="history console" data-testid="console" aria-labelledby="console-webhooks">
                    <div class="console-head">
                        <h2 id="console-webhooks">{t("console-webhooks-title")}</h2>
                        <SendTestWebhookForm send/>
                    </div>
                    <WebhookFilters query ask/>
                    <p class="small" role="status" data-testid="replay-result">
                        {move || replay.value().get().map(|r| match r {
                            Ok(()) => t("console-replay-started"),
                            Err(e) => e.localized(),
                        })}
                    </p>
                    <table class="table console-table" data-testid="webhooks-table">
                        <caption class="sr-only">{t("console-webhooks-caption")}</caption>
                        <thead><tr>
                            <th scope="col">{t("console-col-received")}</th>
                            <th scope="col">{t("console-col-type")}</th>
                            <th scope="col">{t("console-col-event-id")}</th>
                            <th scope="col">{t("console-col-signature")}</th>
                            <th scope="col">{t("console-col-processing")}</th>
                            <th scope="col"><span class="sr-only">{t("console-col-actions")}</span></th>
                        </tr></thead>
                        <For
                            each=webhooks
                            key=|w| (w.key(), w.status.clone(), w.attempts)
                            children=move |w| view! { <WebhookRow w replay/> }
                        />
                    </table>
                    <Show when=move || webhooks().is_empty()>
                        <p class="muted" data-testid="no-webhooks">
                            {move || query.with(|q| {
                                let filtered = q.webhook_type.is_some() || q.webhook_status.is_some() || q.webhooks_before.is_some();
                                if filtered { t("console-no-webhooks-match") } else { t("console-no-webhooks") }
                            })}
                        </p>
                    </Show>
                    <Pager
                        testid="webhooks-pager"
                        label=t("console-pages-webhooks")
                        newer=Signal::derive(move || query.with(|q| q.webhooks_before.is_some()))
                        older=Signal::derive(more_webhooks)
                        on_newest=move |_| ask(&|q| q.webhooks_before = None)
                        on_older=older_webhooks
                    />
                </section>
                <section class="history console" aria-labelledby="console-calls">
                    <div class="console-head">
                        <h2 id="console-calls">{t("console-calls-title")}</h2>
                        <label class="inline-check">
                            <input type="checkbox" data-testid="failed-calls-only"
                                prop:checked=move || query.with(|q| q.failed_calls)
                                on:change=move |ev| {
                                    let only = event_target_checked(&ev);
                                    ask(&|q| {
                                        q.failed_calls = only;
                                        q.calls_before = None;
                                    });
                                }/>
                            " " {t("console-failed-calls-only")}
                        </label>
                    </div>
                    <table class="table console-table" data-testid="calls-table">
                        <caption class="sr-only">{t("console-calls-caption")}</caption>
                        <thead><tr>
                            <th scope="col">{t("console-col-when")}</th>
                            <th scope="col">{t("console-col-method")}</th>
                            <th scope="col">{t("console-col-path")}</th>
                            <th scope="col">{t("console-col-status")}</th>
                            <th scope="col">{t("console-col-latency")}</th>
                            <th scope="col">"results_id"</th>
                        </tr></thead>
                        <tbody>
                            <For
                                each=calls
                                key=|c| c.key()
                                children=|c| view! { <CallRow c/> }
                            />
                        </tbody>
                    </table>
                    <Show when=move || calls().is_empty()>
                        <p class="muted" data-testid="no-calls">
                            {move || if query.with(|q| q.failed_calls || q.calls_before.is_some()) {
                                t("console-no-calls-match")
                            } else {
                                t("console-no-calls")
                            }}
                        </p>
                    </Show>
                    <Pager
                        testid="calls-pager"
                        label=t("console-pages-calls")
                        newer=Signal::derive(move || query.with(|q| q.calls_before.is_some()))
                        older=Signal::derive(more_calls)
                        on_newest=move |_| ask(&|q| q.calls_before = None)
                        on_older=older_calls
                    />
                </section>
            </Show>
        </Transition>
    }
}

fn webhooks_now(log: impl Fn() -> Option<Result<ConsoleLog, AppError>>) -> Vec<ConsoleWebhook> {
    log().and_then(Result::ok).map(|l| l.webhooks).unwrap_or_default()
}

/// "Newest" and "Older" for one table.
#[component]
fn Pager(
    testid: &'static str,
    /// What the pages are of (each pager is a landmark of its own, so it needs its own name).
    label: String,
    /// An older page is shown: "Newest" goes back to the first.
    newer: Signal<bool>,
    /// Rows older than these exist.
    older: Signal<bool>,
    on_newest: impl Fn(leptos::ev::MouseEvent) + 'static,
    on_older: impl Fn(leptos::ev::MouseEvent) + 'static,
) -> impl IntoView {
    view! {
        <nav class="pager" data-testid=testid aria-label=label>
            <button type="button" class="button ghost small" data-testid="newest" on:click=on_newest
                disabled=move || !newer.get()>
                {t("console-newest")}
            </button>
            <button type="button" class="button ghost small" data-testid="older" on:click=on_older
                disabled=move || !older.get()>
                {t("console-older")}
            </button>
        </nav>
    }
}

/// Which webhooks the table lists: a type, a state, or all.
#[component]
fn WebhookFilters(
    query: RwSignal<ConsoleQuery>,
    ask: impl Fn(&dyn Fn(&mut ConsoleQuery)) + Copy + 'static,
) -> impl IntoView {
    let pick = |v: String| (!v.is_empty()).then_some(v);
    view! {
        <div class="field-row console-filters">
            <div class="field">
                <label for="webhook-type-filter">{t("console-filter-type")}</label>
                <select id="webhook-type-filter" data-testid="webhook-type-filter" dir="ltr"
                    prop:value=move || query.with(|q| q.webhook_type.clone().unwrap_or_default())
                    on:change=move |ev| {
                        let v = pick(event_target_value(&ev));
                        ask(&|q| {
                            q.webhook_type = v.clone();
                            q.webhooks_before = None;
                        });
                    }>
                    <option value="">{t("console-filter-all")}</option>
                    {TEST_WEBHOOK_TYPES.iter().map(|t| view! { <option value=*t>{*t}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="webhook-status-filter">{t("console-filter-status")}</label>
                <select id="webhook-status-filter" data-testid="webhook-status-filter"
                    prop:value=move || query.with(|q| q.webhook_status.clone().unwrap_or_default())
                    on:change=move |ev| {
                        let v = pick(event_target_value(&ev));
                        ask(&|q| {
                            q.webhook_status = v.clone();
                            q.webhooks_before = None;
                        });
                    }>
                    <option value="">{t("console-filter-all")}</option>
                    {["received", "processing", "processed", "failed", "rejected"].into_iter()
                        .map(|s| view! { <option value=s>{status_text(s)}</option> }).collect_view()}
                </select>
            </div>
        </div>
    }
}

fn time_of(at: &str) -> String {
    // 2026-11-21T07:19:36.123456Z → 07:19:36
    at.get(11..19).unwrap_or(at).to_owned()
}

/// Keeps an id or a code in its own direction inside an Arabic sentence (Fluent's own isolation marks
/// are off; see `i18n`).
fn isolated(s: &str) -> String {
    match lang() {
        Lang::Ar => format!("\u{2068}{s}\u{2069}"),
        Lang::En => s.to_owned(),
    }
}

fn status_text(status: &str) -> String {
    match status {
        "received" => t("console-status-received"),
        "processing" => t("console-status-processing"),
        "processed" => t("console-status-processed"),
        "failed" => t("console-status-failed"),
        "rejected" => t("console-status-rejected"),
        other => other.to_owned(),
    }
}

fn verdict_text(w: &ConsoleWebhook) -> String {
    if w.signature_ok {
        return t("console-verdict-valid");
    }
    let reason = match w.rejection.as_deref() {
        Some("missing") => t("console-reject-missing"),
        Some("malformed") => t("console-reject-malformed"),
        _ => t("console-reject-mismatch"),
    };
    t_with("console-verdict-rejected", &[("reason", arg(reason))])
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
    let note = match (&w.error, w.refused_bytes) {
        (Some(e), _) => Some(e.clone()),
        (None, Some(bytes)) => Some(t_with("console-refused-note", &[("bytes", num(bytes as i64))])),
        (None, None) => None,
    };
    view! {
        <tbody class="webhook" data-testid="webhook-row" data-event-id=w.event_id.clone()
            data-event-type=w.event_type.clone() data-status=w.status.to_string()>
            <tr>
                <td title=w.at.clone()><bdi class="ltr">{time_of(&w.at)}</bdi></td>
                <td><code>{w.event_type.clone()}</code></td>
                <td><code class="id" title=w.event_id.clone()>{short}</code></td>
                <td><span class=verdict_class data-testid="verdict">{verdict_text(&w)}</span></td>
                <td>
                    <span class=status_class data-testid="processing">{status_text(w.status.as_str())}</span>
                    {(w.attempts > 1).then(|| view! {
                        <span class="small muted">" " {t_with("console-attempts", &[("count", num(w.attempts))])}</span>
                    })}
                </td>
                <td>
                    {w.replayable.then(|| view! {
                        <ActionForm action=replay attr:class="inline-form">
                            <input type="hidden" name="event_id" value=event_id.clone()/>
                            <button type="submit" class="button ghost small" data-testid="replay"
                                aria-label=t_with("console-replay-label", &[("id", arg(isolated(&event_id)))])
                                disabled=move || replay.pending().get()>
                                {t("console-replay")}
                            </button>
                        </ActionForm>
                    })}
                </td>
            </tr>
            <tr class="webhook-more">
                <td colspan="6">
                    {note.map(|e| view! { <div class="small muted"><bdi>{e}</bdi></div> })}
                    {w.payload.clone().map(|p| view! {
                        <details>
                            <summary>{t("console-payload")}</summary>
                            <pre class="payload ltr" dir="ltr" data-testid="payload" tabindex="0"
                                aria-label=t("console-payload-label")>{p}</pre>
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
        <tr data-testid="call-row" data-status=c.status.map(|s| s.to_string()).unwrap_or_default()>
            <td title=c.at.clone()><bdi class="ltr">{time_of(&c.at)}</bdi></td>
            <td><code>{c.method.clone()}</code></td>
            <td><code dir="ltr">{c.path.clone()}</code></td>
            <td>
                <span class=if ok { "badge badge-ok" } else { "badge badge-error" }>
                    {c.status.map(|s| s.to_string()).unwrap_or_else(|| t("console-no-answer"))}
                </span>
            </td>
            <td><bdi>{t_with("console-latency", &[("ms", num(c.latency_ms))])}</bdi></td>
            <td>{c.results_id.clone().map(|r| view! { <code class="id">{r}</code> })}</td>
        </tr>
    }
}

/// Signs a sample event with the webhook secret on the server and posts it to this app's own endpoint.
#[component]
fn SendTestWebhookForm(send: ServerAction<SendTestWebhook>) -> impl IntoView {
    view! {
        <ActionForm action=send attr:class="inline-form console-send">
            <label for="test-webhook-type">{t("console-test-type")}</label>
            <select id="test-webhook-type" name="event_type" data-testid="test-webhook-type" dir="ltr">
                {TEST_WEBHOOK_TYPES.iter().map(|t| view! { <option value=*t>{*t}</option> }).collect_view()}
            </select>
            <button type="submit" class="button small" data-testid="send-test-webhook"
                disabled=move || send.pending().get()>
                {t("console-test-send")}
            </button>
        </ActionForm>
        <p class="small" role="status" data-testid="test-webhook-result">
            {move || send.value().get().map(|r| match r {
                Ok(s) if s.http_status == 200 => t_with("console-test-accepted", &[
                    ("type", arg(isolated(&s.event_type))),
                    ("id", arg(isolated(&s.event_id))),
                ]),
                Ok(s) => t_with("console-test-answered", &[
                    ("type", arg(isolated(&s.event_type))),
                    ("id", arg(isolated(&s.event_id))),
                    ("status", num(i64::from(s.http_status))),
                ]),
                Err(e) => e.localized(),
            })}
        </p>
    }
}
