//! Field validation shared by the api and the SPA, so a form shows the same message as the API.

/// Longest email address accepted (RFC 5321 path limit).
const EMAIL_MAX: usize = 254;
pub const PASSWORD_MIN: usize = 10;
const PASSWORD_MAX: usize = 256;

/// Trims and lower-cases an email address, or says what is wrong with it.
pub fn email(input: &str) -> Result<String, String> {
    let email = input.trim().to_lowercase();
    if email.is_empty() {
        return Err("is required".to_owned());
    }
    if email.len() > EMAIL_MAX {
        return Err(format!("must be at most {EMAIL_MAX} characters"));
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err("must be an email address such as name@example.com".to_owned());
    };
    let domain_ok = domain.contains('.')
        && !domain.starts_with(['.', '-'])
        && !domain.ends_with(['.', '-'])
        && !domain.contains("..")
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
    let local_ok =
        !local.is_empty() && !local.contains(char::is_whitespace) && !local.contains('@');
    if !domain_ok || !local_ok {
        return Err("must be an email address such as name@example.com".to_owned());
    }
    Ok(email)
}

/// A new password's rules: long enough to resist guessing, short enough to hash cheaply.
pub fn new_password(input: &str) -> Result<(), String> {
    let chars = input.chars().count();
    if chars < PASSWORD_MIN {
        return Err(format!("must be at least {PASSWORD_MIN} characters"));
    }
    if chars > PASSWORD_MAX {
        return Err(format!("must be at most {PASSWORD_MAX} characters"));
    }
    Ok(())
}

/// A required display name: trimmed, 1 to 200 characters.
pub fn name(input: &str) -> Result<String, String> {
    let name = input.trim();
    if name.is_empty() {
        return Err("is required".to_owned());
    }
    if name.chars().count() > 200 {
        return Err("must be at most 200 characters".to_owned());
    }
    Ok(name.to_owned())
}

/// A BCP 47 language tag such as `en`, `en-GB` or `zh-Hant-TW` (syntax only).
pub fn language(input: &str) -> Result<String, String> {
    let tag = input.trim();
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    let primary_ok =
        (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic());
    let rest_ok =
        parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if primary_ok && rest_ok {
        Ok(tag.to_owned())
    } else {
        Err("must be a BCP 47 language tag such as en or en-GB".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_or_explained() {
        assert_eq!(
            email("  Abin.Joseph@KakapoSystems.com "),
            Ok("abin.joseph@kakaposystems.com".to_owned())
        );
        for bad in [
            "",
            "no-at-sign",
            "@example.com",
            "a@b",
            "a@.com",
            "a b@example.com",
            "a@ex..com",
            "a@b@c.com",
        ] {
            assert!(email(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn names_and_languages() {
        assert_eq!(name("  Kakapo  "), Ok("Kakapo".to_owned()));
        assert!(name("   ").is_err());
        for ok in ["en", "en-GB", "zh-Hant-TW", "fil"] {
            assert!(language(ok).is_ok(), "{ok}");
        }
        for bad in ["", "e", "english", "en_GB", "en-", "en-toolongsubtag"] {
            assert!(language(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_need_ten_characters() {
        assert!(new_password("short").is_err());
        assert!(new_password("long enough!").is_ok());
        assert!(new_password(&"x".repeat(300)).is_err());
    }
}
