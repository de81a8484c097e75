//! The 404s of the payments API. Handlers also answer a malformed id with these: an id that
//! cannot exist is reported like an unknown one.

use axum::http::StatusCode;

use crate::error::ApiError;

pub fn unknown_destination() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "UNKNOWN_PAYMENT_DESTINATION",
        "No payment destination was found for the identifier you have provided.",
    )
}

pub fn unknown_intent() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "UNKNOWN_PAYMENT_INTENT",
        "No payment intent was found for the identifier you have provided.",
    )
}

pub fn unknown_source() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "UNKNOWN_PAYMENT_SOURCE",
        "No payment source was found for the identifier you have provided.",
    )
}

pub fn unknown_payment() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "UNKNOWN_PAYMENT",
        "No payment was found for the identifier you have provided.",
    )
}

pub fn unknown_consent() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "UNKNOWN_CONSENT",
        "No consent was found for the identifier you have provided.",
    )
}
