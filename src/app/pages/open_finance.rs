use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_location, use_query_map};

use crate::api::{fetch_consent, launch_connect, payment_status, record_return, recorded_return};
use crate::app::launch::launch_recorded;
use crate::app::live::{on_open, use_live_events};
use crate::app::pages::consents::{consent_badge, consent_status_text, launch_error_text};
use crate::app::pages::payments::status_badge;
use crate::i18n::{arg, t, t_with};
use crate::link_sdk::{Launch, RedirectParams};
use crate::model::{AppError, CallbackData, LaunchConfig, LiveEvent, PaymentRow};

/// Which flow sent the browser to the bank: `checkout` (a payment intent) or `authorizeConsent`
/// (an Account-on-File consent). The consent's redirect URLs carry `flow=consent` (see
/// `launch_consent`); the checkout's carry `intent_id`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flow {
    Payment,
    Consent,
}

/// Where Lean sends the browser back after an Open Finance `checkout` or `authorizeConsent`
/// (REFERENCE §7.2): both `/open-finance/success` and `/open-finance/fail`. Hands the query
/// parameters to `Lean.captureRedirect`, which shows the final screen; the payment's or consent's
/// status then follows the webhooks, live.
#[component]
pub fn OpenFinancePage() -> impl IntoView {
    let query = use_query_map();
    let failed = use_location().pathname.get_untracked().ends_with("/fail");
    let param = move |k: &str| query.with_untracked(|q| q.get(k)).filter(|v| !v.is_empty());
    let consent = param("flow").as_deref() == Some("consent");
    let intent_id = param("intent_id").unwrap_or_default();
    // Our own parameter first; Lean's `consent_id` where it adds one.
    let consent_id = param("for_consent").or_else(|| param("consent_id")).unwrap_or_default();
    // One return, one key: Lean's attempt id where it sends one, else the return address itself.
    let location = use_location();
    let return_key = match param("consent_attempt_id") {
        Some(attempt) => format!("consent_attempt_id:{attempt}"),
        None => format!("{}?{}", location.pathname.get_untracked(), location.search.get_untracked()),
    };
    let params = RedirectParams {
        consent_attempt_id: param("consent_attempt_id"),
        consent_id: param("consent_id"),
        granular_status_code: param("granular_status_code"),
        status_additional_info: param("status_additional_info"),
    };
    view! { <OpenFinance failed consent intent_id consent_id params return_key/> }
}

/// The island (a wasm chunk of its own): runs `captureRedirect` and follows the payment or consent.
#[island(lazy)]
fn OpenFinance(
    failed: bool,
    consent: bool,
    intent_id: String,
    consent_id: String,
    params: RedirectParams,
    return_key: String,
) -> impl IntoView {
    crate::app::hydrated::island_started();
    let flow = if consent { Flow::Consent } else { Flow::Payment };
    let info = params.status_additional_info.clone();
    let code = params.granular_status_code.clone();

    let capture = RwSignal::new(None::<(String, String)>);
    // When this return was handled before (a reload, the back button, a bookmark): its record's time.
    let handled_before = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let params = StoredValue::new(params);
    let return_key = StoredValue::new(return_key);
    // Runs once, in the browser: the SDK lives there.
    Effect::new(move |done: Option<()>| {
        if done.is_some() {
            return;
        }
        spawn_local(async move {
            // A return is handled once: a revisit shows what was recorded and runs nothing again.
            match recorded_return(return_key.get_value()).await {
                Ok(Some(first)) => {
                    let detail = first.message.clone().or(first.secondary_status.clone());
                    capture.set(Some((
                        first.status.to_string(),
                        capture_text(first.status.as_str(), detail, flow),
                    )));
                    handled_before.set(Some(first.created_at.replace('T', " ").chars().take(16).collect()));
                    return;
                }
                Ok(None) => {}
                Err(e) => {
                    error.set(Some(e.localized()));
                    return;
                }
            }
            let capture_redirect =
                |config: &LaunchConfig| Launch::capture_redirect(config, &params.get_value());
            let on_close = |_: &LaunchConfig, data: &CallbackData| {
                let detail = data.message.clone().or(data.secondary_status.clone());
                capture
                    .set(Some((data.status.to_string(), capture_text(data.status.as_str(), detail, flow))));
            };
            let record = |_, data| record_return(return_key.get_value(), data);
            if let Err(e) = launch_recorded(launch_connect(), capture_redirect, on_close, record).await {
                error.set(Some(launch_error_text(&e)));
            }
        });
    });

    let (back_href, back_text) = match flow {
        Flow::Payment => ("/payments", t("of-back-payments")),
        Flow::Consent => ("/consents", t("of-back-consents")),
    };
    let failure_default = match flow {
        Flow::Payment => t("of-failure-default"),
        Flow::Consent => t("of-failure-consent-default"),
    };
    view! {
        <p><a href=back_href>{back_text}</a></p>
        <h1>{if failed { t("of-title-failed") } else { t("of-title") }}</h1>
        {failed.then(|| view! {
            <div class="notice error" role="alert" data-testid="redirect-failure">
                <p>{info.unwrap_or(failure_default)}</p>
                {code.map(|c| view! { <p class="small">{t("of-lean-code")} " " <code>{c}</code></p> })}
            </div>
        })}
        {move || handled_before.get().map(|when| view! {
            <p class="small muted" data-testid="capture-revisit">
                {t_with("of-capture-revisit", &[("when", arg(when))])}
            </p>
        })}
        {move || match capture.get() {
            Some((s, text)) => view! {
                <div class=if s == "SUCCESS" { "notice ok" } else { "notice" } role="status"
                    data-testid="capture-outcome" data-status=s>
                    <p>{text}</p>
                </div>
            }.into_any(),
            None => view! { <p class="muted" data-testid="capture-pending">{t("of-confirming")}</p> }.into_any(),
        }}
        <p class="form-error" role="alert">{move || error.get()}</p>
        {match flow {
            Flow::Payment => view! { <PaymentStatus intent_id/> }.into_any(),
            Flow::Consent => view! { <ConsentStatus consent_id/> }.into_any(),
        }}
    }
}

/// How `captureRedirect` ended, in words for the flow that sent the browser to the bank.
fn capture_text(status: &str, detail: Option<String>, flow: Flow) -> String {
    match (status, flow) {
        ("SUCCESS", Flow::Payment) => t("of-capture-success"),
        ("SUCCESS", Flow::Consent) => t("of-capture-consent-success"),
        ("CANCELLED", Flow::Payment) => t("of-capture-cancelled"),
        ("CANCELLED", Flow::Consent) => t("of-capture-consent-cancelled"),
        // Closed by this page (or Lean's script), not by the bank: no verdict to report.
        ("LINK_CLOSED_PROGRAMMATICALLY", _) => t("of-capture-closed"),
        (_, f) => {
            let detail = detail.unwrap_or_else(|| t("of-unknown-error"));
            let key = if f == Flow::Consent { "of-capture-consent-error" } else { "of-capture-error" };
            t_with(key, &[("detail", arg(detail))])
        }
    }
}

/// The checkout's payment, live.
#[component]
fn PaymentStatus(intent_id: String) -> impl IntoView {
    let version = RwSignal::new(0u32);
    let intent = StoredValue::new(intent_id);
    let status = Resource::new(move || version.get(), move |_| payment_status(intent.get_value()));
    let live = use_live_events(move |event| {
        if let LiveEvent::PaymentChanged { payment } = event {
            if payment.intent_id == intent.get_value() {
                version.update(|v| *v += 1);
            }
        }
    });
    // A webhook applied between the first load and the stream opening is caught by a reload then.
    on_open(live, move || version.update(|v| *v += 1));
    view! {
        <section aria-labelledby="status-title">
            <h2 id="status-title">{t("of-payment-status")}</h2>
            <Transition fallback=|| view! { <p class="muted">{t("loading")}</p> }>
                {move || status.get().map(|r| match r {
                    Ok(p) => view! {
                        <p>
                            <bdi>{t_with("of-payment-summary", &[
                                ("amount", arg(p.amount.grouped())), ("currency", arg(&p.amount.currency)),
                                ("name", arg(p.destination_name.clone().unwrap_or_default())),
                            ])}</bdi>
                            " — "
                            <span class=status_badge(p.status.as_str()) data-testid="payment-status" data-status=p.status.to_string()
                                data-payment-id=p.payment_id.clone().unwrap_or_default()>
                                {PaymentRow::status_text(&p.status)}
                            </span>
                        </p>
                    }.into_any(),
                    Err(AppError::Forbidden) => view! {
                        <p class="muted">{t("of-payment-not-yours")}</p>
                    }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{e.localized()}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

/// The authorised (or not) consent, live: `consent.status.updated` moves it.
#[component]
fn ConsentStatus(consent_id: String) -> impl IntoView {
    let version = RwSignal::new(0u32);
    let id = StoredValue::new(consent_id);
    let consent = Resource::new(move || version.get(), move |_| fetch_consent(id.get_value()));
    let live = use_live_events(move |event| {
        if let LiveEvent::ConsentChanged { consent_id, .. } = event {
            if consent_id == id.get_value() {
                version.update(|v| *v += 1);
            }
        }
    });
    on_open(live, move || version.update(|v| *v += 1));
    view! {
        <section aria-labelledby="status-title">
            <h2 id="status-title">{t("of-consent-status")}</h2>
            <Transition fallback=|| view! { <p class="muted">{t("loading")}</p> }>
                {move || consent.get().map(|r| match r {
                    Ok(c) => view! {
                        <p>
                            <bdi>{c.reference.clone()}</bdi>
                            " — "
                            <span class=consent_badge(c.status.as_str()) data-testid="consent-status" data-status=c.status.to_string()>
                                {consent_status_text(c.status.as_str())}
                            </span>
                        </p>
                        {c.authorised().then(|| view! {
                            <p><a href="/consents" data-testid="consent-pay-link">{t("of-consent-pay-now")}</a></p>
                        })}
                    }.into_any(),
                    Err(AppError::Forbidden) => view! {
                        <p class="muted">{t("of-consent-not-yours")}</p>
                    }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{e.localized()}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}
