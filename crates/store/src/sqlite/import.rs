//! The SQLite import path: one write transaction, prepared statements, values bound in place.
//!
//! Why not sqlx here, as everywhere else in the store: sqlx copies every bound value and hands every
//! statement to its own SQLite thread. For a million cases of ~30 values that overhead was larger
//! than SQLite's own work (see BENCHMARKS.md). rusqlite, on the same bundled SQLite library, binds
//! straight into a cached prepared statement on the importing thread.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use tokio::sync::mpsc;

use dakwacht_core::{Case, Child, ChildProfile, ChildRow, Children};

use super::tally;
use crate::changes::{Batch, Import, Update};
use crate::children::{
    ChildColumns, ChildWrite, INSERT_CHILD, INSERT_CHILD_CHANGE, SELECT_CHILD_COLUMNS, StoredChild,
    UPDATE_CHILD,
};
use crate::rows::{COLUMNS, CaseRow, SELECT_CASE, StoredCase};
use crate::{Actor, ImportMessage, ImportSummary, StoreError};

/// Case columns are parameters ?7 onwards in both statements, so [`bind_case`] serves both.
pub(crate) fn insert_sql() -> String {
    let placeholders: Vec<String> = (7..7 + COLUMNS.len()).map(|i| format!("?{i}")).collect();
    format!(
        "INSERT INTO cases (organisation_id, version, created_at, updated_at, created_by, import_id, {}) \
         VALUES (?1, 1, ?2, ?2, ?3, ?4, {})",
        COLUMNS.join(", "),
        placeholders.join(", ")
    )
}

/// The update of a case; its columns are parameters ?7 onwards, as in [`insert_sql`].
pub(crate) fn update_case_sql() -> String {
    crate::rows::update_sql('?', 7)
}

/// Binds the case columns of a row to parameters 7, 8, … of a prepared statement.
pub(crate) fn bind_case(
    statement: &mut rusqlite::Statement<'_>,
    row: &CaseRow,
) -> rusqlite::Result<()> {
    let mut i = 7;
    let mut bind = |value: &dyn rusqlite::ToSql| -> rusqlite::Result<()> {
        statement.raw_bind_parameter(i, value)?;
        i += 1;
        Ok(())
    };
    bind(&row.case_ref)?;
    bind(&row.reported_on)?;
    bind(&row.municipality)?;
    bind(&row.municipality_key)?;
    bind(&row.household)?;
    bind(&row.children_count)?;
    bind(&row.children_ages)?;
    bind(&row.tenancy)?;
    bind(&row.home_lost_on)?;
    bind(&row.home_lost_precision)?;
    bind(&row.route)?;
    bind(&row.main_reason)?;
    bind(&row.other_reasons)?;
    bind(&row.legal_support)?;
    bind(&row.default_judgment)?;
    bind(&row.alternative_offered)?;
    bind(&row.situation_after)?;
    bind(&row.current_situation)?;
    bind(&row.last_seen_on)?;
    bind(&row.last_seen_situation)?;
    bind(&row.rehoused_on)?;
    bind(&row.child_heard)?;
    bind(&row.best_interest_weighed)?;
    bind(&row.family_separated)?;
    bind(&row.shelter_refused_no_binding)?;
    bind(&row.school_disrupted)?;
    bind(&row.notes)?;
    bind(&row.extra)?;
    bind(&row.children_age_unknown)?;
    bind(&row.homeless_months)?;
    bind(&row.profile)?;
    bind(&row.survival)?;
    Ok(())
}

pub(crate) fn stored_case(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredCase> {
    Ok(StoredCase {
        id: row.get(0)?,
        organisation: row.get(1)?,
        case_ref: row.get(2)?,
        reported_on: row.get(3)?,
        municipality: row.get(4)?,
        household: row.get(5)?,
        children_count: row.get(6)?,
        children_ages: row.get(7)?,
        tenancy: row.get(8)?,
        home_lost_on: row.get(9)?,
        home_lost_precision: row.get(10)?,
        route: row.get(11)?,
        main_reason: row.get(12)?,
        other_reasons: row.get(13)?,
        legal_support: row.get(14)?,
        default_judgment: row.get(15)?,
        alternative_offered: row.get(16)?,
        situation_after: row.get(17)?,
        current_situation: row.get(18)?,
        last_seen_on: row.get(19)?,
        last_seen_situation: row.get(20)?,
        rehoused_on: row.get(21)?,
        child_heard: row.get(22)?,
        best_interest_weighed: row.get(23)?,
        family_separated: row.get(24)?,
        shelter_refused_no_binding: row.get(25)?,
        school_disrupted: row.get(26)?,
        notes: row.get(27)?,
        extra: row.get(28)?,
    })
}

/// Runs one import on the calling (blocking) thread. Nothing is committed unless the stream ends
/// with [`ImportMessage::Commit`].
pub(crate) fn import(
    file: &crate::sqlite::SqliteFile,
    actor: &Actor,
    source: &str,
    mut messages: mpsc::Receiver<ImportMessage>,
) -> Result<ImportSummary, StoreError> {
    let mut conn = file.connect_for_import()?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "cache_size", "-120000")?;
    conn.set_prepared_statement_cache_capacity(16);
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let at = jiff::Timestamp::now().to_string();
    let import_id: i64 = tx.query_row(
        "INSERT INTO imports (actor, source, started_at) VALUES (?1, ?2, ?3) RETURNING id",
        params![actor.as_str(), source, at],
        |row| row.get(0),
    )?;

    let insert = insert_sql();
    let update_statement = update_case_sql();
    let lookup = format!("{SELECT_CASE} WHERE c.organisation_id = ?1 AND c.case_ref = ?2");
    let mut organisations: HashMap<String, (i64, bool)> = HashMap::new();
    let mut import = Import::new();

    let mut children = ChildImport::new(actor, &at, import_id);
    let mut paused: Option<tally::SetAside> = None;
    // The running counts of the cases and records this import creates are added up here and
    // written once.
    let counting_cases = tally::SetAside::pause(&tx, "cases", tally::CASE_INSERT_TRIGGER)?;
    let counting_records = tally::SetAside::pause(&tx, "children", tally::CHILD_INSERT_TRIGGER)?;
    let noting_due = tally::SetAside::pause(&tx, "cases", tally::DUE_INSERT_TRIGGER)?;
    let mut created = tally::Created::default();
    // Into an empty database (the first load of a national file), the cases' indexes are made
    // once at the end.
    let empty: bool = tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM cases)", [], |row| {
        row.get(0)
    })?;
    let indexes = match empty {
        true => Some(tally::SetAside::pause_indexes(&tx)?),
        false => None,
    };

    // An early return drops the transaction, which rolls it back: nothing of this file is kept.
    while let Some(batch) = import.next_batch(messages.blocking_recv())? {
        let cases = match batch {
            Batch::Cases(cases) => cases,
            Batch::Children(rows) => {
                if paused.is_none() {
                    paused = Some(tally::SetAside::pause(&tx, "children", "case_signals_%")?);
                }
                for row in &rows {
                    children.write(&tx, &mut import, row)?;
                }
                continue;
            }
        };
        for case in cases {
            let name = case.organisation.as_str();
            let (org_id, had_cases) = match organisations.get(name) {
                Some(&known) => known,
                None => {
                    let known = organisation(&tx, name, &at)?;
                    organisations.insert(name.to_string(), known);
                    known
                }
            };
            let existing = if had_cases {
                let mut statement = tx.prepare_cached(&lookup)?;
                statement
                    .query_row(params![org_id, case.case_ref.as_str()], stored_case)
                    .optional()?
            } else {
                None
            };
            match existing {
                None => {
                    import.create(&case);
                    let mut statement = tx.prepare_cached(&insert)?;
                    statement.raw_bind_parameter(1, org_id)?;
                    statement.raw_bind_parameter(2, &at)?;
                    statement.raw_bind_parameter(3, actor.as_str())?;
                    statement.raw_bind_parameter(4, import_id)?;
                    let row = CaseRow::from_case(&case);
                    bind_case(&mut statement, &row)?;
                    statement.raw_execute()?;
                    created.add(&row);
                }
                Some(stored) => {
                    if let Some(update) = import.update(stored, &case)? {
                        record_update(
                            &tx,
                            &update_statement,
                            &update,
                            &at,
                            actor,
                            Some(import_id),
                        )?;
                    }
                }
            }
        }
    }
    if let Some(paused) = paused {
        paused.resume(&tx)?;
    }
    if let Some(indexes) = indexes {
        indexes.resume(&tx)?;
    }
    std::mem::take(&mut children.created).write(&tx)?;
    created.write(&tx)?;
    counting_cases.resume(&tx)?;
    counting_records.resume(&tx)?;
    noting_due.resume(&tx)?;
    for &case_id in import.cases_to_recheck().to_vec().iter() {
        let case = case_by_id(&tx, case_id)?;
        let stored = children_of(&tx, case_id)?;
        import.recheck_children(&case, &stored);
    }
    let finished = import.finish(source)?;
    let summary = finished.summary;
    tx.execute(
        "UPDATE imports SET finished_at = ?1, created = ?2, updated = ?3, unchanged = ?4 WHERE id = ?5",
        params![
            jiff::Timestamp::now().to_string(),
            summary.created as i64,
            summary.updated as i64,
            summary.unchanged as i64,
            import_id
        ],
    )?;
    // The import is audited in its own transaction: both are stored, or neither.
    crate::audit_chain::append_on_sqlite(
        &tx,
        &jiff::Timestamp::now().to_string(),
        &crate::AuditEntry::new(actor, crate::AuditAction::Import).detail(&finished.audit_detail),
    )?;
    tx.commit()?;
    Ok(summary)
}

/// The case of `id`, as stored now.
fn case_by_id(tx: &rusqlite::Transaction<'_>, id: i64) -> Result<Case, StoreError> {
    let sql = format!("{SELECT_CASE} WHERE c.id = ?1");
    let stored = tx.prepare_cached(&sql)?.query_row([id], stored_case)?;
    stored.into_case()
}

/// Every stored child record of a case, by number.
pub(crate) fn children_of(
    tx: &rusqlite::Transaction<'_>,
    case_id: i64,
) -> Result<Vec<Child>, StoreError> {
    let sql = format!(
        "SELECT {SELECT_CHILD_COLUMNS} FROM children ch WHERE ch.case_id = ?1 ORDER BY ch.child_no"
    );
    let mut statement = tx.prepare_cached(&sql)?;
    let rows = statement.query_map([case_id], |row| StoredChild::of_sqlite(row, 0))?;
    let mut children = Vec::new();
    for row in rows {
        children.push(row?.into_child(case_id)?);
    }
    Ok(children)
}

/// The child records of an import, written one by one in its transaction. The rows of one case
/// follow each other in a children file, so the case they are checked against is kept while
/// they do.
struct ChildImport<'a> {
    actor: &'a Actor,
    at: &'a str,
    import_id: i64,
    /// The case of the last record.
    case: Option<CaseOfChildren>,
    /// The two lookups of each record, made once (an import has over a million records).
    case_lookup: String,
    child_lookup: String,
    /// The insert of a record of a case this import created, which cannot have one yet.
    insert_new: String,
    /// The records created, for the running counts.
    created: tally::Created,
}

/// The case of a run of child records: its organisation and reference as the records give
/// them, and its row and children when the store has it.
struct CaseOfChildren {
    organisation: String,
    case_ref: String,
    stored: Option<FamilyOfChildren>,
}

/// What a child record is checked against, of a stored case.
struct FamilyOfChildren {
    id: i64,
    children: Children,
    /// Created by this import: no record of its children is stored but by this import, so the
    /// lookup of each record before it is written can be left out (at a million cases it cost
    /// seconds).
    created_here: bool,
}

impl<'a> ChildImport<'a> {
    fn new(actor: &'a Actor, at: &'a str, import_id: i64) -> Self {
        ChildImport {
            actor,
            at,
            import_id,
            case: None,
            case_lookup: "SELECT c.id, c.children_count, c.children_ages, \
                     c.version = 1 AND c.import_id IS ?3 \
                 FROM cases c JOIN organisations o ON o.id = c.organisation_id \
                 WHERE o.name = ?1 AND c.case_ref = ?2"
                .to_string(),
            child_lookup: format!(
                "SELECT {SELECT_CHILD_COLUMNS} FROM children ch WHERE ch.case_id = ?1 AND ch.child_no = ?2"
            ),
            insert_new: format!("{INSERT_CHILD} ON CONFLICT (case_id, child_no) DO NOTHING"),
            created: tally::Created::default(),
        }
    }

    /// The stored case of `organisation` and `case_ref`, with its children.
    fn family(
        &self,
        tx: &rusqlite::Transaction<'_>,
        organisation: &str,
        case_ref: &str,
    ) -> Result<Option<FamilyOfChildren>, StoreError> {
        let row = tx
            .prepare_cached(&self.case_lookup)?
            .query_row(params![organisation, case_ref, self.import_id], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, Option<String>>(2)?,
                    row.get::<_, bool>(3)?,
                ))
            })
            .optional()?;
        let Some((id, count, ages, created_here)) = row else {
            return Ok(None);
        };
        let corrupt = |column: &str, value: &str| {
            StoreError::Corrupt(format!("case {id}: column {column} holds '{value}'"))
        };
        let count =
            u8::try_from(count).map_err(|_| corrupt("children_count", &count.to_string()))?;
        let ages = match ages {
            None => None,
            Some(text) => {
                Some(Children::parse_ages(&text).ok_or_else(|| corrupt("children_ages", &text))?)
            }
        };
        Ok(Some(FamilyOfChildren {
            id,
            children: Children { count, ages },
            created_here,
        }))
    }

    fn write(
        &mut self,
        tx: &rusqlite::Transaction<'_>,
        import: &mut Import,
        row: &ChildRow,
    ) -> Result<(), StoreError> {
        let (organisation, case_ref) = (row.organisation.as_str(), row.case_ref.as_str());
        let same = self
            .case
            .as_ref()
            .is_some_and(|c| c.organisation == organisation && c.case_ref == case_ref);
        if !same {
            let stored = self.family(tx, organisation, case_ref)?;
            self.case = Some(CaseOfChildren {
                organisation: organisation.to_string(),
                case_ref: case_ref.to_string(),
                stored,
            });
        }
        let Some(family) = self.case.as_ref().and_then(|c| c.stored.as_ref()) else {
            import.child_without_case(row);
            return Ok(());
        };
        let (case_id, child_no) = (family.id, i64::from(row.child.child_no));
        // A record of a case made by this import is new, unless the stream brought the same
        // child twice: then the insert does nothing, and the record goes the long way below.
        if family.created_here {
            let mut statement = tx.prepare_cached(&self.insert_new)?;
            self.bind_new(&mut statement, case_id, &row.child)?;
            if statement.raw_execute()? == 1 {
                self.created.add_record(ChildProfile::of(&row.child).pack());
                import.child(&family.children, None, row);
                return Ok(());
            }
        }
        let stored = tx
            .prepare_cached(&self.child_lookup)?
            .query_row(params![case_id, child_no], |r| StoredChild::of_sqlite(r, 0))
            .optional()?
            .map(|stored| stored.into_child(case_id))
            .transpose()?;
        let (write, child) = import.child(&family.children, stored.as_ref(), row);
        if !matches!(write, ChildWrite::Unchanged) && !family.created_here {
            tx.prepare_cached(FORGET_SIGNALS)?.execute([case_id])?;
        }
        match write {
            ChildWrite::Unchanged => {}
            ChildWrite::Create => {
                let mut statement = tx.prepare_cached(INSERT_CHILD)?;
                self.bind_new(&mut statement, case_id, &child)?;
                statement.raw_execute()?;
                self.created.add_record(ChildProfile::of(&child).pack());
            }
            ChildWrite::Update { changes } => {
                let mut statement = tx.prepare_cached(UPDATE_CHILD)?;
                statement.raw_bind_parameter(1, self.at)?;
                ChildColumns::of(&child).bind_sqlite(&mut statement, 2)?;
                statement.raw_bind_parameter(13, ChildProfile::of(&child).pack())?;
                statement.raw_bind_parameter(14, case_id)?;
                statement.raw_bind_parameter(15, child_no)?;
                statement.raw_execute()?;
                tx.prepare_cached(INSERT_CHILD_CHANGE)?.execute(params![
                    case_id,
                    child_no,
                    self.at,
                    self.actor.as_str(),
                    "updated",
                    self.import_id,
                    changes
                ])?;
            }
        }
        Ok(())
    }

    /// Binds a new record to [`INSERT_CHILD`] (or `insert_new`, which is that statement too).
    fn bind_new(
        &self,
        statement: &mut rusqlite::Statement<'_>,
        case_id: i64,
        child: &Child,
    ) -> Result<(), StoreError> {
        statement.raw_bind_parameter(1, case_id)?;
        statement.raw_bind_parameter(2, i64::from(child.child_no))?;
        statement.raw_bind_parameter(3, self.at)?;
        statement.raw_bind_parameter(4, self.actor.as_str())?;
        ChildColumns::of(child).bind_sqlite(statement, 5)?;
        statement.raw_bind_parameter(16, ChildProfile::of(child).pack())?;
        Ok(())
    }
}

/// Forgets a case's kept signals, as the paused triggers would have.
const FORGET_SIGNALS: &str = "DELETE FROM case_signals WHERE case_id = ?1";

/// The organisation's id (created if new), and whether it had cases before this import: if not,
/// every case of it is new and the lookup per case can be skipped.
pub(crate) fn organisation(
    tx: &rusqlite::Transaction<'_>,
    name: &str,
    at: &str,
) -> Result<(i64, bool), StoreError> {
    let existing: Option<i64> = tx
        .query_row(
            "SELECT id FROM organisations WHERE name = ?1",
            [name],
            |row| row.get(0),
        )
        .optional()?;
    Ok(match existing {
        Some(id) => {
            let has_cases: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM cases WHERE organisation_id = ?1)",
                [id],
                |row| row.get(0),
            )?;
            (id, has_cases)
        }
        None => {
            let id = tx.query_row(
                "INSERT INTO organisations (name, created_at) VALUES (?1, ?2) RETURNING id",
                params![name, at],
                |row| row.get(0),
            )?;
            (id, false)
        }
    })
}

/// Writes a changed case and its history entry; returns the new version.
pub(crate) fn record_update(
    tx: &rusqlite::Transaction<'_>,
    sql: &str,
    update: &Update,
    at: &str,
    actor: &Actor,
    import_id: Option<i64>,
) -> Result<i64, StoreError> {
    let id = update.id;
    let mut statement = tx.prepare_cached(sql)?;
    statement.raw_bind_parameter(1, id)?;
    statement.raw_bind_parameter(2, at)?;
    bind_case(&mut statement, &CaseRow::from_case(&update.new))?;
    let version: i64 = {
        let mut rows = statement.raw_query();
        let row = rows
            .next()?
            .ok_or_else(|| StoreError::Corrupt(format!("case {id} vanished during the import")))?;
        row.get(0)?
    };

    tx.prepare_cached(
        "INSERT INTO case_changes (case_id, version, changed_at, actor, action, import_id, changes) \
         VALUES (?1, ?2, ?3, ?4, 'updated', ?5, ?6)",
    )?
    .execute(params![
        id,
        version,
        at,
        actor.as_str(),
        import_id,
        crate::rows::change_record(&update.old, &update.new, &update.changed)
    ])?;
    Ok(version)
}
