//! The client side of R12: end users sign in with their user id and the password an admin
//! set, list their numbers, and accept or decline SMS on the ones awaiting a decision. A
//! decline mails every Send-Alerts account of the provider (through a job).

use chrono::Utc;
use cpaas_shared::{
    ClientLoginRequest, ClientLoginResponse, ClientUser, ErrorCode, FieldChange, HistoryAction,
    OptInDecision, PhoneNumber,
};
use diesel::{Connection, OptionalExtension};

use crate::auth::{Audience, password};
use crate::db::DbConnection;
use crate::db::models::end_user::{self, EndUserRow};
use crate::db::models::history::{self, NewEntry};
use crate::db::models::number::{self, NumberRow};
use crate::db::models::{organization, portal_account};
use crate::error::ApiError;
use crate::jobs::Job;
use crate::services::accounts;
use crate::state::AppState;

fn wrong() -> ApiError {
    ApiError::new(ErrorCode::Unauthorized, "The user id or password is wrong.")
}

/// Signs an end user in; unknown ids and wrong passwords take the same time and answer alike.
/// Repeated failures lock the user for a while, as for portal accounts.
pub async fn login(
    state: &AppState,
    request: ClientLoginRequest,
) -> Result<ClientLoginResponse, ApiError> {
    let user_id = request.user_id.trim().to_owned();
    let candidates = state
        .db
        .run(move |conn| Ok::<_, ApiError>(end_user::for_sign_in(conn, &user_id)?))
        .await?;
    let now = Utc::now().naive_utc();
    let locks: Vec<_> = candidates
        .iter()
        .filter_map(|(_, hash, lock)| hash.as_ref().and(*lock))
        .collect();
    let open: Vec<(EndUserRow, String)> = candidates
        .into_iter()
        .filter(|(_, _, lock)| lock.is_none_or(|until| until <= now))
        .filter_map(|(row, hash, _)| Some((row, hash?)))
        .collect();
    if open.is_empty()
        && let Some(until) = locks.into_iter().filter(|until| *until > now).max()
    {
        return Err(accounts::too_many_attempts(until, now));
    }
    let secret = request.password;
    let tried: Vec<i64> = open.iter().map(|(row, _)| row.id).collect();
    let found = password::limited(move || {
        if open.is_empty() {
            password::verify(&secret, &password::DUMMY_HASH);
        }
        open.into_iter()
            .find(|(_, hash)| password::verify(&secret, hash))
            .map(|(row, _)| row)
    })
    .await?;
    state
        .db
        .run(move |conn| {
            conn.transaction(|conn| {
                // A success clears the user it signed in; only a failure counts against every
                // user the id could name (one per provider).
                if let Some(row) = &found {
                    return Ok::<_, ApiError>(end_user::set_throttle(conn, row.id, 0, None)?);
                }
                for id in tried {
                    let failures = end_user::count_failure(conn, id)?;
                    let lock = accounts::lock_after(failures).map(|lock| now + lock);
                    end_user::set_throttle(conn, id, failures, lock)?;
                }
                Ok(())
            })?;
            Ok::<_, ApiError>(found)
        })
        .await?
        .ok_or_else(wrong)
        .and_then(|found| issue(state, found))
}

fn issue(state: &AppState, found: EndUserRow) -> Result<ClientLoginResponse, ApiError> {
    let (access_token, expires_in) = state
        .tokens
        .issue(Audience::Client, found.id, found.token_version)
        .map_err(ApiError::internal)?;
    tracing::info!(end_user = found.id, "client sign-in");
    Ok(ClientLoginResponse {
        access_token,
        token_type: "Bearer".to_owned(),
        expires_in,
        user: ClientUser {
            id: found.id,
            user_id: found.user_id,
            name: found.name,
        },
    })
}

/// The signed-in user's active numbers.
pub fn numbers(conn: &mut DbConnection, client: &EndUserRow) -> Result<Vec<NumberRow>, ApiError> {
    Ok(number::active_of_user_rows(conn, client.id)?)
}

/// Records the user's decision on a number awaiting one (R12).
pub fn decide(
    conn: &mut DbConnection,
    client: &EndUserRow,
    id: i64,
    decision: OptInDecision,
) -> Result<NumberRow, ApiError> {
    conn.transaction(|conn| {
        number::lock(conn, id)?;
        let missing = || ApiError::not_found(format!("There is no CPaaS number {id}."));
        let mut row = number::find(conn, id).optional()?.ok_or_else(missing)?;
        if row.end_user_id != Some(client.id) || row.end_date.is_some() {
            return Err(missing());
        }
        if row.opt_in_state != "pending" {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                "No decision is awaited for this number.",
            ));
        }
        let now = Utc::now().naive_utc();
        let (state, verb) = match decision {
            OptInDecision::Accept => ("opted_in", "accepted"),
            OptInDecision::Decline => ("opted_out", "declined"),
        };
        row.opt_in_state = state.to_owned();
        row.opt_in_at = Some(now);
        row.updated_at = now;
        let saved = number::save(conn, &row)?;
        let shown = PhoneNumber::display(&saved.number);
        let when = now.format("%Y-%m-%d %H:%M:%S UTC").to_string();
        history::insert(
            conn,
            NewEntry {
                at: now,
                account_id: None,
                actor: &client.user_id,
                actor_path: None,
                scope_path: &saved.scope_path,
                object_kind: "cpaas_number",
                object_id: saved.id,
                action: HistoryAction::Update,
                summary: format!("{} {verb} SMS on {shown}", client.name),
                changes: vec![FieldChange {
                    field: "opt_in_state".to_owned(),
                    old: Some("pending".to_owned()),
                    new: Some(state.to_owned()),
                }],
            },
        )?;
        if decision == OptInDecision::Decline {
            let provider = organization::provider_of(&saved.scope_path).unwrap_or_default();
            let to = portal_account::alert_emails(conn, provider)?;
            if !to.is_empty() {
                Job::SendMail {
                    to,
                    subject: format!("{} declined SMS on {shown}", client.name),
                    body: format!(
                        "The user {} ({}) declined SMS on the CPaaS number {shown} (\"{}\") at {when}.\n\nMessages to this number are not delivered to the user. Reset the opt-in state on the number's page to ask again.\n",
                        client.name, client.user_id, saved.friendly_name
                    ),
                }
                .enqueue(conn)?;
            }
        }
        Ok(saved)
    })
}
