//! Carrier secrets at rest: XChaCha20-Poly1305 with a 256-bit key from `CPAAS_SECRET_KEY`
//! (64 hex digits; in development generated once into the data directory). Each value is
//! sealed with a fresh random nonce and bound to where it belongs (`context`, e.g. the column
//! and the provider), so a sealed value copied to another row or column does not open.
//! Stored form: `v1:` + base64(nonce ‖ ciphertext).

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use secrecy::{ExposeSecret, SecretString};

const PREFIX: &str = "v1:";
const NONCE: usize = 24;

pub struct SecretBox {
    cipher: XChaCha20Poly1305,
}

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error(
        "a stored secret cannot be opened: wrong CPAAS_SECRET_KEY, or the value was tampered with"
    )]
    Open,
    #[error("sealing failed")]
    Seal,
}

impl SecretBox {
    /// From `CPAAS_SECRET_KEY`, or the development key in `data_dir`.
    pub fn load(configured: Option<&SecretString>, data_dir: &Path) -> anyhow::Result<Self> {
        let hex =
            crate::keys::configured_or_dev(configured, data_dir, "secret-key", "CPAAS_SECRET_KEY")?;
        Self::from_hex(hex.expose_secret())
    }

    pub fn from_hex(hex: &str) -> anyhow::Result<Self> {
        let hex = hex.trim();
        let bytes: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| {
                hex.get(i..i + 2)
                    .and_then(|pair| u8::from_str_radix(pair, 16).ok())
            })
            .collect::<Option<_>>()
            .filter(|bytes: &Vec<u8>| bytes.len() == 32)
            .ok_or_else(|| anyhow::anyhow!("CPAAS_SECRET_KEY must be 64 hex digits (32 bytes)"))?;
        let cipher = XChaCha20Poly1305::new_from_slice(&bytes)
            .map_err(|_| anyhow::anyhow!("CPAAS_SECRET_KEY has the wrong length"))?;
        Ok(Self { cipher })
    }

    pub fn seal(&self, context: &str, plaintext: &str) -> Result<String, CryptoError> {
        let mut nonce = [0_u8; NONCE];
        getrandom::fill(&mut nonce).map_err(|_| CryptoError::Seal)?;
        let sealed = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| CryptoError::Seal)?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(format!("{PREFIX}{}", STANDARD.encode(out)))
    }

    pub fn open(&self, context: &str, stored: &str) -> Result<SecretString, CryptoError> {
        let raw = stored
            .strip_prefix(PREFIX)
            .and_then(|b64| STANDARD.decode(b64).ok())
            .filter(|raw| raw.len() > NONCE)
            .ok_or(CryptoError::Open)?;
        let (nonce, sealed) = raw.split_at(NONCE);
        let plain = self
            .cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| CryptoError::Open)?;
        String::from_utf8(plain)
            .map(SecretString::from)
            .map_err(|_| CryptoError::Open)
    }
}

/// `bytes` as lowercase hex.
pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `count` random bytes as lowercase hex: tokens, keys, nonces.
pub fn random_hex(count: usize) -> Result<String, getrandom::Error> {
    let mut bytes = vec![0_u8; count];
    getrandom::fill(&mut bytes)?;
    Ok(to_hex(&bytes))
}

/// Whether `a` and `b` are equal, compared without an early exit, so the time taken says
/// nothing about a secret.
pub fn equal_in_constant_time(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0_u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// What a response may show of a secret: its last four characters (none of a short one).
pub fn hint(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    if chars.len() < 12 {
        return "••••".to_owned();
    }
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("••••{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    #[test]
    fn constant_time_comparison_is_equality_and_random_hex_is_fresh() {
        assert!(equal_in_constant_time(b"abc", b"abc"));
        assert!(!equal_in_constant_time(b"abc", b"abd"));
        assert!(!equal_in_constant_time(b"abc", b"ab"));
        assert!(!equal_in_constant_time(b"", b"a"));
        let (a, b) = (
            random_hex(16).expect("random"),
            random_hex(16).expect("random"),
        );
        assert_eq!(a.len(), 32);
        assert!(a != b && a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(to_hex(&[0, 15, 255]), "000fff");
    }

    #[test]
    fn seals_and_opens_only_in_its_context_with_its_key() {
        let boxed = SecretBox::from_hex(KEY).expect("key");
        let sealed = boxed
            .seal("token_secret:1", "B6PDluhgYsIUZc4NNYDEQY")
            .expect("sealed");
        assert!(sealed.starts_with("v1:") && !sealed.contains("B6PDluhg"));
        assert_ne!(
            sealed,
            boxed
                .seal("token_secret:1", "B6PDluhgYsIUZc4NNYDEQY")
                .expect("again"),
            "fresh nonce"
        );
        let opened = boxed.open("token_secret:1", &sealed).expect("opens");
        assert_eq!(opened.expose_secret(), "B6PDluhgYsIUZc4NNYDEQY");
        assert!(
            boxed.open("token_secret:2", &sealed).is_err(),
            "another row"
        );
        let other = SecretBox::from_hex(&KEY.replace("1f", "ff")).expect("key");
        assert!(
            other.open("token_secret:1", &sealed).is_err(),
            "another key"
        );
        let mut tampered = sealed.clone();
        tampered.pop();
        tampered.push('A');
        assert!(boxed.open("token_secret:1", &tampered).is_err());
    }

    #[test]
    fn keys_must_be_64_hex_digits() {
        assert!(SecretBox::from_hex("abc").is_err());
        assert!(SecretBox::from_hex(&"zz".repeat(32)).is_err());
        assert!(SecretBox::from_hex(&KEY[..62]).is_err());
    }

    #[test]
    fn hints_show_the_last_four() {
        assert_eq!(hint("ZJUJZLWYI9Nb1la7WKLkgsqdczzMTb"), "••••zMTb");
        assert_eq!(hint("short-key"), "••••", "too short to show any of it");
    }
}
