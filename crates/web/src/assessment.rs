//! The best-interest assessment of a child, as a professional fills it in: started for a child
//! and a decision, then the four steps of the Kinderombudsman's step plan one page at a time
//! (each saved on its own, so it can be finished on a later visit), and a one-page summary to
//! print. The texts are a child's personal data: every page is a read the application audits.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use dakwacht_app::{Store, StoredAssessment};
use dakwacht_core::assessment::{Explanation, OtherInterest, Weighing};
use dakwacht_core::{
    AssessedDecision, Assessment, Finding, InterestElement, InterestHolder, Prevailed, Step,
};

use crate::auth::{Signed, SignedForm};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::sections::{Control, Section, SectionedPage, StepLink};

/// Rows for other interests on the form of step 2.
const OTHER_ROWS: usize = 3;

/// A form's fields by name (the csrf field among them, unused).
type Fields = BTreeMap<String, String>;

fn field<'f>(fields: &'f Fields, name: &str) -> &'f str {
    fields.get(name).map_or("", |v| v.trim())
}

fn assessment_path(case_path: &str, id: i64) -> String {
    format!("{case_path}/assessments/{id}")
}

/// "Identiteit": a code's label as a heading.
fn capitalised(label: &str) -> String {
    let mut chars = label.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// What to write for an element of the child's interests.
fn element_hint(element: InterestElement) -> &'static str {
    match element {
        InterestElement::Identity => "assessment-element-identity-hint",
        InterestElement::ChildView => "assessment-element-child_view-hint",
        InterestElement::FamilyEnvironment => "assessment-element-family_environment-hint",
        InterestElement::CareSafety => "assessment-element-care_safety-hint",
        InterestElement::Vulnerability => "assessment-element-vulnerability-hint",
        InterestElement::Health => "assessment-element-health-hint",
        InterestElement::Education => "assessment-element-education-hint",
    }
}

/// "Stap 2: Andere belangen".
fn step_title(tr: &Tr, step: Step) -> String {
    tr.t(match step {
        Step::ChildInterests => "assessment-step-1",
        Step::OtherInterests => "assessment-step-2",
        Step::Weighing => "assessment-step-3",
        Step::Explanation => "assessment-step-4",
    })
}

#[derive(Template)]
#[template(path = "assessment.html")]
struct SummaryPage {
    tr: Tr,
    username: String,
    csrf: String,
    heading: String,
    /// "Casus QS-01 · Straatalliantie": on paper, which family it is about.
    case_line: String,
    about: String,
    status: String,
    steps: Vec<SummaryStep>,
    made: String,
    case_link: String,
    edit_links: Vec<(String, String)>,
}

/// One step on the summary: a note (not filled in yet, none) or its lines of label and text.
struct SummaryStep {
    title: String,
    note: Option<String>,
    lines: Vec<(String, String)>,
}

impl SummaryStep {
    fn of(title: String, lines: Vec<(String, String)>) -> SummaryStep {
        SummaryStep {
            title,
            note: None,
            lines,
        }
    }

    fn note(title: String, note: String) -> SummaryStep {
        SummaryStep {
            title,
            note: Some(note),
            lines: Vec::new(),
        }
    }
}

/// The child as its card names it, and the decision: "Kind 2 (9 jaar) · uitzetting".
fn about(tr: &Tr, whole: &dakwacht_app::WholeCase, assessment: &Assessment) -> String {
    let child_no = assessment.child_no;
    let record = whole.children.iter().find(|c| c.child_no == child_no);
    let card = crate::shown::child_card(&whole.case, child_no, record, tr);
    let decision = match &assessment.decision_described {
        Some(described) => format!("{}: {described}", assessment.decision.label(tr.lang)),
        None => assessment.decision.label(tr.lang).to_string(),
    };
    format!("{} · {decision}", card.heading)
}

fn status(tr: &Tr, stored: &StoredAssessment) -> String {
    if stored.complete {
        tr.t("assessment-complete")
    } else {
        let done = Step::ALL
            .iter()
            .filter(|s| stored.assessment.step_done(**s))
            .count();
        tr.t1("assessment-draft", "done", done)
    }
}

// ---- starting -----------------------------------------------------------------------------

/// The form to start an assessment of child `child_no` for a decision.
pub async fn start_form<S: Store>(
    Signed { state, user, tr }: Signed<S>,
    Path((organisation, case_ref, child_no)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let acting = user.acting(&state);
    acting.may_change_cases_of(&organisation).await?;
    let child_no: u8 = child_no.parse().map_err(|_| AppError::NotFound)?;
    let whole = acting
        .read_whole_case(&organisation, &case_ref, "web assessment")
        .await?;
    if child_no == 0 || child_no > whole.case.children.count {
        return Err(AppError::NotFound);
    }
    let page = start_page(
        &tr,
        &user,
        (&organisation, &case_ref),
        &whole,
        child_no,
        &Fields::new(),
        None,
    );
    Ok(Html(crate::pages::render(&page)).into_response())
}

fn start_page(
    tr: &Tr,
    user: &crate::auth::CurrentUser,
    (organisation, case_ref): (&str, &str),
    whole: &dakwacht_app::WholeCase,
    child_no: u8,
    fields: &Fields,
    errors: Option<(Option<String>, Option<String>)>,
) -> SectionedPage {
    let case_path = crate::case_form::case_path(organisation, case_ref);
    let record = whole.children.iter().find(|c| c.child_no == child_no);
    let card = crate::shown::child_card(&whole.case, child_no, record, tr);
    let (decision_error, described_error) = errors.unwrap_or_default();
    let sections = vec![Section {
        legend: tr.t("assessment-decision-legend"),
        hint: Some(tr.t("assessment-decision-hint")),
        controls: vec![
            Control::Radios {
                name: "decision".into(),
                legend: tr.t("assessment-decision"),
                options: AssessedDecision::ALL
                    .iter()
                    .map(|d| (d.code(), d.label(tr.lang).to_string()))
                    .collect(),
                chosen: field(fields, "decision").to_string(),
                error: decision_error,
            },
            Control::Text {
                name: "decision_described".into(),
                label: tr.t("assessment-decision-described"),
                hint: Some(tr.t("assessment-decision-described-hint")),
                value: field(fields, "decision_described").to_string(),
                error: described_error,
            },
        ],
    }];
    let error_count = sections
        .iter()
        .flat_map(|s| &s.controls)
        .filter(|c| c.has_error())
        .count();
    SectionedPage {
        tr: tr.clone(),
        username: user.user.username.clone(),
        csrf: user.csrf_token.clone(),
        heading: tr.t("assessment-start-heading"),
        about: card.heading,
        status: Some(tr.t("assessment-new")),
        steps: Vec::new(),
        intro: Some(tr.t("assessment-intro")),
        sections,
        action: format!("{case_path}/children/{child_no}/assessments/new"),
        version: None,
        error_count,
        button: tr.t("assessment-start-button"),
        summary_link: None,
        case_link: case_path,
    }
}

/// Starts the assessment and goes on to its first step.
pub async fn start<S: Store>(
    Path((organisation, case_ref, child_no)): Path<(String, String, String)>,
    SignedForm(Signed { state: _, user, tr }, acting, fields): SignedForm<S, Fields>,
) -> Result<Response, AppError> {
    acting.may_change_cases_of(&organisation).await?;
    let child_no: u8 = child_no.parse().map_err(|_| AppError::NotFound)?;
    let decision = AssessedDecision::parse(field(&fields, "decision"));
    let described = field(&fields, "decision_described");
    let decision_error = decision
        .is_none()
        .then(|| tr.t("assessment-error-decision"));
    let described_error = if described.chars().count() > dakwacht_core::Notes::MAX_CHARS {
        Some(tr.t("assessment-error-too-long"))
    } else if decision == Some(AssessedDecision::Other) && described.is_empty() {
        Some(tr.t("assessment-error-described"))
    } else {
        None
    };
    let Some(decision) = decision.filter(|_| described_error.is_none()) else {
        let whole = acting
            .read_whole_case(&organisation, &case_ref, "web assessment")
            .await?;
        let page = start_page(
            &tr,
            &user,
            (&organisation, &case_ref),
            &whole,
            child_no,
            &fields,
            Some((decision_error, described_error)),
        );
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            Html(crate::pages::render(&page)),
        )
            .into_response());
    };
    let described = (!described.is_empty()).then(|| described.to_string());
    let id = acting
        .start_assessment(&organisation, &case_ref, child_no, decision, described)
        .await?;
    let case_path = crate::case_form::case_path(&organisation, &case_ref);
    Ok(Redirect::to(&format!("{}/steps/1", assessment_path(&case_path, id))).into_response())
}

// ---- the steps ----------------------------------------------------------------------------

/// What a step's form says, read into the assessment: the assessment with the step as sent, and
/// the errors by field name. A step left empty is not an error: the assessment stays a draft.
fn read_step(
    tr: &Tr,
    step: Step,
    assessment: &Assessment,
    fields: &Fields,
) -> (Assessment, BTreeMap<String, String>) {
    let mut read = assessment.clone();
    let mut errors = BTreeMap::new();
    let too_long = |text: &str| text.chars().count() > dakwacht_core::Notes::MAX_CHARS;
    match step {
        Step::ChildInterests => {
            for element in InterestElement::ALL {
                let code = element.code();
                let text = field(fields, &format!("{code}-text")).to_string();
                let not_known = field(fields, &format!("{code}-kind")) == "not_known";
                if too_long(&text) {
                    errors.insert(format!("{code}-text"), tr.t("assessment-error-too-long"));
                }
                if text.is_empty() {
                    read.steps.interests.remove(code);
                } else {
                    let finding = if not_known {
                        Finding::NotKnown { reason: text }
                    } else {
                        Finding::Found { text }
                    };
                    read.steps.interests.insert(code.to_string(), finding);
                }
            }
        }
        Step::OtherInterests => {
            let mut others = Vec::new();
            for row in 1..=OTHER_ROWS {
                let what = field(fields, &format!("other-{row}-what"));
                let holder = field(fields, &format!("other-{row}-holder"));
                if what.is_empty() {
                    continue;
                }
                if too_long(what) {
                    errors.insert(
                        format!("other-{row}-what"),
                        tr.t("assessment-error-too-long"),
                    );
                }
                match InterestHolder::parse(holder) {
                    Some(holder) => others.push(OtherInterest {
                        holder,
                        what: what.to_string(),
                    }),
                    None => {
                        errors.insert(
                            format!("other-{row}-holder"),
                            tr.t("assessment-error-holder"),
                        );
                    }
                }
            }
            read.steps.other_interests = if !others.is_empty() {
                Some(others)
            } else if field(fields, "no_other") == "on" {
                Some(Vec::new())
            } else {
                None
            };
        }
        Step::Weighing => {
            let prevailed = Prevailed::parse(field(fields, "prevailed"));
            let reasons = field(fields, "reasons").to_string();
            read.steps.weighing = match prevailed {
                None if reasons.is_empty() => None,
                None => {
                    errors.insert("prevailed".into(), tr.t("assessment-error-prevailed"));
                    None
                }
                Some(prevailed) => {
                    if reasons.is_empty() {
                        let key = if prevailed == Prevailed::Other {
                            "assessment-error-reasons-other"
                        } else {
                            "assessment-error-reasons"
                        };
                        errors.insert("reasons".into(), tr.t(key));
                    } else if too_long(&reasons) {
                        errors.insert("reasons".into(), tr.t("assessment-error-too-long"));
                    }
                    Some(Weighing { prevailed, reasons })
                }
            };
        }
        Step::Explanation => {
            let names = ["how_and_when", "by", "if_disagreeing"];
            let texts: Vec<String> = names.iter().map(|n| field(fields, n).to_string()).collect();
            if texts.iter().all(String::is_empty) {
                read.steps.explanation = None;
            } else {
                for (name, text) in names.iter().zip(&texts) {
                    if text.is_empty() {
                        errors.insert((*name).into(), tr.t("assessment-error-explanation"));
                    } else if too_long(text) {
                        errors.insert((*name).into(), tr.t("assessment-error-too-long"));
                    }
                }
                read.steps.explanation = Some(Explanation {
                    how_and_when: texts[0].clone(),
                    by: texts[1].clone(),
                    if_disagreeing: texts[2].clone(),
                });
            }
        }
    }
    (read, errors)
}

/// The form of one step, filled with what is stored (or was sent), errors at their fields.
fn step_sections(
    tr: &Tr,
    step: Step,
    assessment: &Assessment,
    sent: Option<&Fields>,
    errors: &BTreeMap<String, String>,
) -> Vec<Section> {
    let error = |name: &str| errors.get(name).cloned();
    let value = |name: &str, stored: String| match sent {
        Some(fields) => field(fields, name).to_string(),
        None => stored,
    };
    match step {
        Step::ChildInterests => InterestElement::ALL
            .iter()
            .map(|element| {
                let code = element.code();
                let (kind, text) = match assessment.steps.interests.get(code) {
                    Some(Finding::Found { text }) => ("found", text.clone()),
                    Some(Finding::NotKnown { reason }) => ("not_known", reason.clone()),
                    None => ("found", String::new()),
                };
                let kind_name = format!("{code}-kind");
                let text_name = format!("{code}-text");
                Section {
                    legend: capitalised(element.label(tr.lang)),
                    hint: Some(tr.t(element_hint(*element))),
                    controls: vec![
                        Control::Radios {
                            legend: tr.t("assessment-finding-kind"),
                            options: vec![
                                ("found", tr.t("assessment-found")),
                                ("not_known", tr.t("assessment-not-known")),
                            ],
                            chosen: value(&kind_name, kind.to_string()),
                            error: error(&kind_name),
                            name: kind_name,
                        },
                        Control::Text {
                            label: tr.t("assessment-finding-text"),
                            hint: None,
                            value: value(&text_name, text),
                            error: error(&text_name),
                            name: text_name,
                        },
                    ],
                }
            })
            .collect(),
        Step::OtherInterests => {
            let stored = assessment.steps.other_interests.clone().unwrap_or_default();
            let mut sections: Vec<Section> = (1..=OTHER_ROWS)
                .map(|row| {
                    let interest = stored.get(row - 1);
                    let holder_name = format!("other-{row}-holder");
                    let what_name = format!("other-{row}-what");
                    Section {
                        legend: tr.t1("assessment-other-legend", "number", row),
                        hint: None,
                        controls: vec![
                            Control::Select {
                                label: tr.t("assessment-other-holder"),
                                options: InterestHolder::ALL
                                    .iter()
                                    .map(|h| (h.code(), h.label(tr.lang).to_string()))
                                    .collect(),
                                chosen: value(
                                    &holder_name,
                                    interest
                                        .map(|i| i.holder.code().to_string())
                                        .unwrap_or_default(),
                                ),
                                error: error(&holder_name),
                                name: holder_name,
                            },
                            Control::Text {
                                label: tr.t("assessment-other-what"),
                                hint: None,
                                value: value(
                                    &what_name,
                                    interest.map(|i| i.what.clone()).unwrap_or_default(),
                                ),
                                error: error(&what_name),
                                name: what_name,
                            },
                        ],
                    }
                })
                .collect();
            let none_stored = assessment
                .steps
                .other_interests
                .as_ref()
                .is_some_and(Vec::is_empty);
            sections.push(Section {
                legend: tr.t("assessment-no-other-legend"),
                hint: None,
                controls: vec![Control::Check {
                    name: "no_other".into(),
                    label: tr.t("assessment-no-other"),
                    checked: match sent {
                        Some(fields) => field(fields, "no_other") == "on",
                        None => none_stored,
                    },
                }],
            });
            sections
        }
        Step::Weighing => {
            let weighing = assessment.steps.weighing.as_ref();
            vec![Section {
                legend: step_title(tr, Step::Weighing),
                hint: Some(tr.t("assessment-weighing-hint")),
                controls: vec![
                    Control::Radios {
                        name: "prevailed".into(),
                        legend: tr.t("assessment-prevailed"),
                        options: Prevailed::ALL
                            .iter()
                            .map(|p| (p.code(), p.label(tr.lang).to_string()))
                            .collect(),
                        chosen: value(
                            "prevailed",
                            weighing
                                .map(|w| w.prevailed.code().to_string())
                                .unwrap_or_default(),
                        ),
                        error: error("prevailed"),
                    },
                    Control::Text {
                        name: "reasons".into(),
                        label: tr.t("assessment-reasons"),
                        hint: Some(tr.t("assessment-reasons-hint")),
                        value: value(
                            "reasons",
                            weighing.map(|w| w.reasons.clone()).unwrap_or_default(),
                        ),
                        error: error("reasons"),
                    },
                ],
            }]
        }
        Step::Explanation => {
            let explanation = assessment.steps.explanation.as_ref();
            let stored = |get: fn(&Explanation) -> &String| {
                explanation.map(|e| get(e).clone()).unwrap_or_default()
            };
            let text = |name: &str, (label, hint): (&str, &str), stored: String| Control::Text {
                name: name.to_string(),
                label: tr.t(label),
                hint: Some(tr.t(hint)),
                value: value(name, stored),
                error: error(name),
            };
            vec![Section {
                legend: step_title(tr, Step::Explanation),
                hint: None,
                controls: vec![
                    text(
                        "how_and_when",
                        ("assessment-how-and-when", "assessment-how-and-when-hint"),
                        stored(|e| &e.how_and_when),
                    ),
                    text(
                        "by",
                        ("assessment-by", "assessment-by-hint"),
                        stored(|e| &e.by),
                    ),
                    text(
                        "if_disagreeing",
                        (
                            "assessment-if-disagreeing",
                            "assessment-if-disagreeing-hint",
                        ),
                        stored(|e| &e.if_disagreeing),
                    ),
                ],
            }]
        }
    }
}

/// The assessment `id` of a case with the case as its pages show it (both reads audited).
async fn assessment_and_case<S: Store>(
    acting: &dakwacht_app::Acting<S>,
    (organisation, case_ref): (&str, &str),
    id: &str,
) -> Result<(StoredAssessment, dakwacht_app::WholeCase), AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let stored = acting
        .assessment(organisation, case_ref, id, "web assessment")
        .await?;
    let whole = acting
        .read_whole_case(organisation, case_ref, "web assessment")
        .await?;
    Ok((stored, whole))
}

fn parse_step(step: &str) -> Result<Step, AppError> {
    step.parse()
        .ok()
        .and_then(Step::from_number)
        .ok_or(AppError::NotFound)
}

#[allow(clippy::too_many_arguments)] // the parts of one page, each needed once
fn step_page(
    tr: &Tr,
    user: &crate::auth::CurrentUser,
    (organisation, case_ref): (&str, &str),
    whole: &dakwacht_app::WholeCase,
    stored: &StoredAssessment,
    shown: &Assessment,
    step: Step,
    sent: Option<&Fields>,
    errors: &BTreeMap<String, String>,
) -> SectionedPage {
    let case_path = crate::case_form::case_path(organisation, case_ref);
    let path = assessment_path(&case_path, stored.id);
    let sections = step_sections(tr, step, shown, sent, errors);
    SectionedPage {
        tr: tr.clone(),
        username: user.user.username.clone(),
        csrf: user.csrf_token.clone(),
        heading: tr.t2(
            "assessment-step-heading",
            "number",
            step.number(),
            "title",
            step_title(tr, step),
        ),
        about: about(tr, whole, &stored.assessment),
        status: Some(status(tr, stored)),
        steps: Step::ALL
            .iter()
            .map(|s| StepLink {
                title: step_title(tr, *s),
                href: format!("{path}/steps/{}", s.number()),
                done: stored.assessment.step_done(*s),
                current: *s == step,
            })
            .collect(),
        intro: Some(tr.t(match step {
            Step::ChildInterests => "assessment-step-1-intro",
            Step::OtherInterests => "assessment-step-2-intro",
            Step::Weighing => "assessment-step-3-intro",
            Step::Explanation => "assessment-step-4-intro",
        })),
        sections,
        action: format!("{path}/steps/{}", step.number()),
        version: Some(stored.version),
        error_count: errors.len(),
        button: tr.t(if step == Step::Explanation {
            "assessment-save-last"
        } else {
            "assessment-save-next"
        }),
        summary_link: Some(path),
        case_link: case_path,
    }
}

/// One step's form.
pub async fn step_form<S: Store>(
    Signed { state, user, tr }: Signed<S>,
    Path((organisation, case_ref, id, step)): Path<(String, String, String, String)>,
) -> Result<Response, AppError> {
    let acting = user.acting(&state);
    acting.may_change_cases_of(&organisation).await?;
    let step = parse_step(&step)?;
    let (stored, whole) = assessment_and_case(&acting, (&organisation, &case_ref), &id).await?;
    let page = step_page(
        &tr,
        &user,
        (&organisation, &case_ref),
        &whole,
        &stored,
        &stored.assessment,
        step,
        None,
        &BTreeMap::new(),
    );
    Ok(Html(crate::pages::render(&page)).into_response())
}

/// Saves one step and goes on to the next (the summary after the last); with errors, the form
/// again with each at its field and nothing saved.
pub async fn save_step<S: Store>(
    Path((organisation, case_ref, id, step)): Path<(String, String, String, String)>,
    SignedForm(Signed { state: _, user, tr }, acting, fields): SignedForm<S, Fields>,
) -> Result<Response, AppError> {
    acting.may_change_cases_of(&organisation).await?;
    let step = parse_step(&step)?;
    let version: i64 = field(&fields, "version")
        .parse()
        .map_err(|_| AppError::BadForm)?;
    let (stored, whole) = assessment_and_case(&acting, (&organisation, &case_ref), &id).await?;
    let (read, errors) = read_step(&tr, step, &stored.assessment, &fields);
    if !errors.is_empty() {
        let page = step_page(
            &tr,
            &user,
            (&organisation, &case_ref),
            &whole,
            &stored,
            &read,
            step,
            Some(&fields),
            &errors,
        );
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            Html(crate::pages::render(&page)),
        )
            .into_response());
    }
    acting
        .save_assessment((&organisation, &case_ref), stored.id, &read, version)
        .await?;
    let case_path = crate::case_form::case_path(&organisation, &case_ref);
    let path = assessment_path(&case_path, stored.id);
    let next = match Step::from_number(step.number() + 1) {
        Some(next) => format!("{path}/steps/{}", next.number()),
        None => path,
    };
    Ok(Redirect::to(&next).into_response())
}

// ---- the summary --------------------------------------------------------------------------

/// The whole assessment on one page, to read or print.
pub async fn summary<S: Store>(
    Signed { state, user, tr }: Signed<S>,
    Path((organisation, case_ref, id)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let acting = user.acting(&state);
    let (stored, whole) = assessment_and_case(&acting, (&organisation, &case_ref), &id).await?;
    let may_change = acting.may_change_cases_of(&organisation).await.is_ok();
    let case_path = crate::case_form::case_path(&organisation, &case_ref);
    let path = assessment_path(&case_path, stored.id);
    let steps_data = &stored.assessment.steps;
    let not_filled = || tr.t("assessment-not-filled");
    let interests: Vec<(String, String)> = InterestElement::ALL
        .iter()
        .map(|element| {
            let text = match steps_data.interests.get(element.code()) {
                Some(Finding::Found { text }) => text.clone(),
                Some(Finding::NotKnown { reason }) => {
                    tr.t1("assessment-not-known-because", "reason", reason.as_str())
                }
                None => not_filled(),
            };
            (capitalised(element.label(tr.lang)), text)
        })
        .collect();
    let title = |step| step_title(&tr, step);
    let others = match &steps_data.other_interests {
        None => SummaryStep::note(title(Step::OtherInterests), not_filled()),
        Some(list) if list.is_empty() => {
            SummaryStep::note(title(Step::OtherInterests), tr.t("assessment-no-other"))
        }
        Some(list) => SummaryStep::of(
            title(Step::OtherInterests),
            list.iter()
                .map(|i| (i.holder.label(tr.lang).to_string(), i.what.clone()))
                .collect(),
        ),
    };
    let weighing = match &steps_data.weighing {
        None => SummaryStep::note(title(Step::Weighing), not_filled()),
        Some(w) => SummaryStep::of(
            title(Step::Weighing),
            vec![
                (
                    tr.t("assessment-prevailed"),
                    w.prevailed.label(tr.lang).to_string(),
                ),
                (tr.t("assessment-reasons"), w.reasons.clone()),
            ],
        ),
    };
    let explanation = match &steps_data.explanation {
        None => SummaryStep::note(title(Step::Explanation), not_filled()),
        Some(e) => SummaryStep::of(
            title(Step::Explanation),
            vec![
                (tr.t("assessment-how-and-when"), e.how_and_when.clone()),
                (tr.t("assessment-by"), e.by.clone()),
                (tr.t("assessment-if-disagreeing"), e.if_disagreeing.clone()),
            ],
        ),
    };
    let steps = vec![
        SummaryStep::of(title(Step::ChildInterests), interests),
        others,
        weighing,
        explanation,
    ];
    let page = SummaryPage {
        tr: tr.clone(),
        username: user.user.username.clone(),
        csrf: user.csrf_token.clone(),
        heading: tr.t("assessment-heading"),
        case_line: format!(
            "{} · {organisation}",
            tr.t1("case-title", "reference", case_ref.as_str())
        ),
        about: about(&tr, &whole, &stored.assessment),
        status: status(&tr, &stored),
        steps,
        made: tr.t2(
            "assessment-made",
            "by",
            stored.created_by.trim_start_matches("user:"),
            "at",
            stored.updated_at.get(..10).unwrap_or(&stored.updated_at),
        ),
        case_link: case_path,
        edit_links: if may_change {
            Step::ALL
                .iter()
                .map(|s| (format!("{path}/steps/{}", s.number()), step_title(&tr, *s)))
                .collect()
        } else {
            Vec::new()
        },
    };
    Ok(Html(crate::pages::render(&page)).into_response())
}
