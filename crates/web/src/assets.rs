//! Stylesheets and scripts, served by dakwacht itself (no CDN: a page about a family must not
//! tell a third party that it was opened). The NL Design System files are vendored from npm by
//! `scripts/vendor-assets` and built into the binary.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

/// Every asset: its name under `/assets/`, its content type and its bytes.
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "theme.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/vendor/theme.css"),
    ),
    (
        "utrecht-components.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/vendor/utrecht-components.css"),
    ),
    (
        "utrecht-html.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/vendor/utrecht-html.css"),
    ),
    (
        "htmx.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/vendor/htmx.min.js"),
    ),
    (
        "dakwacht.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/dakwacht.css"),
    ),
];

pub async fn asset(Path(name): Path<String>) -> Result<Response, AppError> {
    let (_, content_type, bytes) = ASSETS
        .iter()
        .find(|(known, _, _)| *known == name)
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, *content_type),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        *bytes,
    )
        .into_response())
}
