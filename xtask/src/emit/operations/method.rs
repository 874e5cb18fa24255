//! An operation's method on `Client`: the required parameters (and a required body) are
//! its arguments, and it returns the operation's request builder with every optional
//! parameter unset. `generate` prints the methods of all operations in one `impl Client`
//! (for an area of a crate of several, `impl<'a> AreaClient<'a>`, whose methods take
//! `&self` and give builders of the view's `'a`, and pass `self.client`).
//!
//! What it writes: the `impl Client` block of the expect test `emit::tests::an_operation`.

use super::{Op, builder};
use crate::emit::docs::method_docs;
use crate::emit::{Scope, ident, rust_type};
use crate::fragment;
use crate::model::TypeRef;

/// The most arguments clippy's `too_many_arguments` lets a function have.
const CLIPPY_MAX_ARGUMENTS: usize = 7;

/// `pub fn name<'a>(&'a self, args..) -> Builder<'a>`.
pub(super) fn client_method(cx: &Op) -> syn::ImplItemFn {
    let args = args(cx);
    // Required parameters are arguments, in the spec's order, however many the operation
    // has (Azure DevOps operations take up to eleven); clippy counts `self` too.
    let many = args.len() + 1 > CLIPPY_MAX_ARGUMENTS;
    let mut method = if cx.api.area.is_none() {
        fragment!(syn::ImplItemFn {
            pub fn __name<'a>(&'a self, __args: ()) -> __Builder<'a> {
                RequestBuilder::new(
                    self,
                    __Params {
                        __init: (),
                    },
                )
            }
        },
            __name = ident(&cx.op.fn_name),
            __args = args,
            __Builder = cx.builder.clone(),
            __Params = cx.params.clone(),
            __init = init(cx),
        )
    } else {
        // An area's view borrows the client for `'a`: so do its builders.
        fragment!(syn::ImplItemFn {
            pub fn __name(&self, __args: ()) -> __Builder<'a> {
                RequestBuilder::new(
                    self.client,
                    __Params {
                        __init: (),
                    },
                )
            }
        },
            __name = ident(&cx.op.fn_name),
            __args = args,
            __Builder = cx.builder.clone(),
            __Params = cx.params.clone(),
            __init = init(cx),
        )
    };
    method.attrs = method_docs(cx.api, cx.op, &cx.args);
    if many {
        method.attrs.push(fragment!(syn::Attribute {
            #[allow(clippy::too_many_arguments, reason = "the operation's required parameters")]
        }));
    }
    if cx.op.deprecated {
        method
            .attrs
            .push(fragment!(syn::Attribute { #[deprecated = "deprecated by the service"] }));
    }
    method
}

/// The method's arguments: the required parameters, then a required body.
fn args(cx: &Op) -> Vec<syn::FnArg> {
    let mut args: Vec<syn::FnArg> = cx
        .args
        .iter()
        .map(|p| {
            fragment!(
                syn::FnArg { __name: __Type },
                __name = ident(&p.rust_name),
                __Type = arg_type(&p.ty)
            )
        })
        .collect();
    if let Some(b) = cx.op.body.as_ref().filter(|b| b.required) {
        args.push(if b.ty == TypeRef::Bytes {
            fragment!(syn::FnArg { body: impl Into<crate::UploadBody<'a>> })
        } else {
            fragment!(syn::FnArg { body: &'a __Type }, __Type = builder::body_type(b))
        });
    }
    args
}

/// How a required parameter is taken as an argument.
fn arg_type(ty: &TypeRef) -> syn::Type {
    match ty {
        TypeRef::String => fragment!(syn::Type { impl Into<String> }),
        other => rust_type(other, Scope::Operations),
    }
}

/// The parameters as the method sets them: the arguments, every optional parameter unset,
/// the body.
fn init(cx: &Op) -> Vec<syn::FieldValue> {
    let mut init: Vec<syn::FieldValue> = cx
        .args
        .iter()
        .map(|p| {
            let name = ident(&p.rust_name);
            match p.ty {
                TypeRef::String => fragment!(
                    syn::FieldValue {
                        __name: __name.into()
                    },
                    __name = name
                ),
                _ => fragment!(syn::FieldValue { __name }, __name = name),
            }
        })
        .collect();
    init.extend(cx.optional.iter().map(|p| {
        fragment!(
            syn::FieldValue { __name: None },
            __name = ident(&p.rust_name)
        )
    }));
    match &cx.op.body {
        Some(b) if b.required && b.ty == TypeRef::Bytes => {
            init.push(fragment!(syn::FieldValue { body: body.into() }))
        }
        Some(b) if b.required => init.push(fragment!(syn::FieldValue { body })),
        Some(_) => init.push(fragment!(syn::FieldValue { body: None })),
        None => {}
    }
    init
}
