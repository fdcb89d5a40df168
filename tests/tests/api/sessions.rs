//! Sessions that can be ended: a sign-in sets an `HttpOnly`, `SameSite=Strict` refresh cookie
//! scoped to the auth routes, each cookie is good once, and signing out or a changed password
//! ends every token of the account (portal and client alike).

use cpaas_shared::{LoginResponse, PortalAccount};
use cpaas_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";
const EMAIL: &str = "admin@kakapo.example";

/// The refresh cookie a response sets: its value and its attributes.
fn set_cookie(res: &reqwest::Response) -> (String, String) {
    let header = res
        .headers()
        .get("set-cookie")
        .expect("a Set-Cookie header")
        .to_str()
        .expect("ascii")
        .to_owned();
    let (pair, attributes) = header.split_once(';').expect("attributes");
    let value = pair
        .strip_prefix("cpaas_refresh=")
        .expect("the refresh cookie");
    (value.to_owned(), attributes.to_owned())
}

async fn refresh(app: &TestApp, cookie: Option<&str>) -> reqwest::Response {
    let mut req = app.client.post(app.url("/api/v1/auth/refresh"));
    if let Some(cookie) = cookie {
        req = req.header("cookie", format!("other=1; cpaas_refresh={cookie}"));
    }
    req.send().await.expect("sent")
}

async fn me(app: &TestApp, token: &str) -> StatusCode {
    app.call(token, Method::GET, "/api/v1/auth/me", None)
        .await
        .status()
}

#[tokio::test]
async fn a_refresh_cookie_signs_in_again_once_and_sign_out_ends_everything() {
    let app = TestApp::spawn().await;
    let id = app.create_admin(EMAIL, PASSWORD, "Kakapo");
    let res = app.login(EMAIL, PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK);
    let (first, attributes) = set_cookie(&res);
    let attributes: Vec<&str> = attributes.split(';').map(str::trim).collect();
    for wanted in [
        "Path=/api/v1/auth",
        "HttpOnly",
        "SameSite=Strict",
        "Max-Age=1209600",
    ] {
        assert!(attributes.contains(&wanted), "{wanted} in {attributes:?}");
    }
    assert!(!attributes.contains(&"Secure"), "plain http here");
    let login: LoginResponse = res.json().await.expect("login");
    assert!(!first.is_empty() && !login.access_token.contains(&first));

    // No cookie, a made-up one: no session.
    assert_eq!(refresh(&app, None).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        refresh(&app, Some("made-up")).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // The cookie signs in again and is replaced; the spent one is refused.
    let res = refresh(&app, Some(&first)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let (second, _) = set_cookie(&res);
    assert_ne!(second, first);
    let again: LoginResponse = res.json().await.expect("refreshed");
    assert_eq!(again.account.id, id);
    assert_eq!(me(&app, &again.access_token).await, StatusCode::OK);
    assert_eq!(
        refresh(&app, Some(&first)).await.status(),
        StatusCode::UNAUTHORIZED,
        "a cookie is good once"
    );

    // A second sign-in (another tab or device) is ended by the first one's sign-out too.
    let other: LoginResponse = app
        .login(EMAIL, PASSWORD)
        .await
        .json()
        .await
        .expect("login");
    let res = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&again.access_token)
        .header("cookie", format!("cpaas_refresh={second}"))
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let (cleared, attributes) = set_cookie(&res);
    assert!(cleared.is_empty() && attributes.contains("Max-Age=0"));
    for token in [
        &login.access_token,
        &again.access_token,
        &other.access_token,
    ] {
        assert_eq!(me(&app, token).await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        refresh(&app, Some(&second)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // Signing in again works.
    let fresh = app.token(EMAIL, PASSWORD).await;
    assert_eq!(me(&app, &fresh).await, StatusCode::OK);
}

#[tokio::test]
async fn a_changed_password_ends_the_accounts_sessions() {
    let app = TestApp::spawn().await;
    app.create_admin(EMAIL, PASSWORD, "Kakapo");
    let admin = app.token(EMAIL, PASSWORD).await;
    let me_now: PortalAccount = app
        .call(&admin, Method::GET, "/api/v1/auth/me", None)
        .await
        .json()
        .await
        .expect("me");
    let path = format!("/api/v1/providers/{}/customers", me_now.organization_id);
    let res = app
        .call(&admin, Method::POST, &path, Some(json!({ "name": "Acme" })))
        .await;
    let customer: Value = res.json().await.expect("customer");
    let path = format!("/api/v1/customers/{}/portal-accounts", customer["id"]);
    let body = json!({ "email": "staff@acme.example", "password": PASSWORD });
    let res = app.call(&admin, Method::POST, &path, Some(body)).await;
    let staff: PortalAccount = res.json().await.expect("staff");
    let res = app.login("staff@acme.example", PASSWORD).await;
    let (cookie, _) = set_cookie(&res);
    let staff_token = res
        .json::<LoginResponse>()
        .await
        .expect("login")
        .access_token;

    // A change of settings ends nothing; a new password set from above ends both the token
    // and the refresh cookie.
    let path = format!("/api/v1/portal-accounts/{}", staff.id);
    let body = json!({ "send_alerts": true });
    let res = app.call(&admin, Method::PATCH, &path, Some(body)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(me(&app, &staff_token).await, StatusCode::OK);
    let body = json!({ "password": "a new password from above" });
    let res = app.call(&admin, Method::PATCH, &path, Some(body)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(me(&app, &staff_token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        refresh(&app, Some(&cookie)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        me(&app, &admin).await,
        StatusCode::OK,
        "other accounts go on"
    );

    // The same for an end user's client token when the admin sets a new client password.
    let path = format!("/api/v1/customers/{}/users", customer["id"]);
    let body = json!({ "user_id": "chris@acme.example", "name": "Chris" });
    let res = app.call(&admin, Method::POST, &path, Some(body)).await;
    let user: Value = res.json().await.expect("user");
    let password = format!("/api/v1/users/{}/client-password", user["id"]);
    let set = |secret: &'static str| {
        let (app, admin, password) = (&app, admin.clone(), password.clone());
        async move {
            let body = json!({ "password": secret });
            let res = app.call(&admin, Method::PUT, &password, Some(body)).await;
            assert_eq!(res.status(), StatusCode::OK);
        }
    };
    set("first client password").await;
    let res = app
        .client
        .post(app.url("/api/v1/client/login"))
        .json(&json!({ "user_id": "chris@acme.example", "password": "first client password" }))
        .send()
        .await
        .expect("sent");
    let client: Value = res.json().await.expect("client login");
    let client = client["access_token"].as_str().expect("token").to_owned();
    let numbers = |token: String| {
        let app = &app;
        async move {
            app.call(&token, Method::GET, "/api/v1/client/numbers", None)
                .await
                .status()
        }
    };
    assert_eq!(numbers(client.clone()).await, StatusCode::OK);
    set("second client password").await;
    assert_eq!(numbers(client).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_cookie_started_before_a_password_change_is_refused() {
    use cpaas_api::db::models::portal_account;
    use cpaas_api::services::sessions;
    let app = TestApp::spawn().await;
    let id = app.create_admin(EMAIL, PASSWORD, "Kakapo");
    // A sign-in whose password check raced a password change: its session is stored after
    // the change, at the token version the check saw.
    let mut conn = app.connect();
    let before = portal_account::find(&mut conn, id).expect("account");
    portal_account::end_sessions(&mut conn, id).expect("the change ends sessions");
    let now = chrono::Utc::now().naive_utc();
    let late = sessions::start(&mut conn, &before, now).expect("stored");
    assert_eq!(
        refresh(&app, Some(&late)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // One started at the current version works.
    let current = portal_account::find(&mut conn, id).expect("account");
    let fresh = sessions::start(&mut conn, &current, now).expect("stored");
    assert_eq!(refresh(&app, Some(&fresh)).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn signing_out_with_an_expired_token_still_ends_the_session() {
    let app = TestApp::spawn().await;
    app.create_admin(EMAIL, PASSWORD, "Kakapo");
    let res = app.login(EMAIL, PASSWORD).await;
    let (cookie, _) = set_cookie(&res);
    let login: LoginResponse = res.json().await.expect("login");
    // The bearer token is no good (expired, say): the cookie alone names the session.
    let res = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth("not-a-token")
        .header("cookie", format!("cpaas_refresh={cookie}"))
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let (cleared, _) = set_cookie(&res);
    assert!(cleared.is_empty());
    assert_eq!(
        refresh(&app, Some(&cookie)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        me(&app, &login.access_token).await,
        StatusCode::UNAUTHORIZED,
        "every token of the account ended"
    );
    // Nothing to end: still 204, and the cookie is cleared.
    let res = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
}
