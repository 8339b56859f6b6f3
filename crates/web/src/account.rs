//! `/account/password`: every signed-in user changes the own password, proving the current one
//! first (a session left open on a shared computer must not be enough to take the account).
//! Every other session of the account ends with the old password.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use dakwacht_app::{PasswordChange, Store};
use dakwacht_core::access::Role;
use dakwacht_core::password::{self, PasswordError};
use serde::Deserialize;

use crate::auth::{CurrentUser, Signed, SignedForm};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::pages::render;

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    tr: Tr,
    username: String,
    csrf: String,
    /// Which menu the header shows: the user's own.
    admin: bool,
    researcher: bool,
    error: Option<String>,
    /// The password was changed: the page says so instead of showing the form.
    done: bool,
}

impl PasswordPage {
    fn of(user: &CurrentUser, tr: &Tr, error: Option<String>, done: bool) -> Self {
        PasswordPage {
            tr: tr.clone(),
            username: user.user.username.clone(),
            csrf: user.csrf_token.clone(),
            admin: user.user.role == Role::Admin,
            researcher: user.user.role == Role::Researcher,
            error,
            done,
        }
    }
}

pub async fn form<S: Store>(Signed { user, tr, .. }: Signed<S>) -> Html<String> {
    Html(render(&PasswordPage::of(&user, &tr, None, false)))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

pub async fn change<S: Store>(
    SignedForm(Signed { user, tr, .. }, acting, form): SignedForm<S, PasswordForm>,
) -> Result<Response, AppError> {
    let again = |error: String| {
        let page = PasswordPage::of(&user, &tr, Some(error), false);
        Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(render(&page))).into_response())
    };
    if form.password != form.password_again {
        return again(tr.t("setup-passwords-differ"));
    }
    match acting
        .change_own_password(&form.current, &form.password, &user.token_hash)
        .await?
    {
        PasswordChange::Changed => {
            Ok(Html(render(&PasswordPage::of(&user, &tr, None, true))).into_response())
        }
        PasswordChange::WrongCurrent => again(tr.t("password-wrong-current")),
        PasswordChange::Throttled { seconds } => {
            let page = PasswordPage::of(
                &user,
                &tr,
                Some(tr.t1("password-throttled", "seconds", seconds)),
                false,
            );
            Ok((StatusCode::TOO_MANY_REQUESTS, Html(render(&page))).into_response())
        }
        PasswordChange::Refused(refused) => again(password_refused(&tr, refused)?),
    }
}

/// Why a chosen password is not accepted, in the reader's words; a password that could not be
/// hashed is the server's fault, not the reader's.
pub(crate) fn password_refused(tr: &Tr, refused: PasswordError) -> Result<String, AppError> {
    match refused {
        PasswordError::TooShort | PasswordError::TooLong => Ok(tr.t1(
            "activate-password-length",
            "max",
            password::MAX_LENGTH.to_string(),
        )),
        PasswordError::Common => Ok(tr.t("password-common")),
        PasswordError::Guessable => Ok(tr.t("password-guessable")),
        PasswordError::Hashing(error) => Err(AppError::Internal(error)),
    }
}
