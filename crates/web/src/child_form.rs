//! A child's record entered or changed by hand, from the child's card on the case page. The form
//! sends the children file's columns and codes, so it is read by the file's own parser and held
//! to the same rules (a child the case has, the age the case gives it, who heard the child only
//! when it was heard, school days only with a changed or missed school).

use std::collections::BTreeMap;

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use dakwacht_app::{Store, WholeCase};
use dakwacht_core::{ChildField, CodeList, FamilySeparated, HeardBy, School, StaysWith};
use dakwacht_interchange::header::Columns;

use crate::auth::{CurrentUser, Signed, SignedForm};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::sections::{Control, Section, SectionedPage};

type Fields = BTreeMap<String, String>;

/// The record's fields as the form shows them: the stored record, or what was sent.
fn values(whole: &WholeCase, child_no: u8) -> Fields {
    let record = whole.children.iter().find(|c| c.child_no == child_no);
    ChildField::ALL
        .iter()
        .map(|field| {
            let value = record.map(|r| r.text(*field)).unwrap_or_default();
            (field.name().to_string(), value)
        })
        .collect()
}

fn choices<T: CodeList>(tr: &Tr) -> Vec<(&'static str, String)> {
    T::ALL
        .iter()
        .map(|c| (c.code(), c.label(tr.lang).to_string()))
        .collect()
}

fn yes_no_unknown(tr: &Tr) -> Vec<(&'static str, String)> {
    vec![
        ("yes", tr.t("yes")),
        ("no", tr.t("no")),
        ("", tr.t("unknown")),
    ]
}

#[allow(clippy::too_many_arguments)] // the parts of one page, each needed once
fn page(
    tr: &Tr,
    user: &CurrentUser,
    (organisation, case_ref): (&str, &str),
    whole: &WholeCase,
    child_no: u8,
    values: &Fields,
    errors: &BTreeMap<String, String>,
) -> SectionedPage {
    let case_path = crate::case_form::case_path(organisation, case_ref);
    let record = whole.children.iter().find(|c| c.child_no == child_no);
    let card = crate::shown::child_card(&whole.case, child_no, record, tr);
    let value = |field: ChildField| values.get(field.name()).cloned().unwrap_or_default();
    let error = |field: ChildField| errors.get(field.name()).cloned();
    let label = |field: ChildField| field.label(tr.lang).to_string();
    let input = |field: ChildField, hint: Option<String>| Control::Input {
        name: field.name().to_string(),
        label: label(field),
        hint,
        value: value(field),
        error: error(field),
    };
    let radios = |field: ChildField, options: Vec<(&'static str, String)>| Control::Radios {
        name: field.name().to_string(),
        legend: label(field),
        options,
        chosen: value(field),
        error: error(field),
    };
    let select = |field: ChildField, options: Vec<(&'static str, String)>| Control::Select {
        name: field.name().to_string(),
        label: label(field),
        options,
        chosen: value(field),
        error: error(field),
    };
    use ChildField as F;
    let sections = vec![
        Section {
            legend: tr.t("child-form-where"),
            hint: None,
            controls: vec![
                input(F::Age, Some(tr.t("child-form-age-hint"))),
                select(F::StaysWith, choices::<StaysWith>(tr)),
                radios(F::Separated, {
                    let mut options = choices::<FamilySeparated>(tr);
                    options.push(("", tr.t("unknown")));
                    options
                }),
            ],
        },
        Section {
            legend: tr.t("child-form-school"),
            hint: None,
            controls: vec![
                select(F::School, choices::<School>(tr)),
                input(F::SchoolDaysMissed, Some(tr.t("child-form-days-hint"))),
            ],
        },
        Section {
            legend: tr.t("child-form-heard"),
            hint: Some(tr.t("child-form-heard-hint")),
            controls: vec![
                radios(F::Heard, yes_no_unknown(tr)),
                select(F::HeardBy, choices::<HeardBy>(tr)),
                radios(F::BestInterestAssessed, yes_no_unknown(tr)),
            ],
        },
        Section {
            legend: tr.t("child-form-help"),
            hint: None,
            controls: vec![
                radios(F::YouthCare, yes_no_unknown(tr)),
                Control::Text {
                    name: F::Notes.name().to_string(),
                    label: label(F::Notes),
                    hint: Some(tr.t("child-form-notes-hint")),
                    value: value(F::Notes),
                    error: error(F::Notes),
                },
            ],
        },
    ];
    SectionedPage {
        tr: tr.clone(),
        username: user.user.username.clone(),
        csrf: user.csrf_token.clone(),
        heading: tr.t("child-form-heading"),
        about: card.heading,
        status: None,
        steps: Vec::new(),
        intro: None,
        sections,
        action: format!("{case_path}/children/{child_no}/edit"),
        version: None,
        error_count: errors.len(),
        button: tr.t("child-form-save"),
        summary_link: None,
        case_link: case_path,
    }
}

/// The child's number from the address: one the family has.
fn child_of(whole: &WholeCase, child_no: &str) -> Result<u8, AppError> {
    let child_no: u8 = child_no.parse().map_err(|_| AppError::NotFound)?;
    if child_no == 0 || child_no > whole.case.children.count {
        return Err(AppError::NotFound);
    }
    Ok(child_no)
}

/// The form, filled with the stored record.
pub async fn edit_form<S: Store>(
    Signed { state, user, tr }: Signed<S>,
    Path((organisation, case_ref, child_no)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let acting = user.acting(&state);
    acting.may_change_cases_of(&organisation).await?;
    let whole = acting
        .read_whole_case(&organisation, &case_ref, "web child form")
        .await?;
    let child_no = child_of(&whole, &child_no)?;
    let values = values(&whole, child_no);
    let page = page(
        &tr,
        &user,
        (&organisation, &case_ref),
        &whole,
        child_no,
        &values,
        &BTreeMap::new(),
    );
    Ok(Html(crate::pages::render(&page)).into_response())
}

/// Saves the record and goes back to the case; with errors, the form again with each at its
/// field and nothing saved.
pub async fn save<S: Store>(
    Path((organisation, case_ref, child_no)): Path<(String, String, String)>,
    SignedForm(Signed { state: _, user, tr }, acting, sent): SignedForm<S, Fields>,
) -> Result<Response, AppError> {
    acting.may_change_cases_of(&organisation).await?;
    let whole = acting
        .read_whole_case(&organisation, &case_ref, "web child form")
        .await?;
    let child_no = child_of(&whole, &child_no)?;
    let names: Vec<&str> = ChildField::ALL.iter().map(|f| f.name()).collect();
    let columns = Columns::<ChildField>::from_header(names.iter().copied())
        .map_err(|_| AppError::Internal("the children file's header does not parse".into()))?;
    let number = child_no.to_string();
    let cells: Vec<&str> = ChildField::ALL
        .iter()
        .map(|field| match field {
            ChildField::Organisation => organisation.as_str(),
            ChildField::CaseRef => case_ref.as_str(),
            ChildField::ChildNo => number.as_str(),
            _ => sent.get(field.name()).map_or("", |v| v.trim()),
        })
        .collect();
    let mut errors = BTreeMap::new();
    let parsed = dakwacht_interchange::parse_child_row(&columns, 1, &cells);
    match &parsed {
        Ok(row) => {
            for error in row.child.check_in(&whole.case) {
                errors.insert(error.field.name().to_string(), error.expected.text(tr.lang));
            }
        }
        Err(problems) => {
            for problem in problems {
                let name = problem.column.clone().unwrap_or_default();
                errors
                    .entry(name)
                    .or_insert_with(|| problem.expected.text(tr.lang));
            }
        }
    }
    let (Ok(row), true) = (parsed, errors.is_empty()) else {
        let mut values = values(&whole, child_no);
        for (name, value) in &sent {
            if let Some(slot) = values.get_mut(name) {
                slot.clone_from(value);
            }
        }
        let page = page(
            &tr,
            &user,
            (&organisation, &case_ref),
            &whole,
            child_no,
            &values,
            &errors,
        );
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            Html(crate::pages::render(&page)),
        )
            .into_response());
    };
    // Free `x_` columns of an imported record stay as they were.
    let mut child = row.child;
    if let Some(stored) = whole.children.iter().find(|c| c.child_no == child_no) {
        child.extra = stored.extra.clone();
    }
    acting.save_child(&organisation, &case_ref, &child).await?;
    let case_path = crate::case_form::case_path(&organisation, &case_ref);
    Ok(Redirect::to(&format!("{case_path}#kind-{child_no}")).into_response())
}
