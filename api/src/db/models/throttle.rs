//! The sign_in_throttles table: failed sign-ins per hashed (identity, client address) key.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::sign_in_throttles;

/// A key's failures and lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttle {
    pub failures: i32,
    pub locked_until: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
}

/// Key `key`'s row, locked for the rest of the transaction (created empty when missing, so
/// that concurrent attempts queue on it rather than each reading nothing).
pub fn lock(conn: &mut DbConnection, key: &str, now: NaiveDateTime) -> QueryResult<Throttle> {
    use sign_in_throttles as t;
    let empty = (t::key.eq(key), t::failures.eq(0), t::updated_at.eq(now));
    let insert = diesel::insert_into(t::table)
        .values(empty)
        .on_conflict(t::key);
    match conn {
        DbConnection::Sqlite(c) => insert.do_nothing().execute(c)?,
        DbConnection::Postgresql(c) => insert.do_nothing().execute(c)?,
    };
    let query = t::table
        .find(key)
        .select((t::failures, t::locked_until, t::updated_at));
    let (failures, locked_until, updated_at) = match conn {
        // SQLite: the unit of work already holds the write lock (`BEGIN IMMEDIATE`).
        DbConnection::Sqlite(c) => query.first(c)?,
        DbConnection::Postgresql(c) => query.for_update().first(c)?,
    };
    Ok(Throttle {
        failures,
        locked_until,
        updated_at,
    })
}

pub fn save(conn: &mut DbConnection, key: &str, throttle: Throttle) -> QueryResult<()> {
    use sign_in_throttles as t;
    diesel::update(t::table.find(key))
        .set((
            t::failures.eq(throttle.failures),
            t::locked_until.eq(throttle.locked_until),
            t::updated_at.eq(throttle.updated_at),
        ))
        .execute(conn)
        .map(drop)
}

/// Forgets key `key` (a successful sign-in), and every key quiet since `quiet_since`.
pub fn forget(conn: &mut DbConnection, key: &str, quiet_since: NaiveDateTime) -> QueryResult<()> {
    use sign_in_throttles as t;
    diesel::delete(t::table.filter(t::key.eq(key).or(t::updated_at.lt(quiet_since))))
        .execute(conn)
        .map(drop)
}
