//! Serves the built SPA (`web/dist`): its files with their content types and validators, and
//! `index.html` for any other non-API path so deep links (`/providers/1`) load the app.
//! Trunk names assets with a content hash, so those are cached for a year; `index.html` is
//! revalidated on every load.

use std::path::{Path, PathBuf};

use actix_files::NamedFile;
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use cpaas_shared::ErrorCode;

use crate::error::ApiError;
use crate::state::AppState;

/// Prefixes that belong to the api: unknown paths under them are JSON 404s, never the SPA.
const API_PREFIXES: [&str; 4] = ["/api/", "/webhooks/", "/healthz", "/readyz"];

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

/// Default service: the SPA for GET/HEAD of non-API paths, the error envelope otherwise.
pub async fn serve(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let path = req.path();
    if path == "/api" || API_PREFIXES.iter().any(|p| path.starts_with(p)) {
        return match state.routes.allowed_methods(path) {
            Some(allowed) => Ok(method_not_allowed(&req, &allowed)),
            None => Err(ApiError::not_found(format!(
                "No resource at {} {path}.",
                req.method()
            ))),
        };
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return Ok(method_not_allowed(&req, &["GET", "HEAD"]));
    }
    let web_dir = &state.settings.web_dir;
    match asset_path(web_dir, path) {
        Some(file) if file.is_file() && file == web_dir.join("index.html") => {
            app_page(&req, file).await
        }
        Some(file) if file.is_file() => {
            let cache = if is_hashed(&file) {
                IMMUTABLE
            } else {
                REVALIDATE
            };
            respond(&req, &file, cache).await
        }
        // A missing file that looks like an asset is a 404; anything else is an app route.
        _ if last_segment(path).contains('.') => {
            Err(ApiError::not_found(format!("No file at {path}.")))
        }
        _ => {
            let index = web_dir.join("index.html");
            if !index.is_file() {
                return Err(ApiError::unavailable(
                    "web app",
                    format!("{} is missing: build the SPA (make run)", index.display()),
                ));
            }
            app_page(&req, index).await
        }
    }
}

/// `index.html` with a fresh nonce on its scripts (Trunk's start-up script is inline), and the
/// Content Security Policy that allows those and same-origin scripts only.
async fn app_page(req: &HttpRequest, index: PathBuf) -> Result<HttpResponse, ApiError> {
    let html = web::block(move || std::fs::read_to_string(index))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    let nonce = crate::crypto::random_hex(16).map_err(ApiError::internal)?;
    let html = if html.contains(TRUNK_NONCE) {
        html.replace(TRUNK_NONCE, &nonce)
    } else {
        html.replace("<script", &format!("<script nonce=\"{nonce}\""))
    };
    let mut res = HttpResponse::Ok();
    res.insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, REVALIDATE))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            crate::headers::content_security_policy(Some(&nonce)),
        ));
    if req.method() == Method::HEAD {
        return Ok(res.finish());
    }
    Ok(res.body(html))
}

/// Where Trunk asks for a per-response nonce, when it does.
const TRUNK_NONCE: &str = "{{__TRUNK NONCE__}}";

/// 405 in the envelope, with the `Allow` header listing what the path accepts.
fn method_not_allowed(req: &HttpRequest, allowed: &[&str]) -> HttpResponse {
    let mut res = ApiError::new(
        ErrorCode::MethodNotAllowed,
        format!(
            "{} is not allowed on {}; use {}.",
            req.method(),
            req.path(),
            allowed.join(" or ")
        ),
    )
    .error_response();
    if let Ok(value) = HeaderValue::from_str(&allowed.join(", ")) {
        res.headers_mut().insert(header::ALLOW, value);
    }
    res
}

async fn respond(
    req: &HttpRequest,
    file: &Path,
    cache: &'static str,
) -> Result<HttpResponse, ApiError> {
    let path = file.to_path_buf();
    let named = web::block(move || NamedFile::open(path))
        .await
        .map_err(ApiError::internal)?
        .map_err(|e| ApiError::internal(format!("cannot open {}: {e}", file.display())))?;
    let mut res = named
        .use_etag(true)
        .use_last_modified(true)
        .into_response(req);
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    Ok(res)
}

/// Maps a URL path onto a file under `root`, refusing anything that could leave it.
fn asset_path(root: &Path, url_path: &str) -> Option<PathBuf> {
    let mut file = root.to_path_buf();
    for segment in url_path.split('/').filter(|s| !s.is_empty()) {
        if segment.starts_with('.') || segment.contains(['\\', '%', '\0']) {
            return None;
        }
        file.push(segment);
    }
    Some(file)
}

fn last_segment(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or_default()
}

/// Trunk's hashed names end in `-<16 hex digits>` before the extension(s), e.g.
/// `cpaas-web-0f1e2d3c4b5a6978_bg.wasm` or `style-0f1e2d3c4b5a6978.css`.
fn is_hashed(file: &Path) -> bool {
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    name.split(['-', '.', '_'])
        .any(|part| part.len() == 16 && part.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_leave_the_root() {
        let root = Path::new("/srv/web");
        assert_eq!(
            asset_path(root, "/assets/app.js"),
            Some(PathBuf::from("/srv/web/assets/app.js"))
        );
        assert_eq!(asset_path(root, "/../etc/passwd"), None);
        assert_eq!(asset_path(root, "/%2e%2e/secret"), None);
        assert_eq!(asset_path(root, "/.git/config"), None);
    }

    #[test]
    fn recognises_trunk_hashes() {
        assert!(is_hashed(Path::new("cpaas-web-0f1e2d3c4b5a6978_bg.wasm")));
        assert!(is_hashed(Path::new("style-0f1e2d3c4b5a6978.css")));
        assert!(!is_hashed(Path::new("index.html")));
        assert!(!is_hashed(Path::new("favicon.svg")));
    }
}
