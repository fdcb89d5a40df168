//! Operators (`cpaas create-admin --operator`): they see every provider and are the only ones
//! who create and delete providers. Provider admins are refused with `forbidden`.

use cpaas_shared::{ApiErrorBody, ErrorCode, HistoryEntry, LoginResponse, Page, Provider};
use cpaas_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";

async fn login(app: &TestApp, email: &str) -> LoginResponse {
    app.login(email, PASSWORD)
        .await
        .json()
        .await
        .expect("login")
}

async fn error(res: reqwest::Response, status: StatusCode) -> ApiErrorBody {
    assert_eq!(res.status(), status);
    res.json().await.expect("envelope")
}

async fn provider_names(app: &TestApp, token: &str) -> Vec<String> {
    let page: Page<Provider> = app
        .call(token, Method::GET, "/api/v1/providers", None)
        .await
        .json()
        .await
        .expect("page");
    page.items.into_iter().map(|p| p.name).collect()
}

#[tokio::test]
async fn operators_create_and_delete_providers_and_nobody_else_does() {
    let app = TestApp::spawn().await;
    app.create_operator("ops@kakapo.example", PASSWORD, "Kakapo Systems Limited");
    app.create_admin("admin@other.example", PASSWORD, "Other Provider");
    let ops = login(&app, "ops@kakapo.example").await;
    let admin = login(&app, "admin@other.example").await;
    assert!(ops.account.operator && !admin.account.operator);
    let (ops_token, admin_token) = (ops.access_token.as_str(), admin.access_token.as_str());
    assert_eq!(
        provider_names(&app, ops_token).await,
        ["Kakapo Systems Limited", "Other Provider"],
        "an operator sees every provider"
    );
    assert_eq!(provider_names(&app, admin_token).await, ["Other Provider"]);

    // A provider admin can neither create a provider nor delete its own.
    let body = json!({ "name": "Sneaky" });
    let res = app
        .call(admin_token, Method::POST, "/api/v1/providers", Some(body))
        .await;
    assert_eq!(
        error(res, StatusCode::FORBIDDEN).await.code,
        ErrorCode::Forbidden
    );
    let own = format!("/api/v1/providers/{}", admin.account.organization_id);
    let res = app.call(admin_token, Method::DELETE, &own, None).await;
    let refused = error(res, StatusCode::FORBIDDEN).await;
    assert!(refused.message.contains("operator"), "{}", refused.message);

    // Bad fields: every problem named, nothing written.
    let body = json!({ "name": " ", "timezone": "Mars/Base", "trial_duration_days": 7 });
    let res = app
        .call(ops_token, Method::POST, "/api/v1/providers", Some(body))
        .await;
    let invalid = error(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(invalid.code, ErrorCode::ValidationFailed);
    assert!(invalid.fields.contains_key("name") && invalid.fields.contains_key("timezone"));
    assert_eq!(
        provider_names(&app, ops_token).await.len(),
        2,
        "nothing saved"
    );

    let body = json!({ "name": "Northwind Telecom", "timezone": "America/Chicago", "trial_duration_days": 30 });
    let res = app
        .call(ops_token, Method::POST, "/api/v1/providers", Some(body))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let created: Provider = res.json().await.expect("provider");
    assert_eq!(
        (created.trial_duration_days, created.timezone.as_deref()),
        (30, Some("America/Chicago"))
    );
    let url = format!("/api/v1/providers/{}", created.id);
    let history: Page<HistoryEntry> = app
        .call(ops_token, Method::GET, &format!("{url}/history"), None)
        .await
        .json()
        .await
        .expect("history");
    assert_eq!(
        history.items[0].summary,
        "System provider Northwind Telecom created"
    );
    assert_eq!(history.items[0].actor, "ops@kakapo.example");

    // Its first admin is added by the operator; then the provider cannot go until it has gone.
    let body =
        json!({ "email": "first@northwind.example", "password": PASSWORD, "send_alerts": true });
    let res = app
        .call(
            ops_token,
            Method::POST,
            &format!("{url}/portal-accounts"),
            Some(body),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let account: Value = res.json().await.expect("account");
    assert_eq!(account["operator"], false, "the API never makes operators");
    let res = app.call(ops_token, Method::DELETE, &url, None).await;
    let conflict = error(res, StatusCode::CONFLICT).await;
    assert!(
        conflict.message.contains("1 portal account"),
        "{}",
        conflict.message
    );
    let res = app
        .call(
            ops_token,
            Method::DELETE,
            &format!("/api/v1/portal-accounts/{}", account["id"]),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = app.call(ops_token, Method::DELETE, &url, None).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = app.call(ops_token, Method::GET, &url, None).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // The operator's own provider cannot be deleted from under it.
    let res = app
        .call(
            ops_token,
            Method::DELETE,
            &format!("/api/v1/providers/{}", ops.account.organization_id),
            None,
        )
        .await;
    assert_eq!(
        error(res, StatusCode::CONFLICT).await.code,
        ErrorCode::Conflict
    );
}
