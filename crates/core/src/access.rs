//! Who may do what: the one place where roles and organisations decide access.
//!
//! Every way into dakwacht (web pages, JSON API, command line) runs its use cases through the
//! application layer (`dakwacht-app`), which asks [`Principal::may`] before it touches the store
//! and is the only code that can reach the store, so no path can skip the check. The rules, from
//! issue 4:
//!
//! | role | may |
//! |---|---|
//! | `admin` | manage organisations and users, read the audit log; never case content |
//! | `coordinator` | all cases of the own organisation; manage that organisation's users |
//! | `professional` | the cases of the own organisation |
//! | `researcher` | statistics over all organisations; no case details or notes |
//!
//! A user of organisation A never sees or changes a case of organisation B.

use std::fmt;

/// A role of a user account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Coordinator,
    Professional,
    Researcher,
}

impl Role {
    pub const ALL: &'static [Role] = &[
        Role::Admin,
        Role::Coordinator,
        Role::Professional,
        Role::Researcher,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::Professional => "professional",
            Role::Researcher => "researcher",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL
            .iter()
            .copied()
            .find(|role| role.code().eq_ignore_ascii_case(text.trim()))
    }

    /// The roles from the least to the most privileged: a researcher sees counts and no case,
    /// a professional the cases of one organisation, a coordinator also manages its accounts, an
    /// administrator manages every account. A form offers them in this order and the first one it
    /// may give is the default, so a slip of the mouse never makes an administrator.
    pub const LEAST_PRIVILEGED_FIRST: &'static [Role] = &[
        Role::Researcher,
        Role::Professional,
        Role::Coordinator,
        Role::Admin,
    ];

    /// Coordinators and professionals work for one organisation; admins and researchers do not
    /// belong to one (they must not be tied to one organisation's cases).
    pub fn needs_organisation(self) -> bool {
        matches!(self, Role::Coordinator | Role::Professional)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A user name as stored: trimmed, lower-case, 2 to 64 of `a-z 0-9 . - _ @` (an e-mail address
/// works). Names are compared exactly, so they are kept simple.
pub fn normalise_username(text: &str) -> Result<String, String> {
    let username = text.trim().to_lowercase();
    let valid = (2..=64).contains(&username.chars().count())
        && username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-@".contains(c));
    if valid {
        Ok(username)
    } else {
        Err(format!(
            "user name '{username}': use 2 to 64 lower-case letters, digits, '.', '-', '_' or '@'"
        ))
    }
}

/// Who is acting: a signed-in user, or the operator at the command line (who has the database
/// file and therefore everything; the command line records who it was, see the audit log).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    User {
        username: String,
        role: Role,
        /// The organisation's name, for coordinators and professionals.
        organisation: Option<String>,
    },
    /// The command line, run by this operating-system user.
    Operator { os_user: String },
}

/// What someone wants to do. Organisation names are the organisations the data belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action<'a> {
    /// See a case, its history and its signals.
    ReadCase { organisation: &'a str },
    /// Create or change a case, or add an observation.
    WriteCase { organisation: &'a str },
    /// See a child's best-interest assessments: a child's personal data, only for the case's
    /// own organisation (never a researcher, never an administrator), every read audited.
    ReadAssessment { organisation: &'a str },
    /// Start an assessment or save one of its steps.
    WriteAssessment { organisation: &'a str },
    /// Import a file of cases for an organisation.
    Import { organisation: &'a str },
    /// Download an organisation's cases.
    Export { organisation: &'a str },
    /// Download the cases of every organisation at once: the operator only (who holds the
    /// database anyway); no account may.
    ExportAll,
    /// List or delete the closed cases past the retention period, of every organisation: the
    /// operator only, who runs it on a schedule (`dakwacht retention`); no account may.
    Retention,
    /// Statistics (measures and signal counts) over one organisation.
    StatisticsOf { organisation: &'a str },
    /// Statistics over all organisations together.
    StatisticsOfAll,
    /// Make the publication bundle (figures under the disclosure policy, as files to hand on):
    /// coordinators for their own organisation, researchers, the operator.
    PublishFigures,
    /// Figures as counted, before disclosure control ("niet voor publicatie"): for an
    /// organisation's own work and the operator. A researcher gets the published figures only
    /// (publication spec §2), whichever page or route asks.
    UnprotectedStatistics,
    /// Add, list or disable the users of an organisation.
    ManageUsersOf { organisation: &'a str },
    /// Add administrators and researchers, manage organisations.
    ManageAll,
    /// Read the audit log, and the record of what was published.
    ReadAuditLog,
    /// Answer a family's request under the AVG for its case: everything kept about it as one
    /// file (art. 15), or its erasure (art. 17). The organisation is the controller: its
    /// coordinators and the operator; never a professional on their own, an administrator or a
    /// researcher.
    DataSubject { organisation: &'a str },
    /// Change the own account's password: every signed-in user, whatever the role.
    OwnAccount,
}

/// The answer, with a reason that can be shown or logged (no personal data in it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allowed,
    Denied(&'static str),
}

impl Decision {
    pub fn is_allowed(self) -> bool {
        self == Decision::Allowed
    }
}

impl Principal {
    /// A name for the audit log: `user:NAME` or `cli:OS_USER`.
    pub fn actor(&self) -> String {
        match self {
            Principal::User { username, .. } => format!("user:{username}"),
            Principal::Operator { os_user } => format!("cli:{os_user}"),
        }
    }

    pub fn may(&self, action: Action<'_>) -> Decision {
        use Decision::{Allowed, Denied};
        let (role, own) = match self {
            Principal::Operator { .. } => return Allowed,
            Principal::User {
                role, organisation, ..
            } => (*role, organisation.as_deref()),
        };
        let is_own = |organisation: &str| own == Some(organisation);
        match (role, action) {
            (_, Action::OwnAccount) => Allowed,
            (Role::Admin, Action::ManageAll | Action::ReadAuditLog) => Allowed,
            (Role::Admin, Action::ManageUsersOf { .. }) => Allowed,
            (Role::Admin, _) => Denied("administrators manage accounts, not cases"),

            (Role::Researcher, Action::StatisticsOf { .. } | Action::StatisticsOfAll) => Allowed,
            (Role::Researcher, Action::PublishFigures) => Allowed,
            (Role::Researcher, Action::UnprotectedStatistics) => {
                Denied("researchers see the published figures only")
            }
            (Role::Researcher, _) => Denied("researchers see statistics only"),

            (_, Action::ExportAll) => Denied("only the operator exports every organisation"),
            (_, Action::Retention) => Denied("only the operator applies the retention period"),
            (Role::Coordinator | Role::Professional, Action::UnprotectedStatistics) => Allowed,
            (Role::Coordinator, Action::PublishFigures) => Allowed,
            (Role::Professional, Action::PublishFigures) => {
                Denied("publishing figures is for coordinators and researchers")
            }
            (Role::Coordinator | Role::Professional, Action::StatisticsOfAll) => {
                Denied("statistics over all organisations are for researchers")
            }
            (Role::Coordinator | Role::Professional, Action::ManageAll | Action::ReadAuditLog) => {
                Denied("only administrators may do this")
            }
            (Role::Professional, Action::ManageUsersOf { .. }) => {
                Denied("only coordinators and administrators manage users")
            }
            (Role::Professional, Action::DataSubject { .. }) => {
                Denied("a family's request under the AVG is answered by a coordinator")
            }
            (
                Role::Coordinator | Role::Professional,
                Action::ReadCase { organisation }
                | Action::WriteCase { organisation }
                | Action::ReadAssessment { organisation }
                | Action::WriteAssessment { organisation }
                | Action::Import { organisation }
                | Action::Export { organisation }
                | Action::StatisticsOf { organisation }
                | Action::ManageUsersOf { organisation }
                | Action::DataSubject { organisation },
            ) => {
                if is_own(organisation) {
                    Allowed
                } else {
                    Denied("this belongs to another organisation")
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, organisation: Option<&str>) -> Principal {
        Principal::User {
            username: "u".into(),
            role,
            organisation: organisation.map(str::to_string),
        }
    }

    /// Every role against every action, for the own and for another organisation.
    #[test]
    fn the_access_table() {
        let a = "Organisatie A";
        let b = "Organisatie B";
        let actions = |org: &'static str| {
            [
                Action::ReadCase { organisation: org },
                Action::WriteCase { organisation: org },
                Action::Import { organisation: org },
                Action::Export { organisation: org },
                Action::StatisticsOf { organisation: org },
                Action::ManageUsersOf { organisation: org },
            ]
        };
        let allowed = |p: &Principal, action| p.may(action).is_allowed();

        let coordinator = user(Role::Coordinator, Some(a));
        let professional = user(Role::Professional, Some(a));
        for action in actions(a) {
            assert!(allowed(&coordinator, action), "{action:?}");
        }
        for action in actions(b) {
            assert!(!allowed(&coordinator, action), "{action:?}");
            assert!(!allowed(&professional, action), "{action:?}");
        }
        for action in &actions(a)[..5] {
            assert!(allowed(&professional, *action), "{action:?}");
        }
        assert!(!allowed(
            &professional,
            Action::ManageUsersOf { organisation: a }
        ));

        let admin = user(Role::Admin, None);
        let researcher = user(Role::Researcher, None);
        for action in actions(a).into_iter().take(4) {
            assert!(
                !allowed(&admin, action),
                "admin, no case content: {action:?}"
            );
            assert!(
                !allowed(&researcher, action),
                "researcher, no case details: {action:?}"
            );
        }
        assert!(allowed(&admin, Action::ManageAll));
        assert!(allowed(&admin, Action::ReadAuditLog));
        assert!(!allowed(&admin, Action::StatisticsOfAll));
        assert!(allowed(&researcher, Action::StatisticsOfAll));
        assert!(!allowed(&researcher, Action::UnprotectedStatistics));
        assert!(!allowed(&admin, Action::UnprotectedStatistics));
        assert!(allowed(&researcher, Action::PublishFigures));
        assert!(allowed(&coordinator, Action::PublishFigures));
        assert!(!allowed(&professional, Action::PublishFigures));
        assert!(!allowed(&admin, Action::PublishFigures));
        for p in [&coordinator, &professional] {
            assert!(allowed(p, Action::UnprotectedStatistics));
        }
        assert!(allowed(
            &researcher,
            Action::StatisticsOf { organisation: b }
        ));
        for p in [&coordinator, &professional] {
            assert!(!allowed(p, Action::StatisticsOfAll));
            assert!(!allowed(p, Action::ManageAll));
            assert!(!allowed(p, Action::ReadAuditLog));
        }

        let operator = Principal::Operator {
            os_user: "beheer".into(),
        };
        assert!(allowed(&operator, Action::ReadCase { organisation: b }));

        // A child's assessments: the own organisation's coordinators and professionals only.
        for organisation in [a, b] {
            for action in [
                Action::ReadAssessment { organisation },
                Action::WriteAssessment { organisation },
            ] {
                let own = organisation == a;
                assert_eq!(allowed(&coordinator, action), own, "{action:?}");
                assert_eq!(allowed(&professional, action), own, "{action:?}");
                assert!(!allowed(&admin, action), "{action:?}");
                assert!(!allowed(&researcher, action), "{action:?}");
            }
        }
        assert!(allowed(&operator, Action::ExportAll));
        assert!(allowed(&operator, Action::Retention));
        for p in [&admin, &researcher, &coordinator, &professional] {
            assert!(!allowed(p, Action::ExportAll), "{p:?}");
            assert!(!allowed(p, Action::Retention), "{p:?}");
        }
        for p in [&admin, &researcher, &coordinator, &professional, &operator] {
            assert!(allowed(p, Action::OwnAccount), "{p:?}");
        }
        assert_eq!(operator.actor(), "cli:beheer");
        assert_eq!(coordinator.actor(), "user:u");
    }

    #[test]
    fn a_user_without_an_organisation_sees_no_organisation() {
        let broken = user(Role::Professional, None);
        assert!(
            !broken
                .may(Action::ReadCase { organisation: "" })
                .is_allowed()
        );
    }

    #[test]
    fn the_privilege_order_has_every_role_once_and_admin_last() {
        let mut sorted = Role::LEAST_PRIVILEGED_FIRST.to_vec();
        sorted.sort();
        assert_eq!(sorted, Role::ALL);
        assert_eq!(Role::LEAST_PRIVILEGED_FIRST.last(), Some(&Role::Admin));
    }

    #[test]
    fn roles_read_back() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(*role));
        }
        assert_eq!(Role::parse(" Admin "), Some(Role::Admin));
        assert_eq!(Role::parse("root"), None);
        assert!(Role::Coordinator.needs_organisation());
        assert!(!Role::Researcher.needs_organisation());
    }
}
