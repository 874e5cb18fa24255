//! Responses: a response's `schema` becomes one `content` entry per media type the
//! operation `produces`, its `examples` (by media type) those entries' `example`, and its
//! `headers` OpenAPI 3.0 headers (their `type`, `format`, ... in a `schema`).

use serde_yaml::{Mapping, Value};

use super::parameters::{Files, SCHEMA_EXTENSIONS, SCHEMA_FIELDS};
use super::{MediaTypes, Upgrade, copy, copy_extensions, put};
use crate::diagnostics::join;

const RESPONSE_KEYS: &[&str] = &["description", "schema", "headers", "examples"];

impl<'a> Upgrade<'a> {
    /// A map of responses (an operation's by status, or the document's by name) at `at`,
    /// going to `out`.
    pub(super) fn responses_map(
        &mut self,
        value: &'a Value,
        at: &str,
        out: &str,
        produces: &MediaTypes,
    ) -> Value {
        let Some(map) = self.mapping(value, at, "responses") else {
            return value.clone();
        };
        let mut converted = Mapping::new();
        for (key, response) in map {
            let name = match key {
                Value::String(s) => s.clone(),
                // `200:` in YAML; the OpenAPI reader takes it as the status.
                Value::Number(n) => n.to_string(),
                _ => {
                    converted.insert(key.clone(), response.clone());
                    continue;
                }
            };
            let v = if name.starts_with("x-") {
                response.clone()
            } else {
                self.response(response, &join(at, &name), &join(out, &name), produces)
            };
            converted.insert(key.clone(), v);
        }
        Value::Mapping(converted)
    }

    fn response(&mut self, value: &'a Value, at: &str, out: &str, produces: &MediaTypes) -> Value {
        let Some(map) = self.mapping(value, at, "a response") else {
            return value.clone();
        };
        if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
            let mut converted = map.clone();
            let reference = super::schemas::upgrade_ref(reference);
            converted.insert(Value::from("$ref"), Value::from(reference));
            return Value::Mapping(converted);
        }
        self.check_keys(map, at, "response", RESPONSE_KEYS);
        let mut converted = Mapping::new();
        copy(&mut converted, map, "description");
        if let Some(headers) = map.get("headers") {
            let headers = self.headers(headers, &join(at, "headers"), &join(out, "headers"));
            put(&mut converted, "headers", headers);
        }
        let content_out = join(out, "content");
        let mut content = Mapping::new();
        if let Some(schema) = map.get("schema") {
            let schema_at = join(at, "schema");
            self.record(&content_out, produces.at.as_deref().unwrap_or(&schema_at));
            for (k, media) in produces.types.iter().enumerate() {
                let media_out = join(&content_out, media);
                match &produces.at {
                    Some(list) => self.record(&media_out, &join(list, &k.to_string())),
                    None => self.record(&media_out, &schema_at),
                }
                let schema_out = join(&media_out, "schema");
                self.record(&schema_out, &schema_at);
                let schema = self.schema(schema, &schema_at, &schema_out);
                let mut entry = Mapping::new();
                put(&mut entry, "schema", schema);
                put(&mut content, media, Value::Mapping(entry));
            }
        }
        if let Some(examples) = map.get("examples") {
            let examples_at = join(at, "examples");
            if let Some(examples) = self.mapping(examples, &examples_at, "examples by media type") {
                for (media, example) in examples {
                    let Some(m) = media.as_str() else {
                        continue;
                    };
                    let example_at = join(&examples_at, m);
                    self.record(&join(&join(&content_out, m), "example"), &example_at);
                    let entry = content
                        .entry(media.clone())
                        .or_insert_with(|| Value::Mapping(Mapping::new()));
                    if let Some(entry) = entry.as_mapping_mut() {
                        put(entry, "example", example.clone());
                    }
                }
            }
        }
        if !content.is_empty() {
            put(&mut converted, "content", Value::Mapping(content));
        }
        copy_extensions(&mut converted, map, &[]);
        Value::Mapping(converted)
    }

    fn headers(&mut self, value: &Value, at: &str, out: &str) -> Value {
        let Some(map) = self.mapping(value, at, "headers by name") else {
            return value.clone();
        };
        let mut converted = Mapping::new();
        for (name, header) in map {
            let Some(n) = name.as_str() else {
                continue;
            };
            let header = self.header(header, &join(at, n), &join(out, n));
            converted.insert(name.clone(), header);
        }
        Value::Mapping(converted)
    }

    fn header(&mut self, value: &Value, at: &str, out: &str) -> Value {
        let Some(map) = self.mapping(value, at, "a header") else {
            return value.clone();
        };
        let known: Vec<&str> = [SCHEMA_FIELDS, &["description", "collectionFormat"]].concat();
        self.check_keys(map, at, "header", &known);
        if !map.contains_key("type") {
            self.report(at, "a header needs `type`");
        }
        if let Some(format) = map.get("collectionFormat")
            && format.as_str() != Some("csv")
        {
            self.report(
                &join(at, "collectionFormat"),
                "a header's collectionFormat has no OpenAPI 3.0 form but csv",
            );
        }
        self.record(out, at);
        let mut converted = Mapping::new();
        copy(&mut converted, map, "description");
        let schema = self.simple_schema(map, at, &join(out, "schema"), Files::Refused);
        put(&mut converted, "schema", Value::Mapping(schema));
        copy_extensions(&mut converted, map, SCHEMA_EXTENSIONS);
        Value::Mapping(converted)
    }
}
