//! Schemas: `definitions` -> `components/schemas`, and every schema inside them, in
//! parameters and in responses. A Swagger 2.0 schema is an OpenAPI 3.0 schema but for
//! `$ref`s into the document's sections (`#/definitions/X` -> `#/components/schemas/X`),
//! `discriminator` (a property name -> an object naming it) and `type: file` (-> a string
//! of format `binary`).

use serde_yaml::{Mapping, Value};

use super::{Upgrade, put};
use crate::diagnostics::join;

/// The keys of a Swagger 2.0 Schema object.
const SCHEMA_KEYS: &[&str] = &[
    "$ref",
    "format",
    "title",
    "description",
    "default",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "type",
    "items",
    "allOf",
    "properties",
    "additionalProperties",
    "discriminator",
    "readOnly",
    "xml",
    "externalDocs",
    "example",
];

/// What a `type` may be (`file` besides, in parameters and responses).
pub(super) const TYPE_MESSAGE: &str =
    "`type` is one of array, boolean, integer, number, object, string";

/// Whether `value` is a JSON schema type that OpenAPI allows.
pub(crate) fn is_type(value: &Value) -> bool {
    matches!(
        value.as_str(),
        Some("array" | "boolean" | "integer" | "number" | "object" | "string")
    )
}

/// The sections that moved, as `$ref` prefixes: (Swagger 2.0, OpenAPI 3.0).
const MOVED: [(&str, &str); 3] = [
    ("#/definitions/", "#/components/schemas/"),
    ("#/parameters/", "#/components/parameters/"),
    ("#/responses/", "#/components/responses/"),
];

/// `text` with the references to moved sections written as the Swagger 2.0 file writes
/// them (`#/components/schemas/X` -> `#/definitions/X`), for messages about that file.
pub(crate) fn original_refs(text: &str) -> String {
    let mut text = text.to_owned();
    for (original, upgraded) in MOVED {
        if text.contains(upgraded) {
            text = text.replace(upgraded, original);
        }
    }
    text
}

/// A `$ref` into a section of a Swagger 2.0 document, as it is written in OpenAPI 3.0;
/// any other reference (another file, a section that did not move) is left as it is.
pub(crate) fn upgrade_ref(reference: &str) -> String {
    for (from, to) in MOVED {
        if let Some(rest) = reference.strip_prefix(from) {
            return format!("{to}{rest}");
        }
    }
    reference.to_owned()
}

impl Upgrade<'_> {
    /// `definitions`: every schema, by name.
    pub(super) fn definitions(&mut self, value: &Value) -> Value {
        let Some(map) = self.mapping(value, "/definitions", "schemas by name") else {
            return value.clone();
        };
        let mut out = Mapping::new();
        for (name, schema) in map {
            let Some(n) = name.as_str() else {
                out.insert(name.clone(), schema.clone());
                continue;
            };
            let at = join("/definitions", n);
            let converted = self.schema(schema, &at, &join("/components/schemas", n));
            out.insert(name.clone(), converted);
        }
        Value::Mapping(out)
    }

    /// One schema at `at` in the original, going to `out` in the converted document.
    pub(super) fn schema(&mut self, value: &Value, at: &str, out: &str) -> Value {
        let Value::Mapping(map) = value else {
            // The OpenAPI reader reports a schema of the wrong type.
            return value.clone();
        };
        if let Some(reference) = map.get("$ref") {
            // A reference object: its other keys mean nothing (as in OpenAPI 3.0), and are
            // kept as written.
            let mut converted = map.clone();
            if let Some(r) = reference.as_str() {
                converted.insert(Value::from("$ref"), Value::from(upgrade_ref(r)));
            }
            return Value::Mapping(converted);
        }
        self.check_keys(map, at, "schema", SCHEMA_KEYS);
        let mut converted = Mapping::new();
        for (key, v) in map {
            let Some(k) = key.as_str() else {
                continue;
            };
            let (child_at, child_out) = (join(at, k), join(out, k));
            let v = match k {
                "items" | "additionalProperties" if v.is_mapping() => {
                    self.schema(v, &child_at, &child_out)
                }
                "allOf" => self.schema_list(v, &child_at, &child_out),
                "properties" => self.schema_map(v, &child_at, &child_out),
                "discriminator" => {
                    let Some(name) = v.as_str() else {
                        self.report(&child_at, "must be a property name (a string)");
                        continue;
                    };
                    self.record(&join(&child_out, "propertyName"), &child_at);
                    let mut d = Mapping::new();
                    put(&mut d, "propertyName", Value::from(name));
                    Value::Mapping(d)
                }
                "type" if !is_type(v) && v.as_str() != Some("file") => {
                    self.report(&child_at, TYPE_MESSAGE);
                    v.clone()
                }
                "type" if v.as_str() == Some("file") => {
                    put(&mut converted, "type", Value::from("string"));
                    put(&mut converted, "format", Value::from("binary"));
                    continue;
                }
                // `type: file` decides the format.
                "format" if map.get("type").and_then(Value::as_str) == Some("file") => continue,
                _ => v.clone(),
            };
            converted.insert(key.clone(), v);
        }
        Value::Mapping(converted)
    }

    fn schema_list(&mut self, value: &Value, at: &str, out: &str) -> Value {
        let Some(list) = value.as_sequence() else {
            return value.clone();
        };
        Value::Sequence(
            list.iter()
                .enumerate()
                .map(|(i, s)| {
                    let i = i.to_string();
                    self.schema(s, &join(at, &i), &join(out, &i))
                })
                .collect(),
        )
    }

    fn schema_map(&mut self, value: &Value, at: &str, out: &str) -> Value {
        let Some(map) = value.as_mapping() else {
            return value.clone();
        };
        let mut converted = Mapping::new();
        for (name, s) in map {
            let v = match name.as_str() {
                Some(n) => self.schema(s, &join(at, n), &join(out, n)),
                None => s.clone(),
            };
            converted.insert(name.clone(), v);
        }
        Value::Mapping(converted)
    }
}
