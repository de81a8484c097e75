//! `GET /lang/{code}?back=/path`: remembers the chosen language in a cookie and goes back. A plain
//! link, so the switch works before hydration and the next page is rendered in the new direction.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::state::AppState;
use crate::i18n::catalogue::Served;
use crate::i18n::{Lang, COOKIE};

#[derive(Deserialize)]
pub struct Back {
    back: Option<String>,
}

pub async fn switch(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<Back>,
) -> Response {
    let Some(lang) = Lang::parse(&code) else {
        return (StatusCode::NOT_FOUND, "Unknown language. Try /lang/en or /lang/ar.").into_response();
    };
    let back = q.back.filter(|b| is_local_path(b)).unwrap_or_else(|| "/".to_owned());
    let secure = if state.config.secure_cookies { "; Secure" } else { "" };
    let cookie = format!("{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}", lang.code());
    let mut res = StatusCode::SEE_OTHER.into_response();
    let headers = res.headers_mut();
    if let (Ok(cookie), Ok(location)) = (HeaderValue::from_str(&cookie), HeaderValue::from_str(&back)) {
        headers.insert(header::SET_COOKIE, cookie);
        headers.insert(header::LOCATION, location);
    }
    res
}

/// `GET /i18n/{lang}.{hash}.json`: one language's messages for the browser (see `i18n::catalogue`). The
/// name changes whenever the messages do, so a browser may keep the file for good.
pub async fn messages(Path(file): Path<String>) -> Response {
    let served = Lang::ALL.into_iter().map(Served::for_lang).find(|s| s.file == file);
    let Some(served) = served else {
        return (StatusCode::NOT_FOUND, "No such messages file.").into_response();
    };
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        served.json.as_str(),
    )
        .into_response()
}

/// Only paths on this site: `//evil.example` and `/\evil.example` are other sites to a browser.
fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && !path.chars().any(|c| c.is_control())
}

#[cfg(test)]
mod tests {
    use super::is_local_path;

    #[test]
    fn only_local_paths_are_followed() {
        assert!(is_local_path("/payments?tab=2"));
        assert!(!is_local_path("//evil.example/"));
        assert!(!is_local_path("/\\evil.example"));
        assert!(!is_local_path("https://evil.example"));
        assert!(!is_local_path("/a\r\nSet-Cookie: x=1"));
    }
}
