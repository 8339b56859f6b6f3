//! Breakdowns (issue 17.3): every quickscan and child measure per municipality, organisation, or
//! quarter or year of `home_lost_on`, with the same definitions as over the whole selection.
//!
//! Each row is the selection narrowed to that municipality, organisation or period and counted
//! as the report counts it, so a row can never mean anything else than the report's figures
//! over that row's cases.

use dakwacht_core::access::Action;
use dakwacht_core::{BreakdownBy, CaseFilter, Lang, period_of_month};
use dakwacht_stats::Measure;
use dakwacht_store::{AuditAction, Store};

use crate::{Acting, Error};

/// The measures over one row's cases.
pub struct RowFigures {
    /// The municipality, organisation or period (`2024-K4`, `2024`).
    pub label: String,
    /// The selection narrowed to this row.
    pub filter: CaseFilter,
    pub measures: Vec<Measure>,
    pub child_measures: Vec<Measure>,
}

/// The measures per row of a breakdown, not for publication (as the report counts them).
pub struct BreakdownFigures {
    /// The selection as counted.
    pub filter: CaseFilter,
    pub by: BreakdownBy,
    /// Rows with cases, in order: municipalities and organisations by name, periods in time.
    pub rows: Vec<RowFigures>,
    /// Cases of the selection in no row: municipality or `home_lost_on` unknown.
    pub not_in_any_row: u64,
}

impl<S: Store> Acting<S> {
    /// Every measure over `filter` per row of `by` (audited as `what`, once). Labels of periods
    /// in `lang` (`K` or `Q` for a quarter). Refused to researchers, as the figures as counted
    /// are.
    pub async fn breakdown(
        &self,
        filter: CaseFilter,
        by: BreakdownBy,
        lang: Lang,
        what: &str,
    ) -> Result<BreakdownFigures, Error> {
        self.allow(Action::UnprotectedStatistics).await?;
        let filter = self.countable(filter).await?;
        let store = self.store();
        let rows: Vec<(String, CaseFilter)> = match by {
            BreakdownBy::Municipality => store
                .municipalities(&filter)
                .await?
                .into_iter()
                .map(|(name, _)| {
                    let narrowed = CaseFilter {
                        municipality: Some(name.clone()),
                        ..filter.clone()
                    };
                    (name, narrowed)
                })
                .collect(),
            BreakdownBy::Organisation => {
                let names = match &filter.organisation {
                    Some(own) => vec![own.clone()],
                    None => store.organisations().await?,
                };
                names
                    .into_iter()
                    .map(|name| {
                        let narrowed = CaseFilter {
                            organisation: Some(name.clone()),
                            ..filter.clone()
                        };
                        (name, narrowed)
                    })
                    .collect()
            }
            BreakdownBy::Quarter | BreakdownBy::Year => {
                let mut periods: Vec<(String, CaseFilter)> = Vec::new();
                for (month, _) in store.home_losses_by_month(&filter).await? {
                    let Some((label, first, last)) = period_of_month(&month, by, lang) else {
                        continue;
                    };
                    if periods.last().is_some_and(|(seen, _)| *seen == label) {
                        continue;
                    }
                    // The period within the selection's own dates.
                    let narrowed = CaseFilter {
                        home_lost_from: Some(filter.home_lost_from.map_or(first, |f| f.max(first))),
                        home_lost_to: Some(filter.home_lost_to.map_or(last, |t| t.min(last))),
                        ..filter.clone()
                    };
                    periods.push((label, narrowed));
                }
                periods
            }
        };

        let all: u64 = store
            .profile_counts(&filter)
            .await?
            .iter()
            .map(|p| p.cases)
            .sum();
        let mut in_rows = 0;
        let mut counted = Vec::with_capacity(rows.len());
        for (label, narrowed) in rows {
            let (profiles, municipalities, children) = tokio::try_join!(
                store.profile_counts(&narrowed),
                store.municipality_count(&narrowed),
                store.child_figures(&narrowed),
            )?;
            if profiles.is_empty() {
                continue;
            }
            in_rows += profiles.iter().map(|p| p.cases).sum::<u64>();
            counted.push(RowFigures {
                label,
                filter: narrowed,
                measures: dakwacht_stats::compute(&profiles, municipalities),
                child_measures: dakwacht_stats::compute_children(&children),
            });
        }

        let mut entry = self.entry(AuditAction::Statistics).detail(format!(
            "{what}: per {}; {}",
            by.word(Lang::Nl),
            dakwacht_stats::scope_text(&filter, Lang::Nl)
        ));
        entry.organisation = filter.organisation.clone();
        self.record(&entry).await?;
        Ok(BreakdownFigures {
            filter,
            by,
            rows: counted,
            not_in_any_row: all.saturating_sub(in_rows),
        })
    }
}
