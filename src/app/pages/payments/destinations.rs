//! Where payments go: the form that adds a destination (Lean checks the IBAN and name) and the list
//! of the user's destinations.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::create_destination;
use crate::app::components::form_errors::{field_message, general_message};
use crate::i18n::{arg, t, t_with};
use crate::model::{AppError, Destination};

#[component]
pub(super) fn DestinationForm(on_created: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
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
pub(super) fn DestinationsSection(destinations: RwSignal<Vec<Destination>>) -> impl IntoView {
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
                                <tr data-testid="destination-row" data-id=d.id.to_string()>
                                    <td><bdi>{d.display_name.clone()}</bdi> {d.default.then(|| view! { " " <span class="badge">{t("pay-destination-default")}</span> })}</td>
                                    <td><code class="ltr">{d.iban}</code></td>
                                    <td>{d.currency}</td>
                                    <td><span title=d.status.to_string()>{destination_status_text(d.status.as_str())}</span></td>
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

/// Lean's destination statuses (§6.1) in plain words; Lean's own word stays in the title.
fn destination_status_text(status: &str) -> String {
    match status {
        "CONFIRMED" | "ACTIVE" => t("pay-destination-status-confirmed"),
        "PENDING" | "PENDING_CONFIRMATION" => t("pay-destination-status-pending"),
        "" => "—".to_owned(),
        other => other.to_owned(),
    }
}
