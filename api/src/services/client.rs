//! The client side of R12: end users sign in with their user id and the password an admin
//! set, list their numbers, and accept or decline SMS on the ones awaiting a decision. A
//! decline mails every Send-Alerts account of the provider (through a job).

use chrono::Utc;
use cpaas_shared::{
    ClientLoginRequest, ClientLoginResponse, ClientUser, ErrorCode, FieldChange, HistoryAction,
    OptInDecision, PhoneNumber,
};
use diesel::{Connection, OptionalExtension};

use crate::auth::TokenKeys;
use crate::auth::{Audience, password};
use crate::db::Db;
use crate::db::DbConnection;
use crate::db::models::end_user::{self, EndUserRow};
use crate::db::models::history::{self, NewEntry};
use crate::db::models::number::{self, NumberRow};
use crate::db::models::{organization, portal_account};
use crate::error::ApiError;
use crate::jobs::Job;
use crate::services::throttle;

fn wrong() -> ApiError {
    ApiError::new(ErrorCode::Unauthorized, "The user id or password is wrong.")
}

/// Signs an end user in: the attempt is reserved against the user id, the provider asked for
/// (any, when none is given) and the caller's `address` first ([`throttle`]), so a failure
/// counts only there; unknown ids and wrong passwords then take the same time and answer
/// alike.
pub async fn login(
    (db, tokens): (&Db, &TokenKeys),
    request: ClientLoginRequest,
    address: &str,
) -> Result<ClientLoginResponse, ApiError> {
    let user_id = request.user_id.trim().to_owned();
    let provider = request.provider_id;
    let at = provider.map_or_else(|| "*".to_owned(), |p| p.to_string());
    let key = throttle::key(&["client", &at, &user_id], address);
    let now = Utc::now().naive_utc();
    let reserved = key.clone();
    let candidates = db
        .run(move |conn| {
            conn.transaction(|conn| {
                throttle::reserve(conn, &reserved, now)?;
                Ok::<_, ApiError>(end_user::for_sign_in(conn, &user_id, provider)?)
            })
        })
        .await?;
    let open: Vec<(EndUserRow, String)> = candidates
        .into_iter()
        .filter_map(|(row, hash)| Some((row, hash?)))
        .collect();
    let secret = request.password;
    let found = password::limited(move || {
        if open.is_empty() {
            password::verify(&secret, &password::DUMMY_HASH);
        }
        open.into_iter()
            .find(|(_, hash)| password::verify(&secret, hash))
            .map(|(row, _)| row)
    })
    .await?
    .ok_or_else(wrong)?;
    db.run(move |conn| throttle::succeeded(conn, &key, now))
        .await?;
    issue(tokens, found)
}

fn issue(tokens: &TokenKeys, found: EndUserRow) -> Result<ClientLoginResponse, ApiError> {
    let (access_token, expires_in) = tokens
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
        let missing = || ApiError::not_found(format!("There is no CPaaS number {id}."));
        let own = |row: NumberRow| {
            (row.end_user_id == Some(client.id) && row.end_date.is_none()).then_some(row)
        };
        // The user's own number first: no other number is ever locked.
        number::find(conn, id).optional()?.and_then(own).ok_or_else(missing)?;
        number::lock(conn, id)?;
        let mut row = own(number::find(conn, id)?).ok_or_else(missing)?;
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
