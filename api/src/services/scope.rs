//! Scoped access: a portal account acts on its organization and everything below it. Anything
//! else answers `not_found`, exactly as if it did not exist.

use diesel::OptionalExtension;

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
    organization::find(conn, id)
        .optional()?
        .filter(|org| org.kind() == Some(kind) && org.path.starts_with(&user.scope))
        .ok_or_else(|| ApiError::not_found(format!("There is no {} {id}.", kind.label())))
}
