use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

use crate::i18n::{arg, t, t_with};

/// Every failure a server function can report. The `Display` text is what the UI shows, so it is
/// written for the person using the app; internal causes are logged on the server, never sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("{message}")]
    Invalid { field: String, message: String },
    #[error("Please sign in to continue.")]
    SignInRequired,
    #[error("That email and password do not match an account.")]
    BadCredentials,
    #[error("An account with this email already exists. Sign in instead.")]
    EmailTaken,
    #[error("That belongs to another account, so it cannot be used here.")]
    Forbidden,
    #[error("{0} was not found.")]
    NotFound(String),
    #[error("Lean refused the request: {message} ({code})")]
    Lean { code: String, message: String },
    #[error("Lean could not be reached. Please try again in a moment.")]
    LeanUnavailable,
    #[error("Too many attempts. Please wait {retry_after_secs} seconds and try again.")]
    TooManyAttempts { retry_after_secs: u64 },
    #[error("The server is busy. Please try again in a few seconds.")]
    Busy,
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    #[error("The server could not be reached: {0}")]
    Transport(String),
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid { field: field.to_owned(), message: message.into() }
    }

    /// The HTTP status a server function answers with when it fails this way.
    pub fn http_status(&self) -> u16 {
        match self {
            AppError::Invalid { .. } => 400,
            AppError::SignInRequired | AppError::BadCredentials => 401,
            AppError::Forbidden => 403,
            AppError::NotFound(_) => 404,
            AppError::EmailTaken => 409,
            AppError::TooManyAttempts { .. } => 429,
            AppError::Busy => 503,
            AppError::Lean { .. } | AppError::LeanUnavailable => 502,
            AppError::Internal | AppError::Transport(_) => 500,
        }
    }
}

/// `AppError` in the reader's language. The English `Display` text stays for logs.
impl AppError {
    /// What the UI shows for this error, in the current language.
    pub fn localized(&self) -> String {
        match self {
            // Built on the server in the caller's language already.
            AppError::Invalid { message, .. } => message.clone(),
            AppError::SignInRequired => t("error-sign-in-required"),
            AppError::BadCredentials => t("error-bad-credentials"),
            AppError::EmailTaken => t("error-email-taken"),
            AppError::Forbidden => t("error-forbidden"),
            AppError::NotFound(what) => t_with("error-not-found", &[("what", arg(what))]),
            AppError::Lean { code, message } => {
                t_with("error-lean", &[("message", arg(message)), ("code", arg(code))])
            }
            AppError::LeanUnavailable => t("error-lean-unavailable"),
            AppError::TooManyAttempts { retry_after_secs } => {
                t_with("error-too-many-attempts", &[("seconds", crate::i18n::num(*retry_after_secs as i64))])
            }
            AppError::Busy => t("error-busy"),
            AppError::Internal => t("error-internal"),
            AppError::Transport(detail) => t_with("error-transport", &[("detail", arg(detail))]),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Bad or missing arguments are the caller's mistake, said plainly.
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::MissingArg(m) => {
                // server_fn answers 500 for undecodable arguments; they are the caller's mistake.
                #[cfg(feature = "ssr")]
                if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                    res.set_status(axum::http::StatusCode::BAD_REQUEST);
                }
                AppError::invalid("request", format!("The request was incomplete: {m}"))
            }
            // On the server, a body that does not decode (JSON-encoded arguments) is the caller's
            // mistake too; in the browser the same error means the answer could not be read.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(m) => {
                if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                    res.set_status(axum::http::StatusCode::BAD_REQUEST);
                }
                AppError::invalid("request", format!("The request could not be read: {m}"))
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}
