//! The cpaas_platforms table. The secret columns hold sealed values (`crate::crypto`); this
//! module never sees a plaintext secret.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{cpaas_platforms, portal_accounts};

#[derive(Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = cpaas_platforms)]
pub struct PlatformRow {
    #[diesel(skip_insertion)]
    pub id: i64,
    pub provider_id: i64,
    pub kind: String,
    pub name: String,
    pub account_key: String,
    pub token_secret: String,
    pub outbound_api_key: String,
    pub user_confirmation_required: bool,
    pub user_can_block_numbers: bool,
    pub mms_available: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Sealed; the header value the carrier sends to our webhook.
    pub webhook_token: Option<String>,
    /// R18: what each number on this platform costs a month, in cents.
    pub monthly_charge_cents: i32,
}

impl std::fmt::Debug for PlatformRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlatformRow")
            .field("id", &self.id)
            .field("provider_id", &self.provider_id)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// Platform `id`, if its provider is at `scope` or below.
pub fn find_within(
    conn: &mut DbConnection,
    id: i64,
    scope: &str,
) -> QueryResult<Option<PlatformRow>> {
    cpaas_platforms::table
        .find(id)
        .filter(cpaas_platforms::provider_id.eq_any(crate::db::models::organization::within(scope)))
        .select(PlatformRow::as_select())
        .first(conn)
        .optional()
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<PlatformRow> {
    cpaas_platforms::table
        .find(id)
        .select(PlatformRow::as_select())
        .first(conn)
}

pub fn insert(conn: &mut DbConnection, row: &PlatformRow) -> QueryResult<PlatformRow> {
    let id: i64 = diesel::insert_into(cpaas_platforms::table)
        .values(row)
        .returning(cpaas_platforms::id)
        .get_result(conn)?;
    find(conn, id)
}

pub fn save(conn: &mut DbConnection, row: &PlatformRow) -> QueryResult<PlatformRow> {
    diesel::update(cpaas_platforms::table.find(row.id))
        .set(row)
        .execute(conn)?;
    find(conn, row.id)
}

/// Every platform, by id.
pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<PlatformRow>> {
    cpaas_platforms::table
        .order(cpaas_platforms::id.asc())
        .select(PlatformRow::as_select())
        .load(conn)
}

pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::delete(cpaas_platforms::table.find(id))
        .execute(conn)
        .map(drop)
}

/// A provider's platforms by name.
pub fn of_provider(conn: &mut DbConnection, provider_id: i64) -> QueryResult<Vec<PlatformRow>> {
    cpaas_platforms::table
        .filter(cpaas_platforms::provider_id.eq(provider_id))
        .order((cpaas_platforms::name.asc(), cpaas_platforms::id.asc()))
        .select(PlatformRow::as_select())
        .load(conn)
}

/// Stores the sealed webhook token of platform `id` unless it has one already.
pub fn set_webhook_token(conn: &mut DbConnection, id: i64, sealed: &str) -> QueryResult<()> {
    diesel::update(
        cpaas_platforms::table
            .find(id)
            .filter(cpaas_platforms::webhook_token.is_null()),
    )
    .set(cpaas_platforms::webhook_token.eq(sealed))
    .execute(conn)
    .map(drop)
}

pub fn count_of_provider(conn: &mut DbConnection, provider_id: i64) -> QueryResult<i64> {
    cpaas_platforms::table
        .filter(cpaas_platforms::provider_id.eq(provider_id))
        .count()
        .get_result(conn)
}

/// Portal accounts of the provider itself (not below it) with Send Alerts on (R2, R3).
pub fn alert_recipients(conn: &mut DbConnection, provider_id: i64) -> QueryResult<i64> {
    portal_accounts::table
        .filter(portal_accounts::organization_id.eq(provider_id))
        .filter(portal_accounts::send_alerts.eq(true))
        .count()
        .get_result(conn)
}

/// [`alert_recipients`] of several providers at once (absent: none).
pub fn alert_recipients_of(
    conn: &mut DbConnection,
    provider_ids: &[i64],
) -> QueryResult<std::collections::HashMap<i64, i64>> {
    use diesel::dsl::count_star;
    let counts: Vec<(i64, i64)> = portal_accounts::table
        .filter(portal_accounts::organization_id.eq_any(provider_ids))
        .filter(portal_accounts::send_alerts.eq(true))
        .group_by(portal_accounts::organization_id)
        .select((portal_accounts::organization_id, count_star()))
        .load(conn)?;
    Ok(counts.into_iter().collect())
}
