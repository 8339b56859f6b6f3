//! The rights check at /rechtencheck: no account, one question a screen, the answers carried in
//! the form, the rights and where to get help at the end, and nothing written to the database.

use super::prelude::*;

/// What the database holds that a request could add to: audit lines, organisations, accounts,
/// cases.
async fn holdings<S: Store>(store: &S) -> (usize, usize, usize, usize) {
    let audit = store
        .audit_log(&AuditFilter {
            limit: Some(100_000),
            ..AuditFilter::default()
        })
        .await
        .unwrap()
        .len();
    let organisations = store.organisations().await.unwrap().len();
    let users = store.users(None).await.unwrap().len();
    let cases = store
        .cases_after(&dakwacht_core::CaseFilter::default(), None, 100_000)
        .await
        .unwrap()
        .len();
    (audit, organisations, users, cases)
}

async fn the_rights_check_asks_one_question_at_a_time_and_stores_nothing<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::new(database).await;
    let before = holdings(client.store()).await;

    // The first screen: the first question, no answers yet, no "previous".
    let first = client.get("/rechtencheck").await;
    first.assert_status(StatusCode::OK);
    first.assert_contains_all(&[
        "<legend class=\"dakwacht-question\">Heeft een rechter gezegd dat u uit uw huis moet?</legend>",
        "name=\"q_judge\" value=\"yes\"",
        "Wij bewaren uw antwoorden niet.",
    ]);
    first.assert_lacks("Vorige vraag");
    assert_eq!(
        first.headers.get(header::CACHE_CONTROL).unwrap(),
        "no-store"
    );

    // A family put out without a court: each answer brings the next question, the earlier
    // answers carried in hidden fields.
    let locks = client.post("/rechtencheck", "q_judge=no").await;
    locks.assert_contains_all(&[
        "<input type=\"hidden\" name=\"q_judge\" value=\"no\">",
        "Heeft de verhuurder de sloten veranderd",
        "Vorige vraag",
    ]);
    locks.assert_lacks("verstek");
    let help = client.post("/rechtencheck", "q_judge=no&q_locks=yes").await;
    help.assert_contains("Heeft u hulp van een advocaat");
    help.assert_lacks("gevraagd of gezegd dat u weg moet");
    // "Previous question" goes back one, with its answer still chosen.
    let back = client
        .post("/rechtencheck", "q_judge=no&q_locks=yes&back=1")
        .await;
    back.assert_contains("value=\"yes\" required checked");
    back.assert_contains("Heeft de verhuurder de sloten veranderd");
    // What the check does not know is dropped, not echoed.
    let odd = client
        .post("/rechtencheck", "q_judge=misschien&q_hack=%3Cscript%3E")
        .await;
    odd.assert_contains("Heeft een rechter gezegd");
    odd.assert_lacks("<script>");
    odd.assert_lacks("q_hack");

    let result = client
        .post(
            "/rechtencheck",
            "q_judge=no&q_locks=yes&q_legal_help=no&q_sleep=friends&q_shelter_refused=no&q_school=no",
        )
        .await;
    result.assert_contains_all(&[
        "<h2>Uw rechten</h2>",
        "<h3>Uit huis gezet zonder rechter</h3>",
        "Alleen een rechter kan uw huurcontract stoppen.",
        "Zoek direct juridische hulp",
        "<h3>Geen juridische hulp</h3>",
        // The steps as the family reads them, not those for the professional.
        "Bel Het Juridisch Loket. Dan betaalt u minder voor een advocaat.",
        "<h2>Hier kunt u hulp krijgen</h2>",
        "<h3>Het Juridisch Loket</h3>",
        "href=\"tel:0900-8020\"",
        "Opnieuw beginnen",
    ]);
    result.assert_lacks("<legend");
    result.assert_lacks("Verwijs naar Het Juridisch Loket");

    // A default judgment: the day it was served, refused when it is not a day, then the last
    // day to object, first among the rights.
    let wrong = client
        .post(
            "/rechtencheck",
            "q_judge=yes&q_absent=yes&q_served_on=32-13-2026",
        )
        .await;
    wrong.assert_contains_all(&[
        "Dit is geen datum.",
        "Op welke dag gaf de deurwaarder u de uitspraak?",
        "aria-describedby=\"q_served_on-error q_served_on-hint\"",
    ]);
    let term = client
        .post(
            "/rechtencheck",
            "q_judge=yes&q_absent=yes&q_served_on=1-12-2026&q_legal_help=yes&q_sleep=home&q_shelter_refused=no&q_school=yes",
        )
        .await;
    term.assert_contains("U kunt verzet doen tot en met 29 december 2026.");
    let first_right = term.body.find("<h3>").unwrap();
    assert!(
        term.body[first_right..].starts_with("<h3>Uitspraak bij verstek</h3>"),
        "{}",
        &term.body[first_right..first_right + 80]
    );

    assert_eq!(
        holdings(client.store()).await,
        before,
        "nothing was written"
    );
}

/// The child version: to read, in A2 Dutch and in English, reachable from the check; it asks
/// nothing (no form, no field) and writes nothing.
async fn the_child_version_is_read_not_asked<S: TestStore>(database: &Database<S>) {
    let client = Client::new(database).await;
    let before = holdings(client.store()).await;
    client
        .get("/rechtencheck")
        .await
        .assert_contains("<a href=\"/rechtencheck/kind\">Uitleg voor kinderen vanaf 8 jaar");
    let result = client
        .post(
            "/rechtencheck",
            "q_judge=no&q_locks=yes&q_legal_help=no&q_sleep=friends&q_shelter_refused=no&q_school=no",
        )
        .await;
    result.assert_contains("<a href=\"/rechtencheck/kind\">");
    let page = client.get("/rechtencheck/kind").await;
    page.assert_status(StatusCode::OK);
    page.assert_contains_all(&[
        "<h1>Voor kinderen: jullie huis kwijt. Wat nu?</h1>",
        "<h2>Het is niet jouw schuld</h2>",
        "Zij moeten naar jou luisteren.",
        "<h3>De Kindertelefoon</h3>",
        "href=\"tel:0800-0432\"",
    ]);
    page.assert_lacks("<form");
    page.assert_lacks("<input");
    page.assert_lacks("Het Juridisch Loket");
    client
        .send(
            Request::get("/rechtencheck/kind")
                .header(header::COOKIE, "lang=en")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .assert_contains_all(&["<html lang=\"en\">", "<h2>It is not your fault</h2>"]);
    assert_eq!(
        holdings(client.store()).await,
        before,
        "nothing was written"
    );
}

const PUT_OUT: &str =
    "q_judge=no&q_locks=yes&q_legal_help=no&q_sleep=friends&q_shelter_refused=no&q_school=no";

/// A professional beside the family saves its answers into a case of the own organisation: the
/// fields the answers fill in change, as a change by hand in the case's history. Nobody else is
/// offered it, and a case that cannot take the answers is not changed.
async fn a_professional_saves_the_answers_into_a_case<S: TestStore>(database: &Database<S>) {
    let client = Client::new(database).await;
    client
        .post("/rechtencheck", PUT_OUT)
        .await
        .assert_lacks("Antwoorden opslaan in een casus");
    client
        .signed_in(ONDERZOEK)
        .await
        .post("/rechtencheck", PUT_OUT)
        .await
        .assert_lacks("Antwoorden opslaan in een casus");
    let pro = client.signed_in(PRO).await;
    let result = pro.post("/rechtencheck", PUT_OUT).await;
    result.assert_contains_all(&[
        "<h2 id=\"opslaan\">Antwoorden opslaan in een casus</h2>",
        "action=\"/rechtencheck/opslaan\"",
        "<label for=\"case_ref\">Kenmerk van de casus</label>",
    ]);

    // QS-11 left for another reason and is out of view: now put out without a court, with
    // friends, without legal help.
    let versions = client.history("Straatalliantie", "QS-11").await.len();
    let saved = pro
        .post(
            "/rechtencheck/opslaan",
            &format!("{PUT_OUT}&case_ref=QS-11"),
        )
        .await;
    saved.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        saved.location.as_deref(),
        Some("/cases/Straatalliantie/QS-11")
    );
    let case = client.case("Straatalliantie", "QS-11").await;
    use dakwacht_core::Field;
    for (field, value) in [
        (Field::Route, "removed_without_court"),
        (Field::LegalSupport, "none"),
        (Field::SituationAfter, "social_network"),
        (Field::CurrentSituation, "social_network"),
        (Field::SchoolDisrupted, "yes"),
        (Field::Municipality, "Utrecht"),
    ] {
        assert_eq!(case.text(field), value, "{field:?}");
    }
    let history = client.history("Straatalliantie", "QS-11").await;
    assert_eq!(history.len(), versions + 1);
    assert!(history.last().unwrap().fields.contains(&Field::Route));
    let audit = client.last_audit_line(AuditAction::UpdateCase).await;
    assert!(
        audit.starts_with("user:pro") && audit.contains("route"),
        "{audit}"
    );

    // No such case in the own organisation (another's is not reached either), or one the
    // answers would make break a rule: the result again with the reason, nothing changed.
    pro.post(
        "/rechtencheck/opslaan",
        &format!("{PUT_OUT}&case_ref=QS-02"),
    )
    .await
    .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
    .assert_contains("Uw organisatie heeft geen casus met kenmerk QS-02.");
    let before = client.case("Straatalliantie", "QS-01").await;
    pro.post(
        "/rechtencheck/opslaan",
        &format!("{PUT_OUT}&case_ref=QS-01"),
    )
    .await
    .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
    .assert_contains("De casus kan deze antwoorden niet opnemen")
    // In the reader's words: the field's label, not the program's names for it.
    .assert_contains("Uitspraak bij verstek")
    .assert_lacks("Expected");
    assert_eq!(client.case("Straatalliantie", "QS-01").await, before);
    // Without the form's token, or not signed in: refused.
    pro.post_forged(
        "/rechtencheck/opslaan",
        &format!("{PUT_OUT}&case_ref=QS-11"),
    )
    .await
    .assert_status(StatusCode::FORBIDDEN);
    let anonymous = client
        .post(
            "/rechtencheck/opslaan",
            &format!("{PUT_OUT}&case_ref=QS-11"),
        )
        .await;
    assert!(
        anonymous
            .location
            .as_deref()
            .is_some_and(|l| l.starts_with("/login")),
        "{} {:?}",
        anonymous.status,
        anonymous.location
    );
    assert_eq!(
        client.history("Straatalliantie", "QS-11").await.len(),
        versions + 1
    );
}

dakwacht_testkit::on_both_stores!(
    database: the_rights_check_asks_one_question_at_a_time_and_stores_nothing,
    the_child_version_is_read_not_asked,
    a_professional_saves_the_answers_into_a_case
);
