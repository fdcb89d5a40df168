//! The error envelope every non-2xx API response carries.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// Stable, machine-readable error codes. Integrators match on these, never on messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: the body is not well-formed JSON.
    MalformedJson,
    /// 400: a path or query parameter could not be read.
    InvalidParameter,
    /// 401: missing, expired or invalid credentials.
    Unauthorized,
    /// 403: authenticated but not allowed.
    Forbidden,
    /// 404: no such resource (also for anything outside the caller's subtree).
    NotFound,
    /// 405: the resource exists but not with this method.
    MethodNotAllowed,
    /// 409: the request conflicts with the current state.
    Conflict,
    /// 413: the body is larger than allowed.
    PayloadTooLarge,
    /// 415: the body is not `application/json`.
    UnsupportedMediaType,
    /// 422: the body is well-formed but some fields are invalid (see `fields`).
    ValidationFailed,
    /// 429: too many failed sign-ins for this account; see the `Retry-After` header.
    TooManyAttempts,
    /// 429: too many requests from this client address; see the `Retry-After` header.
    TooManyRequests,
    /// 409 (R2): no provider-level portal account receives alerts.
    NoAlertRecipient,
    /// 409 (R3): the change would leave no portal account receiving alerts.
    LastAlertRecipient,
    /// 422 (R4): the carrier rejected the platform credentials.
    CarrierRejectedCredentials,
    /// 502: the carrier could not be reached.
    CarrierUnreachable,
    /// 422 (R8): the number is not on the carrier account.
    NumberNotOnAccount,
    /// 409: the number already has an active assignment.
    NumberAlreadyAssigned,
    /// 422 (R5): the provider has several platforms and none was named.
    PlatformRequired,
    /// 422 (R7): MMS was asked for on a platform without MMS.
    MmsNotAvailable,
    /// 409: the provider has no CPaaS platform.
    NoPlatform,
    /// 500: an unexpected failure; details are in the server log, never in the body.
    InternalError,
    /// 503: a dependency (the database) is unavailable.
    ServiceUnavailable,
}

impl ErrorCode {
    /// The snake_case wire name, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MalformedJson => "malformed_json",
            Self::InvalidParameter => "invalid_parameter",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Conflict => "conflict",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::ValidationFailed => "validation_failed",
            Self::TooManyAttempts => "too_many_attempts",
            Self::TooManyRequests => "too_many_requests",
            Self::NoAlertRecipient => "no_alert_recipient",
            Self::LastAlertRecipient => "last_alert_recipient",
            Self::CarrierRejectedCredentials => "carrier_rejected_credentials",
            Self::CarrierUnreachable => "carrier_unreachable",
            Self::NumberNotOnAccount => "number_not_on_account",
            Self::NumberAlreadyAssigned => "number_already_assigned",
            Self::PlatformRequired => "platform_required",
            Self::MmsNotAvailable => "mms_not_available",
            Self::NoPlatform => "no_platform",
            Self::InternalError => "internal_error",
            Self::ServiceUnavailable => "service_unavailable",
        }
    }

    /// The HTTP status this code is always sent with.
    pub fn http_status(self) -> u16 {
        match self {
            Self::MalformedJson | Self::InvalidParameter => 400,
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::Conflict
            | Self::NoAlertRecipient
            | Self::LastAlertRecipient
            | Self::NumberAlreadyAssigned
            | Self::NoPlatform => 409,
            Self::PayloadTooLarge => 413,
            Self::UnsupportedMediaType => 415,
            Self::ValidationFailed
            | Self::CarrierRejectedCredentials
            | Self::NumberNotOnAccount
            | Self::PlatformRequired
            | Self::MmsNotAvailable => 422,
            Self::TooManyAttempts | Self::TooManyRequests => 429,
            Self::InternalError => 500,
            Self::CarrierUnreachable => 502,
            Self::ServiceUnavailable => 503,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `{"code", "message", "fields"}`: the body of every error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiErrorBody {
    pub code: ErrorCode,
    /// Human-readable; may change between releases.
    pub message: String,
    /// Per-field problems, keyed by field (or parameter) name; empty when none apply.
    #[serde(default)]
    pub fields: BTreeMap<String, Vec<String>>,
}

impl ApiErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            fields: BTreeMap::new(),
        }
    }

    /// Adds one problem for one field.
    pub fn with_field(mut self, field: impl Into<String>, problem: impl Into<String>) -> Self {
        self.fields
            .entry(field.into())
            .or_default()
            .push(problem.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialize_as_their_wire_names() {
        for code in [
            ErrorCode::MalformedJson,
            ErrorCode::NoAlertRecipient,
            ErrorCode::CarrierRejectedCredentials,
            ErrorCode::ServiceUnavailable,
        ] {
            let json = serde_json::to_value(code).expect("serializes");
            assert_eq!(json, serde_json::Value::String(code.as_str().to_owned()));
        }
    }

    #[test]
    fn body_round_trips_with_fields() {
        let body = ApiErrorBody::new(ErrorCode::ValidationFailed, "bad")
            .with_field("name", "is required")
            .with_field("name", "is too long");
        let text = serde_json::to_string(&body).expect("serializes");
        assert_eq!(
            text,
            r#"{"code":"validation_failed","message":"bad","fields":{"name":["is required","is too long"]}}"#
        );
        let back: ApiErrorBody = serde_json::from_str(&text).expect("parses");
        assert_eq!(back, body);
    }
}
