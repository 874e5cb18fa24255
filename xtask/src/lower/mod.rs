//! OpenAPI document -> intermediate model ([`crate::model`]): naming, `$ref` resolution and
//! every "not supported / invalid" error.
//!
//! Every problem is reported at the JSON pointer of its node and lowering goes on, so that
//! one run reports all of them (see `errors`). Anything the generator cannot represent
//! faithfully is an error, never skipped.
//!
//! One module per concept:
//!
//! | module | lowers |
//! |---|---|
//! | `info` | the crate's name, version and base URL (`info`, `servers`) |
//! | `schemas` | component and inline schemas into named types and `TypeRef`s |
//! | `enums` | string enums, typed or not, and `x-ms-enum` (shared names, value docs) |
//! | `objects` | the properties of object schemas (and of `allOf` parts) into fields |
//! | `types` | the registry of named types: their order and where each name came from |
//! | `cycles` | recursion: boxing fields that would make a type contain itself, alias loops |
//! | `refs` | `$ref`s to components (`#/components/{kind}/NAME`) |
//! | `operations` | operations and their method and builder names |
//! | `params` | parameters (path, query, header; constants such as `api-version`) |
//! | `paths` | path templates (`/items/{id}`) and their parameters |
//! | `bodies` | request bodies and content types |
//! | `responses` | success responses, response enums, documented errors |
//! | `paging` | which operations page by continuation token, and how |
//! | `examples` | the examples of an operation's parts, paired by name into tests to replay |

mod bodies;
mod cycles;
mod enums;
mod errors;
mod examples;
mod headers;
mod info;
mod objects;
mod operations;
mod paging;
mod params;
mod paths;
mod refs;
mod responses;
mod schemas;
#[cfg(test)]
pub(crate) mod tests;
mod types;

use std::collections::HashMap;

use indexmap::IndexMap;
use openapiv3::{OpenAPI, PathItem, ReferenceOr};

use crate::diagnostics::Diagnostics;
use crate::load::Spec;
use crate::model::{self, Api};
use crate::names;
use errors::Errors;
use types::Types;

/// What a spec becomes: a crate of its own, or one area of a crate of several.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The crate's items are the spec's, at its root.
    Crate,
    /// The spec's items go in a module of their own (its name must then be usable).
    Area,
}

/// Lowers a loaded spec into the model of the crate to generate.
pub fn lower(spec: &Spec) -> Result<Api, Diagnostics> {
    lower_as(spec, Role::Crate)
}

/// Lowers a loaded spec into the model of the crate, or of one area of a crate of several.
pub fn lower_as(spec: &Spec, role: Role) -> Result<Api, Diagnostics> {
    let mut errs = Errors::new(spec);
    let ms_paths = operations::ms_paths(&spec.document, &mut errs);
    let mut cx = Lowerer {
        doc: &spec.document,
        ms_paths: &ms_paths,
        errs,
        types: Types::default(),
        names: names::Cache::default(),
        op_type_origins: HashMap::new(),
        shared_enums: HashMap::new(),
        inline_types: HashMap::new(),
    };
    let info = info::crate_info(cx.doc, role, &mut cx.errs);
    cx.components();
    let operations = cx.operations();
    cycles::box_recursive_fields(cx.types.list_mut());
    for name in cycles::recursive_aliases(cx.types.list()) {
        let pointer = cx.types.origin(&name).unwrap_or_default().to_owned();
        cx.errs.report(
            &pointer,
            format!("cyclic $ref: `{name}` is defined in terms of itself with no object schema in between"),
        );
    }
    let doc = cx.doc;
    let (types, type_index) = cx.types.into_parts();
    let mut api = Api {
        lib_name: info.package_name.replace('-', "_"),
        package_name: info.package_name,
        crate_version: info.crate_version,
        title: doc.info.title.clone(),
        description: doc.info.description.clone(),
        api_version: doc.info.version.clone(),
        base_url: info.base_url,
        operations,
        type_index,
        types,
        recursion_limit: None,
        module_name: info.module_name,
        area: None,
    };
    api.recursion_limit = Api::recursion_limit_for(api.nesting_depth());
    paging::detect(&mut api);
    cx.errs.finish(api)
}

/// What lowering carries from one node to the next.
struct Lowerer<'a> {
    doc: &'a OpenAPI,
    /// The path items of `x-ms-paths` (Microsoft's extension for operations told apart by
    /// their query), read from the document's extensions.
    ms_paths: &'a IndexMap<String, ReferenceOr<PathItem>>,
    errs: Errors<'a>,
    types: Types,
    names: names::Cache,
    /// Names of `operations.rs` (request builders, response enums) -> what defined them.
    op_type_origins: HashMap<String, String>,
    /// Enums named by `x-ms-enum`, by Rust name: defined once, shared after.
    shared_enums: HashMap<String, enums::SharedEnum>,
    /// The named types of inline schemas, by pointer: a schema reached twice is one type.
    inline_types: HashMap<String, model::TypeRef>,
}
