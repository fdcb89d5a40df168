//! Checks of optional setting fields shared by organizations and end users. Each takes the
//! requested value (`None` = clear) and returns the value to store or the problem.

use cpaas_shared::validate;

/// An IANA time zone exactly as the database names it, or not set (empty).
pub fn timezone(value: Option<String>) -> Result<Option<String>, String> {
    match value.filter(|tz| !tz.is_empty()) {
        Some(tz) if tz.parse::<chrono_tz::Tz>().is_err() => {
            Err("must be an IANA time zone such as America/Chicago".to_owned())
        }
        tz => Ok(tz),
    }
}

/// A BCP 47 language tag, or the default language.
pub fn language(value: Option<String>) -> Result<Option<String>, String> {
    text(value).map(|l| validate::language(&l)).transpose()
}

/// Free text of at most 200 characters as typed, stored trimmed; blank is not set.
pub fn reference(value: Option<String>) -> Result<Option<String>, String> {
    match value {
        Some(r) if r.chars().count() > validate::TEXT_MAX => {
            Err(format!("must be at most {} characters", validate::TEXT_MAX))
        }
        r => Ok(text(r)),
    }
}

/// Trimmed; blank is "not set".
fn text(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}
