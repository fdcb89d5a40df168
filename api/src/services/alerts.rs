//! The alert-recipient rules. R2: a platform can only be added while at least one portal
//! account at the provider itself has Send Alerts on. R3: while the provider has a platform,
//! no update or delete may leave it with none. Both run inside a transaction that first took
//! the provider's lock ([`organization::lock`]), so concurrent requests cannot both pass.

use cpaas_shared::ErrorCode;

use crate::db::DbConnection;
use crate::db::models::organization;
use crate::db::models::platform;
use crate::error::ApiError;

pub const NO_RECIPIENT: &str = "CPaaS platforms cannot be added as there are no login users at the system provider level that are configured to receive alerts. These users will be notified of any issues surrounding CPaaS enablement and at least one user must be alerted.";

/// R2, for a new platform of `provider_id`.
pub fn require_recipient(conn: &mut DbConnection, provider_id: i64) -> Result<(), ApiError> {
    if platform::alert_recipients(conn, provider_id)? == 0 {
        return Err(ApiError::new(ErrorCode::NoAlertRecipient, NO_RECIPIENT));
    }
    Ok(())
}

/// R3, for a provider-level account whose Send Alerts goes from `before` to `after` (a delete
/// is `after = false`); `verb` is "updated" or "deleted".
pub fn keep_recipient(
    conn: &mut DbConnection,
    provider_id: i64,
    (before, after): (bool, bool),
    verb: &str,
) -> Result<(), ApiError> {
    if !before || after || platform::count_of_provider(conn, provider_id)? == 0 {
        return Ok(());
    }
    if platform::alert_recipients(conn, provider_id)? <= 1 {
        return Err(ApiError::new(
            ErrorCode::LastAlertRecipient,
            format!(
                "This user cannot be {verb} as they are the only user account configured to receive alerts from the portal. These alerts include notifications for any issues relating to CPaaS enablement, so at least one user must be set as a recipient. Please re-enable this setting, or configure another user to receive alerts before {} this account.",
                if verb == "deleted" {
                    "deleting"
                } else {
                    "updating"
                }
            ),
        ));
    }
    Ok(())
}

/// Runs `work` in a transaction holding the lock of the provider above `path`.
pub fn under_provider_lock<T>(
    conn: &mut DbConnection,
    path: &str,
    work: impl FnOnce(&mut DbConnection) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    use diesel::Connection;
    let provider = organization::provider_of(path)
        .ok_or_else(|| ApiError::internal(format!("malformed organization path {path}")))?;
    conn.transaction(|conn| {
        organization::lock(conn, provider)?;
        work(conn)
    })
}
