//! Creating and editing a case: every interchange field, grouped the way a professional tells the
//! story, checked by the same rules as an imported file, saved only if nobody else saved first.

use std::collections::HashMap;

use crate::auth::{Signed, SignedForm};
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use dakwacht_app::{Acting, Error, ReadFor, Store, StoreError};
use dakwacht_core::codes::{
    Alternative, CodeList, FamilySeparated, Household, LegalSupport, LivingSituation, Reason,
    Route, Tenancy,
};
use dakwacht_core::date::{format_date, long_date_time, parse_typed_date};
use dakwacht_core::{Case, DateOrMonth, Expected, Field, Lang};
use dakwacht_interchange::header::Columns;
use dakwacht_interchange::row::parse_row;

use crate::auth::CurrentUser;
use crate::error::{AppError, retry_later};
use crate::i18n::Tr;
use crate::pages::{encode_segment, render};

pub enum FieldKind {
    Text,
    /// Several codes of a list, each a checkbox named `{field}-{code}`: (code, label).
    Choices(Vec<(String, String)>),
    Long,
    /// Shown, not editable (the organisation, the reference of an existing case).
    Fixed,
    Select(Vec<(String, String)>),
}

pub struct FormField {
    name: &'static str,
    label: String,
    hint: Option<String>,
    kind: FieldKind,
    value: String,
    /// The codes ticked, for [`FieldKind::Choices`].
    chosen: Vec<String>,
    error: Option<String>,
}

impl FormField {
    /// Whether a code of a [`FieldKind::Choices`] field is ticked.
    fn is_chosen(&self, code: &str) -> bool {
        self.chosen.iter().any(|c| c == code)
    }
}

pub struct Group {
    legend: String,
    fields: Vec<FormField>,
}

#[derive(Template)]
#[template(path = "case_form.html")]
struct CaseFormPage {
    tr: Tr,
    username: String,
    csrf: String,
    heading: String,
    action: String,
    version: Option<i64>,
    problem: Option<String>,
    error_count: usize,
    groups: Vec<Group>,
}

/// Each field's label as the form shows it, for pages that name fields (what an import changes,
/// a case's history).
pub fn field_labels(tr: &Tr) -> HashMap<Field, String> {
    layout(false, tr)
        .into_iter()
        .flat_map(|(_, fields)| fields)
        .map(|(field, label, ..)| (field, label))
        .collect()
}

/// The form's groups with their fields' labels: how the case page shows every field.
pub fn field_groups(tr: &Tr) -> Vec<(String, Vec<(Field, String)>)> {
    layout(false, tr)
        .into_iter()
        .map(|(legend, fields)| {
            let labels = fields.into_iter().map(|(field, label, ..)| (field, label));
            (legend, labels.collect())
        })
        .collect()
}

/// A drop-down list of the codes of `T`, with "unknown" first.
fn options<T: CodeList>(tr: &Tr) -> FieldKind {
    let mut list = vec![(String::new(), tr.t("unknown"))];
    list.extend(
        T::ALL
            .iter()
            .map(|v| (v.code().to_string(), v.label(tr.lang).to_string())),
    );
    FieldKind::Select(list)
}

/// A checkbox per code of `T`, with its label.
fn choices<T: CodeList>(tr: &Tr) -> FieldKind {
    FieldKind::Choices(
        T::ALL
            .iter()
            .map(|v| (v.code().to_string(), v.label(tr.lang).to_string()))
            .collect(),
    )
}

fn yes_no(tr: &Tr) -> FieldKind {
    FieldKind::Select(vec![
        (String::new(), tr.t("unknown")),
        ("yes".into(), tr.t("yes")),
        ("no".into(), tr.t("no")),
    ])
}

/// A field of the form: which, its label, a hint, how it is entered.
type FieldSpec = (Field, String, Option<String>, FieldKind);

/// The story, in order: who, which home, how it was lost, legal help, what was offered, where
/// the family stays, the children, notes. A table: one field a line.
#[rustfmt::skip]
fn layout(new: bool, tr: &Tr) -> Vec<(String, Vec<FieldSpec>)> {
    use Field as F;
    let text = || FieldKind::Text;
    let row = |field, label: &str, hint: Option<&str>, kind| -> FieldSpec {
        (field, tr.t(label), hint.map(|key| tr.t(key)), kind)
    };
    vec![
        (
            tr.t("form-group-case"),
            vec![
                row(F::Organisation, "form-organisation", None, FieldKind::Fixed),
                row(F::CaseRef, "form-case-ref", Some("form-case-ref-hint"), if new { text() } else { FieldKind::Fixed }),
                row(F::ReportedOn, "form-reported-on", Some("form-date-hint"), text()),
            ],
        ),
        (
            tr.t("form-group-family"),
            vec![
                row(F::Household, "form-household", None, options::<Household>(tr)),
                row(F::ChildrenCount, "form-children-count", None, text()),
                row(F::ChildrenAges, "form-children-ages", Some("form-children-ages-hint"), text()),
            ],
        ),
        (
            tr.t("form-group-home"),
            vec![
                (F::Municipality, tr.t("form-municipality"), None, text()),
                row(F::Tenancy, "form-tenancy", None, options::<Tenancy>(tr)),
            ],
        ),
        (
            tr.t("form-group-loss"),
            vec![
                row(F::HomeLostOn, "form-home-lost-on", Some("form-date-or-month-hint"), text()),
                row(F::Route, "form-route", None, options::<Route>(tr)),
                row(F::DefaultJudgment, "form-default-judgment", Some("form-default-judgment-hint"), yes_no(tr)),
                row(F::MainReason, "form-main-reason", None, options::<Reason>(tr)),
                row(F::OtherReasons, "form-other-reasons", Some("form-other-reasons-hint"), choices::<Reason>(tr)),
            ],
        ),
        (
            tr.t("form-group-legal"),
            vec![row(F::LegalSupport, "form-legal-support", None, options::<LegalSupport>(tr))],
        ),
        (
            tr.t("form-group-offered"),
            vec![row(F::AlternativeOffered, "form-alternative-offered", None, options::<Alternative>(tr))],
        ),
        (
            tr.t("form-group-stay"),
            vec![
                row(F::SituationAfter, "form-situation-after", None, options::<LivingSituation>(tr)),
                row(F::CurrentSituation, "form-current-situation", Some("form-current-situation-hint"), options::<LivingSituation>(tr)),
                row(F::LastSeenOn, "form-last-seen-on", Some("form-date-hint"), text()),
                row(F::LastSeenSituation, "form-last-seen-situation", None, options::<LivingSituation>(tr)),
                row(F::RehousedOn, "form-rehoused-on", Some("form-date-hint"), text()),
            ],
        ),
        (
            tr.t("form-group-children"),
            vec![
                row(F::ChildHeard, "form-child-heard", None, yes_no(tr)),
                row(F::BestInterestWeighed, "form-best-interest-weighed", None, yes_no(tr)),
                row(F::FamilySeparated, "form-family-separated", None, options::<FamilySeparated>(tr)),
                row(F::ShelterRefusedNoBinding, "form-shelter-refused", None, yes_no(tr)),
                row(F::SchoolDisrupted, "form-school-disrupted", None, yes_no(tr)),
            ],
        ),
        (
            tr.t("form-group-notes"),
            vec![row(F::Notes, "form-notes", Some("form-notes-hint"), FieldKind::Long)],
        ),
    ]
}

/// The codes chosen in a field of several codes, from its value in file notation.
fn chosen_of(field: Field, values: &HashMap<String, String>) -> Vec<String> {
    if field != Field::OtherReasons {
        return Vec::new();
    }
    values
        .get(field.name())
        .map(|v| {
            v.split(';')
                .map(|code| code.trim().to_lowercase())
                .filter(|code| !code.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

fn groups(
    tr: &Tr,
    new: bool,
    values: &HashMap<String, String>,
    errors: &HashMap<String, String>,
) -> Vec<Group> {
    layout(new, tr)
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
                    chosen: chosen_of(field, values),
                    error: errors.get(field.name()).cloned(),
                })
                .collect(),
        })
        .collect()
}

/// The date fields of the form; `home_lost_on` also takes a month.
const DATE_FIELDS: [Field; 4] = [
    Field::ReportedOn,
    Field::HomeLostOn,
    Field::LastSeenOn,
    Field::RehousedOn,
];

/// A date field's value as a person typed it (`3-4-2024`, `03-04-2024`, `2024-04-03`; for
/// `home_lost_on` also a month, `4-2024`), read; `None` when it cannot be read.
fn typed_date(field: Field, typed: &str) -> Option<DateOrMonth> {
    if field == Field::HomeLostOn {
        DateOrMonth::parse_typed(typed)
    } else {
        parse_typed_date(typed).map(DateOrMonth::Day)
    }
}

/// A date as the form shows it: the Dutch way (`03-04-2024`, `04-2024`) to a Dutch reader, as
/// in files (`2024-04-03`) to an English one. Both are read back.
fn shown_date(date: DateOrMonth, lang: Lang) -> String {
    match lang {
        Lang::Nl => date.dutch(),
        Lang::En => date.to_string(),
    }
}

/// The form's values with every readable date written as `lang` shows it: what the user typed
/// comes back as the date it was read as.
fn dates_shown(values: &HashMap<String, String>, lang: Lang) -> HashMap<String, String> {
    let mut values = values.clone();
    for field in DATE_FIELDS {
        if let Some(value) = values.get_mut(field.name())
            && let Some(date) = typed_date(field, value)
        {
            *value = shown_date(date, lang);
        }
    }
    values
}

/// The checkboxes of a field of several codes (`other_reasons-nuisance=on`, …) as its one value
/// in file notation, `nuisance;crime`, in the list's order.
fn chosen_codes(values: &mut HashMap<String, String>) {
    let field = Field::OtherReasons.name();
    let chosen: Vec<&str> = Reason::ALL
        .iter()
        .map(|r| r.code())
        .filter(|code| values.contains_key(&format!("{field}-{code}")))
        .collect();
    if !chosen.is_empty() || !values.contains_key(field) {
        values.insert(field.to_string(), chosen.join(";"));
    }
}

/// What a field should have held, in the form's words: a form takes the typed date forms that
/// a file does not.
fn expected_in_form(tr: &Tr, expected: &Expected) -> String {
    match expected {
        Expected::Date => tr.t("form-expected-date"),
        Expected::DateOrMonth => tr.t("form-expected-date-or-month"),
        Expected::Required(inner) => match **inner {
            Expected::Date | Expected::DateOrMonth => {
                format!(
                    "{} ({})",
                    expected_in_form(tr, inner),
                    tr.t("form-required")
                )
            }
            _ => expected.text(tr.lang),
        },
        other => other.text(tr.lang),
    }
}

/// The form's values as an interchange row, checked by the importer's own rules. Dates are read
/// as people type them first (files keep the spec's strict `YYYY-MM-DD`).
fn parse(tr: &Tr, values: &HashMap<String, String>) -> Result<Case, HashMap<String, String>> {
    let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
    let columns = Columns::from_header(names.iter().copied()).map_err(|_| HashMap::new())?;
    let mut cells: Vec<String> = Field::ALL
        .iter()
        .map(|f| values.get(f.name()).cloned().unwrap_or_default())
        .collect();
    for (cell, field) in cells.iter_mut().zip(Field::ALL) {
        if DATE_FIELDS.contains(field)
            && let Some(date) = typed_date(*field, cell)
        {
            *cell = match date {
                DateOrMonth::Day(day) => format_date(day),
                month => month.to_string(),
            };
        }
    }
    let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
    parse_row(&columns, 1, &cells).map_err(|errors| {
        errors
            .into_iter()
            .map(|e| {
                let column = e.column.unwrap_or_default();
                // A date as the user typed it, not as it was handed to the rules (other values
                // as the reader gives them: control characters escaped).
                let typed = DATE_FIELDS
                    .iter()
                    .any(|f| f.name() == column)
                    .then(|| values.get(&column))
                    .flatten();
                let value = typed.map_or(e.value.as_str(), |v| v.trim());
                let expected = expected_in_form(tr, &e.expected);
                let message = if value.is_empty() {
                    tr.t1("form-field-needed", "expected", expected)
                } else {
                    tr.t2("form-field-wrong", "value", value, "expected", expected)
                };
                (column, message)
            })
            .collect()
    })
}

fn values_of(case: &Case, lang: Lang) -> HashMap<String, String> {
    let values = Field::ALL
        .iter()
        .map(|f| (f.name().to_string(), case.text(*f)))
        .collect();
    dates_shown(&values, lang)
}

/// The label of a field as the form shows it.
fn field_label(tr: &Tr, field: Field) -> String {
    layout(false, tr)
        .into_iter()
        .flat_map(|(_, fields)| fields)
        .find(|(f, ..)| *f == field)
        .map_or_else(|| field.label(tr.lang).to_string(), |(_, label, ..)| label)
}

#[allow(clippy::too_many_arguments)]
/// The form being answered: a new case, or a stored one at the version it was opened at.
struct Answer<'a> {
    user: &'a CurrentUser,
    tr: &'a Tr,
    new: bool,
    /// Where the form posts to.
    action: String,
    version: Option<i64>,
}

impl<'a> Answer<'a> {
    /// The form for a new case.
    fn new_case(user: &'a CurrentUser, tr: &'a Tr) -> Self {
        Answer {
            user,
            tr,
            new: true,
            action: "/cases/new".into(),
            version: None,
        }
    }

    /// The form of a stored case, opened at `version`.
    fn stored(
        user: &'a CurrentUser,
        tr: &'a Tr,
        organisation: &str,
        case_ref: &str,
        version: i64,
    ) -> Self {
        Answer {
            user,
            tr,
            new: false,
            action: format!("{}/edit", case_path(organisation, case_ref)),
            version: Some(version),
        }
    }

    /// The form with these values, their errors and a problem above it.
    fn page(
        &self,
        values: &HashMap<String, String>,
        errors: &HashMap<String, String>,
        problem: Option<String>,
        status: StatusCode,
    ) -> Response {
        let tr = self.tr;
        let heading = if self.new {
            tr.t("cases-new")
        } else {
            tr.t1(
                "form-edit-heading",
                "reference",
                values.get("case_ref").cloned().unwrap_or_default(),
            )
        };
        let page = CaseFormPage {
            username: self.user.user.username.clone(),
            csrf: self.user.csrf_token.clone(),
            heading,
            action: self.action.clone(),
            version: self.version,
            problem,
            error_count: errors.len(),
            groups: groups(tr, self.new, &dates_shown(values, tr.lang), errors),
            tr: tr.clone(),
        };
        (status, Html(render(&page))).into_response()
    }

    /// Checks the form and saves the case: then the case page, otherwise the form again with
    /// what the user typed and what went wrong.
    async fn save<S: Store>(
        &self,
        acting: &Acting<S>,
        values: &HashMap<String, String>,
    ) -> Result<Response, AppError> {
        let tr = self.tr;
        let case = match parse(tr, values) {
            Ok(case) => case,
            Err(errors) => {
                return Ok(self.page(values, &errors, None, StatusCode::UNPROCESSABLE_ENTITY));
            }
        };
        let no_errors = HashMap::new();
        match acting.save_case(&case, self.version).await {
            Ok(_) => Ok(Redirect::to(&case_path(
                case.organisation.as_str(),
                case.case_ref.as_str(),
            ))
            .into_response()),
            Err(Error::Store(StoreError::AlreadyExists(_))) => {
                let taken = HashMap::from([("case_ref".to_string(), tr.t("form-reference-taken"))]);
                Ok(self.page(values, &taken, None, StatusCode::CONFLICT))
            }
            Err(Error::Store(StoreError::StaleVersion { by, at })) => {
                let differ = self.differing_fields(acting, &case).await?;
                let problem = tr.t3(
                    "form-conflict",
                    ["by", "at", "fields"],
                    [&by_whom(tr, &by), &when(tr, &at), &differ],
                );
                Ok(self.page(values, &no_errors, Some(problem), StatusCode::CONFLICT))
            }
            // Another writer (a large import) held the database too long: keep what was typed.
            Err(Error::Store(StoreError::Busy)) => Ok(retry_later(self.page(
                values,
                &no_errors,
                Some(tr.t("form-busy")),
                StatusCode::SERVICE_UNAVAILABLE,
            ))),
            Err(other) => Err(other.into()),
        }
    }
}

impl Answer<'_> {
    /// The fields where what this form would save differs from the case as it is stored now
    /// (saved by someone else in between), by their labels: what the user must look at again.
    async fn differing_fields<S: Store>(
        &self,
        acting: &Acting<S>,
        case: &Case,
    ) -> Result<String, AppError> {
        let tr = self.tr;
        let (now, _) = acting
            .case_with_version(
                case.organisation.as_str(),
                case.case_ref.as_str(),
                ReadFor::Changing,
                "edit conflict",
            )
            .await?;
        let fields: Vec<String> = case
            .changed_fields(&now)
            .into_iter()
            .map(|field| field_label(tr, field))
            .collect();
        Ok(if fields.is_empty() {
            tr.t("form-conflict-same")
        } else {
            fields.join(", ")
        })
    }
}

pub async fn new_form<S: Store>(
    Signed { state, user, tr }: Signed<S>,
) -> Result<Response, AppError> {
    let organisation = user.acting(&state).case_organisation().await?;
    let mut values = HashMap::new();
    values.insert("organisation".to_string(), organisation);
    values.insert(
        "reported_on".to_string(),
        format_date(jiff::Zoned::now().date()),
    );
    let answer = Answer::new_case(&user, &tr);
    Ok(answer.page(&values, &HashMap::new(), None, StatusCode::OK))
}

pub async fn create<S: Store>(
    SignedForm(Signed { user, tr, .. }, acting, mut values): SignedForm<S, HashMap<String, String>>,
) -> Result<Response, AppError> {
    let organisation = acting.case_organisation().await?;
    values.insert("organisation".to_string(), organisation);
    chosen_codes(&mut values);
    Answer::new_case(&user, &tr).save(&acting, &values).await
}

/// Who changed a case, as the history records them (`user:NAME`, `cli:OS_USER`), in words.
pub(crate) fn by_whom(tr: &Tr, actor: &str) -> String {
    match actor.split_once(':') {
        Some(("user", name)) => name.to_string(),
        Some(("cli", os_user)) => tr.t1("form-by-command-line", "user", os_user),
        _ => actor.to_string(),
    }
}

/// When, to the minute, in Dutch time and words: `1 december 2026 om 15:05` (stored in UTC).
fn when(tr: &Tr, at: &str) -> String {
    match at.parse::<jiff::Timestamp>() {
        Ok(at) => long_date_time(at, tr.lang),
        Err(_) => tr.t("unknown"),
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
    Signed { state, user, tr }: Signed<S>,
    Path((organisation, case_ref)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (case, version) = user
        .acting(&state)
        .case_with_version(&organisation, &case_ref, ReadFor::Changing, "edit form")
        .await?;
    let answer = Answer::stored(&user, &tr, &organisation, &case_ref, version);
    Ok(answer.page(
        &values_of(&case, tr.lang),
        &HashMap::new(),
        None,
        StatusCode::OK,
    ))
}

pub async fn update<S: Store>(
    Path((organisation, case_ref)): Path<(String, String)>,
    SignedForm(Signed { user, tr, .. }, acting, mut values): SignedForm<S, HashMap<String, String>>,
) -> Result<Response, AppError> {
    acting.may_change_cases_of(&organisation).await?;
    let version: i64 = values
        .get("version")
        .and_then(|v| v.parse().ok())
        .ok_or(AppError::BadForm)?;
    // Who and which case come from the address, never from the form.
    values.insert("organisation".to_string(), organisation.clone());
    values.insert("case_ref".to_string(), case_ref.clone());
    chosen_codes(&mut values);
    let answer = Answer::stored(&user, &tr, &organisation, &case_ref, version);
    answer.save(&acting, &values).await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The form with one field of each kind per combination of hint and error, named
    /// `{kind}-{hint|plain}-{error|fine}`.
    fn form() -> String {
        let mut fields = Vec::new();
        for (kind, name) in ["text", "long", "fixed", "choice"].into_iter().enumerate() {
            for hint in [true, false] {
                for error in [true, false] {
                    let name = format!(
                        "{name}-{}-{}",
                        if hint { "hint" } else { "plain" },
                        if error { "error" } else { "fine" }
                    );
                    fields.push(FormField {
                        name: name.clone().leak(),
                        label: format!("{name} label"),
                        hint: hint.then(|| format!("{name} hint")),
                        kind: match kind {
                            0 => FieldKind::Text,
                            1 => FieldKind::Long,
                            2 => FieldKind::Fixed,
                            _ => FieldKind::Select(vec![("yes".into(), "Yes".into())]),
                        },
                        value: String::new(),
                        chosen: Vec::new(),
                        error: error.then(|| format!("{name} error")),
                    });
                }
            }
        }
        let page = CaseFormPage {
            tr: Tr::new(dakwacht_core::Lang::En),
            username: "someone".into(),
            csrf: "token".into(),
            heading: "Heading".into(),
            action: "/cases".into(),
            version: None,
            problem: None,
            error_count: 8,
            groups: vec![Group {
                legend: "Legend".into(),
                fields,
            }],
        };
        page.render().expect("the form renders")
    }

    /// The opening tag of the control with this id.
    fn control<'a>(html: &'a str, id: &str) -> &'a str {
        let at = html
            .find(&format!(" id=\"{id}\" name=\"{id}\""))
            .unwrap_or_else(|| panic!("no control {id}"));
        let start = html[..at].rfind('<').expect("tag start");
        let end = at + html[at..].find('>').expect("tag end");
        &html[start..=end]
    }

    #[test]
    fn a_control_is_described_once_by_its_error_then_its_hint() {
        let html = form();
        for kind in ["text", "long", "fixed", "choice"] {
            for (shown, described) in [
                ("hint-error", Some("{id}-error {id}-hint")),
                ("hint-fine", Some("{id}-hint")),
                ("plain-error", Some("{id}-error")),
                ("plain-fine", None),
            ] {
                let id = format!("{kind}-{shown}");
                let tag = control(&html, &id);
                let described = described.map(|ids| ids.replace("{id}", &id));
                let count = usize::from(described.is_some());
                assert_eq!(tag.matches("aria-describedby=").count(), count, "{tag}");
                if let Some(ids) = described {
                    assert!(
                        tag.contains(&format!("aria-describedby=\"{ids}\"")),
                        "{tag}"
                    );
                    for part in ids.split(' ') {
                        assert!(html.contains(&format!(" id=\"{part}\"")), "{part} exists");
                    }
                }
                let invalid = usize::from(shown.ends_with("error"));
                assert_eq!(
                    tag.matches("aria-invalid=\"true\"").count(),
                    invalid,
                    "{tag}"
                );
            }
        }
    }
}
