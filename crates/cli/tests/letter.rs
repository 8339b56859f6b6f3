#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! `dakwacht letter`: a letter for a case in both formats, its text read back (PDF through
//! pdftotext, DOCX unzipped), the dates printed for checking, the letter in the case's history;
//! every mistake in the command named.

mod common;

use common::{QUICKSCAN, assert_says, dakwacht, file_in, ok};

fn pdf_text(path: &str) -> String {
    dakwacht_testkit::documents::pdf_text(&std::fs::read(path).unwrap())
}

fn docx_words(path: &str) -> String {
    dakwacht_testkit::documents::docx_text(&std::fs::read(path).unwrap())
}

#[test]
fn a_letter_is_made_for_a_case_in_both_formats_and_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let db = file_in(&dir, "d.db");
    ok(dakwacht(&db, &["import", QUICKSCAN]));
    let pdf = file_in(&dir, "brief.pdf");
    let said = ok(dakwacht(
        &db,
        &[
            "letter",
            "postal_address",
            "--case",
            "Straatalliantie/QS-01",
            "--output",
            &pdf,
            "--set",
            "sender_name=A. de Vries",
            "--set",
            "postal_address=Postbus 12, 1000 AA Amsterdam",
        ],
    ));
    let today = dakwacht_core::written::long_date(dakwacht_app::today(), dakwacht_core::Lang::Nl);
    assert_says(&said, format!("Datum van de brief: {today}"));
    assert_says(&said, "Uiterste datum voor een antwoord: ");
    assert_says(
        &said,
        "Left open (……………, to fill in by hand): sender_address, recipient_name",
    );
    let text = pdf_text(&pdf);
    for expected in [
        "A. de Vries",
        "Geacht college van burgemeester en wethouders van Amsterdam,",
        "met 2 minderjarige kinderen, heeft sinds 21 augustus 2024 geen woonadres meer",
        "Postbus 12, 1000 AA Amsterdam",
        "Wet basisregistratie personen",
    ] {
        assert_says(&text, expected);
    }
    let docx = file_in(&dir, "brief.docx");
    ok(dakwacht(
        &db,
        &[
            "letter",
            "refuse_notice",
            "--case",
            "Straatalliantie/QS-01",
            "--format",
            "docx",
            "--output",
            &docx,
        ],
    ));
    assert_says(&docx_words(&docx), "Geen instemming met de opzegging");
    let audit = ok(dakwacht(&db, &["audit", "--action", "make_letter"]));
    assert_says(&audit, "letter postal_address (pdf)");
    assert_says(&audit, "letter refuse_notice (docx)");
    assert!(!audit.contains("Vries"), "{audit}");
}

/// A complete best-interest assessment of child 1 of QS-01; its number.
fn assess_child_of_qs01(db: &str) -> i64 {
    common::runtime().block_on(async {
        let store = dakwacht_store::SqliteStore::open(db).await.unwrap();
        dakwacht_testkit::assessments::store_complete(
            &store,
            ("Straatalliantie", "QS-01"),
            1,
            dakwacht_core::AssessedDecision::ShelterPlacement,
        )
        .await
    })
}

#[test]
fn each_of_the_five_letters_is_made_for_a_case_in_both_formats() {
    let dir = tempfile::tempdir().unwrap();
    let db = file_in(&dir, "d.db");
    ok(dakwacht(&db, &["import", QUICKSCAN]));
    let assessment = assess_child_of_qs01(&db).to_string();
    for (letter, says) in [
        (
            "no_self_help",
            vec![
                "Toegang tot de woning",
                "artikel 555 van het Wetboek van Burgerlijke Rechtsvordering",
            ],
        ),
        (
            "refuse_notice",
            vec![
                "Geen instemming met de opzegging",
                "artikel 7:272 van het Burgerlijk Wetboek",
            ],
        ),
        (
            "shelter_request",
            vec![
                "Verzoek om opvang voor mijn gezin met 2 minderjarige kinderen",
                "van Amsterdam,",
            ],
        ),
        (
            "postal_address",
            vec!["Aanvraag briefadres", "Wet basisregistratie personen"],
        ),
        (
            "child_explanation",
            vec![
                "Dit is het besluit: plaatsing in de opvang.",
                "Waarom is dat besloten? Jullie blijven samen als gezin.",
                "Dit kun jij dan doen: Bel Sanne of de Kinderombudsman.",
                "Sanne, maatschappelijk werker",
                "De Kindertelefoon (0800-0432)",
            ],
        ),
    ] {
        for format in ["pdf", "docx"] {
            let file = file_in(&dir, &format!("{letter}.{format}"));
            let mut args = vec![
                "letter",
                letter,
                "--case",
                "Straatalliantie/QS-01",
                "--format",
                format,
                "--output",
                &file,
                "--set",
                "place=Amsterdam",
            ];
            if letter == "child_explanation" {
                args.extend(["--assessment", &assessment, "--set", "child_name=Noor"]);
            } else {
                args.extend(["--set", "sender_name=A. de Vries"]);
            }
            ok(dakwacht(&db, &args));
            let text = match format {
                "pdf" => pdf_text(&file),
                _ => docx_words(&file),
            };
            for said in &says {
                assert_says(&text, said);
            }
            assert!(
                !text.contains('{'),
                "{letter} {format}: a placeholder left\n{text}"
            );
        }
    }
    let audit = ok(dakwacht(
        &db,
        &["audit", "--action", "make_letter", "--limit", "20"],
    ));
    assert_eq!(
        audit.lines().filter(|l| l.contains("make_letter")).count(),
        10,
        "{audit}"
    );
}

#[test]
fn each_mistake_in_the_command_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = file_in(&dir, "d.db");
    ok(dakwacht(&db, &["import", QUICKSCAN]));
    let out = file_in(&dir, "x.pdf");
    for (args, says) in [
        (
            vec!["letter", "nope", "--case", "Straatalliantie/QS-01"],
            "there is no letter 'nope'; the letters are: no_self_help",
        ),
        (
            vec!["letter", "no_self_help", "--case", "Straatalliantie/NOPE"],
            "the case Straatalliantie/NOPE: not found",
        ),
        (
            vec!["letter", "no_self_help", "--case", "QS-01"],
            "--case must be ORGANISATION/REFERENCE",
        ),
        (
            vec![
                "letter",
                "no_self_help",
                "--case",
                "Straatalliantie/QS-01",
                "--format",
                "odt",
            ],
            "--format must be pdf or docx, not 'odt'",
        ),
        (
            vec![
                "letter",
                "no_self_help",
                "--case",
                "Straatalliantie/QS-01",
                "--set",
                "respond_by=morgen",
            ],
            "the letter no_self_help has no value 'respond_by'",
        ),
        (
            vec![
                "letter",
                "child_explanation",
                "--case",
                "Straatalliantie/QS-01",
            ],
            "give --assessment NUMBER",
        ),
    ] {
        let mut args = args;
        args.extend(["--output", &out]);
        let output = dakwacht(&db, &args);
        assert!(!output.status.success(), "{args:?}");
        assert_says(&String::from_utf8_lossy(&output.stderr), says);
    }
    assert!(!std::path::Path::new(&out).exists());
}
