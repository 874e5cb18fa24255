//! `src/lib.rs` of a generated crate, and `src/{area}/mod.rs` of each area of a crate of
//! several: the crate's docs, its modules, the runtime's public API re-exported, the
//! constants the client is built with, and the call of the runtime's macro that writes
//! `Client`, `ClientBuilder` and `RequestBuilder`. Nothing of the runtime is copied.
//!
//! What it writes: the expect test `emit::tests::the_crate_root`.
//!
//! A crate of several areas has `#[cfg(feature = "build")] pub mod build;` per area instead
//! of `models` and `operations`, its `CLIENT` lists the areas whose feature is on, and each
//! area's `mod.rs` holds its docs, models, operations, `AREA` and its view of the client
//! (`BuildClient`, from `Client::build`).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::sanitize;
use super::markdown;
use super::{ident, plain_ident};
use crate::model::Api;

/// The runtime's public API, which every generated crate re-exports at its root: the
/// names its users wrote before the runtime was a crate of its own.
const RUNTIME_API: &[&str] = &[
    "AccessToken",
    "AcceptTypes",
    "ApiError",
    "ApiResponse",
    "Checkpoint",
    "ContentTypes",
    "Correlation",
    "Credential",
    "Download",
    "Endpoint",
    "Error",
    "InvalidRequest",
    "Items",
    "Paged",
    "PagedItems",
    "Pages",
    "RateLimit",
    "RequestPreview",
    "ResponseHeaders",
    "RetryPolicy",
    "StreamedResponse",
    "UploadBody",
];

/// What a crate of several areas is, beside its areas.
#[derive(Debug, Clone)]
pub struct CrateInfo {
    /// Cargo package name, e.g. `azure-devops`.
    pub package_name: String,
    /// Rust library name, e.g. `azure_devops`.
    pub lib_name: String,
    pub crate_version: String,
    /// The runtime version the crate is generated for.
    pub runtime_version: String,
}

/// `#![doc = " line"]` attributes, one per line of `text`.
fn inner_docs(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote!(#(#![doc = #lines])*)
}

/// `#[doc = " line"]` attributes, one per line of `text`.
fn outer_docs(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote!(#(#[doc = #lines])*)
}

/// The runtime's public API, re-exported (`Area` too in a crate of several areas).
fn reexports(more: &[&'static str]) -> TokenStream {
    let mut names: Vec<&str> = RUNTIME_API.to_vec();
    if !more.is_empty() {
        names.extend(more);
        names.sort_unstable();
    }
    let names = names.iter().map(|n| plain_ident(n));
    quote!(pub use azure_devops_runtime::{#(#names),*};)
}

/// The list of an API's operations for its docs: `- [`Client::name`]: summary (`id`)`.
fn operation_list(api: &Api) -> String {
    let client = api.client_type();
    let ops: Vec<String> = api
        .operations
        .iter()
        .map(|op| {
            let summary = op
                .docs
                .summary
                .as_deref()
                .or(op.docs.description.as_deref())
                .unwrap_or("")
                .trim();
            let summary = markdown::inline(summary.lines().next().unwrap_or_default());
            // Without a summary, `- [`x`]:` would be read as a link definition.
            if summary.is_empty() {
                format!("- [`{client}::{}`] (`{}`)", op.fn_name, op.id)
            } else {
                format!("- [`{client}::{}`]: {summary} (`{}`)", op.fn_name, op.id)
            }
        })
        .collect();
    // A spec of models only (Microsoft's `artifacts/7.1/sbom.json`) still has a section
    // that says so, rather than an empty one.
    if ops.is_empty() {
        match &api.area {
            None => "The spec declares no operations: this crate holds its models, and a \
                     [`Client`] without methods."
                .to_owned(),
            Some(_) => "The spec declares no operations: this area holds its models.".to_owned(),
        }
    } else {
        ops.join("\n")
    }
}

/// `label: text`, or the label on a line of its own when the text does not start with a
/// paragraph (a list, a heading, a table, a code block).
fn labelled(label: &str, text: &str) -> String {
    let first = text.lines().next().unwrap_or_default();
    if markdown::starts_block(first) || first.starts_with('|') {
        format!("{label}.\n\n{text}")
    } else {
        format!("{label}: {text}")
    }
}

/// The spec's description as one paragraph of docs, or a sentence that names the API.
fn description(api: &Api) -> String {
    let text = api.description.as_deref().map(str::trim).unwrap_or("");
    if text.is_empty() {
        format!("Client for {}.", markdown::inline(&api.title))
    } else {
        sanitize(text)
    }
}

/// How the client's usage reads in the docs of every crate.
const USAGE: &str = "\
Build one [`Client`] with a [`Credential`] (a personal access token, a bearer token, or
tokens that expire, from your own provider or the Azure CLI) and reuse it: it holds a
connection pool and the token.
Each operation is a method on the client that returns a request builder; required
parameters are arguments, optional ones are setters, and the builder is sent with
`.send().await` (or by awaiting it directly). Request bodies are checked against the
spec's constraints before anything is sent; failures, throttling and retries are
described on [`Error`] and [`RetryPolicy`].

# Testing

The cargo feature `mock` (for `[dev-dependencies]`) adds the module `mock`: a mock of the
service on 127.0.0.1 for the tests of crates that use the client, with a method per operation
named like the client's, whose typed builder matches requests by their parameters and body and
answers with a typed value, an error, a throttle, an example of the spec, a delay or a dropped
connection. Every request the mock receives is checked against the spec.";

/// The crate-level attributes every crate has, after its docs.
fn crate_attributes(recursion_limit: Option<usize>) -> TokenStream {
    let limit = recursion_limit.map(|limit| {
        let limit = limit.to_string();
        quote! {
            #![recursion_limit = #limit]
        }
    });
    quote! {
        #limit
        #![deny(missing_docs)]
        #![forbid(unsafe_code)]
    }
}

/// The constants the client is built with.
fn client_defaults(areas: TokenStream) -> TokenStream {
    quote! {
        /// What the client is built with.
        const CLIENT: azure_devops_runtime::__private::ClientDefaults =
            azure_devops_runtime::__private::ClientDefaults {
                base_url: DEFAULT_BASE_URL,
                user_agent: USER_AGENT,
                areas: &[#areas],
            };
    }
}

/// The end of `lib.rs`: the call of the runtime's macro that writes `Client`,
/// `ClientBuilder` and `RequestBuilder`, written as text: a printer lays a macro's
/// arguments out on one line.
pub fn client_macro(lib: &str, title: &str) -> String {
    let lib = proc_macro2::Literal::string(lib);
    // The title goes into the client's docs.
    let title = proc_macro2::Literal::string(&markdown::inline(title));
    format!(
        "\nazure_devops_runtime::__private::client! {{\n    lib: {lib},\n    title: {title},\n    \
         defaults: CLIENT,\n}}\n"
    )
}

/// What a crate of several areas adds after [`client_macro`]: the base URL of one area, to
/// read on `Client` and to set on `ClientBuilder`.
pub const CLIENT_AREAS_MACRO: &str = "\nazure_devops_runtime::__private::client_areas!();\n";

/// `src/lib.rs` of a crate of one spec: its items at the root.
pub fn single(api: &Api, runtime_version: &str) -> TokenStream {
    let docs = inner_docs(&format!(
        "{title}: a typed async client for the API, generated from its OpenAPI spec.\n\n\
         {description}\n\n\
         API version `{version}`; default base URL `{base}`.\n\n\
         # Operations\n\n\
         {operations}\n\n\
         # Usage\n\n\
         {USAGE}\n\n\
         Everything this crate does beyond its spec's models and operations is the runtime \
         crate `azure-devops-runtime` (generated for version {runtime_version}), whose public \
         API is re-exported here.",
        title = markdown::inline(&api.title),
        description = description(api),
        version = api.api_version,
        base = api.base_url,
        operations = operation_list(api),
    ));
    let attributes = crate_attributes(api.recursion_limit);
    let reexports = reexports(&[]);
    let operations = (!api.operations.is_empty()).then(|| {
        quote!(
            pub use operations::*;
        )
    });
    let base_url = &api.base_url;
    let user_agent = format!("{}/{}", api.package_name, api.crate_version);
    let module = &api.module_name;
    let client = client_defaults(quote!(AREA));
    quote! {
        #docs
        #attributes

        pub mod models;
        mod operations;

        #[cfg(feature = "mock")]
        pub mod mock;

        #reexports
        #operations

        /// The service's base URL, from the first server of the spec.
        pub const DEFAULT_BASE_URL: &str = #base_url;

        /// The `User-Agent` header this crate sends.
        pub const USER_AGENT: &str = #user_agent;

        /// The spec's area: where its operations go.
        const AREA: azure_devops_runtime::Area = azure_devops_runtime::Area::new(#module, DEFAULT_BASE_URL);

        #client
    }
}

/// The title of a crate of several areas: their titles (plain text, not Markdown).
pub fn areas_title(areas: &[Api]) -> String {
    let titles: Vec<&str> = areas.iter().map(|a| a.title.as_str()).collect();
    match titles.as_slice() {
        [] => "No areas".to_owned(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The default base URL of a crate of several areas: the one most of its areas have (the
/// first of them on a tie), so that most areas need no base URL of their own.
pub fn areas_base_url(areas: &[Api]) -> String {
    let mut best: Option<(&str, usize)> = None;
    for a in areas {
        let count = areas.iter().filter(|b| b.base_url == a.base_url).count();
        if best.is_none_or(|(_, n)| count > n) {
            best = Some((&a.base_url, count));
        }
    }
    best.map_or_else(String::new, |(url, _)| url.to_owned())
}

/// `src/lib.rs` of a crate of several areas: a module and a cargo feature per area.
pub fn several(krate: &CrateInfo, areas: &[Api]) -> TokenStream {
    let docs = several_docs(krate, areas);
    let base_url = areas_base_url(areas);
    let attributes = crate_attributes(areas.iter().filter_map(|a| a.recursion_limit).max());
    let modules = areas.iter().map(|a| {
        let module = area_module_name(a);
        let name = ident(module);
        quote! {
            #[cfg(feature = #module)]
            pub mod #name;
        }
    });
    let area_consts = areas.iter().map(|a| {
        let module = area_module_name(a);
        let name = ident(module);
        quote! {
            #[cfg(feature = #module)]
            #name::AREA,
        }
    });
    let reexports = reexports(&["Area"]);
    let user_agent = format!("{}/{}", krate.package_name, krate.crate_version);
    let client = client_defaults(quote!(#(#area_consts)*));
    quote! {
        #docs
        #attributes

        #(#modules)*

        #[cfg(feature = "mock")]
        pub mod mock;

        #reexports

        /// Where the requests of an area without a base URL of its own go: the default base
        /// URL most areas share.
        pub const DEFAULT_BASE_URL: &str = #base_url;

        /// The `User-Agent` header this crate sends.
        pub const USER_AGENT: &str = #user_agent;

        #client
    }
}

/// The module of an area in the crate.
fn area_module_name(api: &Api) -> &str {
    api.area.as_ref().map_or(&api.module_name, |p| &p.module)
}

/// The docs of a crate of areas: its areas (a table), their features and how one client
/// serves them all.
fn several_docs(krate: &CrateInfo, areas: &[Api]) -> TokenStream {
    let title = markdown::inline(&areas_title(areas));
    let example_area = areas
        .iter()
        .find(|a| !a.operations.is_empty())
        .unwrap_or(&areas[0]);
    let table: Vec<String> = areas
        .iter()
        .map(|a| {
            let module = area_module_name(a);
            format!(
                "| {title} | `{module}` | {ops} | `{base}` | `{version}` |",
                title = markdown::inline(&a.title),
                ops = a.operations.len(),
                base = a.base_url,
                version = a.api_version,
            )
        })
        .collect();
    let example_module = area_module_name(example_area);
    let features: Vec<String> = areas
        .iter()
        .map(|a| format!("\"{}\"", area_module_name(a)))
        .collect();
    inner_docs(&format!(
        "{title}: a typed async client for {n} areas of the API, generated from their OpenAPI \
         specs.\n\n\
         # Areas\n\n\
         Each area is a module and a cargo feature of the same name. No area is on by \
         default: a crate that uses some areas turns on their features and compiles only \
         those (the client, its credential, retries and throttle are the same for all):\n\n\
         ```toml\n\
         [dependencies]\n\
         {package} = {{ version = \"{version}\", features = [{features}] }}\n\
         ```\n\n\
         | area | feature | operations | default base URL | API version |\n\
         |---|---|---|---|---|\n\
         {table}\n\n\
         An area's module is in documentation built with its feature (`cargo doc \
         --all-features` has them all).\n\n\
         # Usage\n\n\
         {USAGE}\n\n\
         One client serves every area: its method named for the area returns the area's \
         operations (`client.{example_module}()` here), and every request, whatever its area, \
         shares the client's credential (one token, refreshed once), retry policy and \
         throttle (a `429` on one area holds back the requests of all: Azure DevOps limits \
         a user, not an area). Each area goes to its own default base URL \
         ([`Area::default_base_url`]); [`ClientBuilder::base_url`] sets one for every area \
         (an Azure DevOps Server, a test server) and [`ClientBuilder::area_base_url`] one \
         for an area.\n\n\
         Everything this crate does beyond its areas' models and operations is the runtime \
         crate `azure-devops-runtime` (generated for version {runtime}), whose public API is \
         re-exported here.",
        n = areas.len(),
        package = krate.package_name,
        version = krate.crate_version,
        features = features.join(", "),
        table = table.join("\n"),
        runtime = krate.runtime_version,
    ))
}

/// `src/{area}/mod.rs`: the area's docs, modules, `DEFAULT_BASE_URL` and `AREA`, and its
/// view of the client, which the client's method named for the area returns.
pub fn area_module(api: &Api) -> TokenStream {
    let Some(area) = &api.area else {
        return TokenStream::new();
    };
    let module = &area.module;
    let about = match api.description.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => labelled(&markdown::inline(&api.title), &sanitize(text)),
        _ => format!(
            "{}: the area's models and operations.",
            markdown::inline(&api.title)
        ),
    };
    let docs = inner_docs(&format!(
        "{about}\n\n\
         API version `{version}`; default base URL `{base}`. Needs the cargo feature \
         `{module}`.\n\n\
         # Operations\n\n\
         {operations}",
        version = api.api_version,
        base = api.base_url,
        operations = operation_list(api),
    ));
    let base_url = &api.base_url;
    let has_operations = !api.operations.is_empty();
    let operations = has_operations.then(|| {
        quote! {
            mod operations;

            #[cfg(feature = "mock")]
            pub mod mock;

            pub use operations::*;
        }
    });
    let view = has_operations.then(|| {
        let view = ident(&area.client_type);
        let accessor = ident(module);
        let view_docs = outer_docs(&format!(
            "The operations of the {} area, from [`Client::{module}`](crate::Client::{module}).",
            markdown::inline(&api.title)
        ));
        let accessor_docs = outer_docs(&format!(
            "The operations of the {} area (cargo feature `{module}`).",
            markdown::inline(&api.title)
        ));
        quote! {
            #view_docs
            #[derive(Debug, Clone, Copy)]
            pub struct #view<'a> {
                client: &'a crate::Client,
            }

            impl crate::Client {
                #accessor_docs
                pub fn #accessor(&self) -> #view<'_> {
                    #view { client: self }
                }
            }
        }
    });
    quote! {
        #docs

        pub mod models;
        #operations

        /// The base URL of the area's service, from the first server of its spec.
        pub const DEFAULT_BASE_URL: &str = #base_url;

        /// The area: where its operations go (see
        /// [`ClientBuilder::area_base_url`](crate::ClientBuilder::area_base_url)).
        pub const AREA: crate::Area = crate::Area::new(#module, DEFAULT_BASE_URL);

        #view
    }
}
