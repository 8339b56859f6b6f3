//! Accounts and the audit log: the types every store speaks.

use dakwacht_core::access::Role;

/// A user account as shown to administrators. The password hash stays in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub username: String,
    pub role: Role,
    pub organisation: Option<String>,
    pub created_at: String,
    pub disabled: bool,
    /// Made by an administrator; waits for a coordinator of its organisation (see
    /// [`crate::Admission::AwaitingApproval`]).
    pub awaiting_approval: bool,
    /// Has a password: set at creation (command line, setup), or by its user through an
    /// activation link. A password reset takes it away until the new link is used.
    pub activated: bool,
    /// A coordinator rejected it (it is disabled, and stays so: see [`crate::Store::enable_user`]).
    pub rejected: bool,
    /// Has enrolled a second factor (an authenticator app).
    pub second_factor: bool,
    /// Its organisation asks a second factor of its professionals too.
    pub organisation_asks_second_factor: bool,
}

impl User {
    /// Whether this account must sign in with a second factor (ASVS 5.0, 6.3.3): administrators
    /// and coordinators always (they manage accounts and see every case of an organisation), a
    /// professional when the organisation asks it, anyone who enrolled one.
    pub fn needs_second_factor(&self) -> bool {
        self.second_factor
            || match self.role {
                Role::Admin | Role::Coordinator => true,
                Role::Professional => self.organisation_asks_second_factor,
                Role::Researcher => false,
            }
    }
}

/// A new account. The caller hashes the password; the store never sees it in clear.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub username: String,
    pub role: Role,
    pub organisation: Option<String>,
    pub password_hash: String,
}

macro_rules! audit_actions {
    ($( $variant:ident = $code:literal, $about:literal; )+) => {
        /// What an audit entry records.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum AuditAction { $( #[doc = $about] $variant ),+ }

        impl AuditAction {
            pub const ALL: &'static [AuditAction] = &[$(AuditAction::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $(AuditAction::$variant => $code),+ }
            }

            pub fn parse(code: &str) -> Option<AuditAction> {
                match code { $($code => Some(AuditAction::$variant),)+ _ => None }
            }
        }
    };
}

audit_actions! {
    ViewCase = "view_case", "a case, its history or its signals was shown";
    ListCases = "list_cases", "a page of the case list was shown";
    CreateCase = "create_case", "a case was created by hand";
    UpdateCase = "update_case", "a case was changed by hand";
    Import = "import", "a file of cases was imported";
    Export = "export", "cases were exported";
    Statistics = "statistics", "a report or signal count over cases was made";
    AddOrganisation = "add_organisation", "an organisation was added";
    AddUser = "add_user", "an account was added";
    DisableUser = "disable_user", "an account was disabled";
    EnableUser = "enable_user", "a disabled account was enabled again";
    ChangePassword = "change_password", "a user changed the own password (the other sessions ended)";
    ChangePasswordFailed = "change_password_failed", "a password change was refused: the current password was wrong";
    ResetPassword = "reset_password", "a password was reset: it stopped working, and an activation link was made";
    ApproveUser = "approve_user", "a coordinator approved an account an administrator made";
    RejectUser = "reject_user", "a coordinator rejected (and so disabled) an account an administrator made";
    ActivationLink = "activation_link", "a new activation link was made for an account";
    ActivateUser = "activate_user", "a user set the first password through an activation link";
    Backup = "backup", "a copy of the whole database was written";
    Restore = "restore", "the whole database was replaced by a backup";
    SignIn = "sign_in", "a user signed in to the pages";
    SignInFailed = "sign_in_failed", "a sign-in was refused: wrong name or password, or a disabled account";
    SignInThrottled = "sign_in_throttled", "sign-ins for a name or from an address were slowed down after failures";
    SignOut = "sign_out", "a user signed out of the pages";
    AccessRefused = "access_refused", "a signed-in user asked for a case or page that is not theirs";
    CreateToken = "create_token", "an API client signed in and got a token";
    RevokeToken = "revoke_token", "an API token was revoked";
    CloseCase = "close_case", "a case was closed (with a reason): it left the follow-up list";
    ReopenCase = "reopen_case", "a closed case was opened again";
    Retention = "retention", "the closed cases past the retention period were listed (dry run) or deleted: counts only";
    SaveChild = "save_child", "a child record was entered or changed by hand";
    ViewAssessment = "view_assessment", "a child's best-interest assessment was shown";
    CreateAssessment = "create_assessment", "a best-interest assessment of a child was started";
    SaveAssessment = "save_assessment", "a step of a best-interest assessment was saved";
    MakeLetter = "make_letter", "a letter was made for a case (which letter and format; its text stays with the case)";
    SignInPassword = "sign_in_password", "the password of a sign-in was right; the second factor was asked next";
    SignInSecondFactorFailed = "sign_in_second_factor_failed", "a sign-in was refused at the second factor: a wrong, used or late code";
    EnrolSecondFactor = "enrol_second_factor", "a user set up a second factor (an authenticator app) and got new recovery codes";
    ResetSecondFactor = "reset_second_factor", "an account's second factor was taken away (a lost phone): its user sets up a new one";
    EndSessions = "end_sessions", "every session of an account was ended by an administrator or coordinator";
    SubjectExport = "subject_export", "everything kept about a case was exported for a family's request of access (AVG art. 15): counts only";
    EraseCase = "erase_case", "a case and everything kept with it was erased for a family's request (AVG art. 17): the reason given and counts";
    Publish = "publish", "a publication bundle's figures were kept as published (its number and SHA-256)";
    SecondFactorPolicy = "second_factor_policy", "whether an organisation's professionals need a second factor was changed";
}

/// One thing to record. `detail` must not hold personal data: counts, a file name, a filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub actor: String,
    pub action: AuditAction,
    pub organisation: Option<String>,
    pub case_ref: Option<String>,
    pub detail: Option<String>,
}

impl AuditEntry {
    pub fn new(actor: &crate::Actor, action: AuditAction) -> Self {
        AuditEntry {
            actor: actor.as_str().to_string(),
            action,
            organisation: None,
            case_ref: None,
            detail: None,
        }
    }

    pub fn case(mut self, organisation: &str, case_ref: &str) -> Self {
        self.organisation = Some(organisation.to_string());
        self.case_ref = Some(case_ref.to_string());
        self
    }

    pub fn organisation(mut self, organisation: &str) -> Self {
        self.organisation = Some(organisation.to_string());
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// An entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub id: i64,
    /// UTC, RFC 3339.
    pub at: String,
    pub entry: AuditEntry,
}

/// Which audit entries to read. Empty fields match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<AuditAction>,
    pub organisation: Option<String>,
    pub case_ref: Option<String>,
    /// At most this many entries (newest first); `None` means 1000.
    pub limit: Option<u32>,
}

/// Who holds a session's token. The two kinds never stand in for each other: a browser's cookie
/// value is not an API token, and an API token does not open the pages (whose forms rely on the
/// cookie's SameSite rule and the session's CSRF token).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// A browser, through the `dakwacht_session` cookie.
    Web,
    /// An API client, through `Authorization: Bearer`.
    Api,
}

impl SessionKind {
    pub fn code(self) -> &'static str {
        match self {
            SessionKind::Web => "web",
            SessionKind::Api => "api",
        }
    }
}

/// A session to store: the hash of the browser's token, never the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    pub token_hash: String,
    pub csrf_token: String,
    /// UTC, RFC 3339.
    pub expires_at: String,
    pub kind: SessionKind,
    pub stage: SessionStage,
}

/// How far a session got in signing in. Only a [`SessionStage::SignedIn`] session opens
/// anything; the others lead to the one page that finishes signing in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStage {
    SignedIn,
    /// The password was right; the code of the authenticator app is still to come.
    SecondFactor,
    /// The password was right; the account needs a second factor and has none yet: setting one
    /// up is the only thing it can do.
    Enrolment,
}

impl SessionStage {
    pub fn code(self) -> &'static str {
        match self {
            SessionStage::SignedIn => "signed_in",
            SessionStage::SecondFactor => "second_factor",
            SessionStage::Enrolment => "enrolment",
        }
    }

    pub fn parse(code: &str) -> Option<SessionStage> {
        [
            SessionStage::SignedIn,
            SessionStage::SecondFactor,
            SessionStage::Enrolment,
        ]
        .into_iter()
        .find(|stage| stage.code() == code)
    }
}

/// One session of an account as its user sees it in the list of the own sessions (ASVS 5.0,
/// 7.5.2). Never the token or its whole hash: `id` is the first 16 characters of the hash, enough
/// to tell the account's sessions apart and to end one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub id: String,
    pub kind: SessionKind,
    pub stage: SessionStage,
    /// UTC, RFC 3339.
    pub created_at: String,
    /// UTC, RFC 3339; written down at most once a minute.
    pub last_seen_at: String,
    /// UTC, RFC 3339.
    pub expires_at: String,
}

/// How many characters of a session's token hash name it in [`SessionRecord::id`].
pub const SESSION_ID_CHARS: usize = 16;

/// A session with how far it got in signing in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagedSession {
    pub user: User,
    pub stage: SessionStage,
    pub kind: SessionKind,
    pub csrf_token: String,
    /// The TOTP seed being set up on the enrolment page, until a code from it is given.
    pub pending_secret: Option<String>,
}

/// The TOTP seed of an account, with the last time step a code was accepted for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecondFactorSeed {
    /// Base32, as the authenticator app was given it.
    pub secret: String,
    pub last_step: Option<i64>,
}

/// A line of the case list: enough to find the case, nothing sensitive (no notes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseSummary {
    pub organisation: String,
    pub case_ref: String,
    pub reported_on: String,
    pub municipality: Option<String>,
    pub children_count: u8,
    pub current_situation: Option<String>,
    pub last_seen_on: Option<String>,
    pub rehoused_on: Option<String>,
    /// The user name of the professional who follows the family, if anyone does.
    pub assigned_to: Option<String>,
    /// A coming eviction's date, `YYYY-MM-DD`.
    pub eviction_on: Option<String>,
}

/// What the follow-up list asks: families not rehoused that are out of view, without news since
/// `contact_before`, or with an eviction from `today` up to `eviction_before`; only those
/// assigned to `assigned_to` when it is given. Dates are `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub contact_before: String,
    pub today: String,
    pub eviction_before: String,
    pub assigned_to: Option<String>,
    /// Only families with a child separated from its parents or missing school (by the
    /// children's records).
    pub children_at_risk: bool,
    pub limit: u32,
}

/// A change to how a case is followed up: who follows the family, and a coming eviction. Neither
/// is part of the interchange format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FollowUpChange {
    /// To an active professional or coordinator of the case's organisation, by user name;
    /// `None`: to nobody.
    AssignTo(Option<String>),
    /// The date of a coming eviction, `YYYY-MM-DD`; `None`: none is coming.
    EvictionOn(Option<String>),
}

impl FollowUpChange {
    /// The case column it sets, and to what.
    pub(crate) fn column(&self) -> (&'static str, Option<&str>) {
        match self {
            FollowUpChange::AssignTo(name) => ("assigned_to", name.as_deref()),
            FollowUpChange::EvictionOn(date) => ("eviction_on", date.as_deref()),
        }
    }

    /// What the audit log says of it (a user name or a date, no personal data).
    pub(crate) fn detail(&self) -> String {
        match self {
            FollowUpChange::AssignTo(Some(name)) => format!("assigned to {name}"),
            FollowUpChange::AssignTo(None) => "assignment ended".to_string(),
            FollowUpChange::EvictionOn(Some(date)) => format!("eviction date {date}"),
            FollowUpChange::EvictionOn(None) => "eviction date removed".to_string(),
        }
    }
}

impl CaseSummary {
    /// The summary of a whole case, as a list shows it.
    pub fn of(case: &dakwacht_core::Case) -> Self {
        CaseSummary {
            organisation: case.organisation.as_str().to_string(),
            case_ref: case.case_ref.as_str().to_string(),
            reported_on: case.reported_on.to_string(),
            municipality: case.municipality.as_ref().map(|m| m.as_str().to_string()),
            children_count: case.children.count,
            current_situation: case.current_situation.map(|s| s.code().to_string()),
            last_seen_on: case.last_seen.as_ref().map(|s| s.on.to_string()),
            rehoused_on: case.rehoused_on.map(|d| d.to_string()),
            assigned_to: None,
            eviction_on: None,
        }
    }

    /// The last date anyone had news of the family: `reported_on`, when the situation was known
    /// then; for a family out of view, the day it was last seen (if known).
    pub fn last_contact(&self) -> &str {
        match (&self.current_situation, &self.last_seen_on) {
            (None, Some(seen)) => seen,
            _ => &self.reported_on,
        }
    }
}
