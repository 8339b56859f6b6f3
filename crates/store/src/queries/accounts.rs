//! Accounts, organisations, sessions, observations and the audit log: the same statements on
//! SQLite and PostgreSQL.

use dakwacht_core::access::Role;
use dakwacht_core::{CaseFilter, LivingSituation, Observation, ObservationSource, RecordedStay};
use sqlx::{Pool, QueryBuilder, Row};

use super::now;
use crate::{
    Actor, AuditAction, AuditEntry, AuditFilter, AuditRecord, CaseSummary, FollowUp,
    FollowUpChange, NewSession, NewUser, SessionKind, StoreError, Subject, User,
};

/// The columns of [`Sql::user_from_row`] for the user of a session (the CSRF token in the sixth),
/// from `sessions s JOIN users u … LEFT JOIN organisations o`; a query adds its own after them.
pub(crate) const SESSION_USER: &str =
    "u.username, u.role, o.name, u.created_at, u.disabled_at, s.csrf_token,
     u.approval, u.password_hash <> '', u.totp_secret IS NOT NULL,
     COALESCE(o.second_factor_for_professionals, FALSE)";

const SELECT_USER: &str =
    "SELECT u.username, u.role, o.name, u.created_at, u.disabled_at, u.password_hash,
            u.approval, u.password_hash <> '', u.totp_secret IS NOT NULL,
            COALESCE(o.second_factor_for_professionals, FALSE)
     FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id";

shared_sql!(
    impl<D> Sql<D> {
        /// Appends one entry to the hash chain, on the connection of the caller's write
        /// transaction (which must be one: the last hash is read and the entry written in it).
        pub(crate) async fn append(
            conn: &mut D::Connection,
            entry: &AuditEntry,
        ) -> Result<(), StoreError> {
            use crate::audit_chain::{INSERT_CHAINED, LAST_HASH, seal};
            if let Some(lock) = D::LOCK_AUDIT {
                sqlx::query(lock).execute(D::on(&mut *conn)).await?;
            }
            let previous: Option<String> = match sqlx::query(LAST_HASH)
                .fetch_optional(D::on(&mut *conn))
                .await?
            {
                Some(row) => row.try_get(0)?,
                None => None,
            };
            let previous = previous.unwrap_or_default();
            let at = now();
            let hash = seal(&previous, &at, entry);
            sqlx::query(INSERT_CHAINED)
                .bind(&at)
                .bind(&entry.actor)
                .bind(entry.action.code())
                .bind(&entry.organisation)
                .bind(&entry.case_ref)
                .bind(&entry.detail)
                .bind(&previous)
                .bind(&hash)
                .execute(D::on(conn))
                .await?;
            Ok(())
        }

        /// Checks the whole audit log's hash chain, a page of entries at a time.
        pub(crate) async fn verify_audit_chain(
            pool: &Pool<D>,
        ) -> Result<crate::audit_chain::AuditVerification, StoreError> {
            use crate::audit_chain::{StoredLink, verify};
            const PAGE: i64 = 10_000;
            let mut found = crate::audit_chain::AuditVerification::default();
            let mut after = 0_i64;
            loop {
                let rows = sqlx::query(
                    "SELECT id, at, actor, action, organisation, case_ref, detail, prev_hash, hash
                     FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2",
                )
                .bind(after)
                .bind(PAGE)
                .fetch_all(D::on(&mut *D::acquire(pool).await?))
                .await?;
                let links = rows
                    .iter()
                    .map(|row| {
                        let action: String = row.try_get(3)?;
                        Ok(StoredLink {
                            id: row.try_get(0)?,
                            at: row.try_get(1)?,
                            entry: AuditEntry {
                                actor: row.try_get(2)?,
                                action: AuditAction::parse(&action).ok_or_else(|| {
                                    StoreError::Corrupt(format!("unknown audit action '{action}'"))
                                })?,
                                organisation: row.try_get(4)?,
                                case_ref: row.try_get(5)?,
                                detail: row.try_get(6)?,
                            },
                            prev_hash: row.try_get(7)?,
                            hash: row.try_get(8)?,
                        })
                    })
                    .collect::<Result<Vec<_>, StoreError>>()?;
                let Some(last) = links.last() else { break };
                after = last.id;
                verify(&mut found, &links);
                if links.len() < PAGE as usize {
                    break;
                }
            }
            Ok(found)
        }

        /// Appends the audit line of a change in its transaction and commits both: a change is
        /// never stored without its line.
        pub(crate) async fn commit_audited(
            mut tx: sqlx::Transaction<'static, D>,
            entry: &AuditEntry,
        ) -> Result<(), StoreError> {
            Self::append(&mut tx, entry).await?;
            Ok(tx.commit().await?)
        }

        pub(crate) async fn add_organisation(
            pool: &Pool<D>,
            actor: &Actor,
            name: &str,
        ) -> Result<bool, StoreError> {
            let name = name.trim();
            if name.is_empty() || name.chars().count() > 120 {
                return Err(StoreError::InvalidName(Subject::Organisation(
                    name.to_string(),
                )));
            }
            let mut tx = D::begin_write(pool).await?;
            let added = sqlx::query(
                "INSERT INTO organisations (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
            )
            .bind(name)
            .bind(now())
            .execute(D::on(&mut *tx))
            .await
            .map(|done| D::rows_affected(&done))?
                == 1;
            if added {
                Self::commit_audited(
                    tx,
                    &AuditEntry::new(actor, AuditAction::AddOrganisation).organisation(name),
                )
                .await?;
            }
            // Nothing was added: the transaction ends without a change.
            Ok(added)
        }

        pub(crate) async fn organisations(pool: &Pool<D>) -> Result<Vec<String>, StoreError> {
            Ok(
                sqlx::query_scalar("SELECT name FROM organisations ORDER BY name")
                    .fetch_all(D::on(&mut *D::acquire(pool).await?))
                    .await?,
            )
        }

        pub(crate) async fn add_user(
            pool: &Pool<D>,
            actor: &Actor,
            user: &NewUser,
        ) -> Result<(), StoreError> {
            let mut tx = D::begin_write(pool).await?;
            let organisation_id: Option<i64> = match &user.organisation {
                None => None,
                Some(name) => Some(
                    sqlx::query_scalar("SELECT id FROM organisations WHERE name = $1")
                        .bind(name)
                        .fetch_optional(D::on(&mut *tx))
                        .await?
                        .ok_or_else(|| StoreError::NotFound(Subject::Organisation(name.clone())))?,
                ),
            };
            let inserted = sqlx::query(
                "INSERT INTO users (username, role, organisation_id, password_hash, created_at, created_by)
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (username) DO NOTHING",
            )
            .bind(&user.username)
            .bind(user.role.code())
            .bind(organisation_id)
            .bind(&user.password_hash)
            .bind(now())
            .bind(actor.as_str())
            .execute(D::on(&mut *tx))
            .await
            .map(|done| D::rows_affected(&done))?;
            if inserted == 0 {
                return Err(StoreError::AlreadyExists(Subject::User(
                    user.username.clone(),
                )));
            }
            let mut entry = AuditEntry::new(actor, AuditAction::AddUser)
                .detail(format!("{} ({})", user.username, user.role));
            entry.organisation = user.organisation.clone();
            Self::commit_audited(tx, &entry).await?;
            Ok(())
        }

        /// The one user a query finds (see [`Self::user_from_row`]), if any.
        async fn user_of(
            pool: &Pool<D>,
            query: sqlx::query::Query<'_, D, D::Arguments>,
        ) -> Result<Option<(User, String)>, StoreError> {
            let row = query
                .fetch_optional(D::on(&mut *D::acquire(pool).await?))
                .await?;
            row.as_ref().map(Self::user_from_row).transpose()
        }

        /// A user from the first five columns and the seventh to tenth (approval, whether a
        /// password is set, whether a second factor is, whether the organisation asks one), and
        /// the text in the sixth (password hash or CSRF token).
        pub(crate) fn user_from_row(row: &D::Row) -> Result<(User, String), StoreError> {
            let role: String = row.try_get(1)?;
            let disabled_at: Option<String> = row.try_get(4)?;
            let approval: String = row.try_get(6)?;
            Ok((
                User {
                    username: row.try_get(0)?,
                    role: Role::parse(&role)
                        .ok_or_else(|| StoreError::Corrupt(format!("unknown role '{role}'")))?,
                    organisation: row.try_get(2)?,
                    created_at: row.try_get(3)?,
                    disabled: disabled_at.is_some(),
                    awaiting_approval: approval == "pending",
                    activated: row.try_get(7)?,
                    rejected: approval == "rejected",
                    second_factor: row.try_get(8)?,
                    organisation_asks_second_factor: row.try_get(9)?,
                },
                row.try_get(5)?,
            ))
        }

        pub(crate) async fn users(
            pool: &Pool<D>,
            organisation: Option<&str>,
        ) -> Result<Vec<User>, StoreError> {
            let rows = match organisation {
                None => {
                    sqlx::query(sqlx::AssertSqlSafe(format!(
                        "{SELECT_USER} ORDER BY u.username"
                    )))
                    .fetch_all(D::on(&mut *D::acquire(pool).await?))
                    .await?
                }
                Some(name) => {
                    sqlx::query(sqlx::AssertSqlSafe(format!(
                        "{SELECT_USER} WHERE o.name = $1 ORDER BY u.username"
                    )))
                    .bind(name)
                    .fetch_all(D::on(&mut *D::acquire(pool).await?))
                    .await?
                }
            };
            rows.iter()
                .map(|row| Self::user_from_row(row).map(|(user, _)| user))
                .collect()
        }

        pub(crate) async fn user_for_login(
            pool: &Pool<D>,
            username: &str,
        ) -> Result<Option<(User, String)>, StoreError> {
            let query = sqlx::query(sqlx::AssertSqlSafe(format!(
                "{SELECT_USER} WHERE u.username = $1"
            )))
            .bind(username);
            Self::user_of(pool, query).await
        }

        /// Disables (`disabled`) or enables an account; `false` when it was so already.
        pub(crate) async fn set_user_disabled(
            pool: &Pool<D>,
            actor: &Actor,
            username: &str,
            disabled: bool,
        ) -> Result<bool, StoreError> {
            let mut tx = D::begin_write(pool).await?;
            let row = sqlx::query(
                "SELECT u.disabled_at, u.approval, o.name FROM users u
                 LEFT JOIN organisations o ON o.id = u.organisation_id WHERE u.username = $1",
            )
            .bind(username)
            .fetch_optional(D::on(&mut *tx))
            .await?;
            let not_found = || StoreError::NotFound(Subject::User(username.to_string()));
            let row = row.ok_or_else(not_found)?;
            let was_disabled = row.try_get::<Option<String>, _>(0)?.is_some();
            let approval: String = row.try_get(1)?;
            // A coordinator's rejection stands: the account was never let in.
            if !disabled && approval == "rejected" {
                return Err(not_found());
            }
            if was_disabled == disabled {
                return Ok(false);
            }
            sqlx::query("UPDATE users SET disabled_at = $1 WHERE username = $2")
                .bind(disabled.then(now))
                .bind(username)
                .execute(D::on(&mut *tx))
                .await?;
            let action = match disabled {
                true => AuditAction::DisableUser,
                false => AuditAction::EnableUser,
            };
            let mut entry = AuditEntry::new(actor, action).detail(username);
            entry.organisation = row.try_get(2)?;
            Self::commit_audited(tx, &entry).await?;
            Ok(true)
        }

        pub(crate) async fn change_password(
            pool: &Pool<D>,
            username: &str,
            password_hash: &str,
            keep_session: &str,
        ) -> Result<(), StoreError> {
            let mut tx = D::begin_write(pool).await?;
            let row = sqlx::query(
                "SELECT u.id, o.name FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id
                 WHERE u.username = $1 AND u.disabled_at IS NULL AND u.password_hash <> ''",
            )
            .bind(username)
            .fetch_optional(D::on(&mut *tx))
            .await?
            .ok_or_else(|| StoreError::NotFound(Subject::User(username.to_string())))?;
            let user_id: i64 = row.try_get(0)?;
            let organisation: Option<String> = row.try_get(1)?;
            sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                .bind(password_hash)
                .bind(user_id)
                .execute(D::on(&mut *tx))
                .await?;
            // Whoever else holds a session of this account (a forgotten browser, a stolen cookie,
            // an API token) is out with the old password.
            let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
                .bind(user_id)
                .bind(keep_session)
                .execute(D::on(&mut *tx))
                .await
                .map(|done| D::rows_affected(&done))?;
            let mut entry = AuditEntry::new(&Actor::web(username), AuditAction::ChangePassword)
                .detail(format!("{ended} other session(s) ended"));
            entry.organisation = organisation;
            Self::commit_audited(tx, &entry).await?;
            Ok(())
        }

        pub(crate) async fn audit_log(
            pool: &Pool<D>,
            filter: &AuditFilter,
        ) -> Result<Vec<AuditRecord>, StoreError> {
            let mut query = QueryBuilder::<D>::new(
                "SELECT id, at, actor, action, organisation, case_ref, detail FROM audit_log WHERE 1 = 1",
            );
            if let Some(actor) = &filter.actor {
                query.push(" AND actor = ").push_bind(actor.clone());
            }
            if let Some(action) = filter.action {
                query.push(" AND action = ").push_bind(action.code());
            }
            if let Some(organisation) = &filter.organisation {
                query
                    .push(" AND organisation = ")
                    .push_bind(organisation.clone());
            }
            if let Some(case_ref) = &filter.case_ref {
                query.push(" AND case_ref = ").push_bind(case_ref.clone());
            }
            query
                .push(" ORDER BY id DESC LIMIT ")
                .push_bind(i64::from(filter.limit.unwrap_or(1000)));
            let rows = Self::rows_of(pool, &mut query).await?;
            rows.iter()
                .map(|row| {
                    let action: String = row.try_get(3)?;
                    Ok(AuditRecord {
                        id: row.try_get(0)?,
                        at: row.try_get(1)?,
                        entry: AuditEntry {
                            actor: row.try_get(2)?,
                            action: AuditAction::parse(&action).ok_or_else(|| {
                                StoreError::Corrupt(format!("unknown audit action '{action}'"))
                            })?,
                            organisation: row.try_get(4)?,
                            case_ref: row.try_get(5)?,
                            detail: row.try_get(6)?,
                        },
                    })
                })
                .collect()
        }

        pub(crate) async fn create_session(
            pool: &Pool<D>,
            username: &str,
            session: &NewSession,
        ) -> Result<bool, StoreError> {
            let inserted = sqlx::query(
                "INSERT INTO sessions
                        (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, kind, stage)
                 SELECT $1, id, $2, $3, $3, $4, $5, $6 FROM users WHERE username = $7 AND disabled_at IS NULL",
            )
            .bind(&session.token_hash)
            .bind(&session.csrf_token)
            .bind(now())
            .bind(&session.expires_at)
            .bind(session.kind.code())
            .bind(session.stage.code())
            .bind(username)
            .execute(D::on(&mut *D::acquire(pool).await?))
            .await
            .map(|done| D::rows_affected(&done))?;
            Ok(inserted == 1)
        }

        pub(crate) async fn session(
            pool: &Pool<D>,
            token_hash: &str,
            kind: SessionKind,
            active_since: &str,
        ) -> Result<Option<(User, String)>, StoreError> {
            // Timestamps are RFC 3339 in UTC with the same layout, so text order is time order.
            let at = jiff::Timestamp::now();
            let row = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {SESSION_USER}, s.last_seen_at
                 FROM sessions s JOIN users u ON u.id = s.user_id
                 LEFT JOIN organisations o ON o.id = u.organisation_id
                 WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL
                   AND s.kind = $3 AND s.stage = 'signed_in' AND s.last_seen_at > $4"
            )))
            .bind(token_hash)
            .bind(at.to_string())
            .bind(kind.code())
            .bind(active_since)
            .fetch_optional(D::on(&mut *D::acquire(pool).await?))
            .await?;
            let Some(row) = row else { return Ok(None) };
            let found = Self::user_from_row(&row)?;
            // The inactivity timeout counts from the last request; writing it down once a minute
            // is exact enough and spares the database a write on every page.
            let last_seen: String = row.try_get(10)?;
            let a_minute_ago = at
                .checked_sub(jiff::SignedDuration::from_secs(60))
                .map_err(|e| StoreError::Corrupt(e.to_string()))?
                .to_string();
            if last_seen < a_minute_ago {
                sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                    .bind(at.to_string())
                    .bind(token_hash)
                    .execute(D::on(&mut *D::acquire(pool).await?))
                    .await?;
            }
            Ok(Some(found))
        }

        pub(crate) async fn end_session(
            pool: &Pool<D>,
            token_hash: &str,
        ) -> Result<(), StoreError> {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1 OR expires_at <= $2")
                .bind(token_hash)
                .bind(now())
                .execute(D::on(&mut *D::acquire(pool).await?))
                .await?;
            Ok(())
        }

        pub(crate) async fn case_page(
            pool: &Pool<D>,
            filter: &CaseFilter,
            after: Option<(&str, &str)>,
            limit: u32,
        ) -> Result<Vec<CaseSummary>, StoreError> {
            let mut query = QueryBuilder::<D>::new(
                "SELECT o.name, c.case_ref, c.reported_on, c.municipality, c.children_count,
                        c.current_situation, c.rehoused_on, c.last_seen_on, c.assigned_to, c.eviction_on
                 FROM cases c JOIN organisations o ON o.id = c.organisation_id",
            );
            Self::push_page(&mut query, filter, after, limit);
            let rows = Self::rows_of(pool, &mut query).await?;
            rows.iter().map(Self::summary_from_row).collect()
        }

        pub(crate) async fn case_page_raising(
            pool: &Pool<D>,
            filter: &CaseFilter,
            after: Option<(&str, &str)>,
            limit: u32,
            signal: crate::KeptSignal,
        ) -> Result<Vec<CaseSummary>, StoreError> {
            let mut query = QueryBuilder::<D>::new(
                "SELECT o.name, c.case_ref, c.reported_on, c.municipality, c.children_count,
                        c.current_situation, c.rehoused_on, c.last_seen_on, c.assigned_to, c.eviction_on
                 FROM cases c JOIN organisations o ON o.id = c.organisation_id
                 JOIN case_signals s ON s.case_id = c.id AND s.rules = ",
            );
            query
                .push_bind(signal.rules)
                .push(" AND (s.signals & ")
                .push_bind(signal.mask())
                .push(") <> 0");
            Self::push_page(&mut query, filter, after, limit);
            let rows = Self::rows_of(pool, &mut query).await?;
            rows.iter().map(Self::summary_from_row).collect()
        }

        fn summary_from_row(row: &D::Row) -> Result<CaseSummary, StoreError> {
            let children: i64 = row.try_get(4)?;
            Ok(CaseSummary {
                organisation: row.try_get(0)?,
                case_ref: row.try_get(1)?,
                reported_on: row.try_get(2)?,
                municipality: row.try_get(3)?,
                children_count: u8::try_from(children).unwrap_or(u8::MAX),
                current_situation: row.try_get(5)?,
                rehoused_on: row.try_get(6)?,
                last_seen_on: row.try_get(7)?,
                assigned_to: row.try_get(8)?,
                eviction_on: row.try_get(9)?,
            })
        }

        pub(crate) async fn follow_up(
            pool: &Pool<D>,
            organisation: &str,
            asked: &FollowUp,
        ) -> Result<Vec<CaseSummary>, StoreError> {
            // Not rehoused, and out of view, without news since `contact_before`, or with an
            // eviction coming before `eviction_before`. The last contact is `reported_on` (the
            // situation was known then), or for a family out of view the day it was last seen.
            // Longest silence first; dates are 'YYYY-MM-DD' text, so text order is date order.
            // The order and the first two conditions are those of the index `cases_follow_up`
            // (SQLite migration 0022, PostgreSQL 0018), word for word: the list reads it in
            // order and stops at its limit.
            let index = match asked.assigned_to {
                Some(_) => D::BY_ASSIGNEE,
                None => "",
            };
            // The organisation by its id, bound: PostgreSQL then plans for how many cases that
            // organisation has (a join left it guessing a thousand, and it read and sorted all
            // 100,000 instead of walking the index: 0.3 s).
            let id: Option<i64> =
                sqlx::query_scalar("SELECT id FROM organisations WHERE name = $1")
                    .bind(organisation)
                    .fetch_optional(D::on(&mut *D::acquire(pool).await?))
                    .await?;
            let Some(id) = id else {
                return Ok(Vec::new());
            };
            let mut query = QueryBuilder::<D>::new(format!(
                "SELECT o.name, c.case_ref, c.reported_on, c.municipality, c.children_count,
                        c.current_situation, c.rehoused_on, c.last_seen_on, c.assigned_to, c.eviction_on
                 FROM cases c{index} JOIN organisations o ON o.id = c.organisation_id
                 WHERE c.organisation_id = "
            ));
            query
                .push_bind(id)
                .push(" AND c.rehoused_on IS NULL AND c.closed_on IS NULL")
                .push(" AND (c.current_situation IS NULL OR c.reported_on < ")
                .push_bind(asked.contact_before.clone())
                .push(" OR (c.eviction_on >= ")
                .push_bind(asked.today.clone())
                .push(" AND c.eviction_on <= ")
                .push_bind(asked.eviction_before.clone())
                .push("))");
            if let Some(user) = &asked.assigned_to {
                query.push(" AND c.assigned_to = ").push_bind(user.clone());
            }
            if asked.children_at_risk {
                query.push(
                    " AND EXISTS (SELECT 1 FROM children ch WHERE ch.case_id = c.id
                       AND (ch.separated = 'yes' OR ch.school = 'missing_school'))",
                );
            }
            query
                .push(
                    " ORDER BY CASE WHEN c.current_situation IS NULL
                               THEN COALESCE(c.last_seen_on, c.reported_on) ELSE c.reported_on END,
                          c.case_ref LIMIT ",
                )
                .push_bind(i64::from(asked.limit));
            // Planned anew for each call (not kept prepared), so always for this organisation.
            let rows = query
                .build()
                .persistent(false)
                .fetch_all(D::on(&mut *D::acquire(pool).await?))
                .await?;
            rows.iter().map(Self::summary_from_row).collect()
        }

        /// Who follows a case and its coming eviction: (assigned_to, eviction_on).
        pub(crate) async fn follow_up_of(
            pool: &Pool<D>,
            organisation: &str,
            case_ref: &str,
        ) -> Result<(Option<String>, Option<String>), StoreError> {
            let row = sqlx::query(
                "SELECT c.assigned_to, c.eviction_on FROM cases c
                 JOIN organisations o ON o.id = c.organisation_id
                 WHERE o.name = $1 AND c.case_ref = $2",
            )
            .bind(organisation)
            .bind(case_ref)
            .fetch_optional(D::on(&mut *D::acquire(pool).await?))
            .await?;
            match row {
                Some(row) => Ok((row.try_get(0)?, row.try_get(1)?)),
                None => Ok((None, None)),
            }
        }

        /// Changes how a case is followed up (see [`FollowUpChange`]), audited. Assigning to
        /// someone who is not an active professional or coordinator of the case's organisation
        /// is [`StoreError::NotFound`].
        pub(crate) async fn change_follow_up(
            pool: &Pool<D>,
            actor: &Actor,
            organisation: &str,
            case_ref: &str,
            change: &FollowUpChange,
        ) -> Result<(), StoreError> {
            let mut tx = D::begin_write(pool).await?;
            if let FollowUpChange::AssignTo(Some(name)) = change {
                let colleague = sqlx::query(
                    "SELECT 1 FROM users u JOIN organisations o ON o.id = u.organisation_id
                     WHERE u.username = $1 AND o.name = $2 AND u.disabled_at IS NULL
                       AND u.role IN ('professional', 'coordinator')",
                )
                .bind(name)
                .bind(organisation)
                .fetch_optional(D::on(&mut *tx))
                .await?;
                if colleague.is_none() {
                    return Err(StoreError::NotFound(Subject::User(name.clone())));
                }
            }
            let (column, value) = change.column();
            Self::update_case_column(&mut tx, organisation, case_ref, column, value).await?;
            let entry = AuditEntry::new(actor, AuditAction::UpdateCase)
                .case(organisation, case_ref)
                .detail(change.detail());
            Self::commit_audited(tx, &entry).await?;
            Ok(())
        }

        /// Sets one follow-up column of a case; the case must exist.
        async fn update_case_column(
            conn: &mut D::Connection,
            organisation: &str,
            case_ref: &str,
            column: &'static str,
            value: Option<&str>,
        ) -> Result<(), StoreError> {
            let updated = sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE cases SET {column} = $1 WHERE case_ref = $2
                   AND organisation_id = (SELECT id FROM organisations WHERE name = $3)"
            )))
            .bind(value)
            .bind(case_ref)
            .bind(organisation)
            .execute(D::on(conn))
            .await
            .map(|done| D::rows_affected(&done))?;
            if updated == 0 {
                return Err(StoreError::NotFound(Subject::case(organisation, case_ref)));
            }
            Ok(())
        }

        pub(crate) async fn recorded_stays(
            pool: &Pool<D>,
            organisation: &str,
            case_ref: &str,
        ) -> Result<Vec<RecordedStay>, StoreError> {
            // The change a stay made is the case's history entry at the version it names.
            let rows = sqlx::query(
                "SELECT b.id, b.observed_on, b.precision, b.situation, b.recorded_at, b.recorded_by,
                        b.removed_at, b.removed_by, h.changes
                 FROM observations b
                 JOIN cases c ON c.id = b.case_id JOIN organisations o ON o.id = c.organisation_id
                 LEFT JOIN case_changes h ON h.case_id = b.case_id AND h.version = b.change_version
                 WHERE o.name = $1 AND c.case_ref = $2 ORDER BY b.observed_on, b.id",
            )
            .bind(organisation)
            .bind(case_ref)
            .fetch_all(D::on(&mut *D::acquire(pool).await?))
            .await?;
            rows.iter()
                .map(|row| {
                    let situation: String = row.try_get(3)?;
                    let removed_at: Option<String> = row.try_get(6)?;
                    let removed_by: Option<String> = row.try_get(7)?;
                    Ok(RecordedStay {
                        id: row.try_get(0)?,
                        observation: Observation {
                            on: crate::rows::date_or_month(row.try_get(1)?, row.try_get(2)?)?,
                            situation: LivingSituation::parse(&situation).ok_or_else(|| {
                                StoreError::Corrupt(format!(
                                    "unknown living situation '{situation}'"
                                ))
                            })?,
                            source: ObservationSource::Recorded,
                        },
                        recorded_at: row.try_get(4)?,
                        recorded_by: row.try_get(5)?,
                        removed: removed_at.zip(removed_by),
                        effects: crate::rows::stay_effects(row.try_get(8)?),
                    })
                })
                .collect()
        }
    }
);
