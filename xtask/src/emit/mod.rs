//! Model -> Rust syntax trees, cut by what they emit: [`models`] and [`operations`] (one
//! per generated file), `docs` (rustdoc text) and `validation` (the checks before a
//! request is sent); fixed code comes from [`fragment`]s. This module holds what they
//! share: identifiers, the Rust types of model types, literals, and following aliases.
//!
//! Examples: `tests::keywords_become_raw_identifiers` (`ident`); the code each emitter
//! writes, one concern a test, is in `tests.rs` (expect tests).

pub mod crate_root;
pub(crate) mod docs;
pub(crate) mod examples;
pub mod fragment;
pub mod manifest;
pub(crate) mod markdown;
pub mod mock;
pub mod models;
pub mod operations;
pub(crate) mod serde;
pub(crate) mod validation;

use validation::Checks;

use std::collections::HashSet;

use proc_macro2::{Ident, Span};

use crate::model::{Api, TypeKind, TypeRef};
use crate::names;

/// What the emitters of each item need to know about the whole API, worked out once per
/// generation.
pub struct Context {
    /// The types that implement `Validate`.
    pub(crate) checks: Checks,
    /// Structs that can derive `Default`.
    pub(crate) defaults: HashSet<String>,
    /// Enums that some operation takes as a parameter: they implement `ParamValue`.
    pub(crate) param_enums: HashSet<String>,
    /// Structs whose fields all implement `Eq` and `Hash`: they implement them too.
    pub(crate) eq: HashSet<String>,
}

impl Context {
    pub fn new(api: &Api) -> Context {
        Context {
            checks: Checks::new(api),
            defaults: default_types(api),
            param_enums: param_enums(api),
            eq: eq_types(api),
        }
    }
}

/// Structs whose fields all implement `Eq` and `Hash`: every type but the floating-point
/// numbers does, and a struct whose fields all do. A struct that contains itself (through a
/// `Box`) does when the rest of its fields do: the set starts with every struct and loses
/// those with a field that does not, until none is lost.
fn eq_types(api: &Api) -> HashSet<String> {
    let mut set: HashSet<String> = api
        .types
        .iter()
        .filter(|t| matches!(t.kind, TypeKind::Struct(_)))
        .map(|t| t.name.clone())
        .collect();
    loop {
        let before = set.len();
        for t in &api.types {
            if let TypeKind::Struct(fields) = &t.kind
                && !fields.iter().all(|f| has_eq(api, &f.ty, &set))
            {
                set.remove(&t.name);
            }
        }
        if set.len() == before {
            return set;
        }
    }
}

fn has_eq(api: &Api, ty: &TypeRef, structs: &HashSet<String>) -> bool {
    match ty {
        TypeRef::F32 | TypeRef::F64 => false,
        TypeRef::Named(n) => match api.type_kind(n) {
            Some(TypeKind::Alias(inner)) => has_eq(api, inner, structs),
            Some(TypeKind::Struct(_)) => structs.contains(n),
            _ => true,
        },
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => {
            has_eq(api, inner, structs)
        }
        _ => true,
    }
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

/// An identifier as written in source: keywords become raw (`r#type`) or get a suffix.
pub(crate) fn ident(name: &str) -> Ident {
    if names::needs_suffix(name) {
        Ident::new(&format!("{name}_"), Span::call_site())
    } else if names::is_keyword(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// Where a named model type is referred to from.
#[derive(Clone, Copy)]
pub(crate) enum Scope {
    /// Inside `models.rs`.
    Models,
    /// From a module that imports `crate::models` (`operations.rs`).
    Operations,
}

/// The Rust type of `ty`, as written from `scope`.
pub(crate) fn rust_type(ty: &TypeRef, scope: Scope) -> syn::Type {
    match ty {
        TypeRef::String | TypeRef::Text => path_type(&["String"], None),
        TypeRef::Bytes => path_type(&["bytes", "Bytes"], None),
        TypeRef::Bool => path_type(&["bool"], None),
        TypeRef::I32 => path_type(&["i32"], None),
        TypeRef::I64 => path_type(&["i64"], None),
        TypeRef::F32 => path_type(&["f32"], None),
        TypeRef::F64 => path_type(&["f64"], None),
        TypeRef::Uuid => path_type(&["uuid", "Uuid"], None),
        TypeRef::DateTime => path_type(
            &["chrono", "DateTime"],
            Some(vec![path_type(&["chrono", "Utc"], None)]),
        ),
        TypeRef::Date => path_type(&["chrono", "NaiveDate"], None),
        TypeRef::Json => path_type(&["serde_json", "Value"], None),
        TypeRef::Named(n) => {
            let mut path = syn::Path::from(ident(n));
            if let Scope::Operations = scope {
                path.segments
                    .insert(0, syn::PathSegment::from(plain_ident("models")));
            }
            type_of_path(path)
        }
        TypeRef::Vec(inner) => path_type(&["Vec"], Some(vec![rust_type(inner, scope)])),
        TypeRef::Map(inner) => path_type(
            &["std", "collections", "BTreeMap"],
            Some(vec![path_type(&["String"], None), rust_type(inner, scope)]),
        ),
        TypeRef::Boxed(inner) => path_type(&["Box"], Some(vec![rust_type(inner, scope)])),
    }
}

/// `Option<ty>`.
pub(crate) fn option_type(ty: syn::Type) -> syn::Type {
    path_type(&["Option"], Some(vec![ty]))
}

/// The type `a::b::C`, with `args` as the generic arguments of the last segment.
fn path_type(segments: &[&str], args: Option<Vec<syn::Type>>) -> syn::Type {
    let mut path = syn::Path {
        leading_colon: None,
        segments: segments
            .iter()
            .map(|s| syn::PathSegment::from(plain_ident(s)))
            .collect(),
    };
    if let (Some(args), Some(last)) = (args, path.segments.last_mut()) {
        last.arguments = syn::PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
            colon2_token: None,
            lt_token: Default::default(),
            args: args.into_iter().map(syn::GenericArgument::Type).collect(),
            gt_token: Default::default(),
        });
    }
    type_of_path(path)
}

/// The type named by `path`.
pub(crate) fn type_of_path(path: syn::Path) -> syn::Type {
    syn::Type::Path(syn::TypePath {
        attrs: Vec::new(),
        qself: None,
        path,
    })
}

/// An identifier the generator chose (never a keyword).
pub(crate) fn plain_ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// An unsuffixed integer literal, such as a status code or a length.
pub(crate) fn int_lit(value: impl Into<u64>) -> syn::Lit {
    syn::Lit::new(proc_macro2::Literal::u64_unsuffixed(value.into()))
}

/// A literal, as an expression (`"text"`, `204`) or inside a pattern.
pub(crate) fn expr_lit(lit: syn::Lit) -> syn::ExprLit {
    syn::ExprLit {
        attrs: Vec::new(),
        lit,
    }
}

/// A string literal expression.
pub(crate) fn str_expr(text: &str) -> syn::Expr {
    syn::Expr::Lit(expr_lit(syn::Lit::Str(syn::LitStr::new(
        text,
        Span::call_site(),
    ))))
}

/// Puts `first` before the attributes already in `attrs`.
pub(crate) fn prepend(attrs: &mut Vec<syn::Attribute>, mut first: Vec<syn::Attribute>) {
    first.append(attrs);
    *attrs = first;
}

/// Follows aliases to the type a name really stands for.
pub(crate) fn resolve<'a>(api: &'a Api, ty: &'a TypeRef) -> &'a TypeRef {
    let mut ty = ty;
    for _ in 0..api.types.len() + 1 {
        match ty {
            TypeRef::Named(n) => match api.type_kind(n) {
                Some(TypeKind::Alias(inner)) => ty = inner,
                _ => return ty,
            },
            _ => return ty,
        }
    }
    ty
}

#[cfg(test)]
mod tests;
