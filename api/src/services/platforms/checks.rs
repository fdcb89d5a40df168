//! Checking a platform before it is stored: its fields, R2, and the carrier (R4).

use chrono::Utc;
use cpaas_shared::{CpaasPlatformUpdate, ErrorCode, NewCpaasPlatform, validate};
use secrecy::{ExposeSecret, SecretString};

use crate::auth::PortalUser;
use crate::carrier::{Carrier, CarrierError, Credential, ServicesAccount};
use crate::crypto::SecretBox;
use crate::db::DbConnection;
use crate::db::models::organization::{OrgKind, Organization};
use crate::db::models::platform::{self, PlatformRow};
use crate::error::ApiError;
use crate::services::{alerts, scope};

use super::sealing::*;

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

pub(super) fn name_problem(
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
