//! The in-process job worker: claims due jobs from the `jobs` table, runs up to
//! `CPAAS_JOB_CONCURRENCY` at once (jobs about one number or import one at a time, oldest
//! first), and deletes them when done. A failed attempt is retried with exponential backoff
//! until `CPAAS_JOB_MAX_ATTEMPTS`; then the failure is final and recorded where users see it.
//! A running job renews its lease; a job whose worker died is claimed again when its lease runs
//! out, so nothing is lost.

use std::collections::HashMap;
use std::time::Duration;

use actix_web::web;
use chrono::{NaiveDateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::db::models::job::{self, JobRow};
use crate::db::models::number;
use crate::error::ApiError;
use crate::services::provisioning::{self, JobError};
use crate::state::AppState;

/// What a job does, as stored in its payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    /// Configure the carrier for a new or changed assignment (R9).
    ProvisionNumber { number_id: i64 },
    /// Remove the carrier webhook of a deleted assignment (R14).
    RemoveNumber { number_id: i64 },
    /// Assign the rows of a bulk import.
    ImportNumbers { import_id: i64 },
    /// A plain-text alert mail.
    SendMail {
        to: Vec<String>,
        subject: String,
        body: String,
    },
}

impl Job {
    fn kind(&self) -> &'static str {
        match self {
            Self::ProvisionNumber { .. } => "provision_number",
            Self::RemoveNumber { .. } => "remove_number",
            Self::SendMail { .. } => "send_mail",
            Self::ImportNumbers { .. } => "import_numbers",
        }
    }

    /// Writes the job inside the caller's transaction (so it exists exactly when the change
    /// that needs it does). Jobs about the same number (whichever assignment) or import run one
    /// at a time, in order.
    pub fn enqueue(&self, conn: &mut crate::db::DbConnection) -> diesel::QueryResult<i64> {
        let subject = match self {
            Self::ProvisionNumber { number_id } | Self::RemoveNumber { number_id } => {
                Some(format!("number:{}", number::find(conn, *number_id)?.number))
            }
            Self::ImportNumbers { import_id } => Some(format!("import:{import_id}")),
            Self::SendMail { .. } => None,
        };
        let payload = serde_json::to_value(self).unwrap_or_default();
        let now = Utc::now().naive_utc();
        job::enqueue(conn, self.kind(), &payload, now, subject.as_deref())
    }
}

/// Starts the worker on the current runtime. Once `stop` turns true it claims nothing more,
/// gives the running jobs up to `CPAAS_JOB_SHUTDOWN_SECONDS` to finish, then stops the rest and
/// releases their leases, so another node (or this one, restarted) takes them at once; the
/// returned task ends then.
pub fn spawn_worker(
    state: web::Data<AppState>,
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
                        jobs.insert(running.spawn(run(state.clone(), job)).id(), held);
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

async fn run(state: web::Data<AppState>, row: JobRow) {
    let token = row.lease_token.clone().unwrap_or_default();
    let _heartbeat = Heartbeat(tokio::spawn(keep_leased(state.clone(), row.id, token)));
    attempt(&state, row).await;
}

/// How many claims a job gets: its attempts.
fn max_attempts(state: &AppState) -> i32 {
    i32::try_from(state.settings.job_max_attempts.max(1)).unwrap_or(i32::MAX)
}

async fn attempt(state: &web::Data<AppState>, row: JobRow) {
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
        noted(state, &job, row.attempts, problem.clone(), None).await;
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
    let work = async {
        match &job {
            Job::ProvisionNumber { number_id } => {
                provisioning::provision(&state.job_deps(), *number_id, row.attempts).await
            }
            Job::RemoveNumber { number_id } => {
                provisioning::remove(&state.job_deps(), *number_id).await
            }
            Job::ImportNumbers { import_id } => {
                crate::services::imports::run(&state.job_deps(), *import_id).await
            }
            Job::SendMail { to, subject, body } => state
                .mailer
                .send(&state.settings.mail_from, to, subject, body)
                .await
                .map_err(|e| {
                    if e.retryable {
                        JobError::Retry(e.detail)
                    } else {
                        JobError::Fail(e.detail)
                    }
                }),
        }
    };
    let outcome = tokio::time::timeout(limit, work).await.unwrap_or_else(|_| {
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
            noted(state, &job, row.attempts, problem.clone(), Some(at)).await;
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
            noted(state, &job, row.attempts, problem, None).await;
            finish(state, row.id, &token).await
        }
    };
    if let Err(err) = result {
        // The lease runs out and the job is claimed again.
        tracing::warn!(job = row.id, error = %err.body().message, "job state not saved");
    }
}

async fn noted(
    state: &AppState,
    job: &Job,
    attempt: i32,
    problem: String,
    next: Option<NaiveDateTime>,
) {
    let number_id = match job {
        Job::ProvisionNumber { number_id } | Job::RemoveNumber { number_id } => *number_id,
        Job::ImportNumbers { import_id } => {
            tracing::warn!(import = import_id, %problem, "import job not finished");
            if next.is_none()
                && let Err(err) =
                    crate::services::imports::failed(&state.job_deps(), *import_id).await
            {
                tracing::warn!(import = import_id, error = %err.body().message, "import state not saved");
            }
            return;
        }
        Job::SendMail { subject, .. } => {
            if next.is_none() {
                tracing::error!(%subject, %problem, "an alert mail could not be sent");
            }
            return;
        }
    };
    if let Err(err) =
        provisioning::record_failure(&state.job_deps(), number_id, attempt, problem, next).await
    {
        tracing::warn!(number = number_id, error = %err.body().message, "provisioning state not saved");
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
