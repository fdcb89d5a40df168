//! `cpaas demo`: the demo data of the external contract, loaded idempotently. It grows with
//! the features: today the system provider from the guide and a portal account that receives
//! alerts.

use diesel::Connection;

use crate::db::DbConnection;
use crate::db::models::organization::{self, OrgKind};
use crate::db::models::portal_account;
use crate::error::ApiError;
use crate::services::accounts;

pub const PROVIDER: &str = "Kakapo Systems Limited";
/// The demo sign-in. Demo data is for local runs only; never load it into production.
pub const ADMIN_EMAIL: &str = "admin@kakaposystems.com";
pub const ADMIN_PASSWORD: &str = "kakapo-demo-password";

/// Loads whatever part of the demo data is missing; returns what it created.
pub fn load(conn: &mut DbConnection) -> Result<Vec<String>, ApiError> {
    conn.transaction(|conn| {
        let mut created = Vec::new();
        if !organization::providers(conn)?
            .iter()
            .any(|p| p.name == PROVIDER)
        {
            organization::insert(conn, OrgKind::SystemProvider, None, PROVIDER)?;
            created.push(format!("system provider {PROVIDER}"));
        }
        if portal_account::find_by_email(conn, ADMIN_EMAIL)?.is_none() {
            accounts::create_admin(conn, ADMIN_EMAIL, ADMIN_PASSWORD, Some(PROVIDER))?;
            created.push(format!("portal account {ADMIN_EMAIL} (Send Alerts on)"));
        }
        Ok(created)
    })
}
