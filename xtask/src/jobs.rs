//! What `cargo xtask codegen` generates where: a job is one crate, from one spec or from
//! several (a folder of specs, or `--spec` repeated), written to one folder with a
//! dependency on the runtime that resolves from there. The binary parses the arguments
//! into jobs; the tests and benchmarks build the same jobs.

use std::path::{Component, Path, PathBuf};

use crate::diagnostics::Diagnostics;
use crate::emit::manifest::RuntimeDependency;
use crate::{CrateOptions, Generated, SpecInput};

/// One crate to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// The specs: one makes a crate of its own, several a crate of areas.
    pub specs: Vec<PathBuf>,
    /// Where the crate goes.
    pub out: PathBuf,
    /// The package name of a crate of several areas (one spec names its own crate).
    pub crate_name: Option<String>,
    /// The version of a crate of several areas.
    pub crate_version: Option<String>,
    /// How the specs are named in messages: the folder they came from, when they did.
    pub specs_display: Option<String>,
}

/// The YAML and JSON specs directly in `dir`, sorted by name.
pub fn specs_in(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("yaml" | "yml" | "json")
                )
        })
        .collect();
    found.sort();
    if found.is_empty() {
        return Err(format!(
            "no spec (*.yaml, *.yml, *.json) in {}",
            dir.display()
        ));
    }
    Ok(found)
}

/// The fixture crates: `tests/fixtures/NAME.yaml` -> `tests/fixtures/NAME-crate`, and a
/// folder of specs `tests/fixtures/NAME/` -> a crate of areas `tests/fixtures/NAME-crate`
/// named `fixture-NAME`.
pub fn fixture_jobs(root: &Path) -> Result<Vec<Job>, String> {
    let dir = root.join("tests/fixtures");
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    let mut jobs = Vec::new();
    for path in entries {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let out = dir.join(format!("{name}-crate"));
        if path.is_dir() && !name.ends_with("-crate") {
            jobs.push(Job {
                specs: specs_in(&path)?,
                out,
                crate_name: Some(format!("fixture-{name}")),
                crate_version: None,
                specs_display: Some(format!("tests/fixtures/{name}/*.yaml")),
            });
        } else if path.extension().and_then(|e| e.to_str()) == Some("yaml") {
            jobs.push(Job {
                specs: vec![path],
                out,
                crate_name: None,
                crate_version: None,
                specs_display: None,
            });
        }
    }
    Ok(jobs)
}

/// The dependency on this repository's `runtime/` for a crate written to `out`: a relative
/// path when `out` is inside the repository (so that the output does not depend on where
/// the checkout lives), else an absolute one.
pub fn runtime_for(root: &Path, out: &Path) -> RuntimeDependency {
    let root = absolute(root);
    let out = absolute(out);
    let runtime = root.join("runtime");
    match out.strip_prefix(&root) {
        Ok(inside) => {
            let ups = inside
                .components()
                .filter(|c| matches!(c, Component::Normal(_)))
                .count();
            let mut rel = "../".repeat(ups);
            rel.push_str("runtime");
            RuntimeDependency::path(rel)
        }
        Err(_) => RuntimeDependency::path(runtime.to_string_lossy().replace('\\', "/")),
    }
}

/// `path` absolute and without `.` or `..`, its existing part with symbolic links resolved
/// (as `root` is), whether or not it exists yet.
fn absolute(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut lexical = PathBuf::new();
    for part in abs.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                lexical.pop();
            }
            other => lexical.push(other),
        }
    }
    let mut existing = lexical.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(name) => {
                rest.push(name.to_owned());
                existing.pop();
            }
            None => return lexical,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for part in rest.into_iter().rev() {
        out.push(part);
    }
    out
}

/// Generates the crate of `job` in memory, from the specs' texts (`files`: each spec as
/// named in messages and its text, in the job's order).
pub fn generate(
    job: &Job,
    files: &[(String, String)],
    runtime: &RuntimeDependency,
) -> Result<Generated, Diagnostics> {
    match files {
        [(file, text)] if job.crate_name.is_none() => crate::generate(file, text, runtime),
        _ => {
            let inputs: Vec<SpecInput<'_>> = files
                .iter()
                .map(|(file, text)| SpecInput { file, text })
                .collect();
            let display = job.specs_display.clone().unwrap_or_else(|| {
                files
                    .iter()
                    .map(|(f, _)| f.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            });
            crate::generate_areas(
                &CrateOptions {
                    package_name: job.crate_name.clone().unwrap_or_default(),
                    version: job
                        .crate_version
                        .clone()
                        .unwrap_or_else(|| "0.1.0".to_owned()),
                    specs_display: display,
                },
                &inputs,
                runtime,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runtime_is_found_relative_inside_the_repository_absolute_outside() {
        let root = std::env::temp_dir().join("xtask-jobs-test");
        let _ = std::fs::create_dir_all(root.join("generated"));
        let rel = |out: &str| match runtime_for(&root, &root.join(out)).source {
            crate::emit::manifest::RuntimeSource::Path(p) => p,
            other => panic!("{other:?}"),
        };
        assert_eq!(rel("generated"), "../runtime");
        assert_eq!(rel("tests/fixtures/x-crate"), "../../../runtime");
        assert_eq!(rel("a/./b/../c"), "../../runtime");
        let outside = std::env::temp_dir().join("elsewhere-crate");
        match runtime_for(&root, &outside).source {
            crate::emit::manifest::RuntimeSource::Path(p) => {
                assert!(Path::new(&p).is_absolute(), "{p}");
                assert!(p.ends_with("xtask-jobs-test/runtime"), "{p}");
            }
            other => panic!("{other:?}"),
        }
    }
}
