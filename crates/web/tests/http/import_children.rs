//! The children in the browser's import and export: a children file beside the cases file, or
//! the sheet `kinderen` of a workbook, checked together with the cases and stored with them, all
//! or nothing.

use super::prelude::*;

const ORG: &str = "Straatalliantie";

/// A new family of two, and QS-01 (stored: two children, 4 and 9) changed in nothing.
const CASES: &str = "case_ref,organisation,reported_on,children_count,children_ages,municipality\n\
    NEW-1,Straatalliantie,2025-05-01,2,1;3,Utrecht\n";

const CHILDREN: &str = "case_ref,organisation,child_no,age,stays_with,separated,school\n\
    NEW-1,Straatalliantie,1,1,both_parents,no,not_school_age\n\
    QS-01,Straatalliantie,2,9,other_family,yes,missing_school\n";

async fn children_of<S: Store>(client: &Client<S>, case_ref: &str) -> Vec<dakwacht_core::Child> {
    client.store().children(ORG, case_ref).await.unwrap()
}

async fn a_children_file_is_checked_with_its_cases_and_stored_with_them<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::new(database).await;
    let pro = client.signed_in(PRO).await;
    let cases = client.count_cases(ORG).await;

    // Every problem of the children file, with the file it is in: a code that does not exist, a
    // case in neither the file nor the database, a child the new family does not have.
    let bad = format!(
        "{CHILDREN}NOPE-9,Straatalliantie,1,,,,\n\
         NEW-1,Straatalliantie,3,,,,\n"
    )
    .replace("other_family,yes", "with_grandma,yes");
    let refused = pro
        .upload_with_children(
            ("nieuw.csv", CASES.as_bytes()),
            ("kinderen.csv", bad.as_bytes()),
        )
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains_all(&[
        "<th scope=\"col\">Bestand</th>",
        "<td>kinderen.csv</td><td>3</td><td>stays_with</td><td>with_grandma</td>",
        "<td>kinderen.csv</td><td>4</td><td>case_ref</td><td>NOPE-9</td>",
        "<td>kinderen.csv</td><td>5</td><td>child_no</td><td>3</td>",
        "3 fouten",
    ]);
    refused.assert_lacks("name=\"pending\"");
    assert_eq!(client.count_cases(ORG).await, cases);
    assert!(children_of(&client, "QS-01").await.is_empty());

    // The good pair: the preview tells of both files and stores nothing yet.
    let preview = pro
        .upload_with_children(
            ("nieuw.csv", CASES.as_bytes()),
            ("kinderen.csv", CHILDREN.as_bytes()),
        )
        .await;
    preview.assert_status(StatusCode::OK);
    preview.assert_contains_all(&[
        "In nieuw.csv staat 1 casus zonder fouten.",
        "In kinderen.csv staan 2 kinderen zonder fouten. Nieuw: 2.",
    ]);
    assert!(children_of(&client, "NEW-1").await.is_empty());

    let stored = pro.confirm_preview(&preview.body).await;
    stored.assert_status(StatusCode::OK);
    stored.assert_contains("Kinderen uit kinderen.csv: 2 nieuw, 0 bijgewerkt, 0 ongewijzigd.");
    let new = children_of(&client, "NEW-1").await;
    assert_eq!(new.len(), 1);
    assert_eq!(new[0].age, Some(1));
    let qs = children_of(&client, "QS-01").await;
    assert_eq!(qs.len(), 1);
    assert_eq!(qs[0].child_no, 2);
    assert_eq!(
        qs[0].separated.map(|s| s.code()),
        Some("yes"),
        "{:?}",
        qs[0]
    );
    let imports = client
        .audit_of(Some("user:pro"), Some(AuditAction::Import))
        .await;
    let detail = imports[0].entry.detail.clone().unwrap_or_default();
    assert!(detail.starts_with("nieuw.csv + kinderen.csv:"), "{detail}");

    // The same pair again changes nothing, and says so.
    let again = pro
        .upload_with_children(
            ("nieuw.csv", CASES.as_bytes()),
            ("kinderen.csv", CHILDREN.as_bytes()),
        )
        .await;
    again.assert_contains("In kinderen.csv staan 2 kinderen zonder fouten. Nieuw: 0. Bestaan al en worden bijgewerkt: 0. Bestaan al en blijven gelijk: 2.");

    // A cases file that leaves a stored child without its place (one child fewer) is refused
    // when it is stored, at the case's line, and stores nothing.
    let fewer = "case_ref,organisation,reported_on,children_count,children_ages\n\
                 QS-01,Straatalliantie,2025-04-21,1,4\n";
    let preview = pro.upload("minder.csv", fewer.as_bytes()).await;
    preview.assert_status(StatusCode::OK);
    let refused = pro.confirm_preview(&preview.body).await;
    refused.assert_status(StatusCode::CONFLICT);
    refused.assert_contains("<td>2</td><td>opgeslagen kind 2: child_no</td><td>2</td>");
    assert_eq!(client.case(ORG, "QS-01").await.children.count, 2);

    // A children file alone, for stored cases, is an import too; one row of another
    // organisation refuses it.
    let other = CHILDREN.replace("QS-01,Straatalliantie", "QS-01,Stichting Kernkracht");
    let refused = pro
        .upload_with_children(
            (
                "leeg.csv",
                b"case_ref,organisation,reported_on,children_count\n",
            ),
            ("kinderen.csv", other.as_bytes()),
        )
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("<td>kinderen.csv</td><td>3</td><td>organisation</td>");
}

/// The workbook the browser downloads holds the children on the sheet `kinderen`; uploading it
/// again reads them from there, and a second children file beside it is refused.
async fn a_workbook_holds_its_children_on_the_sheet_kinderen<S: TestStore>(database: &Database<S>) {
    let client = Client::new(database).await;
    let pro = client.signed_in(PRO).await;
    let preview = pro
        .upload_with_children(
            ("nieuw.csv", CASES.as_bytes()),
            ("kinderen.csv", CHILDREN.as_bytes()),
        )
        .await;
    pro.confirm_preview(&preview.body)
        .await
        .assert_status(StatusCode::OK);

    let workbook = pro.get("/export?format=xlsx").await;
    workbook.assert_status(StatusCode::OK);
    let bytes = workbook.bytes.to_vec();
    let rows: Vec<dakwacht_core::ChildRow> = dakwacht_interchange::ChildReader::xlsx(bytes.clone())
        .unwrap()
        .unwrap()
        .map(|(_, row)| row.unwrap())
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows.iter().all(|r| r.organisation.as_str() == ORG));
    let exports = client
        .audit_of(Some("user:pro"), Some(AuditAction::Export))
        .await;
    let details: Vec<String> = exports
        .iter()
        .filter_map(|e| e.entry.detail.clone())
        .collect();
    assert!(
        details
            .iter()
            .any(|d| d.starts_with("2 child record(s) as xlsx")),
        "{details:?}"
    );

    let preview = pro.upload("export.xlsx", &bytes).await;
    preview.assert_status(StatusCode::OK);
    preview.assert_contains("In blad &#39;kinderen&#39; van export.xlsx staan 2 kinderen zonder fouten. Nieuw: 0. Bestaan al en worden bijgewerkt: 0. Bestaan al en blijven gelijk: 2.");

    let twice = pro
        .upload_with_children(
            ("export.xlsx", &bytes),
            ("kinderen.csv", CHILDREN.as_bytes()),
        )
        .await;
    twice.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    twice.assert_contains("De werkmap heeft al een blad");

    // The empty template has the sheet too, ready to be filled in.
    let template = pro.get("/template.xlsx").await.bytes.to_vec();
    let children = dakwacht_interchange::ChildReader::xlsx(template)
        .unwrap()
        .unwrap();
    assert_eq!(children.count(), 0);
}

dakwacht_testkit::on_both_stores!(
    database: a_children_file_is_checked_with_its_cases_and_stored_with_them,
    a_workbook_holds_its_children_on_the_sheet_kinderen
);
