use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

use crate::api::account_insights;
use crate::api::{account_transactions, fetch_entity_overview, launch_reconnect, RefreshEntity};
use crate::app::components::charts::{category_label, BalanceChart, SpendingChart};
use crate::app::components::connect_button::ConnectButton;
use crate::app::components::flow_outcome::FlowOutcomeView;
use crate::app::hydrated::hydrating;
use crate::app::launch::launch;
use crate::app::live::{on_open, use_live_events};
use crate::i18n::{arg, num, t, t_with};
use crate::link_sdk::Launch;
use crate::model::{
    AccountSummary, AppError, DataState, EntityOverview, FlowOutcome, IdentitySummary, LiveEvent,
    TransactionsPage,
};

/// One bank connection: its accounts and balances, transactions, and the account holder's identity,
/// with Lean's asynchronous and failure states explained and, where the user can fix them, a button.
#[component]
pub fn BankPage() -> impl IntoView {
    let entity_id = use_params_map().read_untracked().get("id").unwrap_or_default();
    view! { <Bank entity_id/> }
}

/// The island (a wasm chunk of its own): the page follows the bank's webhooks live.
#[island(lazy)]
fn Bank(entity_id: String) -> impl IntoView {
    crate::app::hydrated::island_started();
    let entity_id = StoredValue::new(entity_id);
    let entity_id = move || entity_id.get_value();
    let version = RwSignal::new(0u32);
    let overview = Resource::new(move || (entity_id(), version.get()), |(id, _)| fetch_entity_overview(id));
    let again = ConnectAgain::default();
    provide_context(again);
    // A webhook about this bank (reconnected, refresh progress, results.ready) may change what Lean
    // will answer, so the page asks again.
    let live = use_live_events(move |event| {
        let LiveEvent::EntityChanged { entity } = event else { return };
        if entity.id == entity_id() {
            version.update(|v| *v += 1);
        } else if again.bank.get_untracked().as_deref() == Some(entity.bank_identifier.as_str()) {
            // "Connect again" gave the bank a new connection (Lean may make a new entity): show it.
            again.bank.set(None);
            let _ = window().location().assign(&format!("/banks/{}", entity.id));
        }
    });
    // Catch what was applied between the first load and the stream opening. Only a changed answer
    // redraws the page: a redraw reloads every account's transactions and charts, which would blink
    // on every visit for nothing.
    on_open(live, move || {
        spawn_local(async move {
            let fresh = fetch_entity_overview(entity_id()).await;
            if overview.get_untracked().as_ref() != Some(&fresh) {
                version.update(|v| *v += 1);
            }
        });
    });
    // The user's choices outlive a reload of the overview (live updates), so live data never resets them.
    provide_context(Choices::default());

    view! {
        <p><a href="/dashboard">{t("bank-back")}</a></p>
        {move || again.outcome.get().map(|o| view! { <FlowOutcomeView outcome=o renewed=true/> })}
        <Transition fallback=|| view! { <p class="muted">{t("bank-loading")}</p> }>
            // The accounts' transactions and insights are resources created once the overview is in:
            // `hydrating` numbers them alike on the server and in the browser (see `app::hydrated`).
            {move || hydrating(move || overview.get().map(|r| match r {
                Ok(o) => view! { <Overview o=o entity_id=entity_id() on_change=move || version.update(|v| *v += 1)/> }.into_any(),
                Err(AppError::Forbidden) => view! {
                    <p class="notice error" role="alert">{t("bank-not-yours")}</p>
                }.into_any(),
                Err(e) => view! { <p class="notice error" role="alert">{e.localized()}</p> }.into_any(),
            }))}
        </Transition>
    }
}

/// A "Connect again" launched from this page: the bank it is for, until the new connection shows,
/// and how the SDK flow ended. Kept by the page, not the notice with the button: Lean's webhook can
/// bring the data (and remove the notice) before the SDK's callback runs.
#[derive(Clone, Copy, Default)]
struct ConnectAgain {
    /// The bank shown on the page now (its Lean identifier).
    shown: RwSignal<String>,
    /// Set once a connect succeeded, until that bank's connection arrives.
    bank: RwSignal<Option<String>>,
    outcome: RwSignal<Option<FlowOutcome>>,
}

#[component]
fn Overview(
    o: EntityOverview,
    entity_id: String,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let bank = o.entity.shown_bank_name().to_owned();
    let bank_identifier = o.entity.bank_identifier.clone();
    expect_context::<ConnectAgain>().shown.set(bank_identifier.clone());
    view! {
        <div class="dash-head">
            <div>
                <h1 data-testid="bank-title">{bank.clone()}</h1>
                <p class="muted"><bdi>{o.entity.bank_identifier.clone()}</bdi></p>
            </div>
            <RefreshButton entity_id=entity_id.clone() status=o.entity.refresh_status.clone() on_change/>
        </div>
        {match o.accounts {
            DataState::Ready(accounts) => view! {
                <Accounts accounts=accounts entity_id=entity_id.clone() range=(o.default_from.clone(), o.default_to.clone())/>
                <IdentityCard identity=o.identity/>
            }.into_any(),
            other => view! { <StateNotice state=other bank=bank bank_identifier entity_id=entity_id on_change/> }.into_any(),
        }}
    }
}

/// Explains a data state that is not the data itself, in plain words, with the fix when there is one.
#[component]
fn StateNotice<T: 'static>(
    state: DataState<T>,
    bank: String,
    /// The bank's Lean identifier; empty where the notice is about one part of the page only.
    #[prop(default = String::new())]
    bank_identifier: String,
    entity_id: String,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    match state {
        DataState::Ready(_) => ().into_any(),
        // Lean answered PENDING with a results_id; its results.ready webhook brings the data, and the
        // live stream tells this page (no polling, no button).
        DataState::Pending => view! {
            <div class="notice" role="status" aria-live="polite" data-testid="data-state" data-state="PENDING">
                <p><span class="bank-spinner" aria-hidden="true"></span>{t("bank-pending")}</p>
                <p class="small muted">{t("bank-pending-hint")}</p>
            </div>
        }.into_any(),
        DataState::Failed { code, message } => view! {
            <div class="notice error" role="alert" data-testid="data-state" data-state="FAILED">
                <p>{t_with("bank-failed", &[("bank", arg(&bank))])} " " <bdi>{message}</bdi></p>
                <p class="small muted">{t("bank-lean-code")} " " <bdi><code>{code}</code></bdi></p>
            </div>
        }.into_any(),
        DataState::ConsentExpired => {
            let again = expect_context::<ConnectAgain>();
            view! {
                <div class="notice error" role="alert" data-testid="data-state" data-state="CONSENT_EXPIRED">
                    <p>{t_with("bank-consent-expired", &[("bank", arg(&bank))])}</p>
                    {(!bank_identifier.is_empty()).then(|| {
                        view! {
                            <ConnectButton label=t("bank-connect-again") testid="connect-again"
                                on_outcome=move |o: FlowOutcome| {
                                    if o.status.as_str() == "SUCCESS" {
                                        again.bank.set(Some(again.shown.get_untracked()));
                                        // Lean renews this connection; its webhook updates the page too.
                                        on_change();
                                    }
                                    again.outcome.set(Some(o));
                                }/>
                        }
                    })}
                </div>
            }
        }.into_any(),
        DataState::ReconnectRequired { .. } => view! {
            <div class="notice error" role="alert" data-testid="data-state" data-state="RECONNECT_REQUIRED">
                <p>{t_with("bank-reconnect-required", &[("bank", arg(&bank))])}</p>
                <ReconnectButton entity_id on_change/>
            </div>
        }.into_any(),
    }
}

#[component]
fn ReconnectButton(entity_id: String, on_change: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let busy = RwSignal::new(false);
    let ready = crate::app::hydrated::use_hydrated();
    let error = RwSignal::new(None::<String>);
    let entity_id = StoredValue::new(entity_id);
    let start = move |_| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let ended = launch(launch_reconnect(entity_id.get_value()), Launch::reconnect, |_, _| ()).await;
            // Lean has the bank's login again whether or not the outcome was recorded.
            let reconnected = match &ended {
                Ok(outcome) => outcome.status.as_str() == "SUCCESS",
                Err(e) => e.closed().is_some_and(|data| data.status.as_str() == "SUCCESS"),
            };
            if let Err(e) = ended {
                error.set(Some(e.localized()));
            }
            busy.set(false);
            if reconnected {
                on_change();
            }
        });
    };
    view! {
        <button type="button" class="button primary small-btn" data-testid="reconnect" on:click=start
            disabled=move || busy.get() || !ready.get()>
            {move || if busy.get() { t("bank-reconnecting") } else { t("bank-reconnect") }}
        </button>
        <p class="form-error" role="alert">{move || error.get()}</p>
    }
}

/// Lean's `account_sub_type` in words (the exports leave it a free string; banks send e.g. CURRENT).
fn kind_label(kind: &str) -> String {
    match kind {
        "CURRENT" | "CURRENT_ACCOUNT" => t("bank-kind-current"),
        "SAVINGS" | "SAVINGS_ACCOUNT" => t("bank-kind-savings"),
        "CREDIT" | "CREDIT_CARD" => t("bank-kind-credit-card"),
        other => category_label(other),
    }
}

fn balance_label(kind: Option<&str>) -> String {
    match kind {
        Some("INTERIM_AVAILABLE") | Some("CLOSING_AVAILABLE") => t("bank-balance-available"),
        Some("CLOSING_BOOKED") | Some("INTERIM_BOOKED") => t("bank-balance-booked"),
        _ => t("bank-balance"),
    }
}

#[component]
fn Accounts(accounts: Vec<AccountSummary>, entity_id: String, range: (String, String)) -> impl IntoView {
    let ready = crate::app::hydrated::use_hydrated();
    if accounts.is_empty() {
        return view! { <p class="muted">{t("bank-no-accounts")}</p> }.into_any();
    }
    let choices = expect_context::<Choices>();
    let selected = choices.account;
    if selected.get_untracked().is_none_or(|id| !accounts.iter().any(|a| a.id == id)) {
        selected.set(Some(accounts[0].id.clone()));
    }
    let list = accounts.clone();
    view! {
        <section aria-labelledby="accounts-title">
            <h2 id="accounts-title">{t("bank-accounts-title")}</h2>
            <ul class="account-grid" data-testid="account-list">
                {list.into_iter().map(|a| {
                    let id = a.id.clone();
                    let id2 = a.id.clone();
                    view! {
                        <li>
                            <button type="button" class="account" data-testid="account-card" disabled=move || !ready.get()
                                aria-pressed=move || (selected.get().as_deref() == Some(id.as_str())).to_string()
                                on:click=move |_| {
                                    selected.set(Some(id2.clone()));
                                    choices.page.set(0);
                                }>
                                <span class="account-name"><bdi>{a.name.clone()}</bdi></span>
                                <span class="small muted">{kind_label(&a.kind)} " " <bdi>{format!("···· {}", a.iban_tail)}</bdi></span>
                                <bdi class="account-balance" data-testid="account-balance">
                                    {a.balance.as_ref().map(ToString::to_string).unwrap_or_else(|| "—".into())}
                                </bdi>
                                <span class="small muted">{balance_label(a.balance_type.as_deref())}</span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
        // Creates resources once rendered (see `hydrating`).
        {move || {
            let id = selected.get();
            let account = accounts.iter().find(|a| Some(&a.id) == id.as_ref()).cloned();
            let (entity_id, range) = (entity_id.clone(), range.clone());
            hydrating(move || account.map(|a| view! {
                <Insights entity_id=entity_id.clone() account=a.clone()/>
                <Transactions entity_id account=a range/>
            }))
        }}
    }
    .into_any()
}

#[component]
fn Transactions(entity_id: String, account: AccountSummary, range: (String, String)) -> impl IntoView {
    let Choices { from, to, page, .. } = expect_context::<Choices>();
    if from.get_untracked().is_empty() {
        from.set(range.0);
        to.set(range.1);
    }
    let key = (entity_id, account.id.clone());
    let rows = Resource::new(
        move || (key.clone(), from.get(), to.get(), page.get()),
        |((entity, account), from, to, page)| account_transactions(entity, account, from, to, page),
    );
    view! {
        <section class="history" aria-labelledby="tx-title">
            <h2 id="tx-title">{t("bank-transactions-title")} " · " <bdi>{account.name.clone()}</bdi></h2>
            <div class="filters">
                <label>{t("bank-from")} <input type="date" data-testid="tx-from" prop:value=move || from.get()
                    on:change=move |ev| { from.set(event_target_value(&ev)); page.set(0); }/></label>
                <label>{t("bank-to")} <input type="date" data-testid="tx-to" prop:value=move || to.get()
                    on:change=move |ev| { to.set(event_target_value(&ev)); page.set(0); }/></label>
            </div>
            <Transition fallback=|| view! { <p class="muted">{t("bank-tx-loading")}</p> }>
                {move || rows.get().map(|r| match r {
                    Ok(DataState::Ready(p)) => view! { <TransactionTable p=p page/> }.into_any(),
                    Ok(other) => view! {
                        <StateNotice state=other bank=t("bank-the-bank") entity_id=String::new() on_change=move || page.update(|_| {})/>
                    }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{e.localized()}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn TransactionTable(p: TransactionsPage, page: RwSignal<u32>) -> impl IntoView {
    let ready = crate::app::hydrated::use_hydrated();
    if p.rows.is_empty() {
        return view! { <p class="muted" data-testid="tx-empty">{t("bank-tx-empty")}</p> }.into_any();
    }
    let (current, total) = (p.page, p.total_pages.max(1));
    view! {
        <table class="table" data-testid="tx-table">
            <thead><tr>
                <th scope="col">{t("bank-col-date")}</th><th scope="col">{t("bank-col-description")}</th>
                <th scope="col">{t("bank-col-category")}</th><th scope="col" class="num">{t("bank-col-amount")}</th>
            </tr></thead>
            <tbody>
                {p.rows.into_iter().map(|row| {
                    let out = row.amount.minor < 0;
                    view! {
                        <tr data-testid="tx-row">
                            // Dates stay ISO (YYYY-MM-DD) in both languages, as everywhere in the app.
                            <td><bdi class="nowrap">{row.date}</bdi></td>
                            <td><bdi>{row.description}</bdi></td>
                            <td>{category_label(&row.category.unwrap_or_default())}</td>
                            <td class=if out { "num out" } else { "num in" }><bdi>{row.amount.to_string()}</bdi></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <nav class="pager" aria-label=t("bank-pages-label")>
            <button type="button" class="button ghost small-btn" disabled=move || current == 0 || !ready.get()
                on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>{t("bank-newer")}</button>
            <span data-testid="tx-page">
                {t_with("bank-page-of", &[("page", num(i64::from(current) + 1)), ("total", num(i64::from(total)))])}
            </span>
            <button type="button" class="button ghost small-btn"
                disabled=move || { current + 1 >= total || !ready.get() }
                on:click=move |_| page.update(|p| *p += 1)>{t("bank-older")}</button>
        </nav>
    }
    .into_any()
}

#[component]
fn IdentityCard(identity: DataState<IdentitySummary>) -> impl IntoView {
    let DataState::Ready(id) = identity else {
        return ().into_any();
    };
    view! {
        <section class="history" aria-labelledby="identity-title">
            <h2 id="identity-title">{t("bank-identity-title")}</h2>
            <dl class="identity" data-testid="identity">
                <dt>{t("bank-identity-name")}</dt><dd><bdi>{id.full_name}</bdi></dd>
                {id.email.map(|e| view! { <dt>{t("bank-identity-email")}</dt><dd><bdi>{e}</bdi></dd> })}
                {id.mobile.map(|m| view! { <dt>{t("bank-identity-mobile")}</dt><dd><bdi>{m}</bdi></dd> })}
                {id.address.map(|a| view! { <dt>{t("bank-identity-address")}</dt><dd><bdi>{a}</bdi></dd> })}
            </dl>
        </section>
    }
    .into_any()
}

/// "Refresh data": Lean fetches from the bank again; the status line follows Lean's webhooks live.
#[component]
fn RefreshButton(
    entity_id: String,
    status: Option<String>,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let action = ServerAction::<RefreshEntity>::new();
    Effect::new(move |_| {
        if action.value().get().is_some() {
            on_change();
        }
    });
    let running = matches!(status.as_deref(), Some("PENDING") | Some("IN_PROGRESS"));
    let status_text = match status.as_deref() {
        Some("PENDING") | Some("IN_PROGRESS") => t("bank-refresh-running"),
        Some("FINISHED") | Some("OK") => t("bank-refresh-done"),
        Some("FAILED") => t("bank-refresh-failed"),
        _ => String::new(),
    };
    let problem = move || match action.value().get() {
        Some(Err(e)) => Some(e.localized()),
        Some(Ok(DataState::Failed { message, .. })) => Some(message),
        Some(Ok(DataState::ConsentExpired)) => Some(t("bank-refresh-consent-expired")),
        Some(Ok(DataState::ReconnectRequired { .. })) => Some(t("bank-refresh-reconnect")),
        _ => None,
    };
    view! {
        <div class="refresh">
            <ActionForm action=action attr:class="inline-form">
                <input type="hidden" name="entity_id" value=entity_id/>
                <button type="submit" class="button ghost small-btn" data-testid="refresh-data"
                    disabled=move || running || action.pending().get()>{t("bank-refresh")}</button>
            </ActionForm>
            <p class="small muted" role="status" data-testid="refresh-status">{status_text}</p>
            <p class="form-error" role="alert">{problem}</p>
        </div>
    }
}

/// The last 90 days of one account, drawn.
#[component]
fn Insights(entity_id: String, account: AccountSummary) -> impl IntoView {
    let key = (entity_id, account.id.clone());
    let insights = Resource::new(move || key.clone(), |(entity, account)| account_insights(entity, account));
    view! {
        <Transition fallback=|| view! { <p class="muted">{t("bank-charts-loading")}</p> }>
            {move || insights.get().map(|r| match r {
                Ok(DataState::Ready(i)) => view! {
                    <div class="charts">
                        <section class="chart-card" aria-labelledby="spending-title">
                            <h3 id="spending-title">{t("bank-chart-spending-title")}</h3>
                            <SpendingChart spending=i.spending.clone() currency=i.currency.clone()/>
                        </section>
                        <section class="chart-card" aria-labelledby="balance-title">
                            <h3 id="balance-title">{t("bank-chart-balance-title")}</h3>
                            <BalanceChart points=i.balance.clone() currency=i.currency.clone()/>
                        </section>
                    </div>
                }.into_any(),
                // Other states are explained by the transactions section just below.
                Ok(_) => ().into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.localized()}</p> }.into_any(),
            })}
        </Transition>
    }
}

/// What the user picked on this page: the account, the dates and the page of transactions.
#[derive(Clone, Copy)]
struct Choices {
    account: RwSignal<Option<String>>,
    from: RwSignal<String>,
    to: RwSignal<String>,
    page: RwSignal<u32>,
}

impl Default for Choices {
    fn default() -> Self {
        Choices {
            account: RwSignal::new(None),
            from: RwSignal::new(String::new()),
            to: RwSignal::new(String::new()),
            page: RwSignal::new(0),
        }
    }
}
