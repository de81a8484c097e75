//! /payments: destinations, payment intents paid through the bank (`Lean.pay`) or Open Finance
//! (`Lean.checkout`), Pay by bank's payment sources and `verifyAddress`. One island; each section
//! of the page is a module of its own, and the statuses follow Lean's webhooks live.

mod bulk;
mod destinations;
mod history;
mod payment_form;
mod sources;
mod verify_address;

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::api::{fetch_current_user, fetch_payments, live_position};
use crate::app::components::live_badge::LiveBadge;
use crate::app::live::{on_open, use_live_events_after, LiveStatus};
use crate::i18n::{arg, t, t_with};
use crate::model::{
    AppError, CallbackData, Destination, DestinationId, Entity, LiveEvent, PaymentSource, PaymentsOverview,
};
use bulk::BulkPaymentForm;
use destinations::{DestinationForm, DestinationsSection};
use history::HistorySection;
use payment_form::NewPaymentForm;
use sources::SourcesSection;
use verify_address::VerifyAddress;

/// The section whose button launched a flow: its outcome is shown there, beside that button, not at
/// the top of a long page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Payments,
    Sources,
}

/// What an outcome notice says.
#[derive(Debug, Clone)]
enum Said {
    Text(String),
    /// A payment source flow succeeded for this destination: the notice says what the bank's list says
    /// of that recipient (confirming, in cool-off until …, ready) and follows it live.
    Recipient {
        destination: DestinationId,
        new_source: bool,
    },
}

/// How the last flow launched from the page ended.
#[derive(Debug, Clone)]
struct Notice {
    said: Said,
    class: &'static str,
    /// Lean's status, for tests and styling.
    status: String,
    section: Section,
}

type Outcome = RwSignal<Option<Notice>>;

/// The page's data: the server's at first (the island's props), then each newer answer.
type Overview = RwSignal<Option<Result<PaymentsOverview, AppError>>>;

/// Shows `text` as the section's outcome notice.
fn show(outcome: Outcome, section: Section, text: String, class: &'static str, status: String) {
    outcome.set(Some(Notice { said: Said::Text(text), class, status, section }));
}

/// Shows `text` as the section's outcome notice, as a failure.
fn show_error(outcome: Outcome, section: Section, text: String) {
    show(outcome, section, text, "notice error", "ERROR".into());
}

/// The payment sources and destinations the page holds, as a recipient notice reads them.
type Recipients = (RwSignal<Vec<PaymentSource>>, RwSignal<Vec<Destination>>);

/// The outcome of a flow launched from `section`, in a live region that is always in the page, so a
/// screen reader announces each new outcome; it sits beside the section's buttons.
#[component]
fn OutcomeNotice(
    outcome: Outcome,
    section: Section,
    /// The sources and destinations a [`Said::Recipient`] notice reads (the sources section only).
    #[prop(optional)]
    recipients: Option<Recipients>,
) -> impl IntoView {
    view! {
        <div class="outcome-slot" aria-live="polite" aria-atomic="true">
            {move || outcome.get().filter(|n| n.section == section).map(|n| {
                let (text, class) = match (&n.said, recipients) {
                    (Said::Text(text), _) => (text.clone(), n.class),
                    (Said::Recipient { destination, new_source }, Some((sources, destinations))) => {
                        sources::recipient_notice(&sources.get(), &destinations.get(), destination, *new_source)
                    }
                    (Said::Recipient { .. }, None) => (String::new(), n.class),
                };
                view! { <div class=class data-testid="payment-outcome" data-status=n.status><p>{text}</p></div> }
            })}
        </div>
    }
}

#[component]
pub fn PaymentsPage() -> impl IntoView {
    // The page's data is read on the server and handed to the island as its props (one look at Lean
    // per list and page view); the live position first, so what changes meanwhile is replayed.
    let user = Resource::new(
        || (),
        |_| async {
            match fetch_current_user().await {
                Ok(Some(_)) => Ok(Some((live_position().await.ok(), fetch_payments().await))),
                Ok(None) => Ok(None),
                Err(e) => Err(e),
            }
        },
    );
    view! {
        <Transition fallback=|| view! { <p class="muted">{t("loading")}</p> }>
            {move || {
                user.get()
                    .map(|u| match u {
                        Ok(Some((since, first))) => view! { <Payments since first/> }.into_any(),
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
fn Payments(since: Option<i64>, first: Result<PaymentsOverview, AppError>) -> impl IntoView {
    crate::app::hydrated::island_started();
    let (destinations, sources, banks) = match &first {
        Ok(o) => (
            RwSignal::new(o.destinations.clone()),
            RwSignal::new(o.sources.clone()),
            RwSignal::new(o.banks.clone()),
        ),
        Err(_) => (
            RwSignal::new(Vec::<Destination>::new()),
            RwSignal::new(Vec::<PaymentSource>::new()),
            RwSignal::new(Vec::<Entity>::new()),
        ),
    };
    let overview: Overview = RwSignal::new(Some(first));
    // Asked again on every change; only the newest answer is shown (an older one arriving late would
    // undo a newer change).
    let asked = StoredValue::new(0u32);
    let reload = move || {
        asked.update_value(|n| *n += 1);
        let mine = asked.get_value();
        leptos::task::spawn_local(async move {
            let answer = fetch_payments().await;
            if asked.get_value() == mine {
                if let Ok(o) = &answer {
                    destinations.set(o.destinations.clone());
                    sources.set(o.sources.clone());
                    banks.set(o.banks.clone());
                }
                overview.set(Some(answer));
            }
        });
    };
    let live = use_live_events_after(since, move |event| {
        if matches!(
            event,
            LiveEvent::PaymentChanged { .. }
                | LiveEvent::PaymentSourceChanged { .. }
                | LiveEvent::EntityChanged { .. }
        ) {
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
        <PaymentsHead live/>
        <div class="pay-grid">
            <NewPaymentForm destinations on_created=reload/>
            <DestinationForm on_created=reload/>
        </div>
        <BulkPaymentForm destinations on_created=reload/>
        <HistorySection overview sources outcome on_change=reload/>
        <DestinationsSection destinations/>
        <SourcesSection overview destinations sources banks outcome/>
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
