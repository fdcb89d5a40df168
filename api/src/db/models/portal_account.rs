//! The portal_accounts table.

use chrono::NaiveDateTime;
use cpaas_shared::{OrganizationKind, PortalAccount};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::models::{page_offset, rfc3339};
use crate::db::schema::{portal_accounts, portal_sessions};

#[derive(Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = portal_accounts)]
pub struct PortalAccountRow {
    pub id: i64,
    pub organization_id: i64,
    pub email: String,
    pub password_hash: String,
    pub send_technical_emails: bool,
    pub send_alerts: bool,
    pub send_invoices_and_receipts: bool,
    pub send_license_expiry_alerts: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Sees every provider and may create and delete them (set only by the CLI).
    pub operator: bool,
    /// Only its bearer tokens of this version are accepted.
    pub token_version: i32,
}

impl std::fmt::Debug for PortalAccountRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PortalAccountRow")
            .field("id", &self.id)
            .field("organization_id", &self.organization_id)
            .finish_non_exhaustive()
    }
}

impl PortalAccountRow {
    /// The account as the API shows it: no hash, no throttling state.
    pub fn to_api(&self, organization_kind: OrganizationKind) -> PortalAccount {
        PortalAccount {
            id: self.id,
            organization_id: self.organization_id,
            organization_kind,
            operator: self.operator,
            email: self.email.clone(),
            send_technical_emails: self.send_technical_emails,
            send_alerts: self.send_alerts,
            send_invoices_and_receipts: self.send_invoices_and_receipts,
            send_license_expiry_alerts: self.send_license_expiry_alerts,
            created_at: rfc3339(self.created_at),
            updated_at: rfc3339(self.updated_at),
        }
    }
}

/// The R21 notification settings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Notifications {
    pub send_technical_emails: bool,
    pub send_alerts: bool,
    pub send_invoices_and_receipts: bool,
    pub send_license_expiry_alerts: bool,
}

pub fn insert(
    conn: &mut DbConnection,
    organization_id: i64,
    email: &str,
    password_hash: &str,
    notifications: Notifications,
    now: NaiveDateTime,
) -> QueryResult<PortalAccountRow> {
    let id: i64 = diesel::insert_into(portal_accounts::table)
        .values((
            portal_accounts::organization_id.eq(organization_id),
            portal_accounts::email.eq(email),
            portal_accounts::password_hash.eq(password_hash),
            portal_accounts::send_technical_emails.eq(notifications.send_technical_emails),
            portal_accounts::send_alerts.eq(notifications.send_alerts),
            portal_accounts::send_invoices_and_receipts
                .eq(notifications.send_invoices_and_receipts),
            portal_accounts::send_license_expiry_alerts
                .eq(notifications.send_license_expiry_alerts),
            portal_accounts::created_at.eq(now),
            portal_accounts::updated_at.eq(now),
        ))
        .returning(portal_accounts::id)
        .get_result(conn)?;
    find(conn, id)
}

/// Makes account `id` an operator.
pub fn make_operator(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::update(portal_accounts::table.find(id))
        .set(portal_accounts::operator.eq(true))
        .execute(conn)
        .map(drop)
}

/// The emails of the accounts at organization `id` with Send Alerts on (R2, R12).
pub fn alert_emails(conn: &mut DbConnection, organization_id: i64) -> QueryResult<Vec<String>> {
    portal_accounts::table
        .filter(portal_accounts::organization_id.eq(organization_id))
        .filter(portal_accounts::send_alerts.eq(true))
        .order(portal_accounts::email.asc())
        .select(portal_accounts::email)
        .load(conn)
}

/// Account `id`, if its organization is at `scope` or below.
pub fn find_within(
    conn: &mut DbConnection,
    id: i64,
    scope: &str,
) -> QueryResult<Option<PortalAccountRow>> {
    portal_accounts::table
        .find(id)
        .filter(
            portal_accounts::organization_id.eq_any(crate::db::models::organization::within(scope)),
        )
        .select(PortalAccountRow::as_select())
        .first(conn)
        .optional()
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<PortalAccountRow> {
    portal_accounts::table
        .find(id)
        .select(PortalAccountRow::as_select())
        .first(conn)
}

/// By normalised (lower-case) email.
pub fn find_by_email(
    conn: &mut DbConnection,
    email: &str,
) -> QueryResult<Option<PortalAccountRow>> {
    portal_accounts::table
        .filter(portal_accounts::email.eq(email))
        .select(PortalAccountRow::as_select())
        .first(conn)
        .optional()
}

/// Accounts whose organization is at `path` or below, by email (`pattern` matches the email);
/// each with its organization's kind; with the total.
pub fn list_below(
    conn: &mut DbConnection,
    path: &str,
    pattern: Option<&str>,
    page: u32,
    per_page: u32,
) -> QueryResult<(Vec<(PortalAccountRow, String)>, u64)> {
    use crate::db::models::organization::subtree_bounds;
    use crate::db::schema::organizations;
    let (lower, upper) = subtree_bounds(path);
    let filtered = || {
        let query = portal_accounts::table
            .inner_join(organizations::table)
            .filter(organizations::path.ge(lower.clone()))
            .filter(organizations::path.lt(upper.clone()))
            .into_boxed();
        match pattern {
            // Emails are stored lower-cased.
            Some(p) => query.filter(portal_accounts::email.like(p.to_owned()).escape('\\')),
            None => query,
        }
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order(portal_accounts::email.asc())
        .limit(i64::from(per_page))
        .offset(page_offset(page, per_page))
        .select((PortalAccountRow::as_select(), organizations::kind))
        .load(conn)?;
    Ok((rows, u64::try_from(total).unwrap_or_default()))
}

/// Writes every changeable column of `next` (email, hash, notification settings).
pub fn save(
    conn: &mut DbConnection,
    next: &PortalAccountRow,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(portal_accounts::table.find(next.id))
        .set((
            portal_accounts::email.eq(&next.email),
            portal_accounts::password_hash.eq(&next.password_hash),
            portal_accounts::send_technical_emails.eq(next.send_technical_emails),
            portal_accounts::send_alerts.eq(next.send_alerts),
            portal_accounts::send_invoices_and_receipts.eq(next.send_invoices_and_receipts),
            portal_accounts::send_license_expiry_alerts.eq(next.send_license_expiry_alerts),
            portal_accounts::updated_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// Ends every session of account `id`: its bearer tokens of older versions are refused and its
/// refresh cookies are forgotten.
pub fn end_sessions(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::update(portal_accounts::table.find(id))
        .set(portal_accounts::token_version.eq(portal_accounts::token_version + 1))
        .execute(conn)?;
    diesel::delete(portal_sessions::table.filter(portal_sessions::account_id.eq(id)))
        .execute(conn)
        .map(drop)
}

/// Stores a refresh cookie's hash for account `id` at token `version`.
pub fn insert_session(
    conn: &mut DbConnection,
    (id, version): (i64, i32),
    token_hash: &str,
    (now, expires_at): (NaiveDateTime, NaiveDateTime),
) -> QueryResult<()> {
    diesel::insert_into(portal_sessions::table)
        .values((
            portal_sessions::account_id.eq(id),
            portal_sessions::token_version.eq(version),
            portal_sessions::token_hash.eq(token_hash),
            portal_sessions::expires_at.eq(expires_at),
            portal_sessions::created_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// Takes (deletes) the refresh cookie with `token_hash`: the account it signs in and the token
/// version it was started at, when it has not expired. A cookie is good for one use.
pub fn take_session(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<(i64, i32)>> {
    let found: Option<(i64, i32, NaiveDateTime)> = portal_sessions::table
        .filter(portal_sessions::token_hash.eq(token_hash))
        .select((
            portal_sessions::account_id,
            portal_sessions::token_version,
            portal_sessions::expires_at,
        ))
        .first(conn)
        .optional()?;
    let taken =
        diesel::delete(portal_sessions::table.filter(portal_sessions::token_hash.eq(token_hash)))
            .execute(conn)?;
    // Also forget the account's expired cookies while here.
    if let Some((account, _, _)) = found {
        diesel::delete(
            portal_sessions::table
                .filter(portal_sessions::account_id.eq(account))
                .filter(portal_sessions::expires_at.le(now)),
        )
        .execute(conn)?;
    }
    Ok(found
        .filter(|(_, _, expires)| taken == 1 && *expires > now)
        .map(|(account, version, _)| (account, version)))
}

/// Forgets the refresh cookie with `token_hash`, if stored.
pub fn forget_session(conn: &mut DbConnection, token_hash: &str) -> QueryResult<()> {
    diesel::delete(portal_sessions::table.filter(portal_sessions::token_hash.eq(token_hash)))
        .execute(conn)
        .map(drop)
}

pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::delete(portal_accounts::table.find(id))
        .execute(conn)
        .map(drop)
}
