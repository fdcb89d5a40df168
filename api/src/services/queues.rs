//! Contact-center queues of a customer and their media streams (R10): scope first, then every
//! field, one transaction with its history entry.

use chrono::Utc;
use cpaas_shared::{ErrorCode, HistoryAction, MediaStreamInput, QueueInput, validate};
use diesel::prelude::*;

use crate::auth::PortalUser;
use crate::db::DbConnection;
use crate::db::models::number::{self, Holder};
use crate::db::models::organization::{self, OrgKind, Organization};
use crate::db::models::queue::{self, MediaStreamRow, QueueRow};
use crate::error::ApiError;
use crate::services::audit::{self, Subject};
use crate::services::{fields, scope};

/// The queue `id` if its customer is in the caller's subtree, with that customer.
pub fn find_visible(
    conn: &mut DbConnection,
    user: &PortalUser,
    id: i64,
) -> Result<(QueueRow, Organization), ApiError> {
    let missing = || ApiError::not_found(format!("There is no queue {id}."));
    let row = queue::find_within(conn, id, &user.scope)?.ok_or_else(missing)?;
    let customer = organization::find(conn, row.customer_id)?;
    Ok((row, customer))
}

/// The media stream `id` if visible, with its customer.
pub fn find_visible_stream(
    conn: &mut DbConnection,
    user: &PortalUser,
    id: i64,
) -> Result<(MediaStreamRow, Organization), ApiError> {
    let missing = || ApiError::not_found(format!("There is no media stream {id}."));
    let stream = queue::find_stream_within(conn, id, &user.scope)?.ok_or_else(missing)?;
    let (_, customer) = find_visible(conn, user, stream.queue_id)?;
    Ok((stream, customer))
}

fn queue_subject<'a>(customer: &'a Organization, row: &QueueRow) -> Subject<'a> {
    Subject {
        scope_path: &customer.path,
        kind: "queue",
        id: row.id,
        label: format!("Queue {}", row.name),
    }
}

fn queue_name(input: QueueInput) -> Result<String, ApiError> {
    validate::name(&input.name.unwrap_or_default())
        .map_err(|p| ApiError::invalid(vec![("name", p)]))
}

pub fn create_queue(
    conn: &mut DbConnection,
    user: &PortalUser,
    customer_id: i64,
    input: QueueInput,
) -> Result<QueueRow, ApiError> {
    conn.transaction(|conn| {
        let customer = scope::find_visible(conn, user, OrgKind::Customer, customer_id)?;
        let name = queue_name(input)?;
        let row = queue::insert(conn, customer.id, &name, Utc::now().naive_utc())?;
        let changes = audit::diff([("name", None, Some(name))]);
        audit::record(
            conn,
            user,
            queue_subject(&customer, &row),
            HistoryAction::Create,
            changes,
        )?;
        Ok(row)
    })
}

pub fn rename_queue(
    conn: &mut DbConnection,
    user: &PortalUser,
    id: i64,
    input: QueueInput,
) -> Result<QueueRow, ApiError> {
    conn.transaction(|conn| {
        let (current, customer) = find_visible(conn, user, id)?;
        let name = queue_name(input)?;
        if name == current.name {
            return Ok(current);
        }
        let row = queue::rename(conn, id, &name, Utc::now().naive_utc())?;
        let changes = audit::diff([("name", Some(current.name), Some(name))]);
        audit::record(
            conn,
            user,
            queue_subject(&customer, &row),
            HistoryAction::Update,
            changes,
        )?;
        Ok(row)
    })
}

pub fn delete_queue(conn: &mut DbConnection, user: &PortalUser, id: i64) -> Result<(), ApiError> {
    conn.transaction(|conn| {
        let (row, customer) = find_visible(conn, user, id)?;
        let (_, streams) = queue::list_streams(conn, id, None, 1, 1)?;
        if streams > 0 {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!(
                    "The queue {} still has {streams} media stream(s): delete them first.",
                    row.name
                ),
            ));
        }
        audit::record(
            conn,
            user,
            queue_subject(&customer, &row),
            HistoryAction::Delete,
            Vec::new(),
        )?;
        queue::delete(conn, id)?;
        Ok(())
    })
}

fn stream_subject<'a>(customer: &'a Organization, row: &MediaStreamRow) -> Subject<'a> {
    Subject {
        scope_path: &customer.path,
        kind: "media_stream",
        id: row.id,
        label: format!("Media stream {}", row.name),
    }
}

/// `current` with `input` applied, or every problem.
fn apply(current: &MediaStreamRow, input: MediaStreamInput) -> Result<MediaStreamRow, ApiError> {
    let mut next = current.clone();
    let mut problems: Vec<(&str, String)> = Vec::new();
    if let Some(name) = input.name {
        match validate::name(&name) {
            Ok(name) => next.name = name,
            Err(p) => problems.push(("name", p)),
        }
    }
    if let Some(language) = input.language {
        match fields::language(language) {
            Ok(language) => next.language = language,
            Err(p) => problems.push(("language", p)),
        }
    }
    if let Some(timezone) = input.timezone {
        match fields::timezone(timezone) {
            Ok(tz) => next.timezone = tz,
            Err(p) => problems.push(("timezone", p)),
        }
    }
    if let Some(profile) = input.in_office_profile {
        match validate::name(&profile) {
            Ok(profile) => next.in_office_profile = profile,
            Err(p) => problems.push(("in_office_profile", p)),
        }
    }
    if let Some(media_type) = input.media_type {
        next.media_type = media_type.as_str().to_owned();
    }
    if next.name.is_empty() && !problems.iter().any(|(f, _)| *f == "name") {
        problems.push(("name", "is required".to_owned()));
    }
    if next.media_type.is_empty() {
        problems.push((
            "media_type",
            "is required: sms, web_chat or email".to_owned(),
        ));
    }
    next.conversation_can_be_transferred = input
        .conversation_can_be_transferred
        .unwrap_or(next.conversation_can_be_transferred);
    next.conversation_can_be_escalated = input
        .conversation_can_be_escalated
        .unwrap_or(next.conversation_can_be_escalated);
    next.use_last_agent_if_available = input
        .use_last_agent_if_available
        .unwrap_or(next.use_last_agent_if_available);
    next.reopen_conversation_on_reply = input
        .reopen_conversation_on_reply
        .unwrap_or(next.reopen_conversation_on_reply);
    if problems.is_empty() {
        Ok(next)
    } else {
        Err(ApiError::invalid(problems))
    }
}

fn stream_diff(old: &MediaStreamRow, new: &MediaStreamRow) -> Vec<cpaas_shared::FieldChange> {
    let flag = |b: bool| Some(b.to_string());
    audit::diff([
        ("name", Some(old.name.clone()), Some(new.name.clone())),
        ("language", old.language.clone(), new.language.clone()),
        (
            "media_type",
            Some(old.media_type.clone()),
            Some(new.media_type.clone()),
        ),
        (
            "conversation_can_be_transferred",
            flag(old.conversation_can_be_transferred),
            flag(new.conversation_can_be_transferred),
        ),
        (
            "conversation_can_be_escalated",
            flag(old.conversation_can_be_escalated),
            flag(new.conversation_can_be_escalated),
        ),
        ("timezone", old.timezone.clone(), new.timezone.clone()),
        (
            "in_office_profile",
            Some(old.in_office_profile.clone()),
            Some(new.in_office_profile.clone()),
        ),
        (
            "use_last_agent_if_available",
            flag(old.use_last_agent_if_available),
            flag(new.use_last_agent_if_available),
        ),
        (
            "reopen_conversation_on_reply",
            flag(old.reopen_conversation_on_reply),
            flag(new.reopen_conversation_on_reply),
        ),
    ])
}

pub fn create_stream(
    conn: &mut DbConnection,
    user: &PortalUser,
    queue_id: i64,
    input: MediaStreamInput,
) -> Result<MediaStreamRow, ApiError> {
    conn.transaction(|conn| {
        let (queue, customer) = find_visible(conn, user, queue_id)?;
        let now = Utc::now().naive_utc();
        let blank = MediaStreamRow {
            id: 0,
            queue_id: queue.id,
            name: String::new(),
            language: None,
            media_type: String::new(),
            conversation_can_be_transferred: true,
            conversation_can_be_escalated: false,
            timezone: None,
            in_office_profile: "Always online".to_owned(),
            use_last_agent_if_available: false,
            reopen_conversation_on_reply: false,
            created_at: now,
            updated_at: now,
        };
        let next = apply(&blank, input)?;
        let created = queue::insert_stream(conn, &next)?;
        let changes = stream_diff(&blank, &created);
        audit::record(
            conn,
            user,
            stream_subject(&customer, &created),
            HistoryAction::Create,
            changes,
        )?;
        Ok(created)
    })
}

pub fn update_stream(
    conn: &mut DbConnection,
    user: &PortalUser,
    id: i64,
    input: MediaStreamInput,
) -> Result<MediaStreamRow, ApiError> {
    conn.transaction(|conn| {
        let (current, customer) = find_visible_stream(conn, user, id)?;
        let mut next = apply(&current, input)?;
        let changes = stream_diff(&current, &next);
        if changes.is_empty() {
            return Ok(current);
        }
        next.updated_at = Utc::now().naive_utc();
        let saved = queue::save_stream(conn, &next)?;
        if saved.name != current.name {
            number::rename_consumer(conn, Holder::Stream(id), &saved.name)?;
        }
        audit::record(
            conn,
            user,
            stream_subject(&customer, &saved),
            HistoryAction::Update,
            changes,
        )?;
        Ok(saved)
    })
}

pub fn delete_stream(conn: &mut DbConnection, user: &PortalUser, id: i64) -> Result<(), ApiError> {
    conn.transaction(|conn| {
        let (row, customer) = find_visible_stream(conn, user, id)?;
        if number::active_of_stream(conn, row.id)?.is_some() {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!(
                    "The media stream {} still has its SMS number: remove its SMS configuration first.",
                    row.name
                ),
            ));
        }
        audit::record(
            conn,
            user,
            stream_subject(&customer, &row),
            HistoryAction::Delete,
            Vec::new(),
        )?;
        queue::delete_stream(conn, id)?;
        Ok(())
    })
}
