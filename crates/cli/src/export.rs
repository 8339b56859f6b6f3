//! `dakwacht export`: the stored cases as an interchange CSV or XLSX file.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use dakwacht_core::{Case, CaseFilter};
use dakwacht_interchange::{CsvCaseWriter, export_cells, header, xlsx};
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
    let (sender, mut receiver) = mpsc::channel::<Vec<Case>>(4);
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
            let mut rows = vec![header(&extra)];
            let collect = async {
                while let Some(batch) = receiver.recv().await {
                    rows.extend(batch.iter().map(|case| export_cells(case, &extra)));
                }
            };
            let (exported, ()) = tokio::join!(export, collect);
            let count = exported?;
            let bytes = xlsx::write_workbook(rows.into_iter())?;
            dakwacht_store::create_private(path)
                .and_then(|mut file| file.write_all(&bytes))
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
