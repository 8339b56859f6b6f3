//! Creating and editing a case: every interchange field, grouped the way a professional tells the
//! story, checked by the same rules as an imported file, saved only if nobody else saved first.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use dakwacht_core::access::Action;
use dakwacht_core::codes::{
    Alternative, FamilySeparated, Household, Lang, LegalSupport, LivingSituation, Reason, Route,
    Tenancy,
};
use dakwacht_core::{Case, Field};
use dakwacht_interchange::header::Columns;
use dakwacht_interchange::row::parse_row;
use dakwacht_store::{Store, StoreError};

use crate::AppState;
use crate::auth::{CurrentUser, authorize};
use crate::error::AppError;
use crate::pages::{encode_segment, render};

pub enum FieldKind {
    Text,
    Long,
    /// Shown, not editable (the organisation, the reference of an existing case).
    Fixed,
    Select(Vec<(String, String)>),
}

pub struct FormField {
    name: &'static str,
    label: &'static str,
    hint: Option<&'static str>,
    kind: FieldKind,
    value: String,
    error: Option<String>,
}

pub struct Group {
    legend: &'static str,
    fields: Vec<FormField>,
}

#[derive(Template)]
#[template(path = "case_form.html")]
struct CaseFormPage {
    username: String,
    csrf: String,
    heading: String,
    action: String,
    version: Option<i64>,
    problem: Option<String>,
    error_count: usize,
    groups: Vec<Group>,
}

fn options<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T, Lang) -> &'static str,
) -> FieldKind {
    let mut list = vec![(String::new(), "onbekend".to_string())];
    list.extend(
        all.iter()
            .map(|v| (code(*v).to_string(), label(*v, Lang::Nl).to_string())),
    );
    FieldKind::Select(list)
}

fn yes_no() -> FieldKind {
    FieldKind::Select(vec![
        (String::new(), "onbekend".into()),
        ("yes".into(), "ja".into()),
        ("no".into(), "nee".into()),
    ])
}

/// A field of the form: which, its label, a hint, how it is entered.
type FieldSpec = (Field, &'static str, Option<&'static str>, FieldKind);

/// The story, in order: who, which home, how it was lost, legal help, what was offered, where
/// the family stays, the children, notes.
fn layout(new: bool) -> Vec<(&'static str, Vec<FieldSpec>)> {
    use Field as F;
    let text = || FieldKind::Text;
    vec![
        (
            "De casus",
            vec![
                (F::Organisation, "Organisatie", None, FieldKind::Fixed),
                (
                    F::CaseRef,
                    "Referentie",
                    Some("Uw eigen kenmerk, zonder namen."),
                    if new { text() } else { FieldKind::Fixed },
                ),
                (
                    F::ReportedOn,
                    "Gemeld op",
                    Some("Datum als JJJJ-MM-DD."),
                    text(),
                ),
            ],
        ),
        (
            "Het gezin",
            vec![
                (
                    F::Household,
                    "Huishouden",
                    None,
                    options(Household::ALL, Household::code, Household::label),
                ),
                (
                    F::ChildrenCount,
                    "Aantal minderjarige kinderen",
                    None,
                    text(),
                ),
                (
                    F::ChildrenAges,
                    "Leeftijden van de kinderen",
                    Some(
                        "Gescheiden door ;, bijvoorbeeld 4;9. Gebruik ? voor een onbekende leeftijd.",
                    ),
                    text(),
                ),
            ],
        ),
        (
            "De woning en de verhuurder",
            vec![
                (F::Municipality, "Gemeente", None, text()),
                (
                    F::Tenancy,
                    "Soort verhuur",
                    None,
                    options(Tenancy::ALL, Tenancy::code, Tenancy::label),
                ),
            ],
        ),
        (
            "Hoe de woning verloren ging",
            vec![
                (
                    F::HomeLostOn,
                    "Woning kwijt op",
                    Some("JJJJ-MM-DD, of JJJJ-MM als alleen de maand bekend is."),
                    text(),
                ),
                (
                    F::Route,
                    "Hoe",
                    None,
                    options(Route::ALL, Route::code, Route::label),
                ),
                (
                    F::DefaultJudgment,
                    "Uitspraak bij verstek",
                    Some("Alleen bij ontruiming na een uitspraak van de rechter."),
                    yes_no(),
                ),
                (
                    F::MainReason,
                    "Belangrijkste reden",
                    None,
                    options(Reason::ALL, Reason::code, Reason::label),
                ),
                (
                    F::OtherReasons,
                    "Andere redenen",
                    Some("Codes gescheiden door ;, bijvoorbeeld nuisance;crime."),
                    text(),
                ),
            ],
        ),
        (
            "Juridische hulp",
            vec![(
                F::LegalSupport,
                "Juridische hulp",
                None,
                options(LegalSupport::ALL, LegalSupport::code, LegalSupport::label),
            )],
        ),
        (
            "Wat werd aangeboden",
            vec![(
                F::AlternativeOffered,
                "Aangeboden in plaats van de woning",
                None,
                options(Alternative::ALL, Alternative::code, Alternative::label),
            )],
        ),
        (
            "Waar het gezin verblijft",
            vec![
                (
                    F::SituationAfter,
                    "Direct na het verlies van de woning",
                    None,
                    options(
                        LivingSituation::ALL,
                        LivingSituation::code,
                        LivingSituation::label,
                    ),
                ),
                (
                    F::CurrentSituation,
                    "Nu (op de meldingsdatum)",
                    Some("Onbekend betekent: het gezin is uit beeld."),
                    options(
                        LivingSituation::ALL,
                        LivingSituation::code,
                        LivingSituation::label,
                    ),
                ),
                (
                    F::LastSeenOn,
                    "Laatst gezien op",
                    Some("JJJJ-MM-DD."),
                    text(),
                ),
                (
                    F::LastSeenSituation,
                    "Verbleef toen",
                    None,
                    options(
                        LivingSituation::ALL,
                        LivingSituation::code,
                        LivingSituation::label,
                    ),
                ),
                (
                    F::RehousedOn,
                    "Opnieuw gehuisvest op",
                    Some("JJJJ-MM-DD."),
                    text(),
                ),
            ],
        ),
        (
            "De kinderen",
            vec![
                (F::ChildHeard, "De kinderen zijn gehoord", None, yes_no()),
                (
                    F::BestInterestWeighed,
                    "Het belang van het kind is afgewogen",
                    None,
                    yes_no(),
                ),
                (
                    F::FamilySeparated,
                    "Kinderen en ouders gescheiden",
                    None,
                    options(
                        FamilySeparated::ALL,
                        FamilySeparated::code,
                        FamilySeparated::label,
                    ),
                ),
                (
                    F::ShelterRefusedNoBinding,
                    "Opvang geweigerd wegens geen regiobinding",
                    None,
                    yes_no(),
                ),
                (F::SchoolDisrupted, "Schoolgang verstoord", None, yes_no()),
            ],
        ),
        (
            "Aantekeningen",
            vec![(
                F::Notes,
                "Aantekeningen",
                Some("Schrijf geen namen of andere gegevens waarmee iemand te herkennen is."),
                FieldKind::Long,
            )],
        ),
    ]
}

fn groups(
    new: bool,
    values: &HashMap<String, String>,
    errors: &HashMap<String, String>,
) -> Vec<Group> {
    layout(new)
        .into_iter()
        .map(|(legend, fields)| Group {
            legend,
            fields: fields
                .into_iter()
                .map(|(field, label, hint, kind)| FormField {
                    name: field.name(),
                    label,
                    hint,
                    kind,
                    value: values.get(field.name()).cloned().unwrap_or_default(),
                    error: errors.get(field.name()).cloned(),
                })
                .collect(),
        })
        .collect()
}

/// The form's values as an interchange row, checked by the importer's own rules.
fn parse(values: &HashMap<String, String>) -> Result<Case, HashMap<String, String>> {
    let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
    let columns = Columns::from_header(names.iter().copied()).map_err(|_| HashMap::new())?;
    let cells: Vec<&str> = Field::ALL
        .iter()
        .map(|f| values.get(f.name()).map_or("", |v| v.as_str()))
        .collect();
    parse_row(&columns, 1, &cells).map_err(|errors| {
        errors
            .into_iter()
            .map(|e| {
                let message = if e.value.is_empty() {
                    format!("Dit veld is nodig: {}.", e.expected)
                } else {
                    format!("‘{}’ klopt niet: {}.", e.value, e.expected)
                };
                (e.column.unwrap_or_default(), message)
            })
            .collect()
    })
}

fn values_of(case: &Case) -> HashMap<String, String> {
    Field::ALL
        .iter()
        .map(|f| (f.name().to_string(), case.text(*f)))
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn page(
    user: &CurrentUser,
    new: bool,
    action: String,
    version: Option<i64>,
    values: &HashMap<String, String>,
    errors: &HashMap<String, String>,
    problem: Option<String>,
    status: StatusCode,
) -> Response {
    let heading = if new {
        "Nieuwe casus".to_string()
    } else {
        format!(
            "Casus {} bewerken",
            values.get("case_ref").cloned().unwrap_or_default()
        )
    };
    let page = CaseFormPage {
        username: user.user.username.clone(),
        csrf: user.csrf_token.clone(),
        heading,
        action,
        version,
        problem,
        error_count: errors.len(),
        groups: groups(new, values, errors),
    };
    (status, Html(render(&page))).into_response()
}

fn own_organisation(user: &CurrentUser) -> Result<String, AppError> {
    let organisation = user.user.organisation.clone().ok_or(AppError::Forbidden(
        "cases are kept by coordinators and professionals",
    ))?;
    authorize(
        user,
        Action::WriteCase {
            organisation: &organisation,
        },
    )?;
    Ok(organisation)
}

pub async fn new_form(user: CurrentUser) -> Result<Response, AppError> {
    let organisation = own_organisation(&user)?;
    let mut values = HashMap::new();
    values.insert("organisation".to_string(), organisation);
    values.insert(
        "reported_on".to_string(),
        jiff::Zoned::now().date().to_string(),
    );
    Ok(page(
        &user,
        true,
        "/cases/new".into(),
        None,
        &values,
        &HashMap::new(),
        None,
        StatusCode::OK,
    ))
}

pub async fn create<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    user: CurrentUser,
    Form(mut values): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    user.check_csrf(values.get("csrf").map_or("", |v| v.as_str()))?;
    let organisation = own_organisation(&user)?;
    values.insert("organisation".to_string(), organisation.clone());
    let case = match parse(&values) {
        Ok(case) => case,
        Err(errors) => {
            return Ok(page(
                &user,
                true,
                "/cases/new".into(),
                None,
                &values,
                &errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    match state.store.save_case(&user.actor(), &case, None).await {
        Ok(_) => {
            Ok(Redirect::to(&case_path(&organisation, case.case_ref.as_str())).into_response())
        }
        Err(StoreError::Conflict(_)) => {
            let mut errors = HashMap::new();
            errors.insert(
                "case_ref".to_string(),
                "Deze referentie bestaat al in uw organisatie. Kies een andere.".to_string(),
            );
            Ok(page(
                &user,
                true,
                "/cases/new".into(),
                None,
                &values,
                &errors,
                None,
                StatusCode::CONFLICT,
            ))
        }
        Err(other) => Err(other.into()),
    }
}

pub fn case_path(organisation: &str, case_ref: &str) -> String {
    format!(
        "/cases/{}/{}",
        encode_segment(organisation),
        encode_segment(case_ref)
    )
}

pub async fn edit_form<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    user: CurrentUser,
    Path((organisation, case_ref)): Path<(String, String)>,
) -> Result<Response, AppError> {
    authorize(
        &user,
        Action::WriteCase {
            organisation: &organisation,
        },
    )?;
    let case = state
        .store
        .case(&organisation, &case_ref)
        .await?
        .ok_or(AppError::NotFound)?;
    let version = state
        .store
        .case_version(&organisation, &case_ref)
        .await?
        .ok_or(AppError::NotFound)?;
    state
        .store
        .audit(
            &dakwacht_store::AuditEntry::new(&user.actor(), dakwacht_store::AuditAction::ViewCase)
                .case(&organisation, &case_ref)
                .detail("edit form"),
        )
        .await?;
    let action = format!("{}/edit", case_path(&organisation, &case_ref));
    Ok(page(
        &user,
        false,
        action,
        Some(version),
        &values_of(&case),
        &HashMap::new(),
        None,
        StatusCode::OK,
    ))
}

pub async fn update<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    user: CurrentUser,
    Path((organisation, case_ref)): Path<(String, String)>,
    Form(mut values): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    user.check_csrf(values.get("csrf").map_or("", |v| v.as_str()))?;
    authorize(
        &user,
        Action::WriteCase {
            organisation: &organisation,
        },
    )?;
    let version: i64 = values
        .get("version")
        .and_then(|v| v.parse().ok())
        .ok_or(AppError::BadForm)?;
    // Who and which case come from the address, never from the form.
    values.insert("organisation".to_string(), organisation.clone());
    values.insert("case_ref".to_string(), case_ref.clone());
    let action = format!("{}/edit", case_path(&organisation, &case_ref));
    let case = match parse(&values) {
        Ok(case) => case,
        Err(errors) => {
            return Ok(page(
                &user,
                false,
                action,
                Some(version),
                &values,
                &errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    match state
        .store
        .save_case(&user.actor(), &case, Some(version))
        .await
    {
        Ok(_) => Ok(Redirect::to(&case_path(&organisation, &case_ref)).into_response()),
        Err(StoreError::Conflict(why)) => {
            let problem = format!(
                "Niet opgeslagen: iemand anders heeft deze casus gewijzigd nadat u hem opende ({why}). Uw invoer staat hieronder nog; open de casus opnieuw om de nieuwe versie te zien en breng uw wijzigingen daarin aan."
            );
            Ok(page(
                &user,
                false,
                action,
                Some(version),
                &values,
                &HashMap::new(),
                Some(problem),
                StatusCode::CONFLICT,
            ))
        }
        Err(StoreError::NotFound(_)) => Err(AppError::NotFound),
        Err(other) => Err(other.into()),
    }
}
