//! Where to get help: only entries with a source page and a check day, validated on load; their
//! texts pass the plain-language check.
#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use dakwacht_core::date::parse_date;
use dakwacht_texts::PlainLanguage;
use dakwacht_texts::contacts::{Contacts, ContactsError, For};

fn today() -> dakwacht_core::Date {
    parse_date("2026-12-07").unwrap()
}

const ONE: &str = r#"
[[contact]]
id = "loket"
name = "Het Juridisch Loket"
for = "family"
about.nl = "Juristen geven u advies."
about.en = "Lawyers give you advice."
phone = "0900-8020"
website = "https://www.juridischloket.nl"
source = "https://www.juridischloket.nl/over-het-juridisch-loket/werkwijze"
checked = "2026-12-07"
"#;

fn refused(text: &str) -> String {
    match Contacts::parse(text, today()) {
        Err(ContactsError::Entry { id, problem }) => format!("{id}: {problem}"),
        other => panic!("not refused as an entry: {other:?}"),
    }
}

#[test]
fn the_shipped_contacts_load_and_their_texts_are_plain() {
    let contacts = Contacts::built_in(today()).unwrap();
    assert!(contacts.for_whom(For::Family).count() >= 1);
    assert!(contacts.for_whom(For::Child).count() >= 1);
    for contact in &contacts.contacts {
        assert!(contact.source.starts_with("https://"), "{}", contact.id);
    }
    let report = PlainLanguage::built_in().unwrap().check(&contacts.texts());
    let said: Vec<String> = report.findings.iter().map(ToString::to_string).collect();
    assert!(report.passes(), "{said:#?} {:?}", report.averages);
}

#[test]
fn a_valid_entry_loads() {
    let contacts = Contacts::parse(ONE, today()).unwrap();
    assert_eq!(contacts.contacts[0].phone.as_deref(), Some("0900-8020"));
}

#[test]
fn an_entry_without_a_source_page_is_refused() {
    let text = ONE.replace(
        "source = \"https://www.juridischloket.nl/over-het-juridisch-loket/werkwijze\"",
        "source = \"ik weet het zeker\"",
    );
    assert!(
        refused(&text).starts_with("loket: source must be"),
        "{}",
        refused(&text)
    );
    let text = ONE.replace(
        "source = \"https://www.juridischloket.nl/over-het-juridisch-loket/werkwijze\"\n",
        "",
    );
    assert!(matches!(
        Contacts::parse(&text, today()),
        Err(ContactsError::Syntax(_))
    ));
}

#[test]
fn a_check_day_that_is_not_a_day_or_lies_ahead_is_refused() {
    let text = ONE.replace("checked = \"2026-12-07\"", "checked = \"gisteren\"");
    assert!(refused(&text).contains("checked must be the day"));
    let text = ONE.replace("checked = \"2026-12-07\"", "checked = \"2026-12-08\"");
    assert!(refused(&text).contains("lies in the future"));
    // Days before today are fine: a check is not undone by time.
    let text = ONE.replace("checked = \"2026-12-07\"", "checked = \"2025-01-31\"");
    assert!(Contacts::parse(&text, today()).is_ok());
}

#[test]
fn a_number_must_be_a_number_and_one_way_to_reach_them_is_needed() {
    let text = ONE.replace("phone = \"0900-8020\"", "phone = \"bel ons\"");
    assert!(refused(&text).contains("is not a Dutch telephone number"));
    let text = ONE.replace("phone = \"0900-8020\"", "phone = \"020-12345\"");
    assert!(refused(&text).contains("is not a Dutch telephone number"));
    assert!(Contacts::parse(&ONE.replace("0900-8020", "020 123 4567"), today()).is_ok());
    let text = ONE
        .replace("phone = \"0900-8020\"\n", "")
        .replace("website = \"https://www.juridischloket.nl\"\n", "");
    assert!(refused(&text).contains("a telephone number or a website is needed"));
    let text = ONE.replace("https://www.juridischloket.nl\"", "www.juridischloket.nl\"");
    assert!(refused(&text).contains("is not an https address"));
}

#[test]
fn an_id_used_twice_is_refused() {
    let text = format!("{ONE}{ONE}");
    assert_eq!(refused(&text), "loket: its id is used twice");
}
