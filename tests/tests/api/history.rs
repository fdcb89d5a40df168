//! The history log (R23) at provider level: sign-ins and account creation are recorded, listed
//! newest first with paging and a filter, only inside the caller's subtree, never with secrets.

use cpaas_shared::{ApiErrorBody, ErrorCode, HistoryAction, HistoryEntry, LoginResponse, Page};
use cpaas_tests::TestApp;
use reqwest::{Method, StatusCode};

const PASSWORD: &str = "correct horse battery";

async fn sign_in(app: &TestApp, email: &str) -> LoginResponse {
    let res = app.login(email, PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.expect("login")
}

async fn history(app: &TestApp, token: &str, provider: i64, query: &str) -> reqwest::Response {
    app.client
        .get(app.url(&format!("/api/v1/providers/{provider}/history{query}")))
        .bearer_auth(token)
        .send()
        .await
        .expect("sent")
}

#[tokio::test]
async fn sign_ins_and_creation_are_listed_newest_first() {
    let app = TestApp::spawn().await;
    app.create_admin("a@kakapo.example", PASSWORD, "Kakapo");
    sign_in(&app, "a@kakapo.example").await;
    let login = sign_in(&app, "a@kakapo.example").await;
    let provider = login.account.organization_id;

    let res = history(&app, &login.access_token, provider, "").await;
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.expect("body");
    assert!(
        !text.contains(PASSWORD) && !text.contains("argon2"),
        "no secrets: {text}"
    );
    let page: Page<HistoryEntry> = serde_json::from_str(&text).expect("page");
    assert_eq!((page.total, page.page, page.per_page), (3, 1, 25));
    let actions: Vec<HistoryAction> = page.items.iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [
            HistoryAction::SignIn,
            HistoryAction::SignIn,
            HistoryAction::Create
        ]
    );
    assert!(page.items[0].id > page.items[1].id);
    assert_eq!(page.items[0].actor, "a@kakapo.example");
    assert_eq!(page.items[0].object_kind, "portal_account");
    assert_eq!(page.items[0].object_id, login.account.id);
    let created = &page.items[2];
    assert_eq!(created.actor, "cpaas create-admin");
    let password = created
        .changes
        .iter()
        .find(|c| c.field == "password")
        .expect("noted");
    assert_eq!(password.new.as_deref(), Some("(set)"));

    let only: Page<HistoryEntry> = history(&app, &login.access_token, provider, "?action=sign_in")
        .await
        .json()
        .await
        .expect("page");
    assert_eq!(only.total, 2);
    let second: Page<HistoryEntry> =
        history(&app, &login.access_token, provider, "?per_page=1&page=3")
            .await
            .json()
            .await
            .expect("page");
    assert_eq!((second.total, second.items.len()), (3, 1));
    assert_eq!(second.items[0].action, HistoryAction::Create);
}

#[tokio::test]
async fn another_providers_history_is_not_found() {
    let app = TestApp::spawn().await;
    app.create_admin("a@kakapo.example", PASSWORD, "Kakapo");
    app.create_admin("b@other.example", PASSWORD, "Other");
    let a = sign_in(&app, "a@kakapo.example").await;
    let b = sign_in(&app, "b@other.example").await;

    let denied = history(&app, &b.access_token, a.account.organization_id, "").await;
    assert_eq!(denied.status(), StatusCode::NOT_FOUND);
    let denied: ApiErrorBody = denied.json().await.expect("envelope");
    let missing = history(&app, &b.access_token, 999_999, "").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let missing: ApiErrorBody = missing.json().await.expect("envelope");
    assert_eq!(denied.code, ErrorCode::NotFound);
    assert_eq!(
        denied
            .message
            .replace(&a.account.organization_id.to_string(), "N"),
        missing.message.replace("999999", "N"),
        "no hint that the other provider exists"
    );
    // B sees only its own provider's entries.
    let own: Page<HistoryEntry> = history(&app, &b.access_token, b.account.organization_id, "")
        .await
        .json()
        .await
        .expect("page");
    assert!(
        own.items.iter().all(|e| e.actor != "a@kakapo.example"),
        "{own:?}"
    );
}

#[tokio::test]
async fn bad_requests_are_refused_clearly() {
    let app = TestApp::spawn().await;
    app.create_admin("a@kakapo.example", PASSWORD, "Kakapo");
    let a = sign_in(&app, "a@kakapo.example").await;
    let provider = a.account.organization_id;
    let res = app
        .get(&format!("/api/v1/providers/{provider}/history"))
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    for (query, status, code, field) in [
        (
            "?per_page=0",
            422,
            ErrorCode::ValidationFailed,
            Some("per_page"),
        ),
        (
            "?per_page=101",
            422,
            ErrorCode::ValidationFailed,
            Some("per_page"),
        ),
        ("?page=0", 422, ErrorCode::ValidationFailed, Some("page")),
        // Past the hundredth page, whatever its size.
        ("?page=101", 422, ErrorCode::ValidationFailed, Some("page")),
        (
            "?page=101&per_page=1",
            422,
            ErrorCode::ValidationFailed,
            Some("page"),
        ),
        ("?page=first", 400, ErrorCode::InvalidParameter, None),
        ("?action=bogus", 400, ErrorCode::InvalidParameter, None),
    ] {
        let res = history(&app, &a.access_token, provider, query).await;
        assert_eq!(res.status().as_u16(), status, "{query}");
        let body: ApiErrorBody = res.json().await.expect("envelope");
        assert_eq!(body.code, code, "{query}");
        if let Some(field) = field {
            assert!(body.fields.contains_key(field), "{query}: {body:?}");
        }
    }
    let res = app
        .client
        .get(app.url("/api/v1/providers/abc/history"))
        .bearer_auth(&a.access_token)
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn each_level_lists_itself_and_below() {
    let app = TestApp::spawn().await;
    app.create_admin("a@kakapo.example", PASSWORD, "Kakapo");
    let a = sign_in(&app, "a@kakapo.example").await;
    let provider = a.account.organization_id;
    let create = |path: String, name: &'static str| {
        let (client, url, token) = (app.client.clone(), app.url(&path), a.access_token.clone());
        async move {
            let res = client
                .post(url)
                .bearer_auth(token)
                .json(&serde_json::json!({ "name": name }))
                .send()
                .await
                .expect("sent");
            assert_eq!(res.status(), StatusCode::CREATED);
            res.json::<serde_json::Value>().await.expect("json")["id"]
                .as_i64()
                .expect("id")
        }
    };
    let reseller = create(format!("/api/v1/providers/{provider}/resellers"), "R").await;
    let customer = create(format!("/api/v1/resellers/{reseller}/customers"), "Under R").await;
    create(format!("/api/v1/providers/{provider}/customers"), "Direct").await;

    let summaries = |page: Page<HistoryEntry>| -> Vec<String> {
        page.items.into_iter().map(|e| e.summary).collect()
    };
    let get = |path: String| {
        let (client, url, token) = (app.client.clone(), app.url(&path), a.access_token.clone());
        async move {
            let res = client
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .expect("sent");
            assert_eq!(res.status(), StatusCode::OK);
            res.json::<Page<HistoryEntry>>().await.expect("page")
        }
    };
    assert_eq!(
        summaries(get(format!("/api/v1/resellers/{reseller}/history")).await),
        ["Customer Under R created", "Reseller R created"]
    );
    assert_eq!(
        summaries(get(format!("/api/v1/customers/{customer}/history")).await),
        ["Customer Under R created"]
    );
    assert_eq!(
        get(format!(
            "/api/v1/providers/{provider}/history?action=create"
        ))
        .await
        .total,
        4
    );
}

#[tokio::test]
async fn readers_below_see_upstream_changes_without_upstream_identities() {
    let app = TestApp::spawn().await;
    app.create_operator("ops@host.example", PASSWORD, "Kakapo");
    app.create_admin("a@kakapo.example", PASSWORD, "Kakapo");
    let a = sign_in(&app, "a@kakapo.example").await;
    let ops = sign_in(&app, "ops@host.example").await;
    let provider = a.account.organization_id;
    let post = |token: String, path: String, body: serde_json::Value| {
        let app = &app;
        async move {
            let res = app.call(&token, Method::POST, &path, Some(body)).await;
            assert_eq!(res.status(), StatusCode::CREATED, "{path}");
            res.json::<serde_json::Value>().await.expect("json")["id"]
                .as_i64()
                .expect("id")
        }
    };
    let name = |name: &str| serde_json::json!({ "name": name });
    let path = format!("/api/v1/providers/{provider}/resellers");
    let reseller = post(a.access_token.clone(), path, name("North")).await;
    let path = format!("/api/v1/resellers/{reseller}/customers");
    let customer = post(ops.access_token.clone(), path, name("Acme")).await;
    let account = |email: &str| serde_json::json!({ "email": email, "password": PASSWORD });
    let path = format!("/api/v1/customers/{customer}/portal-accounts");
    post(a.access_token.clone(), path, account("staff@acme.example")).await;
    let staff = sign_in(&app, "staff@acme.example").await;
    let path = format!("/api/v1/customers/{customer}/users");
    let body = serde_json::json!({ "user_id": "chris@acme.example", "name": "Chris" });
    post(staff.access_token.clone(), path, body).await;

    let actors = |token: String, path: String| {
        let app = &app;
        async move {
            let res = app.call(&token, Method::GET, &path, None).await;
            let page: Page<HistoryEntry> = res.json().await.expect("page");
            page.items
                .into_iter()
                .map(|e| (e.summary, e.actor))
                .collect::<Vec<_>>()
        }
    };
    // An entry by an account deleted before reaches were recorded (its reach unknown).
    {
        use cpaas_api::db::models::history::{self as log, NewEntry};
        let mut conn = app.connect();
        let at = chrono::Utc::now().naive_utc() - chrono::TimeDelta::days(30);
        let path = format!("/{provider}/{reseller}/{customer}/");
        let entry = NewEntry {
            at,
            account_id: None,
            actor: "gone@kakapo.example",
            actor_path: Some(""),
            scope_path: &path,
            object_kind: "customer",
            object_id: customer,
            action: cpaas_shared::HistoryAction::Update,
            summary: "Customer Acme updated".to_owned(),
            changes: Vec::new(),
        };
        log::insert(&mut conn, entry).expect("an old entry");
    }
    let customer_history = format!("/api/v1/customers/{customer}/history");
    let seen = actors(staff.access_token.clone(), customer_history.clone()).await;
    let old = seen
        .iter()
        .find(|(s, _)| s == "Customer Acme updated")
        .expect("the old entry");
    assert_eq!(old.1, "an administrator");
    let seen: Vec<(String, String)> = seen
        .into_iter()
        .filter(|(s, _)| s != "Customer Acme updated")
        .collect();
    let own = |s: &str| (s.to_owned(), "staff@acme.example".to_owned());
    let upstream = |s: &str, who: &str| (s.to_owned(), who.to_owned());
    assert_eq!(
        seen,
        [
            own("User Chris (chris@acme.example) created"),
            own("staff@acme.example signed in"),
            upstream(
                "Portal account staff@acme.example created",
                "an administrator of Kakapo"
            ),
            upstream("Customer Acme created", "an operator"),
        ]
    );
    let text = format!("{seen:?}");
    assert!(!text.contains("a@kakapo.example") && !text.contains("ops@host.example"));
    // The provider's own admin sees who did what.
    let seen = actors(a.access_token.clone(), customer_history).await;
    assert!(seen.iter().any(|e| e.1 == "gone@kakapo.example"));
    let seen: Vec<(String, String)> = seen
        .into_iter()
        .filter(|(s, _)| s != "Customer Acme updated")
        .collect();
    assert_eq!(seen[2].1, "a@kakapo.example");
    assert_eq!(
        seen[3].1, "an operator",
        "operators stay anonymous below them"
    );
    let seen = actors(
        ops.access_token.clone(),
        format!("/api/v1/customers/{customer}/history"),
    )
    .await;
    assert!(seen.contains(&(
        "Customer Acme created".to_owned(),
        "ops@host.example".to_owned()
    )));
}
