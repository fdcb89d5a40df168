use cpaas_tests::{TestApp, workspace_root};
use reqwest::StatusCode;

/// Fails when the committed document differs from the one the code generates.
/// Regenerate with `cargo run -p cpaas-api -- openapi > openapi/openapi.json`.
#[tokio::test]
async fn committed_openapi_matches_the_code() {
    let generated = cpaas_api::openapi::document_json().expect("document serializes");
    let committed = std::fs::read_to_string(workspace_root().join("openapi/openapi.json"))
        .expect("openapi/openapi.json exists");
    assert!(
        generated == committed,
        "openapi/openapi.json is stale: run `cargo run -p cpaas-api -- openapi > openapi/openapi.json`"
    );

    let app = TestApp::spawn().await;
    let res = app.get("/api/openapi.json").await;
    assert_eq!(res.status(), StatusCode::OK);
    let served: serde_json::Value = res.json().await.expect("json");
    let generated: serde_json::Value = serde_json::from_str(&generated).expect("json");
    assert_eq!(
        served, generated,
        "the served document is the generated one"
    );
    assert_eq!(served["openapi"], "3.1.0");
    for path in ["/healthz", "/readyz"] {
        assert!(
            served["paths"][path]["get"].is_object(),
            "{path} documented"
        );
    }
    assert_eq!(
        served["paths"]["/readyz"]["get"]["operationId"],
        "get_readyz"
    );
}

#[tokio::test]
async fn swagger_ui_is_served_by_the_binary() {
    let app = TestApp::spawn().await;
    let res = app.get("/api/docs").await;
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(res.headers()["location"], "/api/docs/");
    let res = app.get("/api/docs/").await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.expect("html");
    assert!(html.contains("swagger-ui"), "{html}");
    for asset in ["/api/docs/swagger-ui.css", "/api/docs/swagger-ui-bundle.js"] {
        let res = app.get(asset).await;
        assert_eq!(res.status(), StatusCode::OK, "{asset}");
        assert!(
            res.bytes().await.expect("body").len() > 10_000,
            "{asset} is the real asset"
        );
    }
    let init = app.get("/api/docs/swagger-initializer.js").await;
    assert!(init.text().await.expect("js").contains("/api/openapi.json"));
}
