use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::account_insights;
use crate::api::{
    account_transactions, fetch_entity_overview, launch_reconnect, record_flow_outcome, RefreshEntity,
};
use crate::app::components::charts::{BalanceChart, SpendingChart};
use crate::app::live::use_live_events;
use crate::link_sdk;
use crate::model::{AccountSummary, AppError, DataState, EntityOverview, IdentitySummary, TransactionsPage};

/// One bank connection: its accounts and balances, transactions, and the account holder's identity,
/// with Lean's asynchronous and failure states explained and, where the user can fix them, a button.
#[component]
pub fn BankPage() -> impl IntoView {
    let params = use_params_map();
    let entity_id = move || params.read().get("id").unwrap_or_default();
    let version = RwSignal::new(0u32);
    let overview = Resource::new(move || (entity_id(), version.get()), |(id, _)| fetch_entity_overview(id));
    // A webhook about this bank (reconnected, refresh progress) may change what Lean will answer.
    let live = use_live_events(move |event| {
        let crate::model::LiveEvent::EntityChanged { entity } = event else { return };
        if entity.id == entity_id() {
            version.update(|v| *v += 1);
        }
    });
    // Catch what was applied between the first load and the stream opening.
    Effect::new(move |_| {
        if live.get() == crate::app::live::LiveStatus::Live {
            version.update(|v| *v += 1);
        }
    });
    // The user's choices outlive a reload of the overview (live updates), so live data never resets them.
    provide_context(Choices::default());

    view! {
        <p><A href="/dashboard">"← Your banks"</A></p>
        <Transition fallback=|| view! { <p class="muted">"Asking Lean for this bank's data…"</p> }>
            {move || overview.get().map(|r| match r {
                Ok(o) => view! { <Overview o=o entity_id=entity_id() on_change=move || version.update(|v| *v += 1)/> }.into_any(),
                Err(AppError::Forbidden) => view! {
                    <p class="notice error" role="alert">"This bank connection is not one of yours."</p>
                }.into_any(),
                Err(e) => view! { <p class="notice error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn Overview(
    o: EntityOverview,
    entity_id: String,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let bank = o.entity.bank_name.clone();
    view! {
        <div class="dash-head">
            <div>
                <h1 data-testid="bank-title">{bank.clone()}</h1>
                <p class="muted">{o.entity.bank_identifier.clone()}</p>
            </div>
            <RefreshButton entity_id=entity_id.clone() status=o.entity.refresh_status.clone() on_change/>
        </div>
        {match o.accounts {
            DataState::Ready(accounts) => view! {
                <Accounts accounts=accounts entity_id=entity_id.clone() range=(o.default_from.clone(), o.default_to.clone())/>
                <IdentityCard identity=o.identity/>
            }.into_any(),
            other => view! { <StateNotice state=other bank=bank entity_id=entity_id on_change/> }.into_any(),
        }}
    }
}

/// Explains a data state that is not the data itself, in plain words, with the fix when there is one.
#[component]
fn StateNotice<T: 'static>(
    state: DataState<T>,
    bank: String,
    entity_id: String,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    match state {
        DataState::Ready(_) => ().into_any(),
        DataState::Pending => view! {
            <div class="notice" role="status" data-testid="data-state" data-state="PENDING">
                <p>"Lean is still fetching this data from the bank. It will appear here when it is ready."</p>
                <button type="button" class="button ghost small-btn" on:click=move |_| on_change()>"Check again"</button>
            </div>
        }.into_any(),
        DataState::Failed { code, message } => view! {
            <div class="notice error" role="alert" data-testid="data-state" data-state="FAILED">
                <p>{format!("{bank} could not provide this data: {message}")}</p>
                <p class="small muted">{format!("Lean's code: {code}")}</p>
            </div>
        }.into_any(),
        DataState::ConsentExpired => view! {
            <div class="notice error" role="alert" data-testid="data-state" data-state="CONSENT_EXPIRED">
                <p>{format!("Your consent to share {bank} data has expired. Connect the bank again from “Your banks” to renew it.")}</p>
            </div>
        }.into_any(),
        DataState::ReconnectRequired { .. } => view! {
            <div class="notice error" role="alert" data-testid="data-state" data-state="RECONNECT_REQUIRED">
                <p>{format!("{bank} needs you to log in again before Lean can fetch new data.")}</p>
                <ReconnectButton entity_id on_change/>
            </div>
        }.into_any(),
    }
}

#[component]
fn ReconnectButton(entity_id: String, on_change: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let entity_id = StoredValue::new(entity_id);
    let start = move |_| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let config = match launch_reconnect(entity_id.get_value()).await {
                Ok(c) => c,
                Err(e) => {
                    error.set(Some(e.to_string()));
                    busy.set(false);
                    return;
                }
            };
            let launched = link_sdk::reconnect(&config, move |data| {
                spawn_local(async move {
                    let ok = data.status == "SUCCESS";
                    if let Err(e) = record_flow_outcome("reconnect".into(), data).await {
                        error.set(Some(format!("The outcome could not be saved: {e}")));
                    }
                    busy.set(false);
                    if ok {
                        on_change();
                    }
                });
            });
            if let Err(e) = launched {
                error.set(Some(e.to_string()));
                busy.set(false);
            }
        });
    };
    view! {
        <button type="button" class="button primary small-btn" data-testid="reconnect" on:click=start
            disabled=move || busy.get()>
            {move || if busy.get() { "Reconnecting…" } else { "Reconnect" }}
        </button>
        <p class="form-error" role="alert">{move || error.get()}</p>
    }
}

/// Lean's `account_sub_type` in words (the exports leave it a free string; banks send e.g. CURRENT).
fn kind_label(kind: &str) -> String {
    match kind {
        "CURRENT" | "CURRENT_ACCOUNT" => "Current account".into(),
        "SAVINGS" | "SAVINGS_ACCOUNT" => "Savings".into(),
        "CREDIT" | "CREDIT_CARD" => "Credit card".into(),
        other => sentence_case(other),
    }
}

/// GROCERIES_AND_FOOD → "Groceries and food".
fn sentence_case(s: &str) -> String {
    let lower = s.replace('_', " ").to_lowercase();
    let mut chars = lower.chars();
    chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
}

fn balance_label(kind: Option<&str>) -> &'static str {
    match kind {
        Some("INTERIM_AVAILABLE") | Some("CLOSING_AVAILABLE") => "Available now",
        Some("CLOSING_BOOKED") | Some("INTERIM_BOOKED") => "Booked balance",
        _ => "Balance",
    }
}

#[component]
fn Accounts(accounts: Vec<AccountSummary>, entity_id: String, range: (String, String)) -> impl IntoView {
    if accounts.is_empty() {
        return view! { <p class="muted">"Lean found no accounts at this bank."</p> }.into_any();
    }
    let choices = expect_context::<Choices>();
    let selected = choices.account;
    if selected.get_untracked().is_none_or(|id| !accounts.iter().any(|a| a.id == id)) {
        selected.set(Some(accounts[0].id.clone()));
    }
    let list = accounts.clone();
    view! {
        <section aria-labelledby="accounts-title">
            <h2 id="accounts-title">"Accounts"</h2>
            <ul class="account-grid" data-testid="account-list">
                {list.into_iter().map(|a| {
                    let id = a.id.clone();
                    let id2 = a.id.clone();
                    view! {
                        <li>
                            <button type="button" class="account" data-testid="account-card"
                                aria-pressed=move || (selected.get().as_deref() == Some(id.as_str())).to_string()
                                on:click=move |_| {
                                    selected.set(Some(id2.clone()));
                                    choices.page.set(0);
                                }>
                                <span class="account-name">{a.name.clone()}</span>
                                <span class="small muted">{format!("{} ···· {}", kind_label(&a.kind), a.iban_tail)}</span>
                                <span class="account-balance" data-testid="account-balance">
                                    {a.balance.clone().map(|b| format!("{b} {}", a.currency)).unwrap_or_else(|| "—".into())}
                                </span>
                                <span class="small muted">{balance_label(a.balance_type.as_deref())}</span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
        {move || {
            let id = selected.get();
            let account = accounts.iter().find(|a| Some(&a.id) == id.as_ref()).cloned();
            account.map(|a| view! {
                <Insights entity_id=entity_id.clone() account=a.clone()/>
                <Transactions entity_id=entity_id.clone() account=a range=range.clone()/>
            })
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
            <h2 id="tx-title">{format!("Transactions · {}", account.name)}</h2>
            <div class="filters">
                <label>"From" <input type="date" data-testid="tx-from" prop:value=move || from.get()
                    on:change=move |ev| { from.set(event_target_value(&ev)); page.set(0); }/></label>
                <label>"To" <input type="date" data-testid="tx-to" prop:value=move || to.get()
                    on:change=move |ev| { to.set(event_target_value(&ev)); page.set(0); }/></label>
            </div>
            <Transition fallback=|| view! { <p class="muted">"Loading transactions…"</p> }>
                {move || rows.get().map(|r| match r {
                    Ok(DataState::Ready(p)) => view! { <TransactionTable p=p page/> }.into_any(),
                    Ok(other) => view! {
                        <StateNotice state=other bank="The bank".into() entity_id=String::new() on_change=move || page.update(|_| {})/>
                    }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn TransactionTable(p: TransactionsPage, page: RwSignal<u32>) -> impl IntoView {
    if p.rows.is_empty() {
        return view! { <p class="muted" data-testid="tx-empty">"No transactions in these dates."</p> }
            .into_any();
    }
    let (current, total) = (p.page, p.total_pages.max(1));
    view! {
        <table class="table" data-testid="tx-table">
            <thead><tr>
                <th scope="col">"Date"</th><th scope="col">"Description"</th>
                <th scope="col">"Category"</th><th scope="col" class="num">"Amount"</th>
            </tr></thead>
            <tbody>
                {p.rows.into_iter().map(|t| {
                    let out = t.amount.starts_with('-');
                    view! {
                        <tr data-testid="tx-row">
                            <td>{t.date}</td>
                            <td>{t.description}</td>
                            <td>{sentence_case(&t.category.unwrap_or_default())}</td>
                            <td class=if out { "num out" } else { "num in" }>{format!("{} {}", t.amount, t.currency)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <nav class="pager" aria-label="Transaction pages">
            <button type="button" class="button ghost small-btn" disabled={current == 0}
                on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"Newer"</button>
            <span data-testid="tx-page">{format!("Page {} of {total}", current + 1)}</span>
            <button type="button" class="button ghost small-btn" disabled={current + 1 >= total}
                on:click=move |_| page.update(|p| *p += 1)>"Older"</button>
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
            <h2 id="identity-title">"Account holder"</h2>
            <dl class="identity" data-testid="identity">
                <dt>"Name"</dt><dd>{id.full_name}</dd>
                {id.email.map(|e| view! { <dt>"Email"</dt><dd>{e}</dd> })}
                {id.mobile.map(|m| view! { <dt>"Mobile"</dt><dd>{m}</dd> })}
                {id.address.map(|a| view! { <dt>"Address"</dt><dd>{a}</dd> })}
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
        Some("PENDING") | Some("IN_PROGRESS") => "Lean is fetching fresh data from the bank…",
        Some("FINISHED") | Some("OK") => "Data is up to date.",
        Some("FAILED") => "The last refresh failed; try again later.",
        _ => "",
    };
    let problem = move || match action.value().get() {
        Some(Err(e)) => Some(e.to_string()),
        Some(Ok(DataState::Failed { message, .. })) => Some(message),
        Some(Ok(DataState::ConsentExpired)) => {
            Some("The consent has expired; connect the bank again.".into())
        }
        Some(Ok(DataState::ReconnectRequired { .. })) => Some("The bank needs you to log in again.".into()),
        _ => None,
    };
    view! {
        <div class="refresh">
            <ActionForm action=action attr:class="inline-form">
                <input type="hidden" name="entity_id" value=entity_id/>
                <button type="submit" class="button ghost small-btn" data-testid="refresh-data"
                    disabled=move || running || action.pending().get()>"Refresh data"</button>
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
        <Transition fallback=|| view! { <p class="muted">"Drawing the last 90 days…"</p> }>
            {move || insights.get().map(|r| match r {
                Ok(DataState::Ready(i)) => view! {
                    <div class="charts">
                        <section class="chart-card" aria-labelledby="spending-title">
                            <h3 id="spending-title">"Spending by category · last 90 days"</h3>
                            <SpendingChart spending=i.spending.clone() currency=i.currency.clone()/>
                        </section>
                        <section class="chart-card" aria-labelledby="balance-title">
                            <h3 id="balance-title">"Balance over time"</h3>
                            <BalanceChart points=i.balance.clone() currency=i.currency.clone()/>
                        </section>
                    </div>
                }.into_any(),
                // Other states are explained by the transactions section just below.
                Ok(_) => ().into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
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
