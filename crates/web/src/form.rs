//! A form extractor that refuses text that is not UTF-8.
//!
//! axum's `Form` decodes `%FF` (and any other byte that is not UTF-8) as U+FFFD without a word,
//! so a case note could be saved different from what was sent. This [`Form`] checks every
//! decoded name and value first and answers 400 with a plain message naming the field; valid
//! forms are then read by axum's own `Form`, with its content-type check, body limit and errors.
//! Every form handler of the web application uses this one (it is named `Form` on purpose, so a
//! handler reads the same as with axum's).

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::i18n::Tr;

/// A urlencoded form whose every name and value is valid UTF-8.
pub struct Form<T>(pub T);

impl<T, S> FromRequest<S> for Form<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (checked, _) = utf8_checked(request, state).await?;
        axum::Form::<T>::from_request(checked, state)
            .await
            .map(|axum::Form(form)| Form(form))
            .map_err(IntoResponse::into_response)
    }
}

/// A form request whose every field is valid UTF-8 (else the 400 answer): rebuilt for axum's
/// `Form` to read, with its body bytes for a caller that wants one field first (the CSRF token,
/// see `auth::SignedForm`).
pub(crate) async fn utf8_checked<S: Send + Sync>(
    request: Request,
    state: &S,
) -> Result<(Request, Bytes), Response> {
    let (mut parts, body) = request.into_parts();
    let tr = match Tr::from_request_parts(&mut parts, state).await {
        Ok(tr) => tr,
        Err(never) => match never {},
    };
    let (method, headers, extensions) = (
        parts.method.clone(),
        parts.headers.clone(),
        parts.extensions.clone(),
    );
    // Read through `Bytes` so the route's body limit (in the extensions) still applies.
    let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
        .await
        .map_err(IntoResponse::into_response)?;
    if let Some(field) = first_invalid_field(&bytes) {
        let message = tr.t1("error-form-not-utf8", "field", field);
        return Err((StatusCode::BAD_REQUEST, message).into_response());
    }
    let mut checked = Request::new(Body::from(bytes.clone()));
    *checked.method_mut() = method;
    *checked.headers_mut() = headers;
    *checked.extensions_mut() = extensions;
    Ok((checked, bytes))
}

/// The first field whose name or value, once percent-decoded, is not UTF-8: its name as far as
/// it can be read (invalid bytes shown as `\xFF`).
pub fn first_invalid_field(body: &[u8]) -> Option<String> {
    body.split(|&b| b == b'&').find_map(|pair| {
        let mut halves = pair.splitn(2, |&b| b == b'=');
        let name = percent_decode(halves.next().unwrap_or_default());
        let value = percent_decode(halves.next().unwrap_or_default());
        let valid = std::str::from_utf8(&name).is_ok() && std::str::from_utf8(&value).is_ok();
        (!valid).then(|| shown_name(&name))
    })
}

/// Percent-decoding as `application/x-www-form-urlencoded` does it (`+` is a space; a `%` not
/// followed by two hex digits stays as it is).
fn percent_decode(text: &[u8]) -> Vec<u8> {
    let hex = |b: u8| char::from(b).to_digit(16);
    let mut decoded = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'+' => decoded.push(b' '),
            b'%' if i + 2 < text.len() => match (hex(text[i + 1]), hex(text[i + 2])) {
                (Some(high), Some(low)) => {
                    decoded.push((high * 16 + low) as u8);
                    i += 2;
                }
                _ => decoded.push(b'%'),
            },
            other => decoded.push(other),
        }
        i += 1;
    }
    decoded
}

/// A field name for a message: readable text as it is, other bytes as `\xFF`, control
/// characters escaped, at most 40 characters.
fn shown_name(name: &[u8]) -> String {
    let lossy: String = name
        .utf8_chunks()
        .flat_map(|chunk| {
            let invalid: String = chunk
                .invalid()
                .iter()
                .map(|b| format!("\\x{b:02X}"))
                .collect();
            [chunk.valid().to_string(), invalid]
        })
        .collect();
    dakwacht_core::control::escape_controls(&lossy)
        .chars()
        .take(40)
        .collect()
}

/// A query or form value as given, trimmed; `None` when it is missing or blank.
pub fn filled(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_found_in_names_and_values() {
        assert_eq!(
            first_invalid_field(b"csrf=x&notes=caf%C3%A9+%E2%82%AC"),
            None
        );
        assert_eq!(first_invalid_field(b"a=1&notes=%FF"), Some("notes".into()));
        assert_eq!(first_invalid_field(b"na%FFme=1"), Some("na\\xFFme".into()));
        assert_eq!(first_invalid_field(b"x=%C3"), Some("x".into()));
        assert_eq!(first_invalid_field(b"x=\xff"), Some("x".into()));
        // A '%' without two hex digits is kept as it is, as browsers and axum do.
        assert_eq!(first_invalid_field(b"x=100%&y=%4"), None);
    }
}
