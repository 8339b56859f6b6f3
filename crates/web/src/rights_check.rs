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

/// The answers so far, and the next question or the result.
pub async fn answer<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    tr: Tr,
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
        let page = render(&page(&state, tr, answers, &again, error));
        return (crate::i18n::remember(lang), Html(page)).into_response();
    }
    Html(render(&page(&state, tr, answers, &again, error))).into_response()
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
