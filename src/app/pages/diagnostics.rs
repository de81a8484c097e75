use leptos::prelude::*;

use crate::api::{fetch_diagnostics, CatchUpNow};
use crate::model::{AppError, Check, Diagnostics};

/// Admin-only view of `lean-merchant check`: settings present (never values), database, Lean
/// credentials, the URLs to register in Lean's dashboard, and the last webhook received.
#[component]
pub fn DiagnosticsPage() -> impl IntoView {
    let report = Resource::new(|| (), |_| fetch_diagnostics());
    view! {
        <h1>"Diagnostics"</h1>
        <p class="muted">"What this server sees of its configuration and of Lean. Secret values are never shown."</p>
        <Transition fallback=|| view! { <p class="muted">"Running the checks…"</p> }>
            {move || report.get().map(|r| match r {
                Ok(d) => view! { <Report d/> }.into_any(),
                Err(AppError::Forbidden) => view! {
                    <p class="notice error" role="alert">"Only administrators (ADMIN_EMAILS) can see diagnostics."</p>
                }.into_any(),
                Err(e) => view! { <p class="notice error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn CheckRow(name: &'static str, check: Check) -> impl IntoView {
    view! {
        <tr>
            <th scope="row">{name}</th>
            <td>
                <span class=if check.ok { "badge badge-ok" } else { "badge badge-error" }>
                    {if check.ok { "OK" } else { "Failing" }}
                </span>
            </td>
            <td>{check.detail}</td>
        </tr>
    }
}

#[component]
fn Report(d: Diagnostics) -> impl IntoView {
    view! {
        <section class="history" data-testid="diagnostics">
            <h2>"Checks"</h2>
            <table class="table">
                <tbody>
                    <CheckRow name="Database" check=d.database.clone()/>
                    <CheckRow name="Lean credentials" check=d.lean.clone()/>
                </tbody>
            </table>
        </section>
        <section class="history">
            <h2>"Register in Lean's dashboard"</h2>
            <dl class="urls">
                <dt>"Webhook URL (Development → Webhooks)"</dt>
                <dd><code data-testid="webhook-url">{d.webhook_url.clone()}</code></dd>
                <dt>"Redirect URLs (Integration settings)"</dt>
                {d.redirect_urls.iter().map(|u| view! { <dd><code>{u.clone()}</code></dd> }).collect_view()}
            </dl>
            <p class="muted small">"Lean environment: " <strong>{d.lean_env.clone()}</strong></p>
        </section>
        <section class="history">
            <h2>"Last webhook received"</h2>
            <CatchUpButton/>
            {match d.last_webhook.clone() {
                Some(w) => view! {
                    <p><code>{w.event_type}</code>" · "<code>{w.event_id}</code>" · "{w.received_at}</p>
                }.into_any(),
                None => view! { <p class="muted">"None yet."</p> }.into_any(),
            }}
        </section>
        <section class="history">
            <h2>"Settings"</h2>
            <table class="table">
                <thead><tr><th scope="col">"Variable"</th><th scope="col">"State"</th></tr></thead>
                <tbody>
                    {d.settings.iter().map(|s| view! {
                        <tr><td><code>{s.name.clone()}</code></td>
                            <td>{if s.set { "set" } else { "not set (default)" }}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// Reads Lean's event list now and applies anything this app missed.
#[component]
fn CatchUpButton() -> impl IntoView {
    let action = ServerAction::<CatchUpNow>::new();
    view! {
        <ActionForm action=action attr:class="inline-form">
            <button type="submit" class="button ghost" disabled=move || action.pending().get()>
                "Catch up missed webhooks now"
            </button>
        </ActionForm>
        <p class="small" role="status" data-testid="catch-up-result">
            {move || action.value().get().map(|r| match r {
                Ok((seen, 0)) => format!("Checked {seen} events from Lean: nothing was missing."),
                Ok((seen, new)) => format!("Checked {seen} events from Lean: {new} were missing and are being applied."),
                Err(e) => e.to_string(),
            })}
        </p>
    }
}
