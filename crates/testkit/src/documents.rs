//! What a test reads of the documents dakwacht makes: a PDF through poppler (`pdftotext`,
//! `pdfinfo`, `pdffonts`: Debian's poppler-utils, which scripts/test installs) and a DOCX unzipped.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use std::io::Read as _;

/// What a poppler tool prints about a PDF; `pdftotext` writes the text to standard output.
pub fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("document.pdf");
    std::fs::write(&path, pdf).unwrap();
    let mut command = std::process::Command::new(tool);
    command.args(args).arg(&path);
    if tool == "pdftotext" {
        command.arg("-");
    }
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("{tool} (Debian: poppler-utils) does not run: {e}"));
    assert!(output.status.success(), "{tool}");
    String::from_utf8(output.stdout).unwrap()
}

/// A PDF's text with its white space folded to single spaces.
pub fn pdf_text(pdf: &[u8]) -> String {
    words(&poppler("pdftotext", &["-enc", "UTF-8"], pdf))
}

/// A DOCX's `word/document.xml`.
pub fn docx_xml(docx: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

/// A DOCX's text: its runs in order, joined by spaces, white space folded, XML entities read.
pub fn docx_text(docx: &[u8]) -> String {
    let runs: Vec<String> = docx_xml(docx)
        .split("<w:t")
        .skip(1)
        .filter_map(|part| {
            let start = part.find('>')? + 1;
            Some(part[start..part.find("</w:t>")?].to_string())
        })
        .collect();
    words(&runs.join(" "))
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
