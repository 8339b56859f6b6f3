#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! The web application over HTTP, against a real SQLite file: first-run setup, signing in and out,
//! and who may see which case.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use dakwacht_core::access::Role;
use dakwacht_rules::RuleSet;
use dakwacht_store::{
    Actor, AuditAction, AuditFilter, ImportMessage, NewUser, SessionKind, SqliteStore, Store,
};
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
    /// Every `Set-Cookie` of the answer.
    set_cookies: Vec<String>,
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
        let set_cookies = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        Response {
            status,
            location,
            cookie,
            retry_after,
            set_cookies,
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
        self.upload_as(session, &format!("filename=\"{file_name}\""), bytes)
            .await
    }

    /// An upload whose file part names the file with `name_parameter` (`filename="…"` or
    /// `filename*=UTF-8''…`).
    async fn upload_as(&self, session: &str, name_parameter: &str, bytes: &[u8]) -> Response {
        let csrf = csrf_of(&self.get("/import", Some(session)).await.body);
        let boundary = "dakwacht-test-boundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; {name_parameter}\r\nContent-Type: application/octet-stream\r\n\r\n"
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

    /// Opens the sign-in page and sends its form as a browser would: with the form's token in
    /// the hidden field and in its cookie. From `address` when given, as `serve` would see it.
    async fn login(&self, form: &str, address: Option<&str>) -> Response {
        let page = self.get("/login", None).await;
        let csrf = csrf_of(&page.body);
        let cookie = login_csrf_cookie(&page);
        let mut request = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie)
            .body(Body::from(format!("csrf={csrf}&{form}")))
            .unwrap();
        if let Some(address) = address {
            request.extensions_mut().insert(axum::extract::ConnectInfo(
                address.parse::<std::net::SocketAddr>().unwrap(),
            ));
        }
        self.send(request).await
    }

    /// Confirms the upload a preview page offers, with that page's form token.
    async fn confirm_preview(&self, session: &str, preview: &str) -> Response {
        let pending = hidden_value(preview, "pending");
        let csrf = hidden_value(preview, "csrf");
        self.post(
            "/import/confirm",
            &format!("csrf={csrf}&pending={pending}"),
            Some(session),
        )
        .await
    }

    /// Signs in and returns the session token.
    async fn sign_in(&self, username: &str, password: &str) -> String {
        let response = self
            .login(
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

/// The `name=value` of the sign-in form's token cookie set by a response.
fn login_csrf_cookie(response: &Response) -> String {
    response
        .set_cookies
        .iter()
        .find(|c| c.starts_with("dakwacht_login_csrf="))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string()
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

    // Every view was recorded, by the user who made it, and so were the sign-in and the refusal.
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
    assert_eq!(
        actions,
        [
            AuditAction::AccessRefused,
            AuditAction::ViewCase,
            AuditAction::ListCases,
            AuditAction::SignIn
        ]
    );
    assert_eq!(views[1].entry.case_ref.as_deref(), Some("QS-01"));

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

/// Every audit line of one action, oldest first, as "actor | detail".
async fn audit_lines(client: &Client, action: AuditAction) -> Vec<String> {
    let mut lines: Vec<String> = client
        .state
        .store
        .audit_log(&AuditFilter {
            action: Some(action),
            ..AuditFilter::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|r| format!("{} | {}", r.entry.actor, r.entry.detail.unwrap_or_default()))
        .collect();
    lines.reverse();
    lines
}

/// The whole audit log as text, to check what it must never hold.
async fn whole_audit_log(client: &Client) -> String {
    format!(
        "{:?}",
        client
            .state
            .store
            .audit_log(&AuditFilter::default())
            .await
            .unwrap()
    )
}

#[tokio::test]
async fn wrong_passwords_slow_the_name_down_but_never_lock_its_user_out() {
    let client = Client::new().await;
    client
        .add_user("pro", Role::Professional, Some("Straatalliantie"))
        .await;
    let right = format!("username=pro&password={}", PASSWORD.replace(' ', "+"));
    let unknown = client
        .login("username=niemand&password=whatever12345", None)
        .await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert!(unknown.body.contains("klopt niet"));
    for _ in 0..3 {
        let wrong = client
            .login(
                "username=pro&password=verkeerd+wachtwoord",
                Some("203.0.113.7:50000"),
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(wrong.cookie.is_none());
    }
    // Three failures are free; then the name waits 2 seconds, even with the right password and
    // from another address, and is told so.
    let slowed = client.login(&right, Some("198.51.100.1:50000")).await;
    assert_eq!(slowed.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(slowed.retry_after.as_deref(), Some("2"));
    assert!(
        slowed.body.contains("Probeer het over") && slowed.body.contains("2"),
        "{}",
        slowed.body
    );
    assert!(slowed.cookie.is_none());
    let in_english = client
        .send(
            Request::post("/api/v1/session")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    serde_json::json!({"username": "pro", "password": PASSWORD}).to_string(),
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(in_english.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(in_english.retry_after.is_some());
    assert!(
        in_english.body.contains("\"error\":\"throttled\"")
            && in_english.body.contains("try again in"),
        "{}",
        in_english.body
    );

    // After the wait the real user gets in, whatever someone else tried.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let signed_in = client.login(&right, Some("198.51.100.1:50000")).await;
    assert_eq!(
        signed_in.status,
        StatusCode::SEE_OTHER,
        "{}",
        signed_in.body
    );

    // Audited: each failure (the account's, and the unknown name without its text), the
    // slow-down, the sign-in; never a password.
    let failed = audit_lines(&client, AuditAction::SignInFailed).await;
    assert_eq!(
        failed,
        [
            "anonymous | web: unknown user name",
            "user:pro | web: wrong password",
            "user:pro | web: wrong password",
            "user:pro | web: wrong password; next attempt after 2 s",
        ]
    );
    let throttled = audit_lines(&client, AuditAction::SignInThrottled).await;
    assert_eq!(
        throttled.len(),
        1,
        "one line per wait, not per refused attempt: {throttled:?}"
    );
    assert!(throttled[0].starts_with("user:pro | web: refused without checking the password, too many failures for this user name"), "{throttled:?}");
    assert_eq!(audit_lines(&client, AuditAction::SignIn).await.len(), 1);
    let log = whole_audit_log(&client).await;
    for secret in [
        "niemand",
        "whatever12345",
        "verkeerd",
        "wachtwoord",
        "203.0.113",
        "198.51.100",
    ] {
        assert!(!log.contains(secret), "{secret} is in the audit log: {log}");
    }

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
        .login("username=oud&password=een+lange+zin+als+wachtwoord", None)
        .await;
    assert_eq!(disabled.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_address_that_keeps_guessing_is_slowed_down_whatever_the_name() {
    let client = Client::new().await;
    client
        .add_user("pro", Role::Professional, Some("Straatalliantie"))
        .await;
    let right = format!("username=pro&password={}", PASSWORD.replace(' ', "+"));
    for i in 0..10 {
        let wrong = client
            .login(
                &format!("username=naam{i}&password=verkeerd+wachtwoord"),
                Some("203.0.113.7:40000"),
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let slowed = client.login(&right, Some("203.0.113.7:40001")).await;
    assert_eq!(slowed.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(slowed.retry_after.as_deref(), Some("2"));
    // Another address, and a request without a known address, are not held up by it.
    let elsewhere = client.login(&right, Some("198.51.100.1:40000")).await;
    assert_eq!(elsewhere.status, StatusCode::SEE_OTHER);
    assert_eq!(
        client.login(&right, None).await.status,
        StatusCode::SEE_OTHER
    );
    let throttled = audit_lines(&client, AuditAction::SignInThrottled).await;
    assert_eq!(throttled.len(), 1, "{throttled:?}");
    assert!(throttled[0].contains("for this address"), "{throttled:?}");
    assert!(!throttled[0].contains("203.0.113"), "no address in the log");
}

#[tokio::test]
async fn overlong_user_names_are_refused_and_nothing_is_kept_for_failures_without_end() {
    let mut client = Client::new().await;
    let long_name = "a".repeat(100_000);
    let refused = client
        .login(
            &format!("username={long_name}&password=whatever12345"),
            None,
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("hoogstens 64 tekens"),
        "{}",
        refused.body
    );
    assert!(
        !refused.body.contains(&long_name[..100]),
        "not repeated back"
    );
    let (status, body) = api(
        &client,
        "POST",
        "/api/v1/session",
        None,
        Some(serde_json::json!({"username": long_name, "password": "whatever12345"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["message"].as_str().unwrap().contains("at most 64"),
        "{body}"
    );
    assert_eq!(client.state.sign_in_throttle.tracked(), 0, "nothing kept");

    // However many names fail, the throttle keeps at most its maximum.
    let limits = dakwacht_web::ThrottleLimits {
        max_entries: 5,
        ..dakwacht_web::ThrottleLimits::PER_NAME
    };
    std::sync::Arc::get_mut(&mut client.state)
        .unwrap()
        .sign_in_throttle = dakwacht_web::SignInThrottle::new(limits, limits);
    for i in 0..20 {
        let name = "b".repeat(40) + &i.to_string();
        client
            .login(
                &format!("username={name}&password=whatever12345"),
                Some(&format!("203.0.113.{i}:1000")),
            )
            .await;
    }
    assert!(client.state.sign_in_throttle.tracked() <= 10);
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
                client
                    .state
                    .store
                    .session(&hash, SessionKind::Web)
                    .await
                    .unwrap()
                    .unwrap()
                    .1
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
        .session(&dakwacht_web::token_hash(&ander), SessionKind::Web)
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
    let good = "case_ref,organisation,reported_on,children_count,children_ages,municipality\n\
                NEW-1,Straatalliantie,2025-05-01,2,1;3,Utrecht\n\
                QS-01,Straatalliantie,2025-04-21,3,4;9;0,Utrecht\n";
    let preview = client.upload(&pro, "nieuw.csv", good.as_bytes()).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(
        preview.body.contains(
            "Nieuw: 1. Bestaan al en worden bijgewerkt: 1. Bestaan al en blijven gelijk: 0."
        ),
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

/// A workbook of more rows than a browser upload takes (a junk million-row sheet took 41 s to
/// check) is refused while it is checked, before any row is read.
#[tokio::test]
async fn an_uploaded_workbook_with_too_many_rows_is_refused() {
    let client = Client::new().await;
    client
        .add_user("pro", Role::Professional, Some("Straatalliantie"))
        .await;
    let pro = client.sign_in("pro", PASSWORD).await;
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet_with_constant_memory().unwrap();
    sheet.write_string(0, 0, "case_ref").unwrap();
    for row in 1..=200_001u32 {
        sheet.write_string(row, 0, "x").unwrap();
    }
    let bytes = workbook.save_to_buffer().unwrap();

    let refused = client.upload(&pro, "lang.xlsx", &bytes).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("more than 200001 rows"),
        "{}",
        refused.body
    );
    assert!(!refused.body.contains("name=\"pending\""));
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

/// The activation link shown (once) after making or approving an account: its path.
fn activation_link(page: &str) -> String {
    let start = page
        .find("/activate/")
        .unwrap_or_else(|| panic!("no activation link in {page}"));
    page[start..].split('<').next().unwrap().to_string()
}

/// Opens an activation link and chooses a password with it, as its user would.
async fn activate(client: &Client, link: &str, password: &str) -> Response {
    let form = client.get(link, None).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let marker = "name=\"token\" value=\"";
    let start = form.body.find(marker).unwrap() + marker.len();
    let token = form.body[start..].split('"').next().unwrap().to_string();
    let password = password.replace(' ', "+");
    client
        .post(
            "/activate",
            &format!("token={token}&password={password}&password_again={password}"),
            None,
        )
        .await
}

/// Whether signing in with this name and password is refused.
async fn sign_in_refused(client: &Client, username: &str, password: &str) -> bool {
    let response = client
        .login(
            &format!(
                "username={username}&password={}",
                password.replace(' ', "+")
            ),
            None,
        )
        .await;
    response.status == StatusCode::UNAUTHORIZED && response.cookie.is_none()
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

    // The administrator adds an organisation and its coordinator; the activation link shown lets
    // the coordinator choose a password. Nobody else knows it.
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
    let professional_first = client
        .post(
            "/admin/users",
            &format!("csrf={csrf}&username=Sanne&role=professional&organisation=Buurtteam+Oost"),
            Some(&admin),
        )
        .await;
    assert_eq!(professional_first.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        professional_first
            .body
            .contains("Buurtteam Oost heeft nog geen coördinator"),
        "{}",
        professional_first.body
    );
    let made = client
        .post(
            "/admin/users",
            &format!("csrf={csrf}&username=Sanne&role=coordinator&organisation=Buurtteam+Oost"),
            Some(&admin),
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    assert!(made.body.contains("werkt 24 uur en maar één keer"));
    assert!(
        made.body.contains("nog niet geactiveerd"),
        "the list says so"
    );
    let link = activation_link(&made.body);
    assert!(link.len() >= "/activate/".len() + 40, "{link}");
    assert!(
        sign_in_refused(&client, "sanne", "").await,
        "no password before activation"
    );
    let activated = activate(&client, &link, "sanne kiest zelf haar wachtwoord").await;
    assert_eq!(activated.status, StatusCode::OK, "{}", activated.body);
    assert!(activated.body.contains("Account geactiveerd"));
    let sanne = client
        .sign_in("sanne", "sanne kiest zelf haar wachtwoord")
        .await;
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
    assert_eq!(elsewhere.status, StatusCode::OK, "{}", elsewhere.body);
    assert!(
        !elsewhere.body.contains("wacht op goedkeuring"),
        "the coordinator's own accounts need no approval"
    );
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
    let activated = activate(&client, &activation_link(&elsewhere.body), PASSWORD).await;
    assert_eq!(activated.status, StatusCode::OK, "{}", activated.body);
    let nieuw_session = client.sign_in("nieuw", PASSWORD).await;

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

/// The finding: an administrator made a professional in another organisation, read its
/// one-time password and signed in as them. Now the administrator never holds a credential of an
/// account with case access in an organisation with a coordinator: it waits for that
/// coordinator, who gets the link; and where nobody could approve, the administrator is refused.
#[tokio::test]
async fn an_administrator_cannot_sign_in_as_an_account_with_case_access() {
    let client = Client::new().await;
    client.add_user("beheer", Role::Admin, None).await;
    client
        .add_user("coord", Role::Coordinator, Some("Straatalliantie"))
        .await;
    client
        .add_user("pro.a", Role::Professional, Some("Straatalliantie"))
        .await;
    let admin = client.sign_in("beheer", PASSWORD).await;
    let csrf = csrf_of(&client.get("/admin/users", Some(&admin)).await.body);

    // Straatalliantie has a coordinator: the account waits, and the administrator gets no link.
    let made = client
        .post(
            "/admin/users",
            &format!("csrf={csrf}&username=spion&role=professional&organisation=Straatalliantie"),
            Some(&admin),
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    assert!(
        made.body
            .contains("wacht op goedkeuring door een coördinator van Straatalliantie"),
        "{}",
        made.body
    );
    assert!(
        !made.body.contains("/activate/"),
        "no link for the administrator"
    );
    let (_, hash) = client
        .state
        .store
        .user_for_login("spion")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(hash, "", "no password anybody could know");
    assert!(sign_in_refused(&client, "spion", "").await);
    // Nor can the administrator make a link for it, or approve it.
    let renew = client
        .post(
            "/admin/users/spion/activation-link",
            &format!("csrf={csrf}"),
            Some(&admin),
        )
        .await;
    assert_eq!(renew.status, StatusCode::NOT_FOUND);
    let approve = client
        .post(
            "/admin/users/spion/approve",
            &format!("csrf={csrf}"),
            Some(&admin),
        )
        .await;
    assert_eq!(approve.status, StatusCode::FORBIDDEN);

    // Stichting Kernkracht has cases and no coordinator: nobody could approve, so refused.
    let refused = client
        .post(
            "/admin/users",
            &format!(
                "csrf={csrf}&username=spion2&role=coordinator&organisation=Stichting+Kernkracht"
            ),
            Some(&admin),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("geen actieve coördinator")
            && refused.body.contains("dakwacht user add"),
        "{}",
        refused.body
    );
    assert!(
        client
            .state
            .store
            .user_for_login("spion2")
            .await
            .unwrap()
            .is_none()
    );

    // A professional decides nothing; the coordinator sees the account waiting and approves it,
    // and gets the link to pass on.
    let pro = client.sign_in("pro.a", PASSWORD).await;
    let pro_csrf = csrf_of(&client.get("/cases", Some(&pro)).await.body);
    assert_eq!(
        client
            .post(
                "/admin/users/spion/approve",
                &format!("csrf={pro_csrf}"),
                Some(&pro)
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let coord = client.sign_in("coord", PASSWORD).await;
    let users = client.get("/admin/users", Some(&coord)).await;
    assert!(
        users.body.contains("wacht op goedkeuring"),
        "{}",
        users.body
    );
    assert!(users.body.contains("/admin/users/spion/approve"));
    let coord_csrf = csrf_of(&users.body);
    let approved = client
        .post(
            "/admin/users/spion/approve",
            &format!("csrf={coord_csrf}"),
            Some(&coord),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    assert!(approved.body.contains("Account ‘spion’ goedgekeurd"));
    let link = activation_link(&approved.body);
    // Approved, and still the administrator cannot make a link of its own.
    let renew = client
        .post(
            "/admin/users/spion/activation-link",
            &format!("csrf={csrf}"),
            Some(&admin),
        )
        .await;
    assert_eq!(renew.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        renew
            .body
            .contains("alleen die maakt een nieuwe activeringslink")
    );
    assert_eq!(
        activate(&client, &link, "gekozen door de nieuwe collega")
            .await
            .status,
        StatusCode::OK
    );
    let spion = client
        .sign_in("spion", "gekozen door de nieuwe collega")
        .await;
    assert_eq!(
        client.get("/cases", Some(&spion)).await.status,
        StatusCode::OK
    );

    // Rejected: disabled, and approving it afterwards finds nothing.
    client
        .post(
            "/admin/users",
            &format!("csrf={csrf}&username=nog.een&role=coordinator&organisation=Straatalliantie"),
            Some(&admin),
        )
        .await;
    let rejected = client
        .post(
            "/admin/users/nog.een/reject",
            &format!("csrf={coord_csrf}"),
            Some(&coord),
        )
        .await;
    assert_eq!(rejected.status, StatusCode::SEE_OTHER);
    assert_eq!(
        client
            .post(
                "/admin/users/nog.een/approve",
                &format!("csrf={coord_csrf}"),
                Some(&coord),
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let users = client
        .state
        .store
        .users(Some("Straatalliantie"))
        .await
        .unwrap();
    assert!(users.iter().any(|u| u.username == "nog.een" && u.disabled));

    let log = client
        .state
        .store
        .audit_log(&AuditFilter::default())
        .await
        .unwrap();
    let lines: Vec<(&str, AuditAction)> = log
        .iter()
        .map(|r| (r.entry.actor.as_str(), r.entry.action))
        .collect();
    for expected in [
        ("user:coord", AuditAction::ApproveUser),
        ("user:coord", AuditAction::RejectUser),
        ("user:spion", AuditAction::ActivateUser),
    ] {
        assert!(lines.contains(&expected), "{expected:?} in {lines:?}");
    }
}

#[tokio::test]
async fn an_activation_link_works_once_and_not_after_a_day() {
    let client = Client::new().await;
    client
        .add_user("coord", Role::Coordinator, Some("Straatalliantie"))
        .await;
    let invite = |username: &str, token: &str, hours: i64| dakwacht_store::Invitation {
        username: username.to_string(),
        role: Role::Professional,
        organisation: Some("Straatalliantie".to_string()),
        by_administrator: false,
        link: dakwacht_store::NewActivationLink {
            token_hash: dakwacht_web::token_hash(token),
            expires_at: jiff::Timestamp::now()
                .checked_add(jiff::SignedDuration::from_hours(hours))
                .unwrap()
                .to_string(),
        },
    };
    let coordinator = Actor::web("coord");
    // Made 25 hours ago: the link ended an hour ago.
    client
        .state
        .store
        .invite_user(&coordinator, &invite("laat", "verlopen-token", -1))
        .await
        .unwrap();
    let expired = client.get("/activate/verlopen-token", None).await;
    assert_eq!(expired.status, StatusCode::GONE);
    assert!(expired.body.contains("verlopen"), "{}", expired.body);
    let posted = client
        .post(
            "/activate",
            "token=verlopen-token&password=een+lang+nieuw+wachtwoord&password_again=een+lang+nieuw+wachtwoord",
            None,
        )
        .await;
    assert_eq!(posted.status, StatusCode::GONE);
    assert!(sign_in_refused(&client, "laat", "een lang nieuw wachtwoord").await);

    let unknown = client.get("/activate/geen-echte-link", None).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("werkt niet (meer)"));

    client
        .state
        .store
        .invite_user(&coordinator, &invite("vers", "goed-token", 24))
        .await
        .unwrap();
    let form = client.get("/activate/goed-token", None).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("‘vers’"));
    let differ = client
        .post(
            "/activate",
            "token=goed-token&password=een+lang+nieuw+wachtwoord&password_again=iets+anders+dan+dat",
            None,
        )
        .await;
    assert_eq!(differ.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(differ.body.contains("niet gelijk"));
    let short = client
        .post(
            "/activate",
            "token=goed-token&password=kort&password_again=kort",
            None,
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body.contains("minstens 12"));
    let done = activate(&client, "/activate/goed-token", "een lang nieuw wachtwoord").await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    // Once: the second use is refused plainly and changes nothing.
    let again = client
        .post(
            "/activate",
            "token=goed-token&password=door+iemand+anders+gekozen&password_again=door+iemand+anders+gekozen",
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::GONE);
    assert!(again.body.contains("al gebruikt"), "{}", again.body);
    assert_eq!(
        client.get("/activate/goed-token", None).await.status,
        StatusCode::GONE
    );
    assert!(sign_in_refused(&client, "vers", "door iemand anders gekozen").await);
    client.sign_in("vers", "een lang nieuw wachtwoord").await;
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
    // One organisation of five cases is too small a selection for a researcher (issue 13).
    let (status, report) = api(
        &client,
        "GET",
        "/api/v1/reports/quickscan?organisation=Stichting%20Kernkracht",
        Some(&researcher),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(report["error"], "selection_too_small");
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
    let cookie = plain.login(&form, None).await.cookie.unwrap();
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
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let secure = Client { state, _dir: dir };
    secure.add_user("pro", Role::Researcher, None).await;
    let signed_in = secure.login(&form, None).await;
    let cookie = signed_in.cookie.unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
    let form_cookie = secure.get("/login", None).await.set_cookies.join("\n");
    assert!(
        form_cookie.contains("dakwacht_login_csrf=") && form_cookie.contains("; Secure"),
        "{form_cookie}"
    );
}

/// A form post with a body of raw bytes (which need not be UTF-8).
async fn post_bytes(client: &Client, path: &str, body: &[u8], session: &str) -> Response {
    let request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("dakwacht_session={session}"))
        .body(Body::from(body.to_vec()))
        .unwrap();
    client.send(request).await
}

#[tokio::test]
async fn with_hsts_or_secure_cookies_every_answer_sends_strict_transport_security() {
    async fn hsts_of(options: dakwacht_web::Options) -> Option<String> {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path().join("hsts.db").to_str().unwrap())
            .await
            .unwrap();
        let state = AppState::with_options(store, RuleSet::built_in().unwrap(), options)
            .await
            .unwrap();
        let response = app(state)
            .oneshot(Request::get("/login").body(Body::empty()).unwrap())
            .await
            .unwrap();
        response
            .headers()
            .get(header::STRICT_TRANSPORT_SECURITY)
            .map(|v| v.to_str().unwrap().to_string())
    }
    let expected = Some("max-age=31536000; includeSubDomains".to_string());
    let hsts = dakwacht_web::Options {
        hsts: true,
        ..Default::default()
    };
    assert_eq!(hsts_of(hsts).await, expected);
    let secure = dakwacht_web::Options {
        secure_cookies: true,
        ..Default::default()
    };
    assert_eq!(hsts_of(secure).await, expected);
    assert_eq!(
        hsts_of(dakwacht_web::Options::default()).await,
        None,
        "plain http://127.0.0.1 must not pin HTTPS"
    );
}

/// `%FF` is not UTF-8: axum's own form reader would store it as U+FFFD; every form refuses it.
#[tokio::test]
async fn a_form_with_text_that_is_not_utf8_is_refused_and_nothing_is_saved() {
    let client = Client::new().await;
    client
        .add_user("pro", Role::Professional, Some("Straatalliantie"))
        .await;
    client.add_user("beheer", Role::Admin, None).await;
    let pro = client.sign_in("pro", PASSWORD).await;
    let csrf = csrf_of(&client.get("/cases/new", Some(&pro)).await.body);
    let case = format!("csrf={csrf}&case_ref=WEB-UTF8&reported_on=2025-05-01&children_count=2");

    for notes in [&b"notes=caf%FF"[..], b"notes=caf\xff", b"notes=%C3"] {
        let mut body = case.clone().into_bytes();
        body.push(b'&');
        body.extend_from_slice(notes);
        let refused = post_bytes(&client, "/cases/new", &body, &pro).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
        assert_eq!(
            refused.body,
            "Het formulier bevat tekst die geen UTF-8 is (veld ‘notes’). Er is niets opgeslagen. Ga terug en typ de tekst opnieuw."
        );
    }
    assert!(
        client
            .state
            .store
            .case("Straatalliantie", "WEB-UTF8")
            .await
            .unwrap()
            .is_none()
    );
    // Valid UTF-8, percent-encoded, is saved exactly.
    let saved = post_bytes(
        &client,
        "/cases/new",
        format!("{case}&notes=caf%C3%A9+%E2%82%AC").as_bytes(),
        &pro,
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let stored = client.state.store.case("Straatalliantie", "WEB-UTF8").await;
    assert_eq!(stored.unwrap().unwrap().notes.unwrap().as_str(), "café €");

    let admin = client.sign_in("beheer", PASSWORD).await;
    let csrf = csrf_of(&client.get("/admin/organisations", Some(&admin)).await.body);
    let refused = post_bytes(
        &client,
        "/admin/organisations",
        format!("csrf={csrf}&name=Buurt%FFteam").as_bytes(),
        &admin,
    )
    .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("‘name’"), "{}", refused.body);
    assert!(
        !client
            .state
            .store
            .organisations()
            .await
            .unwrap()
            .iter()
            .any(|o| o.starts_with("Buurt"))
    );
}

#[tokio::test]
async fn control_characters_are_refused_in_forms_and_the_api_naming_the_field() {
    let client = Client::new().await;
    client
        .add_user("pro", Role::Professional, Some("Straatalliantie"))
        .await;
    client.add_user("beheer", Role::Admin, None).await;
    let pro = client.sign_in("pro", PASSWORD).await;
    let csrf = csrf_of(&client.get("/cases/new", Some(&pro)).await.body);
    let case = format!("csrf={csrf}&reported_on=2025-05-01&children_count=2");

    // The case form: the field is marked, the value shown escaped, nothing saved.
    let refused = client
        .post(
            "/cases/new",
            &format!("{case}&case_ref=WEB%1B%5B2J&municipality=Ams%E2%80%AEterdam"),
            Some(&pro),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("U+001B"), "{}", refused.body);
    assert!(refused.body.contains("WEB\\u{1B}[2J"), "{}", refused.body);
    assert!(refused.body.contains("U+202E"), "{}", refused.body);
    // What was typed stays in the inputs to be corrected; the messages carry it escaped.
    let outside_inputs = refused
        .body
        .replace("value=\"WEB\u{1b}[2J\"", "")
        .replace("value=\"Ams\u{202e}terdam\"", "");
    assert!(
        !outside_inputs.contains(['\u{1b}', '\u{202e}'].as_slice()),
        "no control character is echoed in a message: {outside_inputs}"
    );
    assert!(
        client
            .state
            .store
            .case("Straatalliantie", "WEB\u{1b}[2J")
            .await
            .unwrap()
            .is_none()
    );
    // Line breaks and tabs stay allowed in notes.
    let saved = client
        .post(
            "/cases/new",
            &format!("{case}&case_ref=WEB-NOTES&notes=een%0D%0A%09twee"),
            Some(&pro),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    // The observation form echoes the refused date escaped.
    let page = client
        .get("/cases/Straatalliantie/QS-01", Some(&pro))
        .await
        .body;
    let observed = client
        .post(
            "/cases/Straatalliantie/QS-01/observations",
            &format!(
                "csrf={}&observed_on=2025-06%07%1B&situation=car",
                csrf_of(&page)
            ),
            Some(&pro),
        )
        .await;
    assert_eq!(observed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        observed.body.contains("2025-06\\u{7}\\u{1B}"),
        "{}",
        observed.body
    );
    assert!(!observed.body.contains(['\u{7}', '\u{1b}'].as_slice()));

    // The API: 422 with the JSON field and the escaped value.
    let token = api_token(&client, "pro").await;
    let (status, body) = api(
        &client,
        "PUT",
        "/api/v1/cases/Straatalliantie/API-CTRL",
        Some(&token),
        Some(serde_json::json!({"fields": {
            "reported_on": "2025-05-01",
            "children_count": "1",
            "notes": "ok\n\tok",
            "municipality": "Den\u{0}Haag",
        }})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let problems = body["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{body}");
    assert_eq!(problems[0]["field"], "municipality");
    assert_eq!(problems[0]["value"], "Den\\u{0}Haag");
    assert!(
        problems[0]["expected"]
            .as_str()
            .unwrap()
            .contains("found U+0000"),
        "{body}"
    );
    let (status, _) = api(
        &client,
        "PUT",
        "/api/v1/cases/Straatalliantie/API%E2%80%AECTRL",
        Some(&token),
        Some(serde_json::json!({"fields": {"reported_on": "2025-05-01", "children_count": "1"}})),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reference from the address too"
    );

    // An organisation name from the admin form.
    let admin = client.sign_in("beheer", PASSWORD).await;
    let csrf = csrf_of(&client.get("/admin/organisations", Some(&admin)).await.body);
    let refused = client
        .post(
            "/admin/organisations",
            &format!("csrf={csrf}&name=Buurt%E2%80%AEteam"),
            Some(&admin),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("U+202E"), "{}", refused.body);

    // The audit page shows a logged value escaped, as `dakwacht audit` does.
    client
        .state
        .store
        .audit(
            &dakwacht_store::AuditEntry::new(&Actor::cli("test"), AuditAction::Import)
                .detail("lijst\u{202e}vsc.exe"),
        )
        .await
        .unwrap();
    let log = client.get("/admin/audit", Some(&admin)).await;
    assert!(log.body.contains("lijst\\u{202E}vsc.exe"), "{}", log.body);
    assert!(!log.body.contains('\u{202e}'));
    assert!(
        !client
            .state
            .store
            .organisations()
            .await
            .unwrap()
            .iter()
            .any(|o| o.starts_with("Buurt"))
    );
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

/// Issue 13: a researcher could single out one family by choosing one organisation and one day.
/// Figures over fewer than 10 cases are refused to researchers, on the dashboard and in the API;
/// professionals still see their own organisation's figures.
#[tokio::test]
async fn a_researcher_cannot_single_out_a_family_with_a_small_selection() {
    let client = Client::new().await;
    client.add_user("onderzoek", Role::Researcher, None).await;
    client
        .add_user("pro", Role::Professional, Some("Straatalliantie"))
        .await;
    let one_day = "organisation=Straatalliantie&from=2024-10-18&to=2024-10-18";

    let token = api_token(&client, "onderzoek").await;
    let (status, body) = api(
        &client,
        "GET",
        &format!("/api/v1/reports/quickscan?{one_day}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"], "selection_too_small");
    assert!(body.get("measures").is_none(), "no figure at all: {body}");

    let researcher = client.sign_in("onderzoek", PASSWORD).await;
    let page = client
        .get(&format!("/dashboard?{one_day}"), Some(&researcher))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("minder dan 10 casussen"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<dd>"), "no key figures");
    assert!(!page.body.contains("<svg"), "no charts");

    // All 23 cases: the published figures.
    let all = client.get("/dashboard", Some(&researcher)).await;
    assert!(!all.body.contains("minder dan 10 casussen"));
    assert!(all.body.contains("<dd>23</dd>"));

    // A professional's own organisation is not a publication: its figures stay visible.
    let pro = client.sign_in("pro", PASSWORD).await;
    let own = client.get("/dashboard", Some(&pro)).await;
    assert!(!own.body.contains("minder dan 10 casussen"));
    assert!(own.body.contains("<dd>5</dd>"));

    let refused = client
        .state
        .store
        .audit_log(&AuditFilter {
            action: Some(AuditAction::Statistics),
            actor: Some("user:onderzoek".into()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
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

/// Issue 13: an upload with only some columns shows what it will really do (unchanged rows count
/// as unchanged) and storing it leaves the other fields alone; a rule that breaks only together
/// with the stored fields is shown by line before anything is stored.
#[tokio::test]
async fn an_upload_with_fewer_columns_is_previewed_and_stored_as_an_update_of_those_columns() {
    let client = Client::new().await;
    client
        .add_user("pro", Role::Professional, Some("Straatalliantie"))
        .await;
    let pro = client.sign_in("pro", PASSWORD).await;
    let before = client
        .state
        .store
        .case("Straatalliantie", "QS-01")
        .await
        .unwrap()
        .unwrap();
    let reported = before.reported_on.to_string();
    let count = before.children.count;
    let file = format!(
        "case_ref,organisation,reported_on,children_count\n\
         QS-01,Straatalliantie,{reported},{count}\n\
         QS-06,Straatalliantie,2025-06-30,1\n\
         QS-99,Straatalliantie,2025-06-30,2\n"
    );
    let preview = client.upload(&pro, "bijwerken.csv", file.as_bytes()).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(
        preview.body.contains(
            "Nieuw: 1. Bestaan al en worden bijgewerkt: 1. Bestaan al en blijven gelijk: 1."
        ),
        "{}",
        preview.body
    );
    assert!(preview.body.contains("bestaat al, blijft gelijk"));
    let stored = client.confirm_preview(&pro, &preview.body).await;
    assert_eq!(stored.status, StatusCode::OK, "{}", stored.body);
    let after = client
        .state
        .store
        .case("Straatalliantie", "QS-01")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after, before, "an unchanged row changes nothing");
    let updated = client
        .state
        .store
        .case("Straatalliantie", "QS-06")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(updated.reported_on.to_string(), "2025-06-30");
    assert!(updated.route.is_some(), "fields of absent columns stay");

    // default_judgment without a route column, for a case whose stored route is no court case.
    let no_court = "QS-11";
    assert_eq!(
        client
            .state
            .store
            .case("Straatalliantie", no_court)
            .await
            .unwrap()
            .unwrap()
            .route,
        Some(dakwacht_core::Route::LeftOther)
    );
    let file = format!(
        "case_ref,organisation,reported_on,children_count,default_judgment\n\
         {no_court},Straatalliantie,2025-06-30,1,yes\n"
    );
    let refused = client.upload(&pro, "verstek.csv", file.as_bytes()).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("<tr><td>2</td><td>default_judgment</td><td>yes</td>"),
        "{}",
        refused.body
    );
    assert!(
        !refused.body.contains("name=\"pending\""),
        "nothing to confirm"
    );
}

/// Issue 13: at most one heavy job (preview, import, export) per user at a time.
#[tokio::test]
async fn a_second_heavy_job_of_the_same_user_gets_a_clear_busy_answer() {
    let client = Client::new().await;
    client
        .add_user("pro", Role::Professional, Some("Straatalliantie"))
        .await;
    client
        .add_user("collega", Role::Professional, Some("Straatalliantie"))
        .await;
    let pro = client.sign_in("pro", PASSWORD).await;
    let collega = client.sign_in("collega", PASSWORD).await;
    let file =
        b"case_ref,organisation,reported_on,children_count\nN-1,Straatalliantie,2025-06-30,1\n";

    let running = client.state.heavy_jobs.start("pro").unwrap();
    let busy = client.upload(&pro, "a.csv", file).await;
    assert_eq!(busy.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(busy.retry_after.is_some());
    assert!(busy.body.contains("al bezig met een import of export"));
    let export = client.get("/export", Some(&pro)).await;
    assert_eq!(export.status, StatusCode::TOO_MANY_REQUESTS);
    // Another user is not held up.
    assert_eq!(
        client.upload(&collega, "a.csv", file).await.status,
        StatusCode::OK
    );
    drop(running);
    assert_eq!(
        client.upload(&pro, "a.csv", file).await.status,
        StatusCode::OK
    );
}

/// Issue 13: the import's audit line keeps the file name when the browser sends only `filename*`.
#[tokio::test]
async fn the_audit_line_of_an_upload_names_a_file_sent_as_filename_star() {
    let client = Client::new().await;
    client
        .add_user("pro", Role::Professional, Some("Straatalliantie"))
        .await;
    let pro = client.sign_in("pro", PASSWORD).await;
    let file =
        b"case_ref,organisation,reported_on,children_count\nN-1,Straatalliantie,2025-06-30,1\n";
    let preview = client
        .upload_as(&pro, "filename*=UTF-8''gezinnen%20na%C3%AFef.csv", file)
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.body.contains("gezinnen naïef.csv"));
    let stored = client.confirm_preview(&pro, &preview.body).await;
    assert_eq!(stored.status, StatusCode::OK, "{}", stored.body);
    let imports = client
        .state
        .store
        .audit_log(&AuditFilter {
            action: Some(AuditAction::Import),
            actor: Some("user:pro".into()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
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

#[tokio::test]
async fn the_sign_in_form_carries_a_csrf_token_in_a_field_and_a_cookie() {
    let client = Client::new().await;
    client
        .add_user("pro", Role::Professional, Some("Straatalliantie"))
        .await;
    let right = format!("username=pro&password={}", PASSWORD.replace(' ', "+"));
    let page = client.get("/login", None).await;
    let token = csrf_of(&page.body);
    let cookie = page
        .set_cookies
        .iter()
        .find(|c| c.starts_with("dakwacht_login_csrf="))
        .unwrap()
        .clone();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert_eq!(
        login_csrf_cookie(&page),
        format!("dakwacht_login_csrf={token}")
    );

    // Another site's form: no token, or a token without the cookie (SameSite=Strict keeps the
    // cookie from being sent along), or a cookie with another token.
    let post = |body: String, cookie: Option<String>| {
        let mut request = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        request.body(Body::from(body)).unwrap()
    };
    let forged = [
        post(right.clone(), None),
        post(format!("csrf={token}&{right}"), None),
        post(
            format!("csrf={}&{right}", "x".repeat(43)),
            Some(format!("dakwacht_login_csrf={token}")),
        ),
        post(right.clone(), Some(format!("dakwacht_login_csrf={token}"))),
    ];
    for request in forged {
        let refused = client.send(request).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
        assert!(refused.cookie.is_none(), "no session");
        assert!(
            refused.body.contains("inlogformulier is verlopen"),
            "{}",
            refused.body
        );
        assert!(
            refused.body.contains("name=\"csrf\""),
            "a fresh form to try again"
        );
    }
    // The forged attempts were not even counted as failures.
    assert_eq!(client.state.sign_in_throttle.tracked(), 0);

    // The page's own form signs in, and the form token is then cleared.
    let signed_in = client
        .send(post(
            format!("csrf={token}&{right}"),
            Some(format!("dakwacht_login_csrf={token}")),
        ))
        .await;
    assert_eq!(
        signed_in.status,
        StatusCode::SEE_OTHER,
        "{}",
        signed_in.body
    );
    assert!(signed_in.cookie.is_some());
    assert!(
        signed_in
            .set_cookies
            .iter()
            .any(|c| c.starts_with("dakwacht_login_csrf=;")
                || c.contains("dakwacht_login_csrf=; ")
                || (c.starts_with("dakwacht_login_csrf=") && c.contains("Max-Age=0"))),
        "{:?}",
        signed_in.set_cookies
    );
}

#[tokio::test]
async fn sign_ins_tokens_and_refused_access_are_in_the_audit_log() {
    let client = Client::new().await;
    client
        .add_user("pro.a", Role::Professional, Some("Straatalliantie"))
        .await;
    client
        .add_user("pro.b", Role::Professional, Some("Stichting Kernkracht"))
        .await;
    client.add_user("onderzoek", Role::Researcher, None).await;

    let pro_b = client.sign_in("pro.b", PASSWORD).await;
    let hidden = client
        .get("/cases/Straatalliantie/QS-01", Some(&pro_b))
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    let researcher = client.sign_in("onderzoek", PASSWORD).await;
    assert_eq!(
        client.get("/cases", Some(&researcher)).await.status,
        StatusCode::FORBIDDEN
    );
    // The same refusals through the API.
    let token = api_token(&client, "pro.b").await;
    let (status, _) = api(
        &client,
        "GET",
        "/api/v1/cases/Straatalliantie/QS-01",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let revoked = client
        .send(
            Request::delete("/api/v1/session")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    // Signing out of the pages.
    let csrf = client
        .state
        .store
        .session(&dakwacht_web::token_hash(&pro_b), SessionKind::Web)
        .await
        .unwrap()
        .unwrap()
        .1;
    let out = client
        .post("/logout", &format!("csrf={csrf}"), Some(&pro_b))
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);

    let sign_ins = audit_lines(&client, AuditAction::SignIn).await;
    assert_eq!(sign_ins.len(), 2, "{sign_ins:?}");
    assert!(sign_ins[0].starts_with("user:pro.b | web: session until "));
    let created = audit_lines(&client, AuditAction::CreateToken).await;
    assert_eq!(created.len(), 1);
    assert!(
        created[0].starts_with("user:pro.b | api: session until "),
        "{created:?}"
    );
    assert_eq!(
        audit_lines(&client, AuditAction::RevokeToken).await,
        ["user:pro.b | api"]
    );
    assert_eq!(
        audit_lines(&client, AuditAction::SignOut).await,
        ["user:pro.b | web"]
    );
    let refused = client
        .state
        .store
        .audit_log(&AuditFilter {
            action: Some(AuditAction::AccessRefused),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    let refused: Vec<(String, Option<String>, String)> = refused
        .into_iter()
        .rev()
        .map(|r| {
            (
                r.entry.actor,
                r.entry.organisation,
                r.entry.detail.unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(refused.len(), 3, "{refused:?}");
    assert_eq!(refused[0].0, "user:pro.b");
    assert_eq!(refused[0].1.as_deref(), Some("Straatalliantie"));
    assert!(
        refused[0]
            .2
            .starts_with("GET /cases/Straatalliantie/QS-01: "),
        "{refused:?}"
    );
    assert_eq!(refused[1].0, "user:onderzoek");
    assert!(refused[1].2.starts_with("GET /cases: "), "{refused:?}");
    assert_eq!(refused[2].0, "user:pro.b");
    assert!(
        refused[2]
            .2
            .starts_with("GET /api/v1/cases/Straatalliantie/QS-01: "),
        "{refused:?}"
    );
    assert!(!whole_audit_log(&client).await.contains(PASSWORD));
}

#[tokio::test]
async fn browser_sessions_and_api_tokens_are_separate_and_a_token_can_be_revoked() {
    let client = Client::new().await;
    client
        .add_user("pro", Role::Professional, Some("Straatalliantie"))
        .await;
    let cookie = client.sign_in("pro", PASSWORD).await;
    let token = api_token(&client, "pro").await;

    // A browser's cookie value is no bearer token, and an API token is no browser session.
    let (status, body) = api(&client, "GET", "/api/v1/cases", Some(&cookie), None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );
    let as_cookie = client.get("/cases", Some(&token)).await;
    assert_eq!(as_cookie.status, StatusCode::SEE_OTHER);
    assert_eq!(as_cookie.location.as_deref(), Some("/login"));
    assert_eq!(
        client.get("/cases", Some(&cookie)).await.status,
        StatusCode::OK
    );
    let (status, _) = api(&client, "GET", "/api/v1/cases", Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);

    // Revoking the token ends it at once, and only it.
    let (status, _) = api(&client, "DELETE", "/api/v1/session", Some(&cookie), None).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a cookie cannot revoke a token"
    );
    let revoked = client
        .send(
            Request::delete("/api/v1/session")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    let (status, body) = api(&client, "GET", "/api/v1/cases", Some(&token), None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );
    let (status, _) = api(&client, "DELETE", "/api/v1/session", Some(&token), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        client.get("/cases", Some(&cookie)).await.status,
        StatusCode::OK
    );

    let (_, doc) = api(&client, "GET", "/api/v1/openapi.json", None, None).await;
    assert!(
        doc["paths"]["/api/v1/session"]["delete"].is_object(),
        "{doc}"
    );
    assert!(
        doc["paths"]["/api/v1/session"]["delete"]["responses"]["204"].is_object(),
        "{doc}"
    );
}

/// Sends a raw request to the API and parses the answer, which must be JSON.
async fn raw_api(
    client: &Client,
    request: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, serde_json::Value) {
    let response = app(client.state.clone()).oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(
        headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
        Some("application/json"),
        "{status}: {}",
        String::from_utf8_lossy(&body)
    );
    let json = serde_json::from_slice(&body)
        .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&body)));
    (status, headers, json)
}

#[tokio::test]
async fn every_error_of_the_api_is_json_and_echoes_little() {
    let client = Client::new().await;
    client
        .add_user("pro", Role::Professional, Some("Straatalliantie"))
        .await;
    let token = api_token(&client, "pro").await;
    let json_post = |path: &str, content_type: &str, body: String| {
        Request::post(path)
            .header(header::CONTENT_TYPE, content_type)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::from(body))
            .unwrap()
    };
    let cases: Vec<(Request<Body>, StatusCode, &str)> = vec![
        (
            json_post("/api/v1/session", "application/json", "{not json".into()),
            StatusCode::BAD_REQUEST,
            "invalid",
        ),
        (
            json_post(
                "/api/v1/session",
                "text/plain",
                r#"{"username":"pro","password":"x"}"#.into(),
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            Request::put("/api/v1/cases/Straatalliantie/QS-01")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::from(format!(
                    r#"{{"fields": {{"notes": "{}"}}}}"#,
                    "x".repeat(3 * 1024 * 1024)
                )))
                .unwrap(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
        ),
        (
            Request::get("/api/v1/nothing-here")
                .body(Body::empty())
                .unwrap(),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            Request::delete("/api/v1/cases")
                .body(Body::empty())
                .unwrap(),
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
        (
            Request::get("/api/v1/cases?limit=veel")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
            StatusCode::BAD_REQUEST,
            "invalid",
        ),
    ];
    for (request, want_status, want_error) in cases {
        let what = format!("{} {}", request.method(), request.uri());
        let (status, headers, body) = raw_api(&client, request).await;
        assert_eq!(status, want_status, "{what}: {body}");
        assert_eq!(body["error"], want_error, "{what}: {body}");
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{what}: {body}"
        );
        if status == StatusCode::METHOD_NOT_ALLOWED {
            assert!(headers.contains_key(header::ALLOW), "{what}");
        }
    }

    // Values sent back in an error are shortened.
    let long = "kasteel".repeat(20);
    let (status, body) = api(
        &client,
        "GET",
        &format!("/api/v1/cases?route={long}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("kasteelkasteel") && message.contains('…'),
        "{message}"
    );
    assert!(message.chars().count() < 120, "{message}");
    let request = json_post(
        "/api/v1/cases/Straatalliantie/QS-01",
        "application/json",
        format!(r#"{{"version": "{}", "fields": {{}}}}"#, "9".repeat(10_000)),
    );
    let request = {
        let (mut parts, body) = request.into_parts();
        parts.method = axum::http::Method::PUT;
        Request::from_parts(parts, body)
    };
    let (status, _, body) = raw_api(&client, request).await;
    assert!(status.is_client_error(), "{status}");
    let message = body["message"].as_str().unwrap();
    assert!(message.chars().count() < 250, "{message}");
}
