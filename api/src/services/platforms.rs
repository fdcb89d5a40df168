//! CPaaS platforms (R1–R5). Create and update run in three steps so that no transaction is
//! held across a carrier call: `prepare` (scope, fields, R2) → the carrier checks both
//! credentials ([`verify`]) → `store` (under the provider's lock, R2 again, sealed secrets,
//! history). Any failure before `store` commits leaves nothing behind (R4).

use chrono::Utc;
use cpaas_shared::{
    CpaasPlatform, CpaasPlatformUpdate, ErrorCode, FieldChange, HistoryAction, NewCpaasPlatform,
    PlatformKind, validate,
};
use diesel::OptionalExtension;
use secrecy::{ExposeSecret, SecretString};

use crate::auth::PortalUser;
use crate::carrier::{Carrier, CarrierError, Credential, ServicesAccount};
use crate::crypto::{self, SecretBox};
use crate::db::DbConnection;
use crate::db::models::organization::{OrgKind, Organization};
use crate::db::models::platform::{self, PlatformRow};
use crate::db::models::rfc3339;
use crate::error::ApiError;
use crate::services::audit::{self, Subject};
use crate::services::{alerts, scope};

const SECRETS: [&str; 3] = ["account_key", "token_secret", "outbound_api_key"];

/// The three credentials in the clear, only ever in memory.
#[derive(Clone)]
pub struct Secrets {
    pub account: ServicesAccount,
    pub outbound: SecretString,
}

/// A platform checked against everything but the carrier, ready to be verified and stored.
pub struct Prepared {
    provider: Organization,
    /// The stored row when updating.
    current: Option<PlatformRow>,
    row: PlatformRow,
    secrets: Secrets,
    /// Which secrets the request changed (for the history: never their values).
    changed: Vec<&'static str>,
}

impl Prepared {
    pub fn secrets(&self) -> &Secrets {
        &self.secrets
    }
}

/// What a platform's sealed column is bound to: the column, the provider and the platform, so
/// a sealed value copied to another column, provider or platform does not open.
pub fn context(field: &str, row: &PlatformRow) -> String {
    format!("cpaas_platforms.{field}:{}:{}", row.provider_id, row.id)
}

/// The binding of values sealed before they were bound to their platform.
fn provider_context(field: &str, row: &PlatformRow) -> String {
    format!("cpaas_platforms.{field}:{}", row.provider_id)
}

/// Puts `secrets`, sealed, into `row` (bound to its column, provider and id: a stored row).
pub fn seal(keys: &SecretBox, row: &mut PlatformRow, secrets: &Secrets) -> Result<(), ApiError> {
    let at = row.clone();
    let seal = |field: &str, value: &SecretString| {
        keys.seal(&context(field, &at), value.expose_secret())
            .map_err(ApiError::internal)
    };
    row.account_key = seal("account_key", &secrets.account.key)?;
    row.token_secret = seal("token_secret", &secrets.account.secret)?;
    row.outbound_api_key = seal("outbound_api_key", &secrets.outbound)?;
    Ok(())
}

/// Stores new platform `row` with `secrets` sealed to it (its id exists only once stored).
pub fn insert_sealed(
    conn: &mut DbConnection,
    keys: &SecretBox,
    row: &PlatformRow,
    secrets: &Secrets,
) -> Result<PlatformRow, ApiError> {
    let mut saved = platform::insert(conn, row)?;
    seal(keys, &mut saved, secrets)?;
    Ok(platform::save(conn, &saved)?)
}

fn open_with(
    row: &PlatformRow,
    keys: &SecretBox,
    context: fn(&str, &PlatformRow) -> String,
) -> Result<Secrets, ApiError> {
    let open = |field: &str, sealed: &str| {
        keys.open(&context(field, row), sealed)
            .map_err(ApiError::internal)
    };
    Ok(Secrets {
        account: ServicesAccount {
            key: open("account_key", &row.account_key)?,
            secret: open("token_secret", &row.token_secret)?,
        },
        outbound: open("outbound_api_key", &row.outbound_api_key)?,
    })
}

/// The row's secrets, opened.
pub fn open(row: &PlatformRow, keys: &SecretBox) -> Result<Secrets, ApiError> {
    open_with(row, keys, context)
}

/// Re-seals, bound to their platform, the secrets and webhook tokens stored when they were
/// bound to the provider only; answers how many platforms changed. Run at start-up, after the
/// migrations; what is already bound is left alone, so it runs again harmlessly.
pub fn reseal_unbound(conn: &mut DbConnection, keys: &SecretBox) -> Result<usize, ApiError> {
    let mut resealed = 0;
    for mut row in platform::all(conn)? {
        let mut changed = false;
        if open(&row, keys).is_err() {
            // A row neither binding opens (another key, a newer node's format) is left as it
            // is: it must not keep the api from starting.
            let Ok(secrets) = open_with(&row, keys, provider_context) else {
                tracing::warn!(
                    platform = row.id,
                    "platform secrets open under neither binding"
                );
                continue;
            };
            seal(keys, &mut row, &secrets)?;
            changed = true;
        }
        if let Some(sealed) = row.webhook_token.clone()
            && keys.open(&context("webhook_token", &row), &sealed).is_err()
        {
            match keys.open(&provider_context("webhook_token", &row), &sealed) {
                Ok(token) => {
                    let bound = keys
                        .seal(&context("webhook_token", &row), token.expose_secret())
                        .map_err(ApiError::internal)?;
                    row.webhook_token = Some(bound);
                    changed = true;
                }
                Err(_) => {
                    tracing::warn!(
                        platform = row.id,
                        "webhook token opens under neither binding"
                    );
                }
            }
        }
        if changed {
            platform::save(conn, &row)?;
            resealed += 1;
        }
    }
    Ok(resealed)
}

/// The platform as the API shows it: hints, never secrets.
pub fn to_api(row: &PlatformRow, keys: &SecretBox) -> Result<CpaasPlatform, ApiError> {
    let secrets = open(row, keys)?;
    Ok(CpaasPlatform {
        id: row.id,
        provider_id: row.provider_id,
        kind: PlatformKind::Inteliquent,
        name: row.name.clone(),
        account_key_hint: crypto::hint(secrets.account.key.expose_secret()),
        token_secret_hint: crypto::hint(secrets.account.secret.expose_secret()),
        outbound_api_key_hint: crypto::hint(secrets.outbound.expose_secret()),
        user_confirmation_required: row.user_confirmation_required,
        user_can_block_numbers: row.user_can_block_numbers,
        mms_available: row.mms_available,
        monthly_charge_cents: u32::try_from(row.monthly_charge_cents).unwrap_or_default(),
        created_at: rfc3339(row.created_at),
        updated_at: rfc3339(row.updated_at),
    })
}

/// A credential as typed: trimmed; required; 8 to 200 visible ASCII characters (an HTTP
/// header carries it).
fn credential(value: Option<&str>) -> Result<String, String> {
    let value = value.map(str::trim).unwrap_or_default();
    // Lengths are counted without the white space around, as the document's pattern does.
    if value.is_empty() {
        return Err("is required".to_owned());
    }
    if !value.chars().all(|c| c.is_ascii_graphic()) || !(8..=200).contains(&value.len()) {
        return Err(
            "must be 8 to 200 letters, digits or symbols without spaces, as copied from the Inteliquent portal"
                .to_owned(),
        );
    }
    Ok(value.to_owned())
}

/// A monthly charge in cents: at most 1,000,000 (10,000.00 a number a month).
fn charge(cents: u32) -> Result<i32, ApiError> {
    i32::try_from(cents)
        .ok()
        .filter(|c| *c <= 1_000_000)
        .ok_or_else(|| {
            ApiError::invalid(vec![(
                "monthly_charge_cents",
                "must be at most 1000000 (cents)".to_owned(),
            )])
        })
}

fn name_problem(
    conn: &mut DbConnection,
    provider_id: i64,
    name: &str,
    except: Option<i64>,
) -> Result<Option<String>, ApiError> {
    match validate::name(name) {
        Err(problem) => Ok(Some(problem)),
        Ok(name) => {
            let taken = platform::of_provider(conn, provider_id)?
                .iter()
                .any(|p| p.name == name && Some(p.id) != except);
            Ok(taken.then(|| "is already used by another platform of this provider".to_owned()))
        }
    }
}

/// Step 1 of create: scope, fields, R2.
pub fn prepare_create(
    conn: &mut DbConnection,
    user: &PortalUser,
    provider_id: i64,
    input: NewCpaasPlatform,
) -> Result<Prepared, ApiError> {
    let provider = scope::find_visible(conn, user, OrgKind::SystemProvider, provider_id)?;
    let name = input.name.unwrap_or_else(|| "Inteliquent".to_owned());
    let mut problems = Vec::new();
    if let Some(problem) = name_problem(conn, provider.id, &name, None)? {
        problems.push(("name", problem));
    }
    let typed = [
        input.account_key.as_deref(),
        input.token_secret.as_deref(),
        input.outbound_api_key.as_deref(),
    ];
    let mut values = Vec::new();
    for (field, value) in SECRETS.into_iter().zip(typed) {
        match credential(value) {
            Ok(value) => values.push(SecretString::from(value)),
            Err(problem) => problems.push((field, problem)),
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::invalid(problems));
    }
    alerts::require_recipient(conn, provider.id)?;
    let [key, secret, outbound] = <[SecretString; 3]>::try_from(values)
        .map_err(|_| ApiError::internal("three credentials expected"))?;
    let now = Utc::now().naive_utc();
    Ok(Prepared {
        row: PlatformRow {
            id: 0,
            provider_id: provider.id,
            kind: input.kind.as_str().to_owned(),
            name: validate::name(&name).unwrap_or(name),
            account_key: String::new(),
            token_secret: String::new(),
            outbound_api_key: String::new(),
            user_confirmation_required: input.user_confirmation_required,
            user_can_block_numbers: input.user_can_block_numbers,
            mms_available: input.mms_available,
            created_at: now,
            updated_at: now,
            webhook_token: None,
            monthly_charge_cents: charge(input.monthly_charge_cents)?,
        },
        provider,
        current: None,
        secrets: Secrets {
            account: ServicesAccount { key, secret },
            outbound,
        },
        changed: SECRETS.to_vec(),
    })
}

/// The visible platform `id` with its provider.
pub fn find_visible(
    conn: &mut DbConnection,
    user: &PortalUser,
    id: i64,
) -> Result<(PlatformRow, Organization), ApiError> {
    let missing = || ApiError::not_found(format!("There is no CPaaS platform {id}."));
    let row = platform::find_within(conn, id, &user.scope)?.ok_or_else(missing)?;
    let provider = scope::find_visible(conn, user, OrgKind::SystemProvider, row.provider_id)
        .map_err(|_| missing())?;
    Ok((row, provider))
}

/// Step 1 of update: scope, fields; secrets left empty keep the stored ones.
pub fn prepare_update(
    conn: &mut DbConnection,
    user: &PortalUser,
    keys: &SecretBox,
    id: i64,
    update: CpaasPlatformUpdate,
) -> Result<Prepared, ApiError> {
    let (current, provider) = find_visible(conn, user, id)?;
    let stored = open(&current, keys)?;
    let mut row = current.clone();
    let mut problems = Vec::new();
    if let Some(name) = update.name {
        match name_problem(conn, provider.id, &name, Some(id))? {
            Some(problem) => problems.push(("name", problem)),
            None => row.name = validate::name(&name).unwrap_or(name),
        }
    }
    let typed = [
        update.account_key,
        update.token_secret,
        update.outbound_api_key,
    ];
    let mut secrets = stored.clone();
    let mut changed = Vec::new();
    for (field, value) in SECRETS.into_iter().zip(typed) {
        let Some(value) = value.filter(|v| !v.trim().is_empty()) else {
            continue;
        };
        match credential(Some(&value)) {
            Ok(value) => {
                let slot = match field {
                    "account_key" => &mut secrets.account.key,
                    "token_secret" => &mut secrets.account.secret,
                    _ => &mut secrets.outbound,
                };
                if slot.expose_secret() != value {
                    changed.push(field);
                }
                *slot = SecretString::from(value);
            }
            Err(problem) => problems.push((field, problem)),
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::invalid(problems));
    }
    row.user_confirmation_required = update
        .user_confirmation_required
        .unwrap_or(row.user_confirmation_required);
    row.user_can_block_numbers = update
        .user_can_block_numbers
        .unwrap_or(row.user_can_block_numbers);
    row.mms_available = update.mms_available.unwrap_or(row.mms_available);
    if let Some(cents) = update.monthly_charge_cents {
        row.monthly_charge_cents = charge(cents)?;
    }
    Ok(Prepared {
        provider,
        current: Some(current),
        row,
        secrets,
        changed,
    })
}

/// Step 2: both credentials checked by the carrier (at the same time). Rejections name their
/// fields; a carrier that cannot answer is `carrier_unreachable`.
pub async fn verify(carrier: &dyn Carrier, secrets: &Secrets) -> Result<(), ApiError> {
    let (services, outbound) = tokio::join!(
        carrier.verify_services(&secrets.account),
        carrier.verify_outbound(&secrets.outbound)
    );
    let mut rejected = Vec::new();
    for result in [services, outbound] {
        match result {
            Ok(()) => {}
            Err(CarrierError::Rejected(which)) => rejected.push(which),
            Err(CarrierError::Refused { code, detail }) => {
                return Err(ApiError::new(
                    ErrorCode::CarrierRejectedCredentials,
                    format!(
                        "Inteliquent refused the credential check ({code}: {detail}). Nothing was saved."
                    ),
                ));
            }
            Err(other) => {
                return Err(ApiError::new(
                    ErrorCode::CarrierUnreachable,
                    format!(
                        "The credentials could not be checked because {other}. Nothing was saved; try again."
                    ),
                ));
            }
        }
    }
    if rejected.is_empty() {
        return Ok(());
    }
    let mut error = ApiError::new(
        ErrorCode::CarrierRejectedCredentials,
        match rejected.as_slice() {
            [Credential::Services] => {
                "Inteliquent rejected the Account/Key and Token/Secret: copy them from the API Key page of the Inteliquent portal. Nothing was saved."
            }
            [Credential::Outbound] => {
                "Inteliquent rejected the Outbound API Key: copy it from the Message Broker API page of the Inteliquent portal. Nothing was saved."
            }
            _ => {
                "Inteliquent rejected the Account/Key and Token/Secret and the Outbound API Key. Nothing was saved."
            }
        },
    );
    for which in rejected {
        let fields: &[&str] = match which {
            Credential::Services => &["account_key", "token_secret"],
            Credential::Outbound => &["outbound_api_key"],
        };
        for field in fields {
            error = error.with_field(*field, "was not accepted by Inteliquent");
        }
    }
    Err(error)
}

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
