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

/// This node's metrics in the Prometheus text format (OpenMetrics): for an operator's bearer
/// token, or the scrape token `CPAAS_METRICS_TOKEN`.
#[utoipa::path(
    tag = "service",
    security(("bearer" = [])),
    responses(
        (status = OK, description = "The metrics", content_type = "application/openmetrics-text", body = String),
        (status = FORBIDDEN, description = "A token that is not an operator's", body = ApiErrorBody),
    )
)]
#[get("/metrics")]
pub async fn get_metrics(
    state: web::Data<AppState>,
    user: Option<crate::auth::PortalUser>,
    req: actix_web::HttpRequest,
) -> Result<actix_web::HttpResponse, ApiError> {
    use secrecy::ExposeSecret;
    let given = crate::auth::extractor::bearer(&req);
    let scraper = match (&state.settings.metrics_token, &given) {
        (Some(expected), Some(given)) => crate::crypto::equal_in_constant_time(
            expected.expose_secret().as_bytes(),
            given.as_bytes(),
        ),
        _ => false,
    };
    match (scraper, user) {
        (true, _) => {}
        (false, Some(user)) if user.account.operator => {}
        (false, Some(_)) => {
            return Err(ApiError::new(
                cpaas_shared::ErrorCode::Forbidden,
                "Only operators (or the scrape token) may read the metrics.",
            ));
        }
        (false, None) => return Err(crate::auth::extractor::unauthorized()),
    }
    let now = chrono::Utc::now().naive_utc();
    let (queue, dead) = state
        .db
        .read(move |conn| {
            use crate::db::models::job;
            Ok::<_, ApiError>((job::queue(conn, now)?, job::dead(conn)?))
        })
        .await?;
    let metrics = &state.metrics;
    metrics.queued_jobs.clear();
    metrics.oldest_due_seconds.clear();
    for (kind, count, oldest) in queue {
        let labels = crate::metrics::KindLabels { kind };
        metrics.queued_jobs.get_or_create(&labels).set(count);
        let age = oldest.map_or(0, |at| (now - at).num_seconds().max(0));
        metrics.oldest_due_seconds.get_or_create(&labels).set(age);
    }
    metrics.dead_jobs.set(dead);
    for (pool, db) in [
        ("requests", &state.db),
        ("jobs", &state.background),
        ("leases", &state.leases),
    ] {
        let (in_use, idle) = db.pool_state();
        let labels = crate::metrics::PoolLabels { pool };
        metrics
            .pool_in_use
            .get_or_create(&labels)
            .set(i64::from(in_use));
        metrics
            .pool_idle
            .get_or_create(&labels)
            .set(i64::from(idle));
    }
    let body = metrics.encode().map_err(ApiError::internal)?;
    Ok(actix_web::HttpResponse::Ok()
        .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .body(body))
}
