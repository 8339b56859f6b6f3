//! Where the family stayed, on the case page: the timeline, and taking back a stay recorded by
//! mistake (issue 15.2). A removed stay leaves the timeline but not the history
//! (`case_history.rs`); a correction is a removal followed by the right stay.

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use dakwacht_app::{StayRemoval, Store};
use dakwacht_core::written::long_date_or_month;
use dakwacht_core::{Case, DateOrMonth, Field, Observation, ObservationSource, RecordedStay};
use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::auth::{Signed, SignedForm};
use crate::error::AppError;
use crate::i18n::Tr;

/// One line of the timeline: when, where, how dakwacht knows, and where a stay recorded by hand
/// can be taken back (for whoever may change the case).
pub(crate) struct TimelineLine {
    pub on: String,
    pub situation: String,
    pub source: String,
    pub remove: Option<String>,
}

/// A stay's date in words, "onbekend" when it has none.
pub(crate) fn when(on: Option<DateOrMonth>, tr: &Tr) -> String {
    on.map_or_else(|| tr.t("unknown"), |d| long_date_or_month(d, tr.lang))
}

/// The family's story from the lost home on: the case's own dates and every stay recorded by
/// hand that was not taken back, each of those with its remove link when `may_remove`.
pub(crate) fn timeline(
    case: &Case,
    stays: &[RecordedStay],
    path: &str,
    may_remove: bool,
    tr: &Tr,
) -> Vec<TimelineLine> {
    let lost = TimelineLine {
        on: when(case.home_lost_on, tr),
        situation: tr.t("case-home-lost"),
        source: tr.t("source-report"),
        remove: None,
    };
    // The timeline shows each recorded stay once; the same stay twice has two ids to take.
    let mut untaken: Vec<&RecordedStay> = stays.iter().filter(|s| !s.is_removed()).collect();
    let mut remove_link = |observation: &Observation| {
        if !may_remove || observation.source != ObservationSource::Recorded {
            return None;
        }
        let at = untaken.iter().position(|s| s.observation == *observation)?;
        Some(format!("{path}/stays/{}/remove", untaken.remove(at).id))
    };
    std::iter::once(lost)
        .chain(case.timeline().into_iter().map(|o| TimelineLine {
            on: when(o.on, tr),
            situation: o.situation.label(tr.lang).to_string(),
            source: source_label(tr, o.source),
            remove: remove_link(&o),
        }))
        .collect()
}

fn source_label(tr: &Tr, source: ObservationSource) -> String {
    match source {
        ObservationSource::AfterLoss => tr.t("source-after-loss"),
        ObservationSource::LastSeen => tr.t("source-last-seen"),
        ObservationSource::Rehoused => tr.t("source-rehoused"),
        ObservationSource::Report => tr.t("source-report"),
        ObservationSource::Recorded => tr.t("source-recorded"),
    }
}

/// What the case page says after a removal: which fields stayed as they were (`kept`, field
/// names), none when everything the stay set was put back.
#[derive(Deserialize, Default)]
pub struct RemovedQuery {
    #[serde(default)]
    pub stay_removed: Option<String>,
}

impl RemovedQuery {
    /// The note for the top of the case page, if a stay was just removed.
    pub(crate) fn note(&self, tr: &Tr) -> Option<String> {
        let kept = self.stay_removed.as_deref()?;
        let labels = crate::case_form::field_labels(tr);
        let kept: Vec<&str> = kept
            .split(',')
            .filter_map(Field::from_header)
            .filter_map(|field| labels.get(&field).map(String::as_str))
            .collect();
        Some(if kept.is_empty() {
            tr.t("stay-removed")
        } else {
            tr.t1("stay-removed-kept", "fields", kept.join(", "))
        })
    }
}

/// The question before a stay is taken back.
#[derive(Template)]
#[template(path = "stay_remove.html")]
struct ConfirmRemoval {
    tr: Tr,
    username: String,
    csrf: String,
    case_ref: String,
    text: String,
    error: Option<String>,
    action: String,
    cancel: String,
}

/// The stay a removal is about: a number the case has, not removed yet.
fn stay_of(stays: Vec<RecordedStay>, id: &str) -> Result<RecordedStay, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    stays
        .into_iter()
        .find(|s| s.id == id && !s.is_removed())
        .ok_or(AppError::NotFound)
}

/// Asks before a recorded stay is taken back, saying what that does.
pub async fn confirm_removal<S: Store>(
    Signed { state, user, tr }: Signed<S>,
    Path((organisation, case_ref, stay)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let acting = user.acting(&state);
    acting.may_change_cases_of(&organisation).await?;
    let whole = acting
        .read_whole_case(&organisation, &case_ref, "web stay removal")
        .await?;
    let stay = stay_of(whole.stays, &stay)?;
    let page = confirmation(&tr, &user, (&organisation, &case_ref), &stay, None);
    Ok(Html(crate::pages::render(&page)).into_response())
}

fn confirmation(
    tr: &Tr,
    user: &crate::auth::CurrentUser,
    (organisation, case_ref): (&str, &str),
    stay: &RecordedStay,
    error: Option<String>,
) -> ConfirmRemoval {
    let path = crate::case_form::case_path(organisation, case_ref);
    ConfirmRemoval {
        tr: tr.clone(),
        username: user.user.username.clone(),
        csrf: user.csrf_token.clone(),
        case_ref: case_ref.to_string(),
        text: tr.t3(
            "stay-remove-confirm",
            ["stay", "by", "at"],
            [
                &stay_words(&stay.observation, tr),
                &crate::shown::who(&stay.recorded_by, tr),
                &crate::shown::moment(&stay.recorded_at, tr),
            ],
        ),
        error,
        action: format!("{path}/stays/{}/remove", stay.id),
        cancel: path,
    }
}

/// "3 april 2024, in een auto": a stay in words.
pub(crate) fn stay_words(stay: &Observation, tr: &Tr) -> String {
    format!(
        "{}, {}",
        when(stay.on, tr),
        stay.situation.label(tr.lang).to_lowercase()
    )
}

/// Takes the stay back and shows the case again, saying what was put back and what was kept;
/// when the case would no longer hold together without it, the question comes back with why.
pub async fn remove<S: Store>(
    Path((organisation, case_ref, stay)): Path<(String, String, String)>,
    SignedForm(Signed { user, tr, .. }, acting, _): SignedForm<S, IgnoredAny>,
) -> Result<Response, AppError> {
    let id: i64 = stay.parse().map_err(|_| AppError::NotFound)?;
    match acting.remove_stay(&organisation, &case_ref, id).await? {
        StayRemoval::Removed { kept } => {
            let kept: Vec<&str> = kept.iter().map(|f| f.name()).collect();
            let path = crate::case_form::case_path(&organisation, &case_ref);
            // Field names are plain ASCII words: they stand in the address as they are.
            let back = format!("{path}?stay_removed={}", kept.join(","));
            Ok(Redirect::to(&back).into_response())
        }
        StayRemoval::Refused(errors) => {
            let whole = acting
                .read_whole_case(&organisation, &case_ref, "web stay removal")
                .await?;
            let stay = stay_of(whole.stays, &stay)?;
            let expected: Vec<String> = errors.iter().map(|e| e.expected.text(tr.lang)).collect();
            let error = tr.t1("stay-remove-refused", "expected", expected.join("; "));
            let page = confirmation(&tr, &user, (&organisation, &case_ref), &stay, Some(error));
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                Html(crate::pages::render(&page)),
            )
                .into_response())
        }
    }
}
