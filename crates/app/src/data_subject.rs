//! A family's rights under the AVG (GDPR): everything dakwacht keeps about its case, as one
//! file (art. 15, the right of access), and the erasure of the case (art. 17). Both are the
//! organisation's, which is the controller: its coordinators, and the operator.
//!
//! The audit log keeps its lines about an erased case (who read or changed it, when; never its
//! content): an organisation must be able to show what it did with the data (art. 5(2) and
//! 17(3)(b)), and the hash chain would break without them. Published figures stay as they were
//! published: each bundle's figures are kept apart from the cases (see
//! [`crate::Acting::publications`]), so an erasure never changes what was handed on.

use dakwacht_core::access::Action;
use dakwacht_core::{ChildField, Field};
use dakwacht_store::{AuditFilter, ErasureSummary, Store};
use serde_json::{Value, json};

use crate::{Acting, Error};

impl<S: Store> Acting<S> {
    /// Everything kept about one case, for a family's request of access: the case's fields,
    /// its history, its stays, its children and their history, the best-interest assessments
    /// and their history, the letters made, its closure and follow-up, and the audit log's
    /// lines about it. Audited as an export.
    pub async fn subject_export(&self, organisation: &str, case_ref: &str) -> Result<Value, Error> {
        self.allow(Action::DataSubject { organisation }).await?;
        let store = self.store();
        let Some((case, version)) = store.case_with_version(organisation, case_ref).await? else {
            return Err(Error::NotFound);
        };
        let fields: serde_json::Map<String, Value> = Field::ALL
            .iter()
            .map(|f| (f.name().to_string(), Value::String(case.text(*f))))
            .filter(|(_, v)| v.as_str().is_some_and(|t| !t.is_empty()))
            .collect();
        let history: Vec<Value> = store
            .history(organisation, case_ref)
            .await?
            .iter()
            .map(|change| {
                json!({
                    "version": change.version,
                    "at": change.changed_at,
                    "by": change.actor,
                    "action": change.action,
                    "fields": change.fields.iter().map(|f| f.name()).collect::<Vec<_>>(),
                })
            })
            .collect();
        let stays: Vec<Value> = store
            .recorded_stays(organisation, case_ref)
            .await?
            .iter()
            .map(|stay| {
                json!({
                    "on": stay.observation.on.map(|on| on.to_string()),
                    "situation": stay.observation.situation.code(),
                    "source": stay.observation.source,
                    "recorded_at": stay.recorded_at,
                    "recorded_by": stay.recorded_by,
                    "removed": stay.removed.as_ref().map(|(at, by)| json!({"at": at, "by": by})),
                })
            })
            .collect();
        let children: Vec<Value> = store
            .children_of_cases(organisation, &[case_ref.to_string()])
            .await?
            .iter()
            .map(|row| {
                let child: serde_json::Map<String, Value> = ChildField::ALL
                    .iter()
                    .map(|f| (f.name().to_string(), Value::String(row.text(*f))))
                    .filter(|(_, v)| v.as_str().is_some_and(|t| !t.is_empty()))
                    .collect();
                Value::Object(child)
            })
            .collect();
        let child_history: Vec<Value> = store
            .child_history(organisation, case_ref)
            .await?
            .iter()
            .map(|change| {
                json!({
                    "child_no": change.child_no,
                    "at": change.changed_at,
                    "by": change.actor,
                    "action": change.action,
                    "fields": change.fields.iter().map(|f| f.name()).collect::<Vec<_>>(),
                })
            })
            .collect();
        let assessments: Vec<Value> = store
            .assessments(organisation, case_ref)
            .await?
            .iter()
            .map(|stored| {
                json!({
                    "id": stored.id,
                    "child_no": stored.assessment.child_no,
                    "decision": stored.assessment.decision.code(),
                    "decision_described": stored.assessment.decision_described,
                    "steps": stored.assessment.steps,
                    "complete": stored.complete,
                    "created": {"at": stored.created_at, "by": stored.created_by},
                    "updated": {"at": stored.updated_at, "by": stored.updated_by},
                })
            })
            .collect();
        let assessment_history: Vec<Value> = store
            .assessment_history(organisation, case_ref)
            .await?
            .iter()
            .map(|change| {
                json!({
                    "assessment": change.assessment_id,
                    "child_no": change.child_no,
                    "at": change.changed_at,
                    "by": change.actor,
                    "action": change.action,
                    "steps": change.steps.iter().map(|step| step.number()).collect::<Vec<_>>(),
                })
            })
            .collect();
        let letters: Vec<Value> = store
            .letters_made(organisation, case_ref)
            .await?
            .iter()
            .map(|letter| {
                json!({
                    "letter": letter.letter,
                    "format": letter.format,
                    "made_at": letter.made_at,
                    "made_by": letter.made_by,
                    "subject": letter.subject,
                    "text": letter.body,
                })
            })
            .collect();
        let closure = store
            .closure(organisation, case_ref)
            .await?
            .map(|c| json!({"on": c.on.to_string(), "reason": c.reason.code()}));
        let (assigned_to, eviction_on) = store.follow_up_of(organisation, case_ref).await?;
        let audit: Vec<Value> = store
            .audit_log(&AuditFilter {
                organisation: Some(organisation.to_string()),
                case_ref: Some(case_ref.to_string()),
                limit: Some(u32::MAX),
                ..AuditFilter::default()
            })
            .await?
            .iter()
            .rev()
            .map(|record| {
                json!({
                    "at": record.at,
                    "actor": record.entry.actor,
                    "action": record.entry.action.code(),
                    "detail": record.entry.detail,
                })
            })
            .collect();
        let mut entry = self
            .entry(dakwacht_store::AuditAction::SubjectExport)
            .case(organisation, case_ref);
        entry.detail = Some(format!(
            "everything kept about the case: {} history entries, {} stays, {} children, {} assessments, {} letters",
            history.len(),
            stays.len(),
            children.len(),
            assessments.len(),
            letters.len()
        ));
        self.record(&entry).await?;
        Ok(json!({
            "about": "Alles wat dakwacht bewaart over deze casus (AVG art. 15) / everything dakwacht keeps about this case (GDPR art. 15)",
            "made_at": jiff::Timestamp::now().to_string(),
            "organisation": organisation,
            "case_ref": case_ref,
            "version": version,
            "fields": fields,
            "history": history,
            "stays": stays,
            "children": children,
            "child_history": child_history,
            "assessments": assessments,
            "assessment_history": assessment_history,
            "letters": letters,
            "closure": closure,
            "follow_up": {"assigned_to": assigned_to, "eviction_on": eviction_on},
            "audit": audit,
        }))
    }

    /// Erases a case and everything kept with it (its history, stays, children, assessments,
    /// letters), for a family's request of erasure; `why` (no personal data: "AVG art. 17
    /// verzoek 2026-12") goes into the audit line with the counts. Published figures keep what
    /// they said; figures counted afterwards no longer count the family.
    pub async fn erase_case(
        &self,
        organisation: &str,
        case_ref: &str,
        why: &str,
    ) -> Result<ErasureSummary, Error> {
        self.allow(Action::DataSubject { organisation }).await?;
        match self
            .store()
            .erase_case(&self.actor(), organisation, case_ref, why)
            .await
        {
            Err(dakwacht_store::StoreError::NotFound(_)) => Err(Error::NotFound),
            other => Ok(other?),
        }
    }
}
