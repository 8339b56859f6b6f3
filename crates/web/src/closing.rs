//! Closing a case and opening it again, on the case page (issue 15.8). The form and the note
//! "gesloten op … (reden)" are `templates/case_closing.html`, included by the case page.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use dakwacht_app::Store;
use dakwacht_core::ClosingReason;
use dakwacht_core::written::long_date;
use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::AppState;
use crate::auth::{CurrentUser, Signed, SignedForm};
use crate::error::AppError;
use crate::i18n::Tr;

/// What the case page shows of closing: the note and the reopen button of a closed case, or the
/// close form of an open one.
pub struct ClosingView {
    pub close_action: String,
    pub reopen_action: String,
    /// "Gesloten op 3 april 2026 (gezin heeft weer een woning)", when the case is closed.
    pub closed: Option<String>,
    /// The reasons to choose from: code and label.
    pub reasons: Vec<(&'static str, &'static str)>,
    /// Why the close form came back.
    pub error: Option<String>,
}

impl ClosingView {
    /// The closing part of a case page (the case was read there, which is audited).
    pub async fn of<S: Store>(
        state: &AppState<S>,
        user: &CurrentUser,
        tr: &Tr,
        organisation: &str,
        case_ref: &str,
    ) -> Result<ClosingView, AppError> {
        let closure = user.acting(state).closure(organisation, case_ref).await?;
        let path = crate::case_form::case_path(organisation, case_ref);
        Ok(ClosingView {
            close_action: format!("{path}/close"),
            reopen_action: format!("{path}/reopen"),
            closed: closure.map(|c| {
                tr.t2(
                    "closing-closed-on",
                    "date",
                    long_date(c.on, tr.lang),
                    "reason",
                    c.reason.label(tr.lang),
                )
            }),
            reasons: ClosingReason::ALL
                .iter()
                .map(|r| (r.code(), r.label(tr.lang)))
                .collect(),
            error: None,
        })
    }
}

#[derive(Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    reason: String,
}

/// Closes the case for the chosen reason; without one, the case page comes back with the error
/// at the field.
pub async fn close<S: Store>(
    Path((organisation, case_ref)): Path<(String, String)>,
    SignedForm(Signed { state, user, tr }, acting, form): SignedForm<S, CloseForm>,
) -> Result<Response, AppError> {
    acting.may_change_cases_of(&organisation).await?;
    let Some(reason) = ClosingReason::parse(form.reason.trim()) else {
        let page = crate::pages::case_page_with_closing_error(
            &state,
            &user,
            &tr,
            (&organisation, &case_ref),
            tr.t("closing-choose-reason"),
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page)).into_response());
    };
    acting.close_case(&organisation, &case_ref, reason).await?;
    Ok(back_to_case(&organisation, &case_ref))
}

/// Opens the closed case again: it is followed up as before.
pub async fn reopen<S: Store>(
    Path((organisation, case_ref)): Path<(String, String)>,
    SignedForm(_, acting, _): SignedForm<S, IgnoredAny>,
) -> Result<Response, AppError> {
    acting.reopen_case(&organisation, &case_ref).await?;
    Ok(back_to_case(&organisation, &case_ref))
}

fn back_to_case(organisation: &str, case_ref: &str) -> Response {
    Redirect::to(&crate::case_form::case_path(organisation, case_ref)).into_response()
}
