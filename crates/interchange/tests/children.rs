#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! The children file (`spec/children.md`), read as a file: the same file rules as the cases
//! file (BOM, `,` or `;`, header by name, line numbers), and each child of a case once.

use dakwacht_core::{Lang, School};
use dakwacht_interchange::{ChildReader, CsvChildWriter, CsvStyle, LineError};

/// The rows of a children file: each line's child number or its problems as text.
fn read(text: &str) -> Vec<(u64, Result<u8, Vec<String>>)> {
    let reader = match ChildReader::csv(text.as_bytes()).unwrap() {
        Ok(reader) => reader,
        Err(errors) => panic!("header: {errors:?}"),
    };
    reader
        .map(|(line, row)| {
            let row = row
                .map(|row| row.child.child_no)
                .map_err(|errors| errors.iter().map(LineError::to_string).collect());
            (line, row)
        })
        .collect()
}

#[test]
fn a_children_file_from_dutch_excel_is_read_line_by_line() {
    let text = "\u{feff}organisation;case_ref;child_no;age;school\r\n\
                Org;QS-01;1;4;not_school_age\r\n\
                Org;QS-01;2;9;changed_school\r\n\
                \r\n\
                Org;QS-02;1;?;\r\n";
    let reader = ChildReader::csv(text.as_bytes()).unwrap().unwrap();
    let rows: Vec<_> = reader.collect();
    let lines: Vec<u64> = rows.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, [2, 3, 5], "the empty line holds no child");
    let second = rows[1].1.as_ref().unwrap();
    assert_eq!(
        (
            second.case_ref.as_str(),
            second.child.child_no,
            second.child.age
        ),
        ("QS-01", 2, Some(9))
    );
    assert_eq!(second.child.schooling.school, Some(School::ChangedSchool));
    assert_eq!(rows[2].1.as_ref().unwrap().child.age, None, "? is unknown");
}

#[test]
fn each_child_of_a_case_once_per_file() {
    let rows = read(
        "case_ref,organisation,child_no\n\
         QS-01,Org,1\n\
         QS-02,Org,1\n\
         QS-01,Other,1\n\
         qs-01,Org,2\n\
         QS-01,Org,1\n",
    );
    let fine: Vec<u64> = rows
        .iter()
        .filter(|(_, row)| row.is_ok())
        .map(|(line, _)| *line)
        .collect();
    assert_eq!(
        fine,
        [2, 3, 4, 5],
        "another case or organisation is another child"
    );
    let (line, twice) = &rows[4];
    assert_eq!(*line, 6);
    assert_eq!(
        twice.as_ref().unwrap_err(),
        &[
            "line 6, column child_no: value '1': each child of a case once per file; line 2 has the same child_no for case QS-01"
                .to_string()
        ]
    );
}

#[test]
fn a_header_without_the_key_is_refused_as_a_whole() {
    let errors = ChildReader::csv("case_ref,age\nQS-01,4\n".as_bytes())
        .unwrap()
        .err()
        .unwrap();
    let text: Vec<String> = errors.iter().map(LineError::to_string).collect();
    assert_eq!(
        text,
        [
            "line 1, column organisation: value '': this required column in the header",
            "line 1, column child_no: value '': this required column in the header",
        ]
    );
}

/// Every child of a file, or the file's first problem.
fn children_of(text: &[u8]) -> Vec<dakwacht_interchange::ChildRow> {
    ChildReader::csv(text)
        .unwrap()
        .unwrap()
        .map(|(line, row)| row.unwrap_or_else(|e| panic!("line {line}: {e:?}")))
        .collect()
}

#[test]
fn a_children_file_round_trips_exactly_in_every_style() {
    let original = "case_ref,organisation,child_no,age,stays_with,separated,school,school_days_missed,heard,heard_by,best_interest_assessed,youth_care,notes,x_school_name\n\
        QS-01,Straatalliantie,1,4,both_parents,no,not_school_age,,no,,no,no,,\n\
        QS-01,Straatalliantie,2,9,other_family,yes,missing_school,40,yes,social_work,yes,yes,\"Slaapt bij oom; \"\"mist\"\" zijn broer\nsinds maart\",De Regenboog\n\
        QS-02,Straatalliantie,1,,,threatened,changed_school,0,,,,,=SUM(A1),\n\
        QS-03,Kernkracht,3,17,alone,,,,,,,,,\n";
    let children = children_of(original.as_bytes());
    assert_eq!(children.len(), 4);
    assert_eq!(
        children[2]
            .child
            .notes
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("=SUM(A1)"),
        "a formula is text"
    );
    let extra = vec!["x_school_name".to_string()];
    for style in [
        CsvStyle::EXCEL_NL,
        CsvStyle::PLAIN,
        CsvStyle::EXCEL_NL.with_labels(Some(Lang::Nl)),
        CsvStyle::PLAIN.with_labels(Some(Lang::En)),
    ] {
        let mut writer = CsvChildWriter::new(Vec::new(), extra.clone(), style).unwrap();
        for child in &children {
            writer.write(child).unwrap();
        }
        let written = writer.finish().unwrap();
        assert_eq!(children_of(&written), children, "{style:?}");
    }
}

/// A workbook with these sheets, each of rows of text cells.
fn workbook(sheets: &[(&str, &[&[&str]])]) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *cell).unwrap();
            }
        }
    }
    workbook.save_to_buffer().unwrap()
}

#[test]
fn in_a_workbook_the_children_are_the_sheet_named_kinderen() {
    let cases: &[&[&str]] = &[
        &["case_ref", "organisation", "reported_on", "children_count"],
        &["QS-01", "Org", "2025-04-21", "2"],
    ];
    let children: &[&[&str]] = &[
        &["case_ref", "organisation", "child_no", "age"],
        &["QS-01", "Org", "1", "4"],
        &["QS-01", "Org", "2", "9"],
    ];
    let explanation: &[&[&str]] = &[&["Vul eerst de casussen in."]];
    let bytes = workbook(&[
        ("uitleg", explanation),
        ("Kinderen", children),
        ("casussen", cases),
    ]);
    let read: Vec<u8> = ChildReader::xlsx(bytes.clone())
        .unwrap()
        .unwrap()
        .map(|(_, row)| row.unwrap().child.child_no)
        .collect();
    assert_eq!(read, [1, 2]);
    let cases: Vec<String> = dakwacht_interchange::CaseReader::xlsx(bytes)
        .unwrap()
        .unwrap()
        .map(|(_, row)| row.unwrap().case_ref.to_string())
        .collect();
    assert_eq!(cases, ["QS-01"], "the sheet named casussen, not the first");

    let without = workbook(&[("cases", &[&["case_ref"]])]);
    let refused = ChildReader::xlsx(without).err().unwrap();
    assert!(
        refused.to_string().contains("no sheet named 'kinderen'"),
        "{refused}"
    );
}

#[test]
fn the_template_has_a_kinderen_sheet_with_every_column_and_its_codes() {
    let template = dakwacht_interchange::xlsx::template_workbook_with_children().unwrap();
    let reader = ChildReader::xlsx(template.clone()).unwrap().unwrap();
    assert_eq!(reader.count(), 0, "only the header");
    // The codes sheet lists the children's code lists with their Dutch labels.
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(template)).unwrap();
    use calamine::Reader;
    assert_eq!(workbook.sheet_names(), ["cases", "kinderen", "codes"]);
    let codes = workbook.worksheet_range("codes").unwrap();
    let header: Vec<String> = codes
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    for column in ["stays_with", "school", "heard_by", "youth_care"] {
        let at = header
            .iter()
            .position(|h| h == column)
            .unwrap_or_else(|| panic!("{column}"));
        let first = codes.get((1, at + 1)).map(ToString::to_string);
        assert!(
            first.is_some_and(|label| !label.is_empty()),
            "{column}: a Dutch label"
        );
    }
}
