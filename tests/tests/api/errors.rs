//! Every non-2xx answer is the JSON envelope, including the framework's own 404 and 405.
//! (Malformed JSON, bad path and query parameters are covered next to their extractor
//! configuration in `api/src/error.rs`, since no public route takes a body yet.)

use cpaas_shared::{ApiErrorBody, ErrorCode};
use cpaas_tests::TestApp;
use reqwest::StatusCode;

async fn envelope(res: reqwest::Response) -> (StatusCode, ApiErrorBody) {
    let status = res.status();
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    (status, res.json().await.expect("an error envelope"))
}

#[tokio::test]
async fn unknown_api_route_is_a_json_404() {
    let app = TestApp::spawn().await;
    for path in [
        "/api/v1/nothing-here",
        "/api/v1",
        "/webhooks/unknown",
        "/api",
    ] {
        let (status, body) = envelope(app.get(path).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(body.code, ErrorCode::NotFound, "{path}");
        assert!(body.message.contains(path), "{path}: {body:?}");
    }
}

#[tokio::test]
async fn wrong_method_is_a_json_405() {
    let app = TestApp::spawn().await;
    let res = app
        .client
        .post(app.url("/healthz"))
        .send()
        .await
        .expect("sent");
    assert_eq!(res.headers()["allow"], "GET");
    let (status, body) = envelope(res).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(body.code, ErrorCode::MethodNotAllowed);

    let res = app.client.delete(app.url("/")).send().await.expect("sent");
    assert_eq!(res.headers()["allow"], "GET, HEAD");
    let (status, body) = envelope(res).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(body.code, ErrorCode::MethodNotAllowed);
}
