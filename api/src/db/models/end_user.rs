//! The end_users table.

use chrono::NaiveDateTime;
use cpaas_shared::EndUser;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::models::page_offset;
use crate::db::models::rfc3339;
use crate::db::schema::end_users;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = end_users)]
pub struct EndUserRow {
    pub id: i64,
    pub customer_id: i64,
    pub provider_id: i64,
    pub user_id: String,
    pub name: String,
    pub timezone: Option<String>,
    pub language: Option<String>,
    pub external_reference: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Only its client tokens of this version are accepted.
    pub token_version: i32,
}

impl EndUserRow {
    pub fn to_api(&self) -> EndUser {
        EndUser {
            id: self.id,
            customer_id: self.customer_id,
            user_id: self.user_id.clone(),
            name: self.name.clone(),
            timezone: self.timezone.clone(),
            language: self.language.clone(),
            external_reference: self.external_reference.clone(),
            created_at: rfc3339(self.created_at),
            updated_at: rfc3339(self.updated_at),
        }
    }
}

/// User `id`, if its customer is at `scope` or below.
pub fn find_within(
    conn: &mut DbConnection,
    id: i64,
    scope: &str,
) -> QueryResult<Option<EndUserRow>> {
    end_users::table
        .find(id)
        .filter(end_users::customer_id.eq_any(crate::db::models::organization::within(scope)))
        .select(EndUserRow::as_select())
        .first(conn)
        .optional()
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<EndUserRow> {
    end_users::table
        .find(id)
        .select(EndUserRow::as_select())
        .first(conn)
}

/// The user with `user_id` in the provider, if any.
pub fn find_by_user_id(
    conn: &mut DbConnection,
    provider_id: i64,
    user_id: &str,
) -> QueryResult<Option<EndUserRow>> {
    end_users::table
        .filter(end_users::provider_id.eq(provider_id))
        .filter(end_users::user_id.eq(user_id))
        .select(EndUserRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConnection, row: &EndUserRow) -> QueryResult<EndUserRow> {
    let id: i64 = diesel::insert_into(end_users::table)
        .values((
            end_users::customer_id.eq(row.customer_id),
            end_users::provider_id.eq(row.provider_id),
            end_users::user_id.eq(&row.user_id),
            end_users::name.eq(&row.name),
            end_users::timezone.eq(&row.timezone),
            end_users::language.eq(&row.language),
            end_users::external_reference.eq(&row.external_reference),
            end_users::created_at.eq(row.created_at),
            end_users::updated_at.eq(row.updated_at),
        ))
        .returning(end_users::id)
        .get_result(conn)?;
    find(conn, id)
}

/// Sets the client sign-in password hash of user `id`, ending its client sessions.
pub fn set_password(conn: &mut DbConnection, id: i64, hash: &str) -> QueryResult<()> {
    diesel::update(end_users::table.find(id))
        .set((
            end_users::password_hash.eq(hash),
            end_users::token_version.eq(end_users::token_version + 1),
        ))
        .execute(conn)
        .map(drop)
}

/// Users with this user id (one per provider at most, `provider` only when given), with their
/// password hashes.
pub fn for_sign_in(
    conn: &mut DbConnection,
    user_id: &str,
    provider: Option<i64>,
) -> QueryResult<Vec<(EndUserRow, Option<String>)>> {
    let mut query = end_users::table
        .filter(end_users::user_id.eq(user_id))
        .into_boxed();
    if let Some(provider) = provider {
        query = query.filter(end_users::provider_id.eq(provider));
    }
    query
        .select((EndUserRow::as_select(), end_users::password_hash))
        .load(conn)
}

pub fn save(conn: &mut DbConnection, row: &EndUserRow) -> QueryResult<EndUserRow> {
    diesel::update(end_users::table.find(row.id))
        .set((
            end_users::user_id.eq(&row.user_id),
            end_users::name.eq(&row.name),
            end_users::timezone.eq(&row.timezone),
            end_users::language.eq(&row.language),
            end_users::external_reference.eq(&row.external_reference),
            end_users::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    find(conn, row.id)
}

pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::delete(end_users::table.find(id))
        .execute(conn)
        .map(drop)
}

pub fn count_in(conn: &mut DbConnection, customer_id: i64) -> QueryResult<i64> {
    end_users::table
        .filter(end_users::customer_id.eq(customer_id))
        .count()
        .get_result(conn)
}

/// A customer's users by name, optionally matching `pattern` (a LIKE pattern on lower-case
/// name or user id); with the total.
pub fn list(
    conn: &mut DbConnection,
    customer_id: i64,
    pattern: Option<&str>,
    page: u32,
    per_page: u32,
) -> QueryResult<(Vec<EndUserRow>, u64)> {
    use crate::db::sql::lower;
    let filtered = || {
        let mut query = end_users::table
            .filter(end_users::customer_id.eq(customer_id))
            .into_boxed();
        if let Some(pattern) = pattern {
            query = query.filter(
                lower(end_users::name)
                    .like(pattern.to_owned())
                    .escape('\\')
                    .or(lower(end_users::user_id)
                        .like(pattern.to_owned())
                        .escape('\\')),
            );
        }
        query
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((end_users::name.asc(), end_users::id.asc()))
        .limit(i64::from(per_page))
        .offset(page_offset(page, per_page))
        .select(EndUserRow::as_select())
        .load(conn)?;
    Ok((rows, u64::try_from(total).unwrap_or_default()))
}
