//! Portal accounts (R21): create at any level, list that level and below, update email,
//! password and notification settings, delete; passwords never leave the server.

use cpaas_shared::{ApiErrorBody, ErrorCode, HistoryEntry, LoginResponse, Page, PortalAccount};
use cpaas_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";

async fn setup(app: &TestApp) -> (LoginResponse, i64) {
    app.create_admin("admin@kakapo.example", PASSWORD, "Kakapo");
    let admin: LoginResponse = app
        .login("admin@kakapo.example", PASSWORD)
        .await
        .json()
        .await
        .expect("login");
    let provider = admin.account.organization_id;
    let res = app
        .call(
            &admin.access_token,
            Method::POST,
            &format!("/api/v1/providers/{provider}/customers"),
            Some(json!({ "name": "Acme" })),
        )
        .await;
    let customer = res.json::<Value>().await.expect("customer")["id"]
        .as_i64()
        .expect("id");
    (admin, customer)
}

#[tokio::test]
async fn create_list_update_and_delete_accounts() {
    let app = TestApp::spawn().await;
    let (admin, customer) = setup(&app).await;
    let token = admin.access_token.as_str();
    let provider = admin.account.organization_id;

    let res = app.call( token, Method::POST, &format!("/api/v1/customers/{customer}/portal-accounts"),
        Some(json!({ "email": "Staff@Acme.example", "password": "first password", "send_alerts": true }))).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let text = res.text().await.expect("body");
    assert!(
        !text.contains("first password") && !text.contains("argon2"),
        "{text}"
    );
    let staff: PortalAccount = serde_json::from_str(&text).expect("account");
    assert_eq!(
        (
            staff.email.as_str(),
            staff.organization_id,
            staff.send_alerts
        ),
        ("staff@acme.example", customer, true)
    );
    assert_eq!(
        app.login("staff@acme.example", "first password")
            .await
            .status(),
        StatusCode::OK
    );

    let below: Page<PortalAccount> = app
        .call(
            token,
            Method::GET,
            &format!("/api/v1/providers/{provider}/portal-accounts"),
            None,
        )
        .await
        .json()
        .await
        .expect("page");
    assert_eq!(
        below
            .items
            .iter()
            .map(|a| a.email.as_str())
            .collect::<Vec<_>>(),
        ["admin@kakapo.example", "staff@acme.example"]
    );
    let at_customer: Page<PortalAccount> = app
        .call(
            token,
            Method::GET,
            &format!("/api/v1/customers/{customer}/portal-accounts"),
            None,
        )
        .await
        .json()
        .await
        .expect("page");
    assert_eq!(at_customer.total, 1);

    let res = app.call( token, Method::PATCH, &format!("/api/v1/portal-accounts/{}", staff.id),
        Some(json!({ "email": "desk@acme.example", "password": "second password", "send_alerts": false, "send_invoices_and_receipts": true }))).await;
    assert_eq!(res.status(), StatusCode::OK);
    let updated: PortalAccount = res.json().await.expect("account");
    assert_eq!(
        (
            updated.email.as_str(),
            updated.send_alerts,
            updated.send_invoices_and_receipts
        ),
        ("desk@acme.example", false, true)
    );
    assert_eq!(
        app.login("desk@acme.example", "first password")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let desk: LoginResponse = app
        .login("desk@acme.example", "second password")
        .await
        .json()
        .await
        .expect("login");
    let fetched: PortalAccount = app
        .call(
            token,
            Method::GET,
            &format!("/api/v1/portal-accounts/{}", staff.id),
            None,
        )
        .await
        .json()
        .await
        .expect("account");
    assert_eq!(fetched, updated);

    let res = app
        .call(
            token,
            Method::GET,
            &format!("/api/v1/customers/{customer}/history?per_page=100"),
            None,
        )
        .await;
    let text = res.text().await.expect("body");
    assert!(
        !text.contains("first password")
            && !text.contains("second password")
            && !text.contains("argon2"),
        "{text}"
    );
    let history: Page<HistoryEntry> = serde_json::from_str(&text).expect("page");
    let update = history
        .items
        .iter()
        .find(|e| e.summary == "Portal account desk@acme.example updated")
        .expect("update entry");
    let fields: Vec<&str> = update.changes.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "email",
            "password",
            "send_alerts",
            "send_invoices_and_receipts"
        ]
    );
    assert_eq!(update.changes[1].new.as_deref(), Some("(changed)"));

    let res = app
        .call(
            &desk.access_token,
            Method::DELETE,
            &format!("/api/v1/portal-accounts/{}", staff.id),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "not one's own account");
    let res = app
        .call(
            token,
            Method::DELETE,
            &format!("/api/v1/portal-accounts/{}", staff.id),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = app
        .call(&desk.access_token, Method::GET, "/api/v1/auth/me", None)
        .await;
    assert_eq!(
        res.status(),
        StatusCode::UNAUTHORIZED,
        "a deleted account's token is dead"
    );
}

#[tokio::test]
async fn bad_accounts_are_refused_with_every_problem() {
    let app = TestApp::spawn().await;
    let (admin, customer) = setup(&app).await;
    let path = format!("/api/v1/customers/{customer}/portal-accounts");
    for (body, expected) in [
        (json!({}), vec!["email", "password"]),
        (
            json!({ "email": "nope", "password": "short" }),
            vec!["email", "password"],
        ),
        (
            json!({ "email": "ADMIN@kakapo.example", "password": PASSWORD }),
            vec!["email"],
        ),
    ] {
        let res = app
            .call(&admin.access_token, Method::POST, &path, Some(body.clone()))
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let error: ApiErrorBody = res.json().await.expect("envelope");
        assert_eq!(error.code, ErrorCode::ValidationFailed);
        let mut fields: Vec<&str> = error.fields.keys().map(String::as_str).collect();
        fields.sort_unstable();
        assert_eq!(fields, expected, "{body}");
    }
    let none: Page<PortalAccount> = app
        .call(&admin.access_token, Method::GET, &path, None)
        .await
        .json()
        .await
        .expect("page");
    assert_eq!(none.total, 0, "nothing was created");
}

#[tokio::test]
async fn a_customer_account_cannot_reach_upwards() {
    let app = TestApp::spawn().await;
    let (admin, customer) = setup(&app).await;
    let res = app
        .call(
            &admin.access_token,
            Method::POST,
            &format!("/api/v1/customers/{customer}/portal-accounts"),
            Some(json!({ "email": "c@acme.example", "password": PASSWORD })),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let c: LoginResponse = app
        .login("c@acme.example", PASSWORD)
        .await
        .json()
        .await
        .expect("login");
    let provider = admin.account.organization_id;
    for (method, path) in [
        (
            Method::GET,
            format!("/api/v1/providers/{provider}/portal-accounts"),
        ),
        (
            Method::GET,
            format!("/api/v1/portal-accounts/{}", admin.account.id),
        ),
        (
            Method::PATCH,
            format!("/api/v1/portal-accounts/{}", admin.account.id),
        ),
        (
            Method::DELETE,
            format!("/api/v1/portal-accounts/{}", admin.account.id),
        ),
    ] {
        let res = app
            .call(
                &c.access_token,
                method.clone(),
                &path,
                Some(json!({ "send_alerts": false })),
            )
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{method} {path}");
    }
    let own: Page<PortalAccount> = app
        .call(
            &c.access_token,
            Method::GET,
            &format!("/api/v1/customers/{customer}/portal-accounts"),
            None,
        )
        .await
        .json()
        .await
        .expect("page");
    assert_eq!(own.total, 1);
}
