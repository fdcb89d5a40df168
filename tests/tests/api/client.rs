//! R12 through the client API: an end user signs in with the password an admin set, sees the
//! numbers awaiting a decision, accepts or declines; a decline mails the provider's
//! Send-Alerts accounts over real SMTP.

use cpaas_api::carrier::simulator::state::{
    DEMO_ACCOUNT_KEY, DEMO_OUTBOUND_KEY, DEMO_TOKEN_SECRET,
};
use cpaas_shared::{
    ApiErrorBody, ClientLoginResponse, ClientNumber, ErrorCode, LoginResponse, OptInState, Page,
};
use cpaas_tests::smtp::SmtpServer;
use cpaas_tests::{TestApp, logs};
use reqwest::{Method, StatusCode};
use secrecy::SecretString;
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";
const CLIENT_PASSWORD: &str = "chris-client-pw-51";

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let res = app.call(token, Method::POST, path, Some(body)).await;
    assert_eq!(res.status(), StatusCode::CREATED, "POST {path}");
    res.json().await.expect("created")
}

async fn client_login(app: &TestApp, user_id: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/client/login"))
        .json(&json!({ "user_id": user_id, "password": password }))
        .send()
        .await
        .expect("sent")
}

#[tokio::test]
async fn an_end_user_declines_and_the_alert_recipients_are_mailed() {
    let smtp = SmtpServer::start().await;
    let url = smtp.url();
    let app = TestApp::spawn_with(|s| s.smtp_url = Some(SecretString::from(url))).await;
    app.create_admin("admin@kakapo.example", PASSWORD, "Kakapo Systems Limited");
    let admin: LoginResponse = app
        .login("admin@kakapo.example", PASSWORD)
        .await
        .json()
        .await
        .expect("login");
    let token = admin.access_token.as_str();
    let provider = admin.account.organization_id;
    post(
        &app,
        token,
        &format!("/api/v1/providers/{provider}/cpaas-platforms"),
        json!({
            "account_key": DEMO_ACCOUNT_KEY, "token_secret": DEMO_TOKEN_SECRET,
            "outbound_api_key": DEMO_OUTBOUND_KEY, "user_confirmation_required": true,
        }),
    )
    .await;
    let customer = post(
        &app,
        token,
        &format!("/api/v1/providers/{provider}/customers"),
        json!({ "name": "Acme" }),
    )
    .await;
    let user = post(
        &app,
        token,
        &format!("/api/v1/customers/{}/users", customer["id"]),
        json!({ "user_id": "christutt@kakaposystems.com", "name": "Chris Tutt" }),
    )
    .await;
    let other = post(
        &app,
        token,
        &format!("/api/v1/customers/{}/users", customer["id"]),
        json!({ "user_id": "other@kakaposystems.com", "name": "Other" }),
    )
    .await;
    let password_url = format!("/api/v1/users/{}/client-password", user["id"]);
    let res = app
        .call(
            token,
            Method::PUT,
            &password_url,
            Some(json!({ "password": "short" })),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = app
        .call(
            token,
            Method::PUT,
            &password_url,
            Some(json!({ "password": CLIENT_PASSWORD })),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let mine = post(
        &app,
        token,
        &format!("/api/v1/users/{}/cpaas-numbers", user["id"]),
        json!({ "number": "2019920780", "friendly_name": "My MMS Number" }),
    )
    .await;
    let theirs = post(
        &app,
        token,
        &format!("/api/v1/users/{}/cpaas-numbers", other["id"]),
        json!({ "number": "2019920778" }),
    )
    .await;

    for (id, password) in [
        ("christutt@kakaposystems.com", "wrong-password-1"),
        ("nobody@example.com", CLIENT_PASSWORD),
        ("other@kakaposystems.com", CLIENT_PASSWORD),
    ] {
        let res = client_login(&app, id, password).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{id}");
    }
    let res = client_login(&app, "christutt@kakaposystems.com", CLIENT_PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK);
    let login: ClientLoginResponse = res.json().await.expect("login");
    let client = login.access_token.as_str();
    assert_eq!(login.user.name, "Chris Tutt");
    // Audiences do not mix.
    assert_eq!(
        app.call(token, Method::GET, "/api/v1/client/numbers", None)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.call(client, Method::GET, "/api/v1/auth/me", None)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );

    let page: Page<ClientNumber> = app
        .call(client, Method::GET, "/api/v1/client/numbers", None)
        .await
        .json()
        .await
        .expect("numbers");
    assert_eq!(page.items.len(), 1, "only the user's own numbers");
    assert_eq!(
        (page.items[0].display.as_str(), page.items[0].opt_in.state),
        ("(201) 992-0780", OptInState::Pending)
    );

    let opt_in = |id: &Value| format!("/api/v1/client/numbers/{id}/opt-in");
    let res = app
        .call(
            client,
            Method::POST,
            &opt_in(&theirs["id"]),
            Some(json!({ "decision": "accept" })),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "another user's number");
    let res = app
        .call(
            client,
            Method::POST,
            &opt_in(&mine["id"]),
            Some(json!({ "decision": "decline" })),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let declined: ClientNumber = res.json().await.expect("number");
    assert_eq!(declined.opt_in.state, OptInState::OptedOut);
    let at = declined
        .opt_in
        .at
        .clone()
        .expect("the time is kept as evidence");
    let mail = smtp
        .wait_for("Chris Tutt declined SMS on (201) 992-0780")
        .await;
    assert!(mail.contains("To: admin@kakapo.example"), "{mail}");
    assert!(
        mail.contains(&at[..10]) && mail.contains("christutt@kakaposystems.com"),
        "{mail}"
    );
    let res = app
        .call(
            client,
            Method::POST,
            &opt_in(&mine["id"]),
            Some(json!({ "decision": "accept" })),
        )
        .await;
    let body: ApiErrorBody = res.json().await.expect("envelope");
    assert_eq!(body.code, ErrorCode::Conflict, "decided already");

    // R13: the admin resets; the client asks again and the user accepts.
    let res = app
        .call(
            token,
            Method::POST,
            &format!("/api/v1/cpaas-numbers/{}/opt-in/reset", mine["id"]),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .call(
            client,
            Method::POST,
            &opt_in(&mine["id"]),
            Some(json!({ "decision": "accept" })),
        )
        .await;
    let accepted: ClientNumber = res.json().await.expect("number");
    assert_eq!(accepted.opt_in.state, OptInState::OptedIn);
    let history: Value = app
        .call(
            token,
            Method::GET,
            &format!("/api/v1/users/{}/history", user["id"]),
            None,
        )
        .await
        .json()
        .await
        .expect("history");
    let text = history.to_string();
    assert!(text.contains("client_password") && !text.contains(CLIENT_PASSWORD));
    logs::assert_absent(CLIENT_PASSWORD);
}

#[tokio::test]
async fn repeated_wrong_client_passwords_lock_the_user_for_a_while() {
    let app = TestApp::spawn().await;
    provider_with_chris(&app, "admin@kakapo.example", "Kakapo", CLIENT_PASSWORD).await;
    for _ in 0..cpaas_api::services::throttle::FREE_ATTEMPTS {
        assert_eq!(
            client_login(&app, "chris@acme.example", "a-wrong-guess-1")
                .await
                .status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let res = client_login(&app, "chris@acme.example", CLIENT_PASSWORD).await;
    assert_eq!(
        res.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "locked even with the right password"
    );
    assert!(res.headers().contains_key("retry-after"));
    let body: ApiErrorBody = res.json().await.expect("envelope");
    assert_eq!(body.code, ErrorCode::TooManyAttempts);
}

/// A provider with its admin, a customer and the end user `chris@acme.example` whose client
/// password is `password`.
async fn provider_with_chris(app: &TestApp, admin: &str, provider: &str, password: &str) {
    app.create_admin(admin, PASSWORD, provider);
    let login: LoginResponse = app
        .login(admin, PASSWORD)
        .await
        .json()
        .await
        .expect("login");
    let token = login.access_token.as_str();
    let customers = format!(
        "/api/v1/providers/{}/customers",
        login.account.organization_id
    );
    let customer = post(app, token, &customers, json!({ "name": "Acme" })).await;
    let users = format!("/api/v1/customers/{}/users", customer["id"]);
    let user = post(
        app,
        token,
        &users,
        json!({ "user_id": "chris@acme.example", "name": "Chris" }),
    )
    .await;
    let res = app
        .call(
            token,
            Method::PUT,
            &format!("/api/v1/users/{}/client-password", user["id"]),
            Some(json!({ "password": password })),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn signing_in_never_counts_against_a_namesake_at_another_provider() {
    let app = TestApp::spawn().await;
    let (first, second) = ("first-client-password", "second-client-password");
    provider_with_chris(&app, "admin@kakapo.example", "Kakapo", first).await;
    provider_with_chris(&app, "admin@other.example", "Other", second).await;
    // The same user id at two providers: each successful sign-in is tried against both.
    for _ in 0..=cpaas_api::services::throttle::FREE_ATTEMPTS {
        let res = client_login(&app, "chris@acme.example", first).await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    let res = client_login(&app, "chris@acme.example", second).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "the other Chris is not locked out"
    );
}
