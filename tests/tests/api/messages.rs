//! The carrier's webhook and the message store (R14): inbound messages reach the number's
//! assignment once however often the carrier repeats them, the webhook refuses callers without
//! the platform's token, Delete Messages counts what it deleted, and deleting the number
//! deletes its messages.

use cpaas_shared::{
    CpaasNumber, DeletedMessages, ErrorCode, HistoryEntry, Page, ProvisioningState,
};
use cpaas_tests::{TestApp, logs};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::numbers::{World, assign, refused, settled, world};

/// Assigns `number` to the world's user and waits until the carrier delivers its messages.
async fn active(app: &TestApp, w: &World, number: &str) -> CpaasNumber {
    let res = assign(app, w, w.user, json!({ "number": number })).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let created: CpaasNumber = res.json().await.expect("number");
    settled(app, w, created.id, ProvisioningState::Active).await
}

/// The simulator sends an inbound message from the carrier to `to`'s webhook.
async fn inbound(app: &TestApp, to: &str, text: &str, reference_id: Option<&str>) -> Value {
    let result = app
        .simulator(
            Method::POST,
            "/inbound",
            Some(json!({ "from": "+13125550100", "to": to, "text": text, "reference_id": reference_id })),
        )
        .await;
    assert_eq!(result["delivered"], true, "{result}");
    assert_eq!(result["status"], 200, "{result}");
    result
}

async fn delete_messages(app: &TestApp, w: &World, id: i64) -> u64 {
    let res = app
        .call(
            &w.token,
            Method::DELETE,
            &format!("/api/v1/cpaas-numbers/{id}/messages"),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json::<DeletedMessages>().await.expect("count").deleted
}

async fn post_webhook(
    app: &TestApp,
    platform: i64,
    token: Option<&str>,
    body: &str,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(&format!("/webhooks/inteliquent/{platform}")))
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(token) = token {
        request = request.header("X-Cpaas-Webhook-Token", token);
    }
    request.send().await.expect("sent")
}

#[tokio::test]
async fn inbound_messages_are_stored_once_and_delete_messages_says_how_many_went() {
    let app = TestApp::spawn().await;
    let w = world(&app, false).await;
    let n = active(&app, &w, "2019920778").await;

    let first = inbound(&app, "2019920778", "Is the clinic open on Saturday?", None).await;
    inbound(&app, "12019920778", "Second message", None).await;
    inbound(&app, "+1 201 992 0778", "Third message", None).await;
    // The carrier repeats the first message (it saw no answer): stored once all the same.
    let id = first["reference_id"].as_str().expect("reference id");
    inbound(
        &app,
        "2019920778",
        "Is the clinic open on Saturday?",
        Some(id),
    )
    .await;

    assert_eq!(delete_messages(&app, &w, n.id).await, 3);
    assert_eq!(delete_messages(&app, &w, n.id).await, 0, "nothing left");
    // The number stays, still active, and still receives.
    let res = app
        .call(
            &w.token,
            Method::GET,
            &format!("/api/v1/cpaas-numbers/{}", n.id),
            None,
        )
        .await;
    let kept: CpaasNumber = res.json().await.expect("number");
    assert_eq!(
        (kept.end_date, kept.provisioning.state),
        (None, ProvisioningState::Active)
    );
    inbound(&app, "2019920778", "After the clean-up", None).await;
    assert_eq!(delete_messages(&app, &w, n.id).await, 1);

    // The history says who deleted how many; neither it nor the logs hold a message body.
    let res = app
        .call(
            &w.token,
            Method::GET,
            &format!("/api/v1/providers/{}/history", w.provider),
            None,
        )
        .await;
    let history: Page<HistoryEntry> = res.json().await.expect("history");
    let notes: Vec<_> = history
        .items
        .iter()
        .flat_map(|e| e.changes.iter())
        .filter(|c| c.field == "messages")
        .map(|c| c.old.clone().unwrap_or_default())
        .collect();
    assert_eq!(notes, ["1 stored", "3 stored"], "newest first");
    logs::assert_absent("Is the clinic open on Saturday?");
}

#[tokio::test]
async fn a_message_to_two_of_our_numbers_reaches_both_and_an_unknown_one_is_kept() {
    let app = TestApp::spawn().await;
    let w = world(&app, false).await;
    let a = active(&app, &w, "2019920778").await;
    let b = active(&app, &w, "2019920780").await;
    let token = app.webhook_token(w.platform).await;

    // Group MMS: both of our numbers among the recipients, numbers unquoted as in the guide.
    let group = r#"{"referenceId":"grp-1","from":13123752629,"text":"To you both",
        "to":[12019920778, 14567890232, 12019920780],
        "mediaUrls":["http://example.com/a.jpg"]}"#;
    for _ in 0..2 {
        let res = post_webhook(&app, w.platform, Some(&token), group).await;
        assert_eq!(res.status(), StatusCode::OK);
        let ack: Value = res.json().await.expect("ack");
        assert_eq!(ack, json!({ "statusCode": "200", "status": "success" }));
    }
    // A number no assignment holds: acknowledged and kept (the unassigned inbox), not lost.
    let stray =
        r#"{"referenceId":"stray-1","from":"13123752629","to":["19495418806"],"text":"Hello?"}"#;
    // Posted twice, as a carrier retry does: kept once.
    for _ in 0..2 {
        let res = post_webhook(&app, w.platform, Some(&token), stray).await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    {
        use cpaas_api::db::schema::messages as m;
        use diesel::prelude::*;
        let kept: Vec<(Option<i64>, String, String, String)> = m::table
            .filter(m::reference_id.eq("stray-1"))
            .select((m::cpaas_number_id, m::our_number, m::remote_number, m::body))
            .load(&mut app.connect())
            .expect("messages");
        let inbox = (
            None,
            "9495418806".to_owned(),
            "+13123752629".to_owned(),
            "Hello?".to_owned(),
        );
        assert_eq!(kept, [inbox], "in the unassigned inbox");
    }
    assert_eq!(delete_messages(&app, &w, a.id).await, 1);
    assert_eq!(delete_messages(&app, &w, b.id).await, 1);
    // Receipts for sends we do not know are acknowledged too (the carrier would retry them).
    let receipt = r#"{"referenceId":"unknown","from":"12019920778","to":["13123752629"],
        "text":"id:unknown sub:001 dlvrd:001 stat:DELIVRD err:000 text:","deliveryReceipt":true}"#;
    assert_eq!(
        post_webhook(&app, w.platform, Some(&token), receipt)
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(stored(&app, "unknown%"), 0, "a receipt is not a message");
}

/// How many messages the database holds in any inbox whose reference is like `reference`.
fn stored(app: &TestApp, reference: &str) -> i64 {
    use cpaas_api::db::schema::messages;
    use diesel::prelude::*;
    messages::table
        .filter(messages::reference_id.like(reference))
        .count()
        .get_result(&mut app.connect())
        .expect("count")
}

#[tokio::test]
async fn the_webhook_refuses_callers_without_the_platforms_token_and_bodies_it_cannot_read() {
    let app = TestApp::spawn().await;
    let w = world(&app, false).await;
    active(&app, &w, "2019920778").await;
    let token = app.webhook_token(w.platform).await;
    let good = r#"{"referenceId":"r-1","from":"13123752629","to":["12019920778"],"text":"Hi"}"#;

    for wrong in [None, Some("not-the-token"), Some("")] {
        let res = post_webhook(&app, w.platform, wrong, good).await;
        let body = refused(res, StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized).await;
        assert!(
            body.message.contains("X-Cpaas-Webhook-Token"),
            "{}",
            body.message
        );
    }
    // An unknown platform answers as a wrong token does: nothing tells which platforms exist.
    let res = post_webhook(&app, w.platform + 1000, Some(&token), good).await;
    let body = refused(res, StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized).await;
    assert!(
        body.message.contains("X-Cpaas-Webhook-Token"),
        "{}",
        body.message
    );
    let res = post_webhook(&app, w.platform, Some(&token), "{\"referenceId\":").await;
    refused(res, StatusCode::BAD_REQUEST, ErrorCode::MalformedJson).await;
    for (body, field) in [
        (
            r#"{"from":"13123752629","to":["12019920778"]}"#,
            "referenceId",
        ),
        (r#"{"referenceId":"r-2","to":["12019920778"]}"#, "from"),
        (
            r#"{"referenceId":"r-3","from":"13123752629","to":["42"]}"#,
            "to",
        ),
        (
            r#"{"referenceId":"r-4","from":"13123752629","to":"12019920778"}"#,
            "to",
        ),
    ] {
        let res = post_webhook(&app, w.platform, Some(&token), body).await;
        let err = refused(
            res,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::ValidationFailed,
        )
        .await;
        assert!(err.fields.contains_key(field), "{field}: {err:?}");
    }
    // None of the refused calls stored anything, in any inbox.
    assert_eq!(stored(&app, "%"), 0);
    logs::assert_absent(&token);
}

#[tokio::test]
async fn deleting_a_number_deletes_its_messages() {
    let app = TestApp::spawn().await;
    let w = world(&app, false).await;
    let n = active(&app, &w, "2019920778").await;
    inbound(&app, "2019920778", "one", None).await;
    inbound(&app, "2019920778", "two", None).await;

    let res = app
        .call(
            &w.token,
            Method::DELETE,
            &format!("/api/v1/cpaas-numbers/{}", n.id),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        delete_messages(&app, &w, n.id).await,
        0,
        "they went with the number"
    );
    let res = app
        .call(
            &w.token,
            Method::GET,
            &format!("/api/v1/customers/{}/history", w.customer),
            None,
        )
        .await;
    let history: Page<HistoryEntry> = res.json().await.expect("history");
    let deleted = history
        .items
        .iter()
        .find(|e| e.summary.ends_with("deleted") && e.object_kind == "cpaas_number")
        .expect("the deletion");
    assert!(
        deleted
            .changes
            .iter()
            .any(|c| c.field == "messages" && c.old.as_deref() == Some("2 stored")),
        "{deleted:?}"
    );
    // A later message to the number reaches no ended assignment: it waits in the inbox.
    let token = app.webhook_token(w.platform).await;
    let late = r#"{"referenceId":"late-1","from":"13123752629","to":["12019920778"],"text":"Hi?"}"#;
    let res = post_webhook(&app, w.platform, Some(&token), late).await;
    assert_eq!(res.status(), StatusCode::OK);
    use cpaas_api::db::schema::messages as m;
    use diesel::prelude::*;
    let holders: Vec<Option<i64>> = m::table
        .filter(m::reference_id.eq("late-1"))
        .select(m::cpaas_number_id)
        .load(&mut app.connect())
        .expect("messages");
    assert_eq!(
        holders,
        [None],
        "in the unassigned inbox, not the ended number"
    );
}
