//! The use cases before anyone is known: first-run setup, signing in and out, sessions, and
//! activating an account through its link.

use std::net::IpAddr;

use base64::Engine as _;
use dakwacht_core::access::Role;
use dakwacht_store::{
    Actor, AuditAction, AuditEntry, LinkState, NewSession, NewUser, SessionKind, Store, User,
};
use sha2::{Digest, Sha256};

use crate::throttle::ThrottledBy;
use crate::{App, Error};

/// A session ends this long after sign-in.
pub const SESSION_HOURS: i64 = 8;

/// The longest user name there is (see `core::access::normalise_username`): a longer one is
/// refused before anything is counted or kept for it.
pub const MAX_USERNAME_CHARS: usize = 64;

/// 32 random bytes from the operating system, URL-safe: for session tokens, CSRF tokens, links.
/// Without secure random numbers no token is handed out.
pub fn random_token() -> Result<String, Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::Internal(format!("no secure random numbers: {e}")))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// What the database keeps of a token: its SHA-256, in hex.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// One attempt to sign in, from the sign-in page or the API.
pub struct Attempt<'a> {
    pub username: &'a str,
    pub password: &'a str,
    pub address: Option<IpAddr>,
    pub kind: SessionKind,
}

/// The outcome of signing in with a user name and password.
pub enum SignIn {
    /// A new session: its token (for the cookie or the `Authorization` header) and its end.
    Session { token: String, expires_at: String },
    /// Too many failures for this name or from this address recently: try again after this
    /// many seconds (the password was not checked).
    Throttled { seconds: u64 },
    /// A user name longer than any account's ([`MAX_USERNAME_CHARS`]).
    NameTooLong,
    /// Wrong name or password, or a disabled account (which is not told apart).
    Refused,
}

/// Who an attempt is recorded for: the account it names, or nobody in particular when the name
/// has no account.
fn attempt_actor(username: &str, known: bool) -> Actor {
    if known {
        Actor::web(username)
    } else {
        Actor::anonymous()
    }
}

impl<S: Store> App<S> {
    /// Whether dakwacht still waits for its first administrator.
    pub async fn needs_setup(&self) -> Result<bool, Error> {
        Ok(self.store.users(None).await?.is_empty())
    }

    /// Makes the first administrator, while no account exists (audited as the setup).
    pub async fn create_first_administrator(
        &self,
        username: String,
        password_hash: String,
    ) -> Result<(), Error> {
        if !self.needs_setup().await? {
            return Err(Error::Refused {
                why: "the first administrator exists already",
                hidden: false,
            });
        }
        let user = NewUser {
            username,
            role: Role::Admin,
            organisation: None,
            password_hash,
        };
        Ok(self.store.add_user(&Actor::web("setup"), &user).await?)
    }

    /// The active user and CSRF token of an unexpired session of this kind.
    pub async fn session(
        &self,
        token_hash: &str,
        kind: SessionKind,
    ) -> Result<Option<(User, String)>, Error> {
        Ok(self.store.session(token_hash, kind).await?)
    }

    /// Ends a session (audited as signing out, or revoking an API token).
    pub async fn sign_out(
        &self,
        user: &User,
        token_hash: &str,
        kind: SessionKind,
    ) -> Result<(), Error> {
        self.store.end_session(token_hash).await?;
        let action = match kind {
            SessionKind::Web => AuditAction::SignOut,
            SessionKind::Api => AuditAction::RevokeToken,
        };
        let entry = AuditEntry::new(&Actor::web(&user.username), action).detail(kind.code());
        Ok(self.store.audit(&entry).await?)
    }

    /// Checks a password and opens a session: the one sign-in of the pages and the API. Every
    /// outcome but a too long name is audited; the password never is, and a name that has no
    /// account is not recorded either (it may be a password typed into the name field).
    pub async fn sign_in(&self, attempt: &Attempt<'_>) -> Result<SignIn, Error> {
        let trimmed = attempt.username.trim();
        if trimmed.chars().count() > MAX_USERNAME_CHARS {
            return Ok(SignIn::NameTooLong);
        }
        let username = trimmed.to_lowercase();
        let via = attempt.kind.code();
        if let Some(throttled) = self.throttle.check(&username, attempt.address) {
            if throttled.first {
                let known = self.store.user_for_login(&username).await?.is_some();
                let by = match throttled.by {
                    ThrottledBy::Name => "this user name",
                    ThrottledBy::Address => "this address",
                };
                let detail = format!(
                    "{via}: refused without checking the password, too many failures for {by}; \
                     next attempt after {} s",
                    throttled.seconds
                );
                let entry = AuditEntry::new(
                    &attempt_actor(&username, known),
                    AuditAction::SignInThrottled,
                )
                .detail(detail);
                self.store.audit(&entry).await?;
            }
            return Ok(SignIn::Throttled {
                seconds: throttled.seconds,
            });
        }
        let account = self.store.user_for_login(&username).await?;
        // Argon2 is deliberately slow: off the async threads. An unknown name is checked against
        // a fixed hash too, so the answer takes as long and does not tell which names exist.
        let stored = account
            .as_ref()
            .filter(|(user, _)| !user.disabled)
            .map(|(_, hash)| hash.clone())
            .map_or_else(|| self.unknown_user_hash(), Ok)?;
        let password = attempt.password.to_string();
        let matches = tokio::task::spawn_blocking(move || {
            dakwacht_core::password::verify(&password, &stored)
        })
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
        let why = match &account {
            None => Some("unknown user name"),
            Some((user, _)) if user.disabled => Some("account disabled"),
            Some(_) if !matches => Some("wrong password"),
            Some(_) => None,
        };
        if let Some(why) = why {
            let slowed = self.throttle.failed(&username, attempt.address);
            let next = slowed
                .seconds()
                .map(|s| format!("; next attempt after {s} s"))
                .unwrap_or_default();
            let entry = AuditEntry::new(
                &attempt_actor(&username, account.is_some()),
                AuditAction::SignInFailed,
            )
            .detail(format!("{via}: {why}{next}"));
            self.store.audit(&entry).await?;
            return Ok(SignIn::Refused);
        }
        self.throttle.succeeded(&username);
        let token = random_token()?;
        let expires_at = jiff::Timestamp::now()
            .checked_add(jiff::SignedDuration::from_hours(SESSION_HOURS))
            .map_err(|e| Error::Internal(e.to_string()))?
            .to_string();
        let created = self
            .store
            .create_session(
                &username,
                &NewSession {
                    token_hash: token_hash(&token),
                    csrf_token: random_token()?,
                    expires_at: expires_at.clone(),
                    kind: attempt.kind,
                },
            )
            .await?;
        if !created {
            return Ok(SignIn::Refused);
        }
        let action = match attempt.kind {
            SessionKind::Web => AuditAction::SignIn,
            SessionKind::Api => AuditAction::CreateToken,
        };
        let entry = AuditEntry::new(&Actor::web(&username), action)
            .detail(format!("{via}: session until {expires_at}"));
        self.store.audit(&entry).await?;
        Ok(SignIn::Session { token, expires_at })
    }

    /// What the activation link with this token hash is now.
    pub async fn activation_link(&self, token_hash: &str) -> Result<LinkState, Error> {
        Ok(self.store.activation_link(token_hash).await?)
    }

    /// Sets the first password of an account through its link (audited as done by the user);
    /// returns the link's state before: `Valid` means it worked.
    pub async fn activate_user(
        &self,
        token_hash: &str,
        password_hash: &str,
    ) -> Result<LinkState, Error> {
        Ok(self.store.activate_user(token_hash, password_hash).await?)
    }
}
