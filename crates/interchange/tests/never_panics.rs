#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! Whatever a file holds, reading it gives cases or errors, never a panic.

use dakwacht_interchange::CaseReader;
use proptest::prelude::*;

const HEADER: &str = "case_ref,organisation,reported_on,municipality,household,children_count,children_ages,tenancy,home_lost_on,route,main_reason,other_reasons,legal_support,default_judgment,alternative_offered,situation_after,current_situation,last_seen_on,last_seen_situation,rehoused_on,child_heard,best_interest_weighed,family_separated,shelter_refused_no_binding,school_disrupted,notes,x_extra\n";

/// Cells that are near-valid: the kind of value that exercises the parsers' edges.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("unknown".to_string()),
        "[0-9]{1,3}",
        "20[0-9]{2}-[0-1][0-9](-[0-3][0-9])?",
        "(court_eviction|left_other|yes|no|car|housed|none|corporation|\\?|'=x)",
        "[0-9?;]{0,8}",
        any::<String>(),
    ]
}

proptest! {
    #[test]
    fn arbitrary_bytes_after_a_header_never_panic(body in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let mut bytes = HEADER.as_bytes().to_vec();
        bytes.extend(body);
        if let Ok(Ok(reader)) = CaseReader::csv(&bytes[..]) {
            for (line, _) in reader {
                prop_assert!(line >= 2);
            }
        }
    }

    #[test]
    fn rows_of_edge_values_give_cases_or_located_errors(rows in proptest::collection::vec(proptest::collection::vec(cell(), 27), 1..20)) {
        let mut text = HEADER.to_string();
        for row in &rows {
            let cells: Vec<String> = row.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect();
            text.push_str(&cells.join(","));
            text.push('\n');
        }
        let reader = CaseReader::csv(text.as_bytes()).unwrap().unwrap();
        for (_, row) in reader {
            if let Err(errors) = row {
                prop_assert!(!errors.is_empty());
                for error in errors {
                    prop_assert!(error.line >= 2);
                    let expected_start = format!("line {}", error.line);
                    prop_assert!(error.to_string().starts_with(&expected_start));
                }
            }
        }
    }
}

proptest! {
    #[test]
    fn arbitrary_headers_never_panic(header in any::<String>(), row in any::<String>()) {
        let text = format!("{header}\n{row}\n");
        if let Ok(Ok(reader)) = CaseReader::csv(text.as_bytes()) {
            for _ in reader {}
        }
    }
}
