//! The hierarchy below the root (R24): system providers, resellers and customers share one
//! table and one set of rules. Every operation checks the caller's scope first (so a sibling
//! learns nothing), validates every field at once, and writes its history entry in the same
//! transaction as the change.

use chrono::Utc;
use cpaas_shared::{
    ErrorCode, FieldChange, HistoryAction, NewOrganization, ProviderUpdate, validate,
};
use diesel::prelude::*;

use crate::auth::PortalUser;
use crate::db::DbConnection;
use crate::db::models::organization::{self, OrgKind, Organization, subtree_bounds};
use crate::db::models::page_offset;
use crate::db::models::rfc3339;
use crate::db::models::{end_user, queue};
use crate::db::schema::{cpaas_numbers, cpaas_platforms, organizations, portal_accounts};
use crate::db::sql::{like_pattern, lower};
use crate::error::ApiError;
use crate::services::audit::{self, Subject};
use crate::services::{fields, scope};

const MAX_TRIAL_DAYS: u32 = 3650;

/// The `object_kind` of history entries about an organization.
pub fn object_kind(kind: OrgKind) -> &'static str {
    match kind {
        OrgKind::SystemProvider => "provider",
        OrgKind::Reseller => "reseller",
        OrgKind::Customer => "customer",
    }
}

/// Organizations of `kind` at `root` and below, by name, optionally matching `search` (any
/// case, wildcards added, `%` and `_` literal); with the total.
pub fn list(
    conn: &mut DbConnection,
    root: &str,
    kind: OrgKind,
    search: Option<&str>,
    page: u32,
    per_page: u32,
) -> QueryResult<(Vec<Organization>, u64)> {
    let (lower_bound, upper_bound) = subtree_bounds(root);
    let pattern = search
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(like_pattern);
    let filtered = || {
        let mut query = organizations::table
            .filter(organizations::kind.eq(kind.as_str()))
            .filter(organizations::path.ge(lower_bound.clone()))
            .filter(organizations::path.lt(upper_bound.clone()))
            .into_boxed();
        if let Some(pattern) = &pattern {
            query = query.filter(
                lower(organizations::name)
                    .like(pattern.clone())
                    .escape('\\'),
            );
        }
        query
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((organizations::name.asc(), organizations::id.asc()))
        .limit(i64::from(per_page))
        .offset(page_offset(page, per_page))
        .select(Organization::as_select())
        .load(conn)?;
    Ok((rows, u64::try_from(total).unwrap_or_default()))
}

fn record(
    conn: &mut DbConnection,
    user: &PortalUser,
    org: &Organization,
    kind: OrgKind,
    action: HistoryAction,
    changes: Vec<FieldChange>,
) -> QueryResult<()> {
    let subject = Subject {
        scope_path: &org.path,
        kind: object_kind(kind),
        id: org.id,
        label: format!("{} {}", capitalized(kind.label()), org.name),
    };
    audit::record(conn, user, subject, action, changes)
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The organization's level as the API names it.
pub fn kind_of(org: &Organization) -> cpaas_shared::OrganizationKind {
    api_kind(org.kind())
}

/// A stored kind as the API names it.
pub fn api_kind(kind: Option<OrgKind>) -> cpaas_shared::OrganizationKind {
    use cpaas_shared::OrganizationKind as Kind;
    match kind {
        Some(OrgKind::SystemProvider) => Kind::SystemProvider,
        Some(OrgKind::Reseller) => Kind::Reseller,
        _ => Kind::Customer,
    }
}

/// The organization as the API shows a reseller or customer.
pub fn to_api(org: Organization) -> cpaas_shared::Organization {
    use cpaas_shared::OrganizationKind as Kind;
    let kind = kind_of(&org);
    // `/provider/customer/` hangs from a provider, `/provider/reseller/customer/` from a reseller.
    let depth = org.path.split('/').filter(|s| !s.is_empty()).count();
    let parent_kind = if depth <= 2 {
        Kind::SystemProvider
    } else {
        Kind::Reseller
    };
    cpaas_shared::Organization {
        id: org.id,
        kind,
        parent_id: org.parent_id.unwrap_or_default(),
        parent_kind,
        name: org.name,
        timezone: org.timezone,
        language: org.language,
        accounts_reference: org.accounts_reference,
        created_at: rfc3339(org.created_at),
        updated_at: rfc3339(org.updated_at),
    }
}

/// Creates a `kind` under the visible `parent_kind` `parent_id`.
pub fn create(
    conn: &mut DbConnection,
    user: &PortalUser,
    (parent_kind, parent_id): (OrgKind, i64),
    kind: OrgKind,
    input: NewOrganization,
) -> Result<Organization, ApiError> {
    let settings = ProviderUpdate {
        name: Some(input.name.unwrap_or_default()),
        timezone: Some(input.timezone),
        language: Some(input.language),
        accounts_reference: Some(input.accounts_reference),
        ..ProviderUpdate::default()
    };
    conn.transaction(|conn| {
        let parent = scope::find_visible(conn, user, parent_kind, parent_id)?;
        insert(conn, user, Some(parent.id), kind, settings)
    })
}

/// Creates a system provider; only operators may.
pub fn create_provider(
    conn: &mut DbConnection,
    user: &PortalUser,
    settings: ProviderUpdate,
) -> Result<Organization, ApiError> {
    if !user.account.operator {
        return Err(operators_only("create"));
    }
    let settings = ProviderUpdate {
        name: Some(settings.name.unwrap_or_default()),
        ..settings
    };
    conn.transaction(|conn| insert(conn, user, None, OrgKind::SystemProvider, settings))
}

pub fn operators_only(verb: &str) -> ApiError {
    ApiError::new(
        ErrorCode::Forbidden,
        format!("Only operator accounts can {verb} system providers."),
    )
}

/// Inserts, validates and records; the caller's transaction undoes the row on a problem.
fn insert(
    conn: &mut DbConnection,
    user: &PortalUser,
    parent: Option<i64>,
    kind: OrgKind,
    settings: ProviderUpdate,
) -> Result<Organization, ApiError> {
    let created = organization::insert(conn, kind, parent, "")?;
    let settings = apply(&blank_settings(&created), settings)?;
    let created = save(conn, &created, &settings)?;
    let changes = diff(&blank_settings(&created), &created);
    record(conn, user, &created, kind, HistoryAction::Create, changes)?;
    Ok(created)
}

/// An organization with every setting at its default, for diffs against nothing.
fn blank_settings(org: &Organization) -> Organization {
    Organization {
        name: String::new(),
        timezone: None,
        language: None,
        accounts_reference: None,
        trial_duration_days: 0,
        use_trial_licenses_until_expiration: false,
        snapshot_report_frequency: "none".to_owned(),
        ..org.clone()
    }
}

fn save(
    conn: &mut DbConnection,
    org: &Organization,
    next: &Organization,
) -> QueryResult<Organization> {
    diesel::update(organizations::table.find(org.id))
        .set((
            organizations::name.eq(&next.name),
            organizations::timezone.eq(&next.timezone),
            organizations::language.eq(&next.language),
            organizations::accounts_reference.eq(&next.accounts_reference),
            organizations::trial_duration_days.eq(next.trial_duration_days),
            organizations::use_trial_licenses_until_expiration
                .eq(next.use_trial_licenses_until_expiration),
            organizations::snapshot_report_frequency.eq(&next.snapshot_report_frequency),
            organizations::updated_at.eq(Utc::now().naive_utc()),
        ))
        .execute(conn)?;
    organization::find(conn, org.id)
}

/// Applies `update` to the visible `kind` `id`; an update that changes nothing records nothing.
pub fn update(
    conn: &mut DbConnection,
    user: &PortalUser,
    kind: OrgKind,
    id: i64,
    update: ProviderUpdate,
) -> Result<Organization, ApiError> {
    conn.transaction(|conn| {
        let current = scope::find_visible(conn, user, kind, id)?;
        let next = apply(&current, update)?;
        let changes = diff(&current, &next);
        if changes.is_empty() {
            return Ok(current);
        }
        let saved = save(conn, &current, &next)?;
        record(conn, user, &saved, kind, HistoryAction::Update, changes)?;
        Ok(saved)
    })
}

/// Deletes the visible `kind` `id`; refused with `conflict` while anything hangs from it.
pub fn delete(
    conn: &mut DbConnection,
    user: &PortalUser,
    kind: OrgKind,
    id: i64,
) -> Result<(), ApiError> {
    conn.transaction(|conn| {
        let org = scope::find_visible(conn, user, kind, id)?;
        if kind == OrgKind::SystemProvider && !user.account.operator {
            return Err(operators_only("delete"));
        }
        if org.path == user.scope {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("You cannot delete the {} your account belongs to.", kind.label()),
            ));
        }
        let children: i64 = organizations::table
            .filter(organizations::parent_id.eq(id))
            .count()
            .get_result(conn)?;
        let accounts: i64 = portal_accounts::table
            .filter(portal_accounts::organization_id.eq(id))
            .count()
            .get_result(conn)?;
        let users = end_user::count_in(conn, id)? + queue::count_in(conn, id)?;
        let platforms: i64 = cpaas_platforms::table
            .filter(cpaas_platforms::provider_id.eq(id))
            .count()
            .get_result(conn)?;
        if children + accounts + users + platforms > 0 {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!(
                    "The {} {} still has {children} organization(s), {accounts} portal account(s), {users} user(s) or queue(s) and {platforms} CPaaS platform(s) below it: delete those first.",
                    kind.label(),
                    org.name
                ),
            ));
        }
        // Assignments are kept after they end: they are the customer's billing history.
        let held: i64 = cpaas_numbers::table
            .filter(cpaas_numbers::customer_id.eq(id))
            .count()
            .get_result(conn)?;
        if held > 0 {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!(
                    "The {} {} has held {held} CPaaS number assignment(s), kept as its billing history: it cannot be deleted.",
                    kind.label(),
                    org.name
                ),
            ));
        }
        record(conn, user, &org, kind, HistoryAction::Delete, Vec::new())?;
        diesel::delete(organizations::table.find(id)).execute(conn)?;
        Ok(())
    })
}

/// The organization as it would be after `update`, or every field problem.
fn apply(current: &Organization, update: ProviderUpdate) -> Result<Organization, ApiError> {
    let mut next = current.clone();
    let mut problems: Vec<(&str, String)> = Vec::new();
    let mut problem = |field, text| problems.push((field, text));
    if let Some(name) = update.name {
        match validate::name(&name) {
            Ok(name) => next.name = name,
            Err(p) => problem("name", p),
        }
    }
    if let Some(timezone) = update.timezone {
        match fields::timezone(timezone) {
            Ok(tz) => next.timezone = tz,
            Err(p) => problem("timezone", p),
        }
    }
    if let Some(language) = update.language {
        match fields::language(language) {
            Ok(language) => next.language = language,
            Err(p) => problem("language", p),
        }
    }
    if let Some(reference) = update.accounts_reference {
        match fields::reference(reference) {
            Ok(reference) => next.accounts_reference = reference,
            Err(p) => problem("accounts_reference", p),
        }
    }
    if let Some(days) = update.trial_duration_days {
        match i32::try_from(days) {
            Ok(days) if days.unsigned_abs() <= MAX_TRIAL_DAYS => next.trial_duration_days = days,
            _ => problem(
                "trial_duration_days",
                format!("must be between 0 and {MAX_TRIAL_DAYS}"),
            ),
        }
    }
    if let Some(flag) = update.use_trial_licenses_until_expiration {
        next.use_trial_licenses_until_expiration = flag;
    }
    if let Some(frequency) = update.snapshot_report_frequency {
        next.snapshot_report_frequency = frequency.as_str().to_owned();
    }
    if problems.is_empty() {
        return Ok(next);
    }
    Err(ApiError::invalid(problems))
}

fn diff(old: &Organization, new: &Organization) -> Vec<FieldChange> {
    audit::diff([
        ("name", Some(old.name.clone()), Some(new.name.clone())),
        ("timezone", old.timezone.clone(), new.timezone.clone()),
        ("language", old.language.clone(), new.language.clone()),
        (
            "accounts_reference",
            old.accounts_reference.clone(),
            new.accounts_reference.clone(),
        ),
        (
            "trial_duration_days",
            Some(old.trial_duration_days.to_string()),
            Some(new.trial_duration_days.to_string()),
        ),
        (
            "use_trial_licenses_until_expiration",
            Some(old.use_trial_licenses_until_expiration.to_string()),
            Some(new.use_trial_licenses_until_expiration.to_string()),
        ),
        (
            "snapshot_report_frequency",
            Some(old.snapshot_report_frequency.clone()),
            Some(new.snapshot_report_frequency.clone()),
        ),
    ])
}
