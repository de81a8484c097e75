use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::Redirect;

use crate::api::{
    create_destination, create_payment, fetch_current_user, fetch_customer_name, fetch_payments,
    launch_beneficiary, launch_payment, launch_payment_source, launch_verify_address, recent_flows,
    record_flow_outcome, save_customer_name,
};
use crate::app::live::{use_live_events, LiveStatus};
use crate::i18n::{arg, t, t_with};
use crate::link_sdk;
use crate::model::{
    parse_amount, parse_full_name, AppError, Beneficiary, CallbackData, Destination, FlowOutcome, LiveEvent,
    PaymentRow, PaymentSource, CURRENCIES,
};

/// An outcome notice: (text, CSS class, Lean status for tests and styling).
type Outcome = RwSignal<Option<(String, &'static str, String)>>;

#[component]
pub fn PaymentsPage() -> impl IntoView {
    let user = Resource::new(|| (), |_| fetch_current_user());
    view! {
        <Transition fallback=|| view! { <p class="muted">{t("loading")}</p> }>
            {move || {
                user.get()
                    .map(|u| match u {
                        Ok(Some(_)) => view! { <Payments/> }.into_any(),
                        Ok(None) | Err(AppError::SignInRequired) => view! { <Redirect path="/signin"/> }.into_any(),
                        Err(e) => view! { <p class="form-error" role="alert">{e.localized()}</p> }.into_any(),
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
        Some(e) => Some(e.localized()),
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

/// A plain sentence for how a payment SDK flow ended, with the notice's class.
fn outcome_text(method: &str, data: &CallbackData) -> (String, &'static str) {
    match data.status.as_str() {
        "SUCCESS" if method == "pay" => (t("pay-outcome-paid"), "notice ok"),
        "SUCCESS" => (t("pay-outcome-done"), "notice ok"),
        "CANCELLED" => (t("pay-outcome-cancelled"), "notice"),
        "REDIRECT" => (t("pay-outcome-redirect"), "notice"),
        _ => (failure_text(data), "notice error"),
    }
}

/// Why a flow failed: Lean's error code in plain words when it is one the app knows, else the words
/// Lean (or the bank) sent.
fn failure_text(data: &CallbackData) -> String {
    match data.secondary_status.as_deref().and_then(crate::api::payments::lean_payment_error) {
        Some((_, key)) => t(key),
        None => {
            let detail = data
                .message
                .clone()
                .or(data.secondary_status.clone())
                .unwrap_or_else(|| t("pay-unknown-error"));
            t_with("pay-outcome-failed", &[("detail", arg(detail))])
        }
    }
}

/// A Lean timestamp as "2026-11-21 09:30:00 UTC" (dates and times stay in Latin digits).
fn timestamp(text: &str) -> String {
    format!("{} UTC", text.get(..19).unwrap_or(text).replace('T', " "))
}

/// The island (a wasm chunk of its own): every section updates live and launches payment flows.
#[island(lazy)]
fn Payments() -> impl IntoView {
    crate::app::hydrated::island_started();
    let version = RwSignal::new(0u32);
    let overview = Resource::new(move || version.get(), |_| fetch_payments());
    let destinations = RwSignal::new(Vec::<Destination>::new());
    let sources = RwSignal::new(Vec::<PaymentSource>::new());
    Effect::new(move |_| {
        if let Some(Ok(o)) = overview.get() {
            destinations.set(o.destinations);
            sources.set(o.sources);
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
    let outcome: Outcome = RwSignal::new(None);

    view! {
        <PaymentsHead live/>
        {move || outcome.get().map(|(text, class, status)| view! {
            <div class=class role="status" data-testid="payment-outcome" data-status=status><p>{text}</p></div>
        })}
        <div class="pay-grid">
            <NewPaymentForm destinations on_created=reload/>
            <DestinationForm on_created=reload/>
        </div>
        <HistorySection overview outcome on_change=reload/>
        <DestinationsSection destinations/>
        <SourcesSection overview destinations sources outcome/>
        <VerifyAddress/>
    }
}

// Each section is its own type-erased component: the page's SSR stays shallow (debug builds render
// a deep view tree with large stack frames, and server threads have 2 MiB).

#[component]
fn PaymentsHead(live: ReadSignal<LiveStatus>) -> impl IntoView {
    view! {
        <div class="dash-head">
            <div>
                <h1>{t("pay-title")}</h1>
                <p class="muted">{t("pay-subtitle")}</p>
            </div>
            <span class=move || live.get().class() data-testid="live-status"
                role="status" aria-live="polite">
                <span class="dot" aria-hidden="true"></span>
                {move || match live.get() {
                    LiveStatus::Connecting => t("pay-live-connecting"),
                    LiveStatus::Live => t("pay-live-live"),
                    LiveStatus::Reconnecting => t("pay-live-reconnecting"),
                }}
            </span>
        </div>
    }
    .into_any()
}

type Overview = Resource<Result<crate::model::PaymentsOverview, AppError>>;

#[component]
fn HistorySection(
    overview: Overview,
    outcome: Outcome,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <section class="history" aria-labelledby="payments-title">
            <h2 id="payments-title">{t("pay-history-title")}</h2>
            <Transition fallback=|| view! { <p class="muted">{t("pay-history-loading")}</p> }>
                {move || overview.get().map(|r| match r {
                    Ok(o) if o.payments.is_empty() => view! {
                        <p class="muted" data-testid="payments-empty">{t("pay-history-empty")}</p>
                    }.into_any(),
                    Ok(o) => view! { <PaymentTable rows=o.payments outcome on_change/> }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{e.localized()}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
    .into_any()
}

#[component]
fn DestinationsSection(destinations: RwSignal<Vec<Destination>>) -> impl IntoView {
    view! {
        <section class="history" aria-labelledby="destinations-title">
            <h2 id="destinations-title">{t("pay-destinations-title")}</h2>
            {move || {
                let list = destinations.get();
                if list.is_empty() {
                    return view! { <p class="muted" data-testid="destinations-empty">{t("pay-destinations-empty")}</p> }.into_any();
                }
                view! {
                    <table class="table" data-testid="destination-list">
                        <thead><tr>
                            <th scope="col">{t("pay-col-name")}</th><th scope="col">"IBAN"</th>
                            <th scope="col">{t("pay-col-currency")}</th><th scope="col">{t("pay-col-status")}</th>
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|d| view! {
                                <tr data-testid="destination-row" data-id=d.id.clone()>
                                    <td><bdi>{d.display_name.clone()}</bdi> {d.default.then(|| view! { " " <span class="badge">{t("pay-destination-default")}</span> })}</td>
                                    <td><code class="ltr">{d.iban}</code></td>
                                    <td>{d.currency}</td>
                                    <td><span title=d.status.clone()>{destination_status_text(&d.status)}</span></td>
                                </tr>
                            }.into_any()).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

#[component]
fn SourcesSection(
    overview: Overview,
    destinations: RwSignal<Vec<Destination>>,
    sources: RwSignal<Vec<PaymentSource>>,
    outcome: Outcome,
) -> impl IntoView {
    view! {
        <section class="history" aria-labelledby="sources-title">
            <h2 id="sources-title">{t("pay-sources-title")}</h2>
            <p class="small muted">{t("pay-sources-intro")}</p>
            <PaymentSourceControls destinations sources outcome/>
            <Transition fallback=|| ()>
                {move || overview.get().map(|r| match r {
                    Ok(o) => view! { <SourceList sources=o.sources destinations=o.destinations/> }.into_any(),
                    Err(_) => ().into_any(),
                })}
            </Transition>
        </section>
    }
    .into_any()
}

/// Lean's destination statuses (§6.1) in plain words; Lean's own word stays in the title.
fn destination_status_text(status: &str) -> String {
    match status {
        "CONFIRMED" | "ACTIVE" => t("pay-destination-status-confirmed"),
        "PENDING" | "PENDING_CONFIRMATION" => t("pay-destination-status-pending"),
        "" => "—".to_owned(),
        other => other.to_owned(),
    }
}

#[component]
fn DestinationForm(on_created: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let ready = crate::app::hydrated::use_hydrated();
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
            error.set(Some(AppError::invalid("name", t("pay-dest-name-two-words"))));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match create_destination(name.get_untracked(), display_name.get_untracked(), iban.get_untracked())
                .await
            {
                Ok(d) => {
                    done.set(Some(t_with("pay-dest-added", &[("name", arg(&d.display_name))])));
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
            <h2>{t("pay-dest-form-title")}</h2>
            <div class="field">
                <label for="dest-name">{t("pay-dest-name-label")}</label>
                <input id="dest-name" autocomplete="off" aria-describedby="dest-name-error"
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                <p id="dest-name-error" class="field-error" role="alert" data-testid="dest-name-error">
                    {move || field_message(error.get(), "name")}
                </p>
            </div>
            <div class="field">
                <label for="dest-display">{t("pay-dest-display-label")}</label>
                <input id="dest-display" autocomplete="off" aria-describedby="dest-display-error"
                    prop:value=move || display_name.get() on:input=move |ev| display_name.set(event_target_value(&ev))/>
                <p id="dest-display-error" class="field-error" role="alert">{move || field_message(error.get(), "display_name")}</p>
            </div>
            <div class="field">
                <label for="dest-iban">"IBAN"</label>
                <input id="dest-iban" class="ltr" dir="ltr" autocomplete="off" placeholder="AE07 0331 2345 6789 0123 456"
                    aria-describedby="dest-iban-error"
                    prop:value=move || iban.get() on:input=move |ev| iban.set(event_target_value(&ev))/>
                <p id="dest-iban-error" class="field-error" role="alert" data-testid="dest-iban-error">
                    {move || field_message(error.get(), "iban")}
                </p>
            </div>
            <p class="form-error" role="alert">{move || general_message(error.get(), &["name", "display_name", "iban"])}</p>
            <p class="small" role="status" data-testid="destination-done">{move || done.get()}</p>
            <button type="submit" class="button" data-testid="add-destination"
                disabled=move || busy.get() || !ready.get()>
                {move || if busy.get() { t("pay-dest-adding") } else { t("pay-dest-add") }}
            </button>
        </form>
    }
    .into_any()
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
    let ready = crate::app::hydrated::use_hydrated();
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
            error.set(Some(AppError::invalid("destination_id", t("pay-add-destination-first"))));
            return;
        }
        if let Err(e) = parse_amount(&amount.get_untracked()) {
            error.set(Some(AppError::invalid("amount", t(e.key()))));
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
            <h2>{t("pay-form-title")}</h2>
            <div class="field">
                <label for="pay-destination">{t("pay-form-to")}</label>
                <select id="pay-destination" aria-describedby="pay-destination-error"
                    on:change=move |ev| destination.set(event_target_value(&ev))
                    prop:value=move || destination.get() disabled=move || destinations.with(Vec::is_empty)>
                    {move || destinations.with(Vec::is_empty).then(|| view! {
                        <option value="">{t("pay-no-destinations-option")}</option>
                    })}
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
                    <label for="pay-amount">{t("pay-form-amount")}</label>
                    <input id="pay-amount" class="ltr" dir="ltr" inputmode="decimal" autocomplete="off" placeholder="125.50"
                        aria-describedby="pay-amount-error"
                        prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))/>
                    <p id="pay-amount-error" class="field-error" role="alert" data-testid="pay-amount-error">
                        {move || field_message(error.get(), "amount")}
                    </p>
                </div>
                <div class="field">
                    <label for="pay-currency">{t("pay-form-currency")}</label>
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
                <label for="pay-description">{t("pay-form-reference")}</label>
                <input id="pay-description" maxlength="32" autocomplete="off" aria-describedby="pay-description-error"
                    prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev))/>
                <p id="pay-description-error" class="field-error" role="alert">
                    {move || field_message(error.get(), "description")}
                </p>
            </div>
            <p class="form-error" role="alert" data-testid="payment-form-error">
                {move || general_message(error.get(), &["destination_id", "amount", "currency", "description"])}
            </p>
            <button type="submit" class="button primary" data-testid="create-payment"
                disabled=move || busy.get() || !ready.get()>
                {move || if busy.get() { t("pay-form-creating") } else { t("pay-form-create") }}
            </button>
        </form>
    }
    .into_any()
}

#[component]
fn PaymentTable(
    rows: Vec<PaymentRow>,
    outcome: Outcome,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <table class="table" data-testid="payment-list">
            <thead><tr>
                <th scope="col">{t("pay-col-created")}</th><th scope="col">{t("pay-col-to")}</th>
                <th scope="col" class="num">{t("pay-col-amount")}</th><th scope="col">{t("pay-col-status")}</th>
                <th scope="col">{t("pay-col-pay")}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|p| {
                    let payable = p.payable();
                    let intent = StoredValue::new(p.intent_id.clone());
                    view! {
                        <tr data-testid="payment-row" data-intent-id=p.intent_id.clone()
                            data-payment-id=p.payment_id.clone().unwrap_or_default()>
                            <td><bdi class="ltr">{p.created_at.get(..19).unwrap_or(&p.created_at).replace('T', " ")}</bdi></td>
                            <td><bdi>{p.destination_name.clone().unwrap_or_default()}</bdi></td>
                            <td class="num"><bdi class="ltr" data-testid="payment-amount">{format!("{} {}", p.amount, p.currency)}</bdi></td>
                            <td>
                                <span class=status_badge(&p.status) data-testid="payment-status" data-status=p.status.clone()
                                    title=p.status.clone()>
                                    {PaymentRow::status_text(&p.status)}
                                </span>
                            </td>
                            <td>
                                {payable.then(|| view! {
                                    <div class="pay-actions">
                                        <PayButton method="pay" label=t("pay-with-bank") intent outcome on_change/>
                                        <PayButton method="checkout" label=t("pay-with-open-finance") intent outcome on_change/>
                                    </div>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// Launches `Lean.pay` or `Lean.checkout` for one intent and records the callback.
#[component]
fn PayButton(
    method: &'static str,
    label: String,
    intent: StoredValue<String>,
    outcome: Outcome,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let ready = crate::app::hydrated::use_hydrated();
    let start = move |_| {
        busy.set(true);
        outcome.set(None);
        spawn_local(async move {
            let launch = match launch_payment(intent.get_value()).await {
                Ok(l) => l,
                Err(e) => {
                    outcome.set(Some((e.localized(), "notice error", "ERROR".into())));
                    busy.set(false);
                    return;
                }
            };
            let on_done = move |data: CallbackData| {
                let (text, class) = outcome_text(method, &data);
                outcome.set(Some((text, class, data.status.clone())));
                spawn_local(async move {
                    if let Err(e) = record_flow_outcome(method.into(), data).await {
                        let text = t_with("pay-outcome-not-saved", &[("error", arg(e.localized()))]);
                        outcome.set(Some((text, "notice error", "ERROR".into())));
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
                outcome.set(Some((e.localized(), "notice error", "ERROR".into())));
                busy.set(false);
            }
        });
    };
    let testid = if method == "checkout" { "pay-open-finance" } else { "pay-with-bank" };
    view! {
        <button type="button" class="button small-btn" class:primary=move || method == "pay" data-testid=testid
            on:click=start disabled=move || busy.get() || !ready.get()>
            {label}
        </button>
    }
    .into_any()
}

/// Legacy payment sources: `createPaymentSource` (deprecated by Lean) makes one at the payer's bank with
/// the picked destination as its first recipient; `updatePaymentSource` and `createBeneficiary` add
/// the picked destination as a recipient of the picked source. New recipients go through the bank's
/// cool-off, which the list below shows until Lean's webhook says it is over.
#[component]
fn PaymentSourceControls(
    destinations: RwSignal<Vec<Destination>>,
    sources: RwSignal<Vec<PaymentSource>>,
    outcome: Outcome,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let ready = crate::app::hydrated::use_hydrated();
    let destination = RwSignal::new(String::new());
    let source = RwSignal::new(String::new());
    // Keep a valid pick as the lists change (the first one until the user picks another).
    Effect::new(move |_| {
        let list = destinations.get();
        if !list.iter().any(|d| d.id == destination.get_untracked()) {
            destination.set(list.first().map(|d| d.id.clone()).unwrap_or_default());
        }
    });
    Effect::new(move |_| {
        let list = sources.get();
        if !list.iter().any(|s| s.id == source.get_untracked()) {
            source.set(list.first().map(|s| s.id.clone()).unwrap_or_default());
        }
    });
    let fail = move |text: String| {
        outcome.set(Some((text, "notice error", "ERROR".into())));
        busy.set(false);
    };
    let on_done = move |method: &'static str| {
        move |data: CallbackData| {
            let text = match (data.status.as_str(), data.secondary_status.as_deref()) {
                ("SUCCESS", Some("PENDING_BENEFICIARY_COOL_OFF")) if method == "createPaymentSource" => {
                    t("pay-source-added-cool-off")
                }
                ("SUCCESS", _) if method == "createPaymentSource" => t("pay-source-added"),
                ("SUCCESS", Some("PENDING_BENEFICIARY_COOL_OFF")) => t("pay-recipient-added-cool-off"),
                ("SUCCESS", _) => t("pay-recipient-added"),
                _ => outcome_text(method, &data).0,
            };
            let class = match data.status.as_str() {
                "SUCCESS" => "notice ok",
                "CANCELLED" => "notice",
                _ => "notice error",
            };
            outcome.set(Some((text, class, data.status.clone())));
            spawn_local(async move {
                if let Err(e) = record_flow_outcome(method.into(), data).await {
                    let text = t_with("pay-outcome-not-saved", &[("error", arg(e.localized()))]);
                    outcome.set(Some((text, "notice error", "ERROR".into())));
                }
                busy.set(false);
            });
        }
    };
    let run = move |method: &'static str| {
        let destination_id = destination.get_untracked();
        if destination_id.is_empty() {
            fail(t("pay-add-destination-first"));
            return;
        }
        busy.set(true);
        outcome.set(None);
        spawn_local(async move {
            let launched = if method == "createPaymentSource" {
                match launch_payment_source(destination_id).await {
                    Ok((config, dest)) => link_sdk::create_payment_source(&config, &dest, on_done(method)),
                    Err(e) => return fail(e.localized()),
                }
            } else {
                match launch_beneficiary(destination_id, source.get_untracked()).await {
                    Ok(l) => {
                        let source_id = l.payment_source_id.as_deref();
                        if method == "createBeneficiary" {
                            link_sdk::create_beneficiary(
                                &l.config,
                                &l.payment_destination_id,
                                source_id,
                                on_done(method),
                            )
                        } else {
                            link_sdk::update_payment_source(
                                &l.config,
                                &l.payment_destination_id,
                                source_id,
                                on_done(method),
                            )
                        }
                    }
                    Err(e) => return fail(e.localized()),
                }
            };
            if let Err(e) = launched {
                fail(e.localized());
            }
        });
    };
    let no_destination = move || destinations.with(Vec::is_empty);
    let no_source = move || sources.with(Vec::is_empty);
    view! {
        <div class="sources" data-testid="source-controls">
            <div class="field-row">
                <div class="field">
                    <label for="source-destination">{t("pay-source-destination-label")}</label>
                    <select id="source-destination" data-testid="source-destination"
                        on:change=move |ev| destination.set(event_target_value(&ev))
                        prop:value=move || destination.get() disabled=no_destination>
                        {move || no_destination().then(|| view! {
                            <option value="">{t("pay-no-destinations-option")}</option>
                        })}
                        {move || destinations.get().into_iter().map(|d| {
                            let id = d.id.clone();
                            view! {
                                <option value=d.id selected=move || destination.get() == id>
                                    {format!("{} ({})", d.display_name, d.currency)}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="source-source">{t("pay-source-source-label")}</label>
                    <select id="source-source" data-testid="source-source"
                        on:change=move |ev| source.set(event_target_value(&ev))
                        prop:value=move || source.get() disabled=no_source>
                        {move || {
                            let list = sources.get();
                            if list.is_empty() {
                                return view! { <option value="">{t("pay-source-none-yet")}</option> }.into_any();
                            }
                            list.into_iter().enumerate().map(|(i, s)| {
                                let id = s.id.clone();
                                view! {
                                    <option value=s.id selected=move || source.get() == id>
                                        {t_with("pay-source-option", &[("bank", arg(&s.bank_identifier)), ("number", arg(i + 1))])}
                                    </option>
                                }
                            }).collect_view().into_any()
                        }}
                    </select>
                </div>
            </div>
            {move || no_destination().then(|| view! {
                <p class="small muted" data-testid="source-needs-destination">{t("pay-add-destination-first")}</p>
            })}
            <div class="pay-actions">
                <button type="button" class="button small-btn" data-testid="create-payment-source"
                    on:click=move |_| run("createPaymentSource") disabled=move || busy.get() || !ready.get() || no_destination()>
                    {t("pay-source-create")}
                </button>
                <span class="badge badge-warn" title=t("pay-deprecated-title")>{t("pay-deprecated")}</span>
                <button type="button" class="button ghost small-btn" data-testid="update-payment-source"
                    on:click=move |_| run("updatePaymentSource")
                    disabled=move || busy.get() || !ready.get() || no_destination() || no_source()>
                    {t("pay-source-update")}
                </button>
                <button type="button" class="button ghost small-btn" data-testid="create-beneficiary"
                    on:click=move |_| run("createBeneficiary")
                    disabled=move || busy.get() || !ready.get() || no_destination() || no_source()>
                    {t("pay-source-create-beneficiary")}
                </button>
            </div>
            {move || (!no_destination() && no_source()).then(|| view! {
                <p class="small muted">{t("pay-source-recipient-needs-source")}</p>
            })}
        </div>
    }
    .into_any()
}

/// Lean's payment source and beneficiary statuses in plain words, with the cool-off visible.
fn source_status_text(status: &str) -> String {
    match status {
        "ACTIVE" => t("pay-source-status-ready"),
        "AWAITING_BENEFICIARY_COOL_OFF" | "PENDING_BENEFICIARY_COOL_OFF" => t("pay-source-status-cool-off"),
        _ => t("pay-source-status-setting-up"),
    }
}

#[component]
fn SourceList(sources: Vec<PaymentSource>, destinations: Vec<Destination>) -> impl IntoView {
    if sources.is_empty() {
        return view! { <p class="muted small" data-testid="sources-empty">{t("pay-sources-empty")}</p> }
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
                <th scope="col">{t("pay-col-bank")}</th><th scope="col">{t("pay-col-status")}</th>
                <th scope="col">{t("pay-col-recipients")}</th>
            </tr></thead>
            <tbody>
                {sources.into_iter().map(|s| {
                    let cool_off = (s.status != "ACTIVE").then_some(s.cool_off_expiry.clone()).flatten();
                    let recipients: Vec<(String, Beneficiary)> =
                        s.beneficiaries.iter().map(|b| (name_of(&b.destination_id), b.clone())).collect();
                    view! {
                        <tr data-testid="source-row" data-id=s.id.clone()>
                            <td><bdi class="ltr">{s.bank_identifier.clone()}</bdi></td>
                            <td>
                                <span class=if s.status == "ACTIVE" { "badge badge-ok" } else { "badge badge-warn" }
                                    data-testid="source-status" data-status=s.status.clone() title=s.status.clone()>
                                    {source_status_text(&s.status)}
                                </span>
                                {cool_off.map(|at| view! {
                                    " " <span class="small muted">{t("pay-until")} " " <bdi class="ltr">{timestamp(&at)}</bdi></span>
                                })}
                            </td>
                            <td>
                                <ul class="recipients">
                                    {recipients.into_iter().map(|(name, b)| {
                                        let until = b.cooling_off().then_some(b.cool_off_expiry.clone()).flatten();
                                        view! {
                                            <li data-testid="beneficiary" data-destination-id=b.destination_id.clone()>
                                                <bdi>{name}</bdi> " "
                                                <span class=if b.cooling_off() { "badge badge-warn" } else { "badge badge-ok" }
                                                    data-testid="beneficiary-status" data-status=b.status.clone() title=b.status.clone()>
                                                    {source_status_text(&b.status)}
                                                </span>
                                                {until.map(|at| view! {
                                                    " " <span class="small muted" data-testid="beneficiary-cool-off">
                                                        {t("pay-until")} " " <bdi class="ltr">{timestamp(&at)}</bdi>
                                                    </span>
                                                })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// `Lean.verifyAddress`: the bank compares the account holder with the name the app keeps for the user.
/// The name is asked for here (sign-up has none) and kept on the server; the last outcome recorded in
/// the flow history is shown on load, and each new one as soon as the SDK closes.
#[component]
fn VerifyAddress() -> impl IntoView {
    let saved = Resource::new(|| (), |_| fetch_customer_name());
    let last = Resource::new(
        || (),
        |_| async { recent_flows().await.map(|list| list.into_iter().find(|f| f.method == "verifyAddress")) },
    );
    let name = RwSignal::new(String::new());
    let kept = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(Some(n))) = saved.get() {
            name.set(n.clone());
            kept.set(Some(n));
        }
    });
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let ready = crate::app::hydrated::use_hydrated();
    let result = RwSignal::new(None::<(FlowOutcome, String)>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let typed = match parse_full_name(&name.get_untracked()) {
            Ok(n) => n,
            Err(e) => {
                error.set(Some(AppError::invalid("customer_name", t(e.key()))));
                return;
            }
        };
        busy.set(true);
        result.set(None);
        spawn_local(async move {
            let fail = move |e: String| {
                error.set(Some(AppError::invalid("general", e)));
                busy.set(false);
            };
            // The server keeps the name and launches with its copy, never with one the browser sends.
            if kept.get_untracked().as_deref() != Some(typed.as_str()) {
                match save_customer_name(typed).await {
                    Ok(n) => {
                        name.set(n.clone());
                        kept.set(Some(n));
                    }
                    Err(e) => {
                        error.set(Some(e));
                        busy.set(false);
                        return;
                    }
                }
            }
            let launch = match launch_verify_address().await {
                Ok(l) => l,
                Err(e) => return fail(e.localized()),
            };
            let checked_name = launch.customer_name.clone();
            let on_done = move |data: CallbackData| {
                // Shown at once from the callback; replaced by the stored record when it is saved.
                let shown = FlowOutcome {
                    id: String::new(),
                    method: "verifyAddress".into(),
                    status: data.status.clone(),
                    secondary_status: data.secondary_status.clone(),
                    message: data.message.clone(),
                    exit_point: data.exit_point.clone(),
                    lean_correlation_id: data.lean_correlation_id.clone(),
                    bank_identifier: data.bank.as_ref().and_then(|b| b.bank_identifier.clone()),
                    created_at: String::new(),
                };
                result.set(Some((shown, checked_name.clone())));
                spawn_local(async move {
                    match record_flow_outcome("verifyAddress".into(), data).await {
                        Ok(stored) => result.set(Some((stored, checked_name))),
                        Err(e) => error.set(Some(AppError::invalid(
                            "general",
                            t_with("pay-outcome-not-saved", &[("error", arg(e.localized()))]),
                        ))),
                    }
                    busy.set(false);
                });
            };
            if let Err(e) = link_sdk::verify_address(&launch, on_done) {
                fail(e.localized());
            }
        });
    };
    view! {
        <section class="history" aria-labelledby="verify-title" data-testid="verify-address">
            <h2 id="verify-title">{t("pay-verify-title")}</h2>
            <p class="small muted">{t("pay-verify-intro")}</p>
            <form class="card-form verify-form" on:submit=submit data-testid="verify-form" novalidate>
                <div class="field">
                    <label for="verify-name">{t("pay-verify-name-label")}</label>
                    <input id="verify-name" autocomplete="name" aria-describedby="verify-name-hint verify-name-error"
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                    <p id="verify-name-hint" class="small muted">{t("pay-verify-name-hint")}</p>
                    <p id="verify-name-error" class="field-error" role="alert" data-testid="verify-name-error">
                        {move || field_message(error.get(), "customer_name")}
                    </p>
                </div>
                <p class="form-error" role="alert" data-testid="verify-error">
                    {move || general_message(error.get(), &["customer_name"])}
                </p>
                <button type="submit" class="button primary" data-testid="verify-address-button"
                disabled=move || busy.get() || !ready.get()>
                    {move || if busy.get() { t("pay-verify-busy") } else { t("pay-verify-button") }}
                </button>
            </form>
            {move || match result.get() {
                Some((outcome, checked)) => view! { <VerifyOutcome outcome name=checked latest=true/> }.into_any(),
                None => view! {
                    <Transition fallback=|| ()>
                        {move || last.get().and_then(Result::ok).flatten().map(|outcome| view! {
                            <VerifyOutcome outcome name=kept.get().unwrap_or_default() latest=false/>
                        })}
                    </Transition>
                }.into_any(),
            }}
        </section>
    }
    .into_any()
}

/// How `verifyAddress` ended, in plain words, with Lean's own fields for support.
#[component]
fn VerifyOutcome(outcome: FlowOutcome, name: String, latest: bool) -> impl IntoView {
    let secondary = outcome.secondary_status.clone().unwrap_or_default();
    let (class, headline) = match (outcome.status.as_str(), secondary.as_str()) {
        ("SUCCESS", _) => ("notice ok", t_with("pay-verify-success", &[("name", arg(&name))])),
        ("ERROR", "NAME_MISMATCH") => {
            ("notice error", t_with("pay-verify-mismatch", &[("name", arg(&name))]))
        }
        ("CANCELLED", _) => ("notice", t("pay-verify-cancelled")),
        _ => ("notice error", t("pay-verify-failed")),
    };
    let row = |label: String, value: Option<String>, testid: &'static str| {
        value.filter(|v| !v.is_empty()).map(|v| {
            view! { <dt>{label}</dt><dd><bdi class="ltr" data-testid=testid>{v}</bdi></dd> }
        })
    };
    view! {
        <div class=class role="status" data-testid="verify-outcome" data-status=outcome.status.clone()
            data-secondary-status=secondary.clone()>
            {(!latest).then(|| view! { <p class="small muted">{t("pay-verify-last-check")}
                " " <bdi class="ltr">{timestamp(&outcome.created_at)}</bdi></p> })}
            <p data-testid="verify-headline">{headline}</p>
            <dl class="verify-facts">
                {row(t("pay-verify-field-status"), Some(outcome.status.clone()), "verify-status")}
                {row(t("pay-verify-field-secondary"), outcome.secondary_status.clone(), "verify-secondary-status")}
                {row(t("pay-verify-field-message"), outcome.message.clone(), "verify-message")}
                {row(t("pay-verify-field-correlation"), outcome.lean_correlation_id.clone(), "verify-correlation-id")}
            </dl>
        </div>
    }
    .into_any()
}
