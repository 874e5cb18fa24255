//! `operations.rs`: one method on `Client` and one request builder per operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{
    body_setter_docs, builder_docs, method_docs, response_enum_docs, setter_docs, status_docs,
};
use super::validation;
use super::{
    Scope, expr_lit, ident, int_lit, mentions_model, option_type, plain_ident, prepend, rust_type,
    str_expr,
};
use crate::fragment;
use crate::model::{Api, Body, Operation, Param, ParamLocation, PathSegment, TypeRef};

/// The whole file's tokens (for tests and benchmarks; `generate` prints it in runs).
pub fn emit(api: &Api) -> TokenStream {
    let mut tokens = header(api);
    for item in items(api, &api.operations) {
        quote::ToTokens::to_tokens(&item, &mut tokens);
    }
    tokens
}

/// The start of the file, before any operation: the imports the operations use.
pub fn header(api: &Api) -> TokenStream {
    let mut imports = TokenStream::new();
    if !api.operations.is_empty() {
        imports.extend(quote! {
            use reqwest::Method;

            use crate::client::{ApiResponse, Client, RawResponse, Request, RequestPreview};
            use crate::error::Error;
        });
    }
    let mentions_model = api.operations.iter().any(|op| {
        op.params.iter().any(|p| mentions_model(&p.ty))
            || op.body.as_ref().is_some_and(|b| mentions_model(&b.ty))
            || op
                .responses
                .success
                .iter()
                .any(|s| s.ty.as_ref().is_some_and(mentions_model))
    });
    if mentions_model {
        imports.extend(quote!(
            use crate::models;
        ));
    }
    if api
        .operations
        .iter()
        .any(|op| validation::request_has_checks(api, op))
    {
        imports.extend(quote!(
            use crate::validation;
        ));
    }
    quote! {
        //! One method on [`Client`] per operation of the spec, each returning a request builder:
        //! required parameters are arguments, optional ones are setters, and the builder is sent
        //! with `.send().await` or by awaiting it directly.
        #imports
    }
}

/// The items of `ops` (a run of `api.operations`).
pub fn items(api: &Api, ops: &[Operation]) -> Vec<syn::Item> {
    let mut items = Vec::with_capacity(ops.len() * 4);
    for op in ops {
        operation(api, op, &mut items);
    }
    items
}

/// The Rust type an operation's `send()` yields.
fn output_type(op: &Operation) -> syn::Type {
    if let Some(name) = &op.responses.enum_name {
        return syn::Type::Path(syn::TypePath {
            attrs: Vec::new(),
            qself: None,
            path: syn::Path::from(ident(name)),
        });
    }
    match op.responses.success.first().and_then(|s| s.ty.as_ref()) {
        Some(ty) => rust_type(ty, Scope::Operations),
        None => fragment!(syn::Type { () }),
    }
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

fn operation(api: &Api, op: &Operation, out: &mut Vec<syn::Item>) {
    let fn_name = ident(&op.fn_name);
    let builder = ident(&op.builder_name);
    let output = output_type(op);
    let args: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.constant.is_none() && p.required)
        .collect();
    let optional: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.constant.is_none() && !p.required)
        .collect();

    // Client method.
    let mut arg_decls: Vec<syn::FnArg> = args
        .iter()
        .map(|p| {
            fragment!(
                syn::FnArg { __name: __Type },
                __name = ident(&p.rust_name),
                __Type = arg_type(&p.ty)
            )
        })
        .collect();
    let mut init: Vec<syn::FieldValue> = args
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
    init.extend(optional.iter().map(|p| {
        fragment!(
            syn::FieldValue { __name: None },
            __name = ident(&p.rust_name)
        )
    }));
    if let Some(b) = &op.body {
        if b.required {
            arg_decls.push(fragment!(syn::FnArg { body: &'a __Type }, __Type = body_type(b)));
            init.push(fragment!(syn::FieldValue { body }));
        } else {
            init.push(fragment!(syn::FieldValue { body: None }));
        }
    }
    let mut method = fragment!(syn::ImplItemFn {
        pub fn __name<'a>(&'a self, __args: ()) -> __Builder<'a> {
            __Builder {
                client: self,
                __init: (),
            }
        }
    }, __name = fn_name, __args = arg_decls, __Builder = builder.clone(), __init = init);
    method.attrs = method_docs(api, op, &args);
    if op.deprecated {
        method
            .attrs
            .push(fragment!(syn::Attribute { #[deprecated = "deprecated by the service"] }));
    }
    out.push(syn::Item::Impl(
        fragment!(syn::ItemImpl { impl Client { __method!(); } },
            __method = vec![syn::ImplItem::Fn(method)],
        ),
    ));

    // Builder.
    let mut fields: Vec<syn::Field> = args
        .iter()
        .map(|p| {
            fragment!(
                syn::Field { __name: __Type },
                __name = ident(&p.rust_name),
                __Type = rust_type(&p.ty, Scope::Operations),
            )
        })
        .collect();
    fields.extend(optional.iter().map(|p| {
        fragment!(
            syn::Field { __name: __Type },
            __name = ident(&p.rust_name),
            __Type = option_type(rust_type(&p.ty, Scope::Operations)),
        )
    }));
    if let Some(b) = &op.body {
        fields.push(if b.required {
            fragment!(syn::Field { body: &'a __Type }, __Type = body_type(b))
        } else {
            fragment!(syn::Field { body: Option<&'a __Type> }, __Type = body_type(b))
        });
    }
    let mut def = fragment!(syn::ItemStruct {
        #[derive(Debug)]
        #[must_use = "a request builder does nothing until it is sent or awaited"]
        pub struct __Builder<'a> {
            client: &'a Client,
            __fields: (),
        }
    }, __Builder = builder.clone(), __fields = fields);
    prepend(&mut def.attrs, builder_docs(op));
    out.push(syn::Item::Struct(def));

    let mut methods: Vec<syn::ImplItem> = optional.iter().map(|p| setter(p)).collect();
    if let Some(b) = op.body.as_ref().filter(|b| !b.required) {
        let mut f = fragment!(syn::ImplItemFn {
            pub fn body(mut self, body: &'a __Type) -> Self {
                self.body = Some(body);
                self
            }
        }, __Type = body_type(b));
        f.attrs = body_setter_docs(b);
        methods.push(syn::ImplItem::Fn(f));
    }
    send_fns(api, op, &output, &mut methods);
    out.push(syn::Item::Impl(fragment!(syn::ItemImpl {
        impl<'a> __Builder<'a> {
            __methods!();
        }
    }, __Builder = builder.clone(), __methods = methods)));

    out.push(syn::Item::Impl(fragment!(syn::ItemImpl {
        impl<'a> std::future::IntoFuture for __Builder<'a> {
            type Output = Result<__Output, Error>;
            type IntoFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Self::Output> + Send + 'a>>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    }, __Builder = builder, __Output = output)));

    if let Some(e) = response_enum(op) {
        out.push(e);
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

/// A query parameter's name as the URL carries it (`application/x-www-form-urlencoded`,
/// as the client encodes values), so that no request spends time encoding it.
fn form_encoded(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for byte in name.bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(char::from(byte))
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// `receiver.method(args)`.
fn method_call(receiver: syn::Expr, method: &str, args: Vec<syn::Expr>) -> syn::Expr {
    syn::Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(receiver),
        dot_token: Default::default(),
        method: plain_ident(method),
        turbofish: None,
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `request()`, which checks and builds the request, and the methods that send it.
fn send_fns(api: &Api, op: &Operation, output: &syn::Type, out: &mut Vec<syn::ImplItem>) {
    let checks = validation::request_checks(api, op);
    let mut chain = fragment!(syn::Expr { request });
    for s in &op.path {
        chain = match s {
            PathSegment::Literal(l) => method_call(chain, "path", vec![str_expr(l)]),
            PathSegment::Param(i) => method_call(
                chain,
                "path_param",
                vec![
                    fragment!(syn::Expr { &self.__name }, __name = ident(&op.params[*i].rust_name)),
                ],
            ),
        };
    }
    for p in op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
    {
        chain = match (&p.constant, p.location) {
            // Encoded here once rather than on every request.
            (Some(constant), ParamLocation::Query) => {
                let pair = format!("{}={}", form_encoded(&p.wire_name), form_encoded(constant));
                method_call(chain, "query_text", vec![str_expr(&pair)])
            }
            (Some(constant), _) => method_call(
                chain,
                "header",
                vec![
                    str_expr(&p.wire_name),
                    fragment!(syn::Expr { &__value }, __value = constant),
                ],
            ),
            (None, location) => {
                let value = fragment!(syn::Expr { &self.__name }, __name = ident(&p.rust_name));
                match location {
                    ParamLocation::Header => {
                        method_call(chain, "header", vec![str_expr(&p.wire_name), value])
                    }
                    _ => method_call(
                        chain,
                        "query",
                        vec![str_expr(&form_encoded(&p.wire_name)), value],
                    ),
                }
            }
        };
    }
    let mut build = vec![syn::Stmt::Expr(chain, Some(Default::default()))];
    match &op.body {
        Some(b) if b.required => build.push(fragment!(syn::Stmt { request.json(self.body)?; })),
        Some(_) => build.push(fragment!(syn::Stmt {
            if let Some(body) = self.body {
                request.json(body)?;
            }
        })),
        None => {}
    }
    let accepted: Vec<syn::Expr> = op
        .responses
        .accepted
        .iter()
        .map(|s| syn::Expr::Lit(expr_lit(int_lit(*s))))
        .collect();
    out.push(syn::ImplItem::Fn(fragment!(syn::ImplItemFn {
        /// Checks the parameters and body and builds the request.
        fn request(&self) -> Result<Request, Error> {
            __checks;
            let mut request = Request::new(__id, Method::__method, &[__accepted], __idempotent);
            __build;
            Ok(request)
        }
    },
        __checks = checks,
        __id = &op.id,
        __method = plain_ident(&op.method),
        __accepted = accepted,
        __idempotent = op.idempotent,
        __build = build,
    )));
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
    out.push(syn::ImplItem::Fn(fragment!(syn::ImplItemFn {
        /// A success status into the value `send` returns, any other into an error.
        fn decode(response: RawResponse) -> Result<ApiResponse<__Output>, Error> {
            __decode;
        }
    }, __Output = output.clone(), __decode = decode_response(op))));
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

/// The body of `decode`: a success status into the value `send` returns, any other into
/// an error.
fn decode_response(op: &Operation) -> Vec<syn::Stmt> {
    let r = &op.responses;
    if output_is_unit(op) {
        let statuses: Vec<u16> = if r.success.is_empty() {
            r.accepted.clone()
        } else {
            r.success.iter().map(|s| s.status).collect()
        };
        return vec![fragment!(syn::Stmt {
            match response.status().as_u16() {
                __statuses => Ok(response.into_api_response(())),
                _ => Err(response.unexpected()),
            }
        }, __statuses = status_pattern(&statuses))];
    }
    let arms: Vec<syn::Arm> = r
        .success
        .iter()
        .map(|s| {
            let value = match (&r.enum_name, &s.ty) {
                (Some(e), Some(_)) => fragment!(syn::Expr { __Enum::__Variant(response.json()?) },
                    __Enum = ident(e),
                    __Variant = plain_ident(&format!("Status{}", s.status)),
                ),
                (Some(e), None) => fragment!(syn::Expr { __Enum::__Variant },
                    __Enum = ident(e),
                    __Variant = plain_ident(&format!("Status{}", s.status)),
                ),
                (None, _) => fragment!(syn::Expr { response.json()? }),
            };
            fragment!(syn::Arm { __status => __value, },
                __status = status_pattern(&[s.status]),
                __value = value,
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

fn response_enum(op: &Operation) -> Option<syn::Item> {
    let name = op.responses.enum_name.as_ref()?;
    let variants: Vec<syn::Variant> = op
        .responses
        .success
        .iter()
        .map(|s| {
            let variant = plain_ident(&format!("Status{}", s.status));
            let mut v = match &s.ty {
                Some(ty) => fragment!(syn::Variant { __Variant(__Type) },
                    __Variant = variant,
                    __Type = rust_type(ty, Scope::Operations),
                ),
                None => fragment!(syn::Variant { __Variant }, __Variant = variant),
            };
            v.attrs = status_docs(s);
            v
        })
        .collect();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_names_are_form_encoded() {
        assert_eq!(form_encoded("api-version"), "api-version");
        assert_eq!(form_encoded("$top"), "%24top");
        assert_eq!(form_encoded("a b&c=é"), "a+b%26c%3D%C3%A9");
    }

    /// `header` imports `validation` and `models` only where they are used: an import too
    /// many is a warning in the generated crate, one too few an error. The predicates must
    /// agree with what the operations emit, for every operation of every fixture spec.
    #[test]
    fn imports_follow_what_the_operations_use() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("workspace root")
            .to_path_buf();
        let mut specs: Vec<(String, String)> = ["spec/token-administration.yaml"]
            .iter()
            .chain(&[
                "tests/fixtures/coverage.yaml",
                "tests/fixtures/minimal.yaml",
                "tests/fixtures/neighbours.yaml",
            ])
            .map(|f| {
                (
                    f.to_string(),
                    std::fs::read_to_string(root.join(f)).expect("spec"),
                )
            })
            .collect();
        specs.push(("synthetic".into(), crate::synth::synthetic_spec(3)));
        let mut seen = (false, false);
        for (name, text) in &specs {
            let spec = crate::load::load(name, text).expect("loads");
            let api = crate::lower::lower(&spec).expect("lowers");
            for op in &api.operations {
                let mut items = Vec::new();
                operation(&api, op, &mut items);
                let code = quote!(#(#items)*).to_string();
                let uses_validation = code.contains("validation ::");
                assert_eq!(
                    validation::request_has_checks(&api, op),
                    uses_validation,
                    "{name}: {}",
                    op.id
                );
                seen.0 |= uses_validation;
                seen.1 |= !uses_validation;
            }
            let header = header(&api).to_string();
            let code = emit(&api).to_string();
            let body = &code[header.len()..];
            assert_eq!(
                header.contains("use crate :: validation"),
                body.contains("validation ::"),
                "{name}"
            );
            assert_eq!(
                header.contains("use crate :: models"),
                body.contains("models ::"),
                "{name}"
            );
        }
        assert_eq!(seen, (true, true), "both cases are covered");
    }
}
