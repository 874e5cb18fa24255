//! `operations.rs`: the file's header, which imports only what the operations use; an
//! `impl Client` block with a method per operation, in the spec's order (`method`; a large
//! spec gets a block per [`METHODS_PER_BLOCK`] operations); then
//! the items of each operation: its request builder type and the type of its parameters
//! with their setters (`builder`), and how they make a request and read its response
//! (`endpoint`, from `request` and `response`), for an operation that pages, where its
//! pages name the next one (`paging`), and what its media types and declared headers offer
//! (`transfer`). Sending, previewing and awaiting are the
//! runtime's `RequestBuilder`, written once for every operation.
//!
//! What it writes: the expect tests `emit::tests::an_operation`, `paging`,
//! `a_binary_body`, `a_validated_body` and `responses_by_status`.

pub(crate) mod builder;
mod endpoint;
mod method;
mod paging;
pub(crate) mod request;
pub(super) mod response;
pub(crate) mod transfer;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::validation::{self, Checks};
use super::{Context, ident};
use crate::fragment;
use crate::model::{Api, Operation, Param, TypeRef};

/// Most methods in one `impl Client` block, in the spec's order: one block reads best, but
/// rustc's macro expansion takes time quadratic in the doc comments of one block (measured
/// for 1,000 operations in one block: 5.8 s of a 33 s check, against 1.2 s in blocks of
/// 50), so a large spec gets one block per this many operations.
pub const METHODS_PER_BLOCK: usize = 64;

#[cfg(test)]
/// The whole file's tokens (for tests; `generate` prints it in runs).
pub(crate) fn emit(api: &Api, cx: &Context) -> TokenStream {
    let mut tokens = header(api, cx);
    for block in api.operations.chunks(METHODS_PER_BLOCK) {
        quote::ToTokens::to_tokens(&methods(api, cx, block), &mut tokens);
    }
    for item in items(api, cx, &api.operations) {
        quote::ToTokens::to_tokens(&item, &mut tokens);
    }
    tokens
}

/// The start of the file, before any operation: its docs and the imports the operations
/// use, in groups (the runtime, then this spec's module, then the crate's root). `super` is
/// the spec's module (the crate's root for a crate of one spec): its models, its `AREA`
/// and, for an area, the area's view of the client; `crate` has the client and the
/// runtime's public API.
pub fn header(api: &Api, cx: &Context) -> TokenStream {
    if api.operations.is_empty() {
        // A spec of models only: no method, so nothing to import (an unused import would
        // fail `-D warnings`).
        return quote! {
            //! The spec declares no operations, so [`Client`](crate::Client) has no methods
            //! of its own.
        };
    }
    let paging = api.operations.iter().filter_map(|op| op.paging.as_ref());
    let has_items = paging.clone().any(|p| p.items.is_some());
    let has_paging = paging.clone().next().is_some();
    let validates = api
        .operations
        .iter()
        .any(|op| validation::request_has_checks(api, &cx.checks, op));
    let runtime = if validates {
        quote!(
            use azure_devops_runtime::__private::{Method, Operation, RawResponse, Request, validation};
        )
    } else {
        quote!(
            use azure_devops_runtime::__private::{Method, Operation, RawResponse, Request};
        )
    };
    let models = api
        .operations
        .iter()
        .any(mentions_model)
        .then(|| quote!(models));
    let view = api.area.as_ref().map(|a| ident(&a.client_type));
    let local = [Some(quote!(AREA)), view.map(|v| quote!(#v)), models];
    let local = local.iter().flatten();
    let client = api.area.is_none().then(|| quote!(Client,));
    let paged = match (has_items, has_paging) {
        (true, _) => quote!(Paged, PagedItems,),
        (false, true) => quote!(Paged,),
        (false, false) => quote!(),
    };
    let receiver = api.client_type();
    let doc = format!(
        " One method on [`{receiver}`] per operation of the spec, each returning a request builder:"
    );
    quote! {
        #![doc = #doc]
        //! required parameters are arguments, optional ones are setters, and the builder is sent
        //! with `.send().await` or by awaiting it directly.
        #runtime

        use super::{#(#local),*};
        use crate::{#client Endpoint, Error, #paged RequestBuilder};
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

/// `impl Client { .. }` (for an area, `impl<'a> AreaClient<'a> { .. }`) with the methods
/// of `ops` (a run of `api.operations`); `generate` prints the runs as one block.
pub fn methods(api: &Api, cx: &Context, ops: &[Operation]) -> syn::Item {
    let methods: Vec<syn::ImplItem> = ops
        .iter()
        .map(|op| syn::ImplItem::Fn(method::client_method(&Op::new(api, &cx.checks, op))))
        .collect();
    syn::Item::Impl(match &api.area {
        None => fragment!(syn::ItemImpl { impl Client { __methods!(); } },
            __methods = methods,
        ),
        Some(area) => fragment!(syn::ItemImpl { impl<'a> __View<'a> { __methods!(); } },
            __View = ident(&area.client_type),
            __methods = methods,
        ),
    })
}

/// The items of `ops` (a run of `api.operations`) after the `impl Client` block.
pub fn items(api: &Api, cx: &Context, ops: &[Operation]) -> Vec<syn::Item> {
    let mut items = Vec::with_capacity(ops.len() * 4);
    for op in ops {
        operation(&Op::new(api, &cx.checks, op), &mut items);
    }
    items
}

/// One operation, as the emitters of its items see it.
struct Op<'a> {
    api: &'a Api,
    checks: &'a Checks,
    op: &'a Operation,
    /// The required parameters the caller gives: arguments of the method on `Client`.
    args: Vec<&'a Param>,
    /// The optional parameters: setters of the builder.
    optional: Vec<&'a Param>,
    /// The request builder's name (an alias of `RequestBuilder`).
    builder: Ident,
    /// The name of the type of the operation's parameters.
    params: Ident,
    /// Whether the parameters borrow (the body): the type then has a lifetime `'a`.
    borrows: bool,
    /// What `send()` yields.
    output: syn::Type,
}

impl<'a> Op<'a> {
    fn new(api: &'a Api, checks: &'a Checks, op: &'a Operation) -> Op<'a> {
        // Constants are sent by the client itself: neither arguments nor setters.
        let settable = |required: bool| {
            op.params
                .iter()
                .filter(|p| p.constant.is_none() && p.required == required)
                .collect()
        };
        Op {
            api,
            checks,
            op,
            args: settable(true),
            optional: settable(false),
            builder: ident(&op.builder_name),
            params: ident(&op.params_name),
            borrows: op.body.is_some(),
            output: response::output_type(op),
        }
    }

    /// The parameter type as written in a type: `NameParams<'a>` (or `NameParams<'_>` with
    /// an elided lifetime) when it borrows, else `NameParams`.
    fn params_type(&self, lifetime: Lifetime) -> syn::Type {
        let name = self.params.clone();
        match (self.borrows, lifetime) {
            (false, _) => fragment!(syn::Type { __Params }, __Params = name),
            (true, Lifetime::Named) => fragment!(syn::Type { __Params<'a> }, __Params = name),
            (true, Lifetime::Elided) => fragment!(syn::Type { __Params<'_> }, __Params = name),
        }
    }
}

/// How a lifetime is written where the parameter type appears.
#[derive(Clone, Copy)]
enum Lifetime {
    /// `'a`, declared by the item.
    Named,
    /// `'_`.
    Elided,
}

/// The items of one operation, in the order they are printed.
fn operation(cx: &Op, out: &mut Vec<syn::Item>) {
    out.push(builder::alias(cx));
    out.push(builder::params_struct(cx));
    out.extend(builder::setters(cx));
    out.push(endpoint::endpoint_impl(cx));
    out.extend(paging::impls(cx));
    out.extend(transfer::items(cx));
    out.extend(response::enum_def(cx.api, cx.op));
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
            let cx = Context::new(&api);
            for op in &api.operations {
                let mut items = Vec::new();
                operation(&Op::new(&api, &cx.checks, op), &mut items);
                let code = quote!(#(#items)*).to_string();
                let uses_validation = code.contains("validation ::");
                assert_eq!(
                    validation::request_has_checks(&api, &cx.checks, op),
                    uses_validation,
                    "{name}: {}",
                    op.id
                );
                seen.0 |= uses_validation;
                seen.1 |= !uses_validation;
            }
            let header = header(&api, &cx).to_string();
            let code = emit(&api, &cx).to_string();
            let body = &code[header.len()..];
            assert_eq!(
                header.contains(", validation }"),
                body.contains("validation ::"),
                "{name}"
            );
            assert_eq!(
                header.contains(", models }"),
                body.contains("models ::"),
                "{name}"
            );
        }
        assert_eq!(seen, (true, true), "both cases are covered");
    }
}
