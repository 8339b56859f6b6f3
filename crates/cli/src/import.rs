//! `dakwacht import FILE`: validate a whole file and store all of it, or nothing.
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
use dakwacht_interchange::{CaseReader, FileFormat, LineError, LineIndex};
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
    /// Where each case is in the file, for problems the store finds.
    lines: Option<LineIndex>,
}

impl Reading {
    fn new(errors: Vec<LineError>) -> Self {
        let mut reading = Reading {
            rows: 0,
            errors: Vec::new(),
            problems: 0,
            lines: None,
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

pub async fn run<S: Store>(acting: &Acting<S>, path: &Path) -> anyhow::Result<ExitCode> {
    let format = FileFormat::from_path(path).with_context(|| {
        format!(
            "{}: unknown file type; use a .csv or .xlsx file",
            path.display()
        )
    })?;
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
    let reading = tokio::task::spawn_blocking(move || read_file(&owned_path, format, sender, &bar));

    let source = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let stored = acting.import(&source, receiver).await;
    let reading = reading
        .await
        .context("the file reader stopped unexpectedly")?
        .context("nothing was imported")?;
    progress.finish_and_clear();

    if reading.problems > 0 {
        for error in &reading.errors {
            eprintln!("{error}");
        }
        let unlisted = reading.problems - reading.errors.len() as u64;
        if unlisted > 0 {
            eprintln!("… and {unlisted} more problem(s), not listed");
        }
        eprintln!(
            "{}: {} problem(s) found; nothing was imported. Correct the file and import it again.",
            path.display(),
            reading.problems
        );
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
            Ok(ExitCode::SUCCESS)
        }
        Err(Error::Store(StoreError::Rejected(rejections))) => {
            for case in &rejections.cases {
                let errors = match &reading.lines {
                    Some(lines) => lines.locate(&case.organisation, &case.case_ref, &case.errors),
                    None => Vec::new(),
                };
                for error in errors {
                    eprintln!("{error} (with the values stored for this case)");
                }
            }
            eprintln!(
                "{}: {} case(s) would break a rule together with the fields this file leaves as they are; nothing was imported. Add the missing columns or correct the values and import it again.",
                path.display(),
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

fn read_file(
    path: &Path,
    format: FileFormat,
    sender: mpsc::Sender<ImportMessage>,
    progress: &ProgressBar,
) -> anyhow::Result<Reading> {
    let open_error = || format!("cannot read {}", path.display());
    match format {
        FileFormat::Csv => {
            let file = std::fs::File::open(path).with_context(open_error)?;
            match CaseReader::csv(file).with_context(open_error)? {
                Ok(reader) => Ok(send_rows(reader, sender, progress)),
                Err(errors) => Ok(Reading::new(errors)),
            }
        }
        FileFormat::Xlsx => {
            let file = std::fs::File::open(path).with_context(open_error)?;
            let workbook = std::io::BufReader::new(file);
            match CaseReader::xlsx_from(workbook, SheetLimits::default())
                .with_context(open_error)?
            {
                Ok(reader) => Ok(send_rows(reader, sender, progress)),
                Err(errors) => Ok(Reading::new(errors)),
            }
        }
    }
}

fn send_rows<R: std::io::Read>(
    mut reader: CaseReader<R>,
    sender: mpsc::Sender<ImportMessage>,
    progress: &ProgressBar,
) -> Reading {
    let mut reading = Reading::new(Vec::new());
    let mut batch = Vec::with_capacity(BATCH);
    // A stored case keeps the fields whose column this file does not have.
    let mut store_gone = sender
        .blocking_send(ImportMessage::Columns(reader.column_set()))
        .is_err();
    while let Some((_, row)) = reader.next() {
        reading.rows += 1;
        match row {
            Ok(case) if reading.problems == 0 && !store_gone => {
                batch.push(case);
                if batch.len() == BATCH {
                    store_gone = sender
                        .blocking_send(ImportMessage::Cases(std::mem::take(&mut batch)))
                        .is_err();
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
    if reading.problems == 0 && !store_gone {
        if !batch.is_empty() {
            let _ = sender.blocking_send(ImportMessage::Cases(batch));
        }
        let _ = sender.blocking_send(ImportMessage::Commit);
    }
    // Dropping the sender without Commit rolls the store's transaction back.
    reading.lines = Some(reader.into_line_index());
    reading
}
