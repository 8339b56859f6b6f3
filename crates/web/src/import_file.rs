//! An uploaded file, read in batches on a blocking thread: for the preview (checked against what
//! is stored, batch by batch) and for storing it after confirmation. Only the uploaded bytes are
//! kept between the two, never a million parsed cases.

use dakwacht_core::{Case, ColumnSet, Expected};
use dakwacht_interchange::xlsx::SheetLimits;
use dakwacht_interchange::{CaseReader, FileFormat, LineError, LineIndex};
use tokio::sync::mpsc;

/// Rows per batch: one store lookup each.
const BATCH: usize = 1000;

/// Rows a workbook uploaded in the browser may have, the header included. A larger file is a job
/// for `dakwacht import` on the server; the limit also ends the check of a junk workbook (a
/// million rows inside every other limit) within seconds instead of the better part of a minute.
pub const UPLOAD_ROWS: u64 = 200_001;

/// The uploaded bytes, shared between the preview and the confirmation without a copy.
struct Shared(std::sync::Arc<Vec<u8>>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        self.0.as_slice()
    }
}

/// What the reading thread reports, in this order: the columns (or why the file cannot be read),
/// batches of rows, and at the end where each case is in the file.
pub enum FileMessage {
    /// The file cannot be read at all (not a workbook, broken CSV, too large): the reason.
    Unreadable(String),
    /// The header's problems: no rows follow.
    Header(Vec<LineError>),
    Columns(ColumnSet),
    /// Rows of the own organisation, with their lines; problems of rows, by line.
    Rows {
        cases: Vec<(u64, Case)>,
        problems: Vec<LineError>,
    },
    End(LineIndex),
}

/// The format of an upload: the extension decides, and a workbook is recognised by its zip
/// signature when the name says nothing useful.
pub fn format_of(file_name: &str, bytes: &[u8]) -> FileFormat {
    FileFormat::from_path(std::path::Path::new(file_name)).unwrap_or(
        if bytes.starts_with(b"PK\x03\x04") {
            FileFormat::Xlsx
        } else {
            FileFormat::Csv
        },
    )
}

/// Starts reading `bytes` on a blocking thread. Rows of another organisation are problems: a user
/// imports for the own organisation only.
pub fn read(
    format: FileFormat,
    bytes: std::sync::Arc<Vec<u8>>,
    organisation: String,
) -> mpsc::Receiver<FileMessage> {
    let (sender, receiver) = mpsc::channel(2);
    tokio::task::spawn_blocking(move || {
        let outcome = match format {
            FileFormat::Csv => match CaseReader::csv(std::io::Cursor::new(bytes.as_slice())) {
                Ok(opened) => send_rows(opened, &organisation, &sender),
                Err(error) => Err(error.to_string()),
            },
            FileFormat::Xlsx => match CaseReader::xlsx_from(
                std::io::Cursor::new(Shared(bytes)),
                SheetLimits {
                    max_rows: UPLOAD_ROWS,
                    ..SheetLimits::default()
                },
            ) {
                Ok(opened) => send_rows(opened, &organisation, &sender),
                Err(error) => Err(error.to_string()),
            },
        };
        if let Err(reason) = outcome {
            let _ = sender.blocking_send(FileMessage::Unreadable(reason));
        }
    });
    receiver
}

fn send_rows<R: std::io::Read>(
    opened: Result<CaseReader<R>, Vec<LineError>>,
    organisation: &str,
    sender: &mpsc::Sender<FileMessage>,
) -> Result<(), String> {
    let mut reader = match opened {
        Ok(reader) => reader,
        Err(problems) => {
            let _ = sender.blocking_send(FileMessage::Header(problems));
            return Ok(());
        }
    };
    if sender
        .blocking_send(FileMessage::Columns(reader.column_set()))
        .is_err()
    {
        return Ok(());
    }
    let mut cases = Vec::with_capacity(BATCH);
    let mut problems = Vec::new();
    for (line, row) in reader.by_ref() {
        match row {
            Ok(case) if case.organisation.as_str() != organisation => {
                problems.push(LineError::new(
                    line,
                    Some("organisation".to_string()),
                    case.organisation.as_str(),
                    Expected::OwnOrganisation {
                        organisation: organisation.to_string(),
                    },
                ));
            }
            Ok(case) => cases.push((line, case)),
            Err(errors) => problems.extend(errors),
        }
        if cases.len() == BATCH {
            let batch = FileMessage::Rows {
                cases: std::mem::take(&mut cases),
                problems: std::mem::take(&mut problems),
            };
            if sender.blocking_send(batch).is_err() {
                return Ok(());
            }
        }
    }
    let last = FileMessage::Rows { cases, problems };
    if sender.blocking_send(last).is_ok() {
        let _ = sender.blocking_send(FileMessage::End(reader.into_line_index()));
    }
    Ok(())
}
