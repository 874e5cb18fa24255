//! `cargo xtask corpus DIR`: every published description under `DIR` through the whole
//! road a maintainer takes (import, generate, compile the crate, run its example tests), one
//! row each, so that what the generator cannot do yet shows as a table rather than as
//! anecdotes.
//!
//! A description is any `*.json` or `*.yaml` file under `DIR` outside `httpExamples`
//! folders. Each gets a folder under the output directory (its path, `/` as `-`) holding the
//! imported `spec.yaml` and the generated `crate/`; the crates share one target directory,
//! so their dependencies are built once. A crate compiles when `cargo check --all-targets`
//! passes, or with `--clippy` when `cargo clippy --all-targets -- -D warnings` (what CI asks
//! of the workspace) does, its `mock` feature on in both. `--no-build` stops after generating
//! (no cargo).
//!
//! The examples are counted three ways, as the generated tests check them: replayed (the
//! request sent through the client to the example server), decoded only (the request cannot
//! be sent; the response body decoded, encoded again and compared) and skipped (nothing to
//! check), each with pass and fail counts, and the figures of those with a 2xx body.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::emit::manifest::RuntimeDependency;
use crate::model::{Api, ExampleCheck};

/// What happened to one description.
#[derive(Debug, Clone)]
pub struct Row {
    /// The description's path under `DIR`.
    pub name: String,
    pub operations: usize,
    pub types: usize,
    /// `Ok` when a crate was written; the first problem otherwise.
    pub generated: Result<(), String>,
    /// Whether the crate compiles (`cargo check --all-targets`, or with `--clippy` its
    /// clippy pass); `None` when not run.
    pub compiles: Option<bool>,
    /// Whether `cargo clippy --all-targets -- -D warnings` passed; `None` when not run.
    pub clippy: Option<bool>,
    /// Why the crate does not compile: the first error (or warning, under clippy).
    pub compile_error: Option<String>,
    /// The example files the description lists (`x-ms-examples`).
    pub described: usize,
    /// The crate's example tests, as generated.
    pub tests: Vec<ExampleTest>,
    /// The example tests that failed, by name; `None` when they did not run (no build, or
    /// no tests).
    pub failed: Option<HashSet<String>>,
    /// The examples decoded only, with why they are not replayed (`operationId` example
    /// `name`: reason).
    pub decoded_reasons: Vec<String>,
    /// The examples not checked at all, with why (`operationId` example `name`: reason).
    pub skipped: Vec<String>,
    /// Of the skipped, those with a 2xx body (which could have been checked).
    pub skipped_with_body: usize,
    /// The examples whose 2xx response body the description gives no place to (a status
    /// declared without content): import left the body out, with a note each.
    pub unplaced: Vec<String>,
    /// The failed example tests: the test's name and the first line of its panic message.
    pub failures: Vec<(String, String)>,
    pub seconds: f64,
}

/// One test of a generated `tests/examples.rs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleTest {
    pub name: String,
    pub kind: TestKind,
    /// Whether the example has a response body (a replayed `204` has none).
    pub has_body: bool,
}

/// How an example is checked by its test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestKind {
    /// Its request sent through the client to the example server (`#[tokio::test]`).
    Replayed,
    /// Its response body decoded, encoded again and compared (a plain `#[test]`).
    DecodedOnly,
}

impl Row {
    /// The passed and failed tests of one kind; `None` when the tests did not run or the
    /// crate has none of that kind.
    pub fn results(&self, kind: TestKind) -> Option<(usize, usize)> {
        let failed = self.failed.as_ref()?;
        let tests: Vec<&ExampleTest> = self.tests.iter().filter(|t| t.kind == kind).collect();
        if tests.is_empty() {
            return None;
        }
        let failing = tests.iter().filter(|t| failed.contains(&t.name)).count();
        Some((tests.len() - failing, failing))
    }

    /// How many tests there are of one kind.
    pub fn count(&self, kind: TestKind) -> usize {
        self.tests.iter().filter(|t| t.kind == kind).count()
    }
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
    /// Compile with `cargo clippy --all-targets -- -D warnings` rather than `cargo check
    /// --all-targets`.
    pub clippy: bool,
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
        clippy: None,
        compile_error: None,
        described: 0,
        tests: Vec::new(),
        failed: None,
        decoded_reasons: Vec::new(),
        skipped: Vec::new(),
        skipped_with_body: 0,
        unplaced: Vec::new(),
        failures: Vec::new(),
        seconds: 0.0,
    };
    let folder = options
        .out
        .join(name.replace(['/', '\\'], "-").replace('.', "_"));
    row.generated = generate(options, file, &folder, &mut row);
    if row.generated.is_ok() && options.build {
        build(options, &folder, &mut row);
    }
    row.seconds = started.elapsed().as_secs_f64();
    row
}

/// Compiles the crate in `folder/crate` and runs its example tests.
fn build(options: &Options<'_>, folder: &Path, row: &mut Row) {
    let crate_dir = folder.join("crate");
    let target = options.out.join("target");
    if std::fs::copy(options.lock, crate_dir.join("Cargo.lock")).is_err() {
        row.compiles = Some(false);
        row.compile_error = Some("cannot copy Cargo.lock".to_owned());
        return;
    }
    let (compiles, output) = if options.clippy {
        let run = cargo(
            &crate_dir,
            &target,
            &[
                "clippy",
                "--all-targets",
                "--features",
                "mock",
                "--",
                "-D",
                "warnings",
            ],
        );
        row.clippy = Some(run.0);
        run
    } else {
        cargo(
            &crate_dir,
            &target,
            &["check", "--all-targets", "--features", "mock"],
        )
    };
    row.compiles = Some(compiles);
    if !compiles {
        let error = first_error(&output);
        // Its example tests cannot run: every one counts as failed.
        if !row.tests.is_empty() {
            row.failed = Some(row.tests.iter().map(|t| t.name.clone()).collect());
            row.failures = vec![("(the crate does not compile)".to_owned(), error.clone())];
        }
        row.compile_error = Some(error);
        let _ = crate::write::write_file(&folder.join("compile.log"), &output);
        return;
    }
    if row.tests.is_empty() {
        return;
    }
    let (ok, output) = cargo(
        &crate_dir,
        &target,
        &["test", "--test", "examples", "--features", "mock"],
    );
    row.failures = failures(&output);
    // Tests run in parallel: by name, so that two runs list them alike.
    row.failures.sort();
    let mut failed: HashSet<String> = row.failures.iter().map(|(n, _)| n.clone()).collect();
    // Tests that do not build failed every one of them, whatever cargo counted.
    if !ok && !output.lines().any(|l| l.starts_with("test result:")) {
        failed = row.tests.iter().map(|t| t.name.clone()).collect();
        row.failures = vec![("(the tests do not build)".to_owned(), first_error(&output))];
    }
    row.failed = Some(failed);
    // The failures' messages, for a look (the table only counts them).
    let _ = crate::write::write_file(&folder.join("examples.log"), &output);
}

/// The first error of cargo's output (under clippy's `-D warnings`, warnings are errors).
fn first_error(output: &str) -> String {
    output
        .lines()
        .find(|l| l.starts_with("error") || l.starts_with("warning"))
        .unwrap_or("cargo failed")
        .to_owned()
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
    row.unplaced = imported
        .notes
        .iter()
        .filter(|n| unplaced_2xx_body(&n.message))
        .map(|n| format!("at {}: {}", n.pointer, n.message))
        .collect();
    let spec = folder.join("spec.yaml");
    std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    crate::write::write_file(&spec, &imported.yaml).map_err(|e| format!("{e}"))?;
    let spec_name = spec.to_string_lossy().into_owned();
    let generated = crate::generate(&spec_name, &imported.yaml, options.runtime)
        .map_err(|d| format!("codegen: {}", first(&d)))?;
    row.operations = generated.operations;
    row.types = generated.types;
    // The model again, for how each example is checked (the counts of `generate` do not
    // tell replayed from decoded only, nor which skipped examples had a body).
    let api = crate::load::load(&spec_name, &imported.yaml)
        .and_then(|spec| crate::lower::lower(&spec))
        .map_err(|d| format!("codegen: {}", first(&d)))?;
    examples_of(&api, row);
    if let Some(tests) = generated
        .files
        .iter()
        .find(|f| f.path == "tests/examples.rs")
    {
        row.tests = example_tests(&tests.contents);
    }
    let lines = |list: &[String]| -> String {
        match list {
            [] => "none\n".to_owned(),
            list => list.iter().map(|s| format!("{s}\n")).collect(),
        }
    };
    crate::write::write_file(&folder.join("skipped.txt"), &lines(&row.skipped))
        .map_err(|e| format!("{e}"))?;
    crate::write::write_file(
        &folder.join("decoded-only.txt"),
        &lines(&row.decoded_reasons),
    )
    .map_err(|e| format!("{e}"))?;
    let crate_dir = folder.join("crate");
    crate::write::write(&crate_dir, &generated.files).map_err(|e| format!("{e}"))?;
    let folder_name = folder.file_name().unwrap_or_default().to_string_lossy();
    stand_alone(&crate_dir, &folder_name)
}

/// Whether an import note says that an example's 2xx response body was left out:
/// `example "X" left out in part: its 200 response body has no place: ...`.
fn unplaced_2xx_body(note: &str) -> bool {
    note.split_once("left out in part: its ")
        .is_some_and(|(_, rest)| {
            rest.starts_with('2') && rest.contains(" response body has no place")
        })
}

/// The examples of the model that are decoded only and skipped, with why.
fn examples_of(api: &Api, row: &mut Row) {
    for op in &api.operations {
        for e in &op.examples {
            if let ExampleCheck::DecodedOnly { reason } = &e.check {
                row.decoded_reasons
                    .push(format!("`{}` example `{}`: {reason}", op.id, e.name));
            }
        }
        for s in &op.skipped_examples {
            row.skipped
                .push(format!("`{}` example `{}`: {}", op.id, s.name, s.reason));
            row.skipped_with_body += usize::from(s.has_body);
        }
    }
}

/// The tests of a generated `tests/examples.rs`: a `#[tokio::test]` replays its example, a
/// `#[test]` decodes it only; a test with a body names it `response`.
pub fn example_tests(text: &str) -> Vec<ExampleTest> {
    let mut tests: Vec<ExampleTest> = Vec::new();
    let mut attribute = None;
    for line in text.lines() {
        let line = line.trim();
        match line {
            "#[tokio::test]" => attribute = Some(TestKind::Replayed),
            "#[test]" => attribute = Some(TestKind::DecodedOnly),
            _ => {}
        }
        let signature = line
            .strip_prefix("async fn ")
            .or_else(|| line.strip_prefix("fn "));
        if let (Some(kind), Some(rest)) = (attribute, signature) {
            let name = rest.split('(').next().unwrap_or_default().to_owned();
            tests.push(ExampleTest {
                name,
                kind,
                has_body: false,
            });
            attribute = None;
        } else if line.starts_with("let response = ")
            && let Some(last) = tests.last_mut()
        {
            last.has_body = true;
        }
    }
    tests
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

/// The table: one row per description, then the totals, then the examples' figures.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| description | operations | types | generated | compiles | clippy | examples | replayed: passed / failed | decoded only: passed / failed | skipped | seconds |\n\
         |---|---|---|---|---|---|---|---|---|---|---|\n",
    );
    let yes_no = |b: Option<bool>| match b {
        Some(true) => "yes",
        Some(false) => "**no**",
        None => "-",
    };
    let results = |r: &Row, kind: TestKind| match (r.results(kind), r.count(kind)) {
        (Some((p, f)), _) => format!("{p} / {f}"),
        (None, 0) => "-".to_owned(),
        (None, n) => format!("{n} not run"),
    };
    for r in rows {
        let generated = match &r.generated {
            Ok(()) => "yes".to_owned(),
            Err(e) => format!("**no**: {}", e.replace('|', "\\|")),
        };
        let mut skipped = match r.skipped_with_body {
            0 => r.skipped.len().to_string(),
            n => format!("{} ({n} with a body)", r.skipped.len()),
        };
        if !r.unplaced.is_empty() {
            skipped.push_str(&format!(" + {} bodies left out", r.unplaced.len()));
        }
        out.push_str(&format!(
            "| {} | {} | {} | {generated} | {} | {} | {} | {} | {} | {skipped} | {:.1} |\n",
            r.name,
            r.operations,
            r.types,
            yes_no(r.compiles),
            yes_no(r.clippy),
            r.described,
            results(r, TestKind::Replayed),
            results(r, TestKind::DecodedOnly),
            r.seconds
        ));
    }
    let t = Totals::of(rows);
    let run = |n: usize, (p, f): (usize, usize)| {
        if t.ran {
            format!("{p} / {f}")
        } else {
            format!("{n} not run")
        }
    };
    let clippy = if rows.iter().any(|r| r.clippy.is_some()) {
        rows.iter()
            .filter(|r| r.clippy == Some(true))
            .count()
            .to_string()
    } else {
        "-".to_owned()
    };
    out.push_str(&format!(
        "| **{} descriptions** | {} | {} | {} | {} | {clippy} | {} | {} | {} | {} ({} with a body) + {} bodies left out | {:.0} |\n",
        rows.len(),
        rows.iter().map(|r| r.operations).sum::<usize>(),
        rows.iter().map(|r| r.types).sum::<usize>(),
        rows.iter().filter(|r| r.generated.is_ok()).count(),
        rows.iter().filter(|r| r.compiles == Some(true)).count(),
        rows.iter().map(|r| r.described).sum::<usize>(),
        run(t.replayed, t.replayed_results),
        run(t.decoded, t.decoded_results),
        t.skipped,
        t.skipped_with_body,
        t.unplaced,
        rows.iter().map(|r| r.seconds).sum::<f64>()
    ));
    out.push_str(&t.figures());
    out
}

/// The sums over every row, and the examples' figures.
struct Totals {
    /// Whether any crate's example tests ran.
    ran: bool,
    replayed: usize,
    decoded: usize,
    replayed_results: (usize, usize),
    decoded_results: (usize, usize),
    skipped: usize,
    skipped_with_body: usize,
    /// 2xx bodies import left out (no place in the description).
    unplaced: usize,
    /// Tests of examples with a 2xx body: all, and those that passed (when run).
    checked_with_body: usize,
    passed_with_body: usize,
}

impl Totals {
    fn of(rows: &[Row]) -> Totals {
        let mut t = Totals {
            ran: false,
            replayed: 0,
            decoded: 0,
            replayed_results: (0, 0),
            decoded_results: (0, 0),
            skipped: 0,
            skipped_with_body: 0,
            unplaced: 0,
            checked_with_body: 0,
            passed_with_body: 0,
        };
        let add = |sum: &mut (usize, usize), r: Option<(usize, usize)>| {
            if let Some((p, f)) = r {
                *sum = (sum.0 + p, sum.1 + f);
            }
        };
        for r in rows {
            t.ran |= r.failed.is_some();
            t.replayed += r.count(TestKind::Replayed);
            t.decoded += r.count(TestKind::DecodedOnly);
            add(&mut t.replayed_results, r.results(TestKind::Replayed));
            add(&mut t.decoded_results, r.results(TestKind::DecodedOnly));
            t.skipped += r.skipped.len();
            t.skipped_with_body += r.skipped_with_body;
            t.unplaced += r.unplaced.len();
            for test in r.tests.iter().filter(|t| t.has_body) {
                t.checked_with_body += 1;
                let passed = r.failed.as_ref().is_some_and(|f| !f.contains(&test.name));
                t.passed_with_body += usize::from(passed);
            }
        }
        t
    }

    /// The lines under the table: how many examples with a 2xx body are checked, and
    /// how many of those pass.
    fn figures(&self) -> String {
        let not_checked = self.skipped_with_body + self.unplaced;
        let with_body = self.checked_with_body + not_checked;
        let percent = |n: usize, of: usize| {
            if of == 0 {
                "-".to_owned()
            } else {
                format!("{:.1}%", n as f64 * 100.0 / of as f64)
            }
        };
        let mut out = format!(
            "\nExamples with a 2xx body: {with_body}; checked: {} ({}), replayed or decoded only; \
             not checked: {not_checked} ({} skipped, {} left out by import: no place in the \
             description).\n",
            self.checked_with_body,
            percent(self.checked_with_body, with_body),
            self.skipped_with_body,
            self.unplaced,
        );
        if self.ran {
            out.push_str(&format!(
                "Of those checked, passing: {} ({}). All example tests: replayed {} / {} \
                 (passed / failed), decoded only {} / {}.\n",
                self.passed_with_body,
                percent(self.passed_with_body, self.checked_with_body),
                self.replayed_results.0,
                self.replayed_results.1,
                self.decoded_results.0,
                self.decoded_results.1,
            ));
        }
        out
    }
}

/// Below the table: the crates that do not compile, every failed example test with its
/// message, then how many examples were decoded only and skipped for each reason
/// (parameter names taken out, so that reasons group).
pub fn details(rows: &[Row]) -> String {
    let mut out = String::new();
    let broken: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            let error = r.compile_error.as_ref()?;
            Some(format!("- {}: {error}\n", r.name))
        })
        .collect();
    if !broken.is_empty() {
        out.push_str(&format!("\nNot compiling ({}):\n\n", broken.len()));
        out.extend(broken);
    }
    let failed: Vec<String> = rows
        .iter()
        .flat_map(|r| {
            r.failures.iter().map(move |(test, message)| {
                let kind = match r.tests.iter().find(|t| t.name == *test) {
                    Some(t) if t.kind == TestKind::DecodedOnly => " (decoded only)",
                    Some(_) => " (replayed)",
                    None => "",
                };
                format!("- {}: `{test}`{kind}: {message}\n", r.name)
            })
        })
        .collect();
    if !failed.is_empty() {
        out.push_str(&format!("\nFailed examples ({}):\n\n", failed.len()));
        out.extend(failed);
    }
    let unplaced: Vec<String> = rows
        .iter()
        .flat_map(|r| {
            r.unplaced
                .iter()
                .map(move |n| format!("- {}: {n}\n", r.name))
        })
        .collect();
    if !unplaced.is_empty() {
        out.push_str(&format!(
            "\n2xx bodies left out by import, no place in the description ({}):\n\n",
            unplaced.len()
        ));
        out.extend(unplaced);
    }
    for (title, lines) in [
        (
            "Decoded only (not replayed), by reason",
            rows.iter()
                .flat_map(|r| &r.decoded_reasons)
                .collect::<Vec<_>>(),
        ),
        (
            "Skipped (not checked), by reason",
            rows.iter().flat_map(|r| &r.skipped).collect(),
        ),
    ] {
        let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
        for line in lines {
            *reasons.entry(general_reason(line)).or_default() += 1;
        }
        if !reasons.is_empty() {
            out.push_str(&format!("\n{title}:\n\n"));
            for (reason, n) in reasons {
                out.push_str(&format!("- {n}: {reason}\n"));
            }
        }
    }
    out
}

/// The reason of a line `` `op` example `name`: reason``, names in quotes taken out.
fn general_reason(line: &str) -> String {
    let reason = line.rsplit_once("`: ").map_or(line, |(_, r)| r);
    reason
        .split('"')
        .step_by(2)
        .collect::<Vec<_>>()
        .join("\"…\"")
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn example_tests_by_kind_and_body() {
        let file = "//! docs\n\n/// A replayed one.\n#[tokio::test]\nasync fn get_a_one() {\n    let response = r#\"{}\"#;\n}\n\n#[allow(deprecated)]\n#[tokio::test]\nasync fn delete_a_two() {\n    let exchange = 1;\n}\n\n#[test]\nfn get_a_three_response() {\n    let response = \"[]\";\n    round_trip::<Vec<String>>(200, response);\n}\n";
        let test = |name: &str, kind, has_body| ExampleTest {
            name: name.to_owned(),
            kind,
            has_body,
        };
        assert_eq!(
            example_tests(file),
            [
                test("get_a_one", TestKind::Replayed, true),
                test("delete_a_two", TestKind::Replayed, false),
                test("get_a_three_response", TestKind::DecodedOnly, true),
            ]
        );
    }

    #[test]
    fn the_table_counts_each_kind_and_the_figures() {
        let test = |name: &str, kind| ExampleTest {
            name: name.to_owned(),
            kind,
            has_body: true,
        };
        let row = Row {
            name: "a/7.1/a.json".to_owned(),
            operations: 3,
            types: 4,
            generated: Ok(()),
            compiles: Some(true),
            clippy: Some(true),
            compile_error: None,
            described: 5,
            tests: vec![
                test("r1", TestKind::Replayed),
                test("r2", TestKind::Replayed),
                test("d1", TestKind::DecodedOnly),
            ],
            failed: Some(["r2".to_owned()].into()),
            decoded_reasons: vec![
                "`A_Get` example `x`: no value for the required parameter \"id\"".to_owned(),
            ],
            skipped: vec![
                "`A_Get` example `y`: its response is an externalValue, not read".to_owned(),
            ],
            skipped_with_body: 1,
            unplaced: vec!["at /paths/~1a/get: example \"z\" left out in part: its 200 response body has no place: the operation declares no content for 200".to_owned()],
            failures: vec![("r2".to_owned(), "the example's call failed".to_owned())],
            seconds: 1.0,
        };
        let broken = Row {
            name: "b/7.1/b.json".to_owned(),
            compiles: Some(false),
            clippy: Some(false),
            compile_error: Some("error: unused import".to_owned()),
            tests: vec![test("r3", TestKind::Replayed)],
            failed: Some(["r3".to_owned()].into()),
            decoded_reasons: Vec::new(),
            skipped: Vec::new(),
            skipped_with_body: 0,
            unplaced: Vec::new(),
            failures: vec![(
                "(the crate does not compile)".to_owned(),
                "error: unused import".to_owned(),
            )],
            ..row.clone()
        };
        let rows = [row, broken];
        let table = table(&rows);
        assert!(
            table.contains("| a/7.1/a.json | 3 | 4 | yes | yes | yes | 5 | 1 / 1 | 1 / 0 | 1 (1 with a body) + 1 bodies left out | 1.0 |"),
            "{table}"
        );
        assert!(
            table.contains(
                "| b/7.1/b.json | 3 | 4 | yes | **no** | **no** | 5 | 0 / 1 | - | 0 | 1.0 |"
            ),
            "{table}"
        );
        assert!(
            table.contains("| **2 descriptions** | 6 | 8 | 2 | 1 | 1 | 10 | 1 / 2 | 1 / 0 | 1 (1 with a body) + 1 bodies left out | 2 |"),
            "{table}"
        );
        // The tests of a crate that does not compile count as failed.
        assert!(
            table.contains("Examples with a 2xx body: 6; checked: 4 (66.7%), replayed or decoded only; not checked: 2 (1 skipped, 1 left out by import: no place in the description)."),
            "{table}"
        );
        assert!(
            table.contains("Of those checked, passing: 2 (50.0%). All example tests: replayed 1 / 2 (passed / failed), decoded only 1 / 0."),
            "{table}"
        );
        let details = details(&rows);
        assert!(
            details.contains("Not compiling (1):\n\n- b/7.1/b.json: error: unused import\n"),
            "{details}"
        );
        assert!(
            details.contains("- a/7.1/a.json: `r2` (replayed): the example's call failed\n"),
            "{details}"
        );
        assert!(
            details
                .contains("- b/7.1/b.json: `(the crate does not compile)`: error: unused import\n"),
            "{details}"
        );
        assert!(details.contains("2xx bodies left out by import, no place in the description (1):\n\n- a/7.1/a.json: at /paths/~1a/get: example \"z\" left out"), "{details}");
        assert!(details.contains("Decoded only (not replayed), by reason:\n\n- 1: no value for the required parameter \"…\"\n"), "{details}");
        assert!(details.contains("Skipped (not checked), by reason:\n\n- 1: its response is an externalValue, not read\n"), "{details}");
    }
}
