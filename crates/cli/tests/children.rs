#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! `dakwacht import cases.csv --children children.csv` and `dakwacht export --children FILE`,
//! run as a user would, against a real SQLite file: both files or nothing, every problem located
//! in the file it is in, the round trip exact, a second import idempotent.

mod common;

use common::{QUICKSCAN, assert_says, dakwacht, file_in, generate, ok};

/// QS-01 of the quickscan has two children (4 and 9), QS-02 one (3). Written as an export writes
/// it with `--delimiter ,`, so the round trip can be compared byte for byte.
const CHILDREN: &str = "case_ref,organisation,child_no,age,stays_with,separated,school,school_days_missed,heard,heard_by,best_interest_assessed,youth_care,notes,x_team\n\
    QS-02,Stichting Kernkracht,1,3,one_parent,,not_school_age,,,,,,,\n\
    QS-01,Straatalliantie,1,4,both_parents,no,not_school_age,,no,,,,,\n\
    QS-01,Straatalliantie,2,9,other_family,yes,missing_school,40,yes,social_work,yes,yes,\"Slaapt bij oom; \"\"mist\"\" broer\",Noord\n";

fn database(dir: &tempfile::TempDir) -> String {
    file_in(dir, "dakwacht.db")
}

/// The children file `export --children` writes of the database `db` (plain CSV, `,`).
fn exported_children(dir: &tempfile::TempDir, db: &str) -> String {
    let (cases, children) = (file_in(dir, "x.csv"), file_in(dir, "kinderen-x.csv"));
    let arguments = [
        "export",
        "--delimiter",
        ",",
        "--output",
        &cases,
        "--children",
        &children,
    ];
    ok(dakwacht(db, &arguments));
    std::fs::read_to_string(&children).unwrap()
}

/// A database in `dir` with the quickscan cases and [`CHILDREN`] imported together; the
/// database and the children file.
fn imported_with_children(dir: &tempfile::TempDir) -> (String, String) {
    let db = database(dir);
    let children = file_in(dir, "kinderen.csv");
    std::fs::write(&children, CHILDREN).unwrap();
    ok(dakwacht(
        &db,
        &["import", QUICKSCAN, "--children", &children],
    ));
    (db, children)
}

/// The entry of rule `id` in the list `key` of a JSON output.
fn entry<'j>(json: &'j serde_json::Value, key: &str, id: &str) -> &'j serde_json::Value {
    json[key]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {json}"))
}

fn failed(output: &std::process::Output) -> String {
    assert!(
        !output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn cases_and_children_are_imported_together_and_exported_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(&dir);
    let children = file_in(&dir, "kinderen.csv");
    std::fs::write(&children, CHILDREN).unwrap();

    let said = ok(dakwacht(
        &db,
        &["import", QUICKSCAN, "--children", &children],
    ));
    assert_says(
        &said,
        "23 case(s) read — 23 created, 0 updated, 0 unchanged.",
    );
    assert_says(
        &said,
        "3 child record(s) read — 3 created, 0 updated, 0 unchanged.",
    );

    // The same two files again change nothing.
    let again = ok(dakwacht(
        &db,
        &["import", QUICKSCAN, "--children", &children],
    ));
    assert_says(
        &again,
        "3 child record(s) read — 0 created, 0 updated, 3 unchanged.",
    );

    let (cases_out, children_out) = (file_in(&dir, "uit.csv"), file_in(&dir, "kinderen-uit.csv"));
    let arguments = ["export", "--delimiter", ",", "--output", &cases_out];
    ok(dakwacht(
        &db,
        &[&arguments[..], &["--children", &children_out]].concat(),
    ));
    assert_eq!(std::fs::read_to_string(&children_out).unwrap(), CHILDREN);
    // The export is recorded, for the children too, without their contents.
    let audit = ok(dakwacht(&db, &["audit", "--action", "export"]));
    assert_says(&audit, "3 child record(s) as csv");
    assert!(!audit.contains("Slaapt"), "{audit}");

    // The children file is CSV, also beside a workbook; a name that promises a workbook is refused.
    let refused = dakwacht(
        &db,
        &[
            "export",
            "--output",
            &file_in(&dir, "uit.csv"),
            "--children",
            &file_in(&dir, "kinderen.xlsx"),
        ],
    );
    assert_says(
        &failed(&refused),
        "the children file is written as CSV; give it a name ending in .csv",
    );

    // The exported pair imports into a new database as the same records.
    let other = file_in(&dir, "ander.db");
    let said = ok(dakwacht(
        &other,
        &["import", &cases_out, "--children", &children_out],
    ));
    assert_says(&said, "3 child record(s) read — 3 created");
    assert_eq!(exported_children(&dir, &other), CHILDREN);
}

/// A problem in the children file stores nothing of either file, and is said with the children
/// file's name, line, column and value; so is a child that does not fit its case.
#[test]
fn a_problem_in_either_file_stores_nothing_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(&dir);
    let children = file_in(&dir, "kinderen.csv");
    let bad = CHILDREN.replace(",9,other_family,", ",9,with_grandma,");
    std::fs::write(&children, bad).unwrap();
    let errors = failed(&dakwacht(
        &db,
        &["import", QUICKSCAN, "--children", &children],
    ));
    assert_says(
        &errors,
        format!("{children}: line 4, column stays_with: value 'with_grandma'"),
    );
    assert_says(
        &errors,
        format!("{children}: 1 problem(s) found; nothing was imported."),
    );
    let export = ok(dakwacht(&db, &["export"]));
    assert_eq!(
        export.lines().count(),
        1,
        "no case stored either:\n{export}"
    );

    // Valid rows, but one child QS-02 does not have and one of a case nobody has.
    let misfit = format!(
        "{CHILDREN}QS-02,Stichting Kernkracht,2,,,,,,,,,,,\nQS-99,Straatalliantie,1,,,,,,,,,,,\n"
    );
    std::fs::write(&children, misfit).unwrap();
    let errors = failed(&dakwacht(
        &db,
        &["import", QUICKSCAN, "--children", &children],
    ));
    assert_says(
        &errors,
        format!("{children}: line 5, column child_no: value '2'"),
    );
    assert_says(
        &errors,
        format!("{children}: line 6, column case_ref: value 'QS-99'"),
    );
    assert_says(&errors, "2 record(s) would break a rule");
    let export = ok(dakwacht(&db, &["export"]));
    assert_eq!(export.lines().count(), 1, "nothing stored:\n{export}");

    // The cases alone (a version 1 import) are fine; a later cases file that drops a child of a
    // stored record is refused, naming the record.
    std::fs::write(&children, CHILDREN).unwrap();
    ok(dakwacht(
        &db,
        &["import", QUICKSCAN, "--children", &children],
    ));
    let fewer = std::fs::read_to_string(QUICKSCAN).unwrap().replacen(
        "QS-01,Straatalliantie,2025-04-21,Amsterdam,two_parents,2,4;9,",
        "QS-01,Straatalliantie,2025-04-21,Amsterdam,two_parents,1,4,",
        1,
    );
    let fewer_path = file_in(&dir, "minder.csv");
    std::fs::write(&fewer_path, fewer).unwrap();
    let errors = failed(&dakwacht(&db, &["import", &fewer_path]));
    assert_says(
        &errors,
        "case QS-01 of Straatalliantie: the stored record of child 2 no longer fits it",
    );
}

/// `generate --children` writes a pair that imports as it is.
#[test]
fn a_generated_pair_imports() {
    let dir = tempfile::tempdir().unwrap();
    let (cases, children) = (file_in(&dir, "cases.csv"), file_in(&dir, "kinderen.csv"));
    generate(&[
        "--cases",
        "500",
        "--seed",
        "3",
        "--output",
        &cases,
        "--children",
        &children,
    ]);
    let rows = std::fs::read_to_string(&children).unwrap().lines().count() - 1;
    let said = ok(dakwacht(
        &database(&dir),
        &["import", &cases, "--children", &children],
    ));
    assert_says(
        &said,
        format!("{rows} child record(s) read — {rows} created"),
    );
}

/// A workbook holds both files: the cases on its first sheet, the children on the sheet named
/// `kinderen`; `--children` names the same workbook.
#[test]
fn a_workbook_with_a_kinderen_sheet_imports_both() {
    let dir = tempfile::tempdir().unwrap();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheets = [
        ("casussen", std::fs::read_to_string(QUICKSCAN).unwrap()),
        ("kinderen", CHILDREN.to_string()),
    ];
    for (name, text) in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name).unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes());
        for (row, record) in (0u32..).zip(reader.records()) {
            for (column, cell) in (0u16..).zip(record.unwrap().iter()) {
                if !cell.is_empty() {
                    sheet.write_string(row, column, cell).unwrap();
                }
            }
        }
    }
    let book = file_in(&dir, "gezinnen.xlsx");
    workbook.save(&book).unwrap();
    let said = ok(dakwacht(
        &database(&dir),
        &["import", &book, "--children", &book],
    ));
    assert_says(&said, "23 case(s) read — 23 created");
    assert_says(&said, "3 child record(s) read — 3 created");
    assert_eq!(exported_children(&dir, &database(&dir)), CHILDREN);
}

#[test]
fn check_holds_a_case_against_its_childrens_records() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = imported_with_children(&dir);

    // Child 1 of QS-01 was not heard, child 2 was separated from its parents; the family's own
    // field says nobody was separated, and the check says so.
    let text = ok(dakwacht(&db, &["check", "--case", "Straatalliantie/QS-01"]));
    assert_says(&text, "Betreft: kind 1 (4 jaar)");
    assert_says(&text, "Betreft: kind 2 (9 jaar)");
    assert_says(
        &text,
        "Let op, gegevens verschillen: Scheiding van kinderen en ouders: volgens de gezinsgegevens niet, volgens de kinddossiers wel (kind 2 (9 jaar))",
    );

    let json = ok(dakwacht(
        &db,
        &[
            "check",
            "--case",
            "Straatalliantie/QS-01",
            "--format",
            "json",
        ],
    ));
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let separation = entry(&json, "signals", "family_separation");
    assert_eq!(
        separation["children"],
        serde_json::json!([{"child_no": 2, "age": 9}])
    );
    assert_eq!(json["disagreements"][0]["rule"], "family_separation");

    // The counts over all cases see the records too.
    let counts = ok(dakwacht(&db, &["check", "--format", "json"]));
    let counts: serde_json::Value = serde_json::from_str(&counts).unwrap();
    let separation = entry(&counts, "rules", "family_separation");
    ok(dakwacht(&file_in(&dir, "leeg.db"), &["import", QUICKSCAN]));
    let plain = ok(dakwacht(
        &file_in(&dir, "leeg.db"),
        &["check", "--format", "json"],
    ));
    let plain: serde_json::Value = serde_json::from_str(&plain).unwrap();
    let plain_separation = entry(&plain, "rules", "family_separation");
    assert_eq!(
        separation["cases"].as_u64().unwrap(),
        plain_separation["cases"].as_u64().unwrap() + 1,
        "QS-01 is counted by its child's record"
    );
}

#[test]
fn a_workbook_export_holds_the_children_and_imports_back_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let (db, children) = imported_with_children(&dir);

    // The workbook: the cases on `cases`, the children on `kinderen`, with a labels row each.
    let book = file_in(&dir, "export.xlsx");
    ok(dakwacht(
        &db,
        &[
            "export", "--format", "xlsx", "--labels", "nl", "--output", &book,
        ],
    ));
    let again = file_in(&dir, "again.db");
    let said = ok(dakwacht(&again, &["import", &book, "--children", &book]));
    assert_says(&said, "23 case(s) read — 23 created");
    assert_says(&said, "3 child record(s) read — 3 created");
    assert_eq!(
        exported_children(&dir, &again),
        CHILDREN,
        "the round trip is exact"
    );

    // A separate children file beside a workbook would be a second copy: refused.
    let refused = dakwacht(
        &db,
        &[
            "export",
            "--format",
            "xlsx",
            "--output",
            &book,
            "--children",
            &children,
        ],
    );
    assert!(failed(&refused).contains("sheet 'kinderen'"));
}
