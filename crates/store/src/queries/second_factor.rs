//! The second factor (migration 0018 SQLite / 0014 PostgreSQL): TOTP seeds, recovery codes,
//! sessions that wait for a code, and what administrators do about an account's sessions and
//! factor. The same statements on SQLite and PostgreSQL.

use sqlx::{Pool, Row};

use super::now;
use crate::{
    Actor, AuditAction, AuditEntry, NewSession, SESSION_ID_CHARS, SecondFactorSeed, SessionKind,
    SessionRecord, SessionStage, StagedSession, StoreError, Subject,
};

shared_sql!(
    impl<D> Sql<D> {
        /// The unexpired session with this token hash, in whatever stage (the inactivity timeout
        /// is [`Sql::session`]'s).
        pub(crate) async fn staged_session(
            pool: &Pool<D>,
            token_hash: &str,
        ) -> Result<Option<StagedSession>, StoreError> {
            let row = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {}, s.stage, s.kind, s.pending_secret
                 FROM sessions s JOIN users u ON u.id = s.user_id
                 LEFT JOIN organisations o ON o.id = u.organisation_id
                 WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL",
                super::accounts::SESSION_USER
            )))
            .bind(token_hash)
            .bind(now())
            .fetch_optional(D::on(&mut *D::acquire(pool).await?))
            .await?;
            let Some(row) = row else { return Ok(None) };
            let (user, csrf_token) = Self::user_from_row(&row)?;
            let stage: String = row.try_get(10)?;
            let kind: String = row.try_get(11)?;
            Ok(Some(StagedSession {
                user,
                stage: SessionStage::parse(&stage).ok_or_else(|| {
                    StoreError::Corrupt(format!("unknown session stage '{stage}'"))
                })?,
                kind: session_kind(&kind),
                csrf_token,
                pending_secret: row.try_get(12)?,
            }))
        }

        /// Keeps (or forgets, with `None`) the seed being set up in an unfinished or signed-in
        /// session; `false` when there is no such session.
        pub(crate) async fn set_pending_secret(
            pool: &Pool<D>,
            token_hash: &str,
            secret: Option<&str>,
        ) -> Result<bool, StoreError> {
            let done = sqlx::query(
                "UPDATE sessions SET pending_secret = $1 WHERE token_hash = $2 AND expires_at > $3",
            )
            .bind(secret)
            .bind(token_hash)
            .bind(now())
            .execute(D::on(&mut *D::acquire(pool).await?))
            .await?;
            Ok(D::rows_affected(&done) == 1)
        }

        /// Replaces an unfinished session by a signed-in one with a new token (the token that
        /// waited for the code opens nothing afterwards: ASVS 5.0, 7.2.4); `false` when the
        /// unfinished session is gone (expired, or finished by another request).
        pub(crate) async fn finish_sign_in(
            pool: &Pool<D>,
            unfinished_hash: &str,
            session: &NewSession,
        ) -> Result<bool, StoreError> {
            let at = now();
            let done = sqlx::query(
                "UPDATE sessions SET token_hash = $1, csrf_token = $2, expires_at = $3, stage = $4,
                        pending_secret = NULL, created_at = $5, last_seen_at = $5
                 WHERE token_hash = $6 AND stage <> 'signed_in' AND expires_at > $5",
            )
            .bind(&session.token_hash)
            .bind(&session.csrf_token)
            .bind(&session.expires_at)
            .bind(session.stage.code())
            .bind(&at)
            .bind(unfinished_hash)
            .execute(D::on(&mut *D::acquire(pool).await?))
            .await?;
            Ok(D::rows_affected(&done) == 1)
        }

        /// The TOTP seed of an active account that enrolled one.
        pub(crate) async fn second_factor_seed(
            pool: &Pool<D>,
            username: &str,
        ) -> Result<Option<SecondFactorSeed>, StoreError> {
            let row = sqlx::query(
                "SELECT totp_secret, totp_last_step FROM users
                 WHERE username = $1 AND disabled_at IS NULL AND totp_secret IS NOT NULL",
            )
            .bind(username)
            .fetch_optional(D::on(&mut *D::acquire(pool).await?))
            .await?;
            row.map(|row| {
                Ok(SecondFactorSeed {
                    secret: row.try_get(0)?,
                    last_step: row.try_get(1)?,
                })
            })
            .transpose()
        }

        /// Takes a code of time step `step` for the account, once: `false` when a code of this
        /// step or a later one was taken already (a code seen by someone else cannot be replayed).
        pub(crate) async fn accept_code_step(
            pool: &Pool<D>,
            username: &str,
            step: i64,
        ) -> Result<bool, StoreError> {
            let done = sqlx::query(
                "UPDATE users SET totp_last_step = $1
                 WHERE username = $2 AND totp_secret IS NOT NULL
                   AND (totp_last_step IS NULL OR totp_last_step < $1)",
            )
            .bind(step)
            .bind(username)
            .execute(D::on(&mut *D::acquire(pool).await?))
            .await?;
            Ok(D::rows_affected(&done) == 1)
        }

        /// Sets the account's TOTP seed (the code of `step` from it was just given), replaces its
        /// recovery codes by these hashes, and ends its other sessions, `keep_session` aside
        /// (ASVS 5.0, 7.4.3). Audited as the user's; [`StoreError::NotFound`] for an account that
        /// is not active.
        pub(crate) async fn enrol_second_factor(
            pool: &Pool<D>,
            username: &str,
            secret: &str,
            step: i64,
            recovery_hashes: &[String],
            keep_session: &str,
        ) -> Result<(), StoreError> {
            let mut tx = D::begin_write(pool).await?;
            let at = now();
            let row = sqlx::query(
                "SELECT u.id, o.name FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id
                 WHERE u.username = $1 AND u.disabled_at IS NULL",
            )
            .bind(username)
            .fetch_optional(D::on(&mut *tx))
            .await?
            .ok_or_else(|| StoreError::NotFound(Subject::User(username.to_string())))?;
            let user_id: i64 = row.try_get(0)?;
            let organisation: Option<String> = row.try_get(1)?;
            sqlx::query(
                "UPDATE users SET totp_secret = $1, totp_since = $2, totp_last_step = $3 WHERE id = $4",
            )
            .bind(secret)
            .bind(&at)
            .bind(step)
            .bind(user_id)
            .execute(D::on(&mut *tx))
            .await?;
            sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
                .bind(user_id)
                .execute(D::on(&mut *tx))
                .await?;
            for hash in recovery_hashes {
                sqlx::query(
                    "INSERT INTO recovery_codes (user_id, code_hash, made_at) VALUES ($1, $2, $3)",
                )
                .bind(user_id)
                .bind(hash)
                .bind(&at)
                .execute(D::on(&mut *tx))
                .await?;
            }
            let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
                .bind(user_id)
                .bind(keep_session)
                .execute(D::on(&mut *tx))
                .await
                .map(|done| D::rows_affected(&done))?;
            let mut entry = AuditEntry::new(&Actor::web(username), AuditAction::EnrolSecondFactor)
                .detail(format!(
                    "authenticator app; {} recovery codes; {ended} other sessions ended",
                    recovery_hashes.len()
                ));
            entry.organisation = organisation;
            Self::commit_audited(tx, &entry).await
        }

        /// Uses up one recovery code of the account; how many are left, or `None` when the code
        /// is not one of its unused codes.
        pub(crate) async fn spend_recovery_code(
            pool: &Pool<D>,
            username: &str,
            code_hash: &str,
        ) -> Result<Option<i64>, StoreError> {
            let mut tx = D::begin_write(pool).await?;
            let spent = sqlx::query(
                "UPDATE recovery_codes SET used_at = $1
                 WHERE code_hash = $2 AND used_at IS NULL
                   AND user_id = (SELECT id FROM users WHERE username = $3 AND disabled_at IS NULL)",
            )
            .bind(now())
            .bind(code_hash)
            .bind(username)
            .execute(D::on(&mut *tx))
            .await
            .map(|done| D::rows_affected(&done))?;
            if spent != 1 {
                return Ok(None);
            }
            let left: i64 = sqlx::query(
                "SELECT COUNT(*) FROM recovery_codes r JOIN users u ON u.id = r.user_id
                 WHERE u.username = $1 AND r.used_at IS NULL",
            )
            .bind(username)
            .fetch_one(D::on(&mut *tx))
            .await?
            .try_get(0)?;
            tx.commit().await?;
            Ok(Some(left))
        }

        /// The account of `username` in reach: any (`organisation` `None`) or one of that
        /// organisation; its id and organisation.
        async fn account_in_reach(
            conn: &mut D::Connection,
            username: &str,
            organisation: Option<&str>,
        ) -> Result<(i64, Option<String>), StoreError> {
            let row = sqlx::query(
                "SELECT u.id, o.name FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id
                 WHERE u.username = $1",
            )
            .bind(username)
            .fetch_optional(D::on(conn))
            .await?;
            let not_found = || StoreError::NotFound(Subject::User(username.to_string()));
            let row = row.ok_or_else(not_found)?;
            let own: Option<String> = row.try_get(1)?;
            if organisation.is_some() && own.as_deref() != organisation {
                return Err(not_found());
            }
            Ok((row.try_get(0)?, own))
        }

        /// The unexpired sessions of an account, the last used first (ASVS 5.0, 7.5.2).
        pub(crate) async fn sessions_of(
            pool: &Pool<D>,
            username: &str,
        ) -> Result<Vec<SessionRecord>, StoreError> {
            let rows = sqlx::query(
                "SELECT s.token_hash, s.kind, s.stage, s.created_at, s.last_seen_at, s.expires_at
                 FROM sessions s JOIN users u ON u.id = s.user_id
                 WHERE u.username = $1 AND s.expires_at > $2
                 ORDER BY s.last_seen_at DESC, s.created_at DESC",
            )
            .bind(username)
            .bind(now())
            .fetch_all(D::on(&mut *D::acquire(pool).await?))
            .await?;
            rows.iter()
                .map(|row| {
                    let hash: String = row.try_get(0)?;
                    let kind: String = row.try_get(1)?;
                    let stage: String = row.try_get(2)?;
                    Ok(SessionRecord {
                        id: hash.chars().take(SESSION_ID_CHARS).collect(),
                        kind: session_kind(&kind),
                        stage: SessionStage::parse(&stage).ok_or_else(|| {
                            StoreError::Corrupt(format!("unknown session stage '{stage}'"))
                        })?,
                        created_at: row.try_get(3)?,
                        last_seen_at: row.try_get(4)?,
                        expires_at: row.try_get(5)?,
                    })
                })
                .collect()
        }

        /// Ends the sessions of an account named by their ids, never `keep`; how many ended.
        /// Audited when any did.
        pub(crate) async fn end_sessions_named(
            pool: &Pool<D>,
            actor: &Actor,
            username: &str,
            ids: &[String],
            keep: &str,
        ) -> Result<u64, StoreError> {
            let mut tx = D::begin_write(pool).await?;
            let (user_id, own) = Self::account_in_reach(&mut tx, username, None).await?;
            let mut ended = 0;
            for id in ids {
                // A wrong length could name several sessions (or, empty, all of them).
                if id.len() != SESSION_ID_CHARS {
                    continue;
                }
                ended += sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DELETE FROM sessions WHERE user_id = $1
                     AND substr(token_hash, 1, {SESSION_ID_CHARS}) = $2 AND token_hash <> $3"
                )))
                .bind(user_id)
                .bind(id)
                .bind(keep)
                .execute(D::on(&mut *tx))
                .await
                .map(|done| D::rows_affected(&done))?;
            }
            if ended == 0 {
                return Ok(0);
            }
            let mut entry = AuditEntry::new(actor, AuditAction::EndSessions)
                .detail(format!("{username}: {ended} own sessions ended"));
            entry.organisation = own;
            Self::commit_audited(tx, &entry).await?;
            Ok(ended)
        }

        /// Ends every session of an account in reach (ASVS 5.0, 7.4.5); how many there were.
        /// Audited, also when there were none.
        pub(crate) async fn end_sessions_of(
            pool: &Pool<D>,
            actor: &Actor,
            username: &str,
            organisation: Option<&str>,
        ) -> Result<u64, StoreError> {
            let mut tx = D::begin_write(pool).await?;
            let (user_id, own) = Self::account_in_reach(&mut tx, username, organisation).await?;
            let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(D::on(&mut *tx))
                .await
                .map(|done| D::rows_affected(&done))?;
            let mut entry = AuditEntry::new(actor, AuditAction::EndSessions)
                .detail(format!("{username}: {ended} sessions ended"));
            entry.organisation = own;
            Self::commit_audited(tx, &entry).await?;
            Ok(ended)
        }

        /// Ends the sessions of all accounts, or of one organisation's, but `keep`. Audited.
        pub(crate) async fn end_all_sessions(
            pool: &Pool<D>,
            actor: &Actor,
            organisation: Option<&str>,
            keep: &str,
        ) -> Result<u64, StoreError> {
            let mut tx = D::begin_write(pool).await?;
            let ended = match organisation {
                None => sqlx::query("DELETE FROM sessions WHERE token_hash <> $1")
                    .bind(keep)
                    .execute(D::on(&mut *tx))
                    .await
                    .map(|done| D::rows_affected(&done))?,
                Some(name) => sqlx::query(
                    "DELETE FROM sessions WHERE token_hash <> $1 AND user_id IN
                       (SELECT u.id FROM users u JOIN organisations o ON o.id = u.organisation_id
                        WHERE o.name = $2)",
                )
                .bind(keep)
                .bind(name)
                .execute(D::on(&mut *tx))
                .await
                .map(|done| D::rows_affected(&done))?,
            };
            let mut entry = AuditEntry::new(actor, AuditAction::EndSessions)
                .detail(format!("every account: {ended} sessions ended"));
            entry.organisation = organisation.map(str::to_string);
            Self::commit_audited(tx, &entry).await?;
            Ok(ended)
        }

        /// Takes away the second factor of an account in reach, its recovery codes and its
        /// sessions: its user sets up a new one at the next sign-in (when the phone is lost).
        /// `false` when it had none. Audited.
        pub(crate) async fn remove_second_factor(
            pool: &Pool<D>,
            actor: &Actor,
            username: &str,
            organisation: Option<&str>,
        ) -> Result<bool, StoreError> {
            let mut tx = D::begin_write(pool).await?;
            let (user_id, own) = Self::account_in_reach(&mut tx, username, organisation).await?;
            let removed = sqlx::query(
                "UPDATE users SET totp_secret = NULL, totp_since = NULL, totp_last_step = NULL
                 WHERE id = $1 AND totp_secret IS NOT NULL",
            )
            .bind(user_id)
            .execute(D::on(&mut *tx))
            .await
            .map(|done| D::rows_affected(&done))?;
            if removed == 0 {
                return Ok(false);
            }
            for statement in [
                "DELETE FROM recovery_codes WHERE user_id = $1",
                "DELETE FROM sessions WHERE user_id = $1",
            ] {
                sqlx::query(statement)
                    .bind(user_id)
                    .execute(D::on(&mut *tx))
                    .await?;
            }
            let mut entry = AuditEntry::new(actor, AuditAction::ResetSecondFactor).detail(username);
            entry.organisation = own;
            Self::commit_audited(tx, &entry).await?;
            Ok(true)
        }

        /// Whether an organisation asks a second factor of its professionals.
        pub(crate) async fn second_factor_policy(
            pool: &Pool<D>,
            organisation: &str,
        ) -> Result<bool, StoreError> {
            let row = sqlx::query(
                "SELECT second_factor_for_professionals FROM organisations WHERE name = $1",
            )
            .bind(organisation)
            .fetch_optional(D::on(&mut *D::acquire(pool).await?))
            .await?
            .ok_or_else(|| StoreError::NotFound(Subject::Organisation(organisation.to_string())))?;
            Ok(row.try_get(0)?)
        }

        /// Sets whether an organisation asks a second factor of its professionals; `false` when
        /// it was so already. Audited when it changed.
        pub(crate) async fn set_second_factor_policy(
            pool: &Pool<D>,
            actor: &Actor,
            organisation: &str,
            required: bool,
        ) -> Result<bool, StoreError> {
            let mut tx = D::begin_write(pool).await?;
            let changed = sqlx::query(
                "UPDATE organisations SET second_factor_for_professionals = $1
                 WHERE name = $2 AND second_factor_for_professionals <> $1",
            )
            .bind(required)
            .bind(organisation)
            .execute(D::on(&mut *tx))
            .await
            .map(|done| D::rows_affected(&done))?;
            if changed == 0 {
                // Unknown (an error), or already so.
                tx.rollback().await?;
                Self::second_factor_policy(pool, organisation).await?;
                return Ok(false);
            }
            let entry = AuditEntry::new(actor, AuditAction::SecondFactorPolicy)
                .organisation(organisation)
                .detail(if required {
                    "professionals need a second factor"
                } else {
                    "professionals choose a second factor"
                });
            Self::commit_audited(tx, &entry).await?;
            Ok(true)
        }
    }
);

/// A session's stored kind; anything but `api` is a browser's.
fn session_kind(code: &str) -> SessionKind {
    match code {
        "api" => SessionKind::Api,
        _ => SessionKind::Web,
    }
}
