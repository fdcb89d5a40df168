//! The jobs table: durable work for the in-process worker. A job is written in the same
//! transaction as the change that needs it, claimed with a lease (so a crashed worker's job is
//! taken again when the lease runs out), and deleted when done.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Text, Timestamp};

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
    /// The token of the claim that holds the lease: renewing, completing and retrying need it.
    pub lease_token: Option<String>,
}

pub fn enqueue(
    conn: &mut DbConnection,
    kind: &str,
    payload: &serde_json::Value,
    run_at: NaiveDateTime,
    subject: Option<&str>,
) -> QueryResult<i64> {
    let id = diesel::insert_into(jobs::table)
        .values((
            jobs::subject.eq(subject),
            jobs::kind.eq(kind),
            jobs::payload.eq(payload.to_string()),
            jobs::run_at.eq(run_at),
            jobs::attempts.eq(0),
            jobs::created_at.eq(run_at),
        ))
        .returning(jobs::id)
        .get_result(conn)?;
    announce(conn)?;
    Ok(id)
}

/// The channel every node listens on for work (PostgreSQL).
pub const WAKEUP_CHANNEL: &str = "cpaas_jobs";

/// Tells every node's worker that there is work, at commit (PostgreSQL's `NOTIFY` is delivered
/// when the transaction commits, and not at all if it rolls back). SQLite serves one node,
/// whose worker is woken in-process.
fn announce(conn: &mut DbConnection) -> QueryResult<()> {
    match conn {
        DbConnection::Postgresql(pg) => diesel::sql_query(format!("NOTIFY {WAKEUP_CHANNEL}"))
            .execute(pg)
            .map(drop),
        DbConnection::Sqlite(_) => Ok(()),
    }
}

const CLAIM: &str = "UPDATE jobs SET locked_until = {lease}, lease_token = {token}, \
    attempts = attempts + 1 \
    WHERE id = (SELECT j.id FROM jobs j WHERE j.run_at <= {now} AND j.dead_at IS NULL \
    AND (j.locked_until IS NULL OR j.locked_until < {now}) \
    AND (j.subject IS NULL OR NOT EXISTS \
        (SELECT 1 FROM jobs o WHERE o.subject = j.subject AND o.id < j.id \
         AND o.dead_at IS NULL)) \
    ORDER BY j.run_at, j.id LIMIT 1{lock}) \
    RETURNING id, kind, payload, run_at, attempts, last_error, locked_until, created_at, \
    lease_token";

/// The time leases are counted in: the database's clock on PostgreSQL (nodes sharing it agree
/// on it whatever their own clocks say), this node's on SQLite (one node).
pub fn now(conn: &mut DbConnection) -> QueryResult<NaiveDateTime> {
    #[derive(QueryableByName)]
    struct Now {
        #[diesel(sql_type = Timestamp)]
        now: NaiveDateTime,
    }
    match conn {
        DbConnection::Postgresql(pg) => {
            diesel::sql_query("SELECT (now() AT TIME ZONE 'UTC') AS now")
                .get_result::<Now>(pg)
                .map(|row| row.now)
        }
        DbConnection::Sqlite(_) => Ok(chrono::Utc::now().naive_utc()),
    }
}

/// Takes the next due job, leased until `lease` under the new `token`: the oldest live job of
/// its subject only, so jobs about one thing run in order and never at once (a dead one no
/// longer counts). PostgreSQL skips rows other workers hold (`FOR UPDATE SKIP LOCKED`);
/// SQLite has one writer at a time, so the statement is atomic.
pub fn claim(
    conn: &mut DbConnection,
    (now, lease): (NaiveDateTime, NaiveDateTime),
    token: &str,
) -> QueryResult<Option<JobRow>> {
    match conn {
        DbConnection::Postgresql(pg) => {
            let sql = CLAIM
                .replace("{lease}", "$1")
                .replace("{now}", "$2")
                .replace("{token}", "$3")
                .replace("{lock}", " FOR UPDATE SKIP LOCKED");
            diesel::sql_query(sql)
                .bind::<Timestamp, _>(lease)
                .bind::<Timestamp, _>(now)
                .bind::<Text, _>(token)
                .get_result(pg)
                .optional()
        }
        DbConnection::Sqlite(lite) => {
            let sql = CLAIM
                .replace("{lease}", "?1")
                .replace("{now}", "?2")
                .replace("{token}", "?3")
                .replace("{lock}", "");
            diesel::sql_query(sql)
                .bind::<Timestamp, _>(lease)
                .bind::<Timestamp, _>(now)
                .bind::<Text, _>(token)
                .get_result(lite)
                .optional()
        }
    }
}

/// Job `id` while the claim `token` still holds it.
fn held(
    id: i64,
    token: &str,
) -> diesel::dsl::Filter<
    diesel::dsl::Find<jobs::table, i64>,
    diesel::dsl::Eq<jobs::lease_token, String>,
> {
    jobs::table
        .find(id)
        .filter(jobs::lease_token.eq(token.to_owned()))
}

/// Keeps a running job's lease until `until`; `false` when the claim `token` no longer holds
/// it (the lease lapsed and another worker took the job).
pub fn renew(
    conn: &mut DbConnection,
    (id, token): (i64, &str),
    until: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(held(id, token))
        .set(jobs::locked_until.eq(until))
        .execute(conn)
        .map(|n| n == 1)
}

/// Gives up the leases of jobs `ids` (a node shutting down before they finished): any worker
/// may claim them at once instead of waiting for the leases to run out.
pub fn release(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<usize> {
    let released = diesel::update(jobs::table.filter(jobs::id.eq_any(ids)))
        .set((
            jobs::locked_until.eq(None::<NaiveDateTime>),
            jobs::lease_token.eq(None::<String>),
        ))
        .execute(conn)?;
    announce(conn)?;
    Ok(released)
}

/// Deletes the finished job; `false` when the claim `token` no longer holds it.
pub fn complete(conn: &mut DbConnection, (id, token): (i64, &str)) -> QueryResult<bool> {
    diesel::delete(held(id, token))
        .execute(conn)
        .map(|n| n == 1)
}

/// Puts the job back for `run_at`, remembering why it failed; `false` when the claim `token`
/// no longer holds it.
pub fn retry(
    conn: &mut DbConnection,
    (id, token): (i64, &str),
    run_at: NaiveDateTime,
    error: &str,
) -> QueryResult<bool> {
    diesel::update(held(id, token))
        .set((
            jobs::run_at.eq(run_at),
            jobs::last_error.eq(error),
            jobs::locked_until.eq(None::<NaiveDateTime>),
            jobs::lease_token.eq(None::<String>),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

/// Marks the job dead (claimed more often than its attempts allow without finishing): never
/// claimed again, kept with `error`; `false` when the claim `token` no longer holds it.
pub fn bury(
    conn: &mut DbConnection,
    (id, token): (i64, &str),
    at: NaiveDateTime,
    error: &str,
) -> QueryResult<bool> {
    diesel::update(held(id, token))
        .set((
            jobs::dead_at.eq(Some(at)),
            jobs::last_error.eq(error),
            jobs::locked_until.eq(None::<NaiveDateTime>),
            jobs::lease_token.eq(None::<String>),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

/// Live jobs by kind: how many, and the earliest `run_at` among those due by `now`.
pub fn queue(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> QueryResult<Vec<(String, i64, Option<NaiveDateTime>)>> {
    use diesel::dsl::{count_star, min};
    let counts: Vec<(String, i64)> = jobs::table
        .filter(jobs::dead_at.is_null())
        .group_by(jobs::kind)
        .select((jobs::kind, count_star()))
        .load(conn)?;
    let due: Vec<(String, Option<NaiveDateTime>)> = jobs::table
        .filter(jobs::dead_at.is_null())
        .filter(jobs::run_at.le(now))
        .group_by(jobs::kind)
        .select((jobs::kind, min(jobs::run_at)))
        .load(conn)?;
    Ok(counts
        .into_iter()
        .map(|(kind, count)| {
            let oldest = due.iter().find(|(k, _)| *k == kind).and_then(|(_, at)| *at);
            (kind, count, oldest)
        })
        .collect())
}

/// Dead jobs (kept for the record).
pub fn dead(conn: &mut DbConnection) -> QueryResult<i64> {
    jobs::table
        .filter(jobs::dead_at.is_not_null())
        .count()
        .get_result(conn)
}
