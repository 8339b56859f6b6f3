//! Organisations, accounts and the audit log.

use dakwacht_core::access::{Action, Role};
use dakwacht_store::{
    Admission, AuditFilter, AuditRecord, Invitation, NewActivationLink, NewUser, Store, User,
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

impl<S: Store> Acting<S> {
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

    /// The roles this principal may give.
    pub fn grantable_roles(&self) -> Vec<Role> {
        match self.role() {
            None | Some(Role::Admin) => Role::ALL.to_vec(),
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
        let organisation = self.managed_organisation().await?;
        match self
            .store()
            .renew_activation_link(
                &self.actor(),
                username,
                organisation.as_deref(),
                self.role() == Some(Role::Admin),
                link,
            )
            .await
        {
            Ok(Admission::AwaitingApproval) | Err(dakwacht_store::StoreError::NotFound(_)) => {
                Err(Error::NotFound)
            }
            other => Ok(other?),
        }
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
            .approve_user(&self.actor(), &organisation, username, link)
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
            .reject_user(&self.actor(), &organisation, username)
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
        if let crate::Principal::User { username: own, .. } = &self.principal
            && own == username
        {
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
}
