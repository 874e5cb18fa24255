//! `models.rs`: one struct, enum or alias per schema, with its `Validate` impl.

use std::collections::HashSet;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{Scope, doc_lines, docs, ident, needs_validation, resolve, serde_name, type_tokens};
use crate::model::{Api, Constraints, Field, TypeDef, TypeKind, TypeRef, Variant};

pub fn emit(api: &Api) -> TokenStream {
    let mut tokens = header(api);
    tokens.extend(items(api, &Context::new(api), &api.types));
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
pub fn items(api: &Api, cx: &Context, types: &[TypeDef]) -> TokenStream {
    let items = types.iter().map(|t| type_def(api, t, cx));
    quote!(#(#items)*)
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

fn type_def(api: &Api, t: &TypeDef, cx: &Context) -> TokenStream {
    let name = ident(&t.name);
    let mut doc = docs(&t.docs);
    if doc.is_empty() {
        doc = doc_lines(&format!("The `{}` schema.", t.name));
    }
    if t.deprecated {
        doc.extend(doc_lines("\n\nDeprecated by the service."));
    }
    match &t.kind {
        TypeKind::Struct(fields) => {
            let derive_default = cx.defaults.contains(&t.name).then(|| quote!(Default,));
            let field_tokens = fields.iter().map(field);
            let validate = validate_struct(api, &t.name, fields);
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, #derive_default serde::Serialize, serde::Deserialize)]
                pub struct #name {
                    #(#field_tokens)*
                }
                #validate
            }
        }
        TypeKind::Enum(variants) => {
            enum_def(&t.name, &doc, variants, cx.param_enums.contains(&t.name))
        }
        TypeKind::Alias(ty) => {
            let ty = type_tokens(ty, Scope::Models);
            quote! {
                #doc
                pub type #name = #ty;
            }
        }
    }
}

fn field(f: &Field) -> TokenStream {
    let name = ident(&f.rust_name);
    let ty = type_tokens(&f.ty, Scope::Models);
    let mut doc_text = super::sanitize(f.docs.description.as_deref().unwrap_or_default());
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
    let doc = doc_lines(&doc_text);
    let rename = (serde_name(&f.rust_name) != f.wire_name).then(|| {
        let wire = &f.wire_name;
        quote!(#[serde(rename = #wire)])
    });
    let optional = !f.required || f.nullable;
    let (ty, serde_attr) = if !optional {
        (ty, TokenStream::new())
    } else if f.required {
        // Required but nullable: always sent, possibly as null.
        (quote!(Option<#ty>), quote!(#[serde(default)]))
    } else {
        (
            quote!(Option<#ty>),
            quote!(#[serde(default, skip_serializing_if = "Option::is_none")]),
        )
    };
    quote! {
        #doc
        #rename
        #serde_attr
        pub #name: #ty,
    }
}

fn enum_def(type_name: &str, doc: &TokenStream, variants: &[Variant], param: bool) -> TokenStream {
    let name = ident(type_name);
    let defs = variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        let wire = &v.wire_name;
        let doc = doc_lines(&format!("`{wire}`"));
        quote! {
            #doc
            #[serde(rename = #wire)]
            #id,
        }
    });
    let arms = variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        let wire = &v.wire_name;
        quote!(Self::#id => #wire,)
    });
    let wires = variants.iter().map(|v| &v.wire_name);
    let other_name = crate::names::catch_all_variant(variants.iter().map(|v| v.rust_name.as_str()));
    let other = ident(&other_name);
    let other_doc = doc_lines(&format!(
        "\nValues this version of the crate does not know deserialize into `{other_name}`, so a\nvalue the service adds later does not break decoding."
    ));
    let param_value = param.then(|| {
        quote! {
            impl crate::params::ParamValue for #name {
                fn with_param(&self, f: &mut dyn FnMut(&str)) {
                    f(self.as_str());
                }
            }
        }
    });
    quote! {
        #doc
        #other_doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum #name {
            #(#defs)*
            /// A value the spec does not list.
            #[serde(untagged)]
            #other(String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#arms)*
                    Self::#other(value) => value,
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl validation::Validate for #name {
            fn validate(&self, path: &validation::Path<'_>) -> Result<(), crate::Error> {
                validation::known(path, self.as_str(), &[#(#wires),*])
            }
        }

        #param_value
    }
}

fn validate_struct(api: &Api, type_name: &str, fields: &[Field]) -> TokenStream {
    let name = ident(type_name);
    let checks: Vec<TokenStream> = fields.iter().filter_map(|f| field_checks(api, f)).collect();
    let path_arg = if checks.is_empty() {
        quote!(_path)
    } else {
        quote!(path)
    };
    quote! {
        impl validation::Validate for #name {
            fn validate(&self, #path_arg: &validation::Path<'_>) -> Result<(), crate::Error> {
                #(#checks)*
                Ok(())
            }
        }
    }
}

/// The checks of one field, or `None` when there is nothing to check.
fn field_checks(api: &Api, f: &Field) -> Option<TokenStream> {
    let name = ident(&f.rust_name);
    let wire = &f.wire_name;
    let value = quote!(value);
    let mut body = constraint_checks(api, &f.ty, &f.constraints, &value, &quote!(&field));
    let nested = needs_validation(api, &f.ty);
    if body.is_empty() {
        // Only the value's own checks: `Validate` for `Option` skips a value that is absent.
        return nested
            .then(|| quote!(validation::Validate::validate(&self.#name, &path.field(#wire))?;));
    }
    if nested {
        body.extend(quote!(validation::Validate::validate(#value, &field)?;));
    }
    let optional = !f.required || f.nullable;
    Some(if optional {
        quote! {
            if let Some(value) = &self.#name {
                let field = path.field(#wire);
                #body
            }
        }
    } else {
        quote! {
            {
                let value = &self.#name;
                let field = path.field(#wire);
                #body
            }
        }
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

/// Checks of `constraints` against `value` (a reference to a value of type `ty`).
pub fn constraint_checks(
    api: &Api,
    ty: &TypeRef,
    c: &Constraints,
    value: &TokenStream,
    path: &TokenStream,
) -> TokenStream {
    let mut out = TokenStream::new();
    let c = &checked(api, ty, c);
    let count = |n: usize| Literal::usize_unsuffixed(n);
    if let Some(min) = c.min_items.map(count) {
        out.extend(quote!(validation::min_items(#path, #value.len(), #min)?;));
    }
    if let Some(max) = c.max_items.map(count) {
        out.extend(quote!(validation::max_items(#path, #value.len(), #max)?;));
    }
    if let Some(min) = c.min_length.map(count) {
        out.extend(quote!(validation::min_length(#path, #value, #min)?;));
    }
    if let Some(max) = c.max_length.map(count) {
        out.extend(quote!(validation::max_length(#path, #value, #max)?;));
    }
    if let Some(pattern) = &c.pattern {
        // Compiled once, on first use; the generator already checked that it compiles.
        out.extend(quote! {
            {
                static PATTERN: std::sync::LazyLock<Option<regex::Regex>> =
                    std::sync::LazyLock::new(|| regex::Regex::new(#pattern).ok());
                validation::pattern(#path, PATTERN.as_ref().map(|re| re.is_match(#value)), #pattern)?;
            }
        });
    }
    // The value as f64, without a cast clippy would flag (bounds are checked on numbers only).
    let as_f64 = || match resolve(api, ty) {
        TypeRef::F64 => quote!(*#value),
        TypeRef::I64 => quote!(*#value as f64),
        _ => quote!(f64::from(*#value)),
    };
    if let Some(min) = c.minimum.map(Literal::f64_unsuffixed) {
        let (exclusive, value) = (c.exclusive_minimum, as_f64());
        out.extend(quote!(validation::minimum(#path, #value, #min, #exclusive)?;));
    }
    if let Some(max) = c.maximum.map(Literal::f64_unsuffixed) {
        let (exclusive, value) = (c.exclusive_maximum, as_f64());
        out.extend(quote!(validation::maximum(#path, #value, #max, #exclusive)?;));
    }
    out
}
