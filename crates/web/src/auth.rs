//! Sessions, CSRF tokens, the signed-in user and the access check every route goes through.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use base64::Engine as _;
use dakwacht_core::access::{Action, Principal};
use dakwacht_store::{Actor, AuditAction, AuditEntry, SessionKind, Store, User};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::AppError;
use crate::throttle::ThrottledBy;

pub const SESSION_COOKIE: &str = "dakwacht_session";
/// A session ends this long after sign-in.
pub const SESSION_HOURS: i64 = 8;

/// 32 random bytes from the operating system, URL-safe: for session tokens, CSRF tokens and the
/// setup link. Without secure random numbers no token is handed out.
pub fn random_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| AppError::Internal(format!("no secure random numbers: {e}")))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// What the database keeps of a session token.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The signed-in user of a request. Extracting it fails with "sign in first" otherwise.
pub struct CurrentUser {
    pub user: User,
    pub csrf_token: String,
    pub token_hash: String,
}

impl CurrentUser {
    pub fn principal(&self) -> Principal {
        Principal::User {
            username: self.user.username.clone(),
            role: self.user.role,
            organisation: self.user.organisation.clone(),
        }
    }

    pub fn actor(&self) -> dakwacht_store::Actor {
        dakwacht_store::Actor::web(&self.user.username)
    }

    /// Refuses a form whose hidden `csrf` field is not this session's token.
    pub fn check_csrf(&self, submitted: &str) -> Result<(), AppError> {
        if !submitted.is_empty()
            && constant_time_eq(submitted.as_bytes(), self.csrf_token.as_bytes())
        {
            Ok(())
        } else {
            Err(AppError::BadForm)
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl<S: Store> FromRequestParts<Arc<AppState<S>>> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState<S>>,
    ) -> Result<Self, Self::Rejection> {
        let token = cookie_token(&parts.headers).ok_or(AppError::SignInFirst)?;
        let hash = token_hash(&token);
        let (user, csrf_token) = state
            .store
            .session(&hash, SessionKind::Web)
            .await?
            .ok_or(AppError::SignInFirst)?;
        Ok(CurrentUser {
            user,
            csrf_token,
            token_hash: hash,
        })
    }
}

/// The longest user name there is (see `core::access::normalise_username`): a longer one is
/// refused before anything is counted or kept for it.
pub const MAX_USERNAME_CHARS: usize = 64;

/// The source address of a request, when the server knows it (`serve` does; a test may put a
/// [`ConnectInfo`] on the request to play another address).
pub struct ClientAddress(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(address)| address.ip()),
        ))
    }
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

/// Checks a password and opens a session: the one sign-in of the pages and the API. Every
/// outcome but a too long name is audited; the password never is, and a name that has no account
/// is not recorded either (it may be a password typed into the name field).
pub async fn sign_in<S: Store>(
    state: &AppState<S>,
    attempt: &Attempt<'_>,
) -> Result<SignIn, AppError> {
    let trimmed = attempt.username.trim();
    if trimmed.chars().count() > MAX_USERNAME_CHARS {
        return Ok(SignIn::NameTooLong);
    }
    let username = trimmed.to_lowercase();
    let via = attempt.kind.code();
    if let Some(throttled) = state.sign_in_throttle.check(&username, attempt.address) {
        if throttled.first {
            let known = state.store.user_for_login(&username).await?.is_some();
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
            state.store.audit(&entry).await?;
        }
        return Ok(SignIn::Throttled {
            seconds: throttled.seconds,
        });
    }
    let account = state.store.user_for_login(&username).await?;
    // Argon2 is deliberately slow: off the async threads. An unknown name is checked against a
    // fixed hash too, so the answer takes as long and does not tell which names exist.
    let stored = account
        .as_ref()
        .filter(|(user, _)| !user.disabled)
        .map(|(_, hash)| hash.clone())
        .unwrap_or_else(|| state.unknown_user_hash.clone());
    let password = attempt.password.to_string();
    let matches =
        tokio::task::spawn_blocking(move || dakwacht_core::password::verify(&password, &stored))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
    let why = match &account {
        None => Some("unknown user name"),
        Some((user, _)) if user.disabled => Some("account disabled"),
        Some(_) if !matches => Some("wrong password"),
        Some(_) => None,
    };
    if let Some(why) = why {
        let slowed = state.sign_in_throttle.failed(&username, attempt.address);
        let next = slowed
            .seconds()
            .map(|s| format!("; next attempt after {s} s"))
            .unwrap_or_default();
        let entry = AuditEntry::new(
            &attempt_actor(&username, account.is_some()),
            AuditAction::SignInFailed,
        )
        .detail(format!("{via}: {why}{next}"));
        state.store.audit(&entry).await?;
        return Ok(SignIn::Refused);
    }
    state.sign_in_throttle.succeeded(&username);
    let token = random_token()?;
    let expires_at = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_hours(SESSION_HOURS))
        .map_err(|e| AppError::Internal(e.to_string()))?
        .to_string();
    let created = state
        .store
        .create_session(
            &username,
            &dakwacht_store::NewSession {
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
    state.store.audit(&entry).await?;
    Ok(SignIn::Session { token, expires_at })
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

/// The session token of the browser's cookie.
fn cookie_token(headers: &HeaderMap) -> Option<String> {
    CookieJar::from_headers(headers)
        .get(SESSION_COOKIE)
        .map(|c| c.value().to_string())
}

/// The token of an `Authorization: Bearer` header.
fn bearer_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// The session token a request carries, kept to find its user after the handler has answered
/// (see [`crate::error::audit_refusals`]): the API's bearer token, or the pages' cookie.
pub enum Credentials {
    Web(String),
    Api(String),
    None,
}

impl Credentials {
    pub fn of(request: &axum::extract::Request) -> Credentials {
        let headers = request.headers();
        let token = if request.uri().path().starts_with("/api/") {
            bearer_token(headers).map(Credentials::Api)
        } else {
            cookie_token(headers).map(Credentials::Web)
        };
        token.unwrap_or(Credentials::None)
    }

    /// The user of an unexpired session, if the token belongs to one.
    pub async fn user<S: Store>(&self, state: &AppState<S>) -> Option<User> {
        let (token, kind) = match self {
            Credentials::Web(token) => (token, SessionKind::Web),
            Credentials::Api(token) => (token, SessionKind::Api),
            Credentials::None => return None,
        };
        match state.store.session(&token_hash(token), kind).await {
            Ok(found) => found.map(|(user, _)| user),
            Err(error) => {
                tracing::error!(%error, "the session of a refused request could not be read");
                None
            }
        }
    }
}

/// The user of an API request: only an `Authorization: Bearer` token counts, never the browser's
/// cookie, so a page on another site cannot make the browser call the API (no CSRF).
pub struct ApiUser(pub CurrentUser);

impl<S: Store> FromRequestParts<Arc<AppState<S>>> for ApiUser {
    type Rejection = crate::api::ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState<S>>,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer_token(&parts.headers)
            .ok_or(crate::api::ApiError::from(AppError::SignInFirst))?;
        let hash = token_hash(&token);
        let (user, csrf_token) = state
            .store
            .session(&hash, SessionKind::Api)
            .await
            .map_err(AppError::from)?
            .ok_or(crate::api::ApiError::from(AppError::SignInFirst))?;
        Ok(ApiUser(CurrentUser {
            user,
            csrf_token,
            token_hash: hash,
        }))
    }
}

/// The access check: the one decision of `core::access`, as an HTTP answer. Case data of another
/// organisation answers "not found", so its existence is not revealed.
/// Every refusal is recorded in the audit log (see [`crate::error::audit_refusals`]).
pub fn authorize(user: &CurrentUser, action: Action<'_>) -> Result<(), AppError> {
    match user.principal().may(action) {
        dakwacht_core::access::Decision::Allowed => Ok(()),
        dakwacht_core::access::Decision::Denied(why) => match action {
            Action::ReadCase { organisation } | Action::WriteCase { organisation }
                if user.user.organisation.is_some() =>
            {
                Err(AppError::Hidden {
                    why,
                    organisation: organisation.to_string(),
                })
            }
            _ => Err(AppError::Forbidden(why)),
        },
    }
}

/// The sign-in form's CSRF token, before there is a session: a double-submit cookie. The page
/// puts the same random value in this cookie (`SameSite=Strict`, so another site's form never
/// sends it along) and in a hidden field; a sign-in whose field does not match the cookie is
/// refused, so another site cannot sign a browser in to an account of its choosing.
pub const LOGIN_CSRF_COOKIE: &str = "dakwacht_login_csrf";

/// Whether `text` looks like a token of [`random_token`]: 43 URL-safe base64 characters.
fn is_token(text: &str) -> bool {
    text.len() == 43
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The sign-in form's token: the one this browser holds already (so that two open sign-in tabs
/// both work), or a new one.
pub fn login_csrf(jar: &CookieJar) -> Result<String, AppError> {
    match jar.get(LOGIN_CSRF_COOKIE).map(|c| c.value()) {
        Some(token) if is_token(token) => Ok(token.to_string()),
        _ => random_token(),
    }
}

/// The cookie that carries the sign-in form's token; only the sign-in page needs it.
pub fn login_csrf_cookie(
    token: String,
    secure: bool,
) -> axum_extra::extract::cookie::Cookie<'static> {
    axum_extra::extract::cookie::Cookie::build((LOGIN_CSRF_COOKIE, token))
        .http_only(true)
        .secure(secure)
        .same_site(axum_extra::extract::cookie::SameSite::Strict)
        .path("/login")
        .build()
}

/// Whether a sign-in form came from this site's sign-in page in this browser.
pub fn login_csrf_matches(jar: &CookieJar, submitted: &str) -> bool {
    jar.get(LOGIN_CSRF_COOKIE).is_some_and(|cookie| {
        is_token(cookie.value())
            && constant_time_eq(cookie.value().as_bytes(), submitted.as_bytes())
    })
}
