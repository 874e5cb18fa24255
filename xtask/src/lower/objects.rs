//! The fields of a struct: the properties of an object schema, or of every part of an
//! `allOf` (parts that are `$ref`s to other object schemas included), with `required`.

use std::collections::{HashMap, HashSet};

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

use super::Lowerer;
use super::refs::SCHEMAS;
use crate::diagnostics::join;
use crate::model::{Docs, Field};

/// One property found in a schema or one of its `allOf` parts.
struct Property<'s> {
    wire: String,
    pointer: String,
    schema: &'s ReferenceOr<Box<Schema>>,
    /// The Rust name of the component that declares it, when reached through a `$ref`.
    owner: Option<String>,
    /// Whether it comes from an `allOf` part rather than from the schema itself.
    inherited: bool,
}

/// The properties gathered from a schema and its `allOf` parts, in order.
#[derive(Default)]
struct Properties<'s> {
    props: Vec<Property<'s>>,
    /// The component whose properties are being collected, if any.
    owner: Option<String>,
    /// How many `allOf`s deep the walk is.
    all_of_depth: usize,
    required: HashSet<String>,
    /// The component schemas being walked, to refuse an `allOf` that includes itself.
    visiting: Vec<String>,
}

impl<'a> Lowerer<'a> {
    /// The fields of the struct `type_name`; `None` when a property cannot be lowered.
    pub(super) fn struct_fields(
        &mut self,
        type_name: &str,
        schema: &Schema,
        pointer: &str,
    ) -> Option<Vec<Field>> {
        let mark = self.errs.mark();
        let mut found = Properties::default();
        self.collect_properties(schema, pointer, &mut found);
        let props = self.overridden(found.props);
        let mut fields: Vec<Field> = Vec::new();
        let mut by_rust: HashMap<String, String> = HashMap::new();
        for Property {
            wire,
            pointer: p,
            schema: prop,
            owner,
            ..
        } in props
        {
            let Some(rust) = self.names.snake(&wire) else {
                self.errs.report(
                    &p,
                    format!("property name {wire:?} gives no Rust identifier"),
                );
                continue;
            };
            if let Some(other) = by_rust.get(&rust) {
                self.errs.report(
                    &p,
                    format!("properties {other:?} and {wire:?} both become field `{rust}`"),
                );
                continue;
            }
            by_rust.insert(rust.clone(), wire.clone());
            // An inline type is named after the schema that declares it, so that a type
            // inheriting through `allOf` shares it instead of getting a copy.
            let hint = format!(
                "{}{}",
                owner.as_deref().unwrap_or(type_name),
                self.names.pascal(&wire).unwrap_or_default()
            );
            let Some(lowered) = self.schema_ref(prop, &p, &hint) else {
                continue;
            };
            fields.push(Field {
                // A caller cannot give what only the service sets: such a property is
                // optional in Rust even where the schema requires it (in responses).
                required: found.required.contains(&wire) && !lowered.read_only,
                wire_name: wire,
                rust_name: rust,
                ty: lowered.ty,
                nullable: lowered.nullable,
                docs: Docs {
                    summary: None,
                    description: lowered.description,
                },
                deprecated: lowered.deprecated,
                read_only: lowered.read_only,
                default: lowered.default,
                constraints: lowered.constraints,
            });
        }
        self.errs.clean_since(mark).then_some(fields)
    }

    /// One property per wire name. A schema's own property replaces one it inherits through
    /// `allOf` (the more specific definition, as a derived type's: Microsoft's descriptions
    /// restate `id` as a uuid where the parent says string), in the inherited one's place;
    /// two parts restating a property the same way are one; two parts that disagree are an
    /// error, since both would have to hold.
    fn overridden<'s>(&mut self, props: Vec<Property<'s>>) -> Vec<Property<'s>> {
        let mut out: Vec<Property<'s>> = Vec::with_capacity(props.len());
        for prop in props {
            let Some(earlier) = out.iter_mut().find(|p| p.wire == prop.wire) else {
                out.push(prop);
                continue;
            };
            if !prop.inherited && earlier.inherited {
                *earlier = prop;
            } else if earlier.schema != prop.schema {
                self.errs.report(
                    &prop.pointer,
                    format!(
                        "property {:?} is defined twice across allOf parts, differently",
                        prop.wire
                    ),
                );
            }
        }
        out
    }

    fn collect_properties<'s>(
        &mut self,
        schema: &'s Schema,
        pointer: &str,
        found: &mut Properties<'s>,
    ) where
        'a: 's,
    {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => {
                if let Some(AdditionalProperties::Schema(_)) = &o.additional_properties {
                    self.errs.report(&join(pointer, "additionalProperties"), "an object with both properties and an additionalProperties schema is not supported");
                }
                let base = join(pointer, "properties");
                for (name, prop) in &o.properties {
                    found.props.push(Property {
                        wire: name.clone(),
                        pointer: join(&base, name),
                        schema: prop,
                        owner: found.owner.clone(),
                        inherited: found.all_of_depth > 0,
                    });
                }
                found.required.extend(o.required.iter().cloned());
            }
            // `type: object` + `allOf` + `properties`, how Microsoft's descriptions write
            // inheritance: the parts' properties first, then the schema's own.
            SchemaKind::Any(any)
                if (!any.properties.is_empty() || !any.all_of.is_empty())
                    && matches!(any.typ.as_deref(), None | Some("object")) =>
            {
                self.collect_all_of(&any.all_of, pointer, found);
                let base = join(pointer, "properties");
                for (name, prop) in &any.properties {
                    found.props.push(Property {
                        wire: name.clone(),
                        pointer: join(&base, name),
                        schema: prop,
                        owner: found.owner.clone(),
                        inherited: found.all_of_depth > 0,
                    });
                }
                found.required.extend(any.required.iter().cloned());
            }
            SchemaKind::AllOf { all_of } => self.collect_all_of(all_of, pointer, found),
            _ => {
                self.errs.report(
                    pointer,
                    "an allOf part must be an object schema with properties",
                );
            }
        }
    }

    /// The properties of every part of the `allOf` of the schema at `pointer`, in order.
    fn collect_all_of<'s>(
        &mut self,
        all_of: &'s [ReferenceOr<Schema>],
        pointer: &str,
        found: &mut Properties<'s>,
    ) where
        'a: 's,
    {
        found.all_of_depth += 1;
        for (i, part) in all_of.iter().enumerate() {
            let p = join(&join(pointer, "allOf"), &i.to_string());
            match part {
                ReferenceOr::Reference { reference } => {
                    self.collect_referenced(reference, &p, found)
                }
                ReferenceOr::Item(s) => self.collect_properties(s, &p, found),
            }
        }
        found.all_of_depth -= 1;
    }

    /// The properties of the component schema an `allOf` part refers to.
    fn collect_referenced<'s>(&mut self, reference: &str, pointer: &str, found: &mut Properties<'s>)
    where
        'a: 's,
    {
        let Some(name) = reference.strip_prefix(SCHEMAS) else {
            self.errs.report(
                pointer,
                format!("$ref {reference:?} is not supported: only {SCHEMAS}NAME"),
            );
            return;
        };
        let target = self
            .doc
            .components
            .as_ref()
            .and_then(|c| c.schemas.get(name));
        match target {
            Some(ReferenceOr::Item(s)) => {
                if found.visiting.iter().any(|v| v == name) {
                    self.errs
                        .report(pointer, format!("cyclic allOf through {reference}"));
                    return;
                }
                found.visiting.push(name.to_owned());
                let owner =
                    std::mem::replace(&mut found.owner, self.types.component(name).cloned());
                self.collect_properties(s, &join("/components/schemas", name), found);
                found.owner = owner;
                found.visiting.pop();
            }
            Some(ReferenceOr::Reference { .. }) => {
                self.errs.report(
                    pointer,
                    "an allOf part must refer to an object schema, not to another $ref",
                );
            }
            None => {
                self.errs.report(
                    pointer,
                    format!("dangling $ref: {reference} does not exist"),
                );
            }
        }
    }
}
