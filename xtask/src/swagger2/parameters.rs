//! Parameters and bodies. A body parameter (`in: body`) becomes the operation's
//! `requestBody`, with one content entry per media type it `consumes`; `in: formData`
//! parameters become one form body (an object schema with a property per field); every
//! other parameter keeps its place, its `type`, `format`, `items`, `enum`, `default`,
//! bounds, ... moving into a `schema` and its `collectionFormat` becoming `style` and
//! `explode`.

use serde_yaml::{Mapping, Value};

use super::{MediaTypes, Upgrade, copy, copy_extensions, put};
use crate::diagnostics::join;
use crate::keys::QUERY_OBJECT;

/// The keys of a non-body parameter that describe its value, and so go into its schema.
pub(super) const SCHEMA_FIELDS: &[&str] = &[
    "type",
    "format",
    "items",
    "default",
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
    "enum",
    "multipleOf",
];

/// Extensions that annotate a key moving into the schema (`x-ms-enum` names the values
/// of `enum`), and so move with it.
pub(super) const SCHEMA_EXTENSIONS: &[&str] = &["x-ms-enum", "x-nullable"];

/// The keys of a non-body parameter besides [`SCHEMA_FIELDS`].
const PARAMETER_KEYS: &[&str] = &[
    "name",
    "in",
    "description",
    "required",
    "allowEmptyValue",
    "collectionFormat",
];

const BODY_KEYS: &[&str] = &["name", "in", "description", "required", "schema"];

/// The media types of a form body.
const FORM_TYPES: &[&str] = &["application/x-www-form-urlencoded", "multipart/form-data"];

/// The parameters of an operation or path item, sorted by what they become.
#[derive(Default)]
pub(super) struct Parameters<'a> {
    /// The parameters that stay parameters, converted.
    pub(super) list: Vec<Value>,
    pub(super) body: Option<BodyParam<'a>>,
    pub(super) form: Vec<FormField<'a>>,
}

/// A body parameter: written in the operation, or a `$ref` to a component.
pub(super) enum BodyParam<'a> {
    Inline { param: &'a Mapping, at: String },
    Component { name: String, at: String },
}

/// One `in: formData` parameter and where it is defined.
#[derive(Clone)]
pub(super) struct FormField<'a> {
    pub(super) name: String,
    pub(super) param: &'a Mapping,
    pub(super) at: String,
}

/// Whether a simple schema may be `type: file` (a form field's: a file upload).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Files {
    Allowed,
    Refused,
}

impl<'a> Upgrade<'a> {
    /// The list at `at` (the same pointer in the converted document), sorted.
    pub(super) fn parameter_list(&mut self, value: Option<&'a Value>, at: &str) -> Parameters<'a> {
        let mut found = Parameters::default();
        let Some(value) = value else {
            return found;
        };
        let Some(list) = value.as_sequence() else {
            self.report(at, "must be a list of parameters");
            return found;
        };
        for (j, p) in list.iter().enumerate() {
            let p_at = join(at, &j.to_string());
            let out = join(at, &found.list.len().to_string());
            let Some((param, origin)) = self.parameter_target(p, &p_at) else {
                // A reference the upgrade cannot follow stays a reference, for the reader
                // of the OpenAPI document to report.
                self.record(&out, &p_at);
                found.list.push(upgraded_reference(p));
                continue;
            };
            let location = param.get("in").and_then(Value::as_str).unwrap_or_default();
            match location {
                "body" => {
                    if found.body.is_some() {
                        self.report(&p_at, "an operation has one body parameter at most");
                    }
                    found.body = Some(if p.get("$ref").is_some() {
                        BodyParam::Component {
                            name: super::unescape(origin.rsplit('/').next().unwrap_or_default()),
                            at: p_at,
                        }
                    } else {
                        BodyParam::Inline { param, at: p_at }
                    });
                }
                "formData" => found.form.push(FormField {
                    name: param
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                    param,
                    at: origin,
                }),
                _ if p.get("$ref").is_some() => {
                    self.record(&out, &p_at);
                    found.list.push(upgraded_reference(p));
                }
                _ => {
                    let converted = self.simple_parameter(param, &p_at, &out);
                    found.list.push(converted);
                }
            }
        }
        if found.body.is_some() && !found.form.is_empty() {
            self.report(
                at,
                "body and formData parameters exclude each other (a body is one or the other)",
            );
        }
        found
    }

    /// The parameter `value` stands for (itself, or the component its `$ref` names) and
    /// where that is defined; `None` for a reference to anything else.
    fn parameter_target(&mut self, value: &'a Value, at: &str) -> Option<(&'a Mapping, String)> {
        let Some(map) = value.as_mapping() else {
            self.report(at, "must be a mapping (a parameter)");
            return None;
        };
        let Some(reference) = map.get("$ref") else {
            return Some((map, at.to_owned()));
        };
        let name = reference.as_str()?.strip_prefix("#/parameters/")?;
        let target = self.root.get("parameters")?.get(name)?.as_mapping()?;
        Some((target, join("/parameters", &super::unescape(name))))
    }

    /// `parameters` of the document: body parameters go to `requestBodies`; form fields
    /// have no place of their own in OpenAPI 3.0 and are written into each operation that
    /// uses them.
    pub(super) fn parameter_components(
        &mut self,
        value: &'a Value,
        consumes: &MediaTypes,
    ) -> (Mapping, Mapping) {
        let (mut parameters, mut bodies) = (Mapping::new(), Mapping::new());
        let Some(map) = self.mapping(value, "/parameters", "parameters by name") else {
            return (parameters, bodies);
        };
        for (name, p) in map {
            let Some(n) = name.as_str() else {
                continue;
            };
            let at = join("/parameters", n);
            let Some(param) = self.mapping(p, &at, "a parameter") else {
                continue;
            };
            match param.get("in").and_then(Value::as_str) {
                Some("body") => {
                    let out = join("/components/requestBodies", n);
                    let body = BodyParam::Inline {
                        param,
                        at: at.clone(),
                    };
                    let converted = self.request_body(&body, consumes, &out);
                    bodies.insert(name.clone(), converted);
                }
                Some("formData") => {}
                _ => {
                    let out = join("/components/parameters", n);
                    let converted = self.simple_parameter(param, &at, &out);
                    parameters.insert(name.clone(), converted);
                }
            }
        }
        (parameters, bodies)
    }

    /// A query, header or path parameter.
    fn simple_parameter(&mut self, param: &Mapping, at: &str, out: &str) -> Value {
        self.record(out, at);
        let location = param.get("in").and_then(Value::as_str).unwrap_or_default();
        if !matches!(location, "query" | "header" | "path") {
            self.report(
                &join(at, "in"),
                "`in` is one of query, header, path, formData, body",
            );
            return Value::Mapping(param.clone());
        }
        let what = format!("{location} parameter");
        let known: Vec<&str> = [PARAMETER_KEYS, SCHEMA_FIELDS, &["schema"]].concat();
        self.check_keys(param, at, &what, &known);
        if let Some(converted) = self.object_parameter(param, at, out, location) {
            return converted;
        }
        if param.contains_key("schema") {
            self.report(
                &join(at, "schema"),
                format!("`schema` is for `in: body` parameters only; a {what} is described by `type`, `format`, `items`, ..."),
            );
        } else if !param.contains_key("type") {
            self.report(at, format!("a {what} needs `type`"));
        }
        let mut converted = Mapping::new();
        for key in ["name", "in", "description", "required", "allowEmptyValue"] {
            copy(&mut converted, param, key);
        }
        if let Some((style, explode)) = self.style(param, at, out, location) {
            put(&mut converted, "style", Value::from(style));
            put(&mut converted, "explode", Value::from(explode));
        }
        let schema_out = join(out, "schema");
        let files = if location == "formData" {
            Files::Allowed
        } else {
            Files::Refused
        };
        let schema = self.simple_schema(param, at, &schema_out, files);
        put(&mut converted, "schema", Value::Mapping(schema));
        copy_extensions(&mut converted, param, SCHEMA_EXTENSIONS);
        Value::Mapping(converted)
    }

    /// A query parameter whose value is an object, or an array of objects, which Swagger 2.0
    /// cannot describe: `x-query-object: dotted` (written by `cargo xtask import`) keeps its
    /// `schema`, converted like a body's, and says how the client sends it
    /// (`name.property=value`, as ASP.NET binds it). `None` for any other parameter.
    fn object_parameter(
        &mut self,
        param: &Mapping,
        at: &str,
        out: &str,
        location: &str,
    ) -> Option<Value> {
        let marked = param.get(QUERY_OBJECT)?;
        let schema = param.get("schema")?;
        if location != "query" || marked.as_str() != Some("dotted") {
            self.report(
                &join(at, QUERY_OBJECT),
                format!("`{QUERY_OBJECT}` is `dotted`, on a query parameter only"),
            );
            return None;
        }
        let mut converted = Mapping::new();
        for key in ["name", "in", "description", "required", "allowEmptyValue"] {
            copy(&mut converted, param, key);
        }
        let (schema_at, schema_out) = (join(at, "schema"), join(out, "schema"));
        self.record(&schema_out, &schema_at);
        let schema = self.schema(schema, &schema_at, &schema_out);
        put(&mut converted, "schema", schema);
        copy_extensions(&mut converted, param, &[]);
        Some(Value::Mapping(converted))
    }

    /// The schema of a non-body parameter, a header, or their `items`: their
    /// [`SCHEMA_FIELDS`] (and [`SCHEMA_EXTENSIONS`]). Recorded as coming from `at`.
    pub(super) fn simple_schema(
        &mut self,
        map: &Mapping,
        at: &str,
        out: &str,
        files: Files,
    ) -> Mapping {
        self.record(out, at);
        let mut schema = Mapping::new();
        for key in SCHEMA_FIELDS {
            let Some(v) = map.get(key) else {
                continue;
            };
            match *key {
                "type" if v.as_str() == Some("file") => {
                    if files == Files::Refused {
                        self.report(
                            &join(at, "type"),
                            "`type: file` is for formData parameters and responses only",
                        );
                    }
                    put(&mut schema, "type", Value::from("string"));
                    put(&mut schema, "format", Value::from("binary"));
                }
                "type" if !super::schemas::is_type(v) => {
                    self.report(&join(at, "type"), super::schemas::TYPE_MESSAGE);
                    put(&mut schema, "type", v.clone());
                }
                "format" if schema.contains_key("format") => {}
                "items" => {
                    let items = self.items(v, &join(at, "items"), &join(out, "items"));
                    put(&mut schema, "items", items);
                }
                _ => put(&mut schema, key, v.clone()),
            }
        }
        for key in SCHEMA_EXTENSIONS {
            copy(&mut schema, map, key);
        }
        schema
    }

    /// An Items object (the elements of an array parameter or header) as a schema.
    fn items(&mut self, value: &Value, at: &str, out: &str) -> Value {
        let Some(map) = self.mapping(value, at, "an Items object") else {
            return value.clone();
        };
        let known: Vec<&str> = [SCHEMA_FIELDS, &["collectionFormat"]].concat();
        self.check_keys(map, at, "Items object", &known);
        if map.contains_key("collectionFormat") {
            self.report(
                &join(at, "collectionFormat"),
                "the collectionFormat of nested items has no OpenAPI 3.0 form",
            );
        }
        let mut schema = self.simple_schema(map, at, out, Files::Refused);
        copy_extensions(&mut schema, map, SCHEMA_EXTENSIONS);
        Value::Mapping(schema)
    }

    /// `style` and `explode` of an array parameter from its `collectionFormat` (`csv` when
    /// absent); `None` when OpenAPI 3.0's default says the same (or it is no array).
    fn style(
        &mut self,
        param: &Mapping,
        at: &str,
        out: &str,
        location: &str,
    ) -> Option<(&'static str, bool)> {
        if param.get("type").and_then(Value::as_str) != Some("array") {
            return None;
        }
        let format = param.get("collectionFormat");
        let format_at = join(at, "collectionFormat");
        let style = match (location, format.map(|f| f.as_str().unwrap_or("?"))) {
            ("query" | "formData", None | Some("csv")) => Some(("form", false)),
            ("query" | "formData", Some("multi")) => Some(("form", true)),
            ("query" | "formData", Some("ssv")) => Some(("spaceDelimited", false)),
            ("query" | "formData", Some("pipes")) => Some(("pipeDelimited", false)),
            // `simple`, not exploded: what OpenAPI 3.0 assumes for these.
            ("path" | "header", None | Some("csv")) => None,
            (_, Some(f)) => {
                self.report(
                    &format_at,
                    format!(
                        "collectionFormat {f:?} has no OpenAPI 3.0 form for a {location} parameter"
                    ),
                );
                None
            }
            (_, None) => None,
        };
        if format.is_some() {
            self.record(&join(out, "style"), &format_at);
            self.record(&join(out, "explode"), &format_at);
        }
        style
    }

    /// The `requestBody` of a body parameter, at `out`.
    pub(super) fn request_body(
        &mut self,
        body: &BodyParam<'a>,
        consumes: &MediaTypes,
        out: &str,
    ) -> Value {
        let (param, at) = match body {
            BodyParam::Component { name, at } => {
                self.record(out, at);
                let mut r = Mapping::new();
                let target = format!("#/components/requestBodies/{}", escape(name));
                put(&mut r, "$ref", Value::from(target));
                return Value::Mapping(r);
            }
            BodyParam::Inline { param, at } => (*param, at.as_str()),
        };
        self.record(out, at);
        self.check_keys(param, at, "body parameter", BODY_KEYS);
        let mut converted = Mapping::new();
        copy(&mut converted, param, "description");
        let content_out = join(out, "content");
        self.record(&content_out, consumes.at.as_deref().unwrap_or(at));
        let mut content = Mapping::new();
        match param.get("schema") {
            None => self.report(at, "a body parameter needs `schema`"),
            Some(schema) => {
                let schema_at = join(at, "schema");
                for (k, media) in consumes.types.iter().enumerate() {
                    let media_out = join(&content_out, media);
                    match &consumes.at {
                        Some(list) => self.record(&media_out, &join(list, &k.to_string())),
                        None => self.record(&media_out, at),
                    }
                    let schema_out = join(&media_out, "schema");
                    self.record(&schema_out, &schema_at);
                    let schema = self.schema(schema, &schema_at, &schema_out);
                    let mut entry = Mapping::new();
                    put(&mut entry, "schema", schema);
                    put(&mut content, media, Value::Mapping(entry));
                }
            }
        }
        put(&mut converted, "content", Value::Mapping(content));
        copy(&mut converted, param, "required");
        copy_extensions(&mut converted, param, &[]);
        Value::Mapping(converted)
    }

    /// The form body of `fields`, at `out`: one object schema of the fields, under every
    /// form media type the operation consumes.
    pub(super) fn form_body(
        &mut self,
        fields: &[FormField<'a>],
        consumes: Option<&MediaTypes>,
        out: &str,
    ) -> Value {
        let first = fields.first().map(|f| f.at.clone()).unwrap_or_default();
        self.record(out, &first);
        let media = self.form_media(fields, consumes, &first);
        let content_out = join(out, "content");
        // The schema is written once, under the first media type; the pointers of the
        // others lead to the same fields.
        let schema_out = join(
            &join(&content_out, media.first().map_or("", |m| m.0.as_str())),
            "schema",
        );
        let FormFields {
            properties,
            required,
            encoding,
        } = self.form_fields(fields, &schema_out, &content_out);
        let any_required = !required.is_empty();
        let schema = form_schema(properties, required);
        let content = self.form_content(&media, &schema, &encoding, &content_out);
        let mut body = Mapping::new();
        put(&mut body, "content", Value::Mapping(content));
        if any_required {
            put(&mut body, "required", Value::Bool(true));
        }
        Value::Mapping(body)
    }

    /// The form media types of a form body, each with the pointer of its place in `consumes`:
    /// those `consumes` lists, or without `consumes` the one the fields need (multipart for a
    /// file). Reports a `consumes` that lists none.
    fn form_media(
        &mut self,
        fields: &[FormField<'a>],
        consumes: Option<&MediaTypes>,
        first: &str,
    ) -> Vec<(String, Option<String>)> {
        let has_file = fields
            .iter()
            .any(|f| f.param.get("type").and_then(Value::as_str) == Some("file"));
        let media: Vec<(String, Option<String>)> = match consumes {
            Some(c) => c
                .types
                .iter()
                .enumerate()
                .filter(|(_, t)| FORM_TYPES.contains(&t.as_str()))
                .map(|(k, t)| (t.clone(), c.at.as_ref().map(|a| join(a, &k.to_string()))))
                .collect(),
            None if has_file => vec![("multipart/form-data".to_owned(), None)],
            None => vec![("application/x-www-form-urlencoded".to_owned(), None)],
        };
        if media.is_empty() {
            let at = consumes
                .and_then(|c| c.at.clone())
                .unwrap_or(first.to_owned());
            self.report(&at, "formData parameters need consumes application/x-www-form-urlencoded or multipart/form-data");
        }
        media
    }

    /// The fields as the properties of the form's schema (at `schema_out`), which are
    /// required, and the encoding of those with a style (under `content_out`).
    fn form_fields(
        &mut self,
        fields: &[FormField<'a>],
        schema_out: &str,
        content_out: &str,
    ) -> FormFields {
        let mut form = FormFields::default();
        for field in fields {
            let what = "formData parameter";
            let known: Vec<&str> = [PARAMETER_KEYS, SCHEMA_FIELDS].concat();
            self.check_keys(field.param, &field.at, what, &known);
            let property_out = join(&join(schema_out, "properties"), &field.name);
            let mut property =
                self.simple_schema(field.param, &field.at, &property_out, Files::Allowed);
            copy(&mut property, field.param, "description");
            copy_extensions(&mut property, field.param, SCHEMA_EXTENSIONS);
            let name = Value::from(field.name.as_str());
            form.properties
                .insert(name.clone(), Value::Mapping(property));
            if field.param.get("required").and_then(Value::as_bool) == Some(true) {
                form.required.push(name.clone());
            }
            let encoding_out = join(&join(content_out, "encoding"), &field.name);
            if let Some((style, explode)) =
                self.style(field.param, &field.at, &encoding_out, "formData")
            {
                let mut e = Mapping::new();
                put(&mut e, "style", Value::from(style));
                put(&mut e, "explode", Value::from(explode));
                form.encoding.insert(name, Value::Mapping(e));
            }
        }
        form
    }

    /// The `content` of a form body: `schema` (and `encoding`, if any) under every media
    /// type, each recorded where `consumes` lists it.
    fn form_content(
        &mut self,
        media: &[(String, Option<String>)],
        schema: &Mapping,
        encoding: &Mapping,
        content_out: &str,
    ) -> Mapping {
        let mut content = Mapping::new();
        for (media, from) in media {
            if let Some(from) = from {
                self.record(&join(content_out, media), from);
            }
            let mut entry = Mapping::new();
            put(&mut entry, "schema", Value::Mapping(schema.clone()));
            if !encoding.is_empty() {
                put(&mut entry, "encoding", Value::Mapping(encoding.clone()));
            }
            put(&mut content, media, Value::Mapping(entry));
        }
        content
    }
}

/// A form body's fields as they are converted: its schema's parts and its encoding.
#[derive(Default)]
struct FormFields {
    /// The schema's `properties`, one per field, in the fields' order.
    properties: Mapping,
    /// The names of the required fields.
    required: Vec<Value>,
    /// The `encoding` of the fields with a style.
    encoding: Mapping,
}

/// A form's object schema: its `properties` and, when some are, the `required` ones.
fn form_schema(properties: Mapping, required: Vec<Value>) -> Mapping {
    let mut schema = Mapping::new();
    put(&mut schema, "type", Value::from("object"));
    put(&mut schema, "properties", Value::Mapping(properties));
    if !required.is_empty() {
        put(&mut schema, "required", Value::Sequence(required));
    }
    schema
}

/// A parameter reference, pointing where the parameter went.
fn upgraded_reference(p: &Value) -> Value {
    let mut p = p.clone();
    if let Some(map) = p.as_mapping_mut()
        && let Some(r) = map.get("$ref").and_then(Value::as_str)
    {
        let r = super::schemas::upgrade_ref(r);
        map.insert(Value::from("$ref"), Value::from(r));
    }
    p
}

/// A name as a JSON pointer token.
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}
