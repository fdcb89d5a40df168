//! R18: a provider's monthly bill, as JSON or CSV.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use cpaas_shared::{ApiErrorBody, BillingReport};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::PortalUser;
use crate::error::ApiError;
use crate::services::billing;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BillingQuery {
    /// The month, `YYYY-MM` (default: the current month, UTC).
    pub month: Option<String>,
    /// `csv` for CSV (as does `Accept: text/csv`).
    pub format: Option<String>,
}

/// Every number assigned during the month with its days active and charge, and the totals.
#[utoipa::path(
    tag = "billing",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Provider id"), BillingQuery),
    responses(
        (status = OK, description = "The month's bill (or CSV with `Accept: text/csv` or `format=csv`)", body = BillingReport),
        (status = UNAUTHORIZED, description = "No valid token", body = ApiErrorBody),
        (status = NOT_FOUND, description = "Not in the caller's scope", body = ApiErrorBody),
        (status = UNPROCESSABLE_ENTITY, description = "No or a malformed month", body = ApiErrorBody),
    )
)]
#[get("/providers/{id}/billing")]
pub async fn get_billing(
    state: web::Data<AppState>,
    user: PortalUser,
    req: HttpRequest,
    id: web::Path<i64>,
    query: web::Query<BillingQuery>,
) -> Result<HttpResponse, ApiError> {
    let (id, query) = (id.into_inner(), query.into_inner());
    let month = query.month;
    let report = state
        .db
        .read(move |conn| billing::report(conn, &user, id, month.as_deref()))
        .await?;
    let accepts_csv = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/csv"));
    if accepts_csv || query.format.as_deref() == Some("csv") {
        return Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"billing-{}-{}.csv\"",
                    report.provider_id, report.month
                ),
            ))
            .body(billing::csv(&report)));
    }
    Ok(HttpResponse::Ok().json(report))
}
