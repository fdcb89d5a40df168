//! Queues and media streams (R10): defaults as in the guide's form, updates with history,
//! deletes refused while something hangs from the parent.

use cpaas_shared::{
    ApiErrorBody, HistoryEntry, LoginResponse, MediaStream, MediaType, Page, Queue,
};
use cpaas_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";

#[tokio::test]
async fn queues_and_streams_lifecycle() {
    let app = TestApp::spawn().await;
    app.create_admin("a@kakapo.example", PASSWORD, "Kakapo");
    let login: LoginResponse = app
        .login("a@kakapo.example", PASSWORD)
        .await
        .json()
        .await
        .expect("login");
    let token = login.access_token.as_str();
    let provider = login.account.organization_id;
    let customer = app
        .call(
            token,
            Method::POST,
            &format!("/api/v1/providers/{provider}/customers"),
            Some(json!({ "name": "Acme" })),
        )
        .await
        .json::<Value>()
        .await
        .expect("customer")["id"]
        .as_i64()
        .expect("id");

    let res = app
        .call(
            token,
            Method::POST,
            &format!("/api/v1/customers/{customer}/queues"),
            Some(json!({ "name": "Support" })),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let queue: Queue = res.json().await.expect("queue");
    let res = app.call( token, Method::POST, &format!("/api/v1/queues/{}/media-streams", queue.id),
        Some(json!({ "name": "Text us", "media_type": "sms", "timezone": "Europe/London", "language": "en-GB" }))).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let stream: MediaStream = res.json().await.expect("stream");
    assert_eq!(stream.media_type, MediaType::Sms);
    assert!(
        stream.conversation_can_be_transferred && !stream.conversation_can_be_escalated,
        "the guide's defaults"
    );
    assert_eq!(stream.in_office_profile, "Always online");

    let res = app.call(
        token,
        Method::PATCH,
        &format!("/api/v1/media-streams/{}", stream.id),
        Some(
            json!({ "conversation_can_be_escalated": true, "reopen_conversation_on_reply": true }),
        ),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let updated: MediaStream = res.json().await.expect("stream");
    assert!(updated.conversation_can_be_escalated && updated.reopen_conversation_on_reply);
    let listed: Page<MediaStream> = app
        .call(
            token,
            Method::GET,
            &format!("/api/v1/queues/{}/media-streams", queue.id),
            None,
        )
        .await
        .json()
        .await
        .expect("page");
    assert_eq!(listed.items, std::slice::from_ref(&updated));
    let queues: Page<Queue> = app
        .call(
            token,
            Method::GET,
            &format!("/api/v1/customers/{customer}/queues"),
            None,
        )
        .await
        .json()
        .await
        .expect("page");
    assert_eq!(queues.items, std::slice::from_ref(&queue));

    for (path, what) in [
        (format!("/api/v1/queues/{}", queue.id), "media stream"),
        (format!("/api/v1/customers/{customer}"), "queue"),
    ] {
        let res = app.call(token, Method::DELETE, &path, None).await;
        assert_eq!(res.status(), StatusCode::CONFLICT, "{path}");
        let body: ApiErrorBody = res.json().await.expect("envelope");
        assert!(body.message.contains(what), "{body:?}");
    }
    for path in [
        format!("/api/v1/media-streams/{}", stream.id),
        format!("/api/v1/queues/{}", queue.id),
    ] {
        assert_eq!(
            app.call(token, Method::DELETE, &path, None).await.status(),
            StatusCode::NO_CONTENT,
            "{path}"
        );
    }
    let history: Page<HistoryEntry> = app
        .call(
            token,
            Method::GET,
            &format!("/api/v1/customers/{customer}/history"),
            None,
        )
        .await
        .json()
        .await
        .expect("page");
    let summaries: Vec<&str> = history.items.iter().map(|e| e.summary.as_str()).collect();
    assert_eq!(
        summaries,
        [
            "Queue Support deleted",
            "Media stream Text us deleted",
            "Media stream Text us updated",
            "Media stream Text us created",
            "Queue Support created",
            "Customer Acme created",
        ]
    );
}

#[tokio::test]
async fn streams_need_a_name_and_a_known_media_type() {
    let app = TestApp::spawn().await;
    app.create_admin("a@kakapo.example", PASSWORD, "Kakapo");
    let login: LoginResponse = app
        .login("a@kakapo.example", PASSWORD)
        .await
        .json()
        .await
        .expect("login");
    let token = login.access_token.as_str();
    let provider = login.account.organization_id;
    let customer = app
        .call(
            token,
            Method::POST,
            &format!("/api/v1/providers/{provider}/customers"),
            Some(json!({ "name": "Acme" })),
        )
        .await
        .json::<Value>()
        .await
        .expect("customer")["id"]
        .as_i64()
        .expect("id");
    let queue = app
        .call(
            token,
            Method::POST,
            &format!("/api/v1/customers/{customer}/queues"),
            Some(json!({ "name": "Q" })),
        )
        .await
        .json::<Value>()
        .await
        .expect("queue")["id"]
        .as_i64()
        .expect("id");
    let path = format!("/api/v1/queues/{queue}/media-streams");
    for (body, field) in [
        (json!({}), "media_type"),
        (json!({ "media_type": "sms" }), "name"),
        (json!({ "name": "S", "media_type": "fax" }), "media_type"),
        (
            json!({ "name": "S", "media_type": "sms", "timezone": "Moon/Base" }),
            "timezone",
        ),
    ] {
        let res = app
            .call(token, Method::POST, &path, Some(body.clone()))
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let error: ApiErrorBody = res.json().await.expect("envelope");
        assert!(error.fields.contains_key(field), "{body}: {error:?}");
    }
    let res = app
        .call(
            token,
            Method::POST,
            &format!("/api/v1/customers/{customer}/queues"),
            Some(json!({ "name": " " })),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
