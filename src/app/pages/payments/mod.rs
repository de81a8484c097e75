//! /payments: destinations, payment intents paid through the bank (`Lean.pay`) or Open Finance
//! (`Lean.checkout`), Pay by bank's payment sources and `verifyAddress`. One island; each section
//! of the page is a module of its own, and the statuses follow Lean's webhooks live.

mod destinations;
mod history;
mod payment_form;
mod sources;
mod verify_address;

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::api::{fetch_current_user, fetch_payments};
use crate::app::components::live_badge::LiveBadge;
use crate::app::live::{on_open, use_live_events, LiveStatus};
use crate::i18n::{arg, t, t_with};
use crate::model::{AppError, CallbackData, Destination, LiveEvent, PaymentSource};
use destinations::{DestinationForm, DestinationsSection};
use history::HistorySection;
use payment_form::NewPaymentForm;
use sources::SourcesSection;
use verify_address::VerifyAddress;

/// An outcome notice: (text, CSS class, Lean status for tests and styling).
type Outcome = RwSignal<Option<(String, &'static str, String)>>;

type Overview = Resource<Result<crate::model::PaymentsOverview, AppError>>;

/// Shows `text` as the page's outcome notice, as a failure.
fn show_error(outcome: Outcome, text: String) {
    outcome.set(Some((text, "notice error", "ERROR".into())));
}

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
    let reload = move || version.update(|v| *v += 1);
    // A webhook applied between the first load and the stream opening is caught by a reload then.
    on_open(live, reload);
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
            <LiveBadge live/>
        </div>
    }
    .into_any()
}
