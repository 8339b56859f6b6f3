#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! Import → export → import gives the same cases back, for CSV and XLSX.

use dakwacht_core::{Case, Lang};
use dakwacht_interchange::{
    CaseReader, CsvCaseWriter, CsvStyle, ReadRow, XlsxCaseWriter, export_cells, header, xlsx,
};

fn read_csv(bytes: &[u8]) -> Vec<Case> {
    cases_of(CaseReader::csv(bytes).unwrap().unwrap())
}

fn read_xlsx(workbook: Vec<u8>) -> Vec<Case> {
    cases_of(CaseReader::xlsx(workbook).unwrap().unwrap())
}

/// Every row's case, all of which must be valid.
fn cases_of(rows: impl Iterator<Item = ReadRow>) -> Vec<Case> {
    rows.map(|(_, row)| row.unwrap()).collect()
}

/// Every problem of every row, as the importer reports them.
fn errors_of(rows: impl Iterator<Item = ReadRow>) -> Vec<String> {
    rows.flat_map(|(_, r)| r.err().unwrap_or_default())
        .map(|e| e.to_string())
        .collect()
}

fn extra_columns(cases: &[Case]) -> Vec<String> {
    let mut names: Vec<String> = cases.iter().flat_map(|c| c.extra.keys().cloned()).collect();
    names.sort();
    names.dedup();
    names
}

fn write_csv(cases: &[Case]) -> Vec<u8> {
    write_csv_as(cases, CsvStyle::PLAIN)
}

fn write_csv_as(cases: &[Case], style: CsvStyle) -> Vec<u8> {
    let mut writer = CsvCaseWriter::new(Vec::new(), extra_columns(cases), style).unwrap();
    for case in cases {
        writer.write(case).unwrap();
    }
    writer.finish().unwrap()
}

fn awkward_file() -> String {
    let quickscan = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../cli/demo/quickscan-2025.csv"
    ))
    .unwrap();
    let mut lines: Vec<String> = quickscan.lines().map(String::from).collect();
    lines[0].push_str(",x_team");
    for (i, line) in lines.iter_mut().enumerate().skip(1) {
        line.push_str(if i % 2 == 0 { ",Noord" } else { "," });
    }
    // Formula-like text, quotes, separators and a newline inside notes and references.
    lines.push("'=HYPERLINK(1),Straatalliantie,2025-05-01,'s-Hertogenbosch,,3,1;?;17,,2024-02,,,,,,,,,,,,,,,,,\"Zei: \"\"wij gaan\"\", daarna;\nweg, zonder adres\",-3".into());
    lines.join("\n") + "\n"
}

#[test]
fn csv_round_trips_exactly() {
    let original = read_csv(awkward_file().as_bytes());
    assert_eq!(original.len(), 24);
    let odd = &original[23];
    assert_eq!(
        odd.case_ref.as_str(),
        "=HYPERLINK(1)",
        "the protective quote is taken off on import"
    );
    assert_eq!(odd.extra.get("x_team").map(String::as_str), Some("-3"));

    let exported = write_csv(&original);
    let text = String::from_utf8(exported.clone()).unwrap();
    assert!(
        text.contains("'=HYPERLINK(1)"),
        "formulas are neutralised on export"
    );
    assert!(text.contains(",'-3\n"), "also in extra columns");
    let again = read_csv(&exported);
    assert_eq!(again, original);
    // And the export of the re-import is byte-identical: the format is a fixed point.
    assert_eq!(write_csv(&again), exported);
}

/// Every form an export takes reads back to the same cases: the Dutch Excel default (`;`, a
/// byte-order mark), the plain form, and each with a row of labels under the header.
#[test]
fn every_csv_style_round_trips() {
    let original = read_csv(awkward_file().as_bytes());
    let styles = [CsvStyle::EXCEL_NL, CsvStyle::PLAIN];
    for style in styles {
        for labels in [None, Some(Lang::Nl), Some(Lang::En)] {
            let style = style.with_labels(labels);
            let exported = write_csv_as(&original, style);
            assert_eq!(
                exported.starts_with("\u{feff}".as_bytes()),
                style.byte_order_mark,
                "{style:?}"
            );
            let text = String::from_utf8(exported.clone()).unwrap();
            let header = text.trim_start_matches('\u{feff}').lines().next().unwrap();
            assert!(
                header.starts_with(&format!("case_ref{}organisation", style.delimiter as char)),
                "{style:?}: {header}"
            );
            if labels == Some(Lang::Nl) {
                let second = text.lines().nth(1).unwrap();
                assert!(
                    second
                        .starts_with(&format!("Referentie{}Organisatie", style.delimiter as char)),
                    "{second}"
                );
            }
            assert_eq!(read_csv(&exported), original, "{style:?}");
        }
    }
    assert_eq!(CsvStyle::default(), CsvStyle::EXCEL_NL);
}

#[test]
fn a_row_that_only_looks_like_labels_in_part_is_data_and_reported() {
    let file = "case_ref;organisation;reported_on;children_count\n\
                Referentie;Organisatie;Gemeld op;2\n";
    let errors = errors_of(CaseReader::csv(file.as_bytes()).unwrap().unwrap());
    assert_eq!(
        errors,
        ["line 2, column reported_on: value 'Gemeld op': a date as YYYY-MM-DD"]
    );
}

#[test]
fn an_xlsx_export_with_labels_round_trips() {
    let original = read_csv(awkward_file().as_bytes());
    let mut writer = XlsxCaseWriter::new(extra_columns(&original), Some(Lang::Nl)).unwrap();
    for case in &original {
        writer.write(case).unwrap();
    }
    let mut workbook = std::io::Cursor::new(Vec::new());
    writer.finish(&mut workbook).unwrap();
    let again = read_xlsx(workbook.into_inner());
    assert_eq!(again, original);
}

#[test]
fn xlsx_round_trips_exactly() {
    let original = read_csv(awkward_file().as_bytes());
    let extra = extra_columns(&original);
    let rows =
        std::iter::once(header(&extra)).chain(original.iter().map(|c| export_cells(c, &extra)));
    let workbook = xlsx::write_workbook(rows).unwrap();
    let again = read_xlsx(workbook);
    assert_eq!(again, original);
}

#[test]
fn xlsx_errors_name_the_row() {
    let rows = vec![
        vec![
            "case_ref".to_string(),
            "organisation".into(),
            "reported_on".into(),
            "children_count".into(),
        ],
        vec!["R-1".into(), "Org".into(), "2025-01-01".into(), "1".into()],
        vec!["R-2".into(), "Org".into(), "2025-01-01".into(), "0".into()],
    ];
    let workbook = xlsx::write_workbook(rows.into_iter()).unwrap();
    let errors = errors_of(CaseReader::xlsx(workbook).unwrap().unwrap());
    assert_eq!(
        errors,
        ["line 3, column children_count: value '0': a whole number from 1 to 20"]
    );
}
