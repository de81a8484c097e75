//! How server-side failures become the `AppError` a person sees. Causes are logged here, on the
//! server; the error that travels says only what the person can act on.

use crate::model::AppError;

/// A failure that is ours, not the caller's: logged with its cause, answered as `Internal`.
pub fn internal(cause: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %cause, "internal error");
    AppError::Internal
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        internal(format_args!("database: {e}"))
    }
}

impl From<tower_sessions::session::Error> for AppError {
    fn from(e: tower_sessions::session::Error) -> Self {
        internal(format_args!("session store: {e}"))
    }
}

impl From<serde_json::Error> for AppError {
    fn from(e: serde_json::Error) -> Self {
        internal(format_args!("json: {e}"))
    }
}
