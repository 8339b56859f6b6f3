//! A child's best-interest assessments in the API: the same use cases as the pages, so the same
//! access (only the case's own organisation's coordinators and professionals) and the same
//! audit lines (every read). The steps travel as the JSON the store keeps
//! ([`dakwacht_core::AssessmentSteps`]).

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use dakwacht_app::{Store, StoredAssessment};
use dakwacht_core::assessment::ProblemKind;
use dakwacht_core::{AssessedDecision, Assessment, AssessmentSteps, InterestElement, Step};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiError, ApiResult, ErrorBody, FieldProblem};
use crate::auth::ApiUser;

/// One assessment of a child of a case.
#[derive(Serialize, ToSchema)]
pub struct AssessmentDocument {
    id: i64,
    child_no: u8,
    /// `eviction`, `shelter_placement`, `shelter_refusal`, `separation`, `school_change` or
    /// `other`.
    decision: String,
    decision_described: Option<String>,
    /// Pass back when saving: a save from an older version is refused (409).
    version: i64,
    /// Every step filled in: the assessment counts as made.
    complete: bool,
    /// The steps filled in (1 to 4).
    steps_done: Vec<u8>,
    /// The four steps: `interests` (per element of `identity`, `child_view`,
    /// `family_environment`, `care_safety`, `vulnerability`, `health`, `education`: `{"kind":
    /// "found", "text": …}` or `{"kind": "not_known", "reason": …}`), `other_interests`
    /// (`[{"holder": …, "what": …}]`, `[]` for none, `null` not yet), `weighing` (`{"prevailed":
    /// "child"|"other", "reasons": …}`), `explanation` (`{"how_and_when", "by",
    /// "if_disagreeing"}`).
    #[schema(value_type = Object)]
    steps: serde_json::Value,
    created_at: String,
    created_by: String,
    updated_at: String,
    updated_by: String,
}

impl From<&StoredAssessment> for AssessmentDocument {
    fn from(stored: &StoredAssessment) -> Self {
        let assessment = &stored.assessment;
        AssessmentDocument {
            id: stored.id,
            child_no: assessment.child_no,
            decision: assessment.decision.code().to_string(),
            decision_described: assessment.decision_described.clone(),
            version: stored.version,
            complete: stored.complete,
            steps_done: Step::ALL
                .iter()
                .filter(|s| assessment.step_done(**s))
                .map(|s| s.number())
                .collect(),
            steps: serde_json::to_value(&assessment.steps).unwrap_or_default(),
            created_at: stored.created_at.clone(),
            created_by: stored.created_by.clone(),
            updated_at: stored.updated_at.clone(),
            updated_by: stored.updated_by.clone(),
        }
    }
}

fn invalid(problems: Vec<FieldProblem>) -> ApiError {
    ApiError {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        body: ErrorBody {
            error: "invalid",
            message: format!("{} problem(s); nothing was saved", problems.len()),
            problems,
        },
        retry_after: None,
    }
}

fn problem(field: &str, value: &str, expected: &str) -> FieldProblem {
    FieldProblem {
        field: field.to_string(),
        value: crate::error::shorten(value),
        expected: expected.to_string(),
    }
}

fn decision_of(code: &str) -> Result<AssessedDecision, ApiError> {
    AssessedDecision::parse(code).ok_or_else(|| {
        invalid(vec![problem(
            "decision",
            code,
            &format!("one of: {}", AssessedDecision::CODES.join(", ")),
        )])
    })
}

/// The assessments of a case's children.
#[utoipa::path(get, path = "/api/v1/cases/{organisation}/{case_ref}/assessments",
    params(("organisation" = String, Path), ("case_ref" = String, Path)),
    responses((status = 200, body = Vec<AssessmentDocument>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list<S: Store>(
    ApiUser { acting, .. }: ApiUser<S>,
    Path((organisation, case_ref)): Path<(String, String)>,
) -> ApiResult<Vec<AssessmentDocument>> {
    let assessments = acting
        .assessments_of(&organisation, &case_ref, "api")
        .await?;
    Ok(Json(assessments.iter().map(Into::into).collect()))
}

#[derive(Deserialize, ToSchema)]
pub struct NewAssessment {
    /// The decision it weighs (see [`AssessmentDocument`]).
    decision: String,
    /// Required for `other`.
    decision_described: Option<String>,
}

/// Starts an assessment of a child for a decision: a draft, without steps.
#[utoipa::path(post, path = "/api/v1/cases/{organisation}/{case_ref}/children/{child_no}/assessments",
    params(("organisation" = String, Path), ("case_ref" = String, Path), ("child_no" = u8, Path)),
    request_body = NewAssessment,
    responses((status = 201, body = AssessmentDocument), (status = 404, body = ErrorBody, description = "no such case or child, or another organisation's"), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn start<S: Store>(
    ApiUser { acting, .. }: ApiUser<S>,
    Path((organisation, case_ref, child_no)): Path<(String, String, u8)>,
    Json(new): Json<NewAssessment>,
) -> Result<(StatusCode, Json<AssessmentDocument>), ApiError> {
    let decision = decision_of(&new.decision)?;
    let described = new
        .decision_described
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty());
    if decision == AssessedDecision::Other && described.is_none() {
        return Err(invalid(vec![problem(
            "decision_described",
            "",
            "a description of the decision",
        )]));
    }
    let id = acting
        .start_assessment(&organisation, &case_ref, child_no, decision, described)
        .await?;
    let stored = acting
        .assessment(&organisation, &case_ref, id, "api")
        .await?;
    Ok((StatusCode::CREATED, Json((&stored).into())))
}

#[derive(Deserialize, ToSchema)]
pub struct AssessmentSave {
    /// The version read.
    version: i64,
    decision: String,
    decision_described: Option<String>,
    /// The steps as [`AssessmentDocument`] gives them; a step left out (or `null`) is not
    /// filled in yet.
    #[schema(value_type = Object)]
    steps: serde_json::Value,
}

/// Saves an assessment's decision and steps, when it is still at the version read.
#[utoipa::path(put, path = "/api/v1/cases/{organisation}/{case_ref}/assessments/{id}",
    params(("organisation" = String, Path), ("case_ref" = String, Path), ("id" = i64, Path)),
    request_body = AssessmentSave,
    responses((status = 200, body = AssessmentDocument), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "saved by someone else since the given version"), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn save<S: Store>(
    ApiUser { acting, .. }: ApiUser<S>,
    Path((organisation, case_ref, id)): Path<(String, String, i64)>,
    Json(save): Json<AssessmentSave>,
) -> ApiResult<AssessmentDocument> {
    let decision = decision_of(&save.decision)?;
    let steps: AssessmentSteps = serde_json::from_value(save.steps).map_err(|error| {
        invalid(vec![problem(
            "steps",
            &error.to_string(),
            "the steps as an assessment gives them",
        )])
    })?;
    let mut problems: Vec<FieldProblem> = steps
        .interests
        .keys()
        .filter(|key| InterestElement::parse(key).is_none())
        .map(|key| {
            problem(
                "steps.interests",
                key,
                &format!("one of: {}", InterestElement::CODES.join(", ")),
            )
        })
        .collect();
    let stored = acting
        .assessment(&organisation, &case_ref, id, "api")
        .await?;
    let assessment = Assessment {
        child_no: stored.assessment.child_no,
        decision,
        decision_described: save
            .decision_described
            .map(|d| d.trim().to_string())
            .filter(|d| !d.is_empty()),
        steps,
    };
    problems.extend(assessment.problems().into_iter().map(|p| {
        let expected = match p.problem {
            ProblemKind::Missing => "a text",
            ProblemKind::TooLong => "at most 4000 characters",
            ProblemKind::ReasonsRequired => {
                "the reasons why another interest weighed more than the child's"
            }
        };
        problem(&p.part, "", expected)
    }));
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    acting
        .save_assessment((&organisation, &case_ref), id, &assessment, save.version)
        .await?;
    let saved = acting
        .assessment(&organisation, &case_ref, id, "api")
        .await?;
    Ok(Json((&saved).into()))
}
