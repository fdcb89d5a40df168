//! System providers (R20): read and update within the caller's scope, create (operators);
//! every change is recorded in the history log in the same transaction.

use cpaas_shared::{Page, Provider, ProviderUpdate, SnapshotReportFrequency};

use crate::auth::PortalUser;
use crate::db::DbConnection;
use crate::db::models::organization::{OrgKind, Organization};
use crate::db::models::rfc3339;
use crate::error::ApiError;
use crate::services::organizations;

pub fn to_api(org: Organization) -> Provider {
    Provider {
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
    Ok(Page {
        items: rows.into_iter().map(to_api).collect(),
        total,
        page,
        per_page,
    })
}

/// Applies `update` to provider `id` (see [`organizations::update`]).
pub fn update(
    conn: &mut DbConnection,
    user: &PortalUser,
    id: i64,
    update: ProviderUpdate,
) -> Result<Provider, ApiError> {
    organizations::update(conn, user, OrgKind::SystemProvider, id, update).map(to_api)
}

/// Creates a provider (see [`organizations::create_provider`]).
pub fn create(
    conn: &mut DbConnection,
    user: &PortalUser,
    settings: ProviderUpdate,
) -> Result<Provider, ApiError> {
    organizations::create_provider(conn, user, settings).map(to_api)
}
