use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::Redirect;

use crate::api::{
    create_destination, create_payment, fetch_current_user, fetch_payments, launch_payment,
    launch_payment_source, record_flow_outcome,
};
use crate::app::live::{use_live_events, LiveStatus};
use crate::link_sdk;
use crate::model::{parse_amount, AppError, CallbackData, Destination, LiveEvent, PaymentRow, CURRENCIES};

#[component]
pub fn PaymentsPage() -> impl IntoView {
    let user = Resource::new(|| (), |_| fetch_current_user());
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || {
                user.get()
                    .map(|u| match u {
                        Ok(Some(_)) => view! { <Payments/> }.into_any(),
                        Ok(None) | Err(AppError::SignInRequired) => view! { <Redirect path="/signin"/> }.into_any(),
                        Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    })
            }}
        </Transition>
    }
}

/// The message of an `Invalid` error about `field`, for showing next to that field.
pub fn field_message(error: Option<AppError>, field: &str) -> Option<String> {
    match error {
        Some(AppError::Invalid { field: f, message }) if f == field => Some(message),
        _ => None,
    }
}

/// Any error that is not about one of `fields`, for showing under the form.
fn general_message(error: Option<AppError>, fields: &[&str]) -> Option<String> {
    match error {
        Some(AppError::Invalid { field, .. }) if fields.contains(&field.as_str()) => None,
        Some(e) => Some(e.to_string()),
        None => None,
    }
}

pub fn status_badge(status: &str) -> &'static str {
    match status {
        "ACCEPTED_BY_BANK" => "badge badge-ok",
        "PENDING_WITH_BANK" => "badge badge-warn",
        "FAILED" | "REJECTED_BY_BANK" => "badge badge-error",
        _ => "badge",
    }
}

/// A plain sentence for how a payment SDK flow ended.
fn outcome_text(method: &str, data: &CallbackData) -> (String, &'static str) {
    let detail =
        data.message.clone().or(data.secondary_status.clone()).unwrap_or_else(|| "unknown error".into());
    match data.status.as_str() {
        "SUCCESS" if method == "pay" => (
            "Payment submitted. Its status below follows the bank's answer as Lean reports it.".into(),
            "notice ok",
        ),
        "SUCCESS" => ("Done. Lean is confirming it with the bank.".into(), "notice ok"),
        "CANCELLED" => ("You closed Lean before finishing. Nothing was paid.".into(), "notice"),
        "REDIRECT" => ("Taking you to your bank…".into(), "notice"),
        _ => (
            match data.secondary_status.as_deref().and_then(crate::api::payments::lean_payment_error) {
                Some((_, plain)) => plain.to_owned(),
                None => format!("It did not complete: {detail}"),
            },
            "notice error",
        ),
    }
}

#[component]
fn Payments() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let overview = Resource::new(move || version.get(), |_| fetch_payments());
    let destinations = RwSignal::new(Vec::<Destination>::new());
    Effect::new(move |_| {
        if let Some(Ok(o)) = overview.get() {
            destinations.set(o.destinations);
        }
    });
    let live = use_live_events(move |event| {
        if matches!(event, LiveEvent::PaymentChanged { .. } | LiveEvent::PaymentSourceChanged { .. }) {
            version.update(|v| *v += 1);
        }
    });
    // A webhook applied between the first load and the stream opening is caught by a reload then.
    Effect::new(move |_| {
        if live.get() == LiveStatus::Live {
            version.update(|v| *v += 1);
        }
    });
    let reload = move || version.update(|v| *v += 1);
    let outcome = RwSignal::new(None::<(String, &'static str, String)>);

    view! {
        <div class="dash-head">
            <div>
                <h1>"Payments"</h1>
                <p class="muted">"Pay your own destinations through Lean. Statuses follow Lean's webhooks live."</p>
            </div>
            <span class=move || format!("live live-{:?}", live.get()).to_lowercase() data-testid="live-status"
                role="status" aria-live="polite">
                <span class="dot" aria-hidden="true"></span>
                {move || match live.get() {
                    LiveStatus::Connecting => "Connecting…",
                    LiveStatus::Live => "Live",
                    LiveStatus::Reconnecting => "Reconnecting…",
                }}
            </span>
        </div>
        {move || outcome.get().map(|(text, class, status)| view! {
            <div class=class role="status" data-testid="payment-outcome" data-status=status><p>{text}</p></div>
        })}

        <div class="pay-grid">
            <NewPaymentForm destinations on_created=reload/>
            <DestinationForm on_created=reload/>
        </div>

        <section class="history" aria-labelledby="payments-title">
            <h2 id="payments-title">"Payment history"</h2>
            <Transition fallback=|| view! { <p class="muted">"Loading payments…"</p> }>
                {move || overview.get().map(|r| match r {
                    Ok(o) if o.payments.is_empty() => view! {
                        <p class="muted" data-testid="payments-empty">"No payments yet."</p>
                    }.into_any(),
                    Ok(o) => view! { <PaymentTable rows=o.payments outcome on_change=reload/> }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                })}
            </Transition>
        </section>

        <section class="history" aria-labelledby="destinations-title">
            <h2 id="destinations-title">"Payment destinations"</h2>
            {move || {
                let list = destinations.get();
                if list.is_empty() {
                    return view! { <p class="muted" data-testid="destinations-empty">"No destinations yet. Add one above."</p> }.into_any();
                }
                view! {
                    <table class="table" data-testid="destination-list">
                        <thead><tr>
                            <th scope="col">"Name"</th><th scope="col">"IBAN"</th>
                            <th scope="col">"Currency"</th><th scope="col">"Status"</th>
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|d| view! {
                                <tr data-testid="destination-row" data-id=d.id.clone()>
                                    <td>{d.display_name.clone()} {d.default.then(|| view! { " " <span class="badge">"default"</span> })}</td>
                                    <td><code>{d.iban}</code></td>
                                    <td>{d.currency}</td>
                                    <td>{d.status}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <PaymentSourceControls destinations outcome/>
            <Transition fallback=|| ()>
                {move || overview.get().map(|r| match r {
                    Ok(o) => view! { <SourceList sources=o.sources destinations=o.destinations/> }.into_any(),
                    Err(_) => ().into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn DestinationForm(on_created: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let iban = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let done = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        done.set(None);
        if name.get_untracked().split_whitespace().count() < 2 {
            error.set(Some(AppError::invalid(
                "name",
                "Enter the account holder's full name: a first and a last name.",
            )));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match create_destination(name.get_untracked(), display_name.get_untracked(), iban.get_untracked())
                .await
            {
                Ok(d) => {
                    done.set(Some(format!("Added {}.", d.display_name)));
                    name.set(String::new());
                    display_name.set(String::new());
                    iban.set(String::new());
                    on_created();
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="card-form" on:submit=submit data-testid="destination-form" novalidate>
            <h2>"Add a destination"</h2>
            <div class="field">
                <label for="dest-name">"Account holder's name"</label>
                <input id="dest-name" autocomplete="off" aria-describedby="dest-name-error"
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                <p id="dest-name-error" class="field-error" role="alert" data-testid="dest-name-error">
                    {move || field_message(error.get(), "name")}
                </p>
            </div>
            <div class="field">
                <label for="dest-display">"Display name (optional)"</label>
                <input id="dest-display" autocomplete="off" aria-describedby="dest-display-error"
                    prop:value=move || display_name.get() on:input=move |ev| display_name.set(event_target_value(&ev))/>
                <p id="dest-display-error" class="field-error" role="alert">{move || field_message(error.get(), "display_name")}</p>
            </div>
            <div class="field">
                <label for="dest-iban">"IBAN"</label>
                <input id="dest-iban" autocomplete="off" placeholder="AE07 0331 2345 6789 0123 456"
                    aria-describedby="dest-iban-error"
                    prop:value=move || iban.get() on:input=move |ev| iban.set(event_target_value(&ev))/>
                <p id="dest-iban-error" class="field-error" role="alert" data-testid="dest-iban-error">
                    {move || field_message(error.get(), "iban")}
                </p>
            </div>
            <p class="form-error" role="alert">{move || general_message(error.get(), &["name", "display_name", "iban"])}</p>
            <p class="small" role="status" data-testid="destination-done">{move || done.get()}</p>
            <button type="submit" class="button" data-testid="add-destination" disabled=move || busy.get()>
                {move || if busy.get() { "Adding…" } else { "Add destination" }}
            </button>
        </form>
    }
}

#[component]
fn NewPaymentForm(
    destinations: RwSignal<Vec<Destination>>,
    on_created: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let destination = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let currency = RwSignal::new("AED".to_owned());
    let description = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    // The first destination is picked until the user picks another.
    Effect::new(move |_| {
        let list = destinations.get();
        if !list.iter().any(|d| d.id == destination.get_untracked()) {
            destination.set(list.first().map(|d| d.id.clone()).unwrap_or_default());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        if destination.get_untracked().is_empty() {
            error.set(Some(AppError::invalid("destination_id", "Add a destination first.")));
            return;
        }
        if let Err(m) = parse_amount(&amount.get_untracked()) {
            error.set(Some(AppError::invalid("amount", m)));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let created = create_payment(
                destination.get_untracked(),
                amount.get_untracked(),
                currency.get_untracked(),
                description.get_untracked(),
            )
            .await;
            match created {
                Ok(_) => {
                    amount.set(String::new());
                    description.set(String::new());
                    on_created();
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="card-form" on:submit=submit data-testid="payment-form" novalidate>
            <h2>"New payment"</h2>
            <div class="field">
                <label for="pay-destination">"Pay to"</label>
                <select id="pay-destination" aria-describedby="pay-destination-error"
                    on:change=move |ev| destination.set(event_target_value(&ev))
                    prop:value=move || destination.get()>
                    {move || destinations.get().into_iter().map(|d| {
                        let id = d.id.clone();
                        view! {
                            <option value=d.id selected=move || destination.get() == id>
                                {format!("{} ({})", d.display_name, d.currency)}
                            </option>
                        }
                    }).collect_view()}
                </select>
                <p id="pay-destination-error" class="field-error" role="alert">
                    {move || field_message(error.get(), "destination_id")}
                </p>
            </div>
            <div class="field-row">
                <div class="field">
                    <label for="pay-amount">"Amount"</label>
                    <input id="pay-amount" inputmode="decimal" autocomplete="off" placeholder="125.50"
                        aria-describedby="pay-amount-error"
                        prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))/>
                    <p id="pay-amount-error" class="field-error" role="alert" data-testid="pay-amount-error">
                        {move || field_message(error.get(), "amount")}
                    </p>
                </div>
                <div class="field">
                    <label for="pay-currency">"Currency"</label>
                    <select id="pay-currency" aria-describedby="pay-currency-error"
                        on:change=move |ev| currency.set(event_target_value(&ev)) prop:value=move || currency.get()>
                        {CURRENCIES.iter().map(|c| view! { <option value=*c>{*c}</option> }).collect_view()}
                    </select>
                    <p id="pay-currency-error" class="field-error" role="alert">
                        {move || field_message(error.get(), "currency")}
                    </p>
                </div>
            </div>
            <div class="field">
                <label for="pay-description">"Reference (optional, up to 32 characters)"</label>
                <input id="pay-description" maxlength="32" autocomplete="off" aria-describedby="pay-description-error"
                    prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev))/>
                <p id="pay-description-error" class="field-error" role="alert">
                    {move || field_message(error.get(), "description")}
                </p>
            </div>
            <p class="form-error" role="alert" data-testid="payment-form-error">
                {move || general_message(error.get(), &["destination_id", "amount", "currency", "description"])}
            </p>
            <button type="submit" class="button primary" data-testid="create-payment" disabled=move || busy.get()>
                {move || if busy.get() { "Creating…" } else { "Create payment" }}
            </button>
        </form>
    }
}

#[component]
fn PaymentTable(
    rows: Vec<PaymentRow>,
    outcome: RwSignal<Option<(String, &'static str, String)>>,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <table class="table" data-testid="payment-list">
            <thead><tr>
                <th scope="col">"Created"</th><th scope="col">"To"</th>
                <th scope="col" class="num">"Amount"</th><th scope="col">"Status"</th><th scope="col">"Pay"</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|p| {
                    let payable = p.payable();
                    let intent = StoredValue::new(p.intent_id.clone());
                    view! {
                        <tr data-testid="payment-row" data-intent-id=p.intent_id.clone()
                            data-payment-id=p.payment_id.clone().unwrap_or_default()>
                            <td>{p.created_at.get(..19).unwrap_or(&p.created_at).replace('T', " ")}</td>
                            <td>{p.destination_name.clone().unwrap_or_default()}</td>
                            <td class="num" data-testid="payment-amount">{format!("{} {}", p.amount, p.currency)}</td>
                            <td>
                                <span class=status_badge(&p.status) data-testid="payment-status" data-status=p.status.clone()
                                    title=p.status.clone()>
                                    {PaymentRow::status_text(&p.status)}
                                </span>
                            </td>
                            <td>
                                {payable.then(|| view! {
                                    <div class="pay-actions">
                                        <PayButton method="pay" label="Pay with bank" intent outcome on_change/>
                                        <PayButton method="checkout" label="Pay with Open Finance" intent outcome on_change/>
                                    </div>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Launches `Lean.pay` or `Lean.checkout` for one intent and records the callback.
#[component]
fn PayButton(
    method: &'static str,
    label: &'static str,
    intent: StoredValue<String>,
    outcome: RwSignal<Option<(String, &'static str, String)>>,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let start = move |_| {
        busy.set(true);
        outcome.set(None);
        spawn_local(async move {
            let launch = match launch_payment(intent.get_value()).await {
                Ok(l) => l,
                Err(e) => {
                    outcome.set(Some((e.to_string(), "notice error", "ERROR".into())));
                    busy.set(false);
                    return;
                }
            };
            let on_done = move |data: CallbackData| {
                let (text, class) = outcome_text(method, &data);
                outcome.set(Some((text, class, data.status.clone())));
                spawn_local(async move {
                    if let Err(e) = record_flow_outcome(method.into(), data).await {
                        outcome.set(Some((
                            format!("The outcome could not be saved: {e}"),
                            "notice error",
                            "ERROR".into(),
                        )));
                    }
                    busy.set(false);
                    on_change();
                });
            };
            let launched = if method == "checkout" {
                link_sdk::checkout(&launch, on_done)
            } else {
                link_sdk::pay(&launch, on_done)
            };
            if let Err(e) = launched {
                outcome.set(Some((e.to_string(), "notice error", "ERROR".into())));
                busy.set(false);
            }
        });
    };
    let testid = if method == "checkout" { "pay-open-finance" } else { "pay-with-bank" };
    view! {
        <button type="button" class="button small-btn" class:primary=move || method == "pay" data-testid=testid
            on:click=start disabled=move || busy.get()>
            {label}
        </button>
    }
}

/// Legacy payment sources: `createPaymentSource` (deprecated by Lean) and `updatePaymentSource`, each
/// adding the chosen destination as a beneficiary at the payer's bank.
#[component]
fn PaymentSourceControls(
    destinations: RwSignal<Vec<Destination>>,
    outcome: RwSignal<Option<(String, &'static str, String)>>,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let run = move |method: &'static str| {
        let Some(destination_id) = destinations.get_untracked().first().map(|d| d.id.clone()) else {
            outcome.set(Some(("Add a destination first.".into(), "notice error", "ERROR".into())));
            return;
        };
        busy.set(true);
        outcome.set(None);
        spawn_local(async move {
            let (config, destination_id) = match launch_payment_source(destination_id).await {
                Ok(c) => c,
                Err(e) => {
                    outcome.set(Some((e.to_string(), "notice error", "ERROR".into())));
                    busy.set(false);
                    return;
                }
            };
            let on_done = move |data: CallbackData| {
                let text = match (data.status.as_str(), data.secondary_status.as_deref()) {
                    ("SUCCESS", Some("PENDING_BENEFICIARY_COOL_OFF")) => {
                        "Payment source added. Your bank is in its cool-off period for this recipient; “Pay with bank” works once it ends.".to_owned()
                    }
                    ("SUCCESS", _) => "Payment source ready: the recipient is set up at your bank.".to_owned(),
                    _ => outcome_text(method, &data).0,
                };
                let class = if data.status == "SUCCESS" { "notice ok" } else { "notice error" };
                outcome.set(Some((text, class, data.status.clone())));
                spawn_local(async move {
                    let _ = record_flow_outcome(method.into(), data).await;
                    busy.set(false);
                });
            };
            let launched = if method == "createPaymentSource" {
                link_sdk::create_payment_source(&config, &destination_id, on_done)
            } else {
                link_sdk::update_payment_source(&config, &destination_id, None, on_done)
            };
            if let Err(e) = launched {
                outcome.set(Some((e.to_string(), "notice error", "ERROR".into())));
                busy.set(false);
            }
        });
    };
    view! {
        <div class="sources">
            <h3>"Pay with bank: payment source"</h3>
            <p class="small muted">
                "“Pay with bank” pays from a payment source: your bank account, with the first destination above "
                "added as a recipient. Open Finance needs none."
            </p>
            <div class="pay-actions">
                <button type="button" class="button small-btn" data-testid="create-payment-source"
                    on:click=move |_| run("createPaymentSource") disabled=move || busy.get()>
                    "Add a payment source"
                </button>
                <span class="badge badge-warn" title="Lean deprecated createPaymentSource in favour of Open Finance checkout">
                    "deprecated"
                </span>
                <button type="button" class="button ghost small-btn" data-testid="update-payment-source"
                    on:click=move |_| run("updatePaymentSource") disabled=move || busy.get()>
                    "Add destination as recipient"
                </button>
            </div>
        </div>
    }
}

/// Lean's payment source and beneficiary statuses in plain words, with the cool-off visible.
fn source_status_text(status: &str) -> &'static str {
    match status {
        "ACTIVE" => "Ready",
        "AWAITING_BENEFICIARY_COOL_OFF" | "PENDING_BENEFICIARY_COOL_OFF" => "In the bank's cool-off period",
        _ => "Being set up",
    }
}

#[component]
fn SourceList(sources: Vec<crate::model::PaymentSource>, destinations: Vec<Destination>) -> impl IntoView {
    if sources.is_empty() {
        return view! { <p class="muted small" data-testid="sources-empty">"No payment sources yet."</p> }
            .into_any();
    }
    let name_of = move |id: &str| {
        destinations
            .iter()
            .find(|d| d.id == id)
            .map(|d| d.display_name.clone())
            .unwrap_or_else(|| id.to_owned())
    };
    view! {
        <table class="table" data-testid="source-list">
            <thead><tr>
                <th scope="col">"Bank"</th><th scope="col">"Status"</th><th scope="col">"Recipients"</th>
            </tr></thead>
            <tbody>
                {sources.into_iter().map(|s| {
                    let cool_off = (s.status != "ACTIVE").then_some(s.cool_off_expiry.clone()).flatten();
                    view! {
                        <tr data-testid="source-row" data-id=s.id.clone()>
                            <td>{s.bank_identifier.clone()}</td>
                            <td>
                                <span class=if s.status == "ACTIVE" { "badge badge-ok" } else { "badge badge-warn" }
                                    data-testid="source-status" data-status=s.status.clone()>
                                    {source_status_text(&s.status)}
                                </span>
                                {cool_off.map(|t| view! {
                                    <span class="small muted">{format!(" until {}", t.get(..19).unwrap_or(&t).replace('T', " "))}</span>
                                })}
                            </td>
                            <td>
                                {s.beneficiaries.iter().map(|(dest, status)| format!("{} ({})", name_of(dest), source_status_text(status)))
                                    .collect::<Vec<_>>().join(", ")}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }.into_any()
}
