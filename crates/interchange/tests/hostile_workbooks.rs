#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! Workbooks built to exhaust memory or time are refused quickly, with a message naming the
//! limit and where, and never by a panic or an abort.
//!
//! The bombs are made here: a part of gigabytes of repeated bytes is compressed once per
//! megabyte and the compressed megabyte repeated, so the test itself stays small and fast.

use std::io::Cursor;
use std::time::{Duration, Instant};

use dakwacht_interchange::xlsx::SheetLimits;
use dakwacht_interchange::{CaseReader, ReadError};

const MIB: usize = 1024 * 1024;

/// The parts every workbook needs besides its sheet (and, if any, its shared strings).
fn frame(shared_strings: bool) -> Vec<(&'static str, Vec<u8>)> {
    let mut workbook_rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>"#,
    );
    if shared_strings {
        workbook_rels.push_str(r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#);
    }
    workbook_rels.push_str("</Relationships>");
    vec![
        (
            "[Content_Types].xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>"#.to_vec(),
        ),
        (
            "_rels/.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_vec(),
        ),
        (
            "xl/workbook.xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="cases" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_vec(),
        ),
        ("xl/_rels/workbook.xml.rels", workbook_rels.into_bytes()),
    ]
}

const SHEET_START: &str = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
const SHEET_END: &str = "</sheetData></worksheet>";

/// One part: its bytes are `start`, then `middle` repeated `times` times, then `end`.
struct Part {
    name: &'static str,
    start: Vec<u8>,
    middle: Vec<u8>,
    times: usize,
    end: Vec<u8>,
}

impl Part {
    fn plain(name: &'static str, bytes: Vec<u8>) -> Self {
        Part {
            name,
            start: bytes,
            middle: Vec::new(),
            times: 0,
            end: Vec::new(),
        }
    }

    fn sheet(rows: &str) -> Self {
        Part::plain(
            "xl/worksheets/sheet1.xml",
            format!("{SHEET_START}{rows}{SHEET_END}").into_bytes(),
        )
    }
}

/// Raw deflate of the part: the repeated middle is compressed once after a full flush (which
/// forgets the history), so that its compressed bytes can be repeated.
fn deflate(part: &Part) -> (Vec<u8>, u32, u64) {
    use flate2::{Compress, Compression, FlushCompress};
    let mut compress = Compress::new(Compression::best(), false);
    let mut run = |input: &[u8], flush: FlushCompress| {
        let mut output = Vec::with_capacity(input.len() / 2 + 1024);
        let mut done = 0;
        loop {
            output.reserve(64 * 1024);
            let before_in = compress.total_in();
            compress
                .compress_vec(&input[done..], &mut output, flush)
                .unwrap();
            done += (compress.total_in() - before_in) as usize;
            if done == input.len() && output.len() < output.capacity() {
                return output;
            }
        }
    };
    let mut data = run(&part.start, FlushCompress::Full);
    if part.times > 0 {
        let first = run(&part.middle, FlushCompress::Full);
        let again = run(&part.middle, FlushCompress::Full);
        assert_eq!(
            first, again,
            "a full flush makes the compressed middle repeatable"
        );
        for _ in 0..part.times {
            data.extend_from_slice(&first);
        }
    }
    data.extend(run(&part.end, FlushCompress::Finish));
    let mut crc = flate2::Crc::new();
    crc.update(&part.start);
    for _ in 0..part.times {
        crc.update(&part.middle);
    }
    crc.update(&part.end);
    let size = (part.start.len() + part.middle.len() * part.times + part.end.len()) as u64;
    (data, crc.sum(), size)
}

/// A zip archive of the parts, deflated, written by hand so that a part may unpack to
/// gigabytes; `declared` replaces the unpacked size of the repeated parts in the directory (a lie).
fn zip(parts: &[Part], declared: Option<u32>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut directory = Vec::new();
    for part in parts {
        let (data, crc, size) = deflate(part);
        let true_size = u32::try_from(size).unwrap();
        let size = if part.times > 0 {
            declared.unwrap_or(true_size)
        } else {
            true_size
        };
        let offset = u32::try_from(out.len()).unwrap();
        let name = part.name.as_bytes();
        let common = |out: &mut Vec<u8>| {
            out.extend(20u16.to_le_bytes()); // version needed
            out.extend(0u16.to_le_bytes()); // flags
            out.extend(8u16.to_le_bytes()); // deflate
            out.extend(0u32.to_le_bytes()); // time, date
            out.extend(crc.to_le_bytes());
            out.extend(u32::try_from(data.len()).unwrap().to_le_bytes());
            out.extend(size.to_le_bytes());
            out.extend(u16::try_from(name.len()).unwrap().to_le_bytes());
            out.extend(0u16.to_le_bytes()); // extra field
        };
        out.extend(0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend(name);
        out.extend(&data);
        directory.extend(0x0201_4b50u32.to_le_bytes());
        directory.extend(20u16.to_le_bytes()); // version made by
        common(&mut directory);
        directory.extend([0u8; 8]); // comment length, disk, internal and external attributes
        directory.extend(0u16.to_le_bytes());
        directory.extend(offset.to_le_bytes());
        directory.extend(name);
    }
    let directory_offset = u32::try_from(out.len()).unwrap();
    out.extend(&directory);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]); // disk numbers
    let count = u16::try_from(parts.len()).unwrap().to_le_bytes();
    out.extend(count);
    out.extend(count);
    out.extend(u32::try_from(directory.len()).unwrap().to_le_bytes());
    out.extend(directory_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

fn workbook(mut parts: Vec<Part>) -> Vec<u8> {
    let shared = parts.iter().any(|p| p.name == "xl/sharedStrings.xml");
    let mut all: Vec<Part> = frame(shared)
        .into_iter()
        .map(|(name, bytes)| Part::plain(name, bytes))
        .collect();
    all.append(&mut parts);
    zip(&all, None)
}

/// Opens the workbook and reads every row; the first problem met, as text.
fn read(bytes: Vec<u8>, limits: SheetLimits) -> Result<usize, String> {
    match CaseReader::xlsx_from(Cursor::new(bytes), limits) {
        Err(error) => Err(error.to_string()),
        Ok(Err(header)) => Err(format!("header: {header:?}")),
        Ok(Ok(reader)) => {
            let mut rows = 0;
            for (_, row) in reader {
                row.map_err(|e| format!("{e:?}"))?;
                rows += 1;
            }
            Ok(rows)
        }
    }
}

/// Refused within `seconds`, with a message containing every one of `words`.
fn assert_refused(bytes: Vec<u8>, limits: SheetLimits, words: &[&str], seconds: u64) {
    let started = Instant::now();
    let outcome = read(bytes, limits);
    let took = started.elapsed();
    let message = outcome.expect_err("the workbook is refused");
    for word in words {
        assert!(
            message.contains(word),
            "'{word}' is not in the message: {message}"
        );
    }
    assert!(
        took < Duration::from_secs(seconds),
        "refused only after {took:?}"
    );
}

const HEADER_ROW: &str = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>case_ref</t></is></c></row>"#;

#[test]
fn a_well_formed_small_workbook_reads() {
    // The frame the hostile workbooks below share is itself read without complaint, so what they
    // are refused for is what they add.
    let bytes = workbook(vec![Part::sheet(HEADER_ROW)]);
    let rows = dakwacht_interchange::xlsx::read_first_sheet(bytes).unwrap();
    assert_eq!(rows, vec![(1, vec!["case_ref".to_string()])]);
}

#[test]
fn a_cell_at_xfd1048576_is_refused_before_anything_is_allocated_for_it() {
    // The 6.6 KB workbook of the issue: Excel's first and last cell. Reading it as a range
    // allocated 549 GB and aborted the process.
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "case_ref").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    assert!(bytes.len() < 10_000);
    assert_refused(
        bytes.clone(),
        SheetLimits::default(),
        &["XFD1048576", "1000 columns"],
        5,
    );
    // The same through the plain entry point the web upload uses.
    let error = CaseReader::xlsx(bytes).err().unwrap();
    assert!(matches!(error, ReadError::Spreadsheet(_)));
}

#[test]
fn the_column_limit_is_where_it_says() {
    let last = r#"<row r="2"><c r="ALL2" t="inlineStr"><is><t>x</t></is></c></row>"#;
    let beyond = r#"<row r="2"><c r="ALM2" t="inlineStr"><is><t>x</t></is></c></row>"#;
    let read_last = read(
        workbook(vec![Part::sheet(&format!("{HEADER_ROW}{last}"))]),
        SheetLimits::default(),
    );
    // Column 1000 is read (and reported by the row parser for its length, not refused here).
    assert!(
        !read_last.as_ref().is_err_and(|e| e.contains("refused")),
        "{read_last:?}"
    );
    assert_refused(
        workbook(vec![Part::sheet(&format!("{HEADER_ROW}{beyond}"))]),
        SheetLimits::default(),
        &["cell ALM2", "beyond column ALL"],
        5,
    );
}

#[test]
fn cells_without_references_are_placed_and_checked_as_calamine_places_them() {
    // 1001 cells in one row, none with a reference: the 1001st lands in column ALM.
    let cells = r#"<c t="inlineStr"><is><t>x</t></is></c>"#.repeat(1001);
    assert_refused(
        workbook(vec![Part::sheet(&format!(
            "{HEADER_ROW}<row>{cells}</row>"
        ))]),
        SheetLimits::default(),
        &["ALM2", "1000 columns"],
        5,
    );
}

#[test]
fn references_outside_excels_grid_are_refused_not_overflowed() {
    for (rows, words) in [
        (
            r#"<row r="2"><c r="A99999999999"><v>1</v></c></row>"#,
            &["A99999999999", "grid"][..],
        ),
        (
            r#"<row r="2"><c r="AAAAAAAAA2"><v>1</v></c></row>"#,
            &["AAAAAAAAA2"],
        ),
        (
            r#"<row r="4294967297"><c><v>1</v></c></row>"#,
            &["4294967297"],
        ),
    ] {
        assert_refused(
            workbook(vec![Part::sheet(&format!("{HEADER_ROW}{rows}"))]),
            SheetLimits::default(),
            words,
            5,
        );
    }
    let upside_down = format!(
        r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="B2:A1"/><sheetData>{HEADER_ROW}{SHEET_END}"#
    );
    assert_refused(
        workbook(vec![Part::plain(
            "xl/worksheets/sheet1.xml",
            upside_down.into_bytes(),
        )]),
        SheetLimits::default(),
        &["B2:A1"],
        5,
    );
}

#[test]
fn a_sheet_of_two_gigabytes_of_one_text_is_refused_at_the_first_megabyte() {
    // 2 GB of 'a' in one cell: one XML text event that a reader would buffer whole.
    let bomb = Part {
        name: "xl/worksheets/sheet1.xml",
        start: format!(r#"{SHEET_START}{HEADER_ROW}<row r="2"><c r="A2" t="inlineStr"><is><t>"#)
            .into_bytes(),
        middle: vec![b'a'; MIB],
        times: 2048,
        end: format!("</t></is></c></row>{SHEET_END}").into_bytes(),
    };
    let bytes = workbook(vec![bomb]);
    assert!(bytes.len() < 16 * MIB, "{} bytes", bytes.len());
    assert_refused(
        bytes,
        SheetLimits::default(),
        &["xl/worksheets/sheet1.xml", "more than 1 MB"],
        10,
    );
}

#[test]
fn a_sheet_of_two_gigabytes_of_rows_is_refused_at_the_row_limit() {
    // Tiny rows by the million: refused once there are more than Excel's 1,048,576.
    let row = r#"<row><c t="inlineStr"><is><t>x</t></is></c></row>"#.repeat(20_000);
    let times = 2 * 1024 * MIB / row.len();
    let bomb = Part {
        name: "xl/worksheets/sheet1.xml",
        start: format!("{SHEET_START}{HEADER_ROW}").into_bytes(),
        middle: row.into_bytes(),
        times,
        end: SHEET_END.as_bytes().to_vec(),
    };
    assert_refused(
        workbook(vec![bomb]),
        SheetLimits::default(),
        &["more than 1048576 rows"],
        30,
    );
}

#[test]
fn shared_strings_of_two_gigabytes_are_refused_before_calamine_holds_them() {
    // Calamine keeps every shared string in memory: 2 GB of them held 2.1 GB.
    let strings = format!("<si><t>{}</t></si>", "a".repeat(1000)).repeat(1000);
    let times = 2 * 1024 * MIB / strings.len();
    let bomb = Part {
        name: "xl/sharedStrings.xml",
        start: br#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#.to_vec(),
        middle: strings.into_bytes(),
        times,
        end: b"</sst>".to_vec(),
    };
    assert_refused(
        workbook(vec![Part::sheet(HEADER_ROW), bomb]),
        SheetLimits::default(),
        &["xl/sharedStrings.xml", "256 MB"],
        30,
    );
}

#[test]
fn a_declared_count_of_shared_strings_is_not_trusted() {
    // Calamine reserves room for `uniqueCount` strings before reading one.
    let sst = br#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="99999999999999"><si><t>x</t></si></sst>"#;
    assert_refused(
        workbook(vec![
            Part::sheet(HEADER_ROW),
            Part::plain("xl/sharedStrings.xml", sst.to_vec()),
        ]),
        SheetLimits::default(),
        &["99999999999999", "shared strings"],
        5,
    );
}

#[test]
fn sizes_in_the_zip_directory_are_not_believed() {
    // The directory says the sheet unpacks to 100 bytes; it really unpacks to 64 MB of rows.
    // The bytes that come out are what counts.
    let row = r#"<row><c t="inlineStr"><is><t>x</t></is></c></row>"#.repeat(1000);
    let times = 64 * MIB / row.len();
    let mut parts: Vec<Part> = frame(false)
        .into_iter()
        .map(|(name, bytes)| Part::plain(name, bytes))
        .collect();
    parts.push(Part {
        name: "xl/worksheets/sheet1.xml",
        start: format!("{SHEET_START}{HEADER_ROW}").into_bytes(),
        middle: row.into_bytes(),
        times,
        end: SHEET_END.as_bytes().to_vec(),
    });
    let limits = SheetLimits {
        max_unpacked_bytes: 16 * MIB as u64,
        ..SheetLimits::default()
    };
    let lying = zip(&parts, Some(100));
    let outcome = read(lying, limits);
    // The zip library (9.8) stops at the declared size with an error, and the limit would stop
    // it if it read on; either way nothing large is read.
    let message = outcome.expect_err("refused or broken");
    assert!(
        message.contains("more than 16 MB") || message.contains("cannot"),
        "{message}"
    );
}

#[test]
fn the_cell_limit_stops_a_sheet_of_many_small_cells() {
    let row = format!("<row>{}</row>", "<c><v>1</v></c>".repeat(100));
    let limits = SheetLimits {
        max_cells: 50_000,
        ..SheetLimits::default()
    };
    assert_refused(
        workbook(vec![Part::sheet(&format!(
            "{HEADER_ROW}{}",
            row.repeat(600)
        ))]),
        limits,
        &["more than 50000 cells"],
        10,
    );
}

#[test]
fn shared_strings_and_styles_are_counted() {
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let strings = format!(
        r#"<?xml version="1.0"?><sst xmlns="{main}">{}</sst>"#,
        "<si/>".repeat(2000)
    );
    let styles = format!(
        r#"<?xml version="1.0"?><styleSheet xmlns="{main}"><cellXfs>{}</cellXfs></styleSheet>"#,
        "<xf/>".repeat(2000)
    );
    let limits = SheetLimits {
        max_shared_strings: 1000,
        max_listed: 1000,
        ..SheetLimits::default()
    };
    for (part, xml, refusal) in [
        (
            "xl/sharedStrings.xml",
            strings,
            "more than 1000 shared strings",
        ),
        ("xl/styles.xml", styles, "more than 1000 styles"),
    ] {
        let parts = vec![Part::sheet(HEADER_ROW), Part::plain(part, xml.into_bytes())];
        assert_refused(workbook(parts), limits, &[refusal], 5);
    }
}

#[test]
fn what_calamine_collects_is_refused_inside_cells() {
    let sneaky = r#"<row r="2"><c r="A2" t="inlineStr"><is><si><t>x</t></si></is></c></row>"#;
    assert_refused(
        workbook(vec![Part::sheet(&format!("{HEADER_ROW}{sneaky}"))]),
        SheetLimits::default(),
        &["unexpected element <si>"],
        5,
    );
}

#[test]
fn rows_out_of_order_are_a_located_problem() {
    let rows = r#"<row r="3"><c r="A3"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>"#;
    let outcome = read(
        workbook(vec![Part::sheet(&format!("{HEADER_ROW}{rows}"))]),
        SheetLimits::default(),
    );
    let message = outcome.expect_err("refused");
    assert!(message.contains("row 2 comes after row 3"), "{message}");
}

#[test]
fn a_dropped_reader_stops_its_thread() {
    // Reading stops as soon as nobody wants more rows (an import that failed early): dropping
    // the reader must not hang or keep reading.
    let header: String = ["case_ref", "organisation", "reported_on", "children_count"]
        .iter()
        .map(|name| format!(r#"<c t="inlineStr"><is><t>{name}</t></is></c>"#))
        .collect();
    let row = r#"<row><c t="inlineStr"><is><t>x</t></is></c></row>"#;
    let bytes = workbook(vec![Part::sheet(&format!(
        "<row>{header}</row>{}",
        row.repeat(100_000)
    ))]);
    let mut reader = CaseReader::xlsx(bytes).unwrap().unwrap();
    assert!(reader.next().is_some());
    drop(reader);
}
