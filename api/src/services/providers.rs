//! System providers (R20): read and update within the caller's scope; every change is recorded
//! in the history log in the same transaction.

use chrono::Utc;
use cpaas_shared::{
    ErrorCode, FieldChange, HistoryAction, Page, Provider, ProviderUpdate, SnapshotReportFrequency,
    validate,
};
use diesel::prelude::*;

use crate::auth::PortalUser;
use crate::db::DbConnection;
use crate::db::models::history::{self, NewEntry};
use crate::db::models::organization::{self, OrgKind, Organization, subtree_bounds};
use crate::db::models::portal_account::rfc3339;
use crate::db::schema::organizations;
use crate::error::ApiError;
use crate::services::scope;

diesel::define_sql_function! {
    /// SQL `lower(text)`, on both backends.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

const MAX_TRIAL_DAYS: u32 = 3650;

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
    let (lower_bound, upper_bound) = subtree_bounds(&user.scope);
    let pattern = search
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| format!("%{}%", escape_like(&s.to_lowercase())));
    let filtered = || {
        let mut query = organizations::table
            .filter(organizations::kind.eq(OrgKind::SystemProvider.as_str()))
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
        .offset(i64::from(page.saturating_sub(1)) * i64::from(per_page))
        .select(Organization::as_select())
        .load(conn)?;
    Ok(Page {
        items: rows.into_iter().map(to_api).collect(),
        total: u64::try_from(total).unwrap_or_default(),
        page,
        per_page,
    })
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Applies `update` to provider `id`: scope first (so a sibling learns nothing), then every
/// field's validation (all problems at once), then one transaction with its history entry.
pub fn update(
    conn: &mut DbConnection,
    user: &PortalUser,
    id: i64,
    update: ProviderUpdate,
) -> Result<Provider, ApiError> {
    conn.transaction(|conn| {
        let current = scope::find_visible(conn, user, OrgKind::SystemProvider, id)?;
        let next = apply(&current, update)?;
        let changes = diff(&current, &next);
        if changes.is_empty() {
            return Ok(to_api(current));
        }
        let now = Utc::now().naive_utc();
        diesel::update(organizations::table.find(id))
            .set((
                organizations::name.eq(&next.name),
                organizations::timezone.eq(&next.timezone),
                organizations::language.eq(&next.language),
                organizations::accounts_reference.eq(&next.accounts_reference),
                organizations::trial_duration_days.eq(next.trial_duration_days),
                organizations::use_trial_licenses_until_expiration
                    .eq(next.use_trial_licenses_until_expiration),
                organizations::snapshot_report_frequency.eq(&next.snapshot_report_frequency),
                organizations::updated_at.eq(now),
            ))
            .execute(conn)?;
        history::insert(
            conn,
            NewEntry {
                at: now,
                account_id: Some(user.account.id),
                actor: &user.account.email,
                scope_path: &current.path,
                object_kind: "provider",
                object_id: id,
                action: HistoryAction::Update,
                summary: format!("System provider {} updated", next.name),
                changes,
            },
        )?;
        Ok(to_api(organization::find(conn, id)?))
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
        match timezone
            .map(|tz| tz.trim().to_owned())
            .filter(|tz| !tz.is_empty())
        {
            Some(tz) if tz.parse::<chrono_tz::Tz>().is_err() => problem(
                "timezone",
                "must be an IANA time zone such as America/Chicago".to_owned(),
            ),
            tz => next.timezone = tz,
        }
    }
    if let Some(language) = update.language {
        match language.map(|l| validate::language(&l)).transpose() {
            Ok(language) => next.language = language,
            Err(p) => problem("language", p),
        }
    }
    if let Some(reference) = update.accounts_reference {
        let reference = reference
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty());
        if reference.as_ref().is_some_and(|r| r.chars().count() > 200) {
            problem(
                "accounts_reference",
                "must be at most 200 characters".to_owned(),
            );
        } else {
            next.accounts_reference = reference;
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
    Err(problems.into_iter().fold(
        ApiError::new(ErrorCode::ValidationFailed, "Some fields are invalid."),
        |error, (field, text)| error.with_field(field, text),
    ))
}

fn diff(old: &Organization, new: &Organization) -> Vec<FieldChange> {
    let fields: [(&str, Option<String>, Option<String>); 7] = [
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
    ];
    fields
        .into_iter()
        .filter(|(_, old, new)| old != new)
        .map(|(field, old, new)| FieldChange {
            field: field.to_owned(),
            old,
            new,
        })
        .collect()
}
