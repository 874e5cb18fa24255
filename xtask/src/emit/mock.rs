//! `src/mock.rs` (for an area, `src/{area}/mock.rs`): the crate's `mock` feature, a mock of
//! the service for the tests of crates that use the client. The runtime's `__mock!` writes
//! the server and the builder every operation shares; this file adds, per operation, a
//! method on the server (an area's: on the area's view of it) named like the client's, the
//! builder's matchers of the operation's parameters and body, how a value of its output is
//! answered, and the table the mock checks every request against.
//!
//! What it writes: the expect test `emit::tests::the_mock`.

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use serde_json::Value;

use super::docs::doc_lines;
use super::examples::{is_json, text_lit};
use super::markdown;
use super::validation::Checks;
use super::{Context, Scope, ident, plain_ident, resolve, rust_type};
use crate::model::{
    Api, Operation, Param, ParamLocation, PathSegment, SuccessResponse, TypeKind, TypeRef,
};
use crate::names;

/// The file's start: its docs and imports, and for an area its view of the crate's
/// server. A crate of one spec's file continues with [`macro_call`].
pub fn header(api: &Api) -> TokenStream {
    let imports = imports(api);
    let Some(area) = &api.area else {
        return quote! {
            //! A mock of the service for tests (the cargo feature `mock`): a server on
            //! 127.0.0.1 with a method per operation, named like the client's, that
            //! returns a typed builder of what to expect and how to answer. Every
            //! request it receives is checked against the spec.
            #imports
        };
    };
    let view = mock_view(&area.client_type);
    let accessor = ident(&names::mock_area_name(&area.module));
    let client_view = ident(&area.client_type);
    let module = &area.module;
    let title = markdown::inline(&api.title);
    let view_docs = doc_lines(&format!(
        "The mock's operations of the {title} area, from \
         [`MockServer::{accessor}`]: a method per \
         operation, named like [`{client_view}`](super::{client_view})'s."
    ));
    let accessor_docs = doc_lines(&format!(
        "The mock's operations of the {title} area (cargo feature `{module}`)."
    ));
    quote! {
        //! The mock of the area's operations (the cargo features `mock` and the
        //! area's): a method per operation of [`MockServer`]'s
        //! view of the area, named like the client's.
        #imports

        #(#view_docs)*
        #[derive(Debug, Clone, Copy)]
        pub struct #view<'a> {
            mock: &'a MockServer,
        }

        impl MockServer {
            #(#accessor_docs)*
            pub fn #accessor(&self) -> #view<'_> {
                #view { mock: self }
            }
        }
    }
}

/// The call of the runtime's macro that writes the crate's `MockServer` and `MockBuilder`,
/// with the tables of operations they serve (`OPERATIONS`, or an area's behind its
/// feature), written as text: a printer lays a macro's arguments out on one line.
pub fn macro_call(lib: &str, tables: &[String]) -> String {
    let lib = proc_macro2::Literal::string(lib);
    let areas = match tables {
        [one] if !one.contains('\n') => format!("[{one}]"),
        _ => {
            let mut list = String::from("[\n");
            for table in tables {
                for line in table.lines() {
                    list.push_str("        ");
                    list.push_str(line);
                    list.push('\n');
                }
            }
            list.push_str("    ]");
            list
        }
    };
    format!(
        "\nazure_devops_runtime::__private::mock! {{\n    lib: {lib},\n    areas: {areas},\n}}\n"
    )
}

/// The table a crate of one spec's server serves: `OPERATIONS`.
pub fn single_tables() -> Vec<String> {
    vec!["OPERATIONS".to_owned()]
}

/// The tables a crate of several areas' server serves: each area's with operations, behind
/// its feature.
pub fn area_tables(areas: &[Api]) -> Vec<String> {
    areas
        .iter()
        .filter(|a| !a.operations.is_empty())
        .filter_map(|a| a.area.as_ref())
        .map(|a| {
            format!(
                "#[cfg(feature = \"{m}\")]\ncrate::{m}::mock::OPERATIONS,",
                m = a.module
            )
        })
        .collect()
}

/// `src/mock.rs` of a crate of several areas: its docs, before [`macro_call`].
pub fn areas_root() -> TokenStream {
    quote! {
        //! A mock of the service for tests (the cargo feature `mock`): a server on 127.0.0.1
        //! with a method per area whose feature is on (named like the client's), and on
        //! that a method per operation, named like the client's, that returns a typed
        //! builder of what to expect and how to answer. Every request it receives is checked
        //! against the spec of its area.
    }
}

/// The imports of the file: the runtime's types its tables and answers use, and the spec's
/// models when an operation names one.
fn imports(api: &Api) -> TokenStream {
    let ops = &api.operations;
    let checks = Checks::new(api);
    let has = |f: &dyn Fn(&Operation) -> bool| ops.iter().any(f);
    fn json_body(op: &Operation) -> Option<&crate::model::Body> {
        op.body
            .as_ref()
            .filter(|b| !matches!(b.ty, TypeRef::Text | TypeRef::Bytes))
    }
    let mut runtime = vec![];
    if has(&|op| op.body.is_some()) {
        runtime.push("BodySpec");
    }
    if has(&|op| json_body(op).is_some_and(|b| checks.validates(api, &b.ty))) {
        runtime.push("check_json");
    }
    if has(&|op| json_body(op).is_some_and(|b| !checks.validates(api, &b.ty))) {
        runtime.push("check_json_decodes");
    }
    if has(&|op| !op.examples.is_empty()) {
        runtime.push("ExampleAnswer");
    }
    if has(&|op| header_params(op).next().is_some()) {
        runtime.push("HeaderSpec");
    }
    runtime.extend(["MockAnswer", "OperationSpec", "PathPart"]);
    if has(&|op| query_params(op).next().is_some()) {
        runtime.push("QuerySpec");
    }
    if has(&|op| query_params(op).any(|p| p.constant.is_none())) {
        runtime.push("ValueKind");
    }
    runtime.sort_unstable();
    let runtime = runtime.iter().map(|n| plain_ident(n));
    let runtime =
        (!ops.is_empty()).then(|| quote!(use azure_devops_runtime::mock::{#(#runtime),*};));
    let mut local = Vec::new();
    if ops.iter().any(mentions_model) {
        local.push(quote!(models));
    }
    let local = (!local.is_empty()).then(|| quote!(use super::{#(#local),*};));
    // A crate of one spec: the macro wrote them in this module.
    let crate_mock = api.area.as_ref().map(|_| {
        quote!(
            use crate::mock::{MockBuilder, MockServer, Response};
        )
    });
    quote! {
        #runtime

        #local
        #crate_mock
    }
}

/// `pub(crate) static OPERATIONS: &[&OperationSpec] = &[..];`: the first item after the
/// header.
pub fn table(api: &Api) -> syn::Item {
    let entries = api.operations.iter().map(|op| {
        let params = params_type(op, quote!('static));
        quote!(<super::#params as MockAnswer>::SPEC)
    });
    if api.operations.is_empty() {
        return parse(quote! {
            /// The spec declares no operations: the mock refuses every request.
            pub(crate) static OPERATIONS: &[&azure_devops_runtime::mock::OperationSpec] = &[];
        });
    }
    parse(quote! {
        /// The operations of the spec, as the mock checks requests to them.
        pub(crate) static OPERATIONS: &[&OperationSpec] = &[#(#entries),*];
    })
}

/// `impl MockServer { .. }` (an area's: `impl<'a> AreaMock<'a> { .. }`) with the method of
/// each of `ops`.
pub fn methods(api: &Api, ops: &[Operation]) -> syn::Item {
    let methods = ops.iter().map(|op| {
        let name = ident(&method_name(api, op));
        let builder = mock_builder(op);
        let docs = doc_lines(&method_doc(api, op));
        match &api.area {
            None => quote! {
                #(#docs)*
                pub fn #name(&self) -> #builder<'_> {
                    MockBuilder::new(self)
                }
            },
            Some(_) => quote! {
                #(#docs)*
                pub fn #name(&self) -> #builder<'a> {
                    MockBuilder::new(self.mock)
                }
            },
        }
    });
    let tokens = match &api.area {
        None => quote!(impl MockServer { #(#methods)* }),
        Some(area) => {
            let view = mock_view(&area.client_type);
            quote!(impl<'a> #view<'a> { #(#methods)* })
        }
    };
    parse(tokens)
}

/// The items of each of `ops`: its builder's alias and matchers, and its `MockAnswer`.
pub fn items(api: &Api, cx: &Context, ops: &[Operation]) -> Vec<syn::Item> {
    let mut items = Vec::with_capacity(ops.len() * 3);
    for op in ops {
        items.push(alias(api, op));
        items.extend(matchers(op));
        items.push(answer_impl(api, cx, op));
    }
    items
}

/// The method's name on the server: the client's, unless the server has a method of that
/// name itself (see [`names::MOCK_SERVER_METHODS`]); an area's view has none.
fn method_name(api: &Api, op: &Operation) -> String {
    match api.area {
        Some(_) => op.fn_name.clone(),
        None => names::mock_method_name(&op.fn_name, |n| {
            api.operations.iter().any(|o| o.fn_name == n)
        }),
    }
}

fn method_doc(api: &Api, op: &Operation) -> String {
    let client = match &api.area {
        None => format!("crate::Client::{}", op.fn_name),
        Some(area) => format!("super::{}::{}", area.client_type, op.fn_name),
    };
    format!(
        "Expects requests to [`{}::{fn_name}`]({client}) (`{} {}`): narrow them with the \
         builder's matchers, then mount the expectation with one of its `respond…` methods.",
        api.client_type(),
        op.method,
        op.path_template(),
        fn_name = op.fn_name,
    )
}

/// `pub type OperationMock<'a> = MockBuilder<'a, super::OperationParams<'static>>;`.
fn alias(api: &Api, op: &Operation) -> syn::Item {
    let builder = mock_builder(op);
    let params = params_type(op, quote!('static));
    let docs = doc_lines(&format!(
        "What the mock expects of requests to `{}` and how it answers them: from \
         [`{}::{}`].",
        op.id,
        match &api.area {
            None => "MockServer".to_owned(),
            Some(area) => mock_view(&area.client_type).to_string(),
        },
        method_name(api, op),
    ));
    parse(quote! {
        #(#docs)*
        pub type #builder<'a> = MockBuilder<'a, super::#params>;
    })
}

/// `impl OperationMock<'_> { .. }`: a matcher per parameter the caller sets (but objects in
/// the query), and one of the body.
fn matchers(op: &Operation) -> Option<syn::Item> {
    let builder = mock_builder(op);
    let mut methods: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.constant.is_none() && !p.dotted)
        .map(|p| param_matcher(op, p))
        .collect();
    methods.extend(body_matcher(op));
    if methods.is_empty() {
        return None;
    }
    Some(parse(quote! {
        impl #builder<'_> {
            #(#methods)*
        }
    }))
}

/// The matcher of a parameter, which takes the value as the client's setter does.
fn param_matcher(op: &Operation, p: &Param) -> TokenStream {
    let name = ident(&names::mock_matcher_name(&p.rust_name, |n| {
        op.params.iter().any(|q| q.rust_name == n)
    }));
    let wire = &p.wire_name;
    let (arg, value) = match &p.ty {
        TypeRef::String => (quote!(impl Into<String>), quote!(&value.into())),
        other => {
            let ty = rust_type(other, Scope::Operations);
            (quote!(#ty), quote!(&value))
        }
    };
    let (what, call) = match p.location {
        ParamLocation::Path => ("path parameter", quote!(path_param)),
        ParamLocation::Query => ("query parameter", quote!(query)),
        ParamLocation::Header => ("header", quote!(header)),
    };
    let docs = doc_lines(&format!(
        "Matches only requests whose {what} `{wire}` is `value` (as the client sends it)."
    ));
    quote! {
        #(#docs)*
        pub fn #name(self, value: #arg) -> Self {
            self.with(|e| e.#call(#wire, #value))
        }
    }
}

/// The matcher of the body: as JSON for a JSON body, else byte for byte.
fn body_matcher(op: &Operation) -> Option<TokenStream> {
    let body = op.body.as_ref()?;
    Some(match &body.ty {
        TypeRef::Text => quote! {
            /// Matches only requests whose body is `value`.
            pub fn body(self, value: &str) -> Self {
                self.with(|e| e.bytes_body(value.as_bytes().to_vec()))
            }
        },
        TypeRef::Bytes => quote! {
            /// Matches only requests whose body is `value`, byte for byte.
            pub fn body(self, value: &[u8]) -> Self {
                self.with(|e| e.bytes_body(value.to_vec()))
            }
        },
        _ => {
            let ty = super::operations::builder::body_type(body);
            quote! {
                /// Matches only requests whose body, as JSON, is `value` as the client sends it.
                pub fn body(self, value: &#ty) -> Self {
                    self.with(|e| e.json_body(value))
                }
            }
        }
    })
}

/// `impl MockAnswer for super::OperationParams<'_> { const SPEC; fn answer }`.
fn answer_impl(api: &Api, cx: &Context, op: &Operation) -> syn::Item {
    let params = params_type(op, quote!('_));
    let spec = operation_spec(api, cx, op);
    let output = output_type(op);
    let answer = answer_fn(api, op, &output);
    parse(quote! {
        impl MockAnswer for super::#params {
            const SPEC: &'static OperationSpec = &#spec;

            #answer
        }
    })
}

/// The `OperationSpec` literal of an operation: what the mock checks a request against
/// and the answers of its examples.
fn operation_spec(api: &Api, cx: &Context, op: &Operation) -> TokenStream {
    let id = &op.id;
    let method = op.method.as_str();
    let path = path_parts(op);
    let query = query_specs(api, op);
    let headers = header_specs(op);
    let body = body_spec(api, cx, op);
    let examples = example_answers(op);
    quote! {
        OperationSpec {
            id: #id,
            method: #method,
            path: &[#(#path),*],
            query: &[#(#query),*],
            headers: &[#(#headers),*],
            body: #body,
            examples: &[#(#examples),*],
        }
    }
}

/// The `PathPart`s of an operation's path: literal text and parameters by wire name.
fn path_parts(op: &Operation) -> Vec<TokenStream> {
    op.path
        .iter()
        .map(|s| match s {
            PathSegment::Literal(l) => quote!(PathPart::Literal(#l)),
            PathSegment::Param(i) => {
                let name = &op.params[*i].wire_name;
                quote!(PathPart::Param(#name))
            }
        })
        .collect()
}

/// The `QuerySpec`s of an operation's query parameters: constant, required or optional,
/// each with the kind its values must be.
fn query_specs(api: &Api, op: &Operation) -> Vec<TokenStream> {
    query_params(op)
        .map(|p| {
            let name = &p.wire_name;
            let kind = value_kind(api, p);
            match (&p.constant, p.required) {
                (Some(value), _) => quote!(QuerySpec::constant(#name, #value)),
                (None, true) => quote!(QuerySpec::required(#name, #kind)),
                (None, false) => quote!(QuerySpec::optional(#name, #kind)),
            }
        })
        .collect()
}

/// The `HeaderSpec`s of an operation's header parameters, required or optional.
fn header_specs(op: &Operation) -> Vec<TokenStream> {
    header_params(op)
        .map(|p| {
            let name = &p.wire_name;
            if p.required {
                quote!(HeaderSpec::required(#name))
            } else {
                quote!(HeaderSpec::optional(#name))
            }
        })
        .collect()
}

/// The operation's `Option<BodySpec>`: its media types and how a JSON body is checked.
fn body_spec(api: &Api, cx: &Context, op: &Operation) -> TokenStream {
    let Some(b) = &op.body else {
        return quote!(None);
    };
    let media = std::iter::once(&b.media).chain(&b.also);
    let check = body_check(api, cx, &b.ty);
    if b.required {
        quote!(Some(BodySpec::required(&[#(#media),*], #check)))
    } else {
        quote!(Some(BodySpec::optional(&[#(#media),*], #check)))
    }
}

/// How the mock checks a body of type `ty`: not at all for text and bytes, else decoded,
/// and validated when the type has checks.
fn body_check(api: &Api, cx: &Context, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Text | TypeRef::Bytes => quote!(None),
        ty => {
            let rust = rust_type(ty, Scope::Operations);
            if cx.checks.validates(api, ty) {
                quote!(Some(check_json::<#rust>))
            } else {
                quote!(Some(check_json_decodes::<#rust>))
            }
        }
    }
}

/// An `ExampleAnswer` per example of the operation: its name, status, media type and
/// response body as text (empty without a response).
fn example_answers(op: &Operation) -> Vec<TokenStream> {
    op.examples
        .iter()
        .map(|e| {
            let name = &e.name;
            let status = unsuffixed(e.status);
            let (media, body) = match &e.response {
                None => (String::new(), String::new()),
                Some(value) => {
                    let media = e
                        .media
                        .clone()
                        .unwrap_or_else(|| "application/json".to_owned());
                    let text = match value {
                        Value::String(s) if !is_json(&media) => s.clone(),
                        other => other.to_string(),
                    };
                    (media, text)
                }
            };
            let body = text_lit(&body);
            quote!(ExampleAnswer::new(#name, #status, #media, #body))
        })
        .collect()
}

/// What a query parameter's values must look like.
fn value_kind(api: &Api, p: &Param) -> TokenStream {
    if p.dotted {
        return quote!(ValueKind::Object);
    }
    fn kind(api: &Api, ty: &TypeRef) -> TokenStream {
        match resolve(api, ty) {
            TypeRef::Bool => quote!(ValueKind::Boolean),
            TypeRef::I32 | TypeRef::I64 => quote!(ValueKind::Integer),
            TypeRef::F32 | TypeRef::F64 => quote!(ValueKind::Number),
            TypeRef::Uuid => quote!(ValueKind::Uuid),
            TypeRef::Date => quote!(ValueKind::Date),
            TypeRef::DateTime => quote!(ValueKind::DateTime),
            TypeRef::Vec(inner) | TypeRef::Boxed(inner) => kind(api, inner),
            TypeRef::Map(_) => quote!(ValueKind::Object),
            TypeRef::Named(n) => match api.type_kind(n) {
                Some(TypeKind::Enum(variants)) => {
                    let wire = variants.iter().map(|v| &v.wire_name);
                    quote!(ValueKind::Enum(&[#(#wire),*]))
                }
                Some(TypeKind::Struct(_)) => quote!(ValueKind::Object),
                _ => quote!(ValueKind::Text),
            },
            TypeRef::String | TypeRef::Text | TypeRef::Bytes | TypeRef::Json => {
                quote!(ValueKind::Text)
            }
        }
    }
    kind(api, &p.ty)
}

/// The type `send()` yields, as the mock file names it (through `super`).
fn output_type(op: &Operation) -> TokenStream {
    if let Some(name) = &op.responses.enum_name {
        let name = ident(name);
        return quote!(super::#name);
    }
    match op.responses.success.first().and_then(|s| s.ty.as_ref()) {
        Some(ty) => {
            let ty = rust_type(ty, Scope::Operations);
            quote!(#ty)
        }
        None => quote!(()),
    }
}

/// `fn answer(value: &Output) -> Response`: the response the client reads as `value`.
fn answer_fn(api: &Api, op: &Operation, output: &TokenStream) -> TokenStream {
    if let Some(name) = &op.responses.enum_name {
        let name = ident(name);
        let arms = op.responses.success.iter().map(|s| {
            let variant = plain_ident(&format!("Status{}", s.status));
            match &s.ty {
                Some(_) => {
                    let response = body_response(api, s, quote!(value));
                    quote!(super::#name::#variant(value) => #response,)
                }
                None => {
                    let status = unsuffixed(s.status);
                    quote!(super::#name::#variant => Response::status(#status),)
                }
            }
        });
        return quote! {
            fn answer(value: &#output) -> Response {
                match value {
                    #(#arms)*
                }
            }
        };
    }
    match op.responses.success.first() {
        Some(s) if s.ty.is_some() => {
            let response = body_response(api, s, quote!(value));
            quote! {
                fn answer(value: &#output) -> Response {
                    #response
                }
            }
        }
        first => {
            let status = unsuffixed(first.map_or_else(
                || op.responses.accepted.first().copied().unwrap_or(200),
                |s| s.status,
            ));
            quote! {
                fn answer(_value: &()) -> Response {
                    Response::status(#status)
                }
            }
        }
    }
}

/// The response of a success with a body, from `value` (a reference to the body's value).
/// A list or a map goes in the wrapper Azure DevOps sends collections in.
fn body_response(api: &Api, s: &SuccessResponse, value: TokenStream) -> TokenStream {
    let status = unsuffixed(s.status);
    match &s.ty {
        Some(TypeRef::Text) => {
            let media = s.media.as_deref().unwrap_or("text/plain");
            quote!(Response::status(#status).with_body(#media, #value.clone()))
        }
        Some(TypeRef::Bytes) => {
            let media = s.media.as_deref().unwrap_or("application/octet-stream");
            quote!(Response::status(#status).with_body(#media, #value.clone()))
        }
        Some(ty) if matches!(resolve(api, ty), TypeRef::Vec(_) | TypeRef::Map(_)) => {
            quote!(Response::collection(#status, #value.len(), #value))
        }
        _ => match s.media.as_deref() {
            Some(media) if !media.eq_ignore_ascii_case("application/json") => {
                quote!(Response::json_as(#status, #media, #value))
            }
            _ => quote!(Response::json(#status, #value)),
        },
    }
}

/// `OperationParams<'static>` (or `<'_>`), or `OperationParams` when it does not borrow.
fn params_type(op: &Operation, lifetime: TokenStream) -> TokenStream {
    let name = ident(&op.params_name);
    if op.body.is_some() {
        quote!(#name<#lifetime>)
    } else {
        quote!(#name)
    }
}

/// `OperationMock`: the name of an operation's mock builder.
fn mock_builder(op: &Operation) -> Ident {
    plain_ident(&format!("{}Mock", op.builder_name))
}

/// `AreaClientMock`: an area's view of the mock.
fn mock_view(client_type: &str) -> Ident {
    plain_ident(&format!("{client_type}Mock"))
}

fn query_params(op: &Operation) -> impl Iterator<Item = &Param> {
    op.params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
}

fn header_params(op: &Operation) -> impl Iterator<Item = &Param> {
    op.params
        .iter()
        .filter(|p| p.location == ParamLocation::Header)
}

/// True when a parameter, the body or a response of `op` names a model type.
fn mentions_model(op: &Operation) -> bool {
    fn names_model(ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(_) => true,
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => names_model(inner),
            _ => false,
        }
    }
    op.params
        .iter()
        .filter(|p| p.constant.is_none() && !p.dotted)
        .any(|p| names_model(&p.ty))
        || op.body.as_ref().is_some_and(|b| names_model(&b.ty))
        || (op.responses.enum_name.is_none()
            && op
                .responses
                .success
                .first()
                .and_then(|s| s.ty.as_ref())
                .is_some_and(names_model))
}

/// A status as an unsuffixed literal (`204`, not `204u16`).
fn unsuffixed(status: u16) -> proc_macro2::Literal {
    proc_macro2::Literal::u16_unsuffixed(status)
}

/// Tokens the emitters wrote as one item; a failure is a generator bug.
fn parse(tokens: TokenStream) -> syn::Item {
    syn::parse2(tokens).unwrap_or_else(|e| {
        // Loud: the generated crate does not compile, and the golden tests name the item.
        let message = format!("internal error: the mock's emitter wrote invalid Rust: {e}");
        syn::Item::Verbatim(quote!(compile_error!(#message);))
    })
}
