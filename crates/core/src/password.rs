//! Passwords: checked against the policy, stored only as an argon2id hash.
//!
//! The policy (OWASP ASVS 5.0, 6.2): at least 12 and at most 128 characters, any characters, no
//! composition rules, not one of the 12,000 most common passwords of that length
//! (`data/common-passwords.txt`), and not built on a word from its context: the user name or the
//! product's name ([`CONTEXT_WORDS`]). A password is checked exactly as typed: never trimmed,
//! truncated or changed in case.

use std::collections::HashSet;
use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

/// At least this many characters: long passphrases beat composition rules (NIST SP 800-63B).
pub const MIN_LENGTH: usize = 12;
/// Argon2 takes any length; a limit keeps a huge "password" from costing a server much work.
pub const MAX_LENGTH: usize = 128;

/// Words of dakwacht's own context that make a password easy to guess (ASVS 5.0, 6.1.2): a
/// password containing one of them, in any case, is refused. The user's own name (and the part
/// before an `@`) is added per account; organisations' names are not, as an account's name
/// usually holds what an attacker would try first.
pub const CONTEXT_WORDS: &[&str] = &["dakwacht"];

/// Context words shorter than this are not looked for: "jan" would refuse "januari".
const SHORTEST_CONTEXT_WORD: usize = 4;

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    // One password per line and nothing else: a password may start with `#`.
    include_str!("../data/common-passwords.txt")
        .lines()
        .filter(|line| !line.is_empty())
        .collect()
});

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("a password needs at least {MIN_LENGTH} characters")]
    TooShort,
    #[error("a password may have at most {MAX_LENGTH} characters")]
    TooLong,
    #[error("this password is one of the most common passwords")]
    Common,
    #[error("a password may not contain the user name or the product's name")]
    Guessable,
    #[error("the password could not be hashed: {0}")]
    Hashing(String),
}

/// Whether `password` meets the policy for the account `username`.
pub fn check(password: &str, username: &str) -> Result<(), PasswordError> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(PasswordError::TooShort);
    }
    if length > MAX_LENGTH {
        return Err(PasswordError::TooLong);
    }
    let lower = password.to_lowercase();
    if COMMON.contains(lower.as_str()) {
        return Err(PasswordError::Common);
    }
    let own = username.trim().to_lowercase();
    let local_part = own.split('@').next().unwrap_or_default().to_string();
    let guessable = CONTEXT_WORDS
        .iter()
        .map(|word| word.to_string())
        .chain([own, local_part])
        .filter(|word| word.chars().count() >= SHORTEST_CONTEXT_WORD)
        .any(|word| lower.contains(&word));
    if guessable {
        return Err(PasswordError::Guessable);
    }
    Ok(())
}

/// The argon2id hash (PHC string, salt and parameters inside) of a password that meets the policy
/// for the account `username`.
pub fn hash(password: &str, username: &str) -> Result<String, PasswordError> {
    check(password, username)?;
    hash_unchecked(password)
}

/// The argon2id hash of any text (a recovery code, the stand-in hash of an unknown account): the
/// policy is not applied.
pub fn hash_unchecked(secret: &str) -> Result<String, PasswordError> {
    Argon2::default()
        .hash_password(secret.as_bytes())
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

    const GOOD: &str = "een lange zin als geheim";

    #[test]
    fn hashes_verify_and_differ_by_salt() {
        let one = hash(GOOD, "jansen").unwrap();
        let two = hash(GOOD, "jansen").unwrap();
        assert!(one.starts_with("$argon2id$"));
        assert_ne!(one, two, "a fresh salt every time");
        assert!(verify(GOOD, &one));
        assert!(!verify("een lange zin als geheiM", &one));
        assert!(!verify(GOOD, "not a hash"));
    }

    #[test]
    fn length_is_checked_in_characters() {
        assert_eq!(hash("kort", "jansen"), Err(PasswordError::TooShort));
        assert_eq!(
            check(&"x".repeat(129), "jansen"),
            Err(PasswordError::TooLong)
        );
        assert_eq!(check(&"é".repeat(12), "jansen"), Ok(()));
        assert_eq!(check(&"ø".repeat(128), "jansen"), Ok(()));
        assert!(!verify(&"x".repeat(129), &hash_unchecked("x").unwrap()));
    }

    #[test]
    fn common_passwords_are_refused_in_any_case() {
        assert!(
            COMMON.len() > 12_000,
            "the shipped list has {}",
            COMMON.len()
        );
        for common in [
            "qwerty123456",
            "QWERTY123456",
            "1qaz2wsx3edc",
            "administrator",
        ] {
            assert_eq!(
                check(common, "jansen"),
                Err(PasswordError::Common),
                "{common}"
            );
        }
        // Every entry of the list is within the policy's length: none is refused for length first.
        assert!(
            COMMON
                .iter()
                .all(|p| check(p, "x").is_err_and(|e| e == PasswordError::Common))
        );
    }

    #[test]
    fn context_words_and_the_user_name_are_refused() {
        assert_eq!(
            check("MijnDakwacht2026!", "jansen"),
            Err(PasswordError::Guessable)
        );
        assert_eq!(
            check("jansen-is-de-beste", "jansen"),
            Err(PasswordError::Guessable)
        );
        assert_eq!(
            check("p.devries-welkom-2026", "p.devries@wijkteam.nl"),
            Err(PasswordError::Guessable)
        );
        // A name of fewer than four letters is not looked for.
        assert_eq!(check("januari is koud en nat", "jan"), Ok(()));
    }

    #[test]
    fn any_characters_and_spaces_are_kept_as_typed() {
        let spaced = "  spaties tellen mee  ";
        let hashed = hash(spaced, "jansen").unwrap();
        assert!(verify(spaced, &hashed));
        assert!(!verify(spaced.trim(), &hashed));
        assert_eq!(check("🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠", "jansen"), Ok(()));
    }
}
