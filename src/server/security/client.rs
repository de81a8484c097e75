//! Who is on the other end of a request: the client's address and whether it reached us over https.
//! Behind a reverse proxy both come from `X-Forwarded-For` and `X-Forwarded-Proto`, but only when the
//! direct peer is a proxy named in `TRUSTED_PROXIES`: anyone else could write those headers.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// Stored in each request's extensions by [`identify`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Client {
    pub ip: IpAddr,
    /// The browser's connection was https (ours, or a trusted proxy's that forwarded it).
    pub https: bool,
}

/// What [`identify`] needs from the configuration.
#[derive(Clone, Debug, Default)]
pub struct ClientPolicy {
    pub trusted_proxies: Vec<IpAddr>,
    /// Cookies are already `Secure` for every response (https PUBLIC_URL, production).
    pub always_secure: bool,
}

fn last_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .rfind(|v| !v.is_empty())
}

/// The client behind `peer`. Forwarding headers count only when `peer` is a trusted proxy; then the
/// client is the right-most address that is not itself a trusted proxy (proxies append, so anything
/// further left may have been written by the client).
pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> Client {
    if !trusted.contains(&peer) {
        return Client { ip: peer, https: false };
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let ip = forwarded.iter().rev().find(|ip| !trusted.contains(ip)).copied().unwrap_or(peer);
    let https = last_value(headers, "x-forwarded-proto").is_some_and(|p| p.eq_ignore_ascii_case("https"));
    Client { ip, https }
}

/// Middleware: records the [`Client`] for handlers, and marks the cookies (session, language) `Secure`
/// on any response to a browser that came over https (when they are not `Secure` for everyone already).
pub async fn identify(State(policy): State<Arc<ClientPolicy>>, mut req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::from([127, 0, 0, 1]));
    let client = resolve(peer, req.headers(), &policy.trusted_proxies);
    req.extensions_mut().insert(client);
    let mut res = next.run(req).await;
    if client.https && !policy.always_secure {
        secure_cookies(res.headers_mut());
    }
    res
}

fn secure_cookies(headers: &mut HeaderMap) {
    let cookies: Vec<HeaderValue> = headers.get_all(header::SET_COOKIE).iter().cloned().collect();
    if cookies.is_empty() {
        return;
    }
    headers.remove(header::SET_COOKIE);
    for cookie in cookies {
        let value = match cookie.to_str() {
            Ok(c) if !c.to_ascii_lowercase().contains("; secure") => {
                HeaderValue::from_str(&format!("{c}; Secure")).unwrap_or(cookie)
            }
            _ => cookie,
        };
        headers.append(header::SET_COOKIE, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn forwarding_headers_count_only_from_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 203.0.113.9"), ("x-forwarded-proto", "https")]);
        let direct = resolve("198.51.100.7".parse().unwrap(), &h, &[proxy]);
        assert_eq!(direct, Client { ip: "198.51.100.7".parse().unwrap(), https: false });
        let proxied = resolve(proxy, &h, &[proxy]);
        assert_eq!(proxied, Client { ip: "203.0.113.9".parse().unwrap(), https: true }, "right-most wins");
        let none_configured = resolve(proxy, &h, &[]);
        assert_eq!(none_configured.ip, proxy);
    }

    #[test]
    fn cookies_gain_secure_once() {
        let mut h =
            headers(&[("set-cookie", "sid=abc; Path=/; HttpOnly"), ("set-cookie", "lang=ar; Secure")]);
        secure_cookies(&mut h);
        let all: Vec<_> = h.get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
        assert_eq!(all, ["sid=abc; Path=/; HttpOnly; Secure", "lang=ar; Secure"]);
    }
}
