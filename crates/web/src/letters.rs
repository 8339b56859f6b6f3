//! Letters (spec/rights-and-letters.md, "Letters"): prepared from a case
//! (`/cases/{organisation}/{case_ref}/letters/…`, signed in, recorded in the case's history) or
//! from the rights check (`/rechtencheck/brief/{letter}`, no account, nothing stored).
//!
//! Two screens, both plain forms that work without JavaScript: first the names, addresses and
//! what the case knows, then the letter's text to check and change; then the file, PDF or DOCX.
//! The dates are computed and shown on both screens, never typed.

use std::collections::BTreeMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use dakwacht_app::Store;
use dakwacht_app::letters::{LetterFormat, LetterText};
use dakwacht_core::Date;
use dakwacht_texts::letters::{Letter, Letters, Recipient, Values, placeholder};

use crate::AppState;
use crate::auth::{Signed, SignedForm};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::pages::render;

type Fields = Vec<(String, String)>;

/// The prefix of a value's field: `v_sender_name`.
const VALUE: &str = "v_";
/// The most a value, the subject and the text may hold: far beyond any letter, short of abuse.
const MAX_VALUE: usize = 1_000;
const MAX_SUBJECT: usize = 300;
const MAX_BODY: usize = 20_000;
/// The most characters the letter page names that the PDF's font lacks.
const NAMED_AT_MOST: usize = 12;

struct FieldView {
    id: String,
    label: String,
    value: String,
    /// An address: several lines.
    lines: bool,
}

#[derive(Template)]
#[template(path = "letter.html")]
struct LetterPage {
    tr: Tr,
    /// Signed in: the menu and the form's CSRF token.
    csrf: Option<String>,
    username: String,
    title: String,
    explanation: String,
    action: String,
    /// Where "back" leads: the case's letters, or the rights check's result.
    back: Back,
    /// The computed dates: (label, day in words).
    dates: Vec<(String, String)>,
    /// Carried on unchanged: the rights check's answers, and the values on the second screen.
    hidden: Vec<(String, String)>,
    /// The first screen's fields; empty on the second.
    fields: Vec<FieldView>,
    /// The second screen: the text to check.
    text: Option<(String, String)>,
    /// The text's characters the PDF prints as `?`, each with its code point; empty if none.
    not_in_pdf: String,
    error: Option<String>,
}

/// Where a letter's form is: its address, where "back" leads, the signed-in user's CSRF token
/// and name (none in the rights check), and the answers carried along.
struct Place {
    action: String,
    back: Back,
    signed: Option<(String, String)>,
    carried: Vec<(String, String)>,
}

impl Place {
    /// A letter's form for a case: back to the case's letters, signed in.
    fn of_case(
        (organisation, case_ref, letter): (&str, &str, &str),
        user: &crate::auth::CurrentUser,
    ) -> Place {
        Place {
            action: case_letter_path(organisation, case_ref, letter),
            back: Back::Link(format!(
                "{}/letters",
                crate::case_form::case_path(organisation, case_ref)
            )),
            signed: Some((user.csrf_token.clone(), user.user.username.clone())),
            carried: Vec::new(),
        }
    }
}

enum Back {
    Link(String),
    /// A form that posts the carried answers back to the rights check.
    RightsCheck,
}

/// What the form sent: the values, the text, and what to do next.
struct Sent {
    values: Values,
    subject: Option<String>,
    body: Option<String>,
    make: Option<LetterFormat>,
    /// `text` to go to the second screen, `fields` back to the first.
    step: String,
    /// Everything else (the rights check's answers), carried on.
    carried: Vec<(String, String)>,
    too_long: bool,
}

fn read_sent(letters: &Letters, letter: &Letter, fields: Fields) -> Sent {
    let allowed = letters.fields(letter);
    let mut sent = Sent {
        values: Values::default(),
        subject: None,
        body: None,
        make: None,
        step: String::new(),
        carried: Vec::new(),
        too_long: false,
    };
    for (name, value) in fields {
        let long = |max: usize| value.chars().count() > max;
        match name.as_str() {
            "csrf" => {}
            "subject" => {
                sent.too_long |= long(MAX_SUBJECT);
                sent.subject = Some(value);
            }
            "body" => {
                sent.too_long |= long(MAX_BODY);
                sent.body = Some(value);
            }
            "make" => sent.make = LetterFormat::parse(&value),
            "step" => sent.step = value,
            _ => match name.strip_prefix(VALUE) {
                // Only the values this letter has; a computed date is never taken from a form.
                Some(id) if allowed.iter().any(|p| p.name == id) => {
                    sent.too_long |= long(MAX_VALUE);
                    sent.values.given.insert(id.to_string(), value);
                }
                Some(_) => {}
                None if name.starts_with("q_") => sent.carried.push((name, value)),
                None => {}
            },
        }
    }
    sent
}

fn page(
    tr: Tr,
    (letters, letter): (&Letters, &Letter),
    values: &Values,
    today: Date,
    text: Option<(String, String)>,
    place: Place,
    error: Option<String>,
) -> LetterPage {
    let lang = tr.lang;
    let dates = dakwacht_texts::letters::computed_dates(letter, today)
        .into_iter()
        .map(|(name, day)| {
            let label = placeholder(name).map_or(name, |p| p.label(lang));
            (
                label.to_string(),
                dakwacht_core::written::long_date(day, lang),
            )
        })
        .collect();
    let Place {
        action,
        back,
        signed,
        carried,
    } = place;
    let (csrf, username) = signed.map_or((None, String::new()), |(c, u)| (Some(c), u));
    let mut hidden = carried;
    let fields = if text.is_some() {
        hidden.extend(
            values
                .given
                .iter()
                .map(|(k, v)| (format!("{VALUE}{k}"), v.clone())),
        );
        Vec::new()
    } else {
        letters
            .fields(letter)
            .into_iter()
            .map(|p| FieldView {
                id: format!("{VALUE}{}", p.name),
                label: p.label(lang).to_string(),
                value: values.given.get(p.name).cloned().unwrap_or_default(),
                lines: p.name.ends_with("_address"),
            })
            .collect()
    };
    // Each with its code point: the page's own fonts may lack it too (and a control character
    // is only named). A text in another script could have thousands: the first few say enough.
    let not_in_pdf = text.as_ref().map_or_else(String::new, |(subject, body)| {
        use dakwacht_core::control::{code_point, escape_controls};
        let missing = dakwacht_publish::pdf::not_in_pdf(&format!("{subject}\n{body}"));
        let mut named: Vec<String> = missing
            .iter()
            .take(NAMED_AT_MOST)
            .map(|&c| format!("{} ({})", escape_controls(&c.to_string()), code_point(c)))
            .collect();
        if missing.len() > NAMED_AT_MOST {
            named.push(tr.t1(
                "letter-not-in-pdf-more",
                "count",
                missing.len() - NAMED_AT_MOST,
            ));
        }
        named.join(", ")
    });
    LetterPage {
        title: letter.title.get(lang).to_string(),
        explanation: letter.explanation.get(lang).trim().to_string(),
        action,
        back,
        dates,
        hidden,
        fields,
        text,
        not_in_pdf,
        error,
        csrf,
        username,
        tr,
    }
}

/// The file as a download: never kept by a browser's or proxy's cache.
fn download(letter: &Letter, today: Date, format: LetterFormat, bytes: Vec<u8>) -> Response {
    let name = format!("{}-{today}.{}", letter.id, format.code());
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// What a step of the form answers, given where it is and what to do with the file.
enum Next<'a> {
    Page(Option<(String, String)>, Option<String>, StatusCode),
    Make(LetterText<'a>, LetterFormat),
}

fn next<'a>(
    tr: &Tr,
    letters: &Letters,
    letter: &Letter,
    sent: &'a Sent,
    today: Date,
    contacts: &dakwacht_texts::contacts::Contacts,
) -> Next<'a> {
    if sent.too_long {
        let text = sent.subject.clone().zip(sent.body.clone());
        return Next::Page(
            text,
            Some(tr.t("letter-too-long")),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    match (&sent.subject, &sent.body, sent.make) {
        (Some(subject), Some(body), Some(format)) if sent.step != "fields" => {
            if body.trim().is_empty() {
                return Next::Page(
                    Some((subject.clone(), body.clone())),
                    Some(tr.t("letter-empty")),
                    StatusCode::UNPROCESSABLE_ENTITY,
                );
            }
            Next::Make(LetterText { subject, body }, format)
        }
        _ if sent.step == "text" => {
            let filled = letters.fill(letter, &sent.values, today, contacts);
            Next::Page(Some((filled.subject, filled.body)), None, StatusCode::OK)
        }
        _ => Next::Page(None, None, StatusCode::OK),
    }
}

fn letter_of<'l>(letters: &'l Letters, id: &str) -> Result<&'l Letter, AppError> {
    letters.get(id).ok_or(AppError::NotFound)
}

#[derive(serde::Deserialize)]
pub struct CaseLetterQuery {
    /// For a letter to a child: the assessment it explains.
    assessment: Option<i64>,
}

fn case_letter_path(organisation: &str, case_ref: &str, letter: &str) -> String {
    format!(
        "{}/letters/{letter}",
        crate::case_form::case_path(organisation, case_ref)
    )
}

/// The first screen of a letter for a case, filled in with what the case knows.
pub async fn case_letter_form<S: Store>(
    Signed { state, user, tr }: Signed<S>,
    Path((organisation, case_ref, id)): Path<(String, String, String)>,
    Query(query): Query<CaseLetterQuery>,
) -> Result<Response, AppError> {
    let letters = &state.letters;
    let letter = letter_of(letters, &id)?;
    if letter.from_assessment && query.assessment.is_none() {
        return Err(AppError::NotFound);
    }
    let acting = user.acting(&state);
    let values = acting
        .letter_values(&organisation, &case_ref, letter, query.assessment)
        .await?;
    let page = page(
        tr,
        (letters, letter),
        &values,
        dakwacht_app::today(),
        None,
        Place::of_case((&organisation, &case_ref, &id), &user),
        None,
    );
    Ok(Html(render(&page)).into_response())
}

/// The next screen of a letter for a case, or its file (recorded in the case's history).
pub async fn case_letter<S: Store>(
    Path((organisation, case_ref, id)): Path<(String, String, String)>,
    SignedForm(Signed { state, user, tr }, acting, fields): SignedForm<S, Fields>,
) -> Result<Response, AppError> {
    acting.may_change_cases_of(&organisation).await?;
    let letters = &state.letters;
    let letter = letter_of(letters, &id)?;
    let sent = read_sent(letters, letter, fields);
    let today = dakwacht_app::today();
    match next(&tr, letters, letter, &sent, today, &state.contacts) {
        Next::Make(text, format) => {
            let file = acting
                .make_letter(
                    (&organisation, &case_ref),
                    letters,
                    letter,
                    &sent.values,
                    today,
                    text,
                    format,
                )
                .await?;
            Ok(download(letter, today, format, file))
        }
        Next::Page(text, error, status) => {
            let page = page(
                tr,
                (letters, letter),
                &sent.values,
                today,
                text,
                Place::of_case((&organisation, &case_ref, &id), &user),
                error,
            );
            Ok((status, Html(render(&page))).into_response())
        }
    }
}

/// A letter from the rights check: the same two screens and the file, with the family's answers
/// carried along so that "back" returns to its result. Nothing is read from or written to the
/// database.
pub async fn rights_check_letter<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    tr: Tr,
    Path(id): Path<String>,
    axum::Form(fields): axum::Form<Fields>,
) -> Result<Response, AppError> {
    let letters = &state.letters;
    let letter = letter_of(letters, &id)?;
    // A letter to a child follows an assessment of a case; the rights check offers none.
    if letter.to == Recipient::Child {
        return Err(AppError::NotFound);
    }
    let mut sent = read_sent(letters, letter, fields);
    // Only answers the check could have given travel on, as the check itself keeps them.
    let given: dakwacht_texts::rights::Answers = sent
        .carried
        .iter()
        .filter_map(|(name, value)| Some((name.strip_prefix("q_")?.to_string(), value.clone())))
        .collect();
    sent.carried = state
        .rights_check
        .consistent(&given)
        .into_iter()
        .map(|(id, value)| (format!("q_{id}"), value))
        .collect();
    let today = dakwacht_app::today();
    match next(&tr, letters, letter, &sent, today, &state.contacts) {
        Next::Make(text, format) => {
            let file = dakwacht_app::letters::letter_file(
                letters,
                letter,
                &sent.values,
                today,
                text,
                format,
            )?;
            Ok(download(letter, today, format, file))
        }
        Next::Page(text, error, status) => {
            let page = page(
                tr,
                (letters, letter),
                &sent.values,
                today,
                text,
                Place {
                    action: format!("/rechtencheck/brief/{id}"),
                    back: Back::RightsCheck,
                    signed: None,
                    carried: sent.carried.clone(),
                },
                error,
            );
            Ok((status, Html(render(&page))).into_response())
        }
    }
}

struct MadeView {
    title: String,
    made_at: String,
    made_by: String,
    format: String,
    subject: String,
    body: String,
}

#[derive(Template)]
#[template(path = "case_letters.html")]
struct CaseLettersPage {
    tr: Tr,
    csrf: String,
    username: String,
    case_ref: String,
    case_link: String,
    /// (link, title) of the letters the case's signals call for, and of the others.
    offered: Vec<(String, String)>,
    others: Vec<(String, String)>,
    /// (link, the child and the decision) of each complete assessment.
    to_children: Vec<(String, String)>,
    made: Vec<MadeView>,
}

/// A case's letters: those its signals call for, the others, a letter to each child with a
/// complete assessment, and every letter made so far with its text.
pub async fn case_letters<S: Store>(
    Signed { state, user, tr }: Signed<S>,
    Path((organisation, case_ref)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let acting = user.acting(&state);
    acting.may_change_cases_of(&organisation).await?;
    let (case, children) = acting
        .read_family(&organisation, &case_ref, "web letters")
        .await?;
    let raised: Vec<String> = state
        .rules
        .evaluator()
        .family(&case, &children)
        .signals
        .iter()
        .map(|s| s.rule.id.clone())
        .collect();
    let letters = &state.letters;
    let lang = tr.lang;
    let link = |letter: &Letter| {
        (
            case_letter_path(&organisation, &case_ref, &letter.id),
            letter.title.get(lang).to_string(),
        )
    };
    let offered: Vec<(String, String)> = letters.offered(&raised).map(link).collect();
    let others = letters
        .letters
        .iter()
        .filter(|l| {
            l.to != Recipient::Child
                && !offered
                    .iter()
                    .any(|(href, _)| href.ends_with(&format!("/{}", l.id)))
        })
        .map(link)
        .collect();
    let mut to_children = Vec::new();
    if let Some(child_letter) = letters.letters.iter().find(|l| l.from_assessment) {
        for stored in acting
            .assessments_of(&organisation, &case_ref, "web letters")
            .await?
            .into_iter()
            .filter(|a| a.complete)
        {
            to_children.push((
                format!(
                    "{}?assessment={}",
                    case_letter_path(&organisation, &case_ref, &child_letter.id),
                    stored.id
                ),
                tr.t2(
                    "letters-to-child",
                    "child",
                    stored.assessment.child_no.to_string(),
                    "decision",
                    stored.assessment.decision.label(lang),
                ),
            ));
        }
    }
    let titles: BTreeMap<&str, &str> = letters
        .letters
        .iter()
        .map(|l| (l.id.as_str(), l.title.get(lang)))
        .collect();
    let made = acting
        .letters_made(&organisation, &case_ref, "web letters")
        .await?
        .into_iter()
        .rev()
        .map(|m| MadeView {
            title: titles
                .get(m.letter.as_str())
                .map_or_else(|| m.letter.clone(), |t| (*t).to_string()),
            made_at: crate::shown::moment(&m.made_at, &tr),
            made_by: crate::case_form::by_whom(&tr, &m.made_by),
            format: m.format.to_uppercase(),
            subject: m.subject,
            body: m.body,
        })
        .collect();
    let page = CaseLettersPage {
        csrf: user.csrf_token.clone(),
        username: user.user.username.clone(),
        case_link: crate::case_form::case_path(&organisation, &case_ref),
        case_ref,
        offered,
        others,
        to_children,
        made,
        tr,
    };
    Ok(Html(render(&page)).into_response())
}
