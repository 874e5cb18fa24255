//! `cargo xtask import`: a published description (Swagger 2.0 or OpenAPI 3.0) -> an
//! OpenAPI 3.0.3 YAML file that a maintainer keeps by hand from then on.
//!
//! Unlike `codegen`, which refuses every invalid description, import repairs the defect
//! classes known in Microsoft's published files, each with a warning at the node of the
//! file as written, and refuses anything else:
//!
//! | module | does |
//! |---|---|
//! | `mends` | the repairs: a duplicated `operationId`, a path parameter missing from its path |
//! | `dotnet` | schemas of .NET types the service writes otherwise: a `byte[]` (one base64 string), a generic `T` or Json.NET value (any JSON) |
//! | `examples` | `x-ms-examples` files -> OpenAPI 3 `examples` of parameters, request bodies and responses (a reference whose letter case differs from the file on disk is a repair) |
//! | `checks` | what must hold of the result besides its shape: `$ref`s resolve, path templates and path parameters agree |
//! | `select` | `--operation` / `--tag`: those operations, and every component they reach |
//! | `order` | the OpenAPI order of keys, for a reader |
//! | `printer` | the YAML text: block style, long descriptions folded, read back to prove it says the same |
//!
//! The pipeline: parse (and upgrade) -> operation ids mended -> select -> path parameters
//! mended -> shape checks (those of `codegen`'s loader) -> `checks` -> examples -> order ->
//! print. Nothing is written unless every step succeeds. With `--operation` / `--tag`, only
//! the part imported is checked and reported on (but the upgrade of a Swagger 2.0 file,
//! strict like `codegen`'s, reads it whole).

mod checks;
mod dotnet;
mod examples;
mod mends;
mod names;
mod order;
mod printer;
mod select;
mod swagger_mends;
#[cfg(test)]
mod tests;
mod versions;

use std::path::Path;

use serde_yaml::Value;

use crate::diagnostics::{Diagnostic, Diagnostics, Pointer};
use crate::load::Source;

/// What to import.
pub struct Options<'a> {
    /// How the description is named in messages.
    pub file: &'a str,
    pub text: &'a str,
    /// The directory the description's `x-ms-examples` references are relative to.
    pub base_dir: &'a Path,
    /// Import only these operations (by `operationId` as in the file) ...
    pub operations: &'a [String],
    /// ... and those with one of these tags; everything when both are empty.
    pub tags: &'a [String],
    /// The Cargo package name of the crate generated from the spec (`info.x-crate-name`);
    /// `None` leaves it to the title.
    pub crate_name: Option<&'a str>,
}

/// The imported spec.
#[derive(Debug)]
pub struct Imported {
    /// The OpenAPI 3.0.3 YAML text.
    pub yaml: String,
    /// One per repair, pointing into the description as written.
    pub warnings: Vec<Diagnostic>,
    /// What was carried over differently from how it was written, and why (an example
    /// of a response the operation declares no body for, ...).
    pub notes: Vec<Diagnostic>,
    pub operations: usize,
    pub schemas: usize,
    pub examples: usize,
    /// What codegen makes of the document `yaml` reads as (its problems not yet placed in
    /// a file), for [`Imported::codegen_check`].
    codegen: Result<(), Diagnostics>,
}

impl Imported {
    /// What `cargo xtask codegen --spec FILE` makes of the spec once saved as `file`, short
    /// of generating (reading and lowering it): its problems, pointing into the YAML text.
    pub fn codegen_check(&self, file: &str) -> Result<(), Diagnostics> {
        let Err(problems) = &self.codegen else {
            return Ok(());
        };
        Err(crate::load::place(file, &self.yaml, problems))
    }
}

/// Imports a description; every problem that refuses it, or the imported spec.
pub fn import(options: &Options<'_>) -> Result<Imported, Diagnostics> {
    let (
        crate::load::Parsed {
            mut document,
            source,
            original,
        },
        upgrade_mends,
    ) = crate::load::parse_mended(options.file, options.text, &mut swagger_mends::mend)?;
    let at = |found: Vec<Diagnostic>| -> Vec<Diagnostic> {
        found.into_iter().map(|d| source.place(d)).collect()
    };
    // Operation ids are mended over the whole description, so that an operation gets the
    // same name whatever part is imported; then only the part asked for is kept, and only
    // that part is checked, repaired and reported on.
    let renamed = mends::operation_ids(&mut document);
    let method_names = names::method_names(&mut document);
    select::part(
        &mut document,
        options.operations,
        options.tags,
        &renamed.original_ids,
    )
    .map_err(|findings| Diagnostics(at(findings)))?;
    let kept = |f: &Diagnostic| {
        let operation = f.pointer.rsplit_once('/').map_or("", |(op, _)| op);
        checks::resolve(&document, operation).is_some()
    };
    let mut warnings = upgrade_mends;
    warnings.extend(at(renamed.findings.into_iter().filter(kept).collect()));
    warnings.extend(at(method_names.into_iter().filter(kept).collect()));
    warnings.extend(at(mends::path_parameters(&mut document)));
    warnings.extend(at(names::crate_name(&mut document)));
    warnings.extend(at(names::array_items(&mut document)));
    warnings.extend(at(dotnet::types(&mut document)));
    warnings.extend(at(versions::api_version(&mut document)));
    if let Some(name) = options.crate_name
        && let Some(info) = document.get_mut("info").and_then(Value::as_mapping_mut)
    {
        info.insert(Value::from("x-crate-name"), Value::from(name));
    }
    // The shape of every node, as `codegen` reads it, then what must hold between nodes.
    let read = crate::load::read(&document, &source)?;
    refuse(at(checks::check(&document)))?;
    let files = examples::read_all(&document, options.base_dir);
    let body_names = |request_body: &str| body_name(&source, original.as_ref(), request_body);
    let carried = examples::carry_over(&mut document, options.base_dir, files, &body_names);
    warnings.extend(at(carried.repairs));
    refuse(at(carried.errors))?;
    let notes = at(carried.notes);
    order::canonical(&mut document);
    // What codegen will make of the spec is found by lowering what was read: the spec as
    // written but for its examples and its key order. Neither can change codegen's verdict:
    // an example codegen cannot replay is left out with a reason, never an error, and
    // reading does not see key order (nor do its problems' pointers, placed in the text
    // afterwards, move).
    let codegen = crate::lower::lower(&crate::load::Spec::unplaced(read)).map(drop);
    let yaml = printer::print(&document).map_err(|message| {
        Diagnostic::about_file(options.file, format!("internal error: {message}"))
    })?;
    Ok(Imported {
        yaml,
        warnings,
        notes,
        operations: operation_keys(&document).len(),
        schemas: document
            .get("components")
            .and_then(|c| c.get("schemas"))
            .and_then(Value::as_mapping)
            .map_or(0, serde_yaml::Mapping::len),
        examples: carried.count,
        codegen,
    })
}

fn refuse(errors: Vec<Diagnostic>) -> Result<(), Diagnostics> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Diagnostics(errors))
    }
}

/// The name the examples of the operation whose request body is at `request_body` give
/// its body under: the name of the Swagger 2.0 body parameter it came from, or `body`.
fn body_name(source: &Source, original: Option<&Value>, request_body: &str) -> String {
    let found = original.and_then(|doc| {
        let pointer = source.original(request_body);
        let mut node = doc;
        for token in pointer.split('/').skip(1) {
            let token = token.replace("~1", "/").replace("~0", "~");
            node = match node {
                Value::Mapping(m) => m.get(token.as_str())?,
                Value::Sequence(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        node.get("name")?.as_str().map(str::to_owned)
    });
    found.unwrap_or_else(|| "body".to_owned())
}

/// The methods of a path item that hold operations.
pub(crate) const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The sections of a document that hold path items: OpenAPI's, and AutoRest's second
/// one for paths with a query string.
pub(crate) const PATH_SECTIONS: &[&str] = &["paths", "x-ms-paths"];

/// Every operation: (section, path, method), in document order.
pub(crate) fn operation_keys(document: &Value) -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    for section in PATH_SECTIONS {
        let Some(paths) = document.get(*section).and_then(Value::as_mapping) else {
            continue;
        };
        for (path, item) in paths {
            let (Some(path), Some(item)) = (path.as_str(), item.as_mapping()) else {
                continue;
            };
            if path.starts_with("x-") {
                continue;
            }
            for (method, op) in item {
                if let Some(m) = method.as_str()
                    && METHODS.contains(&m)
                    && op.is_mapping()
                {
                    found.push(((*section).to_owned(), path.to_owned(), m.to_owned()));
                }
            }
        }
    }
    found
}

/// The pointer of an operation.
pub(crate) fn operation_pointer(section: &str, path: &str, method: &str) -> String {
    use crate::diagnostics::join;
    join(&join(&join("", section), path), method)
}

/// Calls `visit` on every mapping in `value`, outer ones first, with its pointer (made into
/// text only by a visit that reports something). Examples are data, not keywords (a `type`
/// there is a value): they are not entered.
pub(crate) fn each_mapping(
    value: &mut Value,
    visit: &mut dyn FnMut(&mut serde_yaml::Mapping, &Pointer<'_>),
) {
    walk_mappings(value, &Pointer::Root, visit);
}

fn walk_mappings(
    value: &mut Value,
    pointer: &Pointer<'_>,
    visit: &mut dyn FnMut(&mut serde_yaml::Mapping, &Pointer<'_>),
) {
    match value {
        Value::Mapping(map) => {
            visit(map, pointer);
            for (key, child) in map.iter_mut() {
                if let Some(key) = key.as_str().filter(|k| !k.contains("example")) {
                    walk_mappings(child, &pointer.key(key), visit);
                }
            }
        }
        Value::Sequence(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                walk_mappings(child, &pointer.index(i), visit);
            }
        }
        _ => {}
    }
}

/// A path's template: the path before any query string (`x-ms-paths` keys have one).
pub(crate) fn template(path: &str) -> &str {
    path.split('?').next().unwrap_or(path)
}
