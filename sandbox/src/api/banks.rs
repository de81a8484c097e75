//! `GET /banks/v1` and the generated bank logos.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;

use crate::app::App;
use crate::auth::AnyCaller;
use crate::banks::{self, BANKS};
use crate::error::ApiError;

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/banks/v1", get(list))
        .route("/banks/v1/", get(list))
        .route("/static/banks/{file}", get(logo))
}

/// Honours the simple filters Lean documents; unknown values just match nothing.
async fn list(
    _: AnyCaller,
    State(app): State<Arc<App>>,
    Query(query): Query<Vec<(String, String)>>,
) -> Json<Value> {
    let wanted = |key: &str| -> Vec<&str> {
        query
            .iter()
            .filter(|(k, _)| k == key || k == &format!("{key}[]"))
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect()
    };
    let countries = wanted("country_codes");
    let bank_types = wanted("bank_type");
    let account_types = wanted("account_types");
    let items = BANKS
        .iter()
        .filter(|b| countries.is_empty() || countries.contains(&b.country_code))
        .filter(|b| bank_types.is_empty() || bank_types.contains(&b.bank_type))
        .filter(|b| account_types.is_empty() || account_types.contains(&b.account_type))
        .map(|b| b.to_json(&app.base_url))
        .collect();
    Json(Value::Array(items))
}

async fn logo(Path(file): Path<String>) -> Response {
    let bank = file.strip_suffix(".svg").and_then(banks::find);
    match bank {
        Some(b) => (
            [(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=3600")],
            b.logo_svg(),
        )
            .into_response(),
        None => ApiError::new(StatusCode::NOT_FOUND, "INVALID_URL", "No such bank logo.").into_response(),
    }
}
