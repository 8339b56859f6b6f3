//! Files in and out of the browser: upload a CSV or XLSX file, see every problem (line, column,
//! value) or a preview before anything is stored, confirm; download the organisation's cases; and
//! download an empty XLSX template with a drop-down list on every coded column.
//!
//! Between preview and confirmation the checked cases wait in memory ([`PendingImports`]), under a
//! random id bound to the user who uploaded them, so the file is read once and what is confirmed
//! is exactly what was previewed.

use std::collections::HashMap;
use std::io::{Read, Seek, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::auth::{Signed, SignedForm};
use askama::Template;
use axum::extract::{Multipart, Query};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use dakwacht_app::{
    Acting, CaseUpdate, ChildCounts, ChildEffect, Effect, Error, ImportMessage, Newer, NewerCases,
    Store, StoreError, Written,
};
use dakwacht_core::written::long_date;
use dakwacht_core::{Case, CaseFilter, ChildColumnSet, ChildRow, Children, ColumnSet, Field};
use dakwacht_interchange::{FileFormat, LineError, XlsxCaseWriter, xlsx};
use serde::Deserialize;
use tokio::sync::mpsc;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::heavy::HeavyJob;
use crate::i18n::Tr;
use crate::import_file::{self, ChildrenSource, FileMessage, Part};
use crate::pages::{Menu, MessagePage, render};
use crate::shown;

/// Largest file accepted for upload. A million-row file is about 150 MB; that is a job for
/// `dakwacht import` on the server, not for a browser form.
pub const UPLOAD_LIMIT: usize = 64 * 1024 * 1024;
/// How long a previewed file waits for confirmation.
const PENDING_FOR: Duration = Duration::from_secs(30 * 60);
/// Problems listed on the preview page; the count always covers all of them.
const PROBLEMS_SHOWN: usize = 500;
/// Cases listed on the preview page.
const PREVIEW_ROWS: usize = 20;
/// Updated cases shown field by field, and newer cases listed, on the preview page.
const PREVIEW_CHANGES: usize = 50;

/// Checked files waiting for confirmation, by id. One per user: a new upload replaces the old.
#[derive(Default)]
pub struct PendingImports {
    waiting: Mutex<HashMap<String, Pending>>,
}

/// A checked file: its bytes, read again on confirmation (deterministically the same cases), so
/// that a waiting file costs its size and not a million parsed cases.
struct Pending {
    username: String,
    organisation: String,
    source: String,
    format: FileFormat,
    bytes: Arc<Vec<u8>>,
    /// Where the upload's children are, read again with the cases.
    children: ChildrenSource,
    /// The names of the cases file and the children file, for the problems of each.
    names: FileNames,
    /// Whether the preview found cases newer than the file: then the confirmation must choose.
    has_newer: bool,
    since: Instant,
}

impl PendingImports {
    fn put(&self, id: String, pending: Pending) {
        if let Ok(mut waiting) = self.waiting.lock() {
            waiting
                .retain(|_, p| p.since.elapsed() < PENDING_FOR && p.username != pending.username);
            waiting.insert(id, pending);
        }
    }

    /// Takes the file out, only for the user who uploaded it and only while it is fresh.
    fn take(&self, id: &str, username: &str) -> Option<Pending> {
        let mut waiting = self.waiting.lock().ok()?;
        let fits = waiting
            .get(id)
            .is_some_and(|p| p.username == username && p.since.elapsed() < PENDING_FOR);
        if fits { waiting.remove(id) } else { None }
    }
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    tr: Tr,
    username: String,
    csrf: String,
    organisation: String,
    /// The uploaded file's name, once there is one.
    source: Option<String>,
    /// Where the upload's children are (a file's name, or the workbook's sheet), when it has them.
    children_source: Option<String>,
    /// The files of the upload, as the problems' heading names them.
    files: String,
    /// Child rows read, and what storing them would do.
    child_rows: usize,
    child_created: usize,
    child_updated: usize,
    child_unchanged: usize,
    /// A problem with the file as a whole (cannot be read, wrong type, too large).
    file_error: Option<String>,
    rows: usize,
    problem_count: usize,
    problems: Vec<ProblemLine>,
    preview: Vec<PreviewLine>,
    created: usize,
    updated: usize,
    unchanged: usize,
    /// The first updated cases, field by field.
    changes: Vec<ChangedCase>,
    /// Updated cases that are newer than the file: storing would undo a later change.
    newer_count: usize,
    newer: Vec<ChangedCase>,
    pending_id: Option<String>,
}

/// An updated case of the preview: what the file changes, and why it may be newer than the file.
struct ChangedCase {
    case_ref: String,
    /// Said when the stored case is newer than the file.
    newer: Option<String>,
    fields: Vec<FieldChange>,
}

struct FieldChange {
    label: String,
    old: String,
    new: String,
}

struct ProblemLine {
    /// The file the problem is in (the cases file or the children file).
    file: String,
    line: u64,
    column: String,
    value: String,
    expected: String,
}

struct PreviewLine {
    case_ref: String,
    reported_on: String,
    municipality: String,
    children: u8,
    /// What storing it would do, as the key of its text.
    effect: &'static str,
}

/// The text that says what storing a case would do, for the preview.
fn effect_key(effect: &Effect) -> &'static str {
    match effect {
        Effect::New => "import-effect-new",
        Effect::Updated(update) if update.newer.is_some() => "import-effect-newer",
        Effect::Updated(_) => "import-effect-updated",
        Effect::Unchanged => "import-effect-unchanged",
    }
}

/// Why a stored case is newer than the file, in words.
fn newer_text(newer: &Newer, tr: &Tr) -> String {
    match newer {
        Newer::HandEdit(edit) => tr.t2(
            "import-newer-edit",
            "by",
            crate::shown::who(&edit.by, tr),
            "at",
            crate::shown::moment(&edit.at, tr),
        ),
        Newer::LaterReport(date) => tr.t1("import-newer-report", "date", long_date(*date, tr.lang)),
    }
}

impl ChangedCase {
    fn of(update: &CaseUpdate, tr: &Tr, labels: &HashMap<Field, String>) -> ChangedCase {
        let mut fields: Vec<FieldChange> = update
            .fields
            .iter()
            .map(|&field| FieldChange {
                label: labels
                    .get(&field)
                    .cloned()
                    .unwrap_or_else(|| field.name().to_string()),
                old: shown::value(&update.old, field, tr),
                new: shown::value(&update.new, field, tr),
            })
            .collect();
        if update.old.extra != update.new.extra {
            fields.push(FieldChange {
                label: tr.t("import-extra-columns"),
                old: String::new(),
                new: String::new(),
            });
        }
        ChangedCase {
            case_ref: update.new.case_ref.as_str().to_string(),
            newer: update.newer.as_ref().map(|newer| newer_text(newer, tr)),
            fields,
        }
    }
}

impl ImportPage {
    fn empty(user: &CurrentUser, tr: &Tr, organisation: &str) -> Self {
        ImportPage {
            tr: tr.clone(),
            username: user.user.username.clone(),
            csrf: user.csrf_token.clone(),
            organisation: organisation.to_string(),
            source: None,
            children_source: None,
            files: String::new(),
            child_rows: 0,
            child_created: 0,
            child_updated: 0,
            child_unchanged: 0,
            file_error: None,
            rows: 0,
            problem_count: 0,
            problems: Vec::new(),
            preview: Vec::new(),
            created: 0,
            updated: 0,
            unchanged: 0,
            changes: Vec::new(),
            newer_count: 0,
            newer: Vec::new(),
            pending_id: None,
        }
    }
}

/// The `filename*` of a Content-Disposition header (RFC 6266 / RFC 8187: `UTF-8''na%C3%AFef.csv`),
/// which some browsers send instead of `filename` for names with non-ASCII characters; the
/// multipart parser reads only `filename`. ISO-8859-1 names are read as such.
fn extended_file_name(disposition: &str) -> Option<String> {
    let value = disposition.split(';').find_map(|part| {
        let (name, value) = part.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("filename*")
            .then(|| value.trim().trim_matches('"'))
    })?;
    let mut parts = value.splitn(3, '\'');
    let (charset, _language, encoded) = (parts.next()?, parts.next()?, parts.next()?);
    let bytes: Vec<u8> = percent_encoding::percent_decode_str(encoded).collect();
    let name = if charset.eq_ignore_ascii_case("utf-8") {
        String::from_utf8(bytes).ok()?
    } else if charset.eq_ignore_ascii_case("iso-8859-1") {
        bytes.iter().map(|&b| char::from(b)).collect()
    } else {
        return None;
    };
    // Only the name: a path a browser might send does not belong in the audit log.
    let name = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .to_string();
    (!name.is_empty()).then_some(name)
}

pub async fn import_form<S: Store>(
    Signed { state, user, tr }: Signed<S>,
) -> Result<Html<String>, AppError> {
    let organisation = user.acting(&state).import_organisation().await?;
    Ok(Html(render(&ImportPage::empty(&user, &tr, &organisation))))
}

/// What the upload form sent.
struct Upload {
    csrf: String,
    file_name: String,
    bytes: Vec<u8>,
    /// The children file, when one was sent (empty otherwise).
    children_name: String,
    children_bytes: Vec<u8>,
}

async fn read_upload(mut multipart: Multipart, tr: &Tr) -> Result<Upload, String> {
    let mut upload = Upload {
        csrf: String::new(),
        file_name: String::new(),
        bytes: Vec::new(),
        children_name: String::new(),
        children_bytes: Vec::new(),
    };
    let too_large = || {
        tr.t1(
            "import-too-large",
            "megabytes",
            UPLOAD_LIMIT / (1024 * 1024),
        )
    };
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(too_large());
            }
            Err(_) => return Err(tr.t("import-form-broken")),
        };
        let part = match field.name() {
            Some("csrf") => {
                upload.csrf = field.text().await.unwrap_or_default();
                continue;
            }
            Some("file") => (&mut upload.file_name, &mut upload.bytes),
            Some("children") => (&mut upload.children_name, &mut upload.children_bytes),
            _ => continue,
        };
        *part.0 = field
            .file_name()
            .map(str::to_string)
            .or_else(|| {
                field
                    .headers()
                    .get(header::CONTENT_DISPOSITION)
                    .and_then(|value| value.to_str().ok())
                    .and_then(extended_file_name)
            })
            .unwrap_or_default();
        *part.1 = match field.bytes().await {
            Ok(bytes) => bytes.to_vec(),
            Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(too_large());
            }
            Err(_) => {
                return Err(tr.t("import-file-broken"));
            }
        };
    }
    Ok(upload)
}

impl ImportPage {
    /// How many cases are new, updated and unchanged.
    fn effect_summary(&self) -> String {
        self.tr.t3(
            "import-existing",
            ["new", "updated", "unchanged"],
            [&self.created, &self.updated, &self.unchanged],
        )
    }

    /// Lists an updated case field by field (the first ones), and among the cases newer than the
    /// file (counted all).
    fn show_update(&mut self, update: &CaseUpdate, tr: &Tr, labels: &HashMap<Field, String>) {
        if update.newer.is_some() {
            self.newer_count += 1;
            if self.newer.len() < PREVIEW_CHANGES {
                self.newer.push(ChangedCase::of(update, tr, labels));
            }
        } else if self.changes.len() < PREVIEW_CHANGES {
            self.changes.push(ChangedCase::of(update, tr, labels));
        }
    }

    /// How many child records are new, updated and unchanged.
    fn child_effect_summary(&self) -> String {
        self.tr.t3(
            "import-children-existing",
            ["new", "updated", "unchanged"],
            [
                &self.child_created,
                &self.child_updated,
                &self.child_unchanged,
            ],
        )
    }

    /// Lists problems of `file` (the first [`PROBLEMS_SHOWN`]; all are counted).
    fn show_problems(&mut self, file: &str, problems: Vec<LineError>, tr: &Tr) {
        self.problem_count += problems.len();
        let room = PROBLEMS_SHOWN.saturating_sub(self.problems.len());
        self.problems
            .extend(problems.into_iter().take(room).map(|p| ProblemLine {
                file: file.to_string(),
                line: p.line,
                column: p.column.unwrap_or_default(),
                value: p.value.chars().take(80).collect(),
                expected: p.expected.text(tr.lang),
            }));
    }
}

/// The menu of the signed-in user, for a message page.
fn menu(user: &CurrentUser) -> Option<Menu> {
    Some(Menu::of(user))
}

/// Answers that the user's previous heavy job still runs (a page of its own).
fn another_job_runs(tr: Tr) -> Response {
    let (title, message) = (tr.t("nav-import"), tr.t("heavy-job-busy"));
    let page = MessagePage::answer(StatusCode::TOO_MANY_REQUESTS, tr, None, title, message);
    crate::error::retry_later(page)
}

/// Answers that the user's previous heavy job still runs, on the import page.
fn busy_with_another_job(mut page: ImportPage, tr: &Tr) -> Response {
    page.file_error = Some(tr.t("heavy-job-busy"));
    crate::error::retry_later((StatusCode::TOO_MANY_REQUESTS, Html(render(&page))).into_response())
}

/// Reads and checks an uploaded file and shows the result; stores nothing. The file is checked
/// as the import will store it: batch by batch against the stored cases (one lookup per batch),
/// with the fields of absent columns as stored.
pub async fn upload<S: Store>(
    Signed { state, user, tr }: Signed<S>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let acting = user.acting(&state);
    let organisation = acting.import_organisation().await?;
    let mut page = ImportPage::empty(&user, &tr, &organisation);
    let Some(_job) = state.heavy_jobs.start(&user.user.username) else {
        return Ok(busy_with_another_job(page, &tr));
    };
    let upload = match read_upload(multipart, &tr).await {
        Ok(upload) => upload,
        Err(message) => {
            page.file_error = Some(message);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(render(&page))).into_response());
        }
    };
    user.check_csrf(&upload.csrf)?;
    if upload.bytes.is_empty() {
        page.file_error = Some(tr.t("import-no-file"));
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(render(&page))).into_response());
    }
    let format = import_file::format_of(&upload.file_name, &upload.bytes);
    let bytes = Arc::new(upload.bytes);
    page.source = Some(upload.file_name.clone());
    page.files = upload.file_name.clone();
    let in_workbook = format == FileFormat::Xlsx && import_file::has_children_sheet(&bytes);
    let children = match (upload.children_bytes.is_empty(), in_workbook) {
        (true, false) => ChildrenSource::None,
        (true, true) => ChildrenSource::SameWorkbook,
        (false, false) => ChildrenSource::File(
            import_file::format_of(&upload.children_name, &upload.children_bytes),
            Arc::new(upload.children_bytes),
        ),
        // Two sets of the same children: which one is meant cannot be guessed.
        (false, true) => {
            page.file_error = Some(tr.t("import-children-twice"));
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(render(&page))).into_response());
        }
    };
    let names = FileNames::new(&upload.file_name, &upload.children_name, &children, &tr);
    page.children_source = names.children.clone();
    page.files = names.audited();
    let mut file = import_file::read(
        format,
        bytes.clone(),
        children.clone(),
        organisation.clone(),
    );
    let mut columns = ColumnSet::all();
    let mut child_columns = ChildColumnSet::all();
    // The children of every case of the file as it would be stored, by reference: what the
    // children file's rows are checked against.
    let mut families: HashMap<String, Children> = HashMap::new();
    let labels = crate::case_form::field_labels(&tr);
    while let Some(message) = file.recv().await {
        match message {
            FileMessage::Unreadable(part, reason) => {
                let error = tr.t1("import-unreadable", "error", reason);
                page.file_error = Some(format!("{}: {error}", names.of(part)));
                return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(render(&page))).into_response());
            }
            FileMessage::Header(part, problems) => {
                page.show_problems(names.of(part), problems, &tr)
            }
            FileMessage::Columns(file_columns) => columns = file_columns,
            FileMessage::Rows { cases, problems } => {
                page.rows += cases.len();
                page.show_problems(&names.cases, problems, &tr);
                let checked = acting.check_import(&organisation, &columns, &cases).await?;
                for ((_, case), checked) in cases.iter().zip(checked) {
                    families.insert(case.case_ref.to_string(), checked.family);
                    let effect = match checked.outcome {
                        Ok(effect) => effect,
                        Err(problems) => {
                            page.show_problems(&names.cases, problems, &tr);
                            continue;
                        }
                    };
                    match &effect {
                        Effect::New => page.created += 1,
                        Effect::Updated(update) => {
                            page.updated += 1;
                            page.show_update(update, &tr, &labels);
                        }
                        Effect::Unchanged => page.unchanged += 1,
                    }
                    if page.preview.len() < PREVIEW_ROWS {
                        page.preview.push(PreviewLine {
                            case_ref: case.case_ref.as_str().to_string(),
                            reported_on: case.reported_on.to_string(),
                            municipality: case
                                .municipality
                                .as_ref()
                                .map(|m| m.as_str().to_string())
                                .unwrap_or_default(),
                            children: case.children.count,
                            effect: effect_key(&effect),
                        });
                    }
                }
            }
            FileMessage::ChildColumns(file_columns) => child_columns = file_columns,
            FileMessage::ChildRows { rows, problems } => {
                let children_file = names.children.as_deref().unwrap_or_default();
                page.child_rows += rows.len();
                page.show_problems(children_file, problems, &tr);
                let checked = acting
                    .check_children_import(&organisation, &child_columns, &families, &rows)
                    .await?;
                for (_, outcome) in checked {
                    match outcome {
                        Ok(ChildEffect::New) => page.child_created += 1,
                        Ok(ChildEffect::Updated) => page.child_updated += 1,
                        Ok(ChildEffect::Unchanged) => page.child_unchanged += 1,
                        Err(problems) => page.show_problems(children_file, problems, &tr),
                    }
                }
            }
            FileMessage::End(_) | FileMessage::ChildEnd(_) => {}
        }
    }
    if page.problem_count > 0 {
        page.rows = 0;
        page.preview.clear();
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(render(&page))).into_response());
    }
    if page.rows > 0 || page.child_rows > 0 {
        let id = crate::auth::random_token()?;
        state.pending_imports.put(
            id.clone(),
            Pending {
                username: user.user.username.clone(),
                organisation: organisation.clone(),
                source: names.audited(),
                format,
                bytes,
                children,
                names,
                has_newer: page.newer_count > 0,
                since: Instant::now(),
            },
        );
        page.pending_id = Some(id);
    }
    Ok(Html(render(&page)).into_response())
}

/// The names of an upload's files, as its problems name them.
#[derive(Clone)]
struct FileNames {
    cases: String,
    /// The children file's name, or the cases workbook's sheet.
    children: Option<String>,
    /// Whether the children are a file of their own (not a sheet of the cases workbook).
    separate: bool,
}

impl FileNames {
    fn new(cases: &str, children_file: &str, source: &ChildrenSource, tr: &Tr) -> FileNames {
        let children = match source {
            ChildrenSource::None => None,
            ChildrenSource::SameWorkbook => Some(tr.t1("import-children-sheet", "file", cases)),
            ChildrenSource::File(..) => Some(children_file.to_string()),
        };
        FileNames {
            cases: cases.to_string(),
            children,
            separate: matches!(source, ChildrenSource::File(..)),
        }
    }

    fn of(&self, part: Part) -> &str {
        match part {
            Part::Cases => &self.cases,
            Part::Children => self.children.as_deref().unwrap_or_default(),
        }
    }

    /// What the audit log names as the source: the file, and a children file beside it.
    fn audited(&self) -> String {
        match &self.children {
            Some(children) if self.separate => format!("{} + {children}", self.cases),
            _ => self.cases.clone(),
        }
    }
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    pending: String,
    /// `keep` or `overwrite`: what to do with cases newer than the file.
    #[serde(default)]
    newer: Option<String>,
}

impl ConfirmForm {
    fn newer_cases(&self) -> Option<NewerCases> {
        match self.newer.as_deref() {
            Some("keep") => Some(NewerCases::Keep),
            Some("overwrite") => Some(NewerCases::Overwrite),
            _ => None,
        }
    }
}

#[derive(Template)]
#[template(path = "imported.html")]
struct ImportedPage {
    tr: Tr,
    username: String,
    csrf: String,
    source: String,
    created: u64,
    updated: u64,
    unchanged: u64,
    /// Cases newer than the file, left as they were.
    kept_newer: u64,
    /// Where the children were, when the upload had them, and what was done with them.
    children_source: Option<String>,
    children: ChildCounts,
}

/// What feeding a file into the import came to.
#[derive(Default)]
struct Fed {
    /// Where each case is in the file, once it was read to the end.
    lines: Option<dakwacht_interchange::LineIndex>,
    /// Where each child is in the children file, once it was read to the end.
    child_lines: Option<dakwacht_interchange::LineIndex>,
    kept_newer: u64,
    /// A case became newer than the file after the preview, and nobody chose what to do.
    newer_since_preview: bool,
}

/// The cases of a batch to store: those newer than the file left out when they are to be kept;
/// `Err` (stop, store nothing) when one turns up that the preview did not show.
async fn without_newer<S: Store>(
    acting: &Acting<S>,
    organisation: &str,
    columns: &ColumnSet,
    cases: Vec<(u64, Case)>,
    choice: Option<NewerCases>,
    fed: &mut Fed,
) -> Result<Vec<Case>, ()> {
    if choice == Some(NewerCases::Overwrite) {
        return Ok(cases.into_iter().map(|(_, case)| case).collect());
    }
    let checked = acting
        .check_import(organisation, columns, &cases)
        .await
        .map_err(|_| ())?;
    let mut kept = Vec::with_capacity(cases.len());
    for ((_, case), checked) in cases.into_iter().zip(checked) {
        let newer =
            matches!(&checked.outcome, Ok(Effect::Updated(update)) if update.newer.is_some());
        if !newer {
            kept.push(case);
        } else if choice == Some(NewerCases::Keep) {
            fed.kept_newer += 1;
        } else {
            fed.newer_since_preview = true;
            return Err(());
        }
    }
    Ok(kept)
}

/// Stores a previewed file: all of it, in one transaction, or nothing.
pub async fn confirm<S: Store>(
    SignedForm(Signed { state, user, tr }, acting, form): SignedForm<S, ConfirmForm>,
) -> Result<Response, AppError> {
    let organisation = acting.import_organisation().await?;
    let Some(pending) = state
        .pending_imports
        .take(&form.pending, &user.user.username)
        .filter(|p| p.organisation == organisation)
    else {
        let (title, message) = (tr.t("import-expired-title"), tr.t("import-expired"));
        return Ok(MessagePage::answer(
            StatusCode::GONE,
            tr,
            menu(&user),
            title,
            message,
        ));
    };
    let Some(_job) = state.heavy_jobs.start(&user.user.username) else {
        // The file stays waiting: the user may confirm once the other job has ended.
        state.pending_imports.put(form.pending.clone(), pending);
        return Ok(another_job_runs(tr));
    };
    let choice = form.newer_cases();
    if pending.has_newer && choice.is_none() {
        // The preview asked; a form sent without an answer gets the question again.
        state.pending_imports.put(form.pending.clone(), pending);
        let (title, message) = (tr.t("import-newer-title"), tr.t("import-newer-choose"));
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(MessagePage::answer(status, tr, menu(&user), title, message));
    }
    // The file is read again (the same bytes give the same cases) and streamed into the store's
    // one transaction, batch by batch. Unless told to overwrite them, each batch is checked again
    // for cases newer than the file: a change made since the preview is not undone unasked.
    let mut file = import_file::read(
        pending.format,
        pending.bytes.clone(),
        pending.children.clone(),
        organisation.clone(),
    );
    let with_children = !matches!(pending.children, ChildrenSource::None);
    let (sender, receiver) = mpsc::channel(2);
    let feed = async {
        let mut fed = Fed::default();
        let mut complete = true;
        let mut columns = ColumnSet::all();
        while let Some(message) = file.recv().await {
            let sent = match message {
                FileMessage::Columns(file_columns) => {
                    columns = file_columns.clone();
                    sender.send(ImportMessage::Columns(file_columns)).await
                }
                FileMessage::Rows { cases, problems } if problems.is_empty() => {
                    let Ok(cases) =
                        without_newer(&acting, &organisation, &columns, cases, choice, &mut fed)
                            .await
                    else {
                        complete = false;
                        break;
                    };
                    sender.send(ImportMessage::Cases(cases)).await
                }
                FileMessage::End(index) => {
                    fed.lines = Some(index);
                    Ok(())
                }
                FileMessage::ChildColumns(columns) => {
                    sender.send(ImportMessage::ChildColumns(columns)).await
                }
                FileMessage::ChildRows { rows, problems } if problems.is_empty() => {
                    let rows = rows.into_iter().map(|(_, row)| row).collect();
                    sender.send(ImportMessage::Children(rows)).await
                }
                FileMessage::ChildEnd(index) => {
                    fed.child_lines = Some(index);
                    Ok(())
                }
                // Checked at the preview; if reading now differs, store nothing.
                _ => {
                    complete = false;
                    break;
                }
            };
            if sent.is_err() {
                complete = false;
                break;
            }
        }
        // The receiver lives in the store's import; without Commit it rolls back.
        let read_whole = fed.lines.is_some() && (!with_children || fed.child_lines.is_some());
        if complete && read_whole {
            let _ = sender.send(ImportMessage::Commit).await;
        }
        drop(sender);
        fed
    };
    let (stored, fed) = tokio::join!(acting.import(&pending.source, receiver), feed);
    let (lines, child_lines) = (fed.lines, fed.child_lines);
    match stored {
        Ok(summary) => Ok(Html(render(&ImportedPage {
            tr,
            username: user.user.username.clone(),
            csrf: user.csrf_token.clone(),
            source: pending.names.cases.clone(),
            created: summary.created,
            updated: summary.updated,
            unchanged: summary.unchanged,
            kept_newer: fed.kept_newer,
            children_source: pending.names.children.clone(),
            children: summary.children,
        }))
        .into_response()),
        Err(Error::Store(StoreError::ImportAborted)) if fed.newer_since_preview => {
            let (title, message) = (
                tr.t("import-newer-title"),
                tr.t("import-newer-since-preview"),
            );
            Ok(MessagePage::answer(
                StatusCode::CONFLICT,
                tr,
                menu(&user),
                title,
                message,
            ))
        }
        // A case changed since the preview and no longer fits the file: show where.
        Err(Error::Store(StoreError::Rejected(rejections))) => {
            let mut page = ImportPage::empty(&user, &tr, &organisation);
            let names = &pending.names;
            page.source = Some(names.cases.clone());
            page.children_source = names.children.clone();
            page.files = names.audited();
            page.file_error = Some(tr.t("import-store-rejected"));
            for case in &rejections.cases {
                if let Some(lines) = &lines {
                    let problems = lines.locate(&case.organisation, &case.case_ref, &case.errors);
                    page.show_problems(&names.cases, problems, &tr);
                }
            }
            for child in &rejections.children {
                let key = (
                    child.organisation.as_str(),
                    child.case_ref.as_str(),
                    child.child_no,
                );
                let in_file = child_lines
                    .as_ref()
                    .filter(|l| l.line_of_record(key.0, key.1, key.2).is_some());
                let problems = match (in_file, &names.children) {
                    (Some(child_lines), Some(children_file)) => (
                        children_file.as_str(),
                        child_lines.locate_record(key, &child.errors),
                    ),
                    // A stored record the upload leaves without its place (fewer children):
                    // said at the case's line.
                    _ => {
                        let line = lines
                            .as_ref()
                            .and_then(|l| l.line_of(key.0, key.1))
                            .unwrap_or(0);
                        let stored = tr.t1("import-stored-child", "child", child.child_no);
                        let problems = child
                            .errors
                            .iter()
                            .map(|error| {
                                let mut problem = LineError::from_field(line, error.clone());
                                problem.column = Some(format!(
                                    "{stored}: {}",
                                    problem.column.unwrap_or_default()
                                ));
                                problem
                            })
                            .collect();
                        (names.cases.as_str(), problems)
                    }
                };
                page.show_problems(problems.0, problems.1, &tr);
            }
            page.problem_count = page.problem_count.max(rejections.total as usize);
            Ok((StatusCode::CONFLICT, Html(render(&page))).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::extended_file_name;

    #[test]
    fn the_extended_file_name_is_read_when_no_plain_one_is_sent() {
        assert_eq!(
            extended_file_name(
                "form-data; name=\"file\"; filename*=UTF-8''gezinnen%20na%C3%AFef.csv"
            )
            .as_deref(),
            Some("gezinnen naïef.csv")
        );
        assert_eq!(
            extended_file_name("form-data; name=\"file\"; filename*=iso-8859-1'nl'caf%E9.csv")
                .as_deref(),
            Some("café.csv")
        );
        assert_eq!(
            extended_file_name("form-data; filename*=UTF-8''C%3A%5Cdata%5Clijst.csv").as_deref(),
            Some("lijst.csv")
        );
        assert_eq!(extended_file_name("form-data; name=\"file\""), None);
        assert_eq!(
            extended_file_name("form-data; filename*=UTF-8''%FF.csv"),
            None
        );
    }
}

#[derive(Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    format: Option<String>,
    /// `comma` for the plain CSV form; otherwise the Dutch Excel form (see `CsvStyle`).
    #[serde(default)]
    delimiter: Option<String>,
}

/// The organisation's cases as an interchange file, streamed: a CSV file goes out as the store's
/// batches arrive; a workbook is written to an anonymous temporary file (a zip needs its end
/// before it is whole) and sent from there. Neither holds the organisation's cases in memory.
pub async fn export<S: Store>(
    Signed { state, user, tr }: Signed<S>,
    Query(query): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let acting = user.acting(&state);
    let organisation = acting.export_organisation().await?;
    // Held until the last byte is sent: one heavy job per user.
    let Some(job) = state.heavy_jobs.start(&user.user.username) else {
        return Ok(another_job_runs(tr));
    };
    let filter = CaseFilter {
        organisation: Some(organisation.clone()),
        ..CaseFilter::default()
    };
    let extra = acting.export_columns(&filter).await?;
    let date = jiff::Zoned::now().date();
    let base = format!("dakwacht-{}-{date}", file_name_part(&organisation));
    if query.format.as_deref() == Some("xlsx") {
        export_xlsx(acting, filter, extra, &format!("{base}.xlsx"), job).await
    } else {
        // As the command line: for Dutch Excel unless the plain form is asked for.
        let style = match query.delimiter.as_deref() {
            Some("comma") => dakwacht_interchange::CsvStyle::PLAIN,
            _ => dakwacht_interchange::CsvStyle::EXCEL_NL,
        };
        Ok(export_csv(
            acting,
            filter,
            extra,
            style,
            &format!("{base}.csv"),
            job,
        ))
    }
}

/// Bytes of the body sent at once.
const CHUNK: usize = 64 * 1024;

type Chunk = Result<axum::body::Bytes, std::io::Error>;

/// A response body fed through a channel; it ends when every sender is gone.
fn channel_body(chunks: mpsc::Receiver<Chunk>) -> axum::body::Body {
    axum::body::Body::from_stream(futures_util::stream::unfold(
        chunks,
        |mut chunks| async move { chunks.recv().await.map(|chunk| (chunk, chunks)) },
    ))
}

/// Sends what is written in chunks of [`CHUNK`] bytes (from a blocking thread).
struct ChunkWriter {
    buffer: Vec<u8>,
    chunks: mpsc::Sender<Chunk>,
}

impl std::io::Write for ChunkWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK {
            self.flush()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK));
        self.chunks
            .blocking_send(Ok(chunk.into()))
            // The browser went away: stop writing.
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))
    }
}

fn export_csv<S: Store>(
    acting: Acting<S>,
    filter: CaseFilter,
    extra: Vec<String>,
    style: dakwacht_interchange::CsvStyle,
    file_name: &str,
    job: HeavyJob,
) -> Response {
    let (body, chunks) = mpsc::channel::<Chunk>(8);
    let (sender, receiver) = mpsc::channel::<Vec<Case>>(4);
    let writer = ChunkWriter {
        buffer: Vec::with_capacity(CHUNK),
        chunks: body.clone(),
    };
    // The body ends only after the audit line is written (this task holds the last sender), so
    // a finished download is always in the audit log.
    tokio::spawn(async move {
        let _job = job;
        let closed = body.clone();
        let writing = async move {
            match tokio::task::spawn_blocking(move || write_csv(receiver, extra, style, writer))
                .await
            {
                Ok(Ok(())) => Written::Whole,
                // The browser went away before the end.
                Ok(Err(_)) if closed.is_closed() => Written::Interrupted,
                Ok(Err(error)) => Written::Failed(error.to_string()),
                Err(error) => Written::Failed(error.to_string()),
            }
        };
        if let Err(error) = acting.export(&filter, "csv", sender, writing).await {
            tracing::error!("CSV export failed: {error}");
            // An error in the body breaks the download off, so no partial file looks whole.
            let _ = body
                .send(Err(std::io::Error::other("the export failed")))
                .await;
        }
    });
    attachment(
        "text/csv; charset=utf-8",
        file_name,
        None,
        channel_body(chunks),
    )
}

fn write_csv(
    mut receiver: mpsc::Receiver<Vec<Case>>,
    extra: Vec<String>,
    style: dakwacht_interchange::CsvStyle,
    output: ChunkWriter,
) -> std::io::Result<()> {
    let mut writer = dakwacht_interchange::CsvCaseWriter::new(output, extra, style)?;
    while let Some(batch) = receiver.blocking_recv() {
        for case in &batch {
            writer.write(case)?;
        }
    }
    writer.finish()?.flush()
}

async fn export_xlsx<S: Store>(
    acting: Acting<S>,
    filter: CaseFilter,
    extra: Vec<String>,
    file_name: &str,
    job: HeavyJob,
) -> Result<Response, AppError> {
    let child_extra = acting.export_child_columns(&filter).await?;
    // The cases first, onto the workbook's first sheet, as the store's batches arrive.
    let (sender, receiver) = mpsc::channel::<Vec<Case>>(4);
    let mut with_cases = None;
    let writing = async {
        match tokio::task::spawn_blocking(move || write_case_sheet(receiver, extra)).await {
            Ok(Ok(writer)) => {
                with_cases = Some(writer);
                Written::Whole
            }
            Ok(Err(error)) => Written::Failed(error),
            Err(error) => Written::Failed(error.to_string()),
        }
    };
    acting.export(&filter, "xlsx", sender, writing).await?;
    let writer = with_cases.ok_or_else(|| AppError::Internal("no workbook was written".into()))?;
    // Then the children, onto the sheet `kinderen` (their own export, audited as such); the
    // workbook is whole only with both.
    let (sender, receiver) = mpsc::channel::<Vec<ChildRow>>(4);
    let mut workbook = None;
    let writing = async {
        let written = tokio::task::spawn_blocking(move || {
            write_children_sheet(writer, receiver, child_extra)
        })
        .await;
        match written {
            Ok(Ok(file)) => {
                workbook = Some(file);
                Written::Whole
            }
            Ok(Err(error)) => Written::Failed(error),
            Err(error) => Written::Failed(error.to_string()),
        }
    };
    acting
        .export_children(&filter, "xlsx", sender, writing)
        .await?;
    let mut file = workbook.ok_or_else(|| AppError::Internal("no workbook was written".into()))?;
    let length = file
        .seek(std::io::SeekFrom::End(0))
        .and_then(|length| file.rewind().map(|()| length))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let (body, chunks) = mpsc::channel::<Chunk>(4);
    tokio::task::spawn_blocking(move || {
        let _job = job;
        send_file(file, &body);
    });
    Ok(attachment(
        XLSX_TYPE,
        file_name,
        Some(length),
        channel_body(chunks),
    ))
}

/// Writes the cases onto the workbook's first sheet.
fn write_case_sheet(
    mut receiver: mpsc::Receiver<Vec<Case>>,
    extra: Vec<String>,
) -> Result<XlsxCaseWriter, String> {
    let mut writer = XlsxCaseWriter::new(extra, None).map_err(|e| e.to_string())?;
    while let Some(batch) = receiver.blocking_recv() {
        for case in &batch {
            writer.write(case).map_err(|e| e.to_string())?;
        }
    }
    Ok(writer)
}

/// Writes the children onto the sheet `kinderen`, then the workbook to an anonymous temporary
/// file (removed when closed, readable by the owner only), and returns the file.
fn write_children_sheet(
    mut writer: XlsxCaseWriter,
    mut receiver: mpsc::Receiver<Vec<ChildRow>>,
    extra: Vec<String>,
) -> Result<std::fs::File, String> {
    writer
        .start_children(extra, None)
        .map_err(|e| e.to_string())?;
    while let Some(batch) = receiver.blocking_recv() {
        for row in &batch {
            writer.write_child(row).map_err(|e| e.to_string())?;
        }
    }
    let mut file = tempfile::tempfile().map_err(|e| e.to_string())?;
    let mut output = std::io::BufWriter::new(&mut file);
    writer.finish(&mut output).map_err(|e| e.to_string())?;
    output.flush().map_err(|e| e.to_string())?;
    drop(output);
    Ok(file)
}

/// Sends a file in chunks, until its end or until the browser goes away.
fn send_file(mut file: std::fs::File, body: &mpsc::Sender<Chunk>) {
    loop {
        let mut chunk = vec![0; CHUNK];
        let chunk = match file.read(&mut chunk) {
            Ok(0) => return,
            Ok(n) => {
                chunk.truncate(n);
                Ok(chunk.into())
            }
            Err(error) => Err(error),
        };
        let failed = chunk.is_err();
        if body.blocking_send(chunk).is_err() || failed {
            return;
        }
    }
}

const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// An empty workbook with the columns and drop-down lists of the cases and of the sheet
/// `kinderen` (no case data: not audited).
pub async fn template(_user: CurrentUser) -> Result<Response, AppError> {
    let body =
        xlsx::template_workbook_with_children().map_err(|e| AppError::Internal(e.to_string()))?;
    let length = body.len() as u64;
    Ok(attachment(
        XLSX_TYPE,
        "dakwacht-sjabloon.xlsx",
        Some(length),
        body.into(),
    ))
}

fn attachment(
    content_type: &str,
    file_name: &str,
    length: Option<u64>,
    body: axum::body::Body,
) -> Response {
    let mut response = (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response();
    if let Some(length) = length {
        response
            .headers_mut()
            .insert(header::CONTENT_LENGTH, header::HeaderValue::from(length));
    }
    response
}

/// An organisation name made safe for a file name: letters and digits, the rest becomes `-`.
fn file_name_part(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}
