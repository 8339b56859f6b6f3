//! Activation links and a coordinator's approval, on SQLite and PostgreSQL (see `activation`
//! for the rule).

use dakwacht_core::access::Role;
use sqlx::{Pool, Row};

use super::now;
use crate::activation::{LinkRow, Standing, admission};
use crate::{
    Actor, Admission, AdmissionRefusal, AuditAction, AuditEntry, Invitation, LinkFor, LinkRequest,
    LinkState, NewActivationLink, StoreError, Subject,
};

shared_sql!(
    impl<D> Sql<D> {
        /// The organisation's id and what it has, read in the caller's transaction. On PostgreSQL
        /// the organisation's row stays locked until it ends, so two admissions into one organisation
        /// take turns (SQLite's `BEGIN IMMEDIATE` does that for the whole database).
        /// `except_user` is left out of the coordinators (the account whose password is reset: it
        /// cannot approve itself).
        async fn standing(
            conn: &mut D::Connection,
            organisation: &str,
            except_user: Option<i64>,
        ) -> Result<(i64, Standing), StoreError> {
            let row = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT o.id,
                        EXISTS (SELECT 1 FROM cases c WHERE c.organisation_id = o.id),
                        EXISTS (SELECT 1 FROM users u WHERE u.organisation_id = o.id
                                AND u.role = 'coordinator' AND u.disabled_at IS NULL
                                AND u.approval <> 'pending' AND u.password_hash <> ''
                                AND u.id <> $2)
                 FROM organisations o WHERE o.name = $1{}",
                D::LOCK_ROW
            )))
            .bind(organisation)
            // Ids start at 1: 0 leaves nobody out.
            .bind(except_user.unwrap_or(0))
            .fetch_optional(D::on(conn))
            .await?
            .ok_or_else(|| StoreError::NotFound(Subject::Organisation(organisation.to_string())))?;
            Ok((
                row.try_get(0)?,
                Standing {
                    has_cases: row.try_get(1)?,
                    has_active_coordinator: row.try_get(2)?,
                },
            ))
        }

        async fn store_link(
            conn: &mut D::Connection,
            actor: &Actor,
            user_id: i64,
            link: &NewActivationLink,
        ) -> Result<(), StoreError> {
            // One working link per account: a new one replaces what was handed out before.
            sqlx::query("DELETE FROM activation_links WHERE user_id = $1 AND used_at IS NULL")
                .bind(user_id)
                .execute(D::on(conn))
                .await?;
            sqlx::query(
                "INSERT INTO activation_links (token_hash, user_id, created_at, created_by, expires_at)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&link.token_hash)
            .bind(user_id)
            .bind(now())
            .bind(actor.as_str())
            .bind(&link.expires_at)
            .execute(D::on(conn))
            .await?;
            Ok(())
        }

        pub(crate) async fn invite_user(
            pool: &Pool<D>,
            actor: &Actor,
            invitation: &Invitation,
        ) -> Result<Admission, StoreError> {
            let mut tx = D::begin_write(pool).await?;
            let (organisation_id, standing) = match &invitation.organisation {
                None => (None, None),
                Some(name) => {
                    let (id, standing) = Self::standing(&mut tx, name, None).await?;
                    (Some(id), Some(standing))
                }
            };
            let admitted = admission(invitation.role, invitation.by_administrator, standing);
            let approval = match admitted {
                Admission::Refused(_) => return Ok(admitted),
                Admission::AwaitingApproval => "pending",
                Admission::LinkReady => "not_needed",
            };
            let user_id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO users (username, role, organisation_id, password_hash, created_at, created_by, approval)
                 VALUES ($1, $2, $3, '', $4, $5, $6) ON CONFLICT (username) DO NOTHING RETURNING id",
            )
            .bind(&invitation.username)
            .bind(invitation.role.code())
            .bind(organisation_id)
            .bind(now())
            .bind(actor.as_str())
            .bind(approval)
            .fetch_optional(D::on(&mut *tx))
            .await?;
            let Some(user_id) = user_id else {
                return Err(StoreError::AlreadyExists(Subject::User(
                    invitation.username.clone(),
                )));
            };
            if admitted == Admission::LinkReady {
                Self::store_link(&mut tx, actor, user_id, &invitation.link).await?;
            }
            let how = match admitted {
                Admission::AwaitingApproval => "awaiting a coordinator's approval",
                _ => "activation link",
            };
            let mut entry = AuditEntry::new(actor, AuditAction::AddUser).detail(format!(
                "{} ({}), {how}",
                invitation.username, invitation.role
            ));
            entry.organisation = invitation.organisation.clone();
            Self::commit_audited(tx, &entry).await?;
            Ok(admitted)
        }

        pub(crate) async fn new_link(
            pool: &Pool<D>,
            actor: &Actor,
            request: &LinkRequest<'_>,
            link: &NewActivationLink,
        ) -> Result<Admission, StoreError> {
            let LinkRequest {
                username, purpose, ..
            } = *request;
            let mut tx = D::begin_write(pool).await?;
            // A first password's link is for an account without one, a reset for one with one.
            let password = match purpose {
                LinkFor::FirstPassword => "=",
                LinkFor::PasswordReset => "<>",
            };
            let row = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT u.id, u.role, o.name FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id
                 WHERE u.username = $1 AND u.disabled_at IS NULL AND u.approval <> 'pending'
                   AND u.password_hash {password} ''"
            )))
            .bind(username)
            .fetch_optional(D::on(&mut *tx))
            .await?;
            let not_found = || StoreError::NotFound(Subject::User(username.to_string()));
            let row = row.ok_or_else(not_found)?;
            let user_id: i64 = row.try_get(0)?;
            let role: String = row.try_get(1)?;
            let role = Role::parse(&role)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown role '{role}'")))?;
            let own: Option<String> = row.try_get(2)?;
            if request.organisation.is_some() && own.as_deref() != request.organisation {
                return Err(not_found());
            }
            // Whoever holds the link chooses the password, so the rule of a new account's link
            // holds: an administrator never gets into case content this way. (The account itself
            // is not counted as its organisation's coordinator.)
            let standing = match &own {
                None => None,
                Some(name) => Some(Self::standing(&mut tx, name, Some(user_id)).await?.1),
            };
            match admission(role, request.by_administrator, standing) {
                Admission::LinkReady => {}
                Admission::AwaitingApproval => {
                    return Ok(Admission::Refused(AdmissionRefusal::ForTheCoordinator));
                }
                refused => return Ok(refused),
            }
            let action = match purpose {
                LinkFor::FirstPassword => AuditAction::ActivationLink,
                LinkFor::PasswordReset => {
                    // The old password stops working now, and nobody stays signed in with it.
                    sqlx::query("UPDATE users SET password_hash = '' WHERE id = $1")
                        .bind(user_id)
                        .execute(D::on(&mut *tx))
                        .await?;
                    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                        .bind(user_id)
                        .execute(D::on(&mut *tx))
                        .await?;
                    AuditAction::ResetPassword
                }
            };
            Self::store_link(&mut tx, actor, user_id, link).await?;
            let mut entry = AuditEntry::new(actor, action).detail(username);
            entry.organisation = own;
            Self::commit_audited(tx, &entry).await?;
            Ok(Admission::LinkReady)
        }

        /// Approves (`Some(link)`) or rejects (`None`) an account awaiting approval in `organisation`.
        pub(crate) async fn decide_user(
            pool: &Pool<D>,
            actor: &Actor,
            organisation: &str,
            username: &str,
            approved_with: Option<&NewActivationLink>,
        ) -> Result<bool, StoreError> {
            let mut tx = D::begin_write(pool).await?;
            let user_id: Option<i64> = sqlx::query_scalar(
                "SELECT u.id FROM users u JOIN organisations o ON o.id = u.organisation_id
                 WHERE u.username = $1 AND o.name = $2 AND u.approval = 'pending' AND u.disabled_at IS NULL",
            )
            .bind(username)
            .bind(organisation)
            .fetch_optional(D::on(&mut *tx))
            .await?;
            let Some(user_id) = user_id else {
                return Ok(false);
            };
            let action = match approved_with {
                Some(link) => {
                    sqlx::query("UPDATE users SET approval = 'approved' WHERE id = $1")
                        .bind(user_id)
                        .execute(D::on(&mut *tx))
                        .await?;
                    Self::store_link(&mut tx, actor, user_id, link).await?;
                    AuditAction::ApproveUser
                }
                None => {
                    sqlx::query(
                        "UPDATE users SET approval = 'rejected', disabled_at = $1 WHERE id = $2",
                    )
                    .bind(now())
                    .bind(user_id)
                    .execute(D::on(&mut *tx))
                    .await?;
                    AuditAction::RejectUser
                }
            };
            Self::commit_audited(
                tx,
                &AuditEntry::new(actor, action)
                    .organisation(organisation)
                    .detail(username),
            )
            .await?;
            Ok(true)
        }

        async fn link_row(
            conn: &mut D::Connection,
            token_hash: &str,
        ) -> Result<Option<LinkRow>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT u.id AS user_id, u.username AS username, o.name AS organisation,
                        l.expires_at AS expires_at, l.used_at IS NOT NULL AS used,
                        u.disabled_at IS NOT NULL AS disabled, u.approval AS approval,
                        u.password_hash <> '' AS activated
                 FROM activation_links l JOIN users u ON u.id = l.user_id
                 LEFT JOIN organisations o ON o.id = u.organisation_id
                 WHERE l.token_hash = $1",
            )
            .bind(token_hash)
            .fetch_optional(D::on(conn))
            .await?)
        }

        pub(crate) async fn activation_link(
            pool: &Pool<D>,
            token_hash: &str,
        ) -> Result<LinkState, StoreError> {
            let mut conn = pool.acquire().await?;
            LinkState::of(
                Self::link_row(&mut conn, token_hash).await?,
                jiff::Timestamp::now(),
            )
        }

        pub(crate) async fn activate_user(
            pool: &Pool<D>,
            token_hash: &str,
            password_hash: &str,
        ) -> Result<LinkState, StoreError> {
            let mut tx = D::begin_write(pool).await?;
            let row = Self::link_row(&mut tx, token_hash).await?;
            let (user_id, organisation) = match &row {
                Some(row) => (row.user_id, row.organisation.clone()),
                None => return Ok(LinkState::Unknown),
            };
            let state = LinkState::of(row, jiff::Timestamp::now())?;
            let LinkState::Valid { username } = &state else {
                return Ok(state);
            };
            sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash = ''")
                .bind(password_hash)
                .bind(user_id)
                .execute(D::on(&mut *tx))
                .await?;
            let used = now();
            sqlx::query("UPDATE activation_links SET used_at = $1 WHERE token_hash = $2")
                .bind(&used)
                .bind(token_hash)
                .execute(D::on(&mut *tx))
                .await?;
            sqlx::query("DELETE FROM activation_links WHERE user_id = $1 AND used_at IS NULL")
                .bind(user_id)
                .execute(D::on(&mut *tx))
                .await?;
            let mut entry = AuditEntry::new(&Actor::web(username), AuditAction::ActivateUser);
            entry.organisation = organisation;
            Self::commit_audited(tx, &entry).await?;
            Ok(state)
        }
    }
);
