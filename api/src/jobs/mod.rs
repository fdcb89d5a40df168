//! The in-process job worker: claims due jobs from the `jobs` table, runs up to
//! `CPAAS_JOB_CONCURRENCY` at once (jobs about one number or import one at a time, oldest
//! first), and deletes them when done. A failed attempt is retried with exponential backoff
//! until `CPAAS_JOB_MAX_ATTEMPTS`; then the failure is final and recorded where users see it.
//! A running job renews its lease; a job whose worker died is claimed again when its lease runs
//! out, so nothing is lost.

mod worker;

use chrono::{NaiveDateTime, Utc};
use futures_util::future::BoxFuture;
use serde::{Deserialize, Serialize};

use crate::carrier::CarrierError;
use crate::db::models::job;
use crate::db::models::number;
use crate::error::ApiError;

pub use worker::spawn_worker;

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

/// Why a job did not finish.
#[derive(Debug)]
pub enum JobError {
    /// Try again later (carrier busy, down or slow; database unavailable).
    Retry(String),
    /// Trying again would not help.
    Fail(String),
}

impl From<CarrierError> for JobError {
    fn from(err: CarrierError) -> Self {
        if err.retryable() {
            Self::Retry(err.to_string())
        } else {
            Self::Fail(err.to_string())
        }
    }
}

/// A job's `ApiError`: tried again when [`ApiError::transient`], failed for good otherwise.
/// Its cause goes to the log here (no response will log it); the number's state and the alert
/// mail carry only the public message.
impl From<ApiError> for JobError {
    fn from(err: ApiError) -> Self {
        tracing::warn!(code = %err.code(), cause = %err.cause(), "job step failed");
        let problem = err.body().message.clone();
        if err.transient() {
            Self::Retry(problem)
        } else {
            Self::Fail(problem)
        }
    }
}

/// What the jobs do: the worker claims, times, retries and records them, and hands each attempt
/// to this (the composition root wires it to the services), so the worker knows no use case.
pub trait Work: Send + Sync {
    /// One attempt at `job` (its `attempt`th claim).
    fn run<'a>(&'a self, job: &'a Job, attempt: i32) -> BoxFuture<'a, Result<(), JobError>>;

    /// Records a failed attempt where users see it: retried at `next`, or final when `None`.
    fn noted<'a>(
        &'a self,
        job: &'a Job,
        attempt: i32,
        problem: String,
        next: Option<NaiveDateTime>,
    ) -> BoxFuture<'a, ()>;
}
