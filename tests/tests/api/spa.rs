//! Static serving of the SPA, against a stand-in build so these checks do not depend on the
//! wasm toolchain (the browser suite covers the real build).

use cpaas_shared::{ApiErrorBody, ErrorCode};
use cpaas_tests::TestApp;
use reqwest::StatusCode;

const INDEX: &str = "<!doctype html><html><head><script type=\"module\">import init from \
                     '/app.js';init();</script></head><body><div id=app>CPaaS Bridge</div></body></html>";
const WASM: &str = "app-0123456789abcdef_bg.wasm";

async fn app_with_site() -> (TestApp, tempfile::TempDir) {
    let site = tempfile::tempdir().expect("site dir");
    std::fs::write(site.path().join("index.html"), INDEX).expect("index");
    std::fs::write(site.path().join(WASM), vec![0_u8; 4096]).expect("wasm");
    std::fs::write(
        site.path().join("app-0123456789abcdef.js"),
        "x".repeat(4096),
    )
    .expect("js");
    let dir = site.path().to_path_buf();
    let app = TestApp::spawn_with(|s| s.web_dir = dir).await;
    (app, site)
}

fn header(res: &reqwest::Response, name: &str) -> String {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn index_and_deep_links_serve_the_app_revalidated() {
    let (app, _site) = app_with_site().await;
    let mut seen: Vec<String> = Vec::new();
    for path in ["/", "/index.html", "/providers/1", "/providers/1/resellers"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert!(
            header(&res, "content-type").starts_with("text/html"),
            "{path}"
        );
        assert_eq!(header(&res, "cache-control"), "no-cache", "{path}");
        assert_eq!(header(&res, "x-content-type-options"), "nosniff");
        // The start-up script runs by a nonce fresh on every response; nothing else inline.
        let policy = header(&res, "content-security-policy");
        let nonce = policy
            .split(['\'', ' '])
            .find_map(|word| word.strip_prefix("nonce-"))
            .expect("a nonce in the policy")
            .to_owned();
        assert!(
            nonce.len() >= 22 && !seen.contains(&nonce),
            "{path}: fresh nonce"
        );
        for wanted in [
            "script-src 'self' 'nonce-",
            "'wasm-unsafe-eval'",
            "frame-ancestors 'none'",
            "object-src 'none'",
        ] {
            assert!(policy.contains(wanted), "{path}: {wanted} in {policy}");
        }
        let scripts = policy
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .expect("script-src");
        assert!(
            !scripts.contains("unsafe-inline") && !scripts.contains('*'),
            "{scripts}"
        );
        let body = res.text().await.expect("body");
        let tagged = INDEX.replace("<script", &format!("<script nonce=\"{nonce}\""));
        assert_eq!(body, tagged, "{path}");
        seen.push(nonce);
    }
}

#[tokio::test]
async fn every_response_is_unframeable_and_https_adds_hsts() {
    let (app, _site) = app_with_site().await;
    for path in [
        "/healthz",
        "/api/v1/auth/me",
        "/api/docs/",
        "/app-0123456789abcdef.js",
    ] {
        let res = app.get(path).await;
        let policy = header(&res, "content-security-policy");
        assert!(
            policy.contains("script-src 'self' 'wasm-unsafe-eval'")
                && policy.contains("frame-ancestors 'none'"),
            "{path}: {policy}"
        );
        assert_eq!(header(&res, "x-frame-options"), "DENY", "{path}");
        assert_eq!(header(&res, "strict-transport-security"), "", "plain http");
    }
    let secure = TestApp::spawn_with(|s| s.public_url = Some("https://cpaas.example".into())).await;
    let res = secure.get("/healthz").await;
    assert_eq!(
        header(&res, "strict-transport-security"),
        "max-age=31536000; includeSubDomains"
    );
}

#[tokio::test]
async fn hashed_assets_have_types_long_caching_and_validators() {
    let (app, _site) = app_with_site().await;
    let res = app.get(&format!("/{WASM}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "content-type"), "application/wasm");
    assert_eq!(
        header(&res, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    let etag = header(&res, "etag");
    assert!(!etag.is_empty());
    let res = app
        .client
        .get(app.url(&format!("/{WASM}")))
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);

    let js = app.get("/app-0123456789abcdef.js").await;
    assert!(
        header(&js, "content-type").starts_with("text/javascript"),
        "{}",
        header(&js, "content-type")
    );
}

#[tokio::test]
async fn responses_are_gzipped_when_asked() {
    let (app, _site) = app_with_site().await;
    let res = app
        .client
        .get(app.url("/app-0123456789abcdef.js"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "content-encoding"), "gzip");
    assert!(res.bytes().await.expect("body").len() < 4096, "compressed");
}

#[tokio::test]
async fn missing_assets_and_traversal_are_404_not_the_app() {
    let (app, _site) = app_with_site().await;
    for path in ["/missing-0123456789abcdef.js", "/.env", "/favicon.ico"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        let body: ApiErrorBody = res.json().await.expect("envelope");
        assert_eq!(body.code, ErrorCode::NotFound);
    }
}

#[tokio::test]
async fn an_unbuilt_spa_is_a_clear_503() {
    let empty = tempfile::tempdir().expect("dir");
    let dir = empty.path().to_path_buf();
    let app = TestApp::spawn_with(|s| s.web_dir = dir).await;
    let res = app.get("/").await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: ApiErrorBody = res.json().await.expect("envelope");
    assert_eq!(body.code, ErrorCode::ServiceUnavailable);
    assert!(body.message.contains("web app"), "{body:?}");
}
