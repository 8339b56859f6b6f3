//! Accounts made in the browser: nobody sets or sees another person's password. The maker gets a
//! one-time activation link for the new user, who chooses the password. And an administrator
//! cannot give themselves a way into an organisation's cases: an account with case access that
//! an administrator makes waits for the approval of that organisation's coordinator, who then
//! gets the link (the administrator never holds it).

use dakwacht_core::access::Role;

/// How long an activation link works.
pub const ACTIVATION_HOURS: i64 = 24;

/// A link to store: the hash of the token in the link, never the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewActivationLink {
    pub token_hash: String,
    /// UTC, RFC 3339.
    pub expires_at: String,
}

/// An account to make without a password (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub username: String,
    pub role: Role,
    pub organisation: Option<String>,
    /// Made by an administrator, rather than by the organisation's own coordinator or the
    /// server's operator: decides whether the account needs a coordinator's approval.
    pub by_administrator: bool,
    /// Stored only when the account may be activated at once.
    pub link: NewActivationLink,
}

/// Why an existing account gets a new activation link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkFor {
    /// The account has no password yet and its earlier link no longer works (expired, lost).
    FirstPassword,
    /// The account's password is reset: it stops working and its sessions end.
    PasswordReset,
}

/// A request for a new activation link of an existing account (see [`crate::Store::new_link`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkRequest<'a> {
    pub username: &'a str,
    pub purpose: LinkFor,
    /// Limits the request to the accounts of one organisation (a coordinator's).
    pub organisation: Option<&'a str>,
    /// Asked by an administrator: under the rule of [`Admission`], refused where an account
    /// with case access has a coordinator to decide.
    pub by_administrator: bool,
}

/// What became of an [`Invitation`] (or a request for a new link).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// The account exists and its link works.
    LinkReady,
    /// The account exists, without a link: a coordinator of its organisation approves it (and
    /// then gets the link) or rejects it.
    AwaitingApproval,
    /// Nothing was stored.
    Refused(AdmissionRefusal),
}

/// Why an administrator may not make (or hand out a link for) an account with case access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdmissionRefusal {
    /// The organisation has cases and no active coordinator who could approve the account:
    /// the server's operator makes it (`dakwacht user add`).
    CasesWithoutCoordinator,
    /// The organisation has no coordinator yet and no cases: its first account is its
    /// coordinator, who then adds the professionals.
    CoordinatorFirst,
    /// The organisation has an active coordinator: only that coordinator hands out a link for
    /// an account with case access.
    ForTheCoordinator,
}

/// What an organisation has, for [`admission`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Standing {
    pub has_cases: bool,
    /// A coordinator who signed in with an own password at least once could: not disabled, not
    /// awaiting approval, activated.
    pub has_active_coordinator: bool,
}

/// Whether an account may be activated at once: the one rule of both stores. A new account of an
/// administrator's making that would need approval is stored as awaiting it; a new link for an
/// existing one is then refused ([`AdmissionRefusal::ForTheCoordinator`]).
pub(crate) fn admission(
    role: Role,
    by_administrator: bool,
    standing: Option<Standing>,
) -> Admission {
    let Some(standing) = standing else {
        // Administrators and researchers: no case content to reach.
        return Admission::LinkReady;
    };
    if !role.needs_organisation() || !by_administrator {
        return Admission::LinkReady;
    }
    if standing.has_active_coordinator {
        Admission::AwaitingApproval
    } else if standing.has_cases {
        Admission::Refused(AdmissionRefusal::CasesWithoutCoordinator)
    } else if role == Role::Coordinator {
        // Bootstrap: an empty organisation gets its first coordinator from an administrator.
        Admission::LinkReady
    } else {
        Admission::Refused(AdmissionRefusal::CoordinatorFirst)
    }
}

/// What an activation link is, when opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkState {
    /// It works, for this account (from [`crate::Store::activate_user`]: it worked, and is used
    /// now).
    Valid { username: String },
    /// Older than [`ACTIVATION_HOURS`].
    Expired,
    /// It was used already (or its account has a password already).
    Used,
    /// No such link, replaced by a newer one, or its account was disabled.
    Unknown,
}

impl LinkState {
    /// The state from what the store keeps of a link and its account, at `now`.
    pub(crate) fn of(
        row: Option<LinkRow>,
        now: jiff::Timestamp,
    ) -> Result<LinkState, crate::StoreError> {
        let Some(row) = row else {
            return Ok(LinkState::Unknown);
        };
        if row.disabled || row.approval == "pending" {
            return Ok(LinkState::Unknown);
        }
        if row.used || row.activated {
            return Ok(LinkState::Used);
        }
        let expires_at: jiff::Timestamp = row.expires_at.parse().map_err(|_| {
            crate::StoreError::Corrupt(format!(
                "unreadable activation link expiry '{}'",
                row.expires_at
            ))
        })?;
        Ok(if expires_at <= now {
            LinkState::Expired
        } else {
            LinkState::Valid {
                username: row.username,
            }
        })
    }
}

/// A link with its account, as read by both stores.
#[derive(sqlx::FromRow)]
pub(crate) struct LinkRow {
    pub user_id: i64,
    pub username: String,
    pub organisation: Option<String>,
    pub expires_at: String,
    pub used: bool,
    pub disabled: bool,
    pub approval: String,
    pub activated: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMPTY: Standing = Standing {
        has_cases: false,
        has_active_coordinator: false,
    };
    const CASES_ONLY: Standing = Standing {
        has_cases: true,
        has_active_coordinator: false,
    };
    const COORDINATED: Standing = Standing {
        has_cases: true,
        has_active_coordinator: true,
    };

    #[test]
    fn an_administrator_reaches_no_case_content_through_a_new_account() {
        use Admission::*;
        use AdmissionRefusal::*;
        let admin = true;
        assert_eq!(admission(Role::Researcher, admin, None), LinkReady);
        assert_eq!(admission(Role::Admin, admin, None), LinkReady);
        for role in [Role::Professional, Role::Coordinator] {
            assert_eq!(admission(role, admin, Some(COORDINATED)), AwaitingApproval);
            assert_eq!(
                admission(role, admin, Some(CASES_ONLY)),
                Refused(CasesWithoutCoordinator)
            );
            // The organisation's own coordinator (or the operator) needs nobody's approval.
            assert_eq!(admission(role, !admin, Some(COORDINATED)), LinkReady);
        }
        assert_eq!(admission(Role::Coordinator, admin, Some(EMPTY)), LinkReady);
        assert_eq!(
            admission(Role::Professional, admin, Some(EMPTY)),
            Refused(CoordinatorFirst)
        );
    }
}
