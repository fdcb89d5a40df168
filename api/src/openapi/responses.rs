//! The error responses every operation shares, defined once under `components.responses` and
//! referenced from each operation that can give them, so handlers list only what is their own.
//!
//! What the server can answer anywhere, by what an operation takes:
//! - a path, query or body it cannot read: 400 (`invalid_parameter`, `malformed_json`);
//! - a bearer token it does not accept: 401;
//! - an id outside the caller's subtree: 404;
//! - a change that clashes with what is stored: 409;
//! - a body: too large 413, not JSON 415;
//! - query or body values that break a rule: 422 (`validation_failed`, naming the fields);
//! - a database too busy or unreachable: 503 with `Retry-After`.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{
    Content, HeaderBuilder, ObjectBuilder, OpenApi, Ref, RefOr, Response, ResponseBuilder, Schema,
    Type,
};

/// (status, component name, description, carries `Retry-After`).
const SHARED: [(&str, &str, &str, bool); 8] = [
    (
        "400",
        "BadRequest",
        "`invalid_parameter`: a path or query parameter cannot be read; `malformed_json`: the \
         body is not well-formed JSON of the expected shape",
        false,
    ),
    ("401", "Unauthorized", "No valid token", false),
    (
        "404",
        "NotFound",
        "No such resource in the caller's scope",
        false,
    ),
    (
        "409",
        "Conflict",
        "`conflict`: the change clashes with what is stored (a value already in use, or \
         records that depend on this one)",
        false,
    ),
    (
        "413",
        "PayloadTooLarge",
        "The body is larger than allowed",
        false,
    ),
    (
        "415",
        "UnsupportedMediaType",
        "The body is not of the accepted content type",
        false,
    ),
    (
        "422",
        "ValidationFailed",
        "`validation_failed`: some values break a rule (see `fields`)",
        false,
    ),
    (
        "503",
        "ServiceUnavailable",
        "The database is busy or unreachable; try again after `Retry-After` seconds",
        true,
    ),
];

/// Adds the shared responses to the components and references them from every operation
/// that can give them and does not describe them itself.
pub fn add(api: &mut OpenApi) {
    let components = api.components.get_or_insert_with(Default::default);
    for (_, name, description, retry_after) in SHARED {
        components.responses.insert(
            name.to_owned(),
            RefOr::T(response(description, retry_after)),
        );
    }
    for (path, method, operation) in super::operations(api) {
        for status in applicable(path, method, operation) {
            if let Some((_, name, ..)) = SHARED.iter().find(|(s, ..)| *s == status) {
                operation
                    .responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| RefOr::Ref(Ref::from_response_name(*name)));
            }
        }
    }
}

/// The shared statuses an operation can give, from what it takes.
fn applicable(path: &str, method: &str, operation: &Operation) -> Vec<&'static str> {
    let operation_is_change = method != "get";
    let params = operation.parameters.as_deref().unwrap_or_default();
    let has = |place: ParameterIn| {
        params
            .iter()
            .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == place))
    };
    let body = operation.request_body.is_some();
    let mut statuses = Vec::new();
    if body || !params.is_empty() {
        statuses.push("400");
    }
    if operation.security.as_ref().is_some_and(|s| !s.is_empty()) {
        statuses.push("401");
    }
    if has(ParameterIn::Path) {
        statuses.push("404");
    }
    if body || operation_is_change {
        statuses.push("409");
    }
    if body {
        statuses.extend(["413", "415"]);
    }
    if body || has(ParameterIn::Query) {
        statuses.push("422");
    }
    // Liveness answers without the database; everything else can find it busy.
    if path != "/healthz" {
        statuses.push("503");
    }
    statuses
}

fn response(description: &str, retry_after: bool) -> Response {
    let mut builder = ResponseBuilder::new().description(description).content(
        "application/json",
        Content::new(Some(RefOr::<Schema>::Ref(Ref::from_schema_name(
            "ApiErrorBody",
        )))),
    );
    if retry_after {
        builder = builder.header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(Type::Integer)
                        .minimum(Some(1)),
                ))
                .description(Some("Seconds to wait before trying again"))
                .build(),
        );
    }
    builder.build()
}
