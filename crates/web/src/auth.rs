//! Sessions, CSRF tokens, the signed-in user and the access check every route goes through.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use base64::Engine as _;
use dakwacht_core::access::{Action, Principal};
use dakwacht_store::{Store, User};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::AppError;

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
        let jar = CookieJar::from_headers(&parts.headers);
        let token = jar
            .get(SESSION_COOKIE)
            .map(|c| c.value().to_string())
            .ok_or(AppError::SignInFirst)?;
        let hash = token_hash(&token);
        let (user, csrf_token) = state
            .store
            .session(&hash)
            .await?
            .ok_or(AppError::SignInFirst)?;
        Ok(CurrentUser {
            user,
            csrf_token,
            token_hash: hash,
        })
    }
}

/// The outcome of signing in with a user name and password.
pub enum SignIn {
    /// A new session: its token (for the cookie or the `Authorization` header) and its end.
    Session { token: String, expires_at: String },
    /// Too many failures for this name recently.
    Blocked,
    /// Wrong name or password, or a disabled account (which is not told apart).
    Refused,
}

/// Checks a password and opens a session: the one sign-in of the pages and the API.
pub async fn sign_in<S: Store>(
    state: &AppState<S>,
    username: &str,
    password: &str,
) -> Result<SignIn, AppError> {
    let username = username.trim().to_lowercase();
    if state.login_limiter.is_blocked(&username) {
        return Ok(SignIn::Blocked);
    }
    let account = state.store.user_for_login(&username).await?;
    // Argon2 is deliberately slow: off the async threads. An unknown name is checked against a
    // fixed hash too, so the answer takes as long and does not tell which names exist.
    let stored = account
        .as_ref()
        .filter(|(user, _)| !user.disabled)
        .map(|(_, hash)| hash.clone())
        .unwrap_or_else(|| state.unknown_user_hash.clone());
    let attempt = password.to_string();
    let matches =
        tokio::task::spawn_blocking(move || dakwacht_core::password::verify(&attempt, &stored))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
    let active = account.as_ref().is_some_and(|(user, _)| !user.disabled);
    if !(matches && active) {
        state.login_limiter.failed(&username);
        return Ok(SignIn::Refused);
    }
    state.login_limiter.succeeded(&username);
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
            },
        )
        .await?;
    Ok(if created {
        SignIn::Session { token, expires_at }
    } else {
        SignIn::Refused
    })
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
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(crate::api::ApiError::from(AppError::SignInFirst))?;
        let hash = token_hash(token);
        let (user, csrf_token) = state
            .store
            .session(&hash)
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
pub fn authorize(user: &CurrentUser, action: Action<'_>) -> Result<(), AppError> {
    match user.principal().may(action) {
        dakwacht_core::access::Decision::Allowed => Ok(()),
        dakwacht_core::access::Decision::Denied(why) => match action {
            Action::ReadCase { .. } | Action::WriteCase { .. }
                if user.user.organisation.is_some() =>
            {
                Err(AppError::NotFound)
            }
            _ => Err(AppError::Forbidden(why)),
        },
    }
}

/// Failed sign-ins per user name: after [`LoginLimiter::MAX_FAILURES`] within the window, that
/// name is refused until the window has passed, whatever the password. Kept in memory: a restart
/// forgets it, which is acceptable for slowing down guessing.
#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl LoginLimiter {
    pub const MAX_FAILURES: u32 = 5;
    pub const WINDOW: Duration = Duration::from_secs(15 * 60);

    pub fn is_blocked(&self, username: &str) -> bool {
        let Ok(failures) = self.failures.lock() else {
            return true;
        };
        failures.get(username).is_some_and(|(count, since)| {
            *count >= Self::MAX_FAILURES && since.elapsed() < Self::WINDOW
        })
    }

    pub fn failed(&self, username: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            let entry = failures
                .entry(username.to_string())
                .or_insert((0, Instant::now()));
            if entry.1.elapsed() >= Self::WINDOW {
                *entry = (0, Instant::now());
            }
            entry.0 += 1;
        }
    }

    pub fn succeeded(&self, username: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(username);
        }
    }
}
