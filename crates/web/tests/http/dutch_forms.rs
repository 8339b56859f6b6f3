//! Dutch input and output in the pages: dates typed as people type them, code lists with their
//! Dutch labels, a conflict said in Dutch, and CSV downloads that open in Dutch Excel.

use super::prelude::*;

async fn dates_typed_the_dutch_way_are_read_and_shown_back_as_dates<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::new(database).await;
    let pro = client.signed_in(PRO).await;

    let blank = pro.get("/cases/new").await;
    blank.assert_contains("Dag-maand-jaar, bijvoorbeeld 3-4-2024");
    let mut fields = Form::of(&blank.body);
    fields.set("case_ref", "NL-1");
    fields.set("children_count", "1");
    fields.set("reported_on", "3-4-2025");
    fields.set("home_lost_on", "2-2025");
    fields.set("last_seen_on", "01-03-2025");
    fields.set("last_seen_situation", "car");
    fields.set("rehoused_on", "2025-04-02");

    // One field changed, the form is refused, saying this.
    let mistakes: [(&str, &str, &[&str]); 3] = [
        // A mistake elsewhere: the dates come back as the dates they were read as.
        (
            "children_count",
            "twee",
            &[
                "name=\"reported_on\" value=\"03-04-2025\"",
                "name=\"home_lost_on\" value=\"02-2025\"",
                "name=\"last_seen_on\" value=\"01-03-2025\"",
                "name=\"rehoused_on\" value=\"02-04-2025\"",
            ],
        ),
        // A date that is none is told at its field, as typed, in the form's words.
        (
            "reported_on",
            "31-4-2025",
            &[
                "id=\"reported_on-error\"",
                "‘31-4-2025’ klopt niet: een datum als dag-maand-jaar, bijvoorbeeld 3-4-2024.",
            ],
        ),
        // The rules between dates still hold.
        ("rehoused_on", "4-4-2025", &["‘4-4-2025’ klopt niet"]),
    ];
    for (field, value, says) in mistakes {
        let mut wrong = fields.clone();
        wrong.set(field, value);
        let refused = pro.submit("/cases/new", &wrong).await;
        refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        refused.assert_contains_all(says);
    }

    let made = pro.submit("/cases/new", &fields).await;
    made.assert_status(StatusCode::SEE_OTHER);
    let stored = client.case("Straatalliantie", "NL-1").await;
    assert_eq!(stored.reported_on.to_string(), "2025-04-03");
    assert_eq!(stored.home_lost_on.unwrap().to_string(), "2025-02");
    assert_eq!(stored.last_seen.unwrap().on.to_string(), "2025-03-01");
    assert_eq!(stored.rehoused_on.unwrap().to_string(), "2025-04-02");

    // The edit form shows them the Dutch way, the English one as in files; both read back.
    let edit = pro.get("/cases/Straatalliantie/NL-1/edit").await;
    edit.assert_contains("name=\"reported_on\" value=\"03-04-2025\"");
    let english = pro
        .in_english()
        .get("/cases/Straatalliantie/NL-1/edit")
        .await;
    english.assert_contains("name=\"reported_on\" value=\"2025-04-03\"");
    let saved = pro
        .submit("/cases/Straatalliantie/NL-1/edit", &Form::of(&edit.body))
        .await;
    saved.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(client.case("Straatalliantie", "NL-1").await, stored);
}

async fn code_lists_in_the_form_show_dutch_labels<S: TestStore>(database: &Database<S>) {
    let client = Client::new(database).await;
    let pro = client.signed_in(PRO).await;
    let blank = pro.get("/cases/new").await;
    // Other reasons: a box per reason with its label, never a code to type.
    blank.assert_contains_all(&[
        "<legend>Andere redenen</legend>",
        "name=\"other_reasons-nuisance\"> <label for=\"other_reasons-nuisance\">overlast</label>",
        "<option value=\"car\">auto</option>",
    ]);
    let mut fields = Form::of(&blank.body);
    fields.set("case_ref", "NL-2");
    fields.set("children_count", "1");
    fields.set("main_reason", "rent_arrears");
    fields.tick("other_reasons-nuisance");
    fields.tick("other_reasons-crime");
    pro.submit("/cases/new", &fields)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let stored = client.case("Straatalliantie", "NL-2").await;
    let reasons: Vec<&str> = stored.other_reasons.iter().map(|r| r.code()).collect();
    assert_eq!(reasons, ["nuisance", "crime"]);
    let edit = pro.get("/cases/Straatalliantie/NL-2/edit").await;
    edit.assert_contains("name=\"other_reasons-nuisance\" checked>");
    edit.assert_lacks("name=\"other_reasons-other\" checked>");
    // Unticking one takes it off; the rules' message about reasons is in Dutch labels.
    let form = Form::of(&edit.body)
        .encode()
        .replace("&other_reasons-crime=on", "");
    let saved = pro.post_raw("/cases/Straatalliantie/NL-2/edit", form).await;
    saved.assert_status(StatusCode::SEE_OTHER);
    let reasons = client.case("Straatalliantie", "NL-2").await.other_reasons;
    assert_eq!(reasons.len(), 1);
    let mut same = Form::of(&pro.get("/cases/Straatalliantie/NL-2/edit").await.body);
    same.tick("other_reasons-rent_arrears");
    let refused = pro.submit("/cases/Straatalliantie/NL-2/edit", &same).await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("andere redenen dan de hoofdreden");

    // An import error names the codes with their Dutch labels.
    let file = "case_ref,organisation,reported_on,children_count,household\n\
                NL-3,Straatalliantie,2025-05-01,1,alleen\n";
    let problems = pro.upload("fout.csv", file.as_bytes()).await;
    problems.assert_contains("one_parent (eenoudergezin) of two_parents (tweeoudergezin)");
    // The template: each code with its Dutch meaning on the codes sheet.
    let template = pro.get("/template.xlsx").await;
    let mut workbook = calamine::open_workbook_from_rs::<calamine::Xlsx<_>, _>(
        std::io::Cursor::new(template.bytes.to_vec()),
    )
    .unwrap();
    use calamine::Reader as _;
    let codes = workbook.worksheet_range("codes").unwrap();
    let cells: Vec<String> = codes.cells().map(|(_, _, v)| v.to_string()).collect();
    for expected in [
        "household",
        "betekenis",
        "one_parent",
        "eenoudergezin",
        "auto",
    ] {
        assert!(
            cells.iter().any(|c| c == expected),
            "{expected} in {cells:?}"
        );
    }
}

async fn a_stale_save_says_who_when_and_which_fields_in_dutch<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::with_accounts(
        database,
        &[
            PRO,
            Account::new("collega", Role::Professional, Some("Straatalliantie")),
        ],
    )
    .await;
    let pro = client.sign_in("pro").await;
    let collega = client.sign_in("collega").await;
    let path = "/cases/Straatalliantie/QS-01/edit";
    let mine = Form::of(&pro.get(path).await.body);
    let mut theirs = Form::of(&collega.get(path).await.body);
    theirs.set("notes", "Gebeld met de school");
    collega
        .submit(path, &theirs)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let mut second = mine.clone();
    second.set("municipality", "Testgemeente");
    let refused = pro.submit(path, &second).await;
    refused.assert_status(StatusCode::CONFLICT);
    let said = refused.body.replace(['\u{2068}', '\u{2069}'], "");
    let today = dakwacht_core::written::long_date(
        dakwacht_core::date::dutch_time(jiff::Timestamp::now()).date(),
        dakwacht_core::Lang::Nl,
    );
    assert!(
        said.contains(&format!(
            "collega heeft deze casus gewijzigd op {today} om "
        )),
        "{said}"
    );
    assert!(
        said.contains("verschilt nu in: Gemeente, Aantekeningen."),
        "{said}"
    );
    // The moment in words, not a technical timestamp (the page's random tokens are left out).
    let sentence = said
        .split_once("gewijzigd op ")
        .and_then(|(_, rest)| rest.split_once("verschilt"))
        .map(|(moment, _)| moment)
        .unwrap_or_default();
    assert!(
        !sentence.contains("UTC") && !sentence.contains('T') && !sentence.contains('Z'),
        "{sentence}"
    );
}

async fn the_csv_download_opens_in_dutch_excel_and_imports_back<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::new(database).await;
    let pro = client.signed_in(PRO).await;
    let before: Vec<dakwacht_core::Case> = {
        let csv = pro.get("/export?format=csv&delimiter=comma").await;
        csv.assert_status(StatusCode::OK);
        assert!(csv.body.starts_with("case_ref,organisation,"), "plain form");
        dakwacht_interchange::CaseReader::csv(csv.body.as_bytes())
            .unwrap()
            .unwrap()
            .map(|(_, row)| row.unwrap())
            .collect()
    };
    let excel = pro.get("/export?format=csv").await;
    excel.assert_status(StatusCode::OK);
    assert!(
        excel
            .bytes
            .starts_with("\u{feff}case_ref;organisation;reported_on".as_bytes()),
        "by default: a byte-order mark and semicolons"
    );
    let read: Vec<dakwacht_core::Case> = dakwacht_interchange::CaseReader::csv(&excel.bytes[..])
        .unwrap()
        .unwrap()
        .map(|(_, row)| row.unwrap())
        .collect();
    assert_eq!(read, before);
    // Imported again through the pages: nothing changes.
    let preview = pro.upload("export.csv", &excel.bytes).await;
    preview.assert_status(StatusCode::OK);
    pro.confirm_preview(&preview.body)
        .await
        .assert_status(StatusCode::OK);
    for case in &before {
        assert_eq!(
            &client
                .case(case.organisation.as_str(), case.case_ref.as_str())
                .await,
            case
        );
    }
}

dakwacht_testkit::on_both_stores!(
    database: dates_typed_the_dutch_way_are_read_and_shown_back_as_dates,
    code_lists_in_the_form_show_dutch_labels,
    a_stale_save_says_who_when_and_which_fields_in_dutch,
    the_csv_download_opens_in_dutch_excel_and_imports_back,
);
