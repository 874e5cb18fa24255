//! `cargo xtask`: argument parsing and exit codes; the work is in the library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use xtask::diagnostics::Severity;
use xtask::emit::manifest::{RuntimeDependency, RuntimeSource, runtime_version};
use xtask::jobs::Job;

const USAGE: &str = "\
usage: cargo xtask codegen [--spec FILE|DIR]... [--out DIR] [--check] [--fixtures]
                           [--crate-name NAME] [--crate-version X.Y.Z]
                           [--runtime-path DIR | --runtime-version REQ | --runtime-git URL[#REV]]
       cargo xtask import FILE --out SPEC.yaml [--operation ID]... [--tag NAME]... [--crate-name NAME]
       cargo xtask corpus DIR [--out DIR] [--no-build | --clippy]
       cargo xtask bench [--skip-downstream] [--quick] [--json FILE]

codegen:
  --spec FILE   a spec: OpenAPI 3.0 or Swagger 2.0, YAML or JSON (default: the only
                *.yaml file in spec/); a folder stands for every spec in it. Several
                specs make one crate of areas: a module and a cargo feature per spec,
                one Client for all
  --out DIR     where to write the crate (default: generated/)
  --check       write nothing; exit 1 with a diff if the output is out of date
  --fixtures    also every tests/fixtures/NAME.yaml into tests/fixtures/NAME-crate, and
                every folder tests/fixtures/NAME/ into a crate of areas NAME-crate, after
                importing the vendored published areas into their fixture specs
  --crate-name NAME     the package name of a crate of several specs (default: the
                        folder's name); one spec names its crate itself (x-crate-name)
  --crate-version X.Y.Z the version of a crate of several specs (default 0.1.0)
  --runtime-path DIR    the crate depends on the runtime at DIR (default: this
                        repository's runtime/, relative when the crate is inside it)
  --runtime-version REQ ... on the runtime REQ from the registry, once published
  --runtime-git URL[#REV] ... on the runtime of a git repository

import (a published description, Swagger 2.0 or OpenAPI 3.0, into an OpenAPI 3.0.3 spec
to keep by hand; known defects are mended with a warning each, anything else refused):
  --out SPEC.yaml   where to write the spec (written whole or not at all)
  --operation ID    only this operation (its operationId as in FILE; repeatable) ...
  --tag NAME        ... and those with this tag (repeatable); with either, every
                    component they reach comes along, nothing else
  --crate-name NAME the generated crate's package name (info.x-crate-name; default: from
                    the title)

corpus (every description under DIR imported, generated, compiled (cargo check --all-targets)
and its example tests run: replayed, decoded only, skipped; one Markdown table on standard
output):
  --out DIR     where the specs, crates and their shared target go (default: target/corpus)
  --no-build    stop after generating: no cargo
  --clippy      compile with `cargo clippy --all-targets -- -D warnings` (as CI does) instead:
                a crate that fails it does not compile, and its tests are not run

bench (builds bench/ in release mode and runs it; a few minutes):
  --skip-downstream  skip the dependency count and the clean `cargo check` of the client
  --quick            few runs: checks that the benchmark works, figures not for publishing
  --json FILE        where to write the figures (default: target/bench.json in the workspace)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("codegen") => codegen(&args[1..]),
        Some("import") => import(&args[1..]),
        Some("corpus") => corpus(&args[1..]),
        Some("bench") => bench(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => usage_error(&format!("unknown command {other:?}")),
        None => usage_error("missing command"),
    }
}

/// `cargo xtask corpus DIR [--out DIR] [--no-build | --clippy]`.
fn corpus(args: &[String]) -> ExitCode {
    let root = workspace_root();
    let mut dir = None;
    let mut out = root.join("target").join("corpus");
    let mut build = true;
    let mut clippy = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--out" => match it.next() {
                Some(o) => out = PathBuf::from(o),
                None => return usage_error("--out needs a directory"),
            },
            "--no-build" => build = false,
            "--clippy" => clippy = true,
            other if other.starts_with("--") => {
                return usage_error(&format!("unknown corpus option {other:?}"));
            }
            other => dir = Some(PathBuf::from(other)),
        }
    }
    let Some(dir) = dir else {
        return usage_error("corpus needs the directory of the descriptions");
    };
    if clippy && !build {
        return usage_error("--clippy needs cargo: not with --no-build");
    }
    // Cargo runs in each crate's folder: a relative `--out` would give every crate a target
    // directory of its own, and every crate would build its dependencies again.
    let out = match std::path::absolute(&out) {
        Ok(out) => out,
        Err(e) => return usage_error(&format!("--out {}: {e}", out.display())),
    };
    // The crates are written two levels under `--out` (`FOLDER/crate`): an absolute path to
    // the runtime, whether or not `--out` is inside the repository.
    let runtime = match std::path::absolute(root.join("runtime")) {
        Ok(path) => RuntimeDependency::path(path.to_string_lossy().replace('\\', "/")),
        Err(e) => return usage_error(&format!("runtime/: {e}")),
    };
    let files = xtask::corpus::descriptions(&dir);
    if files.is_empty() {
        eprintln!(
            "error: no description (*.json, *.yaml) under {}",
            dir.display()
        );
        return ExitCode::FAILURE;
    }
    let options = xtask::corpus::Options {
        dir: &dir,
        out: &out,
        lock: &root.join("Cargo.lock"),
        runtime: &runtime,
        build,
        clippy,
    };
    let mut rows = Vec::new();
    for (i, file) in files.iter().enumerate() {
        eprintln!("corpus: {}/{}: {}", i + 1, files.len(), file.display());
        rows.push(xtask::corpus::run_one(&options, file));
    }
    print!("{}", xtask::corpus::table(&rows));
    print!("{}", xtask::corpus::details(&rows));
    ExitCode::SUCCESS
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{USAGE}");
    ExitCode::from(2)
}

/// The workspace root: the parent of this package's manifest directory.
fn workspace_root() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// The arguments of `cargo xtask codegen`.
struct Args {
    /// `--spec`, repeated: files, or folders of specs.
    specs: Vec<PathBuf>,
    out: Option<PathBuf>,
    check: bool,
    fixtures: bool,
    crate_name: Option<String>,
    crate_version: Option<String>,
    runtime: Option<RuntimeDependency>,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut parsed = Args {
        specs: Vec::new(),
        out: None,
        check: false,
        fixtures: false,
        crate_name: None,
        crate_version: None,
        runtime: None,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ => (a.as_str(), None),
        };
        let mut take = |what: &str| {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or(format!("{flag} needs {what}"))
        };
        let mut runtime = |source: RuntimeSource| -> Result<(), String> {
            if parsed.runtime.is_some() {
                return Err("one of --runtime-path, --runtime-version, --runtime-git".into());
            }
            parsed.runtime = Some(RuntimeDependency {
                version: runtime_version().to_owned(),
                source,
            });
            Ok(())
        };
        match flag {
            "--check" => parsed.check = true,
            "--fixtures" => parsed.fixtures = true,
            "--spec" => parsed.specs.push(take("a file or a folder")?.into()),
            "--out" => parsed.out = Some(take("a directory")?.into()),
            "--crate-name" => parsed.crate_name = Some(take("a package name")?),
            "--crate-version" => parsed.crate_version = Some(take("a version")?),
            "--runtime-path" => runtime(RuntimeSource::Path(take("a directory")?))?,
            "--runtime-version" => {
                let version = take("a version")?;
                runtime(RuntimeSource::Registry)?;
                if let Some(r) = parsed.runtime.as_mut() {
                    r.version = version;
                }
            }
            "--runtime-git" => {
                let url = take("a repository URL")?;
                let (url, rev) = match url.split_once('#') {
                    Some((url, rev)) => (url.to_owned(), Some(rev.to_owned())),
                    None => (url, None),
                };
                runtime(RuntimeSource::Git { url, rev })?;
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(parsed)
}

/// `path` relative to the workspace root when it is inside it, so that messages and
/// preambles do not depend on where the checkout lives.
fn display_path(root: &Path, path: &Path) -> String {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let canon = abs.canonicalize().unwrap_or(abs);
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    match canon.strip_prefix(&root) {
        Ok(rel) => rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => canon.to_string_lossy().into_owned(),
    }
}

fn default_spec(root: &Path) -> Result<PathBuf, String> {
    let dir = root.join("spec");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    found.sort();
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(format!(
            "no *.yaml spec in {}; pass --spec FILE",
            dir.display()
        )),
        _ => Err(format!(
            "several specs in {}; pass --spec FILE",
            dir.display()
        )),
    }
}

fn codegen(args: &[String]) -> ExitCode {
    let args = match parse(args) {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    let root = workspace_root();
    let job = match main_job(&root, &args) {
        Ok(job) => job,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut jobs = vec![job];
    let mut code = ExitCode::SUCCESS;
    if args.fixtures {
        // The vendored areas' specs first: their crates are fixtures made from them.
        for area in xtask::vendored::AREAS {
            if import_area(&root, area, args.check) != ExitCode::SUCCESS {
                code = ExitCode::FAILURE;
            }
        }
        match xtask::jobs::fixture_jobs(&root) {
            Ok(more) => jobs.extend(more),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    for job in jobs {
        let runtime = args
            .runtime
            .clone()
            .unwrap_or_else(|| xtask::jobs::runtime_for(&root, &job.out));
        if run(&root, &job, &runtime, args.check) != ExitCode::SUCCESS {
            code = ExitCode::FAILURE;
        }
    }
    code
}

/// The crate the arguments ask for: the only spec of `spec/` into `generated/` by default;
/// several specs (`--spec` repeated, or a folder's) make a crate of areas.
fn main_job(root: &Path, args: &Args) -> Result<Job, String> {
    let mut specs = Vec::new();
    let mut from_folder = None;
    if args.specs.is_empty() {
        specs.push(default_spec(root)?);
    }
    for spec in &args.specs {
        if spec.is_dir() {
            specs.extend(xtask::jobs::specs_in(spec)?);
            from_folder = Some(spec.clone());
        } else {
            specs.push(spec.clone());
        }
    }
    let several = specs.len() > 1 || from_folder.is_some();
    let crate_name = match (&args.crate_name, &from_folder) {
        (Some(name), _) => Some(name.clone()),
        (None, Some(folder)) if several => Some(
            folder
                .canonicalize()
                .unwrap_or_else(|_| folder.clone())
                .file_name()
                .map(|n| n.to_string_lossy().replace('_', "-"))
                .ok_or("--crate-name NAME is needed: the folder has no name")?,
        ),
        (None, None) if several => {
            return Err(
                "several specs make one crate of areas: name it with --crate-name NAME".into(),
            );
        }
        (None, _) => None,
    };
    if crate_name.is_none() && args.crate_version.is_some() {
        return Err(
            "--crate-version is for a crate of several specs; one spec gives its own \
             (info.x-crate-version)"
                .into(),
        );
    }
    let specs_display = from_folder
        .filter(|_| args.specs.len() == 1)
        .map(|folder| format!("{}/*", display_path(root, &folder)));
    Ok(Job {
        specs,
        out: args.out.clone().unwrap_or_else(|| root.join("generated")),
        crate_name,
        crate_version: args.crate_version.clone(),
        specs_display,
    })
}

/// Imports a vendored area into its fixture spec, or checks that the spec is what import
/// makes of it today.
fn import_area(root: &Path, area: &xtask::vendored::Area, check: bool) -> ExitCode {
    let spec = area.spec();
    let imported = match area.import(root) {
        Ok(i) => i,
        Err(d) => {
            eprintln!("{d}");
            eprintln!(
                "error: importing {} failed; nothing was written",
                area.description
            );
            return ExitCode::FAILURE;
        }
    };
    let path = root.join(&spec);
    let current = std::fs::read_to_string(&path).ok();
    let summary = format!(
        "{} operations, {} schemas, {} warnings from {}",
        imported.operations,
        imported.schemas,
        imported.warnings.len(),
        area.description
    );
    if current.as_deref() == Some(imported.yaml.as_str()) {
        println!("import: {spec} up to date ({summary})");
        return ExitCode::SUCCESS;
    }
    if check {
        println!(
            "import: {spec} is out of date: import makes another spec of {}\n  fix: cargo xtask codegen --fixtures",
            area.description
        );
        return ExitCode::FAILURE;
    }
    if let Err(e) = xtask::write::write_file(&path, &imported.yaml) {
        eprintln!("error: writing {spec}: {e}");
        return ExitCode::FAILURE;
    }
    println!("import: {spec} written ({summary})");
    ExitCode::SUCCESS
}

/// Generates one crate into its folder, or checks it.
fn run(root: &Path, job: &Job, runtime: &RuntimeDependency, check: bool) -> ExitCode {
    let mut files = Vec::new();
    for spec in &job.specs {
        let display = display_path(root, spec);
        match std::fs::read_to_string(spec) {
            Ok(text) => files.push((display, text)),
            Err(e) => {
                eprintln!("error: {display}: cannot read the spec: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let specs_display = job.specs_display.clone().unwrap_or_else(|| {
        files
            .iter()
            .map(|(f, _)| f.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    });
    let job = Job {
        specs_display: Some(specs_display.clone()),
        ..job.clone()
    };
    let generated = match generate_or_report_panic(&specs_display, || {
        xtask::jobs::generate(&job, &files, runtime)
    }) {
        Ok(g) => g,
        Err(d) => {
            eprintln!("{d}");
            eprintln!(
                "error: {} problem(s) in {specs_display}; nothing was written",
                d.0.len()
            );
            return ExitCode::FAILURE;
        }
    };
    let out_dir = &job.out;
    if check {
        match xtask::write::check(out_dir, &generated.files) {
            Ok(m) if m.is_empty() => {
                println!(
                    "codegen --check: {} files up to date ({} operations, {} types from {specs_display})",
                    generated.files.len(),
                    generated.operations,
                    generated.types
                );
                ExitCode::SUCCESS
            }
            Ok(m) => {
                let fix = fix_command(&job, root);
                print!("{}", xtask::write::check_report(&m, &fix));
                ExitCode::FAILURE
            }
            Err(e) => {
                eprintln!("error: cannot compare with {}: {e}", out_dir.display());
                ExitCode::FAILURE
            }
        }
    } else {
        match xtask::write::write(out_dir, &generated.files) {
            Ok(s) => {
                println!(
                    "codegen: {} files ({} written, {} unchanged, {} removed) in {}: {} operations, {} types from {specs_display}",
                    generated.files.len(),
                    s.written,
                    s.unchanged,
                    s.removed,
                    display_path(root, out_dir),
                    generated.operations,
                    generated.types
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: writing {}: {e}", out_dir.display());
                ExitCode::FAILURE
            }
        }
    }
}

/// A generation, with a panic (a bug here or in a dependency: no input should cause one,
/// and the fuzz test looks for them) reported as an error like any other instead of a
/// backtrace. Generation writes nothing, so nothing is half-written either.
fn generate_or_report_panic(
    spec_display: &str,
    generate: impl FnOnce() -> Result<xtask::Generated, xtask::diagnostics::Diagnostics>
    + std::panic::UnwindSafe,
) -> Result<xtask::Generated, xtask::diagnostics::Diagnostics> {
    let message = std::sync::Arc::new(std::sync::Mutex::new(None::<String>));
    let previous = std::panic::take_hook();
    let seen = std::sync::Arc::clone(&message);
    std::panic::set_hook(Box::new(move |info| {
        if let Ok(mut slot) = seen.lock() {
            slot.get_or_insert_with(|| info.to_string());
        }
    }));
    let result = std::panic::catch_unwind(generate);
    std::panic::set_hook(previous);
    result.unwrap_or_else(|_| {
        let what = message
            .lock()
            .ok()
            .and_then(|m| m.clone())
            .unwrap_or_else(|| "no message".into());
        Err(xtask::diagnostics::Diagnostic::about_file(
            spec_display,
            format!(
                "internal error: the generator panicked on this spec (please report it): {what}"
            ),
        )
        .into())
    })
}

/// The command that brings the output up to date, with the same specs and output.
fn fix_command(job: &Job, root: &Path) -> String {
    let mut cmd = String::from("cargo xtask codegen");
    let default = default_spec(root).ok();
    if job.specs.len() != 1 || default.as_ref() != job.specs.first() {
        match job
            .specs_display
            .as_deref()
            .and_then(|d| d.strip_suffix("/*"))
        {
            Some(folder) => cmd.push_str(&format!(" --spec {folder}")),
            None => {
                for spec in &job.specs {
                    cmd.push_str(&format!(" --spec {}", display_path(root, spec)));
                }
            }
        }
    }
    if let Some(name) = &job.crate_name {
        cmd.push_str(&format!(" --crate-name {name}"));
    }
    let out = display_path(root, &job.out);
    if out != "generated" {
        cmd.push_str(&format!(" --out {out}"));
    }
    cmd
}

struct ImportArgs {
    file: PathBuf,
    out: PathBuf,
    operations: Vec<String>,
    tags: Vec<String>,
    crate_name: Option<String>,
}

fn parse_import(args: &[String]) -> Result<ImportArgs, String> {
    let (mut file, mut out) = (None, None);
    let (mut operations, mut tags) = (Vec::new(), Vec::new());
    let mut crate_name = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ => (a.as_str(), None),
        };
        let mut take = |what: &str| {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or(format!("{flag} needs {what}"))
        };
        match flag {
            "--out" => out = Some(PathBuf::from(take("a file")?)),
            "--operation" => operations.push(take("an operationId")?),
            "--tag" => tags.push(take("a tag name")?),
            "--crate-name" => crate_name = Some(take("a package name")?),
            other if other.starts_with('-') => return Err(format!("unknown argument {other:?}")),
            _ if file.is_some() => {
                return Err(format!("one description at a time, not also {a:?}"));
            }
            _ => file = Some(PathBuf::from(a)),
        }
    }
    Ok(ImportArgs {
        file: file.ok_or("missing the description to import")?,
        out: out.ok_or("--out SPEC.yaml is required")?,
        operations,
        tags,
        crate_name,
    })
}

/// `cargo xtask import`: a published description into a spec to keep; the warnings of
/// its repairs on stderr, the spec written atomically, or nothing at all.
fn import(args: &[String]) -> ExitCode {
    let args = match parse_import(args) {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    let root = workspace_root();
    let file_display = display_path(&root, &args.file);
    let out_display = display_path(&root, &args.out);
    let text = match std::fs::read_to_string(&args.file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {file_display}: cannot read the description: {e}");
            return ExitCode::FAILURE;
        }
    };
    let base_dir = args.file.parent().unwrap_or(Path::new(".")).to_path_buf();
    let options = xtask::import::Options {
        file: &file_display,
        text: &text,
        base_dir: &base_dir,
        operations: &args.operations,
        tags: &args.tags,
        crate_name: args.crate_name.as_deref(),
    };
    let imported = match xtask::import::import(&options) {
        Ok(i) => i,
        Err(d) => {
            eprintln!("{d}");
            eprintln!(
                "error: {} problem(s) in {file_display}; nothing was written",
                d.0.len()
            );
            return ExitCode::FAILURE;
        }
    };
    for w in &imported.warnings {
        eprintln!("{w}");
    }
    for n in &imported.notes {
        eprintln!("{n}");
    }
    if let Err(e) = xtask::write::write_file(&args.out, &imported.yaml) {
        eprintln!("error: writing {out_display}: {e}");
        return ExitCode::FAILURE;
    }
    let repaired = match imported.warnings.len() {
        0 => "nothing repaired".to_owned(),
        n => format!("{n} repaired, see the warnings"),
    };
    println!(
        "import: {} operations, {} schemas, {} examples from {file_display} into {out_display} ({repaired})",
        imported.operations, imported.schemas, imported.examples,
    );
    // What `codegen` will make of the result, so that the maintainer knows what is left
    // to do by hand; import itself succeeded either way.
    if let Err(d) = imported.codegen_check(&out_display) {
        eprintln!(
            "note: `cargo xtask codegen --spec {out_display}` does not accept it yet: {} problem(s), the first:",
            d.0.len()
        );
        for problem in d.0.iter().take(3) {
            eprintln!("{}", problem.clone().as_severity(Severity::Note));
        }
    }
    ExitCode::SUCCESS
}

/// `cargo xtask bench`: the benchmark is its own crate (it depends on the generated client,
/// which xtask must not), built in release mode and run from the workspace root.
fn bench(args: &[String]) -> ExitCode {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = std::process::Command::new(cargo)
        .current_dir(workspace_root())
        .args(["run", "--release", "--locked", "--package", "bench", "--"])
        // `cargo xtask bench` alone is `bench run`; `cargo xtask bench instructions` (or
        // another of its subcommands) is passed through.
        .args(match args.first().map(String::as_str) {
            Some(
                "run" | "client" | "instructions" | "stages" | "gen-one" | "compile"
                | "client-loop" | "whole-set" | "areas" | "lines" | "models" | "models-loop",
            ) => None,
            _ => Some("run"),
        })
        .args(args)
        .status();
    match status {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(s) => ExitCode::from(s.code().and_then(|c| u8::try_from(c).ok()).unwrap_or(1)),
        Err(e) => {
            eprintln!("error: cannot run cargo: {e}");
            ExitCode::FAILURE
        }
    }
}
