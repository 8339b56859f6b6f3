//! The use cases of dakwacht, each written once: the pages, the JSON API and the command line all
//! run them through an [`Acting`] handle, which belongs to one [`Principal`].
//!
//! Every use case asks [`Principal::may`] before it touches the store and writes its audit line
//! in the same place, so no way in can skip the check or forget the record. A refusal is written
//! to the audit log here too, with what was asked.
//!
//! The store is private to [`App`]: code above this crate (web, cli) cannot reach it except
//! through a use case. That is the boundary the compiler keeps.

mod accounts;
mod assessments;
mod breakdowns;
mod cases;
mod closing;
mod data_subject;
mod error;
pub mod letters;
mod public;
mod recent_figures;
pub mod second_factor;
mod statistics;
mod throttle;
mod transfer;

use std::sync::Arc;

use dakwacht_core::access::{Action, Decision, Role};
use dakwacht_store::{Actor, AuditEntry};

pub use accounts::{Disabling, ManagedUsers, PasswordChange, Reset};
pub use breakdowns::{BreakdownFigures, RowFigures};
pub use cases::{
    CaseList, CaseQuery, FOLLOW_UP_LIMIT, FollowUpAsked, ReadFor, SCAN_LIMIT, Stay, StayRemoval,
    WholeCase,
};
pub use closing::{RetentionRun, today};
pub use error::Error;
pub use public::{
    Attempt, IDLE_MINUTES, MAX_USERNAME_CHARS, SESSION_HOURS, SignIn, random_token, token_hash,
};
pub use recent_figures::FiguresPolicy;
pub use second_factor::{CodeCheck, Enrolled, Enrolment};
pub use statistics::{Figures, Publication, Wanted};
pub use throttle::{SignInThrottle, ThrottleLimits, ThrottledBy};
pub use transfer::{CaseUpdate, CheckedCase, ChildEffect, Effect, Newer, NewerCases, Written};

/// The store's vocabulary that the layers above need: types, never the store itself.
pub use dakwacht_core::access::Principal;
pub use dakwacht_store::{
    ACTIVATION_HOURS, AUDIT_NAMED_CASES, Admission, AdmissionRefusal, AssessmentChange,
    AuditAction, AuditFilter, AuditRecord, AuditVerification, BackupSummary, CaseSummary, Change,
    ChildChange, ChildCounts, ClosedCase, ErasureSummary, HandEdit, ImportMessage, ImportSummary,
    Invitation, LinkState, NewActivationLink, NewSession, NewUser, PgStore, PublicationRecord,
    REJECTED_KEPT, RejectedCase, RejectedChild, Rejections, RestoreSummary, RetentionSummary,
    SESSION_ID_CHARS, SessionKind, SessionRecord, SessionStage, SqliteStore, StagedSession, Store,
    StoreError, StoredAssessment, User, create_private,
};

/// The application: the store, reachable only through [`Acting`] (for a principal) and the few
/// public use cases before anyone is known (sign-in, activation, first-run setup).
pub struct App<S> {
    store: S,
    /// Failed sign-ins per name and per address, which slow further attempts down.
    throttle: SignInThrottle,
    /// A hash of a random password nobody knows: an unknown user name is checked against it, so
    /// that signing in takes as long for a name that does not exist and does not reveal that.
    /// Made when the server starts ([`App::prepare_sign_in`]), not by every command.
    unknown_user_hash: std::sync::OnceLock<String>,
    /// The dashboard's figures over large selections, counted at most about once a minute.
    recent: Arc<recent_figures::RecentFigures>,
}

impl<S: Store> App<S> {
    /// The application on a store.
    pub fn new(store: S) -> Result<Arc<Self>, Error> {
        Self::with_throttle(store, SignInThrottle::default())
    }

    /// The application with its own sign-in throttle (tests use short limits).
    pub fn with_throttle(store: S, throttle: SignInThrottle) -> Result<Arc<Self>, Error> {
        Self::with_parts(store, throttle, FiguresPolicy::default())
    }

    /// The application with its own policy for the dashboard's figures (tests keep every count,
    /// however quick).
    pub fn with_figures_policy(store: S, figures: FiguresPolicy) -> Result<Arc<Self>, Error> {
        Self::with_parts(store, SignInThrottle::default(), figures)
    }

    fn with_parts(
        store: S,
        throttle: SignInThrottle,
        figures: FiguresPolicy,
    ) -> Result<Arc<Self>, Error> {
        Ok(Arc::new(App {
            store,
            throttle,
            unknown_user_hash: std::sync::OnceLock::new(),
            recent: recent_figures::RecentFigures::new(figures),
        }))
    }

    /// Makes what signing in needs before the first attempt (Argon2 is deliberately slow, and
    /// the first sign-in must not take longer than the next).
    pub async fn prepare_sign_in(self: &Arc<Self>) -> Result<(), Error> {
        let app = self.clone();
        tokio::task::spawn_blocking(move || app.unknown_user_hash().map(drop))
            .await
            .map_err(|e| Error::Internal(e.to_string()))?
    }

    fn unknown_user_hash(&self) -> Result<String, Error> {
        if let Some(hash) = self.unknown_user_hash.get() {
            return Ok(hash.clone());
        }
        let nobody = public::random_token()?;
        let hash = dakwacht_core::password::hash_unchecked(&nobody)
            .map_err(|e| Error::Internal(e.to_string()))?;
        Ok(self.unknown_user_hash.get_or_init(|| hash).clone())
    }

    /// The sign-in throttle, to see how much it keeps.
    pub fn throttle(&self) -> &SignInThrottle {
        &self.throttle
    }

    /// A handle for `principal`; `asked` says what was asked (`GET /cases/…`, `cli: export`), for
    /// the audit line of a refusal.
    pub fn acting_as(
        self: &Arc<Self>,
        principal: Principal,
        asked: impl Into<String>,
    ) -> Acting<S> {
        Acting {
            app: self.clone(),
            principal,
            asked: asked.into(),
        }
    }

    /// A handle for the signed-in `user`.
    pub fn acting_as_user(self: &Arc<Self>, user: &User, asked: impl Into<String>) -> Acting<S> {
        self.acting_as(principal_of(user), asked)
    }
}

impl App<SqliteStore> {
    /// The application on a SQLite file (made when missing, migrated when old).
    pub async fn open_sqlite(path: &str) -> Result<Arc<Self>, Error> {
        Self::new(SqliteStore::open(path).await?)
    }

    /// A copy of the whole database into `file`: the operator's, at the command line.
    pub async fn backup(
        &self,
        principal: &Principal,
        file: &std::path::Path,
    ) -> Result<BackupSummary, Error> {
        let Principal::Operator { os_user } = principal else {
            return Err(Error::Refused {
                why: "only the operator makes backups",
                hidden: false,
            });
        };
        Ok(self.store.backup(&Actor::cli(os_user), file).await?)
    }
}

impl App<PgStore> {
    /// The application on a PostgreSQL database.
    pub async fn open_postgres(url: &str) -> Result<Arc<Self>, Error> {
        Self::new(PgStore::open(url).await?)
    }
}

/// Puts a backup back in place of the SQLite database at `database` (which may be damaged, so it
/// is not opened first): the operator's, at the command line.
pub async fn restore(
    os_user: &str,
    database: &str,
    file: &std::path::Path,
) -> Result<RestoreSummary, Error> {
    Ok(SqliteStore::restore(database, file, &Actor::cli(os_user)).await?)
}

/// The principal a signed-in account acts as.
pub fn principal_of(user: &User) -> Principal {
    Principal::User {
        username: user.username.clone(),
        role: user.role,
        organisation: user.organisation.clone(),
    }
}

/// What one principal can do: every use case of dakwacht that concerns data.
pub struct Acting<S> {
    app: Arc<App<S>>,
    principal: Principal,
    asked: String,
}

// Not derived: that would ask `S: Clone`, and the store is shared, not copied.
impl<S> Clone for Acting<S> {
    fn clone(&self) -> Self {
        Acting {
            app: self.app.clone(),
            principal: self.principal.clone(),
            asked: self.asked.clone(),
        }
    }
}

impl<S: Store> Acting<S> {
    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    /// The role of a signed-in user; `None` for the operator.
    pub fn role(&self) -> Option<Role> {
        match &self.principal {
            Principal::User { role, .. } => Some(*role),
            Principal::Operator { .. } => None,
        }
    }

    /// The organisation a signed-in user works for.
    pub fn organisation(&self) -> Option<&str> {
        match &self.principal {
            Principal::User { organisation, .. } => organisation.as_deref(),
            Principal::Operator { .. } => None,
        }
    }

    fn store(&self) -> &S {
        &self.app.store
    }

    fn actor(&self) -> Actor {
        match &self.principal {
            Principal::User { username, .. } => Actor::web(username),
            Principal::Operator { os_user } => Actor::cli(os_user),
        }
    }

    fn entry(&self, action: AuditAction) -> AuditEntry {
        AuditEntry::new(&self.actor(), action)
    }

    async fn record(&self, entry: &AuditEntry) -> Result<(), Error> {
        Ok(self.store().audit(entry).await?)
    }

    /// The one access check: allowed, or refused and recorded. Case data of another organisation
    /// is refused as `hidden`, so callers answer "not found" and do not reveal that it exists.
    async fn allow(&self, action: Action<'_>) -> Result<(), Error> {
        match self.principal.may(action) {
            Decision::Allowed => Ok(()),
            Decision::Denied(why) => {
                let organisation = match action {
                    Action::ReadCase { organisation }
                    | Action::WriteCase { organisation }
                    | Action::ReadAssessment { organisation }
                    | Action::WriteAssessment { organisation } => Some(organisation),
                    _ => None,
                };
                let hidden = organisation.is_some() && self.organisation().is_some();
                Err(self.refuse(why, organisation, hidden).await)
            }
        }
    }

    /// Records a refusal and gives the error to return.
    async fn refuse(&self, why: &'static str, organisation: Option<&str>, hidden: bool) -> Error {
        let mut entry = self
            .entry(AuditAction::AccessRefused)
            .detail(format!("{}: {why}", self.asked));
        entry.organisation = organisation.map(str::to_string);
        // The refusal stands whether or not it could be written down.
        if let Err(error) = self.record(&entry).await {
            tracing::error!(%error, "a refused access could not be recorded in the audit log");
        }
        Error::Refused { why, hidden }
    }

    /// The organisation of a coordinator or professional, whose cases the use case is about;
    /// refused (and recorded) for anyone else.
    async fn own_organisation(&self, why_not: &'static str) -> Result<String, Error> {
        match self.organisation() {
            Some(organisation) => Ok(organisation.to_string()),
            None => Err(self.refuse(why_not, None, false).await),
        }
    }

    /// The own organisation (see [`Acting::own_organisation`]), once this principal may do
    /// `action` with it.
    async fn own_organisation_for(
        &self,
        why_not: &'static str,
        action: impl for<'o> Fn(&'o str) -> Action<'o>,
    ) -> Result<String, Error> {
        let organisation = self.own_organisation(why_not).await?;
        self.allow(action(&organisation)).await?;
        Ok(organisation)
    }
}
