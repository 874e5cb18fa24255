//! Microsoft's examples, carried into the imported spec as OpenAPI 3 `examples`.
//!
//! An operation's `x-ms-examples` names files relative to the description
//! (`./httpExamples/...`), each holding the request's `parameters` (the body under the
//! body parameter's name) and `responses` by status (`body`, `headers`). Their values
//! become `examples` entries of the request body's media types, of the operation's own
//! parameters and of the responses' media types, named as in `x-ms-examples` (an empty
//! name, which a third of them have, takes the file's name). Then the operation's
//! `x-ms-examples` goes: the imported spec lives elsewhere and its references would name
//! nothing there.
//!
//! Path and query parameter values an example gives only in its request URL
//! (`x-ms-vss-request-url`) are read from there, and a 2xx status an example answers with
//! that the operation does not declare is declared: a repair each.
//!
//! A reference whose letter case differs from the file on disk (the files were written on
//! a case-insensitive file system) is repaired: each part of the path is looked up without
//! regard to case in its directory. An example the description gives no place to (a body
//! for a status the operation declares without content, a body of a shared request body)
//! is left out, with a note.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};

use super::{Diagnostic, operation_keys, operation_pointer, template};
use crate::diagnostics::join;

/// What carrying the examples over found.
#[derive(Default)]
pub(crate) struct Carried {
    /// Example references repaired (letter case).
    pub(crate) repairs: Vec<Diagnostic>,
    /// Example references that name no readable example.
    pub(crate) errors: Vec<Diagnostic>,
    /// Examples, or parts of them, left out.
    pub(crate) notes: Vec<Diagnostic>,
    /// How many example files were carried over.
    pub(crate) count: usize,
}

/// Carries every operation's `x-ms-examples` into `examples`. `body_name` gives the name
/// an example gives the body of the operation whose request body is at a pointer.
pub(crate) fn carry_over(
    document: &mut Value,
    base: &Path,
    mut files: Files,
    body_name: &dyn Fn(&str) -> String,
) -> Carried {
    let mut carried = Carried::default();
    for (section, path, method) in operation_keys(document) {
        let op_pointer = operation_pointer(&section, &path, &method);
        let Some(op) = document
            .get_mut(section.as_str())
            .and_then(|s| s.get_mut(path.as_str()))
            .and_then(|i| i.get_mut(method.as_str()))
            .and_then(Value::as_mapping_mut)
        else {
            continue;
        };
        let Some(listed) = op.remove("x-ms-examples") else {
            continue;
        };
        let listed_pointer = join(&op_pointer, "x-ms-examples");
        let Some(listed) = listed.as_mapping() else {
            carried.errors.push(Diagnostic::error(
                listed_pointer,
                "must be a mapping of example names to `$ref`s",
            ));
            continue;
        };
        let body = body_name(&join(&op_pointer, "requestBody"));
        let mut names: Vec<String> = Vec::new();
        for (name, entry) in listed {
            let name = name.as_str().unwrap_or_default();
            let ref_pointer = join(&join(&listed_pointer, name), "$ref");
            let Some(reference) = entry.get("$ref").and_then(Value::as_str) else {
                carried.errors.push(Diagnostic::error(
                    ref_pointer,
                    "an example needs a `$ref` (a file)",
                ));
                continue;
            };
            let outcome = files
                .remove(reference)
                .unwrap_or_else(|| read(base, reference));
            let example = match outcome {
                Ok((example, repaired)) => {
                    if let Some(on_disk) = repaired {
                        carried.repairs.push(Diagnostic::warning(
                            ref_pointer.clone(),
                            format!("example file {reference:?} does not exist as written; {on_disk:?} differs in letter case only: used that"),
                        ));
                    }
                    example
                }
                Err(message) => {
                    carried.errors.push(Diagnostic::error(ref_pointer, message));
                    continue;
                }
            };
            let name = unique(example_name(name, reference), &names);
            names.push(name.clone());
            let place = Place {
                name: &name,
                body: &body,
                pointer: &ref_pointer,
                template: template(&path),
            };
            carried.repairs.extend(place.declare_statuses(op, &example));
            carried.notes.extend(place.carry(op, &example));
            carried.repairs.extend(place.values_from_url(op, &example));
            carried.count += 1;
        }
    }
    carried
}

/// An example's name: as listed, or the file's name without `.json` when that is empty.
fn example_name(listed: &str, reference: &str) -> String {
    if !listed.is_empty() {
        return listed.to_owned();
    }
    let file = reference.rsplit('/').next().unwrap_or(reference);
    file.strip_suffix(".json").unwrap_or(file).to_owned()
}

/// `name`, or `name2`, `name3`, ... when an example of the operation has it.
fn unique(name: String, taken: &[String]) -> String {
    if !taken.contains(&name) {
        return name;
    }
    (2..)
        .map(|n| format!("{name}{n}"))
        .find(|n| !taken.contains(n))
        .unwrap_or(name)
}

/// One example of one operation: its name, the name of the body among its parameters,
/// and where it is listed (for notes).
struct Place<'a> {
    name: &'a str,
    body: &'a str,
    pointer: &'a str,
    /// The operation's path template.
    template: &'a str,
}

impl Place<'_> {
    /// Values of path and query parameters the example's `parameters` leave out, read
    /// from its request URL (`x-ms-vss-request-url`): Microsoft's example files often give
    /// them only there. One repair each.
    fn values_from_url(&self, op: &mut Mapping, example: &Value) -> Vec<Diagnostic> {
        let Some(url) = example.get("x-ms-vss-request-url").and_then(Value::as_str) else {
            return Vec::new();
        };
        let given = example.get("parameters").and_then(Value::as_mapping);
        let declared = |op: &Mapping, name: &str, location: &str| {
            op.get("parameters")
                .and_then(Value::as_sequence)
                .and_then(|ps| {
                    ps.iter().find(|p| {
                        p.get("name").and_then(Value::as_str) == Some(name)
                            && p.get("in").and_then(Value::as_str) == Some(location)
                    })
                })
                .map(|p| p.get("schema").and_then(|s| s.get("type")).cloned())
        };
        let mut repairs = Vec::new();
        let mut take = |op: &mut Mapping, name: &str, location: &str, value: Value| {
            if given.is_some_and(|g| g.contains_key(name)) {
                return;
            }
            let text = match &value {
                Value::Sequence(items) => items
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join("\", \""),
                other => other.as_str().unwrap_or_default().to_owned(),
            };
            self.put_in_parameter(op, name, &value);
            repairs.push(Diagnostic::warning(
                self.pointer,
                format!(
                    "example {:?} gives the {location} parameter {name:?} only in its request \
                     URL: \"{text}\" taken from there",
                    self.name
                ),
            ));
        };
        for (name, value) in path_values(self.template, url) {
            if declared(op, &name, "path").is_some() {
                take(op, &name, "path", Value::from(value.as_str()));
            }
        }
        let query = query_values(url);
        let names: Vec<String> = op
            .get("parameters")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
            .filter(|p| p.get("in").and_then(Value::as_str) == Some("query"))
            .filter_map(|p| p.get("name").and_then(Value::as_str).map(str::to_owned))
            .filter(|n| n != "api-version")
            .collect();
        for name in names {
            // ASP.NET binds query names without regard to case.
            let values: Vec<&str> = query
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case(&name))
                .map(|(_, v)| v.as_str())
                .collect();
            let Some(first) = values.first() else {
                continue;
            };
            let is_array = declared(op, &name, "query").flatten() == Some(Value::from("array"));
            let value = if is_array {
                Value::Sequence(
                    values
                        .iter()
                        .flat_map(|v| v.split(','))
                        .map(Value::from)
                        .collect(),
                )
            } else {
                Value::from(*first)
            };
            take(op, &name, "query", value);
        }
        repairs
    }

    /// Declares the 2xx statuses the example answers with that the operation does not
    /// (`git/7.1`'s pushes are created with `201`, described as `200`): the client would
    /// take the service's answer for an error. The new status has the content of the
    /// operation's first 2xx response when the example answers with a body (and the status
    /// is not `204` or `205`), none otherwise. One repair each.
    fn declare_statuses(&self, op: &mut Mapping, example: &Value) -> Vec<Diagnostic> {
        let mut repairs = Vec::new();
        let Some(answered) = example.get("responses").and_then(Value::as_mapping) else {
            return repairs;
        };
        let Some(responses) = op.get_mut("responses").and_then(Value::as_mapping_mut) else {
            return repairs;
        };
        let success = |key: &Value| {
            let status = match key {
                Value::String(s) => s.parse::<u16>().ok(),
                Value::Number(n) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
                _ => None,
            };
            status.filter(|s| (200..300).contains(s))
        };
        let Some(first) = responses.keys().filter_map(success).min() else {
            // Without any 2xx response, the client takes every 2xx status as success.
            return repairs;
        };
        let declared: Vec<String> = responses
            .keys()
            .filter_map(success)
            .map(|s| s.to_string())
            .collect();
        for (key, response) in answered {
            let Some(status) = success(key) else { continue };
            let status = status.to_string();
            if responses.contains_key(status.as_str()) {
                continue;
            }
            let like = responses
                .get(first.to_string().as_str())
                .and_then(Value::as_mapping)
                .filter(|r| !r.contains_key("$ref"))
                .cloned()
                .unwrap_or_default();
            let mut new = Mapping::new();
            let description = like
                .get("description")
                .cloned()
                .unwrap_or_else(|| Value::from(""));
            new.insert(Value::from("description"), description);
            // A 204 or 205 has no content whatever the example says (HTTP gives it none).
            let bodiless = matches!(status.as_str(), "204" | "205");
            let content = like
                .get("content")
                .filter(|_| response.get("body").is_some() && !bodiless);
            if let Some(Value::Mapping(content)) = content {
                let mut content = content.clone();
                for (_, media) in content.iter_mut() {
                    if let Some(media) = media.as_mapping_mut() {
                        media.remove("examples");
                    }
                }
                new.insert(Value::from("content"), Value::Mapping(content));
            }
            let how = if new.contains_key("content") {
                format!("declared with the content of {first}")
            } else {
                "declared without content".to_owned()
            };
            responses.insert(Value::from(status.as_str()), Value::Mapping(new));
            repairs.push(Diagnostic::warning(
                self.pointer,
                format!(
                    "example {:?} answers {status}, which the operation does not declare (it \
                     declares {}): {status} {how}",
                    self.name,
                    declared.join(", ")
                ),
            ));
        }
        repairs
    }

    /// Puts the example's values into `op`; notes for what has no place.
    fn carry(&self, op: &mut Mapping, example: &Value) -> Vec<Diagnostic> {
        let mut notes = Vec::new();
        let empty = Mapping::new();
        let parameters = example
            .get("parameters")
            .and_then(Value::as_mapping)
            .unwrap_or(&empty);
        for (key, value) in parameters {
            let Some(name) = key.as_str() else {
                continue;
            };
            if name == self.body && op.contains_key("requestBody") {
                if !self.put_in_content(op.get_mut("requestBody"), value) {
                    notes.push(self.note("its request body has no place: the operation's request body is a shared component or has no content"));
                }
                continue;
            }
            self.put_in_parameter(op, name, value);
        }
        let responses = example
            .get("responses")
            .and_then(Value::as_mapping)
            .unwrap_or(&empty);
        for (status, response) in responses {
            let status = match status {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => continue,
            };
            let Some(body) = response.get("body") else {
                continue;
            };
            let declared = op
                .get_mut("responses")
                .and_then(|r| r.get_mut(status.as_str()));
            if !self.put_in_content(declared, body) {
                notes.push(self.note(&format!("its {status} response body has no place: the operation declares no content for {status}")));
            }
        }
        notes
    }

    /// The example into each media type of `holder`'s content (a request body or a
    /// response written in place); false when there is none.
    fn put_in_content(&self, holder: Option<&mut Value>, value: &Value) -> bool {
        let Some(content) = holder
            .filter(|h| h.get("$ref").is_none())
            .and_then(|h| h.get_mut("content"))
            .and_then(Value::as_mapping_mut)
            .filter(|c| !c.is_empty())
        else {
            return false;
        };
        for (_, media) in content.iter_mut() {
            if let Some(media) = media.as_mapping_mut() {
                self.add(media, value);
            }
        }
        true
    }

    /// The example of a parameter written in the operation; a shared one (a `$ref`) is
    /// left alone, since its examples would be every operation's.
    fn put_in_parameter(&self, op: &mut Mapping, name: &str, value: &Value) {
        let Some(params) = op.get_mut("parameters").and_then(Value::as_sequence_mut) else {
            return;
        };
        let found = params
            .iter_mut()
            .filter_map(Value::as_mapping_mut)
            .find(|p| p.get("name").and_then(Value::as_str) == Some(name));
        if let Some(param) = found {
            let value = typed(param, value);
            self.add(param, &value);
        }
    }

    /// `examples: {name: {value}}` on a media type or parameter.
    fn add(&self, holder: &mut Mapping, value: &Value) {
        let examples = holder
            .entry(Value::from("examples"))
            .or_insert_with(|| Value::Mapping(Mapping::new()));
        if let Some(examples) = examples.as_mapping_mut() {
            let mut example = Mapping::new();
            example.insert(Value::from("value"), value.clone());
            examples.insert(Value::from(self.name), Value::Mapping(example));
        }
    }

    fn note(&self, what: &str) -> Diagnostic {
        Diagnostic::note(
            self.pointer,
            format!("example {:?} left out in part: {what}", self.name),
        )
    }
}

/// The values a request URL gives the variables of a path template
/// (`/{organization}/_apis/x/{id}` and `https://host/fabrikam/_apis/X/7?a=b` give
/// `organization` = `fabrikam`, `id` = `7`; a segment `${type}` and `$Bug` give `type` =
/// `Bug`); literal text must match but for letter case, or nothing is read.
fn path_values(template: &str, url: &str) -> Vec<(String, String)> {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("", |at| &after_scheme[at..]);
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let wanted: Vec<&str> = template.trim_matches('/').split('/').collect();
    let got: Vec<&str> = path.trim_matches('/').split('/').collect();
    if wanted.len() != got.len() {
        return Vec::new();
    }
    let mut values = Vec::new();
    for (w, g) in wanted.iter().zip(&got) {
        match segment_variable(w) {
            Some((before, name, after)) => {
                let value = strip_prefix_ignoring_case(g, before)
                    .and_then(|rest| strip_suffix_ignoring_case(rest, after))
                    .filter(|v| !v.is_empty());
                match value {
                    Some(value) => values.push((name.to_owned(), percent_decoded(value))),
                    None => return Vec::new(),
                }
            }
            None if w.eq_ignore_ascii_case(g) && !w.contains(['{', '}']) => {}
            None => return Vec::new(),
        }
    }
    values
}

/// A template segment holding one variable, as (text before, name, text after):
/// `{id}` and `${type}` and `v{version}.json`.
fn segment_variable(segment: &str) -> Option<(&str, &str, &str)> {
    let (before, rest) = segment.split_once('{')?;
    let (name, after) = rest.split_once('}')?;
    let plain = |s: &str| !s.contains(['{', '}']);
    (plain(before) && plain(name) && plain(after) && !name.is_empty())
        .then_some((before, name, after))
}

fn strip_prefix_ignoring_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

fn strip_suffix_ignoring_case<'a>(text: &'a str, suffix: &str) -> Option<&'a str> {
    let at = text.len().checked_sub(suffix.len())?;
    let tail = text.get(at..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &text[..at])
}

/// The query pairs of a URL, form-decoded (`+` is a space).
fn query_values(url: &str) -> Vec<(String, String)> {
    let Some((_, query)) = url.split_once('?') else {
        return Vec::new();
    };
    let query = query.split('#').next().unwrap_or_default();
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |t: &str| percent_decoded(&t.replace('+', " "));
            (decode(name), decode(value))
        })
        .collect()
}

/// An example file gives a request's parameters as the URL carries them, as text (`"20"`):
/// a value of a number or boolean parameter is written as that type when the text is one.
fn typed(param: &Mapping, value: &Value) -> Value {
    let Some(text) = value.as_str() else {
        return value.clone();
    };
    let ty = param
        .get("schema")
        .and_then(|s| s.get("type"))
        .and_then(Value::as_str);
    let parsed = match ty {
        Some("integer") => text.parse::<i64>().ok().map(Value::from),
        Some("number") => text
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(Value::from),
        // .NET writes `True` and `False`.
        Some("boolean") => text
            .to_ascii_lowercase()
            .parse::<bool>()
            .ok()
            .map(Value::from),
        _ => None,
    };
    parsed.unwrap_or_else(|| value.clone())
}

/// `%XX` escapes decoded (as a URL's path carries a value); anything else kept.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Example files read ahead: reference -> what [`read`] gives.
pub(crate) type Files = HashMap<String, Result<(Value, Option<String>), String>>;

/// Every example file the operations list, read (and parsed): reference ->
/// what [`read`] gives. A file listed twice is read again when it is used the second time.
pub(crate) fn read_all(document: &Value, base: &Path) -> Files {
    let mut references: Vec<&str> = Vec::new();
    for (section, path, method) in operation_keys(document) {
        let listed = document
            .get(section.as_str())
            .and_then(|s| s.get(path.as_str()))
            .and_then(|i| i.get(method.as_str()))
            .and_then(|op| op.get("x-ms-examples"))
            .and_then(Value::as_mapping);
        for entry in listed.into_iter().flat_map(Mapping::values) {
            references.extend(entry.get("$ref").and_then(Value::as_str));
        }
    }
    references.sort_unstable();
    references.dedup();
    references
        .into_iter()
        .map(|r| (r.to_owned(), read(base, r)))
        .collect()
}

/// Reads the example file `reference` names (relative to `base`): the example, and the
/// reference as the file is spelt on disk when only its letter case matched.
fn read(base: &Path, reference: &str) -> Result<(Value, Option<String>), String> {
    let (path, repaired) = resolve(base, reference)?;
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("example file {reference:?} cannot be read: {e}"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let example: Value = crate::yaml::parse(text)
        .map_err(|e| format!("example file {reference:?} is not JSON: {e}"))?;
    if !example.is_mapping() {
        return Err(format!(
            "example file {reference:?} must hold an object (`parameters`, `responses`)"
        ));
    }
    Ok((example, repaired))
}

/// The file `reference` names under `base`, each part looked up as written and else
/// without regard to letter case; with the reference as spelt on disk when that differs.
pub(crate) fn resolve(base: &Path, reference: &str) -> Result<(PathBuf, Option<String>), String> {
    let exact = base.join(reference);
    if exact.is_file() {
        return Ok((exact, None));
    }
    let mut at = base.to_path_buf();
    let mut spelt = Vec::new();
    for part in reference.split('/') {
        if matches!(part, "" | "." | "..") {
            at.push(part);
            spelt.push(part.to_owned());
            continue;
        }
        if at.join(part).exists() {
            at.push(part);
            spelt.push(part.to_owned());
            continue;
        }
        let wanted = part.to_lowercase();
        let mut matches: Vec<String> = std::fs::read_dir(&at)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.to_lowercase() == wanted)
                    .collect()
            })
            .unwrap_or_default();
        matches.sort();
        match matches.as_slice() {
            [one] => {
                at.push(one);
                spelt.push(one.clone());
            }
            [] => return Err(format!("example file {reference:?} does not exist")),
            several => {
                return Err(format!(
                    "example file {reference:?} does not exist, and {} differ from it in letter case only",
                    several.join(", ")
                ));
            }
        }
    }
    if !at.is_file() {
        return Err(format!("example file {reference:?} is not a file"));
    }
    Ok((at, Some(spelt.join("/"))))
}
