//! Letters on the pages: made for a case by its own organisation (two screens, then PDF or DOCX,
//! recorded in the case's history with an audit line that holds no names), and from the rights
//! check without an account, with nothing written to the database.

use dakwacht_testkit::documents::{docx_text, pdf_text};

use super::prelude::*;

const CASE: &str = "/cases/Straatalliantie/QS-01";

fn form(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap()
}

fn today_in_words() -> String {
    let today = dakwacht_app::today();
    dakwacht_core::written::long_date(today, dakwacht_core::Lang::Nl)
}

async fn a_letter_for_a_case_is_made_checked_and_recorded<S: TestStore>(database: &Database<S>) {
    let client = Client::new(database).await;
    let pro = client.signed_in(PRO).await;
    pro.get(CASE)
        .await
        .assert_contains(&format!("href=\"{CASE}/letters\""));

    // QS-01 lost its home to a court, with nothing offered, and sleeps with friends: shelter and
    // a postal address are called for; the letters to the landlord are among the others.
    let list = pro.get(&format!("{CASE}/letters")).await;
    list.assert_status(StatusCode::OK);
    let offered_at = list.body.find("Brieven bij de signalen").unwrap();
    let others_at = list.body.find("Andere brieven").unwrap();
    let at = |letter: &str| {
        list.body
            .find(&format!("href=\"{CASE}/letters/{letter}\""))
            .unwrap()
    };
    assert!(offered_at < at("shelter_request") && at("shelter_request") < others_at);
    assert!(offered_at < at("postal_address") && at("postal_address") < others_at);
    assert!(at("no_self_help") > others_at);
    list.assert_contains("Voor deze casus is nog geen brief gemaakt.");

    // The first screen: what the case knows filled in, the dates computed.
    let address = format!("{CASE}/letters/shelter_request");
    let first = pro.get(&address).await;
    first.assert_contains_all(&[
        "<h1>Brief aan de gemeente: vraag om opvang voor het gezin</h1>",
        "name=\"v_municipality\" value=\"Amsterdam\"",
        "name=\"v_children_count\" value=\"2\"",
        "name=\"v_home_lost_on\" value=\"21 augustus 2024\"",
        "<dt>Datum van de brief</dt>",
        &format!("<dd>{}</dd>", today_in_words()),
        "Wat staat er in deze brief?",
        "Met deze brief vraagt u de gemeente om opvang",
    ]);
    // The second screen: the text to check, the values carried on.
    let values = [
        ("v_sender_name", "A. de Vries"),
        ("v_sender_address", "Dorpsstraat 1\n1234 AB Ergens"),
        ("v_municipality", "Amsterdam"),
        ("v_children_count", "2"),
        ("v_home_lost_on", "21 augustus 2024"),
    ];
    let mut with_step = values.to_vec();
    with_step.push(("step", "text"));
    let second = pro.post(&address, &form(&with_step)).await;
    second.assert_status(StatusCode::OK);
    second.assert_contains_all(&[
        "<textarea id=\"body\" name=\"body\"",
        "Geacht college van burgemeester en wethouders van Amsterdam,",
        "mijn 2 minderjarige kinderen",
        "sinds 21 augustus 2024",
        "<input type=\"hidden\" name=\"v_sender_name\" value=\"A. de Vries\">",
    ]);
    assert!(
        !second.body.contains("letter-not-in-pdf"),
        "Latin text only"
    );
    // A character the PDF's font lacks: the writer is told which, before making the PDF.
    let mut unusual = with_step.clone();
    unusual[0] = ("v_sender_name", "Familie Çelik 🏠");
    let warned = pro.post(&address, &form(&unusual)).await;
    warned.assert_contains_all(&[
        "<p class=\"dakwacht-note\" id=\"letter-not-in-pdf\">Deze tekens staan niet in het lettertype van de PDF",
        "<span class=\"dakwacht-characters\">🏠 (U+1F3E0)</span>",
        "aria-describedby=\"letter-not-in-pdf letter-text-hint\"",
    ]);
    // A name in another script: the first twelve are named, the rest counted.
    unusual[0] = ("v_sender_name", "ابتثجحخدذرزسشص");
    let many = pro.post(&address, &form(&unusual)).await;
    many.assert_contains_all(&["ا (U+0627)", "س (U+0633), en nog 2 andere</span>"]);
    assert!(
        !many.body.contains("(U+0634)"),
        "the thirteenth is not named"
    );
    let subject = hidden_or_input(&second.body, "subject");
    let body = textarea(&second.body, "body");
    let edited = format!("{body}\n\nEen zin die de schrijver toevoegde.");

    for (format_code, content_type) in [
        ("pdf", "application/pdf"),
        (
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ] {
        let mut make = values.to_vec();
        make.extend([
            ("subject", subject.as_str()),
            ("body", edited.as_str()),
            ("make", format_code),
        ]);
        let file = pro.post(&address, &form(&make)).await;
        file.assert_status(StatusCode::OK);
        assert_eq!(file.headers[header::CONTENT_TYPE], content_type);
        assert_eq!(file.headers[header::CACHE_CONTROL], "no-store");
        let disposition = file.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
        assert!(
            disposition.starts_with("attachment; filename=\"shelter_request-")
                && disposition.ends_with(&format!(".{format_code}\"")),
            "{disposition}"
        );
        let text = match format_code {
            "pdf" => pdf_text(&file.bytes),
            _ => docx_text(&file.bytes),
        };
        for expected in [
            "A. de Vries",
            "Een zin die de schrijver toevoegde.",
            "Verzoek om opvang voor mijn gezin met 2 minderjarige kinderen",
            "Wet maatschappelijke ondersteuning 2015",
        ] {
            assert!(text.contains(expected), "{format_code}: {expected}\n{text}");
        }
    }

    // In the case's history: which letter, format, by whom, and its text for the organisation.
    let made = client
        .store()
        .letters_made("Straatalliantie", "QS-01")
        .await
        .unwrap();
    let formats: Vec<&str> = made.iter().map(|m| m.format.as_str()).collect();
    assert_eq!(formats, ["pdf", "docx"]);
    assert!(made.iter().all(|m| m.letter == "shelter_request"
        && m.made_by.contains("pro")
        && m.body.ends_with("Een zin die de schrijver toevoegde.")));
    let lines = client.audit_lines(AuditAction::MakeLetter).await;
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].contains("letter shelter_request"), "{lines:?}");
    assert!(
        !client.whole_audit_log().await.contains("Vries"),
        "no name in the audit log"
    );
    let list = pro.get(&format!("{CASE}/letters")).await;
    list.assert_contains_all(&[
        "Gemaakte brieven",
        "Brief aan de gemeente: vraag om opvang voor het gezin (PDF)",
        ", pro</summary>",
        "Een zin die de schrijver toevoegde.",
    ]);

    // Too long, or emptied: the text again, with the error, nothing made.
    let long = "x".repeat(20_001);
    let mut too_long = values.to_vec();
    too_long.extend([
        ("subject", subject.as_str()),
        ("body", long.as_str()),
        ("make", "pdf"),
    ]);
    pro.post(&address, &form(&too_long))
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("De brief is te lang.");
    let mut empty = values.to_vec();
    empty.extend([
        ("subject", subject.as_str()),
        ("body", " "),
        ("make", "pdf"),
    ]);
    pro.post(&address, &form(&empty))
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("De tekst van de brief is leeg.");
    // A letter dakwacht does not have.
    pro.get(&format!("{CASE}/letters/no_such_letter"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    assert_eq!(
        client
            .store()
            .letters_made("Straatalliantie", "QS-01")
            .await
            .unwrap()
            .len(),
        2
    );
}

/// The value of the input `name` of a page.
fn hidden_or_input(page: &str, name: &str) -> String {
    let at = page.find(&format!("name=\"{name}\" value=\"")).unwrap();
    let rest = &page[at + name.len() + 15..];
    unescape(&rest[..rest.find('"').unwrap()])
}

/// The text of the textarea `name` of a page.
fn textarea(page: &str, name: &str) -> String {
    let at = page.find(&format!("name=\"{name}\"")).unwrap();
    let rest = &page[at..];
    let start = rest.find('>').unwrap() + 1;
    unescape(&rest[start..rest.find("</textarea>").unwrap()])
}

fn unescape(html: &str) -> String {
    html.replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

/// A letter to a child, after a complete best-interest assessment: offered on the case's letters
/// page, filled in with the decision, why, and what the child can do.
async fn a_letter_to_a_child_follows_its_assessment<S: TestStore>(database: &Database<S>) {
    use dakwacht_core::{AssessedDecision, Assessment};
    let client = Client::new(database).await;
    let store = client.store();
    let actor = Actor::web("pro");
    let id = store
        .create_assessment(
            &actor,
            "Straatalliantie",
            "QS-01",
            &Assessment::draft(2, AssessedDecision::SchoolChange, None),
        )
        .await
        .unwrap();
    let pro = client.signed_in(PRO).await;
    // A draft: no letter yet.
    pro.get(&format!("{CASE}/letters"))
        .await
        .assert_lacks("Brief aan een kind over een besluit");
    let complete = dakwacht_testkit::assessments::complete(2, AssessedDecision::SchoolChange);
    store
        .save_assessment(&actor, ("Straatalliantie", "QS-01"), id, &complete, 1)
        .await
        .unwrap();
    let list = pro.get(&format!("{CASE}/letters")).await;
    let link = format!("{CASE}/letters/child_explanation?assessment={id}");
    list.assert_contains_all(&[
        "Brief aan een kind over een besluit",
        &format!("href=\"{link}\">Kind 2: verandering van school</a>"),
    ]);
    let first = pro.get(&link).await;
    first.assert_contains_all(&[
        "name=\"v_decision\" value=\"verandering van school\"",
        "name=\"v_reasons\" value=\"Jullie blijven samen als gezin.\"",
        "name=\"v_sender_name\" value=\"Sanne, maatschappelijk werker\"",
        "name=\"v_child_name\"",
    ]);
    first.assert_lacks("v_recipient_name");
    // Without an assessment, no letter to a child.
    pro.get(&format!("{CASE}/letters/child_explanation"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let second = pro
        .post(
            &format!("{CASE}/letters/child_explanation"),
            &form(&[
                ("v_child_name", "Noor"),
                ("v_decision", "verandering van school"),
                ("v_if_disagreeing", "Bel Sanne of de Kinderombudsman."),
                ("step", "text"),
            ]),
        )
        .await;
    second.assert_contains_all(&[
        "Beste Noor,",
        "Dit is het besluit: verandering van school.",
        "Dit kun jij dan doen: Bel Sanne of de Kinderombudsman.",
    ]);
    // Reading the assessment for the letter is in the audit log.
    assert!(
        client
            .audit_lines(AuditAction::ViewAssessment)
            .await
            .iter()
            .any(|l| l.contains("letter"))
    );
}

async fn only_the_cases_own_organisation_makes_its_letters<S: TestStore>(database: &Database<S>) {
    let client = Client::new(database).await;
    let address = format!("{CASE}/letters/no_self_help");
    let make = form(&[("subject", "Onderwerp"), ("body", "Tekst"), ("make", "pdf")]);
    // Another organisation's professional: as if the case did not exist.
    let other = client.signed_in(PRO_B).await;
    other
        .get(&format!("{CASE}/letters"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    other
        .get(&address)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    other
        .post(&address, &make)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    // A researcher makes no letters, and an administrator reads no cases.
    for account in [ONDERZOEK, BEHEER] {
        let session = client.signed_in(account).await;
        let refused = session.post(&address, &make).await;
        assert!(
            refused.status == StatusCode::FORBIDDEN || refused.status == StatusCode::NOT_FOUND,
            "{account:?}: {}",
            refused.status
        );
    }
    // A form without its token is refused before anything is made.
    let pro = client.signed_in(PRO).await;
    pro.post_forged(&address, &make)
        .await
        .assert_status(StatusCode::FORBIDDEN);
    assert!(
        client
            .store()
            .letters_made("Straatalliantie", "QS-01")
            .await
            .unwrap()
            .is_empty()
    );
    assert!(client.audit_lines(AuditAction::MakeLetter).await.is_empty());
    assert!(
        !client
            .audit_lines(AuditAction::AccessRefused)
            .await
            .is_empty()
    );
}

async fn a_letter_from_the_rights_check_writes_nothing<S: TestStore>(database: &Database<S>) {
    let client = Client::new(database).await;
    let before = client.whole_audit_log().await;
    let answers =
        "q_judge=no&q_locks=yes&q_legal_help=no&q_sleep=friends&q_shelter_refused=no&q_school=no";
    let result = client.post("/rechtencheck", answers).await;
    result.assert_contains_all(&[
        "<h2>Brieven die u kunt laten maken</h2>",
        "action=\"/rechtencheck/brief/no_self_help\"",
        "action=\"/rechtencheck/brief/shelter_request\"",
        "Brief aan de verhuurder: geen ontruiming zonder rechter",
    ]);
    result.assert_lacks("/rechtencheck/brief/refuse_notice");

    let address = "/rechtencheck/brief/no_self_help";
    let first = client.post(address, answers).await;
    first.assert_status(StatusCode::OK);
    first.assert_contains_all(&[
        "<h1>Brief aan de verhuurder: geen ontruiming zonder rechter</h1>",
        "<input type=\"hidden\" name=\"q_locks\" value=\"yes\">",
        "Terug naar uw rechten",
        "name=\"v_home_address\"",
        "<dt>Uiterste datum voor een antwoord</dt>",
    ]);
    first.assert_lacks("name=\"csrf\"");
    // What the check could not have asked is not carried on.
    client
        .post(address, &format!("{answers}&q_hack=1&q_judge_x=2"))
        .await
        .assert_lacks("q_hack");
    let second = client
        .post(
            address,
            &format!("{answers}&v_sender_name=Fam.+Jansen&v_home_address=Kade+7&step=text"),
        )
        .await;
    second.assert_contains_all(&[
        "Ik huur de woning aan Kade 7.",
        "<input type=\"hidden\" name=\"q_judge\" value=\"no\">",
    ]);
    let body = textarea(&second.body, "body");
    let file = client
        .post(
            address,
            &format!(
                "{answers}&v_sender_name=Fam.+Jansen&{}",
                form(&[
                    ("subject", "Toegang tot de woning Kade 7"),
                    ("body", body.as_str()),
                    ("make", "pdf"),
                ])
            ),
        )
        .await;
    file.assert_status(StatusCode::OK);
    let text = pdf_text(&file.bytes);
    assert!(
        text.contains("Fam. Jansen") && text.contains("Ik huur de woning aan Kade 7."),
        "{text}"
    );
    // A letter to a child follows an assessment of a case, not the rights check.
    client
        .post("/rechtencheck/brief/child_explanation", answers)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    assert_eq!(
        client.whole_audit_log().await,
        before,
        "nothing was written"
    );
}

async fn the_rights_check_keeps_a_mistyped_day_and_its_answers_in_the_other_language<
    S: TestStore,
>(
    database: &Database<S>,
) {
    let client = Client::new(database).await;
    let wrong = client
        .post(
            "/rechtencheck",
            "q_judge=yes&q_absent=yes&q_served_on=32-13-2026",
        )
        .await;
    wrong.assert_contains_all(&["Dit is geen datum.", "value=\"32-13-2026\""]);
    // The page's own language button: the same question, in English, the answers kept.
    let english = client.post("/rechtencheck", "q_judge=no&lang=en").await;
    english.assert_contains_all(&[
        "<html lang=\"en\">",
        "Did the landlord change the locks",
        "<input type=\"hidden\" name=\"q_judge\" value=\"no\">",
        "In het Nederlands, met uw antwoorden",
    ]);
    assert!(
        english.set_cookies.iter().any(|c| c.starts_with("lang=en")),
        "{:?}",
        english.set_cookies
    );
}

dakwacht_testkit::on_both_stores!(
    database: a_letter_for_a_case_is_made_checked_and_recorded,
    a_letter_to_a_child_follows_its_assessment,
    only_the_cases_own_organisation_makes_its_letters,
    a_letter_from_the_rights_check_writes_nothing,
    the_rights_check_keeps_a_mistyped_day_and_its_answers_in_the_other_language
);
