//! An operation's request builder and parameters: the builder is an alias of the runtime's
//! `RequestBuilder` over the type of the operation's parameters (which holds the arguments,
//! the optional parameters and the body), and the builder gets a setter per optional
//! parameter (and for an optional body).
//!
//! What it writes: the builder alias, parameter struct and setters of the expect test
//! `emit::tests::an_operation` (`emit::tests::a_binary_body` for a body).

use super::{Lifetime, Op};
use crate::emit::docs::{body_setter_docs, builder_docs, params_docs, setter_docs};
use crate::emit::{Scope, ident, option_type, prepend, rust_type};
use crate::fragment;
use crate::model::{Body, Param, TypeRef};

/// `pub type Builder<'a> = RequestBuilder<'a, BuilderParams<'a>>;`.
pub(super) fn alias(cx: &Op) -> syn::Item {
    let mut alias = fragment!(syn::ItemType {
        pub type __Builder<'a> = RequestBuilder<'a, __Params>;
    }, __Builder = cx.builder.clone(), __Params = cx.params_type(Lifetime::Named));
    alias.attrs = builder_docs(cx.api, cx.op);
    syn::Item::Type(alias)
}

/// `pub struct BuilderParams<'a> { parameters.., body }`.
pub(super) fn params_struct(cx: &Op) -> syn::Item {
    let mut def = if cx.borrows {
        fragment!(syn::ItemStruct {
            pub struct __Params<'a> {
                __fields: (),
            }
        }, __Params = cx.params.clone(), __fields = fields(cx))
    } else {
        fragment!(syn::ItemStruct {
            pub struct __Params {
                __fields: (),
            }
        }, __Params = cx.params.clone(), __fields = fields(cx))
    };
    prepend(&mut def.attrs, params_docs(cx.api, cx.op));
    syn::Item::Struct(def)
}

/// The fields of the parameters: the arguments, the optional parameters, the body.
fn fields(cx: &Op) -> Vec<syn::Field> {
    let mut fields: Vec<syn::Field> = cx
        .args
        .iter()
        .map(|p| {
            fragment!(
                syn::Field { __name: __Type },
                __name = ident(&p.rust_name),
                __Type = rust_type(&p.ty, Scope::Operations),
            )
        })
        .collect();
    fields.extend(cx.optional.iter().map(|p| {
        fragment!(
            syn::Field { __name: __Type },
            __name = ident(&p.rust_name),
            __Type = option_type(rust_type(&p.ty, Scope::Operations)),
        )
    }));
    if let Some(b) = &cx.op.body {
        fields.push(match (b.ty == TypeRef::Bytes, b.required) {
            // Bytes in memory or a stream: the runtime's `UploadBody`.
            (true, true) => fragment!(syn::Field { body: crate::UploadBody<'a> }),
            (true, false) => fragment!(syn::Field { body: Option<crate::UploadBody<'a>> }),
            (false, true) => fragment!(syn::Field { body: &'a __Type }, __Type = body_type(b)),
            (false, false) => {
                fragment!(syn::Field { body: Option<&'a __Type> }, __Type = body_type(b))
            }
        });
    }
    fields
}

/// How the body is borrowed.
pub(crate) fn body_type(body: &Body) -> syn::Type {
    match &body.ty {
        TypeRef::Vec(inner) => {
            fragment!(syn::Type { [__Item] }, __Item = rust_type(inner, Scope::Operations))
        }
        TypeRef::String | TypeRef::Text => fragment!(syn::Type { str }),
        TypeRef::Bytes => fragment!(syn::Type { [u8] }),
        other => rust_type(other, Scope::Operations),
    }
}

/// `impl Builder<'_> { setters.. }`, when the operation has optional parameters or an
/// optional body.
pub(super) fn setters(cx: &Op) -> Option<syn::Item> {
    let mut methods: Vec<syn::ImplItem> = cx.optional.iter().map(|p| setter(p)).collect();
    let body = cx.op.body.as_ref().filter(|b| !b.required);
    if let Some(b) = body {
        methods.push(body_setter(b));
    }
    if methods.is_empty() {
        return None;
    }
    // Only the body's setter names the lifetime.
    Some(syn::Item::Impl(if body.is_some() {
        fragment!(syn::ItemImpl {
            impl<'a> __Builder<'a> {
                __methods!();
            }
        }, __Builder = cx.builder.clone(), __methods = methods)
    } else {
        fragment!(syn::ItemImpl {
            impl __Builder<'_> {
                __methods!();
            }
        }, __Builder = cx.builder.clone(), __methods = methods)
    }))
}

/// The setter of an optional parameter.
fn setter(p: &Param) -> syn::ImplItem {
    let (arg, value) = match &p.ty {
        TypeRef::String => (
            fragment!(syn::Type { impl Into<String> }),
            fragment!(syn::Expr { value.into() }),
        ),
        other => (
            rust_type(other, Scope::Operations),
            fragment!(syn::Expr { value }),
        ),
    };
    let mut f = fragment!(syn::ImplItemFn {
        pub fn __name(mut self, value: __Arg) -> Self {
            self.call.params.__name = Some(__value);
            self
        }
    }, __name = ident(&p.rust_name), __Arg = arg, __value = value);
    f.attrs = setter_docs(p);
    if p.deprecated {
        f.attrs
            .push(fragment!(syn::Attribute { #[deprecated = "deprecated by the service"] }));
    }
    syn::ImplItem::Fn(f)
}

/// The setter of an optional body.
fn body_setter(b: &Body) -> syn::ImplItem {
    let mut f = if b.ty == TypeRef::Bytes {
        fragment!(syn::ImplItemFn {
            pub fn body(mut self, body: impl Into<crate::UploadBody<'a>>) -> Self {
                self.call.params.body = Some(body.into());
                self
            }
        })
    } else {
        fragment!(syn::ImplItemFn {
            pub fn body(mut self, body: &'a __Type) -> Self {
                self.call.params.body = Some(body);
                self
            }
        }, __Type = body_type(b))
    };
    f.attrs = body_setter_docs(b);
    syn::ImplItem::Fn(f)
}
