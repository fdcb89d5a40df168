use std::time::Duration;

use cpaas_shared::{ApiErrorBody, DatabaseBackend, ErrorCode, HealthStatus, ReadyStatus};
use cpaas_tests::TestApp;
use reqwest::StatusCode;

fn expected_backend() -> DatabaseBackend {
    if std::env::var_os("TEST_DATABASE_URL").is_some() {
        DatabaseBackend::Postgresql
    } else {
        DatabaseBackend::Sqlite
    }
}

#[tokio::test]
async fn healthz_reports_the_version() {
    let app = TestApp::spawn().await;
    let res = app.get("/healthz").await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: HealthStatus = res.json().await.expect("json");
    assert_eq!(body.status, "ok");
    assert_eq!(body.version, cpaas_api::VERSION);
}

#[tokio::test]
async fn readyz_reports_the_backend_and_schema() {
    let app = TestApp::spawn().await;
    assert_eq!(app.backend, expected_backend());
    let res = app.get("/readyz").await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: ReadyStatus = res.json().await.expect("json");
    assert_eq!(body.status, "ready");
    assert_eq!(body.database, expected_backend());
    assert_eq!(body.version, cpaas_api::VERSION);
    let newest = std::fs::read_dir(cpaas_tests::workspace_root().join("migrations/sqlite"))
        .expect("migrations dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .map(|name| name.split('_').next().unwrap_or_default().replace('-', ""))
        .max()
        .expect("a migration");
    assert_eq!(body.schema_version, newest);
}

#[tokio::test]
async fn readyz_is_503_in_the_envelope_when_the_database_is_down() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/readyz").await.status(), StatusCode::OK);
    app.make_database_unavailable();
    let res = tokio::time::timeout(Duration::from_secs(20), app.get("/readyz"))
        .await
        .expect("readyz answers within the pool timeout");
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: ApiErrorBody = res.json().await.expect("json envelope");
    assert_eq!(body.code, ErrorCode::ServiceUnavailable);
    assert!(body.message.contains("database"), "{body:?}");
    // Liveness does not depend on the database.
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn build_reports_the_real_connection_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let unreachable = cpaas_api::Settings {
        bind: "127.0.0.1:0".to_owned(),
        data_dir: dir.path().to_path_buf(),
        database_url: Some(
            "postgres://cpaas:hunter2@127.0.0.1:1/cpaas"
                .to_owned()
                .into(),
        ),
        jwt_secret: Some(cpaas_tests::random_hex().into()),
        secret_key: Some(cpaas_tests::random_hex().into()),
        ..cpaas_api::Settings::default()
    };
    let err = cpaas_api::Application::build(unreachable)
        .await
        .err()
        .expect("no server listens on port 1");
    let text = format!("{err:#}");
    assert!(text.contains("cannot connect to PostgreSQL"), "{text}");
    assert!(text.contains("refused"), "the driver's own error: {text}");
    assert!(!text.contains("hunter2"), "no password in errors: {text}");

    let missing_dir = cpaas_api::Settings {
        bind: "127.0.0.1:0".to_owned(),
        data_dir: dir.path().to_path_buf(),
        database_url: Some("sqlite:///nonexistent-dir/cpaas.db".to_owned().into()),
        ..cpaas_api::Settings::default()
    };
    let err = cpaas_api::Application::build(missing_dir)
        .await
        .err()
        .expect("the directory does not exist");
    assert!(
        format!("{err:#}").contains("/nonexistent-dir/cpaas.db"),
        "{err:#}"
    );
}

#[tokio::test]
async fn metrics_are_for_operators_and_the_scrape_token() {
    use reqwest::Method;
    let app = TestApp::spawn_with(|s| {
        s.metrics_token = Some("a scrape token of ours".to_owned().into());
    })
    .await;
    app.create_operator("ops@kakapo.example", "correct horse battery", "Kakapo");
    app.create_admin("admin@other.example", "correct horse battery", "Other");
    let ops = app
        .token("ops@kakapo.example", "correct horse battery")
        .await;
    let admin = app
        .token("admin@other.example", "correct horse battery")
        .await;
    // Some traffic: a health check, a refused webhook call, a platform verified with the
    // carrier.
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
    let res = app
        .client
        .post(app.url("/webhooks/inteliquent/1"))
        .json(&serde_json::json!({}))
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let me: serde_json::Value = app
        .call(&ops, Method::GET, "/api/v1/auth/me", None)
        .await
        .json()
        .await
        .expect("me");
    let path = format!(
        "/api/v1/providers/{}/cpaas-platforms",
        me["organization_id"]
    );
    let body = serde_json::json!({
        "account_key": cpaas_api::carrier::simulator::state::DEMO_ACCOUNT_KEY,
        "token_secret": cpaas_api::carrier::simulator::state::DEMO_TOKEN_SECRET,
        "outbound_api_key": cpaas_api::carrier::simulator::state::DEMO_OUTBOUND_KEY,
    });
    let res = app.call(&ops, Method::POST, &path, Some(body)).await;
    assert_eq!(res.status(), StatusCode::CREATED);

    assert_eq!(app.get("/metrics").await.status(), StatusCode::UNAUTHORIZED);
    let res = app.call(&admin, Method::GET, "/metrics", None).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "not an operator");
    for token in [ops.as_str(), "a scrape token of ours"] {
        let res = app.call(token, Method::GET, "/metrics", None).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(
            res.headers()["content-type"]
                .to_str()
                .expect("ascii")
                .starts_with("application/openmetrics-text")
        );
        let text = res.text().await.expect("text");
        for wanted in [
            "cpaas_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1",
            "cpaas_http_request_seconds_bucket{",
            "cpaas_webhook_requests_total{outcome=\"refused\"} 1",
            "cpaas_carrier_call_seconds_count{operation=\"verify_services\"} 1",
            "cpaas_jobs_dead 0",
            "cpaas_db_pool_connections_in_use{pool=\"requests\"} ",
            "cpaas_db_pool_connections_in_use{pool=\"jobs\"} ",
            "cpaas_db_pool_connections_idle{pool=\"leases\"} ",
            "# EOF",
        ] {
            assert!(text.contains(wanted), "{wanted} in:\n{text}");
        }
        // Routes are labelled by their pattern, never by a path with ids in it.
        assert!(text.contains("route=\"/api/v1/providers/{id}/cpaas-platforms\""));
        assert!(!text.contains(&path));
    }
}
