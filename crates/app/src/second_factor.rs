//! The second factor (OWASP ASVS 5.0, 6.3.3): a TOTP code from an authenticator app (RFC 6238:
//! six digits, 30-second steps), or one of ten recovery codes when the phone is lost.
//!
//! Signing in to the pages takes two requests when the account needs a second factor: the
//! password opens a session in stage [`SessionStage::SecondFactor`] (or
//! [`SessionStage::Enrolment`] when none is set up yet), which opens nothing but the page that
//! asks for the code (or sets the app up) and ends after [`UNFINISHED_MINUTES`]. The right code
//! replaces it by a signed-in session under a new token. The API takes the code in the same
//! request as the password. Every step is audited; a wrong code counts as a failed sign-in for
//! the name, as a wrong password does.

use std::net::IpAddr;

use dakwacht_store::{
    Actor, AuditAction, AuditEntry, SecondFactorSeed, SessionKind, SessionStage, StagedSession,
    Store,
};
use sha2::{Digest, Sha256};
use totp_rs::{Secret, Totp};

use crate::public::{new_session, random_bytes};
use crate::{App, Error};

/// A session that waits for the code (or for an app to be set up) ends this long after the
/// password was given.
pub const UNFINISHED_MINUTES: i64 = 10;
/// How many recovery codes an account gets when it sets up its app.
pub const RECOVERY_CODES: usize = 10;
/// The name the authenticator app shows beside the account.
const ISSUER: &str = "dakwacht";

/// A second factor being set up: the seed (base32, for typing into the app) and the
/// `otpauth://` address the app scans from a QR code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    pub secret: String,
    pub address: String,
}

/// The outcome of giving the code of a second factor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeCheck {
    /// Signed in: the new session's token and end.
    Session { token: String, expires_at: String },
    /// Not a code of this account now (wrong, used before, or too late).
    Wrong,
    /// Too many failures for this name or address lately: try again after this many seconds.
    Throttled { seconds: u64 },
    /// The session that waited for the code is gone (it ended, or was never one).
    Gone,
}

/// The outcome of setting up a second factor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Enrolled {
    /// Set up. The recovery codes are shown once and never again; `session` is the signed-in
    /// session that replaces an enrolment-stage one (the browser's cookie must change to it).
    Done {
        recovery_codes: Vec<String>,
        session: Option<(String, String)>,
    },
    /// The code is not one of the app being set up now.
    WrongCode,
    /// The current password (asked when a signed-in user changes the factor) is wrong.
    WrongPassword,
    Throttled {
        seconds: u64,
    },
    /// No app is being set up in this session (the page was not opened, or the session ended).
    NothingPending,
}

/// The TOTP generator of a seed, for an account.
fn totp(secret: &str, username: &str) -> Result<Totp, Error> {
    let secret = Secret::try_from_base32(secret)
        .map_err(|e| Error::Internal(format!("a stored TOTP seed is not base32: {e:?}")))?;
    totp_rs::Builder::new()
        .with_secret(secret)
        .with_account_name(username)
        .with_issuer(Some(ISSUER))
        .build()
        .map_err(|e| Error::Internal(format!("TOTP: {e:?}")))
}

/// A code as typed, without the spaces and dashes people put in, lower-cased.
fn normalised(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a normalised code has the form of a TOTP code (six digits).
fn is_totp_code(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

/// Ten new recovery codes (each 120 random bits, base32, in six groups of four) and their hashes.
fn new_recovery_codes() -> Result<(Vec<String>, Vec<String>), Error> {
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let plain = Secret::new(random_bytes::<15>()?.into())
            .to_base32()
            .to_lowercase();
        let grouped = plain
            .as_bytes()
            .chunks(4)
            .map(|group| String::from_utf8_lossy(group).into_owned())
            .collect::<Vec<_>>()
            .join("-");
        codes.push(grouped);
    }
    let hashes = codes
        .iter()
        .map(|code| code_hash(&normalised(code)))
        .collect();
    Ok((codes, hashes))
}

/// What the database keeps of a recovery code: its SHA-256 (120 random bits need no salt or
/// slow hash: ASVS 5.0, 6.5.2).
fn code_hash(normalised: &str) -> String {
    Sha256::digest(normalised.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn unix_now() -> u64 {
    u64::try_from(jiff::Timestamp::now().as_second()).unwrap_or_default()
}

impl<S: Store> App<S> {
    /// The unexpired session with this token hash, in whatever stage of signing in.
    pub async fn staged_session(&self, token_hash: &str) -> Result<Option<StagedSession>, Error> {
        Ok(self.store.staged_session(token_hash).await?)
    }

    /// Checks a code of the second factor for an account that has one: a TOTP code of its app
    /// (each time step once), or one of its unused recovery codes (then used up). How it was
    /// proved, for the audit line, or `None`.
    pub(crate) async fn proved_by_code(
        &self,
        username: &str,
        seed: &SecondFactorSeed,
        code: &str,
    ) -> Result<Option<String>, Error> {
        let code = normalised(code);
        if is_totp_code(&code) {
            let Some(step) = totp(&seed.secret, username)?.check(&code, unix_now()) else {
                return Ok(None);
            };
            let step = i64::try_from(step).map_err(|e| Error::Internal(e.to_string()))?;
            let fresh = self.store.accept_code_step(username, step).await?;
            return Ok(fresh.then(|| "authenticator code".to_string()));
        }
        if code.len() != 24 {
            return Ok(None);
        }
        let left = self
            .store
            .spend_recovery_code(username, &code_hash(&code))
            .await?;
        Ok(left.map(|left| format!("recovery code ({left} left)")))
    }

    /// Records a refused code (and counts it as a failed sign-in for the name).
    pub(crate) async fn refuse_code(
        &self,
        username: &str,
        address: Option<IpAddr>,
        why: &str,
    ) -> Result<(), Error> {
        let slowed = self.throttle.failed(username, address);
        let next = slowed
            .seconds()
            .map(|s| format!("; next attempt after {s} s"))
            .unwrap_or_default();
        let entry = AuditEntry::new(&Actor::web(username), AuditAction::SignInSecondFactorFailed)
            .detail(format!("{why}{next}"));
        Ok(self.store.audit(&entry).await?)
    }

    /// Finishes signing in to the pages with the code of the second factor, for the session
    /// that waits for it (token hash `waiting`).
    pub async fn check_second_factor(
        &self,
        waiting: &str,
        code: &str,
        address: Option<IpAddr>,
    ) -> Result<CodeCheck, Error> {
        let Some(staged) = self.store.staged_session(waiting).await? else {
            return Ok(CodeCheck::Gone);
        };
        if staged.stage != SessionStage::SecondFactor {
            return Ok(CodeCheck::Gone);
        }
        let username = staged.user.username.clone();
        if let Some(throttled) = self.throttle.check(&username, address) {
            return Ok(CodeCheck::Throttled {
                seconds: throttled.seconds,
            });
        }
        let Some(seed) = self.store.second_factor_seed(&username).await? else {
            return Ok(CodeCheck::Gone);
        };
        let via = staged.kind.code();
        let Some(how) = self.proved_by_code(&username, &seed, code).await? else {
            self.refuse_code(
                &username,
                address,
                &format!("{via}: wrong, used or late code"),
            )
            .await?;
            return Ok(CodeCheck::Wrong);
        };
        self.throttle.succeeded(&username);
        let (token, session) = new_session(staged.kind, SessionStage::SignedIn)?;
        if !self.store.finish_sign_in(waiting, &session).await? {
            return Ok(CodeCheck::Gone);
        }
        let entry = AuditEntry::new(&Actor::web(&username), AuditAction::SignIn).detail(format!(
            "{via}: password and {how}; session until {}",
            session.expires_at
        ));
        self.store.audit(&entry).await?;
        Ok(CodeCheck::Session {
            token,
            expires_at: session.expires_at,
        })
    }

    /// Starts (or, on a second look, goes on with) setting up an authenticator app in the
    /// session with this token hash: a signed-in one, or one in the enrolment stage.
    pub async fn start_enrolment(&self, token_hash: &str) -> Result<Option<Enrolment>, Error> {
        let Some(staged) = self.store.staged_session(token_hash).await? else {
            return Ok(None);
        };
        if staged.stage == SessionStage::SecondFactor || staged.kind != SessionKind::Web {
            return Ok(None);
        }
        let secret = match staged.pending_secret {
            Some(secret) => secret,
            None => {
                let secret = Secret::new(random_bytes::<20>()?.into()).to_base32();
                if !self
                    .store
                    .set_pending_secret(token_hash, Some(&secret))
                    .await?
                {
                    return Ok(None);
                }
                secret
            }
        };
        let address = totp(&secret, &staged.user.username)?
            .to_url()
            .map_err(|e| Error::Internal(format!("TOTP address: {e:?}")))?;
        Ok(Some(Enrolment { secret, address }))
    }

    /// Sets up the app being set up in this session, given a code from it. A signed-in user
    /// proves the current password too (ASVS 5.0, 7.5.1: re-authentication before a factor
    /// changes). Every other session of the account ends; an enrolment-stage session becomes a
    /// signed-in one under a new token.
    pub async fn complete_enrolment(
        &self,
        token_hash: &str,
        code: &str,
        current_password: Option<&str>,
        address: Option<IpAddr>,
    ) -> Result<Enrolled, Error> {
        let Some(staged) = self.store.staged_session(token_hash).await? else {
            return Ok(Enrolled::NothingPending);
        };
        let Some(secret) = staged.pending_secret.clone() else {
            return Ok(Enrolled::NothingPending);
        };
        if staged.stage == SessionStage::SecondFactor {
            return Ok(Enrolled::NothingPending);
        }
        let username = staged.user.username.clone();
        if let Some(throttled) = self.throttle.check(&username, address) {
            return Ok(Enrolled::Throttled {
                seconds: throttled.seconds,
            });
        }
        if staged.stage == SessionStage::SignedIn {
            let stored = self
                .store
                .user_for_login(&username)
                .await?
                .map(|(_, hash)| hash)
                .ok_or(Error::NotFound)?;
            let given = current_password.unwrap_or_default().to_string();
            let matches = tokio::task::spawn_blocking(move || {
                dakwacht_core::password::verify(&given, &stored)
            })
            .await
            .map_err(|e| Error::Internal(e.to_string()))?;
            if !matches {
                self.refuse_code(&username, address, "web: setting up an app, wrong password")
                    .await?;
                return Ok(Enrolled::WrongPassword);
            }
        }
        let code = normalised(code);
        let step = is_totp_code(&code)
            .then(|| totp(&secret, &username).map(|totp| totp.check(&code, unix_now())))
            .transpose()?
            .flatten();
        let Some(step) = step else {
            self.refuse_code(&username, address, "web: setting up an app, wrong code")
                .await?;
            return Ok(Enrolled::WrongCode);
        };
        let step = i64::try_from(step).map_err(|e| Error::Internal(e.to_string()))?;
        self.throttle.succeeded(&username);
        let (recovery_codes, hashes) = new_recovery_codes()?;
        self.store
            .enrol_second_factor(&username, &secret, step, &hashes, token_hash)
            .await?;
        let session = if staged.stage == SessionStage::Enrolment {
            let (token, session) = new_session(SessionKind::Web, SessionStage::SignedIn)?;
            if !self.store.finish_sign_in(token_hash, &session).await? {
                return Ok(Enrolled::NothingPending);
            }
            let entry =
                AuditEntry::new(&Actor::web(&username), AuditAction::SignIn).detail(format!(
                    "web: password and a new authenticator app; session until {}",
                    session.expires_at
                ));
            self.store.audit(&entry).await?;
            Some((token, session.expires_at))
        } else {
            self.store.set_pending_secret(token_hash, None).await?;
            None
        };
        Ok(Enrolled::Done {
            recovery_codes,
            session,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_as_people_type_them() {
        assert_eq!(normalised(" 123 456 "), "123456");
        assert!(is_totp_code(&normalised("123-456")));
        assert!(!is_totp_code("12345a"));
        assert!(!is_totp_code("1234567"));
        assert_eq!(normalised("ABCD-efgh"), "abcdefgh");
    }

    #[test]
    fn recovery_codes_are_long_random_and_hashed_as_typed_back() {
        let (codes, hashes) = new_recovery_codes().unwrap();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let distinct: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(distinct.len(), RECOVERY_CODES);
        for (code, hash) in codes.iter().zip(&hashes) {
            assert_eq!(code.len(), 29, "six groups of four: {code}");
            assert_eq!(normalised(code).len(), 24);
            assert_eq!(&code_hash(&normalised(&code.to_uppercase())), hash);
        }
    }

    #[test]
    fn a_seed_makes_codes_its_generator_accepts_once_per_step() {
        let secret = Secret::new(random_bytes::<20>().unwrap().into()).to_base32();
        let totp = totp(&secret, "coord.a").unwrap();
        let now = unix_now();
        let code = totp.generate(now);
        assert_eq!(totp.check(&code.to_string(), now), Some(now / 30));
        assert!(
            totp.to_url()
                .unwrap()
                .starts_with("otpauth://totp/dakwacht:coord.a?")
        );
    }
}
