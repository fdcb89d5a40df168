//! Authentication: argon2 password hashes, JWT bearer tokens (pinned HS256, `exp`, audience per
//! kind of caller) and the `PortalUser` extractor.

pub mod client;
pub mod extractor;
pub mod password;
pub mod token;

pub use client::ClientUser;
pub use extractor::PortalUser;
pub use token::{Audience, TokenKeys};
