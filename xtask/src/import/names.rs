//! Repairs that keep `codegen` from refusing a description for what is only a gap in it,
//! one warning each:
//!
//! - Two operations whose operationIds give the same method name (`core/7.1`:
//!   `Teams_Get` and `Teams_Get Teams` are both `get_teams`): the first in the file keeps
//!   it, each later one gets `x-method-name`, its whole operationId in snake case
//!   (`teams_get_teams`), numbered if that is taken too. Worked out over the whole
//!   description, so that an operation is named the same whatever part is imported.
//! - A title that names the crate after one of Rust's own (`core/7.1`: `Core` -> `core`;
//!   `test/7.1`: `test`), which `codegen` refuses: `x-crate-name` `{name}-client`.
//! - An array schema without `items` (`git/7.1`, `memberEntitlementManagement/7.1`): its
//!   items are any JSON (`items: {}`), which is all the description says of them.

use std::collections::HashSet;

use serde_yaml::{Mapping, Value};

use super::{Diagnostic, each_mapping, operation_keys, operation_pointer};
use crate::diagnostics::join;
use crate::names;

/// Gives `x-method-name` to each operation whose method name an earlier one has.
pub(crate) fn method_names(document: &mut Value) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    let mut taken: HashSet<String> = HashSet::new();
    let mut first: Vec<(String, String)> = Vec::new();
    for (section, path, method) in operation_keys(document) {
        let Some(op) = document
            .get_mut(section.as_str())
            .and_then(|s| s.get_mut(path.as_str()))
            .and_then(|p| p.get_mut(method.as_str()))
            .and_then(Value::as_mapping_mut)
        else {
            continue;
        };
        if let Some(given) = op.get("x-method-name").and_then(Value::as_str) {
            taken.insert(given.to_owned());
            continue;
        }
        let Some(id) = op
            .get("operationId")
            .and_then(Value::as_str)
            .map(str::to_owned)
        else {
            continue;
        };
        let Some(name) = names::method_name(&id) else {
            continue;
        };
        if taken.insert(name.clone()) {
            first.push((name, id));
            continue;
        }
        let other = first
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(String::new(), |(_, id)| id.clone());
        let base = names::snake(&id).unwrap_or_else(|| name.clone());
        let new = std::iter::once(base.clone())
            .chain((2..).map(|n| format!("{base}_{n}")))
            .find(|n| !taken.contains(n))
            .unwrap_or(base);
        taken.insert(new.clone());
        op.insert(Value::from("x-method-name"), Value::from(new.as_str()));
        findings.push(Diagnostic::warning(
            join(&operation_pointer(&section, &path, &method), "operationId"),
            format!(
                "operationId {id:?} would give method `{name}`, as {other:?} does: named \
                 `{new}` (x-method-name)"
            ),
        ));
    }
    findings
}

/// Gives `x-crate-name` `{name}-client` to a description whose title would name the crate
/// after one of Rust's own crates.
pub(crate) fn crate_name(document: &mut Value) -> Vec<Diagnostic> {
    let Some(info) = document.get_mut("info").and_then(Value::as_mapping_mut) else {
        return Vec::new();
    };
    if info.contains_key("x-crate-name") {
        return Vec::new();
    }
    let Some(title) = info.get("title").and_then(Value::as_str) else {
        return Vec::new();
    };
    let name = heck::ToKebabCase::to_kebab_case(title);
    if !names::RUST_CRATES.contains(&name.replace('-', "_").as_str()) {
        return Vec::new();
    }
    let new = format!("{name}-client");
    info.insert(Value::from("x-crate-name"), Value::from(new.as_str()));
    vec![Diagnostic::warning(
        "/info/title",
        format!(
            "the title names the crate `{name}`, which is Rust's own crate: named `{new}` \
             (x-crate-name)"
        ),
    )]
}

/// Gives `items: {}` to every array schema that has none.
pub(crate) fn array_items(document: &mut Value) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    // Only schemas have `type: array` (security schemes' types are other words).
    each_mapping(document, &mut |map, pointer| {
        if is_array_without_items(map) {
            map.insert(Value::from("items"), Value::Mapping(Mapping::new()));
            findings.push(Diagnostic::warning(
                pointer.render(),
                "an array schema without `items`: its items are any JSON (`items: {}`)",
            ));
        }
    });
    findings
}

fn is_array_without_items(map: &Mapping) -> bool {
    map.get("type").and_then(Value::as_str) == Some("array") && !map.contains_key("items")
}
