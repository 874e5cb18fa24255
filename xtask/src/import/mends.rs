//! The repairs import makes, one finding (printed as a warning) per repair: the defect
//! classes of Microsoft's published descriptions, each mended the way that keeps the
//! operation callable, deterministically.
//!
//! - A duplicated `operationId` (`tokenAdministration/5.x`: two operations are `List`):
//!   every operation of the group is renamed `{Resource}_{Method}` from its
//!   `x-ms-vss-resource` and `x-ms-vss-method` (the convention of the other operations of
//!   the published files, and the names `spec/` uses); without them, or when that name is
//!   taken, the path's last literal segment is appended (`List` + `/items` ->
//!   `ListItems`), then the HTTP method, then a number.
//! - A path parameter missing from its path template (`build/7.1`: `definitionId` on
//!   `/definitions/{DefinitionId}/tags`): when the template has a variable of the same name
//!   but for letter case that nothing declares, the parameter takes the template's
//!   spelling (dropping it would leave the variable undeclared and the operation
//!   uncallable; the name is not sent, so the request is the same); otherwise the path
//!   cannot carry the parameter at all and it is removed.
//!
//! The third class, an `x-ms-examples` reference whose letter case differs from the file
//! on disk, is mended where the files are read (`examples.rs`).

use std::collections::{HashMap, HashSet};

use serde_yaml::{Mapping, Value};

use super::{Diagnostic, operation_keys, operation_pointer, template};
use crate::diagnostics::join;

/// The operations renamed, and the warnings.
pub(crate) struct Renamed {
    pub(crate) findings: Vec<Diagnostic>,
    /// New id -> the id as in the file (which `--operation` names).
    pub(crate) original_ids: HashMap<String, String>,
}

/// Gives every operation that shares its `operationId` with another a name of its own.
pub(crate) fn operation_ids(document: &mut Value) -> Renamed {
    let keys = operation_keys(document);
    let ids: Vec<Option<String>> = keys
        .iter()
        .map(|(s, p, m)| {
            operation(document, s, p, m)
                .and_then(|op| op.get("operationId"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .collect();
    let mut count: HashMap<&str, usize> = HashMap::new();
    for id in ids.iter().flatten() {
        *count.entry(id.as_str()).or_default() += 1;
    }
    let mut taken: HashSet<String> = ids
        .iter()
        .flatten()
        .filter(|id| count[id.as_str()] == 1)
        .cloned()
        .collect();
    let mut renamed = Renamed {
        findings: Vec::new(),
        original_ids: HashMap::new(),
    };
    for ((section, path, method), id) in keys.iter().zip(&ids) {
        let Some(id) = id.as_deref().filter(|id| count[id] > 1) else {
            continue;
        };
        let Some(op) = operation_mut(document, section, path, method) else {
            continue;
        };
        let (new, why) = candidates(op, id, path, method)
            .into_iter()
            .find(|(name, _)| !taken.contains(name))
            .unwrap_or_else(|| {
                let n = (2..).find(|n| !taken.contains(&format!("{id}{n}")));
                (format!("{id}{}", n.unwrap_or(0)), "numbered")
            });
        op.insert(Value::from("operationId"), Value::from(new.as_str()));
        taken.insert(new.clone());
        let pointer = join(&operation_pointer(section, path, method), "operationId");
        renamed.findings.push(Diagnostic::warning(
            pointer,
            format!(
                "operationId {id:?} is shared by {} operations; renamed {new:?} ({why})",
                count[id]
            ),
        ));
        renamed.original_ids.insert(new, id.to_owned());
    }
    renamed
}

/// The names a duplicated operation may take, best first, with how each was made.
fn candidates(op: &Mapping, id: &str, path: &str, method: &str) -> Vec<(String, &'static str)> {
    let mut names = Vec::new();
    let text = |key: &str| {
        op.get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    if let (Some(resource), Some(vss_method)) = (text("x-ms-vss-resource"), text("x-ms-vss-method"))
    {
        names.push((
            format!("{}_{vss_method}", upper_first(resource)),
            "from its x-ms-vss-resource and x-ms-vss-method",
        ));
    }
    let segment = template(path)
        .split('/')
        .rev()
        .find(|s| !s.is_empty() && !s.contains('{'));
    if let Some(segment) = segment {
        let segment = heck::ToUpperCamelCase::to_upper_camel_case(segment);
        names.push((format!("{id}{segment}"), "the path's last segment appended"));
    }
    let method = heck::ToUpperCamelCase::to_upper_camel_case(method);
    names.push((format!("{id}{method}"), "its HTTP method appended"));
    names
}

/// `tokenPersonalAccessTokens` -> `TokenPersonalAccessTokens`: the resource's own words,
/// only its first letter raised.
fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// What to do with one path parameter the path does not have.
enum Mend {
    /// Take the template's spelling of the name.
    Rename {
        index: usize,
        to: String,
    },
    Remove {
        index: usize,
    },
}

/// Mends every path parameter missing from its path template: renamed to the template's
/// variable that differs from it in letter case only, otherwise removed.
pub(crate) fn path_parameters(document: &mut Value) -> Vec<Diagnostic> {
    let components = document
        .get("components")
        .and_then(|c| c.get("parameters"))
        .cloned()
        .unwrap_or(Value::Null);
    let mut findings = Vec::new();
    let mut lists: Vec<(String, String, Option<String>)> = Vec::new();
    for (section, path, method) in operation_keys(document) {
        let item = (section.clone(), path.clone(), None);
        if !lists.contains(&item) {
            lists.push(item);
        }
        lists.push((section, path, Some(method)));
    }
    for (section, path, method) in lists {
        let item_pointer = join(&join("", &section), &path);
        let (list_pointer, declared) = match &method {
            // The path item's parameters apply to all of its operations.
            None => (join(&item_pointer, "parameters"), HashSet::new()),
            Some(m) => (
                join(&join(&item_pointer, m), "parameters"),
                path_names(list(document, &section, &path, None), &components),
            ),
        };
        let Some(params) = list_mut(document, &section, &path, method.as_deref()) else {
            continue;
        };
        let mends = plan(params, template(&path), &declared, &components);
        for mend in mends.iter().rev() {
            match mend {
                Mend::Rename { index, to } => {
                    let entry = &mut params[*index];
                    // A shared parameter is copied into the operation before its rename.
                    if let Some(target) = reference_target(entry, &components) {
                        *entry = target.clone();
                    }
                    if let Some(map) = entry.as_mapping_mut() {
                        map.insert(Value::from("name"), Value::from(to.as_str()));
                    }
                }
                Mend::Remove { index } => {
                    params.remove(*index);
                }
            }
        }
        for mend in mends {
            let (index, what) = match mend {
                Mend::Rename { index, to } => (
                    index,
                    format!(
                        "renamed {to:?}, as the path writes it (the names differ in letter case only)"
                    ),
                ),
                Mend::Remove { index } => (index, "removed: the path cannot carry it".to_owned()),
            };
            findings.push(Diagnostic::warning(
                join(&list_pointer, &index.to_string()),
                format!("this path parameter is not in the path {path:?}; {what}"),
            ));
        }
    }
    findings
}

/// The mends of one parameter list, in its order.
fn plan(
    params: &[Value],
    template: &str,
    declared: &HashSet<String>,
    components: &Value,
) -> Vec<Mend> {
    let names: Vec<&str> = crate::swagger2::template_names(template);
    let mut declared = declared.clone();
    declared.extend(
        path_params(params, components)
            .into_iter()
            .filter(|(_, n)| names.contains(&n.as_str()))
            .map(|(_, n)| n),
    );
    let mut mends = Vec::new();
    for (index, name) in path_params(params, components) {
        if names.contains(&name.as_str()) {
            continue;
        }
        let same = names
            .iter()
            .find(|t| t.eq_ignore_ascii_case(&name) && !declared.contains(**t));
        match same {
            Some(to) => {
                declared.insert((*to).to_owned());
                mends.push(Mend::Rename {
                    index,
                    to: (*to).to_owned(),
                });
            }
            None => mends.push(Mend::Remove { index }),
        }
    }
    mends
}

/// The path parameters of a list: (index, name).
fn path_params(params: &[Value], components: &Value) -> Vec<(usize, String)> {
    params
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let p = reference_target(p, components).unwrap_or(p);
            if p.get("in")?.as_str()? != "path" {
                return None;
            }
            Some((i, p.get("name")?.as_str()?.to_owned()))
        })
        .collect()
}

fn path_names(params: Option<&Vec<Value>>, components: &Value) -> HashSet<String> {
    params
        .map(|p| {
            path_params(p, components)
                .into_iter()
                .map(|(_, n)| n)
                .collect()
        })
        .unwrap_or_default()
}

/// The component a `$ref: '#/components/parameters/NAME'` names.
fn reference_target<'v>(p: &Value, components: &'v Value) -> Option<&'v Value> {
    let name = p
        .get("$ref")?
        .as_str()?
        .strip_prefix("#/components/parameters/")?;
    components.get(name.replace("~1", "/").replace("~0", "~").as_str())
}

fn operation<'v>(
    document: &'v Value,
    section: &str,
    path: &str,
    method: &str,
) -> Option<&'v Mapping> {
    document.get(section)?.get(path)?.get(method)?.as_mapping()
}

fn operation_mut<'v>(
    document: &'v mut Value,
    section: &str,
    path: &str,
    method: &str,
) -> Option<&'v mut Mapping> {
    document
        .get_mut(section)?
        .get_mut(path)?
        .get_mut(method)?
        .as_mapping_mut()
}

/// The parameters of a path item (`method` None) or of one of its operations.
fn list<'v>(
    document: &'v Value,
    section: &str,
    path: &str,
    method: Option<&str>,
) -> Option<&'v Vec<Value>> {
    let item = document.get(section)?.get(path)?;
    let holder = match method {
        Some(m) => item.get(m)?,
        None => item,
    };
    holder.get("parameters")?.as_sequence()
}

fn list_mut<'v>(
    document: &'v mut Value,
    section: &str,
    path: &str,
    method: Option<&str>,
) -> Option<&'v mut Vec<Value>> {
    let item = document.get_mut(section)?.get_mut(path)?;
    let holder = match method {
        Some(m) => item.get_mut(m)?,
        None => item,
    };
    holder.get_mut("parameters")?.as_sequence_mut()
}
