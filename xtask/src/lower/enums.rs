//! String enums: with `type: string` or without a `type` (as Microsoft's descriptions
//! often write them), their variants, and `x-ms-enum`: its `name` names the Rust enum (one
//! shared enum for every property that names the same one) and its value descriptions
//! become the variants' docs.

use openapiv3::{Schema, SchemaKind, Type};
use serde_json::Value;

use super::Lowerer;
use crate::diagnostics::join;
use crate::model::{TypeRef, Variant};

/// An enum named by `x-ms-enum`, as first defined.
pub(super) struct SharedEnum {
    values: Vec<Option<String>>,
    pointer: String,
}

/// The values of a string enum schema (`None` for `null`), or `None` when the schema is not
/// one. A schema without `type` is a string enum when it lists values, all strings or null,
/// and nothing that belongs to another type.
pub(super) fn string_enum(schema: &Schema) -> Option<Vec<Option<String>>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
            Some(s.enumeration.clone())
        }
        SchemaKind::Any(any)
            if !any.enumeration.is_empty()
                && matches!(any.typ.as_deref(), None | Some("string"))
                && any.properties.is_empty()
                && any.items.is_none()
                && any.all_of.is_empty()
                && any.one_of.is_empty()
                && any.any_of.is_empty() =>
        {
            any.enumeration
                .iter()
                .map(|v| match v {
                    Value::String(s) => Some(Some(s.clone())),
                    Value::Null => Some(None),
                    _ => None,
                })
                .collect()
        }
        _ => None,
    }
}

/// `x-ms-enum`'s `name`, if the schema has one.
fn shared_name(schema: &Schema) -> Option<&str> {
    schema
        .schema_data
        .extensions
        .get("x-ms-enum")?
        .get("name")?
        .as_str()
        .filter(|n| !n.trim().is_empty())
}

/// `x-ms-enum`'s description of `value`, if it has one.
fn value_description(schema: &Schema, value: &str) -> Option<String> {
    let values = schema
        .schema_data
        .extensions
        .get("x-ms-enum")?
        .get("values")?
        .as_array()?;
    values
        .iter()
        .find(|v| v.get("value").and_then(Value::as_str) == Some(value))?
        .get("description")?
        .as_str()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_owned)
}

impl Lowerer<'_> {
    /// The type of an enum written in place: the enum `x-ms-enum` names (defined here the
    /// first time, shared after), or a new enum named after the place (`hint`).
    pub(super) fn inline_enum(
        &mut self,
        schema: &Schema,
        values: &[Option<String>],
        pointer: &str,
        hint: &str,
    ) -> Option<TypeRef> {
        let Some(shared) = shared_name(schema) else {
            return self.inline_named(schema, pointer, hint);
        };
        let Some(name) = self.names.pascal(shared) else {
            self.errs.report(
                &join(&join(pointer, "x-ms-enum"), "name"),
                format!("x-ms-enum name {shared:?} gives no Rust identifier"),
            );
            return None;
        };
        if let Some(first) = self.shared_enums.get(&name) {
            if first.values == values {
                return Some(TypeRef::Named(name));
            }
            let first = first.pointer.clone();
            self.errs.report(
                &join(&join(pointer, "x-ms-enum"), "name"),
                format!(
                    "x-ms-enum `{shared}` is also defined at {first} with other values: one \
                     name, one enum"
                ),
            );
            return None;
        }
        let ty = self.inline_named(schema, pointer, &name)?;
        self.shared_enums.insert(
            name,
            SharedEnum {
                values: values.to_vec(),
                pointer: pointer.to_owned(),
            },
        );
        Some(ty)
    }

    /// The variants of an enum schema, named from their values; `null` is not one.
    pub(super) fn enum_variants(
        &mut self,
        schema: &Schema,
        values: &[Option<String>],
        pointer: &str,
    ) -> Option<Vec<Variant>> {
        let mark = self.errs.mark();
        let mut variants: Vec<Variant> = Vec::new();
        for (i, value) in values.iter().enumerate() {
            let Some(value) = value else { continue };
            let rust = crate::names::enum_variant(&self.names, value)
                .unwrap_or_else(|| format!("Value{i}"));
            if let Some(other) = variants.iter().find(|v| v.rust_name == rust) {
                let other = other.wire_name.clone();
                self.errs.report(
                    &join(&join(pointer, "enum"), &i.to_string()),
                    format!("enum values {other:?} and {value:?} both become variant `{rust}`"),
                );
            }
            variants.push(Variant {
                wire_name: value.clone(),
                rust_name: rust,
                description: value_description(schema, value),
            });
        }
        if variants.is_empty() {
            self.errs
                .report(pointer, "an enum needs at least one non-null value");
        }
        self.errs.clean_since(mark).then_some(variants)
    }
}
