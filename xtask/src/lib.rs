//! The generator behind `cargo xtask codegen`: an OpenAPI 3.0 spec plus `templates/` in,
//! the files of a Rust client crate out.
//!
//! Data flows one way: [`load`] (YAML -> `openapiv3`) -> [`lower`] (-> [`model`]) ->
//! [`emit`] (-> syntax trees) -> [`render`] (-> text), with [`templates`] filled alongside and
//! [`write`](mod@write) putting the result on disk. Only `main.rs` and [`write`](mod@write) touch the disk.

pub mod diagnostics;
pub mod emit;
mod keys;
pub mod load;
pub mod lower;
pub mod model;
pub mod names;
mod parallel;
pub mod render;
pub mod source_map;
pub mod synth;
pub mod templates;
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

    for t in &templates.files {
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
    let defaults = emit::models::Context::new(&api);
    let models = render_in_parallel(
        "src/models.rs",
        &preamble,
        emit::models::header(&api),
        &api.types,
        |types| emit::models::items(&api, &defaults, types),
    );
    let operations = render_in_parallel(
        "src/operations.rs",
        &preamble,
        emit::operations::header(&api),
        &api.operations,
        |ops| emit::operations::items(&api, ops),
    );
    for (path, result) in [("src/models.rs", models), ("src/operations.rs", operations)] {
        match result {
            Ok(contents) => files.push(OutputFile {
                path: path.to_owned(),
                contents,
            }),
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
    })
}

/// Below this many items a file is printed on the calling thread: starting threads would
/// cost more than it saves.
const PARALLEL_MIN_ITEMS: usize = 64;

/// Most items emitted at once: the syntax trees of a run are alive until it is printed,
/// and they take several times the size of their text (for 1,000 operations, runs of an
/// eighth of the spec peaked 25 MB higher than runs of 16).
const RUN_MAX: usize = 16;

/// Prints `header` and then the items that `emit` makes of `all`, split into one run per
/// core. Syntax trees are not `Send` (their identifiers may belong to a proc-macro
/// context), so each thread emits its own run from the model;
/// the runs are joined in order, giving the same text as printing everything at once.
fn render_in_parallel<T: Sync>(
    what: &str,
    preamble: &str,
    header: proc_macro2::TokenStream,
    all: &[T],
    emit: impl Fn(&[T]) -> Vec<syn::Item> + Sync,
) -> Result<String, Diagnostic> {
    let mut out = render::source(header, what, preamble)?;
    let threads = parallel::threads();
    if threads < 2 || all.len() < PARALLEL_MIN_ITEMS {
        for run in all.chunks(RUN_MAX) {
            out.push_str(&render::items(emit(run), what)?);
        }
        return Ok(out);
    }
    // More runs than threads evens out items of different sizes.
    let run = all.len().div_ceil(threads * 4).min(RUN_MAX);
    let runs: Vec<&[T]> = all.chunks(run).collect();
    let pieces = parallel::map(&runs, threads, |items| render::items(emit(items), what))
        .ok_or_else(|| Diagnostic {
            file: what.to_owned(),
            pointer: String::new(),
            line_col: None,
            message: "internal error: a rendering task gave no result".into(),
        })?;
    for piece in pieces {
        out.push_str(&piece?);
    }
    Ok(out)
}

/// The `{{name}}` values templates may use.
fn placeholder_values(api: &Api) -> Values {
    let mut v = Values::new();
    v.insert("package_name", api.package_name.clone());
    v.insert("lib_name", api.lib_name.clone());
    v.insert("crate_version", api.crate_version.clone());
    v.insert("uses_patterns", api.uses_patterns().to_string());
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
            format!("- [`Client::{}`]: {summary} (`{}`)", op.fn_name, op.id)
        })
        .collect();
    // `lower` rejects a spec without operations.
    v.insert("operations", ops.join("\n"));
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
        let defaults = emit::models::Context::new(&api);
        let parallel =
            render_in_parallel("m", preamble, emit::models::header(&api), &api.types, |t| {
                emit::models::items(&api, &defaults, t)
            })
            .expect("renders");
        let serial = render::rust(
            &render::tokens(emit::models::emit(&api), "m").expect("parses"),
            preamble,
        );
        assert_eq!(parallel, serial);
        let parallel = render_in_parallel(
            "o",
            preamble,
            emit::operations::header(&api),
            &api.operations,
            |o| emit::operations::items(&api, o),
        )
        .expect("renders");
        let serial = render::rust(
            &render::tokens(emit::operations::emit(&api), "o").expect("parses"),
            preamble,
        );
        assert_eq!(parallel, serial);
        // Below the parallel threshold: printed on this thread, still in runs.
        let few = &api.types[..PARALLEL_MIN_ITEMS - 1];
        assert!(few.len() > RUN_MAX);
        let in_runs = render_in_parallel("m", preamble, emit::models::header(&api), few, |t| {
            emit::models::items(&api, &defaults, t)
        })
        .expect("renders");
        let mut whole = emit::models::header(&api);
        for item in emit::models::items(&api, &defaults, few) {
            quote::ToTokens::to_tokens(&item, &mut whole);
        }
        let at_once = render::rust(&render::tokens(whole, "m").expect("parses"), preamble);
        assert_eq!(in_runs, at_once);
    }
}
