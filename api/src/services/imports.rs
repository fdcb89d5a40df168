//! Bulk import of CPaaS numbers into a customer: the CSV is checked and stored with a
//! job; the job assigns row after row with the single assignment's rules (carrier check
//! included) and records each row's result. A restarted job continues after the rows done.

use chrono::Utc;
use cpaas_shared::{
    ErrorCode, ImportRow, ImportStatus, MessagingType, NewCpaasNumber, NumberImport,
};
use diesel::prelude::*;

use crate::auth::PortalUser;
use crate::db::DbConnection;
use crate::db::models::number::NumberRow;
use crate::db::models::organization::{self, OrgKind};
use crate::db::models::rfc3339;
use crate::db::schema::{end_users, media_streams, number_import_rows, number_imports, queues};
use crate::error::ApiError;
use crate::jobs::{Job, JobError};
use crate::services::deps::Deps;
use crate::services::import_csv::{Row, rows};
use crate::services::numbers::{self, Target};
use crate::services::scope;

/// Rows assigned at once (each waits on the carrier's check).
const CONCURRENCY: usize = 8;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = number_imports)]
pub struct ImportRecord {
    pub id: i64,
    pub customer_id: i64,
    pub account_id: i64,
    pub csv: String,
    pub status: String,
    pub total: i32,
    pub processed: i32,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

/// One CSV line's result.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = number_import_rows)]
struct LineRow {
    import_id: i64,
    line: i32,
    number: String,
    outcome: String,
    detail: Option<String>,
    number_id: Option<i64>,
}

impl ImportRecord {
    /// The import with every line's result so far.
    pub fn to_api(&self, conn: &mut DbConnection) -> QueryResult<NumberImport> {
        let rows: Vec<ImportRow> = number_import_rows::table
            .filter(number_import_rows::import_id.eq(self.id))
            .order(number_import_rows::line.asc())
            .select(LineRow::as_select())
            .load(conn)?
            .into_iter()
            .map(|r| ImportRow {
                line: u32::try_from(r.line).unwrap_or_default(),
                number: r.number,
                outcome: r.outcome,
                detail: r.detail,
                number_id: r.number_id,
            })
            .collect();
        let assigned = rows.iter().filter(|r| r.outcome == "assigned").count();
        Ok(NumberImport {
            id: self.id,
            customer_id: self.customer_id,
            status: match self.status.as_str() {
                "running" => ImportStatus::Running,
                "done" => ImportStatus::Done,
                "failed" => ImportStatus::Failed,
                _ => ImportStatus::Queued,
            },
            total: u32::try_from(self.total).unwrap_or_default(),
            processed: u32::try_from(self.processed).unwrap_or_default(),
            assigned: u32::try_from(assigned).unwrap_or_default(),
            failed: u32::try_from(rows.len() - assigned).unwrap_or_default(),
            rows,
            created_at: rfc3339(self.created_at),
            updated_at: rfc3339(self.updated_at),
        })
    }
}

/// Checks the CSV and stores the import with its job.
pub fn create(
    conn: &mut DbConnection,
    user: &PortalUser,
    customer_id: i64,
    csv: String,
) -> Result<ImportRecord, ApiError> {
    let customer = scope::find_visible(conn, user, OrgKind::Customer, customer_id)?;
    let parsed = rows(&csv).map_err(|problem| {
        ApiError::new(ErrorCode::ValidationFailed, format!("The CSV {problem}."))
            .with_field("csv", problem)
    })?;
    conn.transaction(|conn| {
        let now = Utc::now().naive_utc();
        let id: i64 = diesel::insert_into(number_imports::table)
            .values((
                number_imports::customer_id.eq(customer.id),
                number_imports::account_id.eq(user.account.id),
                number_imports::csv.eq(&csv),
                number_imports::status.eq("queued"),
                number_imports::total.eq(i32::try_from(parsed.len()).unwrap_or(i32::MAX)),
                number_imports::created_at.eq(now),
                number_imports::updated_at.eq(now),
            ))
            .returning(number_imports::id)
            .get_result(conn)?;
        Job::ImportNumbers { import_id: id }.enqueue(conn)?;
        Ok(find(conn, id)?)
    })
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<ImportRecord> {
    number_imports::table
        .find(id)
        .select(ImportRecord::as_select())
        .first(conn)
}

/// The visible import `id`.
pub fn find_visible(
    conn: &mut DbConnection,
    user: &PortalUser,
    id: i64,
) -> Result<ImportRecord, ApiError> {
    let missing = || ApiError::not_found(format!("There is no import {id}."));
    number_imports::table
        .find(id)
        .filter(number_imports::customer_id.eq_any(organization::within(&user.scope)))
        .select(ImportRecord::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(missing)
}

fn target(conn: &mut DbConnection, customer_id: i64, row: &Row) -> Result<Target, ApiError> {
    if let Some(user_id) = row.get("user_id") {
        let found: Option<i64> = end_users::table
            .filter(end_users::customer_id.eq(customer_id))
            .filter(end_users::user_id.eq(user_id))
            .select(end_users::id)
            .first(conn)
            .optional()?;
        return found
            .map(Target::User)
            .ok_or_else(|| refused(format!("this customer has no user {user_id}")));
    }
    let name = row.get("media_stream").cloned().unwrap_or_default();
    let found: Option<i64> = media_streams::table
        .inner_join(queues::table.on(queues::id.eq(media_streams::queue_id)))
        .filter(queues::customer_id.eq(customer_id))
        .filter(media_streams::name.eq(&name))
        .select(media_streams::id)
        .first(conn)
        .optional()?;
    found
        .map(Target::Stream)
        .ok_or_else(|| refused(format!("this customer has no media stream {name}")))
}

fn problem_of(err: &ApiError) -> String {
    let body = err.body();
    let fields: Vec<String> = body
        .fields
        .iter()
        .map(|(f, p)| format!("{f} {}", p.join("; ")))
        .collect();
    if fields.is_empty() {
        body.message.clone()
    } else {
        format!("{} ({})", body.message, fields.join(", "))
    }
}

/// The job: assigns every line not yet done, [`CONCURRENCY`] at a time; each line's result is
/// written with its assignment, so a restarted import goes on with exactly the lines left.
pub async fn run(deps: &Deps, import_id: i64) -> Result<(), JobError> {
    let (record, user, done) = deps
        .db
        .run(move |conn| {
            let record = find(conn, import_id)?;
            // The rows run as the portal account that started the import.
            let user = PortalUser::load(conn, record.account_id)?;
            let done: std::collections::HashSet<i32> = number_import_rows::table
                .filter(number_import_rows::import_id.eq(import_id))
                .select(number_import_rows::line)
                .load(conn)?
                .into_iter()
                .collect();
            Ok::<_, ApiError>((record, user, done))
        })
        .await?;
    if record.status == "done" || record.status == "failed" {
        return Ok(());
    }
    let Some(user) = user else {
        set_status(deps, import_id, "failed").await?;
        return Err(JobError::Fail(
            "the account that started the import no longer exists".to_owned(),
        ));
    };
    set_status(deps, import_id, "running").await?;
    let mut left = rows(&record.csv)
        .map_err(JobError::Fail)?
        .into_iter()
        .filter(|(line, _)| !done.contains(&i32::try_from(*line).unwrap_or(i32::MAX)));
    let mut running = tokio::task::JoinSet::new();
    loop {
        while running.len() < CONCURRENCY {
            let Some((line, row)) = left.next() else {
                break;
            };
            let (deps, user) = (deps.clone(), user.clone());
            let customer = record.customer_id;
            running
                .spawn(async move { line_of(&deps, &user, import_id, customer, line, &row).await });
        }
        match running.join_next().await {
            None => break,
            Some(Ok(Ok(()))) => {}
            Some(Ok(Err(err))) => return Err(err.into()),
            Some(Err(panic)) => {
                return Err(JobError::Retry(format!("an import line stopped: {panic}")));
            }
        }
    }
    set_status(deps, import_id, "done").await?;
    Ok(())
}

/// Assigns one line and records its result (with the assignment when there is one).
async fn line_of(
    deps: &Deps,
    user: &PortalUser,
    import_id: i64,
    customer_id: i64,
    line: u32,
    row: &Row,
) -> Result<(), ApiError> {
    let mut result = LineRow {
        import_id,
        line: i32::try_from(line).unwrap_or(i32::MAX),
        number: row.get("number").cloned().unwrap_or_default(),
        outcome: "assigned".to_owned(),
        detail: None,
        number_id: None,
    };
    let assigned = {
        let result = result.clone();
        assign_row(deps, user, customer_id, row, move |conn, saved| {
            let line = LineRow {
                number_id: Some(saved.id),
                ..result
            };
            record_line(conn, line)?;
            Ok(saved)
        })
        .await
    };
    if let Err(err) = assigned {
        // The carrier or the database is away: the line is tried again with the job.
        if err.transient() {
            return Err(err);
        }
        result.outcome = "failed".to_owned();
        result.detail = Some(problem_of(&err));
        deps.db
            .run(move |conn| conn.transaction(|conn| record_line(conn, result)))
            .await?;
    }
    Ok(())
}

/// Stores a line's result and counts it (inside the caller's transaction).
fn record_line(conn: &mut DbConnection, result: LineRow) -> Result<(), ApiError> {
    diesel::insert_into(number_import_rows::table)
        .values(&result)
        .execute(conn)?;
    diesel::update(number_imports::table.find(result.import_id))
        .set((
            number_imports::processed.eq(number_imports::processed + 1),
            number_imports::updated_at.eq(Utc::now().naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Marks import `id` failed: its job gave up, so it will not move on by itself.
pub async fn failed(deps: &Deps, id: i64) -> Result<(), ApiError> {
    set_status(deps, id, "failed").await
}

async fn set_status(deps: &Deps, id: i64, status: &'static str) -> Result<(), ApiError> {
    deps.db
        .run(move |conn| {
            diesel::update(number_imports::table.find(id))
                .set((
                    number_imports::status.eq(status),
                    number_imports::updated_at.eq(Utc::now().naive_utc()),
                ))
                .execute(conn)?;
            Ok::<_, ApiError>(())
        })
        .await
}

/// Assigns one row's number, with `also` run on it as in [`numbers::assign_with`].
async fn assign_row(
    deps: &Deps,
    user: &PortalUser,
    customer_id: i64,
    row: &Row,
    also: impl FnOnce(&mut DbConnection, NumberRow) -> Result<NumberRow, ApiError> + Send + 'static,
) -> Result<(), ApiError> {
    let messaging_type = match row.get("messaging_type").map(String::as_str) {
        None => None,
        Some(value) => Some(MessagingType::parse(value).ok_or_else(|| {
            refused(format!("messaging_type {value} is neither sms nor mms_sms"))
        })?),
    };
    let platform_id = match row.get("platform_id") {
        None => None,
        Some(value) => Some(
            value
                .parse::<i64>()
                .map_err(|_| refused(format!("platform_id {value} is not a number")))?,
        ),
    };
    let input = NewCpaasNumber {
        number: row.get("number").cloned(),
        friendly_name: row.get("friendly_name").cloned(),
        platform_id,
        messaging_type,
        user_can_block_numbers: None,
    };
    let row = row.clone();
    let target = deps
        .db
        .run(move |conn| target(conn, customer_id, &row))
        .await?;
    numbers::assign_with(deps, user, target, input, also).await?;
    Ok(())
}

/// A line refused for a reason of its own (422 `validation_failed`).
fn refused(problem: String) -> ApiError {
    ApiError::new(ErrorCode::ValidationFailed, problem)
}
