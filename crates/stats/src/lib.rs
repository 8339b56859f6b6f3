//! Statistics over cases: the quickscan measures, computed from profile counts, and their reports
//! as text (Dutch), JSON and a standalone HTML page.

pub mod breakdown_report;
pub mod disclosure;
pub mod duration_report;
pub mod measures;
pub mod report;
pub mod survival;

use dakwacht_core::{Case, CaseProfile, ChildFigures, Municipality, ProfileCount};
pub use measures::{CHILD_MEASURES, Definition, MEASURES, MeasureDefinition, Totals};
pub use report::{Report, render_html, render_json, render_text};

/// One computed measure.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Measure {
    pub id: &'static str,
    pub numerator: u64,
    /// `None` for counts, which are not shares.
    pub denominator: Option<u64>,
}

impl Measure {
    /// The share in percent with two decimals, rounded half up; `None` for counts and empty
    /// denominators.
    pub fn percent(&self) -> Option<f64> {
        percent(self.numerator, self.denominator?)
    }

    /// The share in whole percents, rounded half up, as the report prints it.
    pub fn whole_percent(&self) -> Option<u64> {
        whole_percent(self.numerator, self.denominator?)
    }

    pub fn definition(&self) -> Option<&'static MeasureDefinition> {
        definition_of(self.id)
    }
}

/// The definition of the quickscan or child measure with this id.
pub fn definition_of(id: &str) -> Option<&'static MeasureDefinition> {
    MEASURES.iter().chain(CHILD_MEASURES).find(|m| m.id == id)
}

/// `numerator / denominator` in percent with two decimals, rounded half up; `None` when the
/// denominator is zero. Integer arithmetic: exact half-up rounding, no binary-fraction surprises.
pub fn percent(numerator: u64, denominator: u64) -> Option<f64> {
    let d = denominator.checked_mul(2).filter(|d| *d > 0)?;
    let hundredths = (u128::from(numerator) * 20_000 + u128::from(denominator)) / u128::from(d);
    Some(hundredths as f64 / 100.0)
}

/// The share in whole percents, rounded half up.
pub fn whole_percent(numerator: u64, denominator: u64) -> Option<u64> {
    let d = denominator.checked_mul(2).filter(|d| *d > 0)?;
    Some((numerator * 200 + denominator) / d)
}

/// How many cases raise one rule of the legal framework, for the report's "Signalen" section.
/// The rules crate evaluates; the report only shows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SignalCount {
    pub id: String,
    /// The rule's title, in the language asked for.
    pub label: String,
    pub cases: u64,
    pub of: u64,
}

impl SignalCount {
    pub fn percent(&self) -> Option<f64> {
        percent(self.cases, self.of)
    }

    pub fn whole_percent(&self) -> Option<u64> {
        whole_percent(self.cases, self.of)
    }
}
impl SignalCount {
    /// The tally of a rule set as the report shows it: one count per rule, with its title.
    pub fn from_tally(
        rules: &dakwacht_rules::RuleSet,
        tally: &dakwacht_rules::Tally,
        lang: dakwacht_core::Lang,
    ) -> Vec<Self> {
        tally
            .rules
            .iter()
            .map(|count| SignalCount {
                id: count.id.clone(),
                label: rules
                    .rule(&count.id)
                    .map_or_else(|| count.id.clone(), |r| r.title.get(lang).clone()),
                cases: count.cases,
                of: count.of,
            })
            .collect()
    }
}

/// The selection of a report in words, for its heading.
pub fn scope_text(filter: &dakwacht_core::CaseFilter, lang: dakwacht_core::Lang) -> String {
    use dakwacht_core::Lang::{En, Nl};
    use dakwacht_core::date::format_date;
    let mut parts = Vec::new();
    if let Some(org) = &filter.organisation {
        parts.push(match lang {
            Nl => format!("organisatie {org}"),
            En => format!("organisation {org}"),
        });
    }
    if let Some(m) = &filter.municipality {
        parts.push(match lang {
            Nl => format!("gemeente {m}"),
            En => format!("municipality {m}"),
        });
    }
    let (from, to) = (
        filter.home_lost_from.map(format_date),
        filter.home_lost_to.map(format_date),
    );
    match (from, to, lang) {
        (Some(from), Some(to), Nl) => {
            parts.push(format!("woning kwijt van {from} tot en met {to}"));
        }
        (Some(from), Some(to), En) => parts.push(format!("home lost from {from} up to {to}")),
        (Some(from), None, Nl) => parts.push(format!("woning kwijt vanaf {from}")),
        (Some(from), None, En) => parts.push(format!("home lost from {from}")),
        (None, Some(to), Nl) => parts.push(format!("woning kwijt tot en met {to}")),
        (None, Some(to), En) => parts.push(format!("home lost up to {to}")),
        (None, None, _) => {}
    }
    match (parts.is_empty(), lang) {
        (true, Nl) => "alle casussen".into(),
        (true, En) => "all cases".into(),
        (false, _) => parts.join(", "),
    }
}

/// Computes every measure from profile counts and the number of distinct known municipalities.
/// The fewest cases a researcher's figures may be about. A selection of one family (one
/// organisation, one day) would show that family's reason, route and situation; until full
/// disclosure control exists (issue 17), smaller selections are refused as a whole.
pub const RESEARCHER_MINIMUM_CASES: u64 = 10;

/// Whether figures over these cases may be shown to a researcher.
pub fn large_enough_for_research(profiles: &[ProfileCount]) -> bool {
    profiles.iter().map(|p| p.cases).sum::<u64>() >= RESEARCHER_MINIMUM_CASES
}

pub fn compute(profiles: &[ProfileCount], municipalities: u64) -> Vec<Measure> {
    let totals = Totals {
        cases: profiles.iter().map(|p| p.cases).sum(),
        children: profiles.iter().map(|p| p.children).sum(),
        children_age_unknown: profiles.iter().map(|p| p.children_age_unknown).sum(),
        municipalities,
    };
    let children = ChildFigures::default();
    MEASURES
        .iter()
        .map(|m| evaluate(m, profiles, &totals, &children))
        .collect()
}

/// The child measures ([`CHILD_MEASURES`]) of a selection's child figures.
pub fn compute_children(children: &ChildFigures) -> Vec<Measure> {
    CHILD_MEASURES
        .iter()
        .map(|m| evaluate(m, &[], &Totals::default(), children))
        .collect()
}

/// One measure over the counts of a selection: its families' profiles and totals, its children.
fn evaluate(
    m: &'static MeasureDefinition,
    profiles: &[ProfileCount],
    totals: &Totals,
    children: &ChildFigures,
) -> Measure {
    let (numerator, denominator) = match &m.definition {
        Definition::Count(count) => (count(totals), None),
        Definition::Share {
            numerator,
            denominator,
        } => {
            let (mut num, mut den) = (0, 0);
            for p in profiles.iter().filter(|p| denominator(&p.profile)) {
                den += p.cases;
                if numerator(&p.profile) {
                    num += p.cases;
                }
            }
            (num, Some(den))
        }
        Definition::ChildShare {
            numerator,
            denominator,
        } => {
            let (mut num, mut den) = (0, 0);
            for (profile, records) in children.records.iter().filter(|(p, _)| denominator(p)) {
                den += records;
                if numerator(profile) {
                    num += records;
                }
            }
            (num, Some(den))
        }
        Definition::ChildRecords => {
            let more: u64 = children
                .records
                .iter()
                .filter(|(p, _)| p.knows_more_than_age)
                .map(|(_, records)| records)
                .sum();
            (more, Some(children.children))
        }
        Definition::ChildrenAged { from, to } => {
            (children.aged(*from, *to), Some(children.of_known_age()))
        }
    };
    Measure {
        id: m.id,
        numerator,
        denominator,
    }
}

/// Profile counts of cases held in memory (the store computes the same in its database).
pub fn profile_counts<'a>(cases: impl IntoIterator<Item = &'a Case>) -> Vec<ProfileCount> {
    let mut counts: std::collections::HashMap<CaseProfile, ProfileCount> =
        std::collections::HashMap::new();
    for case in cases {
        let profile = CaseProfile::of(case);
        let entry = counts.entry(profile).or_insert(ProfileCount {
            profile,
            ..Default::default()
        });
        entry.cases += 1;
        entry.children += u64::from(case.children.count);
        entry.children_age_unknown += u64::from(case.children.age_unknown());
    }
    counts.into_values().collect()
}

/// Distinct known municipalities among cases held in memory.
pub fn municipality_count<'a>(cases: impl IntoIterator<Item = &'a Case>) -> u64 {
    cases
        .into_iter()
        .filter_map(|c| c.municipality.as_ref().map(Municipality::key))
        .collect::<std::collections::HashSet<_>>()
        .len() as u64
}

/// The quickscan measures of cases held in memory.
pub fn quickscan(cases: &[Case]) -> Vec<Measure> {
    compute(&profile_counts(cases), municipality_count(cases))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_half_up() {
        let m = |n, d| Measure {
            id: "x",
            numerator: n,
            denominator: Some(d),
        };
        assert_eq!(m(13, 22).percent(), Some(59.09));
        assert_eq!(m(13, 22).whole_percent(), Some(59));
        assert_eq!(m(1, 8).whole_percent(), Some(13), "12.5 rounds up");
        assert_eq!(m(1, 200).percent(), Some(0.5));
        assert_eq!(m(1, 3).percent(), Some(33.33));
        assert_eq!(m(2, 3).percent(), Some(66.67));
        assert_eq!(m(0, 0).percent(), None);
        assert_eq!(
            Measure {
                id: "cases",
                numerator: 3,
                denominator: None
            }
            .percent(),
            None
        );
    }

    #[test]
    fn measure_ids_are_unique() {
        let mut ids: Vec<_> = MEASURES
            .iter()
            .chain(CHILD_MEASURES)
            .map(|m| m.id)
            .collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), MEASURES.len() + CHILD_MEASURES.len());
    }
}
