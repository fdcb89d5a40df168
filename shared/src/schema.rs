//! The JSON Schemas of the fields that recur across requests, stating exactly what the api's
//! checks accept, so the OpenAPI document is the contract a generated client can rely on.
//! Request types name them with `#[schema(schema_with = …)]`.

use utoipa::openapi::schema::{
    Array, ArrayBuilder, KnownFormat, Object, ObjectBuilder, SchemaFormat, SchemaType, Type,
};

use crate::phone::PHONE_PATTERN;
use crate::validate::white;
use crate::validate::{
    EMAIL_PATTERN, LANGUAGE_PATTERN, NAME_MAX, NON_BLANK, PASSWORD_MAX, PASSWORD_MIN, TEXT_MAX,
};

fn text(nullable: bool) -> ObjectBuilder {
    let kind = if nullable {
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::Type(Type::String)
    };
    ObjectBuilder::new().schema_type(kind)
}

/// A display name: 1 to 200 characters, not all white space.
pub fn name() -> Object {
    name_of(false)
}

/// [`name`], or null for unchanged.
pub fn name_or_null() -> Object {
    name_of(true)
}

fn name_of(nullable: bool) -> Object {
    text(nullable)
        .max_length(Some(NAME_MAX))
        .pattern(Some(NON_BLANK))
        .build()
}

/// An IANA time zone such as `America/Chicago`; empty or null for not set.
pub fn timezone_or_null() -> Object {
    let mut zones: Vec<serde_json::Value> = vec!["".into()];
    zones.extend(chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name().into()));
    zones.push(serde_json::Value::Null);
    text(true).enum_values(Some(zones)).build()
}

/// A BCP 47 language tag such as `en-GB` (syntax only); empty or null for the default.
pub fn language_or_null() -> Object {
    text(true).pattern(Some(LANGUAGE_PATTERN)).build()
}

/// Free text of at most 200 characters; empty or null for not set.
pub fn reference_or_null() -> Object {
    text(true).max_length(Some(TEXT_MAX)).build()
}

/// An email address of at most 254 characters (ASCII; any case).
pub fn email() -> Object {
    email_of(false)
}

/// [`email`], or null for unchanged.
pub fn email_or_null() -> Object {
    email_of(true)
}

fn email_of(nullable: bool) -> Object {
    text(nullable)
        .max_length(Some(254))
        .pattern(Some(EMAIL_PATTERN))
        .build()
}

/// A new password: 10 to 256 characters.
pub fn new_password() -> Object {
    password_of(false)
}

/// [`new_password`], or null for unchanged.
pub fn new_password_or_null() -> Object {
    password_of(true)
}

fn password_of(nullable: bool) -> Object {
    text(nullable)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Password)))
        .min_length(Some(PASSWORD_MIN))
        .max_length(Some(PASSWORD_MAX))
        .build()
}

/// A US number in any form people type: `2019920780`, `(201) 992-0780`, `+1 201 992 0780`.
pub fn phone() -> Object {
    text(false).pattern(Some(PHONE_PATTERN)).build()
}

/// One or more US numbers, each as [`phone`] takes it.
pub fn phones() -> Array {
    ArrayBuilder::new()
        .items(phone())
        .min_items(Some(1))
        .build()
}

/// A carrier credential as copied from the Inteliquent portal: 8 to 200 visible ASCII
/// characters (white space around is ignored).
pub fn credential() -> Object {
    credential_of(false)
}

/// [`credential`], or null for unchanged.
pub fn credential_or_null() -> Object {
    credential_of(true)
}

fn credential_of(nullable: bool) -> Object {
    const PATTERN: &str = concat!("^[", white!(), r"]*[\x21-\x7e]{8,200}[", white!(), "]*$");
    text(nullable)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Password)))
        .pattern(Some(PATTERN))
        .build()
}
