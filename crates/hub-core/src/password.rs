//! Password hashing: argon2id with OWASP's recommended parameters (19 MiB, 2 passes,
//! 1 lane). Hashing is deliberately slow, so async callers run it on a blocking thread —
//! at most half the machine's cores at once, so a flood of sign-ins queues behind itself
//! and every other call keeps a core.

use crate::{Error, Result};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::LazyLock;
use std::time::Duration;
use tokio::sync::Semaphore;

/// The hashes that may run at once in this process.
static WORK: LazyLock<Semaphore> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    Semaphore::new((cores / 2).max(1))
});

/// How long a hash may wait for its turn before the caller is told to try again.
const WAIT_FOR_TURN: Duration = Duration::from_secs(10);

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("OWASP argon2id parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password into a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`).
pub fn hash(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| Error::Internal(format!("failed to hash a password: {error}")))
}

/// Checks a password against a stored PHC string in constant time. A malformed stored
/// hash verifies nothing.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| argon2().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// Runs `work` on a blocking thread once one of the [`WORK`] permits is free.
async fn bounded<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    let _turn = tokio::time::timeout(WAIT_FOR_TURN, WORK.acquire())
        .await
        .map_err(|_elapsed| {
            Error::RateLimited(
                "too many people are signing in at this moment; try again in a few seconds".to_owned(),
            )
        })?
        .map_err(|error| Error::Internal(format!("the password work queue closed: {error}")))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| Error::Internal(format!("a password hashing task failed: {error}")))
}

/// [`hash`] on a blocking thread, for async code.
pub async fn hash_blocking(password: String) -> Result<String> {
    bounded(move || hash(&password)).await?
}

/// [`verify`] on a blocking thread, for async code.
pub async fn verify_blocking(password: String, stored: String) -> Result<bool> {
    bounded(move || verify(&password, &stored)).await
}

/// Letters and digits that cannot be mistaken for one another when read aloud or copied.
const READABLE: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A one-time password of 16 readable characters (about 92 bits), from the OS's random source.
pub fn generate() -> String {
    let mut password = String::with_capacity(16);
    while password.len() < 16 {
        // Rejection sampling keeps every character equally likely.
        let byte = (OsRng.next_u32() & 0xff) as usize;
        if byte < READABLE.len() * (256 / READABLE.len()) {
            password.push(char::from(READABLE[byte % READABLE.len()]));
        }
    }
    password
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_argon2id_salted_and_verifies_only_its_password() {
        let first = hash("correct horse battery").unwrap();
        let second = hash("correct horse battery").unwrap();
        assert!(first.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{first}");
        assert_ne!(first, second, "each hash has its own salt");
        assert!(verify("correct horse battery", &first));
        assert!(!verify("correct horse batterz", &first));
        assert!(!verify("correct horse battery", "not a hash"));
    }

    #[test]
    fn generated_passwords_are_long_readable_and_different() {
        let first = generate();
        assert_eq!(first.len(), 16);
        assert!(first.bytes().all(|byte| READABLE.contains(&byte)), "{first}");
        assert_ne!(first, generate());
    }
}
