//! The generator behind `cargo xtask codegen`: OpenAPI 3.0 specs in, the files of a Rust
//! client crate out, a crate that depends on the runtime crate (`runtime/`) for everything
//! that does not come from its specs.
//!
//! Data flows one way: [`load`] (YAML -> `openapiv3`) -> [`lower`] (-> [`model`]) ->
//! [`emit`] (-> syntax trees, and the manifest's text) -> [`render`] (-> text), and
//! [`write`](mod@write) puts the result on disk. Only `main.rs` and [`write`](mod@write)
//! touch the disk.

pub mod corpus;
pub mod diagnostics;
pub mod emit;
pub mod import;
pub mod jobs;
mod keys;
mod layout;
pub mod load;
pub mod lower;
pub mod model;
pub mod names;
pub mod render;
pub mod source_map;
mod swagger2;
pub mod synth;
pub mod vendored;
pub mod write;
mod yaml;

use diagnostics::{Diagnostic, Diagnostics};
use emit::crate_root::{self, CrateInfo};
use emit::manifest::{self, AreaFeature, Manifest, RuntimeDependency};
use model::{Api, AreaPlace};
pub use write::OutputFile;

/// What one generation produced.
#[derive(Debug)]
pub struct Generated {
    pub files: Vec<OutputFile>,
    pub operations: usize,
    pub types: usize,
    /// The examples checked by tests (`tests/examples*.rs`): replayed, or decoded only.
    pub examples: usize,
    /// The examples not checked at all, one line each: `operationId` example `name`: why.
    pub skipped_examples: Vec<String>,
}

/// One spec of a crate: the file as the user named it (a path relative to the workspace
/// root keeps output identical wherever the workspace lives) and its text.
#[derive(Debug, Clone, Copy)]
pub struct SpecInput<'a> {
    pub file: &'a str,
    pub text: &'a str,
}

/// What a crate of several specs is called.
#[derive(Debug, Clone)]
pub struct CrateOptions {
    /// Cargo package name.
    pub package_name: String,
    /// Version of the generated crate.
    pub version: String,
    /// How the specs are named in the preamble of the crate's own files, e.g.
    /// `tests/fixtures/areas/*.yaml`.
    pub specs_display: String,
}

/// Runs the whole pipeline in memory for a crate of one spec: its items at the crate's
/// root. `spec_file` names the spec in messages and in the preamble of every file.
pub fn generate(
    spec_file: &str,
    spec_text: &str,
    runtime: &RuntimeDependency,
) -> Result<Generated, Diagnostics> {
    let spec = load::load(spec_file, spec_text)?;
    let api = lower::lower(&spec)?;
    // The document is not needed past lowering; free it before the memory-hungry steps.
    drop(spec);
    let preamble = render::preamble("//", spec_file);
    let mut files = spec_files(&api, &preamble, "src", "tests/examples.rs")?;
    let lib = render::source(
        crate_root::single(&api, manifest::runtime_version()),
        "src/lib.rs",
        &preamble,
    )? + &crate_root::client_macro(&api.lib_name, &api.title);
    files.push(OutputFile {
        path: "src/lib.rs".to_owned(),
        contents: lib,
    });
    let has_examples = api.has_examples();
    let toml = manifest::manifest(&Manifest {
        package_name: &api.package_name,
        lib_name: &api.lib_name,
        version: &api.crate_version,
        description: &one_line(api.description.as_deref(), &api.title),
        areas: Vec::new(),
        uses_patterns: api.uses_patterns(),
        has_examples,
        runtime,
        sources: files.iter().map(|f| f.contents.as_str()).collect(),
    });
    files.push(OutputFile {
        path: "Cargo.toml".to_owned(),
        contents: format!("{}{toml}", render::preamble("#", spec_file)),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(generated(files, std::slice::from_ref(&api)))
}

/// Runs the whole pipeline in memory for a crate of several specs, one area each: a
/// module and a cargo feature per area, one `Client` for all. Every problem of every spec
/// is reported, each in its own file.
pub fn generate_areas(
    krate: &CrateOptions,
    specs: &[SpecInput<'_>],
    runtime: &RuntimeDependency,
) -> Result<Generated, Diagnostics> {
    let lib_name = krate.package_name.replace('-', "_");
    let loaded = load_areas(krate, specs, &lib_name)?;
    let mut diags = Diagnostics::default();
    let mut files = Vec::new();
    let mut features = Vec::new();
    let mut apis = Vec::new();
    for (spec, api) in loaded {
        let preamble = render::preamble("//", &spec.file);
        // The document is not needed past lowering.
        drop(spec);
        match area_files(&api, &preamble) {
            Ok(more) => files.extend(more),
            Err(d) => diags.0.extend(d.0),
        }
        features.push(area_feature(&api));
        apis.push(api);
    }
    let info = CrateInfo {
        package_name: krate.package_name.clone(),
        lib_name,
        crate_version: krate.version.clone(),
        runtime_version: manifest::runtime_version().to_owned(),
    };
    let preamble = render::preamble("//", &krate.specs_display);
    match areas_root_files(&info, &apis, &preamble) {
        Ok(more) => files.extend(more),
        Err(d) => diags.0.extend(d.0),
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let description = format!(
        "A client of {} areas of the API: {}.",
        apis.len(),
        crate_root::areas_title(&apis)
    );
    let toml = manifest::manifest(&Manifest {
        package_name: &info.package_name,
        lib_name: &info.lib_name,
        version: &info.crate_version,
        description: &description,
        areas: features,
        uses_patterns: false,
        has_examples: apis.iter().any(Api::has_examples),
        runtime,
        sources: files.iter().map(|f| f.contents.as_str()).collect(),
    });
    files.push(OutputFile {
        path: "Cargo.toml".to_owned(),
        contents: format!("{}{toml}", render::preamble("#", &krate.specs_display)),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(generated(files, &apis))
}

/// Every spec loaded and lowered as an area, and placed in the crate (its module, its
/// view type); every problem of every spec, or the areas.
fn load_areas(
    krate: &CrateOptions,
    specs: &[SpecInput<'_>],
    lib_name: &str,
) -> Result<Vec<(load::Spec, Api)>, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut loaded = Vec::new();
    for input in specs {
        match load::load(input.file, input.text)
            .and_then(|spec| lower::lower_as(&spec, lower::Role::Area).map(|api| (spec, api)))
        {
            Ok(pair) => loaded.push(pair),
            Err(d) => diags.0.extend(d.0),
        }
    }
    if loaded.is_empty() && diags.is_empty() {
        return Err(Diagnostic::about_file(
            &krate.specs_display,
            "a crate of several areas needs at least one spec",
        )
        .into());
    }
    // The specs that lowered are placed even when others did not: every problem at once.
    place_areas(&mut loaded, lib_name, &mut diags);
    if diags.is_empty() {
        Ok(loaded)
    } else {
        Err(diags)
    }
}

/// The module of an area: its models, operations, mock and example tests, and its
/// `mod.rs`.
fn area_files(api: &Api, preamble: &str) -> Result<Vec<OutputFile>, Diagnostics> {
    let module = api
        .area
        .as_ref()
        .map(|a| a.module.clone())
        .unwrap_or_default();
    let mut files = spec_files(
        api,
        preamble,
        &format!("src/{module}"),
        &format!("tests/examples_{module}.rs"),
    )?;
    let path = format!("src/{module}/mod.rs");
    let contents = render::source(crate_root::area_module(api), &path, preamble)?;
    files.push(OutputFile { path, contents });
    Ok(files)
}

/// The cargo feature of an area, with what it holds.
fn area_feature(api: &Api) -> AreaFeature {
    AreaFeature {
        name: api
            .area
            .as_ref()
            .map(|a| a.module.clone())
            .unwrap_or_default(),
        comment: format!(
            "{} ({} operations, {} types; API version {})",
            api.title,
            api.operations.len(),
            api.types.len(),
            api.api_version
        ),
        uses_patterns: api.uses_patterns(),
    }
}

/// The root of a crate of areas: `src/lib.rs` (its docs, modules and the client's
/// macros) and `src/mock.rs` (the tables of every area).
fn areas_root_files(
    info: &CrateInfo,
    apis: &[Api],
    preamble: &str,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let lib = render::source(crate_root::several(info, apis), "src/lib.rs", preamble);
    let mock = render::source(emit::mock::areas_root(), "src/mock.rs", preamble);
    match (lib, mock) {
        (Ok(lib), Ok(mock)) => Ok(vec![
            OutputFile {
                path: "src/lib.rs".to_owned(),
                contents: lib
                    + &crate_root::client_macro(&info.lib_name, &crate_root::areas_title(apis))
                    + crate_root::CLIENT_AREAS_MACRO,
            },
            OutputFile {
                path: "src/mock.rs".to_owned(),
                contents: mock
                    + &emit::mock::macro_call(&info.lib_name, &emit::mock::area_tables(apis)),
            },
        ]),
        (lib, mock) => Err(Diagnostics(
            lib.err().into_iter().chain(mock.err()).collect(),
        )),
    }
}

/// Gives each area its module (the name its spec asks for, which must be unique in the
/// crate) and its view type; the specs are in the order given, the areas sorted by module.
fn place_areas(loaded: &mut [(load::Spec, Api)], lib_name: &str, diags: &mut Diagnostics) {
    loaded.sort_by(|a, b| a.1.module_name.cmp(&b.1.module_name));
    for i in 0..loaded.len() {
        let (spec, api) = &loaded[i];
        let module = api.module_name.clone();
        let pointer = if spec.document.info.extensions.contains_key("x-module-name") {
            "/info/x-module-name"
        } else {
            "/info/title"
        };
        if let Some((other, _)) = loaded[..i].iter().find(|(_, a)| a.module_name == module) {
            diags.push(spec.error(
                pointer,
                format!(
                    "the module `{module}` is also the module of {}: two areas of one crate \
                     need different modules (set x-module-name in one of them)",
                    other.file
                ),
            ));
            continue;
        }
        let client_type = format!(
            "{}Client",
            names::pascal(&module).unwrap_or_else(|| "Area".to_owned())
        );
        if let Some(op) = api.operations.iter().find(|op| {
            [&op.builder_name, &op.params_name].contains(&&client_type)
                || op.responses.enum_name.as_deref() == Some(client_type.as_str())
                || op.responses.headers_name.as_deref() == Some(client_type.as_str())
        }) {
            diags.push(spec.error(
                pointer,
                format!(
                    "the operation `{}` has a type named `{client_type}`, which is the area's \
                     view of the client: set x-module-name (or the operation's x-method-name)",
                    op.id
                ),
            ));
            continue;
        }
        let api = &mut loaded[i].1;
        api.lib_name = lib_name.to_owned();
        api.area = Some(AreaPlace {
            module,
            client_type,
        });
    }
}

/// A description on one line, for the manifest.
fn one_line(description: Option<&str>, title: &str) -> String {
    match description.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => d.split_whitespace().collect::<Vec<_>>().join(" "),
        None => format!("Client for {title}."),
    }
}

/// The counts of what was generated.
fn generated(files: Vec<OutputFile>, apis: &[Api]) -> Generated {
    Generated {
        files,
        operations: apis.iter().map(|a| a.operations.len()).sum(),
        types: apis.iter().map(|a| a.types.len()).sum(),
        examples: apis
            .iter()
            .flat_map(|a| &a.operations)
            .map(|o| o.examples.len())
            .sum(),
        skipped_examples: apis
            .iter()
            .flat_map(|a| &a.operations)
            .flat_map(|o| {
                o.skipped_examples
                    .iter()
                    .map(|s| format!("`{}` example `{}`: {}", o.id, s.name, s.reason))
            })
            .collect(),
    }
}

/// The files of one spec's models and operations (`{dir}/models.rs`, `{dir}/operations.rs`),
/// its mock (`{dir}/mock.rs`) and its example tests (`examples`), when it has any.
fn spec_files(
    api: &Api,
    preamble: &str,
    dir: &str,
    examples: &str,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let cx = emit::Context::new(api);
    // An area without operations has no `operations.rs` (its module says so).
    let skip_operations = api.area.is_some() && api.operations.is_empty();
    let mut printed = vec![(
        format!("{dir}/models.rs"),
        models_file(api, &cx, preamble).map(Some),
    )];
    if !skip_operations {
        printed.push((
            format!("{dir}/operations.rs"),
            operations_file(api, &cx, preamble).map(Some),
        ));
        printed.push((
            format!("{dir}/mock.rs"),
            mock_file(api, &cx, preamble).map(Some),
        ));
    }
    // `None`: a spec without examples has no example tests.
    printed.push((
        examples.to_owned(),
        emit::examples::file(api)
            .map(|tokens| render::source(tokens, examples, preamble))
            .transpose(),
    ));
    let mut files = Vec::new();
    let mut diags = Diagnostics::default();
    for (path, result) in printed {
        match result {
            Ok(Some(contents)) => files.push(OutputFile { path, contents }),
            Ok(None) => {}
            Err(d) => diags.push(d),
        }
    }
    if diags.is_empty() {
        Ok(files)
    } else {
        Err(diags)
    }
}

/// `mock.rs`: the header with the table of the operations, the server's methods in blocks
/// as `operations.rs` has them, then each operation's items.
fn mock_file(api: &Api, cx: &emit::Context, preamble: &str) -> Result<String, Diagnostic> {
    const WHAT: &str = "src/mock.rs";
    let mut header = render::source(emit::mock::header(api), WHAT, preamble)?;
    if api.area.is_none() {
        header += &emit::mock::macro_call(&api.lib_name, &emit::mock::single_tables());
    }
    let table = render::items(vec![emit::mock::table(api)], WHAT)?;
    let blocks = method_blocks(api);
    let methods = render_in_runs(WHAT, &blocks, |blocks| {
        blocks
            .iter()
            .map(|ops| emit::mock::methods(api, ops))
            .collect()
    })?;
    let items = render_in_runs(WHAT, &api.operations, |ops| emit::mock::items(api, cx, ops))?;
    Ok(render::join(header, [vec![table], methods, items]))
}

/// Most items emitted at once: the syntax trees of a run are alive until it is printed,
/// and they take several times the size of their text (for 1,000 operations, runs of an
/// eighth of the spec peaked 25 MB higher than runs of 16).
const RUN_MAX: usize = 16;

/// The operations in runs of `METHODS_PER_BLOCK`, one `impl` block of methods each (on
/// `Client` and on the mock server alike).
fn method_blocks(api: &Api) -> Vec<&[model::Operation]> {
    api.operations
        .chunks(emit::operations::METHODS_PER_BLOCK)
        .collect()
}

/// `models.rs`: the header, then each type's items.
fn models_file(api: &Api, cx: &emit::Context, preamble: &str) -> Result<String, Diagnostic> {
    const WHAT: &str = "src/models.rs";
    let header = render::source(emit::models::header(api, cx), WHAT, preamble)?;
    let types = render_in_runs(WHAT, &api.types, |types| {
        emit::models::items(api, cx, types)
    })?;
    Ok(render::join(header, [types]))
}

/// `operations.rs`: the header, the operations' methods in `impl Client` blocks, then each
/// operation's items.
fn operations_file(api: &Api, cx: &emit::Context, preamble: &str) -> Result<String, Diagnostic> {
    const WHAT: &str = "src/operations.rs";
    let header = render::source(emit::operations::header(api, cx), WHAT, preamble)?;
    let blocks = method_blocks(api);
    let methods = render_in_runs(WHAT, &blocks, |blocks| {
        blocks
            .iter()
            .map(|ops| emit::operations::methods(api, cx, ops))
            .collect()
    })?;
    let items = render_in_runs(WHAT, &api.operations, |ops| {
        emit::operations::items(api, cx, ops)
    })?;
    Ok(render::join(header, [methods, items]))
}

/// Prints the items that `emit` makes of `all`, in runs of at most [`RUN_MAX`], and
/// returns the runs' texts in order; joined, they give the text of printing everything at
/// once.
fn render_in_runs<T>(
    what: &str,
    all: &[T],
    emit: impl Fn(&[T]) -> Vec<syn::Item>,
) -> Result<Vec<String>, Diagnostic> {
    all.chunks(RUN_MAX)
        .map(|run| render::items(emit(run), what))
        .collect()
}

#[cfg(test)]
mod render_tests {
    use super::*;

    /// Printing in runs gives exactly the text of printing at once. The whole side also
    /// goes through tokens and syn's parser, so the syntax trees the emitters build are the
    /// ones their code parses into (prettyplease prints what it is given: a tree no parse
    /// would give could print differently).
    #[test]
    fn rendering_in_runs_equals_rendering_at_once() {
        let text = synth::synthetic_spec(emit::operations::METHODS_PER_BLOCK + 7);
        let spec = load::load("synthetic.yaml", &text).expect("loads");
        let api = lower::lower(&spec).expect("lowers");
        // Several runs of each, and two blocks of methods.
        assert!(api.types.len() > 2 * RUN_MAX);
        assert!(api.operations.len() > emit::operations::METHODS_PER_BLOCK);
        let preamble = "// p\n";
        let cx = emit::Context::new(&api);
        let at_once = render::rust(
            &render::tokens(emit::models::emit(&api, &cx), "m").expect("parses"),
            preamble,
        );
        assert_eq!(models_file(&api, &cx, preamble).expect("renders"), at_once);
        let at_once = render::rust(
            &render::tokens(emit::operations::emit(&api, &cx), "o").expect("parses"),
            preamble,
        );
        assert_eq!(
            operations_file(&api, &cx, preamble).expect("renders"),
            at_once
        );
    }
}
