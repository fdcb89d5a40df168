//! Security headers on every response. The Content Security Policy lets a page run only
//! same-origin scripts (and the app's start-up script, by its per-response nonce) and compile
//! WebAssembly (`'wasm-unsafe-eval'`, which the SPA needs); no page may be framed. Over https,
//! browsers are told to keep to https (HSTS).

use actix_web::middleware::DefaultHeaders;

/// The policy, allowing inline scripts that carry `nonce` when there is one.
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let nonce = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self'{nonce} 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The headers every response carries unless its handler set them (the app page sets its own
/// policy, with its nonce). `https`: the public URL is https, so HSTS is sent.
pub fn security_headers(https: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "no-referrer"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Content-Security-Policy", content_security_policy(None)));
    if https {
        headers.add((
            "Strict-Transport-Security",
            "max-age=31536000; includeSubDomains",
        ))
    } else {
        headers
    }
}
