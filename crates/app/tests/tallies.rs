//! The running counts SQLite keeps over all cases (`tally_*`, migration 0016; issue 17.5): after
//! every kind of write — an import that creates and one that changes, a save, a child record
//! added and changed, signals kept under two rules files, a case deleted with everything it
//! holds — each count is what grouping the tables themselves gives, and the report over all
//! cases (which reads the counts) says what the same report over a selection of every case
//! (which groups the cases) says.
#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use std::sync::Arc;

use dakwacht_app::{Acting, App, Wanted};
use dakwacht_core::{CaseFilter, Child, ChildAge, ClosingReason, Heard, Retention, Route};
use dakwacht_rules::{BUILT_IN, RuleSet};
use dakwacht_store::SqliteStore;
use dakwacht_testkit::quickscan_cases;

mod common;
use common::{A, CHILDREN};

/// Each running count beside the same count made from the table, both in key order.
const TALLIES: &[(&str, &str, &str)] = &[
    (
        "profiles",
        "SELECT profile, cases, children, age_unknown FROM tally_profile WHERE cases > 0 ORDER BY 1",
        "SELECT profile, COUNT(*), SUM(children_count), SUM(children_age_unknown) FROM cases \
         GROUP BY profile ORDER BY 1",
    ),
    (
        "ages",
        "SELECT children_ages, cases, children, 0 FROM tally_ages WHERE cases > 0 ORDER BY 1",
        "SELECT IFNULL(children_ages, ''), COUNT(*), SUM(children_count), 0 FROM cases \
         GROUP BY 1 ORDER BY 1",
    ),
    (
        "durations",
        "SELECT survival, cases, 0, 0 FROM tally_survival WHERE cases > 0 ORDER BY 1",
        "SELECT survival, COUNT(*), 0, 0 FROM cases GROUP BY survival ORDER BY 1",
    ),
    (
        "child records",
        "SELECT profile, records, 0, 0 FROM tally_child_profile WHERE records > 0 ORDER BY 1",
        "SELECT profile, COUNT(*), 0, 0 FROM children GROUP BY profile ORDER BY 1",
    ),
    (
        "kept signals",
        "SELECT rules || '/' || signals || '/' || problems, cases, 0, 0 FROM tally_signals \
         WHERE cases > 0 ORDER BY 1",
        "SELECT rules || '/' || signals || '/' || problems, COUNT(*), 0, 0 FROM case_signals \
         GROUP BY 1 ORDER BY 1",
    ),
];

type Rows = Vec<(rusqlite::types::Value, i64, i64, i64)>;

fn rows(conn: &rusqlite::Connection, sql: &str) -> Rows {
    let mut statement = conn.prepare(sql).unwrap();
    statement
        .query_map([], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

struct Tallied {
    _dir: tempfile::TempDir,
    file: std::path::PathBuf,
    app: Arc<App<SqliteStore>>,
    rules: RuleSet,
}

impl Tallied {
    async fn new() -> Self {
        let (dir, store) = dakwacht_testkit::sqlite().await;
        let file = dir.path().join("dakwacht.db");
        assert!(file.exists());
        let app = App::new(store).unwrap();
        Tallied {
            _dir: dir,
            file,
            app,
            rules: RuleSet::built_in().unwrap(),
        }
    }

    fn operator(&self) -> Acting<SqliteStore> {
        common::operator(&self.app)
    }

    async fn import(&self, cases: Vec<dakwacht_core::Case>, children: &str) {
        common::import(&self.app, cases, children).await;
    }

    /// Every running count against its table, and the report over all cases against the report
    /// over a selection that holds every case.
    async fn agree(&self, after: &str) {
        let conn = rusqlite::Connection::open(&self.file).unwrap();
        let mut nonempty = 0;
        for (name, tally, table) in TALLIES {
            let (kept, grouped) = (rows(&conn, tally), rows(&conn, table));
            assert_eq!(kept, grouped, "{name} after {after}");
            nonempty += usize::from(!kept.is_empty());
        }
        if after != "nothing" {
            assert!(nonempty >= 4, "after {after}: the counts say something");
        }

        let all = self.figures(CaseFilter::default()).await;
        // Every case's home was lost before this date: a selection of all of them, counted by
        // grouping the cases (a date bound leaves out cases without a date, so those are
        // counted on their own below).
        let dated = CaseFilter {
            home_lost_to: dakwacht_core::date::parse_date("2100-01-01"),
            ..CaseFilter::default()
        };
        let with_date = self.figures(dated).await;
        let cases: u64 = all.profiles.iter().map(|p| p.cases).sum();
        let dated_cases: u64 = with_date.profiles.iter().map(|p| p.cases).sum();
        assert_eq!(
            cases, dated_cases,
            "after {after}: every test case has a date of loss"
        );
        let sorted = |mut v: Vec<dakwacht_core::ProfileCount>| {
            v.sort_by_key(|p| (p.profile.pack(), p.cases));
            v
        };
        assert_eq!(
            sorted(all.profiles),
            sorted(with_date.profiles),
            "after {after}"
        );
        assert_eq!(all.children, with_date.children, "after {after}");
        let mut durations = all.durations.clone();
        let mut dated_durations = with_date.durations.clone();
        durations.sort();
        dated_durations.sort();
        assert_eq!(durations, dated_durations, "after {after}");
        assert_eq!(all.signals, with_date.signals, "after {after}");
    }

    async fn figures(&self, filter: CaseFilter) -> dakwacht_app::Figures {
        self.operator()
            .figures(filter, &self.rules, Wanted::Report, "test")
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn the_running_counts_are_what_the_tables_hold_after_every_kind_of_write() {
    let t = Tallied::new().await;
    t.agree("nothing").await;
    t.import(quickscan_cases(), CHILDREN).await;
    t.agree("the first import").await;
    t.operator().keep_signals(&t.rules).await.unwrap();
    t.agree("keeping the signals").await;

    // A save that changes what is counted: the route, and the children's ages.
    common::save_removed_without_court(&t.app, |case| {
        case.children.ages = Some(vec![ChildAge::Unknown; usize::from(case.children.count)]);
    })
    .await;
    t.agree("a save").await;
    let acting = t.operator();

    // A child record added and one changed.
    let ombudsman = "Ombudsman Metropool Amsterdam";
    let first = Child {
        child_no: 1,
        age: Some(1),
        heard: Some(Heard::No),
        ..Child::default()
    };
    assert!(acting.save_child(ombudsman, "QS-03", &first).await.unwrap());
    let mut second = acting
        .children_of(A, "QS-01", "test")
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.child_no == 2)
        .unwrap();
    second.heard = Some(Heard::Yes { by: None });
    assert!(acting.save_child(A, "QS-01", &second).await.unwrap());
    t.agree("child records written").await;

    // An import that changes families (updates, with the triggers) and adds a record.
    let mut cases = quickscan_cases();
    let qs02 = cases
        .iter_mut()
        .find(|c| c.case_ref.as_str() == "QS-02")
        .unwrap();
    qs02.route = Some(Route::RemovedWithoutCourt);
    qs02.default_judgment = None;
    let mut children = CHILDREN.replace(
        ",6,other_family,yes,changed_school",
        ",6,both_parents,no,changed_school",
    );
    children.push_str("QS-02,Stichting Kernkracht,1,3,other_family,no,,,,,no,,\n");
    t.import(cases, &children).await;
    t.agree("an import that changes").await;
    t.operator().keep_signals(&t.rules).await.unwrap();
    t.agree("keeping the signals again").await;

    // Another rules file: the signals kept under the first are let go.
    let other = RuleSet::parse(&BUILT_IN.replace(
        "when = 'legal_support == \"none\"'",
        "when = 'legal_support == \"none\" || legal_support == \"lawyer\"'",
    ))
    .unwrap();
    assert!(t.operator().keep_signals(&other).await.unwrap() > 0);
    // (`agree` compares the counts first, then counts under the first rules, which keeps
    // every case's signals under those again.)
    t.agree("signals kept under other rules").await;
    assert_eq!(t.operator().keep_signals(&t.rules).await.unwrap(), 0);
    t.agree("signals kept under the first rules again").await;

    // A case closed and deleted after its retention period, with its records and signals.
    assert!(
        acting
            .close_case(A, "QS-01", ClosingReason::Rehoused)
            .await
            .unwrap()
    );
    let later = dakwacht_app::today()
        .checked_add(jiff::Span::new().years(3))
        .unwrap();
    let run = acting
        .retention(Retention::default(), later, true)
        .await
        .unwrap();
    assert_eq!(run.cases.len(), 1);
    t.agree("a case deleted").await;
}

/// The migration's own statements fill the counts of a database from before it.
#[tokio::test]
async fn the_migration_counts_what_a_database_from_before_holds() {
    let t = Tallied::new().await;
    t.import(quickscan_cases(), CHILDREN).await;
    t.operator().keep_signals(&t.rules).await.unwrap();
    let migration = include_str!("../../store/migrations/sqlite/0016_tallies.sql");
    let start = migration.find("INSERT INTO tally_").unwrap();
    let end = migration.find("CREATE TRIGGER").unwrap();
    let conn = rusqlite::Connection::open(&t.file).unwrap();
    let before: Vec<Rows> = TALLIES.iter().map(|(_, sql, _)| rows(&conn, sql)).collect();
    conn.execute_batch(
        "DELETE FROM tally_profile; DELETE FROM tally_ages; DELETE FROM tally_survival; \
         DELETE FROM tally_child_profile; DELETE FROM tally_signals;",
    )
    .unwrap();
    conn.execute_batch(&migration[start..end]).unwrap();
    let after: Vec<Rows> = TALLIES.iter().map(|(_, sql, _)| rows(&conn, sql)).collect();
    assert_eq!(after, before);
    drop(conn);
    t.agree("the migration's statements").await;
}
