//! argon2id password hashing (PHC strings with their own salt and parameters). Both functions
//! are slow and memory-hungry on purpose: run them through [`limited`], which takes them off
//! the async threads and runs at most one per core at once, so a burst of sign-ins queues
//! instead of exhausting memory or starving every other request.

use std::sync::{Arc, LazyLock};

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use tokio::sync::Semaphore;

use crate::error::ApiError;

/// argon2 runs at once: one per core.
static SLOTS: LazyLock<Arc<Semaphore>> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    Arc::new(Semaphore::new(cores))
});

/// Runs `work` (hashing or verifying) on the blocking pool once a slot is free. The slot is
/// held by the work itself, so a caller that goes away (a dropped connection) does not free it
/// while the hash still runs.
pub async fn limited<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    let slot = SLOTS
        .clone()
        .acquire_owned()
        .await
        .map_err(ApiError::internal)?;
    actix_web::web::block(move || {
        let done = work();
        drop(slot);
        done
    })
    .await
    .map_err(ApiError::internal)
}

/// Hashes a password with a fresh salt.
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    Ok(Argon2::default()
        .hash_password(password.as_bytes())?
        .to_string())
}

/// Whether `password` matches `phc`. A malformed hash never matches.
pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A real hash of a random password, verified against when the email is unknown so that an
/// unknown email costs the same time as a wrong password.
pub static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let mut random = [0_u8; 16];
    let _filled = getrandom::fill(&mut random);
    hash(&format!("{random:?}")).unwrap_or_default()
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_are_salted() {
        let first = hash("correct horse battery").expect("hash");
        let second = hash("correct horse battery").expect("hash");
        assert_ne!(first, second, "salted");
        assert!(first.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &first));
        assert!(!verify("wrong horse battery", &first));
        assert!(!verify("anything", "not a phc string"));
        assert!(!DUMMY_HASH.is_empty());
    }
}
