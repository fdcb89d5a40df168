//! Two `cpaas serve` processes on one database, as a deployment runs several nodes behind a
//! load balancer: a job enqueued through either runs exactly once; a webhook delivered to
//! either is stored once; and on PostgreSQL a node that runs jobs is woken by a job committed on
//! the other (`NOTIFY`) instead of waiting for its poll, here set to a minute. On SQLite (one
//! file, no `NOTIFY`) the same runs with a short poll. The database follows `TEST_DATABASE_URL`
//! as in the other suites.

mod common;

use std::time::Duration;

use common::*;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};

/// The api's sealing key in `prepared`'s environment.
fn secret_key(env: &[(&str, String)]) -> SecretString {
    let (_, key) = env
        .iter()
        .find(|(k, _)| *k == "CPAAS_SECRET_KEY")
        .expect("prepared sets the key");
    SecretString::from(key.clone())
}

#[tokio::test]
async fn two_nodes_on_one_database_share_the_work_and_wake_each_other() {
    let data = tempfile::tempdir().expect("data dir");
    let (_simulator, sim) = simulator();
    let client = reqwest::Client::new();
    let postgres = std::env::var("TEST_DATABASE_URL").is_ok();
    let poll_ms = if postgres { "60000" } else { "200" };
    let env = prepared(
        data.path(),
        &sim,
        "nodes",
        &[("CPAAS_JOB_POLL_MS", poll_ms)],
    );
    // Node A serves requests only; node B also runs the jobs.
    let mut requests_only = env.clone();
    requests_only.push(("CPAAS_JOB_CONCURRENCY", "0".to_owned()));
    let (_a, a, login) = serve(&client, &requests_only).await;
    let (_b, b, _) = serve(&client, &env).await;
    let token = token_of(&login);
    let (_, user) = acme(&client, &a, &login).await;

    // One number enqueued through each node, the second once the first is done. A runs no
    // jobs, so B runs both; with a minute's poll, the first within seconds only if A's commit
    // woke it.
    for (node, number) in [(&a, "2019920778"), (&b, "2019920780")] {
        let url = format!("{node}/api/v1/users/{}/cpaas-numbers", user["id"]);
        let body = Some(json!({ "number": number }));
        let created = json(&client, reqwest::Method::POST, url, Some(&token), body).await;
        let id = created["id"].as_i64().expect("id");
        let url = format!("{b}/api/v1/cpaas-numbers/{id}");
        let every = (100, Duration::from_millis(100));
        let active = |n: &Value| n["provisioning"]["state"] == "active";
        let number = poll(&client, &url, &token, every, active).await;
        assert_eq!(
            number["provisioning"]["state"], "active",
            "number {id} provisioned within 10 s: {number}"
        );
        assert_eq!(number["provisioning"]["attempts"], 1, "run once: {number}");
    }
    for number in ["2019920778", "2019920780"] {
        let hooks = demo_webhooks(&client, &sim, number).await;
        assert_eq!(hooks, 1, "exactly one webhook for {number}");
    }

    // The carrier repeats a message to both nodes: it is stored once.
    let provider = &login["account"]["organization_id"];
    let platforms = json(
        &client,
        reqwest::Method::GET,
        format!("{a}/api/v1/providers/{provider}/cpaas-platforms"),
        Some(&token),
        None,
    )
    .await;
    let platform = platforms["items"][0]["id"].as_i64().expect("platform");
    let webhook_token = {
        use cpaas_api::db::models::platform as platforms;
        let row = platforms::find(&mut connect(&env, data.path()), platform).expect("row");
        let keys =
            cpaas_api::crypto::SecretBox::load(Some(&secret_key(&env)), data.path()).expect("keys");
        cpaas_api::services::provisioning::stored_webhook_token(&row, &keys)
            .expect("opens")
            .expect("set by the first provisioning")
    };
    let message =
        r#"{"referenceId":"two-nodes-1","from":"13123752629","to":["12019920778"],"text":"Hi"}"#;
    for node in [&a, &b, &a] {
        let res = client
            .post(format!("{node}/webhooks/inteliquent/{platform}"))
            .header(
                cpaas_api::services::provisioning::WEBHOOK_HEADER,
                webhook_token.expose_secret(),
            )
            .header("content-type", "application/json")
            .body(message)
            .send()
            .await
            .expect("sent");
        assert!(res.status().is_success(), "{node}: {}", res.status());
    }
    let stored: i64 = {
        use cpaas_api::db::schema::messages;
        use diesel::prelude::*;
        messages::table
            .filter(messages::reference_id.eq("two-nodes-1"))
            .count()
            .get_result(&mut connect(&env, data.path()))
            .expect("count")
    };
    assert_eq!(stored, 1, "one message, whichever node took it");
}
