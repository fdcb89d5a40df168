//! Storing, recording and deleting a platform.

use chrono::Utc;
use cpaas_shared::{ErrorCode, FieldChange, HistoryAction};
use diesel::OptionalExtension;

use crate::auth::PortalUser;
use crate::crypto::SecretBox;
use crate::db::DbConnection;
use crate::db::models::organization::Organization;
use crate::db::models::platform::{self, PlatformRow};
use crate::error::ApiError;
use crate::services::alerts;
use crate::services::audit::{self, Subject};

use super::checks::*;
use super::sealing::*;

fn record(
    conn: &mut DbConnection,
    user: &PortalUser,
    provider: &Organization,
    row: &PlatformRow,
    action: HistoryAction,
    changes: Vec<FieldChange>,
) -> diesel::QueryResult<()> {
    let subject = Subject {
        scope_path: &provider.path,
        kind: "cpaas_platform",
        id: row.id,
        label: format!("CPaaS platform {}", row.name),
    };
    audit::record(conn, user, subject, action, changes)
}

fn changes(
    before: Option<&PlatformRow>,
    after: &PlatformRow,
    secrets: &[&str],
) -> Vec<FieldChange> {
    let text = |row: Option<&PlatformRow>, f: fn(&PlatformRow) -> String| row.map(f);
    let mut changes = audit::diff([
        (
            "kind",
            text(before, |r| r.kind.clone()),
            Some(after.kind.clone()),
        ),
        (
            "name",
            text(before, |r| r.name.clone()),
            Some(after.name.clone()),
        ),
        (
            "user_confirmation_required",
            text(before, |r| r.user_confirmation_required.to_string()),
            Some(after.user_confirmation_required.to_string()),
        ),
        (
            "user_can_block_numbers",
            text(before, |r| r.user_can_block_numbers.to_string()),
            Some(after.user_can_block_numbers.to_string()),
        ),
        (
            "mms_available",
            text(before, |r| r.mms_available.to_string()),
            Some(after.mms_available.to_string()),
        ),
        (
            "monthly_charge_cents",
            text(before, |r| r.monthly_charge_cents.to_string()),
            Some(after.monthly_charge_cents.to_string()),
        ),
    ]);
    // Secrets: only that they were set or changed.
    let note = if before.is_some() {
        "(changed)"
    } else {
        "(set)"
    };
    changes.extend(secrets.iter().map(|field| FieldChange {
        field: (*field).to_owned(),
        old: None,
        new: Some(note.to_owned()),
    }));
    changes
}

/// Step 3: writes the verified platform under the provider's lock.
pub fn store(
    conn: &mut DbConnection,
    user: &PortalUser,
    keys: &SecretBox,
    prepared: Prepared,
) -> Result<PlatformRow, ApiError> {
    let Prepared {
        provider,
        current,
        mut row,
        secrets,
        changed,
    } = prepared;
    row.updated_at = Utc::now().naive_utc();
    alerts::under_provider_lock(conn, &provider.path, |conn| {
        let history = changes(current.as_ref(), &row, &changed);
        let saved = match &current {
            None => {
                // R2 again, now that no concurrent change can slip in.
                alerts::require_recipient(conn, provider.id)?;
                if let Some(problem) = name_problem(conn, provider.id, &row.name, None)? {
                    return Err(ApiError::invalid(vec![("name", problem)]));
                }
                let saved = insert_sealed(conn, keys, &row, &secrets)?;
                record(
                    conn,
                    user,
                    &provider,
                    &saved,
                    HistoryAction::Create,
                    history,
                )?;
                saved
            }
            Some(before) => {
                if platform::find(conn, before.id).optional()?.is_none() {
                    return Err(ApiError::not_found(format!(
                        "There is no CPaaS platform {}.",
                        before.id
                    )));
                }
                seal(keys, &mut row, &secrets)?;
                let saved = platform::save(conn, &row)?;
                if !history.is_empty() {
                    record(
                        conn,
                        user,
                        &provider,
                        &saved,
                        HistoryAction::Update,
                        history,
                    )?;
                }
                saved
            }
        };
        Ok(saved)
    })
}

/// Deletes the visible platform `id`.
pub fn delete(conn: &mut DbConnection, user: &PortalUser, id: i64) -> Result<(), ApiError> {
    let (_, provider) = find_visible(conn, user, id)?;
    alerts::under_provider_lock(conn, &provider.path, |conn| {
        let (row, provider) = find_visible(conn, user, id)?;
        let numbers = crate::db::models::number::active_on_platform(conn, id)?;
        if numbers > 0 {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!(
                    "The CPaaS platform {} still has {numbers} active number(s) (or numbers whose webhook is still being removed): delete them first, or wait.",
                    row.name
                ),
            ));
        }
        record(
            conn,
            user,
            &provider,
            &row,
            HistoryAction::Delete,
            Vec::new(),
        )?;
        platform::delete(conn, id)?;
        Ok(())
    })
}
