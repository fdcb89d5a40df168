//! The worker: claims due jobs, runs them through [`Work`], renews their leases, retries with
//! backoff, buries jobs whose workers keep dying, and releases leases on shutdown.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use chrono::{NaiveDateTime, TimeDelta, Utc};

use super::{Job, JobError, Work};
use crate::db::models::job::{self, JobRow};
use crate::error::ApiError;
use crate::state::AppState;

/// Starts the worker on the current runtime. Once `stop` turns true it claims nothing more,
/// gives the running jobs up to `CPAAS_JOB_SHUTDOWN_SECONDS` to finish, then stops the rest and
/// releases their leases, so another node (or this one, restarted) takes them at once; the
/// returned task ends then.
pub fn spawn_worker(
    state: web::Data<AppState>,
    work: Arc<dyn Work>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let idle = Duration::from_millis(state.settings.job_poll_ms.max(10));
        // None on a node that serves requests only.
        let slots = usize::try_from(state.settings.job_concurrency).unwrap_or(1);
        let mut running = tokio::task::JoinSet::new();
        // The job each running task is about.
        let mut jobs = HashMap::new();
        while !*stop.borrow() {
            // Fill the free slots with due jobs.
            let mut problem = false;
            while running.len() < slots {
                match next(&state).await {
                    Ok(Some(job)) => {
                        let held = (job.id, job.lease_token.clone().unwrap_or_default());
                        jobs.insert(
                            running.spawn(run(state.clone(), work.clone(), job)).id(),
                            held,
                        );
                    }
                    Ok(None) => break,
                    Err(err) => {
                        tracing::warn!(error = %err.body().message, "the job worker cannot claim work");
                        problem = true;
                        break;
                    }
                }
            }
            // Then wait for a job to end, new work, the poll interval, or the stop.
            tokio::select! {
                Some(ended) = running.join_next_with_id(), if !running.is_empty() => {
                    let (task, panicked) = match ended {
                        Ok((task, ())) => (task, false),
                        Err(err) => (err.id(), err.is_panic()),
                    };
                    if let Some(held) = jobs.remove(&task)
                        && panicked
                    {
                        crashed(&state, held).await;
                    }
                }
                _ = state.jobs.notified(), if !problem => {}
                _ = stop.changed() => {}
                () = tokio::time::sleep(idle) => {}
            }
        }
        let grace = Duration::from_secs(state.settings.job_shutdown_seconds);
        let finishing = async {
            while let Some(ended) = running.join_next_with_id().await {
                jobs.remove(&ended.map_or_else(|e| e.id(), |(id, ())| id));
            }
        };
        if tokio::time::timeout(grace, finishing).await.is_err() {
            running.shutdown().await;
            let unfinished: Vec<i64> = jobs.into_values().map(|(id, _)| id).collect();
            let count = unfinished.len();
            let released = state
                .leases
                .run(move |conn| Ok::<_, ApiError>(job::release(conn, &unfinished)?))
                .await;
            match released {
                Ok(_) => tracing::info!(jobs = count, "unfinished jobs released at shutdown"),
                Err(err) => tracing::warn!(error = %err.body().message, "job leases not released"),
            }
        }
        tracing::info!("job worker stopped");
    })
}

fn lease(state: &AppState) -> TimeDelta {
    TimeDelta::seconds(i64::try_from(state.settings.job_lease_seconds.max(1)).unwrap_or(300))
}

async fn next(state: &AppState) -> Result<Option<JobRow>, ApiError> {
    let lease = lease(state);
    let token = crate::crypto::random_hex(16).map_err(ApiError::internal)?;
    state
        .leases
        .run(move |conn| {
            let now = job::now(conn)?;
            Ok::<_, ApiError>(job::claim(conn, (now, now + lease), &token)?)
        })
        .await
}

/// Renews job `id`'s lease every third of it until dropped: a long job (a big import) keeps
/// its claim; a dead worker's lease still runs out.
async fn keep_leased(state: web::Data<AppState>, id: i64, token: String) {
    let lease = lease(&state);
    let every = lease.to_std().unwrap_or(Duration::from_secs(300)) / 3;
    loop {
        tokio::time::sleep(every).await;
        let token = token.clone();
        let renewed = state
            .leases
            .run(move |conn| {
                let until = job::now(conn)? + lease;
                Ok::<_, ApiError>(job::renew(conn, (id, &token), until)?)
            })
            .await;
        match renewed {
            Ok(true) => {}
            Ok(false) => tracing::warn!(job = id, "job lease lost: another worker took the job"),
            Err(err) => {
                tracing::warn!(job = id, error = %err.body().message, "job lease not renewed");
            }
        }
    }
}

/// A job's task panicked: the job is put back with backoff (its claims still count, so one that
/// keeps dying ends up dead).
async fn crashed(state: &AppState, (id, token): (i64, String)) {
    tracing::error!(job = id, "a job panicked");
    let at = backoff(state, 1);
    let put_back = state
        .leases
        .run(move |conn| {
            Ok::<_, ApiError>(job::retry(
                conn,
                (id, &token),
                at,
                "the job failed unexpectedly",
            )?)
        })
        .await;
    if let Err(err) = put_back {
        tracing::warn!(job = id, error = %err.body().message, "job not put back after a panic");
    }
}

fn backoff(state: &AppState, attempt: i32) -> NaiveDateTime {
    let base = i64::try_from(state.settings.job_backoff_ms).unwrap_or(i64::MAX);
    let factor = 1_i64 << attempt.clamp(1, 16).saturating_sub(1);
    let delay = base.saturating_mul(factor).min(3_600_000);
    Utc::now().naive_utc() + TimeDelta::milliseconds(delay)
}

/// Stops a job's lease renewal when the job ends, however it ends (a panic included: its lease
/// then runs out and the job is tried again).
struct Heartbeat(tokio::task::JoinHandle<()>);

impl Drop for Heartbeat {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn run(state: web::Data<AppState>, work: Arc<dyn Work>, row: JobRow) {
    let token = row.lease_token.clone().unwrap_or_default();
    let _heartbeat = Heartbeat(tokio::spawn(keep_leased(state.clone(), row.id, token)));
    attempt(&state, work.as_ref(), row).await;
}

/// How many claims a job gets: its attempts.
fn max_attempts(state: &AppState) -> i32 {
    i32::try_from(state.settings.job_max_attempts.max(1)).unwrap_or(i32::MAX)
}

async fn attempt(state: &web::Data<AppState>, work: &dyn Work, row: JobRow) {
    let token = row.lease_token.clone().unwrap_or_default();
    let job: Job = match serde_json::from_str(&row.payload) {
        Ok(job) => job,
        Err(err) => {
            tracing::error!(job = row.id, kind = %row.kind, error = %err, "unreadable job dropped");
            let _ = finish(state, row.id, &token).await;
            return;
        }
    };
    let max = max_attempts(state);
    if row.attempts > max {
        // Claimed more often than allowed and never finished: its workers kept dying.
        state.metrics.job(&row.kind, "dead");
        let problem = format!("gave up after {max} attempts that never finished");
        tracing::error!(job = row.id, kind = %row.kind, %problem, "job is dead");
        work.noted(&job, row.attempts, problem.clone(), None).await;
        let (id, at) = (row.id, Utc::now().naive_utc());
        let buried = state
            .leases
            .run(move |conn| Ok::<_, ApiError>(job::bury(conn, (id, &token), at, &problem)?))
            .await;
        if let Err(err) = buried {
            tracing::warn!(job = row.id, error = %err.body().message, "dead job not recorded");
        }
        return;
    }
    let limit = Duration::from_secs(state.settings.job_timeout_seconds.max(1));
    let attempted = work.run(&job, row.attempts);
    let outcome = tokio::time::timeout(limit, attempted)
        .await
        .unwrap_or_else(|_| {
            Err(JobError::Retry(format!(
                "the attempt took longer than {} s",
                limit.as_secs()
            )))
        });
    state.metrics.job(
        &row.kind,
        match &outcome {
            Ok(()) => "done",
            Err(JobError::Retry(_)) if row.attempts < max => "retried",
            Err(_) => "failed",
        },
    );
    let result = match outcome {
        Ok(()) => finish(state, row.id, &token).await,
        Err(JobError::Retry(problem)) if row.attempts < max => {
            let at = backoff(state, row.attempts);
            tracing::info!(job = row.id, kind = %row.kind, attempt = row.attempts, %problem, "job will be retried");
            work.noted(&job, row.attempts, problem.clone(), Some(at))
                .await;
            let (id, token) = (row.id, token.clone());
            state
                .leases
                .run(move |conn| {
                    lost(id, job::retry(conn, (id, &token), at, &problem)?);
                    Ok::<_, ApiError>(())
                })
                .await
        }
        Err(JobError::Retry(problem) | JobError::Fail(problem)) => {
            tracing::warn!(job = row.id, kind = %row.kind, attempt = row.attempts, %problem, "job failed for good");
            work.noted(&job, row.attempts, problem, None).await;
            finish(state, row.id, &token).await
        }
    };
    if let Err(err) = result {
        // The lease runs out and the job is claimed again.
        tracing::warn!(job = row.id, error = %err.body().message, "job state not saved");
    }
}

async fn finish(state: &AppState, id: i64, token: &str) -> Result<(), ApiError> {
    let token = token.to_owned();
    state
        .leases
        .run(move |conn| {
            lost(id, job::complete(conn, (id, &token))?);
            Ok::<_, ApiError>(())
        })
        .await
}

/// Notes a change refused because the claim no longer held the job's lease.
fn lost(id: i64, kept: bool) {
    if !kept {
        tracing::warn!(
            job = id,
            "job lease lost meanwhile: another worker has the job"
        );
    }
}
