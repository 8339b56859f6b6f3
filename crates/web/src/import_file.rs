//! An upload (a cases file, and its children: a file beside it or the workbook's sheet
//! `kinderen`), read in batches on a blocking thread: for the preview (checked against what is
//! stored, batch by batch) and for storing it after confirmation. Only the uploaded bytes are
//! kept between the two, never a million parsed cases.

use std::sync::Arc;

use dakwacht_core::{Case, ChildColumnSet, ChildRow, ColumnSet, Expected};
use dakwacht_interchange::xlsx::{self, SheetLimits, WhichSheet};
use dakwacht_interchange::{
    CasesFile, ChildrenFile, FileFormat, FileKind, LineError, LineIndex, Reader,
};
use tokio::sync::mpsc;

/// Rows per batch: one store lookup each.
const BATCH: usize = 1000;

/// Rows a workbook uploaded in the browser may have, the header included. A larger file is a job
/// for `dakwacht import` on the server; the limit also ends the check of a junk workbook (a
/// million rows inside every other limit) within seconds instead of the better part of a minute.
pub const UPLOAD_ROWS: u64 = 200_001;

/// The uploaded bytes, shared between the preview and the confirmation without a copy.
struct Shared(Arc<Vec<u8>>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        self.0.as_slice()
    }
}

/// Which of the upload's two files a message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Cases,
    Children,
}

/// What the reading thread reports, in this order: the cases file's columns (or why it cannot be
/// read), batches of its rows, where each case is in it; then the same of the children file, when
/// the upload has one.
pub enum FileMessage {
    /// A file cannot be read at all (not a workbook, broken CSV, too large): the reason.
    Unreadable(Part, String),
    /// A header's problems: no rows of that file follow.
    Header(Part, Vec<LineError>),
    Columns(ColumnSet),
    /// Rows of the own organisation, with their lines; problems of rows, by line.
    Rows {
        cases: Vec<(u64, Case)>,
        problems: Vec<LineError>,
    },
    End(LineIndex),
    ChildColumns(ChildColumnSet),
    ChildRows {
        rows: Vec<(u64, ChildRow)>,
        problems: Vec<LineError>,
    },
    ChildEnd(LineIndex),
}

/// Where an upload's children are.
#[derive(Clone)]
pub enum ChildrenSource {
    /// Only cases.
    None,
    /// The sheet `kinderen` of the cases workbook.
    SameWorkbook,
    /// A file of their own.
    File(FileFormat, Arc<Vec<u8>>),
}

/// What the reading thread sends of one kind of file.
trait Sent: FileKind + Sized {
    const PART: Part;
    fn columns<R: std::io::Read>(reader: &Reader<R, Self>) -> FileMessage;
    fn rows(rows: Vec<(u64, Self::Record)>, problems: Vec<LineError>) -> FileMessage;
    fn end(index: LineIndex) -> FileMessage;
}

impl Sent for CasesFile {
    const PART: Part = Part::Cases;
    fn columns<R: std::io::Read>(reader: &Reader<R, Self>) -> FileMessage {
        FileMessage::Columns(reader.column_set())
    }
    fn rows(cases: Vec<(u64, Case)>, problems: Vec<LineError>) -> FileMessage {
        FileMessage::Rows { cases, problems }
    }
    fn end(index: LineIndex) -> FileMessage {
        FileMessage::End(index)
    }
}

impl Sent for ChildrenFile {
    const PART: Part = Part::Children;
    fn columns<R: std::io::Read>(reader: &Reader<R, Self>) -> FileMessage {
        FileMessage::ChildColumns(reader.column_set())
    }
    fn rows(rows: Vec<(u64, ChildRow)>, problems: Vec<LineError>) -> FileMessage {
        FileMessage::ChildRows { rows, problems }
    }
    fn end(index: LineIndex) -> FileMessage {
        FileMessage::ChildEnd(index)
    }
}

/// Whether an uploaded workbook holds a sheet `kinderen` (within the upload's limits; a
/// workbook that cannot be opened has none here and is refused when its cases are read).
pub fn has_children_sheet(bytes: &Arc<Vec<u8>>) -> bool {
    let limits = upload_limits();
    xlsx::has_sheet(
        std::io::Cursor::new(bytes.as_slice()),
        &limits,
        WhichSheet::Children,
    )
    .unwrap_or(false)
}

fn upload_limits() -> SheetLimits {
    SheetLimits {
        max_rows: UPLOAD_ROWS,
        ..SheetLimits::default()
    }
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

/// Starts reading the upload on a blocking thread: the cases file, then its children. Rows of
/// another organisation are problems: a user imports for the own organisation only.
pub fn read(
    format: FileFormat,
    bytes: Arc<Vec<u8>>,
    children: ChildrenSource,
    organisation: String,
) -> mpsc::Receiver<FileMessage> {
    let (sender, receiver) = mpsc::channel(2);
    tokio::task::spawn_blocking(move || {
        if !read_part::<CasesFile>(format, bytes.clone(), &organisation, &sender) {
            return;
        }
        let _ = match children {
            ChildrenSource::None => true,
            ChildrenSource::SameWorkbook => {
                read_part::<ChildrenFile>(FileFormat::Xlsx, bytes, &organisation, &sender)
            }
            ChildrenSource::File(format, bytes) => {
                read_part::<ChildrenFile>(format, bytes, &organisation, &sender)
            }
        };
    });
    receiver
}

/// Reads one file of the upload to its end; whether the receiver still listens.
fn read_part<K: Sent>(
    format: FileFormat,
    bytes: Arc<Vec<u8>>,
    organisation: &str,
    sender: &mpsc::Sender<FileMessage>,
) -> bool {
    let outcome = match format {
        FileFormat::Csv => match Reader::<_, K>::csv(std::io::Cursor::new(bytes.as_slice())) {
            Ok(opened) => send_rows(opened, organisation, sender),
            Err(error) => Err(error.to_string()),
        },
        FileFormat::Xlsx => {
            match Reader::<_, K>::xlsx_from(std::io::Cursor::new(Shared(bytes)), upload_limits()) {
                Ok(opened) => send_rows(opened, organisation, sender),
                Err(error) => Err(error.to_string()),
            }
        }
    };
    match outcome {
        Ok(listening) => listening,
        Err(reason) => sender
            .blocking_send(FileMessage::Unreadable(K::PART, reason))
            .is_ok(),
    }
}

/// Sends a file's columns, rows and line index; whether the receiver still listens.
fn send_rows<R: std::io::Read, K: Sent>(
    opened: Result<Reader<R, K>, Vec<LineError>>,
    organisation: &str,
    sender: &mpsc::Sender<FileMessage>,
) -> Result<bool, String> {
    let mut reader = match opened {
        Ok(reader) => reader,
        Err(problems) => {
            return Ok(sender
                .blocking_send(FileMessage::Header(K::PART, problems))
                .is_ok());
        }
    };
    if sender.blocking_send(K::columns(&reader)).is_err() {
        return Ok(false);
    }
    let mut records = Vec::with_capacity(BATCH);
    let mut problems = Vec::new();
    for (line, row) in reader.by_ref() {
        match row {
            Ok(record) if K::key(&record).0 != organisation => {
                problems.push(LineError::new(
                    line,
                    Some("organisation".to_string()),
                    K::key(&record).0,
                    Expected::OwnOrganisation {
                        organisation: organisation.to_string(),
                    },
                ));
            }
            Ok(record) => records.push((line, record)),
            Err(errors) => problems.extend(errors),
        }
        if records.len() == BATCH {
            let batch = K::rows(std::mem::take(&mut records), std::mem::take(&mut problems));
            if sender.blocking_send(batch).is_err() {
                return Ok(false);
            }
        }
    }
    Ok(sender.blocking_send(K::rows(records, problems)).is_ok()
        && sender
            .blocking_send(K::end(reader.into_line_index()))
            .is_ok())
}
