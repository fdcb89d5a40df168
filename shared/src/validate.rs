//! Field validation shared by the api and the SPA, so a form shows the same message as the API.

//! Each rule has its regular expression (ECMA-262, as JSON Schema reads it) beside it, which the
//! OpenAPI document states; "white space" is Unicode's, as `str::trim` removes it.

/// Unicode white space (what `char::is_whitespace` accepts), as a character-class body.
macro_rules! white {
    () => {
        r"\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
    };
}
pub(crate) use white;

/// Holds a character other than white space.
pub const NON_BLANK: &str = concat!("[^", white!(), "]");
/// Longest display name, in characters (white space included).
pub const NAME_MAX: usize = 200;
/// Longest free-text setting, in characters.
pub const TEXT_MAX: usize = 200;
/// Longest email address accepted (RFC 5321 path limit), white space included.
const EMAIL_MAX: usize = 254;
/// ASCII local part without `@`; a dotted domain of letters, digits and dashes that neither
/// starts nor ends with a dot or dash; white space around is ignored.
pub const EMAIL_PATTERN: &str = concat!(
    "^[",
    white!(),
    r"]*[\x21-\x3f\x41-\x7e]+@[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*\.[A-Za-z0-9-]*[A-Za-z0-9][",
    white!(),
    "]*$"
);
pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 256;
/// A BCP 47 tag (syntax only), or nothing; white space around is ignored.
pub const LANGUAGE_PATTERN: &str = concat!(
    "^[",
    white!(),
    r"]*(?:[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)?[",
    white!(),
    "]*$"
);

/// Trims and lower-cases an email address, or says what is wrong with it.
pub fn email(input: &str) -> Result<String, String> {
    if input.chars().count() > EMAIL_MAX {
        return Err(format!("must be at most {EMAIL_MAX} characters"));
    }
    let email = input.trim().to_lowercase();
    if email.is_empty() {
        return Err("is required".to_owned());
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
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    let local_ok = !local.is_empty() && local.chars().all(|c| c.is_ascii_graphic() && c != '@');
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

/// A required display name: at most 200 characters, not blank; stored trimmed.
pub fn name(input: &str) -> Result<String, String> {
    if input.chars().count() > NAME_MAX {
        return Err(format!("must be at most {NAME_MAX} characters"));
    }
    let name = input.trim();
    if name.is_empty() {
        return Err("is required".to_owned());
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
pub(crate) mod tests {
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

    /// Whether `pattern` (as the document states it) matches the whole of `input`.
    pub(crate) fn matches(pattern: &str, input: &str) -> bool {
        regex::Regex::new(pattern)
            .expect("the pattern compiles")
            .is_match(input)
    }

    #[test]
    fn the_stated_patterns_accept_what_the_rules_accept() {
        let around = ["", " ", "\u{3000}", "\t\n", "\u{85}"];
        for core in [
            "a@b.co",
            "Abin.Joseph@KakapoSystems.com",
            "x!#$%&'*+/=?^_`{|}~-@a-b.c-d.e",
            "a@.com",
            "a@b",
            "a@b.",
            "a@-b.c",
            "a@b.c-",
            "a@b..c",
            "a b@c.d",
            "a@b@c.d",
            "é@b.cd",
            "a@bé.cd",
            "@b.cd",
            "",
        ] {
            for pad in around {
                let input = format!("{pad}{core}{pad}");
                assert_eq!(
                    matches(EMAIL_PATTERN, &input),
                    email(&input).is_ok(),
                    "{input:?}"
                );
            }
        }
        for core in [
            "en",
            "en-GB",
            "zh-Hant-TW",
            "",
            "e",
            "english",
            "en_GB",
            "en-",
            "en-toolongsubtag",
            "é",
        ] {
            for pad in around {
                let input = format!("{pad}{core}{pad}");
                let rule = input.trim().is_empty() || language(&input).is_ok();
                assert_eq!(matches(LANGUAGE_PATTERN, &input), rule, "{input:?}");
            }
        }
        for input in ["x", " x ", "", " ", "\u{3000}", "\u{85}\u{a0}", "\u{feff}"] {
            let rule = name(input).is_ok();
            assert_eq!(matches(NON_BLANK, input), rule, "{input:?}");
        }
    }

    #[test]
    fn passwords_need_ten_characters() {
        assert!(new_password("short").is_err());
        assert!(new_password("long enough!").is_ok());
        assert!(new_password(&"x".repeat(300)).is_err());
    }
}
