//! The organizations table: one row per system provider, reseller or customer.

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::organizations;

/// What level of the hierarchy an organization is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgKind {
    SystemProvider,
    Reseller,
    Customer,
}

impl OrgKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SystemProvider => "system_provider",
            Self::Reseller => "reseller",
            Self::Customer => "customer",
        }
    }

    /// For messages: "system provider", "reseller", "customer".
    pub fn label(self) -> &'static str {
        match self {
            Self::SystemProvider => "system provider",
            Self::Reseller => "reseller",
            Self::Customer => "customer",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::SystemProvider, Self::Reseller, Self::Customer]
            .into_iter()
            .find(|kind| kind.as_str() == value)
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = organizations)]
pub struct Organization {
    pub id: i64,
    pub kind: String,
    pub parent_id: Option<i64>,
    pub path: String,
    pub name: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub timezone: Option<String>,
    pub language: Option<String>,
    pub accounts_reference: Option<String>,
    pub trial_duration_days: i32,
    pub use_trial_licenses_until_expiration: bool,
    pub snapshot_report_frequency: String,
}

impl Organization {
    pub fn kind(&self) -> Option<OrgKind> {
        OrgKind::parse(&self.kind)
    }
}

/// Inserts an organization under `parent_id` (none for a system provider) and sets its path.
/// Runs in its own transaction (nested as a savepoint inside the caller's).
pub fn insert(
    conn: &mut DbConnection,
    kind: OrgKind,
    parent_id: Option<i64>,
    name: &str,
) -> QueryResult<Organization> {
    conn.transaction(|conn| {
        let parent_path = match parent_id {
            Some(parent) => organizations::table
                .find(parent)
                .select(organizations::path)
                .first::<String>(conn)?,
            None => "/".to_owned(),
        };
        let now = Utc::now().naive_utc();
        let id: i64 = diesel::insert_into(organizations::table)
            .values((
                organizations::kind.eq(kind.as_str()),
                organizations::parent_id.eq(parent_id),
                organizations::path.eq(""),
                organizations::name.eq(name),
                organizations::created_at.eq(now),
                organizations::updated_at.eq(now),
            ))
            .returning(organizations::id)
            .get_result(conn)?;
        diesel::update(organizations::table.find(id))
            .set(organizations::path.eq(format!("{parent_path}{id}/")))
            .execute(conn)?;
        find(conn, id)
    })
}

/// Every system provider, by name.
pub fn providers(conn: &mut DbConnection) -> QueryResult<Vec<Organization>> {
    organizations::table
        .filter(organizations::kind.eq(OrgKind::SystemProvider.as_str()))
        .order(organizations::name.asc())
        .select(Organization::as_select())
        .load(conn)
}

/// The organization a materialized path ends at (`/1/7/` → 7); `None` for `/`.
pub fn id_of_path(path: &str) -> Option<i64> {
    path.rsplit('/').find(|s| !s.is_empty())?.parse().ok()
}

/// The provider at the top of `path` (`/1/7/42/` → 1).
pub fn provider_of(path: &str) -> Option<i64> {
    path.split('/').find(|s| !s.is_empty())?.parse().ok()
}

/// Takes the write lock on organization `id` for the rest of the transaction. Call it first:
/// on PostgreSQL it is a row lock (`FOR UPDATE`, which writes no row version, so a later save
/// does not re-check foreign keys: see `number::lock`); on SQLite a first statement that writes
/// makes the transaction a writer from the start, so concurrent ones queue instead of failing.
pub fn lock(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    match conn {
        DbConnection::Postgresql(pg) => organizations::table
            .find(id)
            .select(organizations::id)
            .for_update()
            .load::<i64>(pg)
            .map(drop),
        DbConnection::Sqlite(_) => diesel::update(organizations::table.find(id))
            .set(organizations::updated_at.eq(organizations::updated_at))
            .execute(conn)
            .map(drop),
    }
}

/// `[lower, upper)` such that a path is in the range exactly when it starts with `path`
/// (which ends in `/`; `/` sorts just before `0`).
pub fn subtree_bounds(path: &str) -> (String, String) {
    let upper = format!("{}0", path.strip_suffix('/').unwrap_or(path));
    (path.to_owned(), upper)
}

/// The ids of the organizations at `scope` and below, as a subquery: lookups filter by it, so
/// a row outside a caller's subtree is never read.
pub type Within = diesel::dsl::Select<
    diesel::dsl::Filter<
        diesel::dsl::Filter<organizations::table, diesel::dsl::GtEq<organizations::path, String>>,
        diesel::dsl::Lt<organizations::path, String>,
    >,
    organizations::id,
>;

pub fn within(scope: &str) -> Within {
    let (low, high) = subtree_bounds(scope);
    organizations::table
        .filter(organizations::path.ge(low))
        .filter(organizations::path.lt(high))
        .select(organizations::id)
}

/// Organization `id`, if it is at `scope` or below.
pub fn find_within(
    conn: &mut DbConnection,
    id: i64,
    scope: &str,
) -> QueryResult<Option<Organization>> {
    let (low, high) = subtree_bounds(scope);
    organizations::table
        .find(id)
        .filter(organizations::path.ge(low))
        .filter(organizations::path.lt(high))
        .select(Organization::as_select())
        .first(conn)
        .optional()
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Organization> {
    organizations::table
        .find(id)
        .select(Organization::as_select())
        .first(conn)
}

/// The organization at `path` and everything below it: one range scan on the path index.
pub fn subtree(conn: &mut DbConnection, path: &str) -> QueryResult<Vec<Organization>> {
    let (lower, upper) = subtree_bounds(path);
    organizations::table
        .filter(organizations::path.ge(lower))
        .filter(organizations::path.lt(upper))
        .order(organizations::path.asc())
        .select(Organization::as_select())
        .load(conn)
}
