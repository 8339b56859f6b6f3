//! `/activate/{token}`: the user of a new account chooses its password. Nobody else ever sees or
//! sets it; the link (24 hours, once) is what the account's maker passes on. The token in the link
//! is the secret, so the form needs no other CSRF token: it posts the token back (in the body, not
//! the address). The database keeps only the token's hash.

use std::sync::Arc;

use crate::form::Form;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use dakwacht_app::{ACTIVATION_HOURS, LinkState, NewActivationLink, Store};
use dakwacht_core::password;
use serde::Deserialize;

use crate::AppState;
use crate::auth::{random_token, token_hash};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::pages::{MessagePage, render};

/// A fresh link: the token for the address, and what the store keeps of it.
pub fn new_link() -> Result<(String, NewActivationLink), AppError> {
    let token = random_token()?;
    let expires_at = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_hours(ACTIVATION_HOURS))
        .map_err(|e| AppError::Internal(e.to_string()))?
        .to_string();
    let link = NewActivationLink {
        token_hash: token_hash(&token),
        expires_at,
    };
    Ok((token, link))
}

/// The whole address of a link, to copy and pass on: on the host the maker reached dakwacht
/// at (HTTPS when the cookies are secure). A missing or odd `Host` gives the path alone.
pub fn address(headers: &HeaderMap, secure: bool, token: &str) -> String {
    let path = format!("/activate/{token}");
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        });
    match host {
        Some(host) => format!("{}://{host}{path}", if secure { "https" } else { "http" }),
        None => path,
    }
}

#[derive(Template)]
#[template(path = "activate.html")]
struct ActivatePage {
    tr: Tr,
    account: String,
    token: String,
    error: Option<String>,
}

/// The plain answer for a link that does not work (or `None` when it does).
fn dead_link(tr: &Tr, state: &LinkState) -> Option<Response> {
    let (status, key) = match state {
        LinkState::Valid { .. } => return None,
        LinkState::Expired => (StatusCode::GONE, "activate-expired"),
        LinkState::Used => (StatusCode::GONE, "activate-used"),
        LinkState::Unknown => (StatusCode::NOT_FOUND, "activate-unknown"),
    };
    let (title, message) = (tr.t("activate-title"), tr.t(key));
    Some(MessagePage::answer(
        status,
        tr.clone(),
        None,
        title,
        message,
    ))
}

pub async fn form<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Path(token): Path<String>,
    tr: Tr,
) -> Result<Response, AppError> {
    let link = state.app.activation_link(&token_hash(&token)).await?;
    if let Some(dead) = dead_link(&tr, &link) {
        return Ok(dead);
    }
    let LinkState::Valid { username } = link else {
        return Err(AppError::NotFound);
    };
    Ok(Html(render(&ActivatePage {
        tr,
        account: username,
        token,
        error: None,
    }))
    .into_response())
}

#[derive(Deserialize)]
pub struct ActivateForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

pub async fn activate<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    tr: Tr,
    Form(form): Form<ActivateForm>,
) -> Result<Response, AppError> {
    let hash = token_hash(&form.token);
    let link = state.app.activation_link(&hash).await?;
    if let Some(dead) = dead_link(&tr, &link) {
        return Ok(dead);
    }
    let LinkState::Valid { username } = link else {
        return Err(AppError::NotFound);
    };
    let again = |error: String| {
        let page = ActivatePage {
            tr: tr.clone(),
            account: username.clone(),
            token: form.token.clone(),
            error: Some(error),
        };
        Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(render(&page))).into_response())
    };
    if form.password != form.password_again {
        return again(tr.t("setup-passwords-differ"));
    }
    // Argon2 is deliberately slow: off the async threads.
    let chosen = form.password.clone();
    let account = username.clone();
    let hashed = tokio::task::spawn_blocking(move || password::hash(&chosen, &account))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let password_hash = match hashed {
        Ok(hash) => hash,
        Err(refused) => return again(crate::account::password_refused(&tr, refused)?),
    };
    // The store checks the link again in its transaction: of two submissions, one wins.
    let done = state.app.activate_user(&hash, &password_hash).await?;
    if let Some(dead) = dead_link(&tr, &done) {
        return Ok(dead);
    }
    let title = tr.t("activate-done-title");
    let message = tr.t1("activate-done", "username", username);
    Ok(MessagePage::answer(
        StatusCode::OK,
        tr,
        None,
        title,
        message,
    ))
}
