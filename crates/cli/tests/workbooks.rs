#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! Hostile workbooks through the real binary: refused with a clear message, quickly, never an
//! abort, and nothing stored. (The limits themselves are tested in the interchange crate.)

use std::time::{Duration, Instant};

mod common;

use common::{QUICKSCAN, assert_says, dakwacht, ok};

/// A workbook with the quickscan file's header and first case, in text cells.
fn quickscan_workbook() -> rust_xlsxwriter::Workbook {
    let mut reader = csv::Reader::from_path(QUICKSCAN).unwrap();
    let header = reader.headers().unwrap().clone();
    let first = reader.records().next().unwrap().unwrap();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (row, record) in [(0u32, &header), (1, &first)] {
        for (column, cell) in (0u16..).zip(record.iter()) {
            if !cell.is_empty() {
                sheet.write_string(row, column, cell).unwrap();
            }
        }
    }
    workbook
}

#[test]
fn a_workbook_with_a_cell_at_xfd1048576_is_refused_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("test.db");
    let db = db.to_str().unwrap();

    // The well-formed workbook imports: what follows is refused for the far cell alone.
    let good = dir.path().join("good.xlsx");
    quickscan_workbook().save(&good).unwrap();
    let imported = ok(dakwacht(db, &["import", good.to_str().unwrap()]));
    assert_says(&imported, "1 case(s) read — 1 created");

    // The same workbook with Excel's last cell filled in: 6 KB that made `import` abort
    // (exit 134) trying to allocate 549 GB.
    let mut workbook = quickscan_workbook();
    let sheet = workbook.worksheet_from_index(0).unwrap();
    sheet.write_string(1, 0, "QS-NEW").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    let hostile = dir.path().join("hostile.xlsx");
    workbook.save(&hostile).unwrap();
    assert!(std::fs::metadata(&hostile).unwrap().len() < 20_000);

    let started = Instant::now();
    let output = dakwacht(db, &["import", hostile.to_str().unwrap()]);
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(
        output.status.code(),
        Some(1),
        "a clear failure, not an abort"
    );
    let errors = String::from_utf8_lossy(&output.stderr);
    assert!(
        errors.contains("hostile.xlsx")
            && errors.contains("cell XFD1048576 is beyond column ALL")
            && errors.contains("at most 1000 columns"),
        "{errors}"
    );

    let export = ok(dakwacht(db, &["export"]));
    assert!(!export.contains("QS-NEW"), "nothing of it was stored");
    assert_eq!(
        export.lines().count(),
        2,
        "the header and the first case only"
    );
}
