//! A hosted demo's browsers reach the embedded sandbox through the app's own origin.
//!
//! On a presenter's machine the browser loads Lean's loader and the Link page from the sandbox's own
//! port (`http://127.0.0.1:4010`), a second origin as Lean's CDN is. A demo deployed behind one https
//! host name cannot offer that port to other computers, and an https page may not load an http script
//! anyway. So when `PUBLIC_URL` is set (and `LEAN_SANDBOX_PUBLIC_URL` is not), the app forwards the
//! sandbox's browser-facing paths — the Link loader, page, assets and API under `/link/`, the bank list
//! the Link page reads (`GET /banks/v1`) and the bank logos under `/static/banks/` — to the sandbox over
//! loopback HTTP, and the sandbox names
//! `PUBLIC_URL` as its address in everything it writes.
//!
//! These routes sit outside the app's page defences on purpose: the Link page is framed by the app's
//! own pages (the app answers `X-Frame-Options: DENY` everywhere else) and carries the sandbox's own
//! policy, as it would coming from Lean. Requests carry no cookie of the app's to the sandbox, and
//! answers set none. Written here rather than taken from a reverse-proxy crate: it is a few lines
//! over the HTTP client the app already uses, with the header choices above spelled out.

use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;

use super::security::MAX_BODY_BYTES;

/// Request headers the sandbox needs; everything else (cookies above all) stays with the app.
const FORWARDED_REQUEST: &[header::HeaderName] = &[
    header::ACCEPT,
    header::ACCEPT_LANGUAGE,
    header::AUTHORIZATION,
    header::CONTENT_TYPE,
    header::IF_NONE_MATCH,
    header::USER_AGENT,
];

/// Answer headers that describe one hop or that the app never lets through.
const DROPPED_RESPONSE: &[header::HeaderName] =
    &[header::CONNECTION, header::CONTENT_LENGTH, header::SET_COOKIE, header::TRANSFER_ENCODING];

struct Target {
    client: reqwest::Client,
    /// The sandbox's listening address, e.g. `http://127.0.0.1:4010`.
    base: String,
}

/// The routes that forward to the sandbox at `sandbox_base`.
pub fn routes(sandbox_base: String) -> Router {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("an HTTP client with no TLS settings of its own always builds");
    let target = Arc::new(Target { client, base: sandbox_base.trim_end_matches('/').to_owned() });
    Router::new()
        .route("/link/{*rest}", any(forward))
        .route("/static/banks/{file}", get(forward))
        // The Link page lists the banks with the customer's token, as Lean's does.
        .route("/banks/v1", get(forward))
        .route("/banks/v1/", get(forward))
        .with_state(target)
}

async fn forward(State(target): State<Arc<Target>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let path = parts.uri.path_and_query().map_or(parts.uri.path(), |pq| pq.as_str());
    let Ok(body) = to_bytes(body, MAX_BODY_BYTES).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let mut headers = HeaderMap::new();
    for name in FORWARDED_REQUEST {
        for value in parts.headers.get_all(name) {
            headers.append(name.clone(), value.clone());
        }
    }
    let sent = target
        .client
        .request(parts.method, format!("{}{path}", target.base))
        .headers(headers)
        .body(body)
        .send()
        .await;
    let answer = match sent {
        Ok(answer) => answer,
        Err(err) => {
            tracing::warn!(%err, path, "the embedded sandbox did not answer a forwarded request");
            return (StatusCode::BAD_GATEWAY, "The embedded Lean sandbox did not answer.").into_response();
        }
    };
    let status = answer.status();
    let mut headers = answer.headers().clone();
    for name in DROPPED_RESPONSE {
        headers.remove(name);
    }
    match answer.bytes().await {
        Ok(bytes) => {
            let mut response = Response::new(Body::from(bytes));
            *response.status_mut() = status;
            *response.headers_mut() = headers;
            response
        }
        Err(err) => {
            tracing::warn!(%err, path, "the embedded sandbox's answer broke off");
            (StatusCode::BAD_GATEWAY, "The embedded Lean sandbox's answer broke off.").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::post;

    async fn serve(router: Router) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        format!("http://{addr}")
    }

    /// A stand-in sandbox that says which headers reached it and tries to set a cookie.
    fn echo() -> Router {
        Router::new().route(
            "/link/api/echo",
            post(|headers: HeaderMap, uri: axum::http::Uri, body: String| async move {
                let seen = format!(
                    "cookie={:?} authorization={:?} query={:?} body={body}",
                    headers.get(header::COOKIE),
                    headers.get(header::AUTHORIZATION),
                    uri.query()
                );
                ([(header::SET_COOKIE, "sandbox=1"), (header::ETAG, "\"v1\"")], seen)
            }),
        )
    }

    #[tokio::test]
    async fn the_app_keeps_its_cookies_and_the_rest_goes_through() {
        let sandbox = serve(echo()).await;
        let app = serve(routes(sandbox)).await;
        let answer = reqwest::Client::new()
            .post(format!("{app}/link/api/echo?customer=c1"))
            .header(header::COOKIE, "lean_merchant_session=secret")
            .header(header::AUTHORIZATION, "Bearer customer-token")
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
        assert!(
            answer.headers().get(header::SET_COOKIE).is_none(),
            "the sandbox may not set the app's cookies"
        );
        assert_eq!(answer.headers().get(header::ETAG).unwrap(), "\"v1\"");
        assert_eq!(
            answer.text().await.unwrap(),
            "cookie=None authorization=Some(\"Bearer customer-token\") query=Some(\"customer=c1\") body={}"
        );
    }

    #[tokio::test]
    async fn only_the_sandboxs_browser_paths_are_forwarded() {
        let sandbox =
            serve(echo().route("/customers/v1/", axum::routing::get(|| async { "customers" }))).await;
        let app = serve(routes(sandbox)).await;
        let answer = reqwest::get(format!("{app}/customers/v1/")).await.unwrap();
        assert_eq!(answer.status(), 404);
    }

    #[tokio::test]
    async fn a_sandbox_that_does_not_answer_is_a_bad_gateway() {
        // A port that was free a moment ago: nothing listens there now.
        let gone = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap()
        };
        let app = serve(routes(format!("http://{gone}"))).await;
        let answer = reqwest::get(format!("{app}/link/lean-sdk.html")).await.unwrap();
        assert_eq!(answer.status(), 502);
    }
}
