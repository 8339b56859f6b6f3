//! The letters made for a case (migration 0017): recorded with an audit line in one
//! transaction, read back for the case's own page. The same statements on SQLite and PostgreSQL.

use sqlx::{Pool, Row};

use super::now;
use crate::{Actor, AuditAction, AuditEntry, MadeLetter, NewLetter, StoreError, Subject};

shared_sql!(
    impl<D> Sql<D> {
        /// Records a letter made for a case; its id. The audit line names the letter and the
        /// format, never its text.
        pub(crate) async fn record_letter(
            pool: &Pool<D>,
            actor: &Actor,
            organisation: &str,
            case_ref: &str,
            letter: &NewLetter<'_>,
        ) -> Result<i64, StoreError> {
            let mut tx = D::begin_write(pool).await?;
            let row = sqlx::query(
                "INSERT INTO case_letters (case_id, letter, format, made_at, made_by, subject, body)
                 SELECT c.id, $1, $2, $3, $4, $5, $6 FROM cases c
                 JOIN organisations o ON o.id = c.organisation_id
                 WHERE o.name = $7 AND c.case_ref = $8
                 RETURNING id",
            )
            .bind(letter.letter)
            .bind(letter.format)
            .bind(now())
            .bind(actor.as_str())
            .bind(letter.subject)
            .bind(letter.body)
            .bind(organisation)
            .bind(case_ref)
            .fetch_optional(D::on(&mut *tx))
            .await?
            .ok_or_else(|| StoreError::NotFound(Subject::case(organisation, case_ref)))?;
            let id: i64 = row.try_get(0)?;
            Self::commit_audited(
                tx,
                &AuditEntry::new(actor, AuditAction::MakeLetter)
                    .case(organisation, case_ref)
                    .detail(format!(
                        "letter {} ({}), number {id}",
                        letter.letter, letter.format
                    )),
            )
            .await?;
            Ok(id)
        }

        /// The letters made for a case, oldest first.
        pub(crate) async fn letters_made(
            pool: &Pool<D>,
            organisation: &str,
            case_ref: &str,
        ) -> Result<Vec<MadeLetter>, StoreError> {
            let rows = sqlx::query(
                "SELECT l.id, l.letter, l.format, l.made_at, l.made_by, l.subject, l.body
                 FROM case_letters l JOIN cases c ON c.id = l.case_id
                 JOIN organisations o ON o.id = c.organisation_id
                 WHERE o.name = $1 AND c.case_ref = $2 ORDER BY l.id",
            )
            .bind(organisation)
            .bind(case_ref)
            .fetch_all(D::on(&mut *D::acquire(pool).await?))
            .await?;
            rows.iter()
                .map(|row| {
                    Ok(MadeLetter {
                        id: row.try_get(0)?,
                        letter: row.try_get(1)?,
                        format: row.try_get(2)?,
                        made_at: row.try_get(3)?,
                        made_by: row.try_get(4)?,
                        subject: row.try_get(5)?,
                        body: row.try_get(6)?,
                    })
                })
                .collect()
        }
    }
);
