//! The messages table: inbound and outbound messages of CPaaS numbers.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::db::DbConnection;
use crate::db::schema::messages;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = messages)]
pub struct MessageRow {
    #[diesel(skip_insertion)]
    pub id: i64,
    pub platform_id: Option<i64>,
    pub cpaas_number_id: Option<i64>,
    pub direction: String,
    pub our_number: String,
    pub remote_number: String,
    pub body: String,
    pub media_urls: String,
    pub reference_id: String,
    pub status: String,
    pub created_at: NaiveDateTime,
}

/// Stores `row` unless the same (platform, direction, reference id, our number) is stored
/// already (the carrier retried). Answers whether it was new. Runs in a savepoint, so a
/// duplicate leaves the caller's transaction usable.
pub fn insert_once(conn: &mut DbConnection, row: &MessageRow) -> QueryResult<bool> {
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(messages::table)
            .values(row)
            .execute(conn)
    });
    match inserted {
        Ok(_) => Ok(true),
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        Err(err) => Err(err),
    }
}

/// Deletes every message of assignment `number_id`; answers how many went.
pub fn delete_of_number(conn: &mut DbConnection, number_id: i64) -> QueryResult<usize> {
    diesel::delete(messages::table.filter(messages::cpaas_number_id.eq(number_id))).execute(conn)
}
