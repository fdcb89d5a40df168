//! System providers (R20): read and update within the caller's scope, create (operators);
//! every change is recorded in the history log in the same transaction.

use cpaas_shared::{Page, Provider, ProviderUpdate, SnapshotReportFrequency};

use crate::auth::PortalUser;
use crate::db::DbConnection;
use crate::db::models::organization::{OrgKind, Organization};
use crate::db::models::{platform, rfc3339};
use crate::error::ApiError;
use crate::services::organizations;

/// The provider as the API shows it, with its count of alert recipients.
pub fn to_api(org: Organization, alert_recipients: i64) -> Provider {
    Provider {
        alert_recipients: u32::try_from(alert_recipients).unwrap_or(u32::MAX),
        id: org.id,
        name: org.name,
        timezone: org.timezone,
        language: org.language,
        accounts_reference: org.accounts_reference,
        trial_duration_days: u32::try_from(org.trial_duration_days).unwrap_or_default(),
        use_trial_licenses_until_expiration: org.use_trial_licenses_until_expiration,
        snapshot_report_frequency: SnapshotReportFrequency::parse(&org.snapshot_report_frequency)
            .unwrap_or_default(),
        created_at: rfc3339(org.created_at),
        updated_at: rfc3339(org.updated_at),
    }
}

/// The providers the caller can see (its own, for a provider-level account), by name.
pub fn list(
    conn: &mut DbConnection,
    user: &PortalUser,
    search: Option<&str>,
    page: u32,
    per_page: u32,
) -> Result<Page<Provider>, ApiError> {
    let (rows, total) = organizations::list(
        conn,
        &user.scope,
        OrgKind::SystemProvider,
        search,
        page,
        per_page,
    )?;
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let counts = platform::alert_recipients_of(conn, &ids)?;
    Ok(Page::exact(
        rows.into_iter()
            .map(|row| {
                let count = counts.get(&row.id).copied().unwrap_or_default();
                to_api(row, count)
            })
            .collect(),
        total,
        page,
        per_page,
    ))
}

/// Applies `update` to provider `id` (see [`organizations::update`]).
pub fn update(
    conn: &mut DbConnection,
    user: &PortalUser,
    id: i64,
    update: ProviderUpdate,
) -> Result<Provider, ApiError> {
    let org = organizations::update(conn, user, OrgKind::SystemProvider, id, update)?;
    load(conn, org)
}

/// The provider `org` as the API shows it.
pub fn load(conn: &mut DbConnection, org: Organization) -> Result<Provider, ApiError> {
    let recipients = platform::alert_recipients(conn, org.id)?;
    Ok(to_api(org, recipients))
}

/// Creates a provider (see [`organizations::create_provider`]).
pub fn create(
    conn: &mut DbConnection,
    user: &PortalUser,
    settings: ProviderUpdate,
) -> Result<Provider, ApiError> {
    let org = organizations::create_provider(conn, user, settings)?;
    load(conn, org)
}
