//! Why a sign-in or sign-up form came back, as a short code in the address of a form posted without
//! JavaScript. Only these codes travel (never free text), so a crafted link cannot put words on the page.

use crate::i18n::t;
use crate::model::AppError;

/// The code of a sign-in or sign-up error.
pub fn form_error_code(e: &AppError) -> String {
    let code = match e {
        AppError::TooManyAttempts { retry_after_secs } => return format!("too-many-{retry_after_secs}"),
        AppError::Busy => "busy",
        AppError::BadCredentials => "bad-credentials",
        AppError::EmailTaken => "email-taken",
        AppError::Invalid { field, .. } if field == "email" => "email-invalid",
        AppError::Invalid { message, .. } if *message == t("auth-password-missing") => "password-missing",
        AppError::Invalid { message, .. } if *message == t("auth-password-too-long") => "password-too-long",
        AppError::Invalid { .. } => "password-too-short",
        _ => "internal",
    };
    code.to_owned()
}

/// The error a form-error code stands for, in the page's language.
pub fn form_error(code: &str) -> Option<AppError> {
    if let Some(secs) = code.strip_prefix("too-many-") {
        let retry_after_secs = secs.parse::<u64>().ok().filter(|s| *s <= 24 * 3600)?;
        return Some(AppError::TooManyAttempts { retry_after_secs });
    }
    Some(match code {
        "busy" => AppError::Busy,
        "bad-credentials" => AppError::BadCredentials,
        "email-taken" => AppError::EmailTaken,
        "email-invalid" => AppError::invalid("email", t("auth-email-invalid")),
        "password-missing" => AppError::invalid("password", t("auth-password-missing")),
        "password-too-long" => AppError::invalid("password", t("auth-password-too-long")),
        "password-too-short" => AppError::invalid("password", t("auth-password-too-short")),
        "internal" => AppError::Internal,
        _ => return None,
    })
}
