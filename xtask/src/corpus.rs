//! `cargo xtask corpus DIR`: every published description under `DIR` through the whole
//! road a maintainer takes (import, generate, clippy the crate, run its example tests), one
//! row each, so that what the generator cannot do yet shows as a table rather than as
//! anecdotes.
//!
//! A description is any `*.json` or `*.yaml` file under `DIR` outside `httpExamples`
//! folders. Each gets a folder under the output directory (its path, `/` as `-`) holding the
//! imported `spec.yaml` and the generated `crate/`; the crates share one target directory,
//! so their dependencies are built once. `--no-build` stops after generating (no cargo).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::emit::manifest::RuntimeDependency;

/// What happened to one description.
#[derive(Debug, Clone)]
pub struct Row {
    /// The description's path under `DIR`.
    pub name: String,
    pub operations: usize,
    pub types: usize,
    /// `Ok` when a crate was written; the first problem otherwise.
    pub generated: Result<(), String>,
    /// Whether `cargo clippy -- -D warnings` passed; `None` when not run.
    pub compiles: Option<bool>,
    /// The example files the description lists (`x-ms-examples`).
    pub described: usize,
    /// The examples the crate replays as tests.
    pub replayed: usize,
    /// Example tests passed and failed; `None` when the crate has none (or was not built).
    pub examples: Option<(usize, usize)>,
    /// The examples not replayed, with why (`operationId` example `name`: reason).
    pub skipped: Vec<String>,
    /// The failed example tests: the test's name and the first line of its panic message.
    pub failures: Vec<(String, String)>,
    pub seconds: f64,
}

/// Where the work goes and how far it goes.
pub struct Options<'a> {
    pub dir: &'a Path,
    pub out: &'a Path,
    /// The workspace's `Cargo.lock`, copied into each crate so that it builds offline.
    pub lock: &'a Path,
    /// The runtime the crates depend on (an absolute path: the crates are elsewhere).
    pub runtime: &'a RuntimeDependency,
    pub build: bool,
}

/// The descriptions under `dir`, sorted.
pub fn descriptions(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "httpExamples") {
                    pending.push(path);
                }
            } else if path
                .extension()
                .is_some_and(|e| e == "json" || e == "yaml" || e == "yml")
            {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Takes one description through import, generation and (with `build`) cargo.
pub fn run_one(options: &Options<'_>, file: &Path) -> Row {
    let started = Instant::now();
    let name = file
        .strip_prefix(options.dir)
        .unwrap_or(file)
        .to_string_lossy()
        .into_owned();
    let mut row = Row {
        name: name.clone(),
        operations: 0,
        types: 0,
        generated: Ok(()),
        compiles: None,
        described: 0,
        replayed: 0,
        examples: None,
        skipped: Vec::new(),
        failures: Vec::new(),
        seconds: 0.0,
    };
    let folder = options
        .out
        .join(name.replace(['/', '\\'], "-").replace('.', "_"));
    row.generated = generate(options, file, &folder, &mut row);
    if row.generated.is_ok() && options.build {
        let crate_dir = folder.join("crate");
        let target = options.out.join("target");
        let copied = std::fs::copy(options.lock, crate_dir.join("Cargo.lock")).is_ok();
        row.compiles =
            Some(copied && cargo(&crate_dir, &target, &["clippy", "--", "-D", "warnings"]).0);
        if row.compiles == Some(true) && crate_dir.join("tests/examples.rs").is_file() {
            let (ok, output) = cargo(&crate_dir, &target, &["test", "--test", "examples"]);
            row.examples = Some(test_counts(&output));
            row.failures = failures(&output);
            // Tests that do not build failed every one of them, whatever cargo counted.
            if !ok && !output.lines().any(|l| l.starts_with("test result:")) {
                row.examples = Some((0, row.replayed));
                let error = output
                    .lines()
                    .find(|l| l.starts_with("error"))
                    .unwrap_or("cargo test failed");
                row.failures = vec![("(the tests do not build)".to_owned(), error.to_owned())];
            }
            // The failures' messages, for a look (the table only counts them).
            let _ = crate::write::write_file(&folder.join("examples.log"), &output);
        }
    }
    row.seconds = started.elapsed().as_secs_f64();
    row
}

/// Import, then generation into `folder/crate`.
fn generate(
    options: &Options<'_>,
    file: &Path,
    folder: &Path,
    row: &mut Row,
) -> Result<(), String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read: {e}"))?;
    let display = file.to_string_lossy().into_owned();
    let base_dir = file.parent().unwrap_or(Path::new("."));
    let imported = crate::import::import(&crate::import::Options {
        file: &display,
        text: &text,
        base_dir,
        operations: &[],
        tags: &[],
        crate_name: None,
    })
    .map_err(|d| format!("import: {}", first(&d)))?;
    row.described = imported.examples;
    let spec = folder.join("spec.yaml");
    std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    crate::write::write_file(&spec, &imported.yaml).map_err(|e| format!("{e}"))?;
    let generated = crate::generate(&spec.to_string_lossy(), &imported.yaml, options.runtime)
        .map_err(|d| format!("codegen: {}", first(&d)))?;
    row.operations = generated.operations;
    row.types = generated.types;
    row.skipped = generated.skipped_examples;
    row.replayed = generated.examples;
    let mut skipped: String = row.skipped.iter().map(|s| format!("{s}\n")).collect();
    if skipped.is_empty() {
        skipped = "none\n".to_owned();
    }
    crate::write::write_file(&folder.join("skipped.txt"), &skipped).map_err(|e| format!("{e}"))?;
    let crate_dir = folder.join("crate");
    crate::write::write(&crate_dir, &generated.files).map_err(|e| format!("{e}"))?;
    let folder_name = folder.file_name().unwrap_or_default().to_string_lossy();
    stand_alone(&crate_dir, &folder_name)
}

/// Makes the crate build on its own next to the others: the root of a workspace of its own
/// (cargo refuses a package under another workspace's root, and the default `target/corpus`
/// is under this one), and a package name of its own, `corpus-FOLDER` (descriptions of one
/// area share a name, and in the shared target directory a crate would pass for another
/// of its name whose build is newer than its sources). The library keeps its name.
fn stand_alone(crate_dir: &Path, folder: &str) -> Result<(), String> {
    let manifest = crate_dir.join("Cargo.toml");
    let text =
        std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let mut renamed = false;
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        if !renamed && line.starts_with("name = ") {
            renamed = true;
            lines.push(format!("name = \"corpus-{folder}\""));
        } else {
            lines.push(line.to_owned());
        }
    }
    lines.push(String::new());
    lines.push("# Added by `cargo xtask corpus`: a workspace of its own.".to_owned());
    lines.push("[workspace]".to_owned());
    lines.push(String::new());
    crate::write::write_file(&manifest, &lines.join("\n")).map_err(|e| format!("{e}"))
}

/// The first problem of a report, on one line.
fn first(d: &crate::diagnostics::Diagnostics) -> String {
    d.0.first()
        .map(|p| format!("at {}: {}", p.pointer, p.message))
        .unwrap_or_default()
}

/// Runs `cargo ARGS` in `dir`, quietly and offline; success and the combined output.
fn cargo(dir: &Path, target: &Path, args: &[&str]) -> (bool, String) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let (sub, rest) = args.split_first().unwrap_or((&"check", &[]));
    let output = Command::new(cargo)
        .current_dir(dir)
        .arg(sub)
        .args(["--quiet", "--offline"])
        .args(rest)
        .env("CARGO_TARGET_DIR", target)
        .output();
    match output {
        Ok(o) => (
            o.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            ),
        ),
        Err(e) => (false, e.to_string()),
    }
}

/// `N passed; M failed` of a `cargo test` run.
pub fn test_counts(output: &str) -> (usize, usize) {
    let number_before = |line: &str, word: &str| -> usize {
        line.split(';')
            .find_map(|part| part.trim().strip_suffix(word))
            .and_then(|n| n.trim().rsplit(' ').next()?.parse().ok())
            .unwrap_or(0)
    };
    output
        .lines()
        .filter(|l| l.starts_with("test result:"))
        .fold((0, 0), |(p, f), l| {
            (
                p + number_before(l, "passed"),
                f + number_before(l, "failed"),
            )
        })
}

/// The failed tests of a `cargo test` run: each one's name and the first line of its
/// panic message (the line after `panicked at FILE:LINE:COL:`).
pub fn failures(output: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut lines = output.lines();
    while let Some(line) = lines.next() {
        let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|l| l.strip_suffix(" stdout ----"))
        else {
            continue;
        };
        let message = lines
            .by_ref()
            .skip_while(|l| !l.contains("panicked at"))
            .nth(1)
            .unwrap_or_default();
        found.push((name.to_owned(), message.to_owned()));
    }
    found
}

/// The table: one row per description, then the totals.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| description | operations | types | generated | compiles | examples | replayed: passed / failed | not replayed | seconds |\n|---|---|---|---|---|---|---|---|---|\n",
    );
    let yes_no = |b: Option<bool>| match b {
        Some(true) => "yes",
        Some(false) => "**no**",
        None => "-",
    };
    for r in rows {
        let generated = match &r.generated {
            Ok(()) => "yes".to_owned(),
            Err(e) => format!("**no**: {}", e.replace('|', "\\|")),
        };
        let examples = r
            .examples
            .map_or("-".to_owned(), |(p, f)| format!("{p} / {f}"));
        out.push_str(&format!(
            "| {} | {} | {} | {generated} | {} | {} | {examples} | {} | {:.1} |\n",
            r.name,
            r.operations,
            r.types,
            yes_no(r.compiles),
            r.described,
            r.skipped.len(),
            r.seconds
        ));
    }
    let generated = rows.iter().filter(|r| r.generated.is_ok()).count();
    let compiles = rows.iter().filter(|r| r.compiles == Some(true)).count();
    let (passed, failed) = rows
        .iter()
        .filter_map(|r| r.examples)
        .fold((0, 0), |(p, f), (rp, rf)| (p + rp, f + rf));
    out.push_str(&format!(
        "| **{} descriptions** | {} | {} | {generated} | {compiles} | {} | {passed} / {failed} | {} | {:.0} |\n",
        rows.len(),
        rows.iter().map(|r| r.operations).sum::<usize>(),
        rows.iter().map(|r| r.types).sum::<usize>(),
        rows.iter().map(|r| r.described).sum::<usize>(),
        rows.iter().map(|r| r.skipped.len()).sum::<usize>(),
        rows.iter().map(|r| r.seconds).sum::<f64>()
    ));
    out
}

/// Below the table: every failed example test with its message, then how many examples
/// were not replayed for each reason (parameter names taken out, so that reasons group).
pub fn details(rows: &[Row]) -> String {
    let mut out = String::new();
    let failed: Vec<String> = rows
        .iter()
        .flat_map(|r| {
            r.failures
                .iter()
                .map(move |(test, message)| format!("- {}: `{test}`: {message}\n", r.name))
        })
        .collect();
    if !failed.is_empty() {
        out.push_str(&format!("\nFailed examples ({}):\n\n", failed.len()));
        out.extend(failed);
    }
    let mut reasons: std::collections::BTreeMap<String, usize> = Default::default();
    for line in rows.iter().flat_map(|r| &r.skipped) {
        let reason = line.rsplit_once("`: ").map_or(line.as_str(), |(_, r)| r);
        let general: String = reason
            .split('"')
            .step_by(2)
            .collect::<Vec<_>>()
            .join("\"…\"");
        *reasons.entry(general).or_default() += 1;
    }
    if !reasons.is_empty() {
        out.push_str("\nNot replayed, by reason:\n\n");
        for (reason, n) in reasons {
            out.push_str(&format!("- {n}: {reason}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_of_cargo_test_output() {
        let output = "running 3 tests\n...\ntest result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.1s\n\ntest result: ok. 4 passed; 0 failed; 0 ignored\n";
        assert_eq!(test_counts(output), (6, 1));
        assert_eq!(test_counts("nothing"), (0, 0));
    }

    #[test]
    fn failed_tests_with_their_message() {
        let output = "running 2 tests\n\nfailures:\n\n---- get_a_two stdout ----\n\nthread 'get_a_two' (7) panicked at tests/example_server/mod.rs:99:17:\nthe example's call failed: at .id: missing property\nstack backtrace:\n\n---- list_b stdout ----\nthread 'list_b' panicked at tests/examples.rs:1:1:\nthe request differs\n\nfailures:\n    get_a_two\n";
        assert_eq!(
            failures(output),
            [
                (
                    "get_a_two".to_owned(),
                    "the example's call failed: at .id: missing property".to_owned()
                ),
                ("list_b".to_owned(), "the request differs".to_owned()),
            ]
        );
    }
}
