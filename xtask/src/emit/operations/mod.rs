//! `operations.rs`: the file's header, which imports only what the operations use, then
//! the items of each operation: a method on `Client` that returns a request builder, the
//! builder with its setters and ways to send it (`builder`), its `request()` (`request`)
//! and the decoding of its responses (`response`).
//!
//! ```text
//! use reqwest::Method;
//! use crate::client::{ApiResponse, Client, RawResponse, Request, RequestPreview};
//! use crate::error::Error;
//! use crate::models;
//! use crate::validation;
//! impl Client {
//!     pub fn revoke_authorizations<'a>(&'a self, ...) -> RevokeAuthorizations<'a> { ... }
//! }
//! pub struct RevokeAuthorizations<'a> { ... }
//! impl<'a> RevokeAuthorizations<'a> {
//!     pub fn is_public(mut self, value: bool) -> Self { ... }
//!     fn request(&self) -> Result<Request, Error> { ... }
//!     pub fn preview(&self) -> Result<RequestPreview, Error> { ... }
//!     pub async fn send_with_response(self) -> Result<ApiResponse<()>, Error> { ... }
//!     pub async fn send(self) -> Result<(), Error> { ... }
//!     fn decode(response: RawResponse) -> Result<ApiResponse<()>, Error> { ... }
//! }
//! impl<'a> std::future::IntoFuture for RevokeAuthorizations<'a> { ... }
//! ```

mod builder;
mod request;
pub(super) mod response;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{ident, validation};
use crate::model::{Api, Operation, Param, TypeRef};

#[cfg(test)]
/// The whole file's tokens (for tests and benchmarks; `generate` prints it in runs).
pub(crate) fn emit(api: &Api) -> TokenStream {
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
    if api.operations.iter().any(mentions_model) {
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

/// True when a parameter, the body or a response of `op` is of a model type (and so the
/// operation's items name `models`).
fn mentions_model(op: &Operation) -> bool {
    op.params.iter().any(|p| names_model(&p.ty))
        || op.body.as_ref().is_some_and(|b| names_model(&b.ty))
        || op
            .responses
            .success
            .iter()
            .any(|s| s.ty.as_ref().is_some_and(names_model))
}

/// True when `ty` names a model type, directly or inside arrays, maps and boxes.
fn names_model(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(_) => true,
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => names_model(inner),
        _ => false,
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

/// One operation, as the emitters of its items see it.
struct Context<'a> {
    api: &'a Api,
    op: &'a Operation,
    /// The required parameters the caller gives: arguments of the method on `Client`.
    args: Vec<&'a Param>,
    /// The optional parameters: setters of the builder.
    optional: Vec<&'a Param>,
    /// The request builder's name.
    builder: Ident,
    /// What `send()` yields.
    output: syn::Type,
}

impl<'a> Context<'a> {
    fn new(api: &'a Api, op: &'a Operation) -> Context<'a> {
        // Constants are sent by the client itself: neither arguments nor setters.
        let settable = |required: bool| {
            op.params
                .iter()
                .filter(|p| p.constant.is_none() && p.required == required)
                .collect()
        };
        Context {
            api,
            op,
            args: settable(true),
            optional: settable(false),
            builder: ident(&op.builder_name),
            output: response::output_type(op),
        }
    }
}

/// The items of one operation, in the order they are printed.
fn operation(api: &Api, op: &Operation, out: &mut Vec<syn::Item>) {
    let cx = Context::new(api, op);
    out.push(builder::client_method(&cx));
    out.push(builder::struct_def(&cx));
    out.push(builder::methods_impl(&cx));
    out.push(builder::into_future_impl(cx));
    out.extend(response::enum_def(op));
}

#[cfg(test)]
mod tests {
    use super::*;

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
