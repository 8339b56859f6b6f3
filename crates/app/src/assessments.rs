//! A child's best-interest assessments: a child's personal data, so only the case's own
//! organisation's coordinators and professionals reach them (`Action::ReadAssessment`), and
//! every read is in the audit log with where it was shown.

use dakwacht_core::access::Action;
use dakwacht_core::{AssessedDecision, Assessment};
use dakwacht_store::{AuditAction, Store, StoreError, StoredAssessment};

use crate::{Acting, Error};

/// The store's "no such case / child / assessment" is the caller's "not found".
fn found<T>(result: Result<T, StoreError>) -> Result<T, Error> {
    match result {
        Err(StoreError::NotFound(_)) => Err(Error::NotFound),
        other => Ok(other?),
    }
}

impl<S: Store> Acting<S> {
    /// Every assessment of a case's children (audited as a read, `via` saying where, when there
    /// is one).
    pub async fn assessments_of(
        &self,
        organisation: &str,
        case_ref: &str,
        via: &'static str,
    ) -> Result<Vec<StoredAssessment>, Error> {
        self.allow(Action::ReadAssessment { organisation }).await?;
        let store = self.store();
        // A case that does not exist is not found, not a family without assessments.
        if store.case(organisation, case_ref).await?.is_none() {
            return Err(Error::NotFound);
        }
        let assessments = store.assessments(organisation, case_ref).await?;
        // No assessment, nothing of a child read: the view of the case says enough.
        if assessments.is_empty() {
            return Ok(assessments);
        }
        self.record(
            &self
                .entry(AuditAction::ViewAssessment)
                .case(organisation, case_ref)
                .detail(format!("{via}: {} assessment(s)", assessments.len())),
        )
        .await?;
        Ok(assessments)
    }

    /// One assessment of a case (audited as a read).
    pub async fn assessment(
        &self,
        organisation: &str,
        case_ref: &str,
        id: i64,
        via: &'static str,
    ) -> Result<StoredAssessment, Error> {
        self.allow(Action::ReadAssessment { organisation }).await?;
        let assessment = self
            .store()
            .assessments(organisation, case_ref)
            .await?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or(Error::NotFound)?;
        self.record(
            &self
                .entry(AuditAction::ViewAssessment)
                .case(organisation, case_ref)
                .detail(format!(
                    "{via}: assessment {id} of child {}",
                    assessment.assessment.child_no
                )),
        )
        .await?;
        Ok(assessment)
    }

    /// Starts the assessment of a child for a decision: a draft, to be filled in step by step.
    pub async fn start_assessment(
        &self,
        organisation: &str,
        case_ref: &str,
        child_no: u8,
        decision: AssessedDecision,
        described: Option<String>,
    ) -> Result<i64, Error> {
        self.allow(Action::WriteAssessment { organisation }).await?;
        let draft = Assessment::draft(child_no, decision, described);
        found(
            self.store()
                .create_assessment(&self.actor(), organisation, case_ref, &draft)
                .await,
        )
    }

    /// Saves an assessment read at `expected_version` (a step filled in, or its decision
    /// changed); the new version. Someone else's save in between is
    /// [`StoreError::StaleVersion`], and nothing is overwritten.
    pub async fn save_assessment(
        &self,
        (organisation, case_ref): (&str, &str),
        id: i64,
        assessment: &Assessment,
        expected_version: i64,
    ) -> Result<i64, Error> {
        self.allow(Action::WriteAssessment { organisation }).await?;
        found(
            self.store()
                .save_assessment(
                    &self.actor(),
                    (organisation, case_ref),
                    id,
                    assessment,
                    expected_version,
                )
                .await,
        )
    }
}
