//! Passwords: checked for length, stored only as an argon2id hash.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

/// At least this many characters: long passphrases beat composition rules (NIST SP 800-63B).
pub const MIN_LENGTH: usize = 12;
/// Argon2 takes any length; a limit keeps a huge "password" from costing a server much work.
pub const MAX_LENGTH: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("a password needs at least {MIN_LENGTH} characters")]
    TooShort,
    #[error("a password may have at most {MAX_LENGTH} characters")]
    TooLong,
    #[error("the password could not be hashed: {0}")]
    Hashing(String),
}

/// The argon2id hash (PHC string, salt and parameters inside) of an acceptable password.
pub fn hash(password: &str) -> Result<String, PasswordError> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(PasswordError::TooShort);
    }
    if length > MAX_LENGTH {
        return Err(PasswordError::TooLong);
    }
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| PasswordError::Hashing(e.to_string()))
}

/// Whether `password` matches the stored hash. A malformed hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    if password.chars().count() > MAX_LENGTH {
        return false;
    }
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ_by_salt() {
        let one = hash("een lange zin als wachtwoord").unwrap();
        let two = hash("een lange zin als wachtwoord").unwrap();
        assert!(one.starts_with("$argon2id$"));
        assert_ne!(one, two, "a fresh salt every time");
        assert!(verify("een lange zin als wachtwoord", &one));
        assert!(!verify("een lange zin als wachtwoorD", &one));
        assert!(!verify("een lange zin als wachtwoord", "not a hash"));
    }

    #[test]
    fn length_is_checked() {
        assert_eq!(hash("kort"), Err(PasswordError::TooShort));
        assert_eq!(hash(&"x".repeat(201)), Err(PasswordError::TooLong));
    }
}
