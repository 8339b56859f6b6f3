//! Organisations, accounts and the audit log.

use dakwacht_core::access::{Action, Role};
use dakwacht_core::password::{self, PasswordError};
use dakwacht_store::{
    Admission, AdmissionRefusal, AuditAction, AuditFilter, AuditRecord, AuditVerification,
    Invitation, LinkFor, LinkRequest, NewActivationLink, NewUser, Store, StoreError, User,
};

use crate::{Acting, Error};

/// The accounts a principal manages: all (`organisation` `None`, administrators and the
/// operator) or those of one organisation (its coordinators).
pub struct ManagedUsers {
    pub organisation: Option<String>,
    pub users: Vec<User>,
}

/// What disabling an account did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disabling {
    Disabled,
    /// It was disabled already.
    WasDisabled,
    /// Nobody disables their own account: they would lock themselves out.
    Yourself,
}

/// What changing the own password did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordChange {
    /// Changed; every other session of the account ended.
    Changed,
    /// The current password was wrong (audited, and counted as a failed sign-in for the name).
    WrongCurrent,
    /// Too many wrong passwords for this name lately: try again after this many seconds (the
    /// current password was not checked).
    Throttled { seconds: u64 },
    /// The new password is not acceptable (too short or too long).
    Refused(PasswordError),
}

/// What starting a password reset did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reset {
    /// The password stopped working; the link (whose token the caller holds) sets a new one.
    LinkReady,
    /// Refused under the rule of new accounts' links (see [`Admission`]); nothing changed.
    Refused(AdmissionRefusal),
    /// Nobody resets their own password this way: they change it (knowing the current one).
    Yourself,
}

impl<S: Store> Acting<S> {
    /// Whether `username` is the acting user.
    fn is_self(&self, username: &str) -> bool {
        matches!(&self.principal, crate::Principal::User { username: own, .. } if own == username)
    }

    /// The user's own name, or a refusal for the operator (who has no account here).
    async fn own_username(&self, why_not: &'static str) -> Result<String, Error> {
        self.allow(Action::OwnAccount).await?;
        match &self.principal {
            crate::Principal::User { username, .. } => Ok(username.clone()),
            crate::Principal::Operator { .. } => Err(self.refuse(why_not, None, false).await),
        }
    }

    /// The own sessions that have not expired, the last used first (ASVS 5.0, 7.5.2): where the
    /// account is signed in, and since when.
    pub async fn own_sessions(&self) -> Result<Vec<dakwacht_store::SessionRecord>, Error> {
        let username = self
            .own_username("the operator has no sessions here")
            .await?;
        Ok(self.store().sessions_of(&username).await?)
    }

    /// Ends own sessions chosen from [`Acting::own_sessions`] by their ids, never the one asking
    /// (`keep`, its token hash: that one ends by signing out). Audited; how many ended.
    pub async fn end_own_sessions(&self, ids: &[String], keep: &str) -> Result<u64, Error> {
        let username = self
            .own_username("the operator has no sessions here")
            .await?;
        Ok(self
            .store()
            .end_sessions_named(&self.actor(), &username, ids, keep)
            .await?)
    }

    /// Changes the own password, given the current one; every other session of the account ends
    /// (`keep_session` is the hash of the token of the session asking). Audited, also when the
    /// current password is wrong.
    pub async fn change_own_password(
        &self,
        current: &str,
        new_password: &str,
        keep_session: &str,
    ) -> Result<PasswordChange, Error> {
        self.allow(Action::OwnAccount).await?;
        let crate::Principal::User { username, .. } = &self.principal else {
            return Err(self
                .refuse("the operator has no password here", None, false)
                .await);
        };
        // A wrong current password is a password guess, like a failed sign-in: the same counter.
        if let Some(throttled) = self.app.throttle.check(username, None) {
            return Ok(PasswordChange::Throttled {
                seconds: throttled.seconds,
            });
        }
        let stored = self
            .store()
            .user_for_login(username)
            .await?
            .map(|(_, hash)| hash)
            .ok_or(Error::NotFound)?;
        let (current, chosen, account) = (
            current.to_string(),
            new_password.to_string(),
            username.clone(),
        );
        // Argon2 is deliberately slow: off the async threads.
        let (matches, hashed) = tokio::task::spawn_blocking(move || {
            let matches = password::verify(&current, &stored);
            (matches, matches.then(|| password::hash(&chosen, &account)))
        })
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
        if !matches {
            self.app.throttle.failed(username, None);
            self.record(&self.entry(AuditAction::ChangePasswordFailed))
                .await?;
            return Ok(PasswordChange::WrongCurrent);
        }
        let hash = match hashed {
            Some(Ok(hash)) => hash,
            Some(Err(PasswordError::Hashing(error))) => return Err(Error::Internal(error)),
            Some(Err(refused)) => return Ok(PasswordChange::Refused(refused)),
            None => return Ok(PasswordChange::WrongCurrent),
        };
        self.app.throttle.succeeded(username);
        match self
            .store()
            .change_password(username, &hash, keep_session)
            .await
        {
            Err(StoreError::NotFound(_)) => Err(Error::NotFound),
            other => Ok(other.map(|()| PasswordChange::Changed)?),
        }
    }

    /// Starts a password reset of an account this principal manages: its password stops working
    /// and its sessions end at once, and `link` lets its user choose a new one (the store
    /// audits it). Another organisation's account, or one without a password to reset, is "not
    /// found".
    pub async fn reset_password(
        &self,
        username: &str,
        link: &NewActivationLink,
    ) -> Result<Reset, Error> {
        // Whether this principal manages accounts at all comes before whose account it is.
        self.managed_organisation().await?;
        if self.is_self(username) {
            return Ok(Reset::Yourself);
        }
        match self
            .new_link(username, LinkFor::PasswordReset, link)
            .await?
        {
            Admission::LinkReady => Ok(Reset::LinkReady),
            Admission::Refused(refusal) => Ok(Reset::Refused(refusal)),
            Admission::AwaitingApproval => Err(Error::NotFound),
        }
    }

    /// A new activation link of an account this principal manages (see [`Store::new_link`]);
    /// another organisation's account, or one not in the state the purpose needs, is "not
    /// found". An account awaiting approval never gets one this way.
    async fn new_link(
        &self,
        username: &str,
        purpose: LinkFor,
        link: &NewActivationLink,
    ) -> Result<Admission, Error> {
        let organisation = self.managed_organisation().await?;
        let request = LinkRequest {
            username,
            purpose,
            organisation: organisation.as_deref(),
            by_administrator: self.role() == Some(Role::Admin),
        };
        match self.store().new_link(&self.actor(), &request, link).await {
            Ok(Admission::AwaitingApproval) | Err(StoreError::NotFound(_)) => Err(Error::NotFound),
            other => Ok(other?),
        }
    }

    /// Enables a disabled account this principal manages again (the store audits it); `false`
    /// when it was not disabled. Another organisation's account, or one a coordinator rejected,
    /// is "not found".
    pub async fn enable_user(&self, username: &str) -> Result<bool, Error> {
        let organisation = self.managed_organisation().await?;
        let managed = self.store().users(organisation.as_deref()).await?;
        if !managed.iter().any(|u| u.username == username) {
            return Err(Error::NotFound);
        }
        match self.store().enable_user(&self.actor(), username).await {
            Err(StoreError::NotFound(_)) => Err(Error::NotFound),
            other => Ok(other?),
        }
    }

    /// Whose accounts this principal manages: `None` for all, else one organisation.
    pub async fn managed_organisation(&self) -> Result<Option<String>, Error> {
        match self.role() {
            None | Some(Role::Admin) => {
                self.allow(Action::ManageAll).await?;
                Ok(None)
            }
            Some(_) => Ok(Some(
                self.own_organisation_for("only administrators manage accounts", |organisation| {
                    Action::ManageUsersOf { organisation }
                })
                .await?,
            )),
        }
    }

    /// The roles this principal may give, the least privileged first (a form's default).
    pub fn grantable_roles(&self) -> Vec<Role> {
        match self.role() {
            None | Some(Role::Admin) => Role::LEAST_PRIVILEGED_FIRST.to_vec(),
            Some(_) => vec![Role::Professional, Role::Coordinator],
        }
    }

    /// The accounts this principal manages, sorted by name.
    pub async fn users(&self) -> Result<ManagedUsers, Error> {
        let organisation = self.managed_organisation().await?;
        let users = self.store().users(organisation.as_deref()).await?;
        Ok(ManagedUsers {
            organisation,
            users,
        })
    }

    /// The accounts of one organisation or all, for the operator's listing.
    pub async fn users_of(&self, organisation: Option<&str>) -> Result<Vec<User>, Error> {
        match organisation {
            Some(organisation) => self.allow(Action::ManageUsersOf { organisation }).await?,
            None => self.allow(Action::ManageAll).await?,
        }
        Ok(self.store().users(organisation).await?)
    }

    /// Whether this principal may give `role` in `organisation`.
    async fn allow_grant(&self, role: Role, organisation: Option<&str>) -> Result<(), Error> {
        if !self.grantable_roles().contains(&role) {
            return Err(self
                .refuse("only administrators give this role", None, false)
                .await);
        }
        match organisation {
            Some(organisation) => self.allow(Action::ManageUsersOf { organisation }).await,
            None => self.allow(Action::ManageAll).await,
        }
    }

    /// Adds an account with a password (the store audits it).
    pub async fn add_user(&self, user: &NewUser) -> Result<(), Error> {
        self.allow_grant(user.role, user.organisation.as_deref())
            .await?;
        Ok(self.store().add_user(&self.actor(), user).await?)
    }

    /// Adds an account without a password, to be activated through a link (audited). The
    /// invitation counts as an administrator's when this principal is one.
    pub async fn invite_user(&self, invitation: Invitation) -> Result<Admission, Error> {
        self.allow_grant(invitation.role, invitation.organisation.as_deref())
            .await?;
        let invitation = Invitation {
            by_administrator: self.role() == Some(Role::Admin),
            ..invitation
        };
        Ok(self.store().invite_user(&self.actor(), &invitation).await?)
    }

    /// A new activation link for an account this principal manages that has none that works.
    pub async fn renew_activation_link(
        &self,
        username: &str,
        link: &NewActivationLink,
    ) -> Result<Admission, Error> {
        self.new_link(username, LinkFor::FirstPassword, link).await
    }

    /// The organisation of a coordinator, who alone approves or rejects its new accounts.
    async fn deciding_coordinator(&self) -> Result<String, Error> {
        let organisation = match (self.role(), self.organisation()) {
            (Some(Role::Coordinator), Some(organisation)) => organisation.to_string(),
            _ => {
                return Err(self
                    .refuse(
                        "only a coordinator of the organisation approves its accounts",
                        None,
                        false,
                    )
                    .await);
            }
        };
        self.allow(Action::ManageUsersOf {
            organisation: &organisation,
        })
        .await?;
        Ok(organisation)
    }

    /// A coordinator approves an account an administrator made in the own organisation.
    pub async fn approve_user(
        &self,
        username: &str,
        link: &NewActivationLink,
    ) -> Result<(), Error> {
        let organisation = self.deciding_coordinator().await?;
        if self
            .store()
            .decide_user(&self.actor(), &organisation, username, Some(link))
            .await?
        {
            Ok(())
        } else {
            Err(Error::NotFound)
        }
    }

    /// A coordinator rejects an account an administrator made in the own organisation.
    pub async fn reject_user(&self, username: &str) -> Result<(), Error> {
        let organisation = self.deciding_coordinator().await?;
        if self
            .store()
            .decide_user(&self.actor(), &organisation, username, None)
            .await?
        {
            Ok(())
        } else {
            Err(Error::NotFound)
        }
    }

    /// Disables an account this principal manages; another organisation's is "not found".
    pub async fn disable_user(&self, username: &str) -> Result<Disabling, Error> {
        let organisation = self.managed_organisation().await?;
        if self.is_self(username) {
            return Ok(Disabling::Yourself);
        }
        let managed = self.store().users(organisation.as_deref()).await?;
        if !managed.iter().any(|u| u.username == username) {
            return Err(Error::NotFound);
        }
        Ok(
            if self.store().disable_user(&self.actor(), username).await? {
                Disabling::Disabled
            } else {
                Disabling::WasDisabled
            },
        )
    }

    /// Ends every session of an account this principal manages, wherever it is signed in
    /// (ASVS 5.0, 7.4.5; audited); how many there were. Another organisation's account is "not
    /// found". The own sessions end by signing out.
    pub async fn end_sessions_of(&self, username: &str) -> Result<u64, Error> {
        let organisation = self.managed_organisation().await?;
        match self
            .store()
            .end_sessions_of(&self.actor(), username, organisation.as_deref())
            .await
        {
            Err(StoreError::NotFound(_)) => Err(Error::NotFound),
            other => Ok(other?),
        }
    }

    /// Ends the sessions of every account this principal manages (an administrator: all; a
    /// coordinator: the own organisation's), but the one asking (`keep`, its token hash):
    /// everybody signs in again, after a suspected break-in say (ASVS 5.0, 7.4.5). Audited;
    /// how many ended.
    pub async fn end_all_sessions(&self, keep: &str) -> Result<u64, Error> {
        let organisation = self.managed_organisation().await?;
        Ok(self
            .store()
            .end_all_sessions(&self.actor(), organisation.as_deref(), keep)
            .await?)
    }

    /// Takes away the second factor of an account this principal manages, when its user lost
    /// the phone and the recovery codes (audited): its sessions end, and its user sets up a new
    /// app at the next sign-in. Whoever does this has made sure who is asking (ASVS 5.0, 6.4.4:
    /// in person or by a call back on a known number, see `docs/security.md`). `false` when it
    /// had none. Nobody does this to the own account: that would bypass the factor.
    pub async fn reset_second_factor(&self, username: &str) -> Result<Option<bool>, Error> {
        let organisation = self.managed_organisation().await?;
        if self.is_self(username) {
            return Ok(None);
        }
        match self
            .store()
            .remove_second_factor(&self.actor(), username, organisation.as_deref())
            .await
        {
            Err(StoreError::NotFound(_)) => Err(Error::NotFound),
            other => Ok(Some(other?)),
        }
    }

    /// Whether an organisation asks a second factor of its professionals: for its coordinators
    /// and for administrators.
    pub async fn second_factor_policy(&self, organisation: &str) -> Result<bool, Error> {
        self.allow(Action::ManageUsersOf { organisation }).await?;
        match self.store().second_factor_policy(organisation).await {
            Err(StoreError::NotFound(_)) => Err(Error::NotFound),
            other => Ok(other?),
        }
    }

    /// Sets whether an organisation's professionals need a second factor (audited when it
    /// changed); `false` when it was so already. A professional signed in now keeps the session
    /// and is asked at the next sign-in.
    pub async fn set_second_factor_policy(
        &self,
        organisation: &str,
        required: bool,
    ) -> Result<bool, Error> {
        self.allow(Action::ManageUsersOf { organisation }).await?;
        match self
            .store()
            .set_second_factor_policy(&self.actor(), organisation, required)
            .await
        {
            Err(StoreError::NotFound(_)) => Err(Error::NotFound),
            other => Ok(other?),
        }
    }

    /// Every organisation's name, to manage them.
    pub async fn organisations(&self) -> Result<Vec<String>, Error> {
        self.allow(Action::ManageAll).await?;
        Ok(self.store().organisations().await?)
    }

    /// Every organisation's name, for a researcher choosing which to count.
    pub async fn organisations_to_count(&self) -> Result<Vec<String>, Error> {
        self.allow(Action::StatisticsOfAll).await?;
        Ok(self.store().organisations().await?)
    }

    /// Adds an organisation (audited); `false` when it existed already.
    pub async fn add_organisation(&self, name: &str) -> Result<bool, Error> {
        self.allow(Action::ManageAll).await?;
        Ok(self.store().add_organisation(&self.actor(), name).await?)
    }

    /// The audit log, newest first.
    pub async fn audit_log(&self, filter: &AuditFilter) -> Result<Vec<AuditRecord>, Error> {
        self.allow(Action::ReadAuditLog).await?;
        Ok(self.store().audit_log(filter).await?)
    }

    /// Checks the audit log's hash chain from its first entry to its last: whether an entry was
    /// changed or removed since it was written.
    pub async fn verify_audit_log(&self) -> Result<AuditVerification, Error> {
        self.allow(Action::ReadAuditLog).await?;
        Ok(self.store().verify_audit_chain().await?)
    }
}
