//! Killing the api while provisioning jobs are pending loses nothing: started again on the same
//! database it finishes every job, each exactly once (one webhook per number at the carrier).
//! Stopping it with SIGTERM lets it release the jobs it could not finish, so a new start takes
//! them at once. The api and the simulator run as real processes. The api's
//! database is SQLite in its data dir, or a fresh database on `TEST_DATABASE_URL`'s PostgreSQL
//! server when that is set (as for the other suites).

mod common;

use std::process::Command;
use std::time::Duration;

use common::*;
use serde_json::{Value, json};

#[tokio::test]
async fn pending_jobs_survive_a_kill_and_run_exactly_once() {
    let data = tempfile::tempdir().expect("data dir");
    let (_simulator, sim) = simulator();
    let client = reqwest::Client::new();
    let post = reqwest::Method::POST;
    // Enabling messaging fails for now: the jobs are retried, so they stay pending.
    faults(
        &client,
        &sim,
        json!({ "force": "server_error", "operations": ["tnMessaging"] }),
    )
    .await;
    let jobs = [
        ("CPAAS_JOB_BACKOFF_MS", "300"),
        ("CPAAS_JOB_MAX_ATTEMPTS", "1000"),
        ("CPAAS_JOB_LEASE_SECONDS", "2"),
    ];
    let env = prepared(data.path(), &sim, "restart", &jobs);
    let (api, base, login) = serve(&client, &env).await;
    let token = token_of(&login);
    let (customer, user) = acme(&client, &base, &login).await;
    let mut ids = Vec::new();
    for number in ["2019920778", "2019920780", "2019920781"] {
        let created = json(
            &client,
            post.clone(),
            format!("{base}/api/v1/users/{}/cpaas-numbers", user["id"]),
            Some(&token),
            Some(json!({ "number": number })),
        )
        .await;
        ids.push(created["id"].as_i64().expect("id"));
    }
    // Wait until the worker has tried (and failed) at least once, then kill the api.
    let first = format!("{base}/api/v1/cpaas-numbers/{}", ids[0]);
    let tried = |n: &Value| n["provisioning"]["attempts"].as_u64().unwrap_or_default() >= 1;
    let every = (100, Duration::from_millis(100));
    poll(&client, &first, &token, every, tried).await;
    drop(api);

    // The carrier recovers; the api starts again on the same database.
    faults(&client, &sim, json!({})).await;
    let (api, base, login) = serve(&client, &env).await;
    let token = token_of(&login);
    for id in &ids {
        let url = format!("{base}/api/v1/cpaas-numbers/{id}");
        let every = (200, Duration::from_millis(100));
        let number = poll(&client, &url, &token, every, |n| {
            n["provisioning"]["state"] == "active"
        })
        .await;
        let state = &number["provisioning"]["state"];
        assert_eq!(state, "active", "number {id} finished after the restart");
    }
    for number in ["2019920778", "2019920780", "2019920781"] {
        let hooks = demo_webhooks(&client, &sim, number).await;
        assert_eq!(hooks, 1, "exactly one webhook for {number}");
    }

    // A bulk import killed halfway goes on with exactly the lines left: every line once.
    let numbers: Vec<String> = (0..40).map(|i| format!("20199230{i:02}")).collect();
    let csv = slow_import_csv(&client, &sim, &numbers, 150).await;
    let import = json(
        &client,
        post.clone(),
        format!(
            "{base}/api/v1/customers/{}/cpaas-number-imports",
            customer["id"]
        ),
        Some(&token),
        Some(json!({ "csv": csv })),
    )
    .await;
    let progress = format!("{base}/api/v1/cpaas-number-imports/{}", import["id"]);
    let halfway = |i: &Value| i["processed"].as_u64().unwrap_or_default() >= 8;
    let every = (200, Duration::from_millis(25));
    poll(&client, &progress, &token, every, halfway).await;
    drop(api);
    // Read from the database once the api is dead: the lines it had recorded.
    let recorded = {
        use cpaas_api::db::schema::number_import_rows;
        use diesel::prelude::*;
        number_import_rows::table
            .count()
            .get_result::<i64>(&mut connect(&env, data.path()))
            .expect("count")
    };
    assert!(
        (8..40).contains(&recorded),
        "killed halfway: {recorded} of 40 lines recorded"
    );
    faults(&client, &sim, json!({})).await;
    let (_api, base, login) = serve(&client, &env).await;
    let token = token_of(&login);
    let progress = format!("{base}/api/v1/cpaas-number-imports/{}", import["id"]);
    let every = (300, Duration::from_millis(100));
    let done = poll(&client, &progress, &token, every, |i| i["status"] == "done").await;
    assert_eq!(done["status"], "done", "{done}");
    assert_eq!(
        (done["processed"].as_u64(), done["assigned"].as_u64()),
        (Some(40), Some(40)),
        "{done}"
    );
    let lines: Vec<u64> = done["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["line"].as_u64().expect("line"))
        .collect();
    assert_eq!(
        lines,
        (2..42).collect::<Vec<u64>>(),
        "each line once, in order"
    );
}

#[tokio::test]
async fn sigterm_releases_unfinished_jobs_for_an_immediate_restart() {
    let data = tempfile::tempdir().expect("data dir");
    let (_simulator, sim) = simulator();
    let client = reqwest::Client::new();
    let post = reqwest::Method::POST;
    // A lease far longer than the test: a job left leased would not run again in time.
    let jobs = [
        ("CPAAS_JOB_LEASE_SECONDS", "600"),
        ("CPAAS_JOB_SHUTDOWN_SECONDS", "1"),
    ];
    let env = prepared(data.path(), &sim, "shutdown", &jobs);
    let (mut api, base, login) = serve(&client, &env).await;
    let token = token_of(&login);
    let (customer, _) = acme(&client, &base, &login).await;
    // A slow import: each line waits 400 ms on the carrier, 8 at a time.
    let numbers: Vec<String> = (0..40).map(|i| format!("20199240{i:02}")).collect();
    let csv = slow_import_csv(&client, &sim, &numbers, 400).await;
    let url = format!(
        "{base}/api/v1/customers/{}/cpaas-number-imports",
        customer["id"]
    );
    let import = json(
        &client,
        post.clone(),
        url,
        Some(&token),
        Some(json!({ "csv": csv })),
    )
    .await;
    let progress = format!("{base}/api/v1/cpaas-number-imports/{}", import["id"]);
    let started = |i: &Value| i["processed"].as_u64().unwrap_or_default() >= 8;
    poll(
        &client,
        &progress,
        &token,
        (200, Duration::from_millis(25)),
        started,
    )
    .await;

    // SIGTERM: the api stops within its grace (1 s for jobs) and exits cleanly.
    let pid = api.0.id().to_string();
    let sent = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let exited = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            if let Some(status) = api.0.try_wait().expect("waitable") {
                return status;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the api exits after SIGTERM");
    assert!(exited.success(), "{exited}");
    // The unfinished import job was released, not left leased for ten minutes.
    let leased: Vec<Option<chrono::NaiveDateTime>> = {
        use cpaas_api::db::schema::jobs;
        use diesel::prelude::*;
        jobs::table
            .filter(jobs::kind.eq("import_numbers"))
            .select(jobs::locked_until)
            .load(&mut connect(&env, data.path()))
            .expect("jobs")
    };
    assert_eq!(
        leased,
        vec![None],
        "the import's job is unfinished and free"
    );

    // Started again, the import goes on at once and every line is done once.
    faults(&client, &sim, json!({})).await;
    let (_api, base, login) = serve(&client, &env).await;
    let token = token_of(&login);
    let progress = format!("{base}/api/v1/cpaas-number-imports/{}", import["id"]);
    let every = (200, Duration::from_millis(100));
    let done = poll(&client, &progress, &token, every, |i| i["status"] == "done").await;
    assert_eq!(done["status"], "done", "{done}");
    assert_eq!(
        (done["processed"].as_u64(), done["assigned"].as_u64()),
        (Some(40), Some(40))
    );
}
