//! What a crate of areas costs a downstream build for the areas it turns on: `cargo check` of
//! the fixture crate of areas (`tests/fixtures/areas-crate`, generated afresh from
//! `tests/fixtures/areas/*.yaml`) with no area, each area alone and every area, dependencies
//! already built and `CARGO_INCREMENTAL=0`, only the crate's own `rustc` timed (as in
//! [`crate::compile`]).
//!
//! The feature sets take turns, one run of each per round, so that the load of a shared
//! machine falls on all of them alike; the best run of each is kept.

use std::path::Path;
use std::process::ExitCode;

use crate::compile::{self, Check, Run};

/// The fixture job whose crate is measured: the one written to `tests/fixtures/areas-crate`.
const FIXTURE_OUT: &str = "areas-crate";

/// One feature set of the crate.
#[derive(Debug, Clone)]
pub struct Set {
    /// `no feature`, the area's feature, or `all features`.
    pub label: String,
    pub features: Vec<String>,
    /// The operations of the areas turned on.
    pub operations: usize,
    pub best: Run,
    /// Wall time of every run, seconds.
    pub runs: Vec<f64>,
}

#[derive(Debug)]
pub struct Figures {
    /// The package measured.
    pub package: String,
    /// No feature, each area alone, then every area.
    pub sets: Vec<Set>,
}

impl Figures {
    /// The set with every area, which the others are compared with.
    pub fn all(&self) -> Option<&Set> {
        self.sets.last()
    }

    /// `set` against every area: wall time, CPU time and peak memory.
    pub fn ratios(&self, set: &Set) -> Option<(f64, f64, f64)> {
        let all = self.all()?.best;
        Some((
            set.best.wall_s / all.wall_s,
            set.best.cpu_s / all.cpu_s,
            set.best.peak_rss as f64 / all.peak_rss as f64,
        ))
    }
}

/// `bench areas [--runs R]`.
pub fn command(root: &Path, args: &[String]) -> ExitCode {
    let runs = match args {
        [] => 3,
        [flag, n] if flag == "--runs" => match n.parse() {
            Ok(n) if n > 0 => n,
            _ => {
                eprintln!("error: --runs needs a number above 0, not {n:?}");
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("error: unexpected arguments {args:?} (bench areas [--runs R])");
            return ExitCode::from(2);
        }
    };
    match measure(root, runs) {
        Ok(figures) => {
            println!("{}", table(&figures));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Generates the crate into `target/bench-compile/areas`, builds it and its dependencies
/// once with every area, then times `runs` rounds of checks.
pub fn measure(root: &Path, runs: usize) -> Result<Figures, String> {
    let scratch = root.join("target").join("bench-compile");
    let dir = scratch.join("areas");
    let (package, areas) = generate(root, &dir)?;
    let lib = package.replace('-', "_");
    let mut sets = vec![Set {
        label: "no feature".to_owned(),
        features: Vec::new(),
        operations: 0,
        best: compile::best(&[]),
        runs: Vec::new(),
    }];
    for (feature, operations) in &areas {
        sets.push(Set {
            label: format!("`{feature}` alone"),
            features: vec![feature.clone()],
            operations: *operations,
            best: compile::best(&[]),
            runs: Vec::new(),
        });
    }
    sets.push(Set {
        label: "all features".to_owned(),
        features: areas.iter().map(|(f, _)| f.clone()).collect(),
        operations: areas.iter().map(|(_, n)| n).sum(),
        best: compile::best(&[]),
        runs: Vec::new(),
    });
    let target = scratch.join("target");
    fn check<'a>(
        dir: &'a Path,
        lib: &'a str,
        target: &'a Path,
        features: &'a [String],
    ) -> Check<'a> {
        Check {
            dir,
            crate_name: lib,
            target,
            offline: true,
            features: Some(features),
        }
    }
    eprintln!(
        "areas: {package} ({} areas), dependencies and one build with every area",
        areas.len()
    );
    let every = sets.last().map(|s| s.features.clone()).unwrap_or_default();
    check(&dir, &lib, &target, &every).once(false)?;
    let mut all_runs: Vec<Vec<Run>> = vec![Vec::new(); sets.len()];
    for round in 1..=runs {
        eprintln!("areas: round {round} of {runs}");
        for (set, times) in sets.iter().zip(&mut all_runs) {
            times.push(check(&dir, &lib, &target, &set.features).once(true)?);
        }
    }
    for (set, times) in sets.iter_mut().zip(&all_runs) {
        set.best = compile::best(times);
        set.runs = times.iter().map(|r| r.wall_s).collect();
    }
    Ok(Figures { package, sets })
}

/// Writes the crate of areas of the fixtures into `dir` as a workspace of its own, pinned to
/// this repository's lock file; returns its package name and its areas' features with their
/// operations.
fn generate(root: &Path, dir: &Path) -> Result<(String, Vec<(String, usize)>), String> {
    let job = xtask::jobs::fixture_jobs(root)?
        .into_iter()
        .find(|j| j.out.file_name().is_some_and(|n| n == FIXTURE_OUT))
        .ok_or_else(|| format!("no fixture job writes tests/fixtures/{FIXTURE_OUT}"))?;
    let package = job
        .crate_name
        .clone()
        .ok_or("the fixture crate of areas has no package name")?;
    let mut files = Vec::new();
    for spec in &job.specs {
        let name = spec
            .strip_prefix(root)
            .unwrap_or(spec)
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(spec).map_err(|e| format!("{name}: {e}"))?;
        files.push((name, text));
    }
    let runtime = xtask::jobs::runtime_for(root, dir);
    let generated = xtask::jobs::generate(&job, &files, &runtime)
        .map_err(|d| format!("generating {package} failed: {d}"))?;
    let manifest = generated
        .files
        .iter()
        .find(|f| f.path == "Cargo.toml")
        .ok_or("the crate of areas has no Cargo.toml")?;
    let areas = area_features(&manifest.contents);
    if areas.is_empty() {
        return Err(format!("{package}: no area features in its Cargo.toml"));
    }
    xtask::write::write(dir, &generated.files).map_err(|e| format!("{}: {e}", dir.display()))?;
    compile::standalone(dir, Some(&root.join("Cargo.lock")))?;
    Ok((package, areas))
}

/// The features of the areas in a generated manifest, with their operations: each is
/// preceded by its comment `# Title (N operations, ...)`.
fn area_features(manifest: &str) -> Vec<(String, usize)> {
    let mut areas = Vec::new();
    let mut in_features = false;
    let mut operations = None;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_features = line == "[features]";
            continue;
        }
        if !in_features {
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            operations = comment
                .split_once('(')
                .and_then(|(_, rest)| rest.split_once(" operations"))
                .and_then(|(n, _)| n.trim().replace(',', "").parse::<usize>().ok());
        } else if let Some((name, _)) = line.split_once('=') {
            if let Some(n) = operations.take() {
                areas.push((name.trim().to_owned(), n));
            }
        } else if line.is_empty() {
            operations = None;
        }
    }
    areas
}

/// The figures as a Markdown table.
pub fn table(f: &Figures) -> String {
    let runs = f.sets.first().map_or(0, |s| s.runs.len());
    let mut out = format!(
        "`cargo check` of {} (dependencies built, `CARGO_INCREMENTAL=0`, its `rustc` only; best of {runs}):\n\n\
         | features | operations | wall | CPU | peak memory | / all features: wall, CPU, memory |\n\
         |---|---|---|---|---|---|\n",
        f.package
    );
    for s in &f.sets {
        let ratios = f
            .ratios(s)
            .map(|(w, c, m)| format!("{w:.2}, {c:.2}, {m:.2}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "| {} | {} | {:.2} s | {:.2} s | {:.0} MB | {ratios} |\n",
            s.label,
            s.operations,
            s.best.wall_s,
            s.best.cpu_s,
            s.best.peak_rss as f64 / 1e6,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_area_features_are_read_from_the_manifest() {
        let manifest = "[package]\nname = \"x\"\n\n[features]\ndefault = []\n\
            # Emit a span.\ntracing = [\"azure-devops-runtime/tracing\"]\n\
            # Build (91 operations, 203 types; API version 7.1)\nbuild = []\n\
            # Core (1,019 operations, 50 types)\ncore_area = []\n\n[dependencies]\n\
            # A (2 operations)\nserde = \"1\"\n";
        assert_eq!(
            area_features(manifest),
            [("build".to_owned(), 91), ("core_area".to_owned(), 1019)]
        );
    }
}
