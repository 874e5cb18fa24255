//! What an operation's `send()` yields and how a response becomes it: the output type,
//! `decode` (the value of a success response; the runtime has checked that its status is
//! one of the operation's) and, for an operation whose success responses have different
//! bodies, the response enum.
//!
//! What it writes: `decode` and the response enum of the expect test
//! `emit::tests::responses_by_status`.

use super::Op;
use crate::emit::docs::{response_enum_docs, status_docs};
use crate::emit::{Scope, expr_lit, ident, int_lit, plain_ident, prepend, rust_type, type_of_path};
use crate::fragment;
use crate::model::{Api, Operation, SuccessResponse, TypeRef};

/// The Rust type an operation's `send()` yields.
pub(super) fn output_type(op: &Operation) -> syn::Type {
    if let Some(name) = &op.responses.enum_name {
        return type_of_path(syn::Path::from(ident(name)));
    }
    match op.responses.success.first().and_then(|s| s.ty.as_ref()) {
        Some(ty) => rust_type(ty, Scope::Operations),
        None => fragment!(syn::Type { () }),
    }
}

/// Whether `send()` yields `()`: no success response has a body.
pub(crate) fn output_is_unit(op: &Operation) -> bool {
    op.responses.enum_name.is_none()
        && op
            .responses
            .success
            .first()
            .and_then(|s| s.ty.as_ref())
            .is_none()
}

/// `fn decode(response: &RawResponse) -> Result<Output, Error>`.
pub(super) fn decode_fn(cx: &Op) -> syn::ImplItemFn {
    let r = &cx.op.responses;
    if output_is_unit(cx.op) {
        // Any of the operation's success statuses: the runtime checked it.
        return fragment!(syn::ImplItemFn {
            fn decode(_response: &RawResponse) -> Result<(), Error> {
                Ok(())
            }
        });
    }
    let Some(enum_name) = &r.enum_name else {
        let ty = r.success.first().and_then(|s| s.ty.as_ref());
        return fragment!(syn::ImplItemFn {
            fn decode(response: &RawResponse) -> Result<__Output, Error> {
                response.__read()
            }
        }, __Output = cx.output.clone(), __read = read_method(ty));
    };
    let arms: Vec<syn::Arm> = r
        .success
        .iter()
        .map(|s| {
            fragment!(syn::Arm { __status => __value, },
                __status = status_pattern(s.status),
                __value = status_value(enum_name, s),
            )
        })
        .collect();
    fragment!(syn::ImplItemFn {
        fn decode(response: &RawResponse) -> Result<__Output, Error> {
            match response.status().as_u16() {
                __arms => {}
                _ => Err(response.unexpected()),
            }
        }
    }, __Output = cx.output.clone(), __arms = arms)
}

/// The response enum's variant for a success response, with its body if it has one.
fn status_value(enum_name: &str, s: &SuccessResponse) -> syn::Expr {
    match &s.ty {
        Some(ty) => fragment!(syn::Expr { response.__read().map(__Enum::__Variant) },
            __Enum = ident(enum_name),
            __Variant = variant_name(s),
            __read = read_method(Some(ty)),
        ),
        None => fragment!(syn::Expr { Ok(__Enum::__Variant) },
            __Enum = ident(enum_name),
            __Variant = variant_name(s),
        ),
    }
}

/// How `RawResponse` reads a body of type `ty`: `json`, `text` or `bytes`.
fn read_method(ty: Option<&TypeRef>) -> proc_macro2::Ident {
    plain_ident(match ty {
        Some(TypeRef::Text) => "text",
        Some(TypeRef::Bytes) => "bytes",
        _ => "json",
    })
}

/// A status as a literal pattern.
fn status_pattern(status: u16) -> syn::Pat {
    syn::Pat::Lit(expr_lit(int_lit(status)))
}

/// `Status200`: the response enum's variant for a status.
fn variant_name(s: &SuccessResponse) -> proc_macro2::Ident {
    plain_ident(&format!("Status{}", s.status))
}

/// The response enum of an operation that has one: a variant per success status.
pub(super) fn enum_def(api: &Api, op: &Operation) -> Option<syn::Item> {
    let name = op.responses.enum_name.as_ref()?;
    let variants: Vec<syn::Variant> = op.responses.success.iter().map(variant).collect();
    let mut def = fragment!(syn::ItemEnum {
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant, reason = "a response is decoded once and taken apart")]
        pub enum __Name {
            __variants,
        }
    }, __Name = ident(name), __variants = variants);
    prepend(&mut def.attrs, response_enum_docs(api, op));
    Some(syn::Item::Enum(def))
}

/// `Status200(models::Thing)`, or `Status204` for a response without a body.
fn variant(s: &SuccessResponse) -> syn::Variant {
    let mut v = match &s.ty {
        Some(ty) => fragment!(syn::Variant { __Variant(__Type) },
            __Variant = variant_name(s),
            __Type = rust_type(ty, Scope::Operations),
        ),
        None => fragment!(syn::Variant { __Variant }, __Variant = variant_name(s)),
    };
    v.attrs = status_docs(s);
    v
}
