//! How an operation's parameters make its request and read its response: their `Endpoint`
//! impl, with the operation described by a named constant, `build` (from [`request`]) and
//! `decode` (from [`response`]).
//!
//! What it writes: the `Endpoint` impl of the expect test `emit::tests::an_operation`.

use super::{Lifetime, Op, request, response};
use crate::emit::{expr_lit, int_lit, plain_ident};
use crate::fragment;

/// `impl Endpoint for BuilderParams<'_>`.
pub(super) fn endpoint_impl(cx: &Op) -> syn::Item {
    let items = vec![
        syn::ImplItem::Type(fragment!(syn::ImplItemType { type Output = __Output; },
            __Output = cx.output.clone(),
        )),
        syn::ImplItem::Const(operation_const(cx)),
        syn::ImplItem::Fn(request::build_fn(cx)),
        syn::ImplItem::Fn(response::decode_fn(cx)),
    ];
    syn::Item::Impl(fragment!(syn::ItemImpl {
        impl Endpoint for __Params {
            __items!();
        }
    }, __Params = cx.params_type(Lifetime::Elided), __items = items))
}

/// `const OPERATION: Operation = Operation { id, method, success, idempotent, area };`.
fn operation_const(cx: &Op) -> syn::ImplItemConst {
    let op = cx.op;
    let success: Vec<syn::Expr> = op
        .responses
        .accepted
        .iter()
        .map(|s| syn::Expr::Lit(expr_lit(int_lit(*s))))
        .collect();
    fragment!(syn::ImplItemConst {
        const OPERATION: Operation = Operation {
            id: __id,
            method: Method::__method,
            success: &[__success],
            idempotent: __idempotent,
            area: &AREA,
        };
    },
        __id = &op.id,
        __method = plain_ident(op.method.as_str()),
        __success = success,
        __idempotent = op.idempotent,
    )
}
