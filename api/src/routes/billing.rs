//! R18: a provider's monthly bill, as JSON or CSV.

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, get, web};
use cpaas_shared::{ApiErrorBody, BillingReport};
use futures_util::stream::{self, Stream};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::auth::PortalUser;
use crate::db::Db;
use crate::error::ApiError;
use crate::services::billing::{self, After, Period};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BillingQuery {
    /// The month, `YYYY-MM` from 2000-01 to 2200-12 (default: the current month, UTC).
    #[param(pattern = "^(?:20[0-9]{2}|21[0-9]{2}|2200)-(?:0[1-9]|1[0-2])$")]
    pub month: Option<String>,
    /// `csv` for CSV (as does `Accept: text/csv`); `json` (the default) otherwise.
    #[param(inline)]
    pub format: Option<BillingFormat>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BillingFormat {
    Json,
    Csv,
}

/// Every number assigned during the month with its days active and charge, and the totals.
#[utoipa::path(
    tag = "billing",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Provider id"), BillingQuery),
    responses(
        (status = OK, description = "The month's bill; CSV (one line a number, then the total) with `Accept: text/csv` or `format=csv`",
            content((BillingReport = "application/json"), (String = "text/csv"))),
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
    // Scope and month are checked before anything is sent.
    let period = state
        .db
        .read(move |conn| billing::period(conn, &user, id, month.as_deref()))
        .await?;
    let accepts_csv = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/csv"));
    if accepts_csv || query.format == Some(BillingFormat::Csv) {
        let filename = format!("billing-{}-{}.csv", period.provider_id, period.month());
        return Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ))
            .streaming(csv_body(state.db.clone(), period)));
    }
    let report = state
        .db
        .read(move |conn| billing::report(conn, &period))
        .await?;
    Ok(HttpResponse::Ok().json(report))
}

/// Lines the CSV reads from the database at a time.
const CSV_BATCH: i64 = 500;

/// The bill as CSV, read and sent a batch at a time, so a provider with a great many numbers
/// never has its whole bill in memory; each batch takes a pooled connection only while it reads.
fn csv_body(db: Db, period: Period) -> impl Stream<Item = Result<Bytes, std::io::Error>> {
    struct Cursor {
        after: Option<After>,
        numbers: u64,
        charge_cents: u64,
    }
    let first = Cursor {
        after: None,
        numbers: 0,
        charge_cents: 0,
    };
    stream::unfold(Some(first), move |cursor| {
        let (db, period) = (db.clone(), period.clone());
        async move {
            let mut cursor = cursor?;
            let after = cursor.after.take();
            let mut out = if after.is_none() {
                billing::CSV_HEADER.to_owned()
            } else {
                String::new()
            };
            let read = db
                .read(move |conn| billing::lines(conn, &period, after.as_ref(), CSV_BATCH))
                .await;
            let batch = match read {
                Ok(batch) => batch,
                Err(err) => {
                    // The status is sent; ending the body short (no total line) is the signal.
                    tracing::error!(error = %err, "billing CSV stopped early");
                    return Some((Err(std::io::Error::other("billing CSV stopped")), None));
                }
            };
            let full = i64::try_from(batch.len()).unwrap_or(i64::MAX) >= CSV_BATCH;
            for (_, line) in &batch {
                cursor.numbers += 1;
                cursor.charge_cents += line.charge_cents;
                out.push_str(&billing::csv_line(line));
            }
            cursor.after = batch.into_iter().last().map(|(at, _)| at);
            if full {
                Some((Ok(Bytes::from(out)), Some(cursor)))
            } else {
                out.push_str(&billing::csv_total(cursor.numbers, cursor.charge_cents));
                Some((Ok(Bytes::from(out)), None))
            }
        }
    })
}
