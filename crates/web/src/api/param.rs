//! The API's query parameters: an empty or blank one is absent; a bad one is a 400 that names it
//! (and echoes what was sent, shortened).

use axum::http::StatusCode;
use dakwacht_core::{CodeList, Date};

use super::ApiError;
use crate::error::shorten;

/// The longest free text a filter takes.
const MAX_TEXT: usize = 200;

/// The value, trimmed, if there is one.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn invalid(message: String) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid", message)
}

/// Free text, such as a municipality or part of a case reference.
pub fn text(value: &Option<String>, what: &str) -> Result<Option<String>, ApiError> {
    match given(value) {
        Some(v) if v.len() > MAX_TEXT => Err(invalid(format!("{what} is too long"))),
        v => Ok(v.map(str::to_string)),
    }
}

/// A code of one of the interchange's code lists.
pub fn code<T: CodeList>(value: &Option<String>, what: &str) -> Result<Option<T>, ApiError> {
    given(value)
        .map(|v| {
            T::parse(v).ok_or_else(|| invalid(format!("{what}: unknown code '{}'", shorten(v))))
        })
        .transpose()
}

/// A date written as the interchange writes it (YYYY-MM-DD).
pub fn date(value: &Option<String>, what: &str) -> Result<Option<Date>, ApiError> {
    given(value)
        .map(|v| {
            dakwacht_core::date::parse_date(v).ok_or_else(|| {
                invalid(format!(
                    "{what}: '{}' is not a date (YYYY-MM-DD)",
                    shorten(v)
                ))
            })
        })
        .transpose()
}
