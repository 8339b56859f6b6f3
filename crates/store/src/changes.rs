//! How a case that comes in meets the stored one: what an import or a save by hand writes, the
//! same on SQLite and PostgreSQL. Nothing here reads or writes the database; the stores do.

use dakwacht_core::{Case, ColumnSet, Field};

use crate::rows::StoredCase;
use crate::{ImportSummary, Rejections, StoreError, Subject};

/// The version a stored case is at, and who made it and when: what a stale save is told.
pub(crate) const CURRENT_VERSION: &str = "SELECT c.version, COALESCE((SELECT actor FROM case_changes WHERE case_id = c.id ORDER BY version DESC LIMIT 1), c.created_by), c.updated_at FROM cases c WHERE c.id = $1";

/// A stored case that gets new content.
pub(crate) struct Update {
    /// The case's row.
    pub(crate) id: i64,
    pub(crate) old: Case,
    pub(crate) new: Case,
    /// The fields that change; empty when only the free `x_` columns do.
    pub(crate) changed: Vec<Field>,
}

impl Update {
    /// `new` in the place of `old`; `None` when neither a field nor a free column changes.
    fn of(id: i64, old: Case, new: Case) -> Option<Update> {
        let changed = old.changed_fields(&new);
        if changed.is_empty() && old.extra == new.extra {
            return None;
        }
        Some(Update {
            id,
            old,
            new,
            changed,
        })
    }

    /// A case of an import over the stored one: the file's columns replace the stored fields,
    /// the fields of the columns it does not have are kept. The result is checked as it would be
    /// stored (its problems kept in `rejections`) and counted in `summary` as updated or
    /// unchanged; `None` when it is unchanged.
    pub(crate) fn imported(
        stored: StoredCase,
        incoming: &Case,
        columns: &ColumnSet,
        rejections: &mut Rejections,
        summary: &mut ImportSummary,
    ) -> Result<Option<Update>, StoreError> {
        let id = stored.id;
        let old = stored.into_case()?;
        let new = old.updated_by(incoming, columns);
        rejections.check(&new);
        let update = Update::of(id, old, new);
        match update {
            None => summary.unchanged += 1,
            Some(_) => summary.updated += 1,
        }
        Ok(update)
    }

    /// A save of `case` over `stored`, which the editor read at version `expected` and which is at
    /// the version of `current` now ([`CURRENT_VERSION`]): refused with [`StoreError::StaleVersion`]
    /// when someone else changed it in between, so nothing is overwritten that the editor never saw;
    /// `None` when it changes nothing.
    pub(crate) fn saved(
        stored: StoredCase,
        case: &Case,
        expected: i64,
        current: &(i64, String, String),
    ) -> Result<Option<Update>, StoreError> {
        let (version, by, at) = current;
        if *version != expected {
            return Err(StoreError::StaleVersion {
                by: by.clone(),
                at: at.clone(),
            });
        }
        let id = stored.id;
        Ok(Update::of(id, stored.into_case()?, case.clone()))
    }

    /// What the audit log says of a save by hand.
    pub(crate) fn detail(&self) -> String {
        let names: Vec<&str> = self.changed.iter().map(|f| f.name()).collect();
        format!("changed: {}", names.join(", "))
    }
}

/// What saving a case by hand does with what is stored.
pub(crate) enum Save {
    /// There is no such case, and the editor creates it.
    Create,
    /// The editor changes the stored case, which was at version `expected` when it was read.
    Update { stored: StoredCase, expected: i64 },
}

impl Save {
    /// `expected_version` `None` creates the case, refused when the reference is taken; `Some`
    /// updates it, refused when there is no such case.
    pub(crate) fn of(
        case: &Case,
        existing: Option<StoredCase>,
        expected_version: Option<i64>,
    ) -> Result<Save, StoreError> {
        match (existing, expected_version) {
            (Some(_), None) => Err(StoreError::AlreadyExists(Subject::of_case(case))),
            (None, Some(_)) => Err(StoreError::NotFound(Subject::of_case(case))),
            (None, None) => Ok(Save::Create),
            (Some(stored), Some(expected)) => Ok(Save::Update { stored, expected }),
        }
    }
}
