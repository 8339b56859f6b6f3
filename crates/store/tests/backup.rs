#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! `backup` and `restore` of the SQLite database, on real files: a backup made while an import
//! is running gives back, after a restore, every case and its history as they were; a backup
//! that is damaged, foreign or too new is refused before anything changes.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use dakwacht_core::{Case, CaseFilter, CaseRef, Notes, OrganisationName, date::parse_date};
use dakwacht_store::{Actor, AuditAction, Change, ImportMessage, SqliteStore, Store, StoreError};
use tokio::sync::mpsc;

use dakwacht_testkit::quickscan_cases;

fn new_cases(count: u32) -> Vec<Case> {
    (0..count)
        .map(|n| {
            Case::new(
                CaseRef::parse(&format!("LATER-{n:04}")).unwrap(),
                OrganisationName::parse("Straatalliantie").unwrap(),
                parse_date("2026-01-05").unwrap(),
                1,
            )
        })
        .collect()
}

async fn import(store: &SqliteStore, cases: Vec<Case>) {
    let (tx, rx) = mpsc::channel(2);
    tx.send(ImportMessage::Cases(cases)).await.unwrap();
    tx.send(ImportMessage::Commit).await.unwrap();
    store
        .import(&Actor::cli("tester"), "test.csv", rx)
        .await
        .unwrap();
}

/// Every case with its whole history, by organisation and reference.
async fn everything(store: &SqliteStore) -> BTreeMap<(String, String), (Case, Vec<Change>)> {
    let (tx, mut rx) = mpsc::channel(4);
    let filter = CaseFilter::default();
    let (count, cases) = tokio::join!(store.export(&filter, tx), async {
        let mut all = Vec::new();
        while let Some(batch) = rx.recv().await {
            all.extend(batch);
        }
        all
    });
    count.unwrap();
    let mut everything = BTreeMap::new();
    for case in cases {
        let key = (
            case.organisation.as_str().to_string(),
            case.case_ref.as_str().to_string(),
        );
        let history = store.history(&key.0, &key.1).await.unwrap();
        everything.insert(key, (case, history));
    }
    everything
}

/// Saves a hand edit of one case's notes.
async fn edit(store: &SqliteStore, case_ref: &str, notes: &str) {
    let (mut case, version) = store
        .case_with_version("Straatalliantie", case_ref)
        .await
        .unwrap()
        .unwrap();
    case.notes = Notes::parse(notes);
    store
        .save_case(&Actor::web("anna"), &case, Some(version))
        .await
        .unwrap();
}

fn location(dir: &tempfile::TempDir) -> String {
    dir.path().join("dakwacht.db").to_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restored_backup_gives_back_every_case_and_its_history() {
    let (dir, store) = dakwacht_testkit::sqlite().await;
    let cases = quickscan_cases();
    let edited = cases
        .iter()
        .find(|c| c.organisation.as_str() == "Straatalliantie")
        .unwrap()
        .case_ref
        .as_str()
        .to_string();
    import(&store, cases).await;
    edit(&store, &edited, "Gesprek met de school gehad").await;
    store
        .add_organisation(&Actor::cli("tester"), "Buurtteam Noord")
        .await
        .unwrap();
    let at_backup = everything(&store).await;
    assert_eq!(at_backup.len(), 23);
    assert_eq!(
        at_backup[&("Straatalliantie".into(), edited.clone())]
            .1
            .len(),
        2
    );

    // An import is under way (its transaction open, its end not sent) while the backup is made:
    // the copy does not wait for it, nor the import for the copy, and the copy holds none of it
    // (only the backup's line in the audit log waits for the import to finish).
    let importer = dakwacht_testkit::sqlite_in(dir.path()).await;
    let (tx, rx) = mpsc::channel(1);
    let running =
        tokio::spawn(async move { importer.import(&Actor::cli("later"), "later.csv", rx).await });
    tx.send(ImportMessage::Cases(new_cases(100))).await.unwrap();
    tx.send(ImportMessage::Cases(Vec::new())).await.unwrap();
    let target = dir.path().join("backup.db");
    let backing_up = {
        let (store, target) = (
            dakwacht_testkit::sqlite_in(dir.path()).await,
            target.clone(),
        );
        tokio::spawn(async move { store.backup(&Actor::cli("tester"), &target).await })
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        !target.exists(),
        "the backup is not complete before it is audited"
    );
    tx.send(ImportMessage::Commit).await.unwrap();
    assert_eq!(running.await.unwrap().unwrap().created, 100);
    let written = backing_up.await.unwrap().unwrap();
    assert_eq!(
        written.cases, 23,
        "the backup is the database as it was when it began"
    );
    assert_eq!(written.bytes, std::fs::metadata(&target).unwrap().len());
    assert!(!dir.path().join("backup.db.partial").exists());

    // Life goes on after the backup.
    edit(&store, &edited, "Later nog iets veranderd").await;
    store
        .add_organisation(&Actor::cli("tester"), "Na de back-up")
        .await
        .unwrap();
    assert_eq!(everything(&store).await.len(), 123);
    drop(store);

    let restored = SqliteStore::restore(&location(&dir), &target, &Actor::cli("tester"))
        .await
        .unwrap();
    assert_eq!(restored.cases, 23);
    let store = SqliteStore::open(&location(&dir)).await.unwrap();
    let now = everything(&store).await;
    assert_eq!(now.len(), at_backup.len());
    for (key, (case, history)) in &at_backup {
        let (restored_case, restored_history) = &now[key];
        assert_eq!(restored_case, case, "{key:?}");
        assert_eq!(restored_history, history, "history of {key:?}");
    }
    let organisations = store.organisations().await.unwrap();
    assert!(organisations.contains(&"Buurtteam Noord".to_string()));
    assert!(!organisations.contains(&"Na de back-up".to_string()));
    let restores = dakwacht_testkit::audit_of(&store, None, Some(AuditAction::Restore)).await;
    assert_eq!(restores.len(), 1);

    // The database as it was before the restore is kept, whole, so the restore can be undone.
    let kept = restored.previous_kept_as.unwrap();
    let before = SqliteStore::open(kept.to_str().unwrap()).await.unwrap();
    assert_eq!(everything(&before).await.len(), 123);
}

/// A backup made by an earlier dakwacht (here: one from before web sessions existed) is
/// restored and brought up to this dakwacht's schema.
#[tokio::test]
async fn an_older_backup_is_brought_up_to_date() {
    let (dir, store) = dakwacht_testkit::sqlite().await;
    import(&store, quickscan_cases()).await;
    let backup = dir.path().join("old.db");
    store.backup(&Actor::cli("tester"), &backup).await.unwrap();
    let at_backup = everything(&store).await;
    drop(store);
    rusqlite::Connection::open(&backup)
        .unwrap()
        .execute_batch("DROP TABLE sessions; DELETE FROM _sqlx_migrations WHERE version = 3;")
        .unwrap();

    SqliteStore::restore(&location(&dir), &backup, &Actor::cli("tester"))
        .await
        .unwrap();
    let store = SqliteStore::open(&location(&dir)).await.unwrap();
    assert_eq!(everything(&store).await, at_backup);
    let migrated: i64 = rusqlite::Connection::open(dir.path().join("dakwacht.db"))
        .unwrap()
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'sessions'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(migrated, 1);
}

#[tokio::test]
async fn a_backup_never_overwrites_a_file() {
    let (dir, store) = dakwacht_testkit::sqlite().await;
    let target = dir.path().join("already-there.db");
    std::fs::write(&target, b"something precious").unwrap();
    let refused = store
        .backup(&Actor::cli("tester"), &target)
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("exists already"), "{refused}");
    assert_eq!(std::fs::read(&target).unwrap(), b"something precious");
    let nowhere = store
        .backup(
            &Actor::cli("tester"),
            &dir.path().join("no-such-folder/b.db"),
        )
        .await
        .unwrap_err();
    assert!(nowhere.to_string().contains("no such folder"), "{nowhere}");
}

/// Expects `restore` of `backup` to be refused with a message containing `why`, leaving the
/// database and its directory as they were.
async fn assert_refused(dir: &tempfile::TempDir, backup: &Path, why: &str) {
    let files_before = files_in(dir.path());
    let refused = SqliteStore::restore(&location(dir), backup, &Actor::cli("tester"))
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains(why),
        "{}: {refused}",
        backup.display()
    );
    assert_eq!(files_in(dir.path()), files_before, "nothing was kept aside");
    let store = SqliteStore::open(&location(dir)).await.unwrap();
    assert_eq!(everything(&store).await.len(), 23);
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.ends_with("-wal") && !name.ends_with("-shm"))
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn a_damaged_foreign_or_newer_backup_is_refused_and_nothing_changes() {
    let (dir, store) = dakwacht_testkit::sqlite().await;
    import(&store, quickscan_cases()).await;
    let good = dir.path().join("good.db");
    store.backup(&Actor::cli("tester"), &good).await.unwrap();
    drop(store);
    let other = tempfile::tempdir().unwrap();

    assert_refused(&dir, &other.path().join("missing.db"), "no such file").await;

    let text = other.path().join("cases.csv");
    std::fs::write(&text, "case_ref,organisation\nA,B\n").unwrap();
    assert_refused(&dir, &text, "not an SQLite database").await;

    let damaged = other.path().join("damaged.db");
    let mut bytes = std::fs::read(&good).unwrap();
    let middle = bytes.len() / 3;
    bytes[middle..middle + 16_384].fill(0x55);
    std::fs::write(&damaged, bytes).unwrap();
    assert_refused(&dir, &damaged, "damaged").await;

    let foreign = other.path().join("foreign.db");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE cases (x TEXT); INSERT INTO cases VALUES ('y');")
        .unwrap();
    assert_refused(&dir, &foreign, "not a dakwacht database").await;

    let newer = other.path().join("newer.db");
    std::fs::copy(&good, &newer).unwrap();
    rusqlite::Connection::open(&newer)
        .unwrap()
        .execute(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (99, 'later', 1, x'00', 0)",
            [],
        )
        .unwrap();
    assert_refused(&dir, &newer, "newer dakwacht").await;
    let too_new = SqliteStore::restore(&location(&dir), &newer, &Actor::cli("tester"))
        .await
        .unwrap_err();
    assert!(matches!(too_new, StoreError::TooNew { found: 99, .. }));

    assert_refused(&dir, &dir.path().join("dakwacht.db"), "the database itself").await;
}

/// The permission bits of a file (`0o600`: read and write for its owner only).
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

#[tokio::test]
async fn the_database_its_wal_backups_and_kept_copies_are_readable_by_the_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let database = location(&dir);
    let store = SqliteStore::open(&database).await.unwrap();
    import(&store, quickscan_cases()).await;
    for suffix in ["", "-wal", "-shm"] {
        let file = format!("{database}{suffix}");
        assert_eq!(mode(Path::new(&file)), 0o600, "{file}");
    }

    let backup = dir.path().join("backup.db");
    store.backup(&Actor::cli("tester"), &backup).await.unwrap();
    assert_eq!(mode(&backup), 0o600);
    drop(store);

    // The restore keeps the current database aside: that copy is private too.
    let restored = SqliteStore::restore(&database, &backup, &Actor::cli("tester"))
        .await
        .unwrap();
    let kept = restored.previous_kept_as.unwrap();
    assert_eq!(mode(&kept), 0o600, "{}", kept.display());
    assert_eq!(mode(Path::new(&database)), 0o600);

    // Restoring into a database that does not exist yet creates it private.
    let fresh = dir.path().join("fresh.db");
    SqliteStore::restore(fresh.to_str().unwrap(), &backup, &Actor::cli("tester"))
        .await
        .unwrap();
    assert_eq!(mode(&fresh), 0o600);
}
