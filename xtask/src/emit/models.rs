//! `models.rs`: per schema of the spec, a struct (deriving `Default` when every required
//! field has a default), an enum (with a catch-all variant, `as_str`, `Display`, and
//! `ParamValue` when an operation takes it as a parameter) or an alias, with serde
//! attributes for the wire names. The `Validate` impls of structs and enums come from
//! `emit::validation`.
//!
//! ```text
//! /// A nested inline object.
//! #[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
//! pub struct ThingOwner {
//!     /// The `displayName` property.
//!     #[serde(rename = "displayName")]
//!     #[serde(default, skip_serializing_if = "Option::is_none")]
//!     pub display_name: Option<String>,
//! }
//! /// The life-cycle state of a thing.
//! ///
//! /// Values this version of the crate does not know deserialize into `Other`, so a
//! /// value the service adds later does not break decoding.
//! #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
//! pub enum ThingState {
//!     /// `in-progress`
//!     #[serde(rename = "in-progress")]
//!     InProgress,
//!     /// A value the spec does not list.
//!     #[serde(untagged)]
//!     Other(String),
//! }
//! impl ThingState {
//!     /// The value as sent on the wire.
//!     pub fn as_str(&self) -> &str {
//!         match self {
//!             Self::InProgress => "in-progress",
//!             Self::Other(value) => value,
//!         }
//!     }
//! }
//! impl std::fmt::Display for ThingState { ... }
//! impl crate::params::ParamValue for ThingState { ... }
//! /// An alias of an array.
//! pub type ThingIds = Vec<uuid::Uuid>;
//! ```

use std::collections::HashSet;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::{doc_lines, sanitize, spec_docs};
use super::validation;
use super::{Scope, ident, option_type, plain_ident, prepend, resolve, rust_type, serde_name};
use crate::fragment;
use crate::model::{Api, Field, TypeDef, TypeKind, TypeRef, Variant};

#[cfg(test)]
/// The whole file's tokens (for tests and benchmarks; `generate` prints it in runs).
pub(crate) fn emit(api: &Api) -> TokenStream {
    let mut tokens = header(api);
    for item in items(api, &Context::new(api), &api.types) {
        quote::ToTokens::to_tokens(&item, &mut tokens);
    }
    tokens
}

/// The start of the file, before any item.
pub fn header(api: &Api) -> TokenStream {
    // Every struct and enum implements `validation::Validate`; aliases alone need nothing.
    let uses_validation = api
        .types
        .iter()
        .any(|t| !matches!(t.kind, TypeKind::Alias(_)));
    let import = uses_validation.then(|| {
        quote!(
            use crate::validation;
        )
    });
    quote! {
        //! Request and response bodies of the API, one type per schema of the spec.
        #import
    }
}

/// What the items of one type need to know about the others.
pub struct Context {
    /// Structs that can derive `Default`.
    defaults: HashSet<String>,
    /// Enums that some operation takes as a parameter: they implement `ParamValue`.
    param_enums: HashSet<String>,
}

impl Context {
    pub fn new(api: &Api) -> Context {
        Context {
            defaults: default_types(api),
            param_enums: param_enums(api),
        }
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

/// Enums that some operation takes as a parameter, alone or in an array.
fn param_enums(api: &Api) -> HashSet<String> {
    let mut param_enums = HashSet::new();
    for p in api.operations.iter().flat_map(|op| &op.params) {
        let mut ty = resolve(api, &p.ty);
        if let TypeRef::Vec(inner) = ty {
            ty = resolve(api, inner);
        }
        if let TypeRef::Named(n) = ty
            && matches!(api.type_kind(n), Some(TypeKind::Enum(_)))
        {
            param_enums.insert(n.clone());
        }
    }
    param_enums
}

/// Structs that can derive `Default`: every required field's type has a default.
fn default_types(api: &Api) -> HashSet<String> {
    let mut set: HashSet<String> = HashSet::new();
    loop {
        let before = set.len();
        for t in &api.types {
            if let TypeKind::Struct(fields) = &t.kind
                && fields
                    .iter()
                    .all(|f| !f.required || f.nullable || has_default(api, &f.ty, &set))
            {
                set.insert(t.name.clone());
            }
        }
        if set.len() == before {
            return set;
        }
    }
}

fn has_default(api: &Api, ty: &TypeRef, structs: &HashSet<String>) -> bool {
    match ty {
        TypeRef::Named(n) => match api.type_kind(n) {
            Some(TypeKind::Alias(inner)) => has_default(api, inner, structs),
            Some(TypeKind::Struct(_)) => structs.contains(n),
            _ => false,
        },
        TypeRef::Boxed(inner) => has_default(api, inner, structs),
        _ => true,
    }
}

/// The items of one type: its definition and impls.
fn type_def(api: &Api, t: &TypeDef, cx: &Context, out: &mut Vec<syn::Item>) {
    let doc = type_docs(t);
    match &t.kind {
        TypeKind::Struct(fields) => {
            let default = cx.defaults.contains(&t.name);
            out.push(struct_def(&t.name, fields, default, doc));
            out.push(validation::struct_impl(api, &t.name, fields));
        }
        TypeKind::Enum(variants) => {
            let name = ident(&t.name);
            enum_def(&name, variants, doc, out);
            out.push(display_impl(name.clone()));
            out.push(validation::enum_impl(name.clone(), variants));
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
            #[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
            pub struct __Name {
                __fields: (),
            }
        }, __Name = name, __fields = fields)
    } else {
        fragment!(syn::ItemStruct {
            #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
            pub struct __Name {
                __fields: (),
            }
        }, __Name = name, __fields = fields)
    };
    prepend(&mut def.attrs, doc);
    syn::Item::Struct(def)
}

/// `#[serde(tokens)]`.
fn serde_attr(tokens: TokenStream) -> syn::Attribute {
    syn::Attribute {
        pound_token: Default::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: Default::default(),
        meta: syn::Meta::List(syn::MetaList {
            path: syn::Path::from(plain_ident("serde")),
            delimiter: syn::MacroDelimiter::Paren(Default::default()),
            tokens,
        }),
    }
}

/// A struct's field: `Option` unless required and not nullable, renamed for serde when
/// its Rust name is not the wire name.
fn field(f: &Field) -> syn::Field {
    let ty = rust_type(&f.ty, Scope::Models);
    let mut attrs = field_docs(f);
    if serde_name(&f.rust_name) != f.wire_name {
        let wire = &f.wire_name;
        attrs.push(serde_attr(quote!(rename = #wire)));
    }
    let optional = !f.required || f.nullable;
    let ty = if !optional {
        ty
    } else if f.required {
        // Required but nullable: always sent, possibly as null.
        attrs.push(fragment!(syn::Attribute { #[serde(default)] }));
        option_type(ty)
    } else {
        attrs.push(fragment!(syn::Attribute {
            #[serde(default, skip_serializing_if = "Option::is_none")]
        }));
        option_type(ty)
    };
    let mut field = fragment!(syn::Field { pub __name: __Type },
        __name = ident(&f.rust_name),
        __Type = ty,
    );
    field.attrs = attrs;
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
    let other_name = crate::names::catch_all_variant(variants.iter().map(|v| v.rust_name.as_str()));
    let other = ident(&other_name);
    let mut def = fragment!(syn::ItemEnum {
        #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum __Name {
            __variants,
            /// A value the spec does not list.
            #[serde(untagged)]
            __Other(String),
        }
    }, __Name = name.clone(), __variants = defs, __Other = other.clone());
    let mut attrs = doc;
    attrs.extend(doc_lines(&format!(
        "\nValues this version of the crate does not know deserialize into `{other_name}`, so a\nvalue the service adds later does not break decoding."
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
    }, __Name = name.clone(), __arms = arms, __Other = other)));
}

/// A unit variant, renamed to its wire value.
fn variant(v: &Variant) -> syn::Variant {
    let wire = &v.wire_name;
    let mut attrs = doc_lines(&format!("`{wire}`"));
    attrs.push(serde_attr(quote!(rename = #wire)));
    syn::Variant {
        attrs,
        ident: ident(&v.rust_name),
        fields: syn::Fields::Unit,
        discriminant: None,
    }
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
        impl crate::params::ParamValue for __Name {
            fn with_param(&self, f: &mut dyn FnMut(&str)) {
                f(self.as_str());
            }
        }
    }, __Name = name))
}
