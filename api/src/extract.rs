//! `Json<T>`: the request-body extractor every handler uses. Unlike `web::Json`, a body that
//! parses but does not fit names the offending field (`fields.trial_duration_days`), found with
//! serde_path_to_error; everything else answers in the error envelope too.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use cpaas_shared::ErrorCode;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Largest body accepted, in bytes.
pub const BODY_LIMIT: usize = 1 << 20;

#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| {
                let mime = mime.trim();
                mime == "application/json" || mime.ends_with("+json")
            });
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !is_json {
                return Err(ApiError::new(
                    ErrorCode::UnsupportedMediaType,
                    "The request body must be JSON: send Content-Type: application/json.",
                ));
            }
            let bytes = body.await.map_err(|e| {
                if e.as_response_error().status_code().as_u16() == 413 {
                    ApiError::new(
                        ErrorCode::PayloadTooLarge,
                        format!("The request body is larger than the {BODY_LIMIT} bytes allowed."),
                    )
                } else {
                    ApiError::new(
                        ErrorCode::MalformedJson,
                        format!("The request body could not be read: {e}."),
                    )
                }
            })?;
            parse(&bytes).map(Json)
        })
    }
}

/// Parses a JSON body; a misfit names its field path.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if !inner.is_data() {
            return ApiError::new(
                ErrorCode::MalformedJson,
                format!("The request body is not well-formed JSON: {inner}."),
            );
        }
        let problem = inner.to_string();
        // A missing field is reported at its parent; name the field itself.
        let field = match named_field(&problem) {
            Some(name) if problem.starts_with("missing field") && path == "." => name.to_owned(),
            Some(name) if problem.starts_with("missing field") => format!("{path}.{name}"),
            _ => path,
        };
        ApiError::new(
            ErrorCode::ValidationFailed,
            format!("The field {field} is invalid: {problem}."),
        )
        .with_field(field, problem)
    })
}

/// The field named in serde's "missing field `x`" message.
fn named_field(message: &str) -> Option<&str> {
    let start = message.find(" field `")? + " field `".len();
    let len = message[start..].find('`')?;
    Some(&message[start..start + len])
}

/// The payload size limit for [`Json`] bodies.
pub fn payload_config() -> web::PayloadConfig {
    web::PayloadConfig::new(BODY_LIMIT)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(dead_code, reason = "only deserialized")]
    struct Body {
        name: String,
        count: u32,
        inner: Option<Inner>,
    }

    #[derive(Debug, Deserialize)]
    #[expect(dead_code, reason = "only deserialized")]
    struct Inner {
        level: u8,
    }

    fn fields(json: &str) -> Vec<String> {
        let err = parse::<Body>(json.as_bytes()).expect_err("invalid");
        assert_eq!(err.code(), ErrorCode::ValidationFailed, "{json}");
        err.body().fields.keys().cloned().collect()
    }

    #[test]
    fn misfits_name_their_field() {
        assert_eq!(fields(r#"{"name": "x", "count": -1}"#), ["count"]);
        assert_eq!(fields(r#"{"count": 1}"#), ["name"]);
        assert_eq!(
            fields(r#"{"name": "x", "count": 1, "cuont": 2}"#),
            ["cuont"]
        );
        assert_eq!(
            fields(r#"{"name": "x", "count": 1, "inner": {"level": 300}}"#),
            ["inner.level"]
        );
    }

    #[test]
    fn broken_json_is_malformed() {
        let err = parse::<Body>(b"{\"name\": ").expect_err("broken");
        assert_eq!(err.code(), ErrorCode::MalformedJson);
    }
}
