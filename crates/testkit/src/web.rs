//! The web application on a store, driven through `tower`'s `oneshot` (no port, no network), and
//! the sessions of signed-in users: a [`Session`] sends its form token itself, so a test names only
//! what a user would type or click.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Request, StatusCode, header};
use dakwacht_core::access::Role;
use dakwacht_core::{Closure, Observation};
use dakwacht_rules::RuleSet;
use dakwacht_store::{Actor, AuditAction, AuditFilter, Change, NewUser, SessionKind, Store};
use dakwacht_web::{AppState, Options, app};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::{Database, PASSWORD, TestStore};

/// An answer of the application.
pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// `Location`, of a redirect.
    pub location: Option<String>,
    /// The `Set-Cookie` of the session cookie, whole (with its attributes).
    pub cookie: Option<String>,
    pub retry_after: Option<String>,
    /// Every `Set-Cookie` of the answer.
    pub set_cookies: Vec<String>,
    pub bytes: Bytes,
    /// [`Response::bytes`] as text (invalid UTF-8 replaced).
    pub body: String,
}

impl Response {
    /// Asserts the answer's status; the body is shown when it is another.
    #[track_caller]
    pub fn assert_status(&self, status: StatusCode) -> &Response {
        assert_eq!(self.status, status, "{}", self.body);
        self
    }

    /// Asserts that the body holds `text`; the body is shown when it does not.
    #[track_caller]
    pub fn assert_contains(&self, text: &str) -> &Response {
        assert!(self.body.contains(text), "{text:?} not in {}", self.body);
        self
    }

    /// Asserts that the body holds each of `texts`.
    #[track_caller]
    pub fn assert_contains_all(&self, texts: &[&str]) -> &Response {
        for text in texts {
            self.assert_contains(text);
        }
        self
    }

    /// Asserts that the body does not hold `text`.
    #[track_caller]
    pub fn assert_lacks(&self, text: &str) -> &Response {
        assert!(!self.body.contains(text), "{text:?} in {}", self.body);
        self
    }

    /// The body as JSON, which it must be.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.bytes).unwrap_or_else(|_| panic!("not JSON: {}", self.body))
    }
}

/// An account a test makes, as the command line would: its name, role and organisation. Its
/// password is [`PASSWORD`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Account {
    pub username: &'static str,
    pub role: Role,
    pub organisation: Option<&'static str>,
}

impl Account {
    pub const fn new(
        username: &'static str,
        role: Role,
        organisation: Option<&'static str>,
    ) -> Account {
        Account {
            username,
            role,
            organisation,
        }
    }
}

/// The administrator: accounts and organisations, no cases.
pub const BEHEER: Account = Account::new("beheer", Role::Admin, None);
/// A researcher: the figures of every organisation, no cases.
pub const ONDERZOEK: Account = Account::new("onderzoek", Role::Researcher, None);
/// A professional of Straatalliantie.
pub const PRO: Account = Account::new("pro", Role::Professional, Some("Straatalliantie"));
/// Another professional of Straatalliantie, where a test has one of each organisation.
pub const PRO_A: Account = Account::new("pro.a", Role::Professional, Some("Straatalliantie"));
/// A professional of Stichting Kernkracht.
pub const PRO_B: Account = Account::new("pro.b", Role::Professional, Some("Stichting Kernkracht"));
/// The coordinator of Straatalliantie.
pub const COORD: Account = Account::new("coord", Role::Coordinator, Some("Straatalliantie"));

/// The web application on one store, with the built-in rules.
pub struct Client<S: Store> {
    pub state: Arc<AppState<S>>,
    /// The same database, for what a test checks behind the application's back (the web itself
    /// reaches the store only through the application layer).
    store: S,
}

impl<S: TestStore> Client<S> {
    /// The application on a handle of its own of `database`, with the 23 quickscan cases
    /// imported and no accounts yet.
    pub async fn new(database: &Database<S>) -> Client<S> {
        Client::on(database.open().await).await
    }

    /// [`Client::new`], with these accounts made.
    pub async fn with_accounts(database: &Database<S>, accounts: &[Account]) -> Client<S> {
        let client = Client::new(database).await;
        for account in accounts {
            client
                .add_user(account.username, account.role, account.organisation)
                .await;
        }
        client
    }
}

impl<S: Store + Clone> Client<S> {
    /// The application on `store`, after importing the 23 quickscan cases into it.
    pub async fn on(store: S) -> Client<S> {
        crate::import_cases(&store, crate::quickscan_cases()).await;
        Client::with_options(store, Options::default()).await
    }

    /// The application on `store` as it is, deployed with `options`.
    pub async fn with_options(store: S, options: Options) -> Client<S> {
        let state = AppState::with_options(store.clone(), RuleSet::built_in().unwrap(), options)
            .await
            .unwrap();
        Client { state, store }
    }

    /// The application on `store` as it is, with its own policy for the dashboard's kept
    /// figures.
    pub async fn with_figures_policy(store: S, figures: dakwacht_app::FiguresPolicy) -> Client<S> {
        let app = dakwacht_app::App::with_figures_policy(store.clone(), figures).unwrap();
        let state = AppState::on(app, RuleSet::built_in().unwrap(), Options::default())
            .await
            .unwrap();
        Client { state, store }
    }

    /// The application on `store` as it is, with a sign-in throttle of its own.
    pub async fn with_throttle(store: S, throttle: dakwacht_web::SignInThrottle) -> Client<S> {
        let state = AppState::with_throttle(store.clone(), RuleSet::built_in().unwrap(), throttle)
            .await
            .unwrap();
        Client { state, store }
    }
}

impl<S: Store> Client<S> {
    pub fn store(&self) -> &S {
        &self.store
    }

    /// How many names and addresses the sign-in throttle keeps.
    pub fn throttled_entries(&self) -> usize {
        self.state.app.throttle().tracked()
    }

    /// Sends one request and reads the whole answer.
    pub async fn send(&self, request: Request<Body>) -> Response {
        let response = app(self.state.clone()).oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let text = |name| {
            headers
                .get(name)
                .map(|v: &header::HeaderValue| v.to_str().unwrap().to_string())
        };
        let location = text(header::LOCATION);
        let retry_after = text(header::RETRY_AFTER);
        let set_cookies: Vec<String> = headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect();
        let cookie = set_cookies
            .iter()
            .find(|c| c.starts_with("dakwacht_session="))
            .cloned();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Response {
            status,
            location,
            cookie,
            retry_after,
            set_cookies,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes,
            headers,
        }
    }

    /// `GET path` without a session.
    pub async fn get(&self, path: &str) -> Response {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    /// A form sent without a session (first-run setup, activation), as given.
    pub async fn post(&self, path: &str, form: &str) -> Response {
        self.send(form_request(path, None, form.as_bytes().to_vec()))
            .await
    }

    /// Opens the sign-in page and sends its form as a browser would: with the form's token in
    /// the hidden field and in its cookie. From `address` when given, as `serve` would see it.
    pub async fn login(&self, form: &str, address: Option<&str>) -> Response {
        let page = self.get("/login").await;
        let csrf = csrf_of(&page.body);
        let mut request = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, login_csrf_cookie(&page))
            .body(Body::from(format!("csrf={csrf}&{form}")))
            .unwrap();
        if let Some(address) = address {
            request.extensions_mut().insert(axum::extract::ConnectInfo(
                address.parse::<std::net::SocketAddr>().unwrap(),
            ));
        }
        self.send(request).await
    }

    /// Signs in with [`PASSWORD`].
    pub async fn sign_in(&self, username: &str) -> Session<'_, S> {
        self.sign_in_with(username, PASSWORD).await
    }

    /// Signs in through the sign-in form; the session cookie must be `HttpOnly` and
    /// `SameSite=Strict`.
    /// An account with a second factor gives the next test recovery code (see
    /// [`crate::second_factor`]); one that needs a factor and has none sets up an app with the
    /// page's seed.
    pub async fn sign_in_with(&self, username: &str, password: &str) -> Session<'_, S> {
        let mut response = self.login(&credentials(username, password), None).await;
        loop {
            assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
            let token = session_token(&response);
            response = match response.location.as_deref() {
                Some("/login/code") => {
                    let code = crate::second_factor::next_recovery_code();
                    self.give_code(&token, &code).await
                }
                Some("/account/second-factor") => {
                    let (answer, _) = self.set_up_app(&token).await;
                    answer.assert_status(StatusCode::OK);
                    return self.session(&session_token(&answer)).await;
                }
                _ => return self.session(&token).await,
            };
        }
    }

    /// Sends a code on the page that asks for it after the password, for the session of
    /// `token` (waiting for it).
    pub async fn give_code(&self, token: &str, code: &str) -> Response {
        let cookie = format!("dakwacht_session={token}");
        let page = self
            .send(
                Request::get("/login/code")
                    .header(header::COOKIE, &cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        let csrf = csrf_of(&page.body);
        self.send(form_request(
            "/login/code",
            Some(&cookie),
            format!("csrf={csrf}&code={code}").into_bytes(),
        ))
        .await
    }

    /// Sets up an authenticator app in the session of `token` (waiting for one, or signed in:
    /// then with [`PASSWORD`]) as a user would: reads the seed off the page and sends the code
    /// of now. The answer, and the seed.
    pub async fn set_up_app(&self, token: &str) -> (Response, String) {
        let cookie = format!("dakwacht_session={token}");
        let page = self
            .send(
                Request::get("/account/second-factor")
                    .header(header::COOKIE, &cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        page.assert_status(StatusCode::OK);
        let seed = secret_of(&page.body);
        let code = crate::second_factor::totp_code(&seed, crate::second_factor::now());
        let csrf = csrf_of(&page.body);
        let password = PASSWORD.replace(' ', "+");
        let answer = self
            .send(form_request(
                "/account/second-factor",
                Some(&cookie),
                format!("csrf={csrf}&code={code}&current={password}").into_bytes(),
            ))
            .await;
        (answer, seed)
    }

    /// Whether signing in with this name and password is refused.
    pub async fn sign_in_refused(&self, username: &str, password: &str) -> bool {
        let response = self.login(&credentials(username, password), None).await;
        response.status == StatusCode::UNAUTHORIZED && response.cookie.is_none()
    }

    /// A browser that sends `token` as its session cookie (whatever it is: an API token, say).
    /// Its form token is the session's, when there is such a session.
    pub async fn session(&self, token: &str) -> Session<'_, S> {
        let csrf = self
            .store()
            .session(&dakwacht_web::token_hash(token), SessionKind::Web, "")
            .await
            .unwrap()
            .map(|(_, csrf)| csrf)
            .unwrap_or_default();
        Session {
            client: self,
            token: token.to_string(),
            csrf,
            cookie: format!("dakwacht_session={token}"),
        }
    }

    /// Adds an account with [`PASSWORD`], as the command line does; administrators and
    /// coordinators, who cannot sign in without one, with the test second factor (see
    /// [`crate::second_factor`]).
    pub async fn add_user(&self, username: &str, role: Role, organisation: Option<&str>) {
        self.add_user_without_second_factor(username, role, organisation)
            .await;
        if matches!(role, Role::Admin | Role::Coordinator) {
            crate::second_factor::give_second_factor(self.store(), username).await;
        }
    }

    /// Adds an account with [`PASSWORD`] and nothing else, as the command line does: one that
    /// needs a second factor sets it up at its first sign-in.
    pub async fn add_user_without_second_factor(
        &self,
        username: &str,
        role: Role,
        organisation: Option<&str>,
    ) {
        self.store()
            .add_user(
                &Actor::cli("test"),
                &NewUser {
                    username: username.into(),
                    role,
                    organisation: organisation.map(str::to_string),
                    password_hash: dakwacht_core::password::hash(PASSWORD, username).unwrap(),
                },
            )
            .await
            .unwrap();
    }

    /// Adds an account and signs in with it.
    pub async fn signed_in(&self, account: Account) -> Session<'_, S> {
        self.add_user(account.username, account.role, account.organisation)
            .await;
        self.sign_in(account.username).await
    }

    /// Opens an activation link and chooses a password with it, as its user would.
    pub async fn activate(&self, link: &str, password: &str) -> Response {
        let form = self.get(link).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        let token = hidden_value(&form.body, "token");
        self.post("/activate", &activation_form(&token, password, password))
            .await
    }

    /// Calls the JSON API, with a bearer token when given: the status and the parsed body.
    pub async fn api(
        &self,
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
        let response = self.send(request).await;
        let json = serde_json::from_str(&response.body)
            .unwrap_or_else(|_| panic!("{path}: not JSON: {}", response.body));
        (response.status, json)
    }

    /// `GET path` of the JSON API with a bearer token.
    pub async fn api_get(&self, path: &str, token: &str) -> (StatusCode, serde_json::Value) {
        self.api("GET", path, Some(token), None).await
    }

    /// `PUT path` of the JSON API with a bearer token and a JSON body.
    pub async fn api_put(
        &self,
        path: &str,
        token: &str,
        body: serde_json::Value,
    ) -> (StatusCode, serde_json::Value) {
        self.api("PUT", path, Some(token), Some(body)).await
    }

    /// Ends an API token (`DELETE /api/v1/session` with it).
    pub async fn revoke(&self, token: &str) -> Response {
        let request = Request::delete("/api/v1/session")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    /// An API token for `username` (with [`PASSWORD`]).
    pub async fn api_token(&self, username: &str) -> String {
        let (status, body) = self
            .api(
                "POST",
                "/api/v1/session",
                None,
                Some(serde_json::json!({
                    "username": username,
                    "password": PASSWORD,
                    "code": crate::second_factor::next_recovery_code(),
                })),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["token"].as_str().unwrap().to_string()
    }

    /// The newest audit line of one action, as "actor | detail" (empty when there is none).
    pub async fn last_audit_line(&self, action: AuditAction) -> String {
        self.audit_lines(action).await.pop().unwrap_or_default()
    }

    /// Every audit line of one action, oldest first, as "actor | detail".
    pub async fn audit_lines(&self, action: AuditAction) -> Vec<String> {
        let mut lines: Vec<String> = self
            .audit_of(None, Some(action))
            .await
            .into_iter()
            .map(|r| format!("{} | {}", r.entry.actor, r.entry.detail.unwrap_or_default()))
            .collect();
        lines.reverse();
        lines
    }

    /// The audit log, newest first, filtered.
    pub async fn audit(&self, filter: AuditFilter) -> Vec<dakwacht_store::AuditRecord> {
        self.store().audit_log(&filter).await.unwrap()
    }

    /// The audit log, newest first: the lines of one actor (`"user:pro"`), of one action, or both.
    pub async fn audit_of(
        &self,
        actor: Option<&str>,
        action: Option<AuditAction>,
    ) -> Vec<dakwacht_store::AuditRecord> {
        crate::audit_of(self.store(), actor, action).await
    }

    /// The whole audit log as text, to check what it must never hold.
    pub async fn whole_audit_log(&self) -> String {
        format!("{:?}", self.audit(AuditFilter::default()).await)
    }

    /// How many cases `organisation` has.
    pub async fn count_cases(&self, organisation: &str) -> usize {
        let filter = dakwacht_core::CaseFilter {
            organisation: Some(organisation.into()),
            ..Default::default()
        };
        self.store()
            .case_page(&filter, None, 10_000)
            .await
            .unwrap()
            .len()
    }

    /// The stored case, which must exist.
    pub async fn case(&self, organisation: &str, case_ref: &str) -> dakwacht_core::Case {
        self.store()
            .case(organisation, case_ref)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("no case {organisation}/{case_ref}"))
    }

    /// Whether the case is stored.
    pub async fn has_case(&self, organisation: &str, case_ref: &str) -> bool {
        self.store()
            .case(organisation, case_ref)
            .await
            .unwrap()
            .is_some()
    }

    /// The closure of a case (which must exist): `None` while it is open.
    pub async fn closure(&self, organisation: &str, case_ref: &str) -> Option<Closure> {
        self.store().closure(organisation, case_ref).await.unwrap()
    }

    /// The history of a case, oldest first.
    pub async fn history(&self, organisation: &str, case_ref: &str) -> Vec<Change> {
        self.store().history(organisation, case_ref).await.unwrap()
    }

    /// The observations recorded for a case.
    pub async fn observations(&self, organisation: &str, case_ref: &str) -> Vec<Observation> {
        self.store()
            .observations(organisation, case_ref)
            .await
            .unwrap()
    }
}

/// A signed-in browser: its session cookie (and language), and the session's form token, which
/// [`Session::post`] and the uploads send themselves.
pub struct Session<'c, S: Store> {
    client: &'c Client<S>,
    /// The session cookie's value.
    pub token: String,
    /// The session's form token.
    pub csrf: String,
    cookie: String,
}

impl<'c, S: Store> Session<'c, S> {
    /// The same browser after choosing English (the `lang=en` cookie).
    pub fn in_english(&self) -> Session<'c, S> {
        Session {
            client: self.client,
            token: self.token.clone(),
            csrf: self.csrf.clone(),
            cookie: format!("{}; lang=en", self.cookie),
        }
    }

    pub async fn get(&self, path: &str) -> Response {
        let request = Request::get(path)
            .header(header::COOKIE, &self.cookie)
            .body(Body::empty())
            .unwrap();
        self.client.send(request).await
    }

    /// Sends a form (`name=value&…`, encoded) with the session's form token first.
    pub async fn post(&self, path: &str, form: &str) -> Response {
        self.post_bytes(path, form.as_bytes()).await
    }

    /// Sends a form body of raw bytes (which need not be UTF-8) after the session's form token.
    pub async fn post_bytes(&self, path: &str, form: &[u8]) -> Response {
        let mut body = format!("csrf={}", self.csrf).into_bytes();
        if !form.is_empty() {
            body.push(b'&');
            body.extend_from_slice(form);
        }
        self.post_raw(path, &body).await
    }

    /// Sends a form (`name=value&…`, encoded, or nothing) with a forged form token in place of
    /// the session's, as another site would.
    pub async fn post_forged(&self, path: &str, form: &str) -> Response {
        let mut body = String::from("csrf=forged");
        if !form.is_empty() {
            body.push('&');
            body.push_str(form);
        }
        self.post_raw(path, body).await
    }

    /// Sends a form body exactly as given: no form token unless it has one.
    pub async fn post_raw(&self, path: &str, body: impl AsRef<[u8]>) -> Response {
        self.client
            .send(form_request(
                path,
                Some(&self.cookie),
                body.as_ref().to_vec(),
            ))
            .await
    }

    /// Makes an account with the form of the accounts page: a name, a role and, for a case
    /// role, an organisation.
    pub async fn make_account(
        &self,
        username: &str,
        role: Role,
        organisation: Option<&str>,
    ) -> Response {
        let mut form = format!("username={username}&role={}", role.code());
        if let Some(organisation) = organisation {
            form.push_str(&format!("&organisation={}", organisation.replace(' ', "+")));
        }
        self.post("/admin/users", &form).await
    }

    /// Sends news of where a family stayed with the form of the case page at `case` (a path):
    /// the day and the situation as typed.
    pub async fn record_stay(&self, case: &str, observed_on: &str, situation: &str) -> Response {
        let form = format!("observed_on={observed_on}&situation={situation}");
        self.post(&format!("{case}/observations"), &form).await
    }

    /// Opens a page with a form: it must answer 200, hold each of `texts`, and carry this
    /// session's form token.
    pub async fn form_page(&self, path: &str, texts: &[&str]) -> Response {
        let page = self.get(path).await;
        page.assert_status(StatusCode::OK)
            .assert_contains_all(texts);
        assert_eq!(csrf_of(&page.body), self.csrf, "{path}: the form's token");
        page
    }

    /// The form on the page at `path`, as the browser would send it back.
    pub async fn form(&self, path: &str) -> Form {
        let page = self.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
        Form::of(&page.body)
    }

    /// Sends `form` as it is (it carries the token of the page it came from).
    pub async fn submit(&self, path: &str, form: &Form) -> Response {
        self.post_raw(path, form.encode()).await
    }

    /// Sends a file as the import form does (multipart).
    pub async fn upload(&self, file_name: &str, bytes: &[u8]) -> Response {
        self.upload_as(&format!("filename=\"{file_name}\""), bytes)
            .await
    }

    /// An upload whose file part names the file with `name_parameter` (`filename="…"` or
    /// `filename*=UTF-8''…`).
    pub async fn upload_as(&self, name_parameter: &str, bytes: &[u8]) -> Response {
        self.upload_parts(&[("file", name_parameter, bytes)]).await
    }

    /// Sends a cases file and a children file beside it, as the import form does.
    pub async fn upload_with_children(
        &self,
        (file_name, bytes): (&str, &[u8]),
        (children_name, children): (&str, &[u8]),
    ) -> Response {
        let (file, children_file) = (
            format!("filename=\"{file_name}\""),
            format!("filename=\"{children_name}\""),
        );
        self.upload_parts(&[
            ("file", &file, bytes),
            ("children", &children_file, children),
        ])
        .await
    }

    /// A multipart form with the form token and these file parts: (field, name parameter, bytes).
    async fn upload_parts(&self, parts: &[(&str, &str, &[u8])]) -> Response {
        let boundary = "dakwacht-test-boundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n",
            self.csrf
        )
        .into_bytes();
        for (field, name_parameter, bytes) in parts {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; {name_parameter}\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let request = Request::post("/import")
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header(header::COOKIE, &self.cookie)
            .body(Body::from(body))
            .unwrap();
        self.client.send(request).await
    }

    /// Confirms the upload a preview page offers, with that page's form token.
    pub async fn confirm_preview(&self, preview: &str) -> Response {
        let pending = hidden_value(preview, "pending");
        let csrf = hidden_value(preview, "csrf");
        self.post_raw("/import/confirm", format!("csrf={csrf}&pending={pending}"))
            .await
    }
}

fn form_request(path: &str, cookie: Option<&str>, body: Vec<u8>) -> Request<Body> {
    let mut request =
        Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(Body::from(body)).unwrap()
}

/// The sign-in form's fields for a name and password.
pub fn credentials(username: &str, password: &str) -> String {
    format!(
        "username={username}&password={}",
        password.replace(' ', "+")
    )
}

/// The fields of the activation form: the link's token and the chosen password, twice.
pub fn activation_form(token: &str, password: &str, password_again: &str) -> String {
    format!(
        "token={token}&password={}&password_again={}",
        password.replace(' ', "+"),
        password_again.replace(' ', "+")
    )
}

/// The `name=value` of the sign-in form's token cookie set by a response.
pub fn login_csrf_cookie(response: &Response) -> String {
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

/// The session token a sign-in answer's cookie sets (`HttpOnly`, `SameSite=Strict`).
pub fn session_token(response: &Response) -> String {
    let cookie = response
        .cookie
        .clone()
        .unwrap_or_else(|| panic!("no session cookie: {}", response.body));
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

/// The TOTP seed the page that sets up an app shows (in groups of four).
pub fn secret_of(page: &str) -> String {
    let marker = "<code id=\"secret\">";
    let start = page
        .find(marker)
        .unwrap_or_else(|| panic!("no seed in {page}"))
        + marker.len();
    page[start..].split('<').next().unwrap().replace(' ', "")
}

/// The form token of a page.
pub fn csrf_of(page: &str) -> String {
    hidden_value(page, "csrf")
}

/// The value of a hidden form field.
pub fn hidden_value(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no field {name} in {page}"))
        + marker.len();
    page[start..].split('"').next().unwrap().to_string()
}

/// The activation link shown (once) after making or approving an account: its path.
pub fn activation_link(page: &str) -> String {
    let start = page
        .find("/activate/")
        .unwrap_or_else(|| panic!("no activation link in {page}"));
    page[start..].split('<').next().unwrap().to_string()
}

/// The value of the first `name="…"` in an HTML tag (or what follows it).
fn attribute(tag: &str, name: &str) -> Option<String> {
    let rest = tag.split(&format!("{name}=\"")).nth(1)?;
    Some(rest.split('"').next().unwrap().to_string())
}

/// The values a page's form would send back: inputs, selected options and textareas.
#[derive(Debug, Clone, Default)]
pub struct Form {
    fields: Vec<(String, String)>,
}

impl Form {
    pub fn of(page: &str) -> Form {
        let mut fields = Vec::new();
        for part in page.split("<input").skip(1) {
            let tag = part.split('>').next().unwrap();
            // A checkbox is sent only when ticked, as `on` unless it has a value.
            if attribute(tag, "type").as_deref() == Some("checkbox") {
                if let (true, Some(name)) = (tag.contains(" checked"), attribute(tag, "name")) {
                    let value = attribute(tag, "value").unwrap_or_else(|| "on".into());
                    fields.push((name, value));
                }
                continue;
            }
            if let (Some(name), Some(value)) = (attribute(tag, "name"), attribute(tag, "value")) {
                fields.push((name, value));
            }
        }
        for part in page.split("<select").skip(1) {
            let body = part.split("</select>").next().unwrap();
            let selected = body
                .split("<option")
                .find(|o| o.contains(" selected"))
                .map(|o| attribute(o, "value").unwrap())
                .unwrap_or_default();
            fields.push((attribute(part, "name").unwrap(), selected));
        }
        for part in page.split("<textarea").skip(1) {
            let (tag, rest) = part.split_once('>').unwrap();
            let text = rest.split("</textarea>").next().unwrap();
            fields.push((attribute(tag, "name").unwrap(), text.to_string()));
        }
        Form { fields }
    }

    /// Sets a field (as typed), replacing what it had.
    pub fn set(&mut self, name: &str, value: &str) -> &mut Form {
        self.fields.retain(|(k, _)| k != name);
        self.fields.push((name.to_string(), value.to_string()));
        self
    }

    /// Ticks a checkbox without a value of its own (sent as `on`).
    pub fn tick(&mut self, name: &str) -> &mut Form {
        self.set(name, "on")
    }

    /// The form encoded as a browser sends it.
    pub fn encode(&self) -> String {
        self.fields
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
}
