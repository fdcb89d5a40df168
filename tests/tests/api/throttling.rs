//! Throttling that cannot be turned against the people it protects: sign-in failures count per
//! (email or user id, client address), so a stranger's guesses never lock the owner out from
//! elsewhere, and an unknown email is throttled exactly like a known one; each address may try
//! only so often per minute; the webhook refuses calls without a plausible token before any
//! database work and limits refused callers, never the carrier's good calls.

use std::net::IpAddr;
use std::time::Duration;

use cpaas_api::services::throttle::FREE_ATTEMPTS;
use cpaas_shared::{ApiErrorBody, ErrorCode};
use cpaas_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::json;

use super::numbers::{post, world};

const EMAIL: &str = "admin@kakapo.example";
const PASSWORD: &str = "correct horse battery";

/// A client whose requests come from another loopback address.
fn from(address: &str) -> reqwest::Client {
    let address: IpAddr = address.parse().expect("an address");
    reqwest::Client::builder()
        .local_address(address)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client")
}

async fn sign_in(
    app: &TestApp,
    client: &reqwest::Client,
    email: &str,
    password: &str,
) -> reqwest::Response {
    client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .expect("sent")
}

async fn refusal(res: reqwest::Response) -> (StatusCode, Option<String>, ApiErrorBody) {
    let status = res.status();
    let retry = res
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().expect("ascii").to_owned());
    (status, retry, res.json().await.expect("envelope"))
}

#[tokio::test]
async fn a_strangers_guesses_lock_out_only_the_stranger() {
    let app = TestApp::spawn().await;
    app.create_admin(EMAIL, PASSWORD, "Kakapo");
    let stranger = from("127.0.0.2");
    for _ in 0..FREE_ATTEMPTS {
        let res = sign_in(&app, &stranger, EMAIL, "a guess").await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let (status, retry, body) = refusal(sign_in(&app, &stranger, EMAIL, PASSWORD).await).await;
    assert_eq!(
        (status, body.code),
        (StatusCode::TOO_MANY_REQUESTS, ErrorCode::TooManyAttempts)
    );
    assert!(retry.is_some());
    // The owner, from their own address, is not locked out.
    let res = sign_in(&app, &app.client, EMAIL, PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK);

    // An email that names nobody is throttled exactly as one that does: the same answers, in
    // the same order.
    let mut answers = Vec::new();
    for email in [EMAIL, "nobody@kakapo.example"] {
        let guesser = from(if email == EMAIL {
            "127.0.0.3"
        } else {
            "127.0.0.4"
        });
        let mut seen = Vec::new();
        for _ in 0..=FREE_ATTEMPTS {
            let (status, _, body) = refusal(sign_in(&app, &guesser, email, "a guess").await).await;
            let message = body
                .message
                .chars()
                .filter(|c| !c.is_ascii_digit())
                .collect::<String>();
            seen.push((status, body.code, message));
        }
        answers.push(seen);
    }
    assert_eq!(answers[0], answers[1], "no hint whether the email exists");
    assert_eq!(
        answers[0].last().map(|a| a.1),
        Some(ErrorCode::TooManyAttempts)
    );
}

#[tokio::test]
async fn a_client_failure_counts_only_at_the_provider_it_was_made_at() {
    let app = TestApp::spawn().await;
    let mut providers = Vec::new();
    for (admin, name, password) in [
        ("admin@kakapo.example", "Kakapo", "first client password"),
        ("admin@other.example", "Other", "second client password"),
    ] {
        app.create_admin(admin, PASSWORD, name);
        let login = app.session(admin, PASSWORD).await;
        let token = login.access_token;
        let provider = login.account.organization_id;
        let customer = post(
            &app,
            &token,
            &format!("/api/v1/providers/{provider}/customers"),
            json!({ "name": "Acme" }),
        )
        .await;
        let body = json!({ "user_id": "chris@acme.example", "name": "Chris" });
        let user = post(
            &app,
            &token,
            &format!("/api/v1/customers/{}/users", customer["id"]),
            body,
        )
        .await;
        let path = format!("/api/v1/users/{}/client-password", user["id"]);
        let res = app
            .call(
                &token,
                Method::PUT,
                &path,
                Some(json!({ "password": password })),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        providers.push((provider, password));
    }
    let client_login = |provider: i64, password: &'static str| {
        let app = &app;
        async move {
            app.client
                .post(app.url("/api/v1/client/login"))
                .json(&json!({ "user_id": "chris@acme.example", "password": password, "provider_id": provider }))
                .send()
                .await
                .expect("sent")
                .status()
        }
    };
    let ((first, first_password), (second, second_password)) = (providers[0], providers[1]);
    for _ in 0..FREE_ATTEMPTS {
        assert_eq!(
            client_login(first, "a wrong guess 1").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        client_login(first, first_password).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        client_login(second, second_password).await,
        StatusCode::OK,
        "the other provider's Chris"
    );
    // The right password at the wrong provider is wrong there.
    assert_eq!(
        client_login(second, first_password).await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn each_address_signs_in_only_so_often_per_minute() {
    let app = TestApp::spawn_with(|s| s.sign_in_limit_per_minute = 3).await;
    app.create_admin(EMAIL, PASSWORD, "Kakapo");
    for _ in 0..3 {
        assert_eq!(app.login(EMAIL, PASSWORD).await.status(), StatusCode::OK);
    }
    let (status, retry, body) = refusal(app.login(EMAIL, PASSWORD).await).await;
    assert_eq!(
        (status, body.code),
        (StatusCode::TOO_MANY_REQUESTS, ErrorCode::TooManyRequests)
    );
    let retry: u64 = retry.expect("Retry-After").parse().expect("seconds");
    assert!((1..=60).contains(&retry), "{retry}");
    // The client sign-in shares the address's minute.
    let res = app
        .client
        .post(app.url("/api/v1/client/login"))
        .json(&json!({ "user_id": "chris@acme.example", "password": "anything at all" }))
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    // Another address has its own.
    let res = sign_in(&app, &from("127.0.0.2"), EMAIL, PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_webhook_refuses_cheaply_and_never_limits_good_calls() {
    let app = TestApp::spawn_with(|s| s.webhook_refusal_limit_per_minute = 3).await;
    let w = world(&app, false).await;
    let res = app
        .call(
            &w.token,
            Method::POST,
            &format!("/api/v1/users/{}/cpaas-numbers", w.user),
            Some(json!({ "number": "2019920778" })),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let token = app.webhook_token(w.platform).await;
    let call = |token: Option<String>, reference: &'static str| {
        let app = &app;
        let platform = w.platform;
        async move {
            let body = json!({ "referenceId": reference, "from": "13125550100", "to": ["12019920778"], "text": "Hi" });
            let mut req = app
                .client
                .post(app.url(&format!("/webhooks/inteliquent/{platform}")))
                .json(&body);
            if let Some(token) = token {
                req = req.header("X-Cpaas-Webhook-Token", token);
            }
            req.send().await.expect("sent")
        }
    };
    // A good call: its platform's token is now kept in memory.
    assert_eq!(
        call(Some(token.clone()), "good-1").await.status(),
        StatusCode::OK
    );
    // With the database gone, refusals still answer 401: no header, a token of the wrong
    // length, a wrong token of the right length (checked against the kept token).
    app.make_database_unavailable();
    let wrong = "0".repeat(token.len());
    for bad in [None, Some("short".to_owned()), Some(wrong.clone())] {
        let (status, _, body) = refusal(call(bad.clone(), "bad").await).await;
        assert_eq!(
            (status, body.code),
            (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized),
            "{bad:?}"
        );
    }
    // Past the address's refusals it answers 429; the right token still gets through: stored
    // (SQLite's open connections outlive the deleted file) or 503 (PostgreSQL's are gone),
    // never 429.
    let (status, retry, body) = refusal(call(Some(wrong), "bad").await).await;
    assert_eq!(
        (status, body.code),
        (StatusCode::TOO_MANY_REQUESTS, ErrorCode::TooManyRequests)
    );
    assert!(retry.is_some());
    let good = call(Some(token), "good-2").await.status();
    assert!(
        good == StatusCode::OK || good == StatusCode::SERVICE_UNAVAILABLE,
        "{good}"
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_is_counted() {
    let app = TestApp::spawn_with(|s| {
        s.sign_in_limit_per_minute = 2;
        s.trusted_proxies = "127.0.0.1".to_owned();
    })
    .await;
    app.create_admin(EMAIL, PASSWORD, "Kakapo");
    let through = |client: Option<&'static str>| {
        let app = &app;
        async move {
            let mut req = app
                .client
                .post(app.url("/api/v1/auth/login"))
                .json(&json!({ "email": EMAIL, "password": PASSWORD }));
            if let Some(client) = client {
                // A client cannot pose as another by adding its own entries in front.
                req = req.header("x-forwarded-for", format!("198.51.100.99, {client}"));
            }
            req.send().await.expect("sent").status()
        }
    };
    for client in ["192.0.2.1", "192.0.2.2"] {
        assert_eq!(through(Some(client)).await, StatusCode::OK);
        assert_eq!(through(Some(client)).await, StatusCode::OK);
        assert_eq!(
            through(Some(client)).await,
            StatusCode::TOO_MANY_REQUESTS,
            "{client}"
        );
    }
    // An IPv6 client counts by its /64.
    assert_eq!(through(Some("2001:db8::1")).await, StatusCode::OK);
    assert_eq!(through(Some("2001:db8::2")).await, StatusCode::OK);
    assert_eq!(
        through(Some("2001:db8::3")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // From an address that is not a trusted proxy, the header is not believed.
    let direct = from("127.0.0.2");
    for _ in 0..2 {
        let res = direct
            .post(app.url("/api/v1/auth/login"))
            .header("x-forwarded-for", "203.0.113.5")
            .json(&json!({ "email": EMAIL, "password": PASSWORD }))
            .send()
            .await
            .expect("sent");
        assert_eq!(res.status(), StatusCode::OK);
    }
    let res = direct
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", "203.0.113.6")
        .json(&json!({ "email": EMAIL, "password": PASSWORD }))
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
}
