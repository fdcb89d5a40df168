//! No password or bearer token reaches a log line (captured at debug level) or the history.

use cpaas_shared::{LoginResponse, Page};
use cpaas_tests::{TestApp, logs};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn passwords_and_tokens_stay_out_of_logs_and_history() {
    let app = TestApp::spawn().await;
    let (admin_password, new_password, wrong_password, account_password) = (
        "admin-pw-7f3a9c1e",
        "changed-pw-5d2b8e4a",
        "wrong-pw-1c9e7f3b",
        "account-pw-8a4d2c6e",
    );
    app.create_admin("admin@kakapo.example", admin_password, "Kakapo");
    assert_eq!(
        app.login("admin@kakapo.example", wrong_password)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let login: LoginResponse = app
        .login("admin@kakapo.example", admin_password)
        .await
        .json()
        .await
        .expect("login");
    let token = login.access_token.as_str();
    let provider = login.account.organization_id;
    let res = app
        .call(
            token,
            Method::POST,
            &format!("/api/v1/providers/{provider}/portal-accounts"),
            Some(json!({ "email": "second@kakapo.example", "password": account_password })),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = app
        .call(
            token,
            Method::PATCH,
            &format!("/api/v1/portal-accounts/{}", login.account.id),
            Some(json!({ "password": new_password, "current_password": admin_password })),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    // The new password ended the old token.
    let token = app.token("admin@kakapo.example", new_password).await;
    let res = app
        .call(
            &token,
            Method::GET,
            &format!("/api/v1/providers/{provider}/history?per_page=100"),
            None,
        )
        .await;
    let history: Page<Value> = res.json().await.expect("history");
    let history = serde_json::to_string(&history.items).expect("json");
    assert!(
        history.contains("password"),
        "the change itself is recorded"
    );

    for secret in [
        admin_password,
        new_password,
        wrong_password,
        account_password,
        login.access_token.as_str(),
        token.as_str(),
    ] {
        assert!(!history.contains(secret), "history holds a secret");
        logs::assert_absent(secret);
    }
}
