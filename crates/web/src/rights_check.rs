//! The rights check (`/rechtencheck`): for a family, without an account, one question a screen,
//! then the rights that apply, what to do first and where to get help.
//!
//! Nothing is stored: the answers travel in the form (hidden fields) from screen to screen, by
//! POST so that they stay out of addresses and logs, and no request reads or writes the
//! database. The pages work without JavaScript and print (dakwacht.css hides the buttons).

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use dakwacht_app::Store;
use dakwacht_core::Lang;
use dakwacht_texts::contacts::For;
use dakwacht_texts::rights::{Answers, Kind, Question};

use crate::AppState;
use crate::auth::{CurrentUser, MaybeSignedIn, Signed, SignedForm};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::pages::render;

/// The prefix of an answer's field: `q_judge=yes`.
const ANSWER: &str = "q_";

struct Shown {
    id: String,
    value: String,
}

struct QuestionView {
    id: String,
    text: String,
    date: bool,
    /// (answer id, its text, chosen)
    answers: Vec<(String, String, bool)>,
    value: String,
}

struct RightView {
    title: String,
    explanation: String,
    steps: Vec<String>,
    term: Option<String>,
}

struct HelpView {
    name: String,
    about: String,
    phone: Option<String>,
    phone_note: Option<String>,
    website: Option<String>,
}

#[derive(Template)]
#[template(path = "rights_check.html")]
struct RightsCheckPage {
    tr: Tr,
    /// The answers given, carried on as hidden fields.
    answered: Vec<Shown>,
    /// How many questions were answered.
    step: usize,
    question: Option<QuestionView>,
    error: Option<String>,
    rights: Vec<RightView>,
    help: Vec<HelpView>,
    /// The letters the rights call for: (id, title).
    letters: Vec<(String, String)>,
    /// A signed-in coordinator or professional: the form token to save the answers into a case.
    save: Option<String>,
    save_error: Option<String>,
}

/// The first question.
pub async fn start<S: Store>(State(state): State<Arc<AppState<S>>>, tr: Tr) -> Html<String> {
    Html(render(&page(
        &state,
        tr,
        Answers::new(),
        &Answers::new(),
        None,
    )))
}

/// The form token of a signed-in user who may save answers into a case of the own
/// organisation (a coordinator or professional).
fn may_save(user: Option<&CurrentUser>) -> Option<String> {
    let user = user?;
    let works_on_cases = matches!(
        user.user.role,
        dakwacht_core::access::Role::Coordinator | dakwacht_core::access::Role::Professional
    );
    (works_on_cases && user.user.organisation.is_some()).then(|| user.csrf_token.clone())
}

/// A signed-in professional saves the answers into a case of the own organisation: the fields
/// they fill in replace the case's, as a change by hand (audited, in its history). Then the
/// case; when it cannot take them (no such case, or a rule of the cases file broken), the
/// result again with the reason.
pub async fn save<S: Store>(
    SignedForm(Signed { state, user, tr }, acting, fields): SignedForm<S, Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let check = &state.rights_check;
    let mut given = Answers::new();
    let mut case_ref = String::new();
    for (name, value) in fields {
        if name == "case_ref" {
            case_ref = value.trim().to_string();
        } else if let Some(id) = name.strip_prefix(ANSWER) {
            given.insert(id.to_string(), value);
        }
    }
    let answers = check.consistent(&given);
    let organisation = acting.case_organisation().await?;
    let problem = if case_ref.is_empty() {
        Some(tr.t("rights-save-no-case"))
    } else {
        match acting
            .save_answers(&organisation, &case_ref, &check.columns(&answers))
            .await
        {
            Ok(Ok(_)) => {
                let path = crate::case_form::case_path(&organisation, &case_ref);
                return Ok(axum::response::Redirect::to(&path).into_response());
            }
            Ok(Err(problems)) => {
                let said: Vec<String> = problems
                    .iter()
                    .map(|p| {
                        format!(
                            "{} '{}': {}",
                            p.field.label(tr.lang),
                            p.value,
                            p.expected.text(tr.lang)
                        )
                    })
                    .collect();
                Some(tr.t1("rights-save-refused", "problems", said.join("; ")))
            }
            Err(dakwacht_app::Error::NotFound) => {
                Some(tr.t1("rights-save-not-found", "reference", case_ref.as_str()))
            }
            Err(other) => return Err(other.into()),
        }
    };
    let mut page = page(&state, tr, answers, &Answers::new(), None);
    page.save = may_save(Some(&user));
    page.save_error = problem;
    Ok((
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        Html(render(&page)),
    )
        .into_response())
}

/// The answers so far, and the next question or the result.
pub async fn answer<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    tr: Tr,
    MaybeSignedIn(user): MaybeSignedIn,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Response {
    let check = &state.rights_check;
    let mut answers = Answers::new();
    let mut error = None;
    let mut back = false;
    // A day that could not be read, shown back as typed with the error.
    let mut typed = Answers::new();
    let mut switch_to = None;
    for (name, value) in fields {
        if name == "back" {
            back = true;
            continue;
        }
        if name == "lang" {
            switch_to = crate::i18n::parse(&value);
            continue;
        }
        let Some(id) = name.strip_prefix(ANSWER) else {
            continue;
        };
        // Only what the check knows is kept: a question it has, an answer it offers, a day.
        let Some(question) = check.questions.iter().find(|q| q.id == id) else {
            continue;
        };
        match question.kind {
            Kind::Choice => {
                if question.answers.iter().any(|a| a.id == value) {
                    answers.insert(question.id.clone(), value);
                }
            }
            Kind::Date => {
                if value.trim().is_empty() {
                    continue;
                }
                match dakwacht_core::date::parse_typed_date(&value) {
                    Some(day) => {
                        answers.insert(question.id.clone(), dakwacht_core::date::format_date(day));
                    }
                    None => {
                        error = Some(tr.t("rights-date-error"));
                        typed.insert(question.id.clone(), value);
                    }
                }
            }
        }
    }
    let mut answers = check.consistent(&answers);
    // Back: the last question answered (in the order they are asked) is asked again, with the
    // answer given still chosen.
    let mut again = typed;
    if back
        && let Some(last) = check
            .questions
            .iter()
            .rev()
            .find(|q| answers.contains_key(&q.id))
        && let Some(given) = answers.remove(&last.id)
    {
        again.insert(last.id.clone(), given);
    }
    // The language switched in the page itself: the same screen, answers kept, in the other
    // language (the header's link starts the check again, as a GET must).
    if let Some(lang) = switch_to {
        let tr = tr.switched(lang, "/rechtencheck");
        let error = error.map(|_| tr.t("rights-date-error"));
        let mut page = page(&state, tr, answers, &again, error);
        page.save = may_save(user.as_ref());
        return (crate::i18n::remember(lang), Html(render(&page))).into_response();
    }
    let mut page = page(&state, tr, answers, &again, error);
    page.save = may_save(user.as_ref());
    Html(render(&page)).into_response()
}

/// `again`: an answer to show chosen (the one taken back).
fn page<S: Store>(
    state: &AppState<S>,
    tr: Tr,
    answers: Answers,
    again: &Answers,
    error: Option<String>,
) -> RightsCheckPage {
    let check = &state.rights_check;
    let lang = tr.lang;
    let question = check
        .next(&state.rules, &answers)
        .map(|q| question_view(q, again, lang));
    let (rights, help, letters) = match question {
        Some(_) => (Vec::new(), Vec::new(), Vec::new()),
        None => (
            check
                .rights(&state.rules, &answers, lang)
                .into_iter()
                .map(|right| RightView {
                    title: right.rule.title.get(lang).clone(),
                    explanation: right.rule.explanation.get(lang).clone(),
                    steps: right.rule.steps_for_family(lang).clone(),
                    term: right.term.map(|(_, said)| said),
                })
                .collect(),
            help_for(state, For::Family, lang),
            {
                let raised: Vec<String> = check
                    .rights(&state.rules, &answers, lang)
                    .iter()
                    .map(|right| right.rule.id.clone())
                    .collect();
                state
                    .letters
                    .offered(&raised)
                    .map(|l| (l.id.clone(), l.title.get(lang).to_string()))
                    .collect()
            },
        ),
    };
    RightsCheckPage {
        tr,
        step: answers.len(),
        answered: answers
            .into_iter()
            .map(|(id, value)| Shown {
                id: format!("{ANSWER}{id}"),
                value,
            })
            .collect(),
        question,
        error,
        rights,
        help,
        letters,
        save: None,
        save_error: None,
    }
}

fn question_view(question: &Question, answers: &Answers, lang: Lang) -> QuestionView {
    let given = answers.get(&question.id);
    QuestionView {
        id: format!("{ANSWER}{}", question.id),
        text: question.text.get(lang).to_string(),
        date: question.kind == Kind::Date,
        answers: question
            .answers
            .iter()
            .map(|a| {
                (
                    a.id.clone(),
                    a.text.get(lang).to_string(),
                    given == Some(&a.id),
                )
            })
            .collect(),
        // A day is shown back the Dutch way, as the family typed it; one that could not be
        // read, exactly as typed.
        value: match question.kind {
            Kind::Date => given
                .map(|day| {
                    dakwacht_core::date::parse_date(day)
                        .map_or_else(|| day.clone(), dakwacht_core::date::format_dutch_date)
                })
                .unwrap_or_default(),
            Kind::Choice => given.cloned().unwrap_or_default(),
        },
    }
}

#[derive(Template)]
#[template(path = "child_version.html")]
struct ChildVersionPage {
    tr: Tr,
    title: String,
    /// (heading, paragraphs)
    sections: Vec<(String, Vec<String>)>,
    help: Vec<HelpView>,
}

/// The child version (`/rechtencheck/kind`): to read, print and talk about; nothing is asked.
pub async fn child_version<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    tr: Tr,
) -> Html<String> {
    let lang = tr.lang;
    let version = &state.child_version;
    let page = ChildVersionPage {
        title: version.title.get(lang).to_string(),
        sections: version
            .sections
            .iter()
            .map(|s| (s.heading.get(lang).to_string(), s.text.get(lang).to_vec()))
            .collect(),
        help: help_for(&state, For::Child, lang),
        tr,
    };
    Html(render(&page))
}

/// Where the family or the child can get help.
fn help_for<S: Store>(state: &AppState<S>, audience: For, lang: Lang) -> Vec<HelpView> {
    state
        .contacts
        .for_whom(audience)
        .map(|c| HelpView {
            name: c.name.clone(),
            about: c.about.get(lang).to_string(),
            phone: c.phone.clone(),
            phone_note: c.phone_note.as_ref().map(|n| n.get(lang).to_string()),
            website: c.website.clone(),
        })
        .collect()
}
