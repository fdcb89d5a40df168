//! An assignment once made: read, change, delete, its messages, its opt-in, the lists.

use chrono::Utc;
use cpaas_shared::{CpaasNumberUpdate, ErrorCode, FieldChange, HistoryAction};
use diesel::Connection;

use crate::auth::PortalUser;
use crate::db::DbConnection;
use crate::db::models::message;
use crate::db::models::number::{self, NumberRow, Within};
use crate::db::models::organization::{self, OrgKind};
use crate::db::models::platform::{self};
use crate::db::models::queue;
use crate::error::ApiError;
use crate::jobs::Job;
use crate::services::audit::{self};
use crate::services::{queues, scope, users};

use super::assigning::*;
/// The visible assignment `id`, locked for the rest of the transaction. Scope first: a
/// number outside the caller's subtree is never locked.
fn lock_visible(
    conn: &mut DbConnection,
    user: &PortalUser,
    id: i64,
) -> Result<NumberRow, ApiError> {
    find_visible(conn, user, id)?;
    number::lock(conn, id)?;
    find_visible(conn, user, id)
}

/// The visible assignment `id`.
pub fn find_visible(
    conn: &mut DbConnection,
    user: &PortalUser,
    id: i64,
) -> Result<NumberRow, ApiError> {
    number::find_within(conn, id, &user.scope)?
        .ok_or_else(|| ApiError::not_found(format!("There is no CPaaS number {id}.")))
}

fn active_only(row: &NumberRow) -> Result<(), ApiError> {
    if row.end_date.is_some() {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "This assignment has ended; it is kept as history and cannot be changed.",
        ));
    }
    Ok(())
}

/// Changes friendly name, messaging type or blocking (R13: the same rules as assigning). A new
/// messaging type is provisioned again.
pub fn update(
    conn: &mut DbConnection,
    user: &PortalUser,
    id: i64,
    update: CpaasNumberUpdate,
) -> Result<NumberRow, ApiError> {
    conn.transaction(|conn| {
        let current = lock_visible(conn, user, id)?;
        active_only(&current)?;
        let mut next = current.clone();
        if let Some(name) = update.friendly_name {
            next.friendly_name = friendly(Some(name), &current.number)
                .map_err(|p| ApiError::invalid(vec![("friendly_name", p)]))?;
        }
        if let Some(kind) = update.messaging_type {
            let platform_id = current
                .platform_id
                .ok_or_else(|| ApiError::internal("an active number without a platform"))?;
            mms_check(&platform::find(conn, platform_id)?, kind)?;
            next.messaging_type = kind.as_str().to_owned();
        }
        next.user_can_block_numbers = update
            .user_can_block_numbers
            .unwrap_or(next.user_can_block_numbers);
        let changes = audit::diff([
            (
                "friendly_name",
                Some(current.friendly_name.clone()),
                Some(next.friendly_name.clone()),
            ),
            (
                "messaging_type",
                Some(current.messaging_type.clone()),
                Some(next.messaging_type.clone()),
            ),
            (
                "user_can_block_numbers",
                Some(current.user_can_block_numbers.to_string()),
                Some(next.user_can_block_numbers.to_string()),
            ),
        ]);
        if changes.is_empty() {
            return Ok(current);
        }
        let now = Utc::now().naive_utc();
        next.updated_at = now;
        if next.messaging_type != current.messaging_type {
            next.provisioning_state = "pending".to_owned();
            next.provisioning_detail =
                Some("Messaging type changed: configuring the carrier again.".to_owned());
            next.provisioning_updated_at = now;
            Job::ProvisionNumber { number_id: id }.enqueue(conn)?;
        }
        let saved = number::save(conn, &next)?;
        record(conn, user, &saved, HistoryAction::Update, changes)?;
        Ok(saved)
    })
}

/// Ends the assignment (R14): the end date is set, the carrier webhook is removed by a job; the
/// row stays as history.
pub fn delete(conn: &mut DbConnection, user: &PortalUser, id: i64) -> Result<NumberRow, ApiError> {
    conn.transaction(|conn| {
        let mut row = lock_visible(conn, user, id)?;
        active_only(&row)?;
        let now = Utc::now().naive_utc();
        row.end_date = Some(now);
        row.updated_at = now;
        row.provisioning_state = "removing".to_owned();
        row.provisioning_detail = Some("Removing the carrier webhook.".to_owned());
        row.provisioning_updated_at = now;
        let saved = number::save(conn, &row)?;
        let deleted = message::delete_of_number(conn, id)?;
        Job::RemoveNumber { number_id: id }.enqueue(conn)?;
        let changes = messages_deleted(deleted);
        record(conn, user, &saved, HistoryAction::Delete, changes)?;
        Ok(saved)
    })
}

/// R14 Delete Messages: the number's stored messages go, the number stays. Answers how many
/// went (none for an ended assignment: its messages went with it).
pub fn delete_messages(
    conn: &mut DbConnection,
    user: &PortalUser,
    id: i64,
) -> Result<u64, ApiError> {
    conn.transaction(|conn| {
        let row = lock_visible(conn, user, id)?;
        let deleted = message::delete_of_number(conn, id)?;
        if deleted > 0 {
            record(
                conn,
                user,
                &row,
                HistoryAction::Update,
                messages_deleted(deleted),
            )?;
        }
        Ok(u64::try_from(deleted).unwrap_or_default())
    })
}

/// The history's note of deleted messages (never their content).
fn messages_deleted(count: usize) -> Vec<FieldChange> {
    if count == 0 {
        return Vec::new();
    }
    audit::diff([(
        "messages",
        Some(format!("{count} stored")),
        Some("deleted".to_owned()),
    )])
}

/// R13: back to pending; the client asks again on its next start.
pub fn reset_opt_in(
    conn: &mut DbConnection,
    user: &PortalUser,
    id: i64,
) -> Result<NumberRow, ApiError> {
    conn.transaction(|conn| {
        let mut row = lock_visible(conn, user, id)?;
        active_only(&row)?;
        if row.consumer_kind != "user" {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                "Media stream numbers have no opt-in.",
            ));
        }
        let before = row.opt_in_state.clone();
        row.opt_in_state = "pending".to_owned();
        row.opt_in_at = None;
        row.updated_at = Utc::now().naive_utc();
        let saved = number::save(conn, &row)?;
        let changes = audit::diff([("opt_in_state", Some(before), Some("pending".to_owned()))]);
        record(conn, user, &saved, HistoryAction::Update, changes)?;
        Ok(saved)
    })
}

/// Where a list of numbers is asked for.
#[derive(Debug, Clone, Copy)]
pub enum Level {
    Organization(OrgKind, i64),
    User(i64),
    Queue(i64),
}

/// The numbers at `level` and below (R11, R24).
pub fn list(
    conn: &mut DbConnection,
    user: &PortalUser,
    level: Level,
    search: Option<&str>,
    sort: number::Sort,
    page: u32,
    per_page: u32,
) -> Result<number::Listed, ApiError> {
    let within = match level {
        Level::Organization(kind, id) => {
            let org = scope::find_visible(conn, user, kind, id)?;
            Within::Organization(kind, org.id, org.path)
        }
        Level::User(id) => Within::User(users::find_visible(conn, user, id)?.0.id),
        Level::Queue(id) => {
            let (queue_row, _) = queues::find_visible(conn, user, id)?;
            let (streams, _) = queue::list_streams(conn, queue_row.id, None, 1, u32::MAX)?;
            Within::Streams(streams.iter().map(|s| s.id).collect())
        }
    };
    let search = search.map(str::trim).filter(|s| !s.is_empty()).map(|text| {
        // "(201) 992" searches the digits 201992; anything else searches as typed.
        let phone_like = text
            .chars()
            .all(|c| c.is_ascii_digit() || " ()-.+".contains(c));
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        let text = text.to_lowercase();
        number::Search {
            number: if phone_like && !digits.is_empty() {
                digits
            } else {
                text.clone()
            },
            text,
        }
    });
    Ok(number::list(
        conn,
        &within,
        search.as_ref(),
        sort,
        page,
        per_page,
    )?)
}

/// The platforms a number of `target` can be assigned on.
pub fn platforms_for(
    conn: &mut DbConnection,
    user: &PortalUser,
    target: Target,
) -> Result<Vec<cpaas_shared::PlatformChoice>, ApiError> {
    let customer = match target {
        Target::User(id) => users::find_visible(conn, user, id)?.1,
        Target::Stream(id) => queues::find_visible_stream(conn, user, id)?.1,
    };
    let provider = organization::provider_of(&customer.path).unwrap_or(customer.id);
    Ok(platform::of_provider(conn, provider)?
        .into_iter()
        .map(|p| cpaas_shared::PlatformChoice {
            id: p.id,
            name: p.name,
            user_confirmation_required: p.user_confirmation_required,
            user_can_block_numbers: p.user_can_block_numbers,
            mms_available: p.mms_available,
        })
        .collect())
}
