//! A case as a database row, and back. Shared by the database implementations so that what a
//! column holds is decided once.

use std::collections::BTreeMap;

use dakwacht_core::case::parse_reasons;
use dakwacht_core::date::{format_date, parse_date};
use dakwacht_core::{
    Alternative, Case, CaseProfile, CaseRef, Children, Contribution, DateOrMonth, FamilySeparated,
    Household, LastSeen, LegalSupport, LivingSituation, Municipality, Notes, OrganisationName,
    Precision, Reason, Route, Tenancy, homeless_months,
};

use crate::StoreError;

/// The stored columns of a case (besides ids, version and timestamps), in [`COLUMNS`] order.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseRow {
    pub case_ref: String,
    pub reported_on: String,
    pub municipality: Option<String>,
    pub municipality_key: Option<String>,
    pub household: Option<&'static str>,
    pub children_count: i64,
    pub children_ages: Option<String>,
    pub tenancy: Option<&'static str>,
    pub home_lost_on: Option<String>,
    pub home_lost_precision: Option<&'static str>,
    pub route: Option<&'static str>,
    pub main_reason: Option<&'static str>,
    pub other_reasons: Option<String>,
    pub legal_support: Option<&'static str>,
    pub default_judgment: Option<bool>,
    pub alternative_offered: Option<&'static str>,
    pub situation_after: Option<&'static str>,
    pub current_situation: Option<&'static str>,
    pub last_seen_on: Option<String>,
    pub last_seen_situation: Option<&'static str>,
    pub rehoused_on: Option<String>,
    pub child_heard: Option<bool>,
    pub best_interest_weighed: Option<bool>,
    pub family_separated: Option<&'static str>,
    pub shelter_refused_no_binding: Option<bool>,
    pub school_disrupted: Option<bool>,
    pub notes: Option<String>,
    pub extra: Option<String>,
    pub children_age_unknown: i64,
    pub homeless_months: Option<i64>,
    pub profile: i64,
    /// What the case contributes to the duration estimate, packed ([`Contribution::pack`]).
    pub survival: i64,
}

/// The case columns written on insert and update, in [`CaseRow`] order.
pub const COLUMNS: &[&str] = &[
    "case_ref",
    "reported_on",
    "municipality",
    "municipality_key",
    "household",
    "children_count",
    "children_ages",
    "tenancy",
    "home_lost_on",
    "home_lost_precision",
    "route",
    "main_reason",
    "other_reasons",
    "legal_support",
    "default_judgment",
    "alternative_offered",
    "situation_after",
    "current_situation",
    "last_seen_on",
    "last_seen_situation",
    "rehoused_on",
    "child_heard",
    "best_interest_weighed",
    "family_separated",
    "shelter_refused_no_binding",
    "school_disrupted",
    "notes",
    "extra",
    "children_age_unknown",
    "homeless_months",
    "profile",
    "survival",
];

/// The statement that writes a case's columns over the row with id parameter 1, updated at
/// parameter 2, and returns its new version. The columns are parameters `first`, `first + 1`, …;
/// `sign` is the database's parameter sign (`$` on PostgreSQL, `?` on SQLite, whose `$` names
/// would be numbered in the order they appear).
/// One row of the profile counts: the packed profile, its cases, their children, and the
/// children whose age is unknown.
pub(crate) fn profile_count(
    packed: i64,
    cases: i64,
    children: Option<i64>,
    children_age_unknown: Option<i64>,
) -> Result<dakwacht_core::ProfileCount, StoreError> {
    let profile = dakwacht_core::CaseProfile::unpack(packed)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown statistical profile {packed}")))?;
    let count = |n: Option<i64>| n.unwrap_or(0).max(0) as u64;
    Ok(dakwacht_core::ProfileCount {
        profile,
        cases: count(Some(cases)),
        children: count(children),
        children_age_unknown: count(children_age_unknown),
    })
}

/// One row of the duration counts: the packed contribution and its cases.
pub(crate) fn duration_count(packed: i64, cases: i64) -> Result<(Contribution, u64), StoreError> {
    let contribution = Contribution::unpack(packed)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown duration contribution {packed}")))?;
    Ok((contribution, cases.max(0) as u64))
}

pub(crate) fn update_sql(sign: char, first: usize) -> String {
    let sets: Vec<String> = COLUMNS
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = {sign}{}", i + first))
        .collect();
    format!(
        "UPDATE cases SET version = version + 1, updated_at = {sign}2, {} WHERE id = {sign}1 RETURNING version",
        sets.join(", ")
    )
}

impl CaseRow {
    pub fn from_case(case: &Case) -> Self {
        CaseRow {
            case_ref: case.case_ref.to_string(),
            reported_on: format_date(case.reported_on),
            municipality: case.municipality.as_ref().map(ToString::to_string),
            municipality_key: case.municipality.as_ref().map(Municipality::key),
            household: case.household.map(Household::code),
            children_count: i64::from(case.children.count),
            children_ages: case.children.ages_text(),
            tenancy: case.tenancy.map(Tenancy::code),
            home_lost_on: case.home_lost_on.map(|d| format_date(d.first_day())),
            home_lost_precision: case.home_lost_on.map(|d| d.precision().code()),
            route: case.route.map(Route::code),
            main_reason: case.main_reason.map(Reason::code),
            other_reasons: (!case.other_reasons.is_empty())
                .then(|| dakwacht_core::case::join_reasons(&case.other_reasons)),
            legal_support: case.legal_support.map(LegalSupport::code),
            default_judgment: case.default_judgment,
            alternative_offered: case.alternative_offered.map(Alternative::code),
            situation_after: case.situation_after.map(LivingSituation::code),
            current_situation: case.current_situation.map(LivingSituation::code),
            last_seen_on: case.last_seen.map(|s| format_date(s.on)),
            last_seen_situation: case.last_seen.map(|s| s.situation.code()),
            rehoused_on: case.rehoused_on.map(format_date),
            child_heard: case.child_heard,
            best_interest_weighed: case.best_interest_weighed,
            family_separated: case.family_separated.map(FamilySeparated::code),
            shelter_refused_no_binding: case.shelter_refused_no_binding,
            school_disrupted: case.school_disrupted,
            notes: case.notes.as_ref().map(ToString::to_string),
            extra: (!case.extra.is_empty())
                .then(|| serde_json::to_string(&case.extra).unwrap_or_default()),
            children_age_unknown: i64::from(case.children.age_unknown()),
            homeless_months: homeless_months(case).map(i64::from),
            profile: CaseProfile::of(case).pack(),
            survival: Contribution::of(case).pack(),
        }
    }
}

/// The stored values of a case as read back, in [`CaseRow`] order (organisation by name).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredCase {
    pub id: i64,
    pub organisation: String,
    pub case_ref: String,
    pub reported_on: String,
    pub municipality: Option<String>,
    pub household: Option<String>,
    pub children_count: i64,
    pub children_ages: Option<String>,
    pub tenancy: Option<String>,
    pub home_lost_on: Option<String>,
    pub home_lost_precision: Option<String>,
    pub route: Option<String>,
    pub main_reason: Option<String>,
    pub other_reasons: Option<String>,
    pub legal_support: Option<String>,
    pub default_judgment: Option<bool>,
    pub alternative_offered: Option<String>,
    pub situation_after: Option<String>,
    pub current_situation: Option<String>,
    pub last_seen_on: Option<String>,
    pub last_seen_situation: Option<String>,
    pub rehoused_on: Option<String>,
    pub child_heard: Option<bool>,
    pub best_interest_weighed: Option<bool>,
    pub family_separated: Option<String>,
    pub shelter_refused_no_binding: Option<bool>,
    pub school_disrupted: Option<bool>,
    pub notes: Option<String>,
    pub extra: Option<String>,
}

/// A case with the version it is at, read in one statement so the version is that of this
/// content (see [`crate::Store::case_with_version`]).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionedCase {
    pub version: i64,
    #[sqlx(flatten)]
    pub case: StoredCase,
}

/// A case with its last change by hand: the columns of [`SELECT_CASE_WITH_HAND_EDIT`].
#[derive(sqlx::FromRow)]
pub struct CaseWithHandEdit {
    pub edited_at: Option<String>,
    pub edited_by: Option<String>,
    #[sqlx(flatten)]
    pub case: StoredCase,
}

/// `$select` followed by the columns of [`StoredCase`] and the tables they come from: one list
/// for both reads, so they cannot drift apart.
macro_rules! select_case {
    ($select:literal) => {
        concat!(
            $select,
            "c.id, o.name AS organisation, c.case_ref, c.reported_on, c.municipality, \
    c.household, c.children_count, c.children_ages, c.tenancy, c.home_lost_on, c.home_lost_precision, c.route, \
    c.main_reason, c.other_reasons, c.legal_support, c.default_judgment, c.alternative_offered, c.situation_after, \
    c.current_situation, c.last_seen_on, c.last_seen_situation, c.rehoused_on, c.child_heard, \
    c.best_interest_weighed, c.family_separated, c.shelter_refused_no_binding, c.school_disrupted, c.notes, c.extra \
    FROM cases c JOIN organisations o ON o.id = c.organisation_id"
        )
    };
}

/// The SELECT list matching [`StoredCase`], over `cases c JOIN organisations o`.
pub const SELECT_CASE: &str = select_case!("SELECT ");

/// The order of an export of cases (after [`SELECT_CASE`] and the filter).
pub(crate) const EXPORT_ORDER: &str = " ORDER BY o.name, c.case_ref";

/// [`SELECT_CASE`] with the case's version: the columns of [`VersionedCase`].
pub const SELECT_VERSIONED_CASE: &str = select_case!("SELECT c.version, ");

/// [`SELECT_CASE`] with the case's last change by hand: the newest history entry not made by an
/// import, else its creation when that was by hand. Closing and reopening change no field a file
/// could undo, so they do not count. The columns of [`CaseWithHandEdit`].
pub const SELECT_CASE_WITH_HAND_EDIT: &str = select_case!(
    "SELECT COALESCE((SELECT h.changed_at FROM case_changes h \
       WHERE h.case_id = c.id AND h.import_id IS NULL AND h.action = 'updated' \
       ORDER BY h.version DESC LIMIT 1), \
       CASE WHEN c.import_id IS NULL THEN c.created_at END) AS edited_at, \
     COALESCE((SELECT h.actor FROM case_changes h \
       WHERE h.case_id = c.id AND h.import_id IS NULL AND h.action = 'updated' \
       ORDER BY h.version DESC LIMIT 1), \
       CASE WHEN c.import_id IS NULL THEN c.created_by END) AS edited_by, "
);

fn corrupt(id: i64, column: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("case {id}: column {column} holds '{value}'"))
}

impl StoredCase {
    /// Rebuilds the case. Stored values were valid when written; a value that no longer parses
    /// means the database was changed outside dakwacht, and is reported, not guessed at.
    pub fn into_case(self) -> Result<Case, StoreError> {
        let id = self.id;
        fn code<T>(
            id: i64,
            column: &str,
            value: Option<String>,
            parse: fn(&str) -> Option<T>,
        ) -> Result<Option<T>, StoreError> {
            value
                .map(|v| parse(&v).ok_or_else(|| corrupt(id, column, &v)))
                .transpose()
        }
        let date = |column: &str, value: Option<String>| code(id, column, value, parse_date);

        let case_ref = CaseRef::parse(&self.case_ref)
            .ok_or_else(|| corrupt(id, "case_ref", &self.case_ref))?;
        let organisation = OrganisationName::parse(&self.organisation)
            .ok_or_else(|| corrupt(id, "organisation", &self.organisation))?;
        let reported_on = parse_date(&self.reported_on)
            .ok_or_else(|| corrupt(id, "reported_on", &self.reported_on))?;
        let count = u8::try_from(self.children_count)
            .map_err(|_| corrupt(id, "children_count", &self.children_count.to_string()))?;

        let mut case = Case::new(case_ref, organisation, reported_on, count);
        case.municipality = code(id, "municipality", self.municipality, Municipality::parse)?;
        case.household = code(id, "household", self.household, Household::parse)?;
        case.children.ages = code(
            id,
            "children_ages",
            self.children_ages,
            Children::parse_ages,
        )?;
        case.tenancy = code(id, "tenancy", self.tenancy, Tenancy::parse)?;
        case.home_lost_on = match (
            date("home_lost_on", self.home_lost_on)?,
            self.home_lost_precision.as_deref(),
        ) {
            (None, _) => None,
            (Some(day), precision) => {
                let precision = precision
                    .and_then(Precision::parse)
                    .ok_or_else(|| corrupt(id, "home_lost_precision", ""))?;
                Some(DateOrMonth::from_parts(day, precision))
            }
        };
        case.route = code(id, "route", self.route, Route::parse)?;
        case.main_reason = code(id, "main_reason", self.main_reason, Reason::parse)?;
        case.other_reasons =
            code(id, "other_reasons", self.other_reasons, parse_reasons)?.unwrap_or_default();
        case.legal_support = code(id, "legal_support", self.legal_support, LegalSupport::parse)?;
        case.default_judgment = self.default_judgment;
        case.alternative_offered = code(
            id,
            "alternative_offered",
            self.alternative_offered,
            Alternative::parse,
        )?;
        case.situation_after = code(
            id,
            "situation_after",
            self.situation_after,
            LivingSituation::parse,
        )?;
        case.current_situation = code(
            id,
            "current_situation",
            self.current_situation,
            LivingSituation::parse,
        )?;
        let last_seen_on = date("last_seen_on", self.last_seen_on)?;
        let last_seen_situation = code(
            id,
            "last_seen_situation",
            self.last_seen_situation,
            LivingSituation::parse,
        )?;
        case.last_seen = last_seen_on
            .zip(last_seen_situation)
            .map(|(on, situation)| LastSeen { on, situation });
        case.rehoused_on = date("rehoused_on", self.rehoused_on)?;
        case.child_heard = self.child_heard;
        case.best_interest_weighed = self.best_interest_weighed;
        case.family_separated = code(
            id,
            "family_separated",
            self.family_separated,
            FamilySeparated::parse,
        )?;
        case.shelter_refused_no_binding = self.shelter_refused_no_binding;
        case.school_disrupted = self.school_disrupted;
        case.notes = code(id, "notes", self.notes, Notes::parse)?;
        if let Some(extra) = self.extra {
            case.extra = serde_json::from_str::<BTreeMap<String, String>>(&extra)
                .map_err(|_| corrupt(id, "extra", &extra))?;
        }
        Ok(case)
    }
}

/// What changed in an update, as stored in `case_changes.changes`: `{"field": [old, new]}`. The
/// text of notes stays out of the history (it may be the very thing someone wanted gone); only
/// the fact that it changed is kept.
pub fn change_record(old: &Case, new: &Case, changed: &[dakwacht_core::Field]) -> String {
    let mut changes = serde_json::Map::new();
    for field in changed {
        let pair = if *field == dakwacht_core::Field::Notes {
            serde_json::Value::Null
        } else {
            serde_json::json!([old.text(*field), new.text(*field)])
        };
        changes.insert(field.name().to_string(), pair);
    }
    if old.extra != new.extra {
        changes.insert("extra".into(), serde_json::json!([old.extra, new.extra]));
    }
    serde_json::Value::Object(changes).to_string()
}

/// A stay's date as stored (the day, or the month's first day, with its precision; see
/// `changes::observed_on`).
pub(crate) fn date_or_month(
    on: Option<String>,
    precision: Option<String>,
) -> Result<Option<DateOrMonth>, StoreError> {
    let Some(text) = on else {
        return Ok(None);
    };
    let day = parse_date(&text)
        .ok_or_else(|| StoreError::Corrupt(format!("unreadable observation date '{text}'")))?;
    let precision = match precision.as_deref() {
        Some(precision) => Precision::parse(precision).ok_or_else(|| {
            StoreError::Corrupt(format!("unknown observation precision '{precision}'"))
        })?,
        None => Precision::Day,
    };
    Ok(Some(DateOrMonth::from_parts(day, precision)))
}

/// The fields a stay changed, from its history entry ([`change_record`]); a field whose value
/// the history does not keep (notes) or cannot name is left out: a removal does not touch it.
pub(crate) fn stay_effects(changes: Option<String>) -> Vec<dakwacht_core::StayEffect> {
    let Some(map) = changes
        .and_then(|c| serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&c).ok())
    else {
        return Vec::new();
    };
    map.iter()
        .filter_map(|(name, pair)| {
            let field = dakwacht_core::Field::from_header(name)?;
            let [before, after] = pair.as_array()?.as_slice() else {
                return None;
            };
            Some(dakwacht_core::StayEffect {
                field,
                before: before.as_str()?.to_string(),
                after: after.as_str()?.to_string(),
            })
        })
        .collect()
}
