//! A media stream's SMS number (R10): its configuration and its assignment.

use cpaas_shared::{
    CpaasNumberUpdate, ErrorCode, MediaStreamSms, MessagingType, NewCpaasNumber, PhoneNumber,
};

use crate::auth::PortalUser;
use crate::db::DbConnection;
use crate::db::models::number::{self, NumberRow};
use crate::error::ApiError;
use crate::services::deps::Deps;
use crate::services::queues;

use super::assigning::*;
use super::managing::*;
/// The SMS configuration of media stream `stream_id`: its active number.
pub fn stream_sms(
    conn: &mut DbConnection,
    user: &PortalUser,
    stream_id: i64,
) -> Result<NumberRow, ApiError> {
    let (stream, _) = queues::find_visible_stream(conn, user, stream_id)?;
    number::active_of_stream(conn, stream.id)?.ok_or_else(|| {
        ApiError::not_found(format!(
            "The media stream {} has no SMS configuration.",
            stream.name
        ))
    })
}

/// A stream's initial reply as typed: `None` leaves it, `Some(None)` clears it.
fn initial_reply(text: Option<String>) -> Result<Option<Option<String>>, ApiError> {
    if text.as_ref().is_some_and(|t| t.chars().count() > 1000) {
        return Err(ApiError::invalid(vec![(
            "initial_reply",
            "must be at most 1000 characters".to_owned(),
        )]));
    }
    Ok(text.map(|t| Some(t.trim().to_owned()).filter(|t| !t.is_empty())))
}

/// The assignment a new SMS configuration makes.
pub fn stream_assignment(input: &MediaStreamSms) -> NewCpaasNumber {
    NewCpaasNumber {
        number: input.number.clone(),
        friendly_name: None,
        platform_id: input.platform_id,
        messaging_type: Some(if input.mms_available == Some(true) {
            MessagingType::MmsSms
        } else {
            MessagingType::Sms
        }),
        user_can_block_numbers: input.remote_numbers_can_be_blocked,
    }
}

/// Changes an existing SMS configuration (R10); `None` when the stream has none yet (the
/// caller then assigns its number). Another number than the configured one is refused.
pub fn update_stream_sms(
    conn: &mut DbConnection,
    user: &PortalUser,
    stream_id: i64,
    input: &MediaStreamSms,
) -> Result<Option<NumberRow>, ApiError> {
    let (stream, _) = queues::find_visible_stream(conn, user, stream_id)?;
    let reply = initial_reply(input.initial_reply.clone())?;
    let Some(current) = number::active_of_stream(conn, stream.id)? else {
        return Ok(None);
    };
    if let Some(typed) = input.number.as_deref() {
        let same = PhoneNumber::parse(typed).is_ok_and(|n| n.digits() == current.number);
        if !same {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!(
                    "The media stream already has the number {}: remove it first to use another.",
                    current.number
                ),
            ));
        }
    }
    let change = CpaasNumberUpdate {
        friendly_name: None,
        messaging_type: input.mms_available.map(|mms| {
            if mms {
                MessagingType::MmsSms
            } else {
                MessagingType::Sms
            }
        }),
        user_can_block_numbers: input.remote_numbers_can_be_blocked,
    };
    let mut row = update(conn, user, current.id, change)?;
    if let Some(reply) = reply
        && reply != row.initial_reply
    {
        row = number::set_initial_reply(conn, row.id, reply.as_deref())?;
    }
    Ok(Some(row))
}

/// Assigns a media stream its SMS configuration's number (R10), with the initial reply, as
/// [`assign`] does for users.
pub async fn assign_stream_sms(
    deps: &Deps,
    user: &PortalUser,
    stream_id: i64,
    input: &MediaStreamSms,
) -> Result<NumberRow, ApiError> {
    let reply = initial_reply(input.initial_reply.clone())?.flatten();
    let target = Target::Stream(stream_id);
    assign_with(
        deps,
        user,
        target,
        stream_assignment(input),
        move |conn, row| match reply {
            Some(reply) => Ok(number::set_initial_reply(conn, row.id, Some(&reply))?),
            None => Ok(row),
        },
    )
    .await
}
