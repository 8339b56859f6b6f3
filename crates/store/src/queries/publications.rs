//! The figures of publication bundles, kept as published (migration 0020 SQLite / 0016
//! PostgreSQL). The same statements on SQLite and PostgreSQL.

use sha2::{Digest, Sha256};
use sqlx::{Pool, Row};

use super::now;
use crate::{Actor, AuditAction, AuditEntry, NewPublication, PublicationRecord, StoreError};

const SELECT_PUBLICATION: &str =
    "SELECT id, made_at, made_by, organisation, scope, figures_sha256 FROM publications";

shared_sql!(
    impl<D> Sql<D> {
        pub(crate) async fn record_publication(
            pool: &Pool<D>,
            actor: &Actor,
            publication: &NewPublication<'_>,
        ) -> Result<(i64, String), StoreError> {
            let sha256: String = Sha256::digest(publication.figures.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            let mut tx = D::begin_write(pool).await?;
            let id: i64 = sqlx::query(
                "INSERT INTO publications (made_at, made_by, organisation, scope, figures, figures_sha256)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(now())
            .bind(actor.as_str())
            .bind(publication.organisation)
            .bind(publication.scope)
            .bind(publication.figures)
            .bind(&sha256)
            .fetch_one(D::on(&mut *tx))
            .await?
            .try_get(0)?;
            let mut entry = AuditEntry::new(actor, AuditAction::Publish)
                .detail(format!("publication {id}: figures SHA-256 {sha256}"));
            entry.organisation = publication.organisation.map(str::to_string);
            Self::commit_audited(tx, &entry).await?;
            Ok((id, sha256))
        }

        fn publication_of(row: &D::Row) -> Result<PublicationRecord, StoreError> {
            Ok(PublicationRecord {
                id: row.try_get(0)?,
                made_at: row.try_get(1)?,
                made_by: row.try_get(2)?,
                organisation: row.try_get(3)?,
                scope: row.try_get(4)?,
                figures_sha256: row.try_get(5)?,
            })
        }

        pub(crate) async fn publications(
            pool: &Pool<D>,
        ) -> Result<Vec<PublicationRecord>, StoreError> {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "{SELECT_PUBLICATION} ORDER BY id DESC"
            )))
            .fetch_all(D::on(&mut *D::acquire(pool).await?))
            .await?;
            rows.iter().map(Self::publication_of).collect()
        }

        pub(crate) async fn publication(
            pool: &Pool<D>,
            id: i64,
        ) -> Result<Option<(PublicationRecord, String)>, StoreError> {
            let row = sqlx::query(
                "SELECT id, made_at, made_by, organisation, scope, figures_sha256, figures
                 FROM publications WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(D::on(&mut *D::acquire(pool).await?))
            .await?;
            row.map(|row| Ok((Self::publication_of(&row)?, row.try_get(6)?)))
                .transpose()
        }
    }
);
