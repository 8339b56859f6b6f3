//! Each of the five letters as PDF and as DOCX (spec/rights-and-letters.md, "Letters"): the PDF
//! read back through `pdftotext` (tagged, fonts embedded), the DOCX unzipped and its text read,
//! and the writer's own words printed as text, never run as Typst.
#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use dakwacht_core::date::parse_date;
use dakwacht_publish::letter::{letter_docx, letter_pdf};
use dakwacht_rules::RuleSet;
use dakwacht_texts::contacts::Contacts;
use dakwacht_texts::letters::{Document, Letters, Values};

fn letters() -> (Letters, Contacts) {
    let contacts = Contacts::built_in(parse_date("2026-12-07").unwrap()).unwrap();
    let letters = Letters::built_in(&RuleSet::built_in().unwrap(), &contacts).unwrap();
    (letters, contacts)
}

/// A letter filled in as a writer would, on 7 December 2026.
fn document(letters: &Letters, contacts: &Contacts, id: &str, sender: &str) -> Document {
    let letter = letters.get(id).unwrap();
    let mut values = Values::default();
    for (name, value) in [
        ("sender_name", sender),
        ("sender_address", "Dorpsstraat 1\n1234 AB Ergens"),
        ("recipient_name", "Woonstichting Voorbeeld"),
        ("recipient_address", "Postbus 99\n1000 AA Amsterdam"),
        ("place", "Utrecht"),
        ("home_address", "Kade 7, Utrecht"),
        ("municipality", "Utrecht"),
        ("children_count", "2"),
        ("child_name", "Noor"),
        ("decision", "plaatsing in de gezinsopvang"),
    ] {
        values.given.insert(name.into(), value.into());
    }
    let day = parse_date("2026-12-07").unwrap();
    let filled = letters.fill(letter, &values, day, contacts);
    letters.document(letter, &values, day, &filled.subject, &filled.body)
}

use dakwacht_testkit::documents::{docx_text, poppler};

fn pdftotext(pdf: &[u8]) -> String {
    poppler("pdftotext", &["-enc", "UTF-8"], pdf)
}

fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text without spaces and hyphens: a line broken inside an address or after a hyphen
/// ("VN-" at a line's end, which pdftotext joins without it) reads the same.
fn squashed(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect()
}

#[test]
fn every_letter_is_made_as_pdf_and_docx_saying_the_same() {
    let (letters, contacts) = letters();
    for letter in &letters.letters {
        let document = document(&letters, &contacts, &letter.id, "A. de Vries");
        let (pdf, docx) = (
            letter_pdf(&document).unwrap(),
            letter_docx(&document).unwrap(),
        );
        // To look at them: LETTERS_OUT=folder cargo test -p dakwacht-publish --test letters
        if let Some(folder) = std::env::var_os("LETTERS_OUT") {
            let folder = std::path::Path::new(&folder);
            std::fs::write(folder.join(format!("{}.pdf", letter.id)), &pdf).unwrap();
            std::fs::write(folder.join(format!("{}.docx", letter.id)), &docx).unwrap();
        }
        let pdf = flat(&pdftotext(&pdf));
        let docx = flat(&docx_text(&docx));
        for (format, text) in [("pdf", &pdf), ("docx", &docx)] {
            assert!(
                text.contains("A. de Vries"),
                "{} {format}: {text}",
                letter.id
            );
            assert!(
                text.contains("Utrecht, 7 december 2026"),
                "{} {format}",
                letter.id
            );
            assert!(
                text.contains(&flat(&document.subject)),
                "{} {format}",
                letter.id
            );
            for source in &document.sources {
                assert!(
                    squashed(text).contains(&squashed(source)),
                    "{} {format}: {source}\n{text}",
                    letter.id
                );
            }
            // Every paragraph's first words, in order.
            for paragraph in &document.paragraphs {
                let (dakwacht_texts::letters::Paragraph::Text(lines)
                | dakwacht_texts::letters::Paragraph::List(lines)) = paragraph;
                let first: String = lines[0]
                    .split_whitespace()
                    .take(4)
                    .collect::<Vec<_>>()
                    .join(" ");
                assert!(
                    squashed(text).contains(&squashed(&first)),
                    "{} {format}: '{first}'\n{text}",
                    letter.id
                );
            }
            assert!(
                !text.contains('{'),
                "{} {format}: a placeholder left\n{text}",
                letter.id
            );
        }
    }
}

#[test]
fn the_dates_and_citations_are_in_the_letter() {
    let (letters, contacts) = letters();
    let document = document(&letters, &contacts, "no_self_help", "A. de Vries");
    let pdf = flat(&pdftotext(&letter_pdf(&document).unwrap()));
    // Written on 7 December, three days to answer.
    assert!(pdf.contains("uiterlijk op 10 december 2026"), "{pdf}");
    assert!(
        pdf.contains("artikel 7:231 lid 1 van het Burgerlijk Wetboek"),
        "{pdf}"
    );
    assert!(
        pdf.contains("Wetboek van Burgerlijke Rechtsvordering, artikel 555"),
        "{pdf}"
    );
    let child = document_text(&letters, &contacts, "child_explanation");
    assert!(child.contains("Beste Noor,"), "{child}");
    assert!(child.contains("De Kindertelefoon (0800-0432)"), "{child}");
}

fn document_text(letters: &Letters, contacts: &Contacts, id: &str) -> String {
    let document = document(letters, contacts, id, "J. Jansen");
    flat(&docx_text(&letter_docx(&document).unwrap()))
}

#[test]
fn the_pdf_is_tagged_titled_and_its_fonts_embedded() {
    let (letters, contacts) = letters();
    let pdf = letter_pdf(&document(
        &letters,
        &contacts,
        "shelter_request",
        "A. de Vries",
    ))
    .unwrap();
    let info = poppler("pdfinfo", &[], &pdf);
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(
        info.contains("Title:           Brief aan de gemeente"),
        "{info}"
    );
    let fonts = poppler("pdffonts", &[], &pdf);
    for row in fonts.lines().skip(2) {
        let columns: Vec<&str> = row.split_whitespace().collect();
        let from_end = |i: usize| columns[columns.len() - i];
        assert_eq!((from_end(5), from_end(4)), ("yes", "yes"), "{row}");
    }
    assert!(String::from_utf8_lossy(&pdf).contains("pdfuaid"));
}

#[test]
fn the_writers_words_are_printed_as_text_never_run() {
    let (letters, contacts) = letters();
    let strange = "#panic(\"boem\") \\ *vet* $x$ <a> @b & {home_address}";
    // Pasted with a control character, which a DOCX (XML 1.0) cannot hold: left out.
    let pasted = format!("{strange}\u{1}");
    let letter = letters.get("refuse_notice").unwrap();
    let mut values = Values::default();
    values.given.insert("sender_name".into(), pasted.clone());
    let day = parse_date("2026-12-07").unwrap();
    let filled = letters.fill(letter, &values, day, &contacts);
    let body = format!("{}\n\n{pasted}", filled.body);
    let document = letters.document(letter, &values, day, &filled.subject, &body);
    assert_eq!(document.sender[0], strange);
    let pdf = pdftotext(&letter_pdf(&document).unwrap());
    assert!(pdf.contains(strange), "{pdf}");
    let docx = letter_docx(&document).unwrap();
    assert!(docx_text(&docx).contains(strange));
    assert!(!dakwacht_testkit::documents::docx_xml(&docx).contains('\u{1}'));
}

/// A character no embedded font has (an emoji, a script Source Sans 3 does not cover) would stop
/// PDF/UA from making the letter at all (found by the `letter_text` fuzz target): the PDF prints
/// it as `?`, the DOCX keeps it, and the rest of the text is as written.
#[test]
fn a_character_the_font_lacks_still_gives_a_letter() {
    let (letters, contacts) = letters();
    let letter = letters.get("refuse_notice").unwrap();
    let mut values = Values::default();
    values
        .given
        .insert("sender_name".into(), "Familie Çelik 🏠 وليد".into());
    let day = parse_date("2026-12-07").unwrap();
    let filled = letters.fill(letter, &values, day, &contacts);
    let document = letters.document(letter, &values, day, &filled.subject, &filled.body);
    let pdf = pdftotext(&letter_pdf(&document).unwrap());
    assert!(pdf.contains("Familie Çelik ? ????"), "{pdf}");
    let docx = letter_docx(&document).unwrap();
    assert!(docx_text(&docx).contains("Familie Çelik 🏠 وليد"));
    // The writer is told beforehand which characters those are, each once.
    assert_eq!(
        dakwacht_publish::pdf::not_in_pdf(&filled.body),
        vec!['🏠', 'و', 'ل', 'ي', 'د']
    );
    assert!(dakwacht_publish::pdf::not_in_pdf("Familie Çelik, café\n- één").is_empty());
}
