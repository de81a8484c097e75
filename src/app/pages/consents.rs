//! /consents: Open Finance Account-on-File consents (REFERENCE §6.5, §7). Create a consent with
//! control parameters, authorise it at the bank (`Lean.authorizeConsent`, back through
//! /open-finance/success), pay against it from the server, and review or revoke consents
//! (`Lean.manageConsents`). Statuses follow Lean's webhooks live.

use crate::app::components::form_errors::{field_message, general_message};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::Redirect;

use crate::api::consents::{CreateConsent, PayWithConsent, RevokeConsent};
use crate::api::{
    fetch_consent_destinations, fetch_consent_list, fetch_current_user, launch_connect, launch_consent,
    live_position,
};
use crate::app::components::live_badge::LiveBadge;
use crate::app::launch::{launch, LaunchError};
use crate::app::live::{on_open, use_live_events_after};
use crate::i18n::{arg, t, t_with};
use crate::link_sdk::Launch;
use crate::model::{
    bank_name_shown, AppError, CallbackData, Consent, ConsentPayment, Destination, LiveEvent, Money,
    CURRENCIES, PERIOD_TYPES, PURPOSE_CODES,
};

#[component]
pub fn ConsentsPage() -> impl IntoView {
    // The lists are read on the server and handed to the island as its props, so a page view asks Lean
    // for each once. The live position is read first: whatever changes meanwhile is replayed by the
    // stream, so the page does not ask again when the stream opens.
    let start = Resource::new(
        || (),
        |_| async {
            let user = fetch_current_user().await;
            match user {
                Ok(Some(_)) => {
                    let since = live_position().await.ok();
                    Ok(Some((since, fetch_consent_destinations().await, fetch_consent_list().await)))
                }
                Ok(None) => Ok(None),
                Err(e) => Err(e),
            }
        },
    );
    view! {
        <Transition fallback=|| view! { <p class="muted">{t("loading")}</p> }>
            {move || {
                start.get().map(|u| match u {
                    Ok(Some((since, destinations, consents))) => {
                        view! { <Consents since destinations consents/> }.into_any()
                    }
                    Ok(None) | Err(AppError::SignInRequired) => view! { <Redirect path="/signin"/> }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{e.localized()}</p> }.into_any(),
                })
            }}
        </Transition>
    }
}

/// Lean's consent statuses (§6.5) in plain words.
pub fn consent_status_text(status: &str) -> String {
    t(match status {
        "AWAITING_AUTHORISATION" => "consent-status-awaiting",
        "AUTHORISED" => "consent-status-authorised",
        "REVOKED" => "consent-status-revoked",
        "REJECTED" => "consent-status-rejected",
        "EXPIRED" => "consent-status-expired",
        "CONSUMED" => "consent-status-consumed",
        "SUSPENDED" => "consent-status-suspended",
        _ => "consent-status-unknown",
    })
}

pub fn consent_badge(status: &str) -> &'static str {
    match status {
        "AUTHORISED" => "badge badge-ok",
        "AWAITING_AUTHORISATION" | "SUSPENDED" => "badge badge-warn",
        "REVOKED" | "REJECTED" | "EXPIRED" | "CONSUMED" => "badge badge-error",
        _ => "badge",
    }
}

/// An AoF payment's status (Lean's CREATED → PROCESSING → PROCESSED | FAILED, and ours before it).
fn payment_status_text(status: &str) -> String {
    t(match status {
        "SENDING" => "consent-payment-sending",
        "REFUSED" => "consent-payment-refused",
        "CREATED" => "consent-payment-created",
        "PROCESSING" => "consent-payment-processing",
        "PROCESSED" => "consent-payment-processed",
        "FAILED" => "consent-payment-failed",
        _ => "consent-status-unknown",
    })
}

fn payment_badge(status: &str) -> &'static str {
    match status {
        "PROCESSED" => "badge badge-ok",
        "SENDING" | "CREATED" | "PROCESSING" => "badge badge-warn",
        "FAILED" | "REFUSED" => "badge badge-error",
        _ => "badge",
    }
}

fn period_text(period: &str) -> String {
    t(match period {
        "Day" => "consent-period-day",
        "Week" => "consent-period-week",
        "Month" => "consent-period-month",
        _ => "consent-period-year",
    })
}

fn purpose_text(code: &str) -> String {
    t(match code {
        "GDS" => "consent-purpose-gds",
        "FIS" => "consent-purpose-fis",
        "TCS" => "consent-purpose-tcs",
        "MWP" => "consent-purpose-mwp",
        "OAT" => "consent-purpose-oat",
        "IFS" => "consent-purpose-ifs",
        "RNT" => "consent-purpose-rnt",
        "LNC" => "consent-purpose-lnc",
        _ => "consent-purpose-pin",
    })
}

/// Why an Open Finance flow (a consent's, or the redirect back from the bank) has no outcome. These
/// pages word an SDK that does not start their own way.
pub fn launch_error_text(e: &LaunchError) -> String {
    use crate::link_sdk::SdkError;
    match e {
        LaunchError::Sdk(SdkError::NotLoaded) => t("consent-sdk-not-loaded"),
        LaunchError::Sdk(SdkError::Launch(detail)) => {
            t_with("consent-sdk-refused", &[("detail", arg(detail))])
        }
        other => other.localized(),
    }
}

/// How a consent SDK flow ended, in plain words, with the notice's class.
fn outcome_text(method: &str, data: &CallbackData) -> (String, &'static str) {
    let detail = data
        .message
        .clone()
        .or(data.secondary_status.clone())
        .unwrap_or_else(|| t("consent-outcome-unknown-error"));
    match (data.status.as_str(), method) {
        ("SUCCESS", "manageConsents") => (t("consent-outcome-managed"), "notice ok"),
        ("SUCCESS", _) => (t("consent-outcome-success"), "notice ok"),
        ("REDIRECT", _) => (t("consent-outcome-redirect"), "notice"),
        ("CANCELLED", "manageConsents") => (t("consent-outcome-managed"), "notice"),
        ("CANCELLED", _) => (t("consent-outcome-cancelled"), "notice"),
        _ => (t_with("consent-outcome-error", &[("detail", arg(detail))]), "notice error"),
    }
}

/// What an SDK flow on this page last said: (text, notice class, Lean's status).
type Outcome = RwSignal<Option<(String, &'static str, String)>>;

/// Shows how an SDK flow ended.
fn report(method: &str, data: &CallbackData, outcome: Outcome) {
    let (text, class) = outcome_text(method, data);
    outcome.set(Some((text, class, data.status.to_string())));
}

/// Shows why a flow has no outcome.
fn report_error(e: &LaunchError, outcome: Outcome) {
    outcome.set(Some((launch_error_text(e), "notice error", "ERROR".into())));
}

/// The island (a wasm chunk of its own): consents update live and launch their flows.
#[island(lazy)]
fn Consents(
    since: Option<i64>,
    destinations: Result<Vec<Destination>, AppError>,
    consents: Result<Vec<Consent>, AppError>,
) -> impl IntoView {
    crate::app::hydrated::island_started();
    let create = ServerAction::<CreateConsent>::new();
    // The form's destinations are the server's, once: a live update must not re-render a form being
    // filled in. The list starts from the server's and is asked for again on every change; only the
    // newest answer is shown (an older one arriving late would undo a newer change).
    let list = RwSignal::new(consents);
    let asked = StoredValue::new(0u32);
    let reload = move || {
        asked.update_value(|n| *n += 1);
        let mine = asked.get_value();
        spawn_local(async move {
            let answer = fetch_consent_list().await;
            if asked.get_value() == mine {
                list.set(answer);
            }
        });
    };
    // A consent created by the form joins the list.
    Effect::new(move |seen: Option<usize>| {
        let now = create.version().get();
        if seen.is_some_and(|s| s != now) {
            reload();
        }
        now
    });
    let live = use_live_events_after(since, move |event| {
        if matches!(event, LiveEvent::ConsentChanged { .. }) {
            reload();
        }
    });
    // Without a live position, a webhook applied between the first load and the stream opening is
    // caught by a reload then.
    if since.is_none() {
        on_open(live, reload);
    }
    let outcome: Outcome = RwSignal::new(None);

    view! {
        <div class="dash-head">
            <div>
                <h1>{t("consent-title")}</h1>
                <p class="muted">{t("consent-lead")}</p>
            </div>
            <LiveBadge live/>
        </div>
        {move || outcome.get().map(|(text, class, status)| view! {
            <div class=class role="status" data-testid="consent-outcome" data-status=status><p>{text}</p></div>
        })}

        <div class="pay-grid">
            {match destinations {
                Ok(destinations) => view! { <CreateConsentForm destinations action=create/> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.localized()}</p> }.into_any(),
            }}
            <ManageConsents outcome on_done=reload/>
        </div>

        <section class="history" aria-labelledby="consents-list-title">
            <h2 id="consents-list-title">{t("consent-list-title")}</h2>
            {move || match list.get() {
                    Ok(consents) if consents.is_empty() => view! {
                        <p class="muted" data-testid="consents-empty">{t("consent-list-empty")}</p>
                    }.into_any(),
                    Ok(consents) => view! {
                        <div class="consent-list" data-testid="consent-list">
                            {consents.into_iter().map(|c| view! { <ConsentCard consent=c outcome on_change=reload/> }).collect_view()}
                        </div>
                    }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{e.localized()}</p> }.into_any(),
            }}
        </section>
    }
}

/// The new-consent form. An `ActionForm`, so it also works before the page is interactive.
#[component]
fn CreateConsentForm(destinations: Vec<Destination>, action: ServerAction<CreateConsent>) -> impl IntoView {
    const FIELDS: &[&str] = &[
        "destination_id",
        "currency",
        "reference",
        "purpose",
        "period_type",
        "max_individual",
        "max_per_period",
        "max_payments_per_period",
        "max_total",
        "max_payments",
        "expiry_date",
        "emirates_id",
    ];
    let error = move || action.value().get().and_then(Result::err);
    let created = move || {
        action
            .value()
            .get()
            .and_then(Result::ok)
            .map(|c| t_with("consent-created", &[("reference", arg(&c.reference))]))
    };
    let field = move |name: &'static str| move || field_message(error(), name);
    let no_destinations = destinations.is_empty();
    // Text inputs with the same shape: (name, label key, inputmode, placeholder).
    let text_input =
        move |name: &'static str, label: &'static str, mode: &'static str, hint: &'static str| {
            let id = format!("consent-{}", name.replace('_', "-"));
            let err_id = format!("{id}-error");
            view! {
                <div class="field">
                    <label for=id.clone()>{t(label)}</label>
                    <input id=id name=name inputmode=mode autocomplete="off" placeholder=hint
                        aria-describedby=err_id.clone()/>
                    <p id=err_id class="field-error" role="alert" data-testid=format!("consent-{name}-error")>
                        {field(name)}
                    </p>
                </div>
            }
        };
    view! {
        <ActionForm action=action attr:class="card-form" attr:data-testid="consent-form" attr:novalidate=true>
            <h2>{t("consent-form-title")}</h2>
            {no_destinations.then(|| view! {
                <p class="notice" data-testid="consent-no-destination">
                    {t("consent-form-no-destination")} " " <a href="/payments">{t("consent-form-add-destination")}</a>
                </p>
            })}
            <div class="field">
                <label for="consent-destination">{t("consent-form-destination")}</label>
                <select id="consent-destination" name="destination_id" aria-describedby="consent-destination-error">
                    {destinations.into_iter().map(|d| view! {
                        <option value=d.id.to_string()>{format!("{} ({})", d.display_name, d.currency)}</option>
                    }).collect_view()}
                </select>
                <p id="consent-destination-error" class="field-error" role="alert">{field("destination_id")}</p>
            </div>
            <div class="field-row">
                <div class="field">
                    <label for="consent-currency">{t("consent-form-currency")}</label>
                    <select id="consent-currency" name="currency" aria-describedby="consent-currency-error">
                        {CURRENCIES.iter().map(|c| view! { <option value=*c>{*c}</option> }).collect_view()}
                    </select>
                    <p id="consent-currency-error" class="field-error" role="alert">{field("currency")}</p>
                </div>
                <div class="field">
                    <label for="consent-purpose">{t("consent-form-purpose")}</label>
                    <select id="consent-purpose" name="purpose" aria-describedby="consent-purpose-error">
                        {PURPOSE_CODES.iter().map(|c| view! { <option value=*c>{purpose_text(c)}</option> }).collect_view()}
                    </select>
                    <p id="consent-purpose-error" class="field-error" role="alert">{field("purpose")}</p>
                </div>
            </div>
            {text_input("reference", "consent-form-reference", "text", "ACME-SUBSCRIPTION-001")}
            <fieldset class="consent-limits">
                <legend>{t("consent-form-limits")}</legend>
                <p class="small muted">{t("consent-form-limits-hint")}</p>
                <div class="field-row">
                    {text_input("max_individual", "consent-form-max-individual", "decimal", "500.00")}
                    <div class="field">
                        <label for="consent-period-type">{t("consent-form-period")}</label>
                        <select id="consent-period-type" name="period_type" aria-describedby="consent-period-type-error">
                            {PERIOD_TYPES.iter().map(|p| view! {
                                <option value=*p selected=*p == "Month">{period_text(p)}</option>
                            }).collect_view()}
                        </select>
                        <p id="consent-period-type-error" class="field-error" role="alert">{field("period_type")}</p>
                    </div>
                </div>
                <div class="field-row">
                    {text_input("max_per_period", "consent-form-max-per-period", "decimal", "1500.00")}
                    {text_input("max_payments_per_period", "consent-form-max-payments-per-period", "numeric", "10")}
                </div>
                <div class="field-row">
                    {text_input("max_total", "consent-form-max-total", "decimal", "10000.00")}
                    {text_input("max_payments", "consent-form-max-payments", "numeric", "100")}
                </div>
            </fieldset>
            <div class="field-row">
                <div class="field">
                    <label for="consent-expiry-date">{t("consent-form-expiry")}</label>
                    <input id="consent-expiry-date" name="expiry_date" type="date"
                        aria-describedby="consent-expiry-date-hint consent-expiry-date-error"/>
                    <p id="consent-expiry-date-hint" class="small muted">{t("consent-form-expiry-hint")}</p>
                    <p id="consent-expiry-date-error" class="field-error" role="alert" data-testid="consent-expiry_date-error">
                        {field("expiry_date")}
                    </p>
                </div>
                {text_input("emirates_id", "consent-form-emirates-id", "numeric", "784-1990-1234567-1")}
            </div>
            <p class="form-error" role="alert" data-testid="consent-form-error">
                {move || general_message(error(), FIELDS)}
            </p>
            <p class="small" role="status" data-testid="consent-created">{created}</p>
            <button type="submit" class="button primary" data-testid="create-consent"
                disabled=move || action.pending().get() || no_destinations>
                {move || if action.pending().get() { t("consent-form-creating") } else { t("consent-form-submit") }}
            </button>
        </ActionForm>
    }
}

/// "Manage consents": Lean's own screen to review and revoke (REFERENCE §7.4).
#[component]
fn ManageConsents(outcome: Outcome, on_done: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let busy = RwSignal::new(false);
    let ready = crate::app::hydrated::use_hydrated();
    let start = move |_| {
        busy.set(true);
        outcome.set(None);
        spawn_local(async move {
            let ended = launch(launch_connect(), Launch::manage_consents, |_, data| {
                busy.set(false);
                report("manageConsents", data, outcome);
                on_done();
            })
            .await;
            if let Err(e) = ended {
                busy.set(false);
                report_error(&e, outcome);
            }
        });
    };
    view! {
        <div class="card-form">
            <h2>{t("consent-manage-title")}</h2>
            <p class="muted">{t("consent-manage-text")}</p>
            <button type="button" class="button" data-testid="manage-consents" on:click=start
                disabled=move || busy.get() || !ready.get()>
                {move || if busy.get() { t("consent-manage-opening") } else { t("consent-manage-button") }}
            </button>
        </div>
    }
}

#[component]
fn ConsentCard(
    consent: Consent,
    outcome: Outcome,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let c = consent;
    let money = |v: &Option<Money>, _: &str| v.as_ref().map(ToString::to_string);
    let period = period_text(&c.period_type);
    let mut limits: Vec<(String, String, &'static str)> = Vec::new();
    if let Some(v) = money(&c.max_individual, &c.currency) {
        limits.push((t("consent-limit-individual"), v, "limit-individual"));
    }
    if let Some(v) = money(&c.max_per_period, &c.currency) {
        limits.push((t_with("consent-limit-per-period", &[("period", arg(&period))]), v, "limit-period"));
    }
    if let Some(n) = c.max_payments_per_period {
        limits.push((
            t_with("consent-limit-payments-per-period", &[("period", arg(&period))]),
            n.to_string(),
            "limit-period-count",
        ));
    }
    if let Some(v) = money(&c.max_total, &c.currency) {
        limits.push((t("consent-limit-total"), v, "limit-total"));
    }
    if let Some(n) = c.max_payments {
        limits.push((t("consent-limit-payments"), n.to_string(), "limit-count"));
    }
    limits.push((
        t("consent-limit-expires"),
        c.expires_at.get(..10).unwrap_or(&c.expires_at).to_owned(),
        "limit-expires",
    ));
    // The bank by its name in the page's language; its code only where Lean does not name it.
    if let Some(code) = c.bank_identifier.clone() {
        let bank = match &c.bank_name {
            Some(n) => bank_name_shown(&n.name, n.arabic_name.as_deref()).to_owned(),
            None => code,
        };
        limits.push((t("consent-limit-bank"), bank, "limit-bank"));
    }
    let id = StoredValue::new(c.consent_id.to_string());
    let authorised = c.authorised();
    let awaiting = c.awaiting();
    let title_id = format!("consent-{}-title", c.consent_id);
    let labelled_by = title_id.clone();
    view! {
        <article class="consent-card" data-testid="consent-row" data-consent-id=c.consent_id.to_string()
            aria-labelledby=labelled_by>
            <header class="consent-head">
                <div>
                    <h3 id=title_id><bdi>{c.reference.clone()}</bdi></h3>
                    <p class="small muted">
                        {t_with("consent-to", &[("name", arg(c.destination_name.clone().unwrap_or_default()))])}
                        " · " {purpose_text(&c.purpose)} " · " <bdi class="ltr"><code>{c.consent_id.to_string()}</code></bdi>
                    </p>
                </div>
                <span class=consent_badge(c.status.as_str()) data-testid="consent-status" data-status=c.status.to_string()
                    title=c.status.to_string()>
                    {consent_status_text(c.status.as_str())}
                </span>
            </header>
            <dl class="consent-limits-list">
                {limits.into_iter().map(|(label, value, key)| view! {
                    <div><dt>{label}</dt><dd data-testid=key><bdi>{value}</bdi></dd></div>
                }).collect_view()}
            </dl>
            <div class="consent-actions">
                {awaiting.then(|| view! { <AuthorizeButton id outcome/> })}
                {authorised.then(|| view! {
                    <PayForm consent_id=c.consent_id.to_string() attempt=c.pay_attempt.clone() currency=c.currency.clone() on_change/>
                    <Revoke id on_change/>
                })}
            </div>
            {(!c.payments.is_empty()).then(|| view! { <PaymentList payments=c.payments.clone()/> })}
        </article>
    }
}

#[component]
fn PaymentList(payments: Vec<ConsentPayment>) -> impl IntoView {
    view! {
        <table class="table" data-testid="consent-payments">
            <caption class="sr-only">{t("consent-payments-caption")}</caption>
            <thead><tr>
                <th scope="col">{t("consent-payments-when")}</th>
                <th scope="col" class="num">{t("consent-payments-amount")}</th>
                <th scope="col">{t("consent-payments-status")}</th>
            </tr></thead>
            <tbody>
                {payments.into_iter().map(|p| view! {
                    <tr data-testid="consent-payment" data-payment-id=p.payment_id.clone().unwrap_or_default()>
                        <td><bdi>{p.created_at.get(..19).unwrap_or(&p.created_at).replace('T', " ")}</bdi></td>
                        <td class="num"><bdi>{p.amount.to_string()}</bdi></td>
                        <td>
                            <span class=payment_badge(p.status.as_str()) data-testid="consent-payment-status"
                                data-status=p.status.to_string() title=p.status.to_string()>
                                {payment_status_text(p.status.as_str())}
                            </span>
                            {p.code.map(|c| view! { " " <code class="small">{c}</code> })}
                        </td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// "Authorize": `Lean.authorizeConsent`, which ends by sending the browser to the bank and back.
#[component]
fn AuthorizeButton(id: StoredValue<String>, outcome: Outcome) -> impl IntoView {
    let busy = RwSignal::new(false);
    let ready = crate::app::hydrated::use_hydrated();
    let start = move |_| {
        busy.set(true);
        outcome.set(None);
        spawn_local(async move {
            let ended = launch(launch_consent(id.get_value()), Launch::authorize_consent, |_, data| {
                // REDIRECT: the loader is about to navigate, so the button stays busy.
                if data.status.as_str() != "REDIRECT" {
                    busy.set(false);
                }
                report("authorizeConsent", data, outcome);
            })
            .await;
            match ended {
                Err(e @ LaunchError::NotSaved { .. }) => report_error(&e, outcome),
                Err(e) => {
                    report_error(&e, outcome);
                    busy.set(false);
                }
                Ok(_) => {}
            }
        });
    };
    view! {
        <button type="button" class="button primary" data-testid="authorize-consent" on:click=start
            disabled=move || busy.get() || !ready.get()>
            {move || if busy.get() { t("consent-authorize-opening") } else { t("consent-authorize") }}
        </button>
    }
}

/// "Pay now", server to server. The attempt id comes with the consent, so a double click or a
/// resubmission sends the same attempt and Lean makes one payment.
#[component]
fn PayForm(
    consent_id: String,
    attempt: String,
    currency: String,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let action = ServerAction::<PayWithConsent>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            on_change();
        }
    });
    let error = move || action.value().get().and_then(Result::err);
    let input_id = format!("pay-{consent_id}");
    let err_id = format!("{input_id}-error");
    view! {
        <ActionForm action=action attr:class="consent-pay" attr:data-testid="consent-pay-form">
            <input type="hidden" name="consent_id" value=consent_id/>
            <input type="hidden" name="attempt" value=attempt/>
            <div class="field">
                <label for=input_id.clone()>{t_with("consent-pay-amount", &[("currency", arg(&currency))])}</label>
                <input id=input_id name="amount" inputmode="decimal" autocomplete="off" placeholder="25.00"
                    aria-describedby=err_id.clone() data-testid="consent-pay-amount"/>
            </div>
            <button type="submit" class="button primary" data-testid="consent-pay" disabled=move || action.pending().get()>
                {move || if action.pending().get() { t("consent-pay-sending") } else { t("consent-pay-now") }}
            </button>
            <p id=err_id class="field-error" role="alert" data-testid="consent-pay-error">
                {move || error().map(|e| e.localized())}
            </p>
        </ActionForm>
    }
}

/// "Revoke", asked once more in place before Lean is told.
#[component]
fn Revoke(id: StoredValue<String>, on_change: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let asking = RwSignal::new(false);
    let ready = crate::app::hydrated::use_hydrated();
    let action = ServerAction::<RevokeConsent>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            on_change();
        }
    });
    let error = move || action.value().get().and_then(Result::err).map(|e| e.localized());
    view! {
        <div class="consent-revoke">
            <Show
                when=move || asking.get()
                fallback=move || view! {
                    <button type="button" class="button ghost" data-testid="revoke-consent"
                        on:click=move |_| asking.set(true) disabled=move || !ready.get()>
                        {t("consent-revoke")}
                    </button>
                }
            >
                <ActionForm action=action attr:class="confirm">
                    <input type="hidden" name="consent_id" value=id.get_value()/>
                    <p class="small">{t("consent-revoke-question")}</p>
                    <button type="submit" class="button danger small-btn" data-testid="revoke-consent-yes"
                        disabled=move || action.pending().get()>
                        {t("consent-revoke-yes")}
                    </button>
                    <button type="button" class="button ghost small-btn" on:click=move |_| asking.set(false)>
                        {t("consent-revoke-keep")}
                    </button>
                </ActionForm>
            </Show>
            <p class="form-error" role="alert">{error}</p>
        </div>
    }
}
