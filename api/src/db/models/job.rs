//! The jobs table: durable work for the in-process worker. A job is written in the same
//! transaction as the change that needs it, claimed with a lease (so a crashed worker's job is
//! taken again when the lease runs out), and deleted when done.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::Timestamp;

use crate::db::DbConnection;
use crate::db::schema::jobs;

#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = jobs)]
pub struct JobRow {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub run_at: NaiveDateTime,
    /// Claims so far, this one included.
    pub attempts: i32,
    pub last_error: Option<String>,
    pub locked_until: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

pub fn enqueue(
    conn: &mut DbConnection,
    kind: &str,
    payload: &serde_json::Value,
    run_at: NaiveDateTime,
    subject: Option<&str>,
) -> QueryResult<i64> {
    diesel::insert_into(jobs::table)
        .values((
            jobs::subject.eq(subject),
            jobs::kind.eq(kind),
            jobs::payload.eq(payload.to_string()),
            jobs::run_at.eq(run_at),
            jobs::attempts.eq(0),
            jobs::created_at.eq(run_at),
        ))
        .returning(jobs::id)
        .get_result(conn)
}

const CLAIM: &str = "UPDATE jobs SET locked_until = {lease}, attempts = attempts + 1 \
    WHERE id = (SELECT j.id FROM jobs j WHERE j.run_at <= {now} \
    AND (j.locked_until IS NULL OR j.locked_until < {now}) \
    AND (j.subject IS NULL OR NOT EXISTS \
        (SELECT 1 FROM jobs o WHERE o.subject = j.subject AND o.id < j.id)) \
    ORDER BY j.run_at, j.id LIMIT 1{lock}) \
    RETURNING id, kind, payload, run_at, attempts, last_error, locked_until, created_at";

/// Takes the next due job, leased until `lease`: the oldest of its subject only, so jobs about
/// one thing run in order and never at once. PostgreSQL skips rows other workers hold
/// (`FOR UPDATE SKIP LOCKED`); SQLite has one writer at a time, so the statement is atomic.
pub fn claim(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    lease: NaiveDateTime,
) -> QueryResult<Option<JobRow>> {
    match conn {
        DbConnection::Postgresql(pg) => {
            let sql = CLAIM
                .replace("{lease}", "$1")
                .replace("{now}", "$2")
                .replace("{lock}", " FOR UPDATE SKIP LOCKED");
            diesel::sql_query(sql)
                .bind::<Timestamp, _>(lease)
                .bind::<Timestamp, _>(now)
                .get_result(pg)
                .optional()
        }
        DbConnection::Sqlite(lite) => {
            let sql = CLAIM
                .replace("{lease}", "?1")
                .replace("{now}", "?2")
                .replace("{lock}", "");
            diesel::sql_query(sql)
                .bind::<Timestamp, _>(lease)
                .bind::<Timestamp, _>(now)
                .get_result(lite)
                .optional()
        }
    }
}

/// Keeps a running job's lease until `until` (the worker is alive and still at it).
pub fn renew(conn: &mut DbConnection, id: i64, until: NaiveDateTime) -> QueryResult<()> {
    diesel::update(jobs::table.find(id))
        .set(jobs::locked_until.eq(until))
        .execute(conn)
        .map(drop)
}

/// Gives up the leases of jobs `ids` (a node shutting down before they finished): any worker
/// may claim them at once instead of waiting for the leases to run out.
pub fn release(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<usize> {
    diesel::update(jobs::table.filter(jobs::id.eq_any(ids)))
        .set(jobs::locked_until.eq(None::<NaiveDateTime>))
        .execute(conn)
}

pub fn complete(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::delete(jobs::table.find(id)).execute(conn).map(drop)
}

/// Puts the job back for `run_at`, remembering why it failed.
pub fn retry(
    conn: &mut DbConnection,
    id: i64,
    run_at: NaiveDateTime,
    error: &str,
) -> QueryResult<()> {
    diesel::update(jobs::table.find(id))
        .set((
            jobs::run_at.eq(run_at),
            jobs::last_error.eq(error),
            jobs::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
        .map(drop)
}
