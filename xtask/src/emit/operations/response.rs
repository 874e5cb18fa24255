//! What an operation's `send()` yields and how a response becomes it: the output type,
//! `decode` (a success status into that value, any other into an error) and, for an
//! operation whose success responses have different bodies, the response enum.
//!
//! ```text
//! /// A success status into the value `send` returns, any other into an error.
//! fn decode(response: RawResponse) -> Result<ApiResponse<UpsertResponse>, Error> {
//!     let value = match response.status().as_u16() {
//!         200 => UpsertResponse::Status200(response.json()?),
//!         201 => UpsertResponse::Status201(response.json()?),
//!         204 => UpsertResponse::Status204,
//!         _ => return Err(response.unexpected()),
//!     };
//!     Ok(response.into_api_response(value))
//! }
//! /// The success responses of [`Client::upsert`], by status.
//! #[derive(Debug, Clone, PartialEq)]
//! #[allow(clippy::large_enum_variant, reason = "a response is decoded once and taken apart")]
//! pub enum UpsertResponse {
//!     /// Replaced; the previous version.
//!     Status200(models::Thing),
//!     /// Created; where it lives.
//!     Status201(models::Created),
//!     /// Nothing changed.
//!     Status204,
//! }
//! ```

use super::Context;
use crate::emit::docs::{response_enum_docs, status_docs};
use crate::emit::{Scope, expr_lit, ident, int_lit, plain_ident, prepend, rust_type, type_of_path};
use crate::fragment;
use crate::model::{Operation, Responses, SuccessResponse};

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

/// `fn decode(response: RawResponse) -> Result<ApiResponse<Output>, Error>`.
pub(super) fn decode_fn(cx: &Context) -> syn::ImplItem {
    let body = if output_is_unit(cx.op) {
        decode_unit(&cx.op.responses)
    } else {
        decode_value(&cx.op.responses)
    };
    syn::ImplItem::Fn(fragment!(syn::ImplItemFn {
        /// A success status into the value `send` returns, any other into an error.
        fn decode(response: RawResponse) -> Result<ApiResponse<__Output>, Error> {
            __decode;
        }
    }, __Output = cx.output.clone(), __decode = body))
}

/// `decode` when there is no value: a success status (the declared ones, or the ones
/// accepted when the spec declares none) into `()`.
fn decode_unit(r: &Responses) -> Vec<syn::Stmt> {
    let statuses: Vec<u16> = if r.success.is_empty() {
        r.accepted.clone()
    } else {
        r.success.iter().map(|s| s.status).collect()
    };
    vec![fragment!(syn::Stmt {
        match response.status().as_u16() {
            __statuses => Ok(response.into_api_response(())),
            _ => Err(response.unexpected()),
        }
    }, __statuses = status_pattern(&statuses))]
}

/// `decode` when there is a value: one arm per success status.
fn decode_value(r: &Responses) -> Vec<syn::Stmt> {
    let arms: Vec<syn::Arm> = r
        .success
        .iter()
        .map(|s| {
            fragment!(syn::Arm { __status => __value, },
                __status = status_pattern(&[s.status]),
                __value = status_value(r, s),
            )
        })
        .collect();
    fragment!(Vec<syn::Stmt> {
        let value = match response.status().as_u16() {
            __arms => {}
            _ => return Err(response.unexpected()),
        };
        Ok(response.into_api_response(value))
    }, __arms = arms)
}

/// The value of a success response: its body, or the response enum's variant.
fn status_value(r: &Responses, s: &SuccessResponse) -> syn::Expr {
    match (&r.enum_name, &s.ty) {
        (Some(e), Some(_)) => fragment!(syn::Expr { __Enum::__Variant(response.json()?) },
            __Enum = ident(e),
            __Variant = variant_name(s),
        ),
        (Some(e), None) => fragment!(syn::Expr { __Enum::__Variant },
            __Enum = ident(e),
            __Variant = variant_name(s),
        ),
        (None, _) => fragment!(syn::Expr { response.json()? }),
    }
}

/// A literal pattern matching any of `statuses`.
fn status_pattern(statuses: &[u16]) -> syn::Pat {
    let lit = |s: &u16| syn::Pat::Lit(expr_lit(int_lit(*s)));
    match statuses {
        [one] => lit(one),
        many => syn::Pat::Or(syn::PatOr {
            attrs: Vec::new(),
            leading_vert: None,
            cases: many.iter().map(lit).collect(),
        }),
    }
}

/// `Status200`: the response enum's variant for a status.
fn variant_name(s: &SuccessResponse) -> proc_macro2::Ident {
    plain_ident(&format!("Status{}", s.status))
}

/// The response enum of an operation that has one: a variant per success status.
pub(super) fn enum_def(op: &Operation) -> Option<syn::Item> {
    let name = op.responses.enum_name.as_ref()?;
    let variants: Vec<syn::Variant> = op.responses.success.iter().map(variant).collect();
    let mut def = fragment!(syn::ItemEnum {
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant, reason = "a response is decoded once and taken apart")]
        pub enum __Name {
            __variants,
        }
    }, __Name = ident(name), __variants = variants);
    prepend(&mut def.attrs, response_enum_docs(op));
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
