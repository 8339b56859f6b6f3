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
    #[error("internal: {0}")]
    Internal(String),
}

impl From<dakwacht_store::StoreError> for AppError {
    fn from(error: dakwacht_store::StoreError) -> Self {
        AppError::Internal(error.to_string())
    }
}

impl From<askama::Error> for AppError {
    fn from(error: askama::Error) -> Self {
        AppError::Internal(error.to_string())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, message) = match &self {
            AppError::SignInFirst => {
                return axum::response::Redirect::to("/login").into_response();
            }
            AppError::Forbidden(why) => (
                StatusCode::FORBIDDEN,
                format!("U heeft geen toegang tot deze pagina ({why})."),
            ),
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "Deze pagina bestaat niet, of u heeft er geen toegang toe.".to_string(),
            ),
            AppError::BadForm => (
                StatusCode::FORBIDDEN,
                "Het formulier is verlopen. Ga terug, laad de pagina opnieuw en probeer het nog eens."
                    .to_string(),
            ),
            AppError::Internal(detail) => {
                tracing::error!(%detail, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Er ging iets mis. Probeer het later opnieuw.".to_string(),
                )
            }
        };
        let page = crate::pages::MessagePage {
            title: "dakwacht".to_string(),
            message,
        };
        (status, Html(crate::pages::render(&page))).into_response()
    }
}
