//! `models.rs`: one struct, enum or alias per schema, with its `Validate` impl.

use std::collections::HashSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_lines, sanitize, spec_docs};
use super::{
    Scope, ident, int_lit, needs_validation, option_type, plain_ident, prepend, resolve, rust_type,
    serde_name, str_expr,
};
use crate::fragment;
use crate::model::{Api, Constraints, Field, TypeDef, TypeKind, TypeRef, Variant};

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
            out.push(validate_struct(api, &t.name, model_fields));
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
    let wires: Vec<syn::Expr> = variants.iter().map(|v| str_expr(&v.wire_name)).collect();
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
    out.push(syn::Item::Impl(fragment!(syn::ItemImpl {
        impl validation::Validate for __Name {
            fn validate(&self, path: &validation::Path<'_>) -> Result<(), crate::Error> {
                validation::known(path, self.as_str(), &[__wires])
            }
        }
    }, __Name = name.clone(), __wires = wires)));
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

fn validate_struct(api: &Api, type_name: &str, fields: &[Field]) -> syn::Item {
    let checks: Vec<syn::Stmt> = fields.iter().filter_map(|f| field_checks(api, f)).collect();
    let path_arg = plain_ident(if checks.is_empty() { "_path" } else { "path" });
    syn::Item::Impl(fragment!(syn::ItemImpl {
        impl validation::Validate for __Name {
            fn validate(&self, __path: &validation::Path<'_>) -> Result<(), crate::Error> {
                __checks;
                Ok(())
            }
        }
    }, __Name = ident(type_name), __path = path_arg, __checks = checks))
}

/// The checks of one field, or `None` when there is nothing to check.
fn field_checks(api: &Api, f: &Field) -> Option<syn::Stmt> {
    let name = ident(&f.rust_name);
    let wire = &f.wire_name;
    let mut body = constraint_checks(api, &f.ty, &f.constraints);
    let nested = needs_validation(api, &f.ty);
    if body.is_empty() {
        // Only the value's own checks: `Validate` for `Option` skips a value that is absent.
        return nested.then(|| {
            fragment!(syn::Stmt {
                validation::Validate::validate(&self.__name, &path.field(__wire))?;
            }, __name = name, __wire = wire)
        });
    }
    if nested {
        body.push(fragment!(syn::Stmt { validation::Validate::validate(value, &field)?; }));
    }
    let optional = !f.required || f.nullable;
    Some(if optional {
        fragment!(syn::Stmt {
            if let Some(value) = &self.__name {
                let field = path.field(__wire);
                __body;
            }
        }, __name = name, __wire = wire, __body = body)
    } else {
        fragment!(syn::Stmt {
            {
                let value = &self.__name;
                let field = path.field(__wire);
                __body;
            }
        }, __name = name, __wire = wire, __body = body)
    })
}

/// Whether [`constraint_checks`] emits anything for `ty` and `c`.
pub fn has_constraint_checks(api: &Api, ty: &TypeRef, c: &Constraints) -> bool {
    !checked(api, ty, c).is_empty()
}

/// The constraints that are checked for a value of type `ty`: bounds only on numbers.
fn checked(api: &Api, ty: &TypeRef, c: &Constraints) -> Constraints {
    let number = matches!(
        resolve(api, ty),
        TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64
    );
    let minimum = c.minimum.filter(|_| number);
    let maximum = c.maximum.filter(|_| number);
    Constraints {
        minimum,
        maximum,
        exclusive_minimum: c.exclusive_minimum && minimum.is_some(),
        exclusive_maximum: c.exclusive_maximum && maximum.is_some(),
        ..c.clone()
    }
}

/// Checks of `constraints` against `value` (a reference to a value of type `ty`), reported
/// at `field` (a `validation::Path`).
pub fn constraint_checks(api: &Api, ty: &TypeRef, c: &Constraints) -> Vec<syn::Stmt> {
    let mut out = Vec::new();
    let c = &checked(api, ty, c);
    let count = |n: usize| int_lit(n as u64);
    if let Some(min) = c.min_items.map(count) {
        out.push(fragment!(syn::Stmt { validation::min_items(&field, value.len(), __min)?; }, __min = min));
    }
    if let Some(max) = c.max_items.map(count) {
        out.push(fragment!(syn::Stmt { validation::max_items(&field, value.len(), __max)?; }, __max = max));
    }
    if let Some(min) = c.min_length.map(count) {
        out.push(
            fragment!(syn::Stmt { validation::min_length(&field, value, __min)?; }, __min = min),
        );
    }
    if let Some(max) = c.max_length.map(count) {
        out.push(
            fragment!(syn::Stmt { validation::max_length(&field, value, __max)?; }, __max = max),
        );
    }
    if let Some(pattern) = &c.pattern {
        // Compiled once, on first use; the generator already checked that it compiles.
        out.push(fragment!(syn::Stmt {
            {
                static PATTERN: std::sync::LazyLock<Option<regex::Regex>> =
                    std::sync::LazyLock::new(|| regex::Regex::new(__pattern).ok());
                validation::pattern(&field, PATTERN.as_ref().map(|re| re.is_match(value)), __pattern)?;
            }
        }, __pattern = pattern));
    }
    // The value as f64, without a cast clippy would flag (bounds are checked on numbers only).
    let as_f64 = || match resolve(api, ty) {
        TypeRef::F64 => fragment!(syn::Expr { *value }),
        TypeRef::I64 => fragment!(syn::Expr { *value as f64 }),
        _ => fragment!(syn::Expr { f64::from(*value) }),
    };
    let float = |x: f64| syn::Lit::new(proc_macro2::Literal::f64_unsuffixed(x));
    if let Some(min) = c.minimum.map(float) {
        out.push(fragment!(syn::Stmt {
            validation::minimum(&field, __value, __min, __exclusive)?;
        }, __value = as_f64(), __min = min, __exclusive = c.exclusive_minimum));
    }
    if let Some(max) = c.maximum.map(float) {
        out.push(fragment!(syn::Stmt {
            validation::maximum(&field, __value, __max, __exclusive)?;
        }, __value = as_f64(), __max = max, __exclusive = c.exclusive_maximum));
    }
    out
}
