//! Pages in Dutch by default and in English when chosen.

use super::prelude::*;

async fn pages_are_dutch_by_default_and_english_when_chosen<S: TestStore>(database: &Database<S>) {
    let client = Client::new(database).await;
    let pro = client.signed_in(PRO).await;

    // Dutch first, with a link to English that is marked as English and comes back here.
    pro.get("/cases?q=QS").await.assert_contains_all(&[
        "<html lang=\"nl\">",
        "Casussen van Straatalliantie",
        "lang=\"en\" hreflang=\"en\">English</a>",
        "/language?to=en&#38;back=%2Fcases%3Fq%3DQS",
    ]);
    // A page of a nested group of routes comes back to its whole address.
    pro.get("/cases/Straatalliantie/QS-01/edit")
        .await
        .assert_contains("back=%2Fcases%2FStraatalliantie%2FQS-01%2Fedit");

    // The switch remembers the choice and returns to the page; never to another site.
    let switched = client.get("/language?to=en&back=%2Fcases%3Fq%3DQS").await;
    switched.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(switched.location.as_deref(), Some("/cases?q=QS"));
    let outside = client
        .get("/language?to=en&back=%2F%2Fevil.example%2F")
        .await;
    assert_eq!(outside.location.as_deref(), Some("/"));

    // In English: the page, the code labels, the signal titles and the switch back to Dutch.
    let english = pro.in_english();
    let cases = english.get("/cases").await;
    cases.assert_contains_all(&[
        "<html lang=\"en\">",
        "Cases of Straatalliantie",
        "lang=\"nl\" hreflang=\"nl\">Nederlands</a>",
    ]);
    cases.assert_lacks("Casussen van");
    let case = english.get("/cases/Straatalliantie/QS-01").await;
    case.assert_status(StatusCode::OK);
    case.assert_contains("How the home was lost");
    case.assert_contains("What you can do");

    // Form errors in English, including what the importer expected.
    let blank = english.get("/cases/new").await;
    let mut fields = Form::of(&blank.body);
    fields.set("case_ref", "EN-1");
    fields.set("children_count", "two");
    let refused = english.submit("/cases/new", &fields).await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains_all(&[
        "The form has 1 error.",
        "‘two’ is not right: a whole number from 1 to 20.",
    ]);
    // The same in Dutch.
    let refused = pro.submit("/cases/new", &fields).await;
    refused.assert_contains("‘two’ klopt niet: een heel getal van 1 tot en met 20.");

    // Import problems in the reader's language, also the rule that rows are of the own
    // organisation.
    let bad = "case_ref,organisation,reported_on,children_count\n\
               EN-2,Straatalliantie,2025-13-40,1\n\
               EN-3,Stichting Kernkracht,2025-05-01,1\n";
    let dutch = pro.upload("fout.csv", bad.as_bytes()).await;
    dutch.assert_contains("<td>een datum als JJJJ-MM-DD</td>");
    dutch.assert_contains("uw eigen organisatie, ‘Straatalliantie’");
    let english = english.upload("fout.csv", bad.as_bytes()).await;
    english.assert_contains_all(&[
        "Nothing was saved: 2 errors in fout.csv",
        "<td>a date as YYYY-MM-DD</td>",
        "your own organisation, &#39;Straatalliantie&#39;",
    ]);

    // Error pages too.
    let missing = pro.in_english().get("/cases/Straatalliantie/NOPE").await;
    missing.assert_status(StatusCode::NOT_FOUND);
    missing.assert_contains("This page does not exist");
    let missing = pro.get("/cases/Straatalliantie/NOPE").await;
    missing.assert_contains("Deze pagina bestaat niet");
}

dakwacht_testkit::on_both_stores!(database: pages_are_dutch_by_default_and_english_when_chosen);
