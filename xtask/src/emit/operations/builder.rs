//! An operation's method on `Client` and its request builder: the struct (the client, the
//! arguments, the optional parameters), the setters of the optional parameters and body,
//! the ways to send it (`preview`, `send_with_response`, `send`) and `IntoFuture`, which
//! sends it when awaited. The builder's `request()` comes from [`request`] and its
//! `decode` from [`response`].
//!
//! ```text
//! impl Client {
//!     pub fn revoke_authorizations<'a>(
//!         &'a self,
//!         host_id: uuid::Uuid,
//!         body: &'a models::TokenAdministrationRevocation,
//!     ) -> RevokeAuthorizations<'a> {
//!         RevokeAuthorizations { client: self, host_id, is_public: None, body }
//!     }
//! }
//! #[derive(Debug)]
//! #[must_use = "a request builder does nothing until it is sent or awaited"]
//! pub struct RevokeAuthorizations<'a> {
//!     client: &'a Client,
//!     host_id: uuid::Uuid,
//!     is_public: Option<bool>,
//!     body: &'a models::TokenAdministrationRevocation,
//! }
//! impl<'a> RevokeAuthorizations<'a> {
//!     pub fn is_public(mut self, value: bool) -> Self {
//!         self.is_public = Some(value);
//!         self
//!     }
//!     pub async fn send(self) -> Result<(), Error> {
//!         Self::decode(self.client.execute(self.request()?).await?)
//!             .map(ApiResponse::into_inner)
//!     }
//! }
//! impl<'a> std::future::IntoFuture for RevokeAuthorizations<'a> {
//!     type Output = Result<(), Error>;
//!     fn into_future(self) -> Self::IntoFuture {
//!         Box::pin(self.send())
//!     }
//! }
//! ```

use super::{Context, request, response};
use crate::emit::docs::{body_setter_docs, builder_docs, method_docs, setter_docs};
use crate::emit::{Scope, ident, option_type, prepend, rust_type};
use crate::fragment;
use crate::model::{Body, Param, TypeRef};

/// `impl Client { pub fn name<'a>(&'a self, args..) -> Builder<'a> }`.
pub(super) fn client_method(cx: &Context) -> syn::Item {
    let mut method = fragment!(syn::ImplItemFn {
        pub fn __name<'a>(&'a self, __args: ()) -> __Builder<'a> {
            __Builder {
                client: self,
                __init: (),
            }
        }
    },
        __name = ident(&cx.op.fn_name),
        __args = method_args(cx),
        __Builder = cx.builder.clone(),
        __init = builder_init(cx),
    );
    method.attrs = method_docs(cx.api, cx.op, &cx.args);
    if cx.op.deprecated {
        method
            .attrs
            .push(fragment!(syn::Attribute { #[deprecated = "deprecated by the service"] }));
    }
    syn::Item::Impl(fragment!(syn::ItemImpl { impl Client { __method!(); } },
        __method = vec![syn::ImplItem::Fn(method)],
    ))
}

/// The method's arguments: the required parameters, then a required body.
fn method_args(cx: &Context) -> Vec<syn::FnArg> {
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
        args.push(fragment!(syn::FnArg { body: &'a __Type }, __Type = body_type(b)));
    }
    args
}

/// The builder's fields as the method sets them: the arguments, every optional parameter
/// unset, the body.
fn builder_init(cx: &Context) -> Vec<syn::FieldValue> {
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
        Some(b) if b.required => init.push(fragment!(syn::FieldValue { body })),
        Some(_) => init.push(fragment!(syn::FieldValue { body: None })),
        None => {}
    }
    init
}

/// How a required parameter is taken as an argument.
fn arg_type(ty: &TypeRef) -> syn::Type {
    match ty {
        TypeRef::String => fragment!(syn::Type { impl Into<String> }),
        other => rust_type(other, Scope::Operations),
    }
}

/// How the body is borrowed by the builder.
fn body_type(body: &Body) -> syn::Type {
    match &body.ty {
        TypeRef::Vec(inner) => {
            fragment!(syn::Type { [__Item] }, __Item = rust_type(inner, Scope::Operations))
        }
        TypeRef::String => fragment!(syn::Type { str }),
        other => rust_type(other, Scope::Operations),
    }
}

/// `pub struct Builder<'a> { client, parameters.., body }`.
pub(super) fn struct_def(cx: &Context) -> syn::Item {
    let mut def = fragment!(syn::ItemStruct {
        #[derive(Debug)]
        #[must_use = "a request builder does nothing until it is sent or awaited"]
        pub struct __Builder<'a> {
            client: &'a Client,
            __fields: (),
        }
    }, __Builder = cx.builder.clone(), __fields = fields(cx));
    prepend(&mut def.attrs, builder_docs(cx.op));
    syn::Item::Struct(def)
}

/// The builder's fields after `client`: the arguments, the optional parameters, the body.
fn fields(cx: &Context) -> Vec<syn::Field> {
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
        fields.push(if b.required {
            fragment!(syn::Field { body: &'a __Type }, __Type = body_type(b))
        } else {
            fragment!(syn::Field { body: Option<&'a __Type> }, __Type = body_type(b))
        });
    }
    fields
}

/// `impl<'a> Builder<'a>`: the setters, `request()`, the ways to send it, `decode`.
pub(super) fn methods_impl(cx: &Context) -> syn::Item {
    let mut methods: Vec<syn::ImplItem> = cx.optional.iter().map(|p| setter(p)).collect();
    if let Some(b) = cx.op.body.as_ref().filter(|b| !b.required) {
        methods.push(body_setter(b));
    }
    methods.push(request::request_fn(cx));
    send_fns(&cx.output, &mut methods);
    methods.push(response::decode_fn(cx));
    syn::Item::Impl(fragment!(syn::ItemImpl {
        impl<'a> __Builder<'a> {
            __methods!();
        }
    }, __Builder = cx.builder.clone(), __methods = methods))
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
            self.__name = Some(__value);
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
    let mut f = fragment!(syn::ImplItemFn {
        pub fn body(mut self, body: &'a __Type) -> Self {
            self.body = Some(body);
            self
        }
    }, __Type = body_type(b));
    f.attrs = body_setter_docs(b);
    syn::ImplItem::Fn(f)
}

/// `preview`, `send_with_response` and `send`, for a builder whose `send()` yields `output`.
fn send_fns(output: &syn::Type, out: &mut Vec<syn::ImplItem>) {
    out.push(syn::ImplItem::Fn(fragment!(syn::ImplItemFn {
        /// The request this builder would send, without sending it: method, URL with the query, headers (the credential redacted) and body. Runs the same checks as `send`.
        pub fn preview(&self) -> Result<RequestPreview, Error> {
            self.client.preview(self.request()?)
        }
    })));
    // `send` awaits the request itself rather than `send_with_response`: one level of
    // futures fewer on the usual path, a request's worth of copying.
    out.push(syn::ImplItem::Fn(fragment!(syn::ImplItemFn {
        /// Sends the request and returns the decoded response with its status and rate-limit headers.
        pub async fn send_with_response(self) -> Result<ApiResponse<__Output>, Error> {
            Self::decode(self.client.execute(self.request()?).await?)
        }
    }, __Output = output.clone())));
    out.push(syn::ImplItem::Fn(fragment!(syn::ImplItemFn {
        /// Sends the request and returns the decoded response.
        pub async fn send(self) -> Result<__Output, Error> {
            Self::decode(self.client.execute(self.request()?).await?).map(ApiResponse::into_inner)
        }
    }, __Output = output.clone())));
}

/// `IntoFuture`: awaiting the builder sends it.
pub(super) fn into_future_impl(cx: Context) -> syn::Item {
    syn::Item::Impl(fragment!(syn::ItemImpl {
        impl<'a> std::future::IntoFuture for __Builder<'a> {
            type Output = Result<__Output, Error>;
            type IntoFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Self::Output> + Send + 'a>>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    }, __Builder = cx.builder, __Output = cx.output))
}
