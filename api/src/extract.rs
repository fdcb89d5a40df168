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
use serde_json::Value;

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

/// Parses a JSON object body; a misfit names its field path. A whole number written with a
/// fraction (`14.0`) is the integer it equals, as JSON Schema has it.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut value: Value = serde_json::from_slice(bytes).map_err(|err| {
        ApiError::new(
            ErrorCode::MalformedJson,
            format!("The request body is not well-formed JSON: {err}."),
        )
    })?;
    if !value.is_object() {
        return Err(ApiError::new(
            ErrorCode::MalformedJson,
            "The request body must be a JSON object.",
        ));
    }
    whole_numbers(&mut value);
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        let problem = err.into_inner().to_string();
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

/// Turns every float that is a whole number within the 64-bit range into that integer.
fn whole_numbers(value: &mut Value) {
    match value {
        Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or(f64::NAN);
            // The bounds are exact powers of two, so the casts below are exact.
            if f.fract() == 0.0 && (-(2f64.powi(63))..2f64.powi(63)).contains(&f) {
                *value = Value::from(f as i64);
            } else if f.fract() == 0.0 && (0.0..2f64.powi(64)).contains(&f) {
                *value = Value::from(f as u64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers),
        Value::Object(fields) => fields.values_mut().for_each(whole_numbers),
        _ => {}
    }
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
    struct Body {
        name: String,
        count: u32,
        inner: Option<Inner>,
    }

    #[derive(Debug, Deserialize)]
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
    fn broken_json_and_non_objects_are_malformed() {
        for body in [&b"{\"name\": "[..], b"[null, null]", b"\"x\"", b"3"] {
            let err = parse::<Body>(body).expect_err("not an object");
            assert_eq!(err.code(), ErrorCode::MalformedJson);
        }
    }

    #[test]
    fn whole_numbers_may_carry_a_fraction() {
        let body: Body = parse(br#"{"name": "x", "count": 14.0, "inner": {"level": 2e0}}"#)
            .expect("whole numbers");
        assert_eq!((body.name.as_str(), body.count), ("x", 14));
        assert_eq!(body.inner.map(|i| i.level), Some(2));
        assert_eq!(fields(r#"{"name": "x", "count": 14.5}"#), ["count"]);
        assert_eq!(fields(r#"{"name": "x", "count": 1e30}"#), ["count"]);
    }
}
