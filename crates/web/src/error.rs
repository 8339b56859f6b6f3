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
    /// Does not exist, or belongs to another organisation (which must not be revealed).
    #[error("not found")]
    NotFound,
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

/// An error page still to be written in the reader's language: [`AppError`] cannot see the
/// request, so it leaves this on the response and [`localise_errors`] writes the page.
#[derive(Clone)]
struct ErrorPage {
    key: &'static str,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, key) = match &self {
            AppError::SignInFirst => {
                return axum::response::Redirect::to("/login").into_response();
            }
            // The reason is for whoever reads the log; the page says it in plain words.
            AppError::Forbidden(why) => {
                tracing::info!(why, "refused");
                (StatusCode::FORBIDDEN, "error-forbidden")
            }
            AppError::NotFound => (StatusCode::NOT_FOUND, "error-not-found"),
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
        response
    }
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
