#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! The `dakwacht` binary, run as a user would, against a real SQLite file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;

use common::{QUICKSCAN, assert_says, dakwacht, dakwacht_with_input, file_in, generate};
use dakwacht_testkit::http;

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts that a command succeeded, saying `text` on its standard output.
fn succeeds_saying(output: &Output, text: &str) {
    assert!(output.status.success(), "{}", stderr(output));
    assert!(stdout(output).contains(text), "{}", stdout(output));
}

/// Asserts that a command failed, saying `text` on its standard error.
fn fails_with(output: &Output, text: &str) {
    assert!(!output.status.success(), "{}", stdout(output));
    assert!(stderr(output).contains(text), "{}", stderr(output));
}

fn setup() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("test.db");
    (dir, db)
}

#[test]
fn import_twice_then_report() {
    let (_dir, db) = setup();
    let first = dakwacht(&db, &["import", QUICKSCAN]);
    succeeds_saying(
        &first,
        "23 case(s) read — 23 created, 0 updated, 0 unchanged",
    );
    let second = dakwacht(&db, &["import", QUICKSCAN]);
    assert!(
        stdout(&second).contains("0 created, 0 updated, 23 unchanged"),
        "{}",
        stdout(&second)
    );

    let report = dakwacht(&db, &["report", "quickscan", "--format", "json"]);
    assert!(report.status.success(), "{}", stderr(&report));
    let json: serde_json::Value = serde_json::from_str(&stdout(&report)).unwrap();
    let measure = |id| dakwacht_testkit::measure(&json, id);
    assert_eq!(measure("route.no_court")["numerator"], 13);
    assert_eq!(measure("route.no_court")["denominator"], 22);
    assert_eq!(measure("route.no_court")["percent"], 59.09);
    assert_eq!(measure("children")["denominator"], serde_json::Value::Null);

    let text = stdout(&dakwacht(&db, &["report", "quickscan"]));
    assert_says(&text, "83% (19/23)");
    let html = stdout(&dakwacht(&db, &["report", "quickscan", "--format", "html"]));
    assert!(
        html.starts_with("<!DOCTYPE html>") && html.contains("<td>13</td><td>22</td><td>59%</td>"),
        "{html}"
    );

    let filtered = dakwacht(
        &db,
        &[
            "report",
            "quickscan",
            "--format",
            "json",
            "--organisation",
            "Straatalliantie",
            "--from",
            "2024-01",
            "--to",
            "2024-12",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&filtered)).unwrap();
    // Straatalliantie lost homes in 2024: QS-01 (2024-08-21), QS-16 (2024-04-03), QS-21 (2024-12-07).
    assert_eq!(json["measures"][0]["numerator"], 3);
}

#[test]
fn a_file_with_errors_stores_nothing_and_says_where() {
    let (dir, db) = setup();
    let good = std::fs::read_to_string(QUICKSCAN).unwrap();
    let bad = good
        .replacen(
            "QS-02,Stichting Kernkracht,2025-04-28",
            "QS-02,Stichting Kernkracht,2025-04-31",
            1,
        )
        .replacen(",court_eviction,crime,", ",evicted,crime,", 1);
    let path = file_in(&dir, "bad.csv");
    std::fs::write(&path, bad).unwrap();

    let output = dakwacht(&db, &["import", &path]);
    assert!(!output.status.success());
    let errors = stderr(&output);
    assert_says(
        &errors,
        "line 3, column reported_on: value '2025-04-31': a date as YYYY-MM-DD",
    );
    assert_says(
        &errors,
        "line 7, column route: value 'evicted': one of court_eviction",
    );
    assert_says(&errors, "2 problem(s) found; nothing was imported");

    let export = dakwacht(&db, &["export"]);
    assert_eq!(
        stdout(&export).lines().count(),
        1,
        "only the header: nothing was stored"
    );
}

/// An export that cannot be written says where and why in the operator's words (not as an
/// internal error), fails, and is not recorded as an export done.
#[test]
fn an_export_into_a_folder_that_does_not_exist_fails_and_is_not_recorded() {
    let (dir, db) = setup();
    assert!(dakwacht(&db, &["import", QUICKSCAN]).status.success());
    for format in ["csv", "xlsx"] {
        let nowhere = file_in(&dir, &format!("no-such-folder/cases.{format}"));
        let export = dakwacht(&db, &["export", "--format", format, "--output", &nowhere]);
        assert!(!export.status.success(), "{format}");
        let said = stderr(&export);
        assert!(
            said.contains("cannot create") && said.contains("no-such-folder"),
            "{said}"
        );
        assert!(!said.contains("internal"), "{said}");
    }
    let exports = stdout(&dakwacht(&db, &["audit", "--action", "export"]));
    assert_eq!(exports.lines().count(), 0, "{exports}");
}

#[test]
fn export_and_reimport_round_trips_through_xlsx_and_csv() {
    let (dir, db) = setup();
    assert!(dakwacht(&db, &["import", QUICKSCAN]).status.success());
    let xlsx = file_in(&dir, "cases.xlsx");
    let export = dakwacht(&db, &["export", "--format", "xlsx", "--output", &xlsx]);
    assert!(export.status.success(), "{}", stderr(&export));

    let other = file_in(&dir, "other.db");
    let import = dakwacht(&other, &["import", &xlsx]);
    assert!(
        stdout(&import).contains("23 created"),
        "{}{}",
        stdout(&import),
        stderr(&import)
    );
    let first = stdout(&dakwacht(&db, &["export"]));
    let second = stdout(&dakwacht(&other, &["export"]));
    assert_eq!(first, second);

    // Importing the export into the original database changes nothing.
    let csv = file_in(&dir, "cases.csv");
    std::fs::write(&csv, &first).unwrap();
    assert!(stdout(&dakwacht(&db, &["import", &csv])).contains("23 unchanged"));
}

/// CSV for Dutch Excel by default (`;`, UTF-8 with a byte-order mark); the plain form with
/// `--delimiter ,`; Dutch column labels as a second header row only with `--labels nl`. Every
/// form imports back into an empty database as the same cases.
#[test]
fn every_csv_form_of_an_export_imports_back_as_the_same_cases() {
    let (dir, db) = setup();
    assert!(dakwacht(&db, &["import", QUICKSCAN]).status.success());
    let reference = stdout(&dakwacht(&db, &["export", "--delimiter", ","]));
    assert!(
        reference.starts_with("case_ref,organisation,reported_on"),
        "{reference}"
    );

    let excel = dakwacht(&db, &["export"]);
    assert!(excel.status.success(), "{}", stderr(&excel));
    assert!(
        excel
            .stdout
            .starts_with("\u{feff}case_ref;organisation;reported_on".as_bytes())
    );
    assert_eq!(stdout(&excel).lines().count(), 24, "a header and 23 cases");

    let labelled = stdout(&dakwacht(&db, &["export", "--labels", "nl"]));
    let second = labelled.lines().nth(1).unwrap();
    assert!(
        second.starts_with("Referentie;Organisatie;Gemeld op;"),
        "{second}"
    );
    assert_says(second, ";Verblijft nu;");
    let plain_labelled = stdout(&dakwacht(
        &db,
        &["export", "--delimiter", ",", "--labels", "nl"],
    ));
    assert!(
        plain_labelled
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("Referentie,Organisatie,")
    );

    for (name, export) in [
        ("excel.csv", stdout(&excel)),
        ("labelled.csv", labelled),
        ("plain-labelled.csv", plain_labelled),
        ("plain.csv", reference.clone()),
    ] {
        let file = file_in(&dir, name);
        std::fs::write(&file, export).unwrap();
        let other = file_in(&dir, &format!("{name}.db"));
        let import = dakwacht(&other, &["import", &file]);
        succeeds_saying(&import, "23 created");
        assert_eq!(
            stdout(&dakwacht(&other, &["export", "--delimiter", ","])),
            reference,
            "{name}"
        );
        // And into the original database: nothing changes.
        succeeds_saying(&dakwacht(&db, &["import", &file]), "23 unchanged");
    }

    fails_with(
        &dakwacht(&db, &["export", "--delimiter", "|"]),
        "use ; (Dutch Excel) or ,",
    );
}

#[test]
fn backup_then_restore_gives_back_every_case() {
    let (dir, db) = imported_quickscan();
    let at_backup = stdout(&dakwacht(&db, &["export"]));
    let backup = file_in(&dir, "backup.db");
    let made = dakwacht(&db, &["backup", &backup]);
    succeeds_saying(&made, "23 case(s) written");
    let again = dakwacht(&db, &["backup", &backup]);
    fails_with(&again, "exists already");

    // Later changes: 1,000 more families.
    let later = file_in(&dir, "later.csv");
    let generated = dakwacht(&db, &["generate", "--cases", "1000", "--output", &later]);
    assert!(generated.status.success(), "{}", stderr(&generated));
    assert!(dakwacht(&db, &["import", &later]).status.success());
    assert_ne!(stdout(&dakwacht(&db, &["export"])), at_backup);

    let restored = dakwacht(&db, &["restore", &backup]);
    succeeds_saying(&restored, "23 case(s) restored");
    assert!(stdout(&restored).contains("before-restore-"));
    // Every case, every field, exactly as it was.
    assert_eq!(stdout(&dakwacht(&db, &["export"])), at_backup);
    let audit = stdout(&dakwacht(&db, &["audit"]));
    assert_says(&audit, "restore");

    // Not a backup: refused, and the database is left alone.
    let refused = dakwacht(&db, &["restore", QUICKSCAN]);
    fails_with(&refused, "not an SQLite database");
    assert_eq!(stdout(&dakwacht(&db, &["export"])), at_backup);

    // PostgreSQL has its own tools; dakwacht says which.
    let postgres = dakwacht(
        Path::new("postgres://nobody@127.0.0.1:1/dakwacht"),
        &["backup", dir.path().join("pg.db").to_str().unwrap()],
    );
    fails_with(&postgres, "pg_dump");
}

#[test]
fn generate_is_deterministic_and_importable() {
    let (dir, db) = setup();
    let run = |seed: &str| generate(&["--cases", "3000", "--seed", seed]);
    let a = run("7");
    assert_eq!(a, run("7"), "same seed, same file");
    assert_ne!(a, run("8"));
    let path = file_in(&dir, "generated.csv");
    std::fs::write(&path, &a).unwrap();
    let import = dakwacht(&db, &["import", &path]);
    assert!(
        import.status.success(),
        "generated files are valid: {}",
        stderr(&import)
    );
    assert!(stdout(&import).contains("3000 created"));

    // Every rule evaluates on every generated (valid, varied) case: `check` fails on any problem.
    let check = dakwacht(&db, &["check", "--format", "json"]);
    assert!(check.status.success(), "{}", stderr(&check));
    let json: serde_json::Value = serde_json::from_str(&stdout(&check)).unwrap();
    let rules = json["rules"].as_array().unwrap();
    assert!(rules.iter().all(|r| r["of"] == 3000));
    assert!(
        rules.iter().all(|r| r["cases"].as_u64().unwrap() > 0),
        "varied data raises every rule: {rules:?}"
    );
}

#[test]
fn unknown_file_types_and_unreachable_databases_get_a_clear_message() {
    let (dir, db) = setup();
    let path = file_in(&dir, "cases.ods");
    std::fs::write(&path, "x").unwrap();
    let output = dakwacht(&db, &["import", &path]);
    fails_with(&output, "unknown file type; use a .csv or .xlsx file");
    // Nothing listens on port 1: the message says which database could not be used, and the
    // URL's password is not repeated.
    let output = dakwacht(
        Path::new("postgres://dakwacht:geheim@127.0.0.1:1/x"),
        &["report", "quickscan"],
    );
    fails_with(&output, "cannot use the PostgreSQL database");
    assert!(!stderr(&output).contains("geheim"), "{}", stderr(&output));
}

#[test]
fn files_that_cannot_be_read_get_a_clear_message_and_store_nothing() {
    let (dir, db) = setup();
    let empty = file_in(&dir, "empty.csv");
    std::fs::write(&empty, "").unwrap();
    let broken = file_in(&dir, "broken.xlsx");
    std::fs::write(&broken, "not a workbook").unwrap();
    let missing = file_in(&dir, "missing.csv");

    let cases = [
        (
            &empty,
            "line 1: value '': a header line with the column names",
        ),
        (
            &broken,
            "this is not a valid .xlsx workbook; save it again from Excel or LibreOffice as .xlsx",
        ),
        (&missing, "cannot open"),
    ];
    for (path, expected) in cases {
        let output = dakwacht(&db, &["import", path]);
        assert!(!output.status.success(), "{}", path);
        assert!(
            stderr(&output).contains(expected),
            "{}: {}",
            path,
            stderr(&output)
        );
    }
    assert_eq!(
        stdout(&dakwacht(&db, &["export"])).lines().count(),
        1,
        "nothing was stored"
    );
}

/// The published signal counts for the quickscan file (issue 3), as other tools read them.
fn published_signals() -> Vec<(&'static str, u64)> {
    let file = include_str!("../demo/quickscan-2025-signals.csv");
    let rows = file.lines().skip(1).filter_map(|line| line.split_once(','));
    rows.map(|(id, cases)| (id, cases.parse().unwrap()))
        .collect()
}
fn imported_quickscan() -> (tempfile::TempDir, PathBuf) {
    let (dir, db) = setup();
    let import = dakwacht(&db, &["import", QUICKSCAN]);
    assert!(import.status.success(), "{}", stderr(&import));
    (dir, db)
}

#[test]
fn check_counts_every_rule_over_all_cases() {
    let (_dir, db) = imported_quickscan();
    let output = dakwacht(&db, &["check", "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let rules = json["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 13, "one entry per rule, zeros included");
    for rule in rules {
        assert_eq!(rule["of"], 23);
        assert!(rule["cases"].is_u64());
    }
    for (id, cases) in published_signals() {
        let rule = rules.iter().find(|r| r["id"] == id).unwrap();
        assert_eq!(rule["cases"], cases, "{id}");
    }

    let text = stdout(&dakwacht(&db, &["check"]));
    let line = text.lines().find(|l| l.starts_with("out_of_view")).unwrap();
    assert!(
        line.contains("Gezin uit beeld") && line.contains(" 12 ") && line.ends_with("52.17%"),
        "{line}"
    );

    // Filters select the cases the rules are counted over.
    let one = dakwacht(
        &db,
        &[
            "check",
            "--format",
            "json",
            "--organisation",
            "Straatalliantie",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&one)).unwrap();
    let of = json["rules"][0]["of"].as_u64().unwrap();
    assert!(of > 0 && of < 23, "{of}");
}

#[test]
fn check_one_case_shows_its_signals_with_sources_and_steps() {
    let (_dir, db) = imported_quickscan();
    let output = dakwacht(&db, &["check", "--case", "Straatalliantie/QS-01"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.starts_with("Casus Straatalliantie/QS-01 — 8 signalen"),
        "{text}"
    );
    assert!(text.contains("[hoog] Geen passende woonruimte aangeboden  (no_adequate_rehousing)"));
    assert!(text.contains("IVRK (VN-Kinderrechtenverdrag) art. 27 lid 1 en 3"));
    assert!(text.contains("Wat u kunt doen:"));

    let json = dakwacht(
        &db,
        &[
            "check",
            "--case",
            "Straatalliantie/QS-01",
            "--format",
            "json",
            "--lang",
            "en",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    let signals = json["signals"].as_array().unwrap();
    assert_eq!(signals.len(), 8);
    let version = json["rules_version"].as_str().unwrap();
    for signal in signals {
        assert_eq!(
            signal["rules_version"], version,
            "every signal records the rules version"
        );
        assert!(!signal["sources"].as_array().unwrap().is_empty());
        assert!(signal["title"]["en"].is_string() && signal["title"]["nl"].is_string());
    }

    let missing = dakwacht(&db, &["check", "--case", "Straatalliantie/QS-99"]);
    fails_with(&missing, "no case 'Straatalliantie/QS-99'");
}

#[test]
fn the_quickscan_report_ends_with_the_signals() {
    let (_dir, db) = imported_quickscan();
    let text = stdout(&dakwacht(&db, &["report", "quickscan"]));
    let (_, signals) = text.split_once("Signalen (regels versie").unwrap();
    for (id, cases) in published_signals() {
        let line = signals.lines().find(|l| l.ends_with(id)).unwrap();
        assert_says(line, format!("({cases}/23)"));
    }
    let json: serde_json::Value = serde_json::from_str(&stdout(&dakwacht(
        &db,
        &["report", "quickscan", "--format", "json"],
    )))
    .unwrap();
    assert_eq!(json["signals"].as_array().unwrap().len(), 13);
    let html = stdout(&dakwacht(&db, &["report", "quickscan", "--format", "html"]));
    assert!(html.contains("<h2>Signalen</h2>"));
}

#[test]
fn rules_lists_citations_and_validates_edited_files() {
    let (dir, db) = setup();
    let list = stdout(&dakwacht(&db, &["rules"]));
    assert_says(
        &list,
        "removed_without_court  [hoog]  Uit huis gezet zonder rechter",
    );
    assert!(list.contains("Burgerlijk Wetboek art. 7:231 lid 1"));
    let variables = stdout(&dakwacht(&db, &["rules", "--variables"]));
    assert!(variables.contains("duration_months") && variables.contains("is_homeless(x)"));

    let shipped = std::fs::read_to_string("../../rules/rules.toml").unwrap();
    let good = file_in(&dir, "good.toml");
    std::fs::write(&good, &shipped).unwrap();
    let valid = dakwacht(&db, &["rules", "--validate", &good]);
    assert!(valid.status.success(), "{}", stderr(&valid));
    assert!(stdout(&valid).contains("valid — version"));

    let bad = file_in(&dir, "bad.toml");
    std::fs::write(
        &bad,
        shipped.replace("legal_support == \"none\"", "legal_suport == \"none\""),
    )
    .unwrap();
    let invalid = dakwacht(&db, &["rules", "--validate", &bad]);
    assert!(!invalid.status.success());
    let message = stderr(&invalid);
    assert!(
        message.contains("rule 'no_legal_support'") && message.contains("legal_suport"),
        "{message}"
    );
}

#[test]
fn an_edited_rules_file_is_used_and_its_version_recorded() {
    let (dir, db) = imported_quickscan();
    let shipped = std::fs::read_to_string("../../rules/rules.toml").unwrap();
    let edited = shipped
        .replace("version = \"", "version = \"edited-")
        .replace(
            "duration_months != null && duration_months >= 6'",
            "duration_months != null && duration_months >= 1200'",
        );
    let file = file_in(&dir, "edited.toml");
    std::fs::write(&file, edited).unwrap();
    let output = dakwacht(&db, &["--rules", &file, "check", "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert!(
        json["rules_version"]
            .as_str()
            .unwrap()
            .starts_with("edited-")
    );
    let long = dakwacht_testkit::by_id(&json["rules"], "long_homelessness");
    assert_eq!(long["cases"], 0);
}

#[test]
fn accounts_are_managed_at_the_command_line_and_audited() {
    let (_dir, db) = setup();
    let org = dakwacht(&db, &["organisation", "add", "Straatalliantie"]);
    assert!(org.status.success(), "{}", stderr(&org));
    let add = |args: &[&str], password: &str| {
        let mut all = vec!["user", "add"];
        all.extend_from_slice(args);
        all.push("--password-stdin");
        dakwacht_with_input(&db, &all, &format!("{password}\n"))
    };
    let good = "een lange zin als wachtwoord";
    let anna = add(
        &[
            "Anna",
            "--role",
            "coordinator",
            "--organisation",
            "Straatalliantie",
        ],
        good,
    );
    assert!(anna.status.success(), "{}", stderr(&anna));
    assert!(stdout(&anna).contains("User 'anna' added as coordinator."));

    let no_org = add(&["bob", "--role", "professional"], good);
    assert!(!no_org.status.success());
    assert!(stderr(&no_org).contains("belongs to an organisation"));
    let short = add(&["bob", "--role", "researcher"], "kort");
    assert!(!short.status.success());
    assert!(stderr(&short).contains("at least 12 characters"));
    let again = add(&["anna", "--role", "researcher"], good);
    assert!(
        stderr(&again).contains("'anna' is taken"),
        "{}",
        stderr(&again)
    );
    let bad_role = add(&["bob", "--role", "root"], good);
    assert!(stderr(&bad_role).contains("not a role"));

    let list = stdout(&dakwacht(&db, &["user", "list"]));
    assert!(
        list.contains("anna") && list.contains("coordinator") && list.contains("active"),
        "{list}"
    );
    assert!(dakwacht(&db, &["user", "disable", "anna"]).status.success());
    assert!(stdout(&dakwacht(&db, &["user", "list"])).contains("disabled"));

    // Reading case data is recorded too.
    assert!(dakwacht(&db, &["import", QUICKSCAN]).status.success());
    assert!(
        dakwacht(&db, &["check", "--case", "Straatalliantie/QS-01"])
            .status
            .success()
    );
    assert!(
        dakwacht(
            &db,
            &[
                "export",
                "--organisation",
                "Straatalliantie",
                "--output",
                db.with_extension("csv").to_str().unwrap()
            ]
        )
        .status
        .success()
    );

    let json: serde_json::Value =
        serde_json::from_str(&stdout(&dakwacht(&db, &["audit", "--format", "json"]))).unwrap();
    let actions = dakwacht_testkit::texts_of(&json, "action");
    assert_eq!(
        actions,
        [
            "export",
            "view_case",
            "import",
            "disable_user",
            "add_user",
            "add_organisation"
        ]
    );
    let view = &json[1];
    assert_eq!(view["organisation"], "Straatalliantie");
    assert_eq!(view["case_ref"], "QS-01");
    assert!(view["actor"].as_str().unwrap().starts_with("cli:"));
    let detail = json[0]["detail"].as_str().unwrap();
    let (count, scope) = detail.split_once(" case(s) as csv; ").unwrap();
    assert!(count.parse::<u64>().unwrap() > 0, "{detail}");
    assert_eq!(scope, "organisatie Straatalliantie");

    let only_views = stdout(&dakwacht(&db, &["audit", "--action", "view_case"]));
    assert_eq!(only_views.lines().count(), 1, "{only_views}");
    assert!(only_views.contains("Straatalliantie/QS-01"));
}

/// A raw HTTP GET: status line and body (no client library needed for a smoke test).
/// The operator can make the first coordinator of an organisation that already has cases (where
/// the web refuses an administrator) without knowing the password: the user chooses it through
/// the printed link.
#[test]
fn the_operator_adds_an_account_with_an_activation_link() {
    let (_dir, db) = setup();
    assert!(dakwacht(&db, &["import", QUICKSCAN]).status.success());
    let added = dakwacht(
        &db,
        &[
            "user",
            "add",
            "kim",
            "--role",
            "coordinator",
            "--organisation",
            "Straatalliantie",
            "--activation-link",
        ],
    );
    assert!(added.status.success(), "{}", stderr(&added));
    let printed = stdout(&added);
    assert_says(&printed, "without a password");
    let token = printed
        .split("/activate/")
        .last()
        .unwrap()
        .trim()
        .to_string();
    assert_eq!(token.len(), 64, "{printed}");
    assert!(stdout(&dakwacht(&db, &["user", "list"])).contains("not activated"));
    let both = dakwacht(
        &db,
        &[
            "user",
            "add",
            "x",
            "--role",
            "researcher",
            "--activation-link",
            "--password-stdin",
        ],
    );
    assert!(!both.status.success());

    let state = tokio::runtime::Runtime::new().unwrap().block_on(async {
        use dakwacht_store::Store;
        let store = dakwacht_store::SqliteStore::open(db.to_str().unwrap())
            .await
            .unwrap();
        store
            .activation_link(&dakwacht_web::token_hash(&token))
            .await
            .unwrap()
    });
    assert_eq!(
        state,
        dakwacht_store::LinkState::Valid {
            username: "kim".into()
        }
    );
}

#[test]
fn serve_starts_the_web_application_with_a_one_time_setup_link() {
    use std::io::BufRead;
    let (_dir, db) = setup();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dakwacht"))
        .arg("--database")
        .arg(&db)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env_remove("DAKWACHT_DATABASE")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let address = first
        .strip_prefix("dakwacht runs at http://")
        .and_then(|rest| rest.split('/').next())
        .unwrap()
        .to_string();
    assert!(
        lines
            .next()
            .unwrap()
            .unwrap()
            .starts_with("No accounts yet.")
    );
    let link = lines.next().unwrap().unwrap();
    let path = link.trim().trim_start_matches(&format!("http://{address}"));
    assert!(path.starts_with("/setup/"), "{link}");

    let (status, body) = http::status_and_body(&http::get(&address, "/health", None));
    let (setup_status, setup_body) = http::status_and_body(&http::get(&address, path, None));
    let (login_status, _) = http::status_and_body(&http::get(&address, "/login", None));
    child.kill().unwrap();
    child.wait().unwrap();
    assert_says(&status, "200");
    assert_eq!(body, "ok");
    assert_says(&setup_status, "200");
    assert!(setup_body.contains("Eerste beheerder aanmaken"));
    assert!(login_status.contains("200"));
}

/// The tests read the repository's own copy of the quickscan file, which is also the built-in demo
/// data (`demo/quickscan-2025.csv`): it must be the published file, where that is at hand
/// (`../shared/data/`, next to the checkout; a clean clone elsewhere does not have it).
#[test]
fn the_demo_data_is_the_published_quickscan_file() {
    let published = dakwacht_testkit::published_quickscan_path();
    if !published.exists() {
        println!(
            "SKIPPED: no published quickscan file at {} to compare the repository's copy with",
            published.display()
        );
        return;
    }
    assert_eq!(
        std::fs::read(dakwacht_testkit::quickscan_path()).unwrap(),
        std::fs::read(&published).unwrap(),
        "the repository's copy is the published quickscan file"
    );
    assert_eq!(
        std::fs::read("demo/quickscan-2025.csv").unwrap(),
        std::fs::read(QUICKSCAN).unwrap(),
        "the built-in demo data is the repository's copy the tests read"
    );
}

/// A running `dakwacht serve --demo` (with `extra` arguments): the process, its address, what it
/// printed before it ran, and the demo accounts' password.
struct Demo {
    child: std::process::Child,
    address: String,
    printed: String,
    password: String,
}

impl Demo {
    fn start(extra: &[&str]) -> Demo {
        use std::io::BufRead;
        let mut child = Command::new(env!("CARGO_BIN_EXE_dakwacht"))
            .args(["serve", "--demo", "--listen", "127.0.0.1:0"])
            .args(extra)
            .env_remove("DAKWACHT_DATABASE")
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
        let mut printed = Vec::new();
        let address = loop {
            let line = lines.next().unwrap().unwrap();
            if let Some(rest) = line.strip_prefix("dakwacht runs at http://") {
                break rest.split('/').next().unwrap().to_string();
            }
            printed.push(line);
        };
        let printed = printed.join("\n");
        let password = printed
            .split("all with the password ")
            .nth(1)
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .trim()
            .to_string();
        Demo {
            child,
            address,
            printed,
            password,
        }
    }

    fn stop(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

#[test]
fn serve_demo_starts_with_the_quickscan_cases_and_an_account_per_role() {
    let demo = Demo::start(&[]);
    let (text, address, password) = (&demo.printed, &demo.address, &demo.password);
    for role in ["admin", "coordinator", "professional", "researcher"] {
        assert_says(text, role);
    }

    let response = http::sign_in(address, "professional.straat", password);
    demo.stop();
    assert!(response.starts_with("HTTP/1.1 303"), "{response}");
    assert!(response.contains("dakwacht_session="));
}

/// Issue 17.2: `serve --policy FILE` protects what researchers see with the deployment's own
/// policy; a policy file that does not check stops the server before it starts, naming the file.
#[test]
fn serve_uses_the_policy_file_it_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let built_in = dakwacht_stats::disclosure::BUILT_IN;
    let stricter = file_in(&dir, "strenger.toml");
    std::fs::write(
        &stricter,
        built_in
            .replace(
                "name = \"dakwacht-standaard\"",
                "name = \"gemeente-streng\"",
            )
            .replace(
                "smallest_published_count = 5",
                "smallest_published_count = 15",
            ),
    )
    .unwrap();
    let broken = file_in(&dir, "kapot.toml");
    std::fs::write(
        &broken,
        built_in.replace("smallest_published_count", "smalest"),
    )
    .unwrap();

    let refused = Command::new(env!("CARGO_BIN_EXE_dakwacht"))
        .args([
            "serve",
            "--demo",
            "--listen",
            "127.0.0.1:0",
            "--policy",
            &broken,
        ])
        .env_remove("DAKWACHT_DATABASE")
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert_says(&message, "kapot.toml");
    assert_says(&message, "smalest");

    let demo = Demo::start(&["--policy", &stricter]);
    let session = http::session_of(&http::sign_in(&demo.address, "onderzoek", &demo.password));
    let page = http::get(&demo.address, "/dashboard", Some(&session));
    demo.stop();
    assert_says(&page, "Beschermd volgens beleid gemeente-streng");
    // 13 families without a court: published under 5, held back under 15.
    assert_says(&page, "&#60;15");
    assert!(!page.contains("<td>13</td><td>22</td>"), "{page}");
}

/// Issue 13: an update file with only some columns keeps the other fields of the stored cases,
/// and a rule that breaks only together with the stored fields is reported by line and column.
#[test]
fn an_import_with_fewer_columns_changes_only_those_columns() {
    let (dir, db) = setup();
    assert!(dakwacht(&db, &["import", QUICKSCAN]).status.success());
    let before = stdout(&dakwacht(&db, &["export"]));

    let update = file_in(&dir, "update.csv");
    std::fs::write(
        &update,
        "case_ref,organisation,reported_on,children_count\n\
         QS-01,Straatalliantie,2025-06-30,2\n",
    )
    .unwrap();
    let output = dakwacht(&db, &["import", &update]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("0 created, 1 updated, 0 unchanged"));
    let after = stdout(&dakwacht(&db, &["export"]));
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(b, a)| b != a)
        .collect();
    assert_eq!(changed.len(), 1, "one case changed");
    let (old, new) = changed[0];
    // The export is for Dutch Excel: `;` between the cells.
    let diff: Vec<(&str, &str)> = old
        .split(';')
        .zip(new.split(';'))
        .filter(|(o, n)| o != n)
        .collect();
    assert_eq!(diff.len(), 1, "only reported_on: {diff:?}");
    assert_eq!(diff[0].1, "2025-06-30");

    // A default judgment for a case whose stored route is not a court case: only the store can
    // tell, and it says where.
    std::fs::write(
        &update,
        "case_ref,organisation,reported_on,children_count,default_judgment\n\
         QS-01,Straatalliantie,2025-06-30,2,\n\
         QS-07,Stichting Kernkracht,2025-06-30,1,yes\n",
    )
    .unwrap();
    let output = dakwacht(&db, &["import", &update]);
    fails_with(&output, "line 3, column default_judgment: value 'yes'");
    assert!(stderr(&output).contains("nothing was imported"));
    assert_eq!(stdout(&dakwacht(&db, &["export"])), after, "nothing stored");
}

#[test]
fn the_audit_log_prints_control_characters_escaped() {
    let (dir, db) = setup();
    // A file name is logged as it is; this one tries to forge a line and clear the screen.
    let hostile = dir
        .path()
        .join("q\n2026-01-01T00:00:00Z  cli:root  export\u{1b}[2J\u{7}\u{202e}.csv");
    std::fs::copy(QUICKSCAN, &hostile).unwrap();
    let import = dakwacht(&db, &["import", hostile.to_str().unwrap()]);
    assert!(import.status.success(), "{}", stderr(&import));
    let refused = dakwacht(&db, &["organisation", "add", "Org\u{1b}]0;pwned\u{7}"]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("'Org\\u{1B}]0;pwned\\u{7}'")
            && stderr(&refused).contains("found U+001B"),
        "{}",
        stderr(&refused)
    );

    let json: serde_json::Value =
        serde_json::from_str(&stdout(&dakwacht(&db, &["audit", "--format", "json"]))).unwrap();
    let records = json.as_array().unwrap().len();
    assert!(json[0]["detail"].as_str().unwrap().contains('\u{1b}'));
    let text = stdout(&dakwacht(&db, &["audit"]));
    assert_eq!(text.lines().count(), records, "{text}");
    assert!(
        !text
            .chars()
            .any(|c| c != '\n' && (c.is_control() || c == '\u{202e}')),
        "{text:?}"
    );
    assert_says(
        &text,
        "q\\u{A}2026-01-01T00:00:00Z  cli:root  export\\u{1B}[2J\\u{7}\\u{202E}.csv",
    );
}

/// Issue 16: `generate --children` writes a children file beside the same cases file: every
/// child valid and of a case of that file, most children with a record, some fields unknown.
#[test]
fn generate_writes_a_children_file_of_its_cases() {
    let dir = tempfile::tempdir().unwrap();
    let (cases, children) = (file_in(&dir, "cases.csv"), file_in(&dir, "kinderen.csv"));
    let arguments = ["--cases", "2000", "--seed", "7", "--output", &cases];
    generate(&[&arguments[..], &["--children", &children]].concat());
    let alone = generate(&arguments[..4]);
    let cases_text = std::fs::read(&cases).unwrap();
    assert_eq!(alone, cases_text, "the cases file does not change");

    let by_key: std::collections::HashMap<(String, String), dakwacht_core::Case> =
        dakwacht_interchange::CaseReader::csv(cases_text.as_slice())
            .unwrap()
            .unwrap()
            .map(|(_, case)| {
                let case = case.unwrap();
                let key = (case.organisation.to_string(), case.case_ref.to_string());
                (key, case)
            })
            .collect();
    let children_text = std::fs::read(&children).unwrap();
    let rows: Vec<dakwacht_interchange::ChildRow> =
        dakwacht_interchange::ChildReader::csv(children_text.as_slice())
            .unwrap()
            .unwrap()
            .map(|(line, row)| row.unwrap_or_else(|e| panic!("line {line}: {e:?}")))
            .collect();
    for row in &rows {
        let key = (row.organisation.to_string(), row.case_ref.to_string());
        let case = by_key.get(&key).expect("a case of the cases file");
        assert_eq!(row.child.check_in(case), [], "{:?}", row.child);
    }
    let all_children: usize = by_key.values().map(|c| usize::from(c.children.count)).sum();
    let share = rows.len() as f64 / all_children as f64;
    assert!(
        (0.75..0.95).contains(&share),
        "{share} of the children have a record"
    );
    assert!(
        rows.iter().any(|r| r.child.stays_with.is_none()),
        "some fields unknown"
    );
    assert!(rows.iter().any(|r| r.child.knows_more_than_age()));
}

#[test]
fn exports_and_generated_files_are_readable_by_the_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let (dir, db) = setup();
    assert!(dakwacht(&db, &["import", QUICKSCAN]).status.success());
    assert_eq!(mode(&db), 0o600, "the database dakwacht created");
    let csv = file_in(&dir, "export.csv");
    let xlsx = file_in(&dir, "export.xlsx");
    // A file that exists already, readable by all, is narrowed when it is overwritten.
    std::fs::write(&csv, b"old").unwrap();
    std::fs::set_permissions(&csv, std::fs::Permissions::from_mode(0o644)).unwrap();
    for (path, format) in [(&csv, "csv"), (&xlsx, "xlsx")] {
        let out = dakwacht(&db, &["export", "--format", format, "--output", path]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(mode(Path::new(path)), 0o600, "{path}");
    }
    let generated = file_in(&dir, "generated.csv");
    let out = dakwacht(
        &db,
        &[
            "generate", "--cases", "5", "--seed", "1", "--output", &generated,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(mode(Path::new(&generated)), 0o600);
}

#[test]
fn rules_validate_refuses_a_hostile_file_quickly() {
    let (dir, db) = setup();
    let hostile = file_in(&dir, "hostile.toml");
    let deep = format!(
        "{}child_heard == false{}",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    std::fs::write(
        &hostile,
        format!(
            "version = \"x\"\n[[rule]]\nid = \"deep\"\nseverity = \"low\"\nwhen = '{deep}'\ntitle.nl = \"T\"\ntitle.en = \"T\"\nexplanation.nl = \"U\"\nexplanation.en = \"E\"\nnext_steps.nl = [\"S\"]\nnext_steps.en = [\"S\"]\n[[rule.source]]\ninstrument = \"IVRK\"\n"
        ),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let out = dakwacht(&db, &["rules", "--validate", &hostile]);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert!(!out.status.success());
    let message = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        message.contains("rule 'deep'") && message.contains("at most 1000"),
        "{message}"
    );
}

/// `dakwacht audit --verify` checks the whole log's hash chain: intact after real work, and a
/// changed entry (with the append-only triggers taken off, as someone with the file could) is
/// named, with exit code 1.
#[test]
fn the_audit_log_is_verified_and_a_changed_entry_is_named() {
    let (_dir, db) = setup();
    assert!(dakwacht(&db, &["import", QUICKSCAN]).status.success());
    assert!(
        dakwacht(&db, &["check", "--case", "Straatalliantie/QS-01"])
            .status
            .success()
    );
    let intact = dakwacht(&db, &["audit", "--verify"]);
    assert!(intact.status.success(), "{}", stderr(&intact));
    let said = stdout(&intact);
    assert!(said.contains("The chain is intact"), "{said}");
    assert!(said.contains("Last entry: "), "{said}");

    tokio::runtime::Runtime::new().unwrap().block_on(async {
        use sqlx::Connection;
        let url = format!("sqlite://{}", db.display());
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        for statement in [
            "DROP TRIGGER audit_log_append_only_update",
            "UPDATE audit_log SET actor = 'cli:iemand' WHERE id = 1",
        ] {
            sqlx::query(statement).execute(&mut conn).await.unwrap();
        }
    });
    let broken = dakwacht(&db, &["audit", "--verify"]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(
        stderr(&broken).contains("entry 1: its content does not match its hash"),
        "{}",
        stderr(&broken)
    );
    // --verify checks everything: it takes no filter.
    assert!(
        !dakwacht(&db, &["audit", "--verify", "--action", "import"])
            .status
            .success()
    );
}
