//! Portal accounts: the first admin, and sign-in with throttling.

use chrono::Utc;
use cpaas_shared::{ErrorCode, FieldChange, HistoryAction, LoginRequest, LoginResponse, validate};
use diesel::Connection;

use crate::auth::TokenKeys;
use crate::auth::{Audience, password};
use crate::db::Db;
use crate::db::DbConnection;
use crate::db::models::history::{self, NewEntry};
use crate::db::models::organization::{self, OrgKind};
use crate::db::models::portal_account::{self, Notifications, PortalAccountRow};
use crate::error::ApiError;
use crate::services::{sessions, throttle};

/// Creates a provider-level portal account that receives alerts (`cpaas create-admin`). The
/// provider is the one named (created if missing) or, unnamed, the only one there is. An
/// `operator` also sees every other provider and may create and delete providers.
pub fn create_admin(
    conn: &mut DbConnection,
    email: &str,
    password: &str,
    provider_name: Option<&str>,
    operator: bool,
) -> Result<PortalAccountRow, ApiError> {
    let email = validate::email(email).map_err(|p| invalid("email", p))?;
    validate::new_password(password).map_err(|p| invalid("password", p))?;
    let hash = password::hash(password).map_err(ApiError::internal)?;
    conn.transaction(|conn| {
        if portal_account::find_by_email(conn, &email)?.is_some() {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("A portal account with email {email} already exists."),
            )
            .with_field("email", "is already in use"));
        }
        let providers = organization::providers(conn)?;
        let provider = match provider_name.map(str::trim) {
            Some(name) if !name.is_empty() => {
                match providers.into_iter().find(|p| p.name == name) {
                    Some(found) => found,
                    None => organization::insert(conn, OrgKind::SystemProvider, None, name)?,
                }
            }
            _ => match <[_; 1]>::try_from(providers) {
                Ok([only]) => only,
                Err(providers) if providers.is_empty() => {
                    organization::insert(conn, OrgKind::SystemProvider, None, "System Provider")?
                }
                Err(_) => {
                    return Err(invalid(
                        "provider_name",
                        "there are several providers: name one".to_owned(),
                    ));
                }
            },
        };
        let notifications = Notifications {
            send_technical_emails: true,
            send_alerts: true,
            ..Notifications::default()
        };
        let now = Utc::now().naive_utc();
        let mut account =
            portal_account::insert(conn, provider.id, &email, &hash, notifications, now)?;
        let mut changes = vec![
            change("email", &email),
            change("send_technical_emails", "true"),
            change("send_alerts", "true"),
            change("password", "(set)"),
        ];
        if operator {
            portal_account::make_operator(conn, account.id)?;
            account.operator = true;
            changes.push(change("operator", "true"));
        }
        history::insert(
            conn,
            NewEntry {
                at: now,
                account_id: None,
                actor: "cpaas create-admin",
                actor_path: None,
                scope_path: &provider.path,
                object_kind: "portal_account",
                object_id: account.id,
                action: HistoryAction::Create,
                summary: format!("Portal account {email} created"),
                changes,
            },
        )?;
        Ok(account)
    })
}

fn change(field: &str, new: &str) -> FieldChange {
    FieldChange {
        field: field.to_owned(),
        old: None,
        new: Some(new.to_owned()),
    }
}

fn invalid(field: &str, problem: String) -> ApiError {
    ApiError::new(
        ErrorCode::ValidationFailed,
        format!("The {field} is invalid: {problem}."),
    )
    .with_field(field, problem)
}

/// Checks the credentials and issues a portal token, with the refresh token of a new session
/// ([`sessions`]). The attempt is reserved against the email and the caller's `address` first
/// ([`throttle`]); unknown emails and wrong passwords then take the same path and time (a dummy
/// argon2 verification) and get the same answer.
pub async fn login(
    (db, tokens): (&Db, &TokenKeys),
    request: LoginRequest,
    address: &str,
) -> Result<(LoginResponse, String), ApiError> {
    let email = request.email.trim().to_lowercase();
    let key = throttle::key(&["portal", &email], address);
    let now = Utc::now().naive_utc();
    let reserved = key.clone();
    let account = db
        .run(move |conn| {
            conn.transaction(|conn| {
                throttle::reserve(conn, &reserved, now)?;
                Ok::<_, ApiError>(portal_account::find_by_email(conn, &email)?)
            })
        })
        .await?;
    let hash = account
        .as_ref()
        .map_or_else(|| password::DUMMY_HASH.clone(), |a| a.password_hash.clone());
    let password = request.password;
    let matches = password::limited(move || password::verify(&password, &hash)).await?;
    let Some(account) = account.filter(|_| matches) else {
        return Err(ApiError::new(
            ErrorCode::Unauthorized,
            "The email or password is wrong.",
        ));
    };
    let (id, organization_id, actor) = (account.id, account.organization_id, account.email.clone());
    let operator = account.operator;
    let checked = account.clone();
    let (organization_kind, refresh) = db
        .run(move |conn| {
            conn.transaction(|conn| {
                // The password was checked against this hash at this token version: if either
                // changed meanwhile (a new password, a sign-out), the check no longer counts.
                let current = portal_account::find(conn, id)?;
                if current.password_hash != checked.password_hash
                    || current.token_version != checked.token_version
                {
                    return Err(ApiError::new(
                        ErrorCode::Unauthorized,
                        "The email or password is wrong.",
                    ));
                }
                throttle::succeeded(conn, &key, now)?;
                let refresh = sessions::start(conn, &checked, now)?;
                let organization = organization::find(conn, organization_id)?;
                history::insert(
                    conn,
                    NewEntry {
                        at: now,
                        account_id: Some(id),
                        actor: &actor,
                        actor_path: Some(if operator { "/" } else { &organization.path }),
                        scope_path: &organization.path,
                        object_kind: "portal_account",
                        object_id: id,
                        action: HistoryAction::SignIn,
                        summary: format!("{actor} signed in"),
                        changes: Vec::new(),
                    },
                )?;
                let kind = crate::services::organizations::kind_of(&organization);
                Ok::<_, ApiError>((kind, refresh))
            })
        })
        .await?;
    tracing::info!(account = account.id, "portal sign-in");
    Ok((issue(tokens, &account, organization_kind)?, refresh))
}

/// A portal bearer token for `account` (at its current token version).
pub fn issue(
    tokens: &TokenKeys,
    account: &PortalAccountRow,
    kind: cpaas_shared::OrganizationKind,
) -> Result<LoginResponse, ApiError> {
    let (access_token, expires_in) = tokens
        .issue(Audience::Portal, account.id, account.token_version)
        .map_err(ApiError::internal)?;
    Ok(LoginResponse {
        access_token,
        token_type: "Bearer".to_owned(),
        expires_in,
        account: account.to_api(kind),
    })
}
