//! US (NANP) phone numbers as people type them (R6): `2019920780`, `(201) 992-0780`,
//! `+1 201 992 0780`, `12019920780` all mean the same ten digits. The SPA validates with this as
//! the user types; the api stores the ten digits; the carrier code adds the leading 1.

use std::fmt;

use serde::{Deserialize, Serialize};

/// What [`PhoneNumber::parse`] accepts, as a regular expression: white space around; an
/// optional `+1` or `1`; ten digits whose first and fourth are 2–9; spaces, brackets, dashes and
/// dots anywhere between.
pub const PHONE_PATTERN: &str = concat!(
    "^[",
    crate::validate::white!(),
    r"]*(?:\+[ ().-]*1[ ().-]*|[ ().-]*(?:1[ ().-]*)?)",
    r"[2-9][ ().-]*[0-9][ ().-]*[0-9][ ().-]*[2-9](?:[ ().-]*[0-9]){6}[ ().-]*[",
    crate::validate::white!(),
    "]*$"
);

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Stored digits as people read them (`(201) 992-0780`), or as they are if they are not a
    /// US number.
    pub fn display(digits: &str) -> String {
        Self::parse(digits).map_or_else(|_| digits.to_owned(), |n| n.to_string())
    }

    /// The ten digits, or a sentence saying why the input is not a US number.
    pub fn parse(input: &str) -> Result<Self, String> {
        let text = input.trim();
        if text.is_empty() {
            return Err("is required".to_owned());
        }
        let plus = text.starts_with('+');
        let rest = text.strip_prefix('+').unwrap_or(text);
        if let Some(bad) = rest
            .chars()
            .find(|c| !(c.is_ascii_digit() || matches!(c, ' ' | '(' | ')' | '-' | '.')))
        {
            return Err(format!(
                "cannot contain “{bad}”: use digits, spaces, dashes, dots, brackets and a leading +"
            ));
        }
        let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
        let ten = match (plus, digits.len()) {
            (false, 10) => digits,
            (_, 11) if digits.starts_with('1') => digits[1..].to_owned(),
            (true, _) if !digits.starts_with('1') => {
                return Err("must be a US number: only +1 numbers can be used".to_owned());
            }
            (_, n) => {
                return Err(format!(
                    "must be a ten-digit US number such as (201) 992-0780 (this has {n} digits)"
                ));
            }
        };
        if matches!(ten.as_bytes()[0], b'0' | b'1') {
            return Err(
                "is not a valid US number: the area code cannot start with 0 or 1".to_owned(),
            );
        }
        if matches!(ten.as_bytes()[3], b'0' | b'1') {
            return Err(
                "is not a valid US number: the exchange cannot start with 0 or 1".to_owned(),
            );
        }
        Ok(Self(ten))
    }

    /// The ten digits, as stored: `2019920780`.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// `+12019920780`.
    pub fn e164(&self) -> String {
        format!("+1{}", self.0)
    }

    /// The Message Broker's form: `12019920780`.
    pub fn eleven(&self) -> String {
        format!("1{}", self.0)
    }
}

/// For people: `(201) 992-0780`.
impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({}) {}-{}", &self.0[..3], &self.0[3..6], &self.0[6..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stated_pattern_accepts_what_parse_accepts() {
        for core in [
            "2019920780",
            "(201) 992-0780",
            "+1 201 992 0780",
            "12019920780",
            "1-201-992-0780",
            "+1(201)992.0780",
            "+2019920780",
            "+12019920780",
            "+1201992078",
            "201992078",
            "20199207800",
            "22019920780",
            "1019920780",
            "2011920780",
            "201 992 078O",
            "201/992/0780",
            "(1 201) 992 0780",
            "",
        ] {
            for pad in ["", " ", "\u{2003}", "\n"] {
                let input = format!("{pad}{core}{pad}");
                assert_eq!(
                    crate::validate::tests::matches(PHONE_PATTERN, &input),
                    PhoneNumber::parse(&input).is_ok(),
                    "{input:?}"
                );
            }
        }
    }

    #[test]
    fn every_way_people_type_it() {
        for input in [
            "2019920780",
            "(201) 992-0780",
            "+1 201 992 0780",
            "12019920780",
            " 201.992.0780 ",
            "+12019920780",
            "1 (201) 992-0780",
        ] {
            let number = PhoneNumber::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(number.digits(), "2019920780", "{input}");
        }
        let number = PhoneNumber::parse("2019920780").expect("valid");
        assert_eq!(number.to_string(), "(201) 992-0780");
        assert_eq!(number.e164(), "+12019920780");
        assert_eq!(number.eleven(), "12019920780");
    }

    #[test]
    fn says_why_not() {
        let why = |input: &str| PhoneNumber::parse(input).expect_err(input);
        assert_eq!(why(""), "is required");
        assert!(why("201992078").contains("has 9 digits"));
        assert!(why("22019920780").contains("has 11 digits"));
        assert!(why("+44 20 7946 0958").contains("only +1"));
        assert!(why("201-992-078O").contains("“O”"));
        assert!(why("1019920780").contains("area code"));
        assert!(why("2010920780").contains("exchange"));
    }
}
