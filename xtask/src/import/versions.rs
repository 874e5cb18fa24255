//! The `api-version` an operation sends. Microsoft's descriptions declare it as a required
//! query parameter of any string (mostly the shared `#/components/parameters/api-Version`)
//! and give the version an operation is documented with in `x-ms-docs-override-version`.
//! Left so, every generated method would take the version as an argument and no imported
//! example (which gives no value for the shared parameter) could be replayed. So each
//! operation gets its own copy of the parameter with that one value (its
//! `x-ms-docs-override-version`, else the description's `info.version`), which the
//! generated client sends itself; one warning per operation.

use serde_yaml::{Mapping, Value};

use super::{Diagnostic, operation_keys, operation_pointer};
use crate::diagnostics::join;

/// The parameter's name.
const API_VERSION: &str = "api-version";

/// Gives each operation's `api-version` parameter without a fixed value the version the
/// operation is documented with.
pub(crate) fn api_version(document: &mut Value) -> Vec<Diagnostic> {
    let default = document
        .get("info")
        .and_then(|i| i.get("version"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let components = document
        .get("components")
        .and_then(|c| c.get("parameters"))
        .cloned()
        .unwrap_or(Value::Null);
    let mut findings = Vec::new();
    for (section, path, method) in operation_keys(document) {
        let Some(op) = document
            .get_mut(section.as_str())
            .and_then(|s| s.get_mut(path.as_str()))
            .and_then(|p| p.get_mut(method.as_str()))
            .and_then(Value::as_mapping_mut)
        else {
            continue;
        };
        let documented = op
            .get("x-ms-docs-override-version")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let Some(version) = documented.clone().or_else(|| default.clone()) else {
            continue;
        };
        let Some(Value::Sequence(params)) = op.get_mut("parameters") else {
            continue;
        };
        for (i, entry) in params.iter_mut().enumerate() {
            let Some(param) = resolve(entry, &components) else {
                continue;
            };
            if !is_open_api_version(&param) {
                continue;
            }
            *entry = Value::Mapping(with_value(param, &version));
            let source = if documented.is_some() {
                "the operation's x-ms-docs-override-version"
            } else {
                "the description's info.version"
            };
            findings.push(Diagnostic::warning(
                join(
                    &join(&operation_pointer(&section, &path, &method), "parameters"),
                    &i.to_string(),
                ),
                format!(
                    "`api-version` has no fixed value: the operation sends {version:?} ({source})"
                ),
            ));
        }
    }
    findings
}

/// The parameter an entry is: itself, or the component parameter its `$ref` names.
fn resolve(entry: &Value, components: &Value) -> Option<Mapping> {
    let map = entry.as_mapping()?;
    match map.get("$ref").and_then(Value::as_str) {
        Some(reference) => components
            .get(reference.strip_prefix("#/components/parameters/")?)?
            .as_mapping()
            .cloned(),
        None => Some(map.clone()),
    }
}

/// A query `api-version` whose schema is a string with no `enum`.
fn is_open_api_version(param: &Mapping) -> bool {
    let schema = param.get("schema");
    param.get("name").and_then(Value::as_str) == Some(API_VERSION)
        && param.get("in").and_then(Value::as_str) == Some("query")
        && schema.and_then(|s| s.get("type")).and_then(Value::as_str) == Some("string")
        && schema.and_then(|s| s.get("enum")).is_none()
}

/// The parameter, required, with `version` its one value.
fn with_value(mut param: Mapping, version: &str) -> Mapping {
    let mut schema = param
        .get("schema")
        .and_then(Value::as_mapping)
        .cloned()
        .unwrap_or_default();
    schema.insert(
        Value::from("enum"),
        Value::Sequence(vec![Value::from(version)]),
    );
    param.insert(Value::from("schema"), Value::Mapping(schema));
    param.insert(Value::from("required"), Value::Bool(true));
    param
}
