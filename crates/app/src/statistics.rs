//! Figures over cases: the quickscan's measures, the signal counts, the dashboard's timeline.

use std::sync::Arc;

use dakwacht_core::access::{Action, Role};
use dakwacht_core::{
    BreakdownBy, CaseFilter, ChildFigures, Contribution, Facts, Lang, ProfileCount, period_of_month,
};
use dakwacht_rules::{RuleSet, Tally};
use dakwacht_stats::SignalCount;
use dakwacht_stats::disclosure::{
    Breakdown, BreakdownRow, Policy, PublishedBreakdown, PublishedDuration, PublishedMeasures,
    PublishedSignal, Summary, protect_breakdown, protect_duration, protect_measures,
    protect_signals,
};
use dakwacht_stats::survival::DurationEstimate;
use dakwacht_store::{AuditAction, Judge, KeptCounts, Store, StoreError};

use crate::recent_figures::{self, Counts, Renewal};
use crate::{Acting, Error};

/// What the figures are counted from, for one selection.
pub struct Figures {
    /// The selection as counted: its organisation is the one the principal may count.
    pub filter: CaseFilter,
    pub profiles: Vec<ProfileCount>,
    pub municipalities: u64,
    /// The counts behind the child measures (children are the unit).
    pub children: ChildFigures,
    /// Homes lost per month, when asked for.
    pub months: Vec<(String, u64)>,
    /// Families per known municipality, by name, when asked for.
    pub by_municipality: Vec<(String, u64)>,
    /// Per rule of the rule set, the selected cases that raise it.
    pub signals: Tally,
    /// The selected cases by what they contribute to the duration estimate.
    pub durations: Vec<(Contribution, u64)>,
    /// A researcher's selection of fewer than
    /// [`dakwacht_stats::RESEARCHER_MINIMUM_CASES`] cases: every count above is empty, because
    /// figures about a handful of families could single one out.
    pub too_small: bool,
    /// When the figures are a dashboard's kept ones: the moment they were counted. `None` when
    /// they were counted for this view.
    pub counted_at: Option<jiff::Timestamp>,
}

impl Figures {
    /// The Kaplan–Meier estimate of the duration of homelessness over the selection.
    pub fn duration(&self) -> DurationEstimate {
        DurationEstimate::from_contributions(self.durations.iter().copied())
    }

    /// Empties every count: a researcher's selection of a handful of families would single them
    /// out.
    fn withhold(&mut self) {
        self.profiles.clear();
        self.municipalities = 0;
        self.children = ChildFigures::default();
        self.months.clear();
        self.by_municipality.clear();
        self.durations.clear();
        self.signals.of = 0;
        self.signals.problems.clear();
        for rule in &mut self.signals.rules {
            rule.cases = 0;
            rule.of = 0;
        }
    }
}

/// Which counts a use of the figures needs: none is read that is not shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    /// The signal counts (`dakwacht check`).
    Signals,
    /// The quickscan report: its measures and the signal counts.
    Report,
    /// The dashboard: the report and the homes lost per month.
    Dashboard,
    /// The duration estimate alone (`dakwacht report duration`).
    Duration,
    /// The publication bundle: the report, the homes lost per month and the families per
    /// municipality.
    Bundle,
}

impl<S: Store> Acting<S> {
    /// The counts behind the measures and signals over `filter` (audited as `what`), as they
    /// are: not for publication. Coordinators and professionals always count their own
    /// organisation, whatever the filter says; the operator chooses one or all. Researchers are
    /// refused: they get [`Acting::publication`].
    pub async fn figures(
        &self,
        filter: CaseFilter,
        rules: &RuleSet,
        wanted: Wanted,
        what: &str,
    ) -> Result<Figures, Error> {
        self.allow(Action::UnprotectedStatistics).await?;
        self.count(filter, rules, wanted, what).await
    }

    /// `filter` as the principal may count it: coordinators and professionals always count their
    /// own organisation, whatever the filter says; researchers and the operator choose one or
    /// all. Refused (and recorded) when even that is not theirs to count.
    pub(crate) async fn countable(&self, filter: CaseFilter) -> Result<CaseFilter, Error> {
        let chooses = matches!(self.role(), None | Some(Role::Researcher));
        let organisation = if chooses {
            filter.organisation.clone()
        } else {
            self.organisation().map(str::to_string)
        };
        match &organisation {
            Some(organisation) => self.allow(Action::StatisticsOf { organisation }).await?,
            None => self.allow(Action::StatisticsOfAll).await?,
        }
        Ok(CaseFilter {
            organisation,
            ..filter
        })
    }

    /// The counts over `filter`, whoever may count them; every caller protects them or is allowed
    /// to see them as they are. A dashboard's figures over a large selection may be kept ones
    /// (see `recent_figures`); every view is checked and audited all the same.
    async fn count(
        &self,
        filter: CaseFilter,
        rules: &RuleSet,
        wanted: Wanted,
        what: &str,
    ) -> Result<Figures, Error> {
        let filter = self.countable(filter).await?;
        // A researcher's selection is always counted, to know whether it is large enough.
        let measures = matches!(wanted, Wanted::Report | Wanted::Dashboard | Wanted::Bundle)
            || self.role() == Some(Role::Researcher);
        let (counts, counted_at) = match wanted {
            Wanted::Dashboard => self.dashboard_counts(&filter, rules).await?,
            _ => (
                Box::pin(self.counts(&filter, rules, wanted, measures)).await?,
                None,
            ),
        };
        let too_small = self.role() == Some(Role::Researcher)
            && !dakwacht_stats::large_enough_for_research(&counts.profiles);
        let mut entry = self.entry(AuditAction::Statistics).detail(format!(
            "{what}; {}{}",
            dakwacht_stats::scope_text(&filter, Lang::Nl),
            if too_small {
                "; geweigerd: minder dan 10 casussen"
            } else {
                ""
            }
        ));
        entry.organisation = filter.organisation.clone();
        self.record(&entry).await?;
        let Counts {
            profiles,
            municipalities,
            children,
            months,
            by_municipality,
            durations,
            signals,
        } = counts;
        let mut figures = Figures {
            filter,
            profiles,
            municipalities,
            children,
            months,
            by_municipality,
            signals,
            durations,
            too_small,
            counted_at,
        };
        if too_small {
            figures.withhold();
        }
        Ok(figures)
    }

    /// Counts the dashboards of all cases and of each organisation ahead, one after another, so
    /// that the first look after the server starts is quick where counting takes long (kept as a
    /// view's count is; a quick count is not kept). Nothing is shown, so nothing is audited here:
    /// each view is, when it comes. For whoever may count every organisation (the server at
    /// its start).
    pub async fn prepare_dashboards(&self, rules: &RuleSet) -> Result<(), Error> {
        self.allow(Action::StatisticsOfAll).await?;
        let organisations = self.store().organisations().await?;
        let selections = std::iter::once(None).chain(organisations.into_iter().map(Some));
        for organisation in selections {
            let filter = CaseFilter {
                organisation,
                ..CaseFilter::default()
            };
            self.dashboard_counts(&filter, rules).await?;
        }
        Ok(())
    }

    /// A dashboard's counts over `filter` (as the principal may count it): kept ones, with the
    /// time they were counted, where counting takes long (see `recent_figures`).
    async fn dashboard_counts(
        &self,
        filter: &CaseFilter,
        rules: &RuleSet,
    ) -> Result<(Counts, Option<jiff::Timestamp>), Error> {
        let key = recent_figures::Key {
            filter: filter.clone(),
            rules: rules.fingerprint(),
        };
        let renewal = || -> Option<Renewal> {
            let rules = rules
                .again()
                .inspect_err(|error| tracing::warn!(%error, "the rules could not be made again"))
                .ok()?;
            let (acting, filter) = (self.clone(), filter.clone());
            Some(Box::pin(async move {
                acting
                    .counts(&filter, &rules, Wanted::Dashboard, true)
                    .await
            }))
        };
        // Boxed: the counting future is large, and a debug build's stack is not.
        let count = Box::pin(self.counts(filter, rules, Wanted::Dashboard, true));
        Box::pin(self.app.recent.counts(key, count, renewal)).await
    }

    /// What the store counts over `filter` (as the principal may count it) for `wanted`.
    async fn counts(
        &self,
        filter: &CaseFilter,
        rules: &RuleSet,
        wanted: Wanted,
        measures: bool,
    ) -> Result<Counts, Error> {
        let store = self.store();
        let durations = async {
            match wanted {
                Wanted::Signals => Ok(Vec::new()),
                _ => store.duration_counts(filter).await,
            }
        };
        let profiles = async {
            match measures {
                true => store.profile_counts(filter).await,
                false => Ok(Vec::new()),
            }
        };
        let municipalities = async {
            match measures {
                true => store.municipality_count(filter).await,
                false => Ok(0),
            }
        };
        let children = async {
            match measures {
                true => store.child_figures(filter).await,
                false => Ok(ChildFigures::default()),
            }
        };
        let months = async {
            match wanted {
                Wanted::Dashboard | Wanted::Bundle => store.home_losses_by_month(filter).await,
                _ => Ok(Vec::new()),
            }
        };
        let by_municipality = async {
            match wanted {
                Wanted::Bundle => store.municipalities(filter).await,
                _ => Ok(Vec::new()),
            }
        };
        let store_counts = async {
            tokio::try_join!(
                profiles,
                municipalities,
                children,
                months,
                by_municipality,
                durations
            )
        };
        let signals = async {
            match wanted {
                Wanted::Duration => Ok(Tally::default()),
                _ => self.signal_tally(filter, rules).await,
            }
        };
        let (counts, signals) = tokio::join!(store_counts, signals);
        let (profiles, municipalities, children, months, by_municipality, durations) = counts?;
        Ok(Counts {
            profiles,
            municipalities,
            children,
            months,
            by_municipality,
            durations,
            signals: signals?,
        })
    }
}

impl<S: Store> Acting<S> {
    /// Works out and keeps the signals of every case that has none kept under `rules`, so that
    /// counting them later reads one row per case (after an import, or when the rules file
    /// changed). Gives how many cases it worked out. A preparation of the statistics over all
    /// organisations: allowed to whoever may count all of them.
    pub async fn keep_signals(&self, rules: &RuleSet) -> Result<u64, Error> {
        self.allow(Action::StatisticsOfAll).await?;
        if !rules.fits_kept_signals() {
            return Ok(0);
        }
        Ok(self
            .store()
            .keep_signals(rules.fingerprint(), &rules.variable_sets(), judge(rules)?)
            .await?)
    }

    /// Per rule, the selected cases that raise it. From the signals the store keeps, after
    /// working out those of cases that have none (new or changed since); by holding the cases'
    /// facts against the rules where signals cannot be kept (more rules than bits, a writer in
    /// the way, a rule that could not be evaluated and must say why). Both ways count the same.
    async fn signal_tally(&self, filter: &CaseFilter, rules: &RuleSet) -> Result<Tally, Error> {
        let store = self.store();
        let sets = rules.variable_sets();
        if rules.fits_kept_signals() {
            let fingerprint = rules.fingerprint();
            let mut kept = store.kept_signal_counts(filter, fingerprint).await?;
            if kept.missing > 0 {
                match store.keep_signals(fingerprint, &sets, judge(rules)?).await {
                    Ok(_) => kept = store.kept_signal_counts(filter, fingerprint).await?,
                    Err(StoreError::Busy) => {}
                    Err(other) => return Err(other.into()),
                }
            }
            if let Some(groups) = complete(&kept) {
                return Ok(rules.evaluator().tally_kept(&groups));
            }
        }
        let per_rule: Vec<Vec<(Facts, u64)>> = store.facts_counts(filter, &sets).await?;
        Ok(rules.evaluator().tally_per_rule(&per_rule))
    }
}

/// The kept signals as (signals, cases), when every selected case has them and no rule failed.
fn complete(kept: &KeptCounts) -> Option<Vec<(u64, u64)>> {
    (kept.missing == 0 && kept.groups.iter().all(|g| g.problems == 0))
        .then(|| kept.groups.iter().map(|g| (g.signals, g.cases)).collect())
}

/// The rules as a store asks them about groups of cases, on a thread of its own.
pub(crate) fn judge(rules: &RuleSet) -> Result<Judge, Error> {
    let rules = Arc::new(
        rules
            .again()
            .map_err(|e| Error::Internal(format!("the rules could not be made again: {e}")))?,
    );
    Ok(Arc::new(move |groups: &[Vec<Facts>]| {
        let evaluator = rules.evaluator();
        groups
            .iter()
            .enumerate()
            .map(|(rule, facts)| facts.iter().map(|f| evaluator.raises(rule, f)).collect())
            .collect()
    }))
}

/// Figures as they may leave dakwacht: every count, share, signal and month of the duration
/// estimate through a disclosure policy (publication spec §2).
pub struct Publication {
    /// The selection as counted.
    pub filter: CaseFilter,
    pub measures: PublishedMeasures,
    pub duration: PublishedDuration,
    /// Per rule, the families that raise it; labels in the language asked for.
    pub signals: Vec<PublishedSignal>,
    pub rules_version: String,
    /// Families per municipality (for a bundle) and homes lost per quarter of `home_lost_on`
    /// (for the dashboard's timeline, which by month would be a column of small counts, and a
    /// bundle), when asked for; `by` is `municipality` or `quarter`.
    pub breakdowns: Vec<PublishedBreakdown>,
    /// The policy applied and what it held back, in words for the reader.
    pub summary: Summary,
    /// A researcher's selection of a handful of families: nothing is published.
    pub too_small: bool,
    /// The day the figures were counted.
    pub counted_on: dakwacht_core::Date,
    /// The selection in words, in the language asked for.
    pub scope: String,
    pub lang: Lang,
    /// A bundle's figures as kept (see [`Acting::publications`]): their number and SHA-256.
    pub kept: Option<(i64, String)>,
    /// As [`Figures::counted_at`]: when a dashboard's kept figures were counted.
    pub counted_at: Option<jiff::Timestamp>,
}

impl Publication {
    /// The figures as the bundle's files print them.
    pub fn bundle_figures<'a>(&'a self, policy: &'a Policy) -> dakwacht_publish::BundleFigures<'a> {
        dakwacht_publish::BundleFigures {
            scope: &self.scope,
            counted_on: self.counted_on,
            lang: self.lang,
            policy,
            summary: &self.summary,
            measures: &self.measures,
            signals: &self.signals,
            rules_version: &self.rules_version,
            duration: &self.duration,
            breakdowns: &self.breakdowns,
        }
    }
}

impl<S: Store> Acting<S> {
    /// The quickscan measures, the child measures, the duration estimate and the signal counts
    /// over `filter`, as `policy` lets them be published (with the homes lost per quarter for
    /// [`Wanted::Dashboard`]). Audited twice: the counting (as `what`), and the publication with
    /// the policy and how many figures it held back.
    pub async fn publication(
        &self,
        filter: CaseFilter,
        rules: &RuleSet,
        policy: &Policy,
        wanted: Wanted,
        what: &str,
        lang: Lang,
    ) -> Result<Publication, Error> {
        let wanted = match wanted {
            Wanted::Dashboard | Wanted::Bundle => wanted,
            _ => Wanted::Report,
        };
        let figures = self.count(filter, rules, wanted, what).await?;
        let measures = dakwacht_stats::compute(&figures.profiles, figures.municipalities);
        let children = dakwacht_stats::compute_children(&figures.children);
        let protect = |e: dakwacht_stats::disclosure::DisclosureError| {
            Error::Internal(format!("the figures could not be protected: {e}"))
        };
        let measures = protect_measures(&measures, &children, policy).map_err(protect)?;
        let duration = protect_duration(&figures.duration(), policy).map_err(protect)?;
        let signals = protect_signals(
            &SignalCount::from_tally(rules, &figures.signals, lang),
            policy,
        );
        let mut breakdowns = Vec::new();
        if wanted == Wanted::Bundle {
            let cases = figures.profiles.iter().map(|p| p.cases).sum();
            let by_municipality = Breakdown {
                by: BreakdownBy::Municipality.id().to_string(),
                total: cases,
                unknown: match lang {
                    Lang::Nl => "gemeente onbekend",
                    Lang::En => "municipality unknown",
                }
                .to_string(),
                rows: figures
                    .by_municipality
                    .iter()
                    .map(|(name, count)| BreakdownRow {
                        label: name.clone(),
                        count: *count,
                    })
                    .collect(),
            };
            breakdowns.push(protect_breakdown(&by_municipality, policy).map_err(protect)?);
        }
        if matches!(wanted, Wanted::Dashboard | Wanted::Bundle) {
            let quarters = by_quarter(&figures.months, lang);
            breakdowns.push(protect_breakdown(&quarters, policy).map_err(protect)?);
        }
        let summary = Summary::new(policy, &measures, Some(&duration), &signals, &breakdowns);
        if !figures.too_small {
            let mut entry = self.entry(AuditAction::Statistics).detail(format!(
                "{what}: gepubliceerd; {}; {}",
                dakwacht_stats::scope_text(&figures.filter, Lang::Nl),
                summary.sentence(Lang::Nl)
            ));
            entry.organisation = figures.filter.organisation.clone();
            self.record(&entry).await?;
        }
        Ok(Publication {
            scope: dakwacht_stats::scope_text(&figures.filter, lang),
            filter: figures.filter,
            measures,
            duration,
            signals,
            rules_version: figures.signals.rules_version.clone(),
            breakdowns,
            summary,
            too_small: figures.too_small,
            counted_on: figures.counted_at.map_or_else(crate::today, |at| {
                dakwacht_core::date::dutch_time(at).date()
            }),
            lang,
            kept: None,
            counted_at: figures.counted_at,
        })
    }
}

impl<S: Store> Acting<S> {
    /// The figures of a publication bundle (publication spec §3): [`Acting::publication`] with the
    /// families per municipality and per quarter. Coordinators (their own organisation) and
    /// researchers; not professionals, whose figures stay the organisation's own. Its figures
    /// (`cijfers.json`) are kept as published, so that they can be shown exactly later, also
    /// after a case they counted is erased.
    pub async fn bundle(
        &self,
        filter: CaseFilter,
        rules: &RuleSet,
        policy: &Policy,
        what: &str,
        lang: Lang,
    ) -> Result<Publication, Error> {
        self.allow(Action::PublishFigures).await?;
        let mut publication = self
            .publication(filter, rules, policy, Wanted::Bundle, what, lang)
            .await?;
        if !publication.too_small {
            let figures = dakwacht_publish::json::cijfers_json(&publication.bundle_figures(policy));
            let figures = serde_json::to_string_pretty(&figures)
                .map_err(|e| Error::Internal(format!("cijfers.json: {e}")))?;
            let kept = self
                .store()
                .record_publication(
                    &self.actor(),
                    &dakwacht_store::NewPublication {
                        organisation: publication.filter.organisation.as_deref(),
                        scope: &publication.scope,
                        figures: &figures,
                    },
                )
                .await?;
            publication.kept = Some(kept);
        }
        Ok(publication)
    }

    /// Every publication bundle made, newest first: who made it, when, about what, and the
    /// SHA-256 of its figures. For administrators and the operator, who read the audit log.
    pub async fn publications(&self) -> Result<Vec<dakwacht_store::PublicationRecord>, Error> {
        self.allow(Action::ReadAuditLog).await?;
        Ok(self.store().publications().await?)
    }

    /// One publication's figures (`cijfers.json`) exactly as published.
    pub async fn published_figures(
        &self,
        id: i64,
    ) -> Result<(dakwacht_store::PublicationRecord, String), Error> {
        self.allow(Action::ReadAuditLog).await?;
        self.store().publication(id).await?.ok_or(Error::NotFound)
    }
}

/// Homes lost per month (`2024-10`) summed per quarter (`2024-K4`, `2024-Q4` in English), in
/// time order; the total is every home counted.
fn by_quarter(months: &[(String, u64)], lang: Lang) -> Breakdown {
    let mut rows: Vec<BreakdownRow> = Vec::new();
    for (month, count) in months {
        let Some((label, ..)) = period_of_month(month, BreakdownBy::Quarter, lang) else {
            continue;
        };
        match rows.last_mut() {
            Some(row) if row.label == label => row.count += count,
            _ => rows.push(BreakdownRow {
                label,
                count: *count,
            }),
        }
    }
    Breakdown {
        by: BreakdownBy::Quarter.id().to_string(),
        total: months.iter().map(|(_, count)| count).sum(),
        rows,
        // (The months are those of known dates: every family counted is in a quarter.)
        unknown: match lang {
            Lang::Nl => "datum onbekend",
            Lang::En => "date unknown",
        }
        .to_string(),
    }
}
