//! What a server function knows about the request it serves: the app's state, the session, the
//! signed-in user and the client's address; and `answer`, which gives a failed call the HTTP status
//! its error stands for.

use std::future::Future;

use axum::http::{header, request::Parts, HeaderValue, StatusCode};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use tower_sessions::Session;

use super::auth::session_user_id;
use super::AppState;
use crate::model::{AppError, UserId};

/// Runs a server function's work and sets the response status from its error, so API clients and
/// tests see a real 400/401/403 and not a blanket 500. Pages that call server functions while they
/// render get the same status (a foreign bank's page answers 403).
pub async fn answer<T>(work: impl Future<Output = Result<T, AppError>>) -> Result<T, AppError> {
    let result = work.await;
    if let Err(e) = &result {
        set_status(e);
    }
    result
}

fn set_status(e: &AppError) {
    let Some(res) = use_context::<ResponseOptions>() else { return };
    if let AppError::TooManyAttempts { retry_after_secs } = e {
        if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
            res.insert_header(header::RETRY_AFTER, v);
        }
    }
    // A plain form post (no JavaScript yet) is sent back to its page by leptos_axum (Location:
    // Referer); an error status would strand the browser on the raw answer.
    res.set_status(if plain_form_post() {
        StatusCode::SEE_OTHER
    } else {
        StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    });
}

/// The request is an HTML form posted by the browser itself (before hydration, or without
/// JavaScript): it accepts HTML and names the page it came from.
pub fn plain_form_post() -> bool {
    use_context::<Parts>().is_some_and(|p| {
        let accepts_html = p
            .headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"));
        accepts_html && p.headers.contains_key(header::REFERER)
    })
}

/// Without JavaScript the browser posts a sign-in or sign-up form itself: on an error, send it back
/// to the form with the reason in the address, where the page shows it (`model::form_error`).
pub async fn back_to_form<T>(
    page: &str,
    work: impl Future<Output = Result<T, AppError>>,
) -> Result<T, AppError> {
    let result = work.await;
    if let Err(e) = &result {
        if plain_form_post() {
            leptos_axum::redirect(&format!("{page}?error={}", crate::model::form_error::form_error_code(e)));
        }
    }
    result
}

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or(AppError::Internal)
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|e| {
        tracing::error!(error = ?e, "session layer missing");
        AppError::Internal
    })
}

/// The signed-in user's id, or `SignInRequired`.
pub async fn user_id() -> Result<UserId, AppError> {
    session_user_id(&session().await?).await.ok_or(AppError::SignInRequired)
}

/// The app's state and the signed-in user: what almost every server function starts from.
pub async fn signed_in() -> Result<(AppState, UserId), AppError> {
    let user_id = user_id().await?;
    super::observe::record_user(user_id.as_str());
    Ok((state()?, user_id))
}

/// The client's address (see `security::client`); loopback when there is no request (the CLI).
pub fn client_ip() -> std::net::IpAddr {
    use_context::<Parts>()
        .and_then(|p| p.extensions.get::<super::security::client::Client>().map(|c| c.ip))
        .unwrap_or(std::net::IpAddr::from([127, 0, 0, 1]))
}
