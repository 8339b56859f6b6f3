//! The use cases before anyone is known: first-run setup, signing in and out, sessions, and
//! activating an account through its link.

use std::net::IpAddr;

use base64::Engine as _;
use dakwacht_core::access::Role;
use dakwacht_store::{
    Actor, AuditAction, AuditEntry, LinkState, NewSession, NewUser, SessionKind, SessionStage,
    Store, User,
};
use sha2::{Digest, Sha256};

use crate::throttle::ThrottledBy;
use crate::{App, Error};

/// A session ends this long after sign-in, however busy (ASVS 5.0, 7.3.2): a working day.
pub const SESSION_HOURS: i64 = 8;
/// A session ends when it was not used for this long (ASVS 5.0, 7.3.1): a screen left open in
/// a shared office does not stay open for the next person.
pub const IDLE_MINUTES: i64 = 30;

/// The longest user name there is (see `core::access::normalise_username`): a longer one is
/// refused before anything is counted or kept for it.
pub const MAX_USERNAME_CHARS: usize = 64;

/// 32 random bytes from the operating system, URL-safe: for session tokens, CSRF tokens, links.
/// Without secure random numbers no token is handed out.
pub fn random_token() -> Result<String, Error> {
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<32>()?))
}

/// `N` random bytes from the operating system's CSPRNG.
pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N], Error> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::Internal(format!("no secure random numbers: {e}")))?;
    Ok(bytes)
}

/// A new session of this kind and stage: its token (for the browser or API client) and what the
/// store keeps (the token's hash). A signed-in session lasts [`SESSION_HOURS`], one that waits
/// for a second factor [`crate::second_factor::UNFINISHED_MINUTES`].
pub(crate) fn new_session(
    kind: SessionKind,
    stage: SessionStage,
) -> Result<(String, NewSession), Error> {
    let lasts = match stage {
        SessionStage::SignedIn => jiff::SignedDuration::from_hours(SESSION_HOURS),
        SessionStage::SecondFactor | SessionStage::Enrolment => {
            jiff::SignedDuration::from_mins(crate::second_factor::UNFINISHED_MINUTES)
        }
    };
    let expires_at = jiff::Timestamp::now()
        .checked_add(lasts)
        .map_err(|e| Error::Internal(e.to_string()))?
        .to_string();
    let token = random_token()?;
    let session = NewSession {
        token_hash: token_hash(&token),
        csrf_token: random_token()?,
        expires_at,
        kind,
        stage,
    };
    Ok((token, session))
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
    /// The code of the second factor, given with the password (the API); the pages ask for it
    /// on a page of its own.
    pub code: Option<&'a str>,
}

/// The outcome of signing in with a user name and password.
pub enum SignIn {
    /// A new session: its token (for the cookie or the `Authorization` header) and its end.
    Session { token: String, expires_at: String },
    /// Too many failures for this name or from this address recently: try again after this
    /// many seconds (the password was not checked).
    Throttled { seconds: u64 },
    /// The password was right and the account has a second factor: the session of this token
    /// opens only the page that asks for the code (the pages).
    CodeNeeded { token: String },
    /// The password was right and the account needs a second factor it has not set up: the
    /// session of this token opens only the page that sets one up (the pages).
    EnrolmentNeeded { token: String },
    /// The account needs a second factor it has not set up, which the API cannot do.
    SetUpInPages,
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

    /// The active user and CSRF token of a signed-in session of this kind, unexpired and used
    /// in the last [`IDLE_MINUTES`].
    pub async fn session(
        &self,
        token_hash: &str,
        kind: SessionKind,
    ) -> Result<Option<(User, String)>, Error> {
        let active_since = jiff::Timestamp::now()
            .checked_sub(jiff::SignedDuration::from_mins(IDLE_MINUTES))
            .map_err(|e| Error::Internal(e.to_string()))?
            .to_string();
        Ok(self.store.session(token_hash, kind, &active_since).await?)
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
        let Some((user, _)) = account else {
            return Ok(SignIn::Refused);
        };
        if user.needs_second_factor() {
            return self.second_step(attempt, &user).await;
        }
        self.throttle.succeeded(&username);
        self.open_session(&username, attempt.kind, "password").await
    }

    /// Opens a signed-in session for an account whose every factor was checked (`how`, for the
    /// audit line).
    async fn open_session(
        &self,
        username: &str,
        kind: SessionKind,
        how: &str,
    ) -> Result<SignIn, Error> {
        let (token, session) = new_session(kind, SessionStage::SignedIn)?;
        if !self.store.create_session(username, &session).await? {
            return Ok(SignIn::Refused);
        }
        let action = match kind {
            SessionKind::Web => AuditAction::SignIn,
            SessionKind::Api => AuditAction::CreateToken,
        };
        let entry = AuditEntry::new(&Actor::web(username), action).detail(format!(
            "{}: {how}; session until {}",
            kind.code(),
            session.expires_at
        ));
        self.store.audit(&entry).await?;
        Ok(SignIn::Session {
            token,
            expires_at: session.expires_at,
        })
    }

    /// After the right password of an account that needs a second factor: the pages get a
    /// session that waits for the code (or for an app to be set up); the API checks the code
    /// that came with the password.
    async fn second_step(&self, attempt: &Attempt<'_>, user: &User) -> Result<SignIn, Error> {
        let username = &user.username;
        let via = attempt.kind.code();
        let seed = self.store.second_factor_seed(username).await?;
        if attempt.kind == SessionKind::Api {
            let Some(seed) = seed else {
                let entry = AuditEntry::new(&Actor::web(username), AuditAction::SignInFailed)
                    .detail("api: a second factor is needed and none is set up");
                self.store.audit(&entry).await?;
                return Ok(SignIn::SetUpInPages);
            };
            let code = attempt.code.unwrap_or_default();
            return match self.proved_by_code(username, &seed, code).await? {
                Some(how) => {
                    self.throttle.succeeded(username);
                    self.open_session(username, attempt.kind, &format!("password and {how}"))
                        .await
                }
                None => {
                    let why = if code.trim().is_empty() {
                        "api: password right, no code"
                    } else {
                        "api: password right, wrong, used or late code"
                    };
                    self.refuse_code(username, attempt.address, why).await?;
                    Ok(SignIn::Refused)
                }
            };
        }
        let stage = if seed.is_some() {
            SessionStage::SecondFactor
        } else {
            SessionStage::Enrolment
        };
        let (token, session) = new_session(attempt.kind, stage)?;
        if !self.store.create_session(username, &session).await? {
            return Ok(SignIn::Refused);
        }
        let next = match stage {
            SessionStage::Enrolment => "an authenticator app is to be set up",
            _ => "the code of the authenticator app is to come",
        };
        let entry = AuditEntry::new(&Actor::web(username), AuditAction::SignInPassword)
            .detail(format!("{via}: password right; {next}"));
        self.store.audit(&entry).await?;
        Ok(match stage {
            SessionStage::Enrolment => SignIn::EnrolmentNeeded { token },
            _ => SignIn::CodeNeeded { token },
        })
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
