//! A rule condition: a CEL expression over a case's [`Facts`], checked when the file is loaded so
//! that a rule that would never fire (a misspelt field or code) is an error, not a silent zero.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use cel::common::ast::{EntryExpr, Expr, IdedExpr, LiteralValue, operators};
use cel::common::value::CowVal;
use cel::context::VariableResolver;
use cel::objects::{Key, Map, Value};
use cel::{Context, Program};
use dakwacht_core::{
    ChildFacts, ChildVariable, FactValue, Facts, LivingSituation, Variable, VariableKind,
};

/// The functions dakwacht adds to CEL, with what they do (for the documentation and errors).
pub const FUNCTIONS: &[(&str, &str)] = &[(
    "is_homeless(x)",
    "true when the living-situation code x is homelessness (every situation except housed); false for null",
)];

/// Standard CEL functions a condition may call. Macros (`has`, `exists`, `all`, …) are expanded
/// by the parser and need no entry.
const CEL_FUNCTIONS: &[&str] = &[
    "size",
    "contains",
    "startsWith",
    "endsWith",
    "matches",
    "int",
    "uint",
    "double",
    "string",
    "bool",
    "type",
    "dyn",
    "max",
    "min",
];

/// What is wrong with a condition, in words for the person who wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionError(pub String);

/// What a condition is held against: the case alone, or the case and one of its child records
/// (a rule's `when_child`, where `child.…` names the record).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Case,
    Child,
}

/// A compiled, checked condition.
#[derive(Debug)]
pub struct Condition {
    source: String,
    program: Program,
    variables: Vec<Variable>,
    child_variables: Vec<ChildVariable>,
}

impl Condition {
    /// A condition over the case alone.
    pub fn compile(source: &str) -> Result<Condition, ConditionError> {
        Condition::compile_in(source, Scope::Case)
    }

    pub fn compile_in(source: &str, scope: Scope) -> Result<Condition, ConditionError> {
        // Before parsing: a deep nesting can overflow the parser's stack.
        crate::limits::check_source(source).map_err(ConditionError)?;
        let program = Program::compile(source).map_err(|errors| {
            ConditionError(format!(
                "syntax error in `{}`: {}",
                source.trim(),
                errors
                    .errors
                    .iter()
                    .map(|e| format!("at column {}: {}", e.pos.1 + 1, e.msg))
                    .collect::<Vec<_>>()
                    .join("; ")
            ))
        })?;
        crate::limits::check_expression(program.expression()).map_err(ConditionError)?;
        let mut walk = Walk {
            scope,
            ..Walk::default()
        };
        walk.visit(program.expression(), &mut Vec::new());
        if let Some(error) = walk.errors.into_iter().next() {
            return Err(ConditionError(error));
        }
        let condition = Condition {
            source: source.trim().to_string(),
            program,
            variables: walk.variables.into_iter().collect(),
            child_variables: walk.child_variables.into_iter().collect(),
        };
        condition.check_is_yes_or_no()?;
        Ok(condition)
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// The variables this condition reads.
    pub fn variables(&self) -> &[Variable] {
        &self.variables
    }

    /// The facts of a child record this condition reads (`child.…`).
    pub fn child_variables(&self) -> &[ChildVariable] {
        &self.child_variables
    }

    /// Whether the condition holds for these facts. An error at evaluation (a type the writer did
    /// not foresee) is returned, never a panic; the caller decides how to report it.
    pub fn holds(&self, facts: &Facts, base: &Context<'_, '_>) -> Result<bool, String> {
        self.holds_for(facts, None, base)
    }

    /// Whether the condition holds for these facts with `child` as the record `child.…` reads
    /// (a record with nothing known when `None`).
    pub fn holds_for(
        &self,
        facts: &Facts,
        child: Option<&ChildFacts>,
        base: &Context<'_, '_>,
    ) -> Result<bool, String> {
        let nobody = ChildFacts::default();
        let resolver = FactsResolver {
            facts,
            child: child.unwrap_or(&nobody),
        };
        let mut scope = base.new_inner_scope();
        scope.set_variable_resolver(&resolver);
        match self.program.execute(&scope) {
            Ok(Value::Bool(holds)) => Ok(holds),
            Ok(other) => Err(format!(
                "`{}` gave {other:?}, not true or false",
                self.source
            )),
            Err(error) => Err(format!("`{}` could not be evaluated: {error}", self.source)),
        }
    }

    /// Every condition must answer yes or no both when nothing is known and when everything is,
    /// so that unknown values (common in real files) can never make a rule fail at run time.
    fn check_is_yes_or_no(&self) -> Result<(), ConditionError> {
        let base = base_context();
        let sample_child = sample_child();
        for (facts, child, what) in [
            (Facts::default(), None, "when every value is unknown"),
            (
                sample_facts(),
                Some(&sample_child),
                "on a fully filled-in case",
            ),
        ] {
            if let Err(error) = self.holds_for(&facts.only(&self.variables), child, &base) {
                return Err(ConditionError(format!(
                    "{error} {what}; check for null first, e.g. `x != null && x >= 6`"
                )));
            }
        }
        Ok(())
    }
}

/// The CEL context every condition runs in: the standard library plus dakwacht's functions.
/// Build it once per batch: creating the standard library is not free.
pub fn base_context() -> Context<'static, 'static> {
    let mut context = Context::default();
    // `is_homeless` takes any value so that `is_homeless(null)` is simply false.
    let added = context.add_function("is_homeless", |value: Value| -> bool {
        match value {
            Value::String(code) => LivingSituation::parse(&code).is_some_and(|s| s.is_homeless()),
            _ => false,
        }
    });
    debug_assert!(
        added.is_ok(),
        "is_homeless clashes with a CEL standard function"
    );
    context
}

/// Gives CEL the value of a variable, straight from the facts, without building a map per case;
/// `child` is the record a `when_child` condition reads, as a map of its facts.
struct FactsResolver<'a> {
    facts: &'a Facts,
    child: &'a ChildFacts,
}

impl VariableResolver for FactsResolver<'_> {
    fn resolve<'b>(&'b self, name: &str) -> Option<CowVal<'b, 'b>> {
        let value = match Variable::from_name(name)? {
            // CEL asks for `child.heard` as a whole name first: it is read from the record.
            variable if variable.child_fact().is_some() => return None,
            Variable::Child => Value::Map(Map {
                map: Arc::new(
                    ChildVariable::ALL
                        .iter()
                        .map(|v| {
                            (
                                Key::String(Arc::new(v.name().to_string())),
                                cel_value(self.child.value(*v)),
                            )
                        })
                        .collect::<HashMap<_, _>>(),
                ),
            }),
            variable => cel_value(self.facts.value(variable)),
        };
        value.try_into().ok().map(CowVal::Owned)
    }
}

fn cel_value(value: FactValue) -> Value {
    match value {
        FactValue::Null => Value::Null,
        FactValue::Text(text) => Value::String(Arc::new(text)),
        FactValue::Code(code) => Value::String(Arc::new(code.to_string())),
        FactValue::Codes(codes) => Value::List(Arc::new(
            codes
                .into_iter()
                .map(|c| Value::String(Arc::new(c.to_string())))
                .collect(),
        )),
        FactValue::Bool(b) => Value::Bool(b),
        FactValue::Number(n) => Value::Int(n),
        FactValue::Numbers(ns) => Value::List(Arc::new(ns.into_iter().map(Value::Int).collect())),
    }
}

/// A child record with every fact filled in, to try `when_child` conditions on.
fn sample_child() -> ChildFacts {
    use dakwacht_core::{ChildProfile, FamilySeparated, School, StaysWith};
    ChildFacts {
        child_no: 2,
        age: Some(9),
        profile: ChildProfile {
            knows_more_than_age: true,
            stays_with: StaysWith::ALL.first().copied(),
            separated: FamilySeparated::ALL.first().copied(),
            school: School::ALL.first().copied(),
            heard: Some(true),
            best_interest_assessed: Some(true),
            youth_care: Some(true),
        },
    }
}

/// A case with every variable filled in, to try conditions on.
fn sample_facts() -> Facts {
    use dakwacht_core::{
        Alternative, DateOrMonth, FamilySeparated, Household, LegalSupport, Reason, Route, Tenancy,
        date::parse_date,
    };
    let date = parse_date("2025-03-01");
    Facts {
        reported_on: date,
        household: Household::ALL.first().copied(),
        children_count: Some(2),
        children_ages: Some(vec![3, 9]),
        tenancy: Tenancy::ALL.first().copied(),
        home_lost_on: date.map(DateOrMonth::from),
        route: Route::ALL.first().copied(),
        main_reason: Reason::ALL.first().copied(),
        other_reasons: Some(Reason::ALL.iter().take(2).copied().collect()),
        legal_support: LegalSupport::ALL.first().copied(),
        default_judgment: Some(true),
        alternative_offered: Alternative::ALL.first().copied(),
        situation_after: LivingSituation::ALL.first().copied(),
        current_situation: LivingSituation::ALL.first().copied(),
        last_seen_on: date,
        last_seen_situation: LivingSituation::ALL.first().copied(),
        rehoused_on: date,
        child_heard: Some(true),
        best_interest_weighed: Some(true),
        family_separated: FamilySeparated::ALL.first().copied(),
        shelter_refused_no_binding: Some(true),
        school_disrupted: Some(true),
        duration_months: Some(7),
        out_of_view: Some(true),
        children: Some(vec![sample_child()]),
    }
}

/// Walks the expression once: collects the variables read, refuses unknown names and functions,
/// and checks that a code compared with a code variable exists in its code list.
struct Walk {
    scope: Scope,
    variables: BTreeSet<Variable>,
    child_variables: BTreeSet<ChildVariable>,
    errors: Vec<String>,
}

impl Default for Walk {
    fn default() -> Self {
        Walk {
            scope: Scope::Case,
            variables: BTreeSet::new(),
            child_variables: BTreeSet::new(),
            errors: Vec::new(),
        }
    }
}

impl Walk {
    /// `bound` holds the names introduced by macros such as `exists(a, …)`.
    fn visit(&mut self, node: &IdedExpr, bound: &mut Vec<String>) {
        match &node.expr {
            Expr::Ident(name) => self.ident(name, bound),
            Expr::Call(call) => {
                self.function(&call.func_name);
                if matches!(
                    call.func_name.as_str(),
                    operators::EQUALS | operators::NOT_EQUALS | operators::IN
                ) {
                    self.compared_codes(&call.args);
                }
                if let Some(target) = &call.target {
                    self.visit(target, bound);
                }
                for arg in &call.args {
                    self.visit(arg, bound);
                }
            }
            Expr::Comprehension(comprehension) => {
                self.visit(&comprehension.iter_range, bound);
                self.visit(&comprehension.accu_init, bound);
                let depth = bound.len();
                bound.push(comprehension.iter_var.clone());
                bound.extend(comprehension.iter_var2.clone());
                bound.push(comprehension.accu_var.clone());
                self.visit(&comprehension.loop_cond, bound);
                self.visit(&comprehension.loop_step, bound);
                self.visit(&comprehension.result, bound);
                bound.truncate(depth);
            }
            Expr::List(list) => {
                for element in &list.elements {
                    self.visit(element, bound);
                }
            }
            Expr::Map(map) => {
                for entry in &map.entries {
                    match &entry.expr {
                        EntryExpr::MapEntry(e) => {
                            self.visit(&e.key, bound);
                            self.visit(&e.value, bound);
                        }
                        EntryExpr::StructField(f) => self.visit(&f.value, bound),
                    }
                }
            }
            Expr::Select(select) => {
                if let Expr::Ident(name) = &select.operand.expr
                    && Variable::from_name(name) == Some(Variable::Child)
                    && !bound.iter().any(|b| b == name)
                {
                    self.child_field(&select.field);
                } else if let Expr::Ident(name) = &select.operand.expr
                    && Variable::from_name(name).is_some()
                    && !bound.iter().any(|b| b == name)
                {
                    self.errors.push(format!(
                        "`{name}.{}`: {name} has no fields; compare it directly, e.g. `{name} == \"…\"`",
                        select.field
                    ));
                }
                self.visit(&select.operand, bound);
            }
            Expr::Struct(_) => self
                .errors
                .push("message literals (`Type{…}`) are not available in rules".to_string()),
            Expr::Literal(_) | Expr::Unspecified => {}
        }
    }

    fn ident(&mut self, name: &str, bound: &[String]) {
        if bound.iter().any(|b| b == name) {
            return;
        }
        match Variable::from_name(name) {
            Some(Variable::Child) if self.scope == Scope::Case => self.errors.push(
                "`child` can only be read in `when_child` (and `severity_high_when` of a rule \
                 that has one): a condition held against each child record"
                    .to_string(),
            ),
            Some(variable) => {
                self.variables.insert(variable);
            }
            None => self.errors.push(unknown_variable(name)),
        }
    }

    /// `child.heard`: a fact of the child record; `child.hears` is refused with a suggestion.
    fn child_field(&mut self, field: &str) {
        match ChildVariable::from_name(field) {
            Some(variable) => {
                self.child_variables.insert(variable);
                // Also as a variable of the rule: what the store counts families by.
                if let Some(named) = Variable::from_name(&format!("child.{field}")) {
                    self.variables.insert(named);
                }
            }
            None => {
                let suggestion = ChildVariable::ALL
                    .iter()
                    .map(|v| v.name())
                    .min_by_key(|candidate| edit_distance(field, candidate))
                    .filter(|candidate| edit_distance(field, candidate) <= 3);
                self.errors.push(match suggestion {
                    Some(candidate) => {
                        format!("unknown child field `child.{field}` (did you mean `child.{candidate}`?)")
                    }
                    None => format!(
                        "unknown child field `child.{field}`; a child record has: {}",
                        ChildVariable::ALL
                            .iter()
                            .map(|v| v.name())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            }
        }
    }

    fn function(&mut self, name: &str) {
        let is_operator = name.starts_with('_') || name.starts_with('@') || name.ends_with('_');
        let known = is_operator
            || CEL_FUNCTIONS.contains(&name)
            || FUNCTIONS
                .iter()
                .any(|(f, _)| f.split('(').next() == Some(name));
        if !known {
            self.errors.push(format!(
                "unknown function `{name}`; available: {}, and the CEL standard functions",
                FUNCTIONS
                    .iter()
                    .map(|(f, _)| *f)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }

    /// `route == "court_evction"` would never be true: refuse codes that are not in the list.
    fn compared_codes(&mut self, args: &[IdedExpr]) {
        let [left, right] = args else { return };
        let variable = [left, right].into_iter().find_map(|side| match &side.expr {
            Expr::Ident(name) => {
                Variable::from_name(name).map(|v| (v.name().to_string(), v.kind()))
            }
            Expr::Select(select) => match &select.operand.expr {
                Expr::Ident(name) if Variable::from_name(name) == Some(Variable::Child) => {
                    ChildVariable::from_name(&select.field)
                        .map(|v| (format!("child.{}", v.name()), v.kind()))
                }
                _ => None,
            },
            _ => None,
        });
        let Some((name, kind)) = variable else { return };
        let (VariableKind::Code(codes) | VariableKind::CodeList(codes)) = kind else {
            return;
        };
        let mut literals = Vec::new();
        for side in [left, right] {
            match &side.expr {
                Expr::Literal(LiteralValue::String(s)) => literals.push(s.inner().to_string()),
                Expr::List(list) => {
                    literals.extend(list.elements.iter().filter_map(|e| match &e.expr {
                        Expr::Literal(LiteralValue::String(s)) => Some(s.inner().to_string()),
                        _ => None,
                    }))
                }
                _ => {}
            }
        }
        for literal in literals {
            if !codes.contains(&literal.as_str()) {
                self.errors.push(format!(
                    "\"{literal}\" is not a code of {name}; expected one of: {}",
                    codes.join(", ")
                ));
            }
        }
    }
}

fn unknown_variable(name: &str) -> String {
    let suggestion = Variable::ALL
        .iter()
        .filter(|v| v.child_fact().is_none())
        .map(|v| v.name())
        .min_by_key(|candidate| edit_distance(name, candidate))
        .filter(|candidate| edit_distance(name, candidate) <= 3);
    match suggestion {
        Some(candidate) => format!("unknown field `{name}` (did you mean `{candidate}`?)"),
        None => format!(
            "unknown field `{name}`; rules can read: {}",
            Variable::ALL
                .iter()
                .filter(|v| v.child_fact().is_none())
                .map(|v| v.name())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Levenshtein distance, for "did you mean". Names are short; the quadratic table is fine.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(source: &str) -> String {
        match Condition::compile(source) {
            Ok(_) => panic!("`{source}` was accepted"),
            Err(ConditionError(message)) => message,
        }
    }

    #[test]
    fn names_the_problem_in_the_writers_terms() {
        assert!(error("route ==").contains("syntax error"));
        assert!(error("rout == \"court_eviction\"").contains("did you mean `route`"));
        assert!(error("notes == \"x\"").contains("unknown field `notes`"));
        assert!(error("route == \"court_evction\"").contains("not a code of route"));
        assert!(error("route in [\"court_eviction\", \"x\"]").contains("\"x\" is not a code"));
        assert!(error("is_homles(situation_after)").contains("unknown function `is_homles`"));
        assert!(error("duration_months >= 6").contains("check for null first"));
        assert!(error("route").contains("not true or false"));
    }

    #[test]
    fn accepts_macros_lists_and_functions() {
        let condition =
            Condition::compile("children_ages.exists(a, a < 4) && is_homeless(situation_after)")
                .unwrap();
        assert_eq!(
            condition.variables(),
            [Variable::ChildrenAges, Variable::SituationAfter]
        );
        let base = base_context();
        let facts = Facts {
            children_ages: Some(vec![2, 10]),
            situation_after: Some(LivingSituation::ALL[0]),
            ..Facts::default()
        };
        let homeless = LivingSituation::ALL[0].is_homeless();
        assert_eq!(condition.holds(&facts, &base), Ok(homeless));
    }

    #[test]
    fn edit_distance_counts_single_changes() {
        assert_eq!(edit_distance("rout", "route"), 1);
        assert_eq!(edit_distance("route", "route"), 0);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
