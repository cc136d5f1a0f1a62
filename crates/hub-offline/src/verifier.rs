//! The offline sign-in verifier: an argon2id hash made on this computer from the password a
//! person typed at an online sign-in (never the password, never the server's hash), so the
//! same person can sign in here with the hub out of reach. argon2's defaults are OWASP's
//! parameters (19 MiB, 2 passes, 1 lane), as on the server.

use crate::{Error, Result};
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

pub fn make(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|hash| hash.to_string()).map_err(
        |error| Error::Invalid {
            field: "password",
            message: format!("cannot be kept for signing in offline: {error}"),
        },
    )
}

/// Whether `password` is the one `verifier` was made from (in constant time).
pub fn check(password: &str, verifier: &str) -> bool {
    PasswordHash::new(verifier)
        .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_verifier_is_argon2id_and_checks_only_its_password() {
        let verifier = make("correct horse battery").unwrap();
        assert!(verifier.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{verifier}");
        assert!(check("correct horse battery", &verifier));
        assert!(!check("correct horse batterz", &verifier));
        assert!(!check("correct horse battery", "not a verifier"));
    }
}
