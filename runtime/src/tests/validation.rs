//! `runtime/src/validation.rs`: the checks a request passes before it is sent.

use crate::validation::{Path, known};

const LEVELS: &[&str] = &["none", "iterations", "workItems"];

fn check(value: &str) -> Result<(), String> {
    known(&Path::root("detailsToInclude"), value, LEVELS).map_err(|e| e.to_string())
}

#[test]
fn an_enum_value_must_be_listed() {
    assert_eq!(check("iterations"), Ok(()));
    let refused = check("subResults").unwrap_err();
    assert!(
        refused.contains(r#"detailsToInclude must be one of "none", "iterations", "workItems" (got "subResults")"#),
        "{refused}"
    );
}

/// .NET flags: listed values joined by commas, in any letter case, with spaces after the
/// commas as Microsoft's examples write them; every part must be listed.
#[test]
fn a_combination_of_listed_values_is_one_too() {
    assert_eq!(check("WorkItems,Iterations"), Ok(()));
    assert_eq!(check("workItems, iterations"), Ok(()));
    assert!(check("workItems,subResults").is_err());
    assert!(check("workItems,").is_err());
    assert!(check(",").is_err());
}
