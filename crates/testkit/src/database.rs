//! Fresh databases of either kind, and [`on_both_stores!`] to run one scenario on both.
//!
//! PostgreSQL is found at `DAKWACHT_TEST_POSTGRES` (default
//! `postgres://postgres@127.0.0.1:5432/test`). Every test gets a schema of its own and drops it
//! afterwards, also when it fails. Without a server the PostgreSQL half is skipped with a loud
//! line, unless `REQUIRE_POSTGRES` is set (as `.ci/run` does): then it fails.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use dakwacht_store::{PgStore, SqliteStore, Store};
use futures_util::FutureExt;
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

/// A store the tests can make fresh databases of: [`SqliteStore`] and [`PgStore`].
pub trait TestStore: Store + Sized + Clone {
    /// `"sqlite"` or `"postgres"`.
    const KIND: &'static str;

    /// A fresh, empty (migrated) database of this kind, or `None` (said loudly) when there is
    /// none to be had and none is required.
    fn fresh() -> impl Future<Output = Option<Database<Self>>>;

    /// Another handle on `database`, with connections of its own, as another process (the web
    /// server next to a command-line import) would have.
    fn reopen(database: &Database<Self>) -> impl Future<Output = Self>;
}

/// A fresh database for one test, with a first handle on it ([`Database::store`]).
pub struct Database<S> {
    pub store: S,
    place: Place,
}

enum Place {
    Sqlite(tempfile::TempDir),
    Postgres { schema: PgSchema, raw: PgPool },
}

impl<S: TestStore> Database<S> {
    /// The first handle on the database.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// Another handle on the database, with connections of its own.
    pub async fn open(&self) -> S {
        S::reopen(self).await
    }

    /// Ends the database: a PostgreSQL schema is dropped, a SQLite folder removed.
    pub async fn close(self) {
        let Database { store, place } = self;
        drop(store);
        if let Place::Postgres { schema, raw } = place {
            raw.close().await;
            schema.drop().await;
        }
    }
}

impl<S> Database<S> {
    /// Runs one SQL statement behind the store's back, on either kind of database: for what no
    /// use case may do (make a session look an hour old, say).
    pub async fn execute(&self, sql: &str) {
        use sqlx::Connection;
        match &self.place {
            Place::Sqlite(dir) => {
                let url = format!("sqlite://{}", dir.path().join(SQLITE_FILE).display());
                let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
                sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
                    .execute(&mut conn)
                    .await
                    .unwrap();
            }
            Place::Postgres { raw, .. } => {
                sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
                    .execute(raw)
                    .await
                    .unwrap();
            }
        }
    }
}

impl<S> Database<S> {
    /// The one integer one SQL query gives, read behind the store's back on either kind of
    /// database: for what no use case shows (how many cases are due for signals, say).
    pub async fn count(&self, sql: &str) -> i64 {
        use sqlx::Connection;
        match &self.place {
            Place::Sqlite(dir) => {
                let url = format!("sqlite://{}", dir.path().join(SQLITE_FILE).display());
                let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
                sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
                    .fetch_one(&mut conn)
                    .await
                    .unwrap()
            }
            Place::Postgres { raw, .. } => sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
                .fetch_one(raw)
                .await
                .unwrap(),
        }
    }
}

impl<S> Database<S> {
    /// Every index, trigger and constraint of the schema as the database's catalog lists it
    /// (not PostgreSQL's internal triggers, which a constraint made again gets anew), sorted (`"index cases_profile"`, …): to show that a bulk load that sets some aside puts
    /// each back.
    pub async fn schema_objects(&self) -> Vec<String> {
        use sqlx::Connection;
        let mut objects: Vec<String> = match &self.place {
            Place::Sqlite(dir) => {
                let url = format!("sqlite://{}", dir.path().join(SQLITE_FILE).display());
                let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
                sqlx::query_scalar(
                    "SELECT type || ' ' || name || ': ' || COALESCE(sql, '') FROM sqlite_master \
                     WHERE type IN ('index', 'trigger')",
                )
                .fetch_all(&mut conn)
                .await
                .unwrap()
            }
            Place::Postgres { raw, .. } => sqlx::query_scalar(
                "SELECT 'index ' || indexname || ': ' || indexdef FROM pg_indexes \
                   WHERE schemaname = current_schema() \
                 UNION ALL SELECT 'constraint ' || conname || ': ' || pg_get_constraintdef(oid) \
                   FROM pg_constraint WHERE connamespace = current_schema()::regnamespace \
                 UNION ALL SELECT 'trigger ' || tgname FROM pg_trigger t \
                   JOIN pg_class c ON c.oid = t.tgrelid \
                   WHERE c.relnamespace = current_schema()::regnamespace \
                   AND NOT t.tgisinternal",
            )
            .fetch_all(raw)
            .await
            .unwrap(),
        };
        objects.sort();
        objects
    }
}

impl Database<SqliteStore> {
    /// The folder of the database file, for backups and other files next to it.
    pub fn dir(&self) -> &Path {
        match &self.place {
            Place::Sqlite(dir) => dir.path(),
            Place::Postgres { .. } => unreachable!("a SQLite database has a folder"),
        }
    }

    /// The database file.
    pub fn path(&self) -> PathBuf {
        self.dir().join(SQLITE_FILE)
    }

    /// Another handle on the file whose changes wait at most `write_wait` for another writer.
    pub async fn open_waiting(&self, write_wait: Duration) -> SqliteStore {
        SqliteStore::open_waiting(self.path().to_str().unwrap(), write_wait)
            .await
            .unwrap()
    }
}

impl Database<PgStore> {
    /// The schema the database lives in.
    pub fn schema(&self) -> &PgSchema {
        match &self.place {
            Place::Postgres { schema, .. } => schema,
            Place::Sqlite(_) => unreachable!("a PostgreSQL database has a schema"),
        }
    }

    /// A connection to the same schema, for what the store deliberately does not offer.
    pub fn raw(&self) -> &PgPool {
        match &self.place {
            Place::Postgres { raw, .. } => raw,
            Place::Sqlite(_) => unreachable!("a PostgreSQL database has a schema"),
        }
    }
}

const SQLITE_FILE: &str = "dakwacht.db";

/// A fresh SQLite file in a folder of its own, removed with the folder.
pub async fn sqlite() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(SQLITE_FILE);
    let store = SqliteStore::open(path.to_str().unwrap()).await.unwrap();
    (dir, store)
}

/// A fresh schema on the test server with a store in it, or `None` (said loudly) when there
/// is no server and PostgreSQL is not required. End it with [`Database::close`].
pub async fn postgres() -> Option<Database<PgStore>> {
    PgStore::fresh().await
}

impl TestStore for SqliteStore {
    const KIND: &'static str = "sqlite";

    async fn fresh() -> Option<Database<Self>> {
        let (dir, store) = sqlite().await;
        Some(Database {
            store,
            place: Place::Sqlite(dir),
        })
    }

    async fn reopen(database: &Database<Self>) -> Self {
        SqliteStore::open(database.path().to_str().unwrap())
            .await
            .unwrap()
    }
}

impl TestStore for PgStore {
    const KIND: &'static str = "postgres";

    async fn fresh() -> Option<Database<Self>> {
        let schema = PgSchema::create().await?;
        let store = PgStore::connect(schema.options()).await.unwrap();
        let raw = PgPoolOptions::new()
            .max_connections(1)
            .connect_with(schema.options())
            .await
            .unwrap();
        Some(Database {
            store,
            place: Place::Postgres { schema, raw },
        })
    }

    async fn reopen(database: &Database<Self>) -> Self {
        PgStore::connect(database.schema().options()).await.unwrap()
    }
}

/// The test server's address: `DAKWACHT_TEST_POSTGRES`, or the local default.
pub fn postgres_url() -> String {
    std::env::var("DAKWACHT_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

/// An empty schema of its own on the test server (nothing in it yet), dropped with
/// [`PgSchema::drop`].
pub struct PgSchema {
    pub name: String,
    admin: PgPool,
}

impl PgSchema {
    /// A new schema, or `None` (said loudly) when there is no server and PostgreSQL is not
    /// required (`REQUIRE_POSTGRES`).
    pub async fn create() -> Option<PgSchema> {
        let url = postgres_url();
        let admin = match PgPoolOptions::new()
            .max_connections(2)
            .acquire_timeout(Duration::from_secs(3))
            .connect(&url)
            .await
        {
            Ok(pool) => pool,
            Err(error) => {
                if std::env::var_os("REQUIRE_POSTGRES").is_some() {
                    panic!("REQUIRE_POSTGRES is set, but there is no PostgreSQL at {url}: {error}");
                }
                eprintln!(
                    "!!! SKIPPED: the PostgreSQL half of this test, no server at {url} ({error}). \
                     Set DAKWACHT_TEST_POSTGRES, or REQUIRE_POSTGRES=1 to make this an error."
                );
                return None;
            }
        };
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name = format!(
            "dakwacht_test_{}_{}_{}",
            std::process::id(),
            nanos,
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {name}")))
            .execute(&admin)
            .await
            .unwrap();
        Some(PgSchema { name, admin })
    }

    /// Options for a connection whose tables live in this schema.
    pub fn options(&self) -> PgConnectOptions {
        PgConnectOptions::from_str(&postgres_url())
            .unwrap()
            .options([("search_path", self.name.as_str())])
    }

    /// The URL `dakwacht --database` is given: the test server, with this schema first on the
    /// search path.
    pub fn url(&self) -> String {
        format!(
            "{}?options=-c%20search_path%3D{}",
            postgres_url(),
            self.name
        )
    }

    /// A connection pool to the server (not to the schema), for looking at it from outside.
    pub fn admin(&self) -> &PgPool {
        &self.admin
    }

    /// Drops the schema and everything in it.
    pub async fn drop(self) {
        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP SCHEMA IF EXISTS {} CASCADE",
            self.name
        )))
        .execute(&self.admin)
        .await;
        self.admin.close().await;
    }
}

/// Runs `scenario` on a fresh database of kind `S` and ends the database afterwards, also when
/// the scenario fails; without a database of that kind (see [`TestStore::fresh`]) it does
/// nothing. What [`on_both_stores!`] expands to.
pub async fn run_on<S: TestStore>(scenario: impl AsyncFnOnce(&Database<S>)) {
    let Some(database) = S::fresh().await else {
        return;
    };
    let outcome = std::panic::AssertUnwindSafe(scenario(&database))
        .catch_unwind()
        .await;
    database.close().await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// Runs each named scenario once on SQLite and once on PostgreSQL, as the tests `sqlite::name`
/// and `postgres::name`, each on a fresh database:
///
/// - `on_both_stores!(a, b)`: `async fn a<S: Store>(store: &S)`;
/// - `on_both_stores!(database: a, b)`: `async fn a<S: TestStore>(database: &Database<S>)`, for
///   scenarios that open handles of their own (a web application, say).
///
/// The test file needs `tokio` (with `macros`).
#[macro_export]
macro_rules! on_both_stores {
    (database: $($name:ident),+ $(,)?) => {
        $crate::on_both_stores!(@each #[tokio::test] |database| (database), $($name),+);
    };
    ($($name:ident),+ $(,)?) => {
        $crate::on_both_stores!(@each #[tokio::test] |database| (&database.store), $($name),+);
    };
    (@each #[$test:meta] |$database:ident| $arguments:tt, $($name:ident),+) => {
        $crate::on_both_stores!(@in sqlite SqliteStore #[$test] |$database| $arguments, $($name),+);
        $crate::on_both_stores!(@in postgres PgStore #[$test] |$database| $arguments, $($name),+);
    };
    (@in $module:ident $store:ident #[$test:meta] |$database:ident| $arguments:tt, $($name:ident),+) => {
        mod $module {
            $(
                #[$test]
                async fn $name() {
                    $crate::run_on::<$crate::__private::$store>(async |$database| {
                        super::$name $arguments.await
                    })
                    .await;
                }
            )+
        }
    };
}

/// Runs each named scenario `async fn name<S: Store>(one: &S, other: &S)` with two independent
/// handles on one database (each with its own connections), on SQLite and on PostgreSQL, on a
/// multi-threaded runtime so the two really run at the same time. The test file needs `tokio`
/// (with `macros` and `rt-multi-thread`).
#[macro_export]
macro_rules! on_both_stores_with_two_writers {
    ($($name:ident),+ $(,)?) => {
        $crate::on_both_stores!(
            @each #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            |database| (&database.store, &database.open().await),
            $($name),+
        );
    };
}

/// Another handle on the SQLite file [`sqlite`] made in `dir`.
pub async fn sqlite_in(dir: &Path) -> SqliteStore {
    SqliteStore::open(dir.join(SQLITE_FILE).to_str().unwrap())
        .await
        .unwrap()
}

/// A PostgreSQL database in `schema` as an older dakwacht left it: migrated only up to the
/// shipped migration before `first_missing` (e.g. `"0007"`), then filled by `statements`.
/// Connecting with [`PgStore::connect`] runs the migrations it lacks, as an upgrade does.
pub async fn postgres_from_before(schema: &PgSchema, first_missing: &str, statements: &[&str]) {
    use sqlx::Connection;
    let dir = older_migrations("postgres", first_missing);
    let mut old = sqlx::PgConnection::connect_with(&schema.options())
        .await
        .expect("a connection to the schema");
    fill_older(&mut old, &dir, statements).await;
    old.close().await.expect("closed");
}

/// Runs the older migrations in `dir` on `old`, then `statements`: the data an older dakwacht
/// left.
async fn fill_older<C>(old: &mut C, dir: &tempfile::TempDir, statements: &[&str])
where
    C: sqlx::Connection,
    for<'a> &'a mut C: sqlx::Acquire<'a, Database = C::Database>,
    for<'e> &'e mut C: sqlx::Executor<'e, Database = C::Database>,
    <C::Database as sqlx::Database>::Connection: sqlx::migrate::Migrate,
    for<'a> <C::Database as sqlx::Database>::Arguments: sqlx::IntoArguments<C::Database>,
{
    let migrator = sqlx::migrate::Migrator::new(dir.path())
        .await
        .expect("the older migrations");
    migrator.run(&mut *old).await.expect("the older schema");
    for statement in statements {
        sqlx::query(sqlx::AssertSqlSafe(*statement))
            .execute(&mut *old)
            .await
            .unwrap_or_else(|e| panic!("{statement}: {e}"));
    }
}

/// A folder with the shipped migrations of `dialect` before `first_missing`.
fn older_migrations(dialect: &str, first_missing: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let shipped = format!(
        "{}/../store/migrations/{dialect}",
        env!("CARGO_MANIFEST_DIR")
    );
    for entry in std::fs::read_dir(shipped).expect("the shipped migrations") {
        let path = entry.expect("a migration").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name < first_missing {
            std::fs::copy(&path, dir.path().join(name)).expect("a copied migration");
        }
    }
    dir
}

/// A SQLite database at `file` as an older dakwacht left it: migrated only up to the shipped
/// migration before `first_missing` (e.g. `"0008"`), then filled by `statements`. Opening it
/// with [`SqliteStore::open`] runs the migrations it lacks, as an upgrade does.
pub async fn sqlite_from_before(file: &Path, first_missing: &str, statements: &[&str]) {
    use sqlx::Connection;
    let dir = older_migrations("sqlite", first_missing);
    let url = format!("sqlite://{}?mode=rwc", file.display());
    let mut old = sqlx::SqliteConnection::connect(&url)
        .await
        .expect("a new database file");
    fill_older(&mut old, &dir, statements).await;
    old.close().await.expect("closed");
}
