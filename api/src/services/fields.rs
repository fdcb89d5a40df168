//! Checks of optional setting fields shared by organizations and end users. Each takes the
//! requested value (`None` = clear) and returns the value to store or the problem.

use cpaas_shared::validate;

/// An IANA time zone, or not set.
pub fn timezone(value: Option<String>) -> Result<Option<String>, String> {
    match text(value) {
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

/// Free text of at most 200 characters, or not set.
pub fn reference(value: Option<String>) -> Result<Option<String>, String> {
    match text(value) {
        Some(r) if r.chars().count() > 200 => Err("must be at most 200 characters".to_owned()),
        r => Ok(r),
    }
}

/// Trimmed; blank is "not set".
fn text(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}
