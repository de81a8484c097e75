//! Where a form shows a server function's error: next to the field it is about, or under the form.

use crate::model::AppError;

/// The message of an `Invalid` error about `field`, for showing next to that field.
pub fn field_message(error: Option<AppError>, field: &str) -> Option<String> {
    match error {
        Some(AppError::Invalid { field: f, message }) if f == field => Some(message),
        _ => None,
    }
}

/// Any error that is not about one of `fields`, for showing under the form.
pub fn general_message(error: Option<AppError>, fields: &[&str]) -> Option<String> {
    match error {
        Some(AppError::Invalid { field, .. }) if fields.contains(&field.as_str()) => None,
        Some(e) => Some(e.localized()),
        None => None,
    }
}
