//! The security headers of every response (OWASP ASVS V3.4, V8.2.1).
//!
//! [`secure`] wraps the final router, so API answers, pages, static
//! assets, problems, 404s and 304s all get them:
//!
//! * a strict `Content-Security-Policy` ([`CONTENT_SECURITY_POLICY`]):
//!   only this origin's scripts, styles, images and connections, no
//!   framing, no plugins, forms post only here. The one exception is a
//!   stored file a handler marks [`SameOriginFrame`] (a candidate's work,
//!   shown beside the rubric): this origin's pages may frame it
//!   (`frame-ancestors 'self'`, `X-Frame-Options: SAMEORIGIN`); the pages
//!   themselves are never framed. The pages have no inline
//!   script or style (their charts are inline `<svg>` with presentation
//!   attributes, which the policy allows);
//! * `X-Content-Type-Options`, `Referrer-Policy`, `Permissions-Policy`,
//!   `X-Frame-Options` and `Cross-Origin-Opener-Policy`;
//! * `Cache-Control` by [`cache_control`]: `no-store` on everything that
//!   depends on who asks, `no-cache` on the two public documents with a
//!   strong ETag, and the static assets' own caching untouched.

use axum::Router;
use axum::extract::Request;
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::auth::SESSION_COOKIE;

/// The Content-Security-Policy of every response.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

/// The Content-Security-Policy of a stored file marked [`SameOriginFrame`]:
/// the same, but this origin's pages may show it in a frame.
pub const EMBEDDABLE_CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'; object-src 'none'";

/// A response extension set by a handler whose answer (a stored PDF, never
/// HTML) this origin's pages may frame; [`secure`] then relaxes
/// `frame-ancestors` and `X-Frame-Options` to the same origin for it alone.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SameOriginFrame;

/// The Permissions-Policy of every response: no powerful feature is used.
pub const PERMISSIONS_POLICY: &str = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), display-capture=()";

/// The headers every response gets, whatever the handler sent.
pub const SECURITY_HEADERS: [(&str, &str); 6] = [
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
    ("permissions-policy", PERMISSIONS_POLICY),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
];

/// The `Strict-Transport-Security` of a server whose public address is
/// HTTPS: one year, subdomains included.
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000; includeSubDomains";

/// `router` with `Strict-Transport-Security` on every response; applied
/// when the public address is HTTPS (`grille serve --public-url https://…`).
pub fn strict_transport_security(router: Router) -> Router {
    router.layer(SetResponseHeaderLayer::overriding(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static(STRICT_TRANSPORT_SECURITY),
    ))
}

/// The public documents that never change while the program runs and
/// answer `304` to a matching `If-None-Match`: clients may keep them but
/// must revalidate.
const REVALIDATED: [&str; 4] = [
    "/api/catalogue",
    "/api/catalogue/export/moodle.csv",
    "/api/catalogue/export/case.json",
    "/openapi.json",
];

/// `router` with the security headers and the cache policy on every
/// response. [`crate::app`] and [`crate::app_with_pages`] apply it; it is
/// public for routers served without them (the pages' browser tests).
pub fn secure(router: Router) -> Router {
    let mut router = router.layer(middleware::from_fn(cache_control));
    for (name, value) in SECURITY_HEADERS {
        router = router.layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        ));
    }
    // Outermost, so that it sees the headers set above.
    router.layer(middleware::map_response(same_origin_frame))
}

/// Lets this origin frame an answer marked [`SameOriginFrame`].
async fn same_origin_frame(mut response: Response) -> Response {
    if response.extensions().get::<SameOriginFrame>().is_some() {
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(EMBEDDABLE_CONTENT_SECURITY_POLICY),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("SAMEORIGIN"));
    }
    response
}

/// Sets `Cache-Control` from the request and the answer:
///
/// * `no-cache` for the public documents of [`REVALIDATED`] (`200` or
///   `304`);
/// * the handler's own header (or none) for a static asset found;
/// * `no-store` for every other `/api/` answer, every answer to a request
///   with a session cookie or a bearer token, every answer that sets a
///   cookie and every download (CSV or JSON export);
/// * the handler's own header otherwise (public pages, `/health`).
async fn cache_control(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let revalidated = REVALIDATED.contains(&path);
    let static_asset = path.starts_with("/static/");
    let api = path == "/api" || path.starts_with("/api/");
    let credentials = carries_credentials(request.headers());
    let mut response = next.run(request).await;
    let found = response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED;
    let value = if revalidated && found {
        Some("no-cache")
    } else if static_asset && found {
        None
    } else if api || credentials || sets_cookie(response.headers()) || is_download(response.headers()) {
        Some("no-store")
    } else {
        None
    };
    if let Some(value) = value {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    response
}

/// Whether the request names a user: a session cookie or a bearer token.
fn carries_credentials(headers: &HeaderMap) -> bool {
    if headers.contains_key(header::AUTHORIZATION) {
        return true;
    }
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .any(|(name, _)| name == SESSION_COOKIE)
}

fn sets_cookie(headers: &HeaderMap) -> bool {
    headers.contains_key(header::SET_COOKIE)
}

/// Whether the answer is a file to save: an attachment, or a CSV.
fn is_download(headers: &HeaderMap) -> bool {
    let attachment = headers
        .get(header::CONTENT_DISPOSITION)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.trim_start().to_ascii_lowercase().starts_with("attachment"));
    let csv = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.trim_start().to_ascii_lowercase().starts_with("text/csv"));
    attachment || csv
}
