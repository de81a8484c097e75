use leptos::prelude::*;

use crate::api::sandbox_panel::{
    fetch_sandbox_panel, SandboxClear, SandboxExpireSession, SandboxFault, SandboxNextDataCall, SandboxPanel,
    GRANULAR_CODES, NEXT_CALL_STATUSES, TEST_USERS,
};
use crate::model::AppError;

/// The embedded sandbox's test users and scenario controls, for showing every asynchronous state on cue.
#[component]
pub fn SandboxPanelPage() -> impl IntoView {
    let panel = Resource::new(|| (), |_| fetch_sandbox_panel());
    view! {
        <h1>"Sandbox panel"</h1>
        <p class="muted">
            "The embedded Lean sandbox: its test users, and switches that make Lean answer the way you need "
            "for a demo. Everything here changes only the local sandbox."
        </p>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || panel.get().map(|r| match r {
                Ok(p) => view! { <Panel p/> }.into_any(),
                Err(AppError::NotFound(_)) => view! {
                    <p class="notice error" role="alert">"The sandbox panel exists only with the embedded sandbox."</p>
                }.into_any(),
                Err(e) => view! { <p class="notice error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </Transition>
    }
}

/// The answer of one control, in plain words.
fn said(r: Option<Result<String, AppError>>) -> Option<String> {
    r.map(|r| r.unwrap_or_else(|e| e.to_string()))
}

#[component]
fn Panel(p: SandboxPanel) -> impl IntoView {
    let expire = ServerAction::<SandboxExpireSession>::new();
    let next_call = ServerAction::<SandboxNextDataCall>::new();
    let fault = ServerAction::<SandboxFault>::new();
    let clear = ServerAction::<SandboxClear>::new();
    let has_entities = !p.entities.is_empty();
    view! {
        <section class="history" data-testid="sandbox-panel">
            <h2>"Test users"</h2>
            <p class="muted small">"Log in to Lean Mockbank with these. The one-time code is always "
                <strong data-testid="otp">{p.otp.clone()}</strong>"."</p>
            <table class="table">
                <thead><tr><th scope="col">"User"</th><th scope="col">"Password"</th><th scope="col">"Behaviour"</th></tr></thead>
                <tbody>
                    {p.users.iter().map(|u| view! {
                        <tr data-testid="test-user"><td><code>{u.username.clone()}</code></td>
                            <td><code>{u.password.clone()}</code></td><td>{u.behaviour.clone()}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>

        <section class="history">
            <h2>"Expire a bank session"</h2>
            <p class="muted small">"The bank logs the user out: their banks answer RECONNECT_REQUIRED until they reconnect."</p>
            <ActionForm action=expire attr:class="inline-form">
                <label for="expire-user">"Test user"</label>
                <select id="expire-user" name="username" data-testid="expire-user">
                    {TEST_USERS.iter().map(|(u, _, _)| view! { <option value=*u>{*u}</option> }).collect_view()}
                </select>
                <button type="submit" class="button small" data-testid="expire-session"
                    disabled=move || expire.pending().get()>"Expire session"</button>
            </ActionForm>
            <p class="small" role="status" data-testid="expire-result">{move || said(expire.value().get())}</p>
        </section>

        <section class="history">
            <h2>"Next data call"</h2>
            <p class="muted small">"One-shot: the next time the app reads this bank's data, Lean answers this way."</p>
            {if has_entities {
                view! {
                    <ActionForm action=next_call attr:class="inline-form">
                        <label for="next-entity">"Bank"</label>
                        <select id="next-entity" name="entity_id" data-testid="next-entity">
                            {p.entities.iter().map(|e| view! {
                                <option value=e.id.clone()>{format!("{} ({})", e.bank_name, e.id.get(..8).unwrap_or(&e.id))}</option>
                            }).collect_view()}
                        </select>
                        <label for="next-status">"Outcome"</label>
                        <select id="next-status" name="status" data-testid="next-status">
                            {NEXT_CALL_STATUSES.iter().map(|s| view! { <option value=*s>{*s}</option> }).collect_view()}
                        </select>
                        <label for="next-code">"Code (FAILED)"</label>
                        <select id="next-code" name="granular_status_code" data-testid="next-code">
                            {GRANULAR_CODES.iter().map(|c| view! { <option value=*c>{*c}</option> }).collect_view()}
                        </select>
                        <button type="submit" class="button small" data-testid="next-data-call"
                            disabled=move || next_call.pending().get()>"Set next call"</button>
                    </ActionForm>
                }.into_any()
            } else {
                view! { <p class="muted" data-testid="no-banks">"Connect a bank first; then you can script its next data call."</p> }.into_any()
            }}
            <p class="small" role="status" data-testid="next-call-result">{move || said(next_call.value().get())}</p>
        </section>

        <section class="history">
            <h2>"Inject a fault"</h2>
            <p class="muted small">"Lean's API answers with errors or slowly, for a share of calls. The app retries reads."</p>
            <ActionForm action=fault attr:class="inline-form">
                <label for="fault-kind">"Fault"</label>
                <select id="fault-kind" name="kind" data-testid="fault-kind">
                    <option value="500">"500 Internal server error"</option>
                    <option value="429">"429 Rate limited"</option>
                    <option value="latency">"Added latency"</option>
                </select>
                <label for="fault-rate">"Rate (0–1)"</label>
                <input id="fault-rate" name="rate" type="number" min="0" max="1" step="0.05" value="1" class="narrow"/>
                <label for="fault-latency">"Latency (ms)"</label>
                <input id="fault-latency" name="latency_ms" type="number" min="0" max="60000" step="100" value="1500" class="narrow"/>
                <button type="submit" class="button small" data-testid="inject-fault"
                    disabled=move || fault.pending().get()>"Inject"</button>
            </ActionForm>
            <p class="small" role="status" data-testid="fault-result">{move || said(fault.value().get())}</p>
        </section>

        <section class="history">
            <h2>"Clear scenarios"</h2>
            <ActionForm action=clear attr:class="inline-form">
                <button type="submit" class="button ghost small" data-testid="clear-scenarios"
                    disabled=move || clear.pending().get()>"Clear all scenarios"</button>
            </ActionForm>
            <p class="small" role="status" data-testid="clear-result">{move || said(clear.value().get())}</p>
        </section>
    }
}
