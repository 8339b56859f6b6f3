//! One error type at the HTTP boundary, with an explicit status for each case. Internal details
//! are logged (without case data), never shown.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use dakwacht_app::Store;

use crate::AppState;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Not signed in: go to the sign-in page.
    #[error("not signed in")]
    SignInFirst,
    /// Signed in, but this is not for this role.
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// Does not exist.
    #[error("not found")]
    NotFound,
    /// Belongs to another organisation: answered exactly as [`AppError::NotFound`], so its
    /// existence is not revealed (the application recorded the refusal).
    #[error("not found (refused: {0})")]
    Hidden(&'static str),
    /// The change meets a later one, or a name that is taken: nothing was changed.
    /// (The store's words, in English: for the API and the log; pages say it in the reader's
    /// language.)
    #[error("conflict: {0}")]
    Conflict(String),
    /// Cases of an import break a rule once combined with what is stored; nothing was stored.
    #[error("rejected")]
    Rejected,
    /// A form without the right CSRF token.
    #[error("the form has expired")]
    BadForm,
    /// Another change (a large import) holds the database: nothing was done, try again soon.
    #[error("the database is busy")]
    Busy,
    /// The database cannot be reached (a PostgreSQL server down): nothing was done.
    #[error("the database cannot be reached: {0}")]
    Unavailable(String),
    #[error("internal: {0}")]
    Internal(String),
}

/// How long a client is asked to wait before trying a busy request again, in seconds.
const RETRY_AFTER_SECONDS: &str = "10";

/// Marks a "busy, try again" answer as such for browsers and scripts (`Retry-After`).
pub fn retry_later(mut response: Response) -> Response {
    response.headers_mut().insert(
        axum::http::header::RETRY_AFTER,
        axum::http::HeaderValue::from_static(RETRY_AFTER_SECONDS),
    );
    response
}

/// The one mapping from the store's outcomes to HTTP, for the pages and the API: only a fault
/// is an internal error.
impl From<dakwacht_app::StoreError> for AppError {
    fn from(error: dakwacht_app::StoreError) -> Self {
        use dakwacht_app::StoreError as E;
        match error {
            E::Busy => AppError::Busy,
            conflict @ (E::StaleVersion { .. }
            | E::AlreadyExists(_)
            | E::ImportRace
            | E::ChildDoesNotFit(_)
            | E::InvalidName(_)) => AppError::Conflict(conflict.to_string()),
            E::NotFound(_) => AppError::NotFound,
            E::Unavailable(detail) => AppError::Unavailable(detail),
            E::Rejected(_) => AppError::Rejected,
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<dakwacht_app::Error> for AppError {
    fn from(error: dakwacht_app::Error) -> Self {
        match error {
            dakwacht_app::Error::Refused { why, hidden: true } => AppError::Hidden(why),
            dakwacht_app::Error::Refused { why, hidden: false } => AppError::Forbidden(why),
            dakwacht_app::Error::NotFound => AppError::NotFound,
            dakwacht_app::Error::Store(error) => error.into(),
            // The server's own temporary file or the connection: not the user's doing.
            dakwacht_app::Error::NotWritten(detail) | dakwacht_app::Error::Internal(detail) => {
                AppError::Internal(detail)
            }
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(error: askama::Error) -> Self {
        AppError::Internal(error.to_string())
    }
}

impl AppError {
    /// The HTTP status of this error, the same for pages and API.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::SignInFirst => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) | AppError::BadForm => StatusCode::FORBIDDEN,
            AppError::NotFound | AppError::Hidden(_) => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Rejected => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Busy | AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// At most this many characters of a value a user sent are repeated in an error or a log line.
pub const ECHO_CHARS: usize = 80;

/// `text` cut to [`ECHO_CHARS`] characters (with an ellipsis when cut), control characters
/// escaped: safe to repeat in an error message or an audit line.
pub fn shorten(text: &str) -> String {
    shorten_to(text, ECHO_CHARS)
}

/// `text` cut to `limit` characters, as [`shorten`].
pub fn shorten_to(text: &str, limit: usize) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == limit {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// An error page still to be written in the reader's language: [`AppError`] cannot see the
/// request, so it leaves this on the response and [`localise_errors`] writes the page.
#[derive(Clone)]
struct ErrorPage {
    key: &'static str,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let key = match &self {
            AppError::SignInFirst => {
                return axum::response::Redirect::to("/login").into_response();
            }
            // The reason is for whoever reads the log; the page says it in plain words.
            AppError::Forbidden(why) => {
                tracing::info!(why, "refused");
                "error-forbidden"
            }
            AppError::NotFound | AppError::Hidden(_) => "error-not-found",
            AppError::BadForm => "error-form-expired",
            AppError::Conflict(_) => "error-conflict",
            AppError::Rejected => "error-rejected",
            AppError::Busy => {
                tracing::warn!("the database was busy; the request was refused, nothing changed");
                let mut response = retry_later(status.into_response());
                response
                    .extensions_mut()
                    .insert(ErrorPage { key: "error-busy" });
                return response;
            }
            AppError::Unavailable(detail) => {
                tracing::error!(%detail, "the database cannot be reached");
                "error-unavailable"
            }
            AppError::Internal(detail) => {
                tracing::error!(%detail, "request failed");
                "error-internal"
            }
        };
        let mut response = status.into_response();
        response.extensions_mut().insert(ErrorPage { key });
        response
    }
}

/// Writes the page of an [`AppError`] in the language of the request, with the menu of whoever
/// is signed in (the session is looked up only for an error page).
pub async fn localise_errors<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    tr: crate::i18n::Tr,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let session = crate::auth::cookie_token(request.headers());
    let mut response = next.run(request).await;
    let Some(error) = response.extensions_mut().remove::<ErrorPage>() else {
        return response;
    };
    let menu = match session {
        Some(token) => crate::auth::menu_of_session(&state, &token).await,
        None => None,
    };
    let page = crate::pages::MessagePage {
        menu,
        title: "dakwacht".to_string(),
        message: tr.t(error.key),
        tr,
    };
    (response.status(), Html(crate::pages::render(&page))).into_response()
}
