#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! The web application over HTTP, against a real SQLite file: first-run setup, signing in and out,
//! and who may see which case.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use dakwacht_core::access::Role;
use dakwacht_rules::RuleSet;
use dakwacht_store::{Actor, AuditAction, AuditFilter, ImportMessage, NewUser, SqliteStore, Store};
use dakwacht_web::{AppState, app};
use http_body_util::BodyExt;
use tokio::sync::mpsc;
use tower::ServiceExt;

const PASSWORD: &str = "een lange zin als wachtwoord";

struct Response {
    status: StatusCode,
    location: Option<String>,
    cookie: Option<String>,
    retry_after: Option<String>,
    body: String,
}

/// Imports interchange CSV text that must be valid, all of it.
async fn import_csv(store: &SqliteStore, text: &[u8]) {
    let cases: Vec<_> = dakwacht_interchange::CaseReader::csv(text)
        .unwrap()
        .unwrap()
        .map(|(_, row)| row.unwrap())
        .collect();
    let (tx, rx) = mpsc::channel(2);
    tx.send(ImportMessage::Cases(cases)).await.unwrap();
    tx.send(ImportMessage::Commit).await.unwrap();
    drop(tx);
    store
        .import(&Actor::cli("test"), "test.csv", rx)
        .await
        .unwrap();
}

struct Client {
    state: Arc<AppState<SqliteStore>>,
    _dir: tempfile::TempDir,
}

impl Client {
    async fn new() -> Client {
        Client::waiting(std::time::Duration::from_secs(30)).await
    }

    /// A client whose store gives up waiting for another writer after `write_wait`.
    async fn waiting(write_wait: std::time::Duration) -> Client {
        let dir = tempfile::tempdir().unwrap();
        let store =
            SqliteStore::open_waiting(dir.path().join("web.db").to_str().unwrap(), write_wait)
                .await
                .unwrap();
        let text = std::fs::read("../../../shared/data/quickscan-2025.csv").unwrap();
        import_csv(&store, &text).await;
        let state = AppState::new(store, RuleSet::built_in().unwrap())
            .await
            .unwrap();
        Client { state, _dir: dir }
    }

    async fn send(&self, request: Request<Body>) -> Response {
        let response = app(self.state.clone()).oneshot(request).await.unwrap();
        let status = response.status();
        let location = response
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string());
        let cookie = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|c| c.starts_with("dakwacht_session="));
        let retry_after = response
            .headers()
            .get(header::RETRY_AFTER)
            .map(|v| v.to_str().unwrap().to_string());
        let body = response.into_body().collect().await.unwrap().to_bytes();
        Response {
            status,
            location,
            cookie,
            retry_after,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }

    async fn get(&self, path: &str, session: Option<&str>) -> Response {
        let mut request = Request::get(path);
        if let Some(token) = session {
            request = request.header(header::COOKIE, format!("dakwacht_session={token}"));
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    async fn post(&self, path: &str, form: &str, session: Option<&str>) -> Response {
        let mut request =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(token) = session {
            request = request.header(header::COOKIE, format!("dakwacht_session={token}"));
        }
        self.send(request.body(Body::from(form.to_string())).unwrap())
            .await
    }

    /// Sends a file as the import form does (multipart), with the session's form token.
    async fn upload(&self, session: &str, file_name: &str, bytes: &[u8]) -> Response {
        let csrf = csrf_of(&self.get("/import", Some(session)).await.body);
        let boundary = "dakwacht-test-boundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let request = Request::post("/import")
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header(header::COOKIE, format!("dakwacht_session={session}"))
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// Signs in and returns the session token.
    async fn sign_in(&self, username: &str, password: &str) -> String {
        let response = self
            .post(
                "/login",
                &format!(
                    "username={username}&password={}",
                    password.replace(' ', "+")
                ),
                None,
            )
            .await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
        let cookie = response.cookie.unwrap();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
            "{cookie}"
        );
        cookie
            .trim_start_matches("dakwacht_session=")
            .split(';')
            .next()
            .unwrap()
            .to_string()
    }

    async fn add_user(&self, username: &str, role: Role, organisation: Option<&str>) {
        self.state
            .store
            .add_user(
                &Actor::cli("test"),
                &NewUser {
                    username: username.into(),
                    role,
                    organisation: organisation.map(str::to_string),
                    password_hash: dakwacht_core::password::hash(PASSWORD).unwrap(),
                },
            )
            .await
            .unwrap();
    }
}

fn csrf_of(page: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = page.find(marker).unwrap() + marker.len();
    page[start..].split('"').next().unwrap().to_string()
}

#[tokio::test]
async fn first_run_setup_makes_one_administrator_once() {
    let client = Client::new().await;
    let path = client.state.setup_path().unwrap();
    assert!(
        client
            .get("/", None)
            .await
            .body
            .contains("nog niet ingesteld")
    );
    assert_eq!(
        client.get("/setup/wrong", None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(client.get(&path, None).await.status, StatusCode::OK);

    let mismatch = client
        .post(&path, "username=beheer&password=een+lange+zin+als+wachtwoord&password_again=iets+anders+dan+dat", None)
        .await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(mismatch.body.contains("niet gelijk"));
    let short = client
        .post(
            &path,
            "username=beheer&password=kort&password_again=kort",
            None,
        )
        .await;
    assert!(short.body.contains("minstens 12 tekens"));

    let made = client
        .post(&path, "username=Beheer&password=een+lange+zin+als+wachtwoord&password_again=een+lange+zin+als+wachtwoord", None)
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER);
    assert_eq!(made.location.as_deref(), Some("/login"));
    assert!(client.state.setup_path().is_none());
    assert_eq!(
        client.get(&path, None).await.status,
        StatusCode::NOT_FOUND,
        "the link works once"
    );

    let users = client.state.store.users(None).await.unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(
        (users[0].username.as_str(), users[0].role),
        ("beheer", Role::Admin)
    );

    // The administrator manages accounts, not cases.
    let admin = client.sign_in("beheer", PASSWORD).await;
    assert_eq!(
        client.get("/cases", Some(&admin)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        client
            .get("/cases/Straatalliantie/QS-01", Some(&admin))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_professional_sees_the_own_organisation_and_nothing_else() {
    let client = Client::new().await;
    client
        .state
        .store
        .add_user(
            &Actor::cli("test"),
            &NewUser {
                username: "beheer".into(),
                role: Role::Admin,
                organisation: None,
                password_hash: dakwacht_core::password::hash(PASSWORD).unwrap(),
            },
        )
        .await
        .unwrap();
    client
        .add_user("pro", Role::Professional, Some("Straatalliantie"))
        .await;
    client.add_user("onderzoek", Role::Researcher, None).await;

    // Not signed in: to the sign-in page.
    let anonymous = client.get("/cases", None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(anonymous.location.as_deref(), Some("/login"));

    let pro = client.sign_in("pro", PASSWORD).await;
    let list = client.get("/cases", Some(&pro)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Casussen van Straatalliantie"));
    assert!(list.body.contains("/cases/Straatalliantie/QS-01"));
    assert!(
        !list.body.contains("Kernkracht"),
        "no other organisation's cases"
    );

    let case = client.get("/cases/Straatalliantie/QS-01", Some(&pro)).await;
    assert_eq!(case.status, StatusCode::OK);
    assert!(case.body.contains("Geen passende woonruimte aangeboden"));
    assert!(
        case.body
            .contains("IVRK (VN-Kinderrechtenverdrag) art. 27 lid 1 en 3")
    );
    assert!(case.body.contains("Wat u kunt doen"));

    // Another organisation's case is "not found", whether it exists or not.
    let other = client
        .get("/cases/Stichting%20Kernkracht/QS-02", Some(&pro))
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let missing = client.get("/cases/Straatalliantie/QS-99", Some(&pro)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    // A researcher gets statistics, not cases.
    let researcher = client.sign_in("onderzoek", PASSWORD).await;
    assert_eq!(
        client.get("/cases", Some(&researcher)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        client
            .get("/cases/Straatalliantie/QS-01", Some(&researcher))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // Every view was recorded, by the user who made it.
    let views = client
        .state
        .store
        .audit_log(&AuditFilter {
            actor: Some("user:pro".into()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    let actions: Vec<AuditAction> = views.iter().map(|r| r.entry.action).collect();
    assert_eq!(actions, [AuditAction::ViewCase, AuditAction::ListCases]);
    assert_eq!(views[0].entry.case_ref.as_deref(), Some("QS-01"));

    // Signing out needs the form's token, and ends the session.
    let page = client.get("/cases", Some(&pro)).await.body;
    let csrf = csrf_of(&page);
    assert_eq!(
        client
            .post("/logout", "csrf=forged", Some(&pro))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let out = client
        .post("/logout", &format!("csrf={csrf}"), Some(&pro))
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(
        client.get("/cases", Some(&pro)).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn wrong_passwords_are_refused_and_then_rate_limited() {
    let client = Client::new().await;
    client
        .add_user("pro", Role::Professional, Some("Straatalliantie"))
        .await;
    let unknown = client
        .post("/login", "username=niemand&password=whatever12345", None)
        .await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert!(unknown.body.contains("klopt niet"));
    for _ in 0..5 {
        let wrong = client
            .post("/login", "username=pro&password=verkeerd+wachtwoord", None)
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(wrong.cookie.is_none());
    }
    let blocked = client
        .post(
            "/login",
            "username=pro&password=een+lange+zin+als+wachtwoord",
            None,
        )
        .await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(blocked.cookie.is_none());

    // A disabled account cannot sign in at all.
    client
        .add_user("oud", Role::Professional, Some("Straatalliantie"))
        .await;
    client
        .state
        .store
        .disable_user(&Actor::cli("test"), "oud")
        .await
        .unwrap();
    let disabled = client
        .post(
            "/login",
            "username=oud&password=een+lange+zin+als+wachtwoord",
            None,
        )
        .await;
    assert_eq!(disabled.status, StatusCode::UNAUTHORIZED);
}

fn form_of(page: &str) -> Vec<(String, String)> {
    // The values the form would send back: inputs, selected options and textareas.
    let mut fields = Vec::new();
    for part in page.split("<input").skip(1) {
        let tag = part.split('>').next().unwrap();
        let attr = |name: &str| {
            tag.split(&format!("{name}=\""))
                .nth(1)
                .map(|rest| rest.split('"').next().unwrap().to_string())
        };
        if let (Some(name), Some(value)) = (attr("name"), attr("value")) {
            fields.push((name, value));
        }
    }
    for part in page.split("<select").skip(1) {
        let name = part
            .split("name=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();
        let body = part.split("</select>").next().unwrap();
        let selected = body
            .split("<option")
            .find(|o| o.contains(" selected"))
            .map(|o| {
                o.split("value=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .to_string()
            })
            .unwrap_or_default();
        fields.push((name, selected));
    }
    for part in page.split("<textarea").skip(1) {
        let (tag, rest) = part.split_once('>').unwrap();
        let name = tag
            .split("name=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let text = rest.split("</textarea>").next().unwrap();
        fields.push((name.to_string(), text.to_string()));
    }
    fields
}

fn encode(fields: &[(String, String)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            format!(
                "{k}={}",
                v.replace('%', "%25")
                    .replace(' ', "+")
                    .replace('&', "%26")
                    .replace(';', "%3B")
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn set(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    fields.retain(|(k, _)| k != name);
    fields.push((name.to_string(), value.to_string()));
}

/// Starts an import on another handle of the client's database (as the command line would)
/// and keeps it open: SQLite's one write lock is held until the sender is dropped.
async fn hold_the_database(
    client: &Client,
) -> (
    mpsc::Sender<ImportMessage>,
    tokio::task::JoinHandle<Result<dakwacht_store::ImportSummary, dakwacht_store::StoreError>>,
) {
    let importer = SqliteStore::open(client._dir.path().join("web.db").to_str().unwrap())
        .await
        .unwrap();
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
#[tokio::test]
async fn a_save_while_an_import_holds_the_database_keeps_the_input_and_says_try_again() {
    let client = Client::waiting(std::time::Duration::from_millis(300)).await;
    client
        .add_user("pro", Role::Professional, Some("Straatalliantie"))
        .await;
    let pro = client.sign_in("pro", PASSWORD).await;
    let mut fields = form_of(&client.get("/cases/new", Some(&pro)).await.body);
    set(&mut fields, "case_ref", "WEB-BUSY");
    set(&mut fields, "children_count", "2");
    set(&mut fields, "notes", "Gesprek met moeder op dinsdag");

    // An import (of another handle, as the command line would be) takes the database and
    // holds it: its first batch is in, its end has not come yet.
    let (tx, import) = hold_the_database(&client).await;

    let refused = client
        .post("/cases/new", &encode(&fields), Some(&pro))
        .await;
    assert_eq!(
        refused.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        refused.body
    );
    assert_eq!(refused.retry_after.as_deref(), Some("10"));
    assert!(
        refused.body.contains("de database is even bezet"),
        "{}",
        refused.body
    );
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
    let saved = client
        .post("/cases/new", &encode(&form_of(&refused.body)), Some(&pro))
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let stored = client
        .state
        .store
        .case("Straatalliantie", "WEB-BUSY")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.notes.as_ref().map(|n| n.as_str()),
        Some("Gesprek met moeder op dinsdag")
    );

    // The same for a change to a case that exists: opened first, saved while an import runs.
    let path = "/cases/Straatalliantie/WEB-BUSY/edit";
    let mut edit = form_of(&client.get(path, Some(&pro)).await.body);
    set(&mut edit, "notes", "Verhuisd naar de opvang");
    let (tx, import) = hold_the_database(&client).await;
    let refused = client.post(path, &encode(&edit), Some(&pro)).await;
    assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(refused.retry_after.as_deref(), Some("10"));
    assert!(refused.body.contains("de database is even bezet"));
    assert!(refused.body.contains("Verhuisd naar de opvang"));
    drop(tx);
    assert!(import.await.unwrap().is_err());
    let saved = client
        .post(path, &encode(&form_of(&refused.body)), Some(&pro))
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let stored = client
        .state
        .store
        .case("Straatalliantie", "WEB-BUSY")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.notes.as_ref().map(|n| n.as_str()),
        Some("Verhuisd naar de opvang")
    );
}

#[tokio::test]
async fn cases_are_created_and_edited_and_a_stale_save_is_refused() {
    let client = Client::new().await;
    client
        .add_user("pro", Role::Professional, Some("Straatalliantie"))
        .await;
    client
        .add_user("collega", Role::Coordinator, Some("Straatalliantie"))
        .await;
    client
        .add_user("ander", Role::Professional, Some("Stichting Kernkracht"))
        .await;
    let pro = client.sign_in("pro", PASSWORD).await;

    let blank = client.get("/cases/new", Some(&pro)).await;
    assert_eq!(blank.status, StatusCode::OK);
    assert!(
        blank
            .body
            .contains("<legend>Hoe de woning verloren ging</legend>")
    );
    let mut fields = form_of(&blank.body);
    set(&mut fields, "case_ref", "WEB-1");
    set(&mut fields, "children_count", "twee");
    set(&mut fields, "route", "removed_without_court");

    // A mistake is shown at its field, in Dutch, and nothing is stored.
    let wrong = client
        .post("/cases/new", &encode(&fields), Some(&pro))
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.body.contains("id=\"children_count-error\""),
        "{}",
        wrong.body
    );
    assert!(wrong.body.contains("‘twee’ klopt niet"));
    assert!(
        client
            .state
            .store
            .case("Straatalliantie", "WEB-1")
            .await
            .unwrap()
            .is_none()
    );

    // Without the form token nothing happens either.
    let mut forged = fields.clone();
    set(&mut forged, "csrf", "forged");
    set(&mut forged, "children_count", "2");
    assert_eq!(
        client
            .post("/cases/new", &encode(&forged), Some(&pro))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    set(&mut fields, "children_count", "2");
    set(&mut fields, "children_ages", "3;7");
    let made = client
        .post("/cases/new", &encode(&fields), Some(&pro))
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    assert_eq!(
        made.location.as_deref(),
        Some("/cases/Straatalliantie/WEB-1")
    );
    let page = client.get("/cases/Straatalliantie/WEB-1", Some(&pro)).await;
    assert!(
        page.body.contains("Uit huis gezet zonder rechter"),
        "its signals are shown"
    );
    assert_eq!(
        client
            .post("/cases/new", &encode(&fields), Some(&pro))
            .await
            .status,
        StatusCode::CONFLICT,
        "the reference is taken"
    );

    // Two people open the same case; the second save is refused, nothing is overwritten.
    let collega = client.sign_in("collega", PASSWORD).await;
    let mine = form_of(
        &client
            .get("/cases/Straatalliantie/WEB-1/edit", Some(&pro))
            .await
            .body,
    );
    let theirs = form_of(
        &client
            .get("/cases/Straatalliantie/WEB-1/edit", Some(&collega))
            .await
            .body,
    );
    let mut first = theirs.clone();
    set(&mut first, "children_count", "3");
    set(&mut first, "children_ages", "3;7;12");
    let saved = client
        .post(
            "/cases/Straatalliantie/WEB-1/edit",
            &encode(&first),
            Some(&collega),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let mut second = mine.clone();
    set(&mut second, "school_disrupted", "yes");
    let refused = client
        .post(
            "/cases/Straatalliantie/WEB-1/edit",
            &encode(&second),
            Some(&pro),
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused
            .body
            .contains("iemand anders heeft deze casus gewijzigd"),
        "{}",
        refused.body
    );
    let stored = client
        .state
        .store
        .case("Straatalliantie", "WEB-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.children.count, 3);
    assert_eq!(stored.school_disrupted, None);

    // Another organisation cannot open or save it; a researcher cannot make cases.
    let ander = client.sign_in("ander", PASSWORD).await;
    assert_eq!(
        client
            .get("/cases/Straatalliantie/WEB-1/edit", Some(&ander))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let mut hijack = form_of(&client.get("/cases/new", Some(&ander)).await.body);
    set(&mut hijack, "version", "2");
    assert_eq!(
        client
            .post(
                "/cases/Straatalliantie/WEB-1/edit",
                &encode(&hijack),
                Some(&ander)
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    client.add_user("onderzoek", Role::Researcher, None).await;
    let researcher = client.sign_in("onderzoek", PASSWORD).await;
    assert_eq!(
        client.get("/cases/new", Some(&researcher)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn follow_up_lists_families_out_of_view_or_without_recent_news() {
    let client = Client::new().await;
    let store = &client.state.store;
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
    let buurt = client.sign_in("buurt", PASSWORD).await;
    let page = client.get("/follow-up", Some(&buurt)).await;
    assert_eq!(page.status, StatusCode::OK);
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

    let longer = client.get("/follow-up?weeks=30", Some(&buurt)).await;
    assert!(!longer.body.contains(">STIL<"), "20 weeks is within 30");
    assert!(
        longer.body.contains(">UIT-BEELD<") && longer.body.contains(">GEZIEN<"),
        "out of view: always"
    );

    client.add_user("onderzoek", Role::Researcher, None).await;
    let researcher = client.sign_in("onderzoek", PASSWORD).await;
    assert_eq!(
        client.get("/follow-up", Some(&researcher)).await.status,
        StatusCode::FORBIDDEN
    );
}

/// Every page, for every role and organisation: allowed, refused (403), hidden (404) or sign in
/// first (303). One table, so a new route without an access check shows up here.
#[tokio::test]
async fn every_route_for_every_role_and_organisation() {
    let client = Client::new().await;
    client
        .state
        .store
        .add_organisation(&Actor::cli("test"), "Stichting Kernkracht")
        .await
        .unwrap();
    client.add_user("beheer", Role::Admin, None).await;
    client
        .add_user("coord.a", Role::Coordinator, Some("Straatalliantie"))
        .await;
    client
        .add_user("pro.a", Role::Professional, Some("Straatalliantie"))
        .await;
    client
        .add_user("pro.b", Role::Professional, Some("Stichting Kernkracht"))
        .await;
    client.add_user("onderzoek", Role::Researcher, None).await;

    const OK: u16 = 200;
    const SIGN_IN: u16 = 303;
    const FORBIDDEN: u16 = 403;
    const HIDDEN: u16 = 404;
    let routes = [
        "/cases",
        "/cases/new",
        "/follow-up",
        "/cases/Straatalliantie/QS-01",
        "/cases/Straatalliantie/QS-01/edit",
        "/import",
        "/export?format=csv",
        "/template.xlsx",
        "/dashboard",
        "/admin/users",
        "/admin/organisations",
        "/admin/audit",
    ];
    #[rustfmt::skip]
    let table: [(Option<&str>, [u16; 12]); 6] = [
        (None,              [SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN]),
        (Some("beheer"),    [FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK, OK, OK]),
        (Some("onderzoek"), [FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
        (Some("coord.a"),   [OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, FORBIDDEN, FORBIDDEN]),
        (Some("pro.a"),     [OK, OK, OK, OK, OK, OK, OK, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
        (Some("pro.b"),     [OK, OK, OK, HIDDEN, HIDDEN, OK, OK, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    ];
    for (user, expected) in table {
        let session = match user {
            Some(name) => Some(client.sign_in(name, PASSWORD).await),
            None => None,
        };
        for (route, want) in routes.iter().zip(expected) {
            let got = client.get(route, session.as_deref()).await.status.as_u16();
            assert_eq!(got, want, "GET {route} as {user:?}");
        }
        // Saving a case of organisation A, with this session's own valid form token.
        let csrf = match &session {
            Some(token) => {
                let hash = dakwacht_web::token_hash(token);
                client.state.store.session(&hash).await.unwrap().unwrap().1
            }
            None => String::new(),
        };
        let form = format!("csrf={csrf}&version=1&reported_on=2025-04-21&children_count=2");
        let got = client
            .post(
                "/cases/Straatalliantie/QS-01/edit",
                &form,
                session.as_deref(),
            )
            .await
            .status
            .as_u16();
        let want = match user {
            None => SIGN_IN,
            Some("beheer" | "onderzoek") => FORBIDDEN,
            Some("pro.b") => HIDDEN,
            // Through the access check: the coordinator saves version 1 (and is sent to the
            // case); the professional, also sending version 1, is refused as stale.
            Some("coord.a") => 303,
            _ => 409,
        };
        assert_eq!(got, want, "POST edit as {user:?}");
    }
}

#[tokio::test]
async fn the_timeline_grows_with_recorded_observations() {
    let client = Client::new().await;
    client
        .add_user("pro", Role::Professional, Some("Straatalliantie"))
        .await;
    client
        .add_user("ander", Role::Professional, Some("Stichting Kernkracht"))
        .await;
    let pro = client.sign_in("pro", PASSWORD).await;
    let page = client
        .get("/cases/Straatalliantie/QS-01", Some(&pro))
        .await
        .body;
    assert!(page.contains("Verblijfplaatsen in de tijd"));
    assert!(
        page.contains("direct na verlies van de woning"),
        "the interchange columns are on the timeline"
    );
    let csrf = csrf_of(&page);

    let wrong = client
        .post(
            "/cases/Straatalliantie/QS-01/observations",
            &format!("csrf={csrf}&observed_on=2999-01-01&situation=car"),
            Some(&pro),
        )
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not in the future"
    );
    let added = client
        .post(
            "/cases/Straatalliantie/QS-01/observations",
            &format!("csrf={csrf}&observed_on=2025-06&situation=family_shelter"),
            Some(&pro),
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let page = client
        .get("/cases/Straatalliantie/QS-01", Some(&pro))
        .await
        .body;
    assert!(
        page.contains(
            "<td>2025-06</td><td>(gezins)opvang, noodopvang</td><td>vastgelegd in dakwacht</td>"
        ),
        "{page}"
    );
    let stored = client
        .state
        .store
        .observations("Straatalliantie", "QS-01")
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(
        stored[0].situation,
        dakwacht_core::LivingSituation::FamilyShelter
    );

    let ander = client.sign_in("ander", PASSWORD).await;
    let their_csrf = client
        .state
        .store
        .session(&dakwacht_web::token_hash(&ander))
        .await
        .unwrap()
        .unwrap()
        .1;
    let hidden = client
        .post(
            "/cases/Straatalliantie/QS-01/observations",
            &format!("csrf={their_csrf}&observed_on=2025-06&situation=car"),
            Some(&ander),
        )
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(
        client
            .state
            .store
            .observations("Straatalliantie", "QS-01")
            .await
            .unwrap()
            .len(),
        1
    );
}

/// The value of a hidden form field.
fn hidden_value(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker).unwrap() + marker.len();
    page[start..].split('"').next().unwrap().to_string()
}

async fn count_cases(client: &Client, organisation: &str) -> usize {
    let filter = dakwacht_core::CaseFilter {
        organisation: Some(organisation.into()),
        ..Default::default()
    };
    client
        .state
        .store
        .case_page(&filter, None, 10_000)
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn a_file_is_checked_and_previewed_before_it_is_stored_all_or_nothing() {
    let client = Client::new().await;
    client
        .add_user("pro", Role::Professional, Some("Straatalliantie"))
        .await;
    client
        .add_user("pro.b", Role::Professional, Some("Stichting Kernkracht"))
        .await;
    let pro = client.sign_in("pro", PASSWORD).await;
    let before = count_cases(&client, "Straatalliantie").await;

    // A bad date on line 3 and a row of another organisation on line 4: every problem is listed
    // with its line, column and value, and nothing is stored.
    let bad = "case_ref,organisation,reported_on,children_count\n\
               NEW-1,Straatalliantie,2025-05-01,2\n\
               NEW-2,Straatalliantie,2025-13-40,1\n\
               NEW-3,Stichting Kernkracht,2025-05-01,1\n";
    let refused = client.upload(&pro, "nieuw.csv", bad.as_bytes()).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("2 fouten"), "{}", refused.body);
    assert!(
        refused
            .body
            .contains("<td>3</td><td>reported_on</td><td>2025-13-40</td>")
    );
    assert!(
        refused
            .body
            .contains("<td>4</td><td>organisation</td><td>Stichting Kernkracht</td>")
    );
    assert!(
        !refused.body.contains("name=\"pending\""),
        "no way to confirm"
    );
    assert_eq!(count_cases(&client, "Straatalliantie").await, before);

    // A good file: one new case and one change to an existing one. The preview says so and
    // stores nothing yet.
    let good = "case_ref,organisation,reported_on,children_count,municipality\n\
                NEW-1,Straatalliantie,2025-05-01,2,Utrecht\n\
                QS-01,Straatalliantie,2025-04-21,3,Utrecht\n";
    let preview = client.upload(&pro, "nieuw.csv", good.as_bytes()).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(
        preview
            .body
            .contains("Bestaan al en worden bijgewerkt: 1. Nieuw: 1."),
        "{}",
        preview.body
    );
    assert!(preview.body.contains("NEW-1"));
    assert_eq!(count_cases(&client, "Straatalliantie").await, before);
    let pending = hidden_value(&preview.body, "pending");
    let csrf = hidden_value(&preview.body, "csrf");

    // Someone else cannot confirm this upload, even knowing its id.
    let other = client.sign_in("pro.b", PASSWORD).await;
    let other_csrf = csrf_of(&client.get("/import", Some(&other)).await.body);
    let stolen = client
        .post(
            "/import/confirm",
            &format!("csrf={other_csrf}&pending={pending}"),
            Some(&other),
        )
        .await;
    assert_eq!(stolen.status, StatusCode::GONE);

    let stored = client
        .post(
            "/import/confirm",
            &format!("csrf={csrf}&pending={pending}"),
            Some(&pro),
        )
        .await;
    assert_eq!(stored.status, StatusCode::OK, "{}", stored.body);
    assert!(
        stored.body.contains("1 nieuw, 1 bijgewerkt"),
        "{}",
        stored.body
    );
    assert_eq!(count_cases(&client, "Straatalliantie").await, before + 1);
    let changed = client
        .state
        .store
        .case("Straatalliantie", "QS-01")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(changed.children.count, 3);

    // Confirming twice stores nothing twice.
    let again = client
        .post(
            "/import/confirm",
            &format!("csrf={csrf}&pending={pending}"),
            Some(&pro),
        )
        .await;
    assert_eq!(again.status, StatusCode::GONE);

    let imports = client
        .state
        .store
        .audit_log(&AuditFilter {
            actor: Some("user:pro".into()),
            action: Some(AuditAction::Import),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(imports.len(), 1);
}

#[tokio::test]
async fn a_hostile_workbook_upload_is_refused_and_the_server_keeps_serving() {
    // Cells at A1 and XFD1048576: 6 KB that made the preview allocate 549 GB and took the
    // server down for everyone.
    let client = Client::new().await;
    client
        .add_user("pro", Role::Professional, Some("Straatalliantie"))
        .await;
    let pro = client.sign_in("pro", PASSWORD).await;
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "case_ref").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    let bytes = workbook.save_to_buffer().unwrap();

    let refused = client.upload(&pro, "groot.xlsx", &bytes).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("XFD1048576") && refused.body.contains("1000 columns"),
        "{}",
        refused.body
    );
    assert!(!refused.body.contains("name=\"pending\""));
    assert_eq!(
        client.get("/import", Some(&pro)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_organisation_downloads_its_own_cases_and_an_empty_template() {
    let client = Client::new().await;
    client
        .add_user("pro", Role::Professional, Some("Straatalliantie"))
        .await;
    let pro = client.sign_in("pro", PASSWORD).await;

    let csv = client.get("/export?format=csv", Some(&pro)).await;
    assert_eq!(csv.status, StatusCode::OK);
    let rows: Vec<_> = dakwacht_interchange::CaseReader::csv(csv.body.as_bytes())
        .unwrap()
        .unwrap()
        .map(|(_, row)| row.unwrap())
        .collect();
    assert_eq!(rows.len(), count_cases(&client, "Straatalliantie").await);
    assert!(
        rows.iter()
            .all(|c| c.organisation.as_str() == "Straatalliantie")
    );
    assert!(rows.iter().any(|c| c.case_ref.as_str() == "QS-01"));

    let request = Request::get("/export?format=xlsx")
        .header(header::COOKIE, format!("dakwacht_session={pro}"))
        .body(Body::empty())
        .unwrap();
    let response = app(client.state.clone()).oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .ends_with(".xlsx\"")
    );
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let sheet = dakwacht_interchange::xlsx::read_first_sheet(bytes.to_vec()).unwrap();
    assert_eq!(sheet.len(), rows.len() + 1, "header and every case");

    let exports = client
        .state
        .store
        .audit_log(&AuditFilter {
            actor: Some("user:pro".into()),
            action: Some(AuditAction::Export),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(exports.len(), 2);

    let request = Request::get("/template.xlsx")
        .header(header::COOKIE, format!("dakwacht_session={pro}"))
        .body(Body::empty())
        .unwrap();
    let response = app(client.state.clone()).oneshot(request).await.unwrap();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let template = dakwacht_interchange::xlsx::read_first_sheet(bytes.to_vec()).unwrap();
    assert_eq!(template.len(), 1);
    assert_eq!(template[0].1[0], "case_ref");
}

#[tokio::test]
async fn the_dashboard_shows_the_published_figures_for_what_the_user_may_see() {
    let client = Client::new().await;
    client.add_user("onderzoek", Role::Researcher, None).await;
    client
        .add_user("pro", Role::Professional, Some("Straatalliantie"))
        .await;

    // A researcher sees every organisation: the published quickscan figures, and the signals.
    let researcher = client.sign_in("onderzoek", PASSWORD).await;
    let all = client.get("/dashboard", Some(&researcher)).await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(all.body.contains("Selectie: alle casussen"));
    assert!(
        all.body.contains("59% (13/22)"),
        "route.no_court in the chart"
    );
    assert!(
        all.body.contains("<td>13</td><td>22</td><td>59%</td>"),
        "and in the table"
    );
    assert!(
        all.body.contains("<td>19</td><td>23</td><td>83%</td>"),
        "alternative.none"
    );
    assert!(all.body.contains("Woningverlies per maand"));
    assert!(all.body.contains("<option value=\"Straatalliantie\""));

    // One organisation, chosen by the researcher.
    let one = client
        .get("/dashboard?organisation=Straatalliantie", Some(&researcher))
        .await;
    assert!(one.body.contains("Selectie: organisatie Straatalliantie"));

    // A professional sees the own organisation, and cannot widen it.
    let own_cases = count_cases(&client, "Straatalliantie").await;
    let pro = client.sign_in("pro", PASSWORD).await;
    for path in ["/dashboard", "/dashboard?organisation=Stichting+Kernkracht"] {
        let page = client.get(path, Some(&pro)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("Selectie: organisatie Straatalliantie"),
            "{path}"
        );
        assert!(
            page.body.contains(&format!("<dd>{own_cases}</dd>")),
            "{path}"
        );
        assert!(!page.body.contains("<option"), "no organisation choice");
    }

    // A bad date is named, not silently ignored.
    let bad = client.get("/dashboard?from=2025-13-01", Some(&pro)).await;
    assert!(bad.body.contains("De datum ‘2025-13-01’"));

    let audited = client
        .state
        .store
        .audit_log(&AuditFilter {
            action: Some(AuditAction::Statistics),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(audited.len(), 5);
}

/// Every case reference a list shows, following its "next" links to the end.
async fn every_listed_case(client: &Client, session: &str, first: &str) -> Vec<String> {
    let mut refs = Vec::new();
    let mut path = Some(first.to_string());
    while let Some(current) = path {
        assert!(refs.len() < 10_000, "the list does not end: {current}");
        let page = client.get(&current, Some(session)).await;
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

#[tokio::test]
async fn the_case_list_filters_and_pages_through_the_selection() {
    let client = Client::new().await;
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
    import_csv(&client.state.store, csv.as_bytes()).await;
    client
        .add_user("pro", Role::Professional, Some("Straatalliantie"))
        .await;
    let pro = client.sign_in("pro", PASSWORD).await;

    let own = {
        let filter = dakwacht_core::CaseFilter {
            organisation: Some("Straatalliantie".into()),
            ..Default::default()
        };
        client
            .state
            .store
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

    let all = every_listed_case(&client, &pro, "/cases").await;
    assert_eq!(
        all,
        expect(&|_| true),
        "every case once, in order, over pages"
    );
    assert!(all.len() > 200);

    let court = every_listed_case(&client, &pro, "/cases?route=court_eviction").await;
    assert_eq!(
        court,
        expect(&|c| c.route == Some(dakwacht_core::Route::CourtEviction))
    );
    assert!(court.len() > 50, "more than one page");

    let searched = every_listed_case(&client, &pro, "/cases?q=p-01").await;
    assert_eq!(
        searched,
        expect(&|c| c.case_ref.as_str().starts_with("P-01"))
    );

    let out_of_view = every_listed_case(&client, &pro, "/cases?out_of_view=1").await;
    assert_eq!(out_of_view, expect(&|c| c.is_out_of_view()));

    // The signal filter, over several pages, agrees with evaluating every case.
    let evaluator = client.state.rules.evaluator();
    let raises = |c: &dakwacht_core::Case, id: &str| {
        evaluator.case(c).signals.iter().any(|s| s.rule.id == id)
    };
    let signal = every_listed_case(&client, &pro, "/cases?signal=no_adequate_rehousing").await;
    assert_eq!(signal, expect(&|c| raises(c, "no_adequate_rehousing")));
    assert!(signal.len() > 50, "more than one page");

    // Filters combine.
    let both = every_listed_case(
        &client,
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

/// The one-time password shown after making an account.
fn one_time_password(page: &str) -> String {
    let start = page.find("wachtwoord is <code>").unwrap() + "wachtwoord is <code>".len();
    page[start..].split('<').next().unwrap().to_string()
}

#[tokio::test]
async fn administrators_and_coordinators_manage_accounts_in_the_browser() {
    let client = Client::new().await;
    client.add_user("beheer", Role::Admin, None).await;
    client
        .add_user("coord", Role::Coordinator, Some("Straatalliantie"))
        .await;
    client
        .add_user("pro.b", Role::Professional, Some("Stichting Kernkracht"))
        .await;

    // The administrator adds an organisation and a professional in it; the one-time password
    // shown works for signing in.
    let admin = client.sign_in("beheer", PASSWORD).await;
    assert_eq!(
        client.get("/", Some(&admin)).await.location.as_deref(),
        Some("/admin/users")
    );
    let csrf = csrf_of(&client.get("/admin/organisations", Some(&admin)).await.body);
    let added = client
        .post(
            "/admin/organisations",
            &format!("csrf={csrf}&name=Buurtteam+Oost"),
            Some(&admin),
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let twice = client
        .post(
            "/admin/organisations",
            &format!("csrf={csrf}&name=Buurtteam+Oost"),
            Some(&admin),
        )
        .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(twice.body.contains("bestaat al"));
    let made = client
        .post(
            "/admin/users",
            &format!("csrf={csrf}&username=Sanne&role=professional&organisation=Buurtteam+Oost"),
            Some(&admin),
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let password = one_time_password(&made.body);
    assert!(password.len() >= 40);
    let sanne = client.sign_in("sanne", &password).await;
    let list = client.get("/cases", Some(&sanne)).await;
    assert!(list.body.contains("Casussen van Buurtteam Oost"));
    let taken = client
        .post(
            "/admin/users",
            &format!("csrf={csrf}&username=sanne&role=researcher"),
            Some(&admin),
        )
        .await;
    assert!(taken.body.contains("bestaat al"));

    // A coordinator sees and manages only the own organisation, and only gives case roles.
    let coord = client.sign_in("coord", PASSWORD).await;
    let users = client.get("/admin/users", Some(&coord)).await;
    assert_eq!(users.status, StatusCode::OK);
    assert!(users.body.contains("Accounts van Straatalliantie"));
    assert!(users.body.contains(">coord<"));
    assert!(!users.body.contains("pro.b") && !users.body.contains("sanne"));
    let csrf = csrf_of(&users.body);
    let researcher = client
        .post(
            "/admin/users",
            &format!("csrf={csrf}&username=stiekem&role=researcher"),
            Some(&coord),
        )
        .await;
    assert_eq!(researcher.status, StatusCode::UNPROCESSABLE_ENTITY);
    let elsewhere = client
        .post(
            "/admin/users",
            &format!(
                "csrf={csrf}&username=nieuw&role=professional&organisation=Stichting+Kernkracht"
            ),
            Some(&coord),
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::OK);
    let nieuw = client
        .state
        .store
        .users(Some("Straatalliantie"))
        .await
        .unwrap();
    assert!(
        nieuw.iter().any(|u| u.username == "nieuw"),
        "made in the own organisation"
    );
    let nieuw_session = client
        .sign_in("nieuw", &one_time_password(&elsewhere.body))
        .await;

    // Disabling: another organisation's account is not found; the own one's session ends.
    let other = client
        .post(
            "/admin/users/pro.b/disable",
            &format!("csrf={csrf}"),
            Some(&coord),
        )
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let forged = client
        .post("/admin/users/nieuw/disable", "csrf=forged", Some(&coord))
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let disabled = client
        .post(
            "/admin/users/nieuw/disable",
            &format!("csrf={csrf}"),
            Some(&coord),
        )
        .await;
    assert_eq!(disabled.status, StatusCode::SEE_OTHER);
    assert_eq!(
        client.get("/cases", Some(&nieuw_session)).await.status,
        StatusCode::SEE_OTHER,
        "signed out at once"
    );

    // The administrator reads who did what, filtered.
    let log = client
        .get(
            "/admin/audit?actor=user%3Acoord&action=disable_user",
            Some(&admin),
        )
        .await;
    assert_eq!(log.status, StatusCode::OK);
    assert!(
        log.body
            .contains("<td>user:coord</td><td>disable_user</td>"),
        "{}",
        log.body
    );
    assert!(!log.body.contains("<td>add_user</td>"));
}

/// Calls the JSON API: the status and the parsed body.
async fn api(
    client: &Client,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<serde_json::Value>,
) -> (StatusCode, serde_json::Value) {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let request = match body {
        Some(body) => request
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string())),
        None => request.body(Body::empty()),
    }
    .unwrap();
    let response = client.send(request).await;
    let json = serde_json::from_str(&response.body)
        .unwrap_or_else(|_| panic!("{path}: not JSON: {}", response.body));
    (response.status, json)
}

async fn api_token(client: &Client, username: &str) -> String {
    let (status, body) = api(
        client,
        "POST",
        "/api/v1/session",
        None,
        Some(serde_json::json!({"username": username, "password": PASSWORD})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["token"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn the_json_api_follows_the_same_access_rules_and_is_described_by_openapi() {
    let client = Client::new().await;
    client
        .add_user("pro", Role::Professional, Some("Straatalliantie"))
        .await;
    client.add_user("onderzoek", Role::Researcher, None).await;
    client.add_user("beheer", Role::Admin, None).await;

    let (status, body) = api(
        &client,
        "POST",
        "/api/v1/session",
        None,
        Some(serde_json::json!({"username": "pro", "password": "fout fout fout"})),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );
    let (status, _) = api(&client, "GET", "/api/v1/cases", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The browser's cookie does not open the API: no cross-site requests with it.
    let cookie_session = client.sign_in("pro", PASSWORD).await;
    let with_cookie = client.get("/api/v1/cases", Some(&cookie_session)).await;
    assert_eq!(with_cookie.status, StatusCode::UNAUTHORIZED);

    let pro = api_token(&client, "pro").await;
    let (status, list) = api(&client, "GET", "/api/v1/cases?limit=2", Some(&pro), None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["organisation"], "Straatalliantie");
    assert_eq!(list["cases"].as_array().unwrap().len(), 2);
    let next = list["next_after"].as_str().unwrap().to_string();
    let (_, second) = api(
        &client,
        "GET",
        &format!("/api/v1/cases?limit=2&after={next}"),
        Some(&pro),
        None,
    )
    .await;
    assert!(
        second["cases"][0]["case_ref"].as_str().unwrap() > next.as_str(),
        "{second}"
    );
    let (status, bad) = api(
        &client,
        "GET",
        "/api/v1/cases?route=kasteel",
        Some(&pro),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(bad["message"].as_str().unwrap().contains("kasteel"));

    let (status, case) = api(
        &client,
        "GET",
        "/api/v1/cases/Straatalliantie/QS-01?lang=en",
        Some(&pro),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{case}");
    assert_eq!(case["fields"]["reported_on"], "2025-04-21");
    let version = case["version"].as_i64().unwrap();
    let signals: Vec<&str> = case["signals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(signals.contains(&"no_adequate_rehousing"), "{signals:?}");
    assert!(case["signals"][0]["sources"][0].as_str().is_some());
    let (status, _) = api(
        &client,
        "GET",
        "/api/v1/cases/Stichting%20Kernkracht/QS-02",
        Some(&pro),
        None,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another organisation's case is not found"
    );

    // Saving: stale versions are refused, bad values are listed, nothing half-saved.
    let mut fields = case["fields"].as_object().unwrap().clone();
    fields.insert("children_count".into(), serde_json::json!("4"));
    fields.insert("children_ages".into(), serde_json::json!("4;9;?;1"));
    let (status, saved) = api(
        &client,
        "PUT",
        "/api/v1/cases/Straatalliantie/QS-01",
        Some(&pro),
        Some(serde_json::json!({"version": version, "fields": fields})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["version"].as_i64(), Some(version + 1));
    assert_eq!(saved["fields"]["children_count"], "4");
    let (status, stale) = api(
        &client,
        "PUT",
        "/api/v1/cases/Straatalliantie/QS-01",
        Some(&pro),
        Some(serde_json::json!({"version": version, "fields": fields})),
    )
    .await;
    assert_eq!(
        (status, stale["error"].as_str()),
        (StatusCode::CONFLICT, Some("conflict"))
    );
    fields.insert("reported_on".into(), serde_json::json!("2025-02-30"));
    fields.insert("route".into(), serde_json::json!("kasteel"));
    let (status, invalid) = api(
        &client,
        "PUT",
        "/api/v1/cases/Straatalliantie/QS-01",
        Some(&pro),
        Some(serde_json::json!({"version": version + 1, "fields": fields})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let problems: Vec<&str> = invalid["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert_eq!(problems, ["reported_on", "route"]);
    let (status, _) = api(
        &client,
        "PUT",
        "/api/v1/cases/Stichting%20Kernkracht/NEW",
        Some(&pro),
        Some(serde_json::json!({"fields": {"reported_on": "2025-05-01", "children_count": "1"}})),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "no writing in another organisation"
    );
    let (status, created) = api(
        &client,
        "PUT",
        "/api/v1/cases/Straatalliantie/API-1",
        Some(&pro),
        Some(serde_json::json!({"fields": {"reported_on": "2025-05-01", "children_count": "1"}})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    assert_eq!(created["version"], 1);

    // Reports: a researcher over everything (the published figures), a professional the own
    // organisation, an administrator nothing.
    let researcher = api_token(&client, "onderzoek").await;
    let (status, _) = api(&client, "GET", "/api/v1/cases", Some(&researcher), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, report) = api(
        &client,
        "GET",
        "/api/v1/reports/quickscan?organisation=Stichting%20Kernkracht",
        Some(&researcher),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(report["scope"], "organisatie Stichting Kernkracht");
    let (_, report) = api(
        &client,
        "GET",
        "/api/v1/reports/quickscan",
        Some(&pro),
        None,
    )
    .await;
    assert_eq!(report["scope"], "organisatie Straatalliantie");
    let admin = api_token(&client, "beheer").await;
    let (status, _) = api(
        &client,
        "GET",
        "/api/v1/reports/quickscan",
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, doc) = api(&client, "GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/session",
        "/api/v1/cases",
        "/api/v1/cases/{organisation}/{case_ref}",
        "/api/v1/reports/quickscan",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is documented");
    }
    assert!(doc["components"]["schemas"]["CaseDocument"].is_object());
}

#[tokio::test]
async fn the_published_figures_come_out_of_the_api() {
    let client = Client::new().await;
    client.add_user("onderzoek", Role::Researcher, None).await;
    let researcher = api_token(&client, "onderzoek").await;
    let (status, report) = api(
        &client,
        "GET",
        "/api/v1/reports/quickscan",
        Some(&researcher),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let measure = |id: &str| {
        report["measures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(measure("cases")["numerator"], 23);
    let no_court = measure("route.no_court");
    assert_eq!(
        (
            no_court["numerator"].as_u64(),
            no_court["denominator"].as_u64(),
            no_court["percent"].as_u64()
        ),
        (Some(13), Some(22), Some(59))
    );
    let signal = report["signals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "out_of_view")
        .unwrap();
    assert_eq!(
        (signal["cases"].as_u64(), signal["of"].as_u64()),
        (Some(12), Some(23))
    );
}

#[tokio::test]
async fn behind_https_the_session_cookie_is_secure() {
    let plain = Client::new().await;
    plain
        .add_user("pro", Role::Professional, Some("Straatalliantie"))
        .await;
    let form = format!("username=pro&password={}", PASSWORD.replace(' ', "+"));
    let cookie = plain.post("/login", &form, None).await.cookie.unwrap();
    assert!(!cookie.contains("Secure"), "{cookie}");

    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("https.db").to_str().unwrap())
        .await
        .unwrap();
    let state = dakwacht_web::AppState::with_options(
        store,
        RuleSet::built_in().unwrap(),
        dakwacht_web::Options {
            secure_cookies: true,
        },
    )
    .await
    .unwrap();
    let secure = Client { state, _dir: dir };
    secure.add_user("pro", Role::Researcher, None).await;
    let cookie = secure.post("/login", &form, None).await.cookie.unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
}

/// The cookie header of a session that chose English: the session cookie, then `lang=en`.
fn in_english(session: &str) -> String {
    format!("{session}; lang=en")
}

#[tokio::test]
async fn pages_are_dutch_by_default_and_english_when_chosen() {
    let client = Client::new().await;
    client
        .add_user("pro", Role::Professional, Some("Straatalliantie"))
        .await;
    let pro = client.sign_in("pro", PASSWORD).await;

    // Dutch first, with a link to English that is marked as English and comes back here.
    let dutch = client.get("/cases?q=QS", Some(&pro)).await;
    assert!(dutch.body.contains("<html lang=\"nl\">"));
    assert!(dutch.body.contains("Casussen van Straatalliantie"));
    assert!(
        dutch
            .body
            .contains("lang=\"en\" hreflang=\"en\">English</a>"),
        "{}",
        dutch.body
    );
    assert!(
        dutch
            .body
            .contains("/language?to=en&#38;back=%2Fcases%3Fq%3DQS")
    );

    // The switch remembers the choice and returns to the page; never to another site.
    let switched = client
        .get("/language?to=en&back=%2Fcases%3Fq%3DQS", None)
        .await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    assert_eq!(switched.location.as_deref(), Some("/cases?q=QS"));
    let outside = client
        .get("/language?to=en&back=%2F%2Fevil.example%2F", None)
        .await;
    assert_eq!(outside.location.as_deref(), Some("/"));

    // In English: the page, the code labels, the signal titles and the switch back to Dutch.
    let english = in_english(&pro);
    let cases = client.get("/cases", Some(&english)).await;
    assert!(cases.body.contains("<html lang=\"en\">"));
    assert!(cases.body.contains("Cases of Straatalliantie"));
    assert!(
        cases
            .body
            .contains("lang=\"nl\" hreflang=\"nl\">Nederlands</a>")
    );
    assert!(!cases.body.contains("Casussen van"));
    let case = client
        .get("/cases/Straatalliantie/QS-01", Some(&english))
        .await;
    assert_eq!(case.status, StatusCode::OK);
    assert!(case.body.contains("How the home was lost"), "{}", case.body);
    assert!(case.body.contains("What you can do"));

    // Form errors in English, including what the importer expected.
    let blank = client.get("/cases/new", Some(&english)).await;
    let mut fields = form_of(&blank.body);
    set(&mut fields, "case_ref", "EN-1");
    set(&mut fields, "children_count", "two");
    let refused = client
        .post("/cases/new", &encode(&fields), Some(&english))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("The form has 1 error."),
        "{}",
        refused.body
    );
    assert!(
        refused
            .body
            .contains("‘two’ is not right: a whole number from 1 to 20."),
        "{}",
        refused.body
    );
    // The same in Dutch.
    let refused = client
        .post("/cases/new", &encode(&fields), Some(&pro))
        .await;
    assert!(
        refused
            .body
            .contains("‘two’ klopt niet: een heel getal van 1 tot en met 20."),
        "{}",
        refused.body
    );

    // Import problems in the reader's language, also the rule that rows are of the own
    // organisation.
    let bad = "case_ref,organisation,reported_on,children_count\n\
               EN-2,Straatalliantie,2025-13-40,1\n\
               EN-3,Stichting Kernkracht,2025-05-01,1\n";
    let dutch = client.upload(&pro, "fout.csv", bad.as_bytes()).await;
    assert!(
        dutch.body.contains("<td>een datum als JJJJ-MM-DD</td>"),
        "{}",
        dutch.body
    );
    assert!(
        dutch
            .body
            .contains("uw eigen organisatie, ‘Straatalliantie’")
    );
    let english = client.upload(&english, "fout.csv", bad.as_bytes()).await;
    assert!(
        english
            .body
            .contains("Nothing was saved: 2 errors in fout.csv")
    );
    assert!(english.body.contains("<td>a date as YYYY-MM-DD</td>"));
    assert!(
        english
            .body
            .contains("your own organisation, &#39;Straatalliantie&#39;"),
        "{}",
        english.body
    );

    // Error pages too.
    let missing = client
        .get("/cases/Straatalliantie/NOPE", Some(&in_english(&pro)))
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("This page does not exist"));
    let missing = client.get("/cases/Straatalliantie/NOPE", Some(&pro)).await;
    assert!(missing.body.contains("Deze pagina bestaat niet"));
}
