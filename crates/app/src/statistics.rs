//! Figures over cases: the quickscan's measures, the signal counts, the dashboard's timeline.

use dakwacht_core::access::{Action, Role};
use dakwacht_core::{CaseFilter, ChildFigures, Facts, Lang, ProfileCount};
use dakwacht_rules::RuleSet;
use dakwacht_store::{AuditAction, Store};

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
    /// Per rule of the rule set, the selected cases counted by their facts.
    pub per_rule: Vec<Vec<(Facts, u64)>>,
    /// A researcher's selection of fewer than
    /// [`dakwacht_stats::RESEARCHER_MINIMUM_CASES`] cases: every count above is empty, because
    /// figures about a handful of families could single one out.
    pub too_small: bool,
}

impl Figures {
    /// Empties every count: a researcher's selection of a handful of families would single them
    /// out.
    fn withhold(&mut self) {
        self.profiles.clear();
        self.municipalities = 0;
        self.children = ChildFigures::default();
        self.months.clear();
        self.per_rule.iter_mut().for_each(Vec::clear);
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
}

impl<S: Store> Acting<S> {
    /// The counts behind the measures and signals over `filter` (audited as `what`).
    /// Coordinators and professionals always count their own organisation, whatever the filter
    /// says; researchers and the operator choose one or all.
    pub async fn figures(
        &self,
        filter: CaseFilter,
        rules: &RuleSet,
        wanted: Wanted,
        what: &str,
    ) -> Result<Figures, Error> {
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
        let filter = CaseFilter {
            organisation,
            ..filter
        };
        let sets = rules.variable_sets();
        let store = self.store();
        // A researcher's selection is always counted, to know whether it is large enough.
        let measures = wanted != Wanted::Signals || self.role() == Some(Role::Researcher);
        let profiles = async {
            match measures {
                true => store.profile_counts(&filter).await,
                false => Ok(Vec::new()),
            }
        };
        let municipalities = async {
            match measures {
                true => store.municipality_count(&filter).await,
                false => Ok(0),
            }
        };
        let children = async {
            match measures {
                true => store.child_figures(&filter).await,
                false => Ok(ChildFigures::default()),
            }
        };
        let months = async {
            match wanted {
                Wanted::Dashboard => store.home_losses_by_month(&filter).await,
                _ => Ok(Vec::new()),
            }
        };
        let (profiles, municipalities, children, months, per_rule) = tokio::try_join!(
            profiles,
            municipalities,
            children,
            months,
            store.facts_counts(&filter, &sets),
        )?;
        let too_small = self.role() == Some(Role::Researcher)
            && !dakwacht_stats::large_enough_for_research(&profiles);
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
        let mut figures = Figures {
            filter,
            profiles,
            municipalities,
            children,
            months,
            per_rule,
            too_small,
        };
        if too_small {
            figures.withhold();
        }
        Ok(figures)
    }
}
