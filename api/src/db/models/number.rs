//! The cpaas_numbers table: one row per assignment; `end_date` null while active.

use chrono::NaiveDateTime;
use cpaas_shared::{
    Consumer, ConsumerKind, CpaasNumber, MessagingType, OptIn, OptInState, PhoneNumber,
    Provisioning, ProvisioningState,
};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::models::organization::OrgKind;
use crate::db::models::organization::subtree_bounds;
use crate::db::models::rfc3339;
use crate::db::schema::cpaas_numbers;

mod listing;
mod search;

pub use listing::*;
pub use search::{CANDIDATES, NAMES, Search};

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
    /// The provider and reseller above the customer (see [`lineage`]): the lists at those
    /// levels are one index range each.
    pub provider_id: i64,
    pub reseller_id: Option<i64>,
}

/// What a new assignment is made of (see [`NumberRow::pending`]).
pub struct NewAssignment<'a> {
    pub digits: &'a str,
    pub friendly_name: String,
    pub platform: &'a crate::db::models::platform::PlatformRow,
    pub customer_id: i64,
    pub customer_path: &'a str,
    /// `user` or `media_stream`, with its id and name.
    pub consumer_kind: &'static str,
    pub end_user_id: Option<i64>,
    pub media_stream_id: Option<i64>,
    pub consumer_name: String,
    pub messaging_type: MessagingType,
    pub user_can_block_numbers: bool,
}

impl NumberRow {
    /// A new assignment, `pending` until the worker has configured the carrier (R9), with the
    /// platform's monthly charge (R18). R12: a user is asked to opt in when the platform says
    /// so; a media stream never is.
    pub fn pending(new: NewAssignment<'_>) -> Self {
        let now = chrono::Utc::now().naive_utc();
        let (provider_id, reseller_id) = lineage(new.customer_path);
        let asks = new.platform.user_confirmation_required && new.consumer_kind == "user";
        Self {
            id: 0,
            number: new.digits.to_owned(),
            friendly_name: new.friendly_name,
            platform_id: Some(new.platform.id),
            customer_id: new.customer_id,
            scope_path: new.customer_path.to_owned(),
            consumer_kind: new.consumer_kind.to_owned(),
            end_user_id: new.end_user_id,
            media_stream_id: new.media_stream_id,
            consumer_name: new.consumer_name,
            messaging_type: new.messaging_type.as_str().to_owned(),
            user_can_block_numbers: new.user_can_block_numbers,
            provisioning_state: "pending".to_owned(),
            provisioning_detail: Some("Waiting for the carrier to be configured.".to_owned()),
            provisioning_attempts: 0,
            provisioning_updated_at: now,
            webhook_auth_id: None,
            opt_in_state: if asks { "pending" } else { "not_required" }.to_owned(),
            opt_in_at: None,
            start_date: now,
            end_date: None,
            created_at: now,
            updated_at: now,
            monthly_charge_cents: new.platform.monthly_charge_cents,
            initial_reply: None,
            provider_id,
            reseller_id,
        }
    }
}

/// The provider and the reseller (if any) above a customer at `path`: `/1/7/42/` → (1, 7),
/// `/1/42/` → (1, none).
pub fn lineage(path: &str) -> (i64, Option<i64>) {
    let ids: Vec<i64> = path.split('/').filter_map(|s| s.parse().ok()).collect();
    let provider = ids.first().copied().unwrap_or_default();
    let reseller = if ids.len() == 3 {
        ids.get(1).copied()
    } else {
        None
    };
    (provider, reseller)
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
        let display = PhoneNumber::display(&self.number);
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

/// Assignment `id`, if its customer is at `scope` or below.
pub fn find_within(
    conn: &mut DbConnection,
    id: i64,
    scope: &str,
) -> QueryResult<Option<NumberRow>> {
    let (low, high) = subtree_bounds(scope);
    cpaas_numbers::table
        .find(id)
        .filter(cpaas_numbers::scope_path.ge(low))
        .filter(cpaas_numbers::scope_path.lt(high))
        .select(NumberRow::as_select())
        .first(conn)
        .optional()
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
///
/// On PostgreSQL it is `SELECT … FOR UPDATE`, not a no-op `UPDATE`: a row this transaction
/// wrote has its foreign keys checked again on the next save, and that check waits on a
/// referenced row being deleted (a media stream or user whose ended numbers it sets to NULL),
/// which itself waits on this row: a deadlock. On SQLite a first statement that writes makes
/// the transaction a writer from the start, so concurrent ones queue instead of failing.
pub fn lock(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    match conn {
        DbConnection::Postgresql(pg) => cpaas_numbers::table
            .find(id)
            .select(cpaas_numbers::id)
            .for_update()
            .load::<i64>(pg)
            .map(drop),
        DbConnection::Sqlite(_) => diesel::update(cpaas_numbers::table.find(id))
            .set(cpaas_numbers::updated_at.eq(cpaas_numbers::updated_at))
            .execute(conn)
            .map(drop),
    }
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

/// Numbers that still need a platform: active, or ended with their webhook still being removed
/// through it (a platform with such numbers cannot be deleted).
pub fn active_on_platform(conn: &mut DbConnection, platform_id: i64) -> QueryResult<i64> {
    cpaas_numbers::table
        .filter(cpaas_numbers::platform_id.eq(platform_id))
        .filter(
            cpaas_numbers::end_date
                .is_null()
                .or(cpaas_numbers::provisioning_state.eq("removing")),
        )
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

/// An end user's active numbers, by number.
pub fn active_of_user_rows(
    conn: &mut DbConnection,
    end_user_id: i64,
) -> QueryResult<Vec<NumberRow>> {
    cpaas_numbers::table
        .filter(cpaas_numbers::end_user_id.eq(end_user_id))
        .filter(cpaas_numbers::end_date.is_null())
        .order(cpaas_numbers::number.asc())
        .select(NumberRow::as_select())
        .load(conn)
}

/// How many active numbers an end user has (a user with numbers cannot be deleted).
pub fn active_of_user(conn: &mut DbConnection, end_user_id: i64) -> QueryResult<i64> {
    cpaas_numbers::table
        .filter(cpaas_numbers::end_user_id.eq(end_user_id))
        .filter(cpaas_numbers::end_date.is_null())
        .count()
        .get_result(conn)
}

/// Keeps the name shown with active numbers in step with their user or media stream.
pub fn rename_consumer(conn: &mut DbConnection, holder: Holder, name: &str) -> QueryResult<()> {
    let active = cpaas_numbers::table.filter(cpaas_numbers::end_date.is_null());
    let set = cpaas_numbers::consumer_name.eq(name);
    match holder {
        Holder::User(id) => diesel::update(active.filter(cpaas_numbers::end_user_id.eq(id)))
            .set(set)
            .execute(conn),
        Holder::Stream(id) => diesel::update(active.filter(cpaas_numbers::media_stream_id.eq(id)))
            .set(set)
            .execute(conn),
    }
    .map(drop)
}

/// Who holds an assignment: an end user or a media stream.
#[derive(Debug, Clone, Copy)]
pub enum Holder {
    User(i64),
    Stream(i64),
}

/// Which numbers a list shows: a level and everything below it.
#[derive(Debug, Clone)]
pub enum Within {
    /// An organization (its kind, id and materialized path).
    Organization(OrgKind, i64, String),
    User(i64),
    /// Every media stream of a queue.
    Streams(Vec<i64>),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lineage_reads_provider_and_reseller_from_the_path() {
        assert_eq!(lineage("/1/7/42/"), (1, Some(7)));
        assert_eq!(lineage("/1/42/"), (1, None));
    }
}
