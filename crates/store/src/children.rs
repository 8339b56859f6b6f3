//! A child record as a database row, and back; what an import does with a child record that
//! comes in. Shared by both stores, so what a column holds is decided once.

use std::collections::BTreeMap;

use dakwacht_core::codes::CodeList;
use dakwacht_core::{
    Case, Child, ChildError, ChildField, FamilySeparated, Heard, HeardBy, Notes, School, Schooling,
    StaysWith,
};

use crate::StoreError;

/// A stored child record as a select reads it ([`SELECT_CHILD_COLUMNS`]).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct StoredChild {
    pub child_no: i64,
    #[sqlx(flatten)]
    pub columns: ChildColumns,
    /// A complete assessment exists (kept by the assessment writes, never by an import).
    pub assessed: bool,
}

impl StoredChild {
    /// Reads the columns of [`SELECT_CHILD_COLUMNS`] from `first` on (rusqlite).
    pub(crate) fn of_sqlite(row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<Self> {
        let at = |i: usize| first + i;
        Ok(StoredChild {
            child_no: row.get(at(0))?,
            columns: ChildColumns {
                age: row.get(at(1))?,
                stays_with: row.get(at(2))?,
                separated: row.get(at(3))?,
                school: row.get(at(4))?,
                school_days_missed: row.get(at(5))?,
                heard: row.get(at(6))?,
                heard_by: row.get(at(7))?,
                best_interest_assessed: row.get(at(8))?,
                youth_care: row.get(at(9))?,
                notes: row.get(at(10))?,
                extra: row.get(at(11))?,
            },
            assessed: row.get(at(12))?,
        })
    }

    pub(crate) fn into_child(self, case_id: i64) -> Result<Child, StoreError> {
        Ok(Child {
            assessed_in_dakwacht: self.assessed,
            ..self.columns.into_child(case_id, self.child_no)?
        })
    }
}

/// The stored columns of a child record besides its key, in [`ChildColumns`] order.
#[derive(Debug, Clone, PartialEq, Eq, Default, sqlx::FromRow)]
pub(crate) struct ChildColumns {
    pub age: Option<i64>,
    pub stays_with: Option<String>,
    pub separated: Option<String>,
    pub school: Option<String>,
    pub school_days_missed: Option<i64>,
    pub heard: Option<bool>,
    pub heard_by: Option<String>,
    pub best_interest_assessed: Option<bool>,
    pub youth_care: Option<bool>,
    pub notes: Option<String>,
    pub extra: Option<String>,
}

impl ChildColumns {
    /// Binds the columns to parameters `first`, `first + 1`, … of a prepared statement
    /// (rusqlite).
    pub(crate) fn bind_sqlite(
        &self,
        statement: &mut rusqlite::Statement<'_>,
        first: usize,
    ) -> rusqlite::Result<()> {
        let values: [&dyn rusqlite::ToSql; 11] = [
            &self.age,
            &self.stays_with,
            &self.separated,
            &self.school,
            &self.school_days_missed,
            &self.heard,
            &self.heard_by,
            &self.best_interest_assessed,
            &self.youth_care,
            &self.notes,
            &self.extra,
        ];
        for (i, value) in values.into_iter().enumerate() {
            statement.raw_bind_parameter(first + i, value)?;
        }
        Ok(())
    }

    pub(crate) fn of(child: &Child) -> ChildColumns {
        let code = |code: Option<&'static str>| code.map(str::to_string);
        let (heard, heard_by) = match child.heard {
            None => (None, None),
            Some(Heard::No) => (Some(false), None),
            Some(Heard::Yes { by }) => (Some(true), code(by.map(HeardBy::code))),
        };
        ChildColumns {
            age: child.age.map(i64::from),
            stays_with: code(child.stays_with.map(StaysWith::code)),
            separated: code(child.separated.map(FamilySeparated::code)),
            school: code(child.schooling.school.map(School::code)),
            school_days_missed: child.schooling.days_missed.map(i64::from),
            heard,
            heard_by,
            best_interest_assessed: child.best_interest_assessed,
            youth_care: child.youth_care,
            notes: child.notes.as_ref().map(ToString::to_string),
            extra: (!child.extra.is_empty())
                .then(|| serde_json::to_string(&child.extra).unwrap_or_default()),
        }
    }

    /// Rebuilds the record of child `child_no`. Stored values were valid when written; one that
    /// no longer reads is [`StoreError::Corrupt`], naming the column, never a guess.
    pub(crate) fn into_child(self, case_id: i64, child_no: i64) -> Result<Child, StoreError> {
        let corrupt = |column: &str, value: &str| {
            StoreError::Corrupt(format!(
                "child {child_no} of case {case_id}: column {column} holds '{value}'"
            ))
        };
        fn code<T: CodeList>(
            value: Option<String>,
            column: &str,
            corrupt: &dyn Fn(&str, &str) -> StoreError,
        ) -> Result<Option<T>, StoreError> {
            value
                .map(|text| T::parse(&text).ok_or_else(|| corrupt(column, &text)))
                .transpose()
        }
        let small = |value: Option<i64>, column: &str| {
            value
                .map(|n| u16::try_from(n).map_err(|_| corrupt(column, &n.to_string())))
                .transpose()
        };
        let heard_by = code::<HeardBy>(self.heard_by, "heard_by", &corrupt)?;
        let heard = match (self.heard, heard_by) {
            (None, None) => None,
            (Some(false), None) => Some(Heard::No),
            (Some(true), by) => Some(Heard::Yes { by }),
            (_, Some(by)) => return Err(corrupt("heard_by", by.code())),
        };
        let extra = match self.extra {
            None => BTreeMap::new(),
            Some(text) => serde_json::from_str(&text).map_err(|_| corrupt("extra", &text))?,
        };
        let notes = match self.notes {
            None => None,
            Some(text) => Some(Notes::parse(&text).ok_or_else(|| corrupt("notes", "…"))?),
        };
        Ok(Child {
            child_no: u8::try_from(child_no).map_err(|_| corrupt("child_no", ""))?,
            age: small(self.age, "age")?
                .map(|age| u8::try_from(age).map_err(|_| corrupt("age", &age.to_string())))
                .transpose()?,
            stays_with: code(self.stays_with, "stays_with", &corrupt)?,
            separated: code(self.separated, "separated", &corrupt)?,
            schooling: Schooling {
                school: code(self.school, "school", &corrupt)?,
                days_missed: small(self.school_days_missed, "school_days_missed")?,
            },
            heard,
            best_interest_assessed: self.best_interest_assessed,
            youth_care: self.youth_care,
            notes,
            extra,
            assessed_in_dakwacht: false,
        })
    }
}

/// What changed in a child record, as stored in `child_changes.changes`: `{"field": [old, new]}`,
/// the text of notes left out as for cases (see `rows::change_record`).
pub(crate) fn child_change_record(old: &Child, new: &Child, changed: &[ChildField]) -> String {
    let mut changes = serde_json::Map::new();
    for &field in changed {
        let pair = if field == ChildField::Notes {
            serde_json::Value::Null
        } else {
            serde_json::json!([old.text(field), new.text(field)])
        };
        changes.insert(field.name().to_string(), pair);
    }
    if old.extra != new.extra {
        changes.insert("extra".into(), serde_json::json!([old.extra, new.extra]));
    }
    serde_json::Value::Object(changes).to_string()
}

/// A child record an import brings for a case it has, with what is stored of it.
pub(crate) enum ChildWrite {
    /// New: insert it.
    Create,
    /// Changed: write it, with this history entry.
    Update { changes: String },
    /// As stored.
    Unchanged,
}

impl ChildWrite {
    pub(crate) fn of(stored: Option<&Child>, incoming: &Child) -> ChildWrite {
        match stored {
            None => ChildWrite::Create,
            Some(old) => {
                let changed = old.changed_fields(incoming);
                if changed.is_empty() && old.extra == incoming.extra {
                    ChildWrite::Unchanged
                } else {
                    ChildWrite::Update {
                        changes: child_change_record(old, incoming, &changed),
                    }
                }
            }
        }
    }
}

/// The rules between the stored children of a case and the case as it is now stored: each child
/// one the case has, its age the one the case gives it (see [`Child::check_in`]).
pub(crate) fn check_children(case: &Case, children: &[Child]) -> Vec<(u8, Vec<ChildError>)> {
    children
        .iter()
        .map(|child| (child.child_no, child.check_in(case)))
        .filter(|(_, errors)| !errors.is_empty())
        .collect()
}

/// Inserts a child record: case id, child number, at, by, the [`ChildColumns`] as `$5`…`$15`,
/// then its packed profile (SQLite binds them in the order they first stand).
pub(crate) const INSERT_CHILD: &str = "INSERT INTO children (case_id, child_no, created_at, created_by, updated_at, \
     age, stays_with, separated, school, school_days_missed, heard, heard_by, \
     best_interest_assessed, youth_care, notes, extra, profile) \
     VALUES ($1, $2, $3, $4, $3, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)";

/// Replaces a child record's columns: at, the [`ChildColumns`] as `$2`…`$12`, its packed
/// profile, then case id and child number (in this order, as SQLite numbers them by where they
/// first stand).
pub(crate) const UPDATE_CHILD: &str = "UPDATE children SET updated_at = $1, \
     age = $2, stays_with = $3, separated = $4, school = $5, school_days_missed = $6, \
     heard = $7, heard_by = $8, best_interest_assessed = $9, youth_care = $10, notes = $11, \
     extra = $12, profile = $13 WHERE case_id = $14 AND child_no = $15";

/// A history entry of a child record: case id, child number, at, actor, action, import, changes.
pub(crate) const INSERT_CHILD_CHANGE: &str = "INSERT INTO child_changes \
     (case_id, child_no, changed_at, actor, action, import_id, changes) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// The child columns of a select, after `child_no` (see [`ChildColumns`]).
pub(crate) const SELECT_CHILD_COLUMNS: &str = "ch.child_no, ch.age, ch.stays_with, ch.separated, \
     ch.school, ch.school_days_missed, ch.heard, ch.heard_by, ch.best_interest_assessed, \
     ch.youth_care, ch.notes, ch.extra, ch.assessed";
