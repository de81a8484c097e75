use leptos::lazy;
use leptos::prelude::*;

use leptos::server_fn::ServerFn;

use crate::api::entities::{disconnect_entity, DisconnectEntity};
use crate::i18n::{arg, t, t_with};
use crate::model::{Entity, EntityStatus};

fn permission_label(p: &str) -> String {
    match p {
        "identity" => t("bank-permission-identity"),
        "accounts" => t("bank-permission-accounts"),
        "balance" => t("bank-permission-balance"),
        "transactions" => t("bank-permission-transactions"),
        "payments" => t("bank-permission-payments"),
        other => other.replace('_', " "),
    }
}

/// Lean's colours come from a webhook; only a plain `#rrggbb` is put into a style attribute.
fn safe_color(c: Option<&str>, fallback: &'static str) -> String {
    match c {
        Some(c) if c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|ch| ch.is_ascii_hexdigit()) => {
            c.into()
        }
        _ => fallback.into(),
    }
}

#[component]
pub fn EntityCard(
    entity: Entity,
    on_disconnected: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let accent = safe_color(entity.main_color.as_deref(), "#0b6e4f");
    let (status_text, status_class) = match entity.status {
        EntityStatus::Active => (t("bank-status-active"), "ok"),
        EntityStatus::ReconnectRequired => (t("bank-status-reconnect-required"), "warn"),
        EntityStatus::ConsentExpired => (t("bank-status-consent-expired"), "warn"),
        EntityStatus::Deleted => (t("bank-status-deleted"), "muted"),
    };
    let data_text = match (entity.status, entity.refresh_status.as_deref()) {
        (EntityStatus::ReconnectRequired, _) => t("bank-data-login-needed"),
        (EntityStatus::ConsentExpired, _) => t("bank-data-consent-ended"),
        (_, None | Some("PENDING")) => t("bank-data-fetching"),
        (_, Some("OK") | Some("FINISHED")) => t("bank-data-ready"),
        (_, Some("FAILED")) => t("bank-data-failed"),
        (_, Some(_)) => t("bank-data-refreshing"),
    };
    let initials: String =
        entity.shown_bank_name().split_whitespace().filter_map(|w| w.chars().next()).take(2).collect();
    view! {
        <article class="entity" data-testid="entity-card" data-entity-id=entity.id.to_string()
            style=format!("--bank-accent: {accent}")>
            <header class="entity-head">
                {match entity.bank_logo.clone() {
                    Some(src) => view! { <img class="bank-logo" src=src alt="" width="40" height="40"/> }.into_any(),
                    None => view! { <span class="bank-logo initials" aria-hidden="true">{initials}</span> }.into_any(),
                }}
                <div>
                    <h3 class="bank-name">{entity.shown_bank_name().to_owned()}</h3>
                    <p class="muted small">{entity.bank_identifier.clone()}</p>
                </div>
                <span class=format!("badge badge-{status_class}") data-testid="entity-status"
                    data-status=entity.status.as_str()>{status_text}</span>
            </header>
            <ul class="chips" aria-label=t("bank-permissions-granted")>
                {entity.permissions.iter().map(|p| view! { <li class="chip">{permission_label(p)}</li> }).collect_view()}
            </ul>
            <p class="small muted" data-testid="entity-data-status">{data_text}</p>
            <a href=format!("/banks/{}", entity.id) data-testid="view-bank"
                class=if entity.status == EntityStatus::Active { "button ghost small-btn" } else { "button small-btn" }>
                {match entity.status {
                    EntityStatus::ReconnectRequired => t("bank-reconnect"),
                    EntityStatus::ConsentExpired => t("bank-connect-again"),
                    _ => t("bank-view-data"),
                }}
            </a>
            <Disconnect entity_id=entity.id.to_string() bank_name=entity.shown_bank_name().to_owned() on_done=on_disconnected/>
        </article>
    }
}

/// Asks Lean to delete the connection. `#[lazy]`: fetched with the first "Yes, disconnect", not with
/// the page. The error is in plain words.
#[lazy]
async fn disconnect(entity_id: String) -> Result<(), String> {
    disconnect_entity(entity_id).await.map_err(|e| e.localized())
}

/// Which bank's card is asking "Disconnect …?" (provided by the page that lists the cards).
#[derive(Clone, Copy, Default)]
pub struct Confirming(pub RwSignal<Option<String>>);

/// "Disconnect" asks once more, in place, before telling Lean to delete the connection.
#[component]
fn Disconnect(
    entity_id: String,
    bank_name: String,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    // Kept by the page, not the card: a live update re-renders the cards, and an open question must
    // survive that.
    let asking = use_context::<Confirming>().unwrap_or_default().0;
    let confirming = {
        let id = entity_id.clone();
        Signal::derive(move || asking.get().as_deref() == Some(id.as_str()))
    };
    let question = t_with("bank-disconnect-question", &[("bank", arg(&bank_name))]);
    let (entity_id, question) = (StoredValue::new(entity_id), StoredValue::new(question));
    let ask = move |_| asking.set(Some(entity_id.get_value()));
    let keep = move |_| asking.set(None);
    let pending = RwSignal::new(false);
    let ready = crate::app::hydrated::use_hydrated();
    let error = RwSignal::new(None::<String>);
    // A plain form (it posts and comes back without JavaScript); in the browser it calls the server
    // function directly. Lighter in wasm than an `ActionForm`, which the dashboard's first load would carry.
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        pending.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match disconnect(entity_id.get_value()).await {
                Ok(()) => on_done(),
                Err(message) => error.set(Some(message)),
            }
            pending.set(false);
        });
    };
    view! {
        <div class="entity-actions">
            <Show
                when=move || confirming.get()
                fallback=move || view! {
                    <button type="button" class="button link" on:click=ask disabled=move || !ready.get()>
                        {t("bank-disconnect")}
                    </button>
                }
            >
                <form method="post" action=DisconnectEntity::url() class="confirm" on:submit=submit>
                    <input type="hidden" name="entity_id" value=entity_id.get_value()/>
                    <p class="small">{question.get_value()}</p>
                    <button type="submit" class="button danger small-btn" disabled=move || pending.get()>
                        {t("bank-disconnect-yes")}
                    </button>
                    <button type="button" class="button ghost small-btn" on:click=keep>
                        {t("bank-disconnect-keep")}
                    </button>
                </form>
            </Show>
            <p class="form-error" role="alert">{move || error.get()}</p>
        </div>
    }
}
