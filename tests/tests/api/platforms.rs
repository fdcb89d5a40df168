//! CPaaS platforms (R1–R5) against the built-in simulator through the real client: verified
//! before anything is saved, secrets sealed at rest and never shown, the alert-recipient rules
//! including concurrent requests.

use cpaas_api::carrier::simulator::state::{
    DEMO_ACCOUNT_KEY, DEMO_OUTBOUND_KEY, DEMO_TOKEN_SECRET,
};
use cpaas_shared::{
    ApiErrorBody, CpaasPlatform, ErrorCode, HistoryEntry, LoginResponse, Page, Provider,
};
use cpaas_tests::{TestApp, logs};
use diesel::prelude::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";

struct Admin {
    token: String,
    provider: i64,
    account: i64,
}

async fn admin(app: &TestApp) -> Admin {
    app.create_admin("admin@kakapo.example", PASSWORD, "Kakapo Systems Limited");
    let login: LoginResponse = app
        .login("admin@kakapo.example", PASSWORD)
        .await
        .json()
        .await
        .expect("login");
    Admin {
        token: login.access_token,
        provider: login.account.organization_id,
        account: login.account.id,
    }
}

fn demo(name: &str) -> Value {
    json!({
        "name": name,
        "account_key": DEMO_ACCOUNT_KEY,
        "token_secret": DEMO_TOKEN_SECRET,
        "outbound_api_key": DEMO_OUTBOUND_KEY,
        "user_confirmation_required": true,
        "mms_available": true,
    })
}

async fn call(
    app: &TestApp,
    a: &Admin,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> reqwest::Response {
    app.call(&a.token, method, path, body).await
}

async fn error(res: reqwest::Response, status: StatusCode) -> ApiErrorBody {
    assert_eq!(res.status(), status);
    res.json().await.expect("envelope")
}

async fn platforms(app: &TestApp, a: &Admin) -> Vec<CpaasPlatform> {
    let res = call(
        app,
        a,
        Method::GET,
        &format!("/api/v1/providers/{}/cpaas-platforms", a.provider),
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json::<Page<CpaasPlatform>>().await.expect("page").items
}

#[tokio::test]
async fn platforms_are_verified_before_anything_is_saved() {
    let app = TestApp::spawn().await;
    let a = admin(&app).await;
    let url = format!("/api/v1/providers/{}/cpaas-platforms", a.provider);

    let res = call(&app, &a, Method::POST, &url, Some(demo("Inteliquent"))).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let created: CpaasPlatform = res.json().await.expect("platform");
    assert_eq!(created.outbound_api_key_hint, "••••zMTb");
    assert!(
        created.user_confirmation_required
            && created.mms_available
            && !created.user_can_block_numbers
    );

    // Each kind of bad credential names its fields; nothing is saved.
    let mut wrong = demo("Second");
    wrong["token_secret"] = json!("not-the-secret");
    let body = error(
        call(&app, &a, Method::POST, &url, Some(wrong)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(body.code, ErrorCode::CarrierRejectedCredentials);
    assert_eq!(
        body.fields.keys().collect::<Vec<_>>(),
        ["account_key", "token_secret"]
    );
    let mut wrong = demo("Second");
    wrong["outbound_api_key"] = json!("not-the-outbound-key");
    let body = error(
        call(&app, &a, Method::POST, &url, Some(wrong)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(body.fields.keys().collect::<Vec<_>>(), ["outbound_api_key"]);
    assert!(
        body.message.contains("Outbound API Key"),
        "{}",
        body.message
    );
    let mut wrong = demo("Second");
    wrong["account_key"] = json!("NotAnAccountKey");
    wrong["outbound_api_key"] = json!("not-the-outbound-key");
    let body = error(
        call(&app, &a, Method::POST, &url, Some(wrong)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(body.fields.len(), 3, "both checks reported at once");

    let body = error(
        call(
            &app,
            &a,
            Method::POST,
            &url,
            Some(json!({ "name": "Second", "account_key": "  " })),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(body.code, ErrorCode::ValidationFailed);
    assert_eq!(body.fields.len(), 3, "{:?}", body.fields);

    // The carrier failing or hanging: carrier_unreachable, nothing saved.
    for force in ["server_error", "timeout"] {
        app.simulator(Method::PUT, "/behaviour", Some(json!({ "hang_ms": 4000 })))
            .await;
        app.simulator(Method::PUT, "/faults", Some(json!({ "force": force })))
            .await;
        let body = error(
            call(&app, &a, Method::POST, &url, Some(demo("Second"))).await,
            StatusCode::BAD_GATEWAY,
        )
        .await;
        assert_eq!(body.code, ErrorCode::CarrierUnreachable, "{force}");
        assert!(
            body.message.contains("Nothing was saved"),
            "{}",
            body.message
        );
    }
    app.simulator(Method::PUT, "/faults", Some(json!({}))).await;

    let body = error(
        call(&app, &a, Method::POST, &url, Some(demo("Inteliquent"))).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(body.code, ErrorCode::Conflict);
    assert!(
        body.fields.contains_key("name"),
        "names are unique within the provider"
    );

    // R5: a provider may hold several platforms (a second carrier account).
    app.simulator(
        Method::POST,
        "/accounts",
        Some(json!({
            "account_key": "SecondAccountKey01", "token_secret": "SecondTokenSecret01",
            "outbound_api_key": "SecondOutboundKey01", "numbers": ["3125550100"],
        })),
    )
    .await;
    let second = json!({
        "name": "Inteliquent (East)", "account_key": "SecondAccountKey01",
        "token_secret": "SecondTokenSecret01", "outbound_api_key": "SecondOutboundKey01",
    });
    assert_eq!(
        call(&app, &a, Method::POST, &url, Some(second))
            .await
            .status(),
        StatusCode::CREATED
    );
    let names: Vec<String> = platforms(&app, &a)
        .await
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(
        names,
        ["Inteliquent", "Inteliquent (East)"],
        "only the verified ones"
    );
    let history: Page<HistoryEntry> = call(
        &app,
        &a,
        Method::GET,
        &format!("/api/v1/providers/{}/history?per_page=100", a.provider),
        None,
    )
    .await
    .json()
    .await
    .expect("history");
    let created = history
        .items
        .iter()
        .filter(|e| e.summary.starts_with("CPaaS platform"))
        .count();
    assert_eq!(created, 2);
}

#[tokio::test]
async fn updates_keep_blank_secrets_and_are_verified_again() {
    let app = TestApp::spawn().await;
    let a = admin(&app).await;
    let res = call(
        &app,
        &a,
        Method::POST,
        &format!("/api/v1/providers/{}/cpaas-platforms", a.provider),
        Some(demo("Inteliquent")),
    )
    .await;
    let platform: CpaasPlatform = res.json().await.expect("platform");
    let url = format!("/api/v1/cpaas-platforms/{}", platform.id);

    let res = call(
        &app,
        &a,
        Method::PATCH,
        &url,
        Some(json!({ "user_can_block_numbers": true, "account_key": "" })),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let updated: CpaasPlatform = res.json().await.expect("platform");
    assert!(updated.user_can_block_numbers);
    assert_eq!(
        updated.account_key_hint, platform.account_key_hint,
        "blank keeps the stored key"
    );

    let body = error(
        call(
            &app,
            &a,
            Method::PATCH,
            &url,
            Some(json!({ "outbound_api_key": "a-wrong-outbound-key", "mms_available": false })),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(body.fields.keys().collect::<Vec<_>>(), ["outbound_api_key"]);
    let kept: CpaasPlatform = call(&app, &a, Method::GET, &url, None)
        .await
        .json()
        .await
        .expect("platform");
    assert_eq!(kept, updated, "a refused update changes nothing");

    app.simulator(
        Method::POST,
        "/accounts",
        Some(json!({
            "account_key": "MovedAccountKey01", "token_secret": "MovedTokenSecret01",
            "outbound_api_key": "MovedOutboundKey01",
        })),
    )
    .await;
    let moved = json!({
        "account_key": "MovedAccountKey01", "token_secret": "MovedTokenSecret01",
        "outbound_api_key": "MovedOutboundKey01",
    });
    let res = call(&app, &a, Method::PATCH, &url, Some(moved)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let moved: CpaasPlatform = res.json().await.expect("platform");
    assert_eq!(moved.outbound_api_key_hint, "••••ey01");

    let history: Page<HistoryEntry> = call(
        &app,
        &a,
        Method::GET,
        &format!("/api/v1/providers/{}/history?action=update", a.provider),
        None,
    )
    .await
    .json()
    .await
    .expect("history");
    let latest = &history.items[0];
    assert_eq!(latest.summary, "CPaaS platform Inteliquent updated");
    let fields: Vec<(&str, Option<&str>)> = latest
        .changes
        .iter()
        .map(|c| (c.field.as_str(), c.new.as_deref()))
        .collect();
    assert_eq!(
        fields,
        [
            ("account_key", Some("(changed)")),
            ("token_secret", Some("(changed)")),
            ("outbound_api_key", Some("(changed)"))
        ]
    );

    assert_eq!(
        call(&app, &a, Method::DELETE, &url, None).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        call(&app, &a, Method::GET, &url, None).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn secrets_are_sealed_at_rest_and_never_shown() {
    let app = TestApp::spawn().await;
    let a = admin(&app).await;
    let secrets = [
        "SealedAccountKey77",
        "SealedTokenSecret77",
        "SealedOutboundKey77",
    ];
    app.simulator(
        Method::POST,
        "/accounts",
        Some(json!({
            "account_key": secrets[0], "token_secret": secrets[1], "outbound_api_key": secrets[2],
        })),
    )
    .await;
    let body = json!({ "account_key": secrets[0], "token_secret": secrets[1], "outbound_api_key": secrets[2] });
    let res = call(
        &app,
        &a,
        Method::POST,
        &format!("/api/v1/providers/{}/cpaas-platforms", a.provider),
        Some(body),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let created = res.text().await.expect("body");
    let id = serde_json::from_str::<Value>(&created).expect("json")["id"]
        .as_i64()
        .expect("id");
    let mut seen = created;
    for path in [
        format!("/api/v1/cpaas-platforms/{id}"),
        format!("/api/v1/providers/{}/cpaas-platforms", a.provider),
        format!("/api/v1/providers/{}/history", a.provider),
    ] {
        seen.push_str(
            &call(&app, &a, Method::GET, &path, None)
                .await
                .text()
                .await
                .expect("body"),
        );
    }
    let mut conn = app.connect();
    use cpaas_api::db::schema::cpaas_platforms::dsl as p;
    let stored: Vec<(String, String, String)> = p::cpaas_platforms
        .select((p::account_key, p::token_secret, p::outbound_api_key))
        .load(&mut conn)
        .expect("rows");
    let stored = stored
        .into_iter()
        .flat_map(|(a, b, c)| [a, b, c])
        .collect::<Vec<_>>();
    assert!(
        stored.iter().all(|value| value.starts_with("v1:")),
        "sealed: {stored:?}"
    );
    let file = app
        .sqlite_bytes()
        .map(|b| String::from_utf8_lossy(&b).into_owned());
    for secret in secrets {
        assert!(!seen.contains(secret), "{secret} in an API response");
        assert!(stored.iter().all(|value| !value.contains(secret)));
        if let Some(file) = &file {
            assert!(
                !file.contains(secret),
                "{secret} readable in the SQLite file"
            );
        }
        logs::assert_absent(secret);
    }
}

#[tokio::test]
async fn a_platform_needs_a_provider_level_alert_recipient() {
    let app = TestApp::spawn().await;
    let a = admin(&app).await;
    let provider_url = format!("/api/v1/providers/{}", a.provider);
    // A reseller-level account receiving alerts does not count.
    let reseller: Value = call(
        &app,
        &a,
        Method::POST,
        &format!("{provider_url}/resellers"),
        Some(json!({ "name": "North" })),
    )
    .await
    .json()
    .await
    .expect("reseller");
    let res = call(
        &app,
        &a,
        Method::POST,
        &format!("/api/v1/resellers/{}/portal-accounts", reseller["id"]),
        Some(json!({ "email": "north@example.com", "password": PASSWORD, "send_alerts": true })),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = call(
        &app,
        &a,
        Method::PATCH,
        &format!("/api/v1/portal-accounts/{}", a.account),
        Some(json!({ "send_alerts": false })),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK, "no platform yet: allowed");
    let provider: Provider = call(&app, &a, Method::GET, &provider_url, None)
        .await
        .json()
        .await
        .expect("provider");
    assert_eq!(provider.alert_recipients, 0);

    let body = error(
        call(
            &app,
            &a,
            Method::POST,
            &format!("{provider_url}/cpaas-platforms"),
            Some(demo("Inteliquent")),
        )
        .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(body.code, ErrorCode::NoAlertRecipient);
    assert!(body.message.starts_with("CPaaS platforms cannot be added as there are no login users at the system provider level"), "{}", body.message);
    assert!(platforms(&app, &a).await.is_empty());

    call(
        &app,
        &a,
        Method::PATCH,
        &format!("/api/v1/portal-accounts/{}", a.account),
        Some(json!({ "send_alerts": true })),
    )
    .await;
    let res = call(
        &app,
        &a,
        Method::POST,
        &format!("{provider_url}/cpaas-platforms"),
        Some(demo("Inteliquent")),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn the_last_alert_recipient_stays_even_under_concurrent_changes() {
    let app = TestApp::spawn().await;
    let a = admin(&app).await;
    let accounts = format!("/api/v1/providers/{}/portal-accounts", a.provider);
    let mut ids = vec![a.account];
    for email in ["second@kakapo.example", "third@kakapo.example"] {
        let res = call(
            &app,
            &a,
            Method::POST,
            &accounts,
            Some(json!({ "email": email, "password": PASSWORD, "send_alerts": true })),
        )
        .await;
        ids.push(
            res.json::<Value>().await.expect("account")["id"]
                .as_i64()
                .expect("id"),
        );
    }
    let res = call(
        &app,
        &a,
        Method::POST,
        &format!("/api/v1/providers/{}/cpaas-platforms", a.provider),
        Some(demo("Inteliquent")),
    )
    .await;
    let platform: CpaasPlatform = res.json().await.expect("platform");
    let account = |id: i64| format!("/api/v1/portal-accounts/{id}");
    let alerts = |on: bool| Some(json!({ "send_alerts": on }));

    assert_eq!(
        call(&app, &a, Method::DELETE, &account(ids[2]), None)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        call(&app, &a, Method::PATCH, &account(ids[1]), alerts(false))
            .await
            .status(),
        StatusCode::OK
    );
    let body = error(
        call(&app, &a, Method::PATCH, &account(ids[0]), alerts(false)).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(body.code, ErrorCode::LastAlertRecipient);
    assert!(body.message.starts_with("This user cannot be updated as they are the only user account configured to receive alerts"), "{}", body.message);
    // Other changes to the last recipient are fine.
    let res = call(
        &app,
        &a,
        Method::PATCH,
        &account(ids[0]),
        Some(json!({ "send_invoices_and_receipts": true })),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);

    // Two admins switching off the last two recipients at the same moment: exactly one wins.
    let second = app.token("second@kakapo.example", PASSWORD).await;
    for round in 0..6 {
        assert_eq!(
            call(&app, &a, Method::PATCH, &account(ids[1]), alerts(true))
                .await
                .status(),
            StatusCode::OK
        );
        let off = |token: String, id: i64| {
            let (client, url) = (app.client.clone(), app.url(&account(id)));
            async move {
                client
                    .patch(url)
                    .bearer_auth(token)
                    .json(&json!({ "send_alerts": false }))
                    .send()
                    .await
                    .expect("sent")
                    .status()
            }
        };
        let (first, other) =
            tokio::join!(off(a.token.clone(), ids[1]), off(second.clone(), ids[0]));
        let mut statuses = [first, other];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::OK, StatusCode::CONFLICT],
            "round {round}"
        );
        // Put back whichever was switched off.
        for id in [ids[0], ids[1]] {
            call(&app, &a, Method::PATCH, &account(id), alerts(true)).await;
        }
        let provider: Provider = call(
            &app,
            &a,
            Method::GET,
            &format!("/api/v1/providers/{}", a.provider),
            None,
        )
        .await
        .json()
        .await
        .expect("provider");
        assert_eq!(provider.alert_recipients, 2);
    }
    // A delete racing an update: exactly one.
    let delete = {
        let (client, url, token) = (
            app.client.clone(),
            app.url(&account(ids[1])),
            a.token.clone(),
        );
        async move {
            client
                .delete(url)
                .bearer_auth(token)
                .send()
                .await
                .expect("sent")
                .status()
        }
    };
    let update = {
        let (client, url, token) = (
            app.client.clone(),
            app.url(&account(ids[0])),
            a.token.clone(),
        );
        async move {
            client
                .patch(url)
                .bearer_auth(token)
                .json(&json!({ "send_alerts": false }))
                .send()
                .await
                .expect("sent")
                .status()
        }
    };
    let (deleted, updated) = tokio::join!(delete, update);
    let mut statuses = [deleted, updated];
    statuses.sort();
    assert!(
        matches!(
            statuses,
            [
                StatusCode::OK | StatusCode::NO_CONTENT,
                StatusCode::CONFLICT
            ]
        ),
        "{statuses:?}"
    );

    // Without a platform the rule no longer applies.
    call(
        &app,
        &a,
        Method::DELETE,
        &format!("/api/v1/cpaas-platforms/{}", platform.id),
        None,
    )
    .await;
    let remaining = if deleted == StatusCode::NO_CONTENT {
        ids[0]
    } else {
        ids[1]
    };
    let res = call(&app, &a, Method::PATCH, &account(remaining), alerts(false)).await;
    assert_eq!(res.status(), StatusCode::OK);
}
