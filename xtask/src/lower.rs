//! OpenAPI document -> intermediate model: `$ref` resolution, naming and validation.
//!
//! Every problem becomes a `Diagnostic` with the JSON pointer of the node; problems are
//! collected so that one run reports all of them. Anything the generator cannot represent
//! faithfully is an error, never skipped.

use std::collections::{BTreeMap, HashMap, HashSet};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, ArrayType, IntegerFormat, NumberFormat, OpenAPI, Parameter,
    ParameterSchemaOrContent, ReferenceOr, RequestBody, Response, Schema, SchemaKind, StatusCode,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

use crate::diagnostics::{Diagnostics, join};
use crate::load::Spec;
use crate::model::*;
use crate::names;

/// Success statuses assumed for an operation that declares none.
const DEFAULT_SUCCESS: &[u16] = &[200, 201, 202, 204];

/// Names a builder uses for itself; a parameter may not take them.
const BUILDER_RESERVED: &[&str] = &[
    "client",
    "body",
    "send",
    "send_with_response",
    "into_future",
    "request",
    "preview",
];

pub fn lower(spec: &Spec) -> Result<Api, Diagnostics> {
    let mut l = Lowerer {
        spec,
        doc: &spec.document,
        diags: Diagnostics::default(),
        types: Vec::new(),
        type_origins: HashMap::new(),
        type_at: HashMap::new(),
        component_names: HashMap::new(),
        op_type_origins: HashMap::new(),
        names: names::Cache::default(),
    };
    let api = l.api();
    if l.diags.is_empty() {
        Ok(api)
    } else {
        Err(l.diags)
    }
}

struct Lowerer<'a> {
    spec: &'a Spec,
    doc: &'a OpenAPI,
    diags: Diagnostics,
    types: Vec<TypeDef>,
    /// Rust type name -> pointer of the schema that defined it, to report collisions.
    type_origins: HashMap<String, String>,
    /// Rust type name -> position in `types`.
    type_at: HashMap<String, usize>,
    /// Component schema name -> Rust type name.
    component_names: HashMap<String, String>,
    /// Names of `operations.rs` (request builders, response enums) -> what defined them.
    op_type_origins: HashMap<String, String>,
    names: names::Cache,
}

/// A schema lowered for use as a field, parameter or body.
struct Lowered {
    ty: TypeRef,
    nullable: bool,
    constraints: Constraints,
    description: Option<String>,
    default: Option<String>,
    deprecated: bool,
}

impl Lowered {
    fn of(ty: TypeRef) -> Self {
        Lowered {
            ty,
            nullable: false,
            constraints: Constraints::default(),
            description: None,
            default: None,
            deprecated: false,
        }
    }
}

impl<'a> Lowerer<'a> {
    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        let d = self.spec.error(pointer, message);
        self.diags.push(d);
    }

    fn api(&mut self) -> Api {
        let info = &self.doc.info;
        let package_name = match info.extensions.get("x-crate-name") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(_) => {
                self.error("/info/x-crate-name", "must be a string");
                String::new()
            }
            None => heck::ToKebabCase::to_kebab_case(info.title.as_str()),
        };
        if package_name.is_empty()
            || !package_name.starts_with(|c: char| c.is_ascii_alphabetic())
            || !package_name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            self.error(
                "/info",
                format!("crate name {package_name:?} (from x-crate-name or title) is not a valid Cargo package name"),
            );
        }
        let crate_version = match info.extensions.get("x-crate-version") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(_) => {
                self.error("/info/x-crate-version", "must be a string");
                String::new()
            }
            None => "0.1.0".to_owned(),
        };
        if !is_semver(&crate_version) {
            self.error(
                "/info/x-crate-version",
                format!("{crate_version:?} is not a semantic version (x.y.z)"),
            );
        }
        let base_url = match self.doc.servers.first() {
            Some(server) if server.url.contains('{') => {
                self.error("/servers/0/url", "server variables are not supported");
                String::new()
            }
            Some(server)
                if server.url.starts_with("http://") || server.url.starts_with("https://") =>
            {
                server.url.trim_end_matches('/').to_owned()
            }
            Some(server) => {
                self.error(
                    "/servers/0/url",
                    format!("{:?} is not an absolute http(s) URL", server.url),
                );
                String::new()
            }
            None => {
                self.error(
                    "/servers",
                    "at least one server with an absolute URL is required",
                );
                String::new()
            }
        };

        self.components();
        let operations = self.operations();
        if operations.is_empty() && self.diags.is_empty() {
            // A client without a single call: nothing to generate (and its runtime would
            // be dead code).
            self.error(
                "/paths",
                "the spec declares no operations: a client needs at least one",
            );
        }
        self.box_recursive_fields();
        self.recursive_aliases();
        Api {
            lib_name: package_name.replace('-', "_"),
            package_name,
            crate_version,
            title: info.title.clone(),
            description: info.description.clone(),
            api_version: info.version.clone(),
            base_url,
            operations,
            type_index: self
                .types
                .iter()
                .enumerate()
                .map(|(i, t)| (t.name.clone(), i))
                .collect(),
            types: std::mem::take(&mut self.types),
        }
    }

    // ----- types -------------------------------------------------------------------------

    fn components(&mut self) {
        let Some(components) = &self.doc.components else {
            return;
        };
        // Names first, so that references resolve whatever the order of definition.
        for name in components.schemas.keys() {
            let pointer = join("/components/schemas", name);
            match self.names.pascal(name) {
                Some(rust) => {
                    if self.claim_type_name(&rust, &pointer) {
                        self.component_names.insert(name.clone(), rust);
                    }
                }
                None => self.error(
                    &pointer,
                    format!("schema name {name:?} gives no Rust identifier"),
                ),
            }
        }
        for (name, schema) in &components.schemas {
            let pointer = join("/components/schemas", name);
            let Some(rust) = self.component_names.get(name).cloned() else {
                continue;
            };
            match schema {
                ReferenceOr::Reference { reference } => {
                    if let Some(target) = self.resolve_schema_ref(reference, &pointer) {
                        if self.alias_cycle(name) {
                            self.error(
                                &pointer,
                                format!(
                                    "cyclic $ref: {name} refers back to itself through {reference}"
                                ),
                            );
                        } else {
                            self.type_at.insert(rust.clone(), self.types.len());
                            self.types.push(TypeDef {
                                name: rust,
                                docs: Docs::default(),
                                deprecated: false,
                                kind: TypeKind::Alias(target),
                            });
                        }
                    }
                }
                ReferenceOr::Item(schema) => self.named_schema(rust, schema, &pointer),
            }
        }
    }

    /// Follows component-to-component `$ref`s from `start`; true when they loop.
    fn alias_cycle(&self, start: &str) -> bool {
        let Some(components) = &self.doc.components else {
            return false;
        };
        let mut seen = HashSet::new();
        let mut current = start.to_owned();
        while let Some(ReferenceOr::Reference { reference }) = components.schemas.get(&current) {
            if !seen.insert(current.clone()) {
                return true;
            }
            match reference.strip_prefix("#/components/schemas/") {
                Some(next) => current = next.to_owned(),
                None => return false,
            }
        }
        false
    }

    /// Records that `name` is defined at `pointer`; reports a collision and returns false
    /// when another schema already produced that name.
    fn claim_type_name(&mut self, name: &str, pointer: &str) -> bool {
        if let Some(other) = self.type_origins.get(name) {
            let other = other.clone();
            self.error(
                pointer,
                format!("type name `{name}` collides with the one generated for {other}"),
            );
            return false;
        }
        self.type_origins
            .insert(name.to_owned(), pointer.to_owned());
        true
    }

    /// Emits a named type for a schema object (a component or an inline object or enum).
    fn named_schema(&mut self, name: String, schema: &Schema, pointer: &str) {
        let docs = Docs {
            summary: schema.schema_data.title.clone(),
            description: schema.schema_data.description.clone(),
        };
        let deprecated = schema.schema_data.deprecated;
        let kind = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } | SchemaKind::Any(_)
                if self.is_struct(schema) =>
            {
                match self.struct_fields(&name, schema, pointer) {
                    Some(fields) => TypeKind::Struct(fields),
                    None => return,
                }
            }
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                match self.enum_variants(&s.enumeration, pointer) {
                    Some(v) => TypeKind::Enum(v),
                    None => return,
                }
            }
            _ => match self.inline_schema(schema, pointer, &name) {
                Some(lowered) => TypeKind::Alias(lowered.ty),
                None => return,
            },
        };
        self.type_at.insert(name.clone(), self.types.len());
        self.types.push(TypeDef {
            name,
            docs,
            deprecated,
            kind,
        });
    }

    /// True when the schema becomes a struct (an object with properties, or `allOf`).
    fn is_struct(&self, schema: &Schema) -> bool {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
            SchemaKind::AllOf { all_of } => {
                all_of.len() > 1 || matches!(all_of.first(), Some(ReferenceOr::Item(_)))
            }
            SchemaKind::Any(any) => !any.properties.is_empty(),
            _ => false,
        }
    }

    fn enum_variants(&mut self, values: &[Option<String>], pointer: &str) -> Option<Vec<Variant>> {
        let mut variants: Vec<Variant> = Vec::new();
        let mut ok = true;
        for (i, value) in values.iter().enumerate() {
            let Some(value) = value else { continue };
            let p = join(&join(pointer, "enum"), &i.to_string());
            let rust = self
                .names
                .pascal(value)
                .unwrap_or_else(|| format!("Value{i}"));
            if let Some(other) = variants.iter().find(|v| v.rust_name == rust) {
                let other = other.wire_name.clone();
                self.error(
                    &p,
                    format!("enum values {other:?} and {value:?} both become variant `{rust}`"),
                );
                ok = false;
            }
            variants.push(Variant {
                wire_name: value.clone(),
                rust_name: rust,
            });
        }
        if variants.is_empty() {
            self.error(pointer, "an enum needs at least one non-null value");
            ok = false;
        }
        ok.then_some(variants)
    }

    /// The properties of an object schema, or of all the parts of an `allOf`.
    fn struct_fields(
        &mut self,
        type_name: &str,
        schema: &Schema,
        pointer: &str,
    ) -> Option<Vec<Field>> {
        let mut props: Vec<(String, String, &ReferenceOr<Box<Schema>>)> = Vec::new(); // (wire, pointer, schema)
        let mut required: HashSet<String> = HashSet::new();
        let mut ok = true;
        self.collect_properties(
            schema,
            pointer,
            &mut props,
            &mut required,
            &mut ok,
            &mut Vec::new(),
        );
        let mut fields: Vec<Field> = Vec::new();
        let mut by_rust: HashMap<String, String> = HashMap::new();
        for (wire, p, prop) in props {
            if let Some(existing) = fields.iter().position(|f| f.wire_name == wire) {
                // allOf parts may restate a property; the later one wins, as in JSON Schema
                // both must hold, and the generator cannot merge them: say so.
                let _ = existing;
                self.error(
                    &p,
                    format!("property {wire:?} is defined twice across allOf parts"),
                );
                ok = false;
                continue;
            }
            let Some(rust) = self.names.snake(&wire) else {
                self.error(
                    &p,
                    format!("property name {wire:?} gives no Rust identifier"),
                );
                ok = false;
                continue;
            };
            if let Some(other) = by_rust.get(&rust) {
                self.error(
                    &p,
                    format!("properties {other:?} and {wire:?} both become field `{rust}`"),
                );
                ok = false;
                continue;
            }
            by_rust.insert(rust.clone(), wire.clone());
            let hint = format!(
                "{type_name}{}",
                self.names.pascal(&wire).unwrap_or_default()
            );
            let Some(lowered) = self.schema_ref(prop, &p, &hint) else {
                ok = false;
                continue;
            };
            fields.push(Field {
                required: required.contains(&wire),
                wire_name: wire,
                rust_name: rust,
                ty: lowered.ty,
                nullable: lowered.nullable,
                docs: Docs {
                    summary: None,
                    description: lowered.description,
                },
                deprecated: lowered.deprecated,
                default: lowered.default,
                constraints: lowered.constraints,
            });
        }
        ok.then_some(fields)
    }

    fn collect_properties<'s>(
        &mut self,
        schema: &'s Schema,
        pointer: &str,
        props: &mut Vec<(String, String, &'s ReferenceOr<Box<Schema>>)>,
        required: &mut HashSet<String>,
        ok: &mut bool,
        visiting: &mut Vec<String>,
    ) where
        'a: 's,
    {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => {
                if let Some(AdditionalProperties::Schema(_)) = &o.additional_properties {
                    self.error(&join(pointer, "additionalProperties"), "an object with both properties and an additionalProperties schema is not supported");
                    *ok = false;
                }
                let base = join(pointer, "properties");
                for (name, prop) in &o.properties {
                    props.push((name.clone(), join(&base, name), prop));
                }
                required.extend(o.required.iter().cloned());
            }
            SchemaKind::Any(any)
                if !any.properties.is_empty()
                    && matches!(any.typ.as_deref(), None | Some("object")) =>
            {
                let base = join(pointer, "properties");
                for (name, prop) in &any.properties {
                    props.push((name.clone(), join(&base, name), prop));
                }
                required.extend(any.required.iter().cloned());
            }
            SchemaKind::AllOf { all_of } => {
                for (i, part) in all_of.iter().enumerate() {
                    let p = join(&join(pointer, "allOf"), &i.to_string());
                    match part {
                        ReferenceOr::Reference { reference } => {
                            let Some(name) = reference.strip_prefix("#/components/schemas/") else {
                                self.error(&p, format!("$ref {reference:?} is not supported: only #/components/schemas/NAME"));
                                *ok = false;
                                continue;
                            };
                            let target = self
                                .doc
                                .components
                                .as_ref()
                                .and_then(|c| c.schemas.get(name));
                            match target {
                                Some(ReferenceOr::Item(s)) => {
                                    if visiting.iter().any(|v| v == name) {
                                        self.error(&p, format!("cyclic allOf through {reference}"));
                                        *ok = false;
                                        continue;
                                    }
                                    visiting.push(name.to_owned());
                                    let target_pointer = join("/components/schemas", name);
                                    self.collect_properties(
                                        s,
                                        &target_pointer,
                                        props,
                                        required,
                                        ok,
                                        visiting,
                                    );
                                    visiting.pop();
                                }
                                Some(ReferenceOr::Reference { .. }) => {
                                    self.error(&p, "an allOf part must refer to an object schema, not to another $ref");
                                    *ok = false;
                                }
                                None => {
                                    self.error(
                                        &p,
                                        format!("dangling $ref: {reference} does not exist"),
                                    );
                                    *ok = false;
                                }
                            }
                        }
                        ReferenceOr::Item(s) => {
                            self.collect_properties(s, &p, props, required, ok, visiting)
                        }
                    }
                }
            }
            _ => {
                self.error(
                    pointer,
                    "an allOf part must be an object schema with properties",
                );
                *ok = false;
            }
        }
    }

    /// `$ref` or inline schema. `hint` names inline objects and enums.
    fn schema_ref<S: std::borrow::Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        pointer: &str,
        hint: &str,
    ) -> Option<Lowered> {
        match schema {
            ReferenceOr::Reference { reference } => {
                self.resolve_schema_ref(reference, pointer).map(Lowered::of)
            }
            ReferenceOr::Item(s) => self.inline_schema(s.borrow(), pointer, hint),
        }
    }

    fn resolve_schema_ref(&mut self, reference: &str, pointer: &str) -> Option<TypeRef> {
        let Some(name) = reference.strip_prefix("#/components/schemas/") else {
            self.error(
                pointer,
                format!("$ref {reference:?} is not supported: only #/components/schemas/NAME"),
            );
            return None;
        };
        let exists = self
            .doc
            .components
            .as_ref()
            .is_some_and(|c| c.schemas.contains_key(name));
        if !exists {
            self.error(
                pointer,
                format!("dangling $ref: {reference} does not exist"),
            );
            return None;
        }
        // A missing name means the schema's own name was already reported as invalid.
        self.component_names.get(name).cloned().map(TypeRef::Named)
    }

    fn inline_schema(&mut self, schema: &Schema, pointer: &str, hint: &str) -> Option<Lowered> {
        let data = &schema.schema_data;
        let mut lowered = Lowered::of(TypeRef::Json);
        lowered.nullable = data.nullable;
        lowered.description = data.description.clone();
        lowered.deprecated = data.deprecated;
        lowered.default = data.default.as_ref().map(|v| v.to_string());
        let c = &mut lowered.constraints;
        lowered.ty = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                c.min_length = s.min_length;
                c.max_length = s.max_length;
                if let Some(p) = &s.pattern {
                    // Checked with the same engine the generated client uses; ECMA-only
                    // features (look-around, backreferences) are refused here, not at run time.
                    if let Err(e) = regex::Regex::new(p) {
                        let reason = e
                            .to_string()
                            .lines()
                            .last()
                            .unwrap_or_default()
                            .trim()
                            .to_owned();
                        self.error(
                            &join(pointer, "pattern"),
                            format!(
                                "pattern {p:?} is not supported by the Rust regex engine: {reason}"
                            ),
                        );
                        return None;
                    }
                    c.pattern = Some(p.clone());
                }
                if !s.enumeration.is_empty() {
                    if s.enumeration.iter().any(Option::is_none) {
                        lowered.nullable = true;
                    }
                    self.inline_named(schema, pointer, hint)?
                } else {
                    match &s.format {
                        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
                        VariantOrUnknownOrEmpty::Unknown(f) if f == "uuid" => TypeRef::Uuid,
                        _ => TypeRef::String,
                    }
                }
            }
            SchemaKind::Type(Type::Integer(i)) => {
                if !i.enumeration.is_empty() {
                    self.error(pointer, "integer enums are not supported");
                    return None;
                }
                if i.multiple_of.is_some() {
                    self.error(&join(pointer, "multipleOf"), "multipleOf is not supported");
                    return None;
                }
                c.minimum = i.minimum.map(|v| v as f64);
                c.maximum = i.maximum.map(|v| v as f64);
                c.exclusive_minimum = i.exclusive_minimum;
                c.exclusive_maximum = i.exclusive_maximum;
                match &i.format {
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                    _ => TypeRef::I64,
                }
            }
            SchemaKind::Type(Type::Number(n)) => {
                if !n.enumeration.is_empty() {
                    self.error(pointer, "number enums are not supported");
                    return None;
                }
                if n.multiple_of.is_some() {
                    self.error(&join(pointer, "multipleOf"), "multipleOf is not supported");
                    return None;
                }
                c.minimum = n.minimum;
                c.maximum = n.maximum;
                c.exclusive_minimum = n.exclusive_minimum;
                c.exclusive_maximum = n.exclusive_maximum;
                match &n.format {
                    VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                    _ => TypeRef::F64,
                }
            }
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Array(a)) => {
                c.min_items = a.min_items;
                c.max_items = a.max_items;
                TypeRef::Vec(Box::new(self.array_items(a, pointer, hint)?))
            }
            SchemaKind::Type(Type::Object(o)) if o.properties.is_empty() => {
                match &o.additional_properties {
                    Some(AdditionalProperties::Schema(s)) => {
                        let p = join(pointer, "additionalProperties");
                        let value = self.schema_ref(s.as_ref(), &p, &format!("{hint}Value"))?;
                        TypeRef::Map(Box::new(value.ty))
                    }
                    _ => TypeRef::Json,
                }
            }
            SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. }
                if self.is_struct(schema) =>
            {
                self.inline_named(schema, pointer, hint)?
            }
            // An object with properties is always a struct (above); this keeps the match total.
            SchemaKind::Type(Type::Object(_)) => TypeRef::Json,
            SchemaKind::AllOf { all_of } => match all_of.first() {
                // `allOf: [$ref]` is the usual way to document or null a reference.
                Some(ReferenceOr::Reference { reference }) => {
                    let p = join(&join(pointer, "allOf"), "0");
                    self.resolve_schema_ref(reference, &p)?
                }
                _ => {
                    self.error(pointer, "an empty allOf is not supported");
                    return None;
                }
            },
            SchemaKind::Any(any) if !any.properties.is_empty() => {
                self.inline_named(schema, pointer, hint)?
            }
            SchemaKind::Any(any)
                if any.typ.is_none()
                    && any.format.is_none()
                    && any.items.is_none()
                    && any.enumeration.is_empty()
                    && any.one_of.is_empty()
                    && any.any_of.is_empty()
                    && any.all_of.is_empty()
                    && any.not.is_none() =>
            {
                TypeRef::Json
            }
            SchemaKind::Any(_) => {
                self.error(pointer, "schema not understood: its keywords do not fit its type (is `type` missing or wrong?)");
                return None;
            }
            SchemaKind::OneOf { .. } => {
                self.error(&join(pointer, "oneOf"), "oneOf is not supported");
                return None;
            }
            SchemaKind::AnyOf { .. } => {
                self.error(&join(pointer, "anyOf"), "anyOf is not supported");
                return None;
            }
            SchemaKind::Not { .. } => {
                self.error(&join(pointer, "not"), "not is not supported");
                return None;
            }
        };
        Some(lowered)
    }

    fn array_items(&mut self, a: &ArrayType, pointer: &str, hint: &str) -> Option<TypeRef> {
        let p = join(pointer, "items");
        match &a.items {
            Some(items) => self
                .schema_ref(items, &p, &format!("{hint}Item"))
                .map(|l| l.ty),
            None => {
                self.error(pointer, "an array schema needs `items`");
                None
            }
        }
    }

    /// An inline object or enum becomes a named type called `hint`.
    fn inline_named(&mut self, schema: &Schema, pointer: &str, hint: &str) -> Option<TypeRef> {
        let name = self
            .names
            .pascal(hint)
            .unwrap_or_else(|| "Inline".to_owned());
        if !self.claim_type_name(&name, pointer) {
            return None;
        }
        let before = self.types.len();
        self.named_schema(name.clone(), schema, pointer);
        (self.types.len() > before).then_some(TypeRef::Named(name))
    }

    /// A type alias cannot refer to itself, not even through `Vec` or a map (`A = B`,
    /// `B = allOf [A]`, or `A = array of A`): only a struct breaks such a cycle.
    fn recursive_aliases(&mut self) {
        let aliases: HashMap<&str, &TypeRef> = self
            .types
            .iter()
            .filter_map(|t| match &t.kind {
                TypeKind::Alias(ty) => Some((t.name.as_str(), ty)),
                _ => None,
            })
            .collect();
        fn named<'t>(ty: &'t TypeRef, out: &mut Vec<&'t str>) {
            match ty {
                TypeRef::Named(n) => out.push(n),
                TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => {
                    named(inner, out)
                }
                _ => {}
            }
        }
        let mut cyclic: Vec<String> = Vec::new();
        for (name, ty) in &aliases {
            let mut stack = Vec::new();
            named(ty, &mut stack);
            let mut seen: HashSet<&str> = HashSet::new();
            while let Some(n) = stack.pop() {
                if n == *name {
                    cyclic.push((*name).to_owned());
                    break;
                }
                if seen.insert(n)
                    && let Some(next) = aliases.get(n)
                {
                    named(next, &mut stack);
                }
            }
        }
        cyclic.sort();
        for name in cyclic {
            let pointer = self.type_origins.get(&name).cloned().unwrap_or_default();
            self.error(
                &pointer,
                format!("cyclic $ref: `{name}` is defined in terms of itself with no object schema in between"),
            );
        }
    }

    /// Boxes struct fields that would otherwise make a type contain itself.
    fn box_recursive_fields(&mut self) {
        // Direct edges: a struct field (or alias) that holds another named type inline.
        let mut edges: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for t in &self.types {
            let targets = match &t.kind {
                TypeKind::Struct(fields) => fields
                    .iter()
                    .filter_map(|f| match &f.ty {
                        TypeRef::Named(n) => Some(n.clone()),
                        _ => None,
                    })
                    .collect(),
                TypeKind::Alias(TypeRef::Named(n)) => vec![n.clone()],
                _ => Vec::new(),
            };
            edges.insert(t.name.clone(), targets);
        }
        let reaches = |from: &str, to: &str| -> bool {
            let mut stack = vec![from.to_owned()];
            let mut seen = HashSet::new();
            while let Some(n) = stack.pop() {
                if n == to {
                    return true;
                }
                if seen.insert(n.clone()) {
                    stack.extend(edges.get(&n).into_iter().flatten().cloned());
                }
            }
            false
        };
        let mut to_box: Vec<(usize, usize)> = Vec::new();
        for (ti, t) in self.types.iter().enumerate() {
            if let TypeKind::Struct(fields) = &t.kind {
                for (fi, f) in fields.iter().enumerate() {
                    if let TypeRef::Named(n) = &f.ty
                        && reaches(n, &t.name)
                    {
                        to_box.push((ti, fi));
                    }
                }
            }
        }
        for (ti, fi) in to_box {
            if let TypeKind::Struct(fields) = &mut self.types[ti].kind {
                let ty = std::mem::replace(&mut fields[fi].ty, TypeRef::Json);
                fields[fi].ty = TypeRef::Boxed(Box::new(ty));
            }
        }
    }

    // ----- operations --------------------------------------------------------------------

    fn operations(&mut self) -> Vec<Operation> {
        // First every operation's method name, so that the names of the types an operation
        // defines (builder, inline bodies and enums, response enum) derive from its final
        // method name whatever the order of the paths.
        struct Pending<'o> {
            path: &'o str,
            method: &'o str,
            item_params: &'o [ReferenceOr<Parameter>],
            op: &'o openapiv3::Operation,
            pointer: String,
            id: String,
            short: String,
        }
        let mut pending: Vec<Pending<'a>> = Vec::new();
        let mut ids: HashMap<String, String> = HashMap::new();
        let doc = self.doc;
        for (path, item) in &doc.paths.paths {
            let item_pointer = join("/paths", path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    self.error(&item_pointer, "path item $ref is not supported");
                    continue;
                }
            };
            if !path.starts_with('/') {
                self.error(&item_pointer, "a path must start with '/'");
                continue;
            }
            for (method, op) in item.iter() {
                let pointer = join(&item_pointer, method);
                let Some(id) = op.operation_id.clone() else {
                    self.error(
                        &pointer,
                        "missing operationId: the generator names methods after it",
                    );
                    continue;
                };
                if let Some(other) = ids.get(&id) {
                    let other = other.clone();
                    self.error(
                        &join(&pointer, "operationId"),
                        format!("duplicate operationId {id:?}, also used at {other}"),
                    );
                    continue;
                }
                ids.insert(id.clone(), pointer.clone());
                let Some(short) = names::short_method_name(&id) else {
                    self.error(
                        &join(&pointer, "operationId"),
                        format!("operationId {id:?} gives no Rust identifier"),
                    );
                    continue;
                };
                pending.push(Pending {
                    path,
                    method,
                    item_params: &item.parameters,
                    op,
                    pointer,
                    id,
                    short,
                });
            }
        }
        // Short method names where they are unique and free, full ones where they are not.
        let mut count: HashMap<&str, usize> = HashMap::new();
        for p in &pending {
            *count.entry(p.short.as_str()).or_default() += 1;
        }
        let mut methods: HashMap<String, String> = HashMap::new();
        let mut builders: HashMap<String, String> = HashMap::new();
        let mut named: Vec<(usize, String, String)> = Vec::new();
        for (i, p) in pending.iter().enumerate() {
            let fn_name = if count[p.short.as_str()] > 1 || names::is_client_method(&p.short) {
                names::full_method_name(&p.id).unwrap_or_default()
            } else {
                p.short.clone()
            };
            let id_pointer = join(&p.pointer, "operationId");
            if names::is_client_method(&fn_name) {
                self.error(
                    &id_pointer,
                    format!(
                        "operationId {:?} becomes method `{fn_name}`, which `Client` already has",
                        p.id
                    ),
                );
                continue;
            }
            if let Some(other) = methods.get(&fn_name) {
                let other = other.clone();
                self.error(
                    &id_pointer,
                    format!(
                        "operationIds {other:?} and {:?} both become method `{fn_name}`",
                        p.id
                    ),
                );
                continue;
            }
            methods.insert(fn_name.clone(), p.id.clone());
            let builder_name = names::builder_name(&fn_name);
            if let Some(other) = builders.get(&builder_name) {
                let other = other.clone();
                self.error(
                    &id_pointer,
                    format!(
                        "operationIds {other:?} and {:?} both become request builder `{builder_name}`",
                        p.id
                    ),
                );
                continue;
            }
            builders.insert(builder_name.clone(), p.id.clone());
            named.push((i, fn_name, builder_name));
        }
        for (_, _, builder_name) in &named {
            self.op_type_origins
                .insert(builder_name.clone(), "a request builder".to_owned());
        }
        let mut ops = Vec::new();
        for (i, fn_name, builder_name) in named {
            let p = &pending[i];
            if let Some(op) = self.operation(
                p.path,
                p.method,
                p.item_params,
                p.op,
                &p.pointer,
                &p.id,
                fn_name,
                builder_name,
            ) {
                ops.push(op);
            }
        }
        ops
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        path: &str,
        method: &str,
        path_params: &[ReferenceOr<Parameter>],
        op: &openapiv3::Operation,
        pointer: &str,
        id: &str,
        fn_name: String,
        builder_name: String,
    ) -> Option<Operation> {
        let mut ok = true;

        // Operation parameters override path-item ones with the same name and location.
        let mut resolved: IndexMap<(String, &'static str), (String, &Parameter)> = IndexMap::new();
        let item_pointer = pointer
            .rsplit_once('/')
            .map(|(p, _)| p)
            .unwrap_or_default()
            .to_owned();
        let sources = [
            (path_params, join(&item_pointer, "parameters")),
            (&op.parameters[..], join(pointer, "parameters")),
        ];
        for (list, base) in sources {
            for (i, p) in list.iter().enumerate() {
                let ppointer = join(&base, &i.to_string());
                match self.resolve_parameter(p, &ppointer) {
                    Some((param, at)) => {
                        let key = (
                            param.parameter_data_ref().name.clone(),
                            location_name(param),
                        );
                        resolved.insert(key, (at, param));
                    }
                    None => ok = false,
                }
            }
        }

        let has_body = op.request_body.is_some();
        let mut params: Vec<Param> = Vec::new();
        for ((name, _), (ppointer, param)) in &resolved {
            match self.parameter(param, ppointer, &builder_name) {
                Some(p) => {
                    if p.constant.is_none() {
                        let clash = params
                            .iter()
                            .find(|q| q.constant.is_none() && q.rust_name == p.rust_name);
                        if let Some(q) = clash {
                            let q = q.wire_name.clone();
                            self.error(
                                ppointer,
                                format!(
                                    "parameters {q:?} and {name:?} both become `{}`",
                                    p.rust_name
                                ),
                            );
                            ok = false;
                            continue;
                        }
                        if BUILDER_RESERVED.contains(&p.rust_name.as_str())
                            && (p.rust_name != "body" || has_body)
                        {
                            self.error(ppointer, format!("parameter {name:?} becomes `{}`, a name the request builder uses itself", p.rust_name));
                            ok = false;
                            continue;
                        }
                    }
                    params.push(p);
                }
                None => ok = false,
            }
        }

        let declared: HashSet<&str> = resolved
            .keys()
            .filter(|(_, location)| *location == "path")
            .map(|(name, _)| name.as_str())
            .collect();
        let segments = self.path_segments(path, &params, &declared, pointer);
        let segments = match segments {
            Some(s) => s,
            None => {
                ok = false;
                Vec::new()
            }
        };

        let body = match &op.request_body {
            Some(rb) => match self.request_body(rb, &join(pointer, "requestBody"), &builder_name) {
                Some(b) => Some(b),
                None => {
                    ok = false;
                    None
                }
            },
            None => None,
        };

        let responses =
            self.responses(&op.responses, &join(pointer, "responses"), &builder_name)?;
        let idempotent = match op.extensions.get("x-idempotent") {
            None => matches!(
                method,
                "get" | "head" | "put" | "delete" | "options" | "trace"
            ),
            Some(serde_json::Value::Bool(b)) => *b,
            Some(_) => {
                self.error(&join(pointer, "x-idempotent"), "must be true or false");
                ok = false;
                false
            }
        };
        if !ok {
            return None;
        }
        let preview = matches!(
            op.extensions.get("x-ms-preview"),
            Some(serde_json::Value::Bool(true))
        );
        let mut description = op.description.clone();
        if preview {
            let note =
                "This operation is a preview API: its api-version carries a `-preview` suffix."
                    .to_owned();
            description = Some(match description {
                Some(d) => format!("{d}\n\n{note}"),
                None => note,
            });
        }
        Some(Operation {
            id: id.to_owned(),
            fn_name,
            builder_name,
            method: method.to_ascii_uppercase(),
            path: segments,
            params,
            body,
            responses,
            docs: Docs {
                summary: op.summary.clone(),
                description,
            },
            deprecated: op.deprecated,
            tags: op.tags.clone(),
            idempotent,
        })
    }

    fn resolve_parameter<'p>(
        &mut self,
        p: &'p ReferenceOr<Parameter>,
        pointer: &str,
    ) -> Option<(&'p Parameter, String)>
    where
        'a: 'p,
    {
        self.component(p, pointer, "parameters", |c| &c.parameters)
    }

    /// An object of the operation, or the component a `$ref` names
    /// (`#/components/{kind}/NAME`), with the pointer where it is written.
    fn component<'p, T: 'a>(
        &mut self,
        item: &'p ReferenceOr<T>,
        pointer: &str,
        kind: &str,
        pick: impl FnOnce(&'a openapiv3::Components) -> &'a IndexMap<String, ReferenceOr<T>>,
    ) -> Option<(&'p T, String)>
    where
        'a: 'p,
    {
        let reference = match item {
            ReferenceOr::Item(item) => return Some((item, pointer.to_owned())),
            ReferenceOr::Reference { reference } => reference,
        };
        let prefix = format!("#/components/{kind}/");
        let Some(name) = reference.strip_prefix(&prefix) else {
            self.error(
                pointer,
                format!("$ref {reference:?} is not supported here: only {prefix}NAME"),
            );
            return None;
        };
        match self
            .doc
            .components
            .as_ref()
            .map(pick)
            .and_then(|m| m.get(name))
        {
            Some(ReferenceOr::Item(found)) => {
                Some((found, join(&format!("/components/{kind}"), name)))
            }
            Some(ReferenceOr::Reference { .. }) => {
                self.error(
                    pointer,
                    format!("{reference} is itself a $ref; chains of $refs are not supported here"),
                );
                None
            }
            None => {
                self.error(
                    pointer,
                    format!("dangling $ref: {reference} does not exist"),
                );
                None
            }
        }
    }

    fn parameter(&mut self, param: &Parameter, pointer: &str, builder_name: &str) -> Option<Param> {
        let data = param.parameter_data_ref();
        let location = match param {
            Parameter::Query { .. } => ParamLocation::Query,
            Parameter::Path { .. } => ParamLocation::Path,
            Parameter::Header { .. } => ParamLocation::Header,
            Parameter::Cookie { .. } => {
                self.error(pointer, "cookie parameters are not supported");
                return None;
            }
        };
        if location == ParamLocation::Path && !data.required {
            self.error(
                &join(pointer, "required"),
                format!("path parameter {:?} must be required", data.name),
            );
            return None;
        }
        let schema = match &data.format {
            ParameterSchemaOrContent::Schema(s) => s,
            ParameterSchemaOrContent::Content(_) => {
                self.error(
                    &join(pointer, "content"),
                    "parameters with `content` are not supported; use `schema`",
                );
                return None;
            }
        };
        let Some(rust_name) = self.names.snake(&data.name) else {
            self.error(
                &join(pointer, "name"),
                format!("parameter name {:?} gives no Rust identifier", data.name),
            );
            return None;
        };
        let spointer = join(pointer, "schema");
        // A required parameter that allows a single value is sent by the client itself.
        if let ReferenceOr::Item(s) = schema
            && let SchemaKind::Type(Type::String(st)) = &s.schema_kind
            && data.required
            && st.enumeration.len() == 1
            && let Some(Some(value)) = st.enumeration.first()
        {
            return Some(Param {
                wire_name: data.name.clone(),
                rust_name,
                location,
                required: true,
                ty: TypeRef::String,
                constant: Some(value.clone()),
                constraints: Constraints::default(),
                docs: Docs {
                    summary: None,
                    description: data.description.clone(),
                },
                deprecated: data.deprecated.unwrap_or(false),
            });
        }
        let hint = format!(
            "{builder_name}{}",
            self.names.pascal(&data.name).unwrap_or_default()
        );
        let lowered = self.schema_ref(schema, &spointer, &hint)?;
        if !self.is_simple_param_type(&lowered.ty, location == ParamLocation::Query) {
            self.error(&spointer, format!("a {} parameter must be a string, number, boolean, uuid, date, date-time or string enum{}", location_name(param), if location == ParamLocation::Query { ", or an array of those" } else { "" }));
            return None;
        }
        let mut description = data.description.clone();
        if let Some(d) = &lowered.default {
            let note = format!("Default on the service: `{d}`.");
            description = Some(match description {
                Some(text) => format!("{text}\n\n{note}"),
                None => note,
            });
        }
        Some(Param {
            wire_name: data.name.clone(),
            rust_name,
            location,
            required: data.required,
            ty: lowered.ty,
            constant: None,
            constraints: lowered.constraints,
            docs: Docs {
                summary: None,
                description,
            },
            deprecated: data.deprecated.unwrap_or(false),
        })
    }

    fn is_simple_param_type(&self, ty: &TypeRef, allow_array: bool) -> bool {
        match ty {
            TypeRef::String
            | TypeRef::Bool
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::F32
            | TypeRef::F64
            | TypeRef::Uuid
            | TypeRef::DateTime
            | TypeRef::Date => true,
            TypeRef::Named(n) => match self
                .type_at
                .get(n)
                .and_then(|&i| self.types.get(i))
                .map(|t| &t.kind)
            {
                Some(TypeKind::Enum(_)) => true,
                Some(TypeKind::Alias(inner)) => self.is_simple_param_type(inner, allow_array),
                _ => false,
            },
            TypeRef::Vec(inner) if allow_array => self.is_simple_param_type(inner, false),
            _ => false,
        }
    }

    fn path_segments(
        &mut self,
        path: &str,
        params: &[Param],
        declared: &HashSet<&str>,
        pointer: &str,
    ) -> Option<Vec<PathSegment>> {
        let mut segments = Vec::new();
        let mut rest = path;
        let mut used: HashSet<usize> = HashSet::new();
        let mut ok = true;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                segments.push(PathSegment::Literal(rest[..open].to_owned()));
            }
            let Some(close) = rest[open..].find('}') else {
                self.error(pointer, format!("unclosed '{{' in path {path:?}"));
                return None;
            };
            let name = &rest[open + 1..open + close];
            match params
                .iter()
                .position(|p| p.location == ParamLocation::Path && p.wire_name == name)
            {
                Some(i) => {
                    used.insert(i);
                    segments.push(PathSegment::Param(i));
                }
                // Declared but invalid: that parameter's own error says why.
                None if declared.contains(name) => ok = false,
                None => {
                    self.error(pointer, format!("path {path:?} has {{{name}}} but the operation declares no path parameter {name:?}"));
                    ok = false;
                }
            }
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            segments.push(PathSegment::Literal(rest.to_owned()));
        }
        for (i, p) in params.iter().enumerate() {
            if p.location == ParamLocation::Path && !used.contains(&i) {
                self.error(
                    pointer,
                    format!(
                        "path parameter {:?} does not appear in the path {path:?}",
                        p.wire_name
                    ),
                );
                ok = false;
            }
        }
        ok.then_some(segments)
    }

    fn request_body(
        &mut self,
        rb: &ReferenceOr<RequestBody>,
        pointer: &str,
        builder_name: &str,
    ) -> Option<Body> {
        let (rb, pointer) = self.component(rb, pointer, "requestBodies", |c| &c.request_bodies)?;
        let content_pointer = join(&pointer, "content");
        let (media, schema) = self.json_content(&rb.content, &content_pointer)?;
        let Some(schema) = schema else {
            self.error(
                &join(&join(&content_pointer, &media), "schema"),
                "a request body needs a schema",
            );
            return None;
        };
        let spointer = join(&join(&content_pointer, &media), "schema");
        let lowered = self.schema_ref(schema, &spointer, &format!("{builder_name}Body"))?;
        Some(Body {
            ty: lowered.ty,
            required: rb.required,
            docs: Docs {
                summary: None,
                description: rb.description.clone(),
            },
        })
    }

    /// The JSON media type of a content map; anything else is unsupported.
    fn json_content<'c>(
        &mut self,
        content: &'c IndexMap<String, openapiv3::MediaType>,
        pointer: &str,
    ) -> Option<(String, Option<&'c ReferenceOr<Schema>>)> {
        let json = content.iter().find(|(media, _)| is_json(media));
        match json {
            Some((media, m)) => Some((media.clone(), m.schema.as_ref())),
            None => {
                let found: Vec<&str> = content.keys().map(String::as_str).collect();
                self.error(
                    pointer,
                    format!("only JSON content is supported, found {}", found.join(", ")),
                );
                None
            }
        }
    }

    fn responses(
        &mut self,
        responses: &openapiv3::Responses,
        pointer: &str,
        builder_name: &str,
    ) -> Option<Responses> {
        let mut success = Vec::new();
        let mut errors = Vec::new();
        let mut ok = true;
        for (code, response) in &responses.responses {
            let rpointer = join(pointer, &code.to_string());
            let status = match code {
                StatusCode::Code(c) => *c,
                StatusCode::Range(r) => {
                    if *r == 2 {
                        self.error(
                            &rpointer,
                            "a 2XX range response is not supported; list the status codes",
                        );
                        ok = false;
                    }
                    continue;
                }
            };
            if !(200..300).contains(&status) {
                if let ReferenceOr::Item(r) = response {
                    errors.push((status.to_string(), r.description.clone()));
                } else if let Some((r, _)) = self.resolve_response(response, &rpointer) {
                    errors.push((status.to_string(), r.description.clone()));
                }
                continue;
            }
            let Some((response, rpointer)) = self.resolve_response(response, &rpointer) else {
                ok = false;
                continue;
            };
            let ty = if response.content.is_empty() {
                None
            } else {
                let cpointer = join(&rpointer, "content");
                match self.json_content(&response.content, &cpointer) {
                    Some((media, Some(schema))) => {
                        let spointer = join(&join(&cpointer, &media), "schema");
                        let hint = format!("{builder_name}Response{status}");
                        match self.schema_ref(schema, &spointer, &hint) {
                            Some(l) => Some(l.ty),
                            None => {
                                ok = false;
                                None
                            }
                        }
                    }
                    Some((_, None)) => Some(TypeRef::Json),
                    None => {
                        ok = false;
                        None
                    }
                }
            };
            success.push(SuccessResponse {
                status,
                ty,
                description: response.description.clone(),
            });
        }
        if !ok {
            return None;
        }
        success.sort_by_key(|s| s.status);
        let distinct: HashSet<String> = success.iter().map(|s| format!("{:?}", s.ty)).collect();
        let enum_name = (distinct.len() > 1).then(|| format!("{builder_name}Response"));
        if let Some(name) = &enum_name {
            // The enum lives next to the request builders, not among the models.
            if names::is_runtime_name(name) {
                self.error(pointer, format!("the response enum would be named `{name}`, a name the generated crate already uses"));
                return None;
            }
            if let Some(other) = self.op_type_origins.get(name) {
                let other = other.clone();
                self.error(
                    pointer,
                    format!("the response enum `{name}` collides with {other}"),
                );
                return None;
            }
            self.op_type_origins
                .insert(name.clone(), format!("the response enum of {pointer}"));
        }
        let accepted = if success.is_empty() {
            DEFAULT_SUCCESS.to_vec()
        } else {
            success.iter().map(|s| s.status).collect()
        };
        if let Some(ReferenceOr::Item(r)) = &responses.default {
            errors.push(("default".to_owned(), r.description.clone()));
        }
        Some(Responses {
            success,
            enum_name,
            accepted,
            errors,
        })
    }

    fn resolve_response<'r>(
        &mut self,
        r: &'r ReferenceOr<Response>,
        pointer: &str,
    ) -> Option<(&'r Response, String)>
    where
        'a: 'r,
    {
        self.component(r, pointer, "responses", |c| &c.responses)
    }
}

fn location_name(p: &Parameter) -> &'static str {
    match p {
        Parameter::Query { .. } => "query",
        Parameter::Path { .. } => "path",
        Parameter::Header { .. } => "header",
        Parameter::Cookie { .. } => "cookie",
    }
}

fn is_json(media: &str) -> bool {
    let essence = media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence == "text/json" || essence.ends_with("+json")
}

fn is_semver(v: &str) -> bool {
    let core = v.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}
