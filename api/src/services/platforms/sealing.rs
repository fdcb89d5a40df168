//! Platform secrets sealed at rest, bound to their platform, and the API view with masked hints.

use cpaas_shared::{CpaasPlatform, PlatformKind};
use secrecy::{ExposeSecret, SecretString};

use crate::carrier::ServicesAccount;
use crate::crypto::{self, SecretBox};
use crate::db::DbConnection;
use crate::db::models::organization::Organization;
use crate::db::models::platform::{self, PlatformRow};
use crate::db::models::rfc3339;
use crate::error::ApiError;

pub(super) const SECRETS: [&str; 3] = ["account_key", "token_secret", "outbound_api_key"];

/// The three credentials in the clear, only ever in memory.
#[derive(Clone)]
pub struct Secrets {
    pub account: ServicesAccount,
    pub outbound: SecretString,
}

/// A platform checked against everything but the carrier, ready to be verified and stored.
pub struct Prepared {
    pub(super) provider: Organization,
    /// The stored row when updating.
    pub(super) current: Option<PlatformRow>,
    pub(super) row: PlatformRow,
    pub(super) secrets: Secrets,
    /// Which secrets the request changed (for the history: never their values).
    pub(super) changed: Vec<&'static str>,
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
