//! The JSON API (`/api/v1`), for other systems: cases and the quickscan report, under exactly
//! the access rules of the pages: the same use cases of [`dakwacht_app`], audited the same way.
//! A client signs in once (`POST /api/v1/session`) and sends the token as `Authorization: Bearer`.
//! `GET /api/v1/openapi.json` describes every route.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use dakwacht_app::Wanted;
use dakwacht_app::{Attempt, CaseQuery, CaseSummary, SessionKind, SignIn, Store, StoreError};
use dakwacht_core::{Case, CaseFilter, Field, Lang};
use dakwacht_interchange::header::Columns;
use dakwacht_interchange::row::parse_row;
use dakwacht_stats::{SignalCount, compute, scope_text};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::AppState;
use crate::auth::{ApiUser, ClientAddress};
use crate::error::{AppError, ECHO_CHARS, shorten, shorten_to};

pub(crate) mod assessments;
mod param;

/// An API error: the HTTP status and a JSON body `{"error": code, "message": text}`.
pub struct ApiError {
    status: StatusCode,
    body: ErrorBody,
    /// Seconds to wait, for `Retry-After`.
    retry_after: Option<u64>,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable, for programs: `unauthorized`, `forbidden`, `not_found`, `conflict`, `invalid`, …
    error: &'static str,
    /// For people.
    message: String,
    /// For `invalid`: every problem, by field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    problems: Vec<FieldProblem>,
}

#[derive(Serialize, ToSchema)]
pub struct FieldProblem {
    field: String,
    value: String,
    expected: String,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, error: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            body: ErrorBody {
                error,
                message: message.into(),
                problems: Vec::new(),
            },
            retry_after: None,
        }
    }
}

/// The API's face of the one error type: the same status as the pages ([`AppError::status`]),
/// with a stable code and a message for people.
impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        let status = error.status();
        let (code, message) = match error {
            AppError::SignInFirst => (
                "unauthorized",
                "send a valid token as 'Authorization: Bearer TOKEN' (POST /api/v1/session)"
                    .to_string(),
            ),
            AppError::Forbidden(why) => ("forbidden", why.to_string()),
            AppError::NotFound | AppError::Hidden(_) => ("not_found", "not found".to_string()),
            AppError::BadForm => ("invalid", "bad request".to_string()),
            AppError::Conflict(conflict) => ("conflict", conflict.to_string()),
            AppError::Rejected => (
                "invalid",
                "the change breaks a rule together with what is stored; nothing was saved"
                    .to_string(),
            ),
            AppError::Busy => ("busy", StoreError::Busy.to_string()),
            AppError::Unavailable(detail) => {
                tracing::error!(%detail, "api: the database cannot be reached");
                (
                    "unavailable",
                    "the database cannot be reached; nothing was done, try again later".to_string(),
                )
            }
            AppError::Internal(detail) => {
                tracing::error!(%detail, "api request failed");
                (
                    "internal",
                    "something went wrong; try again later".to_string(),
                )
            }
        };
        // A bad request's status is the API's own (the pages answer an expired form with 403).
        let status = if code == "invalid" && status == StatusCode::FORBIDDEN {
            StatusCode::BAD_REQUEST
        } else {
            status
        };
        ApiError::new(status, code, message)
    }
}

impl From<dakwacht_app::Error> for ApiError {
    fn from(error: dakwacht_app::Error) -> Self {
        AppError::from(error).into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body)).into_response();
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(seconds),
            );
        } else if self.status == StatusCode::SERVICE_UNAVAILABLE {
            return crate::error::retry_later(response);
        }
        response
    }
}

/// Makes every error answer under `/api/` JSON, as the API's own errors are: axum's rejections
/// (bad JSON 400, body too large 413, wrong content type 415, a query or path that does not
/// parse) and unknown routes or methods (404, 405) are plain text or empty otherwise. Their text
/// is kept as the message, shortened, since it may repeat what the client sent.
pub async fn json_errors(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // Rejection texts are short; a longer body is not worth reading.
    let text = axum::body::to_bytes(body, 16 * 1024)
        .await
        .map(|bytes| String::from_utf8_lossy(&bytes).trim().to_string())
        .unwrap_or_default();
    let (error, fixed) = match status {
        StatusCode::BAD_REQUEST => ("invalid", "the request could not be read"),
        StatusCode::UNAUTHORIZED => ("unauthorized", "sign in first"),
        StatusCode::FORBIDDEN => ("forbidden", "not for this user"),
        StatusCode::NOT_FOUND => ("not_found", "there is no such route in the API"),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "this route does not take this method (see the Allow header)",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => ("too_large", "the request body is too large"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            "send the body as JSON, with 'Content-Type: application/json'",
        ),
        StatusCode::UNPROCESSABLE_ENTITY => ("invalid", "the request body does not fit"),
        s if s.is_server_error() => ("internal", "something went wrong; try again later"),
        _ => ("invalid", "the request was refused"),
    };
    let message = if text.is_empty() || status.is_server_error() {
        fixed.to_string()
    } else {
        format!("{fixed}: {}", shorten_to(&text, 2 * ECHO_CHARS))
    };
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    let mut json = ApiError::new(status, error, message).into_response();
    for (name, value) in &parts.headers {
        if name != axum::http::header::CONTENT_TYPE {
            json.headers_mut().insert(name.clone(), value.clone());
        }
    }
    json.extensions_mut().extend(parts.extensions);
    json
}

type ApiResult<T> = Result<Json<T>, ApiError>;

// ---- session ---------------------------------------------------------------------------------

#[derive(Deserialize, ToSchema)]
pub struct Credentials {
    username: String,
    password: String,
    /// The code of the account's authenticator app (six digits) or one of its recovery codes:
    /// needed for an account with a second factor (administrators and coordinators always).
    #[serde(default)]
    code: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Session {
    /// Send as `Authorization: Bearer TOKEN`.
    token: String,
    /// UTC, RFC 3339; sign in again after it.
    expires_at: String,
}

/// Sign in: a token for the other routes. An account with a second factor sends the code of its
/// app (or a recovery code) as `code`; one that needs a second factor and has none sets it up in
/// the pages first (403). After a few wrong passwords or codes for a name (or from an address),
/// the next attempt must wait a few seconds, doubling with every further failure (429 with
/// `Retry-After`); for a name never more than a minute.
#[utoipa::path(post, path = "/api/v1/session", request_body = Credentials,
    responses((status = 200, body = Session), (status = 400, body = ErrorBody, description = "not JSON, or a user name over 64 characters"),
        (status = 401, body = ErrorBody, description = "wrong user name, password or code"),
        (status = 403, body = ErrorBody, description = "the account needs a second factor: set it up in the pages first"),
        (status = 415, body = ErrorBody),
        (status = 429, body = ErrorBody, description = "too many failures; try again after `Retry-After` seconds")))]
pub async fn create_session<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    ClientAddress(address): ClientAddress,
    Json(credentials): Json<Credentials>,
) -> ApiResult<Session> {
    let attempt = Attempt {
        username: &credentials.username,
        password: &credentials.password,
        address,
        kind: SessionKind::Api,
        code: credentials.code.as_deref(),
    };
    match state.app.sign_in(&attempt).await? {
        SignIn::Session { token, expires_at } => Ok(Json(Session { token, expires_at })),
        SignIn::Throttled { seconds } => {
            let mut error = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "throttled",
                format!("too many failed sign-ins; try again in {seconds} seconds"),
            );
            error.retry_after = Some(seconds);
            Err(error)
        }
        SignIn::NameTooLong => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid",
            format!(
                "username: a user name has at most {} characters",
                crate::auth::MAX_USERNAME_CHARS
            ),
        )),
        SignIn::Refused => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "wrong user name, password or code",
        )),
        SignIn::SetUpInPages => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "second_factor_needed",
            "this account needs a second factor: sign in to the pages once and set up an authenticator app",
        )),
        // Only the pages get a session that waits for the code.
        SignIn::CodeNeeded { .. } | SignIn::EnrolmentNeeded { .. } => Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "an API sign-in was answered as the pages' one",
        )),
    }
}

/// Sign out: the token of this request stops working at once.
#[utoipa::path(delete, path = "/api/v1/session",
    responses((status = 204, description = "the token is revoked"), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn delete_session<S: Store>(
    ApiUser { state, user, .. }: ApiUser<S>,
) -> Result<StatusCode, ApiError> {
    state
        .app
        .sign_out(&user.user, &user.token_hash, SessionKind::Api)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- cases -----------------------------------------------------------------------------------

#[derive(Deserialize, IntoParams)]
pub struct CaseListParams {
    /// Continue after this case reference (the previous page's `next_after`).
    after: Option<String>,
    /// At most this many cases (1–500, default 100).
    limit: Option<u32>,
    /// Part of the case reference.
    q: Option<String>,
    municipality: Option<String>,
    /// A `tenancy` code.
    tenancy: Option<String>,
    /// A `route` code.
    route: Option<String>,
    /// A `current_situation` code.
    situation: Option<String>,
    /// Only families out of view.
    out_of_view: Option<bool>,
}

impl CaseListParams {
    /// The selection asked for; a bad value is a 400 that names its parameter.
    fn filter(&self) -> Result<CaseFilter, ApiError> {
        Ok(CaseFilter {
            municipality: param::text(&self.municipality, "municipality")?,
            tenancy: param::code(&self.tenancy, "tenancy")?,
            route: param::code(&self.route, "route")?,
            current_situation: param::code(&self.situation, "situation")?,
            out_of_view: self.out_of_view.unwrap_or(false),
            case_ref_contains: param::text(&self.q, "q")?,
            ..CaseFilter::default()
        })
    }
}

#[derive(Serialize, ToSchema)]
pub struct CaseList {
    organisation: String,
    cases: Vec<CaseListItem>,
    /// Pass as `after` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_after: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CaseListItem {
    case_ref: String,
    reported_on: String,
    municipality: Option<String>,
    children_count: u8,
    current_situation: Option<String>,
    rehoused_on: Option<String>,
}

impl From<CaseSummary> for CaseListItem {
    fn from(c: CaseSummary) -> Self {
        CaseListItem {
            case_ref: c.case_ref,
            reported_on: c.reported_on,
            municipality: c.municipality,
            children_count: c.children_count,
            current_situation: c.current_situation,
            rehoused_on: c.rehoused_on,
        }
    }
}

/// The own organisation's cases, ordered by reference, in pages.
#[utoipa::path(get, path = "/api/v1/cases", params(CaseListParams),
    responses((status = 200, body = CaseList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list_cases<S: Store>(
    ApiUser { acting, .. }: ApiUser<S>,
    Query(params): Query<CaseListParams>,
) -> ApiResult<CaseList> {
    let page = acting
        .list_cases(CaseQuery {
            filter: params.filter()?,
            signal: None,
            after: params.after.clone(),
            limit: params.limit.unwrap_or(100).clamp(1, 500),
            via: "api",
        })
        .await?;
    Ok(Json(CaseList {
        organisation: page.organisation,
        cases: page.cases.into_iter().map(CaseListItem::from).collect(),
        next_after: page.next_after,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct CaseDocument {
    organisation: String,
    case_ref: String,
    /// Pass back when saving: a save from an older version is refused (409).
    version: i64,
    /// Every known field, by interchange column name, as the interchange format writes it.
    fields: BTreeMap<String, String>,
    rules_version: String,
    signals: Vec<ApiSignal>,
    /// Rules on which the family's own fields and its child records disagree; the child
    /// records decide.
    disagreements: Vec<ApiDisagreement>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiDisagreement {
    /// The rule's id.
    rule: String,
    /// What the family's own fields say: the rule raised or not.
    family_raises: bool,
    /// The `child_no` of each child whose record raises it (empty: none does).
    children: Vec<u8>,
    /// The disagreement in a sentence, in the language asked.
    message: String,
}

/// A case's child records, each with the fields it knows, by the children file's column names
/// and codes (`spec/children.md`).
#[derive(Serialize, ToSchema)]
pub struct ChildrenDocument {
    organisation: String,
    case_ref: String,
    /// A child record per child that has one, by `child_no`.
    children: Vec<BTreeMap<String, String>>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiSignal {
    id: String,
    /// `low`, `medium` or `high`.
    severity: String,
    title: String,
    explanation: String,
    next_steps: Vec<String>,
    /// Citations, e.g. "IVRK (VN-Kinderrechtenverdrag) art. 27 lid 1 en 3".
    sources: Vec<String>,
    /// The children whose records raised it, by `child_no`; empty when the family's own
    /// fields did.
    children: Vec<u8>,
}

fn case_document(
    (case, children): (&Case, &[dakwacht_core::Child]),
    version: i64,
    rules: &dakwacht_rules::RuleSet,
    lang: Lang,
) -> CaseDocument {
    let fields = Field::ALL
        .iter()
        .map(|f| (f.name().to_string(), case.text(*f)))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    let evaluation = rules.evaluator().family(case, children);
    let numbers = |facts: &[dakwacht_core::ChildFacts]| facts.iter().map(|c| c.child_no).collect();
    CaseDocument {
        organisation: case.organisation.as_str().to_string(),
        case_ref: case.case_ref.as_str().to_string(),
        version,
        fields,
        rules_version: rules.version.clone(),
        signals: evaluation
            .signals
            .iter()
            .map(|s| ApiSignal {
                id: s.rule.id.clone(),
                severity: s.severity.code().to_string(),
                title: s.rule.title.get(lang).clone(),
                explanation: s.rule.explanation.get(lang).clone(),
                next_steps: s.rule.next_steps.get(lang).clone(),
                sources: s.rule.sources.iter().map(ToString::to_string).collect(),
                children: numbers(&s.children),
            })
            .collect(),
        disagreements: evaluation
            .disagreements
            .iter()
            .map(|d| ApiDisagreement {
                rule: d.rule.id.clone(),
                family_raises: d.family_raises,
                children: numbers(&d.children),
                message: d.sentence(lang),
            })
            .collect(),
    }
}

#[derive(Deserialize, IntoParams)]
pub struct LangParam {
    /// `nl` (default) or `en`: the language of signal texts.
    lang: Option<String>,
}

fn lang_of(param: &LangParam) -> Lang {
    match param.lang.as_deref() {
        Some("en") => Lang::En,
        _ => Lang::Nl,
    }
}

/// One case of the own organisation, with its signals.
#[utoipa::path(get, path = "/api/v1/cases/{organisation}/{case_ref}",
    params(("organisation" = String, Path), ("case_ref" = String, Path), LangParam),
    responses((status = 200, body = CaseDocument), (status = 404, body = ErrorBody, description = "no such case, or another organisation's")),
    security(("bearer" = [])))]
pub async fn get_case<S: Store>(
    ApiUser { state, acting, .. }: ApiUser<S>,
    Path((organisation, case_ref)): Path<(String, String)>,
    Query(lang): Query<LangParam>,
) -> ApiResult<CaseDocument> {
    let (case, version, children) = acting
        .family_with_version(&organisation, &case_ref, "api")
        .await?;
    Ok(Json(case_document(
        (&case, &children),
        version,
        &state.rules,
        lang_of(&lang),
    )))
}

#[derive(Deserialize, ToSchema)]
pub struct CaseSave {
    /// The version read; absent to create a new case.
    version: Option<i64>,
    /// Every field of the case, by interchange column name (fields left out become empty).
    /// `organisation` and `case_ref` come from the address.
    fields: BTreeMap<String, String>,
}

/// Create a case (without `version`) or replace it (with the version read). Checked by the
/// importer's own rules: every problem is returned at once (422).
#[utoipa::path(put, path = "/api/v1/cases/{organisation}/{case_ref}",
    params(("organisation" = String, Path), ("case_ref" = String, Path)),
    request_body = CaseSave,
    responses((status = 200, body = CaseDocument), (status = 409, body = ErrorBody, description = "changed by someone else since the given version, or already exists"),
        (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn put_case<S: Store>(
    ApiUser { state, acting, .. }: ApiUser<S>,
    Path((organisation, case_ref)): Path<(String, String)>,
    Json(save): Json<CaseSave>,
) -> ApiResult<CaseDocument> {
    if let Some(unknown) = save.fields.keys().find(|k| Field::from_header(k).is_none()) {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            format!("unknown field '{}'", shorten(unknown)),
        ));
    }
    let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
    let columns = Columns::from_header(names.iter().copied())
        .map_err(|_| AppError::Internal("the interchange header does not parse".into()))?;
    let cells: Vec<&str> = Field::ALL
        .iter()
        .map(|f| match f {
            Field::Organisation => organisation.as_str(),
            Field::CaseRef => case_ref.as_str(),
            _ => save.fields.get(f.name()).map_or("", String::as_str),
        })
        .collect();
    let case = parse_row(&columns, 1, &cells).map_err(|problems| ApiError {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        body: ErrorBody {
            error: "invalid",
            message: format!("{} problem(s); nothing was saved", problems.len()),
            problems: problems
                .into_iter()
                .map(|p| FieldProblem {
                    field: p.column.unwrap_or_default(),
                    value: shorten(&p.value),
                    expected: p.expected.to_string(),
                })
                .collect(),
        },
        retry_after: None,
    })?;
    let version = acting.save_case(&case, save.version).await?;
    // The signals of the saved case are held against its children's records too.
    let children = acting.children_of(&organisation, &case_ref, "api").await?;
    Ok(Json(case_document(
        (&case, &children),
        version,
        &state.rules,
        Lang::Nl,
    )))
}

// ---- report ----------------------------------------------------------------------------------

#[derive(Deserialize, IntoParams)]
pub struct ReportParams {
    /// Researchers only: one organisation (default: all). Others always get their own.
    organisation: Option<String>,
    municipality: Option<String>,
    /// Home lost on or after (YYYY-MM-DD).
    from: Option<String>,
    /// Home lost on or before (YYYY-MM-DD).
    to: Option<String>,
}

impl ReportParams {
    /// The selection asked for; a bad date is a 400 that names its parameter.
    fn filter(&self) -> Result<CaseFilter, ApiError> {
        Ok(CaseFilter {
            organisation: self.organisation.clone().filter(|o| !o.trim().is_empty()),
            municipality: self.municipality.clone().filter(|m| !m.trim().is_empty()),
            home_lost_from: param::date(&self.from, "from")?,
            home_lost_to: param::date(&self.to, "to")?,
            ..CaseFilter::default()
        })
    }
}

#[derive(Serialize, ToSchema)]
pub struct QuickscanReport {
    /// The selection in words (Dutch).
    scope: String,
    /// Always "niet voor publicatie": these figures are counted as they are, for the
    /// organisation's own work; `/api/v1/reports/published` gives the figures that may be
    /// published.
    publication: &'static str,
    rules_version: String,
    measures: Vec<ApiMeasure>,
    /// The child measures (`spec/children.md`): children are the unit, the denominators count
    /// children, not families.
    child_measures: Vec<ApiMeasure>,
    signals: Vec<ApiSignalCount>,
    /// The duration of homelessness as a Kaplan–Meier estimate, as `dakwacht report duration
    /// --format json` gives it (publication spec §1): `n`, `events`, `censored`, `excluded`,
    /// `median_months`, `median_ci`, `survival_at` (3, 6, 12, 24 months), `table` (per month:
    /// `at_risk`, `events`, `censored`, `survival`, `ci_low`, `ci_high`), `optimistic`,
    /// `pessimistic`.
    #[schema(value_type = Object)]
    duration: serde_json::Value,
}

#[derive(Serialize, ToSchema)]
pub struct ApiMeasure {
    /// Stable id from `spec/measures.md`, e.g. `route.no_court`.
    id: String,
    label: String,
    numerator: u64,
    /// Absent for counts.
    denominator: Option<u64>,
    /// Rounded half up to whole percents, as the report prints it.
    percent: Option<u64>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiSignalCount {
    id: String,
    label: String,
    cases: u64,
    of: u64,
    percent: Option<u64>,
}

/// The quickscan measures and signal counts over the cases the user may count, as counted: not
/// for publication. For the own organisation (coordinators, professionals); researchers are
/// refused and get `/api/v1/reports/published`.
#[utoipa::path(get, path = "/api/v1/reports/quickscan", params(ReportParams),
    responses((status = 200, body = QuickscanReport), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn quickscan<S: Store>(
    ApiUser { state, acting, .. }: ApiUser<S>,
    Query(params): Query<ReportParams>,
) -> ApiResult<QuickscanReport> {
    let figures = acting
        .figures(
            params.filter()?,
            &state.rules,
            Wanted::Report,
            "api report quickscan",
        )
        .await?;
    let scope = scope_text(&figures.filter, Lang::Nl);
    let tally = &figures.signals;
    Ok(Json(QuickscanReport {
        scope,
        publication: "niet voor publicatie",
        rules_version: tally.rules_version.clone(),
        measures: api_measures(&compute(&figures.profiles, figures.municipalities)),
        child_measures: api_measures(&dakwacht_stats::compute_children(&figures.children)),
        duration: dakwacht_stats::duration_report::duration_json(&figures.duration()),
        signals: SignalCount::from_tally(&state.rules, tally, Lang::Nl)
            .into_iter()
            .map(|s| ApiSignalCount {
                percent: s.whole_percent(),
                id: s.id,
                label: s.label,
                cases: s.cases,
                of: s.of,
            })
            .collect(),
    }))
}

/// The published figures (publication spec §2 and §3): the quickscan measures, the child
/// measures, the duration estimate and the signal counts over the cases the user may count,
/// every figure through the disclosure policy; a suppressed number is `null`, and its measure says which part was
/// suppressed and why (`primary`, `secondary`). `policy` names the policy and what it held back.
#[utoipa::path(get, path = "/api/v1/reports/published", params(ReportParams),
    responses((status = 200, body = Object), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn published<S: Store>(
    ApiUser { state, acting, .. }: ApiUser<S>,
    Query(params): Query<ReportParams>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let publication = acting
        .publication(
            params.filter()?,
            &state.rules,
            &state.policy,
            Wanted::Report,
            "api report published",
            Lang::Nl,
        )
        .await?;
    if publication.too_small {
        return Err(too_small());
    }
    Ok(Json(serde_json::json!({
        "scope": scope_text(&publication.filter, Lang::Nl),
        "policy": publication.summary,
        "measures": publication.measures.measures,
        "child_measures": publication.measures.child_measures,
        "duration": publication.duration,
        "signals": publication.signals,
        "rules_version": publication.rules_version,
    })))
}

/// A researcher's selection of a handful of families would single them out.
fn too_small() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "selection_too_small",
        format!(
            "this selection holds fewer than {} cases; figures about so few families could single one out, so none are given: choose a wider selection",
            dakwacht_stats::RESEARCHER_MINIMUM_CASES
        ),
    )
}

fn api_measures(measures: &[dakwacht_stats::Measure]) -> Vec<ApiMeasure> {
    measures
        .iter()
        .map(|m| ApiMeasure {
            id: m.id.to_string(),
            label: m.definition().map_or(m.id, |d| d.label_nl).to_string(),
            numerator: m.numerator,
            denominator: m.denominator,
            percent: m.whole_percent(),
        })
        .collect()
}

/// The records of a case's children (only for whom the case page would show them; audited).
#[utoipa::path(get, path = "/api/v1/cases/{organisation}/{case_ref}/children",
    params(("organisation" = String, Path), ("case_ref" = String, Path)),
    responses((status = 200, body = ChildrenDocument), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get_children<S: Store>(
    ApiUser { acting, .. }: ApiUser<S>,
    Path((organisation, case_ref)): Path<(String, String)>,
) -> ApiResult<ChildrenDocument> {
    let children = acting.children_of(&organisation, &case_ref, "api").await?;
    let children = children
        .iter()
        .map(|child| {
            dakwacht_core::ChildField::ALL
                .iter()
                .filter(|f| {
                    !matches!(
                        f,
                        dakwacht_core::ChildField::CaseRef
                            | dakwacht_core::ChildField::Organisation
                    )
                })
                .map(|f| (f.name().to_string(), child.text(*f)))
                .filter(|(_, v)| !v.is_empty())
                .chain(child.extra.clone())
                .collect()
        })
        .collect();
    Ok(Json(ChildrenDocument {
        organisation,
        case_ref,
        children,
    }))
}

// ---- the document ----------------------------------------------------------------------------

#[derive(OpenApi)]
#[openapi(
    info(title = "dakwacht API", description = "Cases of families that lost their rented home, their signals, and the quickscan statistics. Every call is audited; a user only reaches what the pages would show them."),
    paths(
        create_session, delete_session, list_cases, get_case, put_case, get_children, quickscan,
        published,
        assessments::list, assessments::start, assessments::save
    ),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub async fn openapi() -> Response {
    Json(ApiDoc::openapi()).into_response()
}
