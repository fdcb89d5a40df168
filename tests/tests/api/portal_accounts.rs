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
    // A taken email is a well-formed request that clashes with what is stored: 409.
    for (body, expected, status, code) in [
        (
            json!({}),
            vec!["email", "password"],
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::ValidationFailed,
        ),
        (
            json!({ "email": "nope", "password": "short" }),
            vec!["email", "password"],
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::ValidationFailed,
        ),
        (
            json!({ "email": "ADMIN@kakapo.example", "password": PASSWORD }),
            vec!["email"],
            StatusCode::CONFLICT,
            ErrorCode::Conflict,
        ),
    ] {
        let res = app
            .call(&admin.access_token, Method::POST, &path, Some(body.clone()))
            .await;
        assert_eq!(res.status(), status, "{body}");
        let error: ApiErrorBody = res.json().await.expect("envelope");
        assert_eq!(error.code, code);
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

/// `PATCH` (or `DELETE` without a body) of portal account `id` as `token`.
async fn change(app: &TestApp, token: &str, id: i64, body: Option<Value>) -> reqwest::Response {
    let method = if body.is_some() {
        Method::PATCH
    } else {
        Method::DELETE
    };
    let path = format!("/api/v1/portal-accounts/{id}");
    app.call(token, method, &path, body).await
}

async fn forbidden(res: reqwest::Response) -> ApiErrorBody {
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let body: ApiErrorBody = res.json().await.expect("envelope");
    assert_eq!(body.code, ErrorCode::Forbidden, "{}", body.message);
    body
}

#[tokio::test]
async fn who_may_change_whom() {
    let app = TestApp::spawn().await;
    let ops_id = app.create_operator("ops@kakapo.example", PASSWORD, "Kakapo Systems Limited");
    let ops = app.token("ops@kakapo.example", PASSWORD).await;
    let me: PortalAccount = app
        .call(&ops, Method::GET, "/api/v1/auth/me", None)
        .await
        .json()
        .await
        .expect("me");
    let provider = me.organization_id;
    let create = |token: String, path: String, email: &'static str| {
        let app = &app;
        async move {
            let body = json!({ "email": email, "password": PASSWORD, "send_alerts": true });
            let res = app.call(&token, Method::POST, &path, Some(body)).await;
            assert_eq!(res.status(), StatusCode::CREATED, "{email}");
            res.json::<PortalAccount>().await.expect("account").id
        }
    };
    let accounts = format!("/api/v1/providers/{provider}/portal-accounts");
    let admin_id = create(ops.clone(), accounts.clone(), "admin@kakapo.example").await;
    let peer_id = create(ops.clone(), accounts, "peer@kakapo.example").await;
    let admin = app.token("admin@kakapo.example", PASSWORD).await;
    let res = app
        .call(
            &admin,
            Method::POST,
            &format!("/api/v1/providers/{provider}/resellers"),
            Some(json!({ "name": "North" })),
        )
        .await;
    let reseller = res.json::<Value>().await.expect("reseller")["id"]
        .as_i64()
        .expect("id");
    let path = format!("/api/v1/resellers/{reseller}/portal-accounts");
    let below_id = create(admin.clone(), path, "north@kakapo.example").await;

    // An operator is changed and deleted by operators only: not its password, its settings or
    // the account itself. Its password still signs it in.
    let takeover = json!({ "password": "taken over at last" });
    let refused = forbidden(change(&app, &admin, ops_id, Some(takeover.clone())).await).await;
    assert!(refused.message.contains("operator"), "{}", refused.message);
    let settings = json!({ "send_technical_emails": false });
    forbidden(change(&app, &admin, ops_id, Some(settings)).await).await;
    forbidden(change(&app, &admin, ops_id, None).await).await;
    let status = app
        .login("ops@kakapo.example", "taken over at last")
        .await
        .status();
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.login("ops@kakapo.example", PASSWORD).await.status(),
        StatusCode::OK
    );

    // Peers change each other's notification settings, never their email or password.
    let res = change(&app, &admin, peer_id, Some(json!({ "send_alerts": false }))).await;
    assert_eq!(res.status(), StatusCode::OK);
    let refused = forbidden(change(&app, &admin, peer_id, Some(takeover.clone())).await).await;
    assert!(
        refused.message.contains("level above"),
        "{}",
        refused.message
    );
    let email = json!({ "email": "mine@kakapo.example" });
    forbidden(change(&app, &admin, peer_id, Some(email)).await).await;
    // The peer's own email, sent back unchanged with a setting, changes no credentials.
    let same = json!({ "email": "Peer@Kakapo.example", "send_alerts": true });
    assert_eq!(
        change(&app, &admin, peer_id, Some(same)).await.status(),
        StatusCode::OK
    );

    // From above: a reseller's account, and a provider admin from an operator.
    let moved = json!({ "email": "north2@kakapo.example", "password": "set from above" });
    assert_eq!(
        change(&app, &admin, below_id, Some(moved)).await.status(),
        StatusCode::OK
    );
    let status = app
        .login("north2@kakapo.example", "set from above")
        .await
        .status();
    assert_eq!(status, StatusCode::OK);
    let reset = json!({ "password": "reset by operator" });
    assert_eq!(
        change(&app, &ops, peer_id, Some(reset)).await.status(),
        StatusCode::OK
    );
    let below = app.token("north2@kakapo.example", "set from above").await;
    let res = change(
        &app,
        &below,
        admin_id,
        Some(json!({ "send_alerts": false })),
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::NOT_FOUND,
        "upwards is out of scope"
    );

    // One's own credentials only with the current password.
    let new = json!({ "password": "my own new password" });
    let refused = forbidden(change(&app, &admin, admin_id, Some(new)).await).await;
    assert!(refused.fields.contains_key("current_password"));
    let wrong = json!({ "password": "my own new password", "current_password": "not my password" });
    let refused = forbidden(change(&app, &admin, admin_id, Some(wrong)).await).await;
    assert!(refused.message.contains("wrong"), "{}", refused.message);
    assert_eq!(
        app.login("admin@kakapo.example", PASSWORD).await.status(),
        StatusCode::OK
    );
    // Guesses at the current password are throttled like sign-ins.
    for _ in 1..cpaas_api::services::throttle::FREE_ATTEMPTS {
        let guess = json!({ "password": "my own new password", "current_password": "a guess 12" });
        forbidden(change(&app, &admin, admin_id, Some(guess)).await).await;
    }
    let guess = json!({ "password": "my own new password", "current_password": "a guess 12" });
    let res = change(&app, &admin, admin_id, Some(guess.clone())).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    // (Locked now, even with the right one; another account's own change is not.)
    let right = json!({ "password": "my own new password", "current_password": PASSWORD });
    let res = change(&app, &admin, admin_id, Some(right)).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let peer = app.token("peer@kakapo.example", "reset by operator").await;
    let own = json!({ "password": "peer's new password", "current_password": "reset by operator" });
    assert_eq!(
        change(&app, &peer, peer_id, Some(own)).await.status(),
        StatusCode::OK
    );
    // Unlocked again (the lock is cleared here as an hour passing would clear it).
    let mut conn = app.connect();
    diesel::RunQueryDsl::execute(
        diesel::delete(cpaas_api::db::schema::sign_in_throttles::table),
        &mut conn,
    )
    .expect("locks cleared");
    let right = json!({ "password": "my own new password", "current_password": PASSWORD });
    assert_eq!(
        change(&app, &admin, admin_id, Some(right)).await.status(),
        StatusCode::OK
    );
    let status = app
        .login("admin@kakapo.example", "my own new password")
        .await
        .status();
    assert_eq!(status, StatusCode::OK);
}
