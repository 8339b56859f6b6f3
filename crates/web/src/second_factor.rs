//! The second factor in the browser: the page that asks for the code after the password
//! (`/login/code`), and the page that sets up an authenticator app (`/account/second-factor`),
//! at the first sign-in of an account that needs one or later by choice. See
//! `dakwacht_app::second_factor` for the rules.

use std::sync::Arc;

use askama::Template;
use axum::extract::{FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use base64::Engine as _;
use dakwacht_app::{CodeCheck, Enrolled, SessionKind, SessionStage, StagedSession, Store};
use dakwacht_core::access::Role;
use serde::Deserialize;

use crate::AppState;
use crate::auth::{self, ClientAddress, SESSION_COOKIE};
use crate::error::AppError;
use crate::form::Form;
use crate::i18n::Tr;
use crate::pages::render;

/// The browser's session in whatever stage of signing in; a signed-in one only while it is
/// within the inactivity timeout.
pub struct Staged {
    pub session: StagedSession,
    pub token_hash: String,
}

impl<S: Store> FromRequestParts<Arc<AppState<S>>> for Staged {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState<S>>,
    ) -> Result<Self, Self::Rejection> {
        let token = auth::cookie_token(&parts.headers).ok_or(AppError::SignInFirst)?;
        let token_hash = auth::token_hash(&token);
        let session = state
            .app
            .staged_session(&token_hash)
            .await?
            .filter(|session| session.kind == SessionKind::Web)
            .ok_or(AppError::SignInFirst)?;
        if session.stage == SessionStage::SignedIn
            && state
                .app
                .session(&token_hash, SessionKind::Web)
                .await?
                .is_none()
        {
            return Err(AppError::SignInFirst);
        }
        Ok(Staged {
            session,
            token_hash,
        })
    }
}

/// The cookie of a session (signed in, or waiting for the second factor).
pub(crate) fn session_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .path("/")
        // No max-age: a browser session cookie; the server ends the session.
        .build()
}

fn check_csrf(session: &StagedSession, submitted: &str) -> Result<(), AppError> {
    if !submitted.is_empty()
        && auth::constant_time_eq(submitted.as_bytes(), session.csrf_token.as_bytes())
    {
        Ok(())
    } else {
        Err(AppError::BadForm)
    }
}

// ---- the code after the password ---------------------------------------------------------------

#[derive(Template)]
#[template(path = "login_code.html")]
struct CodePage {
    tr: Tr,
    csrf: String,
    error: Option<String>,
}

fn waiting_for_code(staged: &Staged) -> Result<(), AppError> {
    if staged.session.stage == SessionStage::SecondFactor {
        Ok(())
    } else {
        Err(AppError::SignInFirst)
    }
}

/// `GET /login/code`: the form for the code of the authenticator app (or a recovery code).
pub async fn code_form(staged: Staged, tr: Tr) -> Result<Html<String>, AppError> {
    waiting_for_code(&staged)?;
    Ok(Html(render(&CodePage {
        tr,
        csrf: staged.session.csrf_token,
        error: None,
    })))
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
}

/// `POST /login/code`: signs in with the code; a wrong one asks again.
pub async fn check_code<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    jar: CookieJar,
    tr: Tr,
    ClientAddress(address): ClientAddress,
    staged: Staged,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    waiting_for_code(&staged)?;
    check_csrf(&staged.session, &form.csrf)?;
    let again = |status: StatusCode, error: String| {
        let page = CodePage {
            tr: tr.clone(),
            csrf: staged.session.csrf_token.clone(),
            error: Some(error),
        };
        (status, Html(render(&page))).into_response()
    };
    match state
        .app
        .check_second_factor(&staged.token_hash, &form.code, address)
        .await?
    {
        CodeCheck::Session { token, .. } => {
            let jar = jar.add(session_cookie(token, state.options.secure_cookies));
            Ok((jar, Redirect::to("/")).into_response())
        }
        CodeCheck::Wrong => Ok(again(StatusCode::UNAUTHORIZED, tr.t("code-wrong"))),
        CodeCheck::Throttled { seconds } => Ok(again(
            StatusCode::TOO_MANY_REQUESTS,
            tr.t1("login-throttled", "seconds", seconds),
        )),
        CodeCheck::Gone => Ok(Redirect::to("/login").into_response()),
    }
}

// ---- setting up an authenticator app -----------------------------------------------------------

#[derive(Template)]
#[template(path = "second_factor.html")]
struct SetUpPage {
    tr: Tr,
    /// The account, for the menu of a signed-in user (none while signing in).
    menu_user: Option<String>,
    username: String,
    csrf: String,
    admin: bool,
    researcher: bool,
    /// Signing in: the account needs a second factor before anything else.
    required_now: bool,
    /// Signed in already: the current password is asked.
    ask_password: bool,
    /// Replaces an app set up before.
    replaces: bool,
    qr_image: String,
    secret: String,
    error: Option<String>,
    /// Set up: the recovery codes, shown this once.
    recovery_codes: Vec<String>,
}

/// The QR code of an `otpauth://` address as an image address (`data:`, which the pages'
/// content security policy allows for images).
fn qr_image(address: &str) -> Result<String, AppError> {
    let code = qrcode::QrCode::new(address.as_bytes())
        .map_err(|e| AppError::Internal(format!("QR code: {e}")))?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(220, 220)
        .quiet_zone(true)
        .build();
    Ok(format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg)
    ))
}

/// Four characters at a time, as people copy a seed into an app.
fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|group| String::from_utf8_lossy(group).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

async fn set_up_page<S: Store>(
    state: &AppState<S>,
    staged: &Staged,
    tr: &Tr,
    error: Option<String>,
) -> Result<SetUpPage, AppError> {
    let enrolment = state
        .app
        .start_enrolment(&staged.token_hash)
        .await?
        .ok_or(AppError::SignInFirst)?;
    let user = &staged.session.user;
    let signed_in = staged.session.stage == SessionStage::SignedIn;
    Ok(SetUpPage {
        tr: tr.clone(),
        menu_user: signed_in.then(|| user.username.clone()),
        username: user.username.clone(),
        csrf: staged.session.csrf_token.clone(),
        admin: user.role == Role::Admin,
        researcher: user.role == Role::Researcher,
        required_now: !signed_in,
        ask_password: signed_in,
        replaces: user.second_factor,
        qr_image: qr_image(&enrolment.address)?,
        secret: grouped(&enrolment.secret),
        error,
        recovery_codes: Vec::new(),
    })
}

/// `GET /account/second-factor`.
pub async fn set_up_form<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    tr: Tr,
    staged: Staged,
) -> Result<Html<String>, AppError> {
    if staged.session.stage == SessionStage::SecondFactor {
        return Err(AppError::SignInFirst);
    }
    Ok(Html(render(
        &set_up_page(&state, &staged, &tr, None).await?,
    )))
}

#[derive(Deserialize)]
pub struct SetUpForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    current: String,
}

/// `POST /account/second-factor`: a code from the app sets it up; the recovery codes are shown
/// once.
pub async fn set_up<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    jar: CookieJar,
    tr: Tr,
    ClientAddress(address): ClientAddress,
    staged: Staged,
    Form(form): Form<SetUpForm>,
) -> Result<Response, AppError> {
    if staged.session.stage == SessionStage::SecondFactor {
        return Err(AppError::SignInFirst);
    }
    check_csrf(&staged.session, &form.csrf)?;
    let signed_in = staged.session.stage == SessionStage::SignedIn;
    let outcome = state
        .app
        .complete_enrolment(
            &staged.token_hash,
            &form.code,
            signed_in.then_some(form.current.as_str()),
            address,
        )
        .await?;
    let (status, error) = match outcome {
        Enrolled::Done {
            recovery_codes,
            session,
        } => {
            let mut page = set_up_page_done(&staged, &tr, recovery_codes);
            let jar = match session {
                Some((token, _)) => {
                    // The signed-in session has a new token and its own form token.
                    let hash = auth::token_hash(&token);
                    if let Some(fresh) = state.app.staged_session(&hash).await? {
                        page.csrf = fresh.csrf_token;
                        page.menu_user = Some(fresh.user.username);
                    }
                    jar.add(session_cookie(token, state.options.secure_cookies))
                }
                None => jar,
            };
            return Ok((jar, Html(render(&page))).into_response());
        }
        Enrolled::WrongCode => (StatusCode::UNPROCESSABLE_ENTITY, tr.t("code-wrong-set-up")),
        Enrolled::WrongPassword => (
            StatusCode::UNPROCESSABLE_ENTITY,
            tr.t("password-wrong-current"),
        ),
        Enrolled::Throttled { seconds } => (
            StatusCode::TOO_MANY_REQUESTS,
            tr.t1("login-throttled", "seconds", seconds),
        ),
        Enrolled::NothingPending => {
            return Ok(Redirect::to("/account/second-factor").into_response());
        }
    };
    let page = set_up_page(&state, &staged, &tr, Some(error)).await?;
    Ok((status, Html(render(&page))).into_response())
}

/// The page that shows the recovery codes once.
fn set_up_page_done(staged: &Staged, tr: &Tr, recovery_codes: Vec<String>) -> SetUpPage {
    let user = &staged.session.user;
    SetUpPage {
        tr: tr.clone(),
        menu_user: Some(user.username.clone()),
        username: user.username.clone(),
        csrf: staged.session.csrf_token.clone(),
        admin: user.role == Role::Admin,
        researcher: user.role == Role::Researcher,
        required_now: false,
        ask_password: false,
        replaces: false,
        qr_image: String::new(),
        secret: String::new(),
        error: None,
        recovery_codes,
    }
}
