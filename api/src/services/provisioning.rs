//! Carrier configuration of a number (R9), run by the job worker: enable messaging when the
//! number lacks it, replace any webhook the number already has with ours (URL from
//! `CPAAS_PUBLIC_URL` plus the platform's path, the platform's own header), then `active`.
//! Every step is safe to repeat, so a job run twice (after a crash) ends in the same state.

use chrono::Utc;
use diesel::Connection;
use secrecy::{ExposeSecret, SecretString};

use crate::carrier::{MessagingType, WebhookSpec};
use crate::db::models::number::{self, NumberRow};
use crate::db::models::platform::{self, PlatformRow};
use crate::error::ApiError;
use crate::jobs::JobError;
use crate::services::deps::Deps;
use crate::services::platforms;

/// The header the carrier sends back to our webhook (its value is the platform's token).
pub const WEBHOOK_HEADER: &str = "X-Cpaas-Webhook-Token";

/// The webhook URL of a platform.
pub fn webhook_url(public_url: &str, platform_id: i64) -> String {
    format!("{public_url}/webhooks/inteliquent/{platform_id}")
}

/// The length of every webhook token (24 random bytes in hex).
pub const WEBHOOK_TOKEN_LEN: usize = 48;

fn token_context(row: &PlatformRow) -> String {
    crate::services::platforms::context("webhook_token", row)
}

/// The platform's stored webhook token, opened; `None` before its first number was provisioned.
pub fn stored_webhook_token(
    row: &PlatformRow,
    keys: &crate::crypto::SecretBox,
) -> Result<Option<SecretString>, ApiError> {
    row.webhook_token
        .as_ref()
        .map(|sealed| {
            keys.open(&token_context(row), sealed)
                .map_err(ApiError::internal)
        })
        .transpose()
}

/// The platform's webhook token, created (and stored sealed) on first use; when two jobs race,
/// the first stored token wins and both use it.
async fn webhook_token(deps: &Deps, row: &PlatformRow) -> Result<SecretString, JobError> {
    let context = token_context(row);
    let sealed = match &row.webhook_token {
        Some(sealed) => sealed.clone(),
        None => {
            let token = crate::crypto::random_hex(WEBHOOK_TOKEN_LEN / 2)
                .map_err(|e| JobError::Retry(format!("no randomness: {e}")))?;
            let sealed = deps
                .secrets
                .seal(&context, &token)
                .map_err(|e| JobError::Fail(e.to_string()))?;
            let id = row.id;
            deps.db
                .run(move |conn| {
                    platform::set_webhook_token(conn, id, &sealed)?;
                    Ok::<_, ApiError>(platform::find(conn, id)?.webhook_token)
                })
                .await?
                .ok_or_else(|| JobError::Retry("the webhook token was not stored".to_owned()))?
        }
    };
    deps.secrets
        .open(&context, &sealed)
        .map_err(|e| JobError::Fail(e.to_string()))
}

async fn load(deps: &Deps, id: i64) -> Result<(NumberRow, PlatformRow), JobError> {
    deps.db
        .run(move |conn| {
            let row = number::find(conn, id)?;
            let platform_id = row
                .platform_id
                .ok_or_else(|| ApiError::internal("the number's platform was deleted"))?;
            let platform = platform::find(conn, platform_id)?;
            Ok::<_, ApiError>((row, platform))
        })
        .await
        .map_err(JobError::from)
}

/// Configures the carrier for number assignment `id`.
pub async fn provision(deps: &Deps, id: i64, attempt: i32) -> Result<(), JobError> {
    let (row, platform_row) = load(deps, id).await?;
    if row.end_date.is_some() {
        return Ok(()); // deleted meanwhile: the removal job cleans up
    }
    let secrets = platforms::open(&platform_row, &deps.secrets)?;
    let token = webhook_token(deps, &platform_row).await?;
    let carrier = deps.carrier.as_ref();
    let detail = carrier
        .number_detail(&secrets.account, &row.number)
        .await?
        .ok_or_else(|| {
            JobError::Fail(format!(
                "{} is no longer on the Inteliquent account",
                row.number
            ))
        })?;
    let kind = match row.messaging() {
        cpaas_shared::MessagingType::Sms => MessagingType::Sms,
        cpaas_shared::MessagingType::MmsSms => MessagingType::MmsSms,
    };
    let has_it = detail
        .messaging
        .as_ref()
        .is_some_and(|(_, t)| kind == MessagingType::Sms || t.contains("MMS"));
    if !has_it {
        carrier
            .enable_messaging(&secrets.account, &row.number, kind)
            .await?;
    }
    for stale in carrier
        .list_webhooks(&secrets.outbound)
        .await?
        .into_iter()
        .filter(|hook| hook.number.as_deref() == Some(row.number.as_str()))
    {
        carrier
            .remove_webhook(&secrets.outbound, &stale.auth_id)
            .await?;
    }
    let spec = WebhookSpec {
        number: row.number.clone(),
        url: webhook_url(&deps.public_url, platform_row.id),
        header_name: WEBHOOK_HEADER.to_owned(),
        header_value: SecretString::from(token.expose_secret().to_owned()),
    };
    let auth_id = carrier.add_webhook(&secrets.outbound, &spec).await?;
    deps.db
        .run(move |conn| {
            conn.transaction(|conn| {
                number::lock(conn, id)?;
                let mut current = number::find(conn, id)?;
                if current.end_date.is_none() {
                    current.provisioning_state = "active".to_owned();
                    current.provisioning_detail = None;
                    current.provisioning_attempts = attempt;
                    current.provisioning_updated_at = Utc::now().naive_utc();
                    current.webhook_auth_id = Some(auth_id);
                    number::save(conn, &current)?;
                }
                Ok::<_, diesel::result::Error>(())
            })
            .map_err(ApiError::from)
        })
        .await?;
    Ok(())
}

/// Removes the carrier webhook of ended assignment `id` (R14: the number is deleted).
pub async fn remove(deps: &Deps, id: i64) -> Result<(), JobError> {
    let (row, platform_row) = load(deps, id).await?;
    let secrets = platforms::open(&platform_row, &deps.secrets)?;
    let carrier = deps.carrier.as_ref();
    // Only our own webhook, and only while no newer assignment of the number has replaced it.
    let newer = {
        let number = row.number.clone();
        deps.db
            .run(move |conn| Ok::<_, ApiError>(number::active(conn, &number)?.is_some()))
            .await?
    };
    if !newer {
        for hook in carrier
            .list_webhooks(&secrets.outbound)
            .await?
            .into_iter()
            .filter(|hook| {
                Some(&hook.auth_id) == row.webhook_auth_id.as_ref()
                    || hook.number.as_deref() == Some(row.number.as_str())
            })
        {
            carrier
                .remove_webhook(&secrets.outbound, &hook.auth_id)
                .await?;
        }
    }
    deps.db
        .run(move |conn| {
            conn.transaction(|conn| {
                number::lock(conn, id)?;
                let mut current = number::find(conn, id)?;
                current.provisioning_state = "removed".to_owned();
                current.provisioning_detail = None;
                current.provisioning_updated_at = Utc::now().naive_utc();
                number::save(conn, &current)?;
                Ok::<_, ApiError>(())
            })
        })
        .await?;
    Ok(())
}

/// Notes a failed attempt on the number: retrying (`next` set) or failed for good.
pub async fn record_failure(
    deps: &Deps,
    id: i64,
    attempt: i32,
    problem: String,
    next: Option<chrono::NaiveDateTime>,
) -> Result<(), ApiError> {
    deps.db
        .run(move |conn| {
            conn.transaction(|conn| {
                number::lock(conn, id)?;
                let mut current = number::find(conn, id)?;
                if current.end_date.is_some() && current.provisioning_state != "removing" {
                    return Ok(());
                }
                current.provisioning_attempts = attempt;
                current.provisioning_updated_at = Utc::now().naive_utc();
                current.provisioning_detail = Some(match next {
                    Some(at) => format!(
                        "Attempt {attempt} failed: {problem}. Trying again at {} UTC.",
                        at.format("%H:%M:%S")
                    ),
                    None => format!("Failed after {attempt} attempt(s): {problem}."),
                });
                let failed = next.is_none() && current.provisioning_state == "pending";
                if failed {
                    current.provisioning_state = "failed".to_owned();
                }
                let saved = number::save(conn, &current)?;
                if failed {
                    alert_failure(conn, &saved)?;
                }
                Ok::<_, ApiError>(())
            })
        })
        .await
}

/// Mails the provider's Send-Alerts accounts that a number could not be provisioned (in the
/// caller's transaction, through a job).
fn alert_failure(conn: &mut crate::db::DbConnection, row: &NumberRow) -> Result<(), ApiError> {
    let Some(provider) = crate::db::models::organization::provider_of(&row.scope_path) else {
        return Ok(());
    };
    let to = crate::db::models::portal_account::alert_emails(conn, provider)?;
    if to.is_empty() {
        return Ok(());
    }
    let shown = cpaas_shared::PhoneNumber::display(&row.number);
    let body = format!(
        "The CPaaS number {shown} (\"{}\", assigned to {}) could not be configured on the carrier.\n\n{}\n\nCheck the number and the CPaaS platform, then delete and assign the number again.\n",
        row.friendly_name,
        row.consumer_name,
        row.provisioning_detail.clone().unwrap_or_default(),
    );
    crate::jobs::Job::SendMail {
        to,
        subject: format!("CPaaS number {shown} could not be provisioned"),
        body,
    }
    .enqueue(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_tries_again_only_what_may_succeed_later() {
        let retried = |err: ApiError| matches!(JobError::from(err), JobError::Retry(_));
        assert!(retried(ApiError::unavailable("database", "pool timed out")));
        assert!(retried(ApiError::internal("disk full")));
        assert!(retried(ApiError::new(
            cpaas_shared::ErrorCode::CarrierUnreachable,
            "The carrier did not answer."
        )));
        assert!(!retried(ApiError::not_found("There is no number 7.")));
        assert!(!retried(ApiError::new(
            cpaas_shared::ErrorCode::ValidationFailed,
            "The number is invalid."
        )));
    }

    #[test]
    fn a_job_keeps_the_cause_of_an_internal_error_out_of_its_state() {
        let JobError::Retry(problem) = JobError::from(ApiError::internal("secret detail")) else {
            panic!("an internal error is tried again");
        };
        assert!(!problem.contains("secret detail"), "{problem}");
    }
}
