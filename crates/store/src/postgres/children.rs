//! The child records of an import on PostgreSQL: a batch at a time, its cases and stored records
//! read in two statements, new records inserted in one.

use std::collections::HashMap;

use dakwacht_core::{Case, Child, ChildProfile, ChildRow};
use sqlx::{PgConnection, Postgres};

use super::copy::CopyRows;

use crate::Actor;
use crate::StoreError;
use crate::changes::Import;
use crate::children::{
    ChildColumns, ChildWrite, INSERT_CHILD_CHANGE, SELECT_CHILD_COLUMNS, StoredChild, UPDATE_CHILD,
};
use crate::rows::{SELECT_CASE, StoredCase};

/// Who writes the records of one import, when, and in which import.
pub(crate) struct Writer<'a> {
    pub(crate) actor: &'a Actor,
    pub(crate) at: &'a str,
    pub(crate) import_id: i64,
}

/// A record to insert: case id, child number, columns, packed profile.
type NewChild = (i64, i64, ChildColumns, i64);

/// A stored child record with its case's row.
#[derive(sqlx::FromRow)]
struct StoredChildOfCase {
    case_id: i64,
    #[sqlx(flatten)]
    child: StoredChild,
}

impl Writer<'_> {
    /// Writes one batch of child records (see [`crate::ImportMessage::Children`]).
    pub(crate) async fn write(
        &self,
        conn: &mut PgConnection,
        import: &mut Import,
        rows: &[ChildRow],
    ) -> Result<(), StoreError> {
        let cases = cases_of(conn, rows).await?;
        let ids: Vec<i64> = cases.values().map(|(id, _)| *id).collect();
        let mut stored: HashMap<(i64, i64), Child> = HashMap::new();
        let sql = format!(
            "SELECT ch.case_id, {SELECT_CHILD_COLUMNS} FROM children ch WHERE ch.case_id = ANY($1)"
        );
        let found: Vec<StoredChildOfCase> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(&ids)
            .fetch_all(&mut *conn)
            .await?;
        for row in found {
            let key = (row.case_id, row.child.child_no);
            stored.insert(key, row.child.into_child(row.case_id)?);
        }

        let mut new: Vec<NewChild> = Vec::new();
        for row in rows {
            let key = (row.organisation.to_string(), row.case_ref.to_string());
            let Some((case_id, case)) = cases.get(&key) else {
                import.child_without_case(row);
                continue;
            };
            let child_no = i64::from(row.child.child_no);
            let (write, child) =
                import.child(&case.children, stored.get(&(*case_id, child_no)), row);
            let columns = ChildColumns::of(&child);
            let profile = ChildProfile::of(&child).pack();
            match write {
                ChildWrite::Unchanged => {}
                ChildWrite::Create => new.push((*case_id, child_no, columns, profile)),
                ChildWrite::Update { changes } => {
                    self.update(conn, *case_id, child_no, (columns, profile), changes)
                        .await?;
                }
            }
        }
        self.insert(conn, new).await
    }

    async fn update(
        &self,
        conn: &mut PgConnection,
        case_id: i64,
        child_no: i64,
        (columns, profile): (ChildColumns, i64),
        changes: String,
    ) -> Result<(), StoreError> {
        let query = sqlx::query(UPDATE_CHILD).bind(self.at);
        bind_columns(query, columns)
            .bind(profile)
            .bind(case_id)
            .bind(child_no)
            .execute(&mut *conn)
            .await?;
        sqlx::query(INSERT_CHILD_CHANGE)
            .bind(case_id)
            .bind(child_no)
            .bind(self.at)
            .bind(self.actor.as_str())
            .bind("updated")
            .bind(self.import_id)
            .bind(changes)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    async fn insert(&self, conn: &mut PgConnection, new: Vec<NewChild>) -> Result<(), StoreError> {
        let mut copy = CopyRows::new(
            "children",
            &[
                "case_id",
                "child_no",
                "created_at",
                "created_by",
                "updated_at",
                "age",
                "stays_with",
                "separated",
                "school",
                "school_days_missed",
                "heard",
                "heard_by",
                "best_interest_assessed",
                "youth_care",
                "notes",
                "extra",
                "profile",
            ],
        );
        for (case_id, child_no, c, profile) in new {
            copy.field(&case_id)
                .field(&child_no)
                .field(self.at)
                .field(self.actor.as_str())
                .field(self.at)
                .field(&c.age)
                .field(&c.stays_with)
                .field(&c.separated)
                .field(&c.school)
                .field(&c.school_days_missed)
                .field(&c.heard)
                .field(&c.heard_by)
                .field(&c.best_interest_assessed)
                .field(&c.youth_care)
                .field(&c.notes)
                .field(&c.extra)
                .field(&profile);
            copy.end_row();
        }
        copy.send(conn).await?;
        Ok(())
    }
}

/// The stored cases the records of a batch belong to, by organisation and reference, with their
/// rows (locked, as the import's cases are).
async fn cases_of(
    conn: &mut PgConnection,
    rows: &[ChildRow],
) -> Result<HashMap<(String, String), (i64, Case)>, StoreError> {
    let mut by_organisation: HashMap<&str, Vec<String>> = HashMap::new();
    for row in rows {
        let refs = by_organisation
            .entry(row.organisation.as_str())
            .or_default();
        if refs.last().map(String::as_str) != Some(row.case_ref.as_str()) {
            refs.push(row.case_ref.to_string());
        }
    }
    let sql =
        format!("{SELECT_CASE} WHERE o.name = $1 AND c.case_ref = ANY($2::text[]) FOR UPDATE OF c");
    let mut cases = HashMap::new();
    for (organisation, refs) in by_organisation {
        let found: Vec<StoredCase> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(organisation)
            .bind(refs)
            .fetch_all(&mut *conn)
            .await?;
        for stored in found {
            let key = (organisation.to_string(), stored.case_ref.clone());
            let id = stored.id;
            cases.insert(key, (id, stored.into_case()?));
        }
    }
    Ok(cases)
}

/// Every stored child record of a case, by number.
pub(crate) async fn children_of(
    conn: &mut PgConnection,
    case_id: i64,
) -> Result<Vec<Child>, StoreError> {
    let sql = format!(
        "SELECT {SELECT_CHILD_COLUMNS} FROM children ch WHERE ch.case_id = $1 ORDER BY ch.child_no"
    );
    let rows: Vec<StoredChild> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(case_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.into_iter()
        .map(|row| row.into_child(case_id))
        .collect()
}

/// The case of `id`, as stored now.
pub(crate) async fn case_by_id(conn: &mut PgConnection, id: i64) -> Result<Case, StoreError> {
    let sql = format!("{SELECT_CASE} WHERE c.id = $1");
    let stored: StoredCase = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    stored.into_case()
}

fn bind_columns<'q>(
    query: sqlx::query::Query<'q, Postgres, sqlx::postgres::PgArguments>,
    c: ChildColumns,
) -> sqlx::query::Query<'q, Postgres, sqlx::postgres::PgArguments> {
    query
        .bind(c.age)
        .bind(c.stays_with)
        .bind(c.separated)
        .bind(c.school)
        .bind(c.school_days_missed)
        .bind(c.heard)
        .bind(c.heard_by)
        .bind(c.best_interest_assessed)
        .bind(c.youth_care)
        .bind(c.notes)
        .bind(c.extra)
}
