//! Bodies of the service endpoints `/healthz` and `/readyz`.

use serde::{Deserialize, Serialize};

/// Which database the api runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DatabaseBackend {
    Sqlite,
    Postgresql,
}

impl DatabaseBackend {
    pub fn label(self) -> &'static str {
        match self {
            Self::Sqlite => "SQLite",
            Self::Postgresql => "PostgreSQL",
        }
    }
}

/// `GET /healthz`: the process is up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HealthStatus {
    /// Always `ok`.
    pub status: String,
    /// The api's version (semver).
    pub version: String,
}

/// `GET /readyz`: the api can serve requests (its database answers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadyStatus {
    /// Always `ready` (a non-ready api answers 503 with an error body).
    pub status: String,
    /// The api's version (semver).
    pub version: String,
    pub database: DatabaseBackend,
    /// The latest applied migration version.
    pub schema_version: String,
    /// `simulator` (the built-in Inteliquent simulator: dev mode) or `inteliquent`.
    pub carrier: String,
}
