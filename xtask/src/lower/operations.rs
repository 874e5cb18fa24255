//! Operations: one per method of each path item, named after its `operationId`
//! (`TokenRevocations_RevokeAuthorizations` -> method `revoke_authorizations`, builder
//! `RevokeAuthorizations`), with its parameters, path, body, responses and idempotency.
//!
//! Path items come from `paths` and from `x-ms-paths`, Microsoft's extension for operations
//! that share a path and method and are told apart by their query: its keys are a path and a
//! query template (`/items?path={path}`), whose names must be query parameters of the
//! operation; the client sends the path and the parameters like any other operation's.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use openapiv3::{Parameter, PathItem, ReferenceOr};

use super::Lowerer;
use super::examples::Resolved;
use super::params::location_name;
use crate::diagnostics::join;
use crate::model::{Docs, HttpMethod, Operation, Param};
use crate::names;

/// An operation found in `paths` (or `x-ms-paths`), before it is lowered.
struct Found<'a> {
    path: &'a str,
    /// The query template of an `x-ms-paths` key (`path={path}` of `/items?path={path}`).
    query: Option<&'a str>,
    method: HttpMethod,
    item: &'a PathItem,
    op: &'a openapiv3::Operation,
    pointer: String,
    id: String,
    /// The method name: from the id alone ([`names::method_name`]), or `x-method-name`.
    fn_name: String,
}

/// The names an operation gives to generated code.
struct Names {
    /// Method on `Client`.
    method: String,
    /// Request builder type.
    builder: String,
    /// The type of its parameters.
    params: String,
}

impl<'a> Lowerer<'a> {
    /// Every operation, in the order of the spec.
    pub(super) fn operations(&mut self) -> Vec<Operation> {
        // First every operation's method name, so that the names of the types an operation
        // defines (builder, inline bodies and enums, response enum) derive from its final
        // method name whatever the order of the paths.
        let found = self.find_operations();
        let named = self.name_operations(&found);
        for (_, names) in &named {
            self.op_type_origins
                .insert(names.builder.clone(), "a request builder".to_owned());
            self.op_type_origins.insert(
                names.params.clone(),
                "the parameters of an operation".to_owned(),
            );
        }
        named
            .into_iter()
            .filter_map(|(i, names)| self.operation(&found[i], names))
            .collect()
    }

    /// The operations of `paths` with a usable, unique `operationId`.
    fn find_operations(&mut self) -> Vec<Found<'a>> {
        let mut found = Vec::new();
        let mut ids: HashMap<String, String> = HashMap::new();
        let doc = self.doc;
        let paths = doc
            .paths
            .paths
            .iter()
            .map(|(key, item)| ("/paths", key, item));
        let ms_paths = self
            .ms_paths
            .iter()
            .map(|(key, item)| ("/x-ms-paths", key, item));
        for (section, key, item) in paths.chain(ms_paths) {
            let item_pointer = join(section, key);
            let (path, query) = match key.split_once('?') {
                Some((path, query)) if section == "/x-ms-paths" => (path, Some(query)),
                _ => (key.as_str(), None),
            };
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    self.errs
                        .report(&item_pointer, "path item $ref is not supported");
                    continue;
                }
            };
            for (key, op) in item.iter() {
                let pointer = join(&item_pointer, key);
                let Some(method) = HttpMethod::from_key(key) else {
                    continue;
                };
                let Some(id) = op.operation_id.clone() else {
                    self.errs.report(
                        &pointer,
                        "missing operationId: the generator names methods after it",
                    );
                    continue;
                };
                if let Some(other) = ids.get(&id) {
                    self.errs.report(
                        &join(&pointer, "operationId"),
                        format!("duplicate operationId {id:?}, also used at {other}"),
                    );
                    continue;
                }
                ids.insert(id.clone(), pointer.clone());
                let Some(method_name) = self.method_name(op, &id, &pointer) else {
                    continue;
                };
                found.push(Found {
                    path,
                    query,
                    method,
                    item,
                    op,
                    pointer,
                    id,
                    fn_name: method_name,
                });
            }
        }
        found
    }

    /// The method name of an operation: its `x-method-name`, or made from the operationId
    /// alone (never from the other operations: adding one must not rename another).
    fn method_name(
        &mut self,
        op: &openapiv3::Operation,
        id: &str,
        pointer: &str,
    ) -> Option<String> {
        if let Some(given) = op.extensions.get("x-method-name") {
            let at = join(pointer, "x-method-name");
            return match given.as_str() {
                Some(name) if names::is_method_name(name) => Some(name.to_owned()),
                _ => {
                    self.errs.report(
                        &at,
                        "x-method-name must be a method name in snake case, such as `list_builds`",
                    );
                    None
                }
            };
        }
        let name = names::method_name(id);
        if name.is_none() {
            self.errs.report(
                &join(pointer, "operationId"),
                format!("operationId {id:?} gives no Rust identifier"),
            );
        }
        name
    }

    /// Method and builder names; two operations with one name are an error, which an
    /// `x-method-name` on one of them mends. Returns the index in `found` of each operation
    /// named.
    fn name_operations(&mut self, found: &[Found<'a>]) -> Vec<(usize, Names)> {
        let mut methods: HashMap<String, String> = HashMap::new();
        // Names of `operations.rs` types -> (operationId, what it names there).
        let mut types: HashMap<String, (String, &str)> = HashMap::new();
        let mut named = Vec::new();
        for (i, f) in found.iter().enumerate() {
            let method = f.fn_name.clone();
            let id_pointer = join(&f.pointer, "operationId");
            if names::is_client_method(&method) {
                self.errs.report(
                    &id_pointer,
                    format!(
                        "operationId {:?} becomes method `{method}`, which `Client` already has",
                        f.id
                    ),
                );
                continue;
            }
            if let Some(other) = methods.get(&method) {
                self.errs.report(
                    &id_pointer,
                    format!(
                        "operationIds {other:?} and {:?} both become method `{method}`: give \
                         one of them another name with `x-method-name`",
                        f.id
                    ),
                );
                continue;
            }
            methods.insert(method.clone(), f.id.clone());
            let builder = names::builder_name(&method);
            let params = format!("{builder}Params");
            let clash = [(&builder, "request builder"), (&params, "parameter type")]
                .into_iter()
                .find_map(|(name, what)| Some((name, what, types.get(name)?)));
            if let Some((name, what, (other, other_what))) = clash {
                self.errs.report(
                    &id_pointer,
                    format!(
                        "operationId {:?} would name its {what} `{name}`, the {other_what} of {other:?}",
                        f.id
                    ),
                );
                continue;
            }
            types.insert(builder.clone(), (f.id.clone(), "request builder"));
            types.insert(params.clone(), (f.id.clone(), "parameter type"));
            named.push((
                i,
                Names {
                    method,
                    builder,
                    params,
                },
            ));
        }
        named
    }

    fn operation(&mut self, f: &Found<'a>, names: Names) -> Option<Operation> {
        let mark = self.errs.mark();
        let pointer = f.pointer.as_str();
        let resolved = self.resolve_parameters(f);
        let params = self.parameters(f, &resolved, &names.builder);
        let declared: HashSet<&str> = resolved
            .keys()
            .filter(|(_, location)| *location == "path")
            .map(|(name, _)| name.as_str())
            .collect();
        let segments = self
            .path_segments(f.path, &params, &declared, pointer)
            .unwrap_or_default();
        if let Some(query) = f.query {
            self.check_query_template(query, &resolved, pointer);
        }
        let body =
            f.op.request_body.as_ref().and_then(|rb| {
                self.request_body(rb, &join(pointer, "requestBody"), &names.builder)
            });
        let responses =
            self.responses(&f.op.responses, &join(pointer, "responses"), &names.builder)?;
        let idempotent = self.idempotent(f);
        if !self.errs.clean_since(mark) {
            return None;
        }
        let mut operation = Operation {
            id: f.id.clone(),
            fn_name: names.method,
            builder_name: names.builder,
            params_name: names.params,
            method: f.method,
            path: segments,
            params,
            body,
            responses,
            docs: Docs {
                summary: f.op.summary.clone(),
                description: description(f.op),
            },
            deprecated: f.op.deprecated,
            tags: f.op.tags.clone(),
            idempotent,
            paging: None,
            examples: Vec::new(),
            skipped_examples: Vec::new(),
        };
        // A `$ref` to an example that does not exist is an error like any other.
        let (examples, skipped) = self.examples(f.op, pointer, &resolved, &operation);
        if !self.errs.clean_since(mark) {
            return None;
        }
        operation.examples = examples;
        operation.skipped_examples = skipped;
        Some(operation)
    }

    /// The names of an `x-ms-paths` key's query template (`a={a}&b={b}`) must be query
    /// parameters of the operation: the client sends those, not the template.
    fn check_query_template(&mut self, query: &str, resolved: &Resolved<'a>, pointer: &str) {
        let item_pointer = pointer.rsplit_once('/').map(|(p, _)| p).unwrap_or_default();
        let mut rest = query;
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else {
                self.errs.report(
                    item_pointer,
                    format!("the query template {query:?} has an unclosed `{{`"),
                );
                return;
            };
            let name = &rest[start + 1..start + len];
            if !resolved.contains_key(&(name.to_owned(), "query")) {
                self.errs.report(
                    &join(pointer, "parameters"),
                    format!("the query template {query:?} names `{name}`, which is no query parameter of the operation"),
                );
            }
            rest = &rest[start + len + 1..];
        }
    }

    /// The parameters of the path item and of the operation, by name and location: the
    /// operation's override the path item's.
    fn resolve_parameters(&mut self, f: &Found<'a>) -> Resolved<'a> {
        let mut resolved = IndexMap::new();
        let item_pointer = f
            .pointer
            .rsplit_once('/')
            .map(|(p, _)| p)
            .unwrap_or_default();
        let sources: [(&'a [ReferenceOr<Parameter>], String); 2] = [
            (&f.item.parameters, join(item_pointer, "parameters")),
            (&f.op.parameters, join(&f.pointer, "parameters")),
        ];
        for (list, base) in sources {
            for (i, p) in list.iter().enumerate() {
                if let Some((param, at)) = self.resolve_parameter(p, &join(&base, &i.to_string())) {
                    let key = (
                        param.parameter_data_ref().name.clone(),
                        location_name(param),
                    );
                    resolved.insert(key, (at, param));
                }
            }
        }
        resolved
    }

    /// Lowers the resolved parameters; a parameter whose Rust name is taken is reported.
    fn parameters(
        &mut self,
        f: &Found<'a>,
        resolved: &Resolved<'a>,
        builder_name: &str,
    ) -> Vec<Param> {
        let has_body = f.op.request_body.is_some();
        let mut params: Vec<Param> = Vec::new();
        for ((name, _), (ppointer, param)) in resolved {
            let Some(p) = self.parameter(param, ppointer, builder_name) else {
                continue;
            };
            if p.constant.is_none() {
                let clash = params
                    .iter()
                    .find(|q| q.constant.is_none() && q.rust_name == p.rust_name);
                if let Some(q) = clash {
                    let message = format!(
                        "parameters {:?} and {name:?} both become `{}`",
                        q.wire_name, p.rust_name
                    );
                    self.errs.report(ppointer, message);
                    continue;
                }
                // The builder has these methods itself, and an optional parameter is set by a
                // method of the same name (a required one is an argument: no method); the
                // parameters have a field `body` when the operation has a body.
                if (!p.required && names::BUILDER_METHODS.contains(&p.rust_name.as_str()))
                    || (p.rust_name == "body" && has_body)
                {
                    self.errs.report(ppointer, format!("parameter {name:?} becomes `{}`, a name the request builder uses itself", p.rust_name));
                    continue;
                }
            }
            params.push(p);
        }
        params
    }

    /// Whether sending the operation twice has the effect of sending it once: by HTTP
    /// method, or as `x-idempotent` says.
    fn idempotent(&mut self, f: &Found<'a>) -> bool {
        match f.op.extensions.get("x-idempotent") {
            None => f.method.is_idempotent(),
            Some(serde_json::Value::Bool(b)) => *b,
            Some(_) => {
                self.errs
                    .report(&join(&f.pointer, "x-idempotent"), "must be true or false");
                false
            }
        }
    }
}

/// The operation's description, with a note for a preview API (`x-ms-preview`).
fn description(op: &openapiv3::Operation) -> Option<String> {
    let preview = matches!(
        op.extensions.get("x-ms-preview"),
        Some(serde_json::Value::Bool(true))
    );
    if !preview {
        return op.description.clone();
    }
    let note = "This operation is a preview API: its api-version carries a `-preview` suffix.";
    Some(match &op.description {
        Some(d) => format!("{d}\n\n{note}"),
        None => note.to_owned(),
    })
}

/// The path items of the document's `x-ms-paths` extension; one that is not a path item is a
/// problem at its pointer.
pub(super) fn ms_paths(
    doc: &openapiv3::OpenAPI,
    errs: &mut super::errors::Errors<'_>,
) -> IndexMap<String, ReferenceOr<PathItem>> {
    let mut items = IndexMap::new();
    let Some(value) = doc.extensions.get("x-ms-paths") else {
        return items;
    };
    let Some(map) = value.as_object() else {
        errs.report(
            "/x-ms-paths",
            "x-ms-paths must be a map of paths to path items",
        );
        return items;
    };
    for (key, item) in map {
        let at = join("/x-ms-paths", key);
        match serde_path_to_error::deserialize::<_, PathItem>(item) {
            Ok(item) => {
                items.insert(key.clone(), ReferenceOr::Item(item));
            }
            Err(error) => {
                let pointer = at + &crate::load::path_to_pointer(error.path());
                errs.report(&pointer, format!("not a path item: {}", error.inner()));
            }
        }
    }
    items
}
