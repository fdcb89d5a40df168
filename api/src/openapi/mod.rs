//! The OpenAPI 3.1 document, generated from the handlers registered in `routes::configure`.
//! `cpaas openapi` prints it; `openapi/openapi.json` is a committed copy that a test pins.

use actix_web::App;
use cpaas_shared::{ApiErrorBody, ErrorCode};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::routes;

mod params;
mod requests;
mod responses;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "CPaaS Bridge API",
        description = "Provisions Inteliquent SMS/MMS numbers and routes their messages between \
                       the carrier, softphone users and contact-center queues. Every error \
                       response carries an `ApiErrorBody` with a stable `code`.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    tags(
        (name = "service", description = "Liveness and readiness of the api"),
        (name = "auth", description = "Portal sign-in: bearer tokens for the portal API"),
        (name = "providers", description = "System providers (R20)"),
        (name = "resellers", description = "Resellers under a system provider"),
        (name = "customers", description = "Customers under a reseller or a system provider"),
        (name = "users", description = "End users (R22) of a customer"),
        (name = "queues", description = "Contact-center queues of a customer"),
        (name = "media-streams", description = "Media streams of a queue (R10)"),
        (name = "cpaas-platforms", description = "CPaaS platforms (R1–R5): a provider's carrier accounts"),
        (name = "cpaas-numbers", description = "CPaaS numbers (R6–R14): assignment, provisioning, lists at every level"),
        (name = "portal-accounts", description = "Portal accounts (R21) at provider, reseller and customer level"),
        (name = "client", description = "The client API (end users, audience `client`): numbers and the opt-in decision (R12)"),
        (name = "billing", description = "R18: the monthly bill of a provider's numbers"),
        (name = "simulator", description = "Dev mode: the built-in Inteliquent simulator (operators only)"),
        (name = "history", description = "The history log (R23): who changed what, when"),
        (name = "webhooks", description = "Carrier-facing: Inteliquent POSTs inbound messages and delivery receipts"),
    ),
    components(schemas(ApiErrorBody, ErrorCode)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// The `bearer` security scheme the portal routes name.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// The document exactly as `/api/openapi.json` serves it.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, mut api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(routes::configure)
        .split_for_parts();
    responses::add(&mut api);
    params::bound_path_ids(&mut api);
    requests::require_on_create(&mut api);
    api
}

/// Every operation of the document with its path and method.
fn operations(
    api: &mut utoipa::openapi::OpenApi,
) -> impl Iterator<Item = (&str, &'static str, &mut utoipa::openapi::path::Operation)> {
    api.paths.paths.iter_mut().flat_map(|(path, item)| {
        [
            ("get", &mut item.get),
            ("put", &mut item.put),
            ("post", &mut item.post),
            ("delete", &mut item.delete),
            ("patch", &mut item.patch),
        ]
        .into_iter()
        .filter_map(|(method, operation)| operation.as_mut().map(|o| (method, o)))
        .map(move |(method, operation)| (path.as_str(), method, operation))
    })
}

/// Pretty JSON with a trailing newline, as committed in `openapi/openapi.json`.
pub fn document_json() -> Result<String, serde_json::Error> {
    Ok(format!("{}\n", document().to_pretty_json()?))
}
