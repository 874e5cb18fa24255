//! Swagger 2.0 -> OpenAPI 3.0.3, in memory, before the document is read: Microsoft
//! publishes the Azure DevOps descriptions in Swagger 2.0, and everything after `load`
//! knows OpenAPI 3.0 only.
//!
//! The upgrade works on the YAML tree (`serde_yaml::Value`) and is faithful: every
//! construct is carried over with its meaning, nothing invalid is mended (a key Swagger 2.0
//! does not know, or a `type` JSON Schema does not have, is a problem here; a value of the
//! wrong shape is left for the OpenAPI reader to report) and `x-` extensions stay where they were (except those that annotate a
//! key that moves, such as `x-ms-enum` next to a parameter's `enum`, which move with it
//! into the parameter's `schema`). Alongside the document it builds a [`PointerMap`], so
//! that a problem found later is reported at the node of the file as written.
//!
//! | module | upgrades |
//! |---|---|
//! | `mod.rs` | the document: its sections into `components`, the helpers of every part |
//! | `servers` | `host` + `basePath` + `schemes` (and `x-ms-parameterized-host`) -> `servers` |
//! | `operations` | path items and operations: `consumes`/`produces`, per-operation `schemes` |
//! | `parameters` | parameters: `in: body` -> `requestBody`, `in: formData` -> a form body, the others' `type`/`items`/... -> `schema`, `collectionFormat` -> `style`/`explode` |
//! | `responses` | responses: `schema` -> `content` per produced media type, `headers`, `examples` |
//! | `schemas` | schemas (`definitions` and inline): `$ref`s, `discriminator`, `type: file` |
//! | `security` | `securityDefinitions` -> `securitySchemes` (basic, apiKey, OAuth 2.0 flows) |
//! | `pointers` | the map from converted pointers back to the original ones |
//!
//! Defaults Swagger 2.0 leaves to the reader: a description without `schemes` is served
//! over `https`; a body with no `consumes` (nor a response with no `produces`) anywhere is
//! `application/json`; form fields with no `consumes` are
//! `application/x-www-form-urlencoded` (`multipart/form-data` with a `type: file` field).

mod operations;
mod parameters;
mod pointers;
mod responses;
mod schemas;
mod security;
mod servers;
#[cfg(test)]
mod tests;

pub(crate) use pointers::PointerMap;
pub(crate) use schemas::{is_type, original_refs};
use serde_yaml::{Mapping, Value};

use crate::diagnostics::{Diagnostic, join};

/// A document upgraded to OpenAPI 3.0.3, and where its nodes came from.
pub(crate) struct Upgraded {
    pub(crate) document: Value,
    pub(crate) pointers: PointerMap,
}

/// Whether the document declares itself Swagger (any version: the upgrade reports all
/// but 2.0).
pub(crate) fn is_swagger(document: &Value) -> bool {
    document.get("swagger").is_some()
}

/// Upgrades a Swagger 2.0 document; every problem found, an error at its original
/// pointer.
pub(crate) fn upgrade(document: &Value) -> Result<Upgraded, Vec<Diagnostic>> {
    let Some(root) = document.as_mapping() else {
        return Err(vec![Diagnostic::error(
            "",
            "the document must be a mapping (a Swagger object)",
        )]);
    };
    let mut up = Upgrade {
        root,
        pointers: PointerMap::default(),
        problems: Vec::new(),
    };
    let document = up.document();
    // A form field shared by several operations is checked where each one uses it.
    let mut seen = std::collections::HashSet::new();
    up.problems.retain(|p| seen.insert(p.clone()));
    if up.problems.is_empty() {
        Ok(Upgraded {
            document,
            pointers: up.pointers,
        })
    } else {
        Err(up.problems)
    }
}

/// The keys of the Swagger object (the document).
const ROOT_KEYS: &[&str] = &[
    "swagger",
    "info",
    "host",
    "basePath",
    "schemes",
    "consumes",
    "produces",
    "paths",
    "definitions",
    "parameters",
    "responses",
    "securityDefinitions",
    "security",
    "tags",
    "externalDocs",
];

/// The upgrade in progress: the original document (to resolve `#/parameters/...`), the
/// pointer map being built and the problems found.
struct Upgrade<'a> {
    root: &'a Mapping,
    pointers: PointerMap,
    problems: Vec<Diagnostic>,
}

/// Media types of bodies (`consumes`) or responses (`produces`), and the pointer of the
/// list that declared them (`None` for the default).
#[derive(Clone, Debug)]
struct MediaTypes {
    types: Vec<String>,
    at: Option<String>,
}

impl MediaTypes {
    fn default_json() -> MediaTypes {
        MediaTypes {
            types: vec!["application/json".to_owned()],
            at: None,
        }
    }
}

/// What every operation inherits from the document.
struct Defaults {
    consumes: Option<MediaTypes>,
    produces: Option<MediaTypes>,
}

impl<'a> Upgrade<'a> {
    fn report(&mut self, pointer: &str, message: impl Into<String>) {
        self.problems.push(Diagnostic::error(pointer, message));
    }

    /// Records that the converted node at `converted` came from `original`.
    fn record(&mut self, converted: &str, original: &str) {
        if converted != original {
            self.pointers
                .record(converted.to_owned(), original.to_owned());
        }
    }

    /// `value` as a mapping, or a problem saying what it should have been.
    fn mapping<'v>(&mut self, value: &'v Value, at: &str, what: &str) -> Option<&'v Mapping> {
        let found = value.as_mapping();
        if found.is_none() {
            self.report(at, format!("must be a mapping ({what})"));
        }
        found
    }

    /// Reports every key of `map` that is neither in `known` nor an `x-` extension.
    fn check_keys(&mut self, map: &Mapping, at: &str, what: &str, known: &[&str]) {
        for key in map.keys() {
            let Some(key) = key.as_str() else {
                self.report(at, format!("a key of this {what} is not a string"));
                continue;
            };
            if key.starts_with("x-") || known.contains(&key) {
                continue;
            }
            let mut message = format!("unknown key `{key}` in a Swagger 2.0 {what}");
            if let Some(close) = crate::keys::closest(key, known.iter().copied()) {
                message.push_str(&format!(" (did you mean `{close}`?)"));
            }
            message.push_str("; extensions must start with `x-`");
            self.report(&join(at, key), message);
        }
    }

    /// A `consumes` / `produces` list: strings only.
    fn media_types(&mut self, value: Option<&Value>, at: &str) -> Option<MediaTypes> {
        let value = value?;
        let Some(list) = value.as_sequence() else {
            self.report(at, "must be a list of media types");
            return None;
        };
        let mut types = Vec::new();
        for (i, item) in list.iter().enumerate() {
            match item.as_str() {
                Some(t) => types.push(t.to_owned()),
                None => self.report(&join(at, &i.to_string()), "must be a media type (a string)"),
            }
        }
        Some(MediaTypes {
            types,
            at: Some(at.to_owned()),
        })
    }

    fn document(&mut self) -> Value {
        let root = self.root;
        self.check_keys(root, "", "document", ROOT_KEYS);
        match root.get("swagger") {
            Some(Value::String(v)) if v == "2.0" => {}
            other => {
                let found = other.map(short).unwrap_or_default();
                self.report(
                    "/swagger",
                    format!(
                        "only Swagger 2.0 and OpenAPI 3.0.x are supported, found swagger: {found}"
                    ),
                );
            }
        }
        let defaults = Defaults {
            consumes: self.media_types(root.get("consumes"), "/consumes"),
            produces: self.media_types(root.get("produces"), "/produces"),
        };
        let mut out = Mapping::new();
        put(&mut out, "openapi", Value::from("3.0.3"));
        copy(&mut out, root, "info");
        let servers = self.servers();
        if !servers.is_empty() {
            put(&mut out, "servers", Value::Sequence(servers));
        }
        copy(&mut out, root, "tags");
        copy(&mut out, root, "security");
        if let Some(paths) = root.get("paths") {
            put(&mut out, "paths", self.paths(paths, "/paths", &defaults));
        }
        let components = self.components(&defaults);
        if !components.is_empty() {
            put(&mut out, "components", Value::Mapping(components));
        }
        copy(&mut out, root, "externalDocs");
        for (key, value) in root {
            let Some(k) = key.as_str().filter(|k| k.starts_with("x-")) else {
                continue;
            };
            // AutoRest's second `paths` (paths with a query string): its operations are
            // upgraded like the others, so that nothing in the document is Swagger 2.0.
            let value = if k == "x-ms-paths" {
                self.paths(value, "/x-ms-paths", &defaults)
            } else {
                value.clone()
            };
            out.insert(key.clone(), value);
        }
        Value::Mapping(out)
    }

    /// `components`: `definitions` -> `schemas`, `parameters` -> `parameters` (a body
    /// parameter -> `requestBodies`), `responses`, `securityDefinitions` -> `securitySchemes`.
    fn components(&mut self, defaults: &Defaults) -> Mapping {
        let root = self.root;
        let mut out = Mapping::new();
        if let Some(definitions) = root.get("definitions") {
            self.record("/components/schemas", "/definitions");
            let schemas = self.definitions(definitions);
            put(&mut out, "schemas", schemas);
        }
        if let Some(responses) = root.get("responses") {
            self.record("/components/responses", "/responses");
            let produces = defaults
                .produces
                .clone()
                .unwrap_or_else(MediaTypes::default_json);
            let responses =
                self.responses_map(responses, "/responses", "/components/responses", &produces);
            put(&mut out, "responses", responses);
        }
        if let Some(parameters) = root.get("parameters") {
            let consumes = defaults
                .consumes
                .clone()
                .unwrap_or_else(MediaTypes::default_json);
            let (parameters, bodies) = self.parameter_components(parameters, &consumes);
            if !parameters.is_empty() {
                put(&mut out, "parameters", Value::Mapping(parameters));
            }
            if !bodies.is_empty() {
                put(&mut out, "requestBodies", Value::Mapping(bodies));
            }
        }
        if let Some(schemes) = root.get("securityDefinitions") {
            self.record("/components/securitySchemes", "/securityDefinitions");
            let schemes = self.security_schemes(schemes);
            put(&mut out, "securitySchemes", schemes);
        }
        out
    }

    /// A parameter written inline or as `$ref: '#/parameters/NAME'`, and its pointer.
    fn resolve_parameter(&mut self, value: &'a Value, at: &str) -> Option<(&'a Mapping, String)> {
        let Some(map) = value.as_mapping() else {
            self.report(at, "must be a mapping (a parameter)");
            return None;
        };
        let Some(reference) = map.get("$ref") else {
            return Some((map, at.to_owned()));
        };
        let name = reference
            .as_str()
            .and_then(|r| r.strip_prefix("#/parameters/"))
            .map(unescape);
        let target = name.as_deref().and_then(|n| {
            self.root
                .get("parameters")
                .and_then(|p| p.get(n))
                .and_then(Value::as_mapping)
        });
        match (name, target) {
            (Some(name), Some(target)) => Some((target, join("/parameters", &name))),
            _ => {
                self.report(
                    &join(at, "$ref"),
                    format!("dangling $ref: {} does not exist", short(reference)),
                );
                None
            }
        }
    }
}

/// The names of the `{variables}` of a template (a path or a host).
pub(crate) fn template_names(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        names.push(&rest[open + 1..open + close]);
        rest = &rest[open + close + 1..];
    }
    names
}

/// A JSON pointer token as the name it stands for (`~1` is `/`, `~0` is `~`).
fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// A scalar as short text for a message.
fn short(value: &Value) -> String {
    match value {
        Value::String(s) => format!("{s:?}"),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_owned(),
        _ => "a collection".to_owned(),
    }
}

fn put(map: &mut Mapping, key: &str, value: Value) {
    map.insert(Value::from(key), value);
}

/// Copies `key` of `from` into `to`, when it is there.
fn copy(to: &mut Mapping, from: &Mapping, key: &str) {
    if let Some(v) = from.get(key) {
        to.insert(Value::from(key), v.clone());
    }
}

/// Copies the `x-` extensions of `from` into `to`, in their order, except `skip`.
fn copy_extensions(to: &mut Mapping, from: &Mapping, skip: &[&str]) {
    for (k, v) in from {
        if let Some(key) = k.as_str()
            && key.starts_with("x-")
            && !skip.contains(&key)
        {
            to.insert(k.clone(), v.clone());
        }
    }
}
