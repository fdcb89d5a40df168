//! System providers (R20): read, list, update with validation, history of every change.

use cpaas_shared::{
    ApiErrorBody, ErrorCode, HistoryAction, HistoryEntry, Page, Provider, SnapshotReportFrequency,
};
use cpaas_tests::TestApp;
use reqwest::StatusCode;
use serde_json::json;

const PASSWORD: &str = "correct horse battery";

struct Admin {
    token: String,
    provider: i64,
}

async fn admin(app: &TestApp, email: &str, provider: &str) -> Admin {
    app.create_admin(email, PASSWORD, provider);
    let res = app.login(email, PASSWORD).await;
    let login: cpaas_shared::LoginResponse = res.json().await.expect("login");
    Admin {
        token: login.access_token,
        provider: login.account.organization_id,
    }
}

async fn patch(app: &TestApp, admin: &Admin, body: serde_json::Value) -> reqwest::Response {
    app.client
        .patch(app.url(&format!("/api/v1/providers/{}", admin.provider)))
        .bearer_auth(&admin.token)
        .json(&body)
        .send()
        .await
        .expect("sent")
}

async fn get<T: serde::de::DeserializeOwned>(app: &TestApp, admin: &Admin, path: &str) -> T {
    let res = app
        .client
        .get(app.url(path))
        .bearer_auth(&admin.token)
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.json().await.expect("json")
}

#[tokio::test]
async fn a_provider_admin_reads_and_lists_its_provider() {
    let app = TestApp::spawn().await;
    let a = admin(&app, "a@kakapo.example", "Kakapo Systems Limited").await;
    admin(&app, "b@other.example", "Other Provider").await;
    let provider: Provider = get(&app, &a, &format!("/api/v1/providers/{}", a.provider)).await;
    assert_eq!(provider.name, "Kakapo Systems Limited");
    assert_eq!(provider.timezone, None);
    assert_eq!(
        provider.snapshot_report_frequency,
        SnapshotReportFrequency::None
    );

    let list: Page<Provider> = get(&app, &a, "/api/v1/providers").await;
    assert_eq!(list.total, 1, "only its own provider");
    assert_eq!(list.items[0].id, a.provider);
    let found: Page<Provider> = get(&app, &a, "/api/v1/providers?search=KAKAPO").await;
    assert_eq!(found.total, 1, "case-insensitive search with wildcards");
    let none: Page<Provider> = get(&app, &a, "/api/v1/providers?search=100%25").await;
    assert_eq!(none.total, 0, "% is matched literally");
}

#[tokio::test]
async fn updates_apply_clear_and_are_recorded_with_old_and_new_values() {
    let app = TestApp::spawn().await;
    let a = admin(&app, "a@kakapo.example", "Kakapo").await;
    let res = patch(
        &app,
        &a,
        json!({
            "name": "  Kakapo Systems Limited ",
            "timezone": "America/Chicago",
            "language": "en-GB",
            "trial_duration_days": 14,
            "snapshot_report_frequency": "weekly"
        }),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let provider: Provider = res.json().await.expect("provider");
    assert_eq!(provider.name, "Kakapo Systems Limited");
    assert_eq!(provider.timezone.as_deref(), Some("America/Chicago"));
    assert_eq!(provider.trial_duration_days, 14);
    assert_eq!(
        provider.snapshot_report_frequency,
        SnapshotReportFrequency::Weekly
    );

    // null clears; absent keeps.
    let cleared: Provider = patch(&app, &a, json!({ "timezone": null }))
        .await
        .json()
        .await
        .expect("provider");
    assert_eq!(cleared.timezone, None);
    assert_eq!(cleared.language.as_deref(), Some("en-GB"));

    let history: Page<HistoryEntry> = get(
        &app,
        &a,
        &format!("/api/v1/providers/{}/history?action=update", a.provider),
    )
    .await;
    assert_eq!(history.total, 2);
    let latest = &history.items[0];
    assert_eq!(latest.action, HistoryAction::Update);
    assert_eq!(latest.actor, "a@kakapo.example");
    assert_eq!(latest.object_kind, "provider");
    assert_eq!(latest.changes.len(), 1, "{latest:?}");
    assert_eq!(latest.changes[0].field, "timezone");
    assert_eq!(latest.changes[0].old.as_deref(), Some("America/Chicago"));
    assert_eq!(latest.changes[0].new, None);
    let first = &history.items[1];
    let fields: Vec<&str> = first.changes.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "name",
            "timezone",
            "language",
            "trial_duration_days",
            "snapshot_report_frequency"
        ]
    );

    // An update that changes nothing records nothing.
    patch(&app, &a, json!({ "language": "en-GB" })).await;
    let again: Page<HistoryEntry> = get(
        &app,
        &a,
        &format!("/api/v1/providers/{}/history?action=update", a.provider),
    )
    .await;
    assert_eq!(again.total, 2);
}

#[tokio::test]
async fn invalid_fields_are_all_reported_and_nothing_is_saved() {
    let app = TestApp::spawn().await;
    let a = admin(&app, "a@kakapo.example", "Kakapo").await;
    let res = patch(
        &app,
        &a,
        json!({
            "name": "   ",
            "timezone": "Mars/Olympus",
            "language": "english",
            "trial_duration_days": 99999,
            "accounts_reference": "ok"
        }),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: ApiErrorBody = res.json().await.expect("envelope");
    assert_eq!(body.code, ErrorCode::ValidationFailed);
    let mut fields: Vec<&str> = body.fields.keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        ["language", "name", "timezone", "trial_duration_days"]
    );
    let provider: Provider = get(&app, &a, &format!("/api/v1/providers/{}", a.provider)).await;
    assert_eq!(provider.name, "Kakapo");
    assert_eq!(provider.accounts_reference, None, "no partial write");

    for (body, field) in [
        (json!({ "trial_duration_days": -1 }), "trial_duration_days"),
        (
            json!({ "snapshot_report_frequency": "hourly" }),
            "snapshot_report_frequency",
        ),
        (json!({ "nmae": "typo" }), "nmae"),
    ] {
        let res = patch(&app, &a, body.clone()).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let error: ApiErrorBody = res.json().await.expect("envelope");
        assert_eq!(error.code, ErrorCode::ValidationFailed, "{body}");
        assert!(error.message.contains(field), "{body}: {error:?}");
    }
}
