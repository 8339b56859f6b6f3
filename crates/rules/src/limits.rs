//! Bounds on what a condition may ask of the machine, so that a hostile or mistaken rules file is
//! refused quickly when it is loaded (`rules --validate`, `check`, `serve`) instead of
//! overflowing a stack or running for hours over a million cases.
//!
//! The `cel` crate has no step counter, so the work is bounded by what can be written:
//! - the length of a condition, and how deeply its brackets nest, checked on the text *before*
//!   it is parsed (the parser recurses per level; thousands of levels overflow its stack);
//! - the size of the parsed expression;
//! - an estimate of the evaluation steps per case: comprehensions (`exists`, `all`,
//!   `exists_one`, `map`, `filter`) run their body once per element, so nesting them multiplies.
//!
//! The built-in rules use a small fraction of each bound.

use cel::common::ast::{EntryExpr, Expr, IdedEntryExpr, IdedExpr};
use dakwacht_core::{Children, Variable, VariableKind};

/// Rules in one file. The built-in file has a few dozen at most.
pub const MAX_RULES: usize = 500;
/// Characters in one condition. The longest built-in condition has about 100.
pub const MAX_CHARS: usize = 1_000;
/// Brackets `(`, `[` and `{` open at once.
pub const MAX_NESTING: usize = 16;
/// Nodes of the parsed expression (every name, literal, operator and call is one).
pub const MAX_NODES: usize = 400;
/// Estimated evaluation steps for one case.
pub const MAX_STEPS: u64 = 10_000;
/// Comprehensions inside the body of another.
pub const MAX_COMPREHENSION_DEPTH: usize = 2;

/// Elements assumed for a list whose size is not known from the text (a conversion, say).
const UNKNOWN_LIST: u64 = 100;

/// Checks the text before it is parsed: its length and how deeply its brackets nest (brackets
/// inside string literals do not count).
pub fn check_source(source: &str) -> Result<(), String> {
    let chars = source.chars().count();
    if chars > MAX_CHARS {
        return Err(format!(
            "the condition has {chars} characters; at most {MAX_CHARS} are allowed (split it into several rules)"
        ));
    }
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in source.chars() {
        if let Some(q) = quote {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                _ if c == q => quote = None,
                _ => {}
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '(' | '[' | '{' => {
                depth += 1;
                deepest = deepest.max(depth);
                if depth > MAX_NESTING {
                    return Err(format!(
                        "brackets are nested more than {MAX_NESTING} deep; write the condition flatter"
                    ));
                }
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Checks the parsed expression: its size, how deeply comprehensions nest, and the estimated
/// steps per case.
pub fn check_expression(expression: &IdedExpr) -> Result<(), String> {
    let nodes = count_nodes(expression);
    if nodes > MAX_NODES {
        return Err(format!(
            "the condition has {nodes} parts; at most {MAX_NODES} are allowed (split it into several rules)"
        ));
    }
    let depth = comprehension_depth(expression);
    if depth > MAX_COMPREHENSION_DEPTH {
        return Err(format!(
            "exists/all/exists_one/map/filter are nested {depth} deep; at most {MAX_COMPREHENSION_DEPTH} are allowed"
        ));
    }
    let steps = steps(expression);
    if steps > MAX_STEPS {
        return Err(format!(
            "the condition would take about {steps} steps per case; at most {MAX_STEPS} are allowed (use smaller lists or fewer nested exists/all/map/filter)"
        ));
    }
    Ok(())
}

/// The direct sub-expressions of a node.
fn children(node: &IdedExpr) -> Vec<&IdedExpr> {
    match &node.expr {
        Expr::Call(call) => call.target.iter().map(|t| &**t).chain(&call.args).collect(),
        Expr::Comprehension(c) => vec![
            &c.iter_range,
            &c.accu_init,
            &c.loop_cond,
            &c.loop_step,
            &c.result,
        ],
        Expr::List(list) => list.elements.iter().collect(),
        Expr::Map(map) => entries(&map.entries),
        Expr::Select(select) => vec![&*select.operand],
        Expr::Struct(s) => entries(&s.entries),
        Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => Vec::new(),
    }
}

/// The keys and values of a map or struct literal.
fn entries(entries: &[IdedEntryExpr]) -> Vec<&IdedExpr> {
    entries
        .iter()
        .flat_map(|entry| match &entry.expr {
            EntryExpr::MapEntry(e) => vec![&e.key, &e.value],
            EntryExpr::StructField(f) => vec![&f.value],
        })
        .collect()
}

fn count_nodes(node: &IdedExpr) -> usize {
    1 + children(node).into_iter().map(count_nodes).sum::<usize>()
}

/// How many comprehensions are nested in each other's bodies (0 without any).
fn comprehension_depth(node: &IdedExpr) -> usize {
    match &node.expr {
        Expr::Comprehension(c) => {
            let body = [&c.loop_cond, &c.loop_step]
                .into_iter()
                .map(comprehension_depth)
                .max()
                .unwrap_or(0);
            let around = [&c.iter_range, &c.accu_init, &c.result]
                .into_iter()
                .map(comprehension_depth)
                .max()
                .unwrap_or(0);
            (1 + body).max(around)
        }
        _ => children(node)
            .into_iter()
            .map(comprehension_depth)
            .max()
            .unwrap_or(0),
    }
}

/// Estimated evaluation steps: one per node, and a comprehension's body once per element.
fn steps(node: &IdedExpr) -> u64 {
    match &node.expr {
        Expr::Comprehension(c) => {
            let body = steps(&c.loop_cond).saturating_add(steps(&c.loop_step));
            steps(&c.iter_range)
                .saturating_add(steps(&c.accu_init))
                .saturating_add(steps(&c.result))
                .saturating_add(elements(&c.iter_range).saturating_mul(body))
        }
        _ => children(node)
            .into_iter()
            .map(steps)
            .fold(1, u64::saturating_add),
    }
}

/// At most how many elements a list expression has.
fn elements(node: &IdedExpr) -> u64 {
    match &node.expr {
        Expr::List(list) => list.elements.len() as u64,
        Expr::Map(map) => map.entries.len() as u64,
        Expr::Ident(name) => match Variable::from_name(name).map(Variable::kind) {
            Some(VariableKind::CodeList(codes)) => codes.len() as u64,
            Some(VariableKind::NumberList) => u64::from(Children::MAX_COUNT),
            _ => UNKNOWN_LIST,
        },
        // `map` and `filter` give at most as many elements as they read.
        Expr::Comprehension(c) => elements(&c.iter_range),
        Expr::Call(call) if call.func_name == cel::common::ast::operators::ADD => {
            call.args.iter().map(elements).fold(0, u64::saturating_add)
        }
        _ => UNKNOWN_LIST,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_in_strings_do_not_count() {
        let deep = format!("{}1{}", "(".repeat(17), ")".repeat(17));
        assert!(check_source(&deep).is_err());
        let quoted = format!("x == \"{}\"", "(".repeat(40));
        assert_eq!(check_source(&quoted), Ok(()));
        let escaped = format!("x == 'it\\'s {}'", "[".repeat(40));
        assert_eq!(check_source(&escaped), Ok(()));
    }
}
