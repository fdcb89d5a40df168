//! Portal accounts (R21) at provider, reseller and customer level. The caller's scope is
//! checked first; then every field; passwords are hashed before the transaction and never
//! recorded (history notes only that one was set or changed).

use chrono::Utc;
use cpaas_shared::{
    ErrorCode, FieldChange, HistoryAction, NewPortalAccount, PortalAccountUpdate, validate,
};
use diesel::prelude::*;

use crate::auth::PortalUser;
use crate::db::DbConnection;
use crate::db::models::organization::{self, OrgKind, Organization};
use crate::db::models::portal_account::{self, Notifications, PortalAccountRow};
use crate::error::ApiError;
use crate::services::audit::{self, Subject};
use crate::services::{alerts, scope};

/// A password from a request: absent, hashed, or what is wrong with it.
pub type Password = Result<Option<String>, String>;

/// Checks and hashes a requested password (slow: call off the async threads).
pub fn hash_password(password: Option<&str>) -> Password {
    let Some(password) = password else {
        return Ok(None);
    };
    validate::new_password(password)?;
    crate::auth::password::hash(password)
        .map(Some)
        .map_err(|e| format!("cannot be hashed: {e}"))
}

/// The account `id` if its organization is in the caller's subtree, with that organization.
pub fn find_visible(
    conn: &mut DbConnection,
    user: &PortalUser,
    id: i64,
) -> Result<(PortalAccountRow, Organization), ApiError> {
    let missing = || ApiError::not_found(format!("There is no portal account {id}."));
    let account = portal_account::find_within(conn, id, &user.scope)?.ok_or_else(missing)?;
    let org = organization::find(conn, account.organization_id)?;
    Ok((account, org))
}

fn forbidden(message: &str) -> ApiError {
    ApiError::new(ErrorCode::Forbidden, message)
}

/// How far below the top an account acts: an operator at the top, then its organization's
/// depth (provider 1, reseller 2, customer 3).
fn rank(operator: bool, path: &str) -> usize {
    if operator {
        0
    } else {
        path.split('/').filter(|s| !s.is_empty()).count()
    }
}

/// Whether `update` changes `account`'s sign-in: a password, or an email other than its own.
fn changes_credentials(account: &PortalAccountRow, update: &PortalAccountUpdate) -> bool {
    update.password.is_some()
        || update
            .email
            .as_deref()
            .is_some_and(|email| validate::email(email).map_or(true, |e| e != account.email))
}

/// Who may change whom. An operator's account is changed only by an operator. The email or
/// password of another account is changed only from a level strictly above it (peers change
/// each other's notification settings only). One's own is changed only with the current
/// password: the stored hash to check it against is returned.
fn authority(
    user: &PortalUser,
    account: &PortalAccountRow,
    org: &Organization,
    update: &PortalAccountUpdate,
) -> Result<Option<String>, ApiError> {
    if account.operator && !user.account.operator {
        return Err(forbidden(
            "Only an operator can change an operator's account.",
        ));
    }
    if !changes_credentials(account, update) {
        return Ok(None);
    }
    if account.id == user.account.id {
        return Ok(Some(account.password_hash.clone()));
    }
    if rank(user.account.operator, &user.scope) >= rank(account.operator, &org.path) {
        return Err(forbidden(
            "Only an account at a level above this one can change its email or password: \
             accounts at the same level change only each other's notification settings.",
        ));
    }
    Ok(None)
}

/// What the caller must prove before `update` of the visible account `id` may be hashed and
/// applied: `Some(hash)` when it changes the caller's own credentials (check
/// `current_password` against it with [`current_password_matches`]); refused as by
/// [`authority`] otherwise.
pub fn authorize_update(
    conn: &mut DbConnection,
    user: &PortalUser,
    id: i64,
    update: &PortalAccountUpdate,
) -> Result<Option<String>, ApiError> {
    let (account, org) = find_visible(conn, user, id)?;
    authority(user, &account, &org, update)
}

/// The refusal of a change of one's own credentials without `current_password`.
pub fn current_password_missing() -> ApiError {
    forbidden("Give your current password to change your own email or password.")
        .with_field("current_password", "is required to change your own sign-in")
}

/// Whether `current` is the password of `hash` (slow: call off the async threads); refused
/// with `403 forbidden` when it is missing or wrong.
pub fn current_password_matches(current: Option<&str>, hash: &str) -> Result<(), ApiError> {
    let Some(current) = current else {
        return Err(current_password_missing());
    };
    if crate::auth::password::verify(current, hash) {
        Ok(())
    } else {
        Err(forbidden("The current password is wrong.").with_field("current_password", "is wrong"))
    }
}

fn email_problem(
    conn: &mut DbConnection,
    email: &str,
    except: Option<i64>,
) -> Result<Option<String>, ApiError> {
    match validate::email(email) {
        Err(problem) => Ok(Some(problem)),
        Ok(normalized) => {
            let taken = portal_account::find_by_email(conn, &normalized)?
                .is_some_and(|other| Some(other.id) != except);
            Ok(taken.then(|| "is already in use".to_owned()))
        }
    }
}

fn record(
    conn: &mut DbConnection,
    user: &PortalUser,
    account: &PortalAccountRow,
    org: &Organization,
    action: HistoryAction,
    changes: Vec<FieldChange>,
) -> QueryResult<()> {
    let subject = Subject {
        scope_path: &org.path,
        kind: "portal_account",
        id: account.id,
        label: format!("Portal account {}", account.email),
    };
    audit::record(conn, user, subject, action, changes)
}

fn flags(account: &PortalAccountRow) -> [(&'static str, bool); 4] {
    [
        ("send_technical_emails", account.send_technical_emails),
        ("send_alerts", account.send_alerts),
        (
            "send_invoices_and_receipts",
            account.send_invoices_and_receipts,
        ),
        (
            "send_license_expiry_alerts",
            account.send_license_expiry_alerts,
        ),
    ]
}

fn diff(old: &PortalAccountRow, new: &PortalAccountRow) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    if old.email != new.email {
        changes.push(FieldChange {
            field: "email".to_owned(),
            old: Some(old.email.clone()),
            new: Some(new.email.clone()),
        });
    }
    if old.password_hash != new.password_hash {
        changes.push(FieldChange {
            field: "password".to_owned(),
            old: None,
            new: Some("(changed)".to_owned()),
        });
    }
    for ((field, before), (_, after)) in flags(old).into_iter().zip(flags(new)) {
        if before != after {
            changes.push(FieldChange {
                field: field.to_owned(),
                old: Some(before.to_string()),
                new: Some(after.to_string()),
            });
        }
    }
    changes
}

/// Creates an account at the visible `kind` `id`.
pub fn create(
    conn: &mut DbConnection,
    user: &PortalUser,
    (kind, id): (OrgKind, i64),
    input: NewPortalAccount,
    password: Password,
) -> Result<(PortalAccountRow, Organization), ApiError> {
    conn.transaction(|conn| {
        let org = scope::find_visible(conn, user, kind, id)?;
        let mut problems = Vec::new();
        let email = input.email.unwrap_or_default();
        if let Some(problem) = email_problem(conn, &email, None)? {
            problems.push(("email", problem));
        }
        let hash = match password {
            Ok(Some(hash)) => Some(hash),
            Ok(None) => {
                problems.push(("password", "is required".to_owned()));
                None
            }
            Err(problem) => {
                problems.push(("password", problem));
                None
            }
        };
        let (Some(hash), true) = (hash, problems.is_empty()) else {
            return Err(ApiError::invalid(problems));
        };
        let notifications = Notifications {
            send_technical_emails: input.send_technical_emails,
            send_alerts: input.send_alerts,
            send_invoices_and_receipts: input.send_invoices_and_receipts,
            send_license_expiry_alerts: input.send_license_expiry_alerts,
        };
        let email = validate::email(&email).unwrap_or(email);
        let now = Utc::now().naive_utc();
        let account = portal_account::insert(conn, org.id, &email, &hash, notifications, now)?;
        let blank = PortalAccountRow {
            email: String::new(),
            password_hash: String::new(),
            send_technical_emails: false,
            send_alerts: false,
            send_invoices_and_receipts: false,
            send_license_expiry_alerts: false,
            ..account.clone()
        };
        let changes = diff(&blank, &account)
            .into_iter()
            .map(|mut c| {
                if c.field == "password" {
                    c.new = Some("(set)".to_owned());
                }
                c
            })
            .collect();
        record(conn, user, &account, &org, HistoryAction::Create, changes)?;
        Ok((account, org))
    })
}

/// Applies `update` to the visible account `id`; a change of nothing records nothing.
/// `verified` is the hash the caller's current password was checked against, when it changes
/// its own credentials ([`authorize_update`]); a password changed since is refused.
pub fn update(
    conn: &mut DbConnection,
    user: &PortalUser,
    id: i64,
    update: PortalAccountUpdate,
    (password, verified): (Password, Option<String>),
) -> Result<(PortalAccountRow, Organization), ApiError> {
    let (_, org) = find_visible(conn, user, id)?;
    alerts::under_provider_lock(conn, &org.path, |conn| {
        let (current, org) = find_visible(conn, user, id)?;
        if let Some(hash) = authority(user, &current, &org, &update)?
            && verified.as_ref() != Some(&hash)
        {
            return Err(forbidden(
                "The password changed meanwhile: sign in again and retry.",
            ));
        }
        let mut next = current.clone();
        let mut problems = Vec::new();
        if let Some(email) = update.email {
            match email_problem(conn, &email, Some(id))? {
                Some(problem) => problems.push(("email", problem)),
                None => next.email = validate::email(&email).unwrap_or(email),
            }
        }
        match password {
            Ok(Some(hash)) => next.password_hash = hash,
            Ok(None) => {}
            Err(problem) => problems.push(("password", problem)),
        }
        if !problems.is_empty() {
            return Err(ApiError::invalid(problems));
        }
        next.send_technical_emails = update
            .send_technical_emails
            .unwrap_or(next.send_technical_emails);
        next.send_alerts = update.send_alerts.unwrap_or(next.send_alerts);
        next.send_invoices_and_receipts = update
            .send_invoices_and_receipts
            .unwrap_or(next.send_invoices_and_receipts);
        next.send_license_expiry_alerts = update
            .send_license_expiry_alerts
            .unwrap_or(next.send_license_expiry_alerts);
        let changes = diff(&current, &next);
        if changes.is_empty() {
            return Ok((current, org));
        }
        if org.kind() == Some(OrgKind::SystemProvider) {
            let flags = (current.send_alerts, next.send_alerts);
            alerts::keep_recipient(conn, org.id, flags, "updated")?;
        }
        portal_account::save(conn, &next, Utc::now().naive_utc())?;
        if next.password_hash != current.password_hash {
            // A new password ends every session signed in with the old one.
            portal_account::end_sessions(conn, id)?;
        }
        record(conn, user, &next, &org, HistoryAction::Update, changes)?;
        Ok((portal_account::find(conn, id)?, org))
    })
}

/// Deletes the visible account `id`; an account cannot delete itself.
pub fn delete(conn: &mut DbConnection, user: &PortalUser, id: i64) -> Result<(), ApiError> {
    let (_, org) = find_visible(conn, user, id)?;
    alerts::under_provider_lock(conn, &org.path, |conn| {
        let (account, org) = find_visible(conn, user, id)?;
        if account.operator && !user.account.operator {
            return Err(forbidden(
                "Only an operator can delete an operator's account.",
            ));
        }
        if account.id == user.account.id {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                "You cannot delete the account you are signed in with.",
            ));
        }
        if org.kind() == Some(OrgKind::SystemProvider) {
            let flags = (account.send_alerts, false);
            alerts::keep_recipient(conn, org.id, flags, "deleted")?;
        }
        record(
            conn,
            user,
            &account,
            &org,
            HistoryAction::Delete,
            Vec::new(),
        )?;
        portal_account::delete(conn, id)?;
        Ok(())
    })
}
