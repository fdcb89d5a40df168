//! The OpenAPI 3.1 document, generated from the handlers registered in `routes::configure`.
//! `cpaas openapi` prints it; `openapi/openapi.json` is a committed copy that a test pins.

use actix_web::App;
use cpaas_shared::{ApiErrorBody, ErrorCode};
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;

use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "CPaaS Bridge API",
        description = "Provisions Inteliquent SMS/MMS numbers and routes their messages between \
                       the carrier, softphone users and contact-center queues. Every error \
                       response carries an `ApiErrorBody` with a stable `code`.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    tags((name = "service", description = "Liveness and readiness of the api")),
    components(schemas(ApiErrorBody, ErrorCode))
)]
pub struct ApiDoc;

/// The document exactly as `/api/openapi.json` serves it.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(routes::configure)
        .split_for_parts();
    api
}

/// Pretty JSON with a trailing newline, as committed in `openapi/openapi.json`.
pub fn document_json() -> Result<String, serde_json::Error> {
    Ok(format!("{}\n", document().to_pretty_json()?))
}
