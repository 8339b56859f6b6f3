//! Sessions, CSRF tokens, the signed-in user and the access check every route goes through.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use dakwacht_app::{Acting, SessionKind, Store, User};
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::error::AppError;
use crate::i18n::Tr;

pub const SESSION_COOKIE: &str = "dakwacht_session";
pub use dakwacht_app::MAX_USERNAME_CHARS;

/// A new random token (see [`dakwacht_app::random_token`]).
pub fn random_token() -> Result<String, AppError> {
    Ok(dakwacht_app::random_token()?)
}

pub use dakwacht_app::token_hash;

/// The signed-in user of a request. Extracting it fails with "sign in first" otherwise.
pub struct CurrentUser {
    pub user: User,
    pub csrf_token: String,
    pub token_hash: String,
    /// What the request asked (`GET /cases/…`), for the audit line of a refusal.
    pub asked: String,
}

impl CurrentUser {
    /// This user's handle on the use cases: every handler that touches data goes through it.
    pub fn acting<S: Store>(&self, state: &AppState<S>) -> Acting<S> {
        state.app.acting_as_user(&self.user, self.asked.clone())
    }

    /// The user's handle for a form sent from one of this session's pages: refused unless the
    /// form's hidden `csrf` field holds this session's token.
    pub fn acting_on_form<S: Store>(
        &self,
        state: &AppState<S>,
        submitted_csrf: &str,
    ) -> Result<Acting<S>, AppError> {
        self.check_csrf(submitted_csrf)?;
        Ok(self.acting(state))
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

pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A request of a signed-in user as most pages take it: the application, the user and the
/// language to answer in. Handlers take it apart in their parameter list
/// (`Signed { state, user, tr }: Signed<S>`).
pub struct Signed<S: Store> {
    pub state: Arc<AppState<S>>,
    pub user: CurrentUser,
    pub tr: Tr,
}

impl<S: Store> FromRequestParts<Arc<AppState<S>>> for Signed<S> {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState<S>>,
    ) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let Ok(tr) = Tr::from_request_parts(parts, state).await;
        Ok(Signed {
            state: Arc::clone(state),
            user,
            tr,
        })
    }
}

/// A form posted by a signed-in user from one of this session's pages: read as
/// [`crate::form::Form`] reads it, but the hidden `csrf` field is checked before the rest, so no handler that takes one can forget it. `form` holds
/// the request as [`Signed`], the user's handle on the use cases, and the form's other fields
/// (`serde::de::IgnoredAny` for a form that has none).
pub struct SignedForm<S: Store, F>(pub Signed<S>, pub Acting<S>, pub F);

impl<S: Store, F: DeserializeOwned> FromRequest<Arc<AppState<S>>> for SignedForm<S, F> {
    type Rejection = Response;

    async fn from_request(
        request: Request,
        state: &Arc<AppState<S>>,
    ) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let Signed { state, user, tr } = Signed::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let request = Request::from_parts(parts, body);
        let (checked, bytes) = crate::form::utf8_checked(request, &state).await?;
        let fields: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
        let csrf = fields.iter().find(|(name, _)| name == "csrf");
        let acting = user
            .acting_on_form(&state, csrf.map_or("", |(_, value)| value))
            .map_err(IntoResponse::into_response)?;
        let axum::Form(form) = axum::Form::<F>::from_request(checked, &state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(SignedForm(Signed { state, user, tr }, acting, form))
    }
}

/// The signed-in user on a page anyone may open (the rights check), when there is one: a page
/// without a session cookie reads nothing from the database.
pub struct MaybeSignedIn(pub Option<CurrentUser>);

impl<S: Store> FromRequestParts<Arc<AppState<S>>> for MaybeSignedIn {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState<S>>,
    ) -> Result<Self, Self::Rejection> {
        if cookie_token(&parts.headers).is_none() {
            return Ok(MaybeSignedIn(None));
        }
        Ok(MaybeSignedIn(
            CurrentUser::from_request_parts(parts, state).await.ok(),
        ))
    }
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
            .app
            .session(&hash, SessionKind::Web)
            .await?
            .ok_or(AppError::SignInFirst)?;
        Ok(CurrentUser {
            user,
            csrf_token,
            token_hash: hash,
            asked: asked(parts),
        })
    }
}

/// What a request asked, for the audit log: its method and path, shortened.
fn asked(parts: &Parts) -> String {
    format!(
        "{} {}",
        parts.method,
        crate::error::shorten_to(requested_uri(parts).path(), 200)
    )
}

/// The address as the client asked it: a router nested under a prefix (`/admin`, `/api/v1`,
/// a case's address) sees only the rest in `parts.uri`.
pub(crate) fn requested_uri(parts: &Parts) -> &axum::http::Uri {
    match parts.extensions.get::<axum::extract::OriginalUri>() {
        Some(original) => &original.0,
        None => &parts.uri,
    }
}

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

/// The session token of the browser's cookie.
pub(crate) fn cookie_token(headers: &HeaderMap) -> Option<String> {
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

/// The user of an API request: only an `Authorization: Bearer` token counts, never the browser's
/// cookie, so a page on another site cannot make the browser call the API (no CSRF).
/// Handlers take it apart in their parameter list (`ApiUser { state, user }: ApiUser<S>`).
pub struct ApiUser<S: Store> {
    pub state: Arc<AppState<S>>,
    pub user: CurrentUser,
    /// The user's handle on the use cases.
    pub acting: Acting<S>,
}

impl<S: Store> FromRequestParts<Arc<AppState<S>>> for ApiUser<S> {
    type Rejection = crate::api::ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState<S>>,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer_token(&parts.headers)
            .ok_or(crate::api::ApiError::from(AppError::SignInFirst))?;
        let hash = token_hash(&token);
        let (user, csrf_token) = state
            .app
            .session(&hash, SessionKind::Api)
            .await
            .map_err(AppError::from)?
            .ok_or(crate::api::ApiError::from(AppError::SignInFirst))?;
        let user = CurrentUser {
            user,
            csrf_token,
            token_hash: hash,
            asked: asked(parts),
        };
        Ok(ApiUser {
            acting: user.acting(state),
            state: Arc::clone(state),
            user,
        })
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

/// The menu of the user of a web session, if the session is valid; a session that cannot be
/// read gives no menu (the error page is shown all the same).
pub(crate) async fn menu_of_session<S: Store>(
    state: &AppState<S>,
    token: &str,
) -> Option<crate::pages::Menu> {
    let (user, csrf) = state
        .app
        .session(&token_hash(token), SessionKind::Web)
        .await
        .ok()??;
    Some(crate::pages::Menu {
        username: user.username,
        csrf,
        role: user.role,
    })
}
