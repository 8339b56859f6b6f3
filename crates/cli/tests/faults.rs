#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! Faults: an import killed with SIGKILL half-way leaves the database exactly as it was, on SQLite
//! and on PostgreSQL. A real child process is killed while it is writing.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{QUICKSCAN, assert_says, dakwacht, generate, ok, runtime};
use dakwacht_testkit::PgSchema;

/// A file big enough that importing it takes seconds.
fn big_file(dir: &Path) -> String {
    let path = dir.join("big.csv");
    let path = path.to_str().unwrap().to_string();
    generate(&["--cases", "150000", "--seed", "5", "--output", &path]);
    path
}

/// Starts importing `file`, waits until `writing()` says the import is writing, and kills it.
fn kill_while_writing(database: &str, file: &str, writing: impl Fn() -> bool) {
    let mut child: Child = Command::new(env!("CARGO_BIN_EXE_dakwacht"))
        .args(["--database", database, "import", file])
        .env_remove("DAKWACHT_DATABASE")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !writing() {
        if let Some(status) = child.try_wait().unwrap() {
            let mut message = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut message).unwrap();
            panic!("the import ended ({status}) before it was seen writing: {message}");
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the import never started writing"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "the import finished before it could be killed; use a bigger file"
    );
    child.kill().unwrap(); // SIGKILL: no destructor, no rollback by the process itself
    child.wait().unwrap();
}

/// Before, kill, after: the cases are exactly as before, and the database takes imports again.
fn survives_a_killed_import(database: &str, big: &str, writing: impl Fn() -> bool) {
    ok(dakwacht(database, &["import", QUICKSCAN]));
    let before = ok(dakwacht(database, &["export", "--format", "csv"]));
    kill_while_writing(database, big, writing);
    let after = ok(dakwacht(database, &["export", "--format", "csv"]));
    assert!(
        before == after,
        "a killed import changed the cases: {} lines before, {} after",
        before.lines().count(),
        after.lines().count()
    );
    let again = ok(dakwacht(database, &["import", QUICKSCAN]));
    assert_says(&again, "0 created, 0 updated, 23 unchanged");
}

#[test]
fn an_import_killed_half_way_leaves_sqlite_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let big = big_file(dir.path());
    // SQLite keeps a transaction's pages in its cache until the commit, so the files show no
    // progress; time shows it instead. A full import is timed on a scratch database, and the
    // real one is killed at 40 % of that: well inside the open transaction.
    let scratch = dir.path().join("scratch.db");
    let start = Instant::now();
    ok(dakwacht(scratch.to_str().unwrap(), &["import", &big]));
    let full = start.elapsed();
    let db = dir.path().join("faults.db");
    let started = std::cell::Cell::new(None::<Instant>);
    survives_a_killed_import(db.to_str().unwrap(), &big, || {
        let since = started.get().unwrap_or_else(Instant::now);
        started.set(Some(since));
        since.elapsed() > full.mul_f64(0.4)
    });
}

#[test]
fn an_import_killed_half_way_leaves_postgres_as_it_was() {
    let runtime = runtime();
    let Some(schema_db) = runtime.block_on(PgSchema::create()) else {
        return;
    };
    let schema = schema_db.name.clone();
    let admin = schema_db.admin().clone();
    let database = schema_db.url();
    let dir = tempfile::tempdir().unwrap();
    let big = big_file(dir.path());
    // Writing has begun when a transaction holds the lock that inserting into this schema's
    // `cases` takes (until it commits or rolls back).
    let writing = || {
        let holders: i64 = runtime
            .block_on(
                sqlx::query_scalar(
                    "SELECT COUNT(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                     JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = $1 AND c.relname = 'cases' AND l.mode = 'RowExclusiveLock'",
                )
                .bind(&schema)
                .fetch_one(&admin),
            )
            .unwrap();
        holders > 0
    };
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        survives_a_killed_import(&database, &big, || {
            if writing() {
                // Give it time to insert a good part of the file.
                std::thread::sleep(Duration::from_millis(800));
                true
            } else {
                false
            }
        });
    }));
    runtime.block_on(schema_db.drop());
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}
