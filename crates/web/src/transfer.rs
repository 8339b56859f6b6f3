//! Files in and out of the browser: upload a CSV or XLSX file, see every problem (line, column,
//! value) or a preview before anything is stored, confirm; download the organisation's cases; and
//! download an empty XLSX template with a drop-down list on every coded column.
//!
//! Between preview and confirmation the checked cases wait in memory ([`PendingImports`]), under a
//! random id bound to the user who uploaded them, so the file is read once and what is confirmed
//! is exactly what was previewed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::form::Form;
use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use dakwacht_core::access::Action;
use dakwacht_core::{Case, CaseFilter};
use dakwacht_interchange::{CaseReader, FileFormat, LineError, xlsx};
use dakwacht_store::{AuditAction, AuditEntry, ImportMessage, Store, StoreError};
use serde::Deserialize;
use tokio::sync::mpsc;

use crate::AppState;
use crate::auth::{CurrentUser, authorize};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::pages::render;

/// Largest file accepted for upload. A million-row file is about 150 MB; that is a job for
/// `dakwacht import` on the server, not for a browser form.
pub const UPLOAD_LIMIT: usize = 64 * 1024 * 1024;
/// How long a previewed file waits for confirmation.
const PENDING_FOR: Duration = Duration::from_secs(30 * 60);
/// Problems listed on the preview page; the count always covers all of them.
const PROBLEMS_SHOWN: usize = 500;
/// Cases listed on the preview page.
const PREVIEW_ROWS: usize = 20;

/// Checked files waiting for confirmation, by id. One per user: a new upload replaces the old.
#[derive(Default)]
pub struct PendingImports {
    waiting: Mutex<HashMap<String, Pending>>,
}

struct Pending {
    username: String,
    organisation: String,
    source: String,
    cases: Vec<Case>,
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
    /// A problem with the file as a whole (cannot be read, wrong type, too large).
    file_error: Option<String>,
    rows: usize,
    problem_count: usize,
    problems: Vec<ProblemLine>,
    preview: Vec<PreviewLine>,
    existing: usize,
    pending_id: Option<String>,
}

struct ProblemLine {
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
    exists: bool,
}

impl ImportPage {
    fn empty(user: &CurrentUser, tr: &Tr, organisation: &str) -> Self {
        ImportPage {
            tr: tr.clone(),
            username: user.user.username.clone(),
            csrf: user.csrf_token.clone(),
            organisation: organisation.to_string(),
            source: None,
            file_error: None,
            rows: 0,
            problem_count: 0,
            problems: Vec::new(),
            preview: Vec::new(),
            existing: 0,
            pending_id: None,
        }
    }
}

/// The user's own organisation, which every file action is about, once the user may do `action`
/// with it.
fn own_organisation_for(
    user: &CurrentUser,
    action: impl for<'a> Fn(&'a str) -> Action<'a>,
) -> Result<String, AppError> {
    let organisation = user.user.organisation.clone().ok_or(AppError::Forbidden(
        "files of cases are for coordinators and professionals",
    ))?;
    authorize(user, action(&organisation))?;
    Ok(organisation)
}

pub async fn import_form(user: CurrentUser, tr: Tr) -> Result<Html<String>, AppError> {
    let organisation = own_organisation_for(&user, |organisation| Action::Import { organisation })?;
    Ok(Html(render(&ImportPage::empty(&user, &tr, &organisation))))
}

/// What the upload form sent.
struct Upload {
    csrf: String,
    file_name: String,
    bytes: Vec<u8>,
}

async fn read_upload(mut multipart: Multipart, tr: &Tr) -> Result<Upload, String> {
    let mut upload = Upload {
        csrf: String::new(),
        file_name: String::new(),
        bytes: Vec::new(),
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
        match field.name() {
            Some("csrf") => upload.csrf = field.text().await.unwrap_or_default(),
            Some("file") => {
                upload.file_name = field.file_name().unwrap_or_default().to_string();
                upload.bytes = match field.bytes().await {
                    Ok(bytes) => bytes.to_vec(),
                    Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                        return Err(too_large());
                    }
                    Err(_) => {
                        return Err(tr.t("import-file-broken"));
                    }
                };
            }
            _ => {}
        }
    }
    Ok(upload)
}

/// Every case of a file, or every problem in it. Rows of another organisation are problems too:
/// a user imports for the own organisation only.
fn check_file(
    file_name: &str,
    bytes: Vec<u8>,
    organisation: &str,
    tr: &Tr,
) -> Result<Result<Vec<Case>, Vec<LineError>>, String> {
    // The extension decides, and a workbook is recognised by its zip signature when the name
    // says nothing useful.
    let format = FileFormat::from_path(std::path::Path::new(file_name)).unwrap_or(
        if bytes.starts_with(b"PK\x03\x04") {
            FileFormat::Xlsx
        } else {
            FileFormat::Csv
        },
    );
    let opened = match format {
        FileFormat::Csv => {
            CaseReader::csv(std::io::Cursor::new(bytes)).map(|r| r.map(ReaderKind::Csv))
        }
        FileFormat::Xlsx => CaseReader::xlsx(bytes).map(|r| r.map(ReaderKind::Xlsx)),
    };
    let reader = match opened {
        Ok(Ok(reader)) => reader,
        Ok(Err(problems)) => return Ok(Err(problems)),
        Err(error) => return Err(tr.t1("import-unreadable", "error", error.to_string())),
    };
    let mut cases = Vec::new();
    let mut problems = Vec::new();
    let mut take = |line: u64, row: Result<Case, Vec<LineError>>| match row {
        Ok(case) if case.organisation.as_str() != organisation => problems.push(LineError::new(
            line,
            Some("organisation".to_string()),
            case.organisation.as_str(),
            dakwacht_core::Expected::OwnOrganisation {
                organisation: organisation.to_string(),
            },
        )),
        Ok(case) => cases.push(case),
        Err(errors) => problems.extend(errors),
    };
    match reader {
        ReaderKind::Csv(reader) => {
            for (line, row) in reader {
                take(line, row);
            }
        }
        ReaderKind::Xlsx(reader) => {
            for (line, row) in reader {
                take(line, row);
            }
        }
    }
    if problems.is_empty() {
        Ok(Ok(cases))
    } else {
        Ok(Err(problems))
    }
}

enum ReaderKind {
    Csv(CaseReader<std::io::Cursor<Vec<u8>>>),
    Xlsx(CaseReader<std::io::Empty>),
}

/// Reads and checks an uploaded file and shows the result; stores nothing.
pub async fn upload<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    user: CurrentUser,
    tr: Tr,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let organisation = own_organisation_for(&user, |organisation| Action::Import { organisation })?;
    let mut page = ImportPage::empty(&user, &tr, &organisation);
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
    let file_name = upload.file_name.clone();
    let own = organisation.clone();
    let reader = tr.clone();
    let checked = tokio::task::spawn_blocking(move || {
        check_file(&upload.file_name, upload.bytes, &own, &reader)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    page.source = Some(file_name.clone());
    let cases = match checked {
        Err(message) => {
            page.file_error = Some(message);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(render(&page))).into_response());
        }
        Ok(Err(problems)) => {
            page.problem_count = problems.len();
            page.problems = problems
                .into_iter()
                .take(PROBLEMS_SHOWN)
                .map(|p| ProblemLine {
                    line: p.line,
                    column: p.column.unwrap_or_default(),
                    value: p.value.chars().take(80).collect(),
                    expected: p.expected.text(tr.lang),
                })
                .collect();
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(render(&page))).into_response());
        }
        Ok(Ok(cases)) => cases,
    };
    page.rows = cases.len();
    for case in &cases {
        let exists = state
            .store
            .case_version(&organisation, case.case_ref.as_str())
            .await?
            .is_some();
        page.existing += usize::from(exists);
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
                exists,
            });
        }
    }
    if !cases.is_empty() {
        let id = crate::auth::random_token()?;
        state.pending_imports.put(
            id.clone(),
            Pending {
                username: user.user.username.clone(),
                organisation: organisation.clone(),
                source: file_name,
                cases,
                since: Instant::now(),
            },
        );
        page.pending_id = Some(id);
    }
    Ok(Html(render(&page)).into_response())
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    csrf: String,
    pending: String,
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
}

/// Stores a previewed file: all of it, in one transaction, or nothing.
pub async fn confirm<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    user: CurrentUser,
    tr: Tr,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, AppError> {
    user.check_csrf(&form.csrf)?;
    let organisation = own_organisation_for(&user, |organisation| Action::Import { organisation })?;
    let Some(pending) = state
        .pending_imports
        .take(&form.pending, &user.user.username)
        .filter(|p| p.organisation == organisation)
    else {
        let page = crate::pages::MessagePage {
            title: tr.t("import-expired-title"),
            message: tr.t("import-expired"),
            tr,
        };
        return Ok((StatusCode::GONE, Html(render(&page))).into_response());
    };
    let (sender, receiver) = mpsc::channel(2);
    let cases = pending.cases;
    let feed = async move {
        // The receiver lives in the store's import; if it stops early the send fails, and the
        // import rolls back because no Commit arrives.
        if sender.send(ImportMessage::Cases(cases)).await.is_ok() {
            let _ = sender.send(ImportMessage::Commit).await;
        }
    };
    let actor = user.actor();
    let (stored, ()) = tokio::join!(state.store.import(&actor, &pending.source, receiver), feed);
    match stored {
        Ok(summary) => Ok(Html(render(&ImportedPage {
            tr,
            username: user.user.username.clone(),
            csrf: user.csrf_token.clone(),
            source: pending.source,
            created: summary.created,
            updated: summary.updated,
            unchanged: summary.unchanged,
        }))
        .into_response()),
        Err(StoreError::ImportAborted) => Err(AppError::Internal("import aborted".into())),
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    format: Option<String>,
}

/// The organisation's cases as an interchange file.
pub async fn export<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    user: CurrentUser,
    Query(query): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let organisation = own_organisation_for(&user, |organisation| Action::Export { organisation })?;
    let xlsx_wanted = query.format.as_deref() == Some("xlsx");
    let filter = CaseFilter {
        organisation: Some(organisation.clone()),
        ..CaseFilter::default()
    };
    let extra = state.store.extra_columns(&filter).await?;
    let (sender, mut receiver) = mpsc::channel::<Vec<Case>>(4);
    let collect = async {
        let mut cases = Vec::new();
        while let Some(batch) = receiver.recv().await {
            cases.extend(batch);
        }
        cases
    };
    let (count, cases) = tokio::join!(state.store.export(&filter, sender), collect);
    let count = count?;
    state
        .store
        .audit(
            &AuditEntry::new(&user.actor(), AuditAction::Export)
                .organisation(&organisation)
                .detail(format!(
                    "{count} case(s) as {}",
                    if xlsx_wanted { "xlsx" } else { "csv" }
                )),
        )
        .await?;
    let date = jiff::Zoned::now().date();
    let base = format!("dakwacht-{}-{date}", file_name_part(&organisation));
    let body = tokio::task::spawn_blocking(move || {
        let mut rows = std::iter::once(dakwacht_interchange::header(&extra)).chain(
            cases
                .iter()
                .map(|case| dakwacht_interchange::export_cells(case, &extra)),
        );
        if xlsx_wanted {
            xlsx::write_workbook(&mut rows).map_err(|e| e.to_string())
        } else {
            let mut writer = csv::Writer::from_writer(Vec::new());
            for row in rows {
                writer.write_record(&row).map_err(|e| e.to_string())?;
            }
            writer.into_inner().map_err(|e| e.to_string())
        }
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(AppError::Internal)?;
    let (content_type, extension) = if xlsx_wanted {
        (XLSX_TYPE, "xlsx")
    } else {
        ("text/csv; charset=utf-8", "csv")
    };
    Ok(attachment(
        content_type,
        &format!("{base}.{extension}"),
        body,
    ))
}

const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// An empty workbook with the columns and drop-down lists (no case data: not audited).
pub async fn template(_user: CurrentUser) -> Result<Response, AppError> {
    let body = xlsx::template_workbook().map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(attachment(XLSX_TYPE, "dakwacht-sjabloon.xlsx", body))
}

fn attachment(content_type: &str, file_name: &str, body: Vec<u8>) -> Response {
    (
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
        .into_response()
}

/// An organisation name made safe for a file name: letters and digits, the rest becomes `-`.
fn file_name_part(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}
