//! The dashboard: the published figures for what the user may see, and no figures over a selection too small to publish.

use super::prelude::*;

async fn the_dashboard_shows_the_published_figures_for_what_the_user_may_see<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::with_accounts(database, &[ONDERZOEK, PRO]).await;

    // A researcher sees every organisation: the quickscan figures and the signals as the
    // disclosure policy lets them be published, and says so.
    let researcher = client.sign_in("onderzoek").await;
    let all = researcher.get("/dashboard").await;
    all.assert_status(StatusCode::OK);
    all.assert_contains("Selectie: alle casussen");
    all.assert_contains(
        "Gepubliceerde cijfers.</strong> Beschermd volgens beleid dakwacht-standaard",
    );
    all.assert_lacks("Niet voor publicatie");
    assert!(
        all.body.contains("59% (13/22)"),
        "route.no_court in the chart"
    );
    assert!(
        all.body.contains("<td>13</td><td>22</td><td>59%</td>"),
        "and in the table"
    );
    // 19 of 23 families were offered no alternative: the 4 others would follow from it.
    assert!(
        all.body.contains("<td>×</td><td>23</td><td>×</td>"),
        "alternative.none is held back"
    );
    all.assert_lacks("<td>19</td><td>23</td>");
    // 4 children of unknown age: a count from 1 to 4.
    all.assert_contains("<dd>&#60;5</dd>");
    // The timeline per quarter, not per month.
    all.assert_lacks("Woningverlies per maand");
    all.assert_contains("Woningverlies per kwartaal");
    // The duration as a survival estimate (the figures of the lifelines reference for the
    // quickscan file): nobody recorded as rehoused, so no median; counting the 11 families
    // lost from view as rehoused when last seen gives one of 15 months.
    all.assert_contains("Duur van de dakloosheid");
    all.assert_contains("<dd>22 (0 herhuisvest, 22 nog dakloos of uit beeld)</dd>");
    all.assert_contains("<dd>mediaan 15 maanden;");
    all.assert_contains("aria-labelledby=\"duur-grafiek-titel\"");
    all.assert_contains("<option value=\"Straatalliantie\"");
    // The same figures as the API's published report.
    let token = client.api_token("onderzoek").await;
    let (_, published) = client.api_get("/api/v1/reports/published", &token).await;
    for signal in published["signals"].as_array().unwrap() {
        let label = signal["label"]
            .as_str()
            .unwrap()
            .replace('&', "&#38;")
            .replace('\'', "&#39;")
            .replace('"', "&#34;")
            .replace('<', "&#60;")
            .replace('>', "&#62;");
        let shown = match signal["cases"].as_u64() {
            Some(cases) => format!("{label}</th><td>{cases}</td>"),
            None => format!("{label}</th><td>"),
        };
        all.assert_contains(&shown);
    }

    // One organisation, chosen by the researcher.
    let one = researcher
        .get("/dashboard?organisation=Straatalliantie")
        .await;
    one.assert_contains("Selectie: organisatie Straatalliantie");

    // A professional sees the own organisation, and cannot widen it.
    let own_cases = client.count_cases("Straatalliantie").await;
    let pro = client.sign_in("pro").await;
    for path in ["/dashboard", "/dashboard?organisation=Stichting+Kernkracht"] {
        let page = pro.get(path).await;
        page.assert_status(StatusCode::OK);
        assert!(
            page.body.contains("Selectie: organisatie Straatalliantie"),
            "{path}"
        );
        assert!(
            page.body.contains(&format!("<dd>{own_cases}</dd>")),
            "{path}"
        );
        assert!(!page.body.contains("<option"), "no organisation choice");
        page.assert_contains("Niet voor publicatie.");
        page.assert_contains("Woningverlies per maand");
    }

    // A bad date is named, not silently ignored.
    let bad = pro.get("/dashboard?from=2025-13-01").await;
    bad.assert_contains("De datum ‘2025-13-01’");
    // A date typed the Dutch way is read as the same date as its ISO form.
    let dutch = pro.get("/dashboard?from=1-1-2024&to=31-12-2024").await;
    dutch.assert_lacks("klopt niet");
    let iso = pro.get("/dashboard?from=2024-01-01&to=2024-12-31").await;
    let key_figures = |body: &str| {
        body.split("<dd>")
            .skip(1)
            .map(|d| d[..d.find('<').unwrap_or(0)].to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(key_figures(&dutch.body), key_figures(&iso.body));

    // Each count, and each publication with its policy.
    let audited = client.audit_of(None, Some(AuditAction::Statistics)).await;
    assert_eq!(audited.len(), 10);
    let publications = audited
        .iter()
        .filter_map(|r| r.entry.detail.as_deref())
        .filter(|d| d.contains("gepubliceerd; ") && d.contains("Beschermd volgens beleid"))
        .count();
    // The dashboard of all cases and the API's report; one organisation's five cases are too
    // few to publish anything.
    assert_eq!(publications, 2);
}

/// Issue 13: a researcher could single out one family by choosing one organisation and one day.
/// Figures over fewer than 10 cases are refused to researchers, on the dashboard and in the API;
/// professionals still see their own organisation's figures.
async fn a_researcher_cannot_single_out_a_family_with_a_small_selection<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::with_accounts(database, &[ONDERZOEK, PRO]).await;
    let one_day = "organisation=Straatalliantie&from=2024-10-18&to=2024-10-18";

    let token = client.api_token("onderzoek").await;
    let (status, body) = client
        .api_get(&format!("/api/v1/reports/published?{one_day}"), &token)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"], "selection_too_small");
    assert!(body.get("measures").is_none(), "no figure at all: {body}");

    let researcher = client.sign_in("onderzoek").await;
    let page = researcher.get(&format!("/dashboard?{one_day}")).await;
    page.assert_status(StatusCode::OK);
    page.assert_contains("minder dan 10 casussen");
    assert!(!page.body.contains("<dd>"), "no key figures");
    assert!(!page.body.contains("<svg"), "no charts");

    // All 23 cases: the published figures.
    let all = researcher.get("/dashboard").await;
    all.assert_lacks("minder dan 10 casussen");
    all.assert_contains("<dd>23</dd>");

    // A professional's own organisation is not a publication: its figures stay visible.
    let pro = client.sign_in("pro").await;
    let own = pro.get("/dashboard").await;
    own.assert_lacks("minder dan 10 casussen");
    own.assert_contains("<dd>5</dd>");

    let refused = client
        .audit_of(Some("user:onderzoek"), Some(AuditAction::Statistics))
        .await;
    assert_eq!(
        refused
            .iter()
            .filter(|r| r
                .entry
                .detail
                .as_deref()
                .unwrap_or("")
                .contains("geweigerd"))
            .count(),
        2,
        "both refusals are in the audit log"
    );
}

/// Issue 17.4: the publication bundle as a download, for researchers and coordinators: the four
/// files of the protected figures in one zip, recorded in the audit log with the policy.
async fn the_publication_bundle_is_a_download_for_researchers_and_coordinators<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::with_accounts(database, &[ONDERZOEK, COORD, PRO]).await;
    let researcher = client.sign_in("onderzoek").await;
    let page = researcher.get("/dashboard").await;
    page.assert_contains("href=\"/dashboard/bundle?\"");

    let download = researcher.get("/dashboard/bundle").await;
    download.assert_status(StatusCode::OK);
    assert_eq!(download.headers["content-type"], "application/zip");
    let disposition = download.headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"dakwacht-publicatie-"),
        "{disposition}"
    );
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(download.bytes.to_vec())).unwrap();
    let mut names: Vec<String> = zip
        .file_names()
        .map(|name| name.unwrap().to_string())
        .collect();
    names.sort();
    let folder = names[0].split('/').next().unwrap().to_string();
    assert!(folder.starts_with("dakwacht-publicatie-"), "{folder}");
    for (name, file) in
        names
            .iter()
            .zip(["cijfers.csv", "cijfers.json", "cijfers.xlsx", "rapport.pdf"])
    {
        assert_eq!(name, &format!("{folder}/{file}"));
    }
    let json: serde_json::Value = {
        let mut file = zip.by_name(&format!("{folder}/cijfers.json")).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut file, &mut text).unwrap();
        serde_json::from_str(&text).unwrap()
    };
    assert_eq!(json["scope"], "alle casussen");
    let unknown_age = dakwacht_testkit::measure(&json, "children.age_unknown");
    assert_eq!(unknown_age["suppressed"]["numerator"], "primary");
    assert_eq!(
        json["breakdowns"]["municipality"]["rows"][0]["label"],
        "Amsterdam"
    );
    let pdf = {
        let mut file = zip.by_name(&format!("{folder}/rapport.pdf")).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut bytes).unwrap();
        bytes
    };
    assert!(pdf.starts_with(b"%PDF-"));

    // A coordinator publishes the own organisation; a professional does not publish.
    let coordinator = client.sign_in("coord").await;
    coordinator
        .get("/dashboard")
        .await
        .assert_contains("/dashboard/bundle?organisation=Straatalliantie");
    coordinator
        .get("/dashboard/bundle")
        .await
        .assert_status(StatusCode::OK);
    let professional = client.sign_in("pro").await;
    professional
        .get("/dashboard")
        .await
        .assert_lacks("/dashboard/bundle");
    professional
        .get("/dashboard/bundle")
        .await
        .assert_status(StatusCode::FORBIDDEN);

    // A date that is not one goes back to the dashboard, which names it.
    let wrong = researcher.get("/dashboard/bundle?from=2025-13-01").await;
    assert_eq!(
        wrong.location.as_deref(),
        Some("/dashboard?from=2025-13-01")
    );

    let audited = client
        .audit_of(Some("user:onderzoek"), Some(AuditAction::Statistics))
        .await;
    assert!(
        audited
            .iter()
            .filter_map(|r| r.entry.detail.as_deref())
            .any(|d| d.starts_with("dashboard bundle: gepubliceerd;")
                && d.contains("Beschermd volgens beleid")),
        "the bundle is recorded with its policy"
    );
}

/// Where counting takes long (a million families), the dashboard shows kept figures and says
/// when they were counted; here every count is kept, however quick.
async fn kept_figures_say_when_they_were_counted<S: TestStore>(database: &Database<S>) {
    let store = database.open().await;
    dakwacht_testkit::import_cases(&store, dakwacht_testkit::quickscan_cases()).await;
    let keep_all = dakwacht_app::FiguresPolicy {
        keep_when_slower_than: std::time::Duration::ZERO,
        ..dakwacht_app::FiguresPolicy::default()
    };
    let client = Client::with_figures_policy(store, keep_all).await;
    for account in [PRO, ONDERZOEK] {
        client
            .add_user(account.username, account.role, account.organisation)
            .await;
    }
    let pro = client.sign_in("pro").await;
    let first = pro.get("/dashboard").await;
    first.assert_status(StatusCode::OK);
    first.assert_lacks("id=\"counted-at\"");
    let kept = pro.get("/dashboard").await;
    kept.assert_contains(
        "<p class=\"dakwacht-note\" id=\"counted-at\">Deze cijfers zijn geteld om ",
    );
    let figures = |body: &str| body[body.find("<h2>Kerncijfers</h2>").unwrap()..].to_string();
    assert!(
        figures(&kept.body) == figures(&first.body),
        "the same figures, with the time they were counted"
    );
    // A researcher's published figures are kept the same way.
    let researcher = client.sign_in("onderzoek").await;
    researcher
        .get("/dashboard")
        .await
        .assert_lacks("id=\"counted-at\"");
    researcher
        .get("/dashboard")
        .await
        .assert_contains("Gepubliceerde cijfers.")
        .assert_contains("Deze cijfers zijn geteld om ");
}

dakwacht_testkit::on_both_stores!(database: the_dashboard_shows_the_published_figures_for_what_the_user_may_see, a_researcher_cannot_single_out_a_family_with_a_small_selection, the_publication_bundle_is_a_download_for_researchers_and_coordinators, kept_figures_say_when_they_were_counted);
