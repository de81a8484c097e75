use leptos::prelude::*;

use crate::api::{fetch_diagnostics, CatchUpNow};
use crate::i18n::{num, t, t_with};
use crate::model::{AppError, Check, Diagnostics};

/// Admin-only view of `lean-merchant check`: settings present (never values), database, Lean
/// credentials, the URLs to register in Lean's dashboard, and the last webhook received.
#[component]
pub fn DiagnosticsPage() -> impl IntoView {
    let report = Resource::new(|| (), |_| fetch_diagnostics());
    view! {
        <h1>{t("diag-title")}</h1>
        <p class="muted">{t("diag-intro")}</p>
        <Transition fallback=|| view! { <p class="muted">{t("diag-running")}</p> }>
            {move || report.get().map(|r| match r {
                Ok(d) => view! { <Report d/> }.into_any(),
                Err(AppError::Forbidden) => view! {
                    <p class="notice error" role="alert">{t("diag-forbidden")}</p>
                }.into_any(),
                Err(e) => view! { <p class="notice error" role="alert">{e.localized()}</p> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn CheckRow(name: String, ok_text: String, check: Check) -> impl IntoView {
    view! {
        <tr>
            <th scope="row">{name}</th>
            <td>
                <span class=if check.ok { "badge badge-ok" } else { "badge badge-error" }>
                    {if check.ok { t("diag-ok") } else { t("diag-failing") }}
                </span>
            </td>
            // A passing check reads in the page's language; a failing one shows the server's own
            // technical words (shared with the `lean-merchant check` CLI), marked as English.
            <td>
                {if check.ok {
                    view! { <span title=check.detail.clone()>{ok_text}</span> }.into_any()
                } else {
                    view! { <bdi lang="en" dir="ltr">{check.detail.clone()}</bdi> }.into_any()
                }}
            </td>
        </tr>
    }
}

#[component]
fn Report(d: Diagnostics) -> impl IntoView {
    view! {
        <section class="history" data-testid="diagnostics">
            <h2>{t("diag-checks-title")}</h2>
            <table class="table">
                <caption class="sr-only">{t("diag-checks-title")}</caption>
                <tbody>
                    <CheckRow name=t("diag-check-database") ok_text=t("diag-database-ok") check=d.database.clone()/>
                    <CheckRow name=t("diag-check-lean") ok_text=t("diag-lean-ok") check=d.lean.clone()/>
                </tbody>
            </table>
        </section>
        <section class="history">
            <h2>{t("diag-register-title")}</h2>
            <dl class="urls">
                <dt>{t("diag-webhook-url")}</dt>
                <dd><code data-testid="webhook-url" dir="ltr">{d.webhook_url.clone()}</code></dd>
                <dt>{t("diag-redirect-urls")}</dt>
                {d.redirect_urls.iter().map(|u| view! { <dd><code dir="ltr">{u.clone()}</code></dd> }).collect_view()}
            </dl>
            <p class="muted small">{t("diag-lean-env")} " " <bdi><strong>{d.lean_env.clone()}</strong></bdi></p>
        </section>
        <section class="history">
            <h2>{t("diag-last-webhook-title")}</h2>
            <CatchUpButton/>
            {match d.last_webhook.clone() {
                Some(w) => view! {
                    <p><code>{w.event_type}</code>" · "<code>{w.event_id}</code>" · "<bdi class="ltr">{w.received_at}</bdi></p>
                }.into_any(),
                None => view! { <p class="muted">{t("diag-none-yet")}</p> }.into_any(),
            }}
        </section>
        <section class="history">
            <h2>{t("diag-settings-title")}</h2>
            <table class="table">
                <thead><tr><th scope="col">{t("diag-col-variable")}</th><th scope="col">{t("diag-col-state")}</th></tr></thead>
                <tbody>
                    {d.settings.iter().map(|s| view! {
                        <tr><td><code>{s.name.clone()}</code></td>
                            <td>{if s.set { t("diag-set") } else { t("diag-not-set") }}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// Reads Lean's event list now and applies anything this app missed.
#[island(lazy)]
fn CatchUpButton() -> impl IntoView {
    crate::app::hydrated::island_started();
    let action = ServerAction::<CatchUpNow>::new();
    view! {
        <ActionForm action=action attr:class="inline-form">
            <button type="submit" class="button ghost" disabled=move || action.pending().get()>
                {t("diag-catch-up")}
            </button>
        </ActionForm>
        <p class="small" role="status" data-testid="catch-up-result">
            {move || action.value().get().map(|r| match r {
                Ok((seen, 0)) => t_with("diag-caught-up-nothing", &[("seen", num(seen as i64))]),
                Ok((seen, new)) => {
                    t_with("diag-caught-up", &[("seen", num(seen as i64)), ("new", num(new as i64))])
                }
                Err(e) => e.localized(),
            })}
        </p>
    }
}
