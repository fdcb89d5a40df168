//! The queues and media_streams tables.

use chrono::NaiveDateTime;
use cpaas_shared::{MediaStream, MediaType, Queue};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::models::page_offset;
use crate::db::models::rfc3339;
use crate::db::schema::{media_streams, queues};
use crate::db::sql::lower;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = queues)]
pub struct QueueRow {
    pub id: i64,
    pub customer_id: i64,
    pub name: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl QueueRow {
    pub fn to_api(&self) -> Queue {
        Queue {
            id: self.id,
            customer_id: self.customer_id,
            name: self.name.clone(),
            created_at: rfc3339(self.created_at),
            updated_at: rfc3339(self.updated_at),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = media_streams)]
pub struct MediaStreamRow {
    pub id: i64,
    pub queue_id: i64,
    pub name: String,
    pub language: Option<String>,
    pub media_type: String,
    pub conversation_can_be_transferred: bool,
    pub conversation_can_be_escalated: bool,
    pub timezone: Option<String>,
    pub in_office_profile: String,
    pub use_last_agent_if_available: bool,
    pub reopen_conversation_on_reply: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl MediaStreamRow {
    pub fn to_api(&self) -> MediaStream {
        MediaStream {
            id: self.id,
            queue_id: self.queue_id,
            name: self.name.clone(),
            language: self.language.clone(),
            media_type: MediaType::parse(&self.media_type).unwrap_or(MediaType::WebChat),
            conversation_can_be_transferred: self.conversation_can_be_transferred,
            conversation_can_be_escalated: self.conversation_can_be_escalated,
            timezone: self.timezone.clone(),
            in_office_profile: self.in_office_profile.clone(),
            use_last_agent_if_available: self.use_last_agent_if_available,
            reopen_conversation_on_reply: self.reopen_conversation_on_reply,
            created_at: rfc3339(self.created_at),
            updated_at: rfc3339(self.updated_at),
        }
    }
}

/// Queue `id`, if its customer is at `scope` or below.
pub fn find_within(conn: &mut DbConnection, id: i64, scope: &str) -> QueryResult<Option<QueueRow>> {
    queues::table
        .find(id)
        .filter(queues::customer_id.eq_any(crate::db::models::organization::within(scope)))
        .select(QueueRow::as_select())
        .first(conn)
        .optional()
}

/// Media stream `id`, if its queue's customer is at `scope` or below.
pub fn find_stream_within(
    conn: &mut DbConnection,
    id: i64,
    scope: &str,
) -> QueryResult<Option<MediaStreamRow>> {
    let queues_within = queues::table
        .filter(queues::customer_id.eq_any(crate::db::models::organization::within(scope)))
        .select(queues::id);
    media_streams::table
        .find(id)
        .filter(media_streams::queue_id.eq_any(queues_within))
        .select(MediaStreamRow::as_select())
        .first(conn)
        .optional()
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<QueueRow> {
    queues::table
        .find(id)
        .select(QueueRow::as_select())
        .first(conn)
}

pub fn insert(
    conn: &mut DbConnection,
    customer_id: i64,
    name: &str,
    now: NaiveDateTime,
) -> QueryResult<QueueRow> {
    let id: i64 = diesel::insert_into(queues::table)
        .values((
            queues::customer_id.eq(customer_id),
            queues::name.eq(name),
            queues::created_at.eq(now),
            queues::updated_at.eq(now),
        ))
        .returning(queues::id)
        .get_result(conn)?;
    find(conn, id)
}

pub fn rename(
    conn: &mut DbConnection,
    id: i64,
    name: &str,
    now: NaiveDateTime,
) -> QueryResult<QueueRow> {
    diesel::update(queues::table.find(id))
        .set((queues::name.eq(name), queues::updated_at.eq(now)))
        .execute(conn)?;
    find(conn, id)
}

pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::delete(queues::table.find(id))
        .execute(conn)
        .map(drop)
}

pub fn count_in(conn: &mut DbConnection, customer_id: i64) -> QueryResult<i64> {
    queues::table
        .filter(queues::customer_id.eq(customer_id))
        .count()
        .get_result(conn)
}

/// A customer's queues by name; with the total.
pub fn list(
    conn: &mut DbConnection,
    customer_id: i64,
    pattern: Option<&str>,
    page: u32,
    per_page: u32,
) -> QueryResult<(Vec<QueueRow>, u64)> {
    let filtered = || {
        let query = queues::table
            .filter(queues::customer_id.eq(customer_id))
            .into_boxed();
        match pattern {
            Some(p) => query.filter(lower(queues::name).like(p.to_owned()).escape('\\')),
            None => query,
        }
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((queues::name.asc(), queues::id.asc()))
        .limit(i64::from(per_page))
        .offset(page_offset(page, per_page))
        .select(QueueRow::as_select())
        .load(conn)?;
    Ok((rows, u64::try_from(total).unwrap_or_default()))
}

pub fn find_stream(conn: &mut DbConnection, id: i64) -> QueryResult<MediaStreamRow> {
    media_streams::table
        .find(id)
        .select(MediaStreamRow::as_select())
        .first(conn)
}

pub fn insert_stream(conn: &mut DbConnection, row: &MediaStreamRow) -> QueryResult<MediaStreamRow> {
    let id: i64 = diesel::insert_into(media_streams::table)
        .values((
            media_streams::queue_id.eq(row.queue_id),
            media_streams::name.eq(&row.name),
            media_streams::language.eq(&row.language),
            media_streams::media_type.eq(&row.media_type),
            media_streams::conversation_can_be_transferred.eq(row.conversation_can_be_transferred),
            media_streams::conversation_can_be_escalated.eq(row.conversation_can_be_escalated),
            media_streams::timezone.eq(&row.timezone),
            media_streams::in_office_profile.eq(&row.in_office_profile),
            media_streams::use_last_agent_if_available.eq(row.use_last_agent_if_available),
            media_streams::reopen_conversation_on_reply.eq(row.reopen_conversation_on_reply),
            media_streams::created_at.eq(row.created_at),
            media_streams::updated_at.eq(row.updated_at),
        ))
        .returning(media_streams::id)
        .get_result(conn)?;
    find_stream(conn, id)
}

pub fn save_stream(conn: &mut DbConnection, row: &MediaStreamRow) -> QueryResult<MediaStreamRow> {
    diesel::update(media_streams::table.find(row.id))
        .set((
            media_streams::name.eq(&row.name),
            media_streams::language.eq(&row.language),
            media_streams::media_type.eq(&row.media_type),
            media_streams::conversation_can_be_transferred.eq(row.conversation_can_be_transferred),
            media_streams::conversation_can_be_escalated.eq(row.conversation_can_be_escalated),
            media_streams::timezone.eq(&row.timezone),
            media_streams::in_office_profile.eq(&row.in_office_profile),
            media_streams::use_last_agent_if_available.eq(row.use_last_agent_if_available),
            media_streams::reopen_conversation_on_reply.eq(row.reopen_conversation_on_reply),
            media_streams::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    find_stream(conn, row.id)
}

pub fn delete_stream(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::delete(media_streams::table.find(id))
        .execute(conn)
        .map(drop)
}

/// A queue's media streams by name; with the total.
pub fn list_streams(
    conn: &mut DbConnection,
    queue_id: i64,
    pattern: Option<&str>,
    page: u32,
    per_page: u32,
) -> QueryResult<(Vec<MediaStreamRow>, u64)> {
    let filtered = || {
        let query = media_streams::table
            .filter(media_streams::queue_id.eq(queue_id))
            .into_boxed();
        match pattern {
            Some(p) => query.filter(lower(media_streams::name).like(p.to_owned()).escape('\\')),
            None => query,
        }
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((media_streams::name.asc(), media_streams::id.asc()))
        .limit(i64::from(per_page))
        .offset(page_offset(page, per_page))
        .select(MediaStreamRow::as_select())
        .load(conn)?;
    Ok((rows, u64::try_from(total).unwrap_or_default()))
}
