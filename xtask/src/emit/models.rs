//! `models.rs`: one struct, enum or alias per schema, with its `Validate` impl.

use std::collections::HashSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_lines, sanitize, spec_docs};
use super::validation;
use super::{Scope, ident, option_type, plain_ident, prepend, resolve, rust_type, serde_name};
use crate::fragment;
use crate::model::{Api, Field, TypeDef, TypeKind, TypeRef, Variant};

/// The whole file's tokens (for tests and benchmarks; `generate` prints it in runs).
pub fn emit(api: &Api) -> TokenStream {
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
        Context {
            defaults: default_types(api),
            param_enums,
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

fn type_def(api: &Api, t: &TypeDef, cx: &Context, out: &mut Vec<syn::Item>) {
    let name = ident(&t.name);
    let mut doc = spec_docs(&t.docs);
    if doc.is_empty() {
        doc = doc_lines(&format!("The `{}` schema.", t.name));
    }
    if t.deprecated {
        doc.extend(doc_lines("\n\nDeprecated by the service."));
    }
    match &t.kind {
        TypeKind::Struct(model_fields) => {
            let fields: Vec<syn::Field> = model_fields.iter().map(field).collect();
            let mut def = if cx.defaults.contains(&t.name) {
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
            out.push(syn::Item::Struct(def));
            out.push(validation::struct_impl(api, &t.name, model_fields));
        }
        TypeKind::Enum(variants) => enum_def(
            &t.name,
            doc,
            variants,
            cx.param_enums.contains(&t.name),
            out,
        ),
        TypeKind::Alias(ty) => {
            let mut alias = fragment!(syn::ItemType { pub type __Name = __Type; },
                __Name = name,
                __Type = rust_type(ty, Scope::Models),
            );
            alias.attrs = doc;
            out.push(syn::Item::Type(alias));
        }
    }
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

fn field(f: &Field) -> syn::Field {
    let ty = rust_type(&f.ty, Scope::Models);
    let mut doc_text = sanitize(f.docs.description.as_deref().unwrap_or_default());
    let mut notes = Vec::new();
    if let Some(d) = &f.default {
        notes.push(format!("Default on the service: `{d}`."));
    }
    if f.deprecated {
        notes.push("Deprecated by the service.".to_owned());
    }
    if !notes.is_empty() {
        if !doc_text.is_empty() {
            doc_text.push_str("\n\n");
        }
        doc_text.push_str(&notes.join(" "));
    }
    if doc_text.trim().is_empty() {
        doc_text = format!("The `{}` property.", f.wire_name);
    }
    let mut attrs = doc_lines(&doc_text);
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

fn enum_def(
    type_name: &str,
    doc: Vec<syn::Attribute>,
    variants: &[Variant],
    param: bool,
    out: &mut Vec<syn::Item>,
) {
    let name = ident(type_name);
    let defs: Vec<syn::Variant> = variants
        .iter()
        .map(|v| {
            let wire = &v.wire_name;
            let mut attrs = doc_lines(&format!("`{wire}`"));
            attrs.push(serde_attr(quote!(rename = #wire)));
            syn::Variant {
                attrs,
                ident: ident(&v.rust_name),
                fields: syn::Fields::Unit,
                discriminant: None,
            }
        })
        .collect();
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
    out.push(syn::Item::Impl(fragment!(syn::ItemImpl {
        impl std::fmt::Display for __Name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }, __Name = name.clone())));
    out.push(validation::enum_impl(name.clone(), variants));
    if param {
        out.push(syn::Item::Impl(fragment!(syn::ItemImpl {
            impl crate::params::ParamValue for __Name {
                fn with_param(&self, f: &mut dyn FnMut(&str)) {
                    f(self.as_str());
                }
            }
        }, __Name = name)));
    }
}
