//! `dakwacht export`: the stored cases as an interchange CSV or XLSX file.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use dakwacht_core::{Case, CaseFilter};
use dakwacht_interchange::{CsvCaseWriter, XlsxCaseWriter};
use dakwacht_store::{AuditAction, AuditEntry, Store};
use tokio::sync::mpsc;

use crate::FileFormatArg;

pub async fn run<S: Store>(
    store: &S,
    format: FileFormatArg,
    output: Option<&Path>,
    filter: &CaseFilter,
) -> anyhow::Result<()> {
    let extra = store.extra_columns(filter).await?;
    let (sender, receiver) = mpsc::channel::<Vec<Case>>(4);
    let export = store.export(filter, sender);

    let count = match format {
        FileFormatArg::Csv => {
            let out: Box<dyn Write + Send> = match output {
                Some(path) => Box::new(std::io::BufWriter::new(
                    // Case data: readable by the owner only.
                    dakwacht_store::create_private(path)
                        .with_context(|| format!("cannot create {}", path.display()))?,
                )),
                None => Box::new(std::io::BufWriter::new(std::io::stdout())),
            };
            let mut writer = CsvCaseWriter::new(out, extra)?;
            let write = async {
                // Owned here, so that a write error drops it and the store stops sending.
                let mut receiver = receiver;
                while let Some(batch) = receiver.recv().await {
                    for case in &batch {
                        writer.write(case)?;
                    }
                }
                anyhow::Ok(())
            };
            let (exported, written) = tokio::join!(export, write);
            let count = exported?;
            written?;
            writer.finish()?.flush()?;
            count
        }
        FileFormatArg::Xlsx => {
            let path = output.context("an XLSX export needs --output FILE")?;
            // Rows go to the workbook's temporary sheet file as the store's batches arrive;
            // only the workbook being zipped at the end touches `path`.
            let mut writer = XlsxCaseWriter::new(extra)?;
            let write = async {
                // Owned here, so that a write error drops it and the store stops sending.
                let mut receiver = receiver;
                while let Some(batch) = receiver.recv().await {
                    for case in &batch {
                        writer.write(case)?;
                    }
                }
                anyhow::Ok(())
            };
            let (exported, written) = tokio::join!(export, write);
            let count = exported?;
            written?;
            // Readable by the owner only: an export holds case data.
            let file = dakwacht_store::create_private(path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            let mut file = std::io::BufWriter::new(file);
            writer
                .finish(&mut file)
                .with_context(|| format!("cannot write {}", path.display()))?;
            file.flush()
                .with_context(|| format!("cannot write {}", path.display()))?;
            count
        }
    };
    let mut entry = AuditEntry::new(&crate::accounts::operator(), AuditAction::Export)
        .detail(format!("{count} case(s); {}", crate::report::scope(filter)));
    entry.organisation = filter.organisation.clone();
    store.audit(&entry).await?;
    Ok(())
}
