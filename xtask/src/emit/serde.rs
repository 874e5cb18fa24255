//! `Serialize` and `Deserialize` of the models, written out rather than derived: a derive
//! per type is most of what a crate of a large spec costs to compile. A struct is written as
//! a map of its properties through the runtime's `json::write` and read through `json::read` (one generic
//! reader, compiled once, that names the property of any error); a string enum is its wire
//! value.
//!
//! ```text
//! impl serde::Serialize for Thing {
//!     fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
//!         json::write(serializer, |map| {
//!             map.required("id", &self.id);
//!             map.optional("tags", &self.tags);
//!         })
//!     }
//! }
//!
//! impl<'de> serde::Deserialize<'de> for Thing {
//!     fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
//!         json::read(deserializer, |object| {
//!             Ok(Self {
//!                 id: object.required("id")?,
//!                 tags: object.optional_list("tags"),
//!             })
//!         })
//!     }
//! }
//! ```

use proc_macro2::{Ident, Span};

use super::{expr_lit, ident, plain_ident, str_expr};
use crate::fragment;
use crate::model::{Field, TypeRef, Variant};

/// The serde impls of a struct.
pub(crate) fn struct_impls(name: &Ident, fields: &[Field]) -> [syn::Item; 2] {
    [
        serialize_struct(name, fields),
        deserialize_struct(name, fields),
    ]
}

/// Whether a field's value is an `Option` in Rust: not required, or nullable.
pub(crate) fn is_optional(f: &Field) -> bool {
    !f.required || f.nullable
}

/// `Serialize`: a map of the properties; an optional property that is not set is left
/// out, a nullable required one is written as `null`.
fn serialize_struct(name: &Ident, fields: &[Field]) -> syn::Item {
    let writes: Vec<syn::Stmt> = fields
        .iter()
        .map(|f| {
            let write = if f.required { "required" } else { "optional" };
            fragment!(syn::Stmt { map.__write(__wire, &self.__field); },
                __write = plain_ident(write),
                __wire = &f.wire_name,
                __field = ident(&f.rust_name),
            )
        })
        .collect();
    let map = plain_ident(if fields.is_empty() { "_map" } else { "map" });
    syn::Item::Impl(fragment!(syn::ItemImpl {
        impl serde::Serialize for __Name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                json::write(serializer, |__map| {
                    __writes;
                })
            }
        }
    }, __Name = name.clone(), __map = map, __writes = writes))
}

/// `Deserialize`: each field takes its property from the object; only a required one
/// can stop the reading at once (`?`), the others keep their error for the end.
fn deserialize_struct(name: &Ident, fields: &[Field]) -> syn::Item {
    let values: Vec<syn::FieldValue> = fields
        .iter()
        .map(|f| {
            // Arrays and maps are read item by item, so that an error names the item.
            let take = match (&f.ty, is_optional(f)) {
                (TypeRef::Vec(_), false) => "required_list",
                (TypeRef::Vec(_), true) => "optional_list",
                (TypeRef::Map(_), false) => "required_map",
                (TypeRef::Map(_), true) => "optional_map",
                (_, false) => "required",
                (_, true) => "optional",
            };
            let field = ident(&f.rust_name);
            let wire = &f.wire_name;
            if is_optional(f) {
                fragment!(
                    syn::FieldValue {
                        __field: object.__take(__wire)
                    },
                    __field = field,
                    __take = plain_ident(take),
                    __wire = wire
                )
            } else {
                fragment!(
                    syn::FieldValue {
                        __field: object.__take(__wire)?
                    },
                    __field = field,
                    __take = plain_ident(take),
                    __wire = wire
                )
            }
        })
        .collect();
    let object = plain_ident(if fields.is_empty() {
        "_object"
    } else {
        "object"
    });
    syn::Item::Impl(fragment!(syn::ItemImpl {
        impl<'de> serde::Deserialize<'de> for __Name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                json::read(deserializer, |__object| {
                    Ok(Self {
                        __values: (),
                    })
                })
            }
        }
    }, __Name = name.clone(), __object = object, __values = values))
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
                    let variant = match value.as_str() {
                        __arms => {}
                        _ => Self::__Other(value),
                    };
                    Ok(variant)
                }
            }
        }, __Name = name.clone(), __wires = wires, __arms = arms, __Other = other.clone())),
    ]
}
