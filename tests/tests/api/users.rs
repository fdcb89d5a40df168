//! End users (R22): user ids unique per provider, list and search, update, user-level
//! history, and customers that cannot be deleted while users remain.

use cpaas_shared::{
    ApiErrorBody, EndUser, ErrorCode, HistoryAction, HistoryEntry, LoginResponse, Page,
};
use cpaas_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";

async fn admin_with_customer(app: &TestApp, email: &str, provider: &str) -> (String, i64) {
    app.create_admin(email, PASSWORD, provider);
    let login: LoginResponse = app
        .login(email, PASSWORD)
        .await
        .json()
        .await
        .expect("login");
    let provider = login.account.organization_id;
    let res = app
        .call(
            &login.access_token,
            Method::POST,
            &format!("/api/v1/providers/{provider}/customers"),
            Some(json!({ "name": "Customer" })),
        )
        .await;
    let customer = res.json::<Value>().await.expect("customer")["id"]
        .as_i64()
        .expect("id");
    (login.access_token, customer)
}

#[tokio::test]
async fn users_are_created_listed_updated_and_deleted_with_history() {
    let app = TestApp::spawn().await;
    let (token, customer) = admin_with_customer(&app, "a@kakapo.example", "Kakapo").await;
    let res = app.call( &token, Method::POST, &format!("/api/v1/customers/{customer}/users"),
        Some(json!({ "user_id": " christutt@kakaposystems.com ", "name": "Chris Tutt", "language": "en-GB" }))).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let chris: EndUser = res.json().await.expect("user");
    assert_eq!(
        (chris.user_id.as_str(), chris.timezone.as_deref()),
        ("christutt@kakaposystems.com", None)
    );
    app.call(
        &token,
        Method::POST,
        &format!("/api/v1/customers/{customer}/users"),
        Some(json!({ "user_id": "abin", "name": "Abin Joseph" })),
    )
    .await;

    let list: Page<EndUser> = app
        .call(
            &token,
            Method::GET,
            &format!("/api/v1/customers/{customer}/users"),
            None,
        )
        .await
        .json()
        .await
        .expect("page");
    assert_eq!(
        list.items
            .iter()
            .map(|u| u.name.as_str())
            .collect::<Vec<_>>(),
        ["Abin Joseph", "Chris Tutt"]
    );
    let found: Page<EndUser> = app
        .call(
            &token,
            Method::GET,
            &format!("/api/v1/customers/{customer}/users?search=TUTT"),
            None,
        )
        .await
        .json()
        .await
        .expect("page");
    assert_eq!(found.items[0].id, chris.id);
    let by_id: Page<EndUser> = app
        .call(
            &token,
            Method::GET,
            &format!("/api/v1/customers/{customer}/users?search=kakaposystems"),
            None,
        )
        .await
        .json()
        .await
        .expect("page");
    assert_eq!(by_id.total, 1, "search covers the user id");

    let res = app
        .call(
            &token,
            Method::PATCH,
            &format!("/api/v1/users/{}", chris.id),
            Some(json!({ "timezone": "Europe/London", "external_reference": "CRM-1" })),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let updated: EndUser = res.json().await.expect("user");
    assert_eq!(updated.timezone.as_deref(), Some("Europe/London"));

    let history: Page<HistoryEntry> = app
        .call(
            &token,
            Method::GET,
            &format!("/api/v1/users/{}/history", chris.id),
            None,
        )
        .await
        .json()
        .await
        .expect("page");
    let actions: Vec<HistoryAction> = history.items.iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [HistoryAction::Update, HistoryAction::Create],
        "only this user's entries"
    );
    assert_eq!(
        history.items[0].summary,
        "User Chris Tutt (christutt@kakaposystems.com) updated"
    );

    let (status, body) = {
        let res = app
            .call(
                &token,
                Method::DELETE,
                &format!("/api/v1/customers/{customer}"),
                None,
            )
            .await;
        (
            res.status(),
            res.json::<ApiErrorBody>().await.expect("envelope"),
        )
    };
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.message.contains("2 user(s)"), "{body:?}");
    assert_eq!(
        app.call(
            &token,
            Method::DELETE,
            &format!("/api/v1/users/{}", chris.id),
            None
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.call(
            &token,
            Method::GET,
            &format!("/api/v1/users/{}", chris.id),
            None
        )
        .await
        .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn user_ids_are_unique_per_provider_and_fields_are_checked() {
    let spawned = TestApp::spawn().await;
    let app = &spawned;
    let (token, customer) = admin_with_customer(app, "a@kakapo.example", "Kakapo").await;
    let provider_customers = |token: String| async move {
        let me: Value = app
            .call(&token, Method::GET, "/api/v1/auth/me", None)
            .await
            .json()
            .await
            .expect("me");
        me["organization_id"].as_i64().expect("id")
    };
    let provider = provider_customers(token.clone()).await;
    let res = app
        .call(
            &token,
            Method::POST,
            &format!("/api/v1/providers/{provider}/customers"),
            Some(json!({ "name": "Second" })),
        )
        .await;
    let second = res.json::<Value>().await.expect("customer")["id"]
        .as_i64()
        .expect("id");
    let create = |customer: i64, token: String, body: Value| async move {
        app.call(
            &token,
            Method::POST,
            &format!("/api/v1/customers/{customer}/users"),
            Some(body),
        )
        .await
    };
    assert_eq!(
        create(
            customer,
            token.clone(),
            json!({ "user_id": "chris", "name": "Chris" })
        )
        .await
        .status(),
        StatusCode::CREATED
    );
    let dup = create(
        second,
        token.clone(),
        json!({ "user_id": "chris", "name": "Other Chris" }),
    )
    .await;
    assert_eq!(
        dup.status(),
        StatusCode::CONFLICT,
        "same provider, other customer"
    );
    let body: ApiErrorBody = dup.json().await.expect("envelope");
    assert!(body.fields.contains_key("user_id"), "{body:?}");

    let (other_token, other_customer) = admin_with_customer(app, "b@other.example", "Other").await;
    assert_eq!(
        create(
            other_customer,
            other_token,
            json!({ "user_id": "chris", "name": "Chris" })
        )
        .await
        .status(),
        StatusCode::CREATED,
        "another provider may reuse it"
    );

    let bad = create(
        customer,
        token.clone(),
        json!({ "timezone": "Atlantis/Main", "language": "xx_YY" }),
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: ApiErrorBody = bad.json().await.expect("envelope");
    assert_eq!(body.code, ErrorCode::ValidationFailed);
    let mut fields: Vec<&str> = body.fields.keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(fields, ["language", "name", "timezone", "user_id"]);
}
