//! Persistence of cases behind one interface, [`Store`].
//!
//! SQLite is the embedded default ([`SqliteStore`]); PostgreSQL ([`PgStore`]) serves a shared
//! deployment. Domain, statistics and web code only see the trait, never SQL.

mod accounts;
mod activation;
mod assessments;
pub mod audit_chain;
mod backup;
mod busy;
mod changes;
mod children;
mod dialect;
mod facts;
mod filter;
mod kept_signals;
pub mod postgres;
mod private_file;
mod queries;
mod rows;
pub mod sqlite;

use std::future::Future;

use dakwacht_core::{
    Case, CaseFilter, Child, ChildError, ChildRow, Closure, ColumnSet, Contribution, Date, Facts,
    Field, FieldError, Observation, ProfileCount, RecordedStay, Variable,
};

pub use accounts::{
    AuditAction, AuditEntry, AuditFilter, AuditRecord, CaseSummary, FollowUp, FollowUpChange,
    NewSession, NewUser, SESSION_ID_CHARS, SecondFactorSeed, SessionKind, SessionRecord,
    SessionStage, StagedSession, User,
};
pub use activation::{
    ACTIVATION_HOURS, Admission, AdmissionRefusal, Invitation, LinkFor, LinkRequest, LinkState,
    NewActivationLink,
};
use tokio::sync::mpsc;

pub use assessments::{AssessmentChange, StoredAssessment};
pub use audit_chain::AuditVerification;
pub use backup::{BackupSummary, RestoreSummary};
pub use changes::AUDIT_NAMED_CASES;
pub use kept_signals::{Judge, KeptCounts, KeptGroup, KeptSignal, MAX_KEPT_RULES};
pub use postgres::PgStore;
pub use private_file::create_private;
pub use sqlite::SqliteStore;

/// Who did something: recorded with every change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor(String);

impl Actor {
    /// The command line, run by an operating-system user.
    pub fn cli(os_user: &str) -> Self {
        Actor(format!("cli:{os_user}"))
    }

    /// A signed-in user of the web application.
    pub fn web(username: &str) -> Self {
        Actor(format!("user:{username}"))
    }

    /// Someone not signed in, such as a sign-in attempt for a name that has no account (the
    /// name itself is not recorded: it may be a password typed into the wrong field).
    pub fn anonymous() -> Self {
        Actor("anonymous".to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One message of an import stream: the file's columns, cases to store, or the instruction to
/// keep them.
#[derive(Debug)]
pub enum ImportMessage {
    /// The columns of the file, sent before its cases: a stored case keeps the fields whose column
    /// the file does not have. Without this message every case is taken whole (every column).
    Columns(ColumnSet),
    Cases(Vec<Case>),
    /// The columns of the children file, sent before its records: a stored record keeps the
    /// fields whose column the file does not have. Without it every record is taken whole.
    ChildColumns(dakwacht_core::ChildColumnSet),
    /// Child records (the children file), sent after every case of the import: each for a case
    /// of this import or one stored before.
    Children(Vec<ChildRow>),
    /// Everything was sent and valid: commit. A stream that ends without it is rolled back.
    Commit,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// What the import did with child records.
    pub children: ChildCounts,
}

/// How many child records an import created, changed and left as they were.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChildCounts {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// A child record of an import that breaks a rule with its case as it would be stored (a child
/// the case does not have, an age the case gives otherwise, a case that does not exist).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedChild {
    pub organisation: String,
    pub case_ref: String,
    pub child_no: u8,
    pub errors: Vec<ChildError>,
}

/// A case of an import that breaks a rule once combined with what is stored (a file without a
/// `route` column sets `default_judgment` on a case whose stored route is not a court case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedCase {
    pub organisation: String,
    pub case_ref: String,
    pub errors: Vec<FieldError>,
}

/// Rejected cases kept for the report; the count covers all of them.
pub const REJECTED_KEPT: usize = 1000;

/// The rejected cases of an import, with their count. The cases from the input come first and are
/// checked one by one, so a whole file's problems are reported at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rejections {
    /// The first [`REJECTED_KEPT`] rejected cases, in file order.
    pub cases: Vec<RejectedCase>,
    /// The first [`REJECTED_KEPT`] rejected child records.
    pub children: Vec<RejectedChild>,
    /// Rejected cases and child records, kept or not.
    pub total: u64,
}

impl Rejections {
    /// Checks a case as it would be stored; keeps its problems if it breaks a rule.
    pub(crate) fn check(&mut self, case: &Case) {
        let errors = case.check();
        if errors.is_empty() {
            return;
        }
        self.total += 1;
        if self.cases.len() < REJECTED_KEPT {
            self.cases.push(RejectedCase {
                organisation: case.organisation.to_string(),
                case_ref: case.case_ref.to_string(),
                errors,
            });
        }
    }

    /// Keeps the problems of a child record.
    pub(crate) fn reject_child(&mut self, row: &ChildRow, child_no: u8, errors: Vec<ChildError>) {
        self.total += 1;
        if self.children.len() < REJECTED_KEPT {
            self.children.push(RejectedChild {
                organisation: row.organisation.to_string(),
                case_ref: row.case_ref.to_string(),
                child_no,
                errors,
            });
        }
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }
}

/// One entry of a case's change history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub version: i64,
    pub changed_at: String,
    pub actor: String,
    pub action: String,
    /// Fields changed (empty for a creation).
    pub fields: Vec<Field>,
}

/// A letter made for a case: which, in which format, when, by whom, and its text as the writer
/// left it (for the case's own organisation only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MadeLetter {
    pub id: i64,
    /// The letter's id (`no_self_help`, …).
    pub letter: String,
    /// `pdf` or `docx`.
    pub format: String,
    pub made_at: String,
    pub made_by: String,
    pub subject: String,
    pub body: String,
}

/// A letter to record for a case.
#[derive(Debug, Clone, Copy)]
pub struct NewLetter<'a> {
    pub letter: &'a str,
    pub format: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

/// One entry of the history of a case's child records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildChange {
    pub child_no: u8,
    pub changed_at: String,
    pub actor: String,
    /// `created` or `updated`.
    pub action: String,
    /// Fields changed (empty for a creation).
    pub fields: Vec<dakwacht_core::ChildField>,
}

/// What a save does with a family's stays besides the case itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StayNews {
    /// Records this stay.
    Record(Observation),
    /// Marks the recorded stay with this id removed.
    Remove(i64),
}

/// The last change made to a case by hand (a form, the API, a recorded stay), not by an import:
/// what an older file would silently undo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandEdit {
    /// RFC 3339, UTC.
    pub at: String,
    pub by: String,
}

/// A closed case, as the retention run lists it: who keeps it, and when and why it was closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedCase {
    pub organisation: String,
    pub case_ref: String,
    pub closure: Closure,
}

/// What erasing one case deleted (the same counts as a retention run's).
pub type ErasureSummary = RetentionSummary;

/// A publication bundle's figures to keep as published: `figures` is its `cijfers.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPublication<'a> {
    /// The organisation it is about, or `None` for several or all.
    pub organisation: Option<&'a str>,
    /// The selection in words.
    pub scope: &'a str,
    pub figures: &'a str,
}

/// A publication as kept: when, by whom, about what, and the SHA-256 of its figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicationRecord {
    pub id: i64,
    pub made_at: String,
    pub made_by: String,
    pub organisation: Option<String>,
    pub scope: String,
    pub figures_sha256: String,
}

/// What a retention run deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetentionSummary {
    pub cases: u64,
    pub observations: u64,
    /// The records of the deleted cases' children.
    pub children: u64,
    /// The best-interest assessments of those children.
    pub assessments: u64,
    pub history_entries: u64,
}

/// A stored case as a file meets it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredForImport {
    pub case: Case,
    /// `None` when only imports ever wrote it.
    pub hand_edit: Option<HandEdit>,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the import was stopped before the end; nothing was stored")]
    ImportAborted,
    /// Cases of an import that break a rule together with their stored fields; nothing of the
    /// file was stored.
    #[error(
        "{} case(s) of the file break a rule together with what is stored; nothing was stored",
        .0.total
    )]
    Rejected(Rejections),
    #[error("the database cannot be opened: {0}")]
    Open(String),
    #[error("the database schema could not be brought up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The database was migrated by a newer dakwacht: this one must not touch it.
    #[error(
        "this database was last used by a newer dakwacht (schema version {found}; this dakwacht knows up to version {known}). Nothing was changed: use the newer dakwacht, or restore a backup made with this version"
    )]
    TooNew { found: i64, known: i64 },
    #[error("stored data could not be read: {0}")]
    Corrupt(String),
    /// A backup could not be written, or a file is not a backup that can be restored.
    #[error("{0}")]
    Backup(String),
    /// Another change holds the database (on SQLite, one writer at a time: an import of a large
    /// file) for longer than this one may wait. Nothing of this change was stored; trying again
    /// later works.
    #[error(
        "the database is busy with another change (such as a large import); nothing was changed, try again in a moment"
    )]
    Busy,
    /// The database cannot be reached: the connection to the PostgreSQL server could not be
    /// made or broke off, or no connection could be had within the pool's wait (the server
    /// refuses connections, or every connection stayed in use). Not [`StoreError::Busy`], which
    /// is only another transaction holding a lock. On SQLite a pool that runs out of time is Busy:
    /// every connection waits for another writer.
    #[error("the database cannot be reached: {0}")]
    Unavailable(String),
    #[error("database error: {0}")]
    Database(sqlx::Error),
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    /// The case was changed by someone else after the editor read it; nothing was saved.
    #[error("this case was changed by {by} at {at}, after you opened it; nothing was saved")]
    StaleVersion { by: String, at: String },
    /// Something with this name exists already.
    #[error("{}", already_exists(.0))]
    AlreadyExists(Subject),
    /// A named thing the request needs does not exist (or is not in the state the request needs,
    /// e.g. an account that does not await activation/approval).
    #[error("{}", not_found(.0))]
    NotFound(Subject),
    /// A case of an import was created by someone else while the file was being imported; nothing stored.
    #[error(
        "a case in this file was created by someone else while the file was being imported; nothing of the file was stored: import it again"
    )]
    ImportRace,
    /// A child record entered by hand no longer fits its case (the case was changed since the
    /// form was opened: fewer children, or another age); nothing was saved.
    #[error("the child record does not fit its case as it is now ({} problem(s)); nothing was saved", .0.len())]
    ChildDoesNotFit(Vec<dakwacht_core::ChildError>),
    /// A name the store will not keep: an organisation's name has 1 to 120 characters.
    #[error("{}", invalid_name(.0))]
    InvalidName(Subject),
}

/// What a store outcome is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Organisation(String),
    User(String),
    Case {
        organisation: String,
        case_ref: String,
    },
    /// A child of a case, by number.
    Child {
        organisation: String,
        case_ref: String,
        child_no: u8,
    },
    /// A best-interest assessment of a case, by its id.
    Assessment {
        organisation: String,
        case_ref: String,
        id: i64,
    },
}

impl Subject {
    pub(crate) fn of_case(case: &Case) -> Subject {
        Subject::case(case.organisation.as_str(), case.case_ref.as_str())
    }

    /// The case `organisation/case_ref`.
    pub fn case(organisation: &str, case_ref: &str) -> Subject {
        Subject::Case {
            organisation: organisation.to_string(),
            case_ref: case_ref.to_string(),
        }
    }
}

// The English texts are for logs and the command line; the web writes its own from the subject.
fn already_exists(subject: &Subject) -> String {
    match subject {
        Subject::Organisation(name) => format!("the organisation '{name}' exists already"),
        Subject::User(name) => format!("the user name '{name}' is taken"),
        Subject::Case {
            organisation,
            case_ref,
        } => format!("a case '{case_ref}' exists already in '{organisation}'"),
        Subject::Child { child_no, .. } => format!("child {child_no} exists already"),
        Subject::Assessment { id, .. } => format!("assessment {id} exists already"),
    }
}

fn not_found(subject: &Subject) -> String {
    match subject {
        Subject::Organisation(name) => {
            format!("there is no organisation '{name}'; add it first (dakwacht organisation add)")
        }
        Subject::User(name) => {
            format!("there is no account '{name}' that this can be done to")
        }
        Subject::Case {
            organisation,
            case_ref,
        } => format!("there is no case '{case_ref}' in '{organisation}'"),
        Subject::Child {
            organisation,
            case_ref,
            child_no,
        } => format!("case '{case_ref}' in '{organisation}' has no child {child_no}"),
        Subject::Assessment {
            organisation,
            case_ref,
            id,
        } => format!("case '{case_ref}' in '{organisation}' has no assessment {id}"),
    }
}

fn invalid_name(subject: &Subject) -> String {
    match subject {
        Subject::Organisation(name) => {
            format!("an organisation name has 1 to 120 characters, not '{name}'")
        }
        Subject::User(name) => format!("'{name}' cannot be a user name"),
        Subject::Case { case_ref, .. } => format!("'{case_ref}' cannot be a case reference"),
        Subject::Child { child_no, .. } => format!("{child_no} cannot be a child number"),
        Subject::Assessment { id, .. } => format!("{id} cannot be an assessment"),
    }
}

/// Everything dakwacht keeps. Implemented per database; every method is one transaction.
pub trait Store: Send + Sync + 'static {
    /// Stores the cases of one file: creates new ones, updates changed ones by
    /// `(organisation, case_ref)` in the file's columns only ([`ImportMessage::Columns`]), leaves
    /// identical ones alone. Every case is checked as it would be stored; if any breaks a rule,
    /// the import fails with [`StoreError::Rejected`]. All or nothing: unless the stream ends with
    /// [`ImportMessage::Commit`] and every case is valid, nothing is stored.
    fn import(
        &self,
        actor: &Actor,
        source: &str,
        messages: mpsc::Receiver<ImportMessage>,
    ) -> impl Future<Output = Result<ImportSummary, StoreError>> + Send;

    /// Sends the selected cases in batches, ordered by organisation and case reference.
    fn export(
        &self,
        filter: &CaseFilter,
        batches: mpsc::Sender<Vec<Case>>,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// Up to `limit` whole cases of the selection after `(organisation, case_ref)`, in that
    /// order: for a scan that needs every field (finding the cases with a given signal).
    fn cases_after(
        &self,
        filter: &CaseFilter,
        after: Option<(&str, &str)>,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<Case>, StoreError>> + Send;

    /// The free `x_` columns used by the selected cases, sorted.
    fn extra_columns(
        &self,
        filter: &CaseFilter,
    ) -> impl Future<Output = Result<Vec<String>, StoreError>> + Send;

    /// Cases per statistical profile, for the measures.
    fn profile_counts(
        &self,
        filter: &CaseFilter,
    ) -> impl Future<Output = Result<Vec<ProfileCount>, StoreError>> + Send;

    /// For each set of variables, the selected cases counted by their facts for that set (see
    /// [`Facts::only`]): what the rules need to count signals (one set per rule) without loading
    /// a single case.
    fn facts_counts(
        &self,
        filter: &CaseFilter,
        sets: &[Vec<Variable>],
    ) -> impl Future<Output = Result<Vec<Vec<(Facts, u64)>>, StoreError>> + Send;
    /// Works out and keeps the signals of every case that has none kept under the rules with
    /// this `fingerprint`: the cases are grouped by their facts per variable set (one set per
    /// rule, in file order) and `judge` is asked about each group. Gives how many cases it kept
    /// signals for. [`StoreError::Busy`] when writers held what it needs (PostgreSQL does not
    /// wait for them): the cases it did not reach stay without.
    fn keep_signals(
        &self,
        fingerprint: i64,
        sets: &[Vec<Variable>],
        judge: Judge,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// The selected cases counted by the signals kept under the rules with this fingerprint,
    /// and how many have none kept.
    fn kept_signal_counts(
        &self,
        filter: &CaseFilter,
        fingerprint: i64,
    ) -> impl Future<Output = Result<KeptCounts, StoreError>> + Send;

    /// How many of the selected cases lost their home in each month (`YYYY-MM`), oldest first;
    /// cases without `home_lost_on` are left out. For the dashboard's timeline.
    fn home_losses_by_month(
        &self,
        filter: &CaseFilter,
    ) -> impl Future<Output = Result<Vec<(String, u64)>, StoreError>> + Send;

    /// The selected cases counted by what they contribute to the duration estimate (a few
    /// hundred groups for a million cases): all the Kaplan–Meier estimate needs.
    fn duration_counts(
        &self,
        filter: &CaseFilter,
    ) -> impl Future<Output = Result<Vec<(Contribution, u64)>, StoreError>> + Send;

    /// The known municipalities of the selected cases, each with its number of cases, by name:
    /// the rows of a breakdown by municipality.
    fn municipalities(
        &self,
        filter: &CaseFilter,
    ) -> impl Future<Output = Result<Vec<(String, u64)>, StoreError>> + Send;

    /// Distinct known municipalities among the selected cases.
    fn municipality_count(
        &self,
        filter: &CaseFilter,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// The child records of a case, by number (none for a case that does not exist).
    fn children(
        &self,
        organisation: &str,
        case_ref: &str,
    ) -> impl Future<Output = Result<Vec<Child>, StoreError>> + Send;

    /// The child records of several cases of one organisation (those of `case_refs` that
    /// exist), by case reference and number: one read for a batch of cases.
    fn children_of_cases(
        &self,
        organisation: &str,
        case_refs: &[String],
    ) -> impl Future<Output = Result<Vec<ChildRow>, StoreError>> + Send;

    /// Saves a child record entered by hand: created, or changed with its history entry (which
    /// fields, never the text of notes), and an audit line; whether anything changed. What the
    /// assessments made in dakwacht say stays as stored. [`StoreError::ChildDoesNotFit`] when
    /// the record does not fit its case; [`StoreError::NotFound`] without the case.
    fn save_child(
        &self,
        actor: &Actor,
        case: (&str, &str),
        child: &Child,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Every best-interest assessment of a case, by child and then in the order they were made.
    fn assessments(
        &self,
        organisation: &str,
        case_ref: &str,
    ) -> impl Future<Output = Result<Vec<StoredAssessment>, StoreError>> + Send;

    /// The history of a case's assessments (who created or saved which steps, when), oldest
    /// first.
    fn assessment_history(
        &self,
        organisation: &str,
        case_ref: &str,
    ) -> impl Future<Output = Result<Vec<AssessmentChange>, StoreError>> + Send;

    /// Starts an assessment of child `assessment.child_no` of a case (audited, in the history);
    /// its id. A child without a record gets one with its age. [`StoreError::NotFound`] for a
    /// case or child that does not exist.
    fn create_assessment(
        &self,
        actor: &Actor,
        organisation: &str,
        case_ref: &str,
        assessment: &dakwacht_core::Assessment,
    ) -> impl Future<Output = Result<i64, StoreError>> + Send;

    /// Saves an assessment (its decision and steps; never its child) when it is still at
    /// `expected_version`, else [`StoreError::StaleVersion`]; the new version. Audited, in the
    /// history with the steps that changed; the child's record learns whether a complete
    /// assessment exists.
    fn save_assessment(
        &self,
        actor: &Actor,
        case: (&str, &str),
        id: i64,
        assessment: &dakwacht_core::Assessment,
        expected_version: i64,
    ) -> impl Future<Output = Result<i64, StoreError>> + Send;

    /// The history of a case's child records: each record's creation, then every change, oldest
    /// first.
    fn child_history(
        &self,
        organisation: &str,
        case_ref: &str,
    ) -> impl Future<Output = Result<Vec<ChildChange>, StoreError>> + Send;

    /// Sends the child records of the selected cases in batches, ordered by organisation, case
    /// reference and child number (as [`Store::export`] orders the cases).
    fn export_children(
        &self,
        filter: &CaseFilter,
        batches: mpsc::Sender<Vec<ChildRow>>,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// The counts behind the child measures of the selected cases.
    fn child_figures(
        &self,
        filter: &CaseFilter,
    ) -> impl Future<Output = Result<dakwacht_core::ChildFigures, StoreError>> + Send;

    /// The free `x_` columns of the child records of the selected cases, sorted.
    fn child_extra_columns(
        &self,
        filter: &CaseFilter,
    ) -> impl Future<Output = Result<Vec<String>, StoreError>> + Send;

    /// One case by its identity (read as [`Store::case_with_version`] reads it).
    fn case(
        &self,
        organisation: &str,
        case_ref: &str,
    ) -> impl Future<Output = Result<Option<Case>, StoreError>> + Send {
        async move {
            let read = self.case_with_version(organisation, case_ref).await?;
            Ok(read.map(|(case, _version)| case))
        }
    }

    /// The stored cases of one organisation among these references (those that exist, in no
    /// particular order), each with its last change by hand: to check a batch of a file against
    /// what is stored in one query.
    fn cases_by_ref(
        &self,
        organisation: &str,
        case_refs: &[String],
    ) -> impl Future<Output = Result<Vec<StoredForImport>, StoreError>> + Send;

    /// A case's change history, oldest first.
    fn history(
        &self,
        organisation: &str,
        case_ref: &str,
    ) -> impl Future<Output = Result<Vec<Change>, StoreError>> + Send;

    /// Records a letter made for a case, with its audit line; the letter's number.
    fn record_letter(
        &self,
        actor: &Actor,
        organisation: &str,
        case_ref: &str,
        letter: &NewLetter<'_>,
    ) -> impl Future<Output = Result<i64, StoreError>> + Send;

    /// The letters made for a case, oldest first.
    fn letters_made(
        &self,
        organisation: &str,
        case_ref: &str,
    ) -> impl Future<Output = Result<Vec<MadeLetter>, StoreError>> + Send;

    /// Erases one case and everything kept with it (a family's request under the AVG), in one
    /// transaction with its audit line. [`StoreError::NotFound`] when there is no such case.
    fn erase_case(
        &self,
        actor: &Actor,
        organisation: &str,
        case_ref: &str,
        why: &str,
    ) -> impl Future<Output = Result<ErasureSummary, StoreError>> + Send;

    /// Keeps a publication bundle's figures as published (audited with its number and the
    /// SHA-256 of the figures); its number and that hash.
    fn record_publication(
        &self,
        actor: &Actor,
        publication: &NewPublication<'_>,
    ) -> impl Future<Output = Result<(i64, String), StoreError>> + Send;

    /// Every publication kept, newest first.
    fn publications(
        &self,
    ) -> impl Future<Output = Result<Vec<PublicationRecord>, StoreError>> + Send;

    /// One publication kept, with its figures exactly as published.
    fn publication(
        &self,
        id: i64,
    ) -> impl Future<Output = Result<Option<(PublicationRecord, String)>, StoreError>> + Send;

    /// Adds an organisation; `false` when it existed already. A name of more than 120 characters
    /// (or none) is [`StoreError::InvalidName`].
    fn add_organisation(
        &self,
        actor: &Actor,
        name: &str,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Every organisation's name, sorted.
    fn organisations(&self) -> impl Future<Output = Result<Vec<String>, StoreError>> + Send;

    /// Adds a user account (audited). A taken user name is [`StoreError::AlreadyExists`], an
    /// unknown organisation [`StoreError::NotFound`].
    fn add_user(
        &self,
        actor: &Actor,
        user: &NewUser,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The accounts, of one organisation or all, sorted by user name.
    fn users(
        &self,
        organisation: Option<&str>,
    ) -> impl Future<Output = Result<Vec<User>, StoreError>> + Send;

    /// Disables an account (audited); `false` when it was disabled already.
    fn disable_user(
        &self,
        actor: &Actor,
        username: &str,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send {
        self.set_user_disabled(actor, username, true)
    }

    /// Enables a disabled account again (audited); `false` when it was not disabled. An account a
    /// coordinator rejected stays disabled ([`StoreError::NotFound`], as for an unknown name).
    fn enable_user(
        &self,
        actor: &Actor,
        username: &str,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send {
        self.set_user_disabled(actor, username, false)
    }

    /// What [`Store::disable_user`] (`disabled`) and [`Store::enable_user`] do.
    fn set_user_disabled(
        &self,
        actor: &Actor,
        username: &str,
        disabled: bool,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Sets a new password of an active account whose user proved the current one (the caller
    /// checked it), and ends every other session of the account, the one with token hash
    /// `keep_session` aside (audited as the user's). [`StoreError::NotFound`] for an account that
    /// is disabled or has no password.
    fn change_password(
        &self,
        username: &str,
        password_hash: &str,
        keep_session: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// A new activation link of an account, replacing any earlier one (audited), for one of two
    /// [`LinkFor`] purposes: an account without a password whose link no longer works, or a
    /// password reset of an active account (its password stops working and its sessions end at
    /// once; its user chooses a new one through the link). Under the rule of
    /// [`Store::invite_user`]: an administrator is refused where that rule would ask for
    /// approval ([`AdmissionRefusal::ForTheCoordinator`]), the account itself not counted as its
    /// organisation's coordinator. [`StoreError::NotFound`] when there is no such account in
    /// the request's reach, or it is disabled, awaiting approval, or has (for a first password)
    /// or lacks (for a reset) a password.
    fn new_link(
        &self,
        actor: &Actor,
        request: &LinkRequest<'_>,
        link: &NewActivationLink,
    ) -> impl Future<Output = Result<Admission, StoreError>> + Send;

    /// Adds an account without a password (audited), made in the browser: its user sets the
    /// password through the invitation's activation link. The rule of [`Admission`] decides, in
    /// the same transaction, whether the account may be activated at once (the link is stored),
    /// must wait for a coordinator's approval (no link is stored), or is refused (nothing is
    /// stored). A taken user name is [`StoreError::AlreadyExists`], an unknown organisation
    /// [`StoreError::NotFound`].
    fn invite_user(
        &self,
        actor: &Actor,
        invitation: &Invitation,
    ) -> impl Future<Output = Result<Admission, StoreError>> + Send;

    /// A coordinator of `organisation` decides about an account awaiting approval there
    /// (audited): approved with `Some(link)`, the coordinator's to pass on; rejected with `None`:
    /// disabled, its name staying taken. `false` when there is no such account awaiting approval.
    fn decide_user(
        &self,
        actor: &Actor,
        organisation: &str,
        username: &str,
        approved_with: Option<&NewActivationLink>,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// What the activation link with this token hash is now.
    fn activation_link(
        &self,
        token_hash: &str,
    ) -> impl Future<Output = Result<LinkState, StoreError>> + Send;

    /// Sets the first password of an account through its link (audited as done by the user), if
    /// the link is [`LinkState::Valid`]; the link and any other of the account are used up at
    /// once. Returns the link's state before: `Valid` means it worked.
    fn activate_user(
        &self,
        token_hash: &str,
        password_hash: &str,
    ) -> impl Future<Output = Result<LinkState, StoreError>> + Send;

    /// An account with its password hash, for signing in.
    fn user_for_login(
        &self,
        username: &str,
    ) -> impl Future<Output = Result<Option<(User, String)>, StoreError>> + Send;

    /// Appends to the audit log.
    fn audit(&self, entry: &AuditEntry) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Checks the audit log's hash chain from its first entry to its last (see
    /// [`audit_chain`]).
    fn verify_audit_chain(
        &self,
    ) -> impl Future<Output = Result<audit_chain::AuditVerification, StoreError>> + Send;

    /// Reads the audit log, newest first.
    fn audit_log(
        &self,
        filter: &AuditFilter,
    ) -> impl Future<Output = Result<Vec<AuditRecord>, StoreError>> + Send;

    /// Starts a web session for an active user; `false` when the user is unknown or disabled.
    fn create_session(
        &self,
        username: &str,
        session: &NewSession,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// The active user and CSRF token of an unexpired, signed-in session of this kind that was
    /// used after `active_since` (RFC 3339, UTC: the inactivity timeout); a session of the other
    /// kind, or one still waiting for a second factor, is not found. Notes the request as the
    /// session's latest (to the minute).
    fn session(
        &self,
        token_hash: &str,
        kind: SessionKind,
        active_since: &str,
    ) -> impl Future<Output = Result<Option<(User, String)>, StoreError>> + Send;

    /// The unexpired session with this token hash, in whatever stage of signing in.
    fn staged_session(
        &self,
        token_hash: &str,
    ) -> impl Future<Output = Result<Option<StagedSession>, StoreError>> + Send;

    /// Keeps (or forgets, with `None`) a TOTP seed being set up in a session; `false` when
    /// there is no such unexpired session.
    fn set_pending_secret(
        &self,
        token_hash: &str,
        secret: Option<&str>,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Replaces an unfinished session by `session` (a new token: the old one opens nothing
    /// afterwards); `false` when the unfinished session is gone.
    fn finish_sign_in(
        &self,
        unfinished_hash: &str,
        session: &NewSession,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// The TOTP seed of an active account that set one up.
    fn second_factor_seed(
        &self,
        username: &str,
    ) -> impl Future<Output = Result<Option<SecondFactorSeed>, StoreError>> + Send;

    /// Takes a code of TOTP time step `step` for the account, once: `false` when this step or
    /// a later one was taken already.
    fn accept_code_step(
        &self,
        username: &str,
        step: i64,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Sets up the account's second factor (a code of `step` was just given from `secret`),
    /// replaces its recovery codes by these SHA-256 hashes and ends its other sessions (audited
    /// as the user's). [`StoreError::NotFound`] for an account that is not active.
    fn enrol_second_factor(
        &self,
        username: &str,
        secret: &str,
        step: i64,
        recovery_hashes: &[String],
        keep_session: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Uses up a recovery code (by its SHA-256) of an active account: how many are left, or
    /// `None` when it is not one of its unused codes.
    fn spend_recovery_code(
        &self,
        username: &str,
        code_hash: &str,
    ) -> impl Future<Output = Result<Option<i64>, StoreError>> + Send;

    /// Ends every session of an account, of any organisation (`None`) or of this one
    /// (another's is [`StoreError::NotFound`]); how many there were. Audited.
    fn end_sessions_of(
        &self,
        actor: &Actor,
        username: &str,
        organisation: Option<&str>,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// Takes away an account's second factor, its recovery codes and its sessions (in reach as
    /// for [`Store::end_sessions_of`]); `false` when it had none. Audited.
    fn remove_second_factor(
        &self,
        actor: &Actor,
        username: &str,
        organisation: Option<&str>,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Whether an organisation asks a second factor of its professionals.
    fn second_factor_policy(
        &self,
        organisation: &str,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Sets whether an organisation asks a second factor of its professionals; `false` when it
    /// was so already. Audited when changed.
    fn set_second_factor_policy(
        &self,
        actor: &Actor,
        organisation: &str,
        required: bool,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Ends a session (logout); removes expired sessions too.
    fn end_session(&self, token_hash: &str) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The sessions of an account that have not expired, the last used first.
    fn sessions_of(
        &self,
        username: &str,
    ) -> impl Future<Output = Result<Vec<SessionRecord>, StoreError>> + Send;

    /// Ends the sessions of an account named by [`SessionRecord::id`] (the own sessions a user
    /// chose to end), never `keep` (the token hash of the session asking); how many ended.
    /// Audited when any did.
    fn end_sessions_named(
        &self,
        actor: &Actor,
        username: &str,
        ids: &[String],
        keep: &str,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// Ends the sessions of every account, of any organisation (`None`) or of the accounts of
    /// this one, but not `keep` (the token hash of the session asking): everybody signs in
    /// again (ASVS 5.0, 7.4.5). How many ended; audited.
    fn end_all_sessions(
        &self,
        actor: &Actor,
        organisation: Option<&str>,
        keep: &str,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// One page of the selected cases for the case list, ordered by organisation and case
    /// reference, starting after `after` = (organisation, case_ref): keyset paging, as fast on
    /// the last page as on the first.
    fn case_page(
        &self,
        filter: &CaseFilter,
        after: Option<(&str, &str)>,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<CaseSummary>, StoreError>> + Send;

    /// As [`Store::case_page`], of the selected cases that raise `signal` as kept: a case
    /// without signals kept under those rules is not in it ([`Store::keep_signals`] first).
    fn case_page_raising(
        &self,
        filter: &CaseFilter,
        after: Option<(&str, &str)>,
        limit: u32,
        signal: KeptSignal,
    ) -> impl Future<Output = Result<Vec<CaseSummary>, StoreError>> + Send;

    /// Saves a case entered by hand (audited, with its change history). `expected_version`
    /// `None` creates it ([`StoreError::AlreadyExists`] if the reference is taken); `Some(v)`
    /// updates it only if it is still at version `v`: a second editor's stale save is refused with
    /// [`StoreError::StaleVersion`] saying who changed it and when, and nothing is overwritten;
    /// [`StoreError::NotFound`] if there is no such case. Returns the version after saving.
    fn save_case(
        &self,
        actor: &Actor,
        case: &Case,
        expected_version: Option<i64>,
    ) -> impl Future<Output = Result<i64, StoreError>> + Send {
        self.save_with_stay(actor, case, expected_version, None)
    }

    /// Records where a family stayed (a professional's news) together with the case as it is
    /// after it (`Case::after_stay` of the stored case), in one transaction: refused with
    /// [`StoreError::StaleVersion`] when the case is no longer at `expected_version`, so a
    /// change made in between is never undone. Audited, with the fields it changed in the
    /// history. Returns the version after saving.
    fn record_stay(
        &self,
        actor: &Actor,
        case: &Case,
        expected_version: i64,
        stay: &Observation,
    ) -> impl Future<Output = Result<i64, StoreError>> + Send {
        self.save_with_stay(
            actor,
            case,
            Some(expected_version),
            Some(StayNews::Record(*stay)),
        )
    }

    /// Takes back a recorded stay (`stay_id`, see [`Store::recorded_stays`]) together with the
    /// case as it is without it (`Case::without_stay` of the stored case), in one transaction:
    /// the stay is marked removed, not deleted, so the history keeps it. Refused with
    /// [`StoreError::StaleVersion`] when the case is no longer at `expected_version`;
    /// [`StoreError::NotFound`] when the case has no such stay, or it was removed already.
    /// Audited. Returns the version after saving.
    fn remove_stay(
        &self,
        actor: &Actor,
        case: &Case,
        expected_version: i64,
        stay_id: i64,
    ) -> impl Future<Output = Result<i64, StoreError>> + Send {
        self.save_with_stay(
            actor,
            case,
            Some(expected_version),
            Some(StayNews::Remove(stay_id)),
        )
    }

    /// What [`Store::save_case`], [`Store::record_stay`] and [`Store::remove_stay`] do, the
    /// news of a stay written in the same transaction when there is some: the one save each
    /// store writes its own way.
    fn save_with_stay(
        &self,
        actor: &Actor,
        case: &Case,
        expected_version: Option<i64>,
        news: Option<StayNews>,
    ) -> impl Future<Output = Result<i64, StoreError>> + Send;

    /// One case and the version it is at (see [`Store::save_case`]), read in one statement: the
    /// version is always that of the content returned, so a save in between cannot make an
    /// editor's next save overwrite what it never showed.
    fn case_with_version(
        &self,
        organisation: &str,
        case_ref: &str,
    ) -> impl Future<Output = Result<Option<(Case, i64)>, StoreError>> + Send;

    /// The follow-up list of an organisation (see [`FollowUp`]), longest silence first.
    fn follow_up(
        &self,
        organisation: &str,
        asked: &FollowUp,
    ) -> impl Future<Output = Result<Vec<CaseSummary>, StoreError>> + Send;

    /// Who follows a case and the date of its coming eviction, `YYYY-MM-DD`: (assigned_to,
    /// eviction_on), both `None` for a case that does not exist.
    fn follow_up_of(
        &self,
        organisation: &str,
        case_ref: &str,
    ) -> impl Future<Output = Result<(Option<String>, Option<String>), StoreError>> + Send;

    /// Changes how a case is followed up: who follows the family, or a coming eviction
    /// (audited). Assigning to someone who is not an active professional or coordinator of the
    /// case's organisation, or a case that does not exist, is [`StoreError::NotFound`].
    fn change_follow_up(
        &self,
        actor: &Actor,
        organisation: &str,
        case_ref: &str,
        change: &FollowUpChange,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Every stay recorded for a case (beyond the interchange columns), oldest first, removed
    /// ones included, each with what recording it changed in the case.
    fn recorded_stays(
        &self,
        organisation: &str,
        case_ref: &str,
    ) -> impl Future<Output = Result<Vec<RecordedStay>, StoreError>> + Send;

    /// The stays of a case that are part of its timeline (not removed), oldest first.
    fn observations(
        &self,
        organisation: &str,
        case_ref: &str,
    ) -> impl Future<Output = Result<Vec<Observation>, StoreError>> + Send {
        async move {
            let stays = self.recorded_stays(organisation, case_ref).await?;
            Ok(stays
                .into_iter()
                .filter(|stay| !stay.is_removed())
                .map(|stay| stay.observation)
                .collect())
        }
    }

    /// Closes a case (audited, in its history): it leaves the follow-up list, its fields and
    /// figures stay as they are. `false` when it was closed already (the first closure stays);
    /// [`StoreError::NotFound`] when there is no such case.
    fn close_case(
        &self,
        actor: &Actor,
        organisation: &str,
        case_ref: &str,
        closure: &Closure,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send {
        self.set_closure(actor, organisation, case_ref, Some(closure))
    }

    /// Opens a closed case again (audited, in its history); `false` when it was open.
    fn reopen_case(
        &self,
        actor: &Actor,
        organisation: &str,
        case_ref: &str,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send {
        self.set_closure(actor, organisation, case_ref, None)
    }

    /// What [`Store::close_case`] (`to` a closure) and [`Store::reopen_case`] (`None`) do.
    fn set_closure(
        &self,
        actor: &Actor,
        organisation: &str,
        case_ref: &str,
        to: Option<&Closure>,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Whether a case is closed, when and why; [`StoreError::NotFound`] when there is no such
    /// case.
    fn closure(
        &self,
        organisation: &str,
        case_ref: &str,
    ) -> impl Future<Output = Result<Option<Closure>, StoreError>> + Send;

    /// Every case closed on or before `last_day`, of every organisation, closed longest ago
    /// first.
    fn closed_cases(
        &self,
        last_day: Date,
    ) -> impl Future<Output = Result<Vec<ClosedCase>, StoreError>> + Send;

    /// Deletes every case closed on or before `last_day` wholly, with its observations and
    /// history, in one transaction with one audit line of counts (`about` says the period).
    fn delete_closed(
        &self,
        actor: &Actor,
        last_day: Date,
        about: &str,
    ) -> impl Future<Output = Result<RetentionSummary, StoreError>> + Send;
}

/// Brings a database's schema up to date, refusing one that a newer dakwacht has migrated
/// further than this binary knows (running old code on a newer schema could lose data).
pub(crate) async fn migrate<'a, A>(
    migrator: &sqlx::migrate::Migrator,
    connection: A,
) -> Result<(), StoreError>
where
    A: sqlx::Acquire<'a>,
    <A::Connection as std::ops::Deref>::Target: sqlx::migrate::Migrate,
{
    match migrator.run(connection).await {
        Err(sqlx::migrate::MigrateError::VersionMissing(found)) => Err(StoreError::TooNew {
            found,
            known: migrator.iter().map(|m| m.version).max().unwrap_or(0),
        }),
        other => Ok(other?),
    }
}
