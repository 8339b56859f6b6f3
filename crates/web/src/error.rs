//! One error type at the HTTP boundary, with an explicit status for each case. Internal details
//! are logged (without case data), never shown.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

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
    /// existence is not revealed, but recorded as refused access.
    #[error("not found (refused: {why})")]
    Hidden {
        why: &'static str,
        organisation: String,
    },
    /// A form without the right CSRF token.
    #[error("the form has expired")]
    BadForm,
    /// Another change (a large import) holds the database: nothing was done, try again soon.
    #[error("the database is busy")]
    Busy,
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

impl From<dakwacht_store::StoreError> for AppError {
    fn from(error: dakwacht_store::StoreError) -> Self {
        match error {
            dakwacht_store::StoreError::Busy => AppError::Busy,
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(error: askama::Error) -> Self {
        AppError::Internal(error.to_string())
    }
}

/// A refused access, left on the response for [`audit_refusals`], which knows the request.
#[derive(Clone, Debug)]
pub struct Refusal {
    pub why: &'static str,
    /// The organisation whose case was asked for, when it was a case.
    pub organisation: Option<String>,
}

impl AppError {
    /// The refusal this error records, if it is one.
    pub fn refusal(&self) -> Option<Refusal> {
        match self {
            AppError::Forbidden(why) => Some(Refusal {
                why,
                organisation: None,
            }),
            AppError::Hidden { why, organisation } => Some(Refusal {
                why,
                organisation: Some(organisation.clone()),
            }),
            _ => None,
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
        let refusal = self.refusal();
        let (status, key) = match &self {
            AppError::SignInFirst => {
                return axum::response::Redirect::to("/login").into_response();
            }
            // The reason is for whoever reads the log; the page says it in plain words.
            AppError::Forbidden(why) => {
                tracing::info!(why, "refused");
                (StatusCode::FORBIDDEN, "error-forbidden")
            }
            AppError::NotFound | AppError::Hidden { .. } => {
                (StatusCode::NOT_FOUND, "error-not-found")
            }
            AppError::BadForm => (StatusCode::FORBIDDEN, "error-form-expired"),
            AppError::Busy => {
                tracing::warn!("the database was busy; the request was refused, nothing changed");
                let mut response = retry_later(StatusCode::SERVICE_UNAVAILABLE.into_response());
                response
                    .extensions_mut()
                    .insert(ErrorPage { key: "error-busy" });
                return response;
            }
            AppError::Internal(detail) => {
                tracing::error!(%detail, "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "error-internal")
            }
        };
        let mut response = status.into_response();
        response.extensions_mut().insert(ErrorPage { key });
        if let Some(refusal) = refusal {
            response.extensions_mut().insert(refusal);
        }
        response
    }
}

/// Records every refused access (a case of another organisation, a page for another role) in
/// the audit log, for the pages and the API alike: who (from the request's session, when it has
/// one), what was asked, and why it was refused. The answer itself is not changed.
pub async fn audit_refusals<S: dakwacht_store::Store>(
    axum::extract::State(state): axum::extract::State<std::sync::Arc<crate::AppState<S>>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let asked = format!(
        "{} {}",
        request.method(),
        shorten_to(request.uri().path(), 200)
    );
    let credentials = crate::auth::Credentials::of(&request);
    let mut response = next.run(request).await;
    let Some(refusal) = response.extensions_mut().remove::<Refusal>() else {
        return response;
    };
    let actor = match credentials.user(&state).await {
        Some(user) => dakwacht_store::Actor::web(&user.username),
        None => dakwacht_store::Actor::anonymous(),
    };
    let mut entry =
        dakwacht_store::AuditEntry::new(&actor, dakwacht_store::AuditAction::AccessRefused)
            .detail(format!("{asked}: {}", refusal.why));
    entry.organisation = refusal.organisation;
    // The refusal stands whether or not it could be written down.
    if let Err(error) = state.store.audit(&entry).await {
        tracing::error!(%error, "a refused access could not be recorded in the audit log");
    }
    response
}

/// Writes the page of an [`AppError`] in the language of the request.
pub async fn localise_errors(
    tr: crate::i18n::Tr,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let mut response = next.run(request).await;
    let Some(error) = response.extensions_mut().remove::<ErrorPage>() else {
        return response;
    };
    let message = tr.t(error.key);
    let page = crate::pages::MessagePage {
        title: "dakwacht".to_string(),
        message,
        tr,
    };
    (response.status(), Html(crate::pages::render(&page))).into_response()
}
