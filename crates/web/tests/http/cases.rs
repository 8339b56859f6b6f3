//! Cases in the browser: made, edited, refused when stale or busy, listed, filtered, followed up, and their timelines.

use std::time::Duration;

use super::prelude::*;
use tokio::sync::mpsc;

/// A professional of another organisation than [`PRO`]'s.
const ANDER: Account = Account::new("ander", Role::Professional, Some("Stichting Kernkracht"));
/// A coordinator of [`PRO`]'s organisation.
const COLLEGA: Account = Account::new("collega", Role::Coordinator, Some("Straatalliantie"));

/// Starts an import on another handle of the client's database (as the command line would)
/// and keeps it open: SQLite's one write lock is held until the sender is dropped.
async fn hold_the_database(
    database: &Database<SqliteStore>,
) -> (
    mpsc::Sender<ImportMessage>,
    tokio::task::JoinHandle<Result<dakwacht_store::ImportSummary, dakwacht_store::StoreError>>,
) {
    let importer = database.open().await;
    let (tx, rx) = mpsc::channel(1);
    let import = tokio::spawn(async move {
        importer
            .import(&Actor::cli("import"), "groot.csv", rx)
            .await
    });
    // The second send returns once the store took the first batch: its transaction is open.
    tx.send(ImportMessage::Cases(Vec::new())).await.unwrap();
    tx.send(ImportMessage::Cases(Vec::new())).await.unwrap();
    (tx, import)
}

/// SQLite has one writer at a time. A save that arrives while an import holds the database
/// waits; when the import takes longer than the store may wait, the worker gets the form back
/// with everything typed and "try again", not an internal error, and nothing is stored half.
///
/// SQLite only: what it holds is the one write lock of a SQLite file. (PostgreSQL locks rows; its
/// writers side by side are tested in the store's `concurrency` tests.)
#[tokio::test]
async fn a_save_while_an_import_holds_the_database_keeps_the_input_and_says_try_again() {
    let database = SqliteStore::fresh().await.unwrap();
    let client = Client::on(database.open_waiting(Duration::from_millis(300)).await).await;
    let pro = client.signed_in(PRO).await;
    let mut fields = Form::of(&pro.get("/cases/new").await.body);
    fields.set("case_ref", "WEB-BUSY");
    fields.set("children_count", "2");
    fields.set("notes", "Gesprek met moeder op dinsdag");

    // An import (of another handle, as the command line would be) takes the database and
    // holds it: its first batch is in, its end has not come yet.
    let (tx, import) = hold_the_database(&database).await;

    let refused = pro.submit("/cases/new", &fields).await;
    refused.assert_status(StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(refused.retry_after.as_deref(), Some("10"));
    refused.assert_contains("de database is even bezet");
    assert!(
        refused.body.contains("Gesprek met moeder op dinsdag"),
        "the typed input is kept"
    );

    // The import ends (here: it is stopped); the same form is then saved.
    drop(tx);
    assert!(matches!(
        import.await.unwrap(),
        Err(dakwacht_store::StoreError::ImportAborted)
    ));
    let saved = pro.submit("/cases/new", &Form::of(&refused.body)).await;
    saved.assert_status(StatusCode::SEE_OTHER);
    let stored = client.case("Straatalliantie", "WEB-BUSY").await;
    assert_eq!(
        stored.notes.as_ref().map(|n| n.as_str()),
        Some("Gesprek met moeder op dinsdag")
    );

    // The same for a change to a case that exists: opened first, saved while an import runs.
    let path = "/cases/Straatalliantie/WEB-BUSY/edit";
    let mut edit = Form::of(&pro.get(path).await.body);
    edit.set("notes", "Verhuisd naar de opvang");
    let (tx, import) = hold_the_database(&database).await;
    let refused = pro.submit(path, &edit).await;
    refused.assert_status(StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(refused.retry_after.as_deref(), Some("10"));
    refused.assert_contains("de database is even bezet");
    refused.assert_contains("Verhuisd naar de opvang");
    drop(tx);
    assert!(import.await.unwrap().is_err());
    let saved = pro.submit(path, &Form::of(&refused.body)).await;
    saved.assert_status(StatusCode::SEE_OTHER);
    let stored = client.case("Straatalliantie", "WEB-BUSY").await;
    assert_eq!(
        stored.notes.as_ref().map(|n| n.as_str()),
        Some("Verhuisd naar de opvang")
    );
}

async fn cases_are_created_and_edited_and_a_stale_save_is_refused<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::with_accounts(database, &[PRO, COLLEGA, ANDER]).await;
    let pro = client.sign_in("pro").await;

    let blank = pro.get("/cases/new").await;
    blank.assert_status(StatusCode::OK);
    blank.assert_contains("<legend>Hoe de woning verloren ging</legend>");
    let mut fields = Form::of(&blank.body);
    fields.set("case_ref", "WEB-1");
    fields.set("children_count", "twee");
    fields.set("route", "removed_without_court");

    // A mistake is shown at its field, in Dutch, and nothing is stored.
    let wrong = pro.submit("/cases/new", &fields).await;
    wrong.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    wrong.assert_contains("id=\"children_count-error\"");
    wrong.assert_contains("‘twee’ klopt niet");
    assert!(!client.has_case("Straatalliantie", "WEB-1").await);

    // Without the form token nothing happens either.
    let mut forged = fields.clone();
    forged.set("csrf", "forged");
    forged.set("children_count", "2");
    assert_eq!(
        pro.submit("/cases/new", &forged).await.status,
        StatusCode::FORBIDDEN
    );

    fields.set("children_count", "2");
    fields.set("children_ages", "3;7");
    let made = pro.submit("/cases/new", &fields).await;
    made.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        made.location.as_deref(),
        Some("/cases/Straatalliantie/WEB-1")
    );
    let page = pro.get("/cases/Straatalliantie/WEB-1").await;
    assert!(
        page.body.contains("Uit huis gezet zonder rechter"),
        "its signals are shown"
    );
    assert_eq!(
        pro.submit("/cases/new", &fields).await.status,
        StatusCode::CONFLICT,
        "the reference is taken"
    );

    // Two people open the same case; the second save is refused, nothing is overwritten.
    let collega = client.sign_in("collega").await;
    let mine = Form::of(&pro.get("/cases/Straatalliantie/WEB-1/edit").await.body);
    let theirs = Form::of(&collega.get("/cases/Straatalliantie/WEB-1/edit").await.body);
    let mut first = theirs.clone();
    first.set("children_count", "3");
    first.set("children_ages", "3;7;12");
    let saved = collega
        .submit("/cases/Straatalliantie/WEB-1/edit", &first)
        .await;
    saved.assert_status(StatusCode::SEE_OTHER);
    let mut second = mine.clone();
    second.set("school_disrupted", "yes");
    let refused = pro
        .submit("/cases/Straatalliantie/WEB-1/edit", &second)
        .await;
    refused.assert_status(StatusCode::CONFLICT);
    // Who and when, in the reader's language: no English sentence of the store in the page.
    let said = refused.body.replace(['\u{2068}', '\u{2069}'], "");
    assert!(
        said.contains("collega heeft deze casus gewijzigd op "),
        "{said}"
    );
    assert!(!said.contains("after you opened it"), "{said}");
    let stored = client.case("Straatalliantie", "WEB-1").await;
    assert_eq!(stored.children.count, 3);
    assert_eq!(stored.school_disrupted, None);

    // Another organisation cannot open or save it; a researcher cannot make cases.
    let ander = client.sign_in("ander").await;
    assert_eq!(
        ander.get("/cases/Straatalliantie/WEB-1/edit").await.status,
        StatusCode::NOT_FOUND
    );
    let mut hijack = Form::of(&ander.get("/cases/new").await.body);
    hijack.set("version", "2");
    assert_eq!(
        ander
            .submit("/cases/Straatalliantie/WEB-1/edit", &hijack)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let researcher = client.signed_in(ONDERZOEK).await;
    assert_eq!(
        researcher.get("/cases/new").await.status,
        StatusCode::FORBIDDEN
    );
}

/// The follow-up list shows 500 families at most; at that number it says there may be more.
async fn a_follow_up_list_at_its_limit_says_so<S: TestStore>(database: &Database<S>) {
    let client = Client::new(database).await;
    let pro = client.signed_in(PRO).await;
    pro.get("/follow-up")
        .await
        .assert_lacks("er kunnen er meer zijn");
    let mut text = String::from("case_ref,organisation,reported_on,children_count\n");
    for n in 0..dakwacht_app::FOLLOW_UP_LIMIT {
        text.push_str(&format!("OUD-{n:03},Straatalliantie,2024-01-01,1\n"));
    }
    dakwacht_testkit::import_csv(client.store(), text.as_bytes()).await;
    pro.get("/follow-up")
        .await
        .assert_contains("De lijst toont de eerste 500 gezinnen; er kunnen er meer zijn.");
}

async fn follow_up_lists_families_out_of_view_or_without_recent_news<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::new(database).await;
    let store = client.store();
    store
        .add_organisation(&Actor::cli("test"), "Buurtteam")
        .await
        .unwrap();
    client
        .add_user("buurt", Role::Professional, Some("Buurtteam"))
        .await;
    let today = jiff::Zoned::now().date();
    let weeks_ago = |n: i64| {
        today
            .checked_sub(jiff::Span::new().weeks(n))
            .unwrap()
            .to_string()
    };
    let rows = [
        ("RECENT", today.to_string(), "car", "", ""),
        ("STIL", weeks_ago(20), "car", "", ""),
        ("UIT-BEELD", today.to_string(), "", "", ""),
        ("THUIS", weeks_ago(20), "", "", &weeks_ago(30)),
        ("GEZIEN", weeks_ago(1), "", &weeks_ago(25), ""),
    ];
    for (case_ref, reported, current, seen, rehoused) in rows {
        let seen_situation = if seen.is_empty() { "" } else { "car" };
        let text = format!(
            "case_ref,organisation,reported_on,children_count,current_situation,last_seen_on,last_seen_situation,rehoused_on\n\
             {case_ref},Buurtteam,{reported},1,{current},{seen},{seen_situation},{rehoused}\n"
        );
        let case = dakwacht_interchange::CaseReader::csv(text.as_bytes())
            .unwrap()
            .unwrap()
            .next()
            .unwrap()
            .1
            .unwrap_or_else(|e| panic!("{case_ref}: {e:?}"));
        store
            .save_case(&Actor::cli("test"), &case, None)
            .await
            .unwrap();
    }
    let buurt = client.sign_in("buurt").await;
    let page = buurt.get("/follow-up").await;
    page.assert_status(StatusCode::OK);
    let listed: Vec<&str> = ["RECENT", "STIL", "UIT-BEELD", "THUIS", "GEZIEN"]
        .into_iter()
        .filter(|r| page.body.contains(&format!(">{r}</a>")))
        .collect();
    assert_eq!(listed, ["STIL", "UIT-BEELD", "GEZIEN"], "{}", page.body);
    let at = |r: &str| page.body.find(&format!(">{r}<")).unwrap();
    assert!(
        at("GEZIEN") < at("STIL") && at("STIL") < at("UIT-BEELD"),
        "longest silence first"
    );
    assert!(!page.body.contains("QS-"), "only the own organisation");

    let longer = buurt.get("/follow-up?weeks=30").await;
    assert!(!longer.body.contains(">STIL<"), "20 weeks is within 30");
    assert!(
        longer.body.contains(">UIT-BEELD<") && longer.body.contains(">GEZIEN<"),
        "out of view: always"
    );

    let researcher = client.signed_in(ONDERZOEK).await;
    assert_eq!(
        researcher.get("/follow-up").await.status,
        StatusCode::FORBIDDEN
    );
}

async fn the_timeline_grows_with_recorded_observations<S: TestStore>(database: &Database<S>) {
    let client = Client::with_accounts(database, &[PRO, ANDER]).await;
    let pro = client.sign_in("pro").await;
    let case = "/cases/Straatalliantie/QS-01";
    let page = pro.get(case).await.body;
    assert!(page.contains("Verblijfplaatsen in de tijd"));
    assert!(
        page.contains("direct na verlies van de woning"),
        "the interchange columns are on the timeline"
    );
    assert_eq!(
        csrf_of(&page),
        pro.csrf,
        "the page's form carries the session's token"
    );

    let wrong = pro.record_stay(case, "2999-01-01", "car").await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not in the future"
    );
    let added = pro.record_stay(case, "2025-06", "family_shelter").await;
    added.assert_status(StatusCode::SEE_OTHER);
    let page = pro.get(case).await.body;
    assert!(
        page.contains(
            "<td>juni 2025</td><td>(gezins)opvang, noodopvang</td><td>vastgelegd in dakwacht</td>"
        ),
        "{page}"
    );
    let stored = client.observations("Straatalliantie", "QS-01").await;
    assert_eq!(stored.len(), 1);
    assert_eq!(
        stored[0].situation,
        dakwacht_core::LivingSituation::FamilyShelter
    );

    let ander = client.sign_in("ander").await;
    let hidden = ander.record_stay(case, "2025-06", "car").await;
    hidden.assert_status(StatusCode::NOT_FOUND);
    assert_eq!(
        client.observations("Straatalliantie", "QS-01").await.len(),
        1
    );
}

/// Issue 15: news of where a family stays is part of its situation: the latest stay is the
/// situation now and the last contact (signals and the follow-up list follow), a stay in an
/// adequate home is the rehousing, contact without a move is recorded, and a mistake comes back
/// at its field on the case page.
async fn news_of_a_stay_changes_the_case_its_signals_and_the_follow_up<S: TestStore>(
    database: &Database<S>,
) {
    use dakwacht_core::LivingSituation;
    let client = Client::new(database).await;
    let pro = client.signed_in(PRO).await;
    let path = "/cases/Straatalliantie/QS-11";
    pro.get(path)
        .await
        .assert_contains("id=\"signal-out_of_view\"");
    pro.get("/follow-up").await.assert_contains("QS-11");

    // News, typed the Dutch way: the family sleeps in a car.
    let added = pro.record_stay(path, "3-4-2026", "car").await;
    added.assert_status(StatusCode::SEE_OTHER);
    let case = client.case("Straatalliantie", "QS-11").await;
    assert_eq!(case.current_situation, Some(LivingSituation::Car));
    assert_eq!(case.reported_on.to_string(), "2026-04-03");
    let last = case.last_seen.map(|seen| seen.on.to_string());
    assert_eq!(last.as_deref(), Some("2026-04-03"));
    let page = pro.get(path).await;
    page.assert_lacks("id=\"signal-out_of_view\"");
    page.assert_contains_all(&[
        "id=\"signal-long_homelessness\"",
        "<td>3 april 2026</td><td>auto</td><td>vastgelegd in dakwacht</td>",
        // The story starts at the lost home.
        "<tr><td>28 september 2023</td><td>woning verloren</td>",
    ]);
    let history = client.history("Straatalliantie", "QS-11").await;
    let fields = history
        .last()
        .map(|change| change.fields.clone())
        .unwrap_or_default();
    assert!(
        fields.contains(&dakwacht_core::Field::CurrentSituation),
        "{fields:?}"
    );

    // An adequate home is the rehousing: the family leaves the follow-up list.
    let housed = pro.record_stay(path, "2026-05-01", "housed").await;
    housed.assert_status(StatusCode::SEE_OTHER);
    let case = client.case("Straatalliantie", "QS-11").await;
    assert_eq!(
        case.rehoused_on.map(|d| d.to_string()).as_deref(),
        Some("2026-05-01")
    );
    pro.get("/follow-up").await.assert_lacks("QS-11");

    // Contact without a move: the same stay, known again on that day.
    let contact = pro
        .post(
            "/cases/Straatalliantie/QS-01/contact",
            "contact_on=02-05-2026",
        )
        .await;
    contact.assert_status(StatusCode::SEE_OTHER);
    let case = client.case("Straatalliantie", "QS-01").await;
    assert_eq!(case.reported_on.to_string(), "2026-05-02");
    assert_eq!(case.current_situation, Some(LivingSituation::SocialNetwork));

    // Mistakes come back at their field, on the case page, with what was typed.
    let wrong = pro.record_stay(path, "31-02-2026", "car").await;
    wrong.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    wrong.assert_contains_all(&[
        "<h1>Casus QS-11</h1>",
        "id=\"observed_on-error\"",
        "‘31-02-2026’ is geen datum",
        "value=\"31-02-2026\"",
        "aria-invalid=\"true\"",
    ]);
    let before = pro.record_stay(path, "1-1-2020", "car").await;
    before.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    before.assert_contains("voor het verlies van de woning");
    let future = pro.record_stay(path, "1-1-2999", "car").await;
    future.assert_contains("in de toekomst");
    let unchosen = pro.record_stay(path, "1-6-2026", "").await;
    unchosen.assert_contains("Kies waar het gezin verbleef.");
    assert_eq!(
        client.observations("Straatalliantie", "QS-11").await.len(),
        2,
        "nothing wrong was recorded"
    );
}

/// Issue 15: the whole case on one page: every recorded field in Dutch words, dates written out,
/// the most urgent signal first, and the change history (who changed what, when).
async fn the_whole_case_is_on_one_page<S: TestStore>(database: &Database<S>) {
    let client = Client::new(database).await;
    let pro = client.signed_in(PRO).await;
    let path = "/cases/Straatalliantie/QS-01";
    let mut edit = Form::of(&pro.get(&format!("{path}/edit")).await.body);
    edit.set("notes", "Moeder gebeld; zoekt zelf verder");
    pro.submit(&format!("{path}/edit"), &edit)
        .await
        .assert_status(StatusCode::SEE_OTHER);

    let page = pro.get(path).await;
    page.assert_status(StatusCode::OK);
    page.assert_contains_all(&[
        "<dt>Gemeld op</dt><dd>21 april 2025</dd>",
        "<dt>Soort verhuur</dt><dd>woningcorporatie</dd>",
        "<dt>Juridische hulp</dt><dd>geen juridische hulp</dd>",
        "<dt>Aantekeningen</dt><dd>Moeder gebeld; zoekt zelf verder</dd>",
        "2 (4 en 9 jaar)",
        "<td>pro</td><td>Aantekeningen</td>",
        "casus aangemaakt",
    ]);
    page.assert_lacks("<dd>corporation</dd>");
    // The most urgent signals first.
    let severities: Vec<&str> = page
        .body
        .match_indices("<section class=\"signal ")
        .filter_map(|(at, found)| page.body[at + found.len()..].split('"').next())
        .collect();
    assert!(severities.len() > 1, "{severities:?}");
    let rank = |s: &str| ["high", "medium", "low"].iter().position(|r| *r == s);
    let ranks: Vec<_> = severities.iter().map(|s| rank(s)).collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{severities:?}");
}

/// Issue 15: follow-up that acts: a case is assigned to a professional ("mijn gezinnen"), the
/// list says why each family is on it, a coming eviction puts a family on it before it happens,
/// and a wrong number of weeks gives the form back with a message.
async fn the_follow_up_list_says_why_and_shows_my_families_and_coming_evictions<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::with_accounts(database, &[PRO, COLLEGA, ANDER]).await;
    let pro = client.sign_in("pro").await;
    let today = jiff::Zoned::now().date();
    let dutch =
        |date: jiff::civil::Date| format!("{}-{}-{}", date.day(), date.month(), date.year());

    let list = pro.get("/follow-up").await;
    list.assert_status(StatusCode::OK);
    list.assert_contains_all(&["Uit beeld sinds 29 maart 2025", "weken geen nieuws"]);

    // Mine: assigned to me, and only those.
    let assigned = pro
        .post("/cases/Straatalliantie/QS-16/assign", "assignee=pro")
        .await;
    assigned.assert_status(StatusCode::SEE_OTHER);
    pro.get("/cases/Straatalliantie/QS-16")
        .await
        .assert_contains("Dit gezin wordt gevolgd door pro.");
    let mine = pro.get("/follow-up?weeks=8&mine=1").await;
    mine.assert_contains("QS-16");
    mine.assert_lacks("QS-11");
    let other = client.sign_in("ander").await;
    let refused = pro
        .post("/cases/Straatalliantie/QS-16/assign", "assignee=ander")
        .await;
    refused.assert_status(StatusCode::FORBIDDEN);
    drop(other);

    // A family with fresh news leaves the list; a coming eviction puts it back before it happens.
    let qs21 = "/cases/Straatalliantie/QS-21";
    pro.record_stay(qs21, &dutch(today), "social_network")
        .await
        .assert_status(StatusCode::SEE_OTHER);
    pro.get("/follow-up").await.assert_lacks(">QS-21<");
    let coming = today.checked_add(jiff::Span::new().days(20)).unwrap();
    // The eviction date of the case page's form, as typed.
    let eviction_on = async |on: &str| {
        let form = format!("eviction_on={on}");
        pro.post(&format!("{qs21}/eviction"), &form).await
    };
    eviction_on(&dutch(coming))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let written = dakwacht_core::written::long_date(coming, dakwacht_core::Lang::Nl);
    let list = pro.get("/follow-up").await;
    list.assert_contains(">QS-21<");
    list.assert_contains(&format!("Ontruiming op {written}"));
    let past = eviction_on("1-1-2020").await;
    past.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    past.assert_contains_all(&[
        "id=\"eviction_on-error\"",
        "al voorbij",
        "<h1>Casus QS-21</h1>",
    ]);

    // A wrong number of weeks: the form again, with a message, never a bare 400.
    let empty = pro.get("/follow-up?weeks=").await;
    empty.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    empty.assert_contains_all(&["id=\"weeks-error\"", "Vul een aantal weken in"]);
    let wrong = pro.get("/follow-up?weeks=veel").await;
    wrong.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    wrong.assert_contains_all(&["heel getal van 1 tot en met 104", "value=\"veel\""]);
}

/// Every case reference a list shows, following its "next" links to the end.
async fn every_listed_case<S: Store>(session: &Session<'_, S>, first: &str) -> Vec<String> {
    let mut refs = Vec::new();
    let mut path = Some(first.to_string());
    while let Some(current) = path {
        assert!(refs.len() < 10_000, "the list does not end: {current}");
        let page = session.get(&current).await;
        assert_eq!(page.status, StatusCode::OK, "{current}");
        for piece in page.body.split("<th scope=\"row\"><a href=\"").skip(1) {
            let text = piece.split('>').nth(1).unwrap();
            refs.push(text.trim_end_matches("</a").to_string());
        }
        path = page
            .body
            .split("<p><a href=\"")
            .filter_map(|p| p.split_once("\">"))
            .find(|(_, text)| {
                text.starts_with("Volgende pagina") || text.starts_with("Verder zoeken")
            })
            .map(|(href, _)| href.replace("&amp;", "&").replace("&#38;", "&"));
    }
    refs
}

async fn the_case_list_filters_and_pages_through_the_selection<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::new(database).await;
    // 200 more cases: every third one evicted by the court with nothing offered, the others
    // rehoused.
    let mut csv = String::from(
        "case_ref,organisation,reported_on,children_count,route,home_lost_on,alternative_offered,current_situation,rehoused_on\n",
    );
    for i in 0..200 {
        if i % 3 == 0 {
            csv.push_str(&format!(
                "P-{i:03},Straatalliantie,2025-05-01,1,court_eviction,2025-01-10,none,car,\n"
            ));
        } else {
            csv.push_str(&format!(
                "P-{i:03},Straatalliantie,2025-05-01,1,left_other,2025-01-10,adequate_housing,housed,2025-02-01\n"
            ));
        }
    }
    dakwacht_testkit::import_csv(client.store(), csv.as_bytes()).await;
    let pro = client.signed_in(PRO).await;

    let own = {
        let filter = dakwacht_core::CaseFilter {
            organisation: Some("Straatalliantie".into()),
            ..Default::default()
        };
        client
            .store()
            .cases_after(&filter, None, 100_000)
            .await
            .unwrap()
    };
    let expect = |keep: &dyn Fn(&dakwacht_core::Case) -> bool| -> Vec<String> {
        own.iter()
            .filter(|c| keep(c))
            .map(|c| c.case_ref.as_str().to_string())
            .collect()
    };

    let all = every_listed_case(&pro, "/cases").await;
    assert_eq!(
        all,
        expect(&|_| true),
        "every case once, in order, over pages"
    );
    assert!(all.len() > 200);

    let court = every_listed_case(&pro, "/cases?route=court_eviction").await;
    assert_eq!(
        court,
        expect(&|c| c.route == Some(dakwacht_core::Route::CourtEviction))
    );
    assert!(court.len() > 50, "more than one page");

    let searched = every_listed_case(&pro, "/cases?q=p-01").await;
    assert_eq!(
        searched,
        expect(&|c| c.case_ref.as_str().starts_with("P-01"))
    );

    let out_of_view = every_listed_case(&pro, "/cases?out_of_view=1").await;
    assert_eq!(out_of_view, expect(&|c| c.is_out_of_view()));

    // The signal filter, over several pages, agrees with evaluating every case.
    let evaluator = client.state.rules.evaluator();
    let raises = |c: &dakwacht_core::Case, id: &str| {
        evaluator.case(c).signals.iter().any(|s| s.rule.id == id)
    };
    let signal = every_listed_case(&pro, "/cases?signal=no_adequate_rehousing").await;
    assert_eq!(signal, expect(&|c| raises(c, "no_adequate_rehousing")));
    assert!(signal.len() > 50, "more than one page");

    // Filters combine.
    let both = every_listed_case(
        &pro,
        "/cases?signal=no_adequate_rehousing&route=court_eviction&q=P-",
    )
    .await;
    assert_eq!(
        both,
        expect(&|c| raises(c, "no_adequate_rehousing")
            && c.route == Some(dakwacht_core::Route::CourtEviction)
            && c.case_ref.as_str().starts_with("P-"))
    );
    assert!(!both.is_empty());
}

dakwacht_testkit::on_both_stores!(database: a_follow_up_list_at_its_limit_says_so, the_follow_up_list_says_why_and_shows_my_families_and_coming_evictions, the_whole_case_is_on_one_page, news_of_a_stay_changes_the_case_its_signals_and_the_follow_up, cases_are_created_and_edited_and_a_stale_save_is_refused, follow_up_lists_families_out_of_view_or_without_recent_news, the_timeline_grows_with_recorded_observations, the_case_list_filters_and_pages_through_the_selection);
