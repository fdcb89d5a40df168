//! No password or bearer token reaches a log line (captured at debug level) or the history.

use cpaas_shared::{LoginResponse, Page};
use cpaas_tests::{TestApp, logs};
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret;
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

/// The permission bits of `path`.
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .map(|m| m.permissions().mode() & 0o777)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[tokio::test]
async fn secrets_are_bound_to_their_platform_and_files_to_their_owner() {
    use cpaas_api::db::models::platform;
    use cpaas_api::services::platforms;

    let app = TestApp::spawn().await;
    app.create_admin("admin@kakapo.example", "admin-pw-7f3a9c1e", "Kakapo");
    let token = app.token("admin@kakapo.example", "admin-pw-7f3a9c1e").await;
    let me: Value = app
        .call(&token, Method::GET, "/api/v1/auth/me", None)
        .await
        .json()
        .await
        .expect("me");
    let provider = me["organization_id"].as_i64().expect("provider");
    app.simulator(
        Method::POST,
        "/accounts",
        Some(json!({
            "account_key": "SecondAccountKey1", "token_secret": "SecondTokenSecret1",
            "outbound_api_key": "SecondOutboundKey1", "numbers": ["3125550100"],
        })),
    )
    .await;
    let mut ids = Vec::new();
    for (name, key, secret, outbound) in [
        (
            "First",
            cpaas_api::carrier::simulator::state::DEMO_ACCOUNT_KEY,
            cpaas_api::carrier::simulator::state::DEMO_TOKEN_SECRET,
            cpaas_api::carrier::simulator::state::DEMO_OUTBOUND_KEY,
        ),
        (
            "Second",
            "SecondAccountKey1",
            "SecondTokenSecret1",
            "SecondOutboundKey1",
        ),
    ] {
        let body = json!({ "name": name, "account_key": key, "token_secret": secret, "outbound_api_key": outbound });
        let path = format!("/api/v1/providers/{provider}/cpaas-platforms");
        let res = app.call(&token, Method::POST, &path, Some(body)).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        ids.push(
            res.json::<Value>().await.expect("platform")["id"]
                .as_i64()
                .expect("id"),
        );
    }
    let keys = app.secret_box();
    let mut conn = app.connect();
    let first = platform::find(&mut conn, ids[0]).expect("first");
    let mut second = platform::find(&mut conn, ids[1]).expect("second");
    assert!(platforms::open(&first, &keys).is_ok() && platforms::open(&second, &keys).is_ok());
    // A sealed value copied to another platform of the same provider does not open there.
    second.account_key = first.account_key.clone();
    assert!(platforms::open(&second, &keys).is_err());

    // Values sealed before they were bound to the platform (bound to the provider only) are
    // re-sealed at start-up, and open afterwards; a second run changes nothing.
    let legacy = |field: &str, value: &str| {
        keys.seal(&format!("cpaas_platforms.{field}:{provider}"), value)
            .expect("sealed")
    };
    let mut old = platform::find(&mut conn, ids[1]).expect("second");
    old.account_key = legacy("account_key", "SecondAccountKey1");
    old.token_secret = legacy("token_secret", "SecondTokenSecret1");
    old.outbound_api_key = legacy("outbound_api_key", "SecondOutboundKey1");
    old.webhook_token = Some(legacy("webhook_token", &"ab".repeat(24)));
    platform::save(&mut conn, &old).expect("stored the old way");
    assert!(platforms::open(&old, &keys).is_err());
    assert_eq!(
        platforms::reseal_unbound(&mut conn, &keys).expect("resealed"),
        1
    );
    assert_eq!(
        platforms::reseal_unbound(&mut conn, &keys).expect("again"),
        0
    );
    let resealed = platform::find(&mut conn, ids[1]).expect("second");
    let opened = platforms::open(&resealed, &keys).expect("opens");
    assert_eq!(opened.account.key.expose_secret(), "SecondAccountKey1");
    let token = cpaas_api::services::provisioning::stored_webhook_token(&resealed, &keys)
        .expect("opens")
        .expect("a token");
    assert_eq!(token.expose_secret(), "ab".repeat(24));

    // The data directory and what it holds are the owner's alone. On SQLite (a local run) the
    // development keys live there; on PostgreSQL the keys are configured and no file is made.
    let dir = app.data_dir();
    assert_eq!(mode(dir), 0o700);
    let local = app.sqlite_bytes().is_some();
    for file in ["secret-key", "jwt-secret"] {
        match local {
            true => assert_eq!(mode(&dir.join(file)), 0o600, "{file}"),
            false => assert!(!dir.join(file).exists(), "{file} written on PostgreSQL"),
        }
    }
    if local {
        assert_eq!(mode(&dir.join("cpaas.db")), 0o600, "the database");
    }
}
