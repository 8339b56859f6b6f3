//! Best-interest assessments as the store keeps them: the assessment with its version and who
//! made and last saved it, and the history of its saved steps.

use dakwacht_core::{AssessedDecision, Assessment, AssessmentSteps, Step};

use crate::StoreError;

/// A stored assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAssessment {
    pub id: i64,
    pub assessment: Assessment,
    /// Pass back when saving a step: a save from an older version is refused.
    pub version: i64,
    /// Every step filled in ([`Assessment::is_complete`] when it was saved).
    pub complete: bool,
    pub created_at: String,
    pub created_by: String,
    pub updated_at: String,
    pub updated_by: String,
}

/// One entry of the history of a case's assessments: who created or saved which steps, when;
/// never what they say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentChange {
    pub assessment_id: i64,
    pub child_no: u8,
    pub changed_at: String,
    pub actor: String,
    /// `created`, `saved` or `completed`.
    pub action: String,
    /// The steps that changed (empty for a creation).
    pub steps: Vec<Step>,
}

/// The columns of an assessment row, as `SELECT_ASSESSMENT` reads them.
pub(crate) struct AssessmentRow {
    pub id: i64,
    pub child_no: i64,
    pub decision: String,
    pub decision_described: Option<String>,
    pub steps: String,
    pub complete: bool,
    pub version: i64,
    pub created_at: String,
    pub created_by: String,
    pub updated_at: String,
    pub updated_by: String,
}

/// The columns of [`AssessmentRow`], in order, over `assessments a`.
pub(crate) const SELECT_ASSESSMENT: &str = "a.id, a.child_no, a.decision, a.decision_described, \
     a.steps, a.complete, a.version, a.created_at, a.created_by, a.updated_at, a.updated_by";

impl AssessmentRow {
    pub(crate) fn into_stored(self) -> Result<StoredAssessment, StoreError> {
        let corrupt =
            |what: &str| StoreError::Corrupt(format!("assessment {}: unreadable {what}", self.id));
        let decision =
            AssessedDecision::parse(&self.decision).ok_or_else(|| corrupt("decision"))?;
        let steps: AssessmentSteps =
            serde_json::from_str(&self.steps).map_err(|_| corrupt("steps"))?;
        let child_no = u8::try_from(self.child_no).map_err(|_| corrupt("child_no"))?;
        Ok(StoredAssessment {
            id: self.id,
            assessment: Assessment {
                child_no,
                decision,
                decision_described: self.decision_described,
                steps,
            },
            version: self.version,
            complete: self.complete,
            created_at: self.created_at,
            created_by: self.created_by,
            updated_at: self.updated_at,
            updated_by: self.updated_by,
        })
    }
}

/// The steps of a history entry as stored: `1,3`.
pub(crate) fn steps_text(steps: &[Step]) -> Option<String> {
    (!steps.is_empty()).then(|| {
        steps
            .iter()
            .map(|s| s.number().to_string())
            .collect::<Vec<_>>()
            .join(",")
    })
}

pub(crate) fn steps_of(text: Option<&str>) -> Result<Vec<Step>, StoreError> {
    text.unwrap_or_default()
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse().ok().and_then(Step::from_number).ok_or_else(|| {
                StoreError::Corrupt(format!("an assessment history names step '{s}'"))
            })
        })
        .collect()
}
