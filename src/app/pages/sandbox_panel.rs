use leptos::prelude::*;

use crate::api::sandbox_panel::{
    fetch_sandbox_panel, SandboxClear, SandboxExpireSession, SandboxFault, SandboxNextDataCall, SandboxPanel,
    GRANULAR_CODES, NEXT_CALL_STATUSES, TEST_USERS,
};
use crate::i18n::t;
use crate::model::AppError;

/// The embedded sandbox's test users and scenario controls, for showing every asynchronous state on cue.
#[component]
pub fn SandboxPanelPage() -> impl IntoView {
    let panel = Resource::new(|| (), |_| fetch_sandbox_panel());
    view! {
        <h1>{t("panel-title")}</h1>
        <p class="muted">{t("panel-intro")}</p>
        <Transition fallback=|| view! { <p class="muted">{t("loading")}</p> }>
            {move || panel.get().map(|r| match r {
                Ok(p) => view! { <Panel p/> }.into_any(),
                Err(AppError::NotFound(_)) => view! {
                    <p class="notice error" role="alert">{t("panel-embedded-only")}</p>
                }.into_any(),
                Err(e) => view! { <p class="notice error" role="alert">{e.localized()}</p> }.into_any(),
            })}
        </Transition>
    }
}

/// The answer of one control, in plain words.
fn said(r: Option<Result<String, AppError>>) -> Option<String> {
    r.map(|r| r.unwrap_or_else(|e| e.localized()))
}

/// An island (a wasm chunk of its own): each control answers in place.
#[island(lazy)]
fn Panel(p: SandboxPanel) -> impl IntoView {
    crate::app::hydrated::island_started();
    let expire = ServerAction::<SandboxExpireSession>::new();
    let next_call = ServerAction::<SandboxNextDataCall>::new();
    let fault = ServerAction::<SandboxFault>::new();
    let clear = ServerAction::<SandboxClear>::new();
    let has_entities = !p.entities.is_empty();
    view! {
        <section class="history" data-testid="sandbox-panel">
            <h2>{t("panel-users-title")}</h2>
            <p class="muted small">{t("panel-users-hint")} " "
                <bdi><strong data-testid="otp">{p.otp.clone()}</strong></bdi></p>
            <table class="table">
                <thead><tr>
                    <th scope="col">{t("panel-col-user")}</th>
                    <th scope="col">{t("panel-col-password")}</th>
                    <th scope="col">{t("panel-col-behaviour")}</th>
                </tr></thead>
                <tbody>
                    {p.users.iter().map(|u| view! {
                        <tr data-testid="test-user"><td><code>{u.username.clone()}</code></td>
                            <td><code>{u.password.clone()}</code></td><td>{u.behaviour.clone()}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>

        <section class="history">
            <h2>{t("panel-expire-title")}</h2>
            <p class="muted small">{t("panel-expire-hint")}</p>
            <ActionForm action=expire attr:class="inline-form">
                <label for="expire-user">{t("panel-test-user")}</label>
                <select id="expire-user" name="username" data-testid="expire-user">
                    {TEST_USERS.iter().map(|(u, _, _)| view! { <option value=*u>{*u}</option> }).collect_view()}
                </select>
                <button type="submit" class="button small" data-testid="expire-session"
                    disabled=move || expire.pending().get()>{t("panel-expire-button")}</button>
            </ActionForm>
            <p class="small" role="status" data-testid="expire-result">{move || said(expire.value().get())}</p>
        </section>

        <section class="history">
            <h2>{t("panel-next-title")}</h2>
            <p class="muted small">{t("panel-next-hint")}</p>
            {if has_entities {
                view! {
                    <ActionForm action=next_call attr:class="inline-form">
                        <label for="next-entity">{t("panel-bank")}</label>
                        <select id="next-entity" name="entity_id" data-testid="next-entity">
                            {p.entities.iter().map(|e| view! {
                                <option value=e.id.clone()>{format!("{} ({})", e.bank_name, e.id.get(..8).unwrap_or(&e.id))}</option>
                            }).collect_view()}
                        </select>
                        <label for="next-status">{t("panel-outcome")}</label>
                        <select id="next-status" name="status" data-testid="next-status">
                            {NEXT_CALL_STATUSES.iter().map(|s| view! { <option value=*s>{*s}</option> }).collect_view()}
                        </select>
                        <label for="next-code">{t("panel-code")}</label>
                        <select id="next-code" name="granular_status_code" data-testid="next-code">
                            {GRANULAR_CODES.iter().map(|c| view! { <option value=*c>{*c}</option> }).collect_view()}
                        </select>
                        <button type="submit" class="button small" data-testid="next-data-call"
                            disabled=move || next_call.pending().get()>{t("panel-next-button")}</button>
                    </ActionForm>
                }.into_any()
            } else {
                view! { <p class="muted" data-testid="no-banks">{t("panel-no-banks")}</p> }.into_any()
            }}
            <p class="small" role="status" data-testid="next-call-result">{move || said(next_call.value().get())}</p>
        </section>

        <section class="history">
            <h2>{t("panel-fault-title")}</h2>
            <p class="muted small">{t("panel-fault-hint")}</p>
            <ActionForm action=fault attr:class="inline-form">
                <label for="fault-kind">{t("panel-fault")}</label>
                <select id="fault-kind" name="kind" data-testid="fault-kind">
                    <option value="500">{t("panel-fault-option-500")}</option>
                    <option value="429">{t("panel-fault-option-429")}</option>
                    <option value="latency">{t("panel-fault-option-latency")}</option>
                </select>
                <label for="fault-rate">{t("panel-rate")}</label>
                <input id="fault-rate" name="rate" type="number" min="0" max="1" step="0.05" value="1" class="narrow"/>
                <label for="fault-latency">{t("panel-latency")}</label>
                <input id="fault-latency" name="latency_ms" type="number" min="0" max="60000" step="100" value="1500" class="narrow"/>
                <button type="submit" class="button small" data-testid="inject-fault"
                    disabled=move || fault.pending().get()>{t("panel-fault-button")}</button>
            </ActionForm>
            <p class="small" role="status" data-testid="fault-result">{move || said(fault.value().get())}</p>
        </section>

        <section class="history">
            <h2>{t("panel-clear-title")}</h2>
            <ActionForm action=clear attr:class="inline-form">
                <button type="submit" class="button ghost small" data-testid="clear-scenarios"
                    disabled=move || clear.pending().get()>{t("panel-clear-button")}</button>
            </ActionForm>
            <p class="small" role="status" data-testid="clear-result">{move || said(clear.value().get())}</p>
        </section>
    }
}
