//! Counting cases by the facts the rules read, without loading the cases: the SQL for each
//! [`Variable`] and how its stored value becomes part of [`Facts`]. Shared by every database.

use dakwacht_core::case::parse_reasons;
use dakwacht_core::date::parse_date;
use dakwacht_core::facts::known_ages;
use std::collections::HashMap;

use crate::StoreError;
use dakwacht_core::{
    Alternative, ChildFacts, Children, DateOrMonth, Facts, FamilySeparated, Household,
    LegalSupport, LivingSituation, Precision, Reason, Route, Tenancy, Variable,
};

/// A stored value as read back: every column the rules read holds text or a whole number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Cell {
    Null,
    Int(i64),
    Text(String),
}

/// Hashing a million rows per rule: a fast, non-cryptographic hasher (the keys are our own
/// numbers and stored codes, not attacker-chosen in bulk) roughly halves the time.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// The distinct values of one column, numbered in order of appearance.
struct Dictionary {
    ints: FastMap<i64, u32>,
    texts: FastMap<Box<str>, u32>,
    /// Number → value; 0 is NULL.
    values: Vec<Cell>,
}

impl Dictionary {
    fn new() -> Self {
        Dictionary {
            ints: FastMap::default(),
            texts: FastMap::default(),
            values: vec![Cell::Null],
        }
    }

    /// The number of a text, given it one if it has none.
    fn text(&mut self, text: &str) -> u32 {
        let next = self.values.len() as u32;
        match self.texts.get(text) {
            Some(number) => *number,
            None => {
                self.texts.insert(text.into(), next);
                self.values.push(Cell::Text(text.to_string()));
                next
            }
        }
    }

    fn int(&mut self, n: i64) -> u32 {
        let next = self.values.len() as u32;
        *self.ints.entry(n).or_insert_with(|| {
            self.values.push(Cell::Int(n));
            next
        })
    }
}

/// Sorts cases into groups per variable set (one set per rule): the cases of a group have the
/// same facts for the variables of its set, so a rule is held against each group once, not
/// against each case. A scan gives every column's value of a case ([`Grouping::int`],
/// [`Grouping::text`]; NULL is left as it is), then [`Grouping::add_case`].
///
/// Every distinct stored value of a column gets a small number, and a group is keyed by its
/// numbers: hashing a few integers per rule instead of texts. A set that reads child records
/// cuts the records' text down to what it reads first ([`ChildCut`]), once per distinct text.
pub(crate) struct Grouping {
    sets: Vec<Vec<Variable>>,
    columns: Vec<&'static str>,
    positions: Vec<Vec<usize>>,
    dictionaries: Vec<Dictionary>,
    /// The current case's number per column.
    numbers: Vec<u32>,
    /// Per set: the key of each group, and the group of each key.
    keys: Vec<Vec<Box<[u32]>>>,
    groups: Vec<FastMap<Box<[u32]>, u32>>,
    /// Per set: the cases in each group.
    counts: Vec<Vec<u64>>,
    /// Per set that reads child records: the cut, and per records' text (by its number) the
    /// number of the text cut down (u32::MAX: not yet cut).
    cuts: Vec<Option<(ChildCut, Vec<u32>)>>,
    key: Vec<u32>,
    /// The groups of the case last added, per set.
    case_groups: Vec<u32>,
}

impl Grouping {
    pub(crate) fn new(sets: &[Vec<Variable>]) -> Grouping {
        let (columns, positions) = plan(sets);
        Grouping {
            sets: sets.to_vec(),
            dictionaries: columns.iter().map(|_| Dictionary::new()).collect(),
            numbers: vec![0; columns.len()],
            columns,
            positions,
            keys: sets.iter().map(|_| Vec::new()).collect(),
            groups: sets.iter().map(|_| FastMap::default()).collect(),
            counts: sets.iter().map(|_| Vec::new()).collect(),
            cuts: sets
                .iter()
                .map(|set| ChildCut::of(set).map(|cut| (cut, Vec::new())))
                .collect(),
            key: Vec::new(),
            case_groups: vec![0; sets.len()],
        }
    }

    /// The SQL expressions a scan reads for each case, in order ([`CHILDREN`] among them when a
    /// set reads child records).
    pub(crate) fn columns(&self) -> &[&'static str] {
        &self.columns
    }

    /// The current case's value of `column` is NULL.
    pub(crate) fn null(&mut self, column: usize) {
        self.numbers[column] = 0;
    }

    pub(crate) fn int(&mut self, column: usize, n: i64) {
        self.numbers[column] = self.dictionaries[column].int(n);
    }

    pub(crate) fn text(&mut self, column: usize, text: &str) {
        self.numbers[column] = self.dictionaries[column].text(text);
    }

    pub(crate) fn cell(&mut self, column: usize, cell: &Cell) {
        match cell {
            Cell::Null => self.null(column),
            Cell::Int(n) => self.int(column, *n),
            Cell::Text(text) => self.text(column, text),
        }
    }

    /// Counts the current case (its values given) in its group of every set; gives those groups.
    pub(crate) fn add_case(&mut self) -> &[u32] {
        for (set, set_positions) in self.positions.iter().enumerate() {
            self.key.clear();
            self.key
                .extend(set_positions.iter().map(|&p| self.numbers[p]));
            if let Some((cut, cache)) = &mut self.cuts[set] {
                let column = set_positions[cut.at];
                let raw = self.key[cut.at] as usize;
                if cache.len() <= raw {
                    cache.resize(raw + 1, u32::MAX);
                }
                if cache[raw] == u32::MAX {
                    let dictionary = &mut self.dictionaries[column];
                    let cut_text = match &dictionary.values[raw] {
                        Cell::Text(text) => cut.cut(text),
                        _ => None,
                    };
                    cache[raw] = match cut_text {
                        Some(text) => dictionary.text(&text),
                        None => raw as u32,
                    };
                }
                self.key[cut.at] = cache[raw];
                if let Some(ages_at) = cut.ages_at {
                    self.key[ages_at] = 0;
                }
            }
            let group = match self.groups[set].get(&self.key[..]) {
                Some(group) => *group,
                None => {
                    let group = self.keys[set].len() as u32;
                    let key: Box<[u32]> = self.key.clone().into_boxed_slice();
                    self.keys[set].push(key.clone());
                    self.groups[set].insert(key, group);
                    self.counts[set].push(0);
                    group
                }
            };
            self.counts[set][group as usize] += 1;
            self.case_groups[set] = group;
        }
        &self.case_groups
    }

    /// Per set, the facts of its groups from number `from[set]` on, in group order.
    pub(crate) fn group_facts(&self, from: &[usize]) -> Result<Vec<Vec<Facts>>, StoreError> {
        self.sets
            .iter()
            .enumerate()
            .map(|(set, variables)| {
                self.keys[set]
                    .iter()
                    .skip(from.get(set).copied().unwrap_or(0))
                    .map(|key| self.facts_of(set, variables, key))
                    .collect()
            })
            .collect()
    }

    fn facts_of(
        &self,
        set: usize,
        variables: &[Variable],
        key: &[u32],
    ) -> Result<Facts, StoreError> {
        let cells: Vec<Cell> = key
            .iter()
            .zip(&self.positions[set])
            .map(|(&number, &p)| self.dictionaries[p].values[number as usize].clone())
            .collect();
        decode(variables, &cells).map_err(StoreError::Corrupt)
    }

    /// Per set, the cases counted by their facts. Different stored texts can mean the same facts
    /// ('6;?' and '6' both give ages [6]), so equal facts are merged.
    pub(crate) fn counts(&self) -> Result<Vec<Vec<(Facts, u64)>>, StoreError> {
        let mut result = Vec::with_capacity(self.sets.len());
        for (set, variables) in self.sets.iter().enumerate() {
            let mut merged: HashMap<Facts, u64> = HashMap::with_capacity(self.keys[set].len());
            for (key, count) in self.keys[set].iter().zip(&self.counts[set]) {
                *merged
                    .entry(self.facts_of(set, variables, key)?)
                    .or_default() += count;
            }
            result.push(merged.into_iter().collect());
        }
        Ok(result)
    }
}

/// The case's child records in one text (core::ChildFacts::encode), through the primary key
/// (case_id, child_no); string_agg is standard in PostgreSQL and SQLite 3.44+.
pub(crate) const CHILDREN: &str = "(SELECT string_agg(ch.child_no || ':' || COALESCE(CAST(ch.age AS TEXT), '') \
     || ':' || ch.profile, ',') FROM children ch WHERE ch.case_id = c.id)";

/// The SQL expressions (over the `cases c` table) that hold a variable, in order.
pub(crate) fn columns(variable: Variable) -> &'static [&'static str] {
    match variable {
        Variable::ReportedOn => &["c.reported_on"],
        Variable::Household => &["c.household"],
        Variable::ChildrenCount => &["c.children_count"],
        Variable::ChildrenAges => &["c.children_ages"],
        Variable::Tenancy => &["c.tenancy"],
        Variable::HomeLostOn => &["c.home_lost_on", "c.home_lost_precision"],
        Variable::Route => &["c.route"],
        Variable::MainReason => &["c.main_reason"],
        Variable::OtherReasons => &["c.other_reasons"],
        Variable::LegalSupport => &["c.legal_support"],
        Variable::DefaultJudgment => &["c.default_judgment"],
        Variable::AlternativeOffered => &["c.alternative_offered"],
        Variable::SituationAfter => &["c.situation_after"],
        Variable::CurrentSituation => &["c.current_situation"],
        Variable::LastSeenOn => &["c.last_seen_on"],
        Variable::LastSeenSituation => &["c.last_seen_situation"],
        Variable::RehousedOn => &["c.rehoused_on"],
        Variable::ChildHeard => &["c.child_heard"],
        Variable::BestInterestWeighed => &["c.best_interest_weighed"],
        Variable::FamilySeparated => &["c.family_separated"],
        Variable::ShelterRefusedNoBinding => &["c.shelter_refused_no_binding"],
        Variable::SchoolDisrupted => &["c.school_disrupted"],
        Variable::DurationMonths => &["c.homeless_months"],
        Variable::OutOfView => {
            &["CASE WHEN c.current_situation IS NULL AND c.rehoused_on IS NULL THEN 1 ELSE 0 END"]
        }
        // The case's ages give the age of a record that has none (as `Child::age_in` does).
        Variable::Child => &[CHILDREN, "c.children_ages"],
        // A fact of the records: in the records' text (one column for all of them); which
        // facts a rule reads decides how the text is cut down before families are counted
        // (`Facts::only`).
        dakwacht_core::child_fact_variables!() => &[],
    }
}

/// The select list for these variables: every expression once, in order.
pub(crate) fn select_list(variables: &[Variable]) -> Vec<&'static str> {
    variables
        .iter()
        .flat_map(|v| columns(*v).iter().copied())
        .collect()
}

/// What one pass over the cases must read for several variable sets: every expression once
/// (`columns`), and for each set where its expressions are in that list (`positions`).
pub(crate) fn plan(sets: &[Vec<Variable>]) -> (Vec<&'static str>, Vec<Vec<usize>>) {
    let mut columns: Vec<&'static str> = Vec::new();
    let positions = sets
        .iter()
        .map(|set| {
            select_list(set)
                .into_iter()
                .map(
                    |expression| match columns.iter().position(|c| *c == expression) {
                        Some(at) => at,
                        None => {
                            columns.push(expression);
                            columns.len() - 1
                        }
                    },
                )
                .collect()
        })
        .collect();
    (columns, positions)
}

/// Fills the facts for `variables` from the cells of one grouped row (in `select_list` order).
pub(crate) fn decode(variables: &[Variable], cells: &[Cell]) -> Result<Facts, String> {
    let mut facts = Facts::default();
    let mut rest = cells;
    for variable in variables {
        let width = columns(*variable).len();
        let (mine, tail) = rest
            .split_at_checked(width)
            .ok_or_else(|| "fewer columns than expected".to_string())?;
        rest = tail;
        set(&mut facts, *variable, mine)
            .map_err(|value| format!("{}: unreadable stored value {value:?}", variable.name()))?;
    }
    // The child records as the rules of this set read them.
    Ok(if variables.contains(&Variable::Child) {
        facts.only(variables)
    } else {
        facts
    })
}

fn set(facts: &mut Facts, variable: Variable, cells: &[Cell]) -> Result<(), Cell> {
    let first = cells.first().cloned().unwrap_or(Cell::Null);
    let text = |cell: &Cell| -> Result<Option<String>, Cell> {
        match cell {
            Cell::Null => Ok(None),
            Cell::Text(t) => Ok(Some(t.clone())),
            Cell::Int(_) => Err(cell.clone()),
        }
    };
    let int = |cell: &Cell| -> Result<Option<i64>, Cell> {
        match cell {
            Cell::Null => Ok(None),
            Cell::Int(n) => Ok(Some(*n)),
            Cell::Text(_) => Err(cell.clone()),
        }
    };
    // A stored code must parse: anything else means the database was edited by hand.
    fn code<T>(cell: &Cell, parse: fn(&str) -> Option<T>) -> Result<Option<T>, Cell> {
        match cell {
            Cell::Null => Ok(None),
            Cell::Text(t) => parse(t).map(Some).ok_or_else(|| cell.clone()),
            Cell::Int(_) => Err(cell.clone()),
        }
    }
    let date = |cell: &Cell| -> Result<Option<dakwacht_core::Date>, Cell> {
        match text(cell)? {
            None => Ok(None),
            Some(t) => parse_date(&t).map(Some).ok_or_else(|| cell.clone()),
        }
    };
    let yes_no = |cell: &Cell| int(cell).map(|n| n.map(|n| n != 0));
    match variable {
        Variable::ReportedOn => facts.reported_on = date(&first)?,
        Variable::Household => facts.household = code(&first, Household::parse)?,
        Variable::ChildrenCount => {
            facts.children_count = int(&first)?
                .map(|n| u8::try_from(n).map_err(|_| first.clone()))
                .transpose()?;
        }
        Variable::ChildrenAges => {
            let ages = match text(&first)? {
                None => Vec::new(),
                Some(t) => Children::parse_ages(&t).ok_or_else(|| first.clone())?,
            };
            facts.children_ages = Some(known_ages(&ages));
        }
        Variable::Tenancy => facts.tenancy = code(&first, Tenancy::parse)?,
        Variable::HomeLostOn => {
            let precision = cells.get(1).cloned().unwrap_or(Cell::Null);
            facts.home_lost_on = match (date(&first)?, text(&precision)?.as_deref()) {
                (None, _) => None,
                (Some(day), Some("month")) => Some(DateOrMonth::from_parts(day, Precision::Month)),
                (Some(day), _) => Some(DateOrMonth::from_parts(day, Precision::Day)),
            };
        }
        Variable::Route => facts.route = code(&first, Route::parse)?,
        Variable::MainReason => facts.main_reason = code(&first, Reason::parse)?,
        Variable::OtherReasons => {
            facts.other_reasons = Some(match text(&first)? {
                None => Vec::new(),
                Some(t) => parse_reasons(&t).ok_or_else(|| first.clone())?,
            });
        }
        Variable::LegalSupport => facts.legal_support = code(&first, LegalSupport::parse)?,
        Variable::DefaultJudgment => facts.default_judgment = yes_no(&first)?,
        Variable::AlternativeOffered => {
            facts.alternative_offered = code(&first, Alternative::parse)?;
        }
        Variable::SituationAfter => facts.situation_after = code(&first, LivingSituation::parse)?,
        Variable::CurrentSituation => {
            facts.current_situation = code(&first, LivingSituation::parse)?;
        }
        Variable::LastSeenOn => facts.last_seen_on = date(&first)?,
        Variable::LastSeenSituation => {
            facts.last_seen_situation = code(&first, LivingSituation::parse)?;
        }
        Variable::RehousedOn => facts.rehoused_on = date(&first)?,
        Variable::ChildHeard => facts.child_heard = yes_no(&first)?,
        Variable::BestInterestWeighed => facts.best_interest_weighed = yes_no(&first)?,
        Variable::FamilySeparated => facts.family_separated = code(&first, FamilySeparated::parse)?,
        Variable::ShelterRefusedNoBinding => facts.shelter_refused_no_binding = yes_no(&first)?,
        Variable::SchoolDisrupted => facts.school_disrupted = yes_no(&first)?,
        Variable::DurationMonths => {
            facts.duration_months = int(&first)?
                .map(|n| u32::try_from(n).map_err(|_| first.clone()))
                .transpose()?;
        }
        Variable::OutOfView => facts.out_of_view = yes_no(&first)?,
        Variable::Child => {
            let mut children = match text(&first)? {
                None => Vec::new(),
                Some(t) => ChildFacts::decode_list(&t).ok_or_else(|| first.clone())?,
            };
            let ages_cell = cells.get(1).cloned().unwrap_or(Cell::Null);
            if let Some(ages) = text(&ages_cell)? {
                let ages = Children::parse_ages(&ages).ok_or(ages_cell)?;
                for child in children.iter_mut().filter(|c| c.age.is_none()) {
                    child.age = match ages.get(usize::from(child.child_no).saturating_sub(1)) {
                        Some(dakwacht_core::ChildAge::Known(age)) => Some(*age),
                        _ => None,
                    };
                }
            }
            facts.children = Some(children);
        }
        dakwacht_core::child_fact_variables!() => {}
    }
    Ok(())
}

/// Where a rule's child records sit in its row, and how they are cut down to what the rule reads
/// before its families are counted: without the cut nearly every family's records differ
/// (numbers, ages, facts the rule does not read), and counting a million families means a
/// million groups to hold the rule against.
pub(crate) struct ChildCut {
    /// The position of the records' text in the set's key.
    pub at: usize,
    /// The position of the ages it fills from, when only the records need them.
    pub ages_at: Option<usize>,
    /// The set's variables, to cut by.
    pub set: Vec<Variable>,
}

impl ChildCut {
    /// The cut for a set, or `None` when it does not read child records or reads their ages
    /// (which come from two columns: counted as they are).
    pub(crate) fn of(set: &[Variable]) -> Option<ChildCut> {
        if !set.contains(&Variable::Child) || set.contains(&Variable::ChildAge) {
            return None;
        }
        let mut at = 0;
        for variable in set {
            if *variable == Variable::Child {
                break;
            }
            at += columns(*variable).len();
        }
        Some(ChildCut {
            at,
            ages_at: (!set.contains(&Variable::ChildrenAges)).then_some(at + 1),
            set: set.to_vec(),
        })
    }

    /// The bits of the records' packed profile this set reads, for a database to cut the
    /// records down itself (`0::` and the masked profile, as [`ChildCut::cut`] writes them);
    /// `None` when the set reads the child's number, which the profile does not hold.
    pub(crate) fn profile_mask(&self) -> Option<i64> {
        if self.set.contains(&Variable::ChildNo) {
            return None;
        }
        Some(
            self.set
                .iter()
                .filter_map(|v| v.child_fact())
                .map(dakwacht_core::ChildProfile::bits)
                .fold(0, |mask, bits| mask | bits),
        )
    }

    /// The records' text as this set reads it, or `None` when it does not read as records.
    pub(crate) fn cut(&self, text: &str) -> Option<String> {
        let records = ChildFacts::decode_list(text)?;
        let facts: Vec<dakwacht_core::ChildVariable> =
            self.set.iter().filter_map(|v| v.child_fact()).collect();
        Some(
            ChildFacts::restricted(&records, &facts)
                .iter()
                .map(ChildFacts::encode)
                .collect::<Vec<_>>()
                .join(","),
        )
    }
}
