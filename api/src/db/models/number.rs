//! The cpaas_numbers table: one row per assignment; `end_date` null while active.

use chrono::NaiveDateTime;
use cpaas_shared::{
    Consumer, ConsumerKind, CpaasNumber, MessagingType, OptIn, OptInState, PhoneNumber,
    Provisioning, ProvisioningState,
};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::models::organization::subtree_bounds;
use crate::db::models::{page_offset, rfc3339};
use crate::db::schema::cpaas_numbers;
use crate::services::organizations::lower;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = cpaas_numbers, treat_none_as_null = true)]
pub struct NumberRow {
    #[diesel(skip_insertion)]
    pub id: i64,
    pub number: String,
    pub friendly_name: String,
    pub platform_id: Option<i64>,
    pub customer_id: i64,
    pub scope_path: String,
    pub consumer_kind: String,
    pub end_user_id: Option<i64>,
    pub media_stream_id: Option<i64>,
    pub consumer_name: String,
    pub messaging_type: String,
    pub user_can_block_numbers: bool,
    pub provisioning_state: String,
    pub provisioning_detail: Option<String>,
    pub provisioning_attempts: i32,
    pub provisioning_updated_at: NaiveDateTime,
    pub webhook_auth_id: Option<String>,
    pub opt_in_state: String,
    pub opt_in_at: Option<NaiveDateTime>,
    pub start_date: NaiveDateTime,
    pub end_date: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The platform's monthly charge when the number was assigned (R18).
    pub monthly_charge_cents: i32,
    /// A media stream's initial reply within business hours (R10).
    pub initial_reply: Option<String>,
}

pub fn provisioning_state(value: &str) -> ProvisioningState {
    match value {
        "active" => ProvisioningState::Active,
        "failed" => ProvisioningState::Failed,
        "removing" => ProvisioningState::Removing,
        "removed" => ProvisioningState::Removed,
        _ => ProvisioningState::Pending,
    }
}

pub fn opt_in_state(value: &str) -> OptInState {
    match value {
        "pending" => OptInState::Pending,
        "opted_in" => OptInState::OptedIn,
        "opted_out" => OptInState::OptedOut,
        _ => OptInState::NotRequired,
    }
}

impl NumberRow {
    pub fn messaging(&self) -> MessagingType {
        MessagingType::parse(&self.messaging_type).unwrap_or_default()
    }

    pub fn to_api(&self) -> CpaasNumber {
        let display = PhoneNumber::parse(&self.number)
            .map(|n| n.to_string())
            .unwrap_or_else(|_| self.number.clone());
        let (kind, id) = if self.consumer_kind == "media_stream" {
            (ConsumerKind::MediaStream, self.media_stream_id)
        } else {
            (ConsumerKind::User, self.end_user_id)
        };
        CpaasNumber {
            id: self.id,
            number: self.number.clone(),
            display,
            friendly_name: self.friendly_name.clone(),
            platform_id: self.platform_id,
            messaging_type: self.messaging(),
            user_can_block_numbers: self.user_can_block_numbers,
            consumer: Consumer {
                kind,
                id,
                name: self.consumer_name.clone(),
            },
            provisioning: Provisioning {
                state: provisioning_state(&self.provisioning_state),
                detail: self.provisioning_detail.clone(),
                attempts: u32::try_from(self.provisioning_attempts).unwrap_or_default(),
                updated_at: rfc3339(self.provisioning_updated_at),
            },
            opt_in: OptIn {
                state: opt_in_state(&self.opt_in_state),
                at: self.opt_in_at.map(rfc3339),
            },
            start_date: rfc3339(self.start_date),
            end_date: self.end_date.map(rfc3339),
            initial_reply: self.initial_reply.clone(),
        }
    }
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<NumberRow> {
    cpaas_numbers::table
        .find(id)
        .select(NumberRow::as_select())
        .first(conn)
}

/// The active assignment of `number`, if any.
pub fn active(conn: &mut DbConnection, number: &str) -> QueryResult<Option<NumberRow>> {
    cpaas_numbers::table
        .filter(cpaas_numbers::number.eq(number))
        .filter(cpaas_numbers::end_date.is_null())
        .select(NumberRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConnection, row: &NumberRow) -> QueryResult<NumberRow> {
    let id: i64 = diesel::insert_into(cpaas_numbers::table)
        .values(row)
        .returning(cpaas_numbers::id)
        .get_result(conn)?;
    find(conn, id)
}

/// Takes the row lock of assignment `id` for the rest of the transaction. Call it first in
/// every read-modify-write of a number (requests and jobs change the same rows): without it a
/// stale full-row save on PostgreSQL could undo a concurrent change (say, the end date).
pub fn lock(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::update(cpaas_numbers::table.find(id))
        .set(cpaas_numbers::updated_at.eq(cpaas_numbers::updated_at))
        .execute(conn)
        .map(drop)
}

/// Sets only the initial reply of assignment `id`.
pub fn set_initial_reply(
    conn: &mut DbConnection,
    id: i64,
    reply: Option<&str>,
) -> QueryResult<NumberRow> {
    diesel::update(cpaas_numbers::table.find(id))
        .set(cpaas_numbers::initial_reply.eq(reply))
        .execute(conn)?;
    find(conn, id)
}

pub fn save(conn: &mut DbConnection, row: &NumberRow) -> QueryResult<NumberRow> {
    diesel::update(cpaas_numbers::table.find(row.id))
        .set(row)
        .execute(conn)?;
    find(conn, row.id)
}

/// Active numbers of a platform (a platform with numbers cannot be deleted).
pub fn active_on_platform(conn: &mut DbConnection, platform_id: i64) -> QueryResult<i64> {
    cpaas_numbers::table
        .filter(cpaas_numbers::platform_id.eq(platform_id))
        .filter(cpaas_numbers::end_date.is_null())
        .count()
        .get_result(conn)
}

/// The active number of a media stream (its SMS configuration, R10).
pub fn active_of_stream(conn: &mut DbConnection, stream_id: i64) -> QueryResult<Option<NumberRow>> {
    cpaas_numbers::table
        .filter(cpaas_numbers::media_stream_id.eq(stream_id))
        .filter(cpaas_numbers::end_date.is_null())
        .select(NumberRow::as_select())
        .first(conn)
        .optional()
}

/// Active numbers of an end user (a user with numbers cannot be deleted).
pub fn active_of_user(conn: &mut DbConnection, end_user_id: i64) -> QueryResult<i64> {
    cpaas_numbers::table
        .filter(cpaas_numbers::end_user_id.eq(end_user_id))
        .filter(cpaas_numbers::end_date.is_null())
        .count()
        .get_result(conn)
}

/// Keeps the name shown with a user's active numbers in step with the user.
pub fn rename_consumer(conn: &mut DbConnection, end_user_id: i64, name: &str) -> QueryResult<()> {
    diesel::update(
        cpaas_numbers::table
            .filter(cpaas_numbers::end_user_id.eq(end_user_id))
            .filter(cpaas_numbers::end_date.is_null()),
    )
    .set(cpaas_numbers::consumer_name.eq(name))
    .execute(conn)
    .map(drop)
}

/// Which numbers a list shows.
pub enum Within {
    /// Under an organization path: that level and below.
    Path(String),
    User(i64),
    /// Every media stream of a queue.
    Streams(Vec<i64>),
}

/// The order of a list of numbers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// The guide's: active assignments first, then by number.
    #[default]
    ActiveFirst,
    /// `(column, descending)`.
    By(SortColumn, bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortColumn {
    Number,
    FriendlyName,
    AssignedTo,
    StartDate,
    EndDate,
}

impl Sort {
    /// `number`, `friendly_name`, `assigned_to`, `start_date` or `end_date`; a leading `-`
    /// sorts descending.
    pub fn parse(value: &str) -> Option<Self> {
        let (descending, name) = match value.strip_prefix('-') {
            Some(name) => (true, name),
            None => (false, value),
        };
        let column = match name {
            "number" => SortColumn::Number,
            "friendly_name" => SortColumn::FriendlyName,
            "assigned_to" => SortColumn::AssignedTo,
            "start_date" => SortColumn::StartDate,
            "end_date" => SortColumn::EndDate,
            _ => return None,
        };
        Some(Self::By(column, descending))
    }
}

/// `LIKE` patterns (lower case, wildcards added): one for names, one for the number's digits.
pub struct Search {
    pub text: String,
    pub number: String,
}

/// Numbers within `within`, active first, then by number; `search` matches the number, the
/// friendly name or the user/stream name. With the total.
pub fn list(
    conn: &mut DbConnection,
    within: &Within,
    search: Option<&Search>,
    sort: Sort,
    page: u32,
    per_page: u32,
) -> QueryResult<(Vec<NumberRow>, u64)> {
    let filtered = || {
        let mut query = cpaas_numbers::table.into_boxed();
        query = match within {
            Within::Path(path) => {
                let (low, high) = subtree_bounds(path);
                query
                    .filter(cpaas_numbers::scope_path.ge(low))
                    .filter(cpaas_numbers::scope_path.lt(high))
            }
            Within::User(id) => query.filter(cpaas_numbers::end_user_id.eq(*id)),
            Within::Streams(ids) => {
                query.filter(cpaas_numbers::media_stream_id.eq_any(ids.clone()))
            }
        };
        if let Some(search) = search {
            query = query.filter(
                cpaas_numbers::number
                    .like(search.number.clone())
                    .escape('\\')
                    .or(lower(cpaas_numbers::friendly_name)
                        .like(search.text.clone())
                        .escape('\\'))
                    .or(lower(cpaas_numbers::consumer_name)
                        .like(search.text.clone())
                        .escape('\\')),
            );
        }
        query
    };
    let total: i64 = filtered().count().get_result(conn)?;
    use cpaas_numbers as n;
    let query = filtered();
    let query = match sort {
        Sort::ActiveFirst => {
            query.order((n::end_date.is_not_null(), n::number.asc(), n::id.desc()))
        }
        Sort::By(SortColumn::Number, false) => query.order((n::number.asc(), n::id.desc())),
        Sort::By(SortColumn::Number, true) => query.order((n::number.desc(), n::id.desc())),
        Sort::By(SortColumn::FriendlyName, false) => {
            query.order((lower(n::friendly_name).asc(), n::id.asc()))
        }
        Sort::By(SortColumn::FriendlyName, true) => {
            query.order((lower(n::friendly_name).desc(), n::id.desc()))
        }
        Sort::By(SortColumn::AssignedTo, false) => {
            query.order((lower(n::consumer_name).asc(), n::number.asc()))
        }
        Sort::By(SortColumn::AssignedTo, true) => {
            query.order((lower(n::consumer_name).desc(), n::number.desc()))
        }
        Sort::By(SortColumn::StartDate, false) => query.order((n::start_date.asc(), n::id.asc())),
        Sort::By(SortColumn::StartDate, true) => query.order((n::start_date.desc(), n::id.desc())),
        // Active assignments (no end date) count as the latest.
        Sort::By(SortColumn::EndDate, false) => {
            query.order((n::end_date.is_null(), n::end_date.asc(), n::id.asc()))
        }
        Sort::By(SortColumn::EndDate, true) => {
            query.order((n::end_date.is_not_null(), n::end_date.desc(), n::id.desc()))
        }
    };
    let rows = query
        .limit(i64::from(per_page))
        .offset(page_offset(page, per_page))
        .select(NumberRow::as_select())
        .load(conn)?;
    Ok((rows, u64::try_from(total).unwrap_or_default()))
}
