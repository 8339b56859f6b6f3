//! The dakwacht web application: server-rendered HTML for professionals, on the [`Store`] and the
//! rules. Handlers are thin: they read the request, run one use case of [`dakwacht_app`] (which
//! decides access and writes the audit log) and render its answer.
//!
//! What is here: first-run setup, sign-in (pages: cookie; API: bearer token), the case list with
//! filters, the case page with signals and timeline, case forms with optimistic locking, the
//! follow-up list, import with preview and export, the dashboard, account and organisation
//! management and the audit log, and the JSON API with its OpenAPI document. Pages are in Dutch,
//! or in English when the user chooses it ([`i18n`]).

mod account;
mod activation;
mod admin;
pub mod api;
mod assessment;
mod assets;
mod auth;
mod case_form;
mod case_history;
mod case_list;
mod charts;
mod child_form;
mod closing;
mod dashboard;
mod error;
mod form;
mod heavy;
mod i18n;
mod import_file;
mod letters;
mod pages;
mod rights_check;
mod second_factor;
mod sections;
mod sessions;
mod shown;
mod stays;
mod transfer;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use dakwacht_app::{App, Store};
use dakwacht_rules::RuleSet;

pub use dakwacht_app::{SignInThrottle, ThrottleLimits, token_hash};

/// Why the application could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    App(#[from] dakwacht_app::Error),
    #[error("the built-in disclosure policy: {0}")]
    Policy(#[from] dakwacht_stats::disclosure::PolicyError),
    #[error(transparent)]
    RightsCheck(#[from] dakwacht_texts::rights::RightsCheckError),
    #[error(transparent)]
    Contacts(#[from] dakwacht_texts::contacts::ContactsError),
    #[error(transparent)]
    Letters(#[from] dakwacht_texts::letters::LetterError),
    #[error(transparent)]
    ChildVersion(#[from] dakwacht_texts::child::ChildVersionError),
}

/// How the application is deployed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Mark the session cookie `Secure` (sent over HTTPS only). Set it whenever dakwacht is
    /// reached over HTTPS, directly or behind a proxy; plain `http://127.0.0.1` needs it off.
    pub secure_cookies: bool,
    /// Send `Strict-Transport-Security`, so browsers use HTTPS only for this host from then on.
    /// Implied by `secure_cookies`: whoever serves over HTTPS wants both.
    pub hsts: bool,
}

impl Options {
    /// Whether answers carry `Strict-Transport-Security`.
    pub fn sends_hsts(&self) -> bool {
        self.hsts || self.secure_cookies
    }
}

/// One year, subdomains included: the value recommended once a site is HTTPS-only.
const HSTS: &str = "max-age=31536000; includeSubDomains";

/// What every handler can reach. The store is inside [`App`], reachable only through its use
/// cases: no handler can skip an access check or an audit line.
pub struct AppState<S: Store> {
    pub app: Arc<App<S>>,
    pub rules: RuleSet,
    /// The one-time secret of the first-run setup link; `None` once an administrator exists.
    pub setup_token: Mutex<Option<String>>,
    /// Uploaded files that were checked and wait for the user's confirmation.
    pub pending_imports: transfer::PendingImports,
    /// At most one upload check, import or export per user at a time.
    pub heavy_jobs: heavy::HeavyJobs,
    pub options: Options,
    /// The disclosure policy every figure shown to a researcher or published passes.
    pub policy: dakwacht_stats::disclosure::Policy,
    /// The rights check's questions, checked against `rules`.
    pub rights_check: dakwacht_texts::rights::RightsCheck,
    /// Where families and children can get help.
    pub contacts: dakwacht_texts::contacts::Contacts,
    /// The rights check for children (A2).
    pub child_version: dakwacht_texts::child::ChildVersion,
    /// The letters dakwacht prepares, checked against `rules` and `contacts`.
    pub letters: dakwacht_texts::letters::Letters,
}

impl<S: Store> AppState<S> {
    /// State for a store; when it has no accounts yet, a setup secret is made (see [`setup_link`]).
    pub async fn new(store: S, rules: RuleSet) -> Result<Arc<Self>, StartError> {
        Self::with_options(store, rules, Options::default()).await
    }

    /// State with deployment options.
    pub async fn with_options(
        store: S,
        rules: RuleSet,
        options: Options,
    ) -> Result<Arc<Self>, StartError> {
        Self::on(App::new(store)?, rules, options).await
    }

    /// State with a sign-in throttle of its own (tests use small limits).
    pub async fn with_throttle(
        store: S,
        rules: RuleSet,
        throttle: SignInThrottle,
    ) -> Result<Arc<Self>, StartError> {
        Self::on(
            App::with_throttle(store, throttle)?,
            rules,
            Options::default(),
        )
        .await
    }

    /// State on an application made already (the command line's), with the built-in
    /// disclosure policy.
    pub async fn on(
        app: Arc<App<S>>,
        rules: RuleSet,
        options: Options,
    ) -> Result<Arc<Self>, StartError> {
        let policy = dakwacht_stats::disclosure::Policy::built_in()?;
        Self::on_with_policy(app, rules, options, policy).await
    }

    /// [`AppState::on`] with a disclosure policy of the deployment's own (`serve --policy FILE`).
    pub async fn on_with_policy(
        app: Arc<App<S>>,
        rules: RuleSet,
        options: Options,
        policy: dakwacht_stats::disclosure::Policy,
    ) -> Result<Arc<Self>, StartError> {
        app.prepare_sign_in().await?;
        let setup_token = if app.needs_setup().await? {
            Some(dakwacht_app::random_token()?)
        } else {
            None
        };
        let rights_check = dakwacht_texts::rights::RightsCheck::built_in(&rules)?;
        let contacts = dakwacht_texts::contacts::Contacts::built_in(dakwacht_app::today())?;
        let letters = dakwacht_texts::letters::Letters::built_in(&rules, &contacts)?;
        let child_version = dakwacht_texts::child::ChildVersion::built_in()?;
        Ok(Arc::new(AppState {
            app,
            rights_check,
            contacts,
            letters,
            child_version,
            rules,
            setup_token: Mutex::new(setup_token),
            pending_imports: transfer::PendingImports::default(),
            heavy_jobs: heavy::HeavyJobs::default(),
            options,
            policy,
        }))
    }

    /// Whether dakwacht still waits for its first administrator. Accounts made another way (on
    /// the command line, while the server runs) end the wait and the setup link with it.
    pub async fn needs_setup(&self) -> Result<bool, dakwacht_app::Error> {
        if self.setup_path().is_none() {
            return Ok(false);
        }
        if self.app.needs_setup().await? {
            return Ok(true);
        }
        if let Ok(mut token) = self.setup_token.lock() {
            *token = None;
        }
        Ok(false)
    }

    /// The path of the one-time setup page, while no account exists.
    pub fn setup_path(&self) -> Option<String> {
        self.setup_token
            .lock()
            .ok()
            .and_then(|token| token.as_ref().map(|t| format!("/setup/{t}")))
    }
}

/// Accounts, organisations and the audit log (`/admin/…`).
fn admin_routes<S: Store>() -> Router<Arc<AppState<S>>> {
    Router::new()
        .route("/users", get(admin::users::<S>).post(admin::add_user::<S>))
        // What an administrator or coordinator does with one account; a reset and enabling
        // are asked about first.
        .route(
            "/users/{username}/{action}",
            get(admin::confirm_form::<S>).post(admin::account_action::<S>),
        )
        .route(
            "/sessions/end-all",
            get(admin::confirm_end_all_sessions::<S>).post(admin::end_all_sessions::<S>),
        )
        .route(
            "/organisations",
            get(admin::organisations::<S>).post(admin::add_organisation::<S>),
        )
        .route(
            "/organisations/{organisation}/second-factor",
            post(admin::set_policy::<S>),
        )
        .route("/audit", get(admin::audit_log::<S>))
}

/// The JSON API (`/api/v1/…`), described by its OpenAPI document.
fn api_routes<S: Store>() -> Router<Arc<AppState<S>>> {
    Router::new()
        .route("/openapi.json", get(api::openapi))
        .route(
            "/session",
            post(api::create_session::<S>).delete(api::delete_session::<S>),
        )
        .route("/cases", get(api::list_cases::<S>))
        .route(
            "/cases/{organisation}/{case_ref}",
            get(api::get_case::<S>).put(api::put_case::<S>),
        )
        .route(
            "/cases/{organisation}/{case_ref}/children",
            get(api::get_children::<S>),
        )
        .route(
            "/cases/{organisation}/{case_ref}/assessments",
            get(api::assessments::list::<S>),
        )
        .route(
            "/cases/{organisation}/{case_ref}/children/{child_no}/assessments",
            post(api::assessments::start::<S>),
        )
        .route(
            "/cases/{organisation}/{case_ref}/assessments/{id}",
            axum::routing::put(api::assessments::save::<S>),
        )
        .route("/reports/quickscan", get(api::quickscan::<S>))
        .route("/reports/published", get(api::published::<S>))
        // An unknown API address is answered in JSON (by `api::json_errors`), not as a page.
        .fallback(|| async { axum::http::StatusCode::NOT_FOUND })
}

/// What is done from a case's page (`/cases/{organisation}/{case_ref}/…`): editing it, news of
/// the family, closing and reopening, follow-up.
fn case_routes<S: Store>() -> Router<Arc<AppState<S>>> {
    Router::new()
        .route(
            "/edit",
            get(case_form::edit_form::<S>).post(case_form::update::<S>),
        )
        .route(
            "/observations",
            post(|case, form| pages::add_news::<S>(case, form, false)),
        )
        .route(
            "/contact",
            post(|case, form| pages::add_news::<S>(case, form, true)),
        )
        .route(
            "/stays/{stay}/remove",
            get(stays::confirm_removal::<S>).post(stays::remove::<S>),
        )
        .route("/close", post(closing::close::<S>))
        .route("/reopen", post(closing::reopen::<S>))
        .route("/assign", post(pages::assign::<S>))
        .route("/eviction", post(pages::set_eviction::<S>))
        .route(
            "/children/{child_no}/edit",
            get(child_form::edit_form::<S>).post(child_form::save::<S>),
        )
        .route(
            "/children/{child_no}/assessments/new",
            get(assessment::start_form::<S>).post(assessment::start::<S>),
        )
        .route("/assessments/{id}", get(assessment::summary::<S>))
        .route("/letters", get(letters::case_letters::<S>))
        .route(
            "/letters/{letter}",
            get(letters::case_letter_form::<S>).post(letters::case_letter::<S>),
        )
        .route(
            "/assessments/{id}/steps/{step}",
            get(assessment::step_form::<S>).post(assessment::save_step::<S>),
        )
}

/// The application's routes.
pub fn app<S: Store>(state: Arc<AppState<S>>) -> Router {
    let hsts = state.options.sends_hsts();
    let error_state = state.clone();
    Router::new()
        .route("/", get(pages::home::<S>))
        .route("/health", get(|| async { "ok" }))
        .route("/assets/{name}", get(assets::asset))
        .route(
            "/setup/{token}",
            get(pages::setup_form::<S>).post(pages::setup::<S>),
        )
        .route("/activate/{token}", get(activation::form::<S>))
        .route("/activate", post(activation::activate::<S>))
        .route(
            "/login",
            get(pages::login_form::<S>).post(pages::login::<S>),
        )
        .route(
            "/login/code",
            get(second_factor::code_form).post(second_factor::check_code::<S>),
        )
        .route("/logout", post(pages::logout::<S>))
        .route(
            "/account/second-factor",
            get(second_factor::set_up_form::<S>).post(second_factor::set_up::<S>),
        )
        .route(
            "/account/password",
            get(account::form::<S>).post(account::change::<S>),
        )
        .route(
            "/account/sessions",
            get(sessions::list::<S>).post(sessions::end::<S>),
        )
        .route("/language", get(i18n::switch))
        .route(
            "/rechtencheck",
            get(rights_check::start::<S>).post(rights_check::answer::<S>),
        )
        .route("/rechtencheck/kind", get(rights_check::child_version::<S>))
        .route("/rechtencheck/opslaan", post(rights_check::save::<S>))
        .route(
            "/rechtencheck/brief/{letter}",
            post(letters::rights_check_letter::<S>),
        )
        .route("/cases", get(case_list::case_list::<S>))
        .route("/follow-up", get(pages::follow_up::<S>))
        .route("/dashboard", get(dashboard::dashboard::<S>))
        .route("/dashboard/bundle", get(dashboard::bundle::<S>))
        .nest("/admin", admin_routes::<S>())
        .nest("/api/v1", api_routes::<S>())
        .nest("/cases/{organisation}/{case_ref}", case_routes::<S>())
        .route(
            "/import",
            get(transfer::import_form)
                .post(transfer::upload::<S>)
                .layer(DefaultBodyLimit::max(transfer::UPLOAD_LIMIT)),
        )
        .route("/import/confirm", post(transfer::confirm::<S>))
        .route("/export", get(transfer::export::<S>))
        .route("/template.xlsx", get(transfer::template))
        .route(
            "/cases/new",
            get(case_form::new_form::<S>).post(case_form::create::<S>),
        )
        .route(
            "/cases/{organisation}/{case_ref}",
            get(pages::case_page::<S>),
        )
        // An address nobody serves gets the error page (with the menu), not an empty answer.
        .fallback(|| async { error::AppError::NotFound })
        .with_state(state)
        .layer(axum::middleware::from_fn(api::json_errors))
        .layer(axum::middleware::from_fn_with_state(
            error_state,
            error::localise_errors::<S>,
        ))
        .layer(axum::middleware::map_response(
            move |mut response: axum::response::Response| async move {
                if hsts {
                    response.headers_mut().insert(
                        axum::http::header::STRICT_TRANSPORT_SECURITY,
                        axum::http::HeaderValue::from_static(HSTS),
                    );
                }
                security_headers(response).await
            },
        ))
}

/// Headers on every answer: the pages hold data about children, so nothing may be framed,
/// sniffed, cached by a shared cache, or leak its address to another site, and only dakwacht's
/// own scripts and styles run.
async fn security_headers(mut response: axum::response::Response) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Serves the application until the process stops.
pub async fn serve<S: Store>(
    listener: tokio::net::TcpListener,
    state: Arc<AppState<S>>,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
}
