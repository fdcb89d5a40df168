//! Requests, the jobs' work and the job worker's leases each draw on a database pool of their
//! own: with the jobs' pool exhausted (an import at full tilt), requests are still served and
//! the worker still claims jobs and renews leases.

use std::time::Duration;

use cpaas_api::error::ApiError;
use cpaas_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::numbers::world;

#[tokio::test]
async fn a_busy_job_pool_starves_neither_requests_nor_leases() {
    // One connection each, so holding one is holding the whole pool.
    let app = TestApp::spawn_with(|s| {
        s.database_pool_size = 1;
        s.job_pool_size = 1;
        s.job_lease_seconds = 3;
    })
    .await;
    let w = world(&app, false).await;
    // Hold the jobs' only connection past the pool's 5 s wait: were the pools one, every
    // request meanwhile would answer 503. (A read: on SQLite a write would hold the one write
    // lock too, which no pool can share.)
    let background = app.state.background.clone();
    let held = tokio::spawn(async move {
        background
            .read(|_| {
                std::thread::sleep(Duration::from_secs(7));
                Ok::<_, ApiError>(())
            })
            .await
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let path = format!("/api/v1/users/{}/cpaas-numbers", w.user);
    let res = app
        .call(
            &w.token,
            Method::POST,
            &path,
            Some(json!({ "number": "2019920778" })),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED, "served meanwhile");
    // The worker claims the job on its own pool, though the job's work waits for the jobs'
    // pool, and renews its lease (a third of 3 s) while it waits.
    let lease = || {
        use cpaas_api::db::schema::jobs;
        use diesel::prelude::*;
        jobs::table
            .select(jobs::locked_until)
            .first::<Option<chrono::NaiveDateTime>>(&mut app.connect())
            .expect("the job")
    };
    let mut claimed = None;
    for _ in 0..40 {
        claimed = lease();
        if claimed.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let claimed = claimed.expect("claimed while the jobs' pool was held");
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let renewed = lease().expect("still leased");
    assert!(renewed > claimed, "renewed: {claimed} then {renewed}");
    assert!(!held.is_finished(), "all the while the jobs' pool was held");
    held.await.expect("joined").expect("held and released");
}
