//! Files of cases in and out: the preview's check, the import, the export.

use std::collections::{HashMap, HashSet};
use std::future::Future;

use dakwacht_core::access::{Action, Decision};
use dakwacht_core::{
    Case, CaseFilter, Child, ChildColumnSet, ChildField, ChildRow, Children, ColumnSet, Date,
    Expected, Field, Lang,
};
use dakwacht_interchange::LineError;
use dakwacht_store::{
    AuditAction, HandEdit, ImportMessage, ImportSummary, Store, StoreError, StoredForImport,
};
use tokio::sync::mpsc;

use crate::{Acting, Error};

/// What a case of the file would do to the stored case.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    New,
    Updated(Box<CaseUpdate>),
    Unchanged,
}

/// A stored case that a file changes, field by field.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseUpdate {
    pub old: Case,
    pub new: Case,
    /// The fields that change (empty when only free `x_` columns do).
    pub fields: Vec<Field>,
    /// Set when the stored case is newer than the file: storing it would undo that.
    pub newer: Option<Newer>,
}

/// A case of a file, checked against what is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedCase {
    /// Where it is in the file.
    pub line: u64,
    /// What storing it would do, or why it cannot be stored.
    pub outcome: Result<Effect, Vec<LineError>>,
    /// The case's children as they would be stored: what the children file's rows of this case
    /// are checked against.
    pub family: Children,
}

/// What a child row of a file would do to the stored record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChildEffect {
    New,
    Updated,
    Unchanged,
}

/// Why a stored case is newer than the file that would change it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Newer {
    /// Changed by hand after the file's `reported_on` (an old export imported again).
    HandEdit(HandEdit),
    /// Stored from a report of a later date than the file's.
    LaterReport(Date),
}

impl Newer {
    /// Whether `stored` is newer than `incoming`, a case of a file.
    fn of(stored: &StoredForImport, incoming: &Case) -> Option<Newer> {
        let report = incoming.reported_on;
        if stored.case.reported_on > report {
            return Some(Newer::LaterReport(stored.case.reported_on));
        }
        let edit = stored.hand_edit.as_ref()?;
        // The day of the change, in UTC: a change on the report's own day may be in the file.
        let day = edit
            .at
            .get(..10)
            .and_then(dakwacht_core::date::parse_date)?;
        (day > report).then(|| Newer::HandEdit(edit.clone()))
    }
}

/// What an import does with the cases a file would change although they are newer than it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewerCases {
    /// Leave them as stored: the file's row for them is skipped.
    Keep,
    /// Store the file's values over them.
    Overwrite,
}

/// How writing an export out went, told by whoever wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    Whole,
    /// The reader went away before the end (a browser that closed the download).
    Interrupted,
    Failed(String),
}

/// Why someone without an organisation has no files of cases.
const FILES_ARE_FOR: &str = "files of cases are for coordinators and professionals";

impl<S: Store> Acting<S> {
    /// The own organisation, whose files of cases this principal may import.
    pub async fn import_organisation(&self) -> Result<String, Error> {
        self.own_organisation_for(FILES_ARE_FOR, |organisation| Action::Import {
            organisation,
        })
        .await
    }

    /// The own organisation, whose cases this principal may download.
    pub async fn export_organisation(&self) -> Result<String, Error> {
        self.own_organisation_for(FILES_ARE_FOR, |organisation| Action::Export {
            organisation,
        })
        .await
    }

    /// Checks a batch of a file of `organisation` against the stored cases (one lookup), as the
    /// import will store it: the fields of absent columns stay as stored, and every rule holds
    /// for the result. Nothing is stored.
    pub async fn check_import(
        &self,
        organisation: &str,
        columns: &ColumnSet,
        cases: &[(u64, Case)],
    ) -> Result<Vec<CheckedCase>, Error> {
        self.allow(Action::Import { organisation }).await?;
        let refs: Vec<String> = cases
            .iter()
            .map(|(_, case)| case.case_ref.to_string())
            .collect();
        let stored: HashMap<String, StoredForImport> = self
            .store()
            .cases_by_ref(organisation, &refs)
            .await?
            .into_iter()
            .map(|stored| (stored.case.case_ref.to_string(), stored))
            .collect();
        Ok(cases
            .iter()
            .map(|(line, case)| {
                let (result, effect) = match stored.get(case.case_ref.as_str()) {
                    None => (case.clone(), Effect::New),
                    Some(stored) => {
                        let old = &stored.case;
                        let merged = old.updated_by(case, columns);
                        let fields = merged.changed_fields(old);
                        let effect = if fields.is_empty() && merged.extra == old.extra {
                            Effect::Unchanged
                        } else {
                            Effect::Updated(Box::new(CaseUpdate {
                                old: old.clone(),
                                new: merged.clone(),
                                fields,
                                newer: Newer::of(stored, case),
                            }))
                        };
                        (merged, effect)
                    }
                };
                let errors = result.check();
                let outcome = if errors.is_empty() {
                    Ok(effect)
                } else {
                    Err(errors
                        .into_iter()
                        .map(|e| LineError::from_field(*line, e))
                        .collect())
                };
                CheckedCase {
                    line: *line,
                    outcome,
                    family: result.children,
                }
            })
            .collect())
    }

    /// Checks a batch of a children file of `organisation` as the import will store it: each row
    /// merged into the stored record (the fields of absent columns stay as stored) must fit its
    /// case, as the cases file of the same upload leaves it (`families`, by reference) or else as
    /// stored. A row whose case is in neither is a problem. Nothing is stored.
    pub async fn check_children_import(
        &self,
        organisation: &str,
        columns: &ChildColumnSet,
        families: &HashMap<String, Children>,
        rows: &[(u64, ChildRow)],
    ) -> Result<Vec<(u64, Result<ChildEffect, Vec<LineError>>)>, Error> {
        self.allow(Action::Import { organisation }).await?;
        let mut refs: Vec<String> = rows.iter().map(|(_, r)| r.case_ref.to_string()).collect();
        refs.sort_unstable();
        refs.dedup();
        let stored_children: HashMap<(String, u8), Child> = self
            .store()
            .children_of_cases(organisation, &refs)
            .await?
            .into_iter()
            .map(|row| ((row.case_ref.to_string(), row.child.child_no), row.child))
            .collect();
        refs.retain(|case_ref| !families.contains_key(case_ref));
        let stored_families: HashMap<String, Children> = self
            .store()
            .cases_by_ref(organisation, &refs)
            .await?
            .into_iter()
            .map(|stored| (stored.case.case_ref.to_string(), stored.case.children))
            .collect();
        Ok(rows
            .iter()
            .map(|(line, row)| {
                let case_ref = row.case_ref.as_str();
                let Some(family) = families
                    .get(case_ref)
                    .or_else(|| stored_families.get(case_ref))
                else {
                    let error = LineError::new(
                        *line,
                        Some(ChildField::CaseRef.name().to_string()),
                        case_ref,
                        Expected::CaseOfChild,
                    );
                    return (*line, Err(vec![error]));
                };
                let stored = stored_children.get(&(case_ref.to_string(), row.child.child_no));
                let merged = stored.map_or_else(
                    || row.child.clone(),
                    |stored| stored.updated_by(&row.child, columns),
                );
                let errors = merged.check_in_family(family);
                if !errors.is_empty() {
                    let errors = errors
                        .into_iter()
                        .map(|e| LineError::from_field(*line, e))
                        .collect();
                    return (*line, Err(errors));
                }
                let effect = match stored {
                    None => ChildEffect::New,
                    Some(stored) if *stored == merged => ChildEffect::Unchanged,
                    Some(_) => ChildEffect::Updated,
                };
                (*line, Ok(effect))
            })
            .collect())
    }

    /// Stores a file's cases, all or nothing (the store audits it). Every case's organisation is
    /// checked as it passes: one the principal may not import for stops the import, refused,
    /// and nothing is stored.
    pub async fn import(
        &self,
        source: &str,
        mut messages: mpsc::Receiver<ImportMessage>,
    ) -> Result<ImportSummary, Error> {
        let (forward, checked) = mpsc::channel::<ImportMessage>(2);
        // Decided here but recorded only after the store has rolled back: on SQLite the import's
        // open transaction would hold up the audit line.
        let check = async move {
            let mut allowed: HashSet<String> = HashSet::new();
            while let Some(message) = messages.recv().await {
                let organisations: Vec<&str> = match &message {
                    ImportMessage::Cases(cases) => {
                        cases.iter().map(|c| c.organisation.as_str()).collect()
                    }
                    ImportMessage::Children(rows) => {
                        rows.iter().map(|r| r.organisation.as_str()).collect()
                    }
                    _ => Vec::new(),
                };
                {
                    for organisation in organisations {
                        if allowed.contains(organisation) {
                            continue;
                        }
                        if let Decision::Denied(why) =
                            self.principal.may(Action::Import { organisation })
                        {
                            // Dropping `forward` without a Commit rolls the import back.
                            return Err(why);
                        }
                        allowed.insert(organisation.to_string());
                    }
                }
                if forward.send(message).await.is_err() {
                    break;
                }
            }
            Ok(())
        };
        let actor = self.actor();
        let (stored, checked_all) =
            tokio::join!(self.store().import(&actor, source, checked), check);
        if let Err(why) = checked_all {
            return Err(self.refuse(why, None, false).await);
        }
        Ok(stored?)
    }

    /// The free `x_` columns of the cases an export of `filter` would hold.
    pub async fn export_columns(&self, filter: &CaseFilter) -> Result<Vec<String>, Error> {
        self.allow_export(filter).await?;
        Ok(self.store().extra_columns(filter).await?)
    }

    /// Sends the selected cases in batches to whoever writes them (`writing`, which owns the
    /// receiving end) and records the export once it is written, with how it went.
    pub async fn export<W>(
        &self,
        filter: &CaseFilter,
        label: &str,
        batches: mpsc::Sender<Vec<Case>>,
        writing: W,
    ) -> Result<u64, Error>
    where
        W: Future<Output = Written>,
    {
        self.allow_export(filter).await?;
        let exporting = self.store().export(filter, batches);
        self.recorded(filter, &format!("case(s) as {label}"), exporting, writing)
            .await
    }

    /// The free `x_` columns the child records of the selected cases have, for the header.
    pub async fn export_child_columns(&self, filter: &CaseFilter) -> Result<Vec<String>, Error> {
        self.allow_export(filter).await?;
        Ok(self.store().child_extra_columns(filter).await?)
    }

    /// As [`Acting::export`], the child records of the selected cases (the children file).
    pub async fn export_children<W>(
        &self,
        filter: &CaseFilter,
        label: &str,
        batches: mpsc::Sender<Vec<ChildRow>>,
        writing: W,
    ) -> Result<u64, Error>
    where
        W: Future<Output = Written>,
    {
        self.allow_export(filter).await?;
        let exporting = self.store().export_children(filter, batches);
        let what = format!("child record(s) as {label}");
        self.recorded(filter, &what, exporting, writing).await
    }

    /// Runs an export and its writing together and records it once written (`what` follows
    /// the count in the audit line), also when the download was interrupted.
    async fn recorded<W>(
        &self,
        filter: &CaseFilter,
        what: &str,
        exporting: impl Future<Output = Result<u64, StoreError>>,
        writing: W,
    ) -> Result<u64, Error>
    where
        W: Future<Output = Written>,
    {
        let (exported, written) = tokio::join!(exporting, writing);
        let count = match (exported, written) {
            (Ok(count), Written::Whole) => count,
            (Ok(count), Written::Interrupted) => {
                let line = format!("{count} {what} (download interrupted)");
                self.record_export(filter, &line).await?;
                return Ok(count);
            }
            (_, Written::Failed(why)) => return Err(Error::NotWritten(why)),
            (Err(error), _) => return Err(error.into()),
        };
        self.record_export(filter, &format!("{count} {what}"))
            .await?;
        Ok(count)
    }

    async fn allow_export(&self, filter: &CaseFilter) -> Result<(), Error> {
        match filter.organisation.as_deref() {
            Some(organisation) => self.allow(Action::Export { organisation }).await,
            None => self.allow(Action::ExportAll).await,
        }
    }

    async fn record_export(&self, filter: &CaseFilter, what: &str) -> Result<(), Error> {
        let mut entry = self.entry(AuditAction::Export).detail(format!(
            "{what}; {}",
            dakwacht_stats::scope_text(filter, Lang::Nl)
        ));
        entry.organisation = filter.organisation.clone();
        self.record(&entry).await
    }
}
