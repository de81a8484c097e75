//! Lean's REST API: auth, customers, entities, banks, events, plus a debug view of deliveries.

mod banks;
mod consents;
mod customers;
mod data;
mod debug;
pub mod entities;
mod events;
mod flood;
mod payments;
pub mod request;
mod scenarios;
mod token;

use std::sync::Arc;

use axum::Router;

use crate::app::App;

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .merge(token::routes())
        .merge(customers::routes())
        .merge(entities::routes())
        .merge(banks::routes())
        .merge(events::routes())
        .merge(debug::routes())
        .merge(data::routes())
        .merge(scenarios::routes())
        .merge(flood::routes())
        .merge(payments::routes())
        .merge(consents::routes())
}

/// Lean's list envelope: `{"data": [...], "page": {number, size, total_elements, total_pages}}`.
pub fn paginate(items: Vec<serde_json::Value>, number: usize, size: usize) -> serde_json::Value {
    paginate_with(items, number, size, |v| v)
}

/// `paginate` that turns only the page's items into JSON: a long list stays cheap to page through.
pub fn paginate_with<T>(
    items: Vec<T>,
    number: usize,
    size: usize,
    view: impl Fn(T) -> serde_json::Value,
) -> serde_json::Value {
    let size = size.clamp(1, 1000);
    let total = items.len();
    let data: Vec<_> = items.into_iter().skip(number.saturating_mul(size)).take(size).map(view).collect();
    serde_json::json!({
        "data": data,
        "page": {
            "number": number,
            "size": size,
            "total_elements": total,
            "total_pages": total.div_ceil(size),
        }
    })
}
