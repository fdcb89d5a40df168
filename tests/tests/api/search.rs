//! Every list takes `?search=`: part of the name (or email), any case, wildcards added, `%`
//! and `_` taken literally. Accounts carry their organization's level.

use cpaas_shared::{LoginResponse, MediaStream, OrganizationKind, Page, PortalAccount, Queue};
use cpaas_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let res = app.call(token, Method::POST, path, Some(body)).await;
    assert_eq!(res.status(), StatusCode::CREATED, "POST {path}");
    res.json().await.expect("created")
}

async fn list<T: DeserializeOwned>(app: &TestApp, token: &str, path: &str) -> Vec<T> {
    let res = app.call(token, Method::GET, path, None).await;
    assert_eq!(res.status(), StatusCode::OK, "GET {path}");
    res.json::<Page<T>>().await.expect("page").items
}

#[tokio::test]
async fn queues_streams_and_accounts_are_searchable() {
    let app = TestApp::spawn().await;
    app.create_admin("admin@kakapo.example", PASSWORD, "Kakapo");
    let login: LoginResponse = app
        .login("admin@kakapo.example", PASSWORD)
        .await
        .json()
        .await
        .expect("login");
    assert_eq!(
        login.account.organization_kind,
        OrganizationKind::SystemProvider
    );
    let (token, provider) = (login.access_token.as_str(), login.account.organization_id);
    let customer = post(
        &app,
        token,
        &format!("/api/v1/providers/{provider}/customers"),
        json!({ "name": "Acme" }),
    )
    .await["id"]
        .clone();

    for name in ["Front Desk", "Billing", "100% Sales"] {
        post(
            &app,
            token,
            &format!("/api/v1/customers/{customer}/queues"),
            json!({ "name": name }),
        )
        .await;
    }
    let found: Vec<Queue> = list(
        &app,
        token,
        &format!("/api/v1/customers/{customer}/queues?search=DESK"),
    )
    .await;
    assert_eq!(
        found.iter().map(|q| q.name.as_str()).collect::<Vec<_>>(),
        ["Front Desk"]
    );
    let found: Vec<Queue> = list(
        &app,
        token,
        &format!("/api/v1/customers/{customer}/queues?search=0%25"),
    )
    .await;
    assert_eq!(
        found.iter().map(|q| q.name.as_str()).collect::<Vec<_>>(),
        ["100% Sales"],
        "% is literal"
    );
    let all: Vec<Queue> = list(
        &app,
        token,
        &format!("/api/v1/customers/{customer}/queues?search="),
    )
    .await;
    assert_eq!(all.len(), 3, "an empty search lists everything");

    let queue = all[0].id;
    for name in ["Text us", "Web chat", "Texting_line"] {
        post(
            &app,
            token,
            &format!("/api/v1/queues/{queue}/media-streams"),
            json!({ "name": name, "media_type": "web_chat" }),
        )
        .await;
    }
    let found: Vec<MediaStream> = list(
        &app,
        token,
        &format!("/api/v1/queues/{queue}/media-streams?search=tex"),
    )
    .await;
    assert_eq!(found.len(), 2);
    let found: Vec<MediaStream> = list(
        &app,
        token,
        &format!("/api/v1/queues/{queue}/media-streams?search=g_l"),
    )
    .await;
    assert_eq!(
        found.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        ["Texting_line"],
        "_ is literal"
    );

    let account: PortalAccount = serde_json::from_value(
        post(
            &app,
            token,
            &format!("/api/v1/customers/{customer}/portal-accounts"),
            json!({ "email": "Office@Acme.example", "password": "acme office secret 1" }),
        )
        .await,
    )
    .expect("account");
    assert_eq!(account.organization_kind, OrganizationKind::Customer);
    let found: Vec<PortalAccount> = list(
        &app,
        token,
        &format!("/api/v1/providers/{provider}/portal-accounts?search=OFFICE@"),
    )
    .await;
    assert_eq!(
        found.iter().map(|a| a.email.as_str()).collect::<Vec<_>>(),
        ["office@acme.example"]
    );
    assert_eq!(found[0].organization_kind, OrganizationKind::Customer);
    let found: Vec<PortalAccount> = list(
        &app,
        token,
        &format!("/api/v1/providers/{provider}/portal-accounts?search=kakapo"),
    )
    .await;
    assert_eq!(found[0].organization_kind, OrganizationKind::SystemProvider);
    assert_eq!(found.len(), 1);

    let office = app
        .token("office@acme.example", "acme office secret 1")
        .await;
    let me: PortalAccount = app
        .call(&office, Method::GET, "/api/v1/auth/me", None)
        .await
        .json()
        .await
        .expect("me");
    assert_eq!(me.organization_kind, OrganizationKind::Customer);
}
