//! `dakwacht texts --check`: the plain-language check for whoever edits the texts.
#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use std::process::Command;

fn texts(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_dakwacht"))
        .arg("texts")
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn the_shipped_texts_pass_the_check() {
    let (code, stdout, _) = texts(&["--check"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("every one passes"), "{stdout}");
}

#[test]
fn an_edited_rules_file_with_a_difficult_word_fails_naming_file_and_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("regels.toml");
    let edited = dakwacht_rules::BUILT_IN.replacen(
        "Zoek meteen juridische hulp.",
        "Indien dat gebeurt, zoek meteen juridische hulp.",
        1,
    );
    assert_ne!(edited, dakwacht_rules::BUILT_IN);
    std::fs::write(&file, edited).unwrap();
    let (code, stdout, stderr) = texts(&["--check", "--rules", file.to_str().unwrap()]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("regels.toml (rule removed_without_court, explanation.nl): 'indien' is a difficult word; write 'als'"), "{stdout}");
    assert!(
        stdout.contains("\"Indien dat gebeurt, zoek meteen juridische hulp.\""),
        "{stdout}"
    );
    assert!(stderr.contains("1 problem"), "{stderr}");
    // Without --check, the texts are listed with where they are kept.
    let (code, stdout, _) = texts(&["--rules", file.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(
        stdout
            .contains("(rule removed_without_court, next_steps.nl 1): Zoek direct juridische hulp"),
        "{stdout}"
    );
}
