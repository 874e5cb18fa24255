//! `models.rs`: per schema of the spec, a struct, an enum or an alias.
//!
//! - A struct derives `Debug`, `Clone` (and `Default` when every required field has a
//!   default); its `PartialEq` compares field by field, and a struct without a floating-point
//!   number at any depth has `Eq` and `Hash` too. These and its serde impls
//!   (`emit::serde`) are written out rather than derived: derives are most of what a crate of
//!   a large spec costs to compile.
//! - An enum has a catch-all variant for values the spec does not list, `as_str`, `Display`,
//!   and `ParamValue` when an operation takes it as a parameter.
//! - An alias is a `pub type`.
//!
//! The `Validate` impls of structs and enums come from `emit::validation`. What it writes: the
//! expect tests `emit::tests::a_struct` and `emit::tests::a_string_enum`.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::{doc_lines, sanitize, spec_docs};
use super::validation;
use super::{Context, Scope, ident, option_type, plain_ident, prepend, rust_type, serde};
use crate::fragment;
use crate::model::{Api, Field, TypeDef, TypeKind, Variant};

#[cfg(test)]
/// The whole file's tokens (for tests; `generate` prints it in runs).
pub(crate) fn emit(api: &Api, cx: &Context) -> TokenStream {
    let mut tokens = header(api, cx);
    for item in items(api, cx, &api.types) {
        quote::ToTokens::to_tokens(&item, &mut tokens);
    }
    tokens
}

/// The start of the file, before any item.
pub fn header(api: &Api, cx: &Context) -> TokenStream {
    // Structs are written as maps and read through the runtime, enums read through it.
    let json = api
        .types
        .iter()
        .any(|t| matches!(t.kind, TypeKind::Struct(_) | TypeKind::Enum(_)))
        .then(|| quote!(json));
    let validation = api
        .types
        .iter()
        .any(|t| cx.checks.has_impl(&t.name))
        .then(|| quote!(validation));
    let import = match (json, validation) {
        (Some(a), Some(b)) => quote!(use azure_devops_runtime::__private::{#a, #b};),
        (Some(one), None) | (None, Some(one)) => quote!(use azure_devops_runtime::__private::#one;),
        (None, None) => quote!(),
    };
    quote! {
        //! Request and response bodies of the API, one type per schema of the spec.
        #import
    }
}

/// The items of `types` (a run of `api.types`).
pub fn items(api: &Api, cx: &Context, types: &[TypeDef]) -> Vec<syn::Item> {
    let mut items = Vec::with_capacity(types.len() * 2);
    for t in types {
        type_def(api, t, cx, &mut items);
    }
    items
}

/// The items of one type: its definition and impls.
fn type_def(api: &Api, t: &TypeDef, cx: &Context, out: &mut Vec<syn::Item>) {
    let doc = type_docs(t);
    match &t.kind {
        TypeKind::Struct(fields) => {
            let default = cx.defaults.contains(&t.name);
            out.push(struct_def(&t.name, fields, default, doc));
            out.push(struct_eq_impl(ident(&t.name), fields));
            if cx.eq.contains(&t.name) {
                out.extend(struct_eq_hash_impls(ident(&t.name), fields));
            }
            out.extend(serde::struct_impls(api, &ident(&t.name), fields));
            if cx.checks.has_impl(&t.name) {
                out.push(validation::struct_impl(api, &cx.checks, &t.name, fields));
            }
        }
        TypeKind::Enum(variants) => {
            let name = ident(&t.name);
            let other = ident(crate::names::CATCH_ALL_VARIANT);
            enum_def(&name, variants, &other, doc, out);
            out.push(display_impl(name.clone()));
            out.extend(enum_eq_impls(&name));
            out.extend(serde::enum_impls(&name, variants, &other));
            if cx.checks.has_impl(&t.name) {
                out.push(validation::enum_impl(name.clone(), variants));
            }
            if cx.param_enums.contains(&t.name) {
                out.push(param_value_impl(name));
            }
        }
        TypeKind::Alias(ty) => {
            let mut alias = fragment!(syn::ItemType { pub type __Name = __Type; },
                __Name = ident(&t.name),
                __Type = rust_type(ty, Scope::Models),
            );
            alias.attrs = doc;
            out.push(syn::Item::Type(alias));
        }
    }
}

/// The docs of a type: the spec's text (or its name) and whether it is deprecated.
fn type_docs(t: &TypeDef) -> Vec<syn::Attribute> {
    let mut doc = spec_docs(&t.docs);
    if doc.is_empty() {
        doc = doc_lines(&format!("The `{}` schema.", t.name));
    }
    if t.deprecated {
        doc.extend(doc_lines("\n\nDeprecated by the service."));
    }
    doc
}

/// `pub struct Name { fields.. }`, deriving `Default` when `default` holds.
fn struct_def(
    type_name: &str,
    fields: &[Field],
    default: bool,
    doc: Vec<syn::Attribute>,
) -> syn::Item {
    let name = ident(type_name);
    let fields: Vec<syn::Field> = fields.iter().map(field).collect();
    let mut def = if default {
        fragment!(syn::ItemStruct {
            #[derive(Debug, Clone, Default)]
            pub struct __Name {
                __fields: (),
            }
        }, __Name = name, __fields = fields)
    } else {
        fragment!(syn::ItemStruct {
            #[derive(Debug, Clone)]
            pub struct __Name {
                __fields: (),
            }
        }, __Name = name, __fields = fields)
    };
    prepend(&mut def.attrs, doc);
    syn::Item::Struct(def)
}

/// A struct's field: an `Option` unless required and not nullable.
fn field(f: &Field) -> syn::Field {
    let ty = rust_type(&f.ty, Scope::Models);
    let ty = if serde::is_optional(f) {
        option_type(ty)
    } else {
        ty
    };
    let mut field = fragment!(syn::Field { pub __name: __Type },
        __name = ident(&f.rust_name),
        __Type = ty,
    );
    field.attrs = field_docs(f);
    field
}

/// The docs of a field: the spec's text (or its wire name), its default on the service
/// and whether it is deprecated.
fn field_docs(f: &Field) -> Vec<syn::Attribute> {
    let mut text = sanitize(f.docs.description.as_deref().unwrap_or_default());
    let mut notes = Vec::new();
    if let Some(d) = &f.default {
        notes.push(format!("Default on the service: `{d}`."));
    }
    if f.deprecated {
        notes.push("Deprecated by the service.".to_owned());
    }
    if f.read_only {
        notes.push("Set by the service (read-only).".to_owned());
    }
    if !notes.is_empty() {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&notes.join(" "));
    }
    if text.trim().is_empty() {
        text = format!("The `{}` property.", f.wire_name);
    }
    doc_lines(&text)
}

/// `pub enum Name { variants.., Other(String) }` and its `as_str`, the two items that name
/// the catch-all variant.
fn enum_def(
    name: &Ident,
    variants: &[Variant],
    other: &Ident,
    doc: Vec<syn::Attribute>,
    out: &mut Vec<syn::Item>,
) {
    let defs: Vec<syn::Variant> = variants.iter().map(variant).collect();
    let arms: Vec<syn::Arm> = variants
        .iter()
        .map(|v| {
            fragment!(syn::Arm { Self::__Variant => __wire, },
                __Variant = ident(&v.rust_name),
                __wire = &v.wire_name,
            )
        })
        .collect();
    let mut def = fragment!(syn::ItemEnum {
        #[derive(Debug, Clone, Eq)]
        pub enum __Name {
            __variants,
            /// A value the spec does not list.
            __Other(String),
        }
    }, __Name = name.clone(), __variants = defs, __Other = other.clone());
    let mut attrs = doc;
    attrs.extend(doc_lines(&format!(
        "\nValues this version of the crate does not know deserialize into `{other}`, so a\nvalue the service adds later does not break decoding."
    )));
    prepend(&mut def.attrs, attrs);
    out.push(syn::Item::Enum(def));
    out.push(syn::Item::Impl(fragment!(syn::ItemImpl {
        impl __Name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    __arms => {}
                    Self::__Other(value) => value,
                }
            }
        }
    }, __Name = name.clone(), __arms = arms, __Other = other.clone())));
}

/// A unit variant, documented with its wire value.
fn variant(v: &Variant) -> syn::Variant {
    syn::Variant {
        attrs: doc_lines(&match &v.description {
            Some(text) => format!(
                "{} (`{}`)",
                super::markdown::inline(text.trim()),
                v.wire_name
            ),
            None => format!("`{}`", v.wire_name),
        }),
        ident: ident(&v.rust_name),
        fields: syn::Fields::Unit,
        discriminant: None,
    }
}

/// `PartialEq` of a struct: field by field, as a derived impl compares. Written out rather
/// than derived: a derive costs more to compile than the rest of the struct.
fn struct_eq_impl(name: Ident, fields: &[Field]) -> syn::Item {
    let same = fields
        .iter()
        .map(|f| {
            fragment!(syn::Expr { self.__field == other.__field }, __field = ident(&f.rust_name))
        })
        .reduce(|all, one| fragment!(syn::Expr { __all && __one }, __all = all, __one = one));
    syn::Item::Impl(match same {
        Some(same) => fragment!(syn::ItemImpl {
            impl PartialEq for __Name {
                fn eq(&self, other: &Self) -> bool {
                    __same
                }
            }
        }, __Name = name, __same = same),
        None => fragment!(syn::ItemImpl {
            impl PartialEq for __Name {
                fn eq(&self, _other: &Self) -> bool {
                    true
                }
            }
        }, __Name = name),
    })
}

/// `Eq` and `Hash` of a struct whose fields all have them (no floating-point number in
/// it, at any depth): `Hash` field by field, as a derived impl hashes.
fn struct_eq_hash_impls(name: Ident, fields: &[Field]) -> [syn::Item; 2] {
    let hashes: Vec<syn::Stmt> = fields
        .iter()
        .map(|f| fragment!(syn::Stmt { self.__field.hash(state); }, __field = ident(&f.rust_name)))
        .collect();
    let state = plain_ident(if fields.is_empty() { "_state" } else { "state" });
    [
        syn::Item::Impl(fragment!(syn::ItemImpl { impl Eq for __Name {} }, __Name = name.clone())),
        syn::Item::Impl(fragment!(syn::ItemImpl {
            impl std::hash::Hash for __Name {
                fn hash<H: std::hash::Hasher>(&self, __state: &mut H) {
                    __hashes;
                }
            }
        }, __Name = name, __state = state, __hashes = hashes)),
    ]
}

/// `PartialEq` and `Hash` of an enum: by its wire value (so a value the spec does not list
/// equals the variant that has it).
fn enum_eq_impls(name: &Ident) -> [syn::Item; 2] {
    [
        syn::Item::Impl(fragment!(syn::ItemImpl {
            impl PartialEq for __Name {
                fn eq(&self, other: &Self) -> bool {
                    self.as_str() == other.as_str()
                }
            }
        }, __Name = name.clone())),
        syn::Item::Impl(fragment!(syn::ItemImpl {
            impl std::hash::Hash for __Name {
                fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                    self.as_str().hash(state);
                }
            }
        }, __Name = name.clone())),
    ]
}

/// `Display` of an enum: its wire value.
fn display_impl(name: Ident) -> syn::Item {
    syn::Item::Impl(fragment!(syn::ItemImpl {
        impl std::fmt::Display for __Name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }, __Name = name))
}

/// `ParamValue` of an enum that is a parameter: sent as its wire value.
fn param_value_impl(name: Ident) -> syn::Item {
    syn::Item::Impl(fragment!(syn::ItemImpl {
        #[doc(hidden)]
        impl azure_devops_runtime::__private::ParamValue for __Name {
            fn with_param(&self, f: &mut dyn FnMut(&str)) {
                f(self.as_str());
            }
        }
    }, __Name = name))
}
