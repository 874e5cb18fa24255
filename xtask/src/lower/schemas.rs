//! Schemas into types: each component schema becomes a named type (struct, string enum or
//! alias); an inline object or enum becomes a named type after the place it is written in
//! (`hint`); everything else becomes a [`TypeRef`] with its constraints.

use std::collections::HashSet;

use openapiv3::{
    AdditionalProperties, AnySchema, ArrayType, IntegerFormat, IntegerType, NumberFormat,
    NumberType, ObjectType, ReferenceOr, Schema, SchemaKind, StringFormat, StringType, Type,
    VariantOrUnknownOrEmpty,
};

use super::Lowerer;
use super::enums::string_enum;
use super::refs::SCHEMAS;
use crate::diagnostics::join;
use crate::model::{Constraints, Docs, TypeDef, TypeKind, TypeRef};

/// A schema lowered for use as a field, parameter or body.
pub(super) struct Lowered {
    pub ty: TypeRef,
    pub nullable: bool,
    pub constraints: Constraints,
    pub description: Option<String>,
    pub default: Option<String>,
    pub deprecated: bool,
    pub read_only: bool,
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
            read_only: false,
        }
    }
}

impl<'a> Lowerer<'a> {
    /// Every component schema becomes a named type. Names are taken first, so that
    /// references resolve whatever the order of definition.
    pub(super) fn components(&mut self) {
        let Some(components) = &self.doc.components else {
            return;
        };
        for name in components.schemas.keys() {
            let pointer = join("/components/schemas", name);
            match self.names.pascal(name) {
                Some(rust) => {
                    if self.claim_type_name(&rust, &pointer) {
                        self.types.name_component(name, rust);
                    }
                }
                None => self.errs.report(
                    &pointer,
                    format!("schema name {name:?} gives no Rust identifier"),
                ),
            }
        }
        for (name, schema) in &components.schemas {
            let pointer = join("/components/schemas", name);
            let Some(rust) = self.types.component(name).cloned() else {
                continue;
            };
            match schema {
                ReferenceOr::Reference { reference } => {
                    if let Some(target) = self.schema_ref_type(reference, &pointer) {
                        if self.alias_cycle(name) {
                            self.errs.report(
                                &pointer,
                                format!(
                                    "cyclic $ref: {name} refers back to itself through {reference}"
                                ),
                            );
                        } else {
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
            match reference.strip_prefix(SCHEMAS) {
                Some(next) => current = next.to_owned(),
                None => return false,
            }
        }
        false
    }

    /// Takes a type name for the schema at `pointer`; reports a collision and returns false
    /// when another schema already produced that name.
    fn claim_type_name(&mut self, name: &str, pointer: &str) -> bool {
        match self.types.claim(name, pointer) {
            Ok(()) => true,
            Err(other) => {
                self.errs.report(
                    pointer,
                    format!("type name `{name}` collides with the one generated for {other}"),
                );
                false
            }
        }
    }

    /// Defines a named type for a schema object (a component or an inline object or enum).
    fn named_schema(&mut self, name: String, schema: &Schema, pointer: &str) {
        let docs = Docs {
            summary: schema.schema_data.title.clone(),
            description: schema.schema_data.description.clone(),
        };
        let deprecated = schema.schema_data.deprecated;
        let kind = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } | SchemaKind::Any(_)
                if is_struct(schema) =>
            {
                match self.struct_fields(&name, schema, pointer) {
                    Some(fields) => TypeKind::Struct(fields),
                    None => return,
                }
            }
            _ if let Some(values) = string_enum(schema) => {
                match self.enum_variants(schema, &values, pointer) {
                    Some(v) => TypeKind::Enum(v),
                    None => return,
                }
            }
            _ => match self.inline_schema(schema, pointer, &name) {
                Some(lowered) => TypeKind::Alias(lowered.ty),
                None => return,
            },
        };
        self.types.push(TypeDef {
            name,
            docs,
            deprecated,
            kind,
        });
    }

    /// A `$ref` or an inline schema. `hint` names inline objects and enums.
    pub(super) fn schema_ref<S: std::borrow::Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        pointer: &str,
        hint: &str,
    ) -> Option<Lowered> {
        match schema {
            ReferenceOr::Reference { reference } => {
                self.schema_ref_type(reference, pointer).map(Lowered::of)
            }
            ReferenceOr::Item(s) => self.inline_schema(s.borrow(), pointer, hint),
        }
    }

    /// An inline schema, dispatched by its kind to the function of that kind; what every
    /// kind shares (nullable, description, default, ...) is read here.
    fn inline_schema(&mut self, schema: &Schema, pointer: &str, hint: &str) -> Option<Lowered> {
        let data = &schema.schema_data;
        let mut lowered = Lowered::of(TypeRef::Json);
        lowered.nullable = data.nullable;
        lowered.description = data.description.clone();
        lowered.deprecated = data.deprecated;
        lowered.read_only = data.read_only;
        lowered.default = data.default.as_ref().map(|v| v.to_string());
        if let Some(values) = string_enum(schema) {
            if values.iter().any(Option::is_none) {
                lowered.nullable = true;
            }
            if let SchemaKind::Type(Type::String(s)) = &schema.schema_kind {
                lowered.constraints.min_length = s.min_length;
                lowered.constraints.max_length = s.max_length;
            }
            lowered.ty = self.inline_enum(schema, &values, pointer, hint)?;
            return Some(lowered);
        }
        let c = &mut lowered.constraints;
        lowered.ty = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => self.string_schema(s, pointer, c)?,
            SchemaKind::Type(Type::Integer(i)) => self.integer_schema(i, pointer, c)?,
            SchemaKind::Type(Type::Number(n)) => self.number_schema(n, pointer, c)?,
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Array(a)) => {
                c.min_items = a.min_items;
                c.max_items = a.max_items;
                TypeRef::Vec(Box::new(self.array_items(a, pointer, hint)?))
            }
            SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } | SchemaKind::Any(_)
                if is_struct(schema) =>
            {
                self.inline_named(schema, pointer, hint)?
            }
            SchemaKind::Type(Type::Object(o)) => self.map_schema(o, pointer, hint)?,
            SchemaKind::AllOf { all_of } => self.all_of_schema(all_of, pointer)?,
            SchemaKind::Any(any) => self.any_schema(schema, any, pointer, hint)?,
            SchemaKind::OneOf { .. } => self.unsupported(pointer, "oneOf")?,
            SchemaKind::AnyOf { .. } => self.unsupported(pointer, "anyOf")?,
            SchemaKind::Not { .. } => self.unsupported(pointer, "not")?,
        };
        Some(lowered)
    }

    /// `type: string`: text, or a date, date-time or uuid by its `format`.
    fn string_schema(
        &mut self,
        s: &StringType,
        pointer: &str,
        c: &mut Constraints,
    ) -> Option<TypeRef> {
        c.min_length = s.min_length;
        c.max_length = s.max_length;
        if let Some(p) = &s.pattern {
            c.pattern = Some(self.pattern(p, pointer)?);
        }
        Some(match &s.format {
            VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
            VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
            VariantOrUnknownOrEmpty::Unknown(f) if f == "uuid" => TypeRef::Uuid,
            // Other formats (byte, binary, password, and the descriptions' own such as
            // `TimeSpan`) are text to the client.
            _ => TypeRef::String,
        })
    }

    /// `type: integer`: `i32` for `format: int32`, else `i64`.
    fn integer_schema(
        &mut self,
        i: &IntegerType,
        pointer: &str,
        c: &mut Constraints,
    ) -> Option<TypeRef> {
        self.no_enum_nor_multiple(pointer, "integer", i.enumeration.is_empty(), i.multiple_of)?;
        c.minimum = i.minimum.map(|v| v as f64);
        c.maximum = i.maximum.map(|v| v as f64);
        c.exclusive_minimum = i.exclusive_minimum;
        c.exclusive_maximum = i.exclusive_maximum;
        Some(match &i.format {
            VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
            _ => TypeRef::I64,
        })
    }

    /// `type: number`: `f32` for `format: float`, else `f64`.
    fn number_schema(
        &mut self,
        n: &NumberType,
        pointer: &str,
        c: &mut Constraints,
    ) -> Option<TypeRef> {
        self.no_enum_nor_multiple(pointer, "number", n.enumeration.is_empty(), n.multiple_of)?;
        c.minimum = n.minimum;
        c.maximum = n.maximum;
        c.exclusive_minimum = n.exclusive_minimum;
        c.exclusive_maximum = n.exclusive_maximum;
        Some(match &n.format {
            VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
            _ => TypeRef::F64,
        })
    }

    /// What integers and numbers do not support: `enum`s of them, `multipleOf`.
    fn no_enum_nor_multiple<T>(
        &mut self,
        pointer: &str,
        kind: &str,
        no_enum: bool,
        multiple_of: Option<T>,
    ) -> Option<()> {
        if !no_enum {
            self.errs
                .report(pointer, format!("{kind} enums are not supported"));
            return None;
        }
        if multiple_of.is_some() {
            self.errs
                .report(&join(pointer, "multipleOf"), "multipleOf is not supported");
            return None;
        }
        Some(())
    }

    /// `type: object` without properties: a map of its `additionalProperties`, else any
    /// JSON object.
    fn map_schema(&mut self, o: &ObjectType, pointer: &str, hint: &str) -> Option<TypeRef> {
        match &o.additional_properties {
            Some(AdditionalProperties::Schema(s)) if o.properties.is_empty() => {
                let p = join(pointer, "additionalProperties");
                let value = self.schema_ref(s.as_ref(), &p, &format!("{hint}Value"))?;
                Some(TypeRef::Map(Box::new(value.ty)))
            }
            // (An object with properties is a struct: `is_struct`.)
            _ => Some(TypeRef::Json),
        }
    }

    /// An `allOf` that is no struct: `allOf: [$ref]`, the usual way to document or null a
    /// reference.
    fn all_of_schema(&mut self, all_of: &[ReferenceOr<Schema>], pointer: &str) -> Option<TypeRef> {
        match all_of.first() {
            Some(ReferenceOr::Reference { reference }) => {
                let p = join(&join(pointer, "allOf"), "0");
                self.schema_ref_type(reference, &p)
            }
            _ => {
                self.errs.report(pointer, "an empty allOf is not supported");
                None
            }
        }
    }

    /// A schema whose keywords do not say its kind alone (no `type`, or a `type` with
    /// keywords of another): any JSON when it has no keywords, its sole `allOf` part, or a
    /// problem.
    fn any_schema(
        &mut self,
        schema: &Schema,
        any: &AnySchema,
        pointer: &str,
        hint: &str,
    ) -> Option<TypeRef> {
        let no_keywords = any.items.is_none()
            && any.enumeration.is_empty()
            && any.one_of.is_empty()
            && any.any_of.is_empty()
            && any.all_of.is_empty()
            && any.not.is_none();
        if no_keywords && any.typ.is_none() && any.format.is_none() {
            return Some(TypeRef::Json);
        }
        if let Some(part) = sole_part(schema) {
            let p = join(&join(pointer, "allOf"), "0");
            return Some(self.inline_schema(part, &p, hint)?.ty);
        }
        // `type: object` with a format of its own (`JToken` in Microsoft's descriptions) and
        // nothing else: free-form JSON, as `type: object` alone is.
        if no_keywords && any.typ.as_deref() == Some("object") {
            return Some(TypeRef::Json);
        }
        if !any.enumeration.is_empty() {
            self.errs.report(
                &join(pointer, "enum"),
                "only enums of strings are supported (these values are not all strings, or \
                 `type` says otherwise)",
            );
        } else {
            self.errs.report(
                pointer,
                "schema not understood: its keywords do not fit its type (is `type` missing or \
                 wrong?)",
            );
        }
        None
    }

    /// A keyword the generator does not support (`oneOf`, `anyOf`, `not`).
    fn unsupported(&mut self, pointer: &str, keyword: &str) -> Option<TypeRef> {
        self.errs.report(
            &join(pointer, keyword),
            format!("{keyword} is not supported"),
        );
        None
    }

    /// A `pattern`, checked with the same engine the generated client uses: ECMA-only
    /// features (look-around, backreferences) are refused here, not at run time.
    fn pattern(&mut self, pattern: &str, pointer: &str) -> Option<String> {
        if let Err(e) = regex::Regex::new(pattern) {
            let reason = e
                .to_string()
                .lines()
                .last()
                .unwrap_or_default()
                .trim()
                .to_owned();
            self.errs.report(
                &join(pointer, "pattern"),
                format!("pattern {pattern:?} is not supported by the Rust regex engine: {reason}"),
            );
            return None;
        }
        Some(pattern.to_owned())
    }

    fn array_items(&mut self, a: &ArrayType, pointer: &str, hint: &str) -> Option<TypeRef> {
        match &a.items {
            Some(items) => self
                .schema_ref(items, &join(pointer, "items"), &format!("{hint}Item"))
                .map(|l| l.ty),
            None => {
                self.errs.report(pointer, "an array schema needs `items`");
                None
            }
        }
    }

    /// An inline object or enum becomes a named type called `hint`.
    pub(super) fn inline_named(
        &mut self,
        schema: &Schema,
        pointer: &str,
        hint: &str,
    ) -> Option<TypeRef> {
        // The same schema reached again (a property inherited through `allOf`): its type.
        if let Some(ty) = self.inline_types.get(pointer) {
            return Some(ty.clone());
        }
        let name = self
            .names
            .pascal(hint)
            .unwrap_or_else(|| "Inline".to_owned());
        if !self.claim_type_name(&name, pointer) {
            return None;
        }
        let before = self.types.len();
        self.named_schema(name.clone(), schema, pointer);
        let ty = (self.types.len() > before).then_some(TypeRef::Named(name))?;
        self.inline_types.insert(pointer.to_owned(), ty.clone());
        Some(ty)
    }
}

/// True when the schema becomes a struct (an object with properties, or `allOf`, or both).
fn is_struct(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
        SchemaKind::AllOf { all_of } => {
            all_of.len() > 1 || matches!(all_of.first(), Some(ReferenceOr::Item(_)))
        }
        SchemaKind::Any(any) => {
            (!any.properties.is_empty() || !any.all_of.is_empty())
                && matches!(any.typ.as_deref(), None | Some("object"))
                && sole_part(schema).is_none()
        }
        _ => false,
    }
}

/// The one `allOf` part of a schema that is nothing but that part, when the part is not an
/// object with properties: `type: object` + `allOf: [{type: array, ..}]` + `properties: {}`
/// is how Microsoft's descriptions write a type that is a list (or a map), such as
/// `JsonPatchDocument`. Such a schema is that part.
fn sole_part(schema: &Schema) -> Option<&Schema> {
    let SchemaKind::Any(any) = &schema.schema_kind else {
        return None;
    };
    match any.all_of.as_slice() {
        [ReferenceOr::Item(part)]
            if any.properties.is_empty()
                && matches!(any.typ.as_deref(), None | Some("object"))
                && !is_struct(part) =>
        {
            Some(part)
        }
        _ => None,
    }
}
