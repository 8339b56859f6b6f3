//! Taking back a stay recorded by mistake (issue 15.2), on the case page: asked first, put back
//! where nobody changed it since, kept in the history, and refused when the case would no
//! longer add up.

use super::prelude::*;

const CASE: &str = "/cases/Straatalliantie/QS-11";

/// Records a stay in a car on 3 April 2026, then changes one field of the case by hand.
async fn stay_then_edit<S: TestStore>(pro: &Session<'_, S>, field: &str, value: &str) {
    pro.record_stay(CASE, "3-4-2026", "car")
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let mut edit = pro.form(&format!("{CASE}/edit")).await;
    edit.set(field, value);
    pro.submit(&format!("{CASE}/edit"), &edit)
        .await
        .assert_status(StatusCode::SEE_OTHER);
}

/// The address of the first remove link on a case page.
fn remove_link(page: &str) -> String {
    let start = page
        .find(&format!("{CASE}/stays/"))
        .unwrap_or_else(|| panic!("no remove link in {page}"));
    page[start..].split('"').next().unwrap().to_string()
}

async fn a_wrong_stay_is_taken_back_and_what_changed_since_is_kept<S: TestStore>(
    database: &Database<S>,
) {
    use dakwacht_core::LivingSituation;
    let client = Client::new(database).await;
    let pro = client.signed_in(PRO).await;
    let before = client.case("Straatalliantie", "QS-11").await;
    // The one who follows the family corrects where it stays now, by hand.
    stay_then_edit(&pro, "current_situation", "family_shelter").await;

    let page = pro.get(CASE).await;
    let link = remove_link(&page.body);
    // Another organisation's professional does not see the stay, nor can remove it.
    let other = client.signed_in(PRO_B).await;
    other.get(&link).await.assert_status(StatusCode::NOT_FOUND);
    other
        .post(&link, "")
        .await
        .assert_status(StatusCode::NOT_FOUND);

    pro.form_page(
        &link,
        &[
            "<h1>Verblijf verwijderen?</h1>",
            "Het verblijf van 3 april 2026, auto, vastgelegd door pro op",
            "In de geschiedenis blijft het staan.",
        ],
    )
    .await;
    let removed = pro.post(&link, "").await;
    removed.assert_status(StatusCode::SEE_OTHER);
    let back = removed.location.clone().unwrap();
    assert_eq!(back, format!("{CASE}?stay_removed=current_situation"));

    // Put back, except where the family stays now: someone changed that since.
    let case = client.case("Straatalliantie", "QS-11").await;
    let kept = Some(LivingSituation::FamilyShelter);
    assert_eq!(
        (case.reported_on, case.last_seen, case.current_situation),
        (before.reported_on, before.last_seen, kept)
    );
    let page = pro.get(&back).await;
    page.assert_contains_all(&[
        "role=\"status\">Het verblijf is verwijderd. Dit is niet teruggezet, omdat iemand het daarna heeft aangepast: Nu (op de meldingsdatum).",
        "Verblijf vastgelegd: 3 april 2026, auto; gewijzigd: ",
        "Verblijf verwijderd: 3 april 2026, auto; gewijzigd: ",
    ]);
    page.assert_lacks("<td>3 april 2026</td><td>auto</td>");
    page.assert_lacks(&link);
    let audit = client.last_audit_line(AuditAction::UpdateCase).await;
    assert!(audit.contains("stay removed; changed: "), "{audit}");

    // Gone once: a second removal is not found.
    pro.post(&link, "")
        .await
        .assert_status(StatusCode::NOT_FOUND);
    pro.get(&link).await.assert_status(StatusCode::NOT_FOUND);
    pro.get(&format!("{CASE}/stays/nummer/remove"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

/// A removal that would leave the case inconsistent (the home lost after the report date it
/// goes back to) is refused on the question page, and nothing changes.
async fn a_removal_that_breaks_the_case_is_refused<S: TestStore>(database: &Database<S>) {
    let client = Client::new(database).await;
    let pro = client.signed_in(PRO).await;
    stay_then_edit(&pro, "home_lost_on", "2026-01").await;
    let before = client.case("Straatalliantie", "QS-11").await;

    let link = remove_link(&pro.get(CASE).await.body);
    let refused = pro.post(&link, "").await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains_all(&[
        "<h1>Verblijf verwijderen?</h1>",
        "role=\"alert\">Dit verblijf kan niet weg.",
    ]);
    assert_eq!(client.case("Straatalliantie", "QS-11").await, before);
    assert_eq!(
        client.observations("Straatalliantie", "QS-11").await.len(),
        1
    );
}

dakwacht_testkit::on_both_stores!(database:
    a_wrong_stay_is_taken_back_and_what_changed_since_is_kept,
    a_removal_that_breaks_the_case_is_refused,
);
