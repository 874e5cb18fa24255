//! `Serialize` and `Deserialize` of the models, written out rather than derived: a derive
//! per type is most of what a crate of a large spec costs to compile.
//!
//! A struct is written as a map of its properties through the runtime's `json::writer`, and
//! read as it streams, as serde's derive reads: `Deserialize` calls `json::read`, which hands
//! the struct's `json::FromObject` impl the object's properties one by one; a `match` on the
//! name reads each value into its field's slot with the `json::Object` method of its kind
//! (`required`, `optional`, `_list`, `_map`, `_date_time`, ...), which names the property in
//! any error, and skips the unknown ones. A string enum is its wire value.
//!
//! What it writes: the expect tests `emit::tests::a_struct` and `emit::tests::a_string_enum`
//! (the runtime's `json` module shows the same shape in a doctest that runs).

use proc_macro2::{Ident, Span};

use super::{expr_lit, ident, plain_ident, resolve, str_expr};
use crate::fragment;
use crate::model::{Api, Field, TypeRef, Variant};

/// The serde impls of a struct: `Serialize`, `Deserialize` and the `json::FromObject` impl
/// `Deserialize` reads through.
pub(crate) fn struct_impls(api: &Api, name: &Ident, fields: &[Field]) -> [syn::Item; 3] {
    let [deserialize, from_object] = deserialize_struct(api, name, fields);
    [
        serialize_struct(api, name, fields),
        deserialize,
        from_object,
    ]
}

/// Whether a field's value is an `Option` in Rust: not required, or nullable.
pub(crate) fn is_optional(f: &Field) -> bool {
    !f.required || f.nullable
}

/// `Serialize`: a map of the properties; an optional property that is not set is left
/// out, a nullable required one is written as `null`.
fn serialize_struct(api: &Api, name: &Ident, fields: &[Field]) -> syn::Item {
    let writes: Vec<syn::Stmt> = fields
        .iter()
        .map(|f| {
            // A date-time is written without `fmt` (the runtime's `_date_time` writers), but
            // for a required nullable one, which is written as chrono writes it.
            let date_time = matches!(resolve(api, &f.ty), TypeRef::DateTime);
            let write = match (f.required, f.nullable, date_time) {
                (false, _, true) => "optional_date_time",
                (true, false, true) => "required_date_time",
                (false, _, false) => "optional",
                (true, _, _) => "required",
            };
            fragment!(syn::Stmt { map.__write(__wire, &self.__field)?; },
                __write = plain_ident(write),
                __wire = &f.wire_name,
                __field = ident(&f.rust_name),
            )
        })
        .collect();
    if fields.is_empty() {
        return syn::Item::Impl(fragment!(syn::ItemImpl {
            impl serde::Serialize for __Name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    json::writer(serializer)?.end()
                }
            }
        }, __Name = name.clone()));
    }
    syn::Item::Impl(fragment!(syn::ItemImpl {
        impl serde::Serialize for __Name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = json::writer(serializer)?;
                __writes;
                map.end()
            }
        }
    }, __Name = name.clone(), __writes = writes))
}

/// `Deserialize` through the runtime's `json::read`, and the `json::FromObject` impl it
/// calls: the object streams by, each property read straight into its field's slot (one
/// `match` arm per property, unknown ones skipped), then the required ones must be there.
fn deserialize_struct(api: &Api, name: &Ident, fields: &[Field]) -> [syn::Item; 2] {
    let deserialize = syn::Item::Impl(fragment!(syn::ItemImpl {
        impl<'de> serde::Deserialize<'de> for __Name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                json::read(deserializer)
            }
        }
    }, __Name = name.clone()));
    // The names of the reader and of the key must not be those of a field's slot.
    let object = unused_name("object", fields);
    let key = unused_name("key", fields);
    if fields.is_empty() {
        let from_object = fragment!(syn::ItemImpl {
            impl<'de> json::FromObject<'de> for __Name {
                fn from_object<A: serde::de::MapAccess<'de>>(
                    object: json::Object<'de, A>,
                ) -> Result<Self, A::Error> {
                    object.skip_all()?;
                    Ok(Self {})
                }
            }
        }, __Name = name.clone());
        return [deserialize, syn::Item::Impl(from_object)];
    }
    let slots: Vec<syn::Stmt> = fields
        .iter()
        .map(|f| fragment!(syn::Stmt { let mut __field = None; }, __field = ident(&f.rust_name)))
        .collect();
    let arms: Vec<syn::Arm> = fields
        .iter()
        .map(|f| {
            let wire = syn::Lit::Str(syn::LitStr::new(&f.wire_name, Span::call_site()));
            fragment!(syn::Arm { __wire => __object.__read(&mut __field), },
                __wire = syn::Pat::Lit(expr_lit(wire)),
                __object = object.clone(),
                __read = plain_ident(&reading(api, f)),
                __field = ident(&f.rust_name),
            )
        })
        .collect();
    let values: Vec<syn::FieldValue> = fields
        .iter()
        .map(|f| {
            let field = ident(&f.rust_name);
            if is_optional(f) {
                fragment!(syn::FieldValue { __field }, __field = field)
            } else {
                fragment!(
                    syn::FieldValue {
                        __field: __object.present(__field, __wire)?
                    },
                    __field = field,
                    __object = object.clone(),
                    __wire = &f.wire_name,
                )
            }
        })
        .collect();
    let from_object = fragment!(syn::ItemImpl {
        impl<'de> json::FromObject<'de> for __Name {
            fn from_object<A: serde::de::MapAccess<'de>>(
                mut __object: json::Object<'de, A>,
            ) -> Result<Self, A::Error> {
                __slots;
                while let Some(__key) = __object.next_key()? {
                    match __key {
                        __arms => {}
                        _ => __object.skip(),
                    }?;
                }
                Ok(Self {
                    __values: (),
                })
            }
        }
    }, __Name = name.clone(), __object = object, __key = key, __slots = slots, __arms = arms,
        __values = values);
    [deserialize, syn::Item::Impl(from_object)]
}

/// The method of `json::Object` that reads a field's value: `required` or `optional` (the
/// field is an `Option` in Rust, `null` unsets it), then by the kind of its type after
/// aliases: arrays item by item (`_list`) and maps entry by entry (`_map`), so that an
/// error names the item, date-times leniently (`_date_time`).
fn reading(api: &Api, f: &Field) -> String {
    let presence = if is_optional(f) {
        "optional"
    } else {
        "required"
    };
    let date_time = |ty: &TypeRef| matches!(resolve(api, ty), TypeRef::DateTime);
    let kind = match resolve(api, &f.ty) {
        TypeRef::DateTime => "_date_time",
        TypeRef::Vec(item) if date_time(item) => "_date_time_list",
        TypeRef::Map(item) if date_time(item) => "_date_time_map",
        TypeRef::Vec(_) => "_list",
        TypeRef::Map(_) => "_map",
        _ => "",
    };
    format!("{presence}{kind}")
}

/// `base`, with `_` appended until no field of `fields` has that name in Rust.
fn unused_name(base: &str, fields: &[Field]) -> Ident {
    let mut name = base.to_owned();
    while fields.iter().any(|f| ident(&f.rust_name) == name) {
        name.push('_');
    }
    plain_ident(&name)
}

/// The serde impls of a string enum: its wire value, as text; a value the spec does not
/// list reads into the catch-all variant `other`. The runtime's `json::enum_value` reads
/// the text (a listed value in another letter case as the listed one).
pub(crate) fn enum_impls(name: &Ident, variants: &[Variant], other: &Ident) -> [syn::Item; 2] {
    let wires: Vec<syn::Expr> = variants.iter().map(|v| str_expr(&v.wire_name)).collect();
    let arms: Vec<syn::Arm> = variants
        .iter()
        .map(|v| {
            let wire = syn::Lit::Str(syn::LitStr::new(&v.wire_name, Span::call_site()));
            fragment!(syn::Arm { __wire => Self::__Variant, },
                __wire = syn::Pat::Lit(expr_lit(wire)),
                __Variant = ident(&v.rust_name),
            )
        })
        .collect();
    [
        syn::Item::Impl(fragment!(syn::ItemImpl {
            impl serde::Serialize for __Name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }
        }, __Name = name.clone())),
        syn::Item::Impl(fragment!(syn::ItemImpl {
            impl<'de> serde::Deserialize<'de> for __Name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = json::enum_value(deserializer, &[__wires])?;
                    let variant = match &*value {
                        __arms => {}
                        _ => Self::__Other(value.into_owned()),
                    };
                    Ok(variant)
                }
            }
        }, __Name = name.clone(), __wires = wires, __arms = arms, __Other = other.clone())),
    ]
}
