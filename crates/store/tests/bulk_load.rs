#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! Issue 19.4: the first load of a file into an empty database sets the tables' indexes (and on
//! PostgreSQL their foreign keys) aside and makes them again before it commits, and PostgreSQL
//! receives new rows by `COPY`. What must hold whatever the path: the schema is whole afterwards
//! (also after an import that failed), a reference twice in one file is still refused, and every
//! character of a free text comes back as it went in.

use dakwacht_core::{Case, CaseFilter, ChildRow};
use dakwacht_store::{Actor, ImportMessage, ImportSummary, Store, StoreError};
use dakwacht_testkit::{Database, TestStore, read_cases, read_children};

/// Text that COPY's text format and CSV must both carry: its delimiter (a tab), its escape
/// character, its null marker, line ends of both kinds, quotes and a character outside ASCII.
const AWKWARD: &str = "tab\there, back\\slash, \\N, \"quoted\", line\nbreak, crlf\r\nend, één";
/// The same for a free column, which holds one line.
const AWKWARD_LINE: &str = "back\\slash, \\N, \\t, \"quoted\", één";

fn cases_csv(notes: &str) -> String {
    let quoted = notes.replace('"', "\"\"");
    let line = AWKWARD_LINE.replace('"', "\"\"");
    format!(
        "case_ref,organisation,reported_on,municipality,children_count,children_ages,notes,x_team\n\
         B-1,Org,2025-01-10,Utrecht,2,3;7,\"{quoted}\",\"{line}\"\n\
         B-2,Org,2025-01-11,Zwolle,1,5,,\n\
         B-3,Ander,2025-01-12,Utrecht,1,12,gewoon,noord\n"
    )
}

fn children(notes: &str) -> Vec<ChildRow> {
    let quoted = notes.replace('"', "\"\"");
    let text = format!(
        "case_ref,organisation,child_no,age,notes\n\
         B-1,Org,1,3,\"{quoted}\"\n\
         B-1,Org,2,7,\n"
    );
    read_children(text.as_bytes())
}

/// One import of `cases` and `children`; committed when `commit`.
async fn import<S: Store>(
    store: &S,
    cases: Vec<Case>,
    children: Vec<ChildRow>,
    commit: bool,
) -> Result<ImportSummary, StoreError> {
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    tx.send(ImportMessage::Cases(cases)).await.unwrap();
    tx.send(ImportMessage::Children(children)).await.unwrap();
    if commit {
        tx.send(ImportMessage::Commit).await.unwrap();
    }
    drop(tx);
    store.import(&Actor::cli("test"), "bulk.csv", rx).await
}

/// Everything sent on `rx` until the sender is gone.
async fn received<T>(mut rx: tokio::sync::mpsc::Receiver<Vec<T>>) -> Vec<T> {
    let mut all = Vec::new();
    while let Some(batch) = rx.recv().await {
        all.extend(batch);
    }
    all
}

async fn exported<S: Store>(store: &S) -> (Vec<Case>, Vec<ChildRow>) {
    let every = CaseFilter::default();
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let (sent, cases) = tokio::join!(store.export(&every, tx), received(rx));
    assert_eq!(sent.unwrap(), cases.len() as u64);
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let (sent, records) = tokio::join!(store.export_children(&every, tx), received(rx));
    assert_eq!(sent.unwrap(), records.len() as u64);
    (cases, records)
}

async fn the_first_load_leaves_the_schema_whole<S: TestStore>(database: &Database<S>) {
    let store = database.store();
    let schema = database.schema_objects().await;
    assert!(
        schema.iter().any(|o| o.starts_with("index cases_profile")),
        "the catalog lists the indexes: {schema:?}"
    );

    // A first load that fails (no commit): nothing stored, every index and key still there.
    let cases = read_cases(cases_csv("x").as_bytes());
    import(store, cases.clone(), children("x"), false)
        .await
        .unwrap_err();
    assert_eq!(database.schema_objects().await, schema);
    assert_eq!(exported(store).await.0.len(), 0);

    // A reference twice in one file into the empty database is refused, as into a full one.
    let mut twice = cases.clone();
    twice.push(cases[0].clone());
    assert!(import(store, twice, Vec::new(), true).await.is_err());
    assert_eq!(database.schema_objects().await, schema);

    // The first load that commits: the schema as before, the cases and records stored.
    let summary = import(store, cases, children("x"), true).await.unwrap();
    assert_eq!(summary.created, 3);
    assert_eq!(database.schema_objects().await, schema);
    let (cases, records) = exported(store).await;
    assert_eq!(cases.len(), 3);
    assert_eq!(records.len(), 2);
}

/// Every character of the notes and free columns of cases and records comes back, after the
/// first load (PostgreSQL: `COPY`; SQLite: indexes set aside) and after a later one.
async fn awkward_text_comes_back_as_it_went_in<S: TestStore>(database: &Database<S>) {
    let store = database.store();
    let first = read_cases(cases_csv(AWKWARD).as_bytes());
    import(store, first.clone(), children(AWKWARD), true)
        .await
        .unwrap();
    let (cases, records) = exported(store).await;
    let b1 = cases.iter().find(|c| c.case_ref.as_str() == "B-1").unwrap();
    assert_eq!(b1.notes.as_ref().map(|n| n.as_str()), Some(AWKWARD));
    assert_eq!(
        b1.extra.get("x_team").map(String::as_str),
        Some(AWKWARD_LINE)
    );
    assert_eq!(
        records[0].child.notes.as_ref().map(|n| n.as_str()),
        Some(AWKWARD)
    );
    let mut in_order = first;
    in_order.sort_by(|a, b| (&a.organisation, &a.case_ref).cmp(&(&b.organisation, &b.case_ref)));
    assert_eq!(
        cases, in_order,
        "the export gives back exactly what was imported, by organisation and reference"
    );

    // A later load into the database that now has cases takes the row-by-row path.
    let more = read_cases(
        cases_csv(AWKWARD)
            .replace("B-1", "C-1")
            .replace("B-2", "C-2")
            .replace("B-3", "C-3")
            .as_bytes(),
    );
    import(store, more, Vec::new(), true).await.unwrap();
    let (cases, _) = exported(store).await;
    let c1 = cases.iter().find(|c| c.case_ref.as_str() == "C-1").unwrap();
    assert_eq!(c1.notes.as_ref().map(|n| n.as_str()), Some(AWKWARD));
    assert_eq!(cases.len(), 6);
}

/// The export reads the selection the filter asks for, in order (SQLite reads it without sqlx).
async fn the_export_reads_the_selection<S: TestStore>(database: &Database<S>) {
    let store = database.store();
    import(
        store,
        read_cases(cases_csv("n").as_bytes()),
        children("n"),
        true,
    )
    .await
    .unwrap();
    let filter = CaseFilter {
        organisation: Some("Org".into()),
        ..CaseFilter::default()
    };
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let (sent, cases) = tokio::join!(store.export(&filter, tx), received(rx));
    assert_eq!(sent.unwrap(), 2);
    let refs: Vec<&str> = cases.iter().map(|c| c.case_ref.as_str()).collect();
    assert_eq!(refs, ["B-1", "B-2"]);

    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let other = CaseFilter {
        organisation: Some("Ander".into()),
        ..CaseFilter::default()
    };
    let (sent, records) = tokio::join!(store.export_children(&other, tx), received(rx));
    assert_eq!((sent.unwrap(), records.len()), (0, 0));
}

dakwacht_testkit::on_both_stores!(
    database: the_first_load_leaves_the_schema_whole,
    awkward_text_comes_back_as_it_went_in,
    the_export_reads_the_selection,
);
