use crate::model::AppError;

/// A failed call to Lean.
#[derive(Debug, thiserror::Error)]
pub enum LeanError {
    /// Lean answered with its error envelope `{status, message, timestamp, metadata}`.
    #[error("Lean answered {http} {code}: {message}")]
    Api { http: u16, code: String, message: String },
    /// No usable answer: connection refused, timeout, or a body we could not read.
    #[error("Lean unavailable: {0}")]
    Unavailable(String),
}

impl LeanError {
    pub fn code(&self) -> Option<&str> {
        match self {
            LeanError::Api { code, .. } => Some(code),
            LeanError::Unavailable(_) => None,
        }
    }
}

impl From<LeanError> for AppError {
    fn from(e: LeanError) -> Self {
        tracing::warn!(error = %e, "Lean call failed");
        match e {
            LeanError::Api { code, message, .. } => AppError::Lean { code, message },
            LeanError::Unavailable(_) => AppError::LeanUnavailable,
        }
    }
}
