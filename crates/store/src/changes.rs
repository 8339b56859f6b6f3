//! How a case that comes in meets the stored one: what an import or a save by hand writes, the
//! same on SQLite and PostgreSQL. The stores run the statements; nothing here does.

use dakwacht_core::{
    Case, Child, ChildColumnSet, ChildRow, Children, ColumnSet, DateOrMonth, Field, Observation,
};

use crate::children::{ChildWrite, check_children};
use crate::rows::StoredCase;
use crate::{ImportMessage, ImportSummary, Rejections, StoreError, Subject};

/// What the next message of an import stream brings to store.
pub(crate) enum Batch {
    Cases(Vec<Case>),
    /// Child records, sent after every case of the import.
    Children(Vec<ChildRow>),
}

/// The version a stored case is at, and who made it and when: what a stale save is told. (SQLite
/// takes the lone `$1` as parameter 1.)
pub(crate) const CURRENT_VERSION: &str = "SELECT c.version,
        COALESCE((SELECT actor FROM case_changes WHERE case_id = c.id ORDER BY version DESC LIMIT 1),
                 c.created_by),
        c.updated_at
     FROM cases c WHERE c.id = $1";

/// A stay recorded with a save: the case's row is found by organisation id (`$7`) and reference
/// (`$8`); `$6` is the case version the stay made, NULL when it changed no field. (SQLite numbers
/// `$1`…`$8` in the order they first stand, as rusqlite binds them.)
pub(crate) const INSERT_STAY: &str = "INSERT INTO observations
        (case_id, observed_on, precision, situation, recorded_at, recorded_by, change_version)
     SELECT id, $1, $2, $3, $4, $5, $6 FROM cases WHERE organisation_id = $7 AND case_ref = $8";

/// A stay taken back with a save: at (`$1`), by (`$2`), the stay (`$3`) of the case found by
/// organisation id (`$4`) and reference (`$5`); a stay removed already is not touched.
pub(crate) const REMOVE_STAY: &str = "UPDATE observations SET removed_at = $1, removed_by = $2
     WHERE id = $3 AND removed_at IS NULL
       AND case_id = (SELECT id FROM cases WHERE organisation_id = $4 AND case_ref = $5)";

/// How many changed cases the audit line of an import names; each case's own history names the
/// import that changed it, so the rest are counted, not listed (an audit line stays small).
pub const AUDIT_NAMED_CASES: usize = 100;

/// An import under way: the file's columns, what it did so far, the cases it changed (the first
/// [`AUDIT_NAMED_CASES`]) and the cases it would store that break a rule.
pub(crate) struct Import {
    columns: ColumnSet,
    child_columns: ChildColumnSet,
    summary: ImportSummary,
    changed: Vec<String>,
    rejections: Rejections,
    /// The stored cases whose children the import changes (their number or ages): their stored
    /// child records are checked against them once every record of the import is in.
    recheck: Vec<i64>,
}

/// A whole import, ready to commit: its counts and its line in the audit log.
pub(crate) struct Finished {
    pub(crate) summary: ImportSummary,
    pub(crate) audit_detail: String,
}

impl Import {
    pub(crate) fn new() -> Import {
        // Without a message of the file's columns, every case is taken whole.
        Import {
            columns: ColumnSet::all(),
            child_columns: ChildColumnSet::all(),
            summary: ImportSummary::default(),
            changed: Vec::new(),
            rejections: Rejections::default(),
            recheck: Vec::new(),
        }
    }

    /// What the next message of the stream brings, `None` when it is complete. The file's columns
    /// bring no case; they are kept for the cases after them. A stream that ends without
    /// [`ImportMessage::Commit`] is [`StoreError::ImportAborted`].
    pub(crate) fn next_batch(
        &mut self,
        message: Option<ImportMessage>,
    ) -> Result<Option<Batch>, StoreError> {
        match message {
            Some(ImportMessage::Columns(columns)) => {
                self.columns = columns;
                Ok(Some(Batch::Cases(Vec::new())))
            }
            Some(ImportMessage::ChildColumns(columns)) => {
                self.child_columns = columns;
                Ok(Some(Batch::Children(Vec::new())))
            }
            Some(ImportMessage::Cases(cases)) => Ok(Some(Batch::Cases(cases))),
            Some(ImportMessage::Children(children)) => Ok(Some(Batch::Children(children))),
            Some(ImportMessage::Commit) => Ok(None),
            None => Err(StoreError::ImportAborted),
        }
    }

    /// A case the store does not have: checked as it will be stored, and counted.
    pub(crate) fn create(&mut self, case: &Case) {
        self.rejections.check(case);
        self.summary.created += 1;
    }

    /// A case the store has: the file's columns replace the stored fields, the fields of the
    /// columns it does not have are kept. The result is checked as it would be stored and
    /// counted as updated or unchanged; `None` when it is unchanged.
    pub(crate) fn update(
        &mut self,
        stored: StoredCase,
        incoming: &Case,
    ) -> Result<Option<Update>, StoreError> {
        let id = stored.id;
        let old = stored.into_case()?;
        let new = old.updated_by(incoming, &self.columns);
        self.rejections.check(&new);
        let update = Update::of(id, old, new);
        if update.as_ref().is_some_and(Update::changes_children) {
            self.recheck.push(id);
        }
        match &update {
            None => self.summary.unchanged += 1,
            Some(update) => {
                self.summary.updated += 1;
                if self.changed.len() < AUDIT_NAMED_CASES {
                    self.changed.push(update.new.case_ref.to_string());
                }
            }
        }
        Ok(update)
    }

    /// A child record of the import, for a case the store has (of this import or before) as it
    /// is now, with the record stored of that child: the record as it will be stored (the
    /// file's columns over the stored record), checked against the case's children (how many,
    /// their ages: all a record is checked against) and counted.
    pub(crate) fn child(
        &mut self,
        family: &Children,
        stored: Option<&Child>,
        incoming: &ChildRow,
    ) -> (ChildWrite, Child) {
        let merged = match stored {
            Some(stored) => stored.updated_by(&incoming.child, &self.child_columns),
            None => incoming.child.clone(),
        };
        let errors = merged.check_in_family(family);
        if !errors.is_empty() {
            self.rejections
                .reject_child(incoming, merged.child_no, errors);
        }
        let write = ChildWrite::of(stored, &merged);
        let counts = &mut self.summary.children;
        match write {
            ChildWrite::Create => counts.created += 1,
            ChildWrite::Update { .. } => counts.updated += 1,
            ChildWrite::Unchanged => counts.unchanged += 1,
        }
        (write, merged)
    }

    /// A case for which the store has no record (neither in the file nor before).
    pub(crate) fn child_without_case(&mut self, incoming: &ChildRow) {
        self.rejections.reject_child(
            incoming,
            incoming.child.child_no,
            vec![dakwacht_core::ChildError::new(
                dakwacht_core::ChildField::CaseRef,
                incoming.case_ref.as_str(),
                dakwacht_core::Expected::CaseOfChild,
            )],
        );
    }

    /// The stored cases to check [`Import::recheck_children`] with.
    pub(crate) fn cases_to_recheck(&self) -> &[i64] {
        &self.recheck
    }

    /// A stored case whose children the import changed, with every record of its children as
    /// now stored: a record the case no longer fits is rejected, not silently dropped.
    pub(crate) fn recheck_children(&mut self, case: &Case, children: &[Child]) {
        reject_misfits(&mut self.rejections, case, children);
    }

    /// What the import did, once every case is in, with what the audit log says of it (from
    /// `source`); [`StoreError::Rejected`] (nothing may be stored) when a case breaks a rule.
    pub(crate) fn finish(self, source: &str) -> Result<Finished, StoreError> {
        if !self.rejections.is_empty() {
            return Err(StoreError::Rejected(self.rejections));
        }
        let summary = self.summary;
        let mut audit_detail = format!(
            "{source}: {} created, {} updated, {} unchanged",
            summary.created, summary.updated, summary.unchanged
        );
        let children = summary.children;
        if children != crate::ChildCounts::default() {
            audit_detail.push_str(&format!(
                "; children: {} created, {} updated, {} unchanged",
                children.created, children.updated, children.unchanged
            ));
        }
        if !self.changed.is_empty() {
            audit_detail.push_str("; changed: ");
            audit_detail.push_str(&self.changed.join(", "));
            let unnamed = summary.updated - self.changed.len() as u64;
            if unnamed > 0 {
                audit_detail.push_str(&format!(" and {unnamed} more"));
            }
        }
        Ok(Finished {
            summary,
            audit_detail,
        })
    }
}

/// Rejects each of a case's stored child records that no longer fits the case.
fn reject_misfits(rejections: &mut Rejections, case: &Case, children: &[Child]) {
    for (child_no, errors) in check_children(case, children) {
        if let Some(child) = children.iter().find(|c| c.child_no == child_no) {
            let row = ChildRow {
                organisation: case.organisation.clone(),
                case_ref: case.case_ref.clone(),
                child: child.clone(),
            };
            rejections.reject_child(&row, child_no, errors);
        }
    }
}

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

    /// Whether the update changes the family's children (their number or ages): the stored
    /// child records must then still fit the case.
    pub(crate) fn changes_children(&self) -> bool {
        self.changed
            .iter()
            .any(|f| matches!(f, Field::ChildrenCount | Field::ChildrenAges))
    }

    /// Refuses the update ([`StoreError::Rejected`], naming each record) when a stored child
    /// record no longer fits the case as it would be: a save by hand may not leave a child
    /// without its place any more than an import.
    pub(crate) fn check_children(&self, children: &[Child]) -> Result<(), StoreError> {
        let mut rejections = Rejections::default();
        reject_misfits(&mut rejections, &self.new, children);
        match rejections.is_empty() {
            true => Ok(()),
            false => Err(StoreError::Rejected(rejections)),
        }
    }

    /// What the audit log says of a save by hand.
    pub(crate) fn detail(&self) -> String {
        let names: Vec<&str> = self.changed.iter().map(|f| f.name()).collect();
        format!("changed: {}", names.join(", "))
    }
}

/// An observation's date as stored: the day, or the month's first day, with its precision.
pub(crate) fn observed_on(stay: &Observation) -> (Option<String>, Option<&'static str>) {
    match stay.on {
        Some(DateOrMonth::Day(day)) => (Some(day.to_string()), Some("day")),
        Some(DateOrMonth::Month(month)) => (Some(month.first_day().to_string()), Some("month")),
        None => (None, None),
    }
}

/// What the audit log says of a save that records (`removed` false) or takes back a stay, with
/// what it changed in the case.
pub(crate) fn stay_detail(removed: bool, changed: Option<String>) -> String {
    let what = if removed {
        "stay removed"
    } else {
        "stay recorded"
    };
    match changed {
        Some(changed) => format!("{what}; {changed}"),
        None => what.to_string(),
    }
}

/// What saving a case by hand does with what is stored.
pub(crate) enum Save {
    /// There is no such case, and the editor creates it.
    Create,
    /// The editor changes the stored case, which was at version `expected` when it was read.
    Update {
        stored: Box<StoredCase>,
        expected: i64,
    },
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
            (Some(stored), Some(expected)) => Ok(Save::Update {
                stored: Box::new(stored),
                expected,
            }),
        }
    }
}
