//! Scoped access: a portal account acts on its organization and everything below it. Anything
//! else answers `not_found`, exactly as if it did not exist; the scope is part of each lookup's
//! query, so another tenant's row is never even read.

use crate::auth::PortalUser;
use crate::db::DbConnection;
use crate::db::models::organization::{self, OrgKind, Organization};
use crate::error::ApiError;

/// The organization `id` of `kind`, if it is in the caller's subtree.
pub fn find_visible(
    conn: &mut DbConnection,
    user: &PortalUser,
    kind: OrgKind,
    id: i64,
) -> Result<Organization, ApiError> {
    organization::find_within(conn, id, &user.scope)?
        .filter(|org| org.kind() == Some(kind))
        .ok_or_else(|| ApiError::not_found(format!("There is no {} {id}.", kind.label())))
}
