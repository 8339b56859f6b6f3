//! Closing and reopening a case, and the retention period after closing (issue 15.8).
//!
//! Closing is a change of the case, by those who may change it (a coordinator or professional of
//! its organisation). The retention run is the operator's: it reads and deletes across every
//! organisation, and is meant to run on a schedule (`dakwacht retention --apply`).

use dakwacht_core::access::Action;
use dakwacht_core::{ClosingReason, Closure, Date, Retention};
use dakwacht_store::{AuditAction, ClosedCase, RetentionSummary, Store};

use crate::{Acting, Error};

/// What a retention run found, and did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionRun {
    pub retention: Retention,
    /// Cases closed on or before this day are past the period.
    pub last_day: Date,
    /// The cases past the period, closed longest ago first: those a dry run would delete, or
    /// those this run deleted.
    pub cases: Vec<ClosedCase>,
    /// What was deleted; `None` for a dry run, which changes nothing.
    pub deleted: Option<RetentionSummary>,
}

/// Today in the Netherlands: the day a case is closed on, and the day the retention period is
/// counted back from.
pub fn today() -> Date {
    dakwacht_core::date::dutch_time(jiff::Timestamp::now()).date()
}

impl<S: Store> Acting<S> {
    /// Closes a case today, for `reason` (audited, in its history). `false` when it was closed
    /// already: the first closure stays.
    pub async fn close_case(
        &self,
        organisation: &str,
        case_ref: &str,
        reason: ClosingReason,
    ) -> Result<bool, Error> {
        self.allow(Action::WriteCase { organisation }).await?;
        let closure = Closure {
            on: today(),
            reason,
        };
        match self
            .store()
            .close_case(&self.actor(), organisation, case_ref, &closure)
            .await
        {
            Err(dakwacht_store::StoreError::NotFound(_)) => Err(Error::NotFound),
            other => Ok(other?),
        }
    }

    /// Opens a closed case again (audited, in its history); `false` when it was open.
    pub async fn reopen_case(&self, organisation: &str, case_ref: &str) -> Result<bool, Error> {
        self.allow(Action::WriteCase { organisation }).await?;
        match self
            .store()
            .reopen_case(&self.actor(), organisation, case_ref)
            .await
        {
            Err(dakwacht_store::StoreError::NotFound(_)) => Err(Error::NotFound),
            other => Ok(other?),
        }
    }

    /// Whether a case is closed, when and why: shown with the case, whose reading is audited
    /// there ([`Acting::read_case`]), so this adds no line of its own.
    pub async fn closure(
        &self,
        organisation: &str,
        case_ref: &str,
    ) -> Result<Option<Closure>, Error> {
        self.allow(Action::ReadCase { organisation }).await?;
        match self.store().closure(organisation, case_ref).await {
            Err(dakwacht_store::StoreError::NotFound(_)) => Err(Error::NotFound),
            other => Ok(other?),
        }
    }

    /// The closed cases past `retention` on `today`, of every organisation; with `apply`, deletes
    /// them wholly (cases, observations, history). One audit line either way, with counts only.
    pub async fn retention(
        &self,
        retention: Retention,
        today: Date,
        apply: bool,
    ) -> Result<RetentionRun, Error> {
        self.allow(Action::Retention).await?;
        let last_day = retention.last_day_past(today);
        let cases = self.store().closed_cases(last_day).await?;
        let about = format!("{} year(s) after closing", retention.in_years());
        let deleted = if apply {
            Some(
                self.store()
                    .delete_closed(&self.actor(), last_day, &about)
                    .await?,
            )
        } else {
            self.record(&self.entry(AuditAction::Retention).detail(format!(
                "dry run, {about}, closed on or before {last_day}: {} case(s) would be deleted",
                cases.len()
            )))
            .await?;
            None
        };
        Ok(RetentionRun {
            retention,
            last_day,
            cases,
            deleted,
        })
    }
}
