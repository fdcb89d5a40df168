//! Portal sign-in: tokens, the same answer for unknown emails and wrong passwords, throttling,
//! and the error envelope for bad bodies on a real route.

use cpaas_shared::{ApiErrorBody, ErrorCode, LoginResponse, PortalAccount};
use cpaas_tests::TestApp;
use reqwest::StatusCode;

const EMAIL: &str = "abin.joseph@kakaposystems.com";
const PASSWORD: &str = "correct horse battery";

async fn error(res: reqwest::Response) -> (StatusCode, ApiErrorBody) {
    let status = res.status();
    (status, res.json().await.expect("error envelope"))
}

#[tokio::test]
async fn sign_in_returns_a_token_that_identifies_the_account() {
    let app = TestApp::spawn().await;
    let id = app.create_admin(EMAIL, PASSWORD, "Kakapo Systems Limited");
    // Emails are matched case-insensitively.
    let res = app.login("  Abin.Joseph@KakapoSystems.com", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.expect("body");
    assert!(!text.contains("argon2"), "no password hash in the response");
    let body: LoginResponse = serde_json::from_str(&text).expect("login response");
    assert_eq!(body.token_type, "Bearer");
    assert_eq!(body.expires_in, 3600);
    assert_eq!(body.account.id, id);
    assert!(body.account.send_alerts, "the first admin receives alerts");

    let me = app
        .client
        .get(app.url("/api/v1/auth/me"))
        .bearer_auth(&body.access_token)
        .send()
        .await
        .expect("sent");
    assert_eq!(me.status(), StatusCode::OK);
    let me: PortalAccount = me.json().await.expect("account");
    assert_eq!(me, body.account);
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_401() {
    let app = TestApp::spawn().await;
    app.create_admin(EMAIL, PASSWORD, "Kakapo");
    let (status, wrong) = error(app.login(EMAIL, "not the password").await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.code, ErrorCode::Unauthorized);
    let (status, unknown) = error(app.login("nobody@example.com", PASSWORD).await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown, wrong, "no hint whether the email exists");
}

#[tokio::test]
async fn repeated_failures_lock_the_account_for_a_while() {
    let app = TestApp::spawn().await;
    app.create_admin(EMAIL, PASSWORD, "Kakapo");
    for attempt in 1..=cpaas_api::services::throttle::FREE_ATTEMPTS {
        let (status, _) = error(app.login(EMAIL, "guess").await).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    let res = app.login(EMAIL, PASSWORD).await;
    assert_eq!(
        res.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password"
    );
    let retry: i64 = res.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&retry), "{retry}");
    let (_, body) = error(res).await;
    assert_eq!(body.code, ErrorCode::TooManyAttempts);
}

#[tokio::test]
async fn a_successful_sign_in_resets_the_failure_count() {
    let app = TestApp::spawn().await;
    app.create_admin(EMAIL, PASSWORD, "Kakapo");
    for _ in 1..cpaas_api::services::throttle::FREE_ATTEMPTS {
        app.login(EMAIL, "guess").await;
    }
    app.token(EMAIL, PASSWORD).await;
    for _ in 1..cpaas_api::services::throttle::FREE_ATTEMPTS {
        app.login(EMAIL, "guess").await;
    }
    assert_eq!(app.login(EMAIL, PASSWORD).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn bad_bodies_answer_in_the_envelope() {
    let app = TestApp::spawn().await;
    let url = app.url("/api/v1/auth/login");
    let missing = app
        .client
        .post(&url)
        .json(&serde_json::json!({ "email": EMAIL }))
        .send()
        .await
        .expect("sent");
    let (status, body) = error(missing).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body.code, ErrorCode::ValidationFailed);
    assert!(body.fields.contains_key("password"), "{body:?}");

    let malformed = app
        .client
        .post(&url)
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .expect("sent");
    let (status, body) = error(malformed).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body.code, ErrorCode::MalformedJson);

    let form = app
        .client
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("email=a&password=b")
        .send()
        .await
        .expect("sent");
    assert_eq!(error(form).await.0, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let get = app.get("/api/v1/auth/login").await;
    assert_eq!(get.headers()["allow"], "POST");
    assert_eq!(error(get).await.0, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn me_needs_a_valid_token_of_a_live_account() {
    let app = TestApp::spawn().await;
    let id = app.create_admin(EMAIL, PASSWORD, "Kakapo");
    let token = app.token(EMAIL, PASSWORD).await;
    let me = |auth: Option<String>| {
        let mut req = app.client.get(app.url("/api/v1/auth/me"));
        if let Some(auth) = auth {
            req = req.header("authorization", auth);
        }
        req.send()
    };
    for auth in [
        None,
        Some("Bearer".to_owned()),
        Some("Bearer not-a-jwt".to_owned()),
        Some(format!("Basic {token}")),
        Some(format!("Bearer {token}x")),
    ] {
        let (status, body) = error(me(auth.clone()).await.expect("sent")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{auth:?}");
        assert_eq!(body.code, ErrorCode::Unauthorized);
    }
    assert_eq!(
        me(Some(format!("bearer {token}")))
            .await
            .expect("sent")
            .status(),
        StatusCode::OK
    );

    // Deleting the account revokes its tokens.
    use cpaas_api::db::schema::portal_accounts;
    use diesel::prelude::*;
    diesel::delete(portal_accounts::table.find(id))
        .execute(&mut app.connect())
        .expect("deleted");
    let res = me(Some(format!("Bearer {token}"))).await.expect("sent");
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn create_admin_validates_and_refuses_duplicates() {
    let app = TestApp::spawn().await;
    let mut conn = app.connect();
    use cpaas_api::services::accounts::create_admin;
    let short = create_admin(&mut conn, EMAIL, "short", Some("P"), false).expect_err("too short");
    assert!(short.body().fields.contains_key("password"));
    let bad =
        create_admin(&mut conn, "not-an-email", PASSWORD, Some("P"), false).expect_err("bad email");
    assert!(bad.body().fields.contains_key("email"));
    create_admin(&mut conn, EMAIL, PASSWORD, Some("P"), false).expect("created");
    let dup = create_admin(&mut conn, &EMAIL.to_uppercase(), PASSWORD, Some("P"), false)
        .expect_err("dup");
    assert_eq!(dup.code(), ErrorCode::Conflict);
    // Unnamed: the only provider is used.
    let second =
        create_admin(&mut conn, "second@kakaposystems.com", PASSWORD, None, false).expect("second");
    let first_org = cpaas_api::db::models::portal_account::find_by_email(&mut conn, EMAIL)
        .expect("query")
        .expect("exists")
        .organization_id;
    assert_eq!(second.organization_id, first_org);
}

#[tokio::test]
async fn demo_data_loads_once_and_its_login_works() {
    use cpaas_api::services::demo;
    let app = TestApp::spawn().await;
    let created = demo::load(&mut app.connect(), &app.secret_box()).expect("loaded");
    assert_eq!(created.len(), 9, "{created:?}");
    assert!(
        demo::load(&mut app.connect(), &app.secret_box())
            .expect("reloaded")
            .is_empty(),
        "idempotent"
    );
    let res = app.login(demo::ADMIN_EMAIL, demo::ADMIN_PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: LoginResponse = res.json().await.expect("login");
    assert!(
        body.account.send_alerts,
        "R2 needs a Send-Alerts account at provider level"
    );
    // The demo platform opens with the api's key and verifies against the simulator.
    let url = format!(
        "/api/v1/providers/{}/cpaas-platforms",
        body.account.organization_id
    );
    let platforms: serde_json::Value = app
        .call(&body.access_token, reqwest::Method::GET, &url, None)
        .await
        .json()
        .await
        .expect("platforms");
    assert_eq!(platforms["items"][0]["outbound_api_key_hint"], "••••zMTb");
    let id = &platforms["items"][0]["id"];
    let res = app
        .call(
            &body.access_token,
            reqwest::Method::PATCH,
            &format!("/api/v1/cpaas-platforms/{id}"),
            Some(serde_json::json!({ "mms_available": true })),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "verified with the simulator");

    // The demo numbers (docs/carrier.md), configured on the simulator by the worker.
    let url = format!(
        "/api/v1/providers/{}/cpaas-numbers",
        body.account.organization_id
    );
    let numbers = cpaas_tests::eventually(
        std::time::Duration::from_secs(20),
        "the demo numbers active",
        || async {
            let page: cpaas_shared::Page<cpaas_shared::CpaasNumber> = app
                .call(&body.access_token, reqwest::Method::GET, &url, None)
                .await
                .json()
                .await
                .expect("numbers");
            page.items
                .iter()
                .all(|n| n.provisioning.state == cpaas_shared::ProvisioningState::Active)
                .then_some(page.items)
        },
    )
    .await;
    let shown: Vec<_> = numbers
        .iter()
        .map(|n| {
            (
                n.number.as_str(),
                n.friendly_name.as_str(),
                n.messaging_type,
                n.consumer.name.as_str(),
                n.opt_in.state,
            )
        })
        .collect();
    use cpaas_shared::{MessagingType::*, OptInState::*};
    assert_eq!(
        shown,
        [
            ("2019920778", "SMS only", Sms, "Chris Tutt", Pending),
            ("2019920780", "My MMS Number", MmsSms, "Chris Tutt", Pending),
            ("2019920781", "2019920781", Sms, "SMS", NotRequired),
        ]
    );
}

#[tokio::test]
async fn parallel_guesses_cannot_get_past_the_limit() {
    let app = TestApp::spawn().await;
    app.create_admin(EMAIL, PASSWORD, "Kakapo");
    // Each attempt is reserved before its password is checked: of twelve at once, only the
    // free ones are checked at all.
    let guesses = (0..12).map(|_| app.login(EMAIL, "guess"));
    let mut statuses: Vec<u16> = futures_util::future::join_all(guesses)
        .await
        .iter()
        .map(|res| res.status().as_u16())
        .collect();
    statuses.sort_unstable();
    let free = usize::try_from(cpaas_api::services::throttle::FREE_ATTEMPTS).expect("small");
    let mut want = vec![401; free];
    want.resize(12, 429);
    assert_eq!(statuses, want);
    assert_eq!(
        app.login(EMAIL, PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}
