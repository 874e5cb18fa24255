//! `--operation ID` and `--tag NAME`: import a part of a description, so that a maintainer
//! can bring the neighbours of an operation into `spec/`. The operations asked for stay,
//! with every component they reach through `$ref`s (transitively) and every security
//! scheme their requirements name; the rest goes, and the tags no kept operation uses.

use std::collections::{HashMap, HashSet};

use serde_yaml::{Mapping, Value};

use super::{Diagnostic, PATH_SECTIONS, operation_keys};

/// Keeps only the operations whose `operationId` (as in the file, or as mended) is in
/// `operations` or which have a tag in `tags`, when either is given. An id or tag that
/// names no operation is a finding each.
pub(crate) fn part(
    document: &mut Value,
    operations: &[String],
    tags: &[String],
    original_ids: &HashMap<String, String>,
) -> Result<(), Vec<Diagnostic>> {
    if operations.is_empty() && tags.is_empty() {
        return Ok(());
    }
    let mut ids_seen = HashSet::new();
    let mut tags_seen = HashSet::new();
    let mut dropped = Vec::new();
    for (section, path, method) in operation_keys(document) {
        let op = &document[section.as_str()][path.as_str()][method.as_str()];
        let id = op.get("operationId").and_then(Value::as_str).unwrap_or("");
        let original = original_ids.get(id).map_or(id, String::as_str);
        let mut keep = false;
        for asked in operations {
            if asked == id || asked == original {
                ids_seen.insert(asked.as_str());
                keep = true;
            }
        }
        let op_tags = op.get("tags").and_then(Value::as_sequence);
        for tag in op_tags.into_iter().flatten().filter_map(Value::as_str) {
            if let Some(asked) = tags.iter().find(|t| *t == tag) {
                tags_seen.insert(asked.as_str());
                keep = true;
            }
        }
        if !keep {
            dropped.push((section, path, method));
        }
    }
    let mut missing: Vec<Diagnostic> = operations
        .iter()
        .filter(|id| !ids_seen.contains(id.as_str()))
        .map(|id| Diagnostic::error("/paths", format!("no operation has operationId {id:?}")))
        .collect();
    missing.extend(
        tags.iter()
            .filter(|t| !tags_seen.contains(t.as_str()))
            .map(|t| Diagnostic::error("/paths", format!("no operation has the tag {t:?}"))),
    );
    if !missing.is_empty() {
        return Err(missing);
    }
    for (section, path, method) in dropped {
        if let Some(item) = document[section.as_str()][path.as_str()].as_mapping_mut() {
            item.remove(method.as_str());
        }
    }
    drop_empty_path_items(document);
    keep_reached_components(document);
    keep_used_tags(document);
    Ok(())
}

/// Path items left without operations go; so does an empty `x-ms-paths` (`paths` stays:
/// OpenAPI requires it).
fn drop_empty_path_items(document: &mut Value) {
    for section in PATH_SECTIONS {
        let Some(paths) = document.get_mut(*section).and_then(Value::as_mapping_mut) else {
            continue;
        };
        paths.retain(|path, item| {
            let is_path = path.as_str().is_some_and(|p| !p.starts_with("x-"));
            !is_path
                || item.as_mapping().is_some_and(|i| {
                    i.keys()
                        .filter_map(Value::as_str)
                        .any(|k| super::METHODS.contains(&k))
                })
        });
        if *section != "paths"
            && paths.is_empty()
            && let Some(root) = document.as_mapping_mut()
        {
            root.remove(*section);
        }
    }
}

/// Removes every component that the paths, and the components they reach, never name.
fn keep_reached_components(document: &mut Value) {
    let mut reached: HashSet<(String, String)> = HashSet::new();
    let mut pending: Vec<Value> = Vec::new();
    for section in PATH_SECTIONS {
        if let Some(paths) = document.get(*section) {
            pending.push(paths.clone());
        }
    }
    for scheme in requirement_names(document) {
        reached.insert(("securitySchemes".to_owned(), scheme));
    }
    let components = document.get("components").cloned().unwrap_or(Value::Null);
    while let Some(value) = pending.pop() {
        let mut found = Vec::new();
        references(&value, &mut found);
        for (kind, name) in found {
            if reached.insert((kind.clone(), name.clone()))
                && let Some(target) = components
                    .get(kind.as_str())
                    .and_then(|k| k.get(name.as_str()))
            {
                pending.push(target.clone());
            }
        }
    }
    let Some(components) = document
        .get_mut("components")
        .and_then(Value::as_mapping_mut)
    else {
        return;
    };
    for (kind, entries) in components.iter_mut() {
        let (Some(kind), Some(entries)) = (kind.as_str(), entries.as_mapping_mut()) else {
            continue;
        };
        if kind.starts_with("x-") {
            continue;
        }
        entries.retain(|name, _| {
            name.as_str()
                .is_some_and(|n| reached.contains(&(kind.to_owned(), n.to_owned())))
        });
    }
    components.retain(|kind, entries| {
        kind.as_str().is_some_and(|k| k.starts_with("x-"))
            || entries.as_mapping().is_none_or(|e| !e.is_empty())
    });
    if components.is_empty()
        && let Some(root) = document.as_mapping_mut()
    {
        root.remove("components");
    }
}

/// The security schemes named by the document's and the operations' requirements.
fn requirement_names(document: &Value) -> Vec<String> {
    let mut lists = vec![document.get("security")];
    for (section, path, method) in operation_keys(document) {
        lists.push(document[section.as_str()][path.as_str()][method.as_str()].get("security"));
    }
    lists
        .into_iter()
        .flatten()
        .filter_map(Value::as_sequence)
        .flatten()
        .filter_map(Value::as_mapping)
        .flat_map(Mapping::keys)
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// Every `#/components/KIND/NAME` below `value`, named by a `$ref` or a discriminator's
/// `mapping`.
fn references(value: &Value, found: &mut Vec<(String, String)>) {
    match value {
        Value::Mapping(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    (Some("$ref"), Value::String(r)) => found.extend(component(r)),
                    (Some("mapping"), Value::Mapping(m)) => {
                        found.extend(m.values().filter_map(Value::as_str).filter_map(component));
                        references(v, found);
                    }
                    _ => references(v, found),
                }
            }
        }
        Value::Sequence(items) => {
            for v in items {
                references(v, found);
            }
        }
        _ => {}
    }
}

/// The (kind, name) of the component `#/components/KIND/NAME` names.
fn component(reference: &str) -> Option<(String, String)> {
    let (kind, name) = reference.strip_prefix("#/components/")?.split_once('/')?;
    Some((kind.to_owned(), name.replace("~1", "/").replace("~0", "~")))
}

/// The document's tags, but those no operation uses.
fn keep_used_tags(document: &mut Value) {
    let mut used = HashSet::new();
    for (section, path, method) in operation_keys(document) {
        let op = &document[section.as_str()][path.as_str()][method.as_str()];
        for tag in op
            .get("tags")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
        {
            if let Some(t) = tag.as_str() {
                used.insert(t.to_owned());
            }
        }
    }
    if let Some(tags) = document.get_mut("tags").and_then(Value::as_sequence_mut) {
        tags.retain(|t| {
            t.get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| used.contains(n))
        });
    }
}
