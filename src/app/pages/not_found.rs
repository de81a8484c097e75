use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::t;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <section class="auth-card">
            <h1>{t("notfound-title")}</h1>
            <p class="muted">{t("notfound-text")}</p>
            <A href="/">{t("notfound-home-link")}</A>
        </section>
    }
}
