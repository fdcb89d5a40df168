//! `ApiError`: every failure a handler can return, mapped to a status and the shared
//! `{"code","message","fields"}` body. Framework errors (bad JSON, path, query; unknown routes;
//! 405) are converted here too, so no response is ever plain text.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::error::{PathError, QueryPayloadError};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{HttpResponse, ResponseError, web};
use cpaas_shared::{ApiErrorBody, ErrorCode};

use crate::db::DbError;

/// How a problem saying the value is taken by another record starts ("is already in use").
pub const TAKEN: &str = "is already ";

/// A failed request. 4xx carry their own message; 5xx carry a cause that is logged once and
/// never sent to the client.
#[derive(Debug)]
pub struct ApiError {
    body: ApiErrorBody,
    cause: Option<String>,
    /// Seconds for a `Retry-After` header (429, 503).
    retry_after: Option<i64>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            body: ApiErrorBody::new(code, message),
            cause: None,
            retry_after: None,
        }
    }

    pub fn with_retry_after(mut self, seconds: i64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    pub fn with_field(mut self, field: impl Into<String>, problem: impl Into<String>) -> Self {
        self.body = self.body.with_field(field, problem);
        self
    }

    /// 422 `validation_failed`, naming each field with its problem.
    /// 422 naming each field's problem; 409 `conflict` when every problem is a value already
    /// taken (a well-formed request that clashes with what is stored).
    pub fn invalid<F: Into<String>, P: Into<String>>(
        problems: impl IntoIterator<Item = (F, P)>,
    ) -> Self {
        let error = problems.into_iter().fold(
            Self::new(ErrorCode::ValidationFailed, "Some fields are invalid."),
            |error, (field, problem)| error.with_field(field, problem),
        );
        let taken = |problems: &Vec<String>| problems.iter().all(|p| p.starts_with(TAKEN));
        let mut error = error;
        if !error.body.fields.is_empty() && error.body.fields.values().all(taken) {
            error.body.code = ErrorCode::Conflict;
            error.body.message = "Some values are already in use.".to_owned();
        }
        error
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, message)
    }

    /// 500 with a generic body; `cause` goes to the log only.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self {
            body: ApiErrorBody::new(
                ErrorCode::InternalError,
                "Something went wrong on our side; the error has been logged.",
            ),
            cause: Some(cause.to_string()),
            retry_after: None,
        }
    }

    /// 503 with a generic body; `cause` goes to the log only.
    pub fn unavailable(what: &str, cause: impl std::fmt::Display) -> Self {
        Self {
            body: ApiErrorBody::new(
                ErrorCode::ServiceUnavailable,
                format!("The {what} is unavailable; try again shortly."),
            ),
            cause: Some(cause.to_string()),
            retry_after: None,
        }
    }

    pub fn code(&self) -> ErrorCode {
        self.body.code
    }

    pub fn body(&self) -> &ApiErrorBody {
        &self.body
    }

    /// What went wrong, for the log: the cause behind a 5xx, otherwise the public message.
    pub fn cause(&self) -> &str {
        self.cause.as_deref().unwrap_or(&self.body.message)
    }

    /// Whether the same work may succeed later: the carrier or the database was away, or
    /// something failed inside. Anything else (not found, invalid, refused) will fail again.
    pub fn transient(&self) -> bool {
        matches!(
            self.body.code,
            ErrorCode::CarrierUnreachable
                | ErrorCode::ServiceUnavailable
                | ErrorCode::InternalError
        )
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.body.code, self.body.message)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.body.code.http_status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse<BoxBody> {
        if let Some(cause) = &self.cause {
            tracing::error!(code = %self.body.code, cause = %cause, "request failed");
        }
        let mut response = HttpResponse::build(self.status_code());
        if let Some(seconds) = self.retry_after {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        response.json(&self.body)
    }
}

impl From<DbError> for ApiError {
    fn from(err: DbError) -> Self {
        match err {
            DbError::Pool(e) => Self::unavailable("database", e),
            DbError::Query(e) => e.into(),
            DbError::Setup(_) | DbError::Canceled => Self::internal(err),
        }
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(err: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match err {
            Error::NotFound => Self::not_found("The requested resource does not exist."),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => Self::new(
                ErrorCode::Conflict,
                "A resource with the same unique value already exists.",
            ),
            // A restricted reference no check caught: refuse the change, never a 500.
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => Self::new(
                ErrorCode::Conflict,
                "Other records still refer to this resource: remove them first.",
            ),
            // SQLite's busy timeout ran out behind other writers: busy, not broken.
            Error::DatabaseError(_, info)
                if info.message().contains("database is locked")
                    || info.message().contains("database table is locked") =>
            {
                Self::unavailable("database", info.message()).with_retry_after(1)
            }
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                Self::unavailable("database", info.message())
            }
            other => Self::internal(other),
        }
    }
}

fn path_error(err: PathError) -> ApiError {
    let PathError::Deserialize(e) = err else {
        return ApiError::new(ErrorCode::InvalidParameter, "A path parameter is invalid.");
    };
    ApiError::new(
        ErrorCode::InvalidParameter,
        format!("A path parameter is invalid: {e}."),
    )
}

fn query_error(err: QueryPayloadError) -> ApiError {
    let message = match err {
        QueryPayloadError::Deserialize(e) => e.to_string(),
        other => other.to_string(),
    };
    ApiError::new(
        ErrorCode::InvalidParameter,
        format!("A query parameter is invalid: {message}."),
    )
}

/// Extractor configurations: the body size limit, and bad paths and queries answered with the
/// error envelope (bodies go through [`crate::extract::Json`]).
pub fn extractor_configs(cfg: &mut web::ServiceConfig) {
    cfg.app_data(crate::extract::payload_config())
        .app_data(web::PathConfig::default().error_handler(|err, _req| path_error(err).into()))
        .app_data(web::QueryConfig::default().error_handler(|err, _req| query_error(err).into()));
}

/// Middleware that rewrites any non-JSON error response (actix's own 404/405, a handler that
/// returned a bare status) into the envelope, keeping its status.
pub fn envelope_errors<B: MessageBody + 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(|res: ServiceResponse<B>| {
        let is_json = res
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
        if is_json {
            return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
        }
        let status = res.status();
        let error = match status {
            StatusCode::NOT_FOUND => ApiError::not_found(format!(
                "No resource at {} {}.",
                res.request().method(),
                res.request().path()
            )),
            StatusCode::METHOD_NOT_ALLOWED => ApiError::new(
                ErrorCode::MethodNotAllowed,
                format!(
                    "{} is not allowed on {}.",
                    res.request().method(),
                    res.request().path()
                ),
            ),
            s if s.is_server_error() => ApiError::internal(format!("bare {s} response")),
            s => ApiError::new(
                ErrorCode::InvalidParameter,
                s.canonical_reason().unwrap_or("Bad request").to_owned(),
            ),
        };
        let (req, mut original) = res.into_parts();
        let mut response = error.error_response();
        if let Some(allow) = original.headers_mut().remove(header::ALLOW).next() {
            response.headers_mut().insert(header::ALLOW, allow);
        }
        *response.status_mut() = status;
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        Ok(ErrorHandlerResponse::Response(
            ServiceResponse::new(req, response).map_into_right_body(),
        ))
    })
}

#[cfg(test)]
mod tests {
    use actix_web::{App, test as actix_test};
    use serde::Deserialize;

    use super::*;

    #[test]
    fn a_busy_sqlite_is_503_with_retry_after_not_500() {
        use diesel::result::{DatabaseErrorKind, Error};
        let err: ApiError = Error::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new("database is locked".to_owned()),
        )
        .into();
        assert_eq!(err.status_code(), StatusCode::SERVICE_UNAVAILABLE);
        let res = err.error_response();
        assert_eq!(
            res.headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok()),
            Some("1")
        );
    }

    #[test]
    fn a_restricted_reference_is_a_conflict_not_a_500() {
        use diesel::result::{DatabaseErrorKind, Error};
        let err: ApiError = Error::DatabaseError(
            DatabaseErrorKind::ForeignKeyViolation,
            Box::new("FOREIGN KEY constraint failed".to_owned()),
        )
        .into();
        assert_eq!(err.status_code(), StatusCode::CONFLICT);
        assert_eq!(err.code(), ErrorCode::Conflict);
    }

    #[derive(Deserialize)]
    #[expect(dead_code, reason = "only deserialized")]
    struct Body {
        name: String,
        count: u32,
    }

    #[derive(Deserialize)]
    #[expect(dead_code, reason = "only deserialized")]
    struct Page {
        page: u32,
    }

    async fn json_route(_: crate::extract::Json<Body>) -> HttpResponse {
        HttpResponse::NoContent().finish()
    }

    async fn path_route(_: web::Path<i64>) -> HttpResponse {
        HttpResponse::NoContent().finish()
    }

    async fn query_route(_: web::Query<Page>) -> HttpResponse {
        HttpResponse::NoContent().finish()
    }

    async fn call(req: actix_test::TestRequest) -> (StatusCode, ApiErrorBody) {
        let app = actix_test::init_service(
            App::new()
                .wrap(envelope_errors())
                .configure(extractor_configs)
                .route("/things", web::post().to(json_route))
                .route("/things/{id}", web::get().to(path_route))
                .route("/list", web::get().to(query_route)),
        )
        .await;
        let res = actix_test::call_service(&app, req.to_request()).await;
        let status = res.status();
        let body: ApiErrorBody = actix_test::read_body_json(res).await;
        (status, body)
    }

    #[actix_web::test]
    async fn malformed_json_is_400_malformed_json() {
        let (status, body) = call(
            actix_test::TestRequest::post()
                .uri("/things")
                .insert_header(("content-type", "application/json"))
                .set_payload("{\"name\": "),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body.code, ErrorCode::MalformedJson);
    }

    #[actix_web::test]
    async fn wrong_shape_is_422_naming_the_field() {
        let (status, body) = call(
            actix_test::TestRequest::post()
                .uri("/things")
                .set_json(serde_json::json!({"count": 1})),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body.code, ErrorCode::ValidationFailed);
        assert!(body.fields.contains_key("name"), "{body:?}");
    }

    #[actix_web::test]
    async fn non_json_content_type_is_415() {
        let (status, body) = call(
            actix_test::TestRequest::post()
                .uri("/things")
                .insert_header(("content-type", "text/plain"))
                .set_payload("name=x"),
        )
        .await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(body.code, ErrorCode::UnsupportedMediaType);
    }

    #[actix_web::test]
    async fn oversized_body_is_413() {
        let big = format!("{{\"name\": \"{}\", \"count\": 1}}", "x".repeat(2 << 20));
        let (status, body) = call(
            actix_test::TestRequest::post()
                .uri("/things")
                .insert_header(("content-type", "application/json"))
                .set_payload(big),
        )
        .await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(body.code, ErrorCode::PayloadTooLarge);
    }

    #[actix_web::test]
    async fn bad_path_parameter_is_400() {
        let (status, body) = call(actix_test::TestRequest::get().uri("/things/abc")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body.code, ErrorCode::InvalidParameter);
    }

    #[actix_web::test]
    async fn bad_query_parameter_is_400() {
        let (status, body) = call(actix_test::TestRequest::get().uri("/list?page=first")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body.code, ErrorCode::InvalidParameter);
        assert!(
            body.message.contains("page") || body.message.contains("digit"),
            "{body:?}"
        );
    }

    #[actix_web::test]
    async fn unrouted_request_is_an_enveloped_404() {
        let (status, body) = call(actix_test::TestRequest::get().uri("/nowhere")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(body.code, ErrorCode::NotFound);
    }

    #[test]
    fn internal_errors_do_not_leak_their_cause() {
        let err = ApiError::internal("password authentication failed for user cpaas");
        assert!(!err.body().message.contains("password"));
        assert_eq!(err.code(), ErrorCode::InternalError);
    }
}
