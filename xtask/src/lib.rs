//! The generator behind `cargo xtask codegen`: an OpenAPI 3.0 spec plus `templates/` in,
//! the files of a Rust client crate out.
//!
//! Data flows one way: [`load`] (YAML -> `openapiv3`) -> [`lower`] (-> [`model`]) ->
//! [`emit`] (-> syntax trees) -> [`render`] (-> text), with [`templates`] filled alongside and
//! [`write`](mod@write) putting the result on disk. Only `main.rs` and [`write`](mod@write) touch the disk.

pub mod corpus;
pub mod diagnostics;
pub mod emit;
pub mod import;
mod keys;
mod layout;
pub mod load;
pub mod lower;
pub mod model;
pub mod names;
mod parallel;
pub mod render;
pub mod source_map;
mod swagger2;
pub mod synth;
pub mod templates;
pub mod vendored;
pub mod write;
pub mod yaml;

use diagnostics::{Diagnostic, Diagnostics};
use model::Api;
use templates::{Templates, Values};
pub use write::OutputFile;

/// What one generation produced.
#[derive(Debug)]
pub struct Generated {
    pub files: Vec<OutputFile>,
    pub operations: usize,
    pub types: usize,
    /// The examples replayed as tests (`tests/examples.rs`).
    pub examples: usize,
    /// The examples not replayed, one line each: `operationId` example `name`: why.
    pub skipped_examples: Vec<String>,
}

/// Runs the whole pipeline in memory. `spec_file` names the spec in messages and in the
/// preamble of every file (a path relative to the workspace root keeps output identical
/// wherever the workspace lives).
pub fn generate(
    spec_file: &str,
    spec_text: &str,
    templates: &Templates,
) -> Result<Generated, Diagnostics> {
    let spec = load::load(spec_file, spec_text)?;
    let api = lower::lower(&spec)?;
    // The document is not needed past lowering; free it before the memory-hungry steps.
    drop(spec);
    let values = placeholder_values(&api);
    let mut files = Vec::new();
    let mut diags = Diagnostics::default();

    let has_examples = api.has_examples();
    for t in &templates.files {
        // `templates/tests/` is the support of the example tests, for a crate that has them.
        if t.path.starts_with("tests/") && !has_examples {
            continue;
        }
        let template_file = format!("{}/{}", templates.dir_display, t.path);
        match templates::fill(templates, t, &values) {
            Ok(text) => {
                let comment = if t.path.ends_with(".rs") {
                    "//"
                } else if t.path.ends_with(".toml") {
                    "#"
                } else {
                    "<!--"
                };
                let mut preamble = render::preamble(comment, spec_file, Some(&template_file));
                if comment == "<!--" {
                    preamble = format!("{} -->\n", preamble.trim_end());
                }
                files.push(OutputFile {
                    path: t.path.clone(),
                    contents: format!("{preamble}{text}"),
                });
            }
            Err(d) => diags.push(d),
        }
    }

    // Syntax trees are freed as they are printed (those of a large spec are many times the
    // size of its text), in runs of items on every core.
    let preamble = render::preamble("//", spec_file, None);
    let cx = emit::Context::new(&api);
    // The three files at once: each is printed in runs on every core when large, but a
    // small spec's files are each a single run, and then side by side is what keeps every
    // core busy.
    #[derive(Clone, Copy)]
    enum Emitted {
        Models,
        Operations,
        Examples,
    }
    const EMITTED: [(Emitted, &str); 3] = [
        (Emitted::Models, "src/models.rs"),
        (Emitted::Operations, "src/operations.rs"),
        (Emitted::Examples, "tests/examples.rs"),
    ];
    // `None`: the file is not part of this crate (a spec without examples).
    let printed = parallel::map(&EMITTED, parallel::threads(), |&(file, path)| match file {
        Emitted::Models => models_file(&api, &cx, &preamble).map(Some),
        Emitted::Operations => operations_file(&api, &cx, &preamble).map(Some),
        Emitted::Examples => emit::examples::file(&api)
            .map(|tokens| render::source(tokens, path, &preamble))
            .transpose(),
    })
    .unwrap_or_else(|| {
        vec![Err(Diagnostic {
            file: spec_file.to_owned(),
            pointer: String::new(),
            line_col: None,
            message: "internal error: a file was not printed".into(),
        })]
    });
    for ((_, path), result) in EMITTED.iter().zip(printed) {
        match result {
            Ok(Some(contents)) => files.push(OutputFile {
                path: (*path).to_owned(),
                contents,
            }),
            Ok(None) => {}
            Err(d) => diags.push(d),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let expected = ["Cargo.toml", "src/lib.rs"];
    for e in expected {
        if !files.iter().any(|f| f.path == e) {
            diags.push(Diagnostic {
                file: templates.dir_display.clone(),
                pointer: String::new(),
                line_col: None,
                message: format!("templates must include {e}"),
            });
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Generated {
        files,
        operations: api.operations.len(),
        types: api.types.len(),
        examples: api.operations.iter().map(|o| o.examples.len()).sum(),
        skipped_examples: api
            .operations
            .iter()
            .flat_map(|o| {
                o.skipped_examples
                    .iter()
                    .map(|s| format!("`{}` example `{}`: {}", o.id, s.name, s.reason))
            })
            .collect(),
    })
}

/// Below this many items a file is printed on the calling thread: starting threads would
/// cost more than it saves.
const PARALLEL_MIN_ITEMS: usize = 64;

/// Most items emitted at once: the syntax trees of a run are alive until it is printed,
/// and they take several times the size of their text (for 1,000 operations, runs of an
/// eighth of the spec peaked 25 MB higher than runs of 16).
const RUN_MAX: usize = 16;

/// `models.rs`: the header, then each type's items.
fn models_file(api: &Api, cx: &emit::Context, preamble: &str) -> Result<String, Diagnostic> {
    const WHAT: &str = "src/models.rs";
    let header = render::source(emit::models::header(api, cx), WHAT, preamble)?;
    let types = render_in_parallel(WHAT, &api.types, |types| {
        emit::models::items(api, cx, types)
    })?;
    Ok(render::join(header, [types]))
}

/// `operations.rs`: the header, the operations' methods in `impl Client` blocks, then each
/// operation's items.
fn operations_file(api: &Api, cx: &emit::Context, preamble: &str) -> Result<String, Diagnostic> {
    const WHAT: &str = "src/operations.rs";
    let header = render::source(emit::operations::header(api, cx), WHAT, preamble)?;
    let blocks: Vec<&[model::Operation]> = api
        .operations
        .chunks(emit::operations::METHODS_PER_BLOCK)
        .collect();
    // A block holds many operations: worth a thread of its own from the second one.
    let methods = render_in_parallel_from(2, WHAT, &blocks, |blocks| {
        blocks
            .iter()
            .map(|ops| emit::operations::methods(api, cx, ops))
            .collect()
    })?;
    let items = render_in_parallel(WHAT, &api.operations, |ops| {
        emit::operations::items(api, cx, ops)
    })?;
    Ok(render::join(header, [methods, items]))
}

/// Prints the items that `emit` makes of `all`, split into runs on every core, and returns
/// the runs' texts in order. Syntax trees are not `Send` (their identifiers may belong to a
/// proc-macro context), so each thread emits its own run from the model; joined in order,
/// the runs give the same text as printing everything at once.
fn render_in_parallel<T: Sync>(
    what: &str,
    all: &[T],
    emit: impl Fn(&[T]) -> Vec<syn::Item> + Sync,
) -> Result<Vec<String>, Diagnostic> {
    render_in_parallel_from(PARALLEL_MIN_ITEMS, what, all, emit)
}

/// [`render_in_parallel`] for elements that are each worth a thread from `min` of them.
fn render_in_parallel_from<T: Sync>(
    min: usize,
    what: &str,
    all: &[T],
    emit: impl Fn(&[T]) -> Vec<syn::Item> + Sync,
) -> Result<Vec<String>, Diagnostic> {
    let threads = parallel::threads();
    if threads < 2 || all.len() < min {
        return all
            .chunks(RUN_MAX)
            .map(|run| render::items(emit(run), what))
            .collect();
    }
    // More runs than threads evens out items of different sizes.
    let run = all.len().div_ceil(threads * 4).min(RUN_MAX);
    let runs: Vec<&[T]> = all.chunks(run).collect();
    parallel::map(&runs, threads, |items| render::items(emit(items), what))
        .ok_or_else(|| Diagnostic {
            file: what.to_owned(),
            pointer: String::new(),
            line_col: None,
            message: "internal error: a rendering task gave no result".into(),
        })?
        .into_iter()
        .collect()
}

/// The `{{name}}` values templates may use.
fn placeholder_values(api: &Api) -> Values {
    let mut v = Values::new();
    v.insert("package_name", api.package_name.clone());
    v.insert("lib_name", api.lib_name.clone());
    v.insert("crate_version", api.crate_version.clone());
    v.insert("uses_patterns", api.uses_patterns().to_string());
    v.insert("has_examples", api.has_examples().to_string());
    // rustc's drop check walks a model as deep as it nests, up to the recursion limit (128
    // by default): a deeper spec raises it.
    v.insert("deep_models", api.recursion_limit.is_some().to_string());
    let has_operations = !api.operations.is_empty();
    v.insert("has_operations", has_operations.to_string());
    v.insert("models_only", (!has_operations).to_string());
    v.insert(
        "recursion_limit",
        api.recursion_limit.unwrap_or(128).to_string(),
    );
    v.insert("title", api.title.clone());
    let description = api
        .description
        .clone()
        .unwrap_or_else(|| format!("Client for {}.", api.title));
    v.insert(
        "description",
        description.split_whitespace().collect::<Vec<_>>().join(" "),
    );
    v.insert("description_doc", emit::docs::sanitize(description.trim()));
    v.insert("api_version", api.api_version.clone());
    v.insert("base_url", api.base_url.clone());
    v.insert(
        "user_agent",
        format!("{}/{}", api.package_name, api.crate_version),
    );
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
            let summary = emit::docs::sanitize(summary.lines().next().unwrap_or_default());
            // Without a summary, `- [`x`]:` would be read as a link definition.
            if summary.is_empty() {
                format!("- [`Client::{}`] (`{}`)", op.fn_name, op.id)
            } else {
                format!("- [`Client::{}`]: {summary} (`{}`)", op.fn_name, op.id)
            }
        })
        .collect();
    // A spec of models only (Microsoft's `artifacts/7.1/sbom.json`) still has a section
    // that says so, rather than an empty one.
    let list = if ops.is_empty() {
        "The spec declares no operations: this crate holds its models, and a [`Client`] \
         without methods."
            .to_owned()
    } else {
        ops.join("\n")
    };
    v.insert("operations", list);
    v
}

#[cfg(test)]
mod parallel_tests {
    use super::*;

    /// Printing in runs on several threads gives exactly the text of printing at once. The
    /// serial side also goes through tokens and syn's parser, so the syntax trees the
    /// emitters build are the ones their code parses into (prettyplease prints what it is
    /// given: a tree no parse would give could print differently).
    #[test]
    fn parallel_rendering_equals_serial_rendering() {
        let text = synth::synthetic_spec(PARALLEL_MIN_ITEMS + 7);
        let spec = load::load("synthetic.yaml", &text).expect("loads");
        let api = lower::lower(&spec).expect("lowers");
        assert!(
            api.types.len() >= PARALLEL_MIN_ITEMS && api.operations.len() >= PARALLEL_MIN_ITEMS
        );
        let preamble = "// p\n";
        let cx = emit::Context::new(&api);
        let serial = render::rust(
            &render::tokens(emit::models::emit(&api, &cx), "m").expect("parses"),
            preamble,
        );
        assert_eq!(models_file(&api, &cx, preamble).expect("renders"), serial);
        let serial = render::rust(
            &render::tokens(emit::operations::emit(&api, &cx), "o").expect("parses"),
            preamble,
        );
        assert_eq!(
            operations_file(&api, &cx, preamble).expect("renders"),
            serial
        );
        // Below the parallel threshold: printed on this thread, still in runs.
        let few = &api.types[..PARALLEL_MIN_ITEMS - 1];
        assert!(few.len() > RUN_MAX);
        let in_runs =
            render_in_parallel("m", few, |t| emit::models::items(&api, &cx, t)).expect("renders");
        let header =
            render::source(emit::models::header(&api, &cx), "m", preamble).expect("header");
        let mut whole = emit::models::header(&api, &cx);
        for item in emit::models::items(&api, &cx, few) {
            quote::ToTokens::to_tokens(&item, &mut whole);
        }
        let at_once = render::rust(&render::tokens(whole, "m").expect("parses"), preamble);
        assert_eq!(render::join(header, [in_runs]), at_once);
    }
}
