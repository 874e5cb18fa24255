//! Path items and operations: each operation's body from its (and its path item's) body
//! or form parameters and the media types it `consumes`, its responses in the media types
//! it `produces` (the document's when it declares none), and `schemes` of its own as
//! `servers` of its own.

use serde_yaml::{Mapping, Value};

use super::parameters::{FormField, Parameters};
use super::{Defaults, MediaTypes, Upgrade, copy, copy_extensions, put};
use crate::diagnostics::join;

const PATH_ITEM_KEYS: &[&str] = &[
    "$ref",
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "parameters",
];

const OPERATION_KEYS: &[&str] = &[
    "tags",
    "summary",
    "description",
    "externalDocs",
    "operationId",
    "consumes",
    "produces",
    "parameters",
    "responses",
    "schemes",
    "deprecated",
    "security",
];

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

impl<'a> Upgrade<'a> {
    /// `paths` (or `x-ms-paths`) at `at`.
    pub(super) fn paths(&mut self, value: &'a Value, at: &str, defaults: &Defaults) -> Value {
        let Some(map) = self.mapping(value, at, "paths") else {
            return value.clone();
        };
        let mut out = Mapping::new();
        for (key, item) in map {
            let converted = match key.as_str() {
                Some(k) if !k.starts_with("x-") => self.path_item(item, &join(at, k), defaults),
                _ => item.clone(),
            };
            out.insert(key.clone(), converted);
        }
        Value::Mapping(out)
    }

    fn path_item(&mut self, value: &'a Value, at: &str, defaults: &Defaults) -> Value {
        let Some(map) = self.mapping(value, at, "a path item") else {
            return value.clone();
        };
        if map.contains_key("$ref") {
            // A path item in another file: the generator refuses it, with its pointer.
            return value.clone();
        }
        self.check_keys(map, at, "path item", PATH_ITEM_KEYS);
        let shared = self.parameter_list(map.get("parameters"), &join(at, "parameters"));
        let mut out = Mapping::new();
        for (key, v) in map {
            let Some(k) = key.as_str() else {
                continue;
            };
            if METHODS.contains(&k) {
                let op = self.operation(v, &join(at, k), &shared, defaults);
                out.insert(key.clone(), op);
            } else if k == "parameters" {
                if !shared.list.is_empty() {
                    put(&mut out, "parameters", Value::Sequence(shared.list.clone()));
                }
            } else if k.starts_with("x-") {
                out.insert(key.clone(), v.clone());
            }
        }
        Value::Mapping(out)
    }

    fn operation(
        &mut self,
        value: &'a Value,
        at: &str,
        shared: &Parameters<'a>,
        defaults: &Defaults,
    ) -> Value {
        let Some(op) = self.mapping(value, at, "an operation") else {
            return value.clone();
        };
        self.check_keys(op, at, "operation", OPERATION_KEYS);
        let consumes = self
            .media_types(op.get("consumes"), &join(at, "consumes"))
            .or_else(|| defaults.consumes.clone());
        let produces = self
            .media_types(op.get("produces"), &join(at, "produces"))
            .or_else(|| defaults.produces.clone())
            .filter(|p| !p.types.is_empty())
            .unwrap_or_else(MediaTypes::default_json);
        let params_at = join(at, "parameters");
        let own = self.parameter_list(op.get("parameters"), &params_at);
        // The operation's body replaces the path item's; its form fields replace the path
        // item's of the same name.
        let body = own.body.as_ref().or(shared.body.as_ref());
        let mut form: Vec<FormField<'a>> = shared
            .form
            .iter()
            .filter(|f| own.form.iter().all(|o| o.name != f.name))
            .cloned()
            .collect();
        form.extend(own.form.iter().cloned());
        if body.is_some() && !form.is_empty() && (own.body.is_none() || own.form.is_empty()) {
            self.report(
                &params_at,
                "body and formData parameters exclude each other (a body is one or the other)",
            );
        }
        let mut out = Mapping::new();
        for key in [
            "tags",
            "summary",
            "description",
            "externalDocs",
            "operationId",
        ] {
            copy(&mut out, op, key);
        }
        if !own.list.is_empty() {
            put(&mut out, "parameters", Value::Sequence(own.list));
        }
        let body_out = join(at, "requestBody");
        if let Some(body) = body {
            let consumes = consumes
                .clone()
                .filter(|c| !c.types.is_empty())
                .unwrap_or_else(MediaTypes::default_json);
            let body = self.request_body(body, &consumes, &body_out);
            put(&mut out, "requestBody", body);
        } else if !form.is_empty() {
            let body = self.form_body(&form, consumes.as_ref(), &body_out);
            put(&mut out, "requestBody", body);
        }
        if let Some(responses) = op.get("responses") {
            let responses_at = join(at, "responses");
            let responses = self.responses_map(responses, &responses_at, &responses_at, &produces);
            put(&mut out, "responses", responses);
        }
        copy(&mut out, op, "deprecated");
        copy(&mut out, op, "security");
        let schemes_at = join(at, "schemes");
        if let Some(schemes) = self.schemes(op.get("schemes"), &schemes_at) {
            let servers_at = join(at, "servers");
            let servers = self.operation_servers(&schemes, &servers_at);
            self.record(&servers_at, &schemes_at);
            put(&mut out, "servers", Value::Sequence(servers));
        }
        copy_extensions(&mut out, op, &[]);
        Value::Mapping(out)
    }
}
