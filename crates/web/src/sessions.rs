//! `/account/sessions`: every signed-in user sees where the own account is signed in (browsers
//! and API tokens, since when, last used) and ends any session but the one in use (ASVS 5.0,
//! 7.5.2). A session the user does not recognise is a reason to change the password.

use askama::Template;
use axum::extract::Query;
use axum::response::{Html, IntoResponse, Redirect, Response};
use dakwacht_app::{SessionKind, SessionRecord, SessionStage, Store};
use dakwacht_core::access::Role;
use serde::Deserialize;

use crate::auth::{Signed, SignedForm};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::pages::render;

/// One row of the list, in the reader's words.
struct SessionLine {
    id: String,
    what: String,
    started: String,
    last_used: String,
    expires: String,
    /// The session this page is shown in: it ends by signing out.
    current: bool,
}

#[derive(Template)]
#[template(path = "sessions.html")]
struct SessionsPage {
    tr: Tr,
    username: String,
    csrf: String,
    admin: bool,
    researcher: bool,
    sessions: Vec<SessionLine>,
    /// How many sessions the last request ended, to say so.
    ended: Option<u64>,
    others: bool,
}

#[derive(Deserialize)]
pub struct Shown {
    ended: Option<u64>,
}

pub async fn list<S: Store>(
    Signed { state, user, tr }: Signed<S>,
    Query(shown): Query<Shown>,
) -> Result<Html<String>, AppError> {
    let sessions = user.acting(&state).own_sessions().await?;
    let current = current_id(&user.token_hash);
    let sessions: Vec<SessionLine> = sessions
        .iter()
        .map(|session| line(session, &tr, session.id == current))
        .collect();
    Ok(Html(render(&SessionsPage {
        tr: tr.clone(),
        username: user.user.username.clone(),
        csrf: user.csrf_token.clone(),
        admin: user.user.role == Role::Admin,
        researcher: user.user.role == Role::Researcher,
        others: sessions.iter().any(|s| !s.current),
        sessions,
        ended: shown.ended,
    })))
}

#[derive(Deserialize)]
pub struct EndForm {
    /// One session's id, or `others` for every session but this one.
    end: String,
}

pub async fn end<S: Store>(
    SignedForm(Signed { user, .. }, acting, form): SignedForm<S, EndForm>,
) -> Result<Response, AppError> {
    let ids: Vec<String> = match form.end.as_str() {
        "others" => acting
            .own_sessions()
            .await?
            .into_iter()
            .map(|session| session.id)
            .collect(),
        id => vec![id.to_string()],
    };
    let ended = acting.end_own_sessions(&ids, &user.token_hash).await?;
    Ok(Redirect::to(&format!("/account/sessions?ended={ended}")).into_response())
}

fn current_id(token_hash: &str) -> String {
    token_hash
        .chars()
        .take(dakwacht_app::SESSION_ID_CHARS)
        .collect()
}

fn line(session: &SessionRecord, tr: &Tr, current: bool) -> SessionLine {
    let what = match (session.kind, session.stage) {
        (SessionKind::Api, _) => tr.t("sessions-api"),
        (SessionKind::Web, SessionStage::SignedIn) => tr.t("sessions-browser"),
        (SessionKind::Web, _) => tr.t("sessions-browser-unfinished"),
    };
    SessionLine {
        id: session.id.clone(),
        what,
        started: local_time(&session.created_at),
        last_used: local_time(&session.last_seen_at),
        expires: local_time(&session.expires_at),
        current,
    }
}

/// `2026-12-07T22:41:05Z` as `7-12-2026 23:41` (Dutch time); as stored when it is not a time.
fn local_time(utc: &str) -> String {
    match utc.parse::<jiff::Timestamp>() {
        Ok(at) => dakwacht_core::date::dutch_time(at)
            .strftime("%-d-%-m-%Y %H:%M")
            .to_string(),
        Err(_) => utc.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::local_time;

    #[test]
    fn times_are_shown_in_dutch_time() {
        assert_eq!(local_time("2026-12-07T22:41:05Z"), "7-12-2026 23:41");
        assert_eq!(local_time("2026-07-01T08:00:00Z"), "1-7-2026 10:00");
        assert_eq!(local_time("not a time"), "not a time");
    }
}
