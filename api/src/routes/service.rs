//! Service endpoints: liveness and readiness.

use actix_web::{get, web};
use cpaas_shared::{ApiErrorBody, HealthStatus, ReadyStatus};

use crate::VERSION;
use crate::error::ApiError;
use crate::state::AppState;

/// The process is up (no dependency is checked).
#[utoipa::path(
    tag = "service",
    responses((status = OK, description = "The process is up", body = HealthStatus))
)]
#[get("/healthz")]
pub async fn get_healthz() -> web::Json<HealthStatus> {
    web::Json(HealthStatus {
        status: "ok".to_owned(),
        version: VERSION.to_owned(),
    })
}

/// The api can serve: its database answers a query. 503 when it does not.
#[utoipa::path(
    tag = "service",
    responses(
        (status = OK, description = "Ready to serve", body = ReadyStatus),
        (status = SERVICE_UNAVAILABLE, description = "The database is unavailable", body = ApiErrorBody),
    )
)]
#[get("/readyz")]
pub async fn get_readyz(state: web::Data<AppState>) -> Result<web::Json<ReadyStatus>, ApiError> {
    let backend = state.db.backend();
    let schema_version = state
        .db
        .readiness()
        .await
        .map_err(|e| ApiError::unavailable("database", e))?;
    Ok(web::Json(ReadyStatus {
        status: "ready".to_owned(),
        version: VERSION.to_owned(),
        database: backend,
        schema_version,
        carrier: if state.simulator.is_some() {
            "simulator"
        } else {
            "inteliquent"
        }
        .to_owned(),
    }))
}
