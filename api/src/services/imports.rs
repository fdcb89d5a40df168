//! Bulk import of CPaaS numbers into a customer (issue 5): the CSV is checked and stored with a
//! job; the job assigns row after row with the single assignment's rules (carrier check
//! included) and records each row's result. A restarted job continues after the rows done.

use actix_web::web;
use chrono::Utc;
use cpaas_shared::{
    ErrorCode, ImportRow, ImportStatus, MessagingType, NewCpaasNumber, NumberImport,
};
use diesel::prelude::*;

use crate::auth::PortalUser;
use crate::db::DbConnection;
use crate::db::models::organization::{self, OrgKind};
use crate::db::models::rfc3339;
use crate::db::schema::{end_users, media_streams, number_imports, queues};
use crate::error::ApiError;
use crate::jobs::Job;
use crate::services::numbers::{self, Target};
use crate::services::provisioning::JobError;
use crate::services::scope;
use crate::state::AppState;

pub const MAX_ROWS: usize = 10_000;

/// One CSV row: its column → value (empty values left out).
pub type Row = std::collections::BTreeMap<String, String>;

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
    pub results: String,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

impl ImportRecord {
    pub fn to_api(&self) -> NumberImport {
        let rows: Vec<ImportRow> = serde_json::from_str(&self.results).unwrap_or_default();
        let assigned = rows.iter().filter(|r| r.outcome == "assigned").count();
        NumberImport {
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
        }
    }
}

/// One CSV line's fields (quotes as in RFC 4180, no line breaks inside a field).
fn fields(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => out.push(std::mem::take(&mut field)),
            (_, c) => field.push(c),
        }
    }
    if quoted {
        return Err("has an unclosed quote".to_owned());
    }
    out.push(field);
    Ok(out.into_iter().map(|f| f.trim().to_owned()).collect())
}

/// The rows of an import CSV as `(line, column → value)`.
pub fn rows(csv: &str) -> Result<Vec<(u32, Row)>, String> {
    let mut lines = csv
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let (_, header) = lines
        .next()
        .ok_or("is empty: put a header line first (number,user_id,…)")?;
    let header: Vec<String> = fields(header)?
        .into_iter()
        .map(|h| h.to_lowercase())
        .collect();
    let known = [
        "number",
        "user_id",
        "media_stream",
        "friendly_name",
        "messaging_type",
        "platform_id",
    ];
    if let Some(unknown) = header.iter().find(|h| !known.contains(&h.as_str())) {
        return Err(format!(
            "has an unknown column “{unknown}” (use {})",
            known.join(", ")
        ));
    }
    if !header.iter().any(|h| h == "number")
        || !header.iter().any(|h| h == "user_id" || h == "media_stream")
    {
        return Err("needs the columns number and user_id or media_stream".to_owned());
    }
    let mut out = Vec::new();
    for (index, line) in lines {
        let values = fields(line).map_err(|p| format!("line {}: {p}", index + 1))?;
        let row = header
            .iter()
            .cloned()
            .zip(values)
            .filter(|(_, v)| !v.is_empty())
            .collect();
        out.push((u32::try_from(index + 1).unwrap_or(u32::MAX), row));
    }
    if out.is_empty() {
        return Err("has no rows after the header".to_owned());
    }
    if out.len() > MAX_ROWS {
        return Err(format!(
            "has {} rows; at most {MAX_ROWS} at a time",
            out.len()
        ));
    }
    Ok(out)
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
    let record = find(conn, id).optional()?.ok_or_else(missing)?;
    let customer = organization::find(conn, record.customer_id)?;
    if !customer.path.starts_with(&user.scope) {
        return Err(missing());
    }
    Ok(record)
}

fn target(conn: &mut DbConnection, customer_id: i64, row: &Row) -> Result<Target, String> {
    if let Some(user_id) = row.get("user_id") {
        let found: Option<i64> = end_users::table
            .filter(end_users::customer_id.eq(customer_id))
            .filter(end_users::user_id.eq(user_id))
            .select(end_users::id)
            .first(conn)
            .optional()
            .map_err(|e| e.to_string())?;
        return found
            .map(Target::User)
            .ok_or_else(|| format!("this customer has no user {user_id}"));
    }
    let name = row.get("media_stream").cloned().unwrap_or_default();
    let found: Option<i64> = media_streams::table
        .inner_join(queues::table.on(queues::id.eq(media_streams::queue_id)))
        .filter(queues::customer_id.eq(customer_id))
        .filter(media_streams::name.eq(&name))
        .select(media_streams::id)
        .first(conn)
        .optional()
        .map_err(|e| e.to_string())?;
    found
        .map(Target::Stream)
        .ok_or_else(|| format!("this customer has no media stream {name}"))
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

/// The job: assigns every row not yet done, recording each result.
pub async fn run(state: &web::Data<AppState>, import_id: i64) -> Result<(), JobError> {
    let (record, user) = state
        .db
        .run(move |conn| {
            let record = find(conn, import_id)?;
            // The rows run as the portal account that started the import.
            let user = PortalUser::load(conn, record.account_id)?;
            Ok::<_, ApiError>((record, user))
        })
        .await?;
    if record.status == "done" || record.status == "failed" {
        return Ok(());
    }
    let Some(user) = user else {
        set_status(state, import_id, "failed").await?;
        return Err(JobError::Fail(
            "the account that started the import no longer exists".to_owned(),
        ));
    };
    set_status(state, import_id, "running").await?;
    let parsed = rows(&record.csv).map_err(JobError::Fail)?;
    let done = usize::try_from(record.processed).unwrap_or_default();
    for (line, row) in parsed.into_iter().skip(done) {
        let number = row.get("number").cloned().unwrap_or_default();
        let outcome = assign_row(state, &user, record.customer_id, &row).await;
        let result = ImportRow {
            line,
            number,
            outcome: if outcome.is_ok() {
                "assigned"
            } else {
                "failed"
            }
            .to_owned(),
            detail: outcome.as_ref().err().cloned(),
            number_id: outcome.ok(),
        };
        state
            .db
            .run(move |conn| {
                conn.transaction(|conn| {
                    let current = find(conn, import_id)?;
                    let mut results: Vec<ImportRow> =
                        serde_json::from_str(&current.results).unwrap_or_default();
                    results.push(result);
                    diesel::update(number_imports::table.find(import_id))
                        .set((
                            number_imports::processed.eq(current.processed + 1),
                            number_imports::results
                                .eq(serde_json::to_string(&results).unwrap_or_default()),
                            number_imports::updated_at.eq(Utc::now().naive_utc()),
                        ))
                        .execute(conn)?;
                    Ok::<_, ApiError>(())
                })
            })
            .await?;
    }
    set_status(state, import_id, "done").await?;
    Ok(())
}

async fn set_status(state: &AppState, id: i64, status: &'static str) -> Result<(), ApiError> {
    state
        .db
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

/// One row: the assignment's id, or why not.
async fn assign_row(
    state: &web::Data<AppState>,
    user: &PortalUser,
    customer_id: i64,
    row: &Row,
) -> Result<i64, String> {
    let messaging_type = match row.get("messaging_type").map(String::as_str) {
        None => None,
        Some(value) => Some(
            MessagingType::parse(value)
                .ok_or_else(|| format!("messaging_type {value} is neither sms nor mms_sms"))?,
        ),
    };
    let platform_id = match row.get("platform_id") {
        None => None,
        Some(value) => Some(
            value
                .parse::<i64>()
                .map_err(|_| format!("platform_id {value} is not a number"))?,
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
    let target = state
        .db
        .run(move |conn| {
            target(conn, customer_id, &row)
                .map_err(|p| ApiError::new(ErrorCode::ValidationFailed, p))
        })
        .await
        .map_err(|e| problem_of(&e))?;
    let saved = numbers::assign(state, user, target, input)
        .await
        .map_err(|e| problem_of(&e))?;
    Ok(saved.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_with_quotes_and_checks() {
        let parsed = rows("number,user_id,friendly_name\n2019920778,chris@x.example,\"Tutt, Chris\"\n\n(201) 992-0780,chris@x.example,\"say \"\"hi\"\"\"\n").expect("rows");
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0].0, 2);
        assert_eq!(parsed[0].1["friendly_name"], "Tutt, Chris");
        assert_eq!(parsed[1].0, 4, "blank lines keep their numbers");
        assert_eq!(parsed[1].1["friendly_name"], "say \"hi\"");
        assert!(rows("").is_err());
        assert!(
            rows("number\n2019920778")
                .expect_err("no target")
                .contains("user_id")
        );
        assert!(
            rows("number,user_id,colour\n1,2,3")
                .expect_err("unknown")
                .contains("colour")
        );
        assert!(
            rows("number,user_id\n\"2019920778,x")
                .expect_err("quote")
                .contains("quote")
        );
        assert!(
            rows("number,user_id")
                .expect_err("no rows")
                .contains("no rows")
        );
    }
}
