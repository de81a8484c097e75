use leptos::lazy;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::Redirect;

use crate::api::{list_entities, live_position, recent_flows};
use crate::app::components::connect_button::ConnectButton;
use crate::app::components::entity_card::{Confirming, EntityCard};
use crate::app::components::flow_outcome::{exit_point_label, status_label, FlowOutcomeView};
use crate::app::components::live_badge::LiveBadge;
use crate::app::live::{on_open, use_live_changes};
use crate::i18n::t;
use crate::model::{AppError, Entity, FlowOutcome, FlowStatus};

/// What the dashboard shows first, loaded on the server and handed to the island as its props.
type Loaded<T> = Result<Vec<T>, AppError>;

#[component]
pub fn DashboardPage() -> impl IntoView {
    // The user the header already asked for (the page is rendered on the server, once).
    let user = expect_context::<crate::app::UserResource>();
    let start = Resource::new(
        || (),
        move |_| async move {
            match user.await {
                // The live position first: whatever changes while the lists are read is replayed.
                Ok(Some(_)) => {
                    Ok(Some((live_position().await.ok(), list_entities().await, recent_flows().await)))
                }
                Ok(None) => Ok(None),
                Err(e) => Err(e),
            }
        },
    );
    view! {
        <Transition fallback=|| view! { <p class="muted">{t("loading")}</p> }>
            {move || {
                start.get()
                    .map(|r| match r {
                        Ok(Some((since, entities, flows))) => view! { <Dashboard since entities flows/> }.into_any(),
                        Ok(None) | Err(AppError::SignInRequired) => view! { <Redirect path="/signin"/> }.into_any(),
                        Err(e) => view! { <p class="form-error" role="alert">{e.localized()}</p> }.into_any(),
                    })
            }}
        </Transition>
    }
}

/// Both lists again. `#[lazy]`: only a change makes the dashboard ask, so the server-function client
/// is a wasm chunk fetched with the first change, not part of the first load.
#[lazy]
async fn fetch_lists() -> (Loaded<Entity>, Loaded<FlowOutcome>) {
    (list_entities().await, recent_flows().await)
}

/// The island: everything on the dashboard updates live and launches flows. It starts from the
/// server's lists (props, no request) and asks the server functions again on every change; it has no
/// resources or suspense of its own, which keeps the first load small. `since` is the live position
/// the lists were read at (None if it could not be read).
#[island]
fn Dashboard(since: Option<i64>, entities: Loaded<Entity>, flows: Loaded<FlowOutcome>) -> impl IntoView {
    crate::app::hydrated::island_started();
    let entities = RwSignal::new(entities);
    let flows = RwSignal::new(flows);
    // Only the newest reload's answer is shown: an older one arriving late would undo a newer change.
    let asked = StoredValue::new(0u32);
    let reload = move || {
        asked.update_value(|n| *n += 1);
        let mine = asked.get_value();
        spawn_local(async move {
            let (e, f) = fetch_lists().await;
            if asked.get_value() == mine {
                entities.set(e);
                flows.set(f);
            }
        });
    };
    let latest = RwSignal::new(None::<FlowOutcome>);
    let repeat_bank = RwSignal::new(None::<String>);
    // Whether the bank of the last flow is on the page: "in a moment" becomes "listed below" when it
    // arrives. A memo, so the notice (and a form in it) is drawn again only when that changes.
    let listed = Memo::new(move |_| {
        let bank = latest.with(|o| o.as_ref().and_then(|o| o.bank_identifier.clone()));
        bank.is_some_and(|b| {
            entities.with(|l| l.as_ref().is_ok_and(|l| l.iter().any(|e| e.bank_identifier == b)))
        })
    });
    provide_context(Confirming::default());

    // A webhook applied between the page's rendering and the stream opening is replayed by the stream
    // (from `since`, then from the last event seen when it reconnects), so opening needs no reload.
    let known_at_start = StoredValue::new(Vec::<Entity>::new());
    let live = use_live_changes(since, reload);
    if since.is_none() {
        on_open(live, reload);
    }

    view! {
        <div class="dash-head">
            <div>
                <h1>{t("dash-title")}</h1>
                <p class="muted">{t("dash-lead")}</p>
            </div>
            <div class="dash-actions">
                <LiveBadge live/>
                <ConnectButton on_start=Callback::new(move |()| {
                    known_at_start.set_value(entities.get_untracked().unwrap_or_default());
                }) on_outcome=move |o: FlowOutcome| {
                    // Lean keeps one entity per customer and bank: a repeat connect updates it. "Repeat"
                    // means the bank was listed when the flow started; by the time the SDK closes, the
                    // new entity's webhook has usually listed it already.
                    let again = (o.status == FlowStatus::Success)
                        .then(|| {
                            known_at_start
                                .get_value()
                                .into_iter()
                                .find(|e| Some(&e.bank_identifier) == o.bank_identifier.as_ref())
                        })
                        .flatten()
                        .map(|e| e.shown_bank_name().to_owned());
                    repeat_bank.set(again);
                    latest.set(Some(o));
                    reload();
                }/>
                <a href="/connect" class="small" data-testid="connect-options-link">{t("dash-connect-options")}</a>
            </div>
        </div>

        {move || latest.get().map(|o| {
            view! { <FlowOutcomeView outcome=o already_connected=repeat_bank.get() listed=listed.get()/> }
        })}

        {move || match entities.get() {
            Ok(list) if list.is_empty() => view! {
                <div class="empty" data-testid="entity-empty">
                    <p><strong>{t("dash-empty")}</strong></p>
                    <p class="muted">{t("dash-empty-hint")}</p>
                </div>
            }.into_any(),
            Ok(list) => view! {
                <ul class="entity-grid" data-testid="entity-list">
                    {list.into_iter().map(|e| view! {
                        <li><EntityCard entity=e on_disconnected=reload/></li>
                    }).collect_view()}
                </ul>
            }.into_any(),
            Err(e) => view! { <p class="form-error" role="alert">{e.localized()}</p> }.into_any(),
        }}

        <section class="history" aria-labelledby="history-title">
            <h2 id="history-title">{t("dash-history-title")}</h2>
            <p class="muted small">{t("dash-history-lead")}</p>
            {move || match flows.get() {
                            Ok(list) if list.is_empty() => view! { <p class="muted">{t("dash-history-empty")}</p> }.into_any(),
                            Ok(list) => view! {
                                <table class="table" data-testid="flow-history">
                                    <thead><tr>
                                        <th scope="col">{t("dash-col-when")}</th><th scope="col">{t("dash-col-flow")}</th>
                                        <th scope="col">{t("dash-col-status")}</th><th scope="col">{t("dash-col-detail")}</th>
                                        <th scope="col">{t("dash-col-exit-point")}</th>
                                        <th scope="col">{t("dash-col-correlation")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|f| {
                                            let badge = format!("badge badge-{}", f.status.as_str().to_ascii_lowercase());
                                            view! {
                                            <tr>
                                                // ISO date and time (UTC) in both languages, as everywhere in the app.
                                                <td><bdi class="nowrap">{f.created_at.get(..16).unwrap_or(&f.created_at).replace('T', " ")}</bdi></td>
                                                <td><bdi><code>{f.method}</code></bdi></td>
                                                <td><span class=badge>{status_label(f.status.as_str())}</span></td>
                                                <td><bdi>{f.secondary_status.or(f.message).unwrap_or_default()}</bdi></td>
                                                <td title=f.exit_point.clone()><bdi>{f.exit_point.as_deref().map(exit_point_label).unwrap_or_default()}</bdi></td>
                                                <td><bdi><code>{f.lean_correlation_id.unwrap_or_default()}</code></bdi></td>
                                            </tr>
                                        }}).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any(),
                            Err(e) => view! { <p class="form-error">{e.localized()}</p> }.into_any(),
            }}
        </section>
    }
}
