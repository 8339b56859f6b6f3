//! `dakwacht retention [--years N] [--apply]`: the closed cases past the retention period,
//! listed (a dry run, the default) or deleted (AVG art. 5 lid 1 e; see the README).

use std::process::ExitCode;

use dakwacht_app::{Acting, Store};
use dakwacht_core::Retention;
use dakwacht_core::control::escape_controls;

/// `--years`: a whole number of years, 1 to 30.
pub fn parse_years(text: &str) -> Result<u8, String> {
    let years: u8 = text
        .trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a number of years (1 to 30)"))?;
    Retention::years(years).map(Retention::in_years)
}

pub async fn run<S: Store>(acting: &Acting<S>, years: u8, apply: bool) -> anyhow::Result<ExitCode> {
    let retention = Retention::years(years).map_err(anyhow::Error::msg)?;
    let run = acting
        .retention(retention, dakwacht_app::today(), apply)
        .await?;
    println!(
        "Retention: {} year(s) after closing; cases closed on or before {} are past it.",
        retention.in_years(),
        run.last_day
    );
    for case in &run.cases {
        println!(
            "  {}/{}  closed on {} ({})",
            escape_controls(&case.organisation),
            escape_controls(&case.case_ref),
            case.closure.on,
            case.closure.reason.code()
        );
    }
    match run.deleted {
        None => println!(
            "Dry run: nothing was deleted. {} case(s) would be deleted; run again with --apply to delete them.",
            run.cases.len()
        ),
        Some(deleted) => println!(
            "Deleted {} case(s), with {} observation(s), {} child record(s), {} assessment(s) and {} history entries.",
            deleted.cases,
            deleted.observations,
            deleted.children,
            deleted.assessments,
            deleted.history_entries
        ),
    }
    Ok(ExitCode::SUCCESS)
}
