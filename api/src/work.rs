//! What each job does, wired to the services: the composition root's side of
//! [`crate::jobs::Work`], so the worker knows no use case and the services know no worker.

use actix_web::web;
use chrono::NaiveDateTime;
use futures_util::FutureExt;
use futures_util::future::BoxFuture;

use crate::jobs::{Job, JobError, Work};
use crate::services::{imports, provisioning};
use crate::state::AppState;

pub struct Dispatch(pub web::Data<AppState>);

impl Work for Dispatch {
    fn run<'a>(&'a self, job: &'a Job, attempt: i32) -> BoxFuture<'a, Result<(), JobError>> {
        let state = &self.0;
        async move {
            let deps = state.job_deps();
            match job {
                Job::ProvisionNumber { number_id } => {
                    provisioning::provision(&deps, *number_id, attempt).await
                }
                Job::RemoveNumber { number_id } => provisioning::remove(&deps, *number_id).await,
                Job::ImportNumbers { import_id } => imports::run(&deps, *import_id).await,
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
        }
        .boxed()
    }

    fn noted<'a>(
        &'a self,
        job: &'a Job,
        attempt: i32,
        problem: String,
        next: Option<NaiveDateTime>,
    ) -> BoxFuture<'a, ()> {
        let deps = self.0.job_deps();
        async move {
            let number_id = match job {
                Job::ProvisionNumber { number_id } | Job::RemoveNumber { number_id } => *number_id,
                Job::ImportNumbers { import_id } => {
                    tracing::warn!(import = import_id, %problem, "import job not finished");
                    if next.is_none()
                        && let Err(err) = imports::failed(&deps, *import_id).await
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
                provisioning::record_failure(&deps, number_id, attempt, problem, next).await
            {
                tracing::warn!(number = number_id, error = %err.body().message, "provisioning state not saved");
            }
        }
        .boxed()
    }
}
