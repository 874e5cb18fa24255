//! What must hold of an imported description besides the shape of each node (which the
//! loader checks as for `codegen`): every `$ref` names a node of the document, and each
//! path's template and its path parameters agree. After the mends, anything found here is
//! a defect import does not know how to repair, and refuses.

use std::collections::HashSet;

use serde_yaml::Value;

use super::{Diagnostic, operation_keys, operation_pointer, template};
use crate::diagnostics::join;

/// Every problem, in document order.
pub(crate) fn check(document: &Value) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    references(document, document, "", &mut found);
    path_templates(document, &mut found);
    schemas(document, "", &mut found);
    found
}

/// Every schema below `value`: those of `components/schemas` and those under a `schema`
/// key (of parameters, media types, headers), skipping examples and extensions (but
/// `x-ms-paths`), whose values are data.
fn schemas(value: &Value, at: &str, found: &mut Vec<Diagnostic>) {
    match value {
        Value::Mapping(map) => {
            for (k, v) in map {
                let Some(key) = k.as_str() else {
                    continue;
                };
                let child = join(at, key);
                if key == "schema" || (at == "/components" && key == "schemas") {
                    if key == "schema" {
                        schema(v, &child, found);
                    } else if let Some(named) = v.as_mapping() {
                        for (name, s) in named {
                            let name = name.as_str().unwrap_or_default();
                            schema(s, &join(&child, name), found);
                        }
                    }
                } else if !(matches!(key, "example" | "examples" | "default" | "enum")
                    || key.starts_with("x-") && key != "x-ms-paths")
                {
                    schemas(v, &child, found);
                }
            }
        }
        Value::Sequence(items) => {
            for (i, v) in items.iter().enumerate() {
                schemas(v, &join(at, &i.to_string()), found);
            }
        }
        _ => {}
    }
}

/// One schema and those inside it: a `type` JSON Schema does not have is refused (the
/// document model takes it for a schema of any type, which it is not).
fn schema(value: &Value, at: &str, found: &mut Vec<Diagnostic>) {
    let Some(map) = value.as_mapping() else {
        return;
    };
    if map.contains_key("$ref") {
        return;
    }
    if let Some(t) = map.get("type")
        && !crate::swagger2::is_type(t)
    {
        found.push(Diagnostic::error(
            join(at, "type"),
            "`type` is one of array, boolean, integer, number, object, string",
        ));
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(v) = map.get(key) {
            schema(v, &join(at, key), found);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for (i, v) in map
            .get(key)
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
            .enumerate()
        {
            schema(v, &join(&join(at, key), &i.to_string()), found);
        }
    }
    if let Some(properties) = map.get("properties").and_then(Value::as_mapping) {
        let properties_at = join(at, "properties");
        for (name, v) in properties {
            schema(
                v,
                &join(&properties_at, name.as_str().unwrap_or_default()),
                found,
            );
        }
    }
}

/// Every `$ref` below `value` (at `at`) that names nothing; extensions are skipped, but
/// for `x-ms-paths`, which holds operations (an `x-ms-examples` `$ref` names a file).
fn references(document: &Value, value: &Value, at: &str, found: &mut Vec<Diagnostic>) {
    match value {
        Value::Mapping(map) => {
            if let Some(reference) = map.get("$ref") {
                let pointer = join(at, "$ref");
                match reference.as_str() {
                    Some(r) if r.starts_with('#') => {
                        if resolve(document, &r[1..]).is_none() {
                            found.push(Diagnostic::error(
                                pointer,
                                format!("dangling $ref: {r} does not exist"),
                            ));
                        }
                    }
                    Some(r) => found.push(Diagnostic::error(
                        pointer,
                        format!("$ref {r:?} names another file; import reads one file"),
                    )),
                    None => found.push(Diagnostic::error(pointer, "a $ref must be a string")),
                }
                return;
            }
            for (k, v) in map {
                let Some(key) = k.as_str() else {
                    continue;
                };
                if key.starts_with("x-") && key != "x-ms-paths" {
                    continue;
                }
                references(document, v, &join(at, key), found);
            }
        }
        Value::Sequence(items) => {
            for (i, v) in items.iter().enumerate() {
                references(document, v, &join(at, &i.to_string()), found);
            }
        }
        _ => {}
    }
}

/// The node at a JSON pointer.
pub(crate) fn resolve<'v>(document: &'v Value, pointer: &str) -> Option<&'v Value> {
    if pointer.is_empty() {
        return Some(document);
    }
    let mut node = document;
    for token in pointer.strip_prefix('/')?.split('/') {
        let token = token.replace("~1", "/").replace("~0", "~");
        node = match node {
            Value::Mapping(m) => m.get(token.as_str())?,
            Value::Sequence(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// Each `{name}` of a path has a path parameter, and each path parameter a `{name}`, which
/// it must require.
fn path_templates(document: &Value, found: &mut Vec<Diagnostic>) {
    for (section, path, method) in operation_keys(document) {
        let op_pointer = operation_pointer(&section, &path, &method);
        let item_pointer = op_pointer
            .rsplit_once('/')
            .map_or("", |(p, _)| p)
            .to_owned();
        let names = crate::swagger2::template_names(template(&path));
        let mut declared = HashSet::new();
        for holder in [item_pointer.as_str(), op_pointer.as_str()] {
            let list_pointer = join(holder, "parameters");
            let Some(list) = resolve(document, &list_pointer).and_then(Value::as_sequence) else {
                continue;
            };
            for (i, p) in list.iter().enumerate() {
                let p_pointer = join(&list_pointer, &i.to_string());
                let p = match p.get("$ref").and_then(Value::as_str) {
                    Some(r) => match resolve(document, r.trim_start_matches('#')) {
                        Some(target) => target,
                        None => continue,
                    },
                    None => p,
                };
                if p.get("in").and_then(Value::as_str) != Some("path") {
                    continue;
                }
                let Some(name) = p.get("name").and_then(Value::as_str) else {
                    continue;
                };
                // The path item's parameters are checked with each of its operations; once
                // is enough to report them.
                let first =
                    holder == op_pointer || method_is_first(document, &item_pointer, &method);
                if !names.contains(&name) && first {
                    found.push(Diagnostic::error(
                        p_pointer.clone(),
                        format!("path parameter {name:?} does not appear in the path {path:?}"),
                    ));
                }
                if p.get("required").and_then(Value::as_bool) != Some(true) && first {
                    found.push(Diagnostic::error(
                        join(&p_pointer, "required"),
                        format!("path parameter {name:?} must be required"),
                    ));
                }
                declared.insert(name.to_owned());
            }
        }
        for name in names {
            if !declared.contains(name) {
                found.push(Diagnostic::error(
                    op_pointer.clone(),
                    format!("path {path:?} has {{{name}}} but the operation declares no path parameter {name:?}"),
                ));
            }
        }
    }
}

/// Whether `method` is the first operation of the path item at `item_pointer`.
fn method_is_first(document: &Value, item_pointer: &str, method: &str) -> bool {
    let first = resolve(document, item_pointer)
        .and_then(Value::as_mapping)
        .and_then(|item| {
            item.keys()
                .filter_map(Value::as_str)
                .find(|k| super::METHODS.contains(k))
        });
    first == Some(method)
}
