//! `tests/examples.rs`: one test per example of the spec (`lower/examples.rs` pairs them).
//! A replayed example's test starts the runtime's local server (its `example-server`
//! feature) with the example's request line and response, sends the example's request
//! through the client and checks that it succeeds: the response body then decoded into the
//! operation's type.
//!
//! ```text
//! /// `Things_Get Item` example `Two`: `GET /{organization}/_apis/things/{thingId}` answered with 200.
//! #[tokio::test]
//! async fn get_item_two() {
//!     let response = r#"{
//!         "id": 7
//!     }"#;
//!     let server = Server::start(Exchange { method: "GET", path: "/org/_apis/things/7", query: &[("top", "5")], status: 200, content_type: "application/json", body: response }).await;
//!     let result = client(server.url()).get_item("org", 7).top(5).send().await;
//!     server.check(result).await;
//! }
//! ```
//!
//! Values are written as Rust literals where the type takes one (strings, booleans,
//! integers) and otherwise decoded at run time from the example's JSON, so that a value
//! that does not fit its type fails the test with a message naming it, as a response that
//! does not fit does.
//!
//! An example that is only decoded (its request cannot be sent) gets a plain test that
//! hands its response body to the runtime's `round_trip`, with the type of its status (the
//! type `send()` returns, or the response enum's variant's):
//!
//! ```text
//! /// `Things_Update` example `Renamed`: the 200 response of `PATCH /_apis/things/{thingId}`
//! /// decoded, encoded again and compared (not replayed: no value for the required parameter "thingId").
//! #[test]
//! fn update_things_renamed_response() {
//!     let response = r#"{ "id": "..", "name": "renamed" }"#;
//!     round_trip::<models::Thing>(200, response);
//! }
//! ```
//!
//! The file imports only what its tests use (the server and the client only when an
//! example is replayed), so that no crate's tests warn.

use std::collections::HashSet;

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::{Scope, ident, resolve, rust_type};
use crate::model::{
    Api, Example, ExampleCheck, Operation, Param, ParamLocation, PathSegment, TypeKind, TypeRef,
    Variant,
};
use crate::names;

/// The whole file after its preamble, as tokens; none when the spec has no example to
/// check.
pub fn file(api: &Api) -> Option<TokenStream> {
    if !api.has_examples() {
        return None;
    }
    let mut cx = File {
        api,
        test_names: HashSet::new(),
        uses_server: false,
        uses_decode: false,
        uses_decode_str: false,
        uses_round_trip: false,
        uses_models: false,
    };
    // The tests first: writing them records what the file must import.
    let tests = cx.tests();
    let docs = file_docs(api);
    let runtime_use = cx.runtime_use();
    let crate_use = cx.crate_use();
    let client = cx.uses_server.then(client_fn);
    // An area's tests exist when the crate is built with the area's feature.
    let feature = api.area.as_ref().map(|area| {
        let module = &area.module;
        quote!(#![cfg(feature = #module)])
    });
    Some(quote! {
        #(#![doc = #docs])*
        #feature

        #runtime_use
        #crate_use

        #client

        #(#tests)*
    })
}

/// `fn client(url)`, which the replayed examples' tests call: a client of the local server
/// that never retries, since the server answers once.
fn client_fn() -> TokenStream {
    quote! {
        /// A client of the local server that never retries: the server answers once.
        fn client(url: &str) -> Client {
            Client::builder(Credential::pat("example"))
                .retry(RetryPolicy::none())
                .base_url(url)
                .and_then(|builder| builder.build())
                .expect("a client of the local server")
        }
    }
}

/// `use path::item;`, or `use path::{a, b};` for several; nothing for none.
fn use_items(path: &TokenStream, items: &[TokenStream]) -> Option<TokenStream> {
    match items {
        [] => None,
        [one] => Some(quote!(use #path::#one;)),
        many => Some(quote!(use #path::{#(#many),*};)),
    }
}

/// The file's docs: how examples are checked, then those decoded only and those skipped,
/// each with why.
fn file_docs(api: &Api) -> Vec<String> {
    let mut docs = vec![
        " The spec's examples as tests. Each replayed example sends its request through the"
            .to_owned(),
        " client to a local server, which checks its method, path and query and answers with the"
            .to_owned(),
        " example's response; the call must succeed, so the body must decode into the operation's"
            .to_owned(),
        " type.".to_owned(),
    ];
    let line = |id: &str, name: &str, reason: &str| {
        super::docs::sanitize(&format!(" - `{id}` example `{name}`: {reason}."))
    };
    let decoded: Vec<String> = api
        .operations
        .iter()
        .flat_map(|op| {
            op.examples
                .iter()
                .filter_map(|e| e.not_replayed().map(|reason| line(&op.id, &e.name, reason)))
        })
        .collect();
    if !decoded.is_empty() {
        docs.extend([
            String::new(),
            " An example whose request cannot be sent is decoded only: its response body is decoded"
                .to_owned(),
            " into the type of its status, encoded again and compared with the example (every"
                .to_owned(),
            " property the type has must keep its value, but for the readings the runtime allows)."
                .to_owned(),
            String::new(),
            " Decoded only, not replayed:".to_owned(),
            String::new(),
        ]);
        docs.extend(decoded);
    }
    let skipped: Vec<String> = api
        .operations
        .iter()
        .flat_map(|op| {
            op.skipped_examples
                .iter()
                .map(|s| line(&op.id, &s.name, &s.reason))
        })
        .collect();
    if !skipped.is_empty() {
        docs.extend([String::new(), " Not checked:".to_owned(), String::new()]);
        docs.extend(skipped);
    }
    docs
}

/// What the tests of one file share.
struct File<'a> {
    api: &'a Api,
    /// The names given so far: two examples whose names differ only in case or punctuation
    /// get distinct tests.
    test_names: HashSet<String>,
    /// Whether some example is replayed (the server, the client and `client()` are then
    /// part of the file).
    uses_server: bool,
    /// Whether some value is decoded from JSON at run time (`decode` is then imported).
    uses_decode: bool,
    /// Whether some value is decoded from a string at run time (`decode_str`).
    uses_decode_str: bool,
    /// Whether some example is decoded only (`round_trip`).
    uses_round_trip: bool,
    /// Whether some test names a model type.
    uses_models: bool,
}

impl File<'_> {
    /// A test per example of every operation, in the spec's order: a replayed example's
    /// test, or a decoded-only one's (none when its response cannot be decoded).
    fn tests(&mut self) -> Vec<TokenStream> {
        let api = self.api;
        let mut tests = Vec::new();
        for op in &api.operations {
            for example in &op.examples {
                let test = match &example.check {
                    ExampleCheck::Replayed { params, body } => {
                        Some(self.test(op, example, params, body.as_ref()))
                    }
                    ExampleCheck::DecodedOnly { reason } => self.decode_test(op, example, reason),
                };
                tests.extend(test);
            }
        }
        tests
    }

    /// The `use` of the runtime's example server items the tests written so far need.
    fn runtime_use(&self) -> Option<TokenStream> {
        let mut items = Vec::new();
        if self.uses_server {
            items.extend([quote!(Exchange), quote!(Server)]);
        }
        if self.uses_decode {
            items.push(quote!(decode));
        }
        if self.uses_decode_str {
            items.push(quote!(decode_str));
        }
        if self.uses_round_trip {
            items.push(quote!(round_trip));
        }
        use_items(
            &quote!(azure_devops_runtime::__private::example_server),
            &items,
        )
    }

    /// The `use` of the generated crate's items the tests written so far need: the client
    /// and its parts, the models (an area's own).
    fn crate_use(&self) -> Option<TokenStream> {
        let mut items = Vec::new();
        if self.uses_server {
            items.extend([quote!(Client), quote!(Credential), quote!(RetryPolicy)]);
        }
        if self.uses_models {
            items.push(match &self.api.area {
                Some(area) => {
                    let module = ident(&area.module);
                    quote!(#module::models)
                }
                None => quote!(models),
            });
        }
        let lib = ident(&self.api.lib_name);
        use_items(&quote!(#lib), &items)
    }

    /// The test of one replayed example, whose request is `params` and `body`.
    fn test(
        &mut self,
        op: &Operation,
        example: &Example,
        params: &[(usize, Value)],
        body: Option<&Value>,
    ) -> TokenStream {
        self.uses_server = true;
        let name = ident(&self.test_name(op, example, ""));
        let doc = format!(
            " `{}` example `{}`: `{} {}` answered with {}.",
            op.id,
            example.name,
            op.method,
            op.path_template(),
            example.status
        );
        let doc = super::docs::sanitize(&doc);
        let mut lets = Vec::new();
        let (content_type, response) = match &example.response {
            Some(value) => {
                let media = example
                    .media
                    .clone()
                    .unwrap_or_else(|| "application/json".to_owned());
                let text = match value {
                    Value::String(s) if !is_json(&media) => s.clone(),
                    other => pretty(other),
                };
                let text = text_lit(&text);
                lets.push(quote!(let response = #text;));
                (media, quote!(response))
            }
            None => (String::new(), quote!("")),
        };
        let path = path(self.api, op, params);
        let query = query(self.api, op, params)
            .into_iter()
            .map(|(n, v)| quote!((#n, #v)));
        let method = op.method.as_str();
        let status = Literal::u16_unsuffixed(example.status);
        let call = self.call(op, params, body, &mut lets);
        let area = self.api.area.as_ref().map(|area| {
            let module = ident(&area.module);
            quote!(.#module())
        });
        let allow = self
            .deprecated(op, params)
            .then(|| quote!(#[allow(deprecated)]));
        quote! {
            #[doc = #doc]
            #allow
            #[tokio::test]
            async fn #name() {
                #(#lets)*
                let exchange = Exchange {
                    method: #method,
                    path: #path,
                    query: &[#(#query),*],
                    status: #status,
                    content_type: #content_type,
                    body: #response,
                };
                let server = Server::start(exchange).await;
                let result = client(server.url())#area #call.send().await;
                server.check(result).await;
            }
        }
    }

    /// The test of an example that is only decoded (not replayed: `reason`): its response
    /// body decoded into the type of its status, encoded again and compared. None when the
    /// status has no JSON body (lowering skips such examples).
    fn decode_test(
        &mut self,
        op: &Operation,
        example: &Example,
        reason: &str,
    ) -> Option<TokenStream> {
        let value = example.response.as_ref()?;
        let declared = op
            .responses
            .success
            .iter()
            .find(|s| s.status == example.status)?;
        let ty = match &declared.ty {
            Some(TypeRef::Text | TypeRef::Bytes) | None => return None,
            Some(ty) => ty,
        };
        self.uses_round_trip = true;
        self.uses_models |= names_model(ty);
        let name = ident(&self.test_name(op, example, "_response"));
        let doc = format!(
            " `{}` example `{}`: the {} response of `{} {}` decoded, encoded again and compared \
             (not replayed: {reason}).",
            op.id,
            example.name,
            example.status,
            op.method,
            op.path_template(),
        );
        let doc = super::docs::sanitize(&doc);
        let rust = rust_type(ty, Scope::Operations);
        let text = text_lit(&pretty(value));
        let status = Literal::u16_unsuffixed(example.status);
        Some(quote! {
            #[doc = #doc]
            #[test]
            fn #name() {
                let response = #text;
                round_trip::<#rust>(#status, response);
            }
        })
    }

    /// `operation_example{suffix}`, unique in the file.
    fn test_name(&mut self, op: &Operation, example: &Example, suffix: &str) -> String {
        let base = match names::snake(&example.name) {
            Some(name) => format!("{}_{}{suffix}", op.fn_name, name.trim_start_matches('_')),
            None => format!("{}_example{suffix}", op.fn_name),
        };
        let mut name = base.clone();
        let mut n = 2;
        while !self.test_names.insert(name.clone()) {
            name = format!("{base}_{n}");
            n += 1;
        }
        name
    }

    /// Whether the test calls something deprecated (the operation, or a setter it uses).
    fn deprecated(&self, op: &Operation, params: &[(usize, Value)]) -> bool {
        op.deprecated || params.iter().any(|(i, _)| op.params[*i].deprecated)
    }

    /// `.method(args..).setter(value)..`: the required parameters and body as arguments,
    /// the optional ones through their setters. A body is decoded first, in `lets`.
    fn call(
        &mut self,
        op: &Operation,
        params: &[(usize, Value)],
        body: Option<&Value>,
        lets: &mut Vec<TokenStream>,
    ) -> TokenStream {
        let mut args = Vec::new();
        let mut setters = Vec::new();
        for (i, value) in params {
            let p = &op.params[*i];
            if !p.required && value.is_null() {
                continue;
            }
            let what = format!("the parameter `{}`", p.wire_name);
            let value = self.value(&p.ty, value, &what);
            if p.required {
                args.push(value);
            } else {
                let setter = ident(&p.rust_name);
                setters.push(quote!(.#setter(#value)));
            }
        }
        if let (Some(b), Some(value)) = (&op.body, body) {
            let body = match (&b.ty, value) {
                (TypeRef::Text, Value::String(s)) => quote!(#s),
                (TypeRef::Bytes, Value::String(s)) => quote!(#s.as_bytes()),
                (ty, value) => {
                    self.uses_decode = true;
                    self.uses_models |= names_model(ty);
                    let ty = rust_type(ty, Scope::Operations);
                    let text = text_lit(&pretty(value));
                    lets.push(quote! {
                        let body = #text;
                        let body: #ty = decode("the request body", body);
                    });
                    quote!(&body)
                }
            };
            if b.required {
                args.push(body);
            } else {
                setters.push(quote!(.body(#body)));
            }
        }
        let method = ident(&op.fn_name);
        quote!(.#method(#(#args),*)#(#setters)*)
    }

    /// A parameter value: a literal where the type takes one, else decoded from JSON.
    fn value(&mut self, ty: &TypeRef, value: &Value, what: &str) -> TokenStream {
        match (resolve(self.api, ty), value) {
            (TypeRef::String, Value::String(s)) => return quote!(#s),
            (TypeRef::Bool, Value::Bool(b)) => return quote!(#b),
            (TypeRef::I32 | TypeRef::I64, Value::Number(n)) => {
                if let Some(n) = n.as_i64().filter(|n| i32::try_from(*n).is_ok()) {
                    let n = Literal::i64_unsuffixed(n);
                    return quote!(#n);
                }
            }
            (TypeRef::String, _) => {}
            (_, Value::String(s)) => {
                self.uses_decode_str = true;
                return quote!(decode_str(#what, #s));
            }
            _ => {}
        }
        self.uses_decode = true;
        self.uses_models |= names_model(ty);
        let text = text_lit(&value.to_string());
        // `impl Into<String>` takes more than one type: name it.
        if matches!(resolve(self.api, ty), TypeRef::String) {
            quote!(decode::<String>(#what, #text))
        } else {
            quote!(decode(#what, #text))
        }
    }
}

/// The path the request must have, with the example's values (not percent-encoded).
fn path(api: &Api, op: &Operation, params: &[(usize, Value)]) -> String {
    op.path
        .iter()
        .map(|s| match s {
            PathSegment::Literal(l) => l.clone(),
            PathSegment::Param(i) => params
                .iter()
                .find(|(at, _)| at == i)
                .and_then(|(_, v)| wire_texts(api, &op.params[*i], v).into_iter().next())
                .unwrap_or_default(),
        })
        .collect()
}

/// The query parameters the request must hold: every query value of the example whose text
/// the client sends as the example writes it.
fn query(api: &Api, op: &Operation, params: &[(usize, Value)]) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for (i, value) in params {
        let p = &op.params[*i];
        if p.location == ParamLocation::Query {
            for text in wire_texts(api, p, value) {
                pairs.push((p.wire_name.clone(), text));
            }
        }
    }
    pairs
}

/// The texts the client sends for a parameter's value: one per item of an array. Values
/// the client writes in a form of its own (date-times in UTC, numbers with a fraction) are
/// left out rather than guessed; a uuid is written in lower case, and an enum value in
/// another letter case than listed as listed (the runtime reads it as the listed value).
fn wire_texts(api: &Api, p: &Param, value: &Value) -> Vec<String> {
    let canonical = |ty: &TypeRef| !matches!(ty, TypeRef::DateTime | TypeRef::F32 | TypeRef::F64);
    let item_ty = match &p.ty {
        TypeRef::Vec(inner) => inner.as_ref(),
        other => other,
    };
    if !canonical(item_ty) {
        return Vec::new();
    }
    let listed = match resolve(api, item_ty) {
        TypeRef::Named(name) => match api.type_kind(name) {
            Some(TypeKind::Enum(variants)) => variants.as_slice(),
            _ => &[],
        },
        _ => &[],
    };
    let text = |v: &Value| match v {
        Value::String(s) if *item_ty == TypeRef::Uuid => Some(s.to_ascii_lowercase()),
        Value::String(s) if !listed.is_empty() => Some(as_listed(listed, s)),
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    match value {
        Value::Array(items) => items.iter().filter_map(text).collect(),
        other => text(other).into_iter().collect(),
    }
}

/// An enum's value as the client sends it: a listed value but for ASCII case is that value
/// (as the runtime's `json::enum_value` reads it); anything else as it is.
fn as_listed(listed: &[Variant], text: &str) -> String {
    if listed.iter().any(|v| v.wire_name == text) {
        return text.to_owned();
    }
    let mut same_but_case = listed
        .iter()
        .filter(|v| v.wire_name.eq_ignore_ascii_case(text));
    match (same_but_case.next(), same_but_case.next()) {
        (Some(one), None) => one.wire_name.clone(),
        _ => text.to_owned(),
    }
}

/// True when `ty` names a model type, directly or inside arrays, maps and boxes.
fn names_model(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(_) => true,
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => names_model(inner),
        _ => false,
    }
}

pub(crate) fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json")
        || essence.eq_ignore_ascii_case("text/json")
        || essence.to_ascii_lowercase().ends_with("+json")
}

/// JSON indented by four spaces, its lines after the first indented once more, so that it
/// reads as a block of the test's body.
fn pretty(value: &Value) -> String {
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
    // Writing a `Value` to memory cannot fail.
    let _ = serde::Serialize::serialize(value, &mut ser);
    String::from_utf8_lossy(&out).replace('\n', "\n    ")
}

/// A string literal: raw (with as many `#` as it needs) when the text holds quotes,
/// backslashes or lines, so that JSON reads as written.
pub(crate) fn text_lit(text: &str) -> Literal {
    if !text.contains(['"', '\\', '\n']) {
        return Literal::string(text);
    }
    let mut hashes = String::new();
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| Literal::string(text))
}

#[cfg(test)]
mod tests {
    use crate::emit::manifest::RuntimeDependency;

    /// A spec of one operation `GET /things/{id}` (`id` of `id_type`) answering 200 with a
    /// `Thing`, whose example `E` gives `id` when `id_value` is some, a query value `q`
    /// when `with_query`, and the response body.
    fn spec(id_type: &str, id_value: Option<&str>, with_query: bool) -> String {
        let id_example = id_value
            .map(|v| format!("\n          examples:\n            E:\n              value: {v}"))
            .unwrap_or_default();
        let query = if with_query {
            "\n        - name: q\n          in: query\n          schema:\n            type: number\n          examples:\n            E:\n              value: 1.5"
        } else {
            ""
        };
        format!(
            r#"openapi: 3.0.3
info:
  title: Imports
  version: '1'
servers:
  - url: https://example.com
paths:
  /things/{{id}}:
    get:
      operationId: Things_Get
      parameters:
        - name: id
          in: path
          required: true
          schema:
            {id_type}{id_example}{query}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Thing'
              examples:
                E:
                  value:
                    name: a
components:
  schemas:
    Thing:
      type: object
      properties:
        name:
          type: string
"#
        )
    }

    /// Whatever the helpers a crate's examples use, the test file imports exactly those:
    /// an import too many is a warning (`-D warnings` in CI), one too few an error.
    #[test]
    fn the_examples_file_imports_what_its_tests_use() {
        let cases = [
            // A string path parameter: a literal, no helper.
            (
                "type: string",
                Some("x"),
                false,
                &["Exchange", "Server"][..],
            ),
            // A uuid: decoded from its text.
            (
                "type: string\n            format: uuid",
                Some("9a7bd18f-31e8-4a3e-9c3e-7b0c2ef0a7d1"),
                false,
                &["Exchange", "Server", "decode_str"][..],
            ),
            // A number in the query: decoded from JSON.
            (
                "type: string",
                Some("x"),
                true,
                &["Exchange", "Server", "decode"][..],
            ),
            // No value for the required `id`: decoded only.
            ("type: string", None, false, &["round_trip"][..]),
        ];
        let runtime = RuntimeDependency::path("../runtime");
        for (id_type, id_value, with_query, expected) in cases {
            let text = spec(id_type, id_value, with_query);
            let generated =
                crate::generate("imports.yaml", &text, &runtime).unwrap_or_else(|d| panic!("{d}"));
            let file = generated
                .files
                .iter()
                .find(|f| f.path == "tests/examples.rs")
                .expect("an examples file");
            let code = &file.contents;
            let import = code
                .lines()
                .skip_while(|l| !l.starts_with("use azure_devops_runtime::"))
                .take_while(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            for helper in ["Exchange", "Server", "decode", "decode_str", "round_trip"] {
                let imported = import
                    .split(|c: char| !c.is_alphanumeric() && c != '_')
                    .any(|w| w == helper);
                assert_eq!(
                    imported,
                    expected.contains(&helper),
                    "{helper} in the import of {id_type:?} {id_value:?} {with_query}:\n{code}"
                );
                // Used in code (docs aside) beyond the import.
                let used = code
                    .lines()
                    .filter(|l| !l.trim_start().starts_with("//"))
                    .flat_map(|l| l.split(|c: char| !c.is_alphanumeric() && c != '_'))
                    .filter(|w| *w == helper)
                    .count()
                    > usize::from(imported);
                assert_eq!(imported, used, "{helper}:\n{code}");
            }
            // The crate's own names too: the client only for replayed examples.
            let uses_client = code.contains("fn client(");
            assert_eq!(uses_client, expected.contains(&"Server"), "{code}");
        }
    }
}
