//! JWT bearer tokens: HS256 only (the algorithm is pinned on decode), `exp` and `aud` required,
//! the subject is the account id and `ver` its token version: the account's tokens of an older
//! version are refused (a changed password, a sign-out). The signing secret comes from `CPAAS_JWT_SECRET`, or in
//! development from a file generated once in the data directory.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// Shortest secret accepted, in bytes.
const MIN_SECRET: usize = 32;
const SECRET_FILE: &str = "jwt-secret";

/// Who a token is for; a token for one audience is refused by the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Portal,
    Client,
}

impl Audience {
    fn as_str(self) -> &'static str {
        match self {
            Self::Portal => "portal",
            Self::Client => "client",
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    aud: String,
    iat: u64,
    exp: u64,
    /// The account's token version when the token was issued.
    ver: i32,
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("the token is invalid or expired")]
    Invalid,
    #[error("cannot sign a token: {0}")]
    Sign(jsonwebtoken::errors::Error),
}

pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    ttl: Duration,
}

impl TokenKeys {
    pub fn new(secret: &SecretString, ttl: Duration) -> anyhow::Result<Self> {
        let bytes = secret.expose_secret().as_bytes();
        anyhow::ensure!(
            bytes.len() >= MIN_SECRET,
            "CPAAS_JWT_SECRET must be at least {MIN_SECRET} bytes"
        );
        Ok(Self {
            encoding: EncodingKey::from_secret(bytes),
            decoding: DecodingKey::from_secret(bytes),
            ttl,
        })
    }

    /// Signs a token for `subject` at token `version`; returns it with its lifetime in seconds.
    pub fn issue(
        &self,
        audience: Audience,
        subject: i64,
        version: i32,
    ) -> Result<(String, u64), TokenError> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        let claims = Claims {
            sub: subject.to_string(),
            aud: audience.as_str().to_owned(),
            iat: now,
            exp: now + self.ttl.as_secs(),
            ver: version,
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(TokenError::Sign)?;
        Ok((token, self.ttl.as_secs()))
    }

    /// The subject and token version of a valid, unexpired token for `audience`.
    pub fn verify(&self, audience: Audience, token: &str) -> Result<(i64, i32), TokenError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_audience(&[audience.as_str()]);
        validation.set_required_spec_claims(&["exp", "aud", "sub"]);
        validation.leeway = 5;
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .map_err(|_| TokenError::Invalid)?;
        let subject = data.claims.sub.parse().map_err(|_| TokenError::Invalid)?;
        Ok((subject, data.claims.ver))
    }
}

/// The configured secret, or the development secret in `data_dir` (created on first use,
/// readable by the owner only) with a warning that production must set `CPAAS_JWT_SECRET`.
pub fn load_secret(
    configured: Option<&SecretString>,
    data_dir: &Path,
) -> anyhow::Result<SecretString> {
    crate::keys::configured_or_dev(configured, data_dir, SECRET_FILE, "CPAAS_JWT_SECRET")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(secret: &str) -> TokenKeys {
        TokenKeys::new(
            &SecretString::from(secret.to_owned()),
            Duration::from_secs(60),
        )
        .expect("keys")
    }

    #[test]
    fn round_trips_for_its_audience_only() {
        let keys = keys("a development secret of at least 32 bytes");
        let (token, ttl) = keys.issue(Audience::Portal, 42, 3).expect("issued");
        assert_eq!(ttl, 60);
        assert_eq!(
            keys.verify(Audience::Portal, &token).expect("valid"),
            (42, 3)
        );
        assert!(
            keys.verify(Audience::Client, &token).is_err(),
            "wrong audience"
        );
        let other = self::keys("another secret that is also 32 bytes long");
        assert!(other.verify(Audience::Portal, &token).is_err(), "wrong key");
    }

    #[test]
    fn refuses_other_algorithms_and_short_secrets() {
        // A token signed with "none" must never verify.
        let unsigned = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.\
                        eyJzdWIiOiI0MiIsImF1ZCI6InBvcnRhbCIsImlhdCI6MCwiZXhwIjo5OTk5OTk5OTk5fQ.";
        let keys = keys("a development secret of at least 32 bytes");
        assert!(keys.verify(Audience::Portal, unsigned).is_err());
        assert!(
            TokenKeys::new(
                &SecretString::from("short".to_owned()),
                Duration::from_secs(1)
            )
            .is_err()
        );
    }
}
