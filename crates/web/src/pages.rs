//! The pages. Each handler: who is asking (extractor), one use case of the application (which
//! decides access and records it), shown (template).

use std::sync::Arc;

use crate::auth::{Signed, SignedForm};
use crate::form::Form;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::Cookie;
use dakwacht_app::{Attempt, FollowUpAsked, SessionKind, SignIn, Stay, Store};
use dakwacht_core::access::{Role, normalise_username};
use dakwacht_core::password;
use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::AppState;
use crate::auth::{self, CurrentUser, SESSION_COOKIE};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::shown;

/// Renders a template; a template error becomes a plain message (and is logged).
pub fn render<T: Template>(template: &T) -> String {
    template.render().unwrap_or_else(|error| {
        tracing::error!(%error, "template failed");
        "Er ging iets mis. / Something went wrong.".to_string()
    })
}

#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    pub tr: Tr,
    pub title: String,
    pub message: String,
    /// The menu of whoever is signed in: a message or an error keeps the way back.
    pub menu: Option<Menu>,
}

impl MessagePage {
    /// A page that says one thing (`title`, `message`, in the reader's language) with `status`.
    pub fn answer(
        status: StatusCode,
        tr: Tr,
        menu: Option<Menu>,
        title: String,
        message: String,
    ) -> Response {
        let page = MessagePage {
            tr,
            title,
            message,
            menu,
        };
        (status, Html(render(&page))).into_response()
    }
}

/// The menu of a signed-in user on a page that does not know the user otherwise: the links of
/// the user's role and the sign-out form.
pub struct Menu {
    pub username: String,
    pub csrf: String,
    pub role: Role,
}

impl Menu {
    pub fn of(user: &CurrentUser) -> Menu {
        Menu {
            username: user.user.username.clone(),
            csrf: user.csrf_token.clone(),
            role: user.user.role,
        }
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn is_researcher(&self) -> bool {
        self.role == Role::Researcher
    }
}

pub async fn home<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    user: Result<CurrentUser, AppError>,
    tr: Tr,
) -> Response {
    if state.needs_setup().await.unwrap_or(false) {
        let (title, message) = (tr.t("home-not-set-up-title"), tr.t("home-not-set-up"));
        return MessagePage::answer(StatusCode::OK, tr, None, title, message);
    }
    // Each role starts where its work is.
    let start = match user.map(|u| u.user.role) {
        Err(_) => "/login",
        Ok(Role::Admin) => "/admin/users",
        Ok(Role::Researcher) => "/dashboard",
        Ok(Role::Coordinator | Role::Professional) => "/cases",
    };
    Redirect::to(start).into_response()
}

// ---- first run -------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage {
    tr: Tr,
    error: Option<String>,
    username: String,
}

#[derive(Deserialize)]
pub struct SetupForm {
    username: String,
    password: String,
    password_again: String,
}

fn setup_token_matches<S: Store>(state: &AppState<S>, token: &str) -> bool {
    state.setup_token.lock().is_ok_and(|expected| {
        expected
            .as_deref()
            .is_some_and(|expected| auth::token_hash(expected) == auth::token_hash(token))
    })
}

pub async fn setup_form<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Path(token): Path<String>,
    tr: Tr,
) -> Result<Html<String>, AppError> {
    if !state.needs_setup().await? || !setup_token_matches(&state, &token) {
        return Err(AppError::NotFound);
    }
    Ok(Html(render(&SetupPage {
        tr,
        error: None,
        username: String::new(),
    })))
}

pub async fn setup<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Path(token): Path<String>,
    tr: Tr,
    Form(form): Form<SetupForm>,
) -> Result<Response, AppError> {
    if !state.needs_setup().await? {
        return Err(AppError::NotFound);
    }
    // Take the secret out while the account is made, so that two submissions cannot both succeed.
    let taken = {
        let mut secret = state
            .setup_token
            .lock()
            .map_err(|_| AppError::Internal("setup lock poisoned".into()))?;
        match secret.as_deref() {
            Some(expected) if auth::token_hash(expected) == auth::token_hash(&token) => {
                secret.take()
            }
            _ => None,
        }
    };
    let Some(secret) = taken else {
        return Err(AppError::NotFound);
    };
    let again = |error: String, state: &AppState<S>| {
        if let Ok(mut slot) = state.setup_token.lock() {
            *slot = Some(secret.clone());
        }
        let page = SetupPage {
            tr: tr.clone(),
            error: Some(error),
            username: form.username.clone(),
        };
        Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(render(&page))).into_response())
    };
    let username = match normalise_username(&form.username) {
        Ok(username) => username,
        Err(_) => {
            return again(tr.t("error-username"), &state);
        }
    };
    if form.password != form.password_again {
        return again(tr.t("setup-passwords-differ"), &state);
    }
    let hash = match password::hash(&form.password, &username) {
        Ok(hash) => hash,
        Err(refused) => {
            return again(crate::account::password_refused(&tr, refused)?, &state);
        }
    };
    let created = state.app.create_first_administrator(username, hash).await;
    if let Err(error) = created {
        return again(tr.t1("setup-failed", "error", error.to_string()), &state);
    }
    Ok(Redirect::to("/login").into_response())
}

// ---- signing in and out ----------------------------------------------------------------------

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    tr: Tr,
    error: Option<String>,
    username: String,
    csrf: String,
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    username: String,
    password: String,
}

/// The sign-in page, with its form token in a cookie and in the form (see
/// [`auth::LOGIN_CSRF_COOKIE`]).
pub async fn login_form<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    jar: CookieJar,
    tr: Tr,
) -> Result<Response, AppError> {
    let csrf = auth::login_csrf(&jar)?;
    let page = LoginPage {
        tr,
        error: None,
        username: String::new(),
        csrf: csrf.clone(),
    };
    let jar = jar.add(auth::login_csrf_cookie(csrf, state.options.secure_cookies));
    Ok((jar, Html(render(&page))).into_response())
}

pub async fn login<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    jar: CookieJar,
    tr: Tr,
    auth::ClientAddress(address): auth::ClientAddress,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let csrf = auth::login_csrf(&jar)?;
    let too_long = form.username.trim().chars().count() > auth::MAX_USERNAME_CHARS;
    let refuse = |message: String, status: StatusCode, jar: CookieJar| {
        let page = LoginPage {
            tr: tr.clone(),
            error: Some(message),
            // A name that long is not repeated back.
            username: if too_long {
                String::new()
            } else {
                form.username.clone()
            },
            csrf: csrf.clone(),
        };
        let jar = jar.add(auth::login_csrf_cookie(
            csrf.clone(),
            state.options.secure_cookies,
        ));
        Ok((status, jar, Html(render(&page))).into_response())
    };
    if !auth::login_csrf_matches(&jar, &form.csrf) {
        return refuse(tr.t("login-form-expired"), StatusCode::FORBIDDEN, jar);
    }
    let attempt = Attempt {
        username: &form.username,
        password: &form.password,
        address,
        kind: SessionKind::Web,
        code: None,
    };
    let (token, next) = match state.app.sign_in(&attempt).await? {
        SignIn::Session { token, .. } => (token, "/"),
        // The session of the password opens only the page of the second factor.
        SignIn::CodeNeeded { token } => (token, "/login/code"),
        SignIn::EnrolmentNeeded { token } => (token, "/account/second-factor"),
        // Only the API is told to set the app up in the pages.
        SignIn::SetUpInPages => {
            return refuse(tr.t("login-refused"), StatusCode::UNAUTHORIZED, jar);
        }
        SignIn::Throttled { seconds } => {
            let mut response = refuse(
                tr.t1("login-throttled", "seconds", seconds),
                StatusCode::TOO_MANY_REQUESTS,
                jar,
            )?;
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(seconds),
            );
            return Ok(response);
        }
        SignIn::NameTooLong => {
            return refuse(
                tr.t("login-name-too-long"),
                StatusCode::UNPROCESSABLE_ENTITY,
                jar,
            );
        }
        SignIn::Refused => {
            return refuse(tr.t("login-refused"), StatusCode::UNAUTHORIZED, jar);
        }
    };
    let cookie = crate::second_factor::session_cookie(token, state.options.secure_cookies);
    // The form token has done its work; the session brings its own.
    let jar = jar
        .remove(Cookie::build(auth::LOGIN_CSRF_COOKIE).path("/login"))
        .add(cookie);
    Ok((jar, Redirect::to(next)).into_response())
}

pub async fn logout<S: Store>(
    jar: CookieJar,
    SignedForm(Signed { state, user, .. }, _, _): SignedForm<S, IgnoredAny>,
) -> Result<Response, AppError> {
    state
        .app
        .sign_out(&user.user, &user.token_hash, SessionKind::Web)
        .await?;
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    // Whatever the browser kept of the pages (its cache, a page's storage) goes with the
    // session (ASVS 5.0, 14.3.1).
    let clear = (
        axum::http::header::HeaderName::from_static("clear-site-data"),
        axum::http::HeaderValue::from_static("\"cache\", \"storage\""),
    );
    Ok(([clear], jar, Redirect::to("/login")).into_response())
}

// ---- cases -----------------------------------------------------------------------------------

pub struct CaseLine {
    pub case_ref: String,
    pub link: String,
    pub reported_on: String,
    pub municipality: String,
    pub children: u8,
    pub situation: String,
}

impl CaseLine {
    /// A line of a list of cases, with `date` as its date (reported, or last contact).
    pub fn of(tr: &Tr, case: &dakwacht_app::CaseSummary, date: String) -> CaseLine {
        CaseLine {
            link: crate::case_form::case_path(&case.organisation, &case.case_ref),
            situation: situation_label(
                tr,
                case.current_situation.as_deref(),
                case.rehoused_on.is_some(),
            ),
            municipality: case.municipality.clone().unwrap_or_default(),
            children: case.children_count,
            reported_on: date,
            case_ref: case.case_ref.clone(),
        }
    }
}

/// Path segments are percent-encoded so that any case reference makes a working link.
pub fn encode_segment(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn situation_label(tr: &Tr, code: Option<&str>, rehoused: bool) -> String {
    use dakwacht_core::LivingSituation;
    match code.and_then(LivingSituation::parse) {
        Some(situation) => situation.label(tr.lang).to_string(),
        None if rehoused => tr.t("situation-rehoused"),
        None => tr.t("situation-unknown"),
    }
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    tr: Tr,
    username: String,
    csrf: String,
    case_ref: String,
    edit_link: String,
    /// The case's letters, for whoever may make them.
    letters_link: Option<String>,
    observation_action: String,
    contact_action: String,
    timeline: Vec<crate::stays::TimelineLine>,
    /// What became of a stay just taken back.
    note: Option<String>,
    situations: Vec<(&'static str, &'static str)>,
    stay: StayForm,
    contact: StayForm,
    facts: Vec<(String, String)>,
    /// Each child of the family, with its record where it has one.
    children: Vec<crate::shown::ChildCard>,
    /// Every field, by the form's groups.
    details: Vec<(String, Vec<(String, String)>)>,
    /// Who changed what and when, newest first.
    history: Vec<crate::case_history::HistoryLine>,
    assign_action: String,
    eviction_action: String,
    /// Who follows the family, and whom it can be assigned to.
    assigned_to: Option<String>,
    colleagues: Vec<String>,
    /// A registered eviction, written out, and the form to change it.
    eviction_on: Option<String>,
    eviction: StayForm,
    rules_version: String,
    signals: Vec<SignalLine>,
    /// Where the family's own fields and the child records say different things.
    disagreements: Vec<String>,
    /// Closed or not, and the form to change it (`templates/case_closing.html`).
    closing: crate::closing::ClosingView,
}

struct SignalLine {
    id: String,
    severity: &'static str,
    severity_label: &'static str,
    title: String,
    explanation: String,
    sources: Vec<SourceLine>,
    next_steps: Vec<String>,
    /// The children the signal concerns ("Kind 2 (9 jaar)"); empty when the family's own
    /// fields raised it.
    children: String,
}

struct SourceLine {
    citation: String,
    url: Option<String>,
}

pub async fn case_page<S: Store>(
    Signed { state, user, tr }: Signed<S>,
    Path((organisation, case_ref)): Path<(String, String)>,
    Query(removed): Query<crate::stays::RemovedQuery>,
) -> Result<Html<String>, AppError> {
    let forms = CaseForms::default();
    let mut page = case_view(&state, &user, &tr, &organisation, &case_ref, forms).await?;
    page.note = removed.note(&tr);
    Ok(Html(render(&page)))
}

/// The case page's forms as typed, with their errors.
#[derive(Default)]
struct CaseForms {
    stay: StayForm,
    contact: StayForm,
    eviction: StayForm,
}

/// What was typed in one of the case page's date forms, with its error.
#[derive(Default)]
struct StayForm {
    date: String,
    situation: String,
    error: Option<String>,
}

/// The case page, with the stay and contact forms as typed (empty on a first visit).
async fn case_view<S: Store>(
    state: &AppState<S>,
    user: &CurrentUser,
    tr: &Tr,
    organisation: &str,
    case_ref: &str,
    forms: CaseForms,
) -> Result<CasePage, AppError> {
    let CaseForms {
        stay,
        contact,
        eviction,
    } = forms;
    let acting = user.acting(state);
    let whole = acting
        .read_whole_case(organisation, case_ref, "web")
        .await?;
    let case = &whole.case;
    let may_change = acting.may_change_cases_of(organisation).await.is_ok();
    let colleagues = if may_change {
        acting.colleagues().await.unwrap_or_default()
    } else {
        Vec::new()
    };
    let path = crate::case_form::case_path(organisation, case_ref);
    let timeline = crate::stays::timeline(case, &whole.stays, &path, may_change, tr);
    let mut evaluation = state.rules.evaluator().family(case, &whole.children);
    let mut children: Vec<crate::shown::ChildCard> = (1..=case.children.count)
        .map(|child_no| {
            let record = whole.children.iter().find(|c| c.child_no == child_no);
            crate::shown::child_card(case, child_no, record, tr)
        })
        .collect();
    // A signal names its children as their cards do; each card lists the signals about it.
    let heading_of = |child_no: u8| {
        children
            .get(usize::from(child_no).saturating_sub(1))
            .map_or_else(|| child_no.to_string(), |card| card.heading.clone())
    };
    let named = |facts: &[dakwacht_core::ChildFacts]| {
        facts
            .iter()
            .map(|c| heading_of(c.child_no))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // The most urgent first; among equals, the order of the rules file.
    evaluation
        .signals
        .sort_by_key(|signal| std::cmp::Reverse(signal.severity));
    let signals = evaluation
        .signals
        .iter()
        .map(|signal| SignalLine {
            id: signal.rule.id.clone(),
            severity: signal.severity.code(),
            severity_label: signal.severity.label(tr.lang),
            title: signal.rule.title.get(tr.lang).clone(),
            explanation: signal.rule.explanation.get(tr.lang).clone(),
            sources: signal
                .rule
                .sources
                .iter()
                .map(|s| SourceLine {
                    citation: s.to_string(),
                    url: s.url.clone(),
                })
                .collect(),
            next_steps: signal.rule.next_steps.get(tr.lang).clone(),
            children: named(&signal.children),
        })
        .collect();
    let disagreements = evaluation
        .disagreements
        .iter()
        .map(|d| d.sentence(tr.lang))
        .collect();
    // Each child's assessments, with the way to start one (a read of the assessments, audited).
    if may_change {
        let assessments = acting
            .assessments_of(organisation, case_ref, "web case page")
            .await?;
        for (index, card) in children.iter_mut().enumerate() {
            let child_no = u8::try_from(index + 1).unwrap_or(u8::MAX);
            card.assessments = assessments
                .iter()
                .filter(|a| a.assessment.child_no == child_no)
                .map(|a| {
                    let state = if a.complete {
                        tr.t("assessment-complete")
                    } else {
                        let done = dakwacht_core::Step::ALL
                            .iter()
                            .filter(|s| a.assessment.step_done(**s))
                            .count();
                        tr.t1("assessment-draft", "done", done)
                    };
                    (
                        format!("{path}/assessments/{}", a.id),
                        format!("{} ({state})", a.assessment.decision.label(tr.lang)),
                    )
                })
                .collect();
            card.start_assessment = Some(format!("{path}/children/{child_no}/assessments/new"));
            card.edit = Some(format!("{path}/children/{child_no}/edit"));
        }
    }
    for signal in &evaluation.signals {
        for child in &signal.children {
            if let Some(card) = children.get_mut(usize::from(child.child_no).saturating_sub(1)) {
                card.signals.push(signal.rule.title.get(tr.lang).clone());
            }
        }
    }
    use dakwacht_core::Field;
    let facts = vec![
        (
            tr.t("fact-reported-on"),
            shown::value(case, Field::ReportedOn, tr),
        ),
        (
            tr.t("fact-municipality"),
            shown::value(case, Field::Municipality, tr),
        ),
        (tr.t("fact-children"), shown::children(case, tr)),
        (
            tr.t("fact-home-lost-on"),
            shown::value(case, Field::HomeLostOn, tr),
        ),
        (tr.t("fact-route"), shown::value(case, Field::Route, tr)),
        (
            tr.t("column-stays-now"),
            situation_label(
                tr,
                case.current_situation.map(|s| s.code()),
                case.rehoused_on.is_some(),
            ),
        ),
    ];
    // Every recorded field, in the groups and words of the form.
    let details = crate::case_form::field_groups(tr)
        .into_iter()
        .map(|(legend, fields)| {
            let values = fields
                .into_iter()
                .filter(|(field, _)| !matches!(field, Field::CaseRef | Field::Organisation))
                .map(|(field, label)| (label, shown::value(case, field, tr)))
                .collect();
            (legend, values)
        })
        .collect();
    let history = crate::case_history::history(
        &whole.history,
        &whole.stays,
        (&whole.child_history, &whole.assessment_history),
        tr,
    );
    Ok(CasePage {
        children,
        details,
        history,
        assign_action: format!("{path}/assign"),
        eviction_action: format!("{path}/eviction"),
        assigned_to: whole.assigned_to,
        colleagues,
        eviction_on: whole
            .eviction_on
            .map(|d| dakwacht_core::written::long_date(d, tr.lang)),
        eviction,
        tr: tr.clone(),
        username: user.user.username.clone(),
        csrf: user.csrf_token.clone(),
        case_ref: case.case_ref.as_str().to_string(),
        edit_link: format!("{path}/edit"),
        letters_link: may_change.then(|| format!("{path}/letters")),
        observation_action: format!("{path}/observations"),
        contact_action: format!("{path}/contact"),
        timeline,
        note: None,
        stay,
        contact,
        situations: dakwacht_core::LivingSituation::ALL
            .iter()
            .map(|s| (s.code(), s.label(tr.lang)))
            .collect(),
        facts,
        rules_version: state.rules.version.clone(),
        signals,
        disagreements,
        closing: crate::closing::ClosingView::of(state, user, tr, organisation, case_ref).await?,
    })
}

/// The case page again with the close form's error at its field (see `closing.rs`).
pub(crate) async fn case_page_with_closing_error<S: Store>(
    state: &AppState<S>,
    user: &CurrentUser,
    tr: &Tr,
    (organisation, case_ref): (&str, &str),
    error: String,
) -> Result<String, AppError> {
    let forms = CaseForms::default();
    let mut page = case_view(state, user, tr, organisation, case_ref, forms).await?;
    page.closing.error = Some(error);
    Ok(render(&page))
}

// ---- follow-up -------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "follow_up.html")]
struct FollowUpPage {
    tr: Tr,
    username: String,
    csrf: String,
    organisation: String,
    /// As typed, shown back in the form.
    weeks_typed: String,
    weeks: u32,
    weeks_error: Option<String>,
    mine: bool,
    /// Only families with a child separated from its parents or missing school.
    children_at_risk: bool,
    eviction_days: u32,
    cases: Vec<FollowUpLine>,
    /// The list holds as many families as it shows at most: there may be more.
    cut: bool,
}

/// A family on the follow-up list, with why it is there.
struct FollowUpLine {
    line: CaseLine,
    last_contact: String,
    assigned_to: String,
    reasons: Vec<String>,
}

#[derive(Deserialize)]
pub struct FollowUpQuery {
    #[serde(default)]
    weeks: Option<String>,
    #[serde(default)]
    mine: Option<String>,
    #[serde(default)]
    children: Option<String>,
}

/// Families are followed up when there has been no news for this many weeks, unless the user
/// asks for another number.
pub const FOLLOW_UP_WEEKS: u32 = 8;
/// A registered eviction puts the family on the list this many days before it happens.
pub const EVICTION_DAYS: u32 = 42;

pub async fn follow_up<S: Store>(
    Signed { state, user, tr }: Signed<S>,
    Query(query): Query<FollowUpQuery>,
) -> Result<Response, AppError> {
    let typed = query.weeks.as_deref().map(str::trim).unwrap_or_default();
    let (weeks, weeks_error) = match typed {
        "" if query.weeks.is_none() => (FOLLOW_UP_WEEKS, None),
        "" => (FOLLOW_UP_WEEKS, Some(tr.t("follow-up-weeks-empty"))),
        text => match text.parse::<u32>() {
            Ok(n) if (1..=104).contains(&n) => (n, None),
            _ => (FOLLOW_UP_WEEKS, Some(tr.t("follow-up-weeks-wrong"))),
        },
    };
    let mine = query.mine.is_some();
    let children_at_risk = query.children.is_some();
    let today = jiff::Zoned::now().date();
    let asked = FollowUpAsked {
        today,
        weeks,
        eviction_days: EVICTION_DAYS,
        mine,
        children_at_risk,
    };
    let (organisation, found) = user.acting(&state).follow_up(asked).await?;
    let contact_before = today
        .checked_sub(jiff::Span::new().weeks(i64::from(weeks)))
        .unwrap_or(today)
        .to_string();
    let cases: Vec<FollowUpLine> = found
        .iter()
        .map(|c| FollowUpLine {
            line: CaseLine::of(&tr, c, c.last_contact().to_string()),
            last_contact: written_day(c.last_contact(), &tr),
            assigned_to: c.assigned_to.clone().unwrap_or_default(),
            reasons: follow_up_reasons(c, &contact_before, &today.to_string(), &tr),
        })
        .collect();
    let status = if weeks_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = FollowUpPage {
        tr: tr.clone(),
        username: user.user.username.clone(),
        csrf: user.csrf_token.clone(),
        organisation,
        weeks_typed: if weeks_error.is_some() {
            dakwacht_core::control::escape_controls(typed).into_owned()
        } else {
            weeks.to_string()
        },
        weeks,
        weeks_error,
        mine,
        children_at_risk,
        eviction_days: EVICTION_DAYS,
        cut: cases.len() >= dakwacht_app::FOLLOW_UP_LIMIT as usize,
        cases,
    };
    Ok((status, Html(render(&page))).into_response())
}

/// A `YYYY-MM-DD` date written out; as given when it is not one.
fn written_day(day: &str, tr: &Tr) -> String {
    dakwacht_core::date::parse_date(day).map_or_else(
        || day.to_string(),
        |d| dakwacht_core::written::long_date(d, tr.lang),
    )
}

/// Why a family is on the follow-up list, in words: out of view, no news, an eviction coming.
fn follow_up_reasons(
    case: &dakwacht_app::CaseSummary,
    contact_before: &str,
    today: &str,
    tr: &Tr,
) -> Vec<String> {
    let mut reasons = Vec::new();
    if case.current_situation.is_none() {
        reasons.push(match &case.last_seen_on {
            Some(seen) => tr.t1(
                "follow-up-why-out-of-view-since",
                "date",
                written_day(seen, tr),
            ),
            None => tr.t("follow-up-why-out-of-view"),
        });
    } else if case.reported_on.as_str() < contact_before {
        let days = dakwacht_core::date::parse_date(&case.reported_on)
            .zip(dakwacht_core::date::parse_date(today))
            .and_then(|(from, to)| from.until(to).ok())
            .map_or(0, |span| span.get_days());
        reasons.push(tr.t1("follow-up-why-no-news", "weeks", i64::from(days / 7)));
    }
    if let Some(eviction) = case.eviction_on.as_deref().filter(|on| *on >= today) {
        reasons.push(tr.t1("follow-up-why-eviction", "date", written_day(eviction, tr)));
    }
    reasons
}

/// The stay form and the contact form of a case page.
#[derive(Deserialize)]
pub struct NewsForm {
    /// The date of the stay, or of the contact.
    #[serde(default, alias = "contact_on")]
    observed_on: String,
    /// Where the family stays; the contact form has none.
    #[serde(default)]
    situation: Option<String>,
}

/// News of where the family stays (`contact` false), or of contact without news of a move: the
/// last known stay, known again on a date. It joins the timeline and, when it is the latest, is
/// the situation now. A bad or future date comes back at the field.
pub async fn add_news<S: Store>(
    Path((organisation, case_ref)): Path<(String, String)>,
    SignedForm(Signed { state, user, tr }, acting, form): SignedForm<S, NewsForm>,
    contact: bool,
) -> Result<Response, AppError> {
    acting.may_change_cases_of(&organisation).await?;
    let news = News {
        state: &state,
        user: &user,
        tr: &tr,
        case: (&organisation, &case_ref),
        contact,
    };
    // Echoed as typed, but never with a control character in it.
    let typed = StayForm {
        date: dakwacht_core::control::escape_controls(&form.observed_on).into_owned(),
        situation: form.situation.clone().unwrap_or_default(),
        error: None,
    };
    let on = match stay_date(&form.observed_on, &tr) {
        Ok(on) => on,
        Err(error) => return news.refused(typed, error).await,
    };
    let situation = if contact {
        let case = acting
            .read_case(&organisation, &case_ref, "web contact")
            .await?;
        case.current_situation
            .or(case.last_seen.map(|seen| seen.situation))
    } else {
        let typed = form.situation.as_deref().unwrap_or_default();
        dakwacht_core::LivingSituation::parse(typed.trim())
    };
    match situation {
        Some(situation) => news.record(typed, on, situation).await,
        None if contact => news.refused(typed, tr.t("contact-no-stay")).await,
        None => news.refused(typed, tr.t("stay-choose-situation")).await,
    }
}

#[derive(Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    assignee: String,
}

/// Assigns the case to a colleague ("mijn gezinnen" for them), or to nobody.
pub async fn assign<S: Store>(
    Path((organisation, case_ref)): Path<(String, String)>,
    SignedForm(_, acting, form): SignedForm<S, AssignForm>,
) -> Result<Response, AppError> {
    let assignee = Some(form.assignee.trim()).filter(|name| !name.is_empty());
    match acting.assign_case(&organisation, &case_ref, assignee).await {
        // Someone not (or no longer) of the organisation: the form offers only colleagues.
        Err(dakwacht_app::Error::Store(dakwacht_app::StoreError::NotFound(_))) => {
            return Err(AppError::BadForm);
        }
        other => other?,
    }
    let back = crate::case_form::case_path(&organisation, &case_ref);
    Ok(Redirect::to(&back).into_response())
}

#[derive(Deserialize)]
pub struct EvictionForm {
    #[serde(default)]
    eviction_on: String,
}

/// Registers the date of a coming eviction (empty: none), so the family is on the follow-up list
/// before it happens. A date in the past or not a date comes back at the field.
pub async fn set_eviction<S: Store>(
    Path((organisation, case_ref)): Path<(String, String)>,
    SignedForm(Signed { state, user, tr }, acting, form): SignedForm<S, EvictionForm>,
) -> Result<Response, AppError> {
    acting.may_change_cases_of(&organisation).await?;
    let typed = form.eviction_on.trim();
    let today = jiff::Zoned::now().date();
    let date = match dakwacht_core::date::parse_typed_date(typed) {
        _ if typed.is_empty() => Ok(None),
        Some(date) if date >= today => Ok(Some(date)),
        Some(_) => Err(tr.t("eviction-date-past")),
        None => Err(tr.t1(
            "stay-date-wrong",
            "date",
            &*dakwacht_core::control::escape_controls(typed),
        )),
    };
    match date {
        Ok(date) => {
            acting
                .set_eviction_date(&organisation, &case_ref, date)
                .await?;
            let back = crate::case_form::case_path(&organisation, &case_ref);
            Ok(Redirect::to(&back).into_response())
        }
        Err(error) => {
            let forms = CaseForms {
                eviction: StayForm {
                    date: dakwacht_core::control::escape_controls(typed).into_owned(),
                    situation: String::new(),
                    error: Some(error),
                },
                ..CaseForms::default()
            };
            let page = case_view(&state, &user, &tr, &organisation, &case_ref, forms).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(render(&page))).into_response())
        }
    }
}

/// A typed stay date: a day or a month, written the Dutch way or as in files, not in the future.
fn stay_date(typed: &str, tr: &Tr) -> Result<dakwacht_core::DateOrMonth, String> {
    let today = jiff::Zoned::now().date();
    match dakwacht_core::DateOrMonth::parse_typed(typed) {
        Some(on) if on.first_day() <= today => Ok(on),
        Some(_) => Err(tr.t("stay-date-future")),
        // Echoed as typed, but never with a control character in it.
        None => Err(tr.t1(
            "stay-date-wrong",
            "date",
            &*dakwacht_core::control::escape_controls(typed),
        )),
    }
}

/// News of one case from its page: a stay, or contact (`contact`) without a move.
struct News<'a, S: Store> {
    state: &'a AppState<S>,
    user: &'a CurrentUser,
    tr: &'a Tr,
    case: (&'a str, &'a str),
    contact: bool,
}

impl<S: Store> News<'_, S> {
    /// Records the stay, or shows the case page again with why not.
    async fn record(
        &self,
        typed: StayForm,
        on: dakwacht_core::DateOrMonth,
        situation: dakwacht_core::LivingSituation,
    ) -> Result<Response, AppError> {
        let (organisation, case_ref) = self.case;
        let observation = dakwacht_core::Observation {
            on: Some(on),
            situation,
            source: dakwacht_core::ObservationSource::Recorded,
        };
        let acting = self.user.acting(self.state);
        let tr = self.tr;
        match acting
            .add_observation(organisation, case_ref, &observation)
            .await?
        {
            Stay::Recorded => {
                let back = crate::case_form::case_path(organisation, case_ref);
                Ok(Redirect::to(&back).into_response())
            }
            Stay::BeforeLoss => self.refused(typed, tr.t("stay-before-loss")).await,
            Stay::Refused(errors) => {
                let expected: Vec<String> =
                    errors.iter().map(|e| e.expected.text(tr.lang)).collect();
                let error = tr.t1("stay-breaks-rule", "expected", expected.join("; "));
                self.refused(typed, error).await
            }
        }
    }

    /// The case page again, with the form as typed and its error at the field.
    async fn refused(&self, mut typed: StayForm, error: String) -> Result<Response, AppError> {
        typed.error = Some(error);
        let mut forms = CaseForms::default();
        if self.contact {
            forms.contact = typed;
        } else {
            forms.stay = typed;
        }
        let (organisation, case_ref) = self.case;
        let page = case_view(
            self.state,
            self.user,
            self.tr,
            organisation,
            case_ref,
            forms,
        )
        .await?;
        Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(render(&page))).into_response())
    }
}
