//! End users (R22) of a customer: scope first, then every field (user ids unique per
//! provider), one transaction with its history entry.

use chrono::Utc;
use cpaas_shared::{EndUserUpdate, FieldChange, HistoryAction, NewEndUser, validate};
use diesel::prelude::*;

use crate::auth::PortalUser;
use crate::db::DbConnection;
use crate::db::models::end_user::{self, EndUserRow};
use crate::db::models::organization::{self, OrgKind, Organization};
use crate::error::ApiError;
use crate::services::audit::{self, Subject};
use crate::services::{fields, scope};

/// The user `id` if its customer is in the caller's subtree, with that customer.
pub fn find_visible(
    conn: &mut DbConnection,
    user: &PortalUser,
    id: i64,
) -> Result<(EndUserRow, Organization), ApiError> {
    let missing = || ApiError::not_found(format!("There is no user {id}."));
    let row = end_user::find_within(conn, id, &user.scope)?.ok_or_else(missing)?;
    let customer = organization::find(conn, row.customer_id)?;
    Ok((row, customer))
}

/// The provider id of an organization.
fn provider_of(org: &Organization) -> i64 {
    organization::provider_of(&org.path).unwrap_or(org.id)
}

/// `next` with `update` applied, or every problem.
fn apply(
    conn: &mut DbConnection,
    current: &EndUserRow,
    update: EndUserUpdate,
) -> Result<EndUserRow, ApiError> {
    let mut next = current.clone();
    let mut problems: Vec<(&str, String)> = Vec::new();
    if let Some(user_id) = update.user_id {
        let too_long = user_id.chars().count() > 200;
        let user_id = user_id.trim().to_owned();
        if user_id.is_empty() || too_long {
            problems.push(("user_id", "is required (at most 200 characters)".to_owned()));
        } else if end_user::find_by_user_id(conn, current.provider_id, &user_id)?
            .is_some_and(|other| other.id != current.id)
        {
            problems.push((
                "user_id",
                "is already used by another user of this provider".to_owned(),
            ));
        } else {
            next.user_id = user_id;
        }
    }
    if let Some(name) = update.name {
        match validate::name(&name) {
            Ok(name) => next.name = name,
            Err(p) => problems.push(("name", p)),
        }
    }
    if let Some(timezone) = update.timezone {
        match fields::timezone(timezone) {
            Ok(tz) => next.timezone = tz,
            Err(p) => problems.push(("timezone", p)),
        }
    }
    if let Some(language) = update.language {
        match fields::language(language) {
            Ok(language) => next.language = language,
            Err(p) => problems.push(("language", p)),
        }
    }
    if let Some(reference) = update.external_reference {
        match fields::reference(reference) {
            Ok(reference) => next.external_reference = reference,
            Err(p) => problems.push(("external_reference", p)),
        }
    }
    if problems.is_empty() {
        return Ok(next);
    }
    Err(ApiError::invalid(problems))
}

fn diff(old: &EndUserRow, new: &EndUserRow) -> Vec<FieldChange> {
    audit::diff([
        (
            "user_id",
            Some(old.user_id.clone()),
            Some(new.user_id.clone()),
        ),
        ("name", Some(old.name.clone()), Some(new.name.clone())),
        ("timezone", old.timezone.clone(), new.timezone.clone()),
        ("language", old.language.clone(), new.language.clone()),
        (
            "external_reference",
            old.external_reference.clone(),
            new.external_reference.clone(),
        ),
    ])
}

fn record(
    conn: &mut DbConnection,
    user: &PortalUser,
    row: &EndUserRow,
    customer: &Organization,
    action: HistoryAction,
    changes: Vec<FieldChange>,
) -> QueryResult<()> {
    let subject = Subject {
        scope_path: &customer.path,
        kind: "user",
        id: row.id,
        label: format!("User {} ({})", row.name, row.user_id),
    };
    audit::record(conn, user, subject, action, changes)
}

pub fn create(
    conn: &mut DbConnection,
    user: &PortalUser,
    customer_id: i64,
    input: NewEndUser,
) -> Result<EndUserRow, ApiError> {
    conn.transaction(|conn| {
        let customer = scope::find_visible(conn, user, OrgKind::Customer, customer_id)?;
        let now = Utc::now().naive_utc();
        let blank = EndUserRow {
            id: 0,
            customer_id,
            provider_id: provider_of(&customer),
            user_id: String::new(),
            name: String::new(),
            timezone: None,
            language: None,
            external_reference: None,
            created_at: now,
            updated_at: now,
            token_version: 0,
        };
        let update = EndUserUpdate {
            user_id: Some(input.user_id.unwrap_or_default()),
            name: Some(input.name.unwrap_or_default()),
            timezone: Some(input.timezone),
            language: Some(input.language),
            external_reference: Some(input.external_reference),
        };
        let next = apply(conn, &blank, update)?;
        let created = end_user::insert(conn, &next)?;
        record(
            conn,
            user,
            &created,
            &customer,
            HistoryAction::Create,
            diff(&blank, &created),
        )?;
        Ok(created)
    })
}

pub fn update(
    conn: &mut DbConnection,
    user: &PortalUser,
    id: i64,
    update: EndUserUpdate,
) -> Result<EndUserRow, ApiError> {
    conn.transaction(|conn| {
        let (current, customer) = find_visible(conn, user, id)?;
        let mut next = apply(conn, &current, update)?;
        let changes = diff(&current, &next);
        if changes.is_empty() {
            return Ok(current);
        }
        next.updated_at = Utc::now().naive_utc();
        let saved = end_user::save(conn, &next)?;
        if saved.name != current.name {
            use crate::db::models::number::{Holder, rename_consumer};
            rename_consumer(conn, Holder::User(id), &saved.name)?;
        }
        record(
            conn,
            user,
            &saved,
            &customer,
            HistoryAction::Update,
            changes,
        )?;
        Ok(saved)
    })
}

pub fn delete(conn: &mut DbConnection, user: &PortalUser, id: i64) -> Result<(), ApiError> {
    conn.transaction(|conn| {
        let (row, customer) = find_visible(conn, user, id)?;
        let numbers = crate::db::models::number::active_of_user(conn, id)?;
        if numbers > 0 {
            return Err(ApiError::new(
                cpaas_shared::ErrorCode::Conflict,
                format!(
                    "The user {} still has {numbers} CPaaS number(s): delete them first.",
                    row.name
                ),
            ));
        }
        record(
            conn,
            user,
            &row,
            &customer,
            HistoryAction::Delete,
            Vec::new(),
        )?;
        end_user::delete(conn, id)?;
        Ok(())
    })
}

/// Sets the password end user `id`'s client signs in with (R12); recorded without it.
pub fn set_client_password(
    conn: &mut DbConnection,
    user: &PortalUser,
    id: i64,
    hash: &str,
) -> Result<EndUserRow, ApiError> {
    conn.transaction(|conn| {
        let (row, customer) = find_visible(conn, user, id)?;
        end_user::set_password(conn, id, hash)?;
        let change = FieldChange {
            field: "client_password".to_owned(),
            old: None,
            new: Some("(set)".to_owned()),
        };
        record(
            conn,
            user,
            &row,
            &customer,
            HistoryAction::Update,
            vec![change],
        )?;
        Ok(row)
    })
}
