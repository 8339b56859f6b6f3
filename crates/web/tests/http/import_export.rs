//! Files in and out of the browser: checked and previewed before anything is stored, hostile workbooks refused, one heavy job per user, and downloads.

use super::prelude::*;

async fn a_file_is_checked_and_previewed_before_it_is_stored_all_or_nothing<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::with_accounts(database, &[PRO, PRO_B]).await;
    let pro = client.sign_in("pro").await;
    let before = client.count_cases("Straatalliantie").await;

    // A bad date on line 3 and a row of another organisation on line 4: every problem is listed
    // with its line, column and value, and nothing is stored.
    let bad = "case_ref,organisation,reported_on,children_count\n\
               NEW-1,Straatalliantie,2025-05-01,2\n\
               NEW-2,Straatalliantie,2025-13-40,1\n\
               NEW-3,Stichting Kernkracht,2025-05-01,1\n";
    let refused = pro.upload("nieuw.csv", bad.as_bytes()).await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("2 fouten");
    refused.assert_contains("<td>3</td><td>reported_on</td><td>2025-13-40</td>");
    refused.assert_contains("<td>4</td><td>organisation</td><td>Stichting Kernkracht</td>");
    assert!(
        !refused.body.contains("name=\"pending\""),
        "no way to confirm"
    );
    assert_eq!(client.count_cases("Straatalliantie").await, before);

    // A good file: one new case and one change to an existing one. The preview says so and
    // stores nothing yet.
    let good = "case_ref,organisation,reported_on,children_count,children_ages,municipality\n\
                NEW-1,Straatalliantie,2025-05-01,2,1;3,Utrecht\n\
                QS-01,Straatalliantie,2025-04-21,3,4;9;0,Utrecht\n";
    let preview = pro.upload("nieuw.csv", good.as_bytes()).await;
    preview.assert_status(StatusCode::OK);
    preview.assert_contains(
        "Nieuw: 1. Bestaan al en worden bijgewerkt: 1. Bestaan al en blijven gelijk: 0.",
    );
    preview.assert_contains("NEW-1");
    assert_eq!(client.count_cases("Straatalliantie").await, before);
    let pending = hidden_value(&preview.body, "pending");

    // Someone else cannot confirm this upload, even knowing its id.
    let other = client.sign_in("pro.b").await;
    let stolen = other
        .post("/import/confirm", &format!("pending={pending}"))
        .await;
    stolen.assert_status(StatusCode::GONE);

    let stored = pro.confirm_preview(&preview.body).await;
    stored.assert_status(StatusCode::OK);
    stored.assert_contains("1 nieuw, 1 bijgewerkt");
    assert_eq!(client.count_cases("Straatalliantie").await, before + 1);
    let changed = client.case("Straatalliantie", "QS-01").await;
    assert_eq!(changed.children.count, 3);

    // Confirming twice stores nothing twice.
    let again = pro.confirm_preview(&preview.body).await;
    again.assert_status(StatusCode::GONE);

    let imports = client
        .audit_of(Some("user:pro"), Some(AuditAction::Import))
        .await;
    assert_eq!(imports.len(), 1);
}

async fn a_hostile_workbook_upload_is_refused_and_the_server_keeps_serving<S: TestStore>(
    database: &Database<S>,
) {
    // Cells at A1 and XFD1048576: 6 KB that made the preview allocate 549 GB and took the
    // server down for everyone.
    let client = Client::new(database).await;
    let pro = client.signed_in(PRO).await;
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "case_ref").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    let bytes = workbook.save_to_buffer().unwrap();

    let refused = pro.upload("groot.xlsx", &bytes).await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("XFD1048576") && refused.body.contains("1000 columns"),
        "{}",
        refused.body
    );
    refused.assert_lacks("name=\"pending\"");
    assert_eq!(pro.get("/import").await.status, StatusCode::OK);
}

/// A workbook of more rows than a browser upload takes (a junk million-row sheet took 41 s to
/// check) is refused while it is checked, before any row is read.
async fn an_uploaded_workbook_with_too_many_rows_is_refused<S: TestStore>(database: &Database<S>) {
    let client = Client::new(database).await;
    let pro = client.signed_in(PRO).await;
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet_with_constant_memory().unwrap();
    sheet.write_string(0, 0, "case_ref").unwrap();
    for row in 1..=200_001u32 {
        sheet.write_string(row, 0, "x").unwrap();
    }
    let bytes = workbook.save_to_buffer().unwrap();

    let refused = pro.upload("lang.xlsx", &bytes).await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("more than 200001 rows");
    refused.assert_lacks("name=\"pending\"");
}

async fn the_organisation_downloads_its_own_cases_and_an_empty_template<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::new(database).await;
    let pro = client.signed_in(PRO).await;

    let csv = pro.get("/export?format=csv").await;
    csv.assert_status(StatusCode::OK);
    let rows: Vec<_> = dakwacht_interchange::CaseReader::csv(csv.body.as_bytes())
        .unwrap()
        .unwrap()
        .map(|(_, row)| row.unwrap())
        .collect();
    assert_eq!(rows.len(), client.count_cases("Straatalliantie").await);
    assert!(
        rows.iter()
            .all(|c| c.organisation.as_str() == "Straatalliantie")
    );
    assert!(rows.iter().any(|c| c.case_ref.as_str() == "QS-01"));

    let response = pro.get("/export?format=xlsx").await;
    response.assert_status(StatusCode::OK);
    assert!(
        response.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .ends_with(".xlsx\"")
    );
    let bytes = response.bytes;
    let sheet = dakwacht_interchange::xlsx::read_first_sheet(bytes.to_vec()).unwrap();
    assert_eq!(sheet.len(), rows.len() + 1, "header and every case");

    // The CSV, and the workbook's two sheets: its cases and its children, each audited.
    let exports = client
        .audit_of(Some("user:pro"), Some(AuditAction::Export))
        .await;
    assert_eq!(exports.len(), 3);

    let bytes = pro.get("/template.xlsx").await.bytes;
    let template = dakwacht_interchange::xlsx::read_first_sheet(bytes.to_vec()).unwrap();
    assert_eq!(template.len(), 1);
    assert_eq!(template[0].1[0], "case_ref");
}

/// Issue 13: an upload with only some columns shows what it will really do (unchanged rows count
/// as unchanged) and storing it leaves the other fields alone; a rule that breaks only together
/// with the stored fields is shown by line before anything is stored.
async fn an_upload_with_fewer_columns_is_previewed_and_stored_as_an_update_of_those_columns<
    S: TestStore,
>(
    database: &Database<S>,
) {
    let client = Client::new(database).await;
    let pro = client.signed_in(PRO).await;
    let before = client.case("Straatalliantie", "QS-01").await;
    let reported = before.reported_on.to_string();
    let count = before.children.count;
    let file = format!(
        "case_ref,organisation,reported_on,children_count\n\
         QS-01,Straatalliantie,{reported},{count}\n\
         QS-06,Straatalliantie,2025-06-30,1\n\
         QS-99,Straatalliantie,2025-06-30,2\n"
    );
    let preview = pro.upload("bijwerken.csv", file.as_bytes()).await;
    preview.assert_status(StatusCode::OK);
    preview.assert_contains(
        "Nieuw: 1. Bestaan al en worden bijgewerkt: 1. Bestaan al en blijven gelijk: 1.",
    );
    preview.assert_contains("bestaat al, blijft gelijk");
    let stored = pro.confirm_preview(&preview.body).await;
    stored.assert_status(StatusCode::OK);
    let after = client.case("Straatalliantie", "QS-01").await;
    assert_eq!(after, before, "an unchanged row changes nothing");
    let updated = client.case("Straatalliantie", "QS-06").await;
    assert_eq!(updated.reported_on.to_string(), "2025-06-30");
    assert!(updated.route.is_some(), "fields of absent columns stay");

    // default_judgment without a route column, for a case whose stored route is no court case.
    let no_court = "QS-11";
    assert_eq!(
        client.case("Straatalliantie", no_court).await.route,
        Some(dakwacht_core::Route::LeftOther)
    );
    let file = format!(
        "case_ref,organisation,reported_on,children_count,default_judgment\n\
         {no_court},Straatalliantie,2025-06-30,1,yes\n"
    );
    let refused = pro.upload("verstek.csv", file.as_bytes()).await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("<tr><td>2</td><td>default_judgment</td><td>yes</td>");
    assert!(
        !refused.body.contains("name=\"pending\""),
        "nothing to confirm"
    );
}

/// Issue 15: an old file imported again after a case was edited by hand says so per case, shows
/// what it would change field by field in Dutch, and stores only after an explicit choice: keep
/// the later edit (the file's row is skipped) or overwrite it. The audit line names the cases.
async fn an_old_file_that_would_undo_a_later_edit_is_shown_and_needs_a_choice<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::new(database).await;
    let pro = client.signed_in(PRO).await;
    // QS-06 is edited by hand today, long after its report date (2025-04-25).
    let path = "/cases/Straatalliantie/QS-06/edit";
    let mut edit = Form::of(&pro.get(path).await.body);
    edit.set("children_count", "3");
    edit.set("children_ages", "");
    pro.submit(path, &edit)
        .await
        .assert_status(StatusCode::SEE_OTHER);

    // An export from before the edit: QS-06 with one child; QS-16 with another landlord.
    let old_file = "case_ref,organisation,reported_on,children_count,tenancy\n\
                    QS-06,Straatalliantie,2025-04-25,1,corporation\n\
                    QS-16,Straatalliantie,2025-05-03,1,corporation\n";
    let preview = pro.upload("oude-export.csv", old_file.as_bytes()).await;
    preview.assert_status(StatusCode::OK);
    preview.assert_contains_all(&[
        "1 casus is nieuwer dan dit bestand",
        "QS-06: gewijzigd door pro op ",
        "<th scope=\"row\">Aantal minderjarige kinderen</th><td>3</td><td>1</td>",
        "bestaat al, is nieuwer dan het bestand",
        // The other update, field by field with labels, not codes.
        "<th scope=\"row\">Soort verhuur</th><td>particuliere verhuurder</td><td>woningcorporatie</td>",
        "name=\"newer\" value=\"keep\" required",
    ]);
    preview.assert_lacks("<td>private</td>");

    // Without a choice nothing is stored, and the file keeps waiting.
    let unanswered = pro.confirm_preview(&preview.body).await;
    unanswered.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        client.case("Straatalliantie", "QS-16").await.tenancy,
        Some(dakwacht_core::Tenancy::Private)
    );

    // Keep: the later edit stays, the rest of the file is stored.
    let pending = hidden_value(&preview.body, "pending");
    let kept = pro
        .post("/import/confirm", &format!("pending={pending}&newer=keep"))
        .await;
    kept.assert_status(StatusCode::OK);
    kept.assert_contains("1 casus die nieuwer was dan het bestand bleef zoals hij was.");
    assert_eq!(
        client.case("Straatalliantie", "QS-06").await.children.count,
        3
    );
    assert_eq!(
        client.case("Straatalliantie", "QS-16").await.tenancy,
        Some(dakwacht_core::Tenancy::Corporation)
    );
    let newest = client.last_audit_line(AuditAction::Import).await;
    assert!(newest.ends_with("changed: QS-16"), "{newest}");

    // Overwrite: the file's value replaces the later edit, on purpose.
    let preview = pro.upload("oude-export.csv", old_file.as_bytes()).await;
    preview.assert_contains("1 casus is nieuwer dan dit bestand");
    let pending = hidden_value(&preview.body, "pending");
    pro.post(
        "/import/confirm",
        &format!("pending={pending}&newer=overwrite"),
    )
    .await
    .assert_status(StatusCode::OK);
    assert_eq!(
        client.case("Straatalliantie", "QS-06").await.children.count,
        1
    );
    let newest = client.last_audit_line(AuditAction::Import).await;
    assert!(newest.ends_with("changed: QS-06"), "{newest}");

    // A case edited by hand between the check and the confirmation is not overwritten unasked.
    let file = "case_ref,organisation,reported_on,children_count,tenancy\n\
                QS-21,Straatalliantie,2025-05-07,1,private\n";
    let preview = pro.upload("later.csv", file.as_bytes()).await;
    preview.assert_lacks("nieuwer dan dit bestand");
    let path = "/cases/Straatalliantie/QS-21/edit";
    let mut edit = Form::of(&pro.get(path).await.body);
    edit.set("notes", "Gebeld met de verhuurder");
    pro.submit(path, &edit)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let refused = pro.confirm_preview(&preview.body).await;
    refused.assert_status(StatusCode::CONFLICT);
    refused.assert_contains("Sinds de controle is een casus uit dit bestand gewijzigd");
    let kept = client.case("Straatalliantie", "QS-21").await;
    assert_eq!(kept.tenancy, Some(dakwacht_core::Tenancy::Sublet));

    // A file of a later report is not "older": no question.
    let newer_file = "case_ref,organisation,reported_on,children_count\n\
                      QS-06,Straatalliantie,2030-01-01,2\n";
    let preview = pro.upload("nieuw.csv", newer_file.as_bytes()).await;
    preview.assert_lacks("nieuwer dan dit bestand");
    preview.assert_lacks("name=\"newer\"");
}

/// Another professional of [`PRO`]'s organisation.
const COLLEGA: Account = Account::new("collega", Role::Professional, Some("Straatalliantie"));

/// Issue 13: at most one heavy job (preview, import, export) per user at a time.
async fn a_second_heavy_job_of_the_same_user_gets_a_clear_busy_answer<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::with_accounts(database, &[PRO, COLLEGA]).await;
    let pro = client.sign_in("pro").await;
    let collega = client.sign_in("collega").await;
    let file =
        b"case_ref,organisation,reported_on,children_count\nN-1,Straatalliantie,2025-06-30,1\n";

    let running = client.state.heavy_jobs.start("pro").unwrap();
    let busy = pro.upload("a.csv", file).await;
    busy.assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert!(busy.retry_after.is_some());
    busy.assert_contains("al bezig met een import of export");
    let export = pro.get("/export").await;
    export.assert_status(StatusCode::TOO_MANY_REQUESTS);
    // Another user is not held up.
    assert_eq!(collega.upload("a.csv", file).await.status, StatusCode::OK);
    drop(running);
    assert_eq!(pro.upload("a.csv", file).await.status, StatusCode::OK);
}

/// Issue 13: the import's audit line keeps the file name when the browser sends only `filename*`.
async fn the_audit_line_of_an_upload_names_a_file_sent_as_filename_star<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::new(database).await;
    let pro = client.signed_in(PRO).await;
    let file =
        b"case_ref,organisation,reported_on,children_count\nN-1,Straatalliantie,2025-06-30,1\n";
    let preview = pro
        .upload_as("filename*=UTF-8''gezinnen%20na%C3%AFef.csv", file)
        .await;
    preview.assert_status(StatusCode::OK);
    preview.assert_contains("gezinnen naïef.csv");
    let stored = pro.confirm_preview(&preview.body).await;
    stored.assert_status(StatusCode::OK);
    let imports = client
        .audit_of(Some("user:pro"), Some(AuditAction::Import))
        .await;
    assert!(
        imports[0]
            .entry
            .detail
            .as_deref()
            .unwrap()
            .starts_with("gezinnen naïef.csv:"),
        "{:?}",
        imports[0]
    );
}

dakwacht_testkit::on_both_stores!(database: a_file_is_checked_and_previewed_before_it_is_stored_all_or_nothing, a_hostile_workbook_upload_is_refused_and_the_server_keeps_serving, an_uploaded_workbook_with_too_many_rows_is_refused, the_organisation_downloads_its_own_cases_and_an_empty_template, an_upload_with_fewer_columns_is_previewed_and_stored_as_an_update_of_those_columns, a_second_heavy_job_of_the_same_user_gets_a_clear_busy_answer, the_audit_line_of_an_upload_names_a_file_sent_as_filename_star, an_old_file_that_would_undo_a_later_edit_is_shown_and_needs_a_choice);
