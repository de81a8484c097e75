//! `AppError` in the reader's language. The English `Display` text stays for logs.

use super::{arg, t, t_with};
use crate::link_sdk::SdkError;
use crate::model::AppError;

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
                t_with("error-too-many-attempts", &[("seconds", super::num(*retry_after_secs as i64))])
            }
            AppError::Busy => t("error-busy"),
            AppError::Internal => t("error-internal"),
            AppError::Transport(detail) => t_with("error-transport", &[("detail", arg(detail))]),
        }
    }
}

impl SdkError {
    /// What the UI shows when the Link SDK cannot start, in the current language.
    pub fn localized(&self) -> String {
        match self {
            SdkError::NotLoaded => t("sdk-not-loaded"),
            SdkError::Launch(detail) => t_with("sdk-launch-refused", &[("detail", arg(detail))]),
        }
    }
}
