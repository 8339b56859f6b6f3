//! `dakwacht import FILE [--children FILE]`: validate a whole file (and its children file) and
//! store all of it, or nothing.
//!
//! Parsing runs on its own thread and hands batches of valid cases to the store, which writes them
//! inside one transaction while the rest of the file is still being read. As soon as a row has a
//! problem, no more cases are sent (the file will not be stored) but reading goes on, so that every
//! problem is reported at once; the transaction is then rolled back.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use dakwacht_app::{Acting, Error, ImportMessage, Principal, Store, StoreError};
use dakwacht_interchange::xlsx::SheetLimits;
use dakwacht_interchange::{
    CasesFile, ChildrenFile, FileFormat, FileKind, LineError, LineIndex, Reader,
};
use indicatif::{ProgressBar, ProgressStyle};
use tokio::sync::mpsc;

const BATCH: usize = 2000;
/// Problems printed; the count covers all of them. A hostile or badly broken file can hold
/// millions, and keeping every one would take gigabytes.
const PROBLEMS_LISTED: usize = 10_000;

/// What the reading thread found.
struct Reading {
    rows: u64,
    /// The first [`PROBLEMS_LISTED`] problems.
    errors: Vec<LineError>,
    /// Every problem, listed or not.
    problems: u64,
    /// Where each record is in the file, for problems the store finds.
    lines: Option<LineIndex>,
    /// The store stopped taking messages (it failed, and says why).
    store_gone: bool,
}

impl Reading {
    fn new(errors: Vec<LineError>) -> Self {
        let mut reading = Reading {
            rows: 0,
            errors: Vec::new(),
            problems: 0,
            lines: None,
            store_gone: false,
        };
        reading.add(errors);
        reading
    }

    fn add(&mut self, errors: Vec<LineError>) {
        self.problems += errors.len() as u64;
        let room = PROBLEMS_LISTED.saturating_sub(self.errors.len());
        self.errors.extend(errors.into_iter().take(room));
    }
}

/// Whoever runs the command line: the operator, who holds the database file and therefore
/// everything, recorded in the audit log under their operating-system user.
pub fn operator() -> Principal {
    Principal::Operator { os_user: os_user() }
}

pub fn os_user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into())
}

/// Works out the signals of the cases just stored, so that the first report after a large
/// import is as fast as every later one. The import is stored whatever happens here: signals
/// not kept now are worked out by the next count.
pub async fn keep_signals<S: Store>(acting: &Acting<S>, rules: &dakwacht_rules::RuleSet) {
    let started = std::time::Instant::now();
    match acting.keep_signals(rules).await {
        Ok(0) => {}
        Ok(cases) => println!(
            "Signals worked out and kept for {cases} case(s) ({:.1} s).",
            started.elapsed().as_secs_f64()
        ),
        Err(error) => eprintln!(
            "The signals of the stored cases were not worked out now ({error}); the next report does it."
        ),
    }
}

pub async fn run<S: Store>(
    acting: &Acting<S>,
    path: &Path,
    children: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let format = format_of(path)?;
    let children = children
        .map(|children| Ok::<_, anyhow::Error>((children.to_path_buf(), format_of(children)?)))
        .transpose()?;
    let size = std::fs::metadata(path)
        .with_context(|| format!("cannot open {}", path.display()))?
        .len();
    // CSV is read as a stream, so its progress is known in bytes; a workbook is checked whole
    // first and its rows come unzipped, so it only gets a spinner.
    let progress = match format {
        FileFormat::Csv => ProgressBar::new(size).with_style(
            ProgressStyle::with_template(
                "{spinner} {wide_bar} {bytes}/{total_bytes} ({eta}) {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        ),
        FileFormat::Xlsx => {
            let spinner = ProgressBar::new_spinner();
            spinner.enable_steady_tick(std::time::Duration::from_millis(120));
            spinner
        }
    };

    let (sender, receiver) = mpsc::channel::<ImportMessage>(4);
    let owned_path = path.to_path_buf();
    let bar = progress.clone();
    let reading = tokio::task::spawn_blocking(move || {
        let cases = read_file::<CasesFile>(&owned_path, format, &sender, &bar)?;
        let children = match children {
            Some((path, format)) if !cases.store_gone => {
                let read = read_file::<ChildrenFile>(&path, format, &sender, &bar)?;
                Some((path, read))
            }
            _ => None,
        };
        let valid = |reading: &Reading| reading.problems == 0 && !reading.store_gone;
        if valid(&cases) && children.as_ref().is_none_or(|(_, read)| valid(read)) {
            let _ = sender.blocking_send(ImportMessage::Commit);
        }
        // Dropping the sender without Commit rolls the store's transaction back.
        anyhow::Ok((cases, children))
    });

    let source = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let stored = acting.import(&source, receiver).await;
    let (reading, children) = reading
        .await
        .context("the file reader stopped unexpectedly")?
        .context("nothing was imported")?;
    progress.finish_and_clear();

    let mut problems = false;
    for (file, read) in std::iter::once((path, &reading))
        .chain(children.as_ref().map(|(file, read)| (file.as_path(), read)))
    {
        if read.problems > 0 {
            report_problems(file, read);
            problems = true;
        }
    }
    if problems {
        eprintln!("Correct the file(s) and import again: all of it is stored, or nothing.");
        return Ok(ExitCode::FAILURE);
    }
    match stored {
        Ok(summary) => {
            println!(
                "{}: {} case(s) read — {} created, {} updated, {} unchanged.",
                path.display(),
                reading.rows,
                summary.created,
                summary.updated,
                summary.unchanged
            );
            if let Some((file, read)) = &children {
                let counts = summary.children;
                println!(
                    "{}: {} child record(s) read — {} created, {} updated, {} unchanged.",
                    file.display(),
                    read.rows,
                    counts.created,
                    counts.updated,
                    counts.unchanged
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(Error::Store(StoreError::Rejected(rejections))) => {
            for case in &rejections.cases {
                let errors = match &reading.lines {
                    Some(lines) => lines.locate(&case.organisation, &case.case_ref, &case.errors),
                    None => Vec::new(),
                };
                for error in errors {
                    eprintln!(
                        "{}: {error} (with the values stored for this case)",
                        path.display()
                    );
                }
            }
            for child in &rejections.children {
                let key = (
                    child.organisation.as_str(),
                    child.case_ref.as_str(),
                    child.child_no,
                );
                let errors = match children.as_ref().and_then(|(_, read)| read.lines.as_ref()) {
                    Some(lines) => lines.locate_record(key, &child.errors),
                    None => Vec::new(),
                };
                let file = children.as_ref().map_or(path, |(file, _)| file.as_path());
                for error in errors {
                    eprintln!(
                        "{}: {error} (with the case as it would be stored)",
                        file.display()
                    );
                }
                if children.is_none() {
                    // A case file alone that leaves a stored child record without its place.
                    eprintln!(
                        "{}: case {} of {}: the stored record of child {} no longer fits it: {}",
                        path.display(),
                        child.case_ref,
                        child.organisation,
                        child.child_no,
                        child
                            .errors
                            .iter()
                            .map(|e| format!("{} '{}': {}", e.field.name(), e.value, e.expected))
                            .collect::<Vec<_>>()
                            .join("; ")
                    );
                }
            }
            eprintln!(
                "{} record(s) would break a rule together with what is stored (the fields a file leaves as they are, the case of a child); nothing was imported. Correct the values, add the missing columns or cases, and import again.",
                rejections.total
            );
            Ok(ExitCode::FAILURE)
        }
        Err(Error::Store(StoreError::ImportAborted)) => {
            anyhow::bail!("the import was interrupted; nothing was imported")
        }
        Err(error) => Err(error).context("nothing was imported"),
    }
}

fn format_of(path: &Path) -> anyhow::Result<FileFormat> {
    FileFormat::from_path(path).with_context(|| {
        format!(
            "{}: unknown file type; use a .csv or .xlsx file",
            path.display()
        )
    })
}

/// Prints the problems of one file, at most [`PROBLEMS_LISTED`] of them.
fn report_problems(path: &Path, reading: &Reading) {
    for error in &reading.errors {
        eprintln!("{}: {error}", path.display());
    }
    let unlisted = reading.problems - reading.errors.len() as u64;
    if unlisted > 0 {
        eprintln!(
            "{}: … and {unlisted} more problem(s), not listed",
            path.display()
        );
    }
    eprintln!(
        "{}: {} problem(s) found; nothing was imported.",
        path.display(),
        reading.problems
    );
}

/// What the import stream carries of one kind of file.
trait Imported: FileKind + Sized {
    /// The file's columns, sent before its records.
    fn columns<R: std::io::Read>(reader: &Reader<R, Self>) -> ImportMessage;
    /// A batch of its records.
    fn records(batch: Vec<Self::Record>) -> ImportMessage;
}

impl Imported for CasesFile {
    fn columns<R: std::io::Read>(reader: &Reader<R, Self>) -> ImportMessage {
        ImportMessage::Columns(reader.column_set())
    }

    fn records(batch: Vec<Self::Record>) -> ImportMessage {
        ImportMessage::Cases(batch)
    }
}

impl Imported for ChildrenFile {
    fn columns<R: std::io::Read>(reader: &Reader<R, Self>) -> ImportMessage {
        ImportMessage::ChildColumns(reader.column_set())
    }

    fn records(batch: Vec<Self::Record>) -> ImportMessage {
        ImportMessage::Children(batch)
    }
}

fn read_file<K: Imported>(
    path: &Path,
    format: FileFormat,
    sender: &mpsc::Sender<ImportMessage>,
    progress: &ProgressBar,
) -> anyhow::Result<Reading> {
    let open_error = || format!("cannot read {}", path.display());
    let file = std::fs::File::open(path).with_context(open_error)?;
    match format {
        FileFormat::Csv => match Reader::<_, K>::csv(file).with_context(open_error)? {
            Ok(reader) => Ok(send_rows(reader, sender, progress)),
            Err(errors) => Ok(Reading::new(errors)),
        },
        FileFormat::Xlsx => {
            let workbook = std::io::BufReader::new(file);
            match Reader::<_, K>::xlsx_from(workbook, SheetLimits::default())
                .with_context(open_error)?
            {
                Ok(reader) => Ok(send_rows(reader, sender, progress)),
                Err(errors) => Ok(Reading::new(errors)),
            }
        }
    }
}

/// Sends the valid records of a file in batches while reading it whole; after the first
/// problem nothing more is sent (the import will not be committed), but every problem is
/// found.
fn send_rows<R: std::io::Read, K: Imported>(
    mut reader: Reader<R, K>,
    sender: &mpsc::Sender<ImportMessage>,
    progress: &ProgressBar,
) -> Reading {
    let mut reading = Reading::new(Vec::new());
    let mut batch = Vec::with_capacity(BATCH);
    // A stored record keeps the fields whose column this file does not have.
    reading.store_gone = sender.blocking_send(K::columns(&reader)).is_err();
    progress.set_position(0);
    while let Some((_, row)) = reader.next() {
        reading.rows += 1;
        match row {
            Ok(record) if reading.problems == 0 && !reading.store_gone => {
                batch.push(record);
                if batch.len() == BATCH {
                    let full = std::mem::take(&mut batch);
                    reading.store_gone = sender.blocking_send(K::records(full)).is_err();
                    progress.set_position(reader.bytes_read());
                }
            }
            Ok(_) => {}
            Err(errors) => reading.add(errors),
        }
        if reading.rows.is_multiple_of(8192) {
            progress.set_position(reader.bytes_read());
        }
    }
    if reading.problems == 0 && !reading.store_gone && !batch.is_empty() {
        reading.store_gone = sender.blocking_send(K::records(batch)).is_err();
    }
    reading.lines = Some(reader.into_line_index());
    reading
}
