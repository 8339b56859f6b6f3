#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! Every validation rule of `spec/interchange.md`: a file that breaks it (with the exact error)
//! and a near-identical file that passes.

use dakwacht_core::{Case, LivingSituation};
use dakwacht_interchange::{CaseReader, LineError};

/// A valid row; tests change one or two cells.
const HEADER: &str = "case_ref,organisation,reported_on,municipality,household,children_count,children_ages,tenancy,home_lost_on,route,main_reason,other_reasons,legal_support,default_judgment,alternative_offered,situation_after,current_situation,last_seen_on,last_seen_situation,rehoused_on,child_heard,best_interest_weighed,family_separated,shelter_refused_no_binding,school_disrupted,notes";

fn base() -> Vec<(&'static str, String)> {
    let values = "R-1,Org,2025-04-21,Amsterdam,two_parents,2,4;9,corporation,2024-08-21,court_eviction,rent_arrears,,none,yes,none,social_network,social_network,,,,no,no,no,unknown,yes,";
    HEADER
        .split(',')
        .zip(values.split(',').map(String::from))
        .collect()
}

fn file_with(changes: &[(&str, &str)]) -> String {
    let mut row = base();
    for (column, value) in changes {
        let cell = row
            .iter_mut()
            .find(|(c, _)| c == column)
            .expect("known column");
        cell.1 = value.to_string();
    }
    let quote = |v: &str| {
        if v.contains([',', '"', '\n']) {
            format!("\"{}\"", v.replace('"', "\"\""))
        } else {
            v.to_string()
        }
    };
    format!(
        "{HEADER}\n{}\n",
        row.iter()
            .map(|(_, v)| quote(v))
            .collect::<Vec<_>>()
            .join(",")
    )
}

/// The valid file with one more column, `name`, holding `value`.
fn with_column(name: &str, value: &str) -> String {
    file_with(&[])
        .replacen("notes", &format!("notes,{name}"), 1)
        .replacen("yes,\n", &format!("yes,,{value}\n"), 1)
}

/// Reads a whole file: its cases, or every error (header or rows).
fn read(text: &str) -> Result<Vec<Case>, Vec<LineError>> {
    let reader = CaseReader::csv(text.as_bytes()).expect("readable")?;
    let mut cases = Vec::new();
    let mut errors = Vec::new();
    for (_, row) in reader {
        match row {
            Ok(case) => cases.push(case),
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok(cases)
    } else {
        Err(errors)
    }
}

fn errors(text: &str) -> Vec<String> {
    read(text)
        .expect_err("the file must be refused")
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// The file is refused, and its first error starts with `start`.
fn first_error(text: &str, start: &str) {
    let errors = errors(text);
    assert!(errors[0].starts_with(start), "{errors:?}");
}

fn passes(changes: &[(&str, &str)]) -> Case {
    let mut cases = read(&file_with(changes)).unwrap_or_else(|e| panic!("must pass: {e:?}"));
    assert_eq!(cases.len(), 1);
    cases.remove(0)
}

fn fails(changes: &[(&str, &str)], expected: &str) {
    let errors = errors(&file_with(changes));
    assert!(
        errors
            .iter()
            .any(|e| e == expected || e.starts_with(expected)),
        "expected {expected:?}, got {errors:#?}"
    );
}

/// The row with `changes` is refused for the first change's cell: its error starts with
/// `line 2, column {column}: value '{value}': {expected}`.
fn refuses_with(changes: &[(&str, &str)], expected: &str) {
    let (column, value) = changes[0];
    fails(
        changes,
        &format!("line 2, column {column}: value '{value}': {expected}"),
    );
}

/// Every row with one changed cell, `(column, value, expected)`, is refused for that cell.
fn refuses_each(rows: &[(&str, &str, &str)]) {
    for (column, value, expected) in rows {
        refuses_with(&[(column, value)], expected);
    }
}

#[test]
fn base_row_is_valid() {
    let case = passes(&[]);
    assert_eq!(case.case_ref.as_str(), "R-1");
    assert_eq!(case.children.count, 2);
    assert_eq!(case.current_situation, Some(LivingSituation::SocialNetwork));
}

#[test]
fn required_columns_must_be_present() {
    let text = file_with(&[]).replacen("children_count", "kids", 1);
    let errors = errors(&text);
    assert!(
        errors.iter().any(|e| e
            .starts_with("line 1, column 6 (F): value 'kids': a column of the interchange format")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e
                == "line 1, column children_count: value '': this required column in the header"),
        "{errors:?}"
    );
}

#[test]
fn required_values_must_be_present() {
    for column in ["case_ref", "organisation", "reported_on", "children_count"] {
        let errors = errors(&file_with(&[(column, "")]));
        assert!(
            errors.iter().any(
                |e| e.starts_with(&format!("line 2, column {column}: value '': "))
                    && e.ends_with("(this column is required)")
            ),
            "{column}: {errors:?}"
        );
    }
    passes(&[("municipality", ""), ("household", ""), ("notes", "")]);
}

#[test]
fn codes_must_come_from_their_list() {
    refuses_each(&[
        (
            "tenancy",
            "corporatie",
            "one of corporation, private or sublet (or empty / unknown)",
        ),
        ("household", "single", "one of one_parent or two_parents"),
        ("route", "evicted", "one of court_eviction,"),
        ("main_reason", "debt", "one of rent_arrears,"),
        ("legal_support", "yes", "one of lawyer,"),
        ("alternative_offered", "house", "one of none,"),
        ("situation_after", "street", "one of housed,"),
        ("current_situation", "sofa", "one of housed,"),
        ("family_separated", "maybe", "one of no, threatened or yes"),
        ("child_heard", "ja", "yes or no (or empty / unknown)"),
        ("other_reasons", "nuisance;debt", "reasons separated by ;"),
    ]);
}

#[test]
fn codes_match_case_insensitively_and_unknown_means_empty() {
    let case = passes(&[
        ("tenancy", "Corporation"),
        ("route", "COURT_EVICTION"),
        ("child_heard", "Yes"),
        ("household", "unknown"),
        ("current_situation", "UNKNOWN"),
    ]);
    assert_eq!(
        case.tenancy.map(|t| t.code()),
        Some("corporation"),
        "stored lower-case"
    );
    assert_eq!(case.child_heard, Some(true));
    assert_eq!(case.household, None);
    assert_eq!(case.current_situation, None);
    assert!(case.is_out_of_view());
}

#[test]
fn dates_must_be_valid() {
    refuses_each(&[
        ("reported_on", "2025-02-30", "a date as YYYY-MM-DD"),
        ("reported_on", "21-04-2025", "a date as YYYY-MM-DD"),
        (
            "home_lost_on",
            "2024-13",
            "a date as YYYY-MM-DD or a month as YYYY-MM",
        ),
        ("rehoused_on", "2025-04", "a date as YYYY-MM-DD"),
    ]);
    let case = passes(&[("home_lost_on", "2024-08")]);
    assert_eq!(
        case.home_lost_on.map(|d| d.to_string()).as_deref(),
        Some("2024-08")
    );
}

#[test]
fn dates_must_not_be_after_reported_on() {
    let after = "a date not after reported_on";
    refuses_each(&[
        (
            "home_lost_on",
            "2025-04-22",
            "a date not after reported_on (2025-04-21)",
        ),
        ("home_lost_on", "2025-05", after),
    ]);
    refuses_with(
        &[
            ("rehoused_on", "2025-04-22"),
            ("current_situation", "housed"),
        ],
        after,
    );
    refuses_with(
        &[
            ("last_seen_on", "2025-04-22"),
            ("last_seen_situation", "car"),
        ],
        after,
    );
    passes(&[("home_lost_on", "2025-04")]);
    passes(&[
        ("home_lost_on", "2025-04-21"),
        ("rehoused_on", "2025-04-21"),
        ("last_seen_on", "2025-04-21"),
        ("last_seen_situation", "car"),
    ]);
}

#[test]
fn dates_must_not_be_before_the_loss() {
    let before = "a date not before home_lost_on";
    refuses_with(
        &[("rehoused_on", "2024-08-20")],
        &format!("{before} (2024-08-21)"),
    );
    refuses_with(
        &[
            ("last_seen_on", "2024-07-31"),
            ("last_seen_situation", "car"),
        ],
        &format!("{before} (2024-08-21)"),
    );
    refuses_with(
        &[("rehoused_on", "2024-07-31"), ("home_lost_on", "2024-08")],
        &format!("{before} (2024-08)"),
    );
    // Month precision compares months: any day in August 2024 is not before 2024-08.
    passes(&[("home_lost_on", "2024-08"), ("rehoused_on", "2024-08-01")]);
}

#[test]
fn children_count_and_ages() {
    let count = "a whole number from 1 to 20";
    refuses_with(&[("children_count", "0"), ("children_ages", "")], count);
    refuses_with(&[("children_count", "21"), ("children_ages", "")], count);
    refuses_each(&[
        ("children_count", "two", count),
        (
            "children_ages",
            "4;18",
            "ages from 0 to 17, or ? for an unknown age",
        ),
        (
            "children_ages",
            "4",
            "exactly 2 age(s), one per child (children_count is 2)",
        ),
        ("children_ages", "4;5;6", "exactly 2 age(s)"),
    ]);
    let case = passes(&[("children_ages", "0;?")]);
    assert_eq!(case.children.age_unknown(), 1);
    passes(&[("children_count", "20"), ("children_ages", "")]);
}

#[test]
fn default_judgment_only_with_court_eviction() {
    let needs = "empty or unknown, because a default judgment needs route court_eviction";
    // The base row's default judgment is `yes`.
    refuses_with(
        &[("default_judgment", "yes"), ("route", "left_other")],
        &format!("{needs} (route is left_other)"),
    );
    refuses_with(
        &[("default_judgment", "no"), ("route", "")],
        &format!("{needs} (route is unknown)"),
    );
    passes(&[("route", "left_other"), ("default_judgment", "unknown")]);
    passes(&[("route", "court_eviction"), ("default_judgment", "no")]);
}

#[test]
fn last_seen_on_and_situation_come_together() {
    // The base row has neither.
    refuses_with(
        &[("last_seen_situation", ""), ("last_seen_on", "2025-01-01")],
        "the situation on last_seen_on (2025-01-01), required when last_seen_on is given",
    );
    refuses_with(
        &[("last_seen_on", ""), ("last_seen_situation", "car")],
        "the date the family was last seen, required when last_seen_situation (car) is given",
    );
    let case = passes(&[
        ("last_seen_on", "2025-01-01"),
        ("last_seen_situation", "car"),
    ]);
    assert_eq!(
        case.last_seen.map(|s| s.situation),
        Some(LivingSituation::Car)
    );
}

#[test]
fn other_reasons_are_distinct_and_not_the_main_reason() {
    refuses_each(&[
        ("other_reasons", "nuisance;nuisance", "each reason once"),
        (
            "other_reasons",
            "rent_arrears",
            "reasons other than the main reason (rent_arrears)",
        ),
    ]);
    let case = passes(&[("other_reasons", "nuisance;Crime")]);
    assert_eq!(case.other_reasons.len(), 2);
}

#[test]
fn text_lengths() {
    for (column, letter, max) in [
        ("case_ref", "x", 64),
        ("organisation", "o", 120),
        ("notes", "n", 4000),
    ] {
        fails(
            &[(column, &letter.repeat(max + 1))],
            &format!("line 2, column {column}: value '{}", letter.repeat(4)),
        );
        passes(&[(column, &letter.repeat(max))]);
    }
}

#[test]
fn a_case_at_most_once_per_file() {
    let one = file_with(&[]);
    let row = one.lines().nth(1).unwrap();
    let text = format!("{one}{}\n", row.replacen("R-1", "R-2", 1));
    assert_eq!(read(&text).unwrap().len(), 2);
    let text = format!("{one}{row}\n");
    let errors = errors(&text);
    assert_eq!(
        errors,
        [
            "line 3, column case_ref: value 'R-1': a case_ref used once per organisation in a file; line 2 has the same case_ref for Org"
        ]
    );
    // The same reference at another organisation is another case.
    let text = format!("{one}{}\n", row.replacen(",Org,", ",Other org,", 1));
    assert_eq!(read(&text).unwrap().len(), 2);
}

#[test]
fn unknown_columns_are_errors_but_x_columns_are_kept() {
    let cases = read(&with_column("x_Team", "Noord")).unwrap();
    assert_eq!(
        cases[0].extra.get("x_team").map(String::as_str),
        Some("Noord")
    );
    first_error(
        &with_column("team", "Noord"),
        "line 1, column 27 (AA): value 'team'",
    );
}

#[test]
fn every_error_of_a_file_is_reported_with_its_line() {
    let mut text = file_with(&[("tenancy", "x")]);
    text.push_str(
        file_with(&[
            ("case_ref", "R-2"),
            ("reported_on", "yesterday"),
            ("route", "y"),
        ])
        .lines()
        .nth(1)
        .unwrap(),
    );
    text.push('\n');
    let errors = errors(&text);
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert!(errors[0].starts_with("line 2, column tenancy"));
    assert!(errors[1].starts_with("line 3, column reported_on: value 'yesterday'"));
    assert!(errors[2].starts_with("line 3, column route: value 'y'"));
}

#[test]
fn semicolons_bom_any_order_and_quoted_newlines() {
    let text = "\u{feff}Organisation ; CASE_REF;reported_on;children_count;notes\r\n\
                Org;R-1;2025-01-01;1;\"line one\nline two; with \"\"quotes\"\"\"\r\n\
                Org;R-2;2025-01-01;1;\r\n\
                ;;;;\r\n";
    let cases = read(text).unwrap();
    assert_eq!(cases.len(), 2, "a row of only delimiters is skipped");
    assert_eq!(
        cases[0].notes.as_ref().unwrap().as_str(),
        "line one\nline two; with \"quotes\""
    );
    // Line numbers count physical lines: the row after a quoted newline is line 4.
    first_error(
        &text.replace("R-2;2025-01-01", "R-2;2025-13-01"),
        "line 4, column reported_on: value '2025-13-01'",
    );
}

#[test]
fn a_row_with_the_wrong_number_of_cells_is_reported() {
    first_error(
        &format!("{HEADER}\nR-1,Org,2025-01-01\n"),
        "line 2: value '3 values': 26 values, one per header column",
    );
}

#[test]
fn text_that_is_not_utf8_is_reported() {
    let mut bytes = b"case_ref,organisation,reported_on,children_count\nR-1,Caf".to_vec();
    bytes.extend([0xe9]); // "é" in Windows-1252
    bytes.extend(b",2025-01-01,1\n");
    let reader = CaseReader::csv(&bytes[..]).unwrap().unwrap();
    let errors: Vec<String> = reader
        .flat_map(|(_, r)| r.err().unwrap_or_default())
        .map(|e| e.to_string())
        .collect();
    assert!(
        errors[0].starts_with("line 2, column 2 (B): value 'Caf"),
        "{errors:?}"
    );
    assert!(errors[0].ends_with("text in UTF-8 (in Excel: save as \"CSV UTF-8\")"));
}

#[test]
fn the_quickscan_file_reads_without_errors() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../cli/demo/quickscan-2025.csv"
    ))
    .unwrap();
    let cases = read(&text).unwrap();
    assert_eq!(cases.len(), 23);
    assert_eq!(
        cases
            .iter()
            .map(|c| u32::from(c.children.count))
            .sum::<u32>(),
        28
    );
}

#[test]
fn control_characters_are_refused_with_line_column_and_escaped_value() {
    let hostile = [
        ("case_ref", "R-1\u{0}", "R-1\\u{0}", "U+0000"),
        ("organisation", "Org\u{1B}[2J", "Org\\u{1B}[2J", "U+001B"),
        (
            "municipality",
            "Ams\u{7}terdam",
            "Ams\\u{7}terdam",
            "U+0007",
        ),
        (
            "municipality",
            "mad\u{202E}retsma",
            "mad\\u{202E}retsma",
            "U+202E",
        ),
        (
            "notes",
            "zie \u{2066}dossier",
            "zie \\u{2066}dossier",
            "U+2066",
        ),
        ("notes", "a\u{9B}31m", "a\\u{9B}31m", "U+009B"),
        (
            "route",
            "court_eviction\u{7F}",
            "court_eviction\\u{7F}",
            "U+007F",
        ),
    ];
    for (column, value, shown, code) in hostile {
        let errors = errors(&file_with(&[(column, value)]));
        assert_eq!(errors.len(), 1, "{column}: {errors:#?}");
        assert_eq!(
            errors[0],
            format!(
                "line 2, column {column}: value '{shown}': text without control characters or direction controls (found {code}; tabs and line breaks only in notes)"
            )
        );
        assert!(!errors[0].chars().any(char::is_control), "{errors:?}");
    }
    // A line break or tab inside a quoted name is refused too; in notes it is text.
    fails(
        &[("organisation", "Org\nfake line")],
        "line 2, column organisation: value 'Org\\u{A}fake line': text without control characters",
    );
    fails(
        &[("case_ref", "R\t1")],
        "line 2, column case_ref: value 'R\\u{9}1'",
    );
    let case = passes(&[("notes", "regel een\r\n\tregel twee")]);
    assert_eq!(case.notes.unwrap().as_str(), "regel een\r\n\tregel twee");

    // Free x_ columns are text fields like any other.
    assert_eq!(
        errors(&with_column("x_Team", "No\u{1B}ord")),
        [
            "line 2, column x_team: value 'No\\u{1B}ord': text without control characters or direction controls (found U+001B; tabs and line breaks only in notes)"
        ]
    );
}
